package funding_test

import (
	"math/rand/v2"
	"sort"
	"testing"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gridgov/gridgov/funding"
)

// decs reads decimal literals.
func decs(ss ...string) []decimal.Decimal {
	out := make([]decimal.Decimal, len(ss))
	for i, s := range ss {
		out[i] = decimal.RequireFromString(s)
	}
	return out
}

// requireDecimals checks got against want literals with Equal.
func requireDecimals(t *testing.T, want []string, got []decimal.Decimal, msgAndArgs ...any) {
	t.Helper()
	require.Len(t, got, len(want), msgAndArgs...)
	for i := range want {
		require.True(t, decimal.RequireFromString(want[i]).Equal(got[i]), "part %d = %s, want %s; all %v %v", i, got[i], want[i], got, msgAndArgs)
	}
}

// refSplitByWeights is the largest remainder method written plainly in decimals: the
// reference the fast implementation must match part for part.
func refSplitByWeights(total decimal.Decimal, weights []decimal.Decimal) []decimal.Decimal {
	sum := decimal.Zero
	for _, w := range weights {
		sum = sum.Add(w)
	}
	cents := total.Shift(2)
	parts := make([]decimal.Decimal, len(weights))
	type rem struct {
		i int
		r decimal.Decimal
	}
	var rems []rem
	given := decimal.Zero
	for i, w := range weights {
		q, r := cents.Mul(w).QuoRem(sum, 0)
		parts[i] = q
		given = given.Add(q)
		rems = append(rems, rem{i, r})
	}
	sort.SliceStable(rems, func(a, b int) bool { return rems[a].r.GreaterThan(rems[b].r) })
	for k := int64(0); k < cents.Sub(given).IntPart(); k++ {
		parts[rems[k].i] = parts[rems[k].i].Add(decimal.NewFromInt(1))
	}
	for i := range parts {
		parts[i] = parts[i].Shift(-2)
	}
	return parts
}

// requireExactSplit checks the invariants of a split of total by weights: one part per
// weight, each whole fen and non-negative, summing exactly to total, and each less than a
// fen from its exact share — checked without rounding as |part×Σw − total×w| < 0.01×Σw.
func requireExactSplit(t *testing.T, total decimal.Decimal, weights, parts []decimal.Decimal) {
	t.Helper()
	require.Len(t, parts, len(weights))
	sumW := decimal.Zero
	for _, w := range weights {
		sumW = sumW.Add(w)
	}
	bound := sumW.Shift(-2)
	sum := decimal.Zero
	for i, p := range parts {
		require.NoError(t, funding.CheckAmount("part", p), "part %d", i)
		sum = sum.Add(p)
		diff := p.Mul(sumW).Sub(total.Mul(weights[i])).Abs()
		require.True(t, diff.LessThan(bound), "part %d = %s is a fen or more from its exact share %s×%s/%s",
			i, p, total, weights[i], sumW)
		if weights[i].IsZero() {
			require.True(t, p.IsZero(), "part %d has weight zero but gets %s", i, p)
		}
	}
	require.True(t, sum.Equal(total), "parts sum to %s, not %s", sum, total)
}

func TestSplitEvenly(t *testing.T) {
	for _, tc := range []struct {
		total string
		n     int
		want  []string
	}{
		{"100", 3, []string{"33.34", "33.33", "33.33"}},
		{"100.00", 4, []string{"25", "25", "25", "25"}},
		{"0.02", 3, []string{"0.01", "0.01", "0"}},
		{"0.05", 2, []string{"0.03", "0.02"}},
		{"0", 2, []string{"0", "0"}},
		{"1", 1, []string{"1"}},
		{"10", 4, []string{"2.5", "2.5", "2.5", "2.5"}},
		{"4000000", 7, []string{"571428.58", "571428.57", "571428.57", "571428.57", "571428.57", "571428.57", "571428.57"}},
		{"999999999999999.99", 2, []string{"500000000000000", "499999999999999.99"}},
		{"12.3000", 2, []string{"6.15", "6.15"}},
		{"12.30000000000000000000000000", 3, []string{"4.1", "4.1", "4.1"}},
		{"1e3", 3, []string{"333.34", "333.33", "333.33"}},
	} {
		got, err := funding.SplitEvenly(decimal.RequireFromString(tc.total), tc.n)
		require.NoError(t, err)
		requireDecimals(t, tc.want, got, "SplitEvenly(%s, %d)", tc.total, tc.n)
		for _, p := range got {
			assert.Equal(t, int32(-2), p.Exponent())
		}
	}
}

func TestSplitByWeights(t *testing.T) {
	for _, tc := range []struct {
		name    string
		total   string
		weights []string
		want    []string
	}{
		{"thirds", "100", []string{"1", "1", "1"}, []string{"33.34", "33.33", "33.33"}},
		{"zero weights get nothing", "100", []string{"0", "1", "1", "0"}, []string{"0", "50", "50", "0"}},
		{"largest remainder wins", "100", []string{"1", "2"}, []string{"33.33", "66.67"}},
		{"one fen, tie to the first", "0.01", []string{"1", "1", "1"}, []string{"0.01", "0", "0"}},
		{"zero weight skipped in a tie", "0.02", []string{"1", "0", "1", "1"}, []string{"0.01", "0", "0.01", "0"}},
		// 4 fen by 1:2:2 — exact 0.8, 1.6, 1.6 fen: 0 r 4/5, 1 r 3/5, 1 r 3/5; two fen left go to
		// the largest remainder (part 0) and then the tie between parts 1 and 2 goes to part 1.
		{"tie to the lower index", "0.04", []string{"1", "2", "2"}, []string{"0.01", "0.02", "0.01"}},
		{"fractional weights", "10", []string{"0.5", "0.25", "0.25"}, []string{"5", "2.5", "2.5"}},
		{"exact", "1", []string{"3", "3", "3", "1"}, []string{"0.3", "0.3", "0.3", "0.1"}},
		{"dimes", "0.10", []string{"1", "1", "1"}, []string{"0.04", "0.03", "0.03"}},
		{"zero total", "0", []string{"1", "2"}, []string{"0", "0"}},
		{"single", "12.34", []string{"0.001"}, []string{"12.34"}},
		{"positive exponents", "1", []string{"1e5", "3e5"}, []string{"0.25", "0.75"}},
		{"tiny beside huge (big integers)", "1", []string{"1e-40", "0", "1"}, []string{"0", "0", "1"}},
		{"tiny beside huge, equal", "0.03", []string{"1e-40", "1e-40", "1e-40", "1e40"}, []string{"0", "0", "0", "0.03"}},
		{"sum beyond 64 bits", "0.03", []string{"9999999999999999999", "9999999999999999999", "9999999999999999999"},
			[]string{"0.01", "0.01", "0.01"}},
		{"coefficients beyond 64 bits", "100", []string{"123456789012345678901234567890", "1"}, []string{"100", "0"}},
		{"district special fund", "4000000", []string{"150000", "120000", "100000"}, []string{"1621621.62", "1297297.30", "1081081.08"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			total, weights := decimal.RequireFromString(tc.total), decs(tc.weights...)
			got, err := funding.SplitByWeights(total, weights)
			require.NoError(t, err)
			requireDecimals(t, tc.want, got)
			requireExactSplit(t, total, weights, got)
			requireDecimals(t, tc.want, refSplitByWeights(total, weights), "the reference agrees")
		})
	}
}

func TestSplitByArea(t *testing.T) {
	areas := decs("89.50", "105.20", "126.80")
	got, err := funding.SplitByArea(decimal.NewFromInt(1000), areas)
	require.NoError(t, err)
	// Exact shares 278.3826…, 327.2162…, 394.4012…: rounded down they sum to 999.99, and the
	// fen left over goes to the largest remainder (0.62 fen, part 1).
	requireDecimals(t, []string{"278.38", "327.22", "394.40"}, got)
	requireExactSplit(t, decimal.NewFromInt(1000), areas, got)
}

func TestSplitRefusesBadInput(t *testing.T) {
	one := decimal.NewFromInt(1)
	_, err := funding.SplitEvenly(decimal.NewFromInt(-1), 0)
	requireMoneyInvalid(t, err, "total", "n")
	_, err = funding.SplitEvenly(one, -3)
	requireMoneyInvalid(t, err, "n")
	_, err = funding.SplitEvenly(decimal.RequireFromString("0.001"), 3)
	requireMoneyInvalid(t, err, "total")
	_, err = funding.SplitEvenly(one, funding.MaxSplitParts+1)
	requireMoneyInvalid(t, err, "n")
	_, err = funding.SplitEvenly(decimal.New(1, 15), 3)
	requireMoneyInvalid(t, err, "total")

	_, err = funding.SplitByWeights(one, nil)
	requireMoneyInvalid(t, err, "weights")
	_, err = funding.SplitByWeights(one, decs("0", "0"))
	requireMoneyInvalid(t, err, "weights")
	_, err = funding.SplitByWeights(decimal.NewFromInt(-1), decs("-1", "1", "-2"))
	requireMoneyInvalid(t, err, "total", "weights[0]", "weights[2]")
	_, err = funding.SplitByWeights(decimal.RequireFromString("0.015"), decs("0"))
	requireMoneyInvalid(t, err, "total", "weights")
	_, err = funding.SplitByWeights(one, decs("1e-100", "1e100"))
	requireMoneyInvalid(t, err, "weights")

	// Extreme exponents are refused at once rather than expanded (expanding 10^2000000000
	// would not finish).
	_, err = funding.SplitByWeights(decimal.New(1, 2_000_000_000), []decimal.Decimal{decimal.New(1, 2_000_000_000), decimal.New(1, -2_000_000_000)})
	requireMoneyInvalid(t, err, "total", "weights")

	_, err = funding.SplitByArea(one, decs("1", "0", "-1"))
	requireMoneyInvalid(t, err, "areas[1]", "areas[2]")
	_, err = funding.SplitByArea(one, nil)
	requireMoneyInvalid(t, err, "areas")
}

// randomWeights returns n weights of a randomly chosen kind: small integers with many zeros
// and ties, floor areas, decimals from 10^-20 to 10^20, all equal, or integers near 10^18
// whose sum overflows 64 bits.
func randomWeights(r *rand.Rand, n int) []decimal.Decimal {
	w := make([]decimal.Decimal, n)
	kind := r.IntN(6)
	for i := range w {
		switch kind {
		case 0:
			w[i] = decimal.NewFromInt(r.Int64N(4))
		case 1:
			w[i] = decimal.New(3000+r.Int64N(27001), -2) // 30.00 to 300.00 m²
		case 2:
			w[i] = decimal.New(r.Int64N(1_000_000), int32(r.IntN(41)-20))
		case 3:
			w[i] = decimal.RequireFromString("0.125")
		case 4:
			w[i] = decimal.NewFromInt(1e18 + r.Int64N(1e18))
		default:
			if r.IntN(3) > 0 {
				w[i] = decimal.New(r.Int64N(1000), int32(-r.IntN(4)))
			}
		}
	}
	w[r.IntN(n)] = decimal.New(1+r.Int64N(1000), int32(r.IntN(5)-2)) // a positive sum
	return w
}

// randomTotal returns an amount from 0 to 10^9 yuan, occasionally the largest amount.
func randomTotal(r *rand.Rand) decimal.Decimal {
	switch r.IntN(20) {
	case 0:
		return funding.MaxMoney()
	case 1:
		return decimal.New(r.Int64N(100), -2)
	default:
		return decimal.New(r.Int64N(100_000_000_001), -2)
	}
}

// TestSplitByWeightsProperty: on random totals and weights the parts are exact, match the
// reference and are deterministic.
func TestSplitByWeightsProperty(t *testing.T) {
	r := rand.New(rand.NewPCG(278, 2024))
	for iter := range 400 {
		n := 1 + r.IntN(12)
		if iter%4 == 0 {
			n = 1 + r.IntN(1000)
		}
		total, weights := randomTotal(r), randomWeights(r, n)
		got, err := funding.SplitByWeights(total, weights)
		require.NoError(t, err)
		requireExactSplit(t, total, weights, got)
		want := refSplitByWeights(total, weights)
		for i := range want {
			require.True(t, want[i].Equal(got[i]), "iteration %d part %d: %s, reference %s", iter, i, got[i], want[i])
		}
		again, err := funding.SplitByWeights(total, weights)
		require.NoError(t, err)
		for i := range got {
			require.True(t, got[i].Equal(again[i]), "not deterministic")
		}
	}
}

// TestSplitByWeightsManyTies exercises the selection of the largest remainders on long lists
// with few distinct remainders, where the tie-break decides most of the fen.
func TestSplitByWeightsManyTies(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for _, n := range []int{33, 100, 1000, 5000} {
		for _, distinct := range []int64{1, 2, 3, 7, 1000} {
			weights := make([]decimal.Decimal, n)
			for i := range weights {
				weights[i] = decimal.NewFromInt(1 + r.Int64N(distinct))
			}
			total := decimal.New(r.Int64N(int64(n)*50), -2)
			got, err := funding.SplitByWeights(total, weights)
			require.NoError(t, err)
			requireExactSplit(t, total, weights, got)
			want := refSplitByWeights(total, weights)
			for i := range want {
				require.True(t, want[i].Equal(got[i]), "n=%d distinct=%d part %d: %s, reference %s", n, distinct, i, got[i], want[i])
			}
		}
	}
}

// TestSplitEvenlyProperty: SplitEvenly is SplitByWeights with equal weights.
func TestSplitEvenlyProperty(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	for range 300 {
		n := 1 + r.IntN(300)
		total := randomTotal(r)
		got, err := funding.SplitEvenly(total, n)
		require.NoError(t, err)
		weights := make([]decimal.Decimal, n)
		for i := range weights {
			weights[i] = decimal.NewFromInt(1)
		}
		requireExactSplit(t, total, weights, got)
		byWeights, err := funding.SplitByWeights(total, weights)
		require.NoError(t, err)
		for i := range got {
			require.True(t, got[i].Equal(byWeights[i]), "part %d: %s, by weights %s", i, got[i], byWeights[i])
			if i > 0 {
				require.False(t, got[i].GreaterThan(got[i-1]), "the earlier parts get the extra fen")
			}
		}
	}
}

// TestSplitByWeightsNearlyEqualBigWeights: weights of 10^30 plus 0 to 3 have remainders
// that differ only in their lowest bits, so the big-integer path must rank them exactly
// (and break true ties by index) rather than by their leading bits.
func TestSplitByWeightsNearlyEqualBigWeights(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	base := decimal.New(1, 30)
	for range 60 {
		n := 2 + r.IntN(60)
		weights := make([]decimal.Decimal, n)
		for i := range weights {
			weights[i] = base.Add(decimal.NewFromInt(r.Int64N(4)))
		}
		total := decimal.New(r.Int64N(int64(3*n)), -2)
		got, err := funding.SplitByWeights(total, weights)
		require.NoError(t, err)
		requireExactSplit(t, total, weights, got)
		want := refSplitByWeights(total, weights)
		for i := range want {
			require.True(t, want[i].Equal(got[i]), "part %d: %s, reference %s (weights %v, total %s)", i, got[i], want[i], weights, total)
		}
	}
}
