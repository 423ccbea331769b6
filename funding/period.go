package funding

import (
	"fmt"
	"time"
)

// Period is a fiscal period, the half-open interval [Start, End) (预算期间).
type Period struct {
	Start, End time.Time
}

// Year returns the calendar year y in loc (nil: UTC) as a period.
func Year(y int, loc *time.Location) Period {
	if loc == nil {
		loc = time.UTC
	}
	return Period{Start: time.Date(y, time.January, 1, 0, 0, 0, 0, loc),
		End: time.Date(y+1, time.January, 1, 0, 0, 0, 0, loc)}
}

// Month returns month m of year y in loc (nil: UTC) as a period.
func Month(y int, m time.Month, loc *time.Location) Period {
	if loc == nil {
		loc = time.UTC
	}
	return Period{Start: time.Date(y, m, 1, 0, 0, 0, 0, loc),
		End: time.Date(y, m+1, 1, 0, 0, 0, 0, loc)}
}

// Valid reports whether p is non-empty: Start before End.
func (p Period) Valid() bool { return p.Start.Before(p.End) }

// Contains reports whether t falls in p.
func (p Period) Contains(t time.Time) bool { return !t.Before(p.Start) && t.Before(p.End) }

// Overlap returns the part of p inside q (an invalid period when they do not overlap).
func (p Period) Overlap(q Period) Period {
	o := p
	if q.Start.After(o.Start) {
		o.Start = q.Start
	}
	if q.End.Before(o.End) {
		o.End = q.End
	}
	return o
}

// String formats p as "2025-01-01..2026-01-01".
func (p Period) String() string {
	return fmt.Sprintf("%s..%s", p.Start.Format(time.DateOnly), p.End.Format(time.DateOnly))
}
