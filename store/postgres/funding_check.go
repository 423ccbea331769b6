package postgres

import (
	"fmt"
	"math/big"

	"github.com/shopspring/decimal"

	"github.com/gridgov/gridgov"
	"github.com/gridgov/gridgov/funding"
)

// The checks of postings and funds, with their messages, are those of store/memory (the
// reference implementation), so both stores refuse the same input with the same fields.

// maxIntDigits bounds the magnitude of an amount: fewer than 10^15 yuan or points (a
// thousand trillion). Without a bound, an amount such as 1e999999999 would make every sum
// it enters compute a billion-digit number.
const maxIntDigits = 15

// checkLineAmount records on verr that the i-th line's amount is zero or out of range, and
// reports whether it is neither.
func checkLineAmount(verr *gridgov.ValidationError, i int, d decimal.Decimal) bool {
	if d.IsZero() {
		field := lineField(i, "Amount")
		verr.Add(field, "nonzero", fmt.Sprintf("%s must not be zero", field), fmt.Sprintf("%s不能为零", field))
		return false
	}
	if !inRange(d) {
		field := lineField(i, "Amount")
		verr.Add(field, "max",
			fmt.Sprintf("%s must be less than 10^%d in magnitude", field, maxIntDigits),
			fmt.Sprintf("%s的绝对值必须小于10的%d次方", field, maxIntDigits))
		return false
	}
	return true
}

// inRange reports whether |d| < 10^maxIntDigits, without rescaling d.
func inRange(d decimal.Decimal) bool {
	if d.IsZero() {
		return true
	}
	// Fast path without allocating: NumDigits may be one off (it uses a floating-point
	// logarithm for small coefficients), so it only decides well inside the bound.
	if int64(d.NumDigits())+int64(d.Exponent()) < maxIntDigits {
		return true
	}
	return digits(d.Coefficient())+int64(d.Exponent()) <= maxIntDigits
}

// digits returns the number of decimal digits of |c| (1 for zero), exactly.
func digits(c *big.Int) int64 {
	if c.IsInt64() {
		v := c.Int64()
		n := int64(1)
		for ; v >= 10 || v <= -10; v /= 10 {
			n++
		}
		return n
	}
	// Start below the answer (|c| ≥ 2^(BitLen-1), and log10(2) < 0.30103), then count up.
	n := max(1, int64(float64(c.BitLen()-1)*0.30102))
	abs := new(big.Int).Abs(c)
	ten := big.NewInt(10)
	p := new(big.Int).Exp(ten, big.NewInt(n), nil)
	for abs.Cmp(p) >= 0 {
		p.Mul(p, ten)
		n++
	}
	return n
}

// checkLinePrecision records on verr that the i-th line's amount is finer than its unit
// allows (CNY to the fen, points whole) and reports whether it is not.
func checkLinePrecision(verr *gridgov.ValidationError, i int, d decimal.Decimal, unit funding.Unit) bool {
	switch unit {
	case funding.CNY:
		if !hasPlaces(d, 2) {
			field := lineField(i, "Amount")
			verr.Add(field, "fen",
				fmt.Sprintf("%s must be whole fen (at most 2 decimal places), not %s", field, showAmount(d)),
				fmt.Sprintf("%s必须精确到分（最多两位小数），而不是%s", field, showAmount(d)))
			return false
		}
	case funding.Points:
		if !hasPlaces(d, 0) {
			field := lineField(i, "Amount")
			verr.Add(field, "whole",
				fmt.Sprintf("%s must be a whole number of points, not %s", field, showAmount(d)),
				fmt.Sprintf("%s必须是整数积分，而不是%s", field, showAmount(d)))
			return false
		}
	}
	return true
}

// showAmount writes d for a message: in plain decimal notation, or as coefficient and
// exponent when the exponent is so large that the plain form would run to many digits.
func showAmount(d decimal.Decimal) string {
	if e := d.Exponent(); e < -30 || e > 30 {
		return fmt.Sprintf("%se%d", d.Coefficient(), e)
	}
	return d.String()
}

// hasPlaces reports whether d has at most places decimal places. Unlike comparing d with
// d.Truncate(places), its cost is bounded by the digits of d's coefficient, whatever its
// exponent.
func hasPlaces(d decimal.Decimal, places int32) bool {
	if d.Exponent() >= -places || d.IsZero() {
		return true
	}
	// d = c × 10^e with e < -places: the last -places-e digits of c must be zeros.
	k := -int64(places) - int64(d.Exponent())
	c := d.Coefficient()
	if k >= digits(c) {
		return false // 0 < |c| < 10^k
	}
	var rem big.Int
	rem.Rem(c, new(big.Int).Exp(big.NewInt(10), big.NewInt(k), nil))
	return rem.Sign() == 0
}

// formatAmount writes an amount of unit for messages: yuan to the fen, or whole points.
func formatAmount(d decimal.Decimal, unit funding.Unit) (en, zh string) {
	switch unit {
	case funding.CNY:
		s := d.StringFixed(2)
		return "¥" + s, s + "元"
	case funding.Points:
		s := d.String()
		return s + " points", s + "积分"
	}
	return d.String() + " " + string(unit), d.String() + string(unit)
}

// lineField names a field of the i-th line.
func lineField(i int, name string) string {
	return fmt.Sprintf("Lines[%d].%s", i, name)
}

// checkBudgetAmount records on verr that a fund's budget is negative, finer than the fen or
// out of range.
func checkBudgetAmount(verr *gridgov.ValidationError, d decimal.Decimal) {
	switch {
	case !inRange(d):
		verr.Add("Budget", "max",
			fmt.Sprintf("Budget must be less than 10^%d yuan", maxIntDigits),
			fmt.Sprintf("Budget（预算额度）必须小于10的%d次方元", maxIntDigits))
	case d.IsNegative():
		verr.Add("Budget", "gte", fmt.Sprintf("Budget must not be negative, not %s", showAmount(d)),
			fmt.Sprintf("Budget（预算额度）不能为负数（%s）", showAmount(d)))
	case !hasPlaces(d, 2):
		verr.Add("Budget", "fen", fmt.Sprintf("Budget must be whole fen (at most 2 decimal places), not %s", showAmount(d)),
			fmt.Sprintf("Budget（预算额度）必须精确到分（最多两位小数），而不是%s", showAmount(d)))
	}
}
