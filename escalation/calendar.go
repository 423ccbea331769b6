package escalation

import (
	"fmt"
	"math"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/gridgov/gridgov"
)

// Calendar is a business calendar (工作日历): which days are working days — Monday to
// Friday, less public holidays (节假日), plus make-up workdays on weekends (调休上班) — and,
// optionally, the working hours (工作时间) within a working day, in one time zone. Limits
// with the [Business] basis are counted in its business time.
//
// # Business time
//
// Without working hours a working day counts in full, midnight to midnight: 24 h of business
// time per working day, so "2 working days" is 48 h of business time ([Workdays](2)), and a
// deadline of 2 working days after Friday 10:00 is the second working day after it at
// 10:00. With working hours ([WithWorkingHours]) only the time inside the spans of a working
// day counts, so a limit is a number of office hours: with 08:30–12:00 and 14:00–17:30 a
// working day holds 7 h, "2 working days" is 14 h ([Calendar.Workdays] converts), and a 1 h
// limit started at 11:30 ends at 14:30.
//
// [Calendar.Add] gives the deadline: the earliest instant at which d of business time has
// passed since t (when t is outside working time, the count starts at the next working
// time; a deadline that ends exactly at the close of a working period is that close, not the
// next opening). [Calendar.Between] measures the business time from a to b. The two are
// inverse — Between(t, Add(t, d)) == d for every t and every d > 0, except where the deadline
// falls in wall-clock time skipped by a clock change (below) — and Between is additive:
// Between(a, c) == Between(a, b) + Between(b, c) for a ≤ b ≤ c.
//
// Business time is read on the wall clock of the calendar's zone: days are civil dates, so
// a working day holds the same business time whatever daylight saving does to its length
// (a 23 h or 25 h day still counts 24 h, or the length of its spans). Where the clock is put
// back, the repeated wall-clock time counts once (business time stands still until the wall
// clock has caught up); where it jumps forward, the skipped wall-clock time counts as passed
// at the jump, so a deadline that would fall inside the skipped time is the instant of the
// jump. Inputs in other zones are converted to the calendar's zone; results are returned in
// the location of the input.
//
// Days not listed as holidays or make-up workdays follow the weekday rule, also in years the
// calendar's data does not cover (see [Calendar.Covers]).
//
// A Calendar is immutable once built and safe for concurrent use; [Calendar.With] derives a
// new one. The zero Calendar is not usable: build one with [NewCalendar], [WeekendsOnly],
// [ParseCalendar] or [ChinaMainland].
type Calendar struct {
	loc  *time.Location
	zone string // the zone's name as written by WriteTo

	spans  []Span        // sorted, disjoint; empty: the whole day counts
	dayLen time.Duration // business time of one working day

	special []SpecialDay // sorted by date, one entry per date
	nums    []int64      // day numbers of special, ascending
	cum     []int64      // cum[i]: net working days added by special[:i] (len(special)+1 entries)

	first, last int // covered years; both 0 when none is declared
}

// Limits on calendar data, so that bad input cannot exhaust memory.
const (
	// MaxSpecialDays is the largest number of holidays and make-up workdays a calendar holds.
	MaxSpecialDays = 100_000
	// MaxDayNameLength is the longest name of a special day, in characters.
	MaxDayNameLength = 64
)

// ---------------------------------------------------------------------------------------
// Dates

// Date is a civil calendar day (日期), independent of any time zone.
type Date struct {
	Year  int
	Month time.Month
	Day   int
}

// DateOf returns the civil date of t in t's own location.
func DateOf(t time.Time) Date {
	y, m, d := t.Date()
	return Date{y, m, d}
}

// ParseDate parses a date written YYYY-MM-DD (years 0001 to 9999). A malformed or impossible
// date returns a [*gridgov.ValidationError] of kind [gridgov.ErrInvalid].
func ParseDate(s string) (Date, error) {
	d, ok := parseDate(s)
	if !ok {
		return Date{}, gridgov.Invalid("Date", "date",
			fmt.Sprintf("%q is not a date written YYYY-MM-DD", s),
			fmt.Sprintf("“%s”不是 YYYY-MM-DD 格式的日期", s))
	}
	return d, nil
}

func parseDate(s string) (Date, bool) {
	if len(s) != 10 || s[4] != '-' || s[7] != '-' {
		return Date{}, false
	}
	y, ok1 := atoiDigits(s[0:4])
	m, ok2 := atoiDigits(s[5:7])
	d, ok3 := atoiDigits(s[8:10])
	date := Date{y, time.Month(m), d}
	return date, ok1 && ok2 && ok3 && date.Valid()
}

// atoiDigits parses a string of ASCII digits only (no sign, no spaces).
func atoiDigits(s string) (int, bool) {
	n := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int(c-'0')
	}
	return n, s != ""
}

// Valid reports whether d is a real day of the years 0001 to 9999.
func (d Date) Valid() bool {
	if d.Year < 1 || d.Year > 9999 || d.Month < time.January || d.Month > time.December || d.Day < 1 {
		return false
	}
	return d.Day <= daysIn(d.Year, d.Month)
}

func daysIn(y int, m time.Month) int {
	switch m {
	case time.February:
		if y%4 == 0 && (y%100 != 0 || y%400 == 0) {
			return 29
		}
		return 28
	case time.April, time.June, time.September, time.November:
		return 30
	}
	return 31
}

// String returns d written YYYY-MM-DD.
func (d Date) String() string {
	return fmt.Sprintf("%04d-%02d-%02d", d.Year, int(d.Month), d.Day)
}

// Weekday returns the day of the week of d.
func (d Date) Weekday() time.Weekday {
	return time.Weekday((floorMod(d.days()+4, 7))) // 1970-01-01 was a Thursday
}

// Compare returns -1, 0 or +1 as d is before, equal to or after e.
func (d Date) Compare(e Date) int { return compareInt(d.days(), e.days()) }

// AddDays returns the date n days after d (before it when n is negative).
func (d Date) AddDays(n int) Date { return dateFromDays(d.days() + int64(n)) }

// days returns the number of days from 1970-01-01 to d (proleptic Gregorian calendar).
func (d Date) days() int64 {
	return daysFromCivil(int64(d.Year), int64(d.Month), int64(d.Day))
}

func dateFromDays(n int64) Date {
	y, m, d := civilFromDays(n)
	return Date{int(y), time.Month(m), int(d)}
}

// daysFromCivil and civilFromDays are Howard Hinnant's algorithms
// (https://howardhinnant.github.io/date_algorithms.html).
func daysFromCivil(y, m, d int64) int64 {
	if m <= 2 {
		y--
	}
	era := floorDiv(y, 400)
	yoe := y - era*400
	mp := (m + 9) % 12
	doy := (153*mp+2)/5 + d - 1
	doe := yoe*365 + yoe/4 - yoe/100 + doy
	return era*146097 + doe - 719468
}

func civilFromDays(z int64) (y, m, d int64) {
	z += 719468
	era := floorDiv(z, 146097)
	doe := z - era*146097
	yoe := (doe - doe/1460 + doe/36524 - doe/146096) / 365
	y = yoe + era*400
	doy := doe - (365*yoe + yoe/4 - yoe/100)
	mp := (5*doy + 2) / 153
	d = doy - (153*mp+2)/5 + 1
	if mp < 10 {
		m = mp + 3
	} else {
		m = mp - 9
	}
	if m <= 2 {
		y++
	}
	return y, m, d
}

func floorDiv(a, b int64) int64 {
	q := a / b
	if a%b != 0 && (a < 0) != (b < 0) {
		q--
	}
	return q
}

func floorMod(a, b int64) int64 { return a - floorDiv(a, b)*b }

// weekend reports whether day number x is a Saturday or a Sunday.
func weekend(x int64) bool { return floorMod(x+3, 7) >= 5 } // Monday = 0

// weekdaysBefore counts the days Monday to Friday before day number x, from a fixed origin
// (only differences are meaningful).
func weekdaysBefore(x int64) int64 {
	z := x + 3 // days since Monday 1969-12-29
	return 5*floorDiv(z, 7) + min(floorMod(z, 7), 5)
}

// ---------------------------------------------------------------------------------------
// Working hours

// Span is a period of working hours within a day (工作时段): from Start to End, both offsets
// from midnight on the wall clock, End excluded. Start and End are whole minutes with
// 0 ≤ Start < End ≤ 24 h.
type Span struct {
	Start, End time.Duration
}

// SpanOf returns the span from startHour:startMinute to endHour:endMinute, for example
// SpanOf(8, 30, 12, 0) for 08:30–12:00. It does not validate; [NewCalendar] does.
func SpanOf(startHour, startMinute, endHour, endMinute int) Span {
	return Span{
		Start: time.Duration(startHour)*time.Hour + time.Duration(startMinute)*time.Minute,
		End:   time.Duration(endHour)*time.Hour + time.Duration(endMinute)*time.Minute,
	}
}

// ParseSpan parses a span written HH:MM-HH:MM, for example "08:30-12:00"; "24:00" may end
// a span. A malformed span returns a [*gridgov.ValidationError] of kind [gridgov.ErrInvalid].
func ParseSpan(s string) (Span, error) {
	sp, ok := parseSpan(s)
	if !ok {
		return Span{}, gridgov.Invalid("Span", "span",
			fmt.Sprintf("%q is not a span of working hours written HH:MM-HH:MM within one day", s),
			fmt.Sprintf("“%s”不是一天之内、HH:MM-HH:MM 格式的工作时段", s))
	}
	return sp, nil
}

func parseSpan(s string) (Span, bool) {
	from, to, ok := strings.Cut(s, "-")
	if !ok {
		return Span{}, false
	}
	a, ok1 := parseClock(from)
	b, ok2 := parseClock(to)
	sp := Span{a, b}
	return sp, ok1 && ok2 && sp.valid()
}

func parseClock(s string) (time.Duration, bool) {
	if len(s) != 5 || s[2] != ':' {
		return 0, false
	}
	h, ok1 := atoiDigits(s[:2])
	m, ok2 := atoiDigits(s[3:])
	if !ok1 || !ok2 || h > 24 || m > 59 || h == 24 && m != 0 {
		return 0, false
	}
	return time.Duration(h)*time.Hour + time.Duration(m)*time.Minute, true
}

func (s Span) valid() bool {
	return s.Start >= 0 && s.End <= 24*time.Hour && s.Start < s.End &&
		s.Start%time.Minute == 0 && s.End%time.Minute == 0
}

// Duration returns the length of s.
func (s Span) Duration() time.Duration { return s.End - s.Start }

// String returns s written HH:MM-HH:MM.
func (s Span) String() string { return clockString(s.Start) + "-" + clockString(s.End) }

func clockString(d time.Duration) string {
	if d < 0 || d%time.Minute != 0 || d > 24*time.Hour {
		return d.String()
	}
	return fmt.Sprintf("%02d:%02d", int(d/time.Hour), int(d%time.Hour/time.Minute))
}

// ---------------------------------------------------------------------------------------
// Special days

// DayKind says what a special day is.
type DayKind int

// The kinds of special day.
const (
	// Holiday is a day off (放假): a public holiday, or a weekday moved off by 调休.
	Holiday DayKind = iota + 1
	// MakeUpWorkday is a weekend day worked instead (调休上班, 补班).
	MakeUpWorkday
)

// String returns the kind's keyword in the data format: "holiday" or "workday".
func (k DayKind) String() string {
	switch k {
	case Holiday:
		return "holiday"
	case MakeUpWorkday:
		return "workday"
	}
	return fmt.Sprintf("DayKind(%d)", int(k))
}

// NameZH returns the Chinese name of k.
func (k DayKind) NameZH() string {
	switch k {
	case Holiday:
		return "放假"
	case MakeUpWorkday:
		return "调休上班"
	}
	return k.String()
}

// SpecialDay is a date that departs from the weekday rule, or is listed for its name: a
// holiday or a make-up workday. A holiday on a weekend, or a make-up workday on a weekday,
// changes nothing but is kept with its name.
type SpecialDay struct {
	Date Date
	Kind DayKind
	// Name is what the day is for, for example "春节" or "春节调休"; at most
	// [MaxDayNameLength] characters, one line, without '#'.
	Name string
}

// delta is the change the day makes to the count of working days.
func (s SpecialDay) delta() int64 {
	we := weekend(s.Date.days())
	switch {
	case s.Kind == Holiday && !we:
		return -1
	case s.Kind == MakeUpWorkday && we:
		return 1
	}
	return 0
}

func validDayName(s string) bool {
	if !utf8.ValidString(s) || utf8.RuneCountInString(s) > MaxDayNameLength ||
		strings.TrimSpace(s) != s || strings.ContainsRune(s, '#') {
		return false
	}
	for _, r := range s {
		if unicode.IsControl(r) || r == '\u2028' || r == '\u2029' || r == '\u0085' {
			return false
		}
	}
	return true
}

// ---------------------------------------------------------------------------------------
// Construction

// CalendarOption configures a calendar built by [NewCalendar] or [Calendar.With].
type CalendarOption func(*calendarBuilder)

type dayEntry struct {
	day   SpecialDay
	field string // the input field that named the day, for errors
}

type calendarBuilder struct {
	spans       []Span
	spanField   string
	days        []dayEntry
	first, last int
	coverField  string
}

// WithWorkingHours sets the working hours of every working day (工作时间): only time inside
// the spans counts as business time. Spans must be well formed (see [Span]) and must not
// overlap; their order does not matter. Called without spans it restores whole-day counting.
// A later call replaces an earlier one.
func WithWorkingHours(spans ...Span) CalendarOption {
	spans = slices.Clone(spans)
	return func(b *calendarBuilder) {
		b.spans = spans
		b.spanField = "WorkingHours"
	}
}

// WithHolidays adds days off (放假). A date listed both as a holiday and as a make-up workday
// is refused; a date listed twice as a holiday counts once.
func WithHolidays(dates ...Date) CalendarOption {
	return withDates("Holidays", Holiday, dates)
}

// WithMakeUpWorkdays adds make-up workdays (调休上班): weekend days worked instead of a
// holiday. A date listed both as a holiday and as a make-up workday is refused.
func WithMakeUpWorkdays(dates ...Date) CalendarOption {
	return withDates("MakeUpWorkdays", MakeUpWorkday, dates)
}

func withDates(field string, kind DayKind, dates []Date) CalendarOption {
	entries := make([]dayEntry, len(dates))
	for i, d := range dates {
		entries[i] = dayEntry{SpecialDay{Date: d, Kind: kind}, fmt.Sprintf("%s[%d]", field, i)}
	}
	return func(b *calendarBuilder) { b.days = append(b.days, entries...) }
}

// WithSpecialDays adds holidays and make-up workdays with their names. The rules of
// [WithHolidays] and [WithMakeUpWorkdays] apply; when a date is listed twice with the same
// kind, the first non-empty name is kept.
func WithSpecialDays(days ...SpecialDay) CalendarOption {
	entries := make([]dayEntry, len(days))
	for i, d := range days {
		entries[i] = dayEntry{d, fmt.Sprintf("SpecialDays[%d]", i)}
	}
	return func(b *calendarBuilder) { b.days = append(b.days, entries...) }
}

// WithCoverage declares the years, first to last, for which the calendar's list of holidays
// and make-up workdays is complete (see [Calendar.Covers]); every listed day must fall in
// them. A later call replaces an earlier one; WithCoverage(0, 0) removes the declaration.
func WithCoverage(firstYear, lastYear int) CalendarOption {
	return func(b *calendarBuilder) {
		b.first, b.last = firstYear, lastYear
		b.coverField = "Coverage"
	}
}

// NewCalendar builds a calendar in loc (nil: UTC) whose working days are Monday to Friday,
// changed by the options. Bad options return a [*gridgov.ValidationError] of kind
// [gridgov.ErrInvalid] naming every failing field: malformed or overlapping spans, invalid
// dates or names, a date that is both a holiday and a make-up workday, days outside the
// declared coverage.
func NewCalendar(loc *time.Location, opts ...CalendarOption) (*Calendar, error) {
	if loc == nil {
		loc = time.UTC
	}
	return buildCalendar(loc, loc.String(), &calendarBuilder{}, opts)
}

// WeekendsOnly returns a calendar in loc (nil: UTC) whose working days are Monday to Friday,
// with no holidays and no working hours.
func WeekendsOnly(loc *time.Location) *Calendar {
	c, _ := NewCalendar(loc) // cannot fail without options
	return c
}

// With returns a new calendar: c changed by the options (c itself does not change). Days are
// added to c's; working hours and coverage replace c's when given. It fails like
// [NewCalendar].
func (c *Calendar) With(opts ...CalendarOption) (*Calendar, error) {
	b := &calendarBuilder{spans: slices.Clone(c.spans), first: c.first, last: c.last}
	b.days = make([]dayEntry, len(c.special))
	for i, d := range c.special {
		b.days[i] = dayEntry{d, "Days[" + d.Date.String() + "]"}
	}
	return buildCalendar(c.loc, c.zone, b, opts)
}

func buildCalendar(loc *time.Location, zone string, b *calendarBuilder, opts []CalendarOption) (*Calendar, error) {
	for _, o := range opts {
		if o != nil {
			o(b)
		}
	}
	verr := &gridgov.ValidationError{}
	c := &Calendar{loc: loc, zone: zone, first: b.first, last: b.last}

	// Working hours.
	spans := slices.Clone(b.spans)
	valid := make([]Span, 0, len(spans))
	for i, s := range spans {
		if s.valid() {
			valid = append(valid, s)
		} else {
			verr.Add(fmt.Sprintf("%s[%d]", b.spanField, i), "span",
				fmt.Sprintf("working hours %s are not a span of whole minutes within one day with start before end", s),
				fmt.Sprintf("工作时段 %s 无效：须在一天之内、以整分钟计且开始早于结束", s))
		}
	}
	spans = valid
	slices.SortFunc(spans, func(a, b Span) int { return compareDur(a.Start, b.Start) })
	for i := 1; i < len(spans); i++ {
		if spans[i].Start < spans[i-1].End {
			verr.Add(b.spanField, "overlap",
				fmt.Sprintf("working hours %s and %s overlap", spans[i-1], spans[i]),
				fmt.Sprintf("工作时段 %s 与 %s 重叠", spans[i-1], spans[i]))
		}
	}
	c.spans = spans
	c.dayLen = 24 * time.Hour
	if len(spans) > 0 {
		c.dayLen = 0
		for _, s := range spans {
			c.dayLen += s.Duration()
		}
	}

	// Coverage.
	coverOK := true
	if c.first != 0 || c.last != 0 {
		if c.first < 1 || c.last > 9999 || c.first > c.last {
			coverOK = false
			verr.Add(b.coverField, "years",
				fmt.Sprintf("covered years %d to %d are not a range of years 1 to 9999", c.first, c.last),
				fmt.Sprintf("覆盖年份 %d 至 %d 不是 1 至 9999 之间的有效区间", c.first, c.last))
		}
	}

	// Special days.
	if len(b.days) > MaxSpecialDays {
		verr.Add("Days", "max",
			fmt.Sprintf("%d special days exceed the limit of %d", len(b.days), MaxSpecialDays),
			fmt.Sprintf("特殊日期 %d 天，超过上限 %d 天", len(b.days), MaxSpecialDays))
		return nil, verr.Err()
	}
	byDate := make(map[Date]int, len(b.days)) // index into days
	days := make([]SpecialDay, 0, len(b.days))
	for _, e := range b.days {
		d := e.day
		bad := false
		if !d.Date.Valid() {
			bad = true
			verr.Add(e.field, "date",
				fmt.Sprintf("%s is not a real date of the years 0001 to 9999", d.Date),
				fmt.Sprintf("%s 不是 0001 至 9999 年间的有效日期", d.Date))
		}
		if d.Kind != Holiday && d.Kind != MakeUpWorkday {
			bad = true
			verr.Add(e.field, "kind",
				fmt.Sprintf("%s: kind %s is neither a holiday nor a make-up workday", d.Date, d.Kind),
				fmt.Sprintf("%s：类型 %s 既不是放假也不是调休上班", d.Date, d.Kind))
		}
		if !validDayName(d.Name) {
			bad = true
			verr.Add(e.field, "name",
				fmt.Sprintf("%s: the name must be one line of at most %d characters, without '#' or surrounding spaces", d.Date, MaxDayNameLength),
				fmt.Sprintf("%s：名称须为单行、不超过 %d 个字符、不含“#”且首尾无空格", d.Date, MaxDayNameLength))
		}
		if bad {
			continue
		}
		if coverOK && c.first != 0 && (d.Date.Year < c.first || d.Date.Year > c.last) {
			verr.Add(e.field, "coverage",
				fmt.Sprintf("%s lies outside the covered years %d to %d", d.Date, c.first, c.last),
				fmt.Sprintf("%s 不在覆盖年份 %d 至 %d 之内", d.Date, c.first, c.last))
			continue
		}
		if i, dup := byDate[d.Date]; dup {
			prev := &days[i]
			if prev.Kind != d.Kind {
				verr.Add("Days["+d.Date.String()+"]", "conflict",
					fmt.Sprintf("%s is listed both as a holiday and as a make-up workday", d.Date),
					fmt.Sprintf("%s 同时被列为放假日和调休上班日", d.Date))
			} else if prev.Name == "" {
				prev.Name = d.Name
			}
			continue
		}
		byDate[d.Date] = len(days)
		days = append(days, d)
	}
	if err := verr.Err(); err != nil {
		return nil, err
	}
	slices.SortFunc(days, func(a, b SpecialDay) int { return compareInt(a.Date.days(), b.Date.days()) })
	c.special = days
	c.nums = make([]int64, len(days))
	c.cum = make([]int64, len(days)+1)
	for i, d := range days {
		c.nums[i] = d.Date.days()
		c.cum[i+1] = c.cum[i] + d.delta()
	}
	return c, nil
}

func compareDur(a, b time.Duration) int { return compareInt(int64(a), int64(b)) }

func compareInt(a, b int64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// ---------------------------------------------------------------------------------------
// Accessors

// Location returns the calendar's time zone.
func (c *Calendar) Location() *time.Location { return c.loc }

// WorkingHours returns the working hours in order (a copy); none means the whole day counts.
func (c *Calendar) WorkingHours() []Span { return slices.Clone(c.spans) }

// WorkdayLength returns the business time of one working day: 24 h without working hours,
// the total of the spans with them.
func (c *Calendar) WorkdayLength() time.Duration { return c.dayLen }

// Workdays returns n working days as business time on c (n × [Calendar.WorkdayLength]).
// [Workdays] assumes a calendar without working hours (24 h a day); on a calendar with
// working hours use this to express a limit in working days.
func (c *Calendar) Workdays(n int) time.Duration { return time.Duration(n) * c.dayLen }

// SpecialDays returns the calendar's holidays and make-up workdays in date order (a copy).
func (c *Calendar) SpecialDays() []SpecialDay { return slices.Clone(c.special) }

// Lookup returns the special day listed for the civil date of t in the calendar's zone, if
// any.
func (c *Calendar) Lookup(t time.Time) (SpecialDay, bool) {
	day, _ := c.clock(t)
	if i, ok := slices.BinarySearch(c.nums, day); ok {
		return c.special[i], true
	}
	return SpecialDay{}, false
}

// Coverage returns the years, first to last, for which the calendar declares its list of
// holidays and make-up workdays complete; ok is false when it declares none.
func (c *Calendar) Coverage() (first, last int, ok bool) {
	return c.first, c.last, c.first != 0
}

// Covers reports whether the calendar's list of holidays and make-up workdays is declared
// complete for the year of t (in the calendar's zone). Outside the covered years the
// calendar still answers — every weekday is a working day there — but it does not know the
// holidays: an application should warn, or load newer data, when a deadline falls outside.
// A calendar without declared coverage makes no claim beyond its list and covers every year.
func (c *Calendar) Covers(t time.Time) bool {
	if c.first == 0 {
		return true
	}
	y := t.In(c.loc).Year()
	return y >= c.first && y <= c.last
}

// IsWorkday reports whether the civil day of t in the calendar's zone is a working day.
func (c *Calendar) IsWorkday(t time.Time) bool {
	day, _ := c.clock(t)
	return c.isWorkday(day)
}

// IsWorkingTime reports whether t is inside working time: on a working day and, when the
// calendar has working hours, inside one of their spans.
func (c *Calendar) IsWorkingTime(t time.Time) bool {
	day, w := c.clock(t)
	if !c.isWorkday(day) {
		return false
	}
	if len(c.spans) == 0 {
		return true
	}
	for _, s := range c.spans {
		if w >= s.Start && w < s.End {
			return true
		}
	}
	return false
}

func (c *Calendar) isWorkday(day int64) bool {
	if i, ok := slices.BinarySearch(c.nums, day); ok {
		return c.special[i].Kind == MakeUpWorkday
	}
	return !weekend(day)
}

// workdaysBefore counts the working days before day number x, from a fixed origin (only
// differences are meaningful). It costs a binary search over the special days.
func (c *Calendar) workdaysBefore(x int64) int64 {
	i, _ := slices.BinarySearch(c.nums, x)
	return weekdaysBefore(x) + c.cum[i]
}

// ---------------------------------------------------------------------------------------
// Business time

// maxBackJump bounds how far back a clock change can take the wall clock (UTC offsets span
// 26 h), so that earlier zone periods cannot matter to clock.
const maxBackJump = 48 * time.Hour

// wallOf returns the civil day number and the wall-clock offset since midnight of t in t's
// location.
func wallOf(t time.Time) (int64, time.Duration) {
	_, off := t.Zone()
	s := t.Unix() + int64(off)
	day := floorDiv(s, 86400)
	return day, time.Duration(s-day*86400)*time.Second + time.Duration(t.Nanosecond())
}

// clock returns the civil day and wall-clock offset of t in the calendar's zone, made
// monotonic in t: where the clock has been put back, it returns the latest reading seen so
// far (the reading stands still until the wall clock catches up).
func (c *Calendar) clock(t time.Time) (int64, time.Duration) {
	t = t.In(c.loc)
	day, w := wallOf(t)
	s := t
	for range 8 {
		start, _ := s.ZoneBounds()
		if start.IsZero() || t.Sub(start) >= maxBackJump {
			break
		}
		// The previous zone period ends just before start: its readings approach the
		// reading of its last nanosecond plus one.
		prev := start.Add(-time.Nanosecond)
		pd, pw := wallOf(prev)
		if pw += time.Nanosecond; pw == 24*time.Hour {
			pd, pw = pd+1, 0
		}
		if pd > day || pd == day && pw > w {
			day, w = pd, pw
		}
		s = prev
	}
	return day, w
}

// business returns the business time of a working day up to wall-clock offset w.
func (c *Calendar) business(w time.Duration) time.Duration {
	if len(c.spans) == 0 {
		return w
	}
	var b time.Duration
	for _, s := range c.spans {
		if w <= s.Start {
			break
		}
		b += min(w, s.End) - s.Start
	}
	return b
}

// wallFor returns the earliest wall-clock offset at which a working day has accumulated b
// of business time, for 0 < b ≤ WorkdayLength.
func (c *Calendar) wallFor(b time.Duration) time.Duration {
	if len(c.spans) == 0 {
		return b
	}
	var acc time.Duration
	for _, s := range c.spans {
		if b <= acc+s.Duration() {
			return s.Start + b - acc
		}
		acc += s.Duration()
	}
	return c.spans[len(c.spans)-1].End
}

// Add returns the deadline d of business time after t: the earliest instant at which d of
// business time has passed since t (see [Calendar] for how business time is counted). When
// t falls outside working time the count starts at the next working time. A d of zero or
// less returns t unchanged. The result is in t's location.
//
// Add costs a few binary searches over the special days, whatever d is.
func (c *Calendar) Add(t time.Time, d time.Duration) time.Time {
	if d <= 0 {
		return t
	}
	dt, wt := c.clock(t)
	var p time.Duration // business time of t's day before t
	if c.isWorkday(dt) {
		p = c.business(wt)
	}
	// The deadline is b into the working day D that has n working days between dt and it:
	// n × dayLen + b = p + d with 0 < b ≤ dayLen.
	n := int64(d / c.dayLen)
	b := d%c.dayLen + p
	switch {
	case b == 0:
		n, b = n-1, c.dayLen
	case b > c.dayLen:
		n, b = n+1, b-c.dayLen
	}
	day := c.nthWorkday(dt, n)
	w := c.wallFor(b)
	if w == 24*time.Hour {
		day, w = day+1, 0
	}
	return c.instant(day, w).In(t.Location())
}

// nthWorkday returns the working day D ≥ from with n working days in [from, D).
func (c *Calendar) nthWorkday(from int64, n int64) int64 {
	target := c.workdaysBefore(from) + n + 1 // W(D+1) must reach it
	lo, hi := from, from+n+n/2+8
	for c.workdaysBefore(hi+1) < target {
		lo, hi = hi, hi+(hi-from)+8
	}
	// Smallest x in [lo, hi] with W(x+1) ≥ target.
	for lo < hi {
		mid := lo + (hi-lo)/2
		if c.workdaysBefore(mid+1) >= target {
			hi = mid
		} else {
			lo = mid + 1
		}
	}
	return lo
}

// instant returns the earliest instant whose monotonic clock reading is at least (day, w).
func (c *Calendar) instant(day int64, w time.Duration) time.Time {
	y, m, d := civilFromDays(day)
	g := time.Date(int(y), time.Month(m), int(d), 0, 0, 0, int(w), c.loc)
	reached := func(t time.Time) bool {
		td, tw := c.clock(t)
		return td > day || td == day && tw >= w
	}
	if reached(g) && !reached(g.Add(-time.Nanosecond)) {
		return g // the usual case: the wall-clock time exists once
	}
	// Around a clock change: search for the first instant that reaches (day, w).
	lo, hi := g.Add(-maxBackJump), g.Add(maxBackJump)
	for i := 0; i < 64 && reached(lo); i++ {
		lo = lo.Add(-maxBackJump)
	}
	for i := 0; i < 64 && !reached(hi); i++ {
		hi = hi.Add(maxBackJump)
	}
	for hi.Sub(lo) > time.Nanosecond {
		mid := lo.Add(hi.Sub(lo) / 2)
		if reached(mid) {
			hi = mid
		} else {
			lo = mid
		}
	}
	return hi
}

// Between returns the business time from a to b (zero when b is not after a), saturating at
// the largest Duration. It costs a few binary searches over the special days, whatever the
// distance from a to b.
func (c *Calendar) Between(a, b time.Time) time.Duration {
	if !b.After(a) {
		return 0
	}
	da, wa := c.clock(a)
	db, wb := c.clock(b)
	var ba, bb time.Duration
	if c.isWorkday(da) {
		ba = c.business(wa)
	}
	if c.isWorkday(db) {
		bb = c.business(wb)
	}
	n := c.workdaysBefore(db) - c.workdaysBefore(da)
	if n > (math.MaxInt64-int64(c.dayLen))/int64(c.dayLen) {
		return math.MaxInt64
	}
	return time.Duration(n)*c.dayLen + bb - ba
}
