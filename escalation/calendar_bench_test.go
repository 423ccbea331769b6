package escalation_test

import (
	"testing"
	"time"

	"github.com/gridgov/gridgov/escalation"
)

// The benchmarks compare the calendar's arithmetic with the day-by-day walk (calNaiveAdd,
// calNaiveBetween in calendar_test.go, the algorithm of the first weekday calendar) in the same
// run:
//
//	go test -run XXX -bench Calendar -benchtime 2000x ./escalation

var calBenchSink time.Time
var calBenchDur time.Duration

func BenchmarkCalendarAdd15Workdays(b *testing.B) {
	starts := []time.Time{
		calAt(2025, 9, 26, 10, 0), calAt(2025, 1, 20, 9, 30), calAt(2026, 2, 10, 16, 45), calAt(2025, 12, 24, 11, 0),
	}
	for _, tc := range []struct {
		name  string
		cal   *escalation.Calendar
		limit time.Duration
	}{
		{"whole days", escalation.ChinaMainland(), 15 * 24 * time.Hour},
		{"office hours", escalation.ChinaMainlandOfficeHours(), 15 * 7 * time.Hour},
	} {
		b.Run(tc.name+"/calendar", func(b *testing.B) {
			for i := 0; b.Loop(); i++ {
				calBenchSink = tc.cal.Add(starts[i%len(starts)], tc.limit)
			}
		})
		b.Run(tc.name+"/day-by-day", func(b *testing.B) {
			for i := 0; b.Loop(); i++ {
				calBenchSink = calNaiveAdd(tc.cal, starts[i%len(starts)], tc.limit)
			}
		})
	}
}

func BenchmarkCalendarBetweenYear(b *testing.B) {
	from, to := calAt(2025, 1, 1, 9, 15), calAt(2026, 1, 1, 9, 15)
	for _, tc := range []struct {
		name string
		cal  *escalation.Calendar
	}{
		{"whole days", escalation.ChinaMainland()},
		{"office hours", escalation.ChinaMainlandOfficeHours()},
	} {
		b.Run(tc.name+"/calendar", func(b *testing.B) {
			for b.Loop() {
				calBenchDur = tc.cal.Between(from, to)
			}
		})
		b.Run(tc.name+"/day-by-day", func(b *testing.B) {
			for b.Loop() {
				calBenchDur = calNaiveBetween(tc.cal, from, to)
			}
		})
	}
}
