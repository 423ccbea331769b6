package evaluation

import (
	"context"
	"time"
)

// Cycle returns the cycle.
func (e *Evaluator) Cycle(ctx context.Context, id string) (Cycle, error) {
	return e.store.GetCycle(ctx, id)
}

// CycleOf returns the compound's cycle for a year.
func (e *Evaluator) CycleOf(ctx context.Context, compoundID string, year int) (Cycle, error) {
	return e.store.FindCycle(ctx, compoundID, year)
}

// History returns the cycle's accepted steps in order.
func (e *Evaluator) History(ctx context.Context, cycleID string) ([]CycleEvent, error) {
	return e.store.History(ctx, cycleID)
}

// listPage is how many cycles the evaluator reads per store call.
const listPage = 1024

// Cycles returns every cycle matching q (q.After and q.Limit are ignored: it pages through
// the store itself).
func (e *Evaluator) Cycles(ctx context.Context, q CycleQuery) ([]Cycle, error) {
	q.After, q.Limit = "", listPage
	var out []Cycle
	for {
		page, next, err := e.store.ListCycles(ctx, q)
		if err != nil {
			return nil, err
		}
		out = append(out, page...)
		if next == "" {
			return out, nil
		}
		q.After = next
	}
}

// ReportStatus is where one committee's annual report stands (述职情况).
type ReportStatus struct {
	CycleID, CompoundID, CommitteeID string
	Due                              time.Time
	// Filed is set once a report is filed; FiledAt says when and Late whether after Due.
	Filed   bool
	FiledAt time.Time
	Late    bool
	// Missing is set when no report came: recorded missing, or still unfiled after Due.
	Missing bool
}

// Reports lists the report status of every cycle of the year in a community ("" for all),
// ordered by compound: late and missing reports are visible at a glance.
func (e *Evaluator) Reports(ctx context.Context, year int, communityID string) ([]ReportStatus, error) {
	cycles, err := e.Cycles(ctx, CycleQuery{Year: year, CommunityID: communityID})
	if err != nil {
		return nil, err
	}
	now := e.clock.Now()
	out := make([]ReportStatus, 0, len(cycles))
	for _, c := range cycles {
		s := ReportStatus{CycleID: c.ID, CompoundID: c.CompoundID, CommitteeID: c.CommitteeID, Due: c.ReportDue}
		switch r := c.Report; {
		case r == nil:
			s.Missing = now.After(c.ReportDue)
		case r.Missing:
			s.Missing = true
		default:
			s.Filed, s.FiledAt, s.Late = true, r.FiledAt, r.Late
		}
		out = append(out, s)
	}
	return out, nil
}
