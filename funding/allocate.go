package funding

import (
	"fmt"
	"sort"

	"github.com/shopspring/decimal"

	"github.com/gridgov/gridgov"
)

// SplitEvenly divides total into n parts that differ by at most one fen and sum exactly to
// total; the earlier parts get the extra fen. total must be a valid amount (see
// [CheckAmount]) and n positive, otherwise it returns gridgov.ErrInvalid.
func SplitEvenly(total decimal.Decimal, n int) ([]decimal.Decimal, error) {
	if n <= 0 {
		return nil, gridgov.Invalid("n", "gt", "the number of parts must be positive", "份数必须为正数")
	}
	weights := make([]decimal.Decimal, n)
	for i := range weights {
		weights[i] = decimal.NewFromInt(1)
	}
	return SplitByWeights(total, weights)
}

// SplitByArea divides total among households in proportion to their floor areas (按面积分摊);
// it is [SplitByWeights] with the areas as weights, and every area must be positive.
func SplitByArea(total decimal.Decimal, areas []decimal.Decimal) ([]decimal.Decimal, error) {
	var verr gridgov.ValidationError
	for i, a := range areas {
		if !a.IsPositive() {
			verr.Add(fmt.Sprintf("areas[%d]", i), "gt",
				fmt.Sprintf("area %d must be positive, not %s", i, a),
				fmt.Sprintf("第%d个面积必须为正数，而不是%s", i, a))
		}
	}
	if err := verr.Err(); err != nil {
		return nil, err
	}
	return SplitByWeights(total, areas)
}

// SplitByWeights divides total in proportion to weights with the largest remainder method:
// each part is its exact share total×w/Σw rounded down to the fen; the fen left over go,
// one each, to the parts with the largest remainders, ties to the lower index. The parts
// sum exactly to total and each is less than one fen from its exact share. Weights must be
// non-negative with a positive sum; total must be a valid amount (see [CheckAmount]).
// Otherwise it returns gridgov.ErrInvalid naming the inputs.
func SplitByWeights(total decimal.Decimal, weights []decimal.Decimal) ([]decimal.Decimal, error) {
	var verr gridgov.ValidationError
	if err := CheckAmount("total", total); err != nil {
		verr.Merge(err)
	}
	sum := decimal.Zero
	for i, w := range weights {
		if w.IsNegative() {
			verr.Add(fmt.Sprintf("weights[%d]", i), "gte",
				fmt.Sprintf("weight %d must not be negative, not %s", i, w),
				fmt.Sprintf("第%d个权重不能为负数（%s）", i, w))
		}
		sum = sum.Add(w)
	}
	if len(weights) == 0 || (verr.Err() == nil && !sum.IsPositive()) {
		verr.Add("weights", "gt", "the weights must have a positive sum", "权重之和必须为正数")
	}
	if err := verr.Err(); err != nil {
		return nil, err
	}
	// Work in whole fen: cents = total × 100, an integer.
	cents := total.Shift(2)
	parts := make([]decimal.Decimal, len(weights))
	type rem struct {
		i int
		r decimal.Decimal // remainder of cents × w mod Σw, compared across parts
	}
	rems := make([]rem, 0, len(weights))
	given := decimal.Zero
	for i, w := range weights {
		q, r := cents.Mul(w).QuoRem(sum, 0) // exact integer quotient and remainder
		parts[i] = q
		given = given.Add(q)
		if !r.IsZero() {
			rems = append(rems, rem{i, r})
		}
	}
	left := cents.Sub(given).IntPart() // fewer than len(weights)
	sort.SliceStable(rems, func(a, b int) bool { return rems[a].r.GreaterThan(rems[b].r) })
	for k := int64(0); k < left; k++ {
		parts[rems[k].i] = parts[rems[k].i].Add(decimal.NewFromInt(1))
	}
	for i := range parts {
		parts[i] = parts[i].Shift(-2)
	}
	return parts, nil
}

// CheckAmount returns nil when d is a valid amount of money for field: at most two decimal
// places and not negative; otherwise a *gridgov.ValidationError naming field.
func CheckAmount(field string, d decimal.Decimal) error {
	var verr gridgov.ValidationError
	if d.IsNegative() {
		verr.Add(field, "gte", fmt.Sprintf("%s must not be negative, not %s", field, d),
			fmt.Sprintf("%s不能为负数（%s）", field, d))
	}
	if !d.Equal(d.Truncate(2)) {
		verr.Add(field, "fen", fmt.Sprintf("%s must be whole fen (at most 2 decimal places), not %s", field, d),
			fmt.Sprintf("%s必须精确到分（最多两位小数），而不是%s", field, d))
	}
	return verr.Err()
}
