package funding_test

import (
	"encoding/json"
	"errors"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gridgov/gridgov"
	"github.com/gridgov/gridgov/funding"
)

// requireMoneyInvalid checks that err is a *gridgov.ValidationError matching
// gridgov.ErrInvalid that names exactly fields, in order, each with both messages.
func requireMoneyInvalid(t *testing.T, err error, fields ...string) *gridgov.ValidationError {
	t.Helper()
	require.Error(t, err)
	require.ErrorIs(t, err, gridgov.ErrInvalid)
	var verr *gridgov.ValidationError
	require.True(t, errors.As(err, &verr), "not a ValidationError: %v", err)
	require.Equal(t, fields, verr.FieldNames(), "%v", err)
	for _, f := range verr.Fields {
		require.NotEmpty(t, f.Tag)
		require.NotEmpty(t, f.EN)
		require.NotEmpty(t, f.ZH)
	}
	return verr
}

// fenDecimal returns fen/100 yuan.
func fenDecimal(fen int64) decimal.Decimal { return decimal.New(fen, -2) }

func TestParseMoneyAccepts(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"4000000", "4000000"},
		{"4,000,000", "4000000"},
		{"4,000,000.00", "4000000"},
		{"¥4,000,000.00", "4000000"},
		{"￥4,000,000.00", "4000000"},
		{"RMB 1,000", "1000"},
		{"rmb1000.5", "1000.5"},
		{"CNY 12.30", "12.3"},
		{"  ¥ 200  ", "200"},
		{"\t2000元", "2000"},
		{"2,000 元", "2000"},
		{"400万", "4000000"},
		{"400万元", "4000000"},
		{"1.5万", "15000"},
		{"1.5 万", "15000"},
		{"¥1.5万", "15000"},
		{"1.23456万", "12345.6"},
		{"1.234567万", "12345.67"},
		{"0.000001万", "0.01"},
		{"12,000万", "120000000"},
		{"3亿", "300000000"},
		{"1.2亿元", "120000000"},
		{"0.0000000001亿", "0.01"},
		{"0", "0"},
		{"0.00", "0"},
		{"-0", "0"},
		{"007", "7"},
		{"1.230", "1.23"},
		{"1.2300000", "1.23"},
		{"0.01", "0.01"},
		{"-¥1,234.50", "-1234.5"},
		{"¥-1,234.50", "-1234.5"},
		{"-1,234.50元", "-1234.5"},
		{"-400万", "-4000000"},
		{"RMB -5", "-5"},
		{"999,999,999,999,999.99", "999999999999999.99"},
		{"-999999999999999.99", "-999999999999999.99"},
		{"99,999,999,999.999999万", "999999999999999.99"},
		{"9.9999999999亿", "999999999.99"},
		{"0.0000000000000万", "0"},
	} {
		got, err := funding.ParseMoney(tc.in)
		if !assert.NoError(t, err, "ParseMoney(%q)", tc.in) {
			continue
		}
		assert.True(t, decimal.RequireFromString(tc.want).Equal(got), "ParseMoney(%q) = %s, want %s", tc.in, got, tc.want)
		assert.Equal(t, int32(-2), got.Exponent(), "ParseMoney(%q) returns two decimal places", tc.in)
	}
}

func TestParseMoneyRefuses(t *testing.T) {
	for _, tc := range []struct{ in, tag string }{
		{"", "required"},
		{"   ", "required"},
		{"\u3000", "required"},
		{"1.234", "fen"},
		{"1.234元", "fen"},
		{"0.001", "fen"},
		{"1.0000001万", "fen"},
		{"0.00000000001亿", "fen"},
		{"1000000000000000", "max"},
		{"1,000,000,000,000,000.00", "max"},
		{"-1000000000000000", "max"},
		{"100000000000万", "max"},
		{"10000000亿", "max"},
		{"1" + strings.Repeat("0", 70), "max"},
		{"1e5", "money"},
		{"1E5", "money"},
		{"NaN", "money"},
		{"nan", "money"},
		{"Inf", "money"},
		{"-Infinity", "money"},
		{"0x10", "money"},
		{"1.2.3", "money"},
		{"1..2", "money"},
		{".5", "money"},
		{"5.", "money"},
		{"1,00", "money"},
		{"1,0000", "money"},
		{"1000,000", "money"},
		{",100", "money"},
		{"100,", "money"},
		{"0,100", "money"},
		{"1,000.000,0", "money"},
		{"1.000,00", "money"},
		{"+5", "money"},
		{"--5", "money"},
		{"-¥-5", "money"},
		{"¥", "money"},
		{"元", "money"},
		{"万", "money"},
		{"-", "money"},
		{"¥100元", "money"},
		{"RMB100元", "money"},
		{"¥1万元", "money"},
		{"１２３", "money"},
		{"12３", "money"},
		{"1，000", "money"},
		{"1 000", "money"},
		{"5 yuan", "money"},
		{"USD 5", "money"},
		{"万1", "money"},
		{"1万万", "money"},
		{"1元元", "money"},
		{"1万亿", "money"},
		{"\xff", "money"},
		{"1\x00", "money"},
		{"٣", "money"},
	} {
		_, err := funding.ParseMoney(tc.in)
		verr := requireMoneyInvalid(t, err, "amount")
		assert.Equal(t, tc.tag, verr.Fields[0].Tag, "ParseMoney(%q): %v", tc.in, err)
	}
}

func TestParseMoneyMessagesQuoteTheInput(t *testing.T) {
	_, err := funding.ParseMoneyField("Bill", "1.234元")
	verr := requireMoneyInvalid(t, err, "Bill")
	assert.Contains(t, verr.Fields[0].EN, `"1.234元"`)
	assert.Contains(t, verr.Fields[0].ZH, "“1.234元”")
	assert.Contains(t, verr.Fields[0].ZH, "分")

	long := strings.Repeat("9", funding.MaxMoneyInputLength+1)
	_, err = funding.ParseMoney(long)
	verr = requireMoneyInvalid(t, err, "amount")
	assert.Equal(t, "max", verr.Fields[0].Tag)
	assert.Contains(t, verr.Fields[0].EN, "…", "a long input is shortened in the message")
	assert.Less(t, len(verr.Fields[0].EN), 200)

	_, err = funding.ParseMoney("abc")
	verr = requireMoneyInvalid(t, err, "amount")
	assert.Contains(t, verr.Fields[0].EN, `"abc"`)
	assert.Contains(t, verr.Fields[0].ZH, "“abc”")
}

func TestMustMoney(t *testing.T) {
	assert.True(t, decimal.NewFromInt(15000).Equal(funding.MustMoney("1.5万")))
	assert.Panics(t, func() { funding.MustMoney("1.5.万") })
}

func TestMaxMoney(t *testing.T) {
	top := funding.MaxMoney()
	assert.Equal(t, "999999999999999.99", top.String())
	assert.NoError(t, funding.CheckAmount("x", top))
	requireMoneyInvalid(t, funding.CheckAmount("x", top.Add(decimal.New(1, -2))), "x")
	got, err := funding.ParseMoney(funding.FormatYuan(top))
	require.NoError(t, err)
	assert.True(t, top.Equal(got))
}

func TestFormatYuan(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"4000000", "¥4,000,000.00"},
		{"1234.5", "¥1,234.50"},
		{"-1234.5", "-¥1,234.50"},
		{"0", "¥0.00"},
		{"0.5", "¥0.50"},
		{"0.01", "¥0.01"},
		{"-0.01", "-¥0.01"},
		{"100", "¥100.00"},
		{"999", "¥999.00"},
		{"1000", "¥1,000.00"},
		{"100000", "¥100,000.00"},
		{"999999999999999.99", "¥999,999,999,999,999.99"},
		{"0.005", "¥0.005"}, // never rounds
		{"12.3456", "¥12.3456"},
	} {
		assert.Equal(t, tc.want, funding.FormatYuan(decimal.RequireFromString(tc.in)), "FormatYuan(%s)", tc.in)
	}
	assert.Equal(t, "¥0.00", funding.FormatYuan(decimal.Decimal{}), "the zero Decimal")
	assert.Equal(t, "¥120.00", funding.FormatYuan(decimal.New(12, 1)), "a positive exponent")
}

func TestFormatWan(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"4000000", "400万"},
		{"15000", "1.5万"},
		{"10000", "1万"},
		{"12345.67", "1.234567万"},
		{"12345.6", "1.23456万"},
		{"10000.01", "1.000001万"},
		{"120000000", "12,000万"},
		{"999999999999999.99", "99,999,999,999.999999万"},
		{"-4000000", "-400万"},
		{"9999.99", "9,999.99元"},
		{"2000", "2,000元"},
		{"200.5", "200.50元"},
		{"0.01", "0.01元"},
		{"0", "0元"},
		{"-200", "-200元"},
		{"-0.5", "-0.50元"},
		{"0.005", "0.005元"},
		{"10000.005", "1.0000005万"},
	} {
		assert.Equal(t, tc.want, funding.FormatWan(decimal.RequireFromString(tc.in)), "FormatWan(%s)", tc.in)
	}
}

// randomFen returns a random amount in fen, spread over every order of magnitude up to the
// maximum, with either sign when signed.
func randomFen(r *rand.Rand, signed bool) int64 {
	digits := r.IntN(18) // 0..17 digits of fen
	var v int64
	if digits > 0 {
		lo := int64(1)
		for range digits - 1 {
			lo *= 10
		}
		v = lo + r.Int64N(9*lo) // digits digits exactly
	}
	if r.IntN(4) == 0 {
		v -= v % 100 // whole yuan
	}
	if r.IntN(8) == 0 {
		v -= v % 1_000_000 // whole 万
	}
	if signed && r.IntN(2) == 0 {
		v = -v
	}
	return v
}

// TestMoneyRoundTripProperty: every valid amount formats, in both styles and as its
// decimal string, to something ParseMoney reads back exactly.
func TestMoneyRoundTripProperty(t *testing.T) {
	r := rand.New(rand.NewPCG(2024, 278))
	special := []int64{0, 1, -1, 99, 100, 999_999, 1_000_000, 1_000_001, 99_999_999_999_999_999, -99_999_999_999_999_999}
	for i := range 20000 {
		var f int64
		if i < len(special) {
			f = special[i]
		} else {
			f = randomFen(r, true)
		}
		d := fenDecimal(f)
		for _, s := range []string{funding.FormatYuan(d), funding.FormatWan(d), d.String(), d.StringFixed(2)} {
			got, err := funding.ParseMoney(s)
			require.NoError(t, err, "ParseMoney(%q) of %s", s, d)
			require.True(t, d.Equal(got), "ParseMoney(%q) = %s, want %s", s, got, d)
		}
		if f >= 0 {
			require.NoError(t, funding.CheckAmount("x", d))
		}
	}
}

func TestCheckAmount(t *testing.T) {
	for _, ok := range []decimal.Decimal{
		decimal.Zero, decimal.Decimal{}, decimal.New(1, -2), decimal.New(100, -4), decimal.New(5, 14),
		funding.MaxMoney(), decimal.New(0, -1_000_000_000), decimal.New(0, 1_000_000_000),
		decimal.RequireFromString("12.300000000000000000000000000000000000"),
	} {
		assert.NoError(t, funding.CheckAmount("x", ok), "%s", ok)
	}
	for _, tc := range []struct {
		d    decimal.Decimal
		tags []string
	}{
		{decimal.New(-1, -2), []string{"gte"}},
		{decimal.New(1, -3), []string{"fen"}},
		{decimal.New(-1, -3), []string{"gte", "fen"}},
		{decimal.New(1, 15), []string{"max"}},
		{decimal.RequireFromString("1000000000000000.001"), []string{"fen", "max"}},
		{decimal.RequireFromString("12.300000000000000000000000000000000001"), []string{"fen"}},
		// Extreme exponents are refused at once, without expanding the value.
		{decimal.New(1, 2_000_000_000), []string{"max"}},
		{decimal.New(-7, 2_000_000_000), []string{"gte", "max"}},
		{decimal.New(1, -2_000_000_000), []string{"fen"}},
	} {
		err := funding.CheckAmount("Budget", tc.d)
		fields := make([]string, len(tc.tags))
		for i := range fields {
			fields[i] = "Budget"
		}
		verr := requireMoneyInvalid(t, err, fields...)
		for i, tag := range tc.tags {
			assert.Equal(t, tag, verr.Fields[i].Tag, "%v", err)
		}
		assert.Less(t, len(err.Error()), 1000)
	}
}

// TestMoneyJSON: amounts in JSON are strings, and they come back exactly.
func TestMoneyJSON(t *testing.T) {
	type grant struct {
		Community string          `json:"community"`
		Amount    decimal.Decimal `json:"amount"`
		Stipend   decimal.Decimal `json:"stipend"`
	}
	in := grant{Community: "蕉城社区", Amount: funding.MustMoney("¥150,000.00"), Stipend: funding.MustMoney("200.5")}
	b, err := json.Marshal(in)
	require.NoError(t, err)
	assert.JSONEq(t, `{"community":"蕉城社区","amount":"150000","stipend":"200.5"}`, string(b))
	assert.Contains(t, string(b), `"amount":"150000"`, "amounts are quoted strings, never JSON numbers")

	var out grant
	require.NoError(t, json.Unmarshal(b, &out))
	assert.Equal(t, in.Community, out.Community)
	assert.True(t, in.Amount.Equal(out.Amount))
	assert.True(t, in.Stipend.Equal(out.Stipend))

	r := rand.New(rand.NewPCG(7, 7))
	for range 1000 {
		in := grant{Amount: fenDecimal(randomFen(r, true))}
		b, err := json.Marshal(in)
		require.NoError(t, err)
		var out grant
		require.NoError(t, json.Unmarshal(b, &out))
		require.True(t, in.Amount.Equal(out.Amount), "%s", b)
	}
}
