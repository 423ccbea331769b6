package funding

import (
	"fmt"

	"github.com/shopspring/decimal"

	"github.com/gridgov/gridgov"
)

// The checks a Store makes on posting lines and fund budgets, with their messages, shared by
// every adapter (store/memory, store/postgres, yours) so that all refuse the same input with
// the same fields and words. None of them rescales an amount, so values with extreme
// exponents are refused quickly.

// CheckLineAmount records on verr that the amount of the i-th line of a posting is zero or
// not less than 10^15 in magnitude (field "Lines[i].Amount"), and reports whether it is
// neither.
func CheckLineAmount(verr *gridgov.ValidationError, i int, d decimal.Decimal) bool {
	if d.IsZero() {
		field := lineField(i)
		verr.Add(field, "nonzero", fmt.Sprintf("%s must not be zero", field), fmt.Sprintf("%s不能为零", field))
		return false
	}
	if magnitude(d) > MaxYuanDigits {
		field := lineField(i)
		verr.Add(field, "max",
			fmt.Sprintf("%s must be less than 10^%d in magnitude", field, MaxYuanDigits),
			fmt.Sprintf("%s的绝对值必须小于10的%d次方", field, MaxYuanDigits))
		return false
	}
	return true
}

// CheckLinePrecision records on verr that the amount of the i-th line is finer than its
// account's unit allows — CNY to the fen, Points whole — and reports whether it is not.
func CheckLinePrecision(verr *gridgov.ValidationError, i int, d decimal.Decimal, unit Unit) bool {
	switch unit {
	case CNY:
		if !placesAtMost(d, 2) {
			field := lineField(i)
			verr.Add(field, "fen",
				fmt.Sprintf("%s must be whole fen (at most 2 decimal places), not %s", field, safeDecimalString(d)),
				fmt.Sprintf("%s必须精确到分（最多两位小数），而不是%s", field, safeDecimalString(d)))
			return false
		}
	case Points:
		if !placesAtMost(d, 0) {
			field := lineField(i)
			verr.Add(field, "whole",
				fmt.Sprintf("%s must be a whole number of points, not %s", field, safeDecimalString(d)),
				fmt.Sprintf("%s必须是整数积分，而不是%s", field, safeDecimalString(d)))
			return false
		}
	}
	return true
}

// CheckBudget records on verr that a fund's budget is out of range, negative or finer than
// the fen (field "Budget"); at most one failure is recorded.
func CheckBudget(verr *gridgov.ValidationError, d decimal.Decimal) {
	switch {
	case magnitude(d) > MaxYuanDigits && !d.IsZero():
		verr.Add("Budget", "max",
			fmt.Sprintf("Budget must be less than 10^%d yuan", MaxYuanDigits),
			fmt.Sprintf("Budget（预算额度）必须小于10的%d次方元", MaxYuanDigits))
	case d.IsNegative():
		verr.Add("Budget", "gte", fmt.Sprintf("Budget must not be negative, not %s", safeDecimalString(d)),
			fmt.Sprintf("Budget（预算额度）不能为负数（%s）", safeDecimalString(d)))
	case !placesAtMost(d, 2):
		verr.Add("Budget", "fen", fmt.Sprintf("Budget must be whole fen (at most 2 decimal places), not %s", safeDecimalString(d)),
			fmt.Sprintf("Budget（预算额度）必须精确到分（最多两位小数），而不是%s", safeDecimalString(d)))
	}
}

// FormatAmount writes an amount of unit for messages, in English and Chinese: yuan to the
// fen ("¥1200.50", "1200.50元") or whole points.
func FormatAmount(d decimal.Decimal, unit Unit) (en, zh string) {
	switch unit {
	case CNY:
		s := d.StringFixed(2)
		return "¥" + s, s + "元"
	case Points:
		s := d.String()
		return s + " points", s + "积分"
	}
	return d.String() + " " + string(unit), d.String() + string(unit)
}

func lineField(i int) string { return fmt.Sprintf("Lines[%d].Amount", i) }
