package escalation_test

import (
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gridgov/gridgov"
	"github.com/gridgov/gridgov/escalation"
)

func day(y int, m time.Month, d, h, min int) time.Time { return time.Date(y, m, d, h, min, 0, 0, cst) }

func TestChinaMainlandSchedule(t *testing.T) {
	cal := escalation.ChinaMainland()
	for _, tc := range []struct {
		date time.Time
		work bool
		why  string
	}{
		{day(2025, 1, 1, 12, 0), false, "元旦 2025"},
		{day(2025, 1, 26, 12, 0), true, "Sunday worked before the Spring Festival"},
		{day(2025, 2, 4, 12, 0), false, "last day of the 2025 Spring Festival"},
		{day(2025, 2, 8, 12, 0), true, "Saturday worked"},
		{day(2025, 9, 28, 12, 0), true, "Sunday worked before National Day"},
		{day(2025, 10, 8, 12, 0), false, "National Day and Mid-Autumn"},
		{day(2025, 10, 9, 12, 0), true, "back to work"},
		{day(2026, 1, 4, 12, 0), true, "Sunday worked after 元旦 2026"},
		{day(2026, 2, 14, 12, 0), true, "Saturday worked before the 2026 Spring Festival"},
		{day(2026, 2, 23, 12, 0), false, "last day of the 2026 Spring Festival (a Monday)"},
		{day(2026, 5, 9, 12, 0), true, "Saturday worked after Labour Day"},
		{day(2026, 9, 25, 12, 0), false, "Mid-Autumn 2026 (a Friday)"},
		{day(2026, 10, 10, 12, 0), true, "Saturday worked after National Day"},
		{day(2026, 11, 23, 12, 0), true, "an ordinary Monday"},
		{day(2026, 11, 22, 12, 0), false, "an ordinary Sunday"},
		{day(2027, 10, 1, 12, 0), true, "outside the data: a Friday is a working day"},
	} {
		assert.Equal(t, tc.work, cal.IsWorkday(tc.date), tc.why)
		assert.Equal(t, tc.work, cal.IsWorkday(tc.date.UTC()), "%s (given in UTC)", tc.why)
	}
	assert.Equal(t, "Asia/Shanghai", cal.Location().String())
}

func TestBusinessTimeAcrossHolidays(t *testing.T) {
	cal := escalation.ChinaMainland()
	for _, tc := range []struct {
		name  string
		from  time.Time
		limit escalation.Limit
		want  time.Time
	}{
		{"2 working days from Friday 26 September 2025 use the Sunday worked",
			day(2025, 9, 26, 10, 0), escalation.Workdays(2), day(2025, 9, 29, 10, 0)},
		{"7 working days over National Day 2025, with Saturday 11 October worked",
			day(2025, 9, 30, 9, 0), escalation.Workdays(7), day(2025, 10, 16, 9, 0)},
		{"2 working days before the 2026 Spring Festival",
			day(2026, 2, 13, 9, 0), escalation.Workdays(2), day(2026, 2, 24, 9, 0)},
	} {
		got := cal.Add(tc.from, tc.limit.Duration)
		assert.True(t, tc.want.Equal(got), "%s: got %s, want %s", tc.name, got, tc.want)
		assert.Equal(t, tc.limit.Duration, cal.Between(tc.from, got), tc.name)
	}
}

func TestWorkingHours(t *testing.T) {
	cal, err := escalation.WeekendsOnly(cst).WithWorkingHours(
		escalation.Span{Start: 8*time.Hour + 30*time.Minute, End: 12 * time.Hour},
		escalation.Span{Start: 14 * time.Hour, End: 17*time.Hour + 30*time.Minute})
	require.NoError(t, err)
	assert.Equal(t, day(2026, 1, 5, 14, 30), cal.Add(day(2026, 1, 5, 11, 30), time.Hour), "over lunch")
	assert.Equal(t, day(2026, 1, 5, 9, 30), cal.Add(day(2026, 1, 5, 6, 0), time.Hour), "starts at opening")
	assert.Equal(t, day(2026, 1, 12, 9, 0), cal.Add(day(2026, 1, 9, 17, 0), time.Hour), "half an hour on Friday, half on Monday")
	assert.Equal(t, 7*time.Hour, cal.Between(day(2026, 1, 5, 0, 0), day(2026, 1, 6, 0, 0)), "a working day")
	assert.Equal(t, time.Duration(0), cal.Between(day(2026, 1, 10, 0, 0), day(2026, 1, 12, 0, 0)), "a weekend")

	_, err = escalation.WeekendsOnly(cst).WithWorkingHours(escalation.Span{Start: 14 * time.Hour, End: 12 * time.Hour})
	requireFields(t, err, gridgov.ErrInvalid, "spans")
	_, err = escalation.WeekendsOnly(cst).WithWorkingHours(
		escalation.Span{Start: 8 * time.Hour, End: 12 * time.Hour}, escalation.Span{Start: 11 * time.Hour, End: 13 * time.Hour})
	requireFields(t, err, gridgov.ErrInvalid, "spans")
}

func TestZeroAndNegativeDurations(t *testing.T) {
	cal := escalation.ChinaMainland()
	at := day(2026, 1, 10, 10, 0) // a Saturday
	assert.Equal(t, at, cal.Add(at, 0))
	assert.Equal(t, at, cal.Add(at, -time.Hour))
	assert.Equal(t, time.Duration(0), cal.Between(at, at.Add(-time.Hour)))
}

// Add and Between are inverse: for any start and duration, the business time between the
// start and Add(start, d) is d, and Between is additive over a split point.
func TestAddBetweenProperties(t *testing.T) {
	office, err := escalation.ChinaMainland().WithWorkingHours(
		escalation.Span{Start: 9 * time.Hour, End: 12 * time.Hour}, escalation.Span{Start: 13 * time.Hour, End: 17 * time.Hour})
	require.NoError(t, err)
	rng := rand.New(rand.NewPCG(7, 7))
	for _, cal := range []*escalation.Calendar{escalation.ChinaMainland(), office} {
		for range 2000 {
			from := day(2025, 1, 1, 0, 0).Add(time.Duration(rng.Int64N(int64(700 * 24 * time.Hour))))
			d := time.Duration(rng.Int64N(int64(20 * 24 * time.Hour)))
			to := cal.Add(from, d)
			require.Equal(t, d, cal.Between(from, to), "from %s by %s", from, d)
			mid := from.Add(time.Duration(rng.Int64N(int64(to.Sub(from) + 1))))
			require.Equal(t, cal.Between(from, to), cal.Between(from, mid)+cal.Between(mid, to))
		}
	}
}

func TestDaylightSavingZone(t *testing.T) {
	ny, err := time.LoadLocation("America/New_York")
	if err != nil {
		t.Skip("no time-zone database")
	}
	cal := escalation.WeekendsOnly(ny)
	// 8 March 2026 is a Sunday when clocks go forward; Monday 9 March counts 24 hours.
	from := time.Date(2026, 3, 6, 12, 0, 0, 0, ny)
	got := cal.Add(from, 36*time.Hour)
	assert.Equal(t, time.Date(2026, 3, 10, 0, 0, 0, 0, ny), got.In(ny))
	assert.Equal(t, 36*time.Hour, cal.Between(from, got))
}

func TestParseCalendarErrors(t *testing.T) {
	_, err := escalation.ParseCalendar(strings.NewReader(`# bad file
zone Mars/Olympus
2026-13-01 off
2026-01-01 maybe
2026-01-02 off
2026-01-02 on
hours 12:00-09:00
`))
	requireFields(t, err, gridgov.ErrInvalid, "line 2", "line 3", "line 4", "line 6", "line 7")
	var verr *gridgov.ValidationError
	require.ErrorAs(t, err, &verr)
	assert.Contains(t, verr.Message(gridgov.Chinese), "第6行")

	cal, err := escalation.ParseCalendar(strings.NewReader("zone Asia/Shanghai\nhours 09:00-17:00\n2026-11-21 on 加班\n"))
	require.NoError(t, err)
	assert.True(t, cal.IsWorkday(day(2026, 11, 21, 10, 0)))
	assert.Equal(t, 8*time.Hour, cal.Between(day(2026, 11, 21, 0, 0), day(2026, 11, 22, 0, 0)))
}

func FuzzParseCalendar(f *testing.F) {
	f.Add("zone Asia/Shanghai\nhours 08:30-12:00 14:00-17:30\n2026-01-01 off 元旦\n2026-01-04 on 调休\n")
	f.Add("2026-02-30 off\n")
	f.Add("hours 00:00-24:00\n# c\n\n2025-01-01 on\n")
	f.Fuzz(func(t *testing.T, src string) {
		cal, err := escalation.ParseCalendar(strings.NewReader(src))
		if err != nil {
			var verr *gridgov.ValidationError
			if !errorsAs(err, &verr) || len(verr.Fields) == 0 {
				t.Fatalf("want a ValidationError naming lines, got %v", err)
			}
			return
		}
		from := day(2026, 1, 1, 0, 0)
		to := cal.Add(from, 30*time.Hour)
		if got := cal.Between(from, to); got != 30*time.Hour && !to.IsZero() {
			t.Fatalf("Between(Add) = %s", got)
		}
	})
}
