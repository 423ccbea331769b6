package funding_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/shopspring/decimal"

	"github.com/gridgov/gridgov"
	"github.com/gridgov/gridgov/funding"
)

// requireFuzzRefusal checks that err is a validation error (gridgov.ErrInvalid) whose fields
// all have a name and both messages.
func requireFuzzRefusal(t *testing.T, err error) {
	t.Helper()
	var verr *gridgov.ValidationError
	if !errors.Is(err, gridgov.ErrInvalid) || !errors.As(err, &verr) || len(verr.Fields) == 0 {
		t.Fatalf("not a validation error: %v", err)
	}
	for _, f := range verr.Fields {
		if f.Field == "" || f.Tag == "" || f.EN == "" || f.ZH == "" {
			t.Fatalf("incomplete field error %+v", f)
		}
	}
}

func FuzzParseMoneyStrict(f *testing.F) {
	for _, s := range []string{
		"4000000", "¥4,000,000.00", "400万", "1.5万", "1.23456万", "0.000001万", "1.234元", "RMB 1,000",
		"-¥1,234.50", "¥-5", "12,000万", "3亿", "1.2亿元", "999,999,999,999,999.99", "1000000000000000",
		"1e5", "NaN", "Inf", "0x10", "1,00", "1..2", ".5", "5.", "１２３", "", " ", "¥100元", "-", "+5",
		"0.0000000001亿", "1" + strings.Repeat("0", 64), "\xff\xfe", "9,999.99元", "0.005",
	} {
		f.Add(s)
	}
	top := funding.MaxMoney()
	f.Fuzz(func(t *testing.T, s string) {
		d, err := funding.ParseMoney(s)
		if err != nil {
			requireFuzzRefusal(t, err)
			var verr *gridgov.ValidationError
			errors.As(err, &verr)
			if verr.Fields[0].Field != "amount" {
				t.Fatalf("field %q, want amount", verr.Fields[0].Field)
			}
			return
		}
		if d.Exponent() != -2 {
			t.Fatalf("ParseMoney(%q) = %s with exponent %d, want -2", s, d, d.Exponent())
		}
		if d.Abs().GreaterThan(top) {
			t.Fatalf("ParseMoney(%q) = %s is beyond the maximum", s, d)
		}
		if err := funding.CheckAmount("x", d.Abs()); err != nil {
			t.Fatalf("ParseMoney(%q) = %s is not a valid amount: %v", s, d, err)
		}
		for _, out := range []string{funding.FormatYuan(d), funding.FormatWan(d), d.String()} {
			back, err := funding.ParseMoney(out)
			if err != nil || !back.Equal(d) {
				t.Fatalf("ParseMoney(%q) = %s formats as %q which reads back as %s, %v", s, d, out, back, err)
			}
		}
	})
}

// fuzzDecimals reads up to 64 comma-separated decimals (exponents allowed), or nil when one
// does not parse.
func fuzzDecimals(s string) []decimal.Decimal {
	if s == "" {
		return nil
	}
	fields := strings.Split(s, ",")
	if len(fields) > 64 {
		fields = fields[:64]
	}
	out := make([]decimal.Decimal, len(fields))
	for i, f := range fields {
		d, err := decimal.NewFromString(f)
		if err != nil {
			return nil
		}
		out[i] = d
	}
	return out
}

// moderate reports whether every decimal has an exponent small enough for plain decimal
// arithmetic in a test (which expands exponents).
func moderate(ds ...decimal.Decimal) bool {
	for _, d := range ds {
		if e := d.Exponent(); e < -200 || e > 200 {
			return false
		}
	}
	return true
}

func FuzzSplitByWeights(f *testing.F) {
	f.Add(int64(10000), "1,1,1")
	f.Add(int64(4), "1,2,2")
	f.Add(int64(1), "0,0")
	f.Add(int64(-1), "1,-1")
	f.Add(int64(99999999999999999), "9999999999999999999,9999999999999999999,1")
	f.Add(int64(3), "1e-40,1e-40,1e40")
	f.Add(int64(7), "1e2000000000,1e-2000000000")
	f.Add(int64(5), "0e2000000000,3")
	f.Add(int64(100000000000000000), "1")
	f.Add(int64(12345), "89.50,105.20,126.80,0.001,123456789012345678901234567890")
	f.Fuzz(func(t *testing.T, totalFen int64, weightList string) {
		weights := fuzzDecimals(weightList)
		total := decimal.New(totalFen, -2)
		parts, err := funding.SplitByWeights(total, weights)
		if err != nil {
			requireFuzzRefusal(t, err)
			return
		}
		if len(parts) != len(weights) {
			t.Fatalf("%d parts for %d weights", len(parts), len(weights))
		}
		sum := decimal.Zero
		for _, p := range parts {
			if p.IsNegative() || funding.CheckAmount("part", p) != nil {
				t.Fatalf("bad part %s", p)
			}
			sum = sum.Add(p)
		}
		if !sum.Equal(total) {
			t.Fatalf("parts %v sum to %s, not %s", parts, sum, total)
		}
		if moderate(weights...) {
			requireExactSplit(t, total, weights, parts)
		}
		even, err := funding.SplitEvenly(total, len(weights))
		if err != nil || len(even) != len(weights) || !funding.Sum(even).Equal(total) {
			t.Fatalf("SplitEvenly(%s, %d) = %v, %v", total, len(weights), even, err)
		}
	})
}

func FuzzSplitCost(f *testing.F) {
	f.Add(int64(1200000), int64(0), "0.3", "pf", true, "101,102,103", "89.50,105.20,126.80")
	f.Add(int64(100000), int64(10000), "", "fund", false, "a,b,c", "")
	f.Add(int64(5), int64(0), "0.5", "pf", false, "a,b,c", "")
	f.Add(int64(0), int64(-1), "1.5", "", true, ",a,a", "0,-1")
	f.Add(int64(100), int64(200), "", "pf", false, "a", "1")
	f.Add(int64(100), int64(0), "1e-2000000000", "pf", true, "a,b", "1e2000000000,0e-2000000000")
	f.Add(int64(100), int64(0), "0e2000000000", "", true, "a,b", "1,3")
	f.Fuzz(func(t *testing.T, billFen, subsidyFen int64, rate, from string, byArea bool, ids, areas string) {
		in := funding.CostShare{Bill: decimal.New(billFen, -2), SubsidyAmount: decimal.New(subsidyFen, -2), SubsidyFrom: from,
			Basis: funding.CostEqual}
		if byArea {
			in.Basis = funding.CostByArea
		}
		if r, err := decimal.NewFromString(rate); err == nil {
			in.SubsidyRate = r
		}
		as := fuzzDecimals(areas)
		if ids != "" {
			for i, id := range strings.Split(ids, ",") {
				h := funding.Household{ID: id}
				if i < len(as) {
					h.Area = as[i]
				}
				in.Households = append(in.Households, h)
			}
		}
		out, err := funding.SplitCost(in)
		if err != nil {
			requireFuzzRefusal(t, err)
			if out.Shares != nil {
				t.Fatal("a refusal returned shares")
			}
			return
		}
		sum := out.Subsidy
		for _, s := range out.Shares {
			if funding.CheckAmount("share", s.Amount) != nil {
				t.Fatalf("bad share %s", s.Amount)
			}
			sum = sum.Add(s.Amount)
		}
		if !sum.Equal(in.Bill) || out.Subsidy.GreaterThan(in.Bill) || !out.Residents.Add(out.Subsidy).Equal(in.Bill) {
			t.Fatalf("subsidy %s and shares sum to %s, not %s", out.Subsidy, sum, in.Bill)
		}
		requireCostSplitExact(t, in, out)
	})
}
