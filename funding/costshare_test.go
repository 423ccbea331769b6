package funding_test

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gridgov/gridgov/funding"
)

// unitDoorHouseholds returns the 18 flats behind one unit door: six floors of three flats
// of 89.50, 105.20 and 126.80 m².
func unitDoorHouseholds() []funding.Household {
	var hs []funding.Household
	for floor := 1; floor <= 6; floor++ {
		for flat, area := range []string{"89.50", "105.20", "126.80"} {
			hs = append(hs, funding.Household{ID: fmt.Sprintf("%d%02d", floor, flat+1), Area: decimal.RequireFromString(area)})
		}
	}
	return hs
}

// requireCostSplitExact checks a split's invariants against its input.
func requireCostSplitExact(t *testing.T, in funding.CostShare, out funding.CostSplit) {
	t.Helper()
	require.True(t, in.Bill.Equal(out.Bill))
	require.NoError(t, funding.CheckAmount("Subsidy", out.Subsidy))
	require.False(t, out.Subsidy.GreaterThan(in.Bill), "the subsidy never exceeds the bill")
	require.True(t, out.Residents.Equal(in.Bill.Sub(out.Subsidy)))
	require.Len(t, out.Shares, len(in.Households))
	sum := out.Subsidy
	weights := make([]decimal.Decimal, len(in.Households))
	amounts := make([]decimal.Decimal, len(in.Households))
	area := decimal.Zero
	for i, s := range out.Shares {
		require.Equal(t, in.Households[i].ID, s.HouseholdID)
		require.True(t, in.Households[i].Area.Equal(s.Area))
		sum = sum.Add(s.Amount)
		if s.Area.Sign() > 0 {
			area = area.Add(s.Area)
		}
		amounts[i] = s.Amount
		weights[i] = decimal.NewFromInt(1)
		if in.Basis == funding.CostByArea {
			weights[i] = s.Area
		}
	}
	require.True(t, sum.Equal(in.Bill), "subsidy %s and shares sum to %s, not the bill %s", out.Subsidy, sum, in.Bill)
	require.True(t, area.Equal(out.TotalArea))
	requireExactSplit(t, out.Residents, weights, amounts)
	require.NotEmpty(t, out.ExplanationEN)
	require.NotEmpty(t, out.ExplanationZH)
}

func TestSplitCostUnitDoor(t *testing.T) {
	in := funding.CostShare{
		Bill:        funding.MustMoney("¥12,000.00"),
		SubsidyRate: decimal.RequireFromString("0.3"),
		SubsidyFrom: "红色物业",
		Basis:       funding.CostByArea,
		Households:  unitDoorHouseholds(),
	}
	out, err := funding.SplitCost(in)
	require.NoError(t, err)
	requireCostSplitExact(t, in, out)
	assert.Equal(t, "3600", out.Subsidy.String())
	assert.Equal(t, "8400", out.Residents.String())
	assert.Equal(t, "1929", out.TotalArea.String())
	// Flats of the same area have the same exact share, so they pay the same to within a
	// fen, and where they differ the lower floor pays the extra fen.
	for i := 3; i < 18; i++ {
		prev, cur := out.Shares[i-3].Amount, out.Shares[i].Amount
		assert.True(t, !cur.GreaterThan(prev) && prev.Sub(cur).LessThanOrEqual(decimal.New(1, -2)),
			"flat %s pays %s, flat %s below it %s", out.Shares[i].HouseholdID, cur, out.Shares[i-3].HouseholdID, prev)
	}
	assert.Equal(t, "Bill ¥12,000.00; subsidy 30% of the bill from 红色物业: ¥3,600.00; the residents' ¥8,400.00 split "+
		"by floor area (1,929 m² in all) among 18 households, to the fen by largest remainder (ties to the earlier household).",
		out.ExplanationEN)
	assert.Equal(t, "费用¥12,000.00；由红色物业补贴30%，计¥3,600.00；居民承担¥8,400.00，按建筑面积（共1,929平方米）在18户间分摊，"+
		"按最大余额法精确到分（余额相同时先列者优先）。", out.ExplanationZH)
}

func TestSplitCostCases(t *testing.T) {
	three := []funding.Household{{ID: "a"}, {ID: "b"}, {ID: "c"}}
	for _, tc := range []struct {
		name     string
		in       funding.CostShare
		subsidy  string
		shares   []string
		explains string
	}{
		{"fixed subsidy, equal shares", funding.CostShare{Bill: funding.MustMoney("1000"), SubsidyAmount: funding.MustMoney("100"),
			SubsidyFrom: "fund:maintenance", Basis: funding.CostEqual, Households: three},
			"100", []string{"300", "300", "300"}, "subsidy ¥100.00 from fund:maintenance; "},
		{"no subsidy", funding.CostShare{Bill: funding.MustMoney("100"), Basis: funding.CostEqual, Households: three},
			"0", []string{"33.34", "33.33", "33.33"}, "no subsidy; "},
		{"half a fen rounds up to the subsidy", funding.CostShare{Bill: funding.MustMoney("0.05"), SubsidyRate: decimal.RequireFromString("0.5"),
			SubsidyFrom: "pf", Basis: funding.CostEqual, Households: three},
			"0.03", []string{"0.01", "0.01", "0"}, "(rounded half up to the fen)"},
		{"a third", funding.CostShare{Bill: funding.MustMoney("100"), SubsidyRate: decimal.RequireFromString("0.333333"),
			SubsidyFrom: "pf", Basis: funding.CostEqual, Households: three},
			"33.33", []string{"22.23", "22.22", "22.22"}, "subsidy 33.3333% of the bill"},
		{"full subsidy", funding.CostShare{Bill: funding.MustMoney("12000"), SubsidyRate: decimal.NewFromInt(1),
			SubsidyFrom: "pf", Basis: funding.CostByArea, Households: unitDoorHouseholds()[:3]},
			"12000", []string{"0", "0", "0"}, "subsidy 100% of the bill"},
		{"subsidy equal to the bill", funding.CostShare{Bill: funding.MustMoney("10"), SubsidyAmount: funding.MustMoney("10"),
			SubsidyFrom: "pf", Basis: funding.CostEqual, Households: three},
			"10", []string{"0", "0", "0"}, "the residents' ¥0.00"},
		{"zero rate is no subsidy", funding.CostShare{Bill: funding.MustMoney("1"), SubsidyRate: decimal.Zero,
			Basis: funding.CostByArea, Households: []funding.Household{{ID: "x", Area: decimal.NewFromInt(1)}, {ID: "y", Area: decimal.NewFromInt(3)}}},
			"0", []string{"0.25", "0.75"}, "no subsidy; "},
		{"equal shares keep the areas", funding.CostShare{Bill: funding.MustMoney("1"), Basis: funding.CostEqual,
			Households: []funding.Household{{ID: "x", Area: decimal.NewFromInt(60)}, {ID: "y"}}},
			"0", []string{"0.5", "0.5"}, "equally among 2 households"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			out, err := funding.SplitCost(tc.in)
			require.NoError(t, err)
			requireCostSplitExact(t, tc.in, out)
			assert.True(t, decimal.RequireFromString(tc.subsidy).Equal(out.Subsidy), "subsidy %s", out.Subsidy)
			amounts := make([]decimal.Decimal, len(out.Shares))
			for i, s := range out.Shares {
				amounts[i] = s.Amount
			}
			requireDecimals(t, tc.shares, amounts)
			assert.Contains(t, out.ExplanationEN, tc.explains)
		})
	}
}

func TestSplitCostRefusesBadInput(t *testing.T) {
	areas := func(ss ...string) []funding.Household {
		hs := make([]funding.Household, len(ss))
		for i, s := range ss {
			hs[i] = funding.Household{ID: fmt.Sprint("h", i), Area: decimal.RequireFromString(s)}
		}
		return hs
	}
	for _, tc := range []struct {
		name   string
		in     funding.CostShare
		fields []string
		tags   []string
	}{
		{"everything wrong", funding.CostShare{
			SubsidyAmount: decimal.NewFromInt(-1), SubsidyRate: decimal.RequireFromString("1.5"), Basis: "per-head",
			Households: []funding.Household{{ID: " "}, {ID: "a", Area: decimal.NewFromInt(-1)}, {ID: "a"}},
		},
			[]string{"Bill", "SubsidyAmount", "SubsidyRate", "SubsidyRate", "SubsidyFrom", "Basis", "Households[0].ID", "Households[2].ID", "Households[1].Area"},
			[]string{"gt", "gte", "range", "excluded_with", "required_with", "oneof", "required", "unique", "gte"}},
		{"areas must be positive by area", funding.CostShare{Bill: decimal.NewFromInt(1), Basis: funding.CostByArea, Households: areas("0", "-2", "3")},
			[]string{"Households[0].Area", "Households[1].Area"}, []string{"gt", "gt"}},
		{"subsidy above the bill", funding.CostShare{Bill: decimal.NewFromInt(100), SubsidyAmount: decimal.NewFromInt(101), SubsidyFrom: "pf",
			Basis: funding.CostEqual, Households: areas("1")},
			[]string{"SubsidyAmount"}, []string{"lte"}},
		{"bill not whole fen and too large", funding.CostShare{Bill: decimal.RequireFromString("1000000000000000.001"), Basis: funding.CostEqual, Households: areas("1")},
			[]string{"Bill", "Bill"}, []string{"fen", "max"}},
		{"negative bill", funding.CostShare{Bill: decimal.NewFromInt(-5), Basis: funding.CostEqual, Households: areas("1")},
			[]string{"Bill"}, []string{"gte"}},
		{"sub-fen subsidy", funding.CostShare{Bill: decimal.NewFromInt(5), SubsidyAmount: decimal.RequireFromString("0.001"), SubsidyFrom: "pf",
			Basis: funding.CostEqual, Households: areas("1")},
			[]string{"SubsidyAmount"}, []string{"fen"}},
		{"no households", funding.CostShare{Bill: decimal.NewFromInt(1), Basis: funding.CostByArea},
			[]string{"Households"}, []string{"required"}},
		{"negative rate, no source", funding.CostShare{Bill: decimal.NewFromInt(1), SubsidyRate: decimal.RequireFromString("-0.1"), SubsidyFrom: "  ",
			Basis: funding.CostEqual, Households: areas("1")},
			[]string{"SubsidyRate", "SubsidyFrom"}, []string{"range", "required_with"}},
		{"rate too precise", funding.CostShare{Bill: decimal.NewFromInt(1), SubsidyRate: decimal.RequireFromString("0.12345678901"), SubsidyFrom: "pf",
			Basis: funding.CostEqual, Households: areas("1")},
			[]string{"SubsidyRate"}, []string{"places"}},
		{"rate with an extreme exponent", funding.CostShare{Bill: decimal.NewFromInt(1), SubsidyRate: decimal.New(1, -2_000_000_000), SubsidyFrom: "pf",
			Basis: funding.CostEqual, Households: areas("1")},
			[]string{"SubsidyRate"}, []string{"places"}},
		{"huge rate", funding.CostShare{Bill: decimal.NewFromInt(1), SubsidyRate: decimal.New(1, 2_000_000_000), SubsidyFrom: "pf",
			Basis: funding.CostEqual, Households: areas("1")},
			[]string{"SubsidyRate"}, []string{"range"}},
		{"areas spanning too far by area", funding.CostShare{Bill: decimal.NewFromInt(1), Basis: funding.CostByArea, Households: areas("1e-100", "1e100")},
			[]string{"Households[0].Area", "Households[1].Area"}, []string{"places", "max"}},
		{"areas with extreme exponents", funding.CostShare{Bill: decimal.NewFromInt(1), Basis: funding.CostEqual,
			Households: []funding.Household{{ID: "a", Area: decimal.New(1, 2_000_000_000)}, {ID: "b", Area: decimal.New(1, -2_000_000_000)}}},
			[]string{"Households[0].Area", "Households[1].Area"}, []string{"max", "places"}},
		{"areas too large or too precise", funding.CostShare{Bill: decimal.NewFromInt(1), Basis: funding.CostEqual, Households: areas("1000000", "1.0000001", "999999.999999")},
			[]string{"Households[0].Area", "Households[1].Area"}, []string{"max", "places"}},
		{"empty basis", funding.CostShare{Bill: decimal.NewFromInt(1), Households: areas("1")},
			[]string{"Basis"}, []string{"oneof"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			out, err := funding.SplitCost(tc.in)
			verr := requireMoneyInvalid(t, err, tc.fields...)
			for i, tag := range tc.tags {
				assert.Equal(t, tag, verr.Fields[i].Tag, "field %s: %s", verr.Fields[i].Field, verr.Fields[i].EN)
			}
			assert.Empty(t, out.Shares)
		})
	}
}

// TestSplitCostProperty: on random bills, subsidies and households the subsidy and the
// shares always sum exactly to the bill and each share is within a fen of its exact part.
func TestSplitCostProperty(t *testing.T) {
	r := rand.New(rand.NewPCG(12000, 30))
	for iter := range 300 {
		n := 1 + r.IntN(60)
		in := funding.CostShare{Bill: decimal.New(1+r.Int64N(100_000_000_000), -2), Basis: funding.CostEqual, SubsidyFrom: "pf"}
		if r.IntN(2) == 0 {
			in.Basis = funding.CostByArea
		}
		switch r.IntN(3) {
		case 0:
			in.SubsidyAmount = decimal.New(r.Int64N(in.Bill.Shift(2).IntPart()+1), -2)
		case 1:
			in.SubsidyRate = decimal.New(r.Int64N(1_000_001), -6)
		}
		for i := range n {
			in.Households = append(in.Households, funding.Household{ID: fmt.Sprint(i), Area: decimal.New(3000+r.Int64N(20000), -2)})
		}
		out, err := funding.SplitCost(in)
		require.NoError(t, err, "iteration %d", iter)
		requireCostSplitExact(t, in, out)
		if in.SubsidyRate.Sign() > 0 {
			exact := in.Bill.Mul(in.SubsidyRate)
			require.True(t, out.Subsidy.Sub(exact).Abs().LessThanOrEqual(decimal.New(5, -3)), "the subsidy is the rate's share to the nearest fen")
		}
	}
}

// TestSplitCostZerosWithExtremeExponents: a zero may carry any exponent; it is still zero
// and must not be expanded.
func TestSplitCostZerosWithExtremeExponents(t *testing.T) {
	in := funding.CostShare{Bill: funding.MustMoney("90"), SubsidyAmount: decimal.New(0, 2_000_000_000),
		SubsidyRate: decimal.New(0, -2_000_000_000), Basis: funding.CostEqual,
		Households: []funding.Household{{ID: "a", Area: decimal.New(0, 2_000_000_000)}, {ID: "b", Area: decimal.New(0, -2_000_000_000)}}}
	out, err := funding.SplitCost(in)
	require.NoError(t, err)
	requireCostSplitExact(t, in, out)
	assert.Equal(t, "0", out.Subsidy.String())
	assert.Equal(t, "0", out.TotalArea.String())
	assert.Contains(t, out.ExplanationEN, "no subsidy")

	parts, err := funding.SplitByWeights(decimal.New(0, 2_000_000_000), []decimal.Decimal{decimal.New(0, -2_000_000_000), decimal.New(3, 2_000_000_000)})
	require.NoError(t, err)
	requireDecimals(t, []string{"0", "0"}, parts)
}
