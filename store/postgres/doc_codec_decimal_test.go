package postgres

import (
	"math/big"
	mrand "math/rand"
	"math/rand/v2"
	"reflect"
	"testing"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gridgov/gridgov/evaluation"
)

// Decimals are written exactly, coefficient and exponent, and read back the same.
func TestDocDecimal(t *testing.T) {
	for _, tc := range []struct {
		d    decimal.Decimal
		want string
	}{
		{decimal.RequireFromString("1234.50"), `"1234.50"`},
		{decimal.RequireFromString("-0.01"), `"-0.01"`},
		{decimal.RequireFromString("0.0000"), `"0.0000"`},
		{decimal.New(0, 0), `"0"`},
		{decimal.Decimal{}, `"0"`},
		{decimal.New(-42, 0), `"-42"`},
		{decimal.New(12, 3), `"12e3"`},
		{decimal.New(5, -60), `"5e-60"`},
		{decimal.New(5, -40), `"0.` + repeat('0', 39) + `5"`},
		{decimal.RequireFromString("123456789012345678901234567890.123456789"), `"123456789012345678901234567890.123456789"`},
	} {
		b := appendDocDecimal(nil, reflect.ValueOf(tc.d))
		assert.Equal(t, tc.want, string(b))
		got, err := parseDocDecimal(tc.want[1 : len(tc.want)-1])
		require.NoError(t, err)
		assert.True(t, tc.d.Equal(got), "%s → %s", tc.d, got)
		assert.Equal(t, tc.d.Exponent(), got.Exponent(), "%s keeps its exponent", tc.want)
	}
	// Random coefficients (up to 30 digits) and exponents: the fixed form is StringFixed's,
	// and every form reads back to the same coefficient and exponent.
	rng := rand.New(rand.NewPCG(1, 2))
	bigRng := mrand.New(mrand.NewSource(3)) // big.Int.Rand takes a math/rand source
	for range 5000 {
		coef := new(big.Int).Rand(bigRng, new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(rng.IntN(30)+1)), nil))
		if rng.IntN(2) == 0 {
			coef.Neg(coef)
		}
		d := decimal.NewFromBigInt(coef, int32(rng.IntN(50)-45))
		b := string(appendDocDecimal([]byte(`"x":`), reflect.ValueOf(d)))
		if exp := d.Exponent(); exp <= 0 && exp >= -maxFixedPlaces {
			require.Equal(t, `"x":"`+d.StringFixed(-exp)+`"`, b)
		}
		got, err := parseDocDecimal(b[5 : len(b)-1])
		require.NoError(t, err, b)
		require.True(t, d.Equal(got), "%s → %s", b, got)
		require.Equal(t, d.Exponent(), got.Exponent(), b)
	}
	for _, bad := range []string{"", "x", "1.2.3", "1e", "1e99999999999"} {
		_, err := parseDocDecimal(bad)
		assert.Error(t, err, "%q", bad)
	}

	// Inside documents: fields, slices, pointers.
	type sample struct {
		D  decimal.Decimal
		Ds []decimal.Decimal
		P  *decimal.Decimal
	}
	p := decimal.RequireFromString("0.10")
	in := sample{D: decimal.RequireFromString("99.90"), Ds: []decimal.Decimal{{}, decimal.New(1, 2)}, P: &p}
	doc, err := encodeDoc(in)
	require.NoError(t, err)
	assert.Equal(t, `{"D":"99.90","Ds":["0","1e2"],"P":"0.10"}`, string(doc))
	var out sample
	require.NoError(t, decodeDoc(doc, &out))
	assert.Equal(t, "99.90", out.D.StringFixed(-out.D.Exponent()))
	assert.True(t, out.Ds[1].Equal(decimal.NewFromInt(100)))
	assert.Equal(t, "0.10", out.P.StringFixed(-out.P.Exponent()))
	require.Error(t, decodeDoc([]byte(`{"D":"ninety"}`), &out))
	require.Error(t, decodeDoc([]byte(`{"D":12}`), &out), "a decimal is a string, not a number")
}

func repeat(c byte, n int) string {
	b := make([]byte, n)
	for i := range b {
		b[i] = c
	}
	return string(b)
}

// Every field of a cycle, found by reflection, survives the codec.
func TestDocCycleEveryField(t *testing.T) {
	var c evaluation.Cycle
	n := 0
	fillDec(reflect.ValueOf(&c).Elem(), &n)
	doc, err := encodeDoc(c)
	require.NoError(t, err)
	var out evaluation.Cycle
	require.NoError(t, decodeDoc(doc, &out))
	again, err := encodeDoc(out)
	require.NoError(t, err)
	assert.Equal(t, string(doc), string(again), "a decoded cycle encodes to the same document")
	assert.NotContains(t, string(doc), "{}", "no field was written empty")
}

// fillDec is fill with decimals and pointers.
func fillDec(v reflect.Value, n *int) {
	switch {
	case v.Type() == decimalType:
		*n++
		v.Set(reflect.ValueOf(decimal.New(int64(*n)*1001, -3)))
	case v.Kind() == reflect.Pointer:
		p := reflect.New(v.Type().Elem())
		fillDec(p.Elem(), n)
		v.Set(p)
	case v.Kind() == reflect.Struct && v.Type() != timeType:
		for i := range v.NumField() {
			if v.Type().Field(i).IsExported() {
				fillDec(v.Field(i), n)
			}
		}
	case v.Kind() == reflect.Slice:
		s := reflect.MakeSlice(v.Type(), 2, 2)
		fillDec(s.Index(0), n)
		fillDec(s.Index(1), n)
		v.Set(s)
	default:
		fill(v, n)
	}
}

// FuzzDocDecimal: any string either fails to parse or parses to a decimal that is written
// and read back to the same coefficient and exponent; the codec never panics.
func FuzzDocDecimal(f *testing.F) {
	for _, s := range []string{"0", "1234.50", "-0.01", "12e3", "5e-60", "1e-2147483648", "-", ".", "1.", ".5", "+7",
		"-0.00", "999999999999999999", "9999999999999999999", "0.000000000000000001", "00012.3400"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := parseDocDecimal(s)
		if coef, exp, ok := parseSmallDecimal(s); ok {
			// The fast path reads what decimal.NewFromString reads.
			want, err := decimal.NewFromString(s)
			require.NoError(t, err, "%q", s)
			require.True(t, want.Equal(decimal.New(coef, exp)), "%q", s)
			require.Equal(t, want.Exponent(), exp, "%q", s)
		}
		if err != nil {
			return
		}
		b := appendDocDecimal(nil, reflect.ValueOf(d))
		if exp := d.Exponent(); exp <= 0 && exp >= -maxFixedPlaces {
			require.Equal(t, `"`+d.StringFixed(-exp)+`"`, string(b), "%q", s)
		}
		back, err := parseDocDecimal(string(b[1 : len(b)-1]))
		require.NoError(t, err, "%q → %s", s, b)
		require.True(t, d.Equal(back), "%q → %s → %s", s, b, back)
		require.Equal(t, d.Exponent(), back.Exponent(), "%q → %s", s, b)
	})
}
