package escalation_test

import (
	"errors"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/gridgov/gridgov"
	"github.com/gridgov/gridgov/escalation"
)

// A limit of two working days on the mainland China calendar: the make-up Sunday before
// National Day 2025 (调休上班) counts, the holiday week does not.
func ExampleChinaMainland() {
	cal := escalation.ChinaMainland()
	beijing := cal.Location()

	friday := time.Date(2025, 9, 26, 10, 0, 0, 0, beijing)
	fmt.Println(cal.Add(friday, escalation.Workdays(2).Duration).Format("Mon 2006-01-02 15:04"))

	eve := time.Date(2025, 9, 30, 15, 0, 0, 0, beijing)
	due := cal.Add(eve, escalation.Workdays(2).Duration)
	fmt.Println(due.Format("Mon 2006-01-02 15:04"))
	fmt.Println(cal.Between(eve, due))

	sd, _ := cal.Lookup(time.Date(2025, 9, 28, 0, 0, 0, 0, beijing))
	fmt.Println(sd.Date, sd.Kind, sd.Name)
	fmt.Println(cal.Covers(time.Date(2027, 1, 1, 0, 0, 0, 0, beijing)))
	// Output:
	// Mon 2025-09-29 10:00
	// Fri 2025-10-10 15:00
	// 48h0m0s
	// 2025-09-28 workday 国庆节、中秋节调休
	// false
}

// Working hours: only time inside 08:30–12:00 and 14:00–17:30 counts, so a one-hour limit
// started at 11:30 ends at 14:30, and "2 working days" is 14 hours of office time.
func ExampleWithWorkingHours() {
	cal, err := escalation.ChinaMainland().With(escalation.WithWorkingHours(
		escalation.SpanOf(8, 30, 12, 0), escalation.SpanOf(14, 0, 17, 30)))
	if err != nil {
		panic(err)
	}
	beijing := cal.Location()
	start := time.Date(2025, 9, 22, 11, 30, 0, 0, beijing)
	fmt.Println(cal.Add(start, time.Hour).Format("15:04"))
	fmt.Println(cal.Workdays(2))
	fmt.Println(cal.Add(start, cal.Workdays(2)).Format("Mon 01-02 15:04"))
	fmt.Println(cal.IsWorkingTime(time.Date(2025, 9, 22, 13, 0, 0, 0, beijing)))
	// Output:
	// 14:30
	// 14h0m0s
	// Wed 09-24 11:30
	// false
}

// A calendar built in code; a date that is both a holiday and a make-up workday is refused.
func ExampleNewCalendar() {
	may := func(d int) escalation.Date { return escalation.Date{Year: 2025, Month: time.May, Day: d} }
	_, err := escalation.NewCalendar(time.UTC,
		escalation.WithHolidays(may(1), may(2)),
		escalation.WithMakeUpWorkdays(may(2)),
		escalation.WithWorkingHours(escalation.SpanOf(9, 0, 12, 0), escalation.SpanOf(11, 0, 13, 0)))
	fmt.Println(errors.Is(err, gridgov.ErrInvalid))
	var verr *gridgov.ValidationError
	if errors.As(err, &verr) {
		fmt.Println(verr.FieldNames())
		fmt.Println(verr.Message(gridgov.Chinese))
	}

	cal, _ := escalation.NewCalendar(time.UTC, escalation.WithHolidays(may(1), may(2)))
	thursday := time.Date(2025, 4, 30, 12, 0, 0, 0, time.UTC)
	fmt.Println(cal.Add(thursday, 24*time.Hour).Format("Mon 01-02 15:04"))
	// Output:
	// true
	// [WorkingHours Days[2025-05-02]]
	// 工作时段 09:00-12:00 与 11:00-13:00 重叠
	// 2025-05-02 同时被列为放假日和调休上班日
	// Mon 05-05 12:00
}

// The data format: a zone, the covered years, working hours, and one line per holiday
// range or make-up workday. Errors name every bad line.
func ExampleParseCalendar() {
	data := `# 某街道便民服务中心
zone Asia/Shanghai
years 2026
hours 09:00-12:00 13:30-17:00
2026-02-14 workday 春节调休
2026-02-15..2026-02-23 holiday 春节
2026-02-28 workday 春节调休
`
	cal, err := escalation.ParseCalendar(strings.NewReader(data), nil)
	if err != nil {
		panic(err)
	}
	start := time.Date(2026, 2, 13, 16, 0, 0, 0, cal.Location())
	fmt.Println(cal.Add(start, 2*time.Hour).Format("Mon 01-02 15:04"))
	_, _ = cal.WriteTo(os.Stdout)

	_, err = escalation.ParseCalendar(strings.NewReader("years 2026\n2026-13-01 holiday\n2026-05-01 rest\n"), nil)
	var verr *gridgov.ValidationError
	if errors.As(err, &verr) {
		fmt.Println(verr.Message(gridgov.English))
	}
	// Output:
	// Sat 02-14 10:00
	// # Business calendar (工作日历); see escalation.ParseCalendar for the format.
	// zone Asia/Shanghai
	// years 2026
	// hours 09:00-12:00 13:30-17:00
	// 2026-02-14 workday 春节调休
	// 2026-02-15..2026-02-23 holiday 春节
	// 2026-02-28 workday 春节调休
	// line 2: "2026-13-01" is not a directive (zone, years, hours), a date YYYY-MM-DD or a range DATE..DATE
	// line 3: the kind must be "holiday" or "workday", not "rest"
}
