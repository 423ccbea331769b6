package escalation

import (
	"time"
)

// Calendar is a business calendar (工作日历): which days are working days — weekdays, less
// public holidays, plus make-up workdays on weekends (调休) — in one time zone. Business time
// is the time that falls on working days; limits with the [Business] basis are counted in it.
//
// A Calendar is immutable once built and safe for concurrent use.
type Calendar struct {
	loc *time.Location
	off map[civilDate]bool // public holidays that fall on weekdays
	on  map[civilDate]bool // make-up workdays that fall on weekends
}

// civilDate is a calendar day, independent of time zone.
type civilDate struct {
	y int
	m time.Month
	d int
}

func dateOf(t time.Time) civilDate {
	y, m, d := t.Date()
	return civilDate{y, m, d}
}

// WeekendsOnly returns a calendar in loc (nil: UTC) whose working days are Monday to Friday,
// with no holidays.
func WeekendsOnly(loc *time.Location) *Calendar {
	if loc == nil {
		loc = time.UTC
	}
	return &Calendar{loc: loc, off: map[civilDate]bool{}, on: map[civilDate]bool{}}
}

// Location returns the calendar's time zone.
func (c *Calendar) Location() *time.Location { return c.loc }

// IsWorkday reports whether the day of t (in the calendar's zone) is a working day.
func (c *Calendar) IsWorkday(t time.Time) bool {
	d := dateOf(t.In(c.loc))
	if c.on[d] {
		return true
	}
	if c.off[d] {
		return false
	}
	wd := t.In(c.loc).Weekday()
	return wd != time.Saturday && wd != time.Sunday
}

// startOfDay returns midnight of t's day in the calendar's zone.
func (c *Calendar) startOfDay(t time.Time) time.Time {
	t = t.In(c.loc)
	y, m, d := t.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, c.loc)
}

// Add returns the instant d of business time after t. A d of zero or less returns t. When
// t falls outside working time the count starts at the next working time.
func (c *Calendar) Add(t time.Time, d time.Duration) time.Time {
	if d <= 0 {
		return t
	}
	for {
		day := c.startOfDay(t)
		next := day.AddDate(0, 0, 1)
		if c.IsWorkday(day) {
			if left := next.Sub(t); d <= left {
				return t.Add(d)
			} else {
				d -= left
			}
		}
		t = next
	}
}

// Between returns the business time from a to b (zero when b is not after a).
func (c *Calendar) Between(a, b time.Time) time.Duration {
	var total time.Duration
	for a.Before(b) {
		next := c.startOfDay(a).AddDate(0, 0, 1)
		end := next
		if b.Before(end) {
			end = b
		}
		if c.IsWorkday(a) {
			total += end.Sub(a)
		}
		a = next
	}
	return total
}
