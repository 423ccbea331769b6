package escalation

import (
	"strconv"
	"time"
)

// String returns the limit for readers in English: "4 working hours", "2 working days",
// "30 minutes" (wall-clock time), "no limit".
func (l Limit) String() string {
	n, unit := l.count()
	if unit == "" {
		return "no limit"
	}
	s := strconv.FormatInt(n, 10) + " "
	if l.Basis == Business {
		s += "working "
	}
	s += unit
	if n != 1 {
		s += "s"
	}
	return s
}

// NameZH returns the limit for readers in Chinese: "4 个工作小时", "2 个工作日", "30 分钟"
// (wall-clock time), "不限时".
func (l Limit) NameZH() string {
	n, unit := l.count()
	if unit == "" {
		return "不限时"
	}
	s := strconv.FormatInt(n, 10)
	if l.Basis == Business {
		return s + map[string]string{"day": " 个工作日", "hour": " 个工作小时", "minute": " 分钟（工作时间）", "second": " 秒（工作时间）"}[unit]
	}
	return s + map[string]string{"day": " 天", "hour": " 小时", "minute": " 分钟", "second": " 秒"}[unit]
}

// count returns the limit as a whole number of the largest unit that divides it, or no
// unit for no limit. A business day is 24 h of business time, as [Workdays] counts it.
func (l Limit) count() (int64, string) {
	switch d := l.Duration; {
	case d <= 0:
		return 0, ""
	case d%(24*time.Hour) == 0:
		return int64(d / (24 * time.Hour)), "day"
	case d%time.Hour == 0:
		return int64(d / time.Hour), "hour"
	case d%time.Minute == 0:
		return int64(d / time.Minute), "minute"
	default:
		return int64((d + time.Second - 1) / time.Second), "second"
	}
}
