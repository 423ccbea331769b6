package escalation_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/gridgov/gridgov"
	"github.com/gridgov/gridgov/escalation"
)

func FuzzParseCalendar(f *testing.F) {
	for _, s := range []string{
		"",
		"# only a comment\n\n",
		"zone Asia/Shanghai\nyears 2025-2026\n2025-01-01 holiday 元旦\n2025-01-26 workday 春节调休\n",
		"zone +08:00\nhours 08:30-12:00 14:00-17:30\n2025-10-01..2025-10-08 holiday 国庆节\n",
		"zone -03:30\nhours 00:00-00:15 23:45-24:00\n2025-06-07..2025-06-08 workday\n",
		"zone UTC\nyears 2025\n2025-12-25 holiday Christmas Day\n",
		"hours 08:30-12:00 11:00-13:00\n",
		"2025-01-01 holiday\n2025-01-01 workday\n",
		"2025-02-30 holiday\nzone Nowhere/Land\nyears 2026-2025\n",
		"2025-01-01..2025-12-31 holiday 全年\n2026-01-01..2026-12-31 workday\n",
		"\ufeffyears 0001-9999\n0001-01-01 holiday\n9999-12-31 workday\n",
		"2025-05-01 holiday a#b\n2025-05-02 holiday \u3000名\u3000\n",
		"2025-05-01\tholiday\t劳动节\r\n",
		"zone\nhours\nyears\n..\n",
	} {
		f.Add(s)
	}
	f.Add(calChinaData())
	f.Fuzz(func(t *testing.T, data string) {
		cal, err := escalation.ParseCalendar(strings.NewReader(data), time.UTC)
		if err != nil {
			if !errors.Is(err, gridgov.ErrInvalid) {
				t.Fatalf("not ErrInvalid: %v", err)
			}
			var verr *gridgov.ValidationError
			if !errors.As(err, &verr) || len(verr.Fields) == 0 {
				t.Fatalf("not a ValidationError naming lines: %v", err)
			}
			for _, fe := range verr.Fields {
				if !strings.HasPrefix(fe.Field, "line ") || fe.EN == "" || fe.ZH == "" {
					t.Fatalf("bad field %+v", fe)
				}
			}
			return
		}

		// What it returns round-trips through WriteTo.
		var out strings.Builder
		if _, err := cal.WriteTo(&out); err != nil {
			t.Fatal(err)
		}
		again, err := escalation.ParseCalendar(strings.NewReader(out.String()), time.UTC)
		if err != nil {
			t.Fatalf("WriteTo output does not parse: %v\n%s", err, out.String())
		}
		var out2 strings.Builder
		_, _ = again.WriteTo(&out2)
		if out.String() != out2.String() {
			t.Fatalf("round trip changed the calendar:\n%s\n---\n%s", out.String(), out2.String())
		}
		a, b := cal.SpecialDays(), again.SpecialDays()
		if len(a) != len(b) {
			t.Fatalf("special days %d → %d", len(a), len(b))
		}
		for i := range a {
			if a[i] != b[i] {
				t.Fatalf("special day %v → %v", a[i], b[i])
			}
		}

		// And it keeps the Add/Between invariants around its first special day.
		start := time.Date(2025, 1, 1, 10, 0, 0, 0, time.UTC)
		if len(a) > 0 {
			d := a[0].Date
			start = time.Date(d.Year, d.Month, d.Day, 10, 0, 0, 0, time.UTC).AddDate(0, 0, -3)
		}
		for _, d := range []time.Duration{time.Nanosecond, time.Hour, 7 * time.Hour, 24 * time.Hour, 15 * 24 * time.Hour} {
			dl := cal.Add(start, d)
			if !dl.After(start) {
				t.Fatalf("Add(%s, %s) = %s is not after the start", start, d, dl)
			}
			if got := cal.Between(start, dl); got != d && cal.Location() == time.UTC {
				t.Fatalf("Between(%s, Add(%s, %s) = %s) = %s", start, start, d, dl, got)
			}
		}
	})
}

// escalationChinaData returns the embedded China mainland data as WriteTo writes it.
func calChinaData() string {
	var b strings.Builder
	_, _ = escalation.ChinaMainland().WriteTo(&b)
	return b.String()
}

func FuzzCalendarArithmetic(f *testing.F) {
	f.Add(int64(1758852000), int64(2*24*time.Hour), uint8(0))
	f.Add(int64(1758852000), int64(time.Hour), uint8(1))
	f.Add(int64(1759276800), int64(7*time.Hour), uint8(2))
	f.Add(int64(-62135596800), int64(1), uint8(3))
	f.Add(int64(253402300799), int64(1<<62), uint8(1))
	f.Add(int64(0), int64(-5), uint8(0))
	f.Add(int64(515527200), int64(3*time.Hour), uint8(0)) // 1986-05-04, summer time in Shanghai
	f.Add(int64(-2177481943), int64(time.Hour), uint8(2)) // 1900-12-31, local mean time ends
	cals := []*escalation.Calendar{
		escalation.ChinaMainland(),
		escalation.ChinaMainlandOfficeHours(),
		escalation.WeekendsOnly(time.FixedZone("X", -9*3600-30*60)),
	}
	split, err := escalation.ChinaMainland().With(escalation.WithWorkingHours(
		escalation.SpanOf(8, 30, 12, 0), escalation.SpanOf(14, 0, 17, 30)))
	if err != nil {
		f.Fatal(err)
	}
	cals = append(cals, split)
	f.Fuzz(func(t *testing.T, unix, dur int64, which uint8) {
		// Keep to years 0001 to 9999.
		if unix < -62135596800 || unix > 253402300799 {
			return
		}
		cal := cals[int(which)%len(cals)]
		start := time.Unix(unix, 0).UTC()
		d := time.Duration(dur)
		if d > 200*365*24*time.Hour {
			d %= 200 * 365 * 24 * time.Hour
		}
		dl := cal.Add(start, d)
		if d <= 0 {
			if !dl.Equal(start) {
				t.Fatalf("Add(%s, %s) = %s, want the start", start, d, dl)
			}
			return
		}
		if !dl.After(start) {
			t.Fatalf("Add(%s, %s) = %s is not after the start", start, d, dl)
		}
		// Exact unless a clock change lies between (Asia/Shanghai had summer time in
		// 1919, 1940–1949 and 1986–1991): a deadline in skipped wall-clock time is the jump.
		got := cal.Between(start, dl)
		from, _ := start.In(cal.Location()).ZoneBounds()
		to, _ := dl.In(cal.Location()).ZoneBounds()
		if got < d || got != d && from.Equal(to) {
			t.Fatalf("Between(%s, Add(%s, %s) = %s) = %s", start, start, d, dl, got)
		}
		if before := cal.Add(start, d-1); before.After(dl) {
			t.Fatalf("Add is not monotonic: Add(%s, %s) = %s after %s", start, d-1, before, dl)
		}
		if cal.Between(dl, start) != 0 {
			t.Fatal("Between backwards is not zero")
		}
	})
}
