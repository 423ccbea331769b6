package funding

import (
	"fmt"
	"math/big"
	"math/bits"
	"slices"

	"github.com/shopspring/decimal"

	"github.com/gridgov/gridgov"
)

// fen is one fen, the smallest amount of money (0.01 yuan).
var fen = decimal.New(1, -2)

// MaxSplitParts is the largest number of parts [SplitEvenly] makes.
const MaxSplitParts = 10_000_000

// MaxWeightSpan is the most decimal digits the weights of one split may span together: the
// place of the largest weight's leading digit minus the place of the smallest weight's last
// digit (weights 1,000,000 and 0.000001 span 13 digits). Wider spans are refused with
// gridgov.ErrInvalid, so that extreme exponents cannot make a split arbitrarily slow.
const MaxWeightSpan = 128

// SplitEvenly divides total into n parts that differ by at most one fen and sum exactly to
// total; the earlier parts get the extra fen (the tie-break of [SplitByWeights] with equal
// weights). total must be a valid amount (see [CheckAmount]) and n between 1 and
// [MaxSplitParts], otherwise it returns gridgov.ErrInvalid naming "total" and "n".
//
// The parts share their storage: there are at most two distinct values. Decimals are
// immutable, so this is invisible to callers.
func SplitEvenly(total decimal.Decimal, n int) ([]decimal.Decimal, error) {
	var verr gridgov.ValidationError
	verr.Merge(CheckAmount("total", total))
	if n <= 0 {
		verr.Add("n", "gt", fmt.Sprintf("the number of parts must be positive, not %d", n),
			fmt.Sprintf("份数必须为正数，而不是%d", n))
	} else if n > MaxSplitParts {
		verr.Add("n", "max", fmt.Sprintf("the number of parts must be at most %d, not %d", MaxSplitParts, n),
			fmt.Sprintf("份数最多为%d，而不是%d", MaxSplitParts, n))
	}
	if err := verr.Err(); err != nil {
		return nil, err
	}
	cents := fenOf(total)
	q, r := cents/uint64(n), cents%uint64(n)
	more, less := decimal.New(int64(q+1), -2), decimal.New(int64(q), -2)
	parts := make([]decimal.Decimal, n)
	for i := range parts {
		if uint64(i) < r {
			parts[i] = more
		} else {
			parts[i] = less
		}
	}
	return parts, nil
}

// SplitByArea divides total among households in proportion to their floor areas (按面积分摊);
// it is [SplitByWeights] with the areas as weights, and every area must be positive (an
// error names "areas[i]").
func SplitByArea(total decimal.Decimal, areas []decimal.Decimal) ([]decimal.Decimal, error) {
	var verr gridgov.ValidationError
	verr.Merge(CheckAmount("total", total))
	w, err := scaleWeights(areas, func(i int) string { return fmt.Sprintf("areas[%d]", i) }, "areas", true)
	verr.Merge(err)
	if err := verr.Err(); err != nil {
		return nil, err
	}
	return w.split(fenOf(total)), nil
}

// SplitByWeights divides total in proportion to weights with the largest remainder method
// (最大余额法): each part is its exact share total×w/Σw rounded down to the fen; the fen left
// over go, one each, to the parts with the largest remainders, ties to the lower index. The
// parts sum exactly to total and each is less than one fen from its exact share; a part with
// weight zero is zero. The result is the same on every run and platform.
//
// Weights must be non-negative with a positive sum and span at most [MaxWeightSpan] digits;
// total must be a valid amount (see [CheckAmount]). Otherwise it returns gridgov.ErrInvalid
// naming "total", "weights[i]" or "weights".
//
// The arithmetic is exact integer arithmetic on the weights brought to a common scale, in
// machine words when the scaled weights and their sum fit in 64 bits (the common case) and
// in big integers otherwise. Equal neighbouring parts share their storage, which is
// invisible to callers because decimals are immutable.
func SplitByWeights(total decimal.Decimal, weights []decimal.Decimal) ([]decimal.Decimal, error) {
	var verr gridgov.ValidationError
	verr.Merge(CheckAmount("total", total))
	w, err := scaleWeights(weights, func(i int) string { return fmt.Sprintf("weights[%d]", i) }, "weights", false)
	verr.Merge(err)
	if err := verr.Err(); err != nil {
		return nil, err
	}
	return w.split(fenOf(total)), nil
}

// fenOf returns a valid amount (see CheckAmount) in fen.
func fenOf(d decimal.Decimal) uint64 {
	if d.Sign() == 0 {
		return 0
	}
	if u, ok := coefUint64(d); ok {
		if e := int64(d.Exponent()) + 2; e >= 0 {
			return u * pow10u64(e) // below 10^17: d is less than 10^15 yuan
		} else if e >= -19 {
			return u / pow10u64(-e)
		}
	}
	return uint64(d.Shift(2).IntPart())
}

// pow10Table holds 10^0 to 10^19, every power of ten below 2^64 (a constant table, never
// written).
var pow10Table = [20]uint64{1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16,
	1e17, 1e18, 1e19}

// scaledWeights holds weights as integers on a common scale (each weight × 10^-minExp).
type scaledWeights struct {
	small    []uint64 // when every scaled weight and their sum fit in 64 bits
	smallSum uint64
	// Otherwise the scaled weights are recomputed from the decimals when needed (storing a
	// million big integers costs more than recomputing them).
	weights []decimal.Decimal
	minExp  int64
	pow10   []big.Int // pow10[k] = 10^k for every k a weight needs
	bigSum  big.Int
}

// scaled sets dst to the i-th weight on the common scale (big-integer path) and returns it.
func (sw *scaledWeights) scaled(i int, dst *big.Int) *big.Int {
	w := sw.weights[i]
	if w.Sign() == 0 {
		return dst.SetInt64(0)
	}
	if u, ok := coefUint64(w); ok {
		dst.SetUint64(u)
	} else {
		dst.Set(w.Coefficient())
	}
	return dst.Mul(dst, &sw.pow10[int64(w.Exponent())-sw.minExp])
}

// scaleWeights checks weights and brings them to a common integer scale. fieldOf names the
// i-th weight and listField the list in errors; positive requires every weight to be
// positive rather than non-negative.
func scaleWeights(weights []decimal.Decimal, fieldOf func(int) string, listField string, positive bool) (*scaledWeights, error) {
	var verr gridgov.ValidationError
	if len(weights) == 0 {
		return nil, verr.Add(listField, "required", fmt.Sprintf("%s must not be empty", listField),
			fmt.Sprintf("%s不能为空", listField))
	}
	const none = int64(1) << 62
	minExp, maxTop := none, -none
	small := true
	// While the coefficients fit in 64 bits, keep them and their exponents for the
	// machine-word path, so that each weight is decoded once.
	coefs, exps := make([]uint64, len(weights)), make([]int32, len(weights))
	for i, w := range weights {
		switch s := w.Sign(); {
		case s < 0 || s == 0 && positive:
			rule, en, zh := "gte", "must not be negative", "不能为负数"
			if positive {
				rule, en, zh = "gt", "must be positive", "必须为正数"
			}
			verr.Add(fieldOf(i), rule, fmt.Sprintf("%s %s, not %s", fieldOf(i), en, safeDecimalString(w)),
				fmt.Sprintf("%s%s（%s）", fieldOf(i), zh, safeDecimalString(w)))
		case s > 0:
			exp := int64(w.Exponent())
			u, ok := coefUint64(w)
			var top int64
			if ok {
				top = exp + int64(digits64(u))
				coefs[i], exps[i] = u, int32(exp)
			} else {
				small = false
				top = exp + coefDigits(w)
			}
			minExp, maxTop = min(minExp, exp), max(maxTop, top)
		}
	}
	if err := verr.Err(); err != nil {
		return nil, err
	}
	if minExp == none {
		return nil, verr.Add(listField, "gt", fmt.Sprintf("%s must have a positive sum", listField),
			fmt.Sprintf("%s之和必须为正数", listField))
	}
	span := maxTop - minExp
	if span > MaxWeightSpan {
		return nil, verr.Add(listField, "span",
			fmt.Sprintf("%s span %d digits from the largest to the smallest; at most %d are allowed", listField, span, MaxWeightSpan),
			fmt.Sprintf("%s从最大到最小跨越%d位数字，最多允许%d位", listField, span, MaxWeightSpan))
	}
	if small && span <= 19 { // every scaled weight is below 10^19 < 2^64
		sw := &scaledWeights{small: coefs}
		var carry uint64
		for i, u := range coefs {
			if u != 0 {
				coefs[i] = u * pow10u64(int64(exps[i])-minExp)
				sw.smallSum, carry = bits.Add64(sw.smallSum, coefs[i], carry)
			}
		}
		if carry == 0 {
			return sw, nil
		}
		// The sum overflows 64 bits: use big integers.
	}
	sw := &scaledWeights{weights: weights, minExp: minExp, pow10: make([]big.Int, span+1)}
	sw.pow10[0].SetInt64(1)
	for k := 1; k < len(sw.pow10); k++ {
		sw.pow10[k].Mul(&sw.pow10[k-1], big.NewInt(10))
	}
	var w big.Int
	for i := range weights {
		sw.bigSum.Add(&sw.bigSum, sw.scaled(i, &w))
	}
	return sw, nil
}

// split divides cents fen by the weights with the largest remainder method.
func (sw *scaledWeights) split(cents uint64) []decimal.Decimal {
	var fens []uint64
	if sw.small != nil {
		fens = splitSmall(cents, sw.small, sw.smallSum)
	} else {
		fens = sw.splitBig(cents)
	}
	parts := make([]decimal.Decimal, len(fens))
	for i, f := range fens {
		if i > 0 && f == fens[i-1] {
			parts[i] = parts[i-1] // decimals are immutable: equal neighbours share storage
			continue
		}
		parts[i] = decimal.New(int64(f), -2)
	}
	return parts
}

// splitSmall is the largest remainder method in machine words: cents × w fits in 128 bits
// and the quotient by sum (at most cents) in 64.
func splitSmall(cents uint64, weights []uint64, sum uint64) []uint64 {
	fens := make([]uint64, len(weights))
	rems := make([]uint64, len(weights))
	var given uint64
	for i, w := range weights {
		hi, lo := bits.Mul64(cents, w)
		fens[i], rems[i] = bits.Div64(hi, lo, sum) // hi < sum because w ≤ sum
		given += fens[i]
	}
	left := cents - given // fewer than the number of non-zero remainders
	if left == 0 {
		return fens
	}
	// The fen go to the left largest remainders, ties to the lower index: every remainder
	// above the left-th largest gets one, then the first of those equal to it.
	threshold := kthLargest(slices.Clone(rems), int(left))
	equal := left
	for _, r := range rems {
		if r > threshold {
			equal--
		}
	}
	for i, r := range rems {
		if r > threshold {
			fens[i]++
		} else if r == threshold && equal > 0 {
			fens[i]++
			equal--
		}
	}
	return fens
}

// kthLargest returns the k-th largest element of a (1 ≤ k ≤ len(a)), reordering a. It is a
// quickselect with three-way partitioning (so that many equal values cost one pass) that
// falls back to sorting after too many rounds, so it is never worse than O(n log n).
func kthLargest(a []uint64, k int) uint64 {
	lo, hi, target := 0, len(a), k-1 // a[lo:hi] holds the element at index target in descending order
	for rounds := 2*bits.Len(uint(len(a))) + 8; hi-lo > 32 && rounds > 0; rounds-- {
		x, y, z := a[lo], a[lo+(hi-lo)/2], a[hi-1]
		p := max(min(x, y), min(max(x, y), z)) // median of three
		// Partition a[lo:hi] into > p, == p, < p.
		lt, i, gt := lo, lo, hi
		for i < gt {
			switch v := a[i]; {
			case v > p:
				a[lt], a[i] = v, a[lt]
				lt++
				i++
			case v < p:
				gt--
				a[i], a[gt] = a[gt], v
			default:
				i++
			}
		}
		switch {
		case target < lt:
			hi = lt
		case target >= gt:
			lo = gt
		default:
			return p
		}
	}
	sub := a[lo:hi]
	slices.Sort(sub)
	return sub[len(sub)-1-(target-lo)]
}

// splitBig is the largest remainder method in big integers. The remainders are ranked by a
// 64-bit key, their leading bits (r >> shift, which never ranks a smaller remainder above a
// larger one); exact remainders are compared only among the keys tied at the threshold.
func (sw *scaledWeights) splitBig(cents uint64) []uint64 {
	n := len(sw.weights)
	fens := make([]uint64, n)
	keys := make([]uint64, n)
	shift := uint(max(sw.bigSum.BitLen()-64, 0)) // remainders are below the sum
	var c, w, prod, q, r big.Int
	c.SetUint64(cents)
	var given uint64
	for i := range n {
		prod.Mul(&c, sw.scaled(i, &w))
		q.QuoRem(&prod, &sw.bigSum, &r)
		fens[i] = q.Uint64() // at most cents
		given += fens[i]
		keys[i] = r.Rsh(&r, shift).Uint64()
	}
	left := cents - given
	if left == 0 {
		return fens
	}
	threshold := kthLargest(slices.Clone(keys), int(left))
	var tied []int // ascending indices
	for i, k := range keys {
		if k > threshold {
			fens[i]++
			left--
		} else if k == threshold {
			tied = append(tied, i)
		}
	}
	// left > 0: fewer than left keys exceed the threshold.
	rems := make([]big.Int, len(tied))
	for j, i := range tied {
		prod.Mul(&c, sw.scaled(i, &w))
		q.QuoRem(&prod, &sw.bigSum, &rems[j])
	}
	order := make([]int, len(tied))
	for j := range order {
		order[j] = j
	}
	slices.SortStableFunc(order, func(a, b int) int { return rems[b].Cmp(&rems[a]) }) // ties keep index order
	for _, j := range order[:left] {
		fens[tied[j]]++
	}
	return fens
}
