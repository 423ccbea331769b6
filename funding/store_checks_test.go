package funding_test

import (
	"testing"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"

	"github.com/gridgov/gridgov"
	"github.com/gridgov/gridgov/funding"
)

// The shared store checks name the field and pass what the Store contract allows.
func TestStoreChecks(t *testing.T) {
	for _, tc := range []struct {
		amount string
		unit   funding.Unit
		ok     bool
	}{
		{"12.34", funding.CNY, true}, {"-12.30", funding.CNY, true}, {"0", funding.CNY, false},
		{"0.001", funding.CNY, false}, {"1e15", funding.CNY, false}, {"-999999999999999.99", funding.CNY, true},
		{"7", funding.Points, true}, {"7.5", funding.Points, false}, {"1e-999999999", funding.Points, false},
	} {
		var verr gridgov.ValidationError
		d := decimal.RequireFromString(tc.amount)
		ok := funding.CheckLineAmount(&verr, 3, d) && funding.CheckLinePrecision(&verr, 3, d, tc.unit)
		assert.Equal(t, tc.ok, ok, tc.amount)
		if tc.ok {
			assert.NoError(t, verr.Err(), tc.amount)
		} else {
			assert.ErrorIs(t, verr.Err(), gridgov.ErrInvalid, tc.amount)
			assert.Equal(t, []string{"Lines[3].Amount"}, verr.FieldNames(), tc.amount)
		}
	}
	for budget, ok := range map[string]bool{"0": true, "4000000": true, "-1": false, "0.005": false, "1e15": false, "1e-999999999": false} {
		var verr gridgov.ValidationError
		funding.CheckBudget(&verr, decimal.RequireFromString(budget))
		if ok {
			assert.NoError(t, verr.Err(), budget)
		} else {
			assert.Equal(t, []string{"Budget"}, verr.FieldNames(), budget)
		}
	}
	en, zh := funding.FormatAmount(decimal.RequireFromString("1200.5"), funding.CNY)
	assert.Equal(t, "¥1200.50", en)
	assert.Equal(t, "1200.50元", zh)
	en, zh = funding.FormatAmount(decimal.RequireFromString("30"), funding.Points)
	assert.Equal(t, "30 points", en)
	assert.Equal(t, "30积分", zh)
}
