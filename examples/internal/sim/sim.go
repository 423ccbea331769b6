// Package sim holds what the example programs share to simulate a year (模拟): a seeded
// random source, China Standard Time, the official working calendar (holidays and make-up
// workdays, 调休) and generated Chinese names. It is internal to the examples.
package sim

import (
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/gridgov/gridgov/escalation"
)

// CST is China Standard Time (UTC+8), the zone every program simulates in.
var CST = time.FixedZone("CST", 8*3600)

// Rand returns the random source of a run: the same seed gives the same sequence. Programs
// draw from one source in a fixed order so that their output is stable for a seed.
func Rand(seed uint64) *rand.Rand { return rand.New(rand.NewPCG(seed, 0x9e3779b97f4a7c15)) }

// YearStart returns 00:00 CST on 1 January of year.
func YearStart(year int) time.Time { return time.Date(year, time.January, 1, 0, 0, 0, 0, CST) }

// holiday is one public holiday period and its make-up workdays, as the State Council's
// yearly notice (国务院办公厅关于部分节假日安排的通知) sets them.
type holiday struct {
	name       string
	first      escalation.Date
	days       int
	makeUpDays []escalation.Date
}

func d(y int, m time.Month, day int) escalation.Date {
	return escalation.Date{Year: y, Month: m, Day: day}
}

// official lists the years whose notices are transcribed here.
var official = map[int][]holiday{
	2025: {
		{"元旦 New Year's Day", d(2025, 1, 1), 1, nil},
		{"春节 Spring Festival", d(2025, 1, 28), 8, []escalation.Date{d(2025, 1, 26), d(2025, 2, 8)}},
		{"清明节 Qingming", d(2025, 4, 4), 3, nil},
		{"劳动节 Labour Day", d(2025, 5, 1), 5, []escalation.Date{d(2025, 4, 27)}},
		{"端午节 Dragon Boat", d(2025, 5, 31), 3, nil},
		{"国庆节、中秋节 National Day and Mid-Autumn", d(2025, 10, 1), 8, []escalation.Date{d(2025, 9, 28), d(2025, 10, 11)}},
	},
	2026: {
		{"元旦 New Year's Day", d(2026, 1, 1), 3, []escalation.Date{d(2026, 1, 4)}},
		{"春节 Spring Festival", d(2026, 2, 15), 9, []escalation.Date{d(2026, 2, 14), d(2026, 2, 28)}},
		{"清明节 Qingming", d(2026, 4, 4), 3, nil},
		{"劳动节 Labour Day", d(2026, 5, 1), 5, []escalation.Date{d(2026, 5, 9)}},
		{"端午节 Dragon Boat", d(2026, 6, 19), 3, nil},
		{"中秋节 Mid-Autumn", d(2026, 9, 25), 3, nil},
		{"国庆节 National Day", d(2026, 10, 1), 7, []escalation.Date{d(2026, 9, 20), d(2026, 10, 10)}},
	},
}

// Calendar returns the working calendar of year in CST: Monday to Friday, changed by the
// holidays and make-up workdays of the State Council's notice for that year. Notices for
// 2025 and 2026 are transcribed; for another year only the fixed-date statutory holidays
// (1 January, 1–2 May, 1–3 October) are known, and official is false so that a program can
// say its calendar is approximate.
func Calendar(year int) (cal *escalation.Calendar, official bool, err error) {
	var days []escalation.SpecialDay
	list, ok := officialList(year)
	for _, h := range list {
		for i := 0; i < h.days; i++ {
			days = append(days, escalation.SpecialDay{Date: h.first.AddDays(i), Kind: escalation.Holiday, Name: h.name})
		}
		for _, m := range h.makeUpDays {
			days = append(days, escalation.SpecialDay{Date: m, Kind: escalation.MakeUpWorkday, Name: h.name})
		}
	}
	cal, err = escalation.NewCalendar(CST, escalation.WithSpecialDays(days...), escalation.WithCoverage(year, year))
	if err != nil {
		return nil, false, fmt.Errorf("sim: calendar of %d: %w", year, err)
	}
	return cal, ok, nil
}

func officialList(year int) ([]holiday, bool) {
	if list, ok := official[year]; ok {
		return list, true
	}
	return []holiday{
		{"元旦 New Year's Day", d(year, 1, 1), 1, nil},
		{"劳动节 Labour Day", d(year, 5, 1), 2, nil},
		{"国庆节 National Day", d(year, 10, 1), 3, nil},
	}, false
}
