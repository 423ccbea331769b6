package escalation

import (
	"bufio"
	_ "embed"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"sync"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/gridgov/gridgov"
)

// maxRangeDays is the longest range a day line may give.
const maxRangeDays = 366

// maxLineLength is the longest line the parser reads.
const maxLineLength = 64 * 1024

// ParseCalendar reads a calendar in the data format (工作日历数据格式): plain UTF-8 text,
// one entry per line:
//
//	# comments run from '#' to the end of the line; blank lines are ignored
//	zone Asia/Shanghai                 # optional, at most once
//	years 2025-2026                    # optional, at most once: the covered years
//	hours 08:30-12:00 14:00-17:30      # optional, at most once: working hours
//	2025-01-01 holiday 元旦             # a day off
//	2025-01-28..2025-02-04 holiday 春节 # a range of days, both ends included
//	2025-01-26 workday 春节调休          # a make-up workday
//
// A zone is an IANA name loaded with [time.LoadLocation] ("Asia/Shanghai"; when the system
// has no time-zone database Asia/Shanghai falls back to a fixed +08:00 zone named "CST",
// since mainland China has not changed its clocks since 1991), "UTC", or a fixed offset
// written ±HH:MM ("+08:00"). "years" takes one year or a range (first-last). "hours" takes
// one or more spans HH:MM-HH:MM (see [Span]); without it the whole of a working day counts.
// A day line is a date (YYYY-MM-DD) or a range of at most 366 days (DATE..DATE), the kind
// "holiday" or "workday", and an optional name (the rest of the line). A date may be listed
// once; a calendar holds at most [MaxSpecialDays] days.
//
// Names may not contain '#' (it starts a comment) and are at most [MaxDayNameLength]
// characters; a UTF-8 byte-order mark at the start is ignored. [Calendar.WriteTo] writes
// the format.
//
// loc is the zone used when the data has no zone line (nil: UTC). Bad data returns a
// [*gridgov.ValidationError] of kind [gridgov.ErrInvalid] with one field per bad line, named
// "line N", in English and Chinese; an error reading r is returned as it is.
func ParseCalendar(r io.Reader, loc *time.Location) (*Calendar, error) {
	if loc == nil {
		loc = time.UTC
	}
	p := parser{
		verr:  &gridgov.ValidationError{},
		loc:   loc,
		zone:  loc.String(),
		lines: map[Date]lineDay{},
	}
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 4096), maxLineLength)
	n := 0
	for sc.Scan() {
		n++
		line := sc.Text()
		if n == 1 {
			line = strings.TrimPrefix(line, "\ufeff")
		}
		p.line(n, line)
	}
	if err := sc.Err(); err != nil {
		if !errors.Is(err, bufio.ErrTooLong) {
			return nil, fmt.Errorf("escalation: reading calendar data: %w", err)
		}
		p.fail(n+1, "length",
			fmt.Sprintf("the line is longer than %d bytes", maxLineLength),
			fmt.Sprintf("该行超过 %d 字节", maxLineLength))
	}
	p.checkCoverage()
	if err := p.verr.Err(); err != nil {
		return nil, err
	}
	opts := []CalendarOption{WithSpecialDays(p.days...)}
	if p.hoursLine != 0 {
		opts = append(opts, WithWorkingHours(p.spans...))
	}
	if p.yearsLine != 0 {
		opts = append(opts, WithCoverage(p.first, p.last))
	}
	return buildCalendar(p.loc, p.zone, &calendarBuilder{}, opts)
}

// lineDay records where a date was listed.
type lineDay struct {
	kind DayKind
	line int
}

type parser struct {
	verr *gridgov.ValidationError

	loc                            *time.Location
	zone                           string
	zoneLine, yearsLine, hoursLine int
	first, last                    int
	spans                          []Span

	days  []SpecialDay
	lines map[Date]lineDay
}

func (p *parser) fail(n int, tag, en, zh string) {
	p.verr.Add(fmt.Sprintf("line %d", n), tag,
		fmt.Sprintf("line %d: %s", n, en),
		fmt.Sprintf("第%d行：%s", n, zh))
}

// cutField splits s at its first run of white space.
func cutField(s string) (field, rest string) {
	i := strings.IndexFunc(s, unicode.IsSpace)
	if i < 0 {
		return s, ""
	}
	return s[:i], strings.TrimLeftFunc(s[i:], unicode.IsSpace)
}

func (p *parser) line(n int, s string) {
	if i := strings.IndexByte(s, '#'); i >= 0 {
		s = s[:i]
	}
	s = strings.TrimSpace(s)
	if s == "" {
		return
	}
	if !utf8.ValidString(s) {
		p.fail(n, "utf8", "the line is not valid UTF-8", "该行不是有效的 UTF-8 文本")
		return
	}
	head, rest := cutField(s)
	switch head {
	case "zone":
		p.zoneDirective(n, rest)
	case "years":
		p.yearsDirective(n, rest)
	case "hours":
		p.hoursDirective(n, rest)
	default:
		p.dayLine(n, head, rest)
	}
}

func (p *parser) once(n int, prev *int, what, whatZH string) bool {
	if *prev != 0 {
		p.fail(n, "duplicate",
			fmt.Sprintf("%s is already set on line %d", what, *prev),
			fmt.Sprintf("%s已在第%d行设置", whatZH, *prev))
		return false
	}
	*prev = n
	return true
}

func (p *parser) zoneDirective(n int, arg string) {
	if !p.once(n, &p.zoneLine, "the zone", "时区") {
		return
	}
	if arg == "" || strings.ContainsFunc(arg, unicode.IsSpace) {
		p.fail(n, "zone", "zone takes one name, for example \"zone Asia/Shanghai\"",
			"zone 须带一个时区名，例如“zone Asia/Shanghai”")
		return
	}
	loc, err := loadZone(arg)
	if err != nil {
		p.fail(n, "zone",
			fmt.Sprintf("unknown time zone %q", arg),
			fmt.Sprintf("未知时区“%s”", arg))
		return
	}
	p.loc, p.zone = loc, arg
}

// loadZone resolves a zone name of the data format.
func loadZone(name string) (*time.Location, error) {
	if name == "UTC" {
		return time.UTC, nil
	}
	if len(name) == 6 && (name[0] == '+' || name[0] == '-') && name[3] == ':' {
		h, ok1 := atoiDigits(name[1:3])
		m, ok2 := atoiDigits(name[4:6])
		if !ok1 || !ok2 || h > 14 || m > 59 {
			return nil, fmt.Errorf("escalation: bad offset %q", name)
		}
		off := h*3600 + m*60
		if name[0] == '-' {
			off = -off
		}
		return time.FixedZone(name, off), nil
	}
	loc, err := time.LoadLocation(name)
	if err != nil && name == "Asia/Shanghai" {
		return time.FixedZone("CST", 8*3600), nil
	}
	return loc, err
}

func (p *parser) yearsDirective(n int, arg string) {
	if !p.once(n, &p.yearsLine, "the covered years", "覆盖年份") {
		return
	}
	a, b, isRange := strings.Cut(arg, "-")
	if !isRange {
		b = a
	}
	first, ok1 := atoiDigits(a)
	last, ok2 := atoiDigits(b)
	if !ok1 || !ok2 || len(a) != 4 || len(b) != 4 || first < 1 || first > last {
		p.fail(n, "years",
			fmt.Sprintf("%q is not a year or a range of years such as 2025-2026", arg),
			fmt.Sprintf("“%s”不是年份或年份区间（例如 2025-2026）", arg))
		p.yearsLine = 0 // do not check days against bad years
		p.first, p.last = 0, 0
		return
	}
	p.first, p.last = first, last
}

func (p *parser) hoursDirective(n int, arg string) {
	if !p.once(n, &p.hoursLine, "the working hours", "工作时间") {
		return
	}
	fields := strings.Fields(arg)
	if len(fields) == 0 {
		p.fail(n, "hours", "hours takes one or more spans such as 08:30-12:00",
			"hours 须带一个或多个工作时段，例如 08:30-12:00")
		return
	}
	spans := make([]Span, 0, len(fields))
	for _, f := range fields {
		s, ok := parseSpan(f)
		if !ok {
			p.fail(n, "hours",
				fmt.Sprintf("%q is not a span of working hours written HH:MM-HH:MM within one day", f),
				fmt.Sprintf("“%s”不是一天之内、HH:MM-HH:MM 格式的工作时段", f))
			return
		}
		spans = append(spans, s)
	}
	sorted := slices.Clone(spans)
	slices.SortFunc(sorted, func(a, b Span) int { return compareDur(a.Start, b.Start) })
	for i := 1; i < len(sorted); i++ {
		if sorted[i].Start < sorted[i-1].End {
			p.fail(n, "overlap",
				fmt.Sprintf("working hours %s and %s overlap", sorted[i-1], sorted[i]),
				fmt.Sprintf("工作时段 %s 与 %s 重叠", sorted[i-1], sorted[i]))
			return
		}
	}
	p.spans = sorted
}

func (p *parser) dayLine(n int, dates, rest string) {
	kindWord, name := cutField(rest)
	from, to, isRange := strings.Cut(dates, "..")
	if !isRange {
		to = from
	}
	a, ok1 := parseDate(from)
	b, ok2 := parseDate(to)
	if !ok1 || !ok2 {
		p.fail(n, "date",
			fmt.Sprintf("%q is not a directive (zone, years, hours), a date YYYY-MM-DD or a range DATE..DATE", dates),
			fmt.Sprintf("“%s”既不是指令（zone、years、hours），也不是 YYYY-MM-DD 格式的日期或 日期..日期 区间", dates))
		return
	}
	span := b.days() - a.days() + 1
	if span < 1 || span > maxRangeDays {
		p.fail(n, "range",
			fmt.Sprintf("the range %s must run forwards over at most %d days", dates, maxRangeDays),
			fmt.Sprintf("区间 %s 须从前往后且不超过 %d 天", dates, maxRangeDays))
		return
	}
	var kind DayKind
	switch kindWord {
	case "holiday":
		kind = Holiday
	case "workday":
		kind = MakeUpWorkday
	default:
		p.fail(n, "kind",
			fmt.Sprintf("the kind must be \"holiday\" or \"workday\", not %q", kindWord),
			fmt.Sprintf("类型须为“holiday”（放假）或“workday”（调休上班），而不是“%s”", kindWord))
		return
	}
	if !validDayName(name) {
		p.fail(n, "name",
			fmt.Sprintf("the name must be at most %d characters without control characters", MaxDayNameLength),
			fmt.Sprintf("名称不得超过 %d 个字符且不得含控制字符", MaxDayNameLength))
		return
	}
	if len(p.days)+int(span) > MaxSpecialDays {
		p.fail(n, "max",
			fmt.Sprintf("the calendar would hold more than %d days", MaxSpecialDays),
			fmt.Sprintf("日历将超过 %d 天的上限", MaxSpecialDays))
		return
	}
	for d := a; d.days() <= b.days(); d = d.AddDays(1) {
		if prev, dup := p.lines[d]; dup {
			if prev.kind == kind {
				p.fail(n, "duplicate",
					fmt.Sprintf("%s is already listed on line %d", d, prev.line),
					fmt.Sprintf("%s 已在第%d行列出", d, prev.line))
			} else {
				p.fail(n, "conflict",
					fmt.Sprintf("%s is listed as a %s here and as a %s on line %d", d, kindEN(kind), kindEN(prev.kind), prev.line),
					fmt.Sprintf("%s 在本行为%s，在第%d行为%s", d, kind.NameZH(), prev.line, prev.kind.NameZH()))
			}
			return
		}
	}
	for d := a; d.days() <= b.days(); d = d.AddDays(1) {
		p.lines[d] = lineDay{kind, n}
		p.days = append(p.days, SpecialDay{Date: d, Kind: kind, Name: name})
	}
}

func kindEN(k DayKind) string {
	if k == MakeUpWorkday {
		return "make-up workday"
	}
	return "holiday"
}

// checkCoverage reports, once per line, days that fall outside the declared years.
func (p *parser) checkCoverage() {
	if p.yearsLine == 0 {
		return
	}
	reported := map[int]bool{}
	for _, d := range p.days {
		if d.Date.Year >= p.first && d.Date.Year <= p.last {
			continue
		}
		n := p.lines[d.Date].line
		if reported[n] {
			continue
		}
		reported[n] = true
		p.fail(n, "coverage",
			fmt.Sprintf("%s lies outside the covered years %d to %d (line %d)", d.Date, p.first, p.last, p.yearsLine),
			fmt.Sprintf("%s 不在第%d行声明的覆盖年份 %d 至 %d 之内", d.Date, p.yearsLine, p.first, p.last))
	}
	// Report in line order.
	slices.SortStableFunc(p.verr.Fields, func(a, b gridgov.FieldError) int {
		return compareInt(int64(lineOf(a.Field)), int64(lineOf(b.Field)))
	})
}

func lineOf(field string) int {
	n, _ := atoiDigits(strings.TrimPrefix(field, "line "))
	return n
}

// WriteTo writes c in the data format (see [ParseCalendar]), which reads it back to an equal
// calendar: consecutive days of the same kind and name are written as one range. The zone
// is written by name; a zone that is neither an IANA name, "UTC", nor an offset ±HH:MM (for
// example one made with [time.FixedZone] under another name) cannot be read back.
func (c *Calendar) WriteTo(w io.Writer) (int64, error) {
	var b strings.Builder
	b.WriteString("# Business calendar (工作日历); see escalation.ParseCalendar for the format.\n")
	fmt.Fprintf(&b, "zone %s\n", c.zone)
	if c.first != 0 {
		if c.first == c.last {
			fmt.Fprintf(&b, "years %04d\n", c.first)
		} else {
			fmt.Fprintf(&b, "years %04d-%04d\n", c.first, c.last)
		}
	}
	if len(c.spans) > 0 {
		b.WriteString("hours")
		for _, s := range c.spans {
			b.WriteString(" ")
			b.WriteString(s.String())
		}
		b.WriteString("\n")
	}
	for i := 0; i < len(c.special); {
		j := i + 1
		for j < len(c.special) && c.nums[j] == c.nums[j-1]+1 &&
			c.special[j].Kind == c.special[i].Kind && c.special[j].Name == c.special[i].Name {
			j++
		}
		j = min(j, i+maxRangeDays)
		d := c.special[i]
		b.WriteString(d.Date.String())
		if j-1 > i {
			b.WriteString("..")
			b.WriteString(c.special[j-1].Date.String())
		}
		b.WriteString(" ")
		b.WriteString(d.Kind.String())
		if d.Name != "" {
			b.WriteString(" ")
			b.WriteString(d.Name)
		}
		b.WriteString("\n")
		i = j
	}
	n, err := io.WriteString(w, b.String())
	return int64(n), err
}

//go:embed calendars/china_mainland.txt
var chinaMainlandData string

var (
	chinaMainland = sync.OnceValue(func() *Calendar {
		c, err := ParseCalendar(strings.NewReader(chinaMainlandData), nil)
		if err != nil {
			panic("escalation: the embedded China mainland calendar is broken: " + err.Error())
		}
		return c
	})
	chinaMainlandOffice = sync.OnceValue(func() *Calendar {
		c, err := ChinaMainland().With(WithWorkingHours(SpanOf(9, 0, 12, 0), SpanOf(13, 0, 17, 0)))
		if err != nil {
			panic("escalation: China mainland office hours: " + err.Error())
		}
		return c
	})
)

// ChinaMainland returns the working calendar of mainland China (中国大陆工作日历) for
// 2025 and 2026, from the State Council General Office's notices on holiday arrangements
// (国务院办公厅关于部分节假日安排的通知: 国办发明电〔2024〕12号 for 2025 and the notice of
// 4 November 2025 for 2026), in Asia/Shanghai (a fixed +08:00 zone named "CST" when the
// system has no time-zone database). Whole working days count (24 h each, no working hours);
// see [ChinaMainlandOfficeHours] for office hours, or derive your own with [Calendar.With].
//
// Outside 2025–2026 ([Calendar.Covers] reports false) every weekday counts as a working day:
// when a later notice is published, add its days with [Calendar.With] (extending
// [WithCoverage] to the new year) or load a data file with [ParseCalendar].
// The data is the embedded file calendars/china_mainland.txt. The returned calendar is
// shared; it is immutable.
func ChinaMainland() *Calendar { return chinaMainland() }

// ChinaMainlandOfficeHours returns [ChinaMainland] with office hours 09:00–12:00 and
// 13:00–17:00 (7 h a working day), a common pattern for government service windows. Local
// offices differ (for example 08:30–12:00 and 14:00–17:30 in summer); set theirs with
// ChinaMainland().With([WithWorkingHours](...)).
func ChinaMainlandOfficeHours() *Calendar { return chinaMainlandOffice() }
