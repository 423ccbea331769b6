package main

import (
	"context"

	"github.com/gridgov/gridgov/escalation"
)

// ladderStats is what the year's complaints say about the ladder: the metrics of the
// district and of each street, and the funnel — how many matters reached each rung, how
// many were escalated from it (by the unit or by the sweeper) and how many were settled
// there. A matter of a whole compound starts at the compound's rung.
type ladderStats struct {
	district escalation.Report
	streets  []escalation.Report
	handled  int64 // referred to a rung at least once
	reached  [tiers]int64
	manual   [tiers]int64
	auto     [tiers]int64
	settled  [tiers]int64
	whistles int64
}

// ladder reads the year's metrics from the engine, the funnel from the complaints and
// the escalations from the event feed.
func (y *year) ladder(ctx context.Context) (*ladderStats, error) {
	s := &ladderStats{}
	var err error
	q := escalation.MetricsQuery{NodeID: y.w.District, From: y.start, To: y.end}
	if s.district, err = y.eng.Metrics(ctx, q); err != nil {
		return nil, err
	}
	for _, st := range y.w.Streets {
		q.NodeID = st.ID
		rep, err := y.eng.Metrics(ctx, q)
		if err != nil {
			return nil, err
		}
		s.streets = append(s.streets, rep)
	}
	tierOf := map[string]int{}
	for i, t := range y.eng.Policy().Tiers {
		tierOf[t.Level] = i
	}
	for _, tc := range s.district.SettledByTier {
		s.settled[tierOf[tc.Level]] = tc.Count
	}
	store := y.eng.Store()
	for after := ""; ; {
		page, next, err := store.ListComplaints(ctx, escalation.Query{From: y.start, To: y.end, After: after, Limit: 4096})
		if err != nil {
			return nil, err
		}
		for _, c := range page {
			if c.ReferredAt.IsZero() {
				continue
			}
			s.handled++
			for i := y.matters[y.byID[c.ID]].first; i <= c.Tier; i++ {
				s.reached[i]++
			}
			if len(c.Summons) > 0 {
				s.whistles++
			}
		}
		if next == "" {
			break
		}
		after = next
	}
	for after := int64(0); ; {
		evs, err := y.eng.Events(ctx, after, 8192)
		if err != nil {
			return nil, err
		}
		for _, ev := range evs {
			after = ev.Seq
			if ev.Kind != escalation.EventEscalate || ev.Tier < 1 {
				continue
			}
			if ev.Actor.IsSystem() {
				s.auto[ev.Tier-1]++
			} else {
				s.manual[ev.Tier-1]++
			}
		}
		if len(evs) < 8192 {
			break
		}
	}
	return s, nil
}
