package funding_test

import (
	"math/rand/v2"
	"testing"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gridgov/gridgov"
	"github.com/gridgov/gridgov/funding"
)

func d(s string) decimal.Decimal { return decimal.RequireFromString(s) }

func strs(ds []decimal.Decimal) []string {
	out := make([]string, len(ds))
	for i, x := range ds {
		out[i] = x.StringFixed(2)
	}
	return out
}

func TestSplitTables(t *testing.T) {
	parts, err := funding.SplitEvenly(d("100"), 3)
	require.NoError(t, err)
	assert.Equal(t, []string{"33.34", "33.33", "33.33"}, strs(parts), "the extra fen to the first part")

	parts, err = funding.SplitByWeights(d("1000"), []decimal.Decimal{d("1"), d("0"), d("2")})
	require.NoError(t, err)
	assert.Equal(t, []string{"333.33", "0.00", "666.67"}, strs(parts), "the largest remainder gets the fen")

	parts, err = funding.SplitByWeights(d("0.05"), []decimal.Decimal{d("1"), d("1"), d("1"), d("1")})
	require.NoError(t, err)
	assert.Equal(t, []string{"0.02", "0.01", "0.01", "0.01"}, strs(parts), "equal remainders: lower index first")

	parts, err = funding.SplitByArea(d("12000"), []decimal.Decimal{d("89.5"), d("120.25"), d("60")})
	require.NoError(t, err)
	assert.True(t, funding.Sum(parts).Equal(d("12000")))
	// Exact shares 3981.4643…, 5349.3975…, 2669.1380…: two fen left over go to the two
	// largest remainders.
	assert.Equal(t, []string{"3981.46", "5349.40", "2669.14"}, strs(parts))
}

func TestSplitRefusals(t *testing.T) {
	for _, tc := range []struct {
		name   string
		run    func() error
		fields []string
	}{
		{"no parts", func() error { _, err := funding.SplitEvenly(d("1"), 0); return err }, []string{"n"}},
		{"negative total", func() error { _, err := funding.SplitEvenly(d("-1"), 2); return err }, []string{"total"}},
		{"sub-fen total", func() error { _, err := funding.SplitEvenly(d("1.001"), 2); return err }, []string{"total"}},
		{"negative weight", func() error {
			_, err := funding.SplitByWeights(d("1"), []decimal.Decimal{d("1"), d("-1")})
			return err
		}, []string{"weights[1]"}},
		{"zero weights", func() error {
			_, err := funding.SplitByWeights(d("1"), []decimal.Decimal{d("0"), d("0")})
			return err
		}, []string{"weights"}},
		{"no weights", func() error { _, err := funding.SplitByWeights(d("1"), nil); return err }, []string{"weights"}},
		{"zero area", func() error {
			_, err := funding.SplitByArea(d("1"), []decimal.Decimal{d("50"), d("0")})
			return err
		}, []string{"areas[1]"}},
	} {
		err := tc.run()
		require.ErrorIs(t, err, gridgov.ErrInvalid, tc.name)
		var verr *gridgov.ValidationError
		require.ErrorAs(t, err, &verr, tc.name)
		assert.Equal(t, tc.fields, verr.FieldNames(), tc.name)
		for _, fe := range verr.Fields {
			assert.NotEmpty(t, fe.EN, tc.name)
			assert.NotEmpty(t, fe.ZH, tc.name)
		}
	}
}

// For random totals and weights: the parts sum exactly to the total, and every part is
// less than a fen from its exact share (|part × Σw − total × w| < 0.01 × Σw, compared
// exactly, without rounding).
func TestSplitProperties(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	fen := d("0.01")
	for range 800 {
		total := decimal.New(rng.Int64N(100_000_000_000), -2)
		n := 1 + rng.IntN(40)
		weights := make([]decimal.Decimal, n)
		sum := decimal.Zero
		for i := range weights {
			switch rng.IntN(4) {
			case 0:
				weights[i] = decimal.Zero
			case 1:
				weights[i] = decimal.New(rng.Int64N(1_000_000), -int32(rng.IntN(6)))
			default:
				weights[i] = decimal.NewFromInt(1 + rng.Int64N(200))
			}
			sum = sum.Add(weights[i])
		}
		if sum.IsZero() {
			weights[0] = decimal.NewFromInt(1)
			sum = weights[0]
		}
		parts, err := funding.SplitByWeights(total, weights)
		require.NoError(t, err)
		require.True(t, funding.Sum(parts).Equal(total), "sum of %v is %s, not %s", strs(parts), funding.Sum(parts), total)
		for i, p := range parts {
			gap := p.Mul(sum).Sub(total.Mul(weights[i])).Abs()
			require.True(t, gap.LessThan(fen.Mul(sum)), "part %d: %s for weight %s of %s", i, p, weights[i], sum)
			require.True(t, p.Equal(p.Truncate(2)), "whole fen")
		}
		again, err := funding.SplitByWeights(total, weights)
		require.NoError(t, err)
		require.Equal(t, strs(parts), strs(again), "deterministic")
	}
}

func TestPeriods(t *testing.T) {
	y := funding.Year(2026, nil)
	assert.True(t, y.Valid())
	assert.Equal(t, "2026-01-01..2027-01-01", y.String())
	m := funding.Month(2026, 12, nil)
	assert.Equal(t, "2026-12-01..2027-01-01", m.String())
	assert.True(t, y.Contains(m.Start))
	assert.False(t, y.Contains(y.End))
	assert.Equal(t, m, y.Overlap(m))
	assert.False(t, funding.Year(2025, nil).Overlap(y).Valid())
}
