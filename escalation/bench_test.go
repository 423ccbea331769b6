package escalation_test

import (
	"context"
	"fmt"
	"runtime"
	"testing"
	"time"

	"github.com/looplab/fsm"

	"github.com/gridgov/gridgov/escalation"
)

// fsmEvents is the transition table in looplab/fsm form, for the bare-machine baseline.
func fsmEvents() fsm.Events {
	var evs fsm.Events
	for _, t := range escalation.Transitions() {
		var src []string
		for _, s := range t.Src {
			src = append(src, string(s))
		}
		evs = append(evs, fsm.EventDesc{Name: string(t.Event), Src: src, Dst: string(t.Dst)})
	}
	return evs
}

// BenchmarkCommand compares one full engine command (read, authority check through the
// registry, guard, event, deadline update, versioned write with a history event, all on the
// memory stores) with a bare looplab/fsm machine built and fired with the same table.
func BenchmarkCommand(b *testing.B) {
	b.Run("bare_fsm_NewFSM_Event", func(b *testing.B) {
		evs := fsmEvents()
		cbs := fsm.Callbacks{"before_pause": func(context.Context, *fsm.Event) {}}
		b.ReportAllocs()
		for b.Loop() {
			m := fsm.NewFSM(string(escalation.StateSigned), evs, cbs)
			if err := m.Event(ctx, string(escalation.EventPause)); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("engine_pause_resume", func(b *testing.B) {
		f := newFixture(b)
		c := f.must(f.eng.Sign(ctx, gridWorker, escalation.Step{ID: f.referred().ID}))
		pause := escalation.Step{ID: c.ID, Note: "等待居民"}
		resume := escalation.Step{ID: c.ID}
		b.ReportAllocs()
		i := 0
		for b.Loop() {
			var err error
			if i%2 == 0 {
				_, err = f.eng.Pause(ctx, gridWorker, pause)
			} else {
				_, err = f.eng.Resume(ctx, gridWorker, resume)
			}
			if err != nil {
				b.Fatal(err)
			}
			i++
		}
	})
}

// BenchmarkSweep sweeps 1,000 due complaints among 1,000 and among 1,000,000 open ones: the
// cost should follow the number due, not the number open. Each sweep records 1,000
// resolution breaches (automatic escalation is off, so that earlier rounds never come due
// again).
func BenchmarkSweep(b *testing.B) {
	for _, open := range []int{1_000, 1_000_000} {
		b.Run(fmt.Sprintf("1k_due_of_%d_open", open), func(b *testing.B) {
			f := newFixture(b, func(p *escalation.Policy) {
				for i := range p.Tiers {
					p.Tiers[i].WarnAt, p.Tiers[i].AutoEscalate = 0, false
				}
			})
			tmpl := f.must(f.eng.Sign(ctx, gridWorker, escalation.Step{ID: f.referred().ID}))
			store := f.store
			far := start.Add(365 * 24 * time.Hour)
			for i := range open - 1_000 {
				c := tmpl.Clone()
				c.ID, c.Version = fmt.Sprintf("open-%07d", i), 0
				c.ResolutionDue, c.DueAt = far, far
				if _, _, err := store.CreateComplaint(ctx, c, "", escalation.Event{ComplaintID: c.ID, Kind: escalation.EventSubmit}); err != nil {
					b.Fatal(err)
				}
			}
			round := 0
			b.ResetTimer()
			for b.Loop() {
				b.StopTimer()
				now := start.Add(time.Duration(round+1) * time.Hour)
				for i := range 1_000 {
					c := tmpl.Clone()
					// IDs sort after the open ones, as ULIDs of later complaints do.
					c.ID, c.Version = fmt.Sprintf("z-due-%03d-%04d", round, i), 0
					c.ResolutionDue, c.DueAt = now.Add(-time.Minute), now.Add(-time.Minute)
					if _, _, err := store.CreateComplaint(ctx, c, "", escalation.Event{ComplaintID: c.ID, Kind: escalation.EventSubmit}); err != nil {
						b.Fatal(err)
					}
				}
				f.clock.Set(now)
				round++
				b.StartTimer()
				rep, err := f.eng.Sweep(ctx)
				if err != nil || rep.Breaches != 1_000 {
					b.Fatalf("%+v %v", rep, err)
				}
			}
		})
	}
}

// manyComplaints stores n settled complaints under the fixture's building b1, directly in
// the store, and returns the fixture.
func manyComplaints(b *testing.B, n int) *fixture {
	f := newFixture(b)
	tmpl := f.submit()
	for i := range n {
		c := tmpl.Clone()
		c.ID, c.Version = fmt.Sprintf("m-%07d", i), 0
		c.State = []escalation.State{escalation.StateRated, escalation.StateArchived, escalation.StateInProgress}[i%3]
		c.AcceptedAt, c.ReferredAt, c.RespondedAt = start, start, start.Add(time.Hour)
		if c.State != escalation.StateInProgress {
			c.ResolvedAt = start.Add(time.Duration(i%96) * time.Hour)
			c.Rating = escalation.Rating{Satisfaction: escalation.Satisfied, Resolved: i%20 != 0}
		}
		c.TierLevel = []string{"building", "grid", "community"}[i%3]
		c.Reporter.PersonID = fmt.Sprintf("p-%d", i%5000)
		if _, _, err := f.store.CreateComplaint(ctx, c, "", escalation.Event{ComplaintID: c.ID, Kind: escalation.EventSubmit}); err != nil {
			b.Fatal(err)
		}
	}
	return f
}

// BenchmarkMetrics reports the metrics of every complaint in one subtree, through the
// engine and the memory store.
func BenchmarkMetrics(b *testing.B) {
	for _, n := range []int{10_000, 1_000_000} {
		b.Run(fmt.Sprintf("%d_complaints", n), func(b *testing.B) {
			f := manyComplaints(b, n)
			b.ResetTimer()
			for b.Loop() {
				r, err := f.eng.Metrics(ctx, escalation.MetricsQuery{NodeID: "c1"})
				if err != nil || r.Total != int64(n+1) {
					b.Fatalf("%d %v", r.Total, err)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(n), "ns/complaint")
		})
	}
}

// BenchmarkMemoryStoreBytes reports the heap the memory store holds per complaint with its
// submit event (the realistic complaint of the fixture, Path of four nodes).
func BenchmarkMemoryStoreBytes(b *testing.B) {
	const n = 100_000
	for b.Loop() {
		runtime.GC()
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		f := manyComplaints(b, n)
		runtime.GC()
		runtime.ReadMemStats(&after)
		b.ReportMetric(float64(after.HeapAlloc-before.HeapAlloc)/n, "B/complaint")
		runtime.KeepAlive(f)
	}
}
