package funding

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/shopspring/decimal"
)

// This file holds the arithmetic of rules: how many units of Per a recipient is due for
// (pro-rating), the exact product of an amount and that share, the linear choosers, and
// the wording of amounts in explanations.

// ruleFrac is the fraction n/d of a unit (n ≥ 0, d ≥ 1).
type ruleFrac struct{ n, d int64 }

// ruleShare is the number of units a line pays for: the sum of its terms, kept as
// fractions (for example 16/30 of June plus 6 whole months) so that the product with an
// amount is exact and rounded once.
type ruleShare []ruleFrac

// isZero reports whether the share is nothing.
func (s ruleShare) isZero() bool {
	for _, t := range s {
		if t.n != 0 {
			return false
		}
	}
	return true
}

// isOne reports whether the share is exactly one whole unit written as "1".
func (s ruleShare) isOne() bool { return len(s) == 1 && s[0].n == s[0].d }

// times returns amount × share, rounded half up to the fen (exact before the rounding).
func (s ruleShare) times(amount decimal.Decimal) decimal.Decimal {
	if len(s) == 1 && s[0].d == 1 {
		return amount.Mul(decimal.NewFromInt(s[0].n))
	}
	l := int64(1)
	for _, t := range s {
		l = ruleLCM(l, t.d)
	}
	n := int64(0)
	for _, t := range s {
		n += t.n * (l / t.d)
	}
	return amount.Mul(decimal.NewFromInt(n)).DivRound(decimal.NewFromInt(l), 2)
}

// text renders the share: "7", "7/12", "(16/30 + 6)".
func (s ruleShare) text() string {
	parts := make([]string, len(s))
	for i, t := range s {
		if t.n%t.d == 0 {
			parts[i] = strconv.FormatInt(t.n/t.d, 10)
		} else {
			parts[i] = fmt.Sprintf("%d/%d", t.n, t.d)
		}
	}
	if len(parts) == 1 {
		return parts[0]
	}
	return "(" + strings.Join(parts, " + ") + ")"
}

func ruleGCD(a, b int64) int64 {
	for b != 0 {
		a, b = b, a%b
	}
	return a
}

func ruleLCM(a, b int64) int64 { return a / ruleGCD(a, b) * b }

// planLoc returns the time zone of the plan's period.
func planLoc(p Period) *time.Location { return p.Start.Location() }

// planMidnight returns the start of t's day in loc.
func planMidnight(t time.Time, loc *time.Location) time.Time {
	y, m, d := t.In(loc).Date()
	return time.Date(y, m, d, 0, 0, 0, 0, loc)
}

// planDays returns the number of calendar days from a to b (both midnights in one zone),
// independent of daylight saving changes.
func planDays(a, b time.Time) int64 {
	ay, am, ad := a.Date()
	by, bm, bd := b.Date()
	ua := time.Date(ay, am, ad, 0, 0, 0, 0, time.UTC)
	ub := time.Date(by, bm, bd, 0, 0, 0, 0, time.UTC)
	return int64(ub.Sub(ua) / (24 * time.Hour))
}

// planWholeMonths reports whether p starts and ends at the start of a calendar month in
// its time zone, and is not empty.
func planWholeMonths(p Period) bool {
	if !p.Valid() {
		return false
	}
	loc := planLoc(p)
	first := func(t time.Time) bool {
		t = t.In(loc)
		return t.Day() == 1 && t.Equal(planMidnight(t, loc))
	}
	return first(p.Start) && first(p.End)
}

// planMonths returns the calendar months of p (p whole months).
func planMonths(p Period) []Period {
	var out []Period
	for m := p.Start; m.Before(p.End); m = m.AddDate(0, 1, 0) {
		out = append(out, Period{Start: m, End: m.AddDate(0, 1, 0)})
	}
	return out
}

// heldPeriod returns the part of plan a position was held, in whole days: from the day of
// appointment (included) to the day of leaving (excluded). An empty (invalid) period means
// the position was not held in the plan's period.
func heldPeriod(plan Period, since time.Time, ended bool, until time.Time) Period {
	loc := planLoc(plan)
	h := Period{Start: planMidnight(since, loc), End: plan.End}
	if ended {
		h.End = planMidnight(until, loc)
	}
	return h.Overlap(plan)
}

// shareOf returns the units of per a recipient who held the period held (inside plan, a
// whole number of months, whose calendar months are months) is due under mode.
func shareOf(per Per, mode ProRate, plan Period, months []Period, held Period) ruleShare {
	if !held.Valid() {
		return nil
	}
	m := int64(len(months))
	if held == plan && mode != ProRateDays {
		mode = ProRateNone // held throughout: every month is whole
	}
	switch mode {
	case ProRateMonths:
		k := int64(0)
		for _, mo := range months {
			if !mo.Start.Before(held.Start) && !mo.End.After(held.End) {
				k++
			}
		}
		switch per {
		case PerMonth:
			return ruleShare{{k, 1}}
		case PerYear:
			return ruleShare{{k, 12}}
		default:
			return ruleShare{{k, m}}
		}
	case ProRateDays:
		switch per {
		case PerMonth:
			return daysByUnit(months, held)
		case PerYear:
			var years []Period
			loc := planLoc(plan)
			for y := plan.Start.In(loc).Year(); ; y++ {
				yp := Year(y, loc)
				if !yp.Start.Before(plan.End) {
					break
				}
				years = append(years, yp)
			}
			return daysByUnit(years, held)
		default:
			return ruleShare{{planDays(held.Start, held.End), planDays(plan.Start, plan.End)}}
		}
	default: // ProRateNone
		switch per {
		case PerMonth:
			return ruleShare{{m, 1}}
		case PerYear:
			return ruleShare{{m, 12}}
		default:
			return ruleShare{{1, 1}}
		}
	}
}

// daysByUnit returns Σ days held in unit / days in unit over the units, whole units merged
// into one term with their neighbours.
func daysByUnit(units []Period, held Period) ruleShare {
	var out ruleShare
	whole := int64(0)
	for _, u := range units {
		o := u.Overlap(held)
		if !o.Valid() {
			continue
		}
		d, full := planDays(o.Start, o.End), planDays(u.Start, u.End)
		if d == full {
			whole++
			continue
		}
		if whole > 0 {
			out = append(out, ruleFrac{whole, 1})
			whole = 0
		}
		out = append(out, ruleFrac{d, full})
	}
	if whole > 0 || len(out) == 0 {
		out = append(out, ruleFrac{whole, 1})
	}
	return out
}

// planYuan formats an amount for English explanations: "¥1,234.50".
func planYuan(d decimal.Decimal) string { return "¥" + planGrouped(d) }

// planYuanZH formats an amount for Chinese explanations: "1,234.50元".
func planYuanZH(d decimal.Decimal) string { return planGrouped(d) + "元" }

// planGrouped writes d with two decimals and thousands separators.
func planGrouped(d decimal.Decimal) string {
	var s string
	if e := d.Exponent(); e >= -2 && e <= 0 && d.NumDigits() <= 15 {
		// The common case, without big-number arithmetic: whole fen in an int64.
		fen := d.CoefficientInt64()
		switch e {
		case 0:
			fen *= 100
		case -1:
			fen *= 10
		}
		sign := ""
		if fen < 0 {
			sign, fen = "-", -fen
		}
		s = sign + strconv.FormatInt(fen/100, 10) + "." + string([]byte{byte('0' + fen%100/10), byte('0' + fen%10)})
	} else {
		s = d.StringFixed(2)
	}
	sign := ""
	if strings.HasPrefix(s, "-") {
		sign, s = "-", s[1:]
	}
	intPart, frac, _ := strings.Cut(s, ".")
	if len(intPart) <= 3 {
		return sign + intPart + "." + frac
	}
	var b strings.Builder
	b.Grow(len(intPart) + len(intPart)/3 + 4)
	b.WriteString(sign)
	for i, c := range intPart {
		if i > 0 && (len(intPart)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	b.WriteByte('.')
	b.WriteString(frac)
	return b.String()
}

// rateText renders an amount per unit: "¥200.00/month" / "每月200.00元".
func rateText(d decimal.Decimal, per Per) (en, zh string) {
	switch per {
	case PerMonth:
		return planYuan(d) + "/month", "每月" + planYuanZH(d)
	case PerYear:
		return planYuan(d) + "/year", "每年" + planYuanZH(d)
	default:
		return planYuan(d), planYuanZH(d)
	}
}

// timesText renders "× share unit" for a share of per, or "" for one whole period.
func timesText(s ruleShare, per Per) (en, zh string) {
	if per == PerPeriod && s.isOne() {
		return "", ""
	}
	st := s.text()
	switch per {
	case PerMonth:
		unit := " months"
		if st == "1" {
			unit = " month"
		}
		return " × " + st + unit, " × " + st + "个月"
	case PerYear:
		unit := " years"
		if st == "1" || strings.Contains(st, "/") {
			unit = " year"
		}
		return " × " + st + unit, " × " + st + "年"
	default:
		return " × " + st + " of the period", " × 本期的" + st
	}
}

// ruleLinear maps x from [from, to] onto [lo, hi] linearly, clamping x first, rounded half
// up to the fen. from < to.
func ruleLinear(lo, hi, x, from, to decimal.Decimal) decimal.Decimal {
	if x.LessThan(from) {
		x = from
	}
	if x.GreaterThan(to) {
		x = to
	}
	return lo.Add(hi.Sub(lo).Mul(x.Sub(from)).DivRound(to.Sub(from), 2))
}
