package funding

import (
	"fmt"
	"strings"

	"github.com/shopspring/decimal"

	"github.com/gridgov/gridgov"
)

// CostBasis says how the residents' part of a bill is shared among households.
type CostBasis string

// The cost bases.
const (
	// CostEqual gives every household the same share, to within a fen (按户均摊).
	CostEqual CostBasis = "equal"
	// CostByArea shares in proportion to floor area (按面积分摊), the usual basis for the
	// common parts of a building.
	CostByArea CostBasis = "area"
)

// MaxSubsidyRatePlaces is the most decimal places a subsidy rate may have (0.333333 is
// 33.3333%).
const MaxSubsidyRatePlaces = 10

// MaxAreaDigits and MaxAreaPlaces bound a household's floor area: less than 10^6 m², with at
// most six decimal places.
const (
	MaxAreaDigits = 6
	MaxAreaPlaces = 6
)

// Household is one household sharing a cost (住户), for example one flat behind a unit door.
type Household struct {
	// ID identifies the household in the caller's terms (a room number, a person ID…);
	// required and unique within a split.
	ID string
	// Area is the household's floor area in square metres (建筑面积). It must be positive
	// when the basis is [CostByArea]; otherwise it is carried along for the notice and must
	// not be negative (zero: unknown). It is less than 10^[MaxAreaDigits] m² with at most
	// [MaxAreaPlaces] decimal places.
	Area decimal.Decimal
}

// CostShare describes a bill to be shared among households, such as a repair that the
// residents agreed to pay with a subsidy (费用分摊): the input of [SplitCost].
type CostShare struct {
	// Bill is the whole cost in yuan: positive, whole fen, below 10^15.
	Bill decimal.Decimal
	// SubsidyAmount is a fixed subsidy (补贴) in yuan, at most the bill; or
	SubsidyAmount decimal.Decimal
	// SubsidyRate is a subsidy as a share of the bill, from 0 to 1 (0.3 is 30%) with at most
	// [MaxSubsidyRatePlaces] decimal places. The subsidy is Bill × SubsidyRate rounded to
	// the fen, half up (½ fen goes to the subsidy), so it never exceeds the bill. Set at
	// most one of SubsidyAmount and SubsidyRate.
	SubsidyRate decimal.Decimal
	// SubsidyFrom says who pays the subsidy, for example the property firm's organisation
	// ID or a fund ID; required when there is a subsidy.
	SubsidyFrom string
	// Basis says how the residents' part is shared; required.
	Basis CostBasis
	// Households share the residents' part; at least one, at most [MaxSplitParts].
	Households []Household
}

// HouseholdShare is what one household pays.
type HouseholdShare struct {
	HouseholdID string
	Area        decimal.Decimal
	Amount      decimal.Decimal
}

// CostSplit is the result of [SplitCost]: the subsidy, the residents' part and each
// household's share, exact to the fen: Subsidy + Σ Shares[i].Amount = Bill.
type CostSplit struct {
	Bill decimal.Decimal
	// Subsidy is the amount the subsidiser pays; SubsidyRate is the rate it came from (zero
	// for a fixed subsidy).
	Subsidy     decimal.Decimal
	SubsidyRate decimal.Decimal
	SubsidyFrom string
	// Residents is Bill − Subsidy, the part the households share.
	Residents decimal.Decimal
	Basis     CostBasis
	// TotalArea is the sum of the households' areas.
	TotalArea decimal.Decimal
	// Shares has one entry per household, in input order.
	Shares []HouseholdShare
	// ExplanationEN and ExplanationZH say how the split was made, for a public notice.
	ExplanationEN, ExplanationZH string
}

// SplitCost divides a bill between a subsidiser and the households (费用分摊): first the
// subsidy (a fixed amount, or a rate of the bill rounded half up to the fen), then the rest
// among the households equally or by floor area with the largest remainder method of
// [SplitEvenly] and [SplitByArea] (exact shares rounded down to the fen, the fen left over to
// the largest remainders, ties to the earlier household). The subsidy and the shares sum
// exactly to the bill, and no share is a fen or more from its exact part.
//
// Bad input returns one *gridgov.ValidationError (gridgov.ErrInvalid) naming every failing
// field in English and Chinese: "Bill", "SubsidyAmount", "SubsidyRate", "SubsidyFrom",
// "Basis", "Households", "Households[i].ID" (empty or duplicate) and "Households[i].Area".
func SplitCost(in CostShare) (CostSplit, error) {
	sw, err := checkCostShare(in)
	if err != nil {
		return CostSplit{}, err
	}
	// Zeros are replaced by decimal.Zero: a zero may carry any exponent, and arithmetic with
	// an extreme one would expand it.
	out := CostSplit{Bill: in.Bill, SubsidyFrom: in.SubsidyFrom, Basis: in.Basis, Subsidy: decimal.Zero,
		SubsidyRate: decimal.Zero, TotalArea: decimal.Zero}
	if in.SubsidyAmount.Sign() > 0 {
		out.Subsidy = in.SubsidyAmount
	}
	exactRate := true
	if in.SubsidyRate.Sign() > 0 {
		out.SubsidyRate = in.SubsidyRate
		exact := in.Bill.Mul(in.SubsidyRate)
		out.Subsidy = exact.Round(2)
		exactRate = out.Subsidy.Equal(exact)
	}
	out.Residents = in.Bill.Sub(out.Subsidy)
	var amounts []decimal.Decimal
	if in.Basis == CostByArea {
		amounts = sw.split(fenOf(out.Residents))
	} else {
		if amounts, err = SplitEvenly(out.Residents, len(in.Households)); err != nil {
			return CostSplit{}, err // unreachable: the input was checked
		}
	}
	out.Shares = make([]HouseholdShare, len(in.Households))
	for i, h := range in.Households {
		if h.Area.Sign() > 0 {
			out.TotalArea = out.TotalArea.Add(h.Area)
		}
		out.Shares[i] = HouseholdShare{HouseholdID: h.ID, Area: h.Area, Amount: amounts[i]}
	}
	out.ExplanationEN, out.ExplanationZH = explainCostSplit(out, len(in.Households), exactRate)
	return out, nil
}

// checkCostShare validates in and, for a split by area, returns the scaled areas.
func checkCostShare(in CostShare) (*scaledWeights, error) {
	var verr gridgov.ValidationError
	billOK := in.Bill.Sign() > 0 && CheckAmount("Bill", in.Bill) == nil
	if in.Bill.Sign() == 0 {
		verr.Add("Bill", "gt", "Bill must be positive", "费用（Bill）必须为正数")
	}
	verr.Merge(CheckAmount("Bill", in.Bill))

	subsidy := in.SubsidyAmount.Sign() != 0
	if err := CheckAmount("SubsidyAmount", in.SubsidyAmount); err != nil {
		verr.Merge(err)
	} else if billOK && in.SubsidyAmount.Sign() > 0 && in.SubsidyAmount.GreaterThan(in.Bill) {
		verr.Add("SubsidyAmount", "lte",
			fmt.Sprintf("SubsidyAmount %s must not exceed the bill %s", FormatYuan(in.SubsidyAmount), FormatYuan(in.Bill)),
			fmt.Sprintf("补贴金额（SubsidyAmount）%s不能超过费用%s", FormatYuan(in.SubsidyAmount), FormatYuan(in.Bill)))
	}
	if r := in.SubsidyRate; r.Sign() != 0 {
		subsidy = true
		// Compare with 1 only when 1 ≤ r < 10, so that an extreme exponent is not expanded.
		if m := magnitude(r); r.Sign() < 0 || m > 1 || m == 1 && r.GreaterThan(decimal.NewFromInt(1)) {
			verr.Add("SubsidyRate", "range",
				fmt.Sprintf("SubsidyRate must be between 0 and 1 (0.3 is 30%%), not %s", safeDecimalString(r)),
				fmt.Sprintf("补贴比例（SubsidyRate）必须在0到1之间（0.3即30%%），而不是%s", safeDecimalString(r)))
		} else if !placesAtMost(r, MaxSubsidyRatePlaces) {
			verr.Add("SubsidyRate", "places",
				fmt.Sprintf("SubsidyRate must have at most %d decimal places, not %s", MaxSubsidyRatePlaces, safeDecimalString(r)),
				fmt.Sprintf("补贴比例（SubsidyRate）最多%d位小数，而不是%s", MaxSubsidyRatePlaces, safeDecimalString(r)))
		}
		if in.SubsidyAmount.Sign() != 0 {
			verr.Add("SubsidyRate", "excluded_with",
				"set either SubsidyAmount or SubsidyRate, not both",
				"补贴金额（SubsidyAmount）与补贴比例（SubsidyRate）只能填写一项")
		}
	}
	if subsidy && strings.TrimSpace(in.SubsidyFrom) == "" {
		verr.Add("SubsidyFrom", "required_with", "SubsidyFrom must say who pays the subsidy",
			"必须填写补贴来源（SubsidyFrom）")
	}
	if in.Basis != CostEqual && in.Basis != CostByArea {
		verr.Add("Basis", "oneof",
			fmt.Sprintf("Basis must be %q or %q, not %q", CostEqual, CostByArea, in.Basis),
			fmt.Sprintf("分摊方式（Basis）必须为“%s”（按户均摊）或“%s”（按面积分摊），而不是“%s”", CostEqual, CostByArea, in.Basis))
	}

	n := len(in.Households)
	switch {
	case n == 0:
		verr.Add("Households", "required", "at least one household must share the cost", "至少需要一户分摊费用")
	case n > MaxSplitParts:
		verr.Add("Households", "max", fmt.Sprintf("at most %d households may share a cost, not %d", MaxSplitParts, n),
			fmt.Sprintf("分摊户数最多为%d户，而不是%d户", MaxSplitParts, n))
		return nil, verr.Err()
	}
	seen := make(map[string]int, n)
	areas := make([]decimal.Decimal, n)
	areasOK := true
	idField := func(i int) string { return fmt.Sprintf("Households[%d].ID", i) }
	for i, h := range in.Households {
		if strings.TrimSpace(h.ID) == "" {
			verr.Add(idField(i), "required", fmt.Sprintf("%s is required", idField(i)), fmt.Sprintf("%s（住户标识）不能为空", idField(i)))
		} else if j, dup := seen[h.ID]; dup {
			verr.Add(idField(i), "unique", fmt.Sprintf("%s %q repeats Households[%d]", idField(i), h.ID, j),
				fmt.Sprintf("%s“%s”与Households[%d]重复", idField(i), h.ID, j))
		} else {
			seen[h.ID] = i
		}
		areas[i] = h.Area
	}
	areaField := func(i int) string { return fmt.Sprintf("Households[%d].Area", i) }
	for i, a := range areas {
		switch {
		case a.Sign() < 0 || a.Sign() == 0 && in.Basis == CostByArea:
			rule, en, zh := "gte", "must not be negative", "不能为负数"
			if in.Basis == CostByArea {
				rule, en, zh = "gt", "must be positive to share by area", "按面积分摊时必须为正数"
			}
			verr.Add(areaField(i), rule, fmt.Sprintf("%s %s, not %s", areaField(i), en, safeDecimalString(a)),
				fmt.Sprintf("%s（面积）%s（%s）", areaField(i), zh, safeDecimalString(a)))
		case a.Sign() == 0:
			continue
		case magnitude(a) > MaxAreaDigits:
			verr.Add(areaField(i), "max", fmt.Sprintf("%s must be less than 10^%d m², not %s", areaField(i), MaxAreaDigits, safeDecimalString(a)),
				fmt.Sprintf("%s（面积）必须小于10^%d平方米，而不是%s", areaField(i), MaxAreaDigits, safeDecimalString(a)))
		case !placesAtMost(a, MaxAreaPlaces):
			verr.Add(areaField(i), "places", fmt.Sprintf("%s must have at most %d decimal places, not %s", areaField(i), MaxAreaPlaces, safeDecimalString(a)),
				fmt.Sprintf("%s（面积）最多%d位小数，而不是%s", areaField(i), MaxAreaPlaces, safeDecimalString(a)))
		default:
			continue
		}
		areasOK = false
	}
	var sw *scaledWeights
	if areasOK && n > 0 && in.Basis == CostByArea {
		var err error
		sw, err = scaleWeights(areas, areaField, "Households", true)
		verr.Merge(err) // nil: the areas are positive and bounded
	}
	return sw, verr.Err()
}

// explainCostSplit writes the explanations of a split among n households.
func explainCostSplit(s CostSplit, n int, exactRate bool) (en, zh string) {
	var b, z strings.Builder
	fmt.Fprintf(&b, "Bill %s; ", FormatYuan(s.Bill))
	fmt.Fprintf(&z, "费用%s；", FormatYuan(s.Bill))
	switch {
	case s.SubsidyRate.Sign() > 0:
		pct := s.SubsidyRate.Shift(2).String() + "%"
		fmt.Fprintf(&b, "subsidy %s of the bill from %s", pct, s.SubsidyFrom)
		fmt.Fprintf(&z, "由%s补贴%s", s.SubsidyFrom, pct)
		if !exactRate {
			b.WriteString(" (rounded half up to the fen)")
			z.WriteString("（四舍五入到分）")
		}
		fmt.Fprintf(&b, ": %s; ", FormatYuan(s.Subsidy))
		fmt.Fprintf(&z, "，计%s；", FormatYuan(s.Subsidy))
	case s.Subsidy.Sign() > 0:
		fmt.Fprintf(&b, "subsidy %s from %s; ", FormatYuan(s.Subsidy), s.SubsidyFrom)
		fmt.Fprintf(&z, "由%s补贴%s；", s.SubsidyFrom, FormatYuan(s.Subsidy))
	default:
		b.WriteString("no subsidy; ")
		z.WriteString("无补贴；")
	}
	fmt.Fprintf(&b, "the residents' %s split ", FormatYuan(s.Residents))
	fmt.Fprintf(&z, "居民承担%s，", FormatYuan(s.Residents))
	if s.Basis == CostByArea {
		fmt.Fprintf(&b, "by floor area (%s m² in all) among %d households", formatPlain(s.TotalArea), n)
		fmt.Fprintf(&z, "按建筑面积（共%s平方米）在%d户间分摊", formatPlain(s.TotalArea), n)
	} else {
		fmt.Fprintf(&b, "equally among %d households", n)
		fmt.Fprintf(&z, "在%d户间平均分摊", n)
	}
	b.WriteString(", to the fen by largest remainder (ties to the earlier household).")
	z.WriteString("，按最大余额法精确到分（余额相同时先列者优先）。")
	return b.String(), z.String()
}
