package funding_test

import (
	"errors"
	"testing"

	"github.com/gridgov/gridgov"
	"github.com/gridgov/gridgov/funding"
)

// FuzzParseMoney: parsing never panics; a refusal is a ValidationError; an accepted amount
// has at most two decimal places, is below the maximum, and formats and re-parses to
// itself in both styles.
func FuzzParseMoney(f *testing.F) {
	for _, s := range []string{"4000000", "¥4,000,000.00", "400万", "1.5万", "0.01", "-12.50", "1e5",
		"NaN", "1,00", "１２", "RMB 3", "3元", "1.234", "99999999999999.99", "0.000001万", "", "¥"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := funding.ParseMoney(s)
		if err != nil {
			var verr *gridgov.ValidationError
			if !errors.Is(err, gridgov.ErrInvalid) || !errors.As(err, &verr) {
				t.Fatalf("%q: want a ValidationError, got %v", s, err)
			}
			return
		}
		if !d.Equal(d.Truncate(2)) {
			t.Fatalf("%q parsed to %s, finer than the fen", s, d)
		}
		if d.Abs().GreaterThan(funding.MaxMoney()) {
			t.Fatalf("%q parsed to %s, above the maximum", s, d)
		}
		for _, out := range []string{funding.FormatYuan(d), funding.FormatWan(d)} {
			back, err := funding.ParseMoney(out)
			if err != nil || !back.Equal(d) {
				t.Fatalf("%q → %s → %q → %s, %v", s, d, out, back, err)
			}
		}
	})
}
