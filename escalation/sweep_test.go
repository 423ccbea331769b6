package escalation_test

import (
	"sync"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gridgov/gridgov/escalation"
)

func TestSweepWarnsThenEscalates(t *testing.T) {
	f := newFixture(t)
	c := f.referred()

	rep, err := f.eng.Sweep(ctx)
	require.NoError(t, err)
	assert.Equal(t, escalation.SweepReport{}, rep, "nothing due yet")

	f.clock.Set(start.Add(3*time.Hour + 15*time.Minute)) // past 80% of the 4-hour response limit
	rep, err = f.eng.Sweep(ctx)
	require.NoError(t, err)
	assert.Equal(t, escalation.SweepReport{Warnings: 1}, rep)
	rep, err = f.eng.Sweep(ctx)
	require.NoError(t, err)
	assert.Equal(t, escalation.SweepReport{}, rep, "a warning is given once")

	f.clock.Set(start.Add(4*time.Hour + time.Minute))
	rep, err = f.eng.Sweep(ctx)
	require.NoError(t, err)
	assert.Equal(t, escalation.SweepReport{Breaches: 1, Escalations: 1, Escalated: []string{c.ID}}, rep)
	c, err = f.eng.Complaint(ctx, system, c.ID)
	require.NoError(t, err)
	assert.Equal(t, "grid", c.TierLevel)
	assert.Equal(t, escalation.StateReferred, c.State)
	assert.Equal(t, 1, c.LateResponses)
	assert.Equal(t, 1, c.Escalations)
	assert.Equal(t, f.clock.Now().Add(4*time.Hour), c.ResponseDue, "fresh limits at the grid tier")

	h := f.history(c.ID)
	last := h[len(h)-1]
	assert.Equal(t, escalation.EventEscalate, last.Kind)
	assert.Equal(t, "system:sweeper", last.Actor.String())
	assert.Equal(t, escalation.EventWarn, h[len(h)-2].Kind)
}

func TestSweepRecordsBreachWithoutEscalating(t *testing.T) {
	f := newFixture(t, func(p *escalation.Policy) {
		for i := range p.Tiers {
			p.Tiers[i].AutoEscalate = false
			p.Tiers[i].WarnAt = 0
		}
	})
	c := f.referred()
	f.clock.Set(start.Add(30 * 24 * time.Hour))
	rep, err := f.eng.Sweep(ctx)
	require.NoError(t, err)
	assert.Equal(t, escalation.SweepReport{Breaches: 2}, rep, "response and resolution limits, once each")
	c, err = f.eng.Complaint(ctx, system, c.ID)
	require.NoError(t, err)
	assert.Equal(t, "building", c.TierLevel)
	assert.True(t, c.DueAt.IsZero(), "nothing more is due")
	assert.Equal(t, 2, c.Breaches)
}

// Several sweepers racing over the same due complaints escalate each exactly once.
func TestConcurrentSweepsEscalateOnce(t *testing.T) {
	f := newFixture(t)
	var ids []string
	for range 20 {
		ids = append(ids, f.referred().ID)
	}
	f.clock.Set(start.Add(4*time.Hour + time.Minute))
	// A second engine over the same stores stands for another process.
	other, err := escalation.NewEngine(f.store, f.reg, f.eng.Policy(),
		escalation.WithCalendar(f.eng.Calendar()), escalation.WithClock(f.clock), escalation.WithSweepBatch(3))
	require.NoError(t, err)
	var wg sync.WaitGroup
	reports := make([]escalation.SweepReport, 6)
	for i := range reports {
		wg.Add(1)
		go func() {
			defer wg.Done()
			eng := f.eng
			if i%2 == 1 {
				eng = other
			}
			rep, err := eng.Sweep(ctx)
			assert.NoError(t, err)
			reports[i] = rep
		}()
	}
	wg.Wait()
	total := 0
	for _, r := range reports {
		total += r.Escalations
	}
	assert.Equal(t, len(ids), total, "each breach escalates exactly once across sweepers")
	for _, id := range ids {
		escalations := 0
		for _, ev := range f.history(id) {
			if ev.Kind == escalation.EventEscalate {
				escalations++
			}
		}
		assert.Equal(t, 1, escalations, id)
	}
}

func TestPausedComplaintsAreNotSwept(t *testing.T) {
	f := newFixture(t)
	c := f.must(f.eng.Sign(ctx, gridWorker, escalation.Step{ID: f.referred().ID}))
	f.must(f.eng.Pause(ctx, gridWorker, escalation.Step{ID: c.ID, Note: "等待居民"}))
	f.clock.Set(start.Add(30 * 24 * time.Hour))
	rep, err := f.eng.Sweep(ctx)
	require.NoError(t, err)
	assert.Equal(t, escalation.SweepReport{}, rep)
}

// TestLateSignatureIsLateWithoutASweep: the response rate must not depend on how often the
// sweeper runs. A signature after the response limit counts as late even when no sweep ran
// in between, once; a timely one does not; and a sweep that already recorded the breach is
// not counted twice.
func TestLateSignatureIsLateWithoutASweep(t *testing.T) {
	for _, c := range []struct {
		name      string
		signAfter time.Duration
		sweep     bool
		late      int
	}{
		{"in time", 3 * time.Hour, false, 0},
		{"at the deadline", 4 * time.Hour, false, 1},
		{"late, no sweep", 5 * time.Hour, false, 1},
		{"late, breach already swept", 5 * time.Hour, true, 1},
	} {
		t.Run(c.name, func(t *testing.T) {
			f := newFixture(t, func(p *escalation.Policy) {
				for i := range p.Tiers {
					p.Tiers[i].AutoEscalate = false
				}
			})
			cp := f.referred()
			f.clock.Set(start.Add(c.signAfter))
			if c.sweep {
				_, err := f.eng.Sweep(ctx)
				require.NoError(t, err)
			}
			cp = f.must(f.eng.Sign(ctx, gridWorker, escalation.Step{ID: cp.ID}))
			assert.Equal(t, c.late, cp.LateResponses)
			assert.Equal(t, c.late, cp.Breaches)

			m, err := f.eng.Metrics(ctx, escalation.MetricsQuery{NodeID: "st"})
			require.NoError(t, err)
			assert.True(t, decimal.NewFromInt(int64(1-c.late)).Equal(m.Response.Numerator), "only a timely signature is a response on time: %s", m.Response)
		})
	}
}
