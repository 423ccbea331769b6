package deliberation

import (
	"fmt"
	"math/big"
	"strconv"
	"strings"

	"github.com/shopspring/decimal"

	"github.com/gridgov/gridgov"
	"github.com/gridgov/gridgov/funding"
)

// MaxHouseholds is the most households a vote roll may hold.
const MaxHouseholds = 100_000

// MaxCoOwners is the most co-owners a household may list.
const MaxCoOwners = 10

// maxTotalDigits bounds the integer digits of a roll's total area: MaxHouseholds parts of
// less than 10^funding.MaxAreaDigits m² each.
const maxTotalDigits = funding.MaxAreaDigits + 5

// Validate checks the roll on its own: at least one and at most [MaxHouseholds] households,
// each with a unique valid ID, a valid OwnerID, distinct valid co-owners other than the
// owner (at most [MaxCoOwners]) and a positive area of less than 10^funding.MaxAreaDigits m²
// with at most funding.MaxAreaPlaces decimal places; TotalArea equal to the sum of the
// areas and TotalOwners to the number of distinct owners. It returns a
// *gridgov.ValidationError naming every failing field.
func (r Roll) Validate() error {
	var verr gridgov.ValidationError
	r.validate(&verr, "")
	return verr.Err()
}

// validate records every problem of r on verr, its fields prefixed with prefix; it reports
// whether the roll is valid.
func (r Roll) validate(verr *gridgov.ValidationError, prefix string) bool {
	before := len(verr.Fields)
	n := len(r.Households)
	switch {
	case n == 0:
		verr.Add(prefix+"Households", "required", "the roll needs at least one household", "业主名册至少需要一户")
	case n > MaxHouseholds:
		verr.Add(prefix+"Households", "max",
			fmt.Sprintf("the roll may hold at most %d households, not %d", MaxHouseholds, n),
			fmt.Sprintf("业主名册最多%d户，而不是%d户", MaxHouseholds, n))
		return false
	}
	seen := make(map[string]int, n)
	owners := make(map[string]struct{}, n)
	sum := decimal.Zero
	areasOK, ownersOK := true, true
	for i, h := range r.Households {
		f := ""
		if !gridgov.ValidID(h.ID) || !gridgov.ValidID(h.OwnerID) || len(h.CoOwners) > 0 ||
			!(h.Area.Sign() > 0 && boundedDecimal(h.Area, funding.MaxAreaDigits, funding.MaxAreaPlaces)) {
			f = fmt.Sprintf("%sHouseholds[%d]", prefix, i)
		} else if _, dup := seen[h.ID]; dup {
			f = fmt.Sprintf("%sHouseholds[%d]", prefix, i)
		}
		switch {
		case !gridgov.ValidID(h.ID):
			badID(verr, f+".ID", h.ID)
		default:
			if j, dup := seen[h.ID]; dup {
				verr.Add(f+".ID", "unique", fmt.Sprintf("%s.ID %q repeats Households[%d]", f, h.ID, j),
					fmt.Sprintf("%s.ID“%s”与Households[%d]重复", f, h.ID, j))
			} else {
				seen[h.ID] = i
			}
		}
		if !gridgov.ValidID(h.OwnerID) {
			badID(verr, f+".OwnerID", h.OwnerID)
			ownersOK = false
		} else {
			owners[h.OwnerID] = struct{}{}
		}
		if len(h.CoOwners) > MaxCoOwners {
			verr.Add(f+".CoOwners", "max", fmt.Sprintf("%s.CoOwners may list at most %d people", f, MaxCoOwners),
				fmt.Sprintf("%s.CoOwners最多%d人", f, MaxCoOwners))
		} else {
			for j, c := range h.CoOwners {
				cf := fmt.Sprintf("%s.CoOwners[%d]", f, j)
				switch {
				case !gridgov.ValidID(c):
					badID(verr, cf, c)
				case c == h.OwnerID || containsBefore(h.CoOwners, j, c):
					verr.Add(cf, "unique", fmt.Sprintf("%s %q repeats the owner or another co-owner", cf, c),
						fmt.Sprintf("%s“%s”与业主或其他共有人重复", cf, c))
				}
			}
		}
		if checkArea(verr, f+".Area", h.Area) {
			sum = sum.Add(h.Area)
		} else {
			areasOK = false
		}
	}
	if !boundedDecimal(r.TotalArea, maxTotalDigits, funding.MaxAreaPlaces) || r.TotalArea.Sign() <= 0 {
		verr.Add(prefix+"TotalArea", "range",
			fmt.Sprintf("TotalArea must be positive, below 10^%d m², with at most %d decimal places, not %s", maxTotalDigits, funding.MaxAreaPlaces, safeString(r.TotalArea)),
			fmt.Sprintf("总面积（TotalArea）必须为正数，小于10^%d平方米，最多%d位小数，而不是%s", maxTotalDigits, funding.MaxAreaPlaces, safeString(r.TotalArea)))
	} else if areasOK && n > 0 && !sum.Equal(r.TotalArea) {
		verr.Add(prefix+"TotalArea", "sum",
			fmt.Sprintf("TotalArea %s m² does not match the households' total %s m²", r.TotalArea, sum),
			fmt.Sprintf("总面积（TotalArea）%s平方米与各户面积之和%s平方米不符", r.TotalArea, sum))
	}
	if r.TotalOwners <= 0 || ownersOK && n > 0 && r.TotalOwners != len(owners) {
		verr.Add(prefix+"TotalOwners", "sum",
			fmt.Sprintf("TotalOwners %d does not match the %d distinct owners on the roll", r.TotalOwners, len(owners)),
			fmt.Sprintf("业主总人数（TotalOwners）%d与名册中的%d位业主不符", r.TotalOwners, len(owners)))
	}
	return len(verr.Fields) == before
}

// checkLabels compares the roll's totals with the node's labels [LabelArea], [LabelOwners]
// and [LabelHouseholds], where the node has them.
func (r Roll) checkLabels(verr *gridgov.ValidationError, prefix string, labels map[string]string) {
	if v, ok := labels[LabelArea]; ok {
		d, err := decimal.NewFromString(strings.TrimSpace(v))
		if err != nil || !boundedDecimal(d, maxTotalDigits, funding.MaxAreaPlaces) || !d.Equal(r.TotalArea) {
			verr.Add(prefix+"TotalArea", "node",
				fmt.Sprintf("TotalArea %s m² does not match the node's stated area %q", r.TotalArea, v),
				fmt.Sprintf("总面积（TotalArea）%s平方米与节点登记的面积“%s”不符", r.TotalArea, v))
		}
	}
	if v, ok := labels[LabelOwners]; ok {
		if n, err := strconv.Atoi(strings.TrimSpace(v)); err != nil || n != r.TotalOwners {
			verr.Add(prefix+"TotalOwners", "node",
				fmt.Sprintf("TotalOwners %d does not match the node's stated owners %q", r.TotalOwners, v),
				fmt.Sprintf("业主总人数（TotalOwners）%d与节点登记的业主人数“%s”不符", r.TotalOwners, v))
		}
	}
	if v, ok := labels[LabelHouseholds]; ok {
		if n, err := strconv.Atoi(strings.TrimSpace(v)); err != nil || n != len(r.Households) {
			verr.Add(prefix+"Households", "node",
				fmt.Sprintf("the roll's %d households do not match the node's stated households %q", len(r.Households), v),
				fmt.Sprintf("名册户数%d与节点登记的户数“%s”不符", len(r.Households), v))
		}
	}
}

func containsBefore(s []string, j int, v string) bool {
	for _, x := range s[:j] {
		if x == v {
			return true
		}
	}
	return false
}

func badID(verr *gridgov.ValidationError, field, id string) {
	verr.Add(field, "gridid", fmt.Sprintf("%s must be 1 to 64 letters, digits or - _ . :, not %q", field, id),
		fmt.Sprintf("%s必须是1到64个字母、数字或 - _ . : 字符，而不是“%s”", field, id))
}

// checkArea records on verr what is wrong with a household's area and reports whether it is
// valid.
func checkArea(verr *gridgov.ValidationError, field string, a decimal.Decimal) bool {
	if a.Sign() > 0 && boundedDecimal(a, funding.MaxAreaDigits, funding.MaxAreaPlaces) {
		return true
	}
	verr.Add(field, "range",
		fmt.Sprintf("%s must be positive, below 10^%d m², with at most %d decimal places, not %s", field, funding.MaxAreaDigits, funding.MaxAreaPlaces, safeString(a)),
		fmt.Sprintf("%s（面积）必须为正数，小于10^%d平方米，最多%d位小数，而不是%s", field, funding.MaxAreaDigits, funding.MaxAreaPlaces, safeString(a)))
	return false
}

// boundedDecimal reports whether d has at most digits integer digits and at most places
// decimal places (trailing zeros ignored). It never expands an extreme exponent.
func boundedDecimal(d decimal.Decimal, digits, places int32) bool {
	if d.IsZero() {
		return true
	}
	exp := d.Exponent()
	nd := int64(d.NumDigits())
	if nd+int64(exp) > int64(digits) {
		return false
	}
	if exp >= -places {
		return true
	}
	// Too many places unless the coefficient ends in enough zeros.
	k := int64(-places) - int64(exp)
	if k > nd {
		return false
	}
	q := new(big.Int).Exp(big.NewInt(10), big.NewInt(k), nil)
	return new(big.Int).Rem(d.Coefficient(), q).Sign() == 0
}

// safeString renders d for a message without expanding an extreme exponent.
func safeString(d decimal.Decimal) string {
	if e := d.Exponent(); e < -40 || e > 40 {
		return d.Coefficient().String() + "e" + strconv.Itoa(int(e))
	}
	return d.String()
}
