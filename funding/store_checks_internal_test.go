package funding

import (
	"math/big"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// digits counts the digits of a decimal's coefficient exactly, at the powers of ten where a
// floating-point logarithm would slip.
func TestCoefDigits(t *testing.T) {
	digits := func(c *big.Int) int64 { return coefDigits(decimal.NewFromBigInt(c, 0)) }
	ten := big.NewInt(10)
	p := big.NewInt(1)
	for n := int64(1); n <= 60; n++ {
		p.Mul(p, ten) // 10^n
		below := new(big.Int).Sub(p, big.NewInt(1))
		assert.Equal(t, n, digits(below), "10^%d - 1", n)
		assert.Equal(t, n+1, digits(p), "10^%d", n)
		assert.Equal(t, n+1, digits(new(big.Int).Neg(p)), "-10^%d", n)
	}
	assert.EqualValues(t, 1, digits(big.NewInt(0)))
	rng := rand.New(rand.NewPCG(1, 2))
	for range 1000 {
		var b strings.Builder
		b.WriteByte(byte('1' + rng.IntN(9)))
		for range rng.IntN(200) {
			b.WriteByte(byte('0' + rng.IntN(10)))
		}
		c, _ := new(big.Int).SetString(b.String(), 10)
		require.EqualValues(t, b.Len(), digits(c), b.String())
	}
}

// The store checks' predicates — at most so many places, and below 10^15 in magnitude —
// agree with the obvious definitions wherever those are cheap, and stay cheap where they
// are not.
func TestPlacesAndMagnitude(t *testing.T) {
	hasPlaces := func(d decimal.Decimal, p int64) bool { return placesAtMost(d, p) }
	inRange := func(d decimal.Decimal) bool { return d.IsZero() || magnitude(d) <= MaxYuanDigits }
	rng := rand.New(rand.NewPCG(3, 4))
	for range 5000 {
		d := decimal.New(rng.Int64N(2_000_001)-1_000_000, int32(rng.IntN(13)-8))
		for _, places := range []int64{0, 2} {
			require.Equal(t, d.Equal(d.Truncate(int32(places))), hasPlaces(d, places), "%s to %d places", d, places)
		}
		limit := decimal.New(1, MaxYuanDigits)
		require.Equal(t, d.Abs().LessThan(limit), inRange(d), "%s", d)
	}
	for _, tc := range []struct {
		in             string
		fen, whole, ok bool
	}{
		{"999999999999999.99", true, false, true},
		{"1000000000000000", true, true, false},
		{"-999999999999999", true, true, true},
		{"1e15", true, true, false},
		{"1e999999999", true, true, false},
		{"1e-999999999", false, false, true},
		{"12.3400000", true, false, true},
		{"0.001", false, false, true},
		{"5" + strings.Repeat("0", 30) + "e-30", true, true, true},
	} {
		d := decimal.RequireFromString(tc.in)
		assert.Equal(t, tc.fen, hasPlaces(d, 2), "%s to the fen", tc.in)
		assert.Equal(t, tc.whole, hasPlaces(d, 0), "%s whole", tc.in)
		assert.Equal(t, tc.ok, inRange(d), "%s in range", tc.in)
	}
}
