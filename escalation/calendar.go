package escalation

import (
	"bufio"
	_ "embed"
	"fmt"
	"io"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/gridgov/gridgov"
)

// Calendar is a business calendar (工作日历): which days are working days — weekdays, less
// public holidays, plus make-up workdays on weekends (调休) — and, optionally, the working
// hours of a working day, in one time zone. Business time is the time that falls on working
// days (within the working hours when the calendar has them); limits with the [Business]
// basis are counted in it. Without working hours a whole working day counts 24 hours, so
// "2 working days" is [Workdays](2); with working hours, limits are counted in hours of
// office time.
//
// A Calendar is immutable once built and safe for concurrent use.
type Calendar struct {
	loc   *time.Location
	off   map[civilDate]bool // days off that would be working days, or inside a holiday
	on    map[civilDate]bool // weekend days worked (调休上班)
	spans []Span             // working hours; empty means the whole day
}

// Span is a stretch of working hours within a day, as offsets from midnight: [Start, End).
type Span struct {
	Start, End time.Duration
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
// with no holidays and no working hours.
func WeekendsOnly(loc *time.Location) *Calendar {
	if loc == nil {
		loc = time.UTC
	}
	return &Calendar{loc: loc, off: map[civilDate]bool{}, on: map[civilDate]bool{}}
}

//go:embed calendars/cn-2025-2026.txt
var chinaMainlandData string

var chinaMainland = sync.OnceValue(func() *Calendar {
	c, err := ParseCalendar(strings.NewReader(chinaMainlandData))
	if err != nil {
		panic(err) // the embedded file is checked by the tests
	}
	return c
})

// ChinaMainland returns the official mainland China calendar for 2025 and 2026 (public
// holidays and make-up workdays as published by the General Office of the State Council),
// in Asia/Shanghai time (a fixed UTC+8 zone named "CST" where the time-zone database is
// missing), without working hours. Outside 2025–2026 Monday to Friday are working days.
func ChinaMainland() *Calendar { return chinaMainland() }

// ParseCalendar reads a calendar from its text form: one entry per line, blank lines and
// lines starting with # ignored, where an entry is
//
//	zone Asia/Shanghai                 the time zone (default UTC; once, before any day)
//	hours 08:30-12:00 14:00-17:30      working hours (default: the whole day)
//	2026-01-01 off 元旦                 a day off (the note is optional)
//	2026-01-04 on 元旦调休上班           a weekend day worked
//
// It returns a *gridgov.ValidationError naming every bad line ("line 7") in English and
// Chinese; a day listed twice, or both off and on, is an error.
func ParseCalendar(r io.Reader) (*Calendar, error) {
	c := WeekendsOnly(nil)
	var verr gridgov.ValidationError
	bad := func(n int, en, zh string) {
		verr.Add(fmt.Sprintf("line %d", n), "calendar", fmt.Sprintf("line %d: %s", n, en), fmt.Sprintf("第%d行：%s", n, zh))
	}
	type dayEntry struct {
		line int
		d    civilDate
		on   bool
	}
	var days []dayEntry
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64*1024), 1<<20)
	n := 0
	for sc.Scan() {
		n++
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		fields := strings.Fields(line)
		switch fields[0] {
		case "zone":
			if len(fields) != 2 {
				bad(n, "want \"zone NAME\"", "应为“zone 时区名”")
				continue
			}
			if len(days) > 0 {
				bad(n, "the zone must come before the days", "时区必须写在日期之前")
				continue
			}
			loc, err := loadZone(fields[1])
			if err != nil {
				bad(n, fmt.Sprintf("unknown time zone %q", fields[1]), fmt.Sprintf("未知时区“%s”", fields[1]))
				continue
			}
			c.loc = loc
		case "hours":
			spans, err := parseSpans(fields[1:])
			if err != nil {
				bad(n, err.Error(), "工作时段格式错误（应为 08:30-12:00 这样互不重叠、按先后排列的时段）")
				continue
			}
			c.spans = spans
		default:
			if len(fields) < 2 || (fields[1] != "off" && fields[1] != "on") {
				bad(n, "want \"YYYY-MM-DD off|on [note]\"", "应为“年-月-日 off|on [备注]”")
				continue
			}
			t, err := time.Parse(time.DateOnly, fields[0])
			if err != nil {
				bad(n, fmt.Sprintf("%q is not a date", fields[0]), fmt.Sprintf("“%s”不是日期", fields[0]))
				continue
			}
			days = append(days, dayEntry{n, dateOf(t), fields[1] == "on"})
		}
	}
	if err := sc.Err(); err != nil {
		verr.Add("input", "read", "reading the calendar: "+err.Error(), "读取日历失败："+err.Error())
	}
	seen := map[civilDate]int{}
	for _, e := range days {
		if first, ok := seen[e.d]; ok {
			bad(e.line, fmt.Sprintf("day already listed on line %d", first), fmt.Sprintf("该日期已在第%d行列出", first))
			continue
		}
		seen[e.d] = e.line
		if e.on {
			c.on[e.d] = true
		} else {
			c.off[e.d] = true
		}
	}
	if err := verr.Err(); err != nil {
		return nil, err
	}
	return c, nil
}

// loadZone loads a named zone, falling back to a fixed UTC+8 "CST" for Asia/Shanghai when
// the machine lacks the time-zone database.
func loadZone(name string) (*time.Location, error) {
	loc, err := time.LoadLocation(name)
	if err != nil && name == "Asia/Shanghai" {
		return time.FixedZone("CST", 8*3600), nil
	}
	return loc, err
}

// parseSpans reads "08:30-12:00" spans, in order and without overlap.
func parseSpans(fields []string) ([]Span, error) {
	if len(fields) == 0 {
		return nil, fmt.Errorf("want at least one span such as 08:30-12:00")
	}
	var spans []Span
	for _, f := range fields {
		a, b, ok := strings.Cut(f, "-")
		start, err1 := clockTime(a)
		end, err2 := clockTime(b)
		if !ok || err1 != nil || err2 != nil {
			return nil, fmt.Errorf("%q is not a span such as 08:30-12:00", f)
		}
		spans = append(spans, Span{start, end})
	}
	return spans, checkSpans(spans)
}

func clockTime(s string) (time.Duration, error) {
	if s == "24:00" {
		return 24 * time.Hour, nil
	}
	t, err := time.Parse("15:04", s)
	if err != nil {
		return 0, err
	}
	return time.Duration(t.Hour())*time.Hour + time.Duration(t.Minute())*time.Minute, nil
}

func checkSpans(spans []Span) error {
	for i, s := range spans {
		if s.Start < 0 || s.End > 24*time.Hour || s.Start >= s.End {
			return fmt.Errorf("span %d (%v-%v) must lie within a day and end after it starts", i, s.Start, s.End)
		}
		if i > 0 && s.Start < spans[i-1].End {
			return fmt.Errorf("span %d overlaps or precedes span %d", i, i-1)
		}
	}
	return nil
}

// WithWorkingHours returns a copy of c whose business time is only the given spans of each
// working day, for example 09:00–12:00 and 13:00–17:00 (a span is [Start, End) from
// midnight). The spans must be in order, not overlap and lie within a day, otherwise it
// returns gridgov.ErrInvalid. No spans means the whole day.
func (c *Calendar) WithWorkingHours(spans ...Span) (*Calendar, error) {
	if err := checkSpans(spans); err != nil {
		return nil, gridgov.Invalid("spans", "hours", err.Error(), "工作时段必须在一天之内、按先后排列且互不重叠")
	}
	cp := *c
	cp.spans = slices.Clone(spans)
	return &cp, nil
}

// Location returns the calendar's time zone.
func (c *Calendar) Location() *time.Location { return c.loc }

// IsWorkday reports whether the day of t (in the calendar's zone) is a working day.
func (c *Calendar) IsWorkday(t time.Time) bool {
	t = t.In(c.loc)
	d := dateOf(t)
	if c.on[d] {
		return true
	}
	if c.off[d] {
		return false
	}
	wd := t.Weekday()
	return wd != time.Saturday && wd != time.Sunday
}

// workingTime calls fn with each stretch of business time on the day starting at midnight
// day (in the calendar's zone), in order, until fn returns false. Stretches are computed
// from wall-clock times, so days of daylight-saving changes are handled.
func (c *Calendar) workingTime(day time.Time, fn func(from, to time.Time) bool) bool {
	if !c.IsWorkday(day) {
		return true
	}
	y, m, d := day.Date()
	if len(c.spans) == 0 {
		return fn(day, time.Date(y, m, d+1, 0, 0, 0, 0, c.loc))
	}
	for _, s := range c.spans {
		from := time.Date(y, m, d, 0, 0, 0, 0, c.loc).Add(s.Start)
		to := time.Date(y, m, d, 0, 0, 0, 0, c.loc).Add(s.End)
		if !fn(from, to) {
			return false
		}
	}
	return true
}

// startOfDay returns midnight of t's day in the calendar's zone.
func (c *Calendar) startOfDay(t time.Time) time.Time {
	y, m, d := t.In(c.loc).Date()
	return time.Date(y, m, d, 0, 0, 0, 0, c.loc)
}

// maxDays bounds the walks of Add and Between (about 270 years), so that absurd durations
// cannot loop for long.
const maxDays = 100_000

// Add returns the instant d of business time after t. A d of zero or less returns t. When
// t falls outside business time the count starts at the next business time.
func (c *Calendar) Add(t time.Time, d time.Duration) time.Time {
	if d <= 0 {
		return t
	}
	result := time.Time{}
	day := c.startOfDay(t)
	for i := 0; i < maxDays && result.IsZero(); i++ {
		c.workingTime(day, func(from, to time.Time) bool {
			if !to.After(t) {
				return true
			}
			if from.Before(t) {
				from = t
			}
			if left := to.Sub(from); d <= left {
				result = from.Add(d)
				return false
			} else {
				d -= left
			}
			return true
		})
		y, m, dd := day.Date()
		day = time.Date(y, m, dd+1, 0, 0, 0, 0, c.loc)
	}
	return result
}

// Between returns the business time from a to b (zero when b is not after a).
func (c *Calendar) Between(a, b time.Time) time.Duration {
	var total time.Duration
	day := c.startOfDay(a)
	for i := 0; i < maxDays && day.Before(b); i++ {
		c.workingTime(day, func(from, to time.Time) bool {
			if from.Before(a) {
				from = a
			}
			if to.After(b) {
				to = b
			}
			if to.After(from) {
				total += to.Sub(from)
			}
			return true
		})
		y, m, d := day.Date()
		day = time.Date(y, m, d+1, 0, 0, 0, 0, c.loc)
	}
	return total
}
