package escalation_test

import (
	"errors"
	"math/rand/v2"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gridgov/gridgov"
	"github.com/gridgov/gridgov/escalation"
)

const calDay = 24 * time.Hour

var calCST = time.FixedZone("CST", 8*3600)

// at returns a wall-clock time in the China Standard Time zone.
func calAt(y int, m time.Month, d, h, min int) time.Time {
	return time.Date(y, m, d, h, min, 0, 0, calCST)
}

func calDate(s string) escalation.Date {
	d, err := escalation.ParseDate(s)
	if err != nil {
		panic(err)
	}
	return d
}

// splitHours is the working day of many street offices: 08:30–12:00 and 14:00–17:30 (7 h).
var calSplitHours = []escalation.Span{escalation.SpanOf(8, 30, 12, 0), escalation.SpanOf(14, 0, 17, 30)}

func calChinaSplit(t testing.TB) *escalation.Calendar {
	c, err := escalation.ChinaMainland().With(escalation.WithWorkingHours(calSplitHours...))
	require.NoError(t, err)
	return c
}

// requireValidation checks a refusal: ErrInvalid, a ValidationError naming the given fields
// (in order), every message in both languages.
func calRequireInvalid(t *testing.T, err error, fields ...string) *gridgov.ValidationError {
	t.Helper()
	require.ErrorIs(t, err, gridgov.ErrInvalid)
	var verr *gridgov.ValidationError
	require.True(t, errors.As(err, &verr), "want a ValidationError, got %v", err)
	for _, f := range verr.Fields {
		require.NotEmpty(t, f.Field)
		require.NotEmpty(t, f.Tag)
		require.NotEmpty(t, f.EN)
		require.NotEmpty(t, f.ZH)
	}
	if fields != nil {
		require.Equal(t, fields, verr.FieldNames(), "%v", err)
	}
	return verr
}

// --- The official schedules -------------------------------------------------------------

// TestChinaMainlandNotices checks the embedded data against the notices day by day: every
// date the notices name with the weekday they give for it, and the count of working days.
func TestChinaMainlandNotices(t *testing.T) {
	cal := escalation.ChinaMainland()
	type entry struct {
		from, to string
		weekdays [2]time.Weekday // of from and to, as printed in the notice
		kind     escalation.DayKind
	}
	H, W := escalation.Holiday, escalation.MakeUpWorkday
	entries := []entry{
		// 2025 (国办发明电〔2024〕12号)
		{"2025-01-01", "2025-01-01", [2]time.Weekday{time.Wednesday, time.Wednesday}, H},
		{"2025-01-28", "2025-02-04", [2]time.Weekday{time.Tuesday, time.Tuesday}, H},
		{"2025-01-26", "2025-01-26", [2]time.Weekday{time.Sunday, time.Sunday}, W},
		{"2025-02-08", "2025-02-08", [2]time.Weekday{time.Saturday, time.Saturday}, W},
		{"2025-04-04", "2025-04-06", [2]time.Weekday{time.Friday, time.Sunday}, H},
		{"2025-05-01", "2025-05-05", [2]time.Weekday{time.Thursday, time.Monday}, H},
		{"2025-04-27", "2025-04-27", [2]time.Weekday{time.Sunday, time.Sunday}, W},
		{"2025-05-31", "2025-06-02", [2]time.Weekday{time.Saturday, time.Monday}, H},
		{"2025-10-01", "2025-10-08", [2]time.Weekday{time.Wednesday, time.Wednesday}, H},
		{"2025-09-28", "2025-09-28", [2]time.Weekday{time.Sunday, time.Sunday}, W},
		{"2025-10-11", "2025-10-11", [2]time.Weekday{time.Saturday, time.Saturday}, W},
		// 2026 (notice of 4 November 2025)
		{"2026-01-01", "2026-01-03", [2]time.Weekday{time.Thursday, time.Saturday}, H},
		{"2026-01-04", "2026-01-04", [2]time.Weekday{time.Sunday, time.Sunday}, W},
		{"2026-02-15", "2026-02-23", [2]time.Weekday{time.Sunday, time.Monday}, H},
		{"2026-02-14", "2026-02-14", [2]time.Weekday{time.Saturday, time.Saturday}, W},
		{"2026-02-28", "2026-02-28", [2]time.Weekday{time.Saturday, time.Saturday}, W},
		{"2026-04-04", "2026-04-06", [2]time.Weekday{time.Saturday, time.Monday}, H},
		{"2026-05-01", "2026-05-05", [2]time.Weekday{time.Friday, time.Tuesday}, H},
		{"2026-05-09", "2026-05-09", [2]time.Weekday{time.Saturday, time.Saturday}, W},
		{"2026-06-19", "2026-06-21", [2]time.Weekday{time.Friday, time.Sunday}, H},
		{"2026-09-25", "2026-09-27", [2]time.Weekday{time.Friday, time.Sunday}, H},
		{"2026-10-01", "2026-10-07", [2]time.Weekday{time.Thursday, time.Wednesday}, H},
		{"2026-09-20", "2026-09-20", [2]time.Weekday{time.Sunday, time.Sunday}, W},
		{"2026-10-10", "2026-10-10", [2]time.Weekday{time.Saturday, time.Saturday}, W},
	}
	listed := map[escalation.Date]escalation.DayKind{}
	for _, e := range entries {
		from, to := calDate(e.from), calDate(e.to)
		assert.Equal(t, e.weekdays[0], from.Weekday(), "weekday of %s", from)
		assert.Equal(t, e.weekdays[1], to.Weekday(), "weekday of %s", to)
		for d := from; d.Compare(to) <= 0; d = d.AddDays(1) {
			listed[d] = e.kind
		}
	}
	special := cal.SpecialDays()
	require.Len(t, special, len(listed), "the data lists exactly the notices' days")
	for _, s := range special {
		assert.Equal(t, listed[s.Date], s.Kind, "%s", s.Date)
		assert.NotEmpty(t, s.Name, "%s has a name", s.Date)
		noon := time.Date(s.Date.Year, s.Date.Month, s.Date.Day, 12, 0, 0, 0, calCST)
		assert.Equal(t, s.Kind == escalation.MakeUpWorkday, cal.IsWorkday(noon), "%s", s.Date)
		if s.Kind == escalation.MakeUpWorkday {
			wd := s.Date.Weekday()
			assert.True(t, wd == time.Saturday || wd == time.Sunday, "make-up day %s on a weekend", s.Date)
		}
		got, ok := cal.Lookup(noon)
		require.True(t, ok)
		assert.Equal(t, s, got)
	}

	// 261 weekdays a year, 18 (2025) and 19 (2026) of them off, 5 and 6 make-up days: 248.
	for _, y := range []int{2025, 2026} {
		got := cal.Between(calAt(y, 1, 1, 0, 0), calAt(y+1, 1, 1, 0, 0))
		assert.Equal(t, 248*calDay, got, "working days in %d", y)
	}
	first, last, ok := cal.Coverage()
	assert.Equal(t, [3]any{2025, 2026, true}, [3]any{first, last, ok})
	assert.True(t, cal.Covers(calAt(2025, 1, 1, 0, 0)))
	assert.True(t, cal.Covers(calAt(2026, 12, 31, 23, 59)))
	assert.False(t, cal.Covers(calAt(2027, 1, 1, 0, 0)))
	assert.False(t, cal.Covers(calAt(2024, 12, 31, 23, 59)))
	assert.Equal(t, "Asia/Shanghai", calZoneName(cal))
	assert.Equal(t, 24*time.Hour, cal.WorkdayLength())
	assert.Empty(t, cal.WorkingHours())
	assert.Same(t, cal, escalation.ChinaMainland(), "the preset is built once and shared")

	office := escalation.ChinaMainlandOfficeHours()
	assert.Equal(t, 7*time.Hour, office.WorkdayLength())
	assert.Equal(t, []escalation.Span{escalation.SpanOf(9, 0, 12, 0), escalation.SpanOf(13, 0, 17, 0)},
		office.WorkingHours())
	assert.Equal(t, 248*7*time.Hour, office.Between(calAt(2025, 1, 1, 0, 0), calAt(2026, 1, 1, 0, 0)))
}

// zoneName returns the zone line a calendar writes.
func calZoneName(c *escalation.Calendar) string {
	var b strings.Builder
	_, _ = c.WriteTo(&b)
	for _, l := range strings.Split(b.String(), "\n") {
		if z, ok := strings.CutPrefix(l, "zone "); ok {
			return z
		}
	}
	return ""
}

func TestChinaMainlandDeadlines(t *testing.T) {
	cal := escalation.ChinaMainland()
	tests := []struct {
		name  string
		start time.Time
		limit time.Duration
		want  time.Time
	}{
		{"make-up Sunday counts: 2 working days after Fri 26 Sep 2025", calAt(2025, 9, 26, 10, 0), 2 * calDay, calAt(2025, 9, 29, 10, 0)},
		{"across National Day 2025", calAt(2025, 9, 30, 15, 0), 2 * calDay, calAt(2025, 10, 10, 15, 0)},
		{"make-up Saturday after National Day", calAt(2025, 10, 10, 9, 0), calDay, calAt(2025, 10, 11, 9, 0)},
		{"started on a holiday: counts from the next working day", calAt(2025, 10, 1, 9, 0), calDay, calAt(2025, 10, 10, 0, 0)},
		{"Spring Festival 2025", calAt(2025, 1, 27, 8, 0), calDay, calAt(2025, 2, 5, 8, 0)},
		{"Spring Festival 2026 with the make-up Saturday before", calAt(2026, 2, 13, 12, 0), 2 * calDay, calAt(2026, 2, 24, 12, 0)},
		{"New Year 2026 and its make-up Sunday", calAt(2025, 12, 31, 12, 0), calDay, calAt(2026, 1, 4, 12, 0)},
		{"Labour Day 2026", calAt(2026, 4, 30, 18, 0), 2 * calDay, calAt(2026, 5, 7, 18, 0)},
		{"Mid-Autumn and National Day 2026", calAt(2026, 9, 24, 0, 0), 3 * calDay, calAt(2026, 9, 30, 0, 0)},
		{"ends exactly at midnight of a working day", calAt(2025, 9, 29, 0, 0), calDay, calAt(2025, 9, 30, 0, 0)},
		{"ends at the close of the last working day before a holiday", calAt(2025, 9, 30, 0, 0), calDay, calAt(2025, 10, 1, 0, 0)},
		{"a weekend start counts from Monday", calAt(2025, 3, 8, 15, 0), calDay + time.Hour, calAt(2025, 3, 11, 1, 0)},
		{"15 working days (a complex matter)", calAt(2025, 9, 15, 9, 0), 15 * calDay, calAt(2025, 10, 11, 9, 0)},
		{"beyond the data: 1 Jan 2027 counts as a working Friday", calAt(2026, 12, 31, 12, 0), calDay, calAt(2027, 1, 1, 12, 0)},
		{"zero limit", calAt(2025, 10, 1, 9, 0), 0, calAt(2025, 10, 1, 9, 0)},
		{"negative limit", calAt(2025, 10, 1, 9, 0), -time.Hour, calAt(2025, 10, 1, 9, 0)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := cal.Add(tt.start, tt.limit)
			assert.True(t, tt.want.Equal(got), "want %s, got %s", tt.want, got)
			if tt.limit > 0 {
				assert.Equal(t, tt.limit, cal.Between(tt.start, got))
			}
		})
	}
}

func TestWorkingHours(t *testing.T) {
	cal := calChinaSplit(t)
	// Monday 22 September 2025; Friday 26th; Sunday 28th is a make-up workday.
	tests := []struct {
		name  string
		start time.Time
		limit time.Duration
		want  time.Time
	}{
		{"1 h from 11:30 skips lunch", calAt(2025, 9, 22, 11, 30), time.Hour, calAt(2025, 9, 22, 14, 30)},
		{"before opening", calAt(2025, 9, 22, 7, 0), time.Hour, calAt(2025, 9, 22, 9, 30)},
		{"at lunch", calAt(2025, 9, 22, 12, 30), 30 * time.Minute, calAt(2025, 9, 22, 14, 30)},
		{"ends exactly at noon", calAt(2025, 9, 22, 11, 0), time.Hour, calAt(2025, 9, 22, 12, 0)},
		{"overnight", calAt(2025, 9, 22, 17, 0), time.Hour, calAt(2025, 9, 23, 9, 0)},
		{"a whole working day ends at the close", calAt(2025, 9, 22, 8, 30), 7 * time.Hour, calAt(2025, 9, 22, 17, 30)},
		{"after closing", calAt(2025, 9, 22, 20, 0), 7 * time.Hour, calAt(2025, 9, 23, 17, 30)},
		{"2 working days", calAt(2025, 9, 22, 8, 30), cal.Workdays(2), calAt(2025, 9, 23, 17, 30)},
		{"Friday evening to the make-up Sunday", calAt(2025, 9, 26, 17, 0), time.Hour, calAt(2025, 9, 28, 9, 0)},
		{"over the weekend", calAt(2025, 9, 19, 17, 0), time.Hour, calAt(2025, 9, 22, 9, 0)},
		{"over National Day", calAt(2025, 9, 30, 16, 0), 4 * time.Hour, calAt(2025, 10, 9, 11, 0)},
		{"zero limit outside working time", calAt(2025, 9, 22, 13, 0), 0, calAt(2025, 9, 22, 13, 0)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := cal.Add(tt.start, tt.limit)
			assert.True(t, tt.want.Equal(got), "want %s, got %s", tt.want, got)
			if tt.limit > 0 {
				assert.Equal(t, tt.limit, cal.Between(tt.start, got))
			}
		})
	}

	between := []struct {
		name string
		a, b time.Time
		want time.Duration
	}{
		{"a morning", calAt(2025, 9, 22, 8, 30), calAt(2025, 9, 22, 12, 0), 3*time.Hour + 30*time.Minute},
		{"lunch counts nothing", calAt(2025, 9, 22, 12, 0), calAt(2025, 9, 22, 14, 0), 0},
		{"a night counts nothing", calAt(2025, 9, 22, 17, 30), calAt(2025, 9, 23, 8, 30), 0},
		{"a week", calAt(2025, 9, 22, 0, 0), calAt(2025, 9, 29, 0, 0), 6 * 7 * time.Hour},
		{"National Day week", calAt(2025, 10, 1, 0, 0), calAt(2025, 10, 9, 0, 0), 0},
		{"reversed", calAt(2025, 9, 23, 0, 0), calAt(2025, 9, 22, 0, 0), 0},
		{"equal", calAt(2025, 9, 23, 10, 0), calAt(2025, 9, 23, 10, 0), 0},
	}
	for _, tt := range between {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, cal.Between(tt.a, tt.b))
		})
	}

	assert.True(t, cal.IsWorkingTime(calAt(2025, 9, 22, 8, 30)))
	assert.False(t, cal.IsWorkingTime(calAt(2025, 9, 22, 12, 0)))
	assert.False(t, cal.IsWorkingTime(calAt(2025, 9, 27, 10, 0)), "Saturday")
	assert.True(t, cal.IsWorkingTime(calAt(2025, 9, 28, 10, 0)), "make-up Sunday")
	assert.True(t, escalation.ChinaMainland().IsWorkingTime(calAt(2025, 9, 22, 3, 0)))
}

// --- Construction and validation --------------------------------------------------------

func TestNewCalendarValidation(t *testing.T) {
	_, err := escalation.NewCalendar(nil,
		escalation.WithWorkingHours(escalation.SpanOf(8, 0, 12, 0), escalation.SpanOf(11, 0, 13, 0),
			escalation.SpanOf(18, 0, 17, 0), escalation.SpanOf(23, 0, 25, 0),
			escalation.Span{Start: time.Second, End: time.Hour}),
		escalation.WithHolidays(calDate("2025-01-26"), escalation.Date{Year: 2025, Month: 2, Day: 30}),
		escalation.WithMakeUpWorkdays(calDate("2025-01-26")),
		escalation.WithSpecialDays(escalation.SpecialDay{Date: calDate("2025-03-01"), Kind: escalation.Holiday, Name: "a # b"},
			escalation.SpecialDay{Date: calDate("2025-03-02"), Kind: 7}),
	)
	verr := calRequireInvalid(t, err, "WorkingHours[2]", "WorkingHours[3]", "WorkingHours[4]",
		"WorkingHours", "Holidays[1]", "Days[2025-01-26]", "SpecialDays[0]", "SpecialDays[1]")
	assert.Contains(t, verr.Error(), "2025-01-26 is listed both as a holiday and as a make-up workday")
	assert.Contains(t, verr.Message(gridgov.Chinese), "2025-01-26 同时被列为放假日和调休上班日")

	_, err = escalation.NewCalendar(nil, escalation.WithCoverage(2025, 2025),
		escalation.WithHolidays(calDate("2025-01-01"), calDate("2026-01-01")))
	calRequireInvalid(t, err, "Holidays[1]")
	_, err = escalation.NewCalendar(nil, escalation.WithCoverage(2026, 2025))
	calRequireInvalid(t, err, "Coverage")

	// The China calendar refuses a make-up day on one of its holidays.
	_, err = escalation.ChinaMainland().With(escalation.WithMakeUpWorkdays(calDate("2025-10-08")))
	calRequireInvalid(t, err, "Days[2025-10-08]")

	// Duplicates of the same kind merge; adjacent spans are fine; a nil option is ignored.
	c, err := escalation.NewCalendar(time.UTC,
		escalation.WithHolidays(calDate("2025-05-01"), calDate("2025-05-01")),
		escalation.WithSpecialDays(escalation.SpecialDay{Date: calDate("2025-05-01"), Kind: escalation.Holiday, Name: "劳动节"}),
		escalation.WithWorkingHours(escalation.SpanOf(13, 0, 17, 0), escalation.SpanOf(9, 0, 13, 0)),
		nil)
	require.NoError(t, err)
	assert.Equal(t, []escalation.SpecialDay{{Date: calDate("2025-05-01"), Kind: escalation.Holiday, Name: "劳动节"}}, c.SpecialDays())
	assert.Equal(t, []escalation.Span{escalation.SpanOf(9, 0, 13, 0), escalation.SpanOf(13, 0, 17, 0)}, c.WorkingHours())
	assert.Equal(t, 8*time.Hour, c.WorkdayLength())
	_, _, covered := c.Coverage()
	assert.False(t, covered)
	assert.True(t, c.Covers(time.Date(1900, 1, 1, 0, 0, 0, 0, time.UTC)))

	// With leaves its receiver alone.
	base := escalation.WeekendsOnly(nil)
	derived, err := base.With(escalation.WithHolidays(calDate("2025-05-01")), escalation.WithWorkingHours(calSplitHours...))
	require.NoError(t, err)
	assert.Empty(t, base.SpecialDays())
	assert.Empty(t, base.WorkingHours())
	assert.Len(t, derived.SpecialDays(), 1)
	assert.Equal(t, time.UTC, base.Location())
	whole, err := derived.With(escalation.WithWorkingHours())
	require.NoError(t, err)
	assert.Equal(t, calDay, whole.WorkdayLength())
}

func TestDateAndSpan(t *testing.T) {
	for _, s := range []string{"2025-01-01", "2024-02-29", "0001-01-01", "9999-12-31"} {
		d, err := escalation.ParseDate(s)
		require.NoError(t, err, s)
		assert.Equal(t, s, d.String())
		assert.True(t, d.Valid())
	}
	for _, s := range []string{"", "2025-1-01", "2025-13-01", "2025-02-29", "0000-01-01", "2025/01/01",
		"+025-01-01", "2025-01-01 ", "２０２５-01-01"} {
		_, err := escalation.ParseDate(s)
		calRequireInvalid(t, err, "Date")
	}
	assert.Equal(t, calDate("2025-03-01"), calDate("2025-02-28").AddDays(1))
	assert.Equal(t, calDate("2024-12-31"), calDate("2025-01-01").AddDays(-1))
	assert.Equal(t, time.Wednesday, calDate("2025-01-01").Weekday())
	assert.Equal(t, time.Monday, calDate("0001-01-01").Weekday())
	assert.Equal(t, calDate("2025-09-28"), escalation.DateOf(calAt(2025, 9, 28, 23, 0)))
	assert.Equal(t, -1, calDate("2025-01-01").Compare(calDate("2025-01-02")))

	for s, want := range map[string]escalation.Span{
		"08:30-12:00": escalation.SpanOf(8, 30, 12, 0),
		"00:00-24:00": escalation.SpanOf(0, 0, 24, 0),
	} {
		got, err := escalation.ParseSpan(s)
		require.NoError(t, err, s)
		assert.Equal(t, want, got)
		assert.Equal(t, s, got.String())
	}
	for _, s := range []string{"", "8:30-12:00", "12:00-08:30", "08:30-08:30", "08:30-24:01",
		"24:00-24:00", "08:60-09:00", "08:30", "08:30-12:00-13:00"} {
		_, err := escalation.ParseSpan(s)
		calRequireInvalid(t, err, "Span")
	}
	assert.Equal(t, "holiday", escalation.Holiday.String())
	assert.Equal(t, "workday", escalation.MakeUpWorkday.String())
	assert.Equal(t, "调休上班", escalation.MakeUpWorkday.NameZH())
	assert.Equal(t, "DayKind(9)", escalation.DayKind(9).String())
}

// --- Zones and daylight saving ----------------------------------------------------------

func TestZones(t *testing.T) {
	cal := escalation.ChinaMainland()
	start := calAt(2025, 9, 26, 10, 0)
	want := calAt(2025, 9, 29, 10, 0)
	for _, loc := range []*time.Location{time.UTC, time.FixedZone("EST", -5*3600), time.FixedZone("NPT", 5*3600+45*60)} {
		got := cal.Add(start.In(loc), 2*calDay)
		assert.True(t, want.Equal(got), "%s: want %s, got %s", loc, want, got)
		assert.Equal(t, loc, got.Location(), "the result keeps the input's location")
		assert.Equal(t, 2*calDay, cal.Between(start.In(loc), want.In(time.UTC)))
	}
	// 23:00 UTC on Friday is already Saturday in Beijing: not a working day.
	assert.False(t, cal.IsWorkday(time.Date(2025, 9, 26, 17, 0, 0, 0, time.UTC)))
	assert.True(t, cal.IsWorkday(time.Date(2025, 9, 26, 15, 59, 0, 0, time.UTC)))
	// The same calendar in UTC gives other instants.
	utc, err := escalation.NewCalendar(time.UTC, escalation.WithMakeUpWorkdays(calDate("2025-09-28")))
	require.NoError(t, err)
	assert.True(t, time.Date(2025, 9, 29, 2, 0, 0, 0, time.UTC).Equal(utc.Add(start, 2*calDay)))
}

func calNewYork(t *testing.T) *time.Location {
	loc, err := time.LoadLocation("America/New_York")
	if err != nil {
		t.Skip("no time-zone database:", err)
	}
	return loc
}

func TestDaylightSaving(t *testing.T) {
	ny := calNewYork(t)
	nyAt := func(m time.Month, d, h, min int, dst bool) time.Time {
		tt := time.Date(2025, m, d, h, min, 0, 0, ny)
		// time.Date picks one of two instants in the repeated hour: pick the asked one.
		if _, off := tt.Zone(); dst != (off == -4*3600) {
			if dst {
				tt = tt.Add(-time.Hour)
			} else {
				tt = tt.Add(time.Hour)
			}
		}
		return tt
	}
	// Clocks jump 02:00 → 03:00 on Sunday 9 March 2025 and go back 02:00 → 01:00 on Sunday
	// 2 November 2025. Make both Sundays working days to see inside them.
	cal, err := escalation.NewCalendar(ny, escalation.WithMakeUpWorkdays(calDate("2025-03-09"), calDate("2025-11-02")))
	require.NoError(t, err)

	// Whole days count 24 h, whatever their real length.
	assert.Equal(t, calDay, cal.Between(nyAt(3, 9, 0, 0, false), nyAt(3, 10, 0, 0, true)), "23 h day")
	assert.Equal(t, calDay, cal.Between(nyAt(11, 2, 0, 0, true), nyAt(11, 3, 0, 0, false)), "25 h day")
	// Deadlines keep the wall-clock time across the changes.
	assert.True(t, nyAt(3, 10, 10, 0, true).Equal(cal.Add(nyAt(3, 7, 10, 0, false), 2*calDay)))
	assert.True(t, nyAt(11, 3, 10, 0, false).Equal(cal.Add(nyAt(10, 31, 10, 0, true), 2*calDay)))

	// Spring forward: the skipped hour passes at the jump.
	jump := nyAt(3, 9, 3, 0, true)
	assert.True(t, jump.Equal(cal.Add(nyAt(3, 9, 0, 0, false), 2*time.Hour+30*time.Minute)), "a deadline in the gap is the jump")
	assert.True(t, jump.Equal(cal.Add(nyAt(3, 9, 0, 0, false), 3*time.Hour)))
	assert.Equal(t, 3*time.Hour, cal.Between(nyAt(3, 9, 0, 0, false), jump))
	assert.Equal(t, time.Hour+time.Minute, cal.Between(jump.Add(-time.Minute), jump), "01:59 → 03:00")

	// Fall back: the repeated hour counts once.
	first := nyAt(11, 2, 1, 30, true)
	second := nyAt(11, 2, 1, 30, false)
	require.Equal(t, time.Hour, second.Sub(first))
	assert.True(t, first.Equal(cal.Add(nyAt(11, 2, 0, 0, true), 90*time.Minute)))
	assert.Equal(t, 30*time.Minute, cal.Between(first, second), "business time stands still in the repeat")
	assert.Equal(t, time.Duration(0), cal.Between(nyAt(11, 2, 1, 0, false), second))
	back := nyAt(11, 2, 1, 0, false) // the instant the clocks go back
	assert.True(t, back.Equal(cal.Add(first, 30*time.Minute)), "02:00 is reached when the clocks go back")
	assert.Equal(t, 2*time.Hour, cal.Between(nyAt(11, 2, 0, 0, true), back))
	assert.Equal(t, 2*time.Hour, cal.Between(nyAt(11, 2, 0, 0, true), nyAt(11, 2, 2, 0, false)))

	// Invariants hold on both days at every minute.
	for _, d := range []time.Month{3, 11} {
		dd := 9
		if d == 11 {
			dd = 2
		}
		start := time.Date(2025, d, dd, 0, 0, 0, 0, ny)
		prev := time.Duration(0)
		for m := 0; m <= 26*60; m++ {
			u := start.Add(time.Duration(m) * time.Minute)
			b := cal.Between(start, u)
			require.GreaterOrEqual(t, b, prev, "monotonic at %s", u)
			prev = b
			got := cal.Add(start, b)
			require.False(t, got.After(u), "Add(start, Between(start, u)) ≤ u at %s", u)
			require.Equal(t, b, cal.Between(start, got))
		}
	}

	// With working hours across the gap: 01:00–04:00 holds 3 h of business time.
	night, err := cal.With(escalation.WithWorkingHours(escalation.SpanOf(1, 0, 4, 0)))
	require.NoError(t, err)
	assert.Equal(t, 3*time.Hour, night.Between(nyAt(3, 9, 0, 0, false), nyAt(3, 10, 0, 0, true)))
	assert.True(t, nyAt(3, 9, 3, 30, true).Equal(night.Add(nyAt(3, 9, 0, 0, false), 150*time.Minute)))
}

// --- Properties ------------------------------------------------------------------------

// naiveBetween walks day by day through the spans: the reference for zones without clock
// changes (and the benchmarks' baseline).
func calNaiveBetween(c *escalation.Calendar, a, b time.Time) time.Duration {
	if !b.After(a) {
		return 0
	}
	loc := c.Location()
	spans := c.WorkingHours()
	if len(spans) == 0 {
		spans = []escalation.Span{{Start: 0, End: calDay}}
	}
	y, m, d := a.In(loc).Date()
	var total time.Duration
	for midnight := time.Date(y, m, d, 0, 0, 0, 0, loc); midnight.Before(b); midnight = midnight.AddDate(0, 0, 1) {
		if !c.IsWorkday(midnight) {
			continue
		}
		for _, s := range spans {
			from, to := midnight.Add(s.Start), midnight.Add(s.End)
			if from.Before(a) {
				from = a
			}
			if to.After(b) {
				to = b
			}
			if to.After(from) {
				total += to.Sub(from)
			}
		}
	}
	return total
}

// naiveAdd is the reference deadline, walking day by day.
func calNaiveAdd(c *escalation.Calendar, t time.Time, d time.Duration) time.Time {
	if d <= 0 {
		return t
	}
	loc := c.Location()
	spans := c.WorkingHours()
	if len(spans) == 0 {
		spans = []escalation.Span{{Start: 0, End: calDay}}
	}
	y, m, dd := t.In(loc).Date()
	for midnight := time.Date(y, m, dd, 0, 0, 0, 0, loc); ; midnight = midnight.AddDate(0, 0, 1) {
		if !c.IsWorkday(midnight) {
			continue
		}
		for _, s := range spans {
			from, to := midnight.Add(s.Start), midnight.Add(s.End)
			if !to.After(t) {
				continue
			}
			if from.Before(t) {
				from = t
			}
			if left := to.Sub(from); d <= left {
				return from.Add(d)
			} else {
				d -= left
			}
		}
	}
}

// calendars are the calendars the properties run on (zones without clock changes).
func calCalendars(t *testing.T) map[string]*escalation.Calendar {
	quarter, err := escalation.NewCalendar(time.FixedZone("X", -3*3600-30*60),
		escalation.WithWorkingHours(escalation.SpanOf(0, 0, 0, 15), escalation.SpanOf(6, 0, 6, 1),
			escalation.SpanOf(23, 45, 24, 0)),
		escalation.WithHolidays(calDate("2025-06-02"), calDate("2025-06-03"), calDate("2025-12-25")),
		escalation.WithMakeUpWorkdays(calDate("2025-06-07"), calDate("2025-06-08")))
	require.NoError(t, err)
	return map[string]*escalation.Calendar{
		"china":        escalation.ChinaMainland(),
		"china office": escalation.ChinaMainlandOfficeHours(),
		"china split":  calChinaSplit(t),
		"weekends UTC": escalation.WeekendsOnly(nil),
		"odd spans":    quarter,
	}
}

// randomTime returns an instant between mid-2024 and mid-2027, often on a round minute.
func calRandomTime(r *rand.Rand) time.Time {
	base := time.Date(2024, 7, 1, 0, 0, 0, 0, time.UTC)
	t := base.Add(time.Duration(r.Int64N(int64(3 * 365 * calDay))))
	if r.IntN(2) == 0 {
		t = t.Truncate(time.Minute)
	}
	return t
}

func calRandomDuration(r *rand.Rand) time.Duration {
	switch r.IntN(3) {
	case 0:
		return time.Duration(r.IntN(30)+1) * calDay / 2
	case 1:
		return time.Duration(r.IntN(600)+1) * time.Minute
	}
	return time.Duration(r.Int64N(int64(40 * calDay)))
}

func TestCalendarProperties(t *testing.T) {
	for name, cal := range calCalendars(t) {
		t.Run(name, func(t *testing.T) {
			r := rand.New(rand.NewPCG(1, uint64(len(name))))
			for i := 0; i < 250; i++ {
				a := calRandomTime(r)
				d := calRandomDuration(r)
				dl := cal.Add(a, d)

				// Add and Between are inverse, and agree with the day-by-day reference.
				require.Equal(t, d, cal.Between(a, dl), "Between(%s, Add(%s, %s) = %s)", a, a, d, dl)
				ref := calNaiveAdd(cal, a, d)
				require.True(t, ref.Equal(dl), "Add(%s, %s): want %s, got %s", a, d, ref, dl)
				require.True(t, dl.After(a))
				require.Equal(t, a.Location(), dl.Location())
				// Monotonic in d.
				d2 := d + time.Duration(r.Int64N(int64(calDay)))
				require.False(t, cal.Add(a, d2).Before(dl))

				// Between is additive and agrees with the reference.
				b, c := calRandomTime(r), calRandomTime(r)
				if b.Before(a) {
					a, b = b, a
				}
				if c.Before(b) {
					b, c = c, b
				}
				if b.Before(a) {
					a, b = b, a
				}
				ab, bc, ac := cal.Between(a, b), cal.Between(b, c), cal.Between(a, c)
				require.Equal(t, ac, ab+bc, "additivity over %s ≤ %s ≤ %s", a, b, c)
				require.Equal(t, calNaiveBetween(cal, a, c), ac, "Between(%s, %s)", a, c)
				require.Equal(t, time.Duration(0), cal.Between(c, a))

				// Add lands no later than the instant whose business time it is given.
				back := cal.Add(a, ac)
				require.False(t, back.After(c))
				require.Equal(t, ac, cal.Between(a, back))

			}
		})
	}
}

func TestCalendarExtremes(t *testing.T) {
	cal := escalation.ChinaMainlandOfficeHours()
	start := calAt(2025, 1, 1, 0, 0)
	// Very long limits and spans neither overflow nor loop.
	far := cal.Add(start, time.Duration(1<<62))
	assert.True(t, far.After(start))
	assert.Equal(t, time.Duration(1<<62), cal.Between(start, far))
	whole := escalation.WeekendsOnly(nil)
	assert.Equal(t, time.Duration(1<<63-1), whole.Between(time.Date(1, 1, 1, 0, 0, 0, 0, time.UTC),
		time.Date(100000, 1, 1, 0, 0, 0, 0, time.UTC)), "saturates")
	assert.True(t, whole.Add(start, 1<<63-1).After(start))
	// Old dates work too (proleptic Gregorian calendar).
	assert.Equal(t, 5*calDay, whole.Between(time.Date(1600, 2, 28, 0, 0, 0, 0, time.UTC),
		time.Date(1600, 3, 6, 0, 0, 0, 0, time.UTC)))
}

func TestCalendarConcurrentUse(t *testing.T) {
	cal := escalation.ChinaMainlandOfficeHours()
	var wg sync.WaitGroup
	results := make([]time.Time, 8)
	for i := range results {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := 0; j < 200; j++ {
				results[i] = cal.Add(calAt(2025, 9, 26, 10, 0), 14*time.Hour)
				_ = cal.Between(calAt(2025, 1, 1, 0, 0), results[i])
				_ = escalation.ChinaMainland().IsWorkday(results[i])
			}
		}()
	}
	wg.Wait()
	for _, r := range results {
		assert.True(t, calAt(2025, 9, 29, 10, 0).Equal(r), "got %s", r)
	}
}

// --- The data format --------------------------------------------------------------------

func TestParseCalendar(t *testing.T) {
	src := "\ufeff# 某街道工作日历\n" +
		"zone +08:00\n" +
		"years 2025\n" +
		"hours 14:00-17:30   08:30-12:00  # summer hours\n" +
		"\n" +
		"2025-10-01..2025-10-08 holiday 国庆节、中秋节\n" +
		"2025-09-28 workday\n" +
		"2025-10-11   workday   National Day make-up\n"
	cal, err := escalation.ParseCalendar(strings.NewReader(src), nil)
	require.NoError(t, err)
	_, off := calAt(2025, 1, 1, 0, 0).In(cal.Location()).Zone()
	assert.Equal(t, 8*3600, off)
	assert.Equal(t, calSplitHours, cal.WorkingHours())
	assert.Len(t, cal.SpecialDays(), 10)
	got, ok := cal.Lookup(calAt(2025, 10, 11, 12, 0))
	require.True(t, ok)
	assert.Equal(t, escalation.SpecialDay{Date: calDate("2025-10-11"), Kind: escalation.MakeUpWorkday, Name: "National Day make-up"}, got)
	_, ok = cal.Lookup(calAt(2025, 10, 12, 12, 0))
	assert.False(t, ok)

	var out strings.Builder
	n, err := cal.WriteTo(&out)
	require.NoError(t, err)
	assert.Equal(t, int64(out.Len()), n)
	assert.Equal(t, "# Business calendar (工作日历); see escalation.ParseCalendar for the format.\n"+
		"zone +08:00\n"+
		"years 2025\n"+
		"hours 08:30-12:00 14:00-17:30\n"+
		"2025-09-28 workday\n"+
		"2025-10-01..2025-10-08 holiday 国庆节、中秋节\n"+
		"2025-10-11 workday National Day make-up\n", out.String())
	again, err := escalation.ParseCalendar(strings.NewReader(out.String()), nil)
	require.NoError(t, err)
	assert.Equal(t, cal.SpecialDays(), again.SpecialDays())

	// The default zone applies without a zone line.
	plain, err := escalation.ParseCalendar(strings.NewReader("2025-05-01 holiday\n"), calCST)
	require.NoError(t, err)
	assert.Equal(t, calCST, plain.Location())
	plain, err = escalation.ParseCalendar(strings.NewReader(""), nil)
	require.NoError(t, err)
	assert.Equal(t, time.UTC, plain.Location())

	// The embedded data round-trips.
	var china strings.Builder
	_, err = escalation.ChinaMainland().WriteTo(&china)
	require.NoError(t, err)
	back, err := escalation.ParseCalendar(strings.NewReader(china.String()), nil)
	require.NoError(t, err)
	assert.Equal(t, escalation.ChinaMainland().SpecialDays(), back.SpecialDays())
}

func TestParseCalendarErrors(t *testing.T) {
	src := strings.Join([]string{
		"zone Mars/Olympus_Mons",                        // 1
		"zone UTC",                                      // 2 duplicate
		"years 2025",                                    // 3
		"hours 08:30-12:00 11:00-13:00",                 // 4 overlap
		"2025-01-01 holiday 元旦",                         // 5
		"2025-01-01 holiday",                            // 6 duplicate
		"2024-12-31..2025-01-01 workday",                // 7 conflict with line 5
		"2025-02-30 holiday",                            // 8 bad date
		"2025-03-01 rest",                               // 9 bad kind
		"2025-03-10..2025-03-01 holiday",                // 10 backwards
		"2026-01-01 holiday 元旦",                         // 11 outside years
		"2025-01-01..2026-02-01 holiday",                // 12 too long
		"hours 9-17",                                    // 13 duplicate hours
		"years 2025-2026",                               // 14 duplicate years
		"  # fine",                                      // 15
		"holiday 2025-05-01",                            // 16 not a date
		"2025-05-01 holiday \x01",                       // 17 control character
		"2025-05-02 holiday " + strings.Repeat("节", 65), // 18 long name
		"2025-05-03 holiday \xff",                       // 19 bad UTF-8
		"zone",                                          // 20 — the zone is already set on line 1
	}, "\n")
	_, err := escalation.ParseCalendar(strings.NewReader(src), nil)
	want := []string{}
	for _, n := range []string{"1", "2", "4", "6", "7", "8", "9", "10", "11", "12", "13", "14", "16", "17", "18", "19", "20"} {
		want = append(want, "line "+n)
	}
	verr := calRequireInvalid(t, err, want...)
	msg := verr.Message(gridgov.English)
	assert.Contains(t, msg, `line 1: unknown time zone "Mars/Olympus_Mons"`)
	assert.Contains(t, msg, "line 7: 2025-01-01 is listed as a make-up workday here and as a holiday on line 5")
	assert.Contains(t, msg, "line 11: 2026-01-01 lies outside the covered years 2025 to 2025 (line 3)")
	assert.Contains(t, verr.Message(gridgov.Chinese), "第6行：2025-01-01 已在第5行列出")

	// A line too long to read is named too.
	_, err = escalation.ParseCalendar(strings.NewReader("2025-05-01 holiday\n"+strings.Repeat("x", 70000)), nil)
	calRequireInvalid(t, err, "line 2")

	// A failing reader is not a validation error.
	_, err = escalation.ParseCalendar(calFailingReader{}, nil)
	require.Error(t, err)
	assert.NotErrorIs(t, err, gridgov.ErrInvalid)
}

type calFailingReader struct{}

func (calFailingReader) Read([]byte) (int, error) { return 0, errors.New("disk on fire") }

func TestParseCalendarLimits(t *testing.T) {
	var b strings.Builder
	for y := 1; y <= 300; y++ {
		b.WriteString(escalation.Date{Year: y, Month: 1, Day: 1}.String())
		b.WriteString("..")
		b.WriteString(escalation.Date{Year: y, Month: 12, Day: 31}.String())
		b.WriteString(" holiday\n")
	}
	_, err := escalation.ParseCalendar(strings.NewReader(b.String()), nil)
	verr := calRequireInvalid(t, err)
	assert.Equal(t, "max", verr.Fields[0].Tag)
}
