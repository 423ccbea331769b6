package closedloop

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/gridgov/gridgov/escalation"
	"github.com/gridgov/gridgov/examples/internal/sim"
)

// runner is one run in progress.
type runner[T any] struct {
	ctx    context.Context
	cfg    Config
	m      Model[T]
	cases  []Case[T]
	byID   map[string]int
	tiers  []escalation.Tier
	agenda sim.Agenda[step]
	feed   int64
	sweeps escalation.SweepReport
	// open counts matters taken in and not yet archived.
	open int
}

// drainLimit is how long after To the run keeps the sweeper going for matters still
// open, waiting for it, before it gives up with an error.
const drainLimit = 90 * 24 * time.Hour

// Run runs cfg.Count matters through the engine with the model's world and returns them
// when the last has been archived.
func Run[T any](ctx context.Context, cfg Config, m Model[T]) (*Result[T], error) {
	if err := cfg.check(); err != nil {
		return nil, err
	}
	r := &runner[T]{ctx: ctx, cfg: cfg, m: m, byID: map[string]int{}, tiers: cfg.Engine.Policy().Tiers}
	if len(cfg.Beyond) != len(r.tiers)-1 {
		return nil, fmt.Errorf("closedloop: %d shares beyond a tier's means for %d tiers", len(cfg.Beyond), len(r.tiers))
	}
	r.arrive()
	if err := r.loop(); err != nil {
		return nil, err
	}
	return &Result[T]{Cases: r.cases, Sweeps: r.sweeps}, nil
}

// check reports a config the run cannot use.
func (cfg Config) check() error {
	switch {
	case cfg.Engine == nil || cfg.Clock == nil || cfg.Rand == nil:
		return errors.New("closedloop: engine, clock and random source are required")
	case cfg.Count < 0 || !cfg.From.Before(cfg.To) || cfg.To.Sub(cfg.From) < 24*time.Hour:
		return errors.New("closedloop: a non-negative count and at least a day from From to To are required")
	case cfg.SweepEvery <= 0:
		return errors.New("closedloop: the sweeper's interval must be positive")
	}
	for k := 1; k < len(cfg.Beyond); k++ {
		if cfg.Beyond[k] > cfg.Beyond[k-1] {
			return errors.New("closedloop: the shares beyond a tier's means must not increase")
		}
	}
	return nil
}

// arrive draws the year's intake first, in time order, so that the draws do not depend on
// how the engine schedules; then, for each matter, the model's data and the lowest tier
// that can settle it.
func (r *runner[T]) arrive() {
	rnd, from := r.cfg.Rand, r.cfg.From
	arrivals := make([]time.Time, r.cfg.Count)
	days := int64(r.cfg.To.Sub(from) / (24 * time.Hour))
	for i := range arrivals {
		day := from.Add(time.Duration(rnd.Int64N(days)) * 24 * time.Hour)
		arrivals[i] = day.Add(7*time.Hour + time.Duration(rnd.Int64N(int64(15*time.Hour))))
	}
	slices.SortFunc(arrivals, time.Time.Compare)
	for i, at := range arrivals {
		c := Case[T]{Seq: i, Data: r.m.Arrive()}
		u := rnd.Float64()
		for k, share := range r.cfg.Beyond {
			if u < share {
				c.Settle = k + 1
			}
		}
		r.cases = append(r.cases, c)
		r.push(step{at: at, c: i, kind: stepIntake})
	}
}

// loop takes the steps in time order and runs the sweeper at every tick, following the
// event feed after each step and each tick. A tick due at or before the next step runs
// first; since a tick's escalations schedule new signatures, the next step is looked at
// again after every tick, so no step is taken after a tick later than its time. The loop
// ends when every matter is archived, sweeping on while matters wait for the sweeper.
func (r *runner[T]) loop() error {
	clock, eng := r.cfg.Clock, r.cfg.Engine
	next := r.cfg.SweepFrom
	if next.IsZero() {
		next = r.cfg.From
	}
	for r.agenda.Len() > 0 || r.open > 0 {
		// With nothing scheduled, matters still open wait for the sweeper to escalate them.
		if at, ok := r.agenda.NextAt(); !ok || !next.After(at) {
			if !ok && next.After(r.cfg.To.Add(drainLimit)) {
				return fmt.Errorf("closedloop: %d matters still open %s after the period, with nothing left to do but sweep", r.open, drainLimit)
			}
			clock.Set(next)
			rep, err := eng.Sweep(r.ctx)
			if err != nil {
				return err
			}
			r.sweeps.Warnings += rep.Warnings
			r.sweeps.Breaches += rep.Breaches
			r.sweeps.Escalations += rep.Escalations
			r.sweeps.Conflicts += rep.Conflicts
			if err := r.follow(); err != nil {
				return err
			}
			next = next.Add(r.cfg.SweepEvery)
			continue
		}
		_, s, _ := r.agenda.Next()
		c := &r.cases[s.c]
		if s.kind != stepIntake && s.gen != c.gen {
			continue // overtaken by an escalation
		}
		clock.Set(s.at)
		if err := r.do(s); err != nil {
			return fmt.Errorf("matter %d (%s) step %s: %w", s.c, c.ID, s.kind, err)
		}
		if err := r.follow(); err != nil {
			return err
		}
	}
	return nil
}

// follow reads the engine's event feed: every escalation (by a handler or by the sweeper)
// hands the matter to the next tier, which signs for it after its response delay.
func (r *runner[T]) follow() error {
	evs, err := r.cfg.Engine.Events(r.ctx, r.feed, 0)
	if err != nil {
		return err
	}
	for _, ev := range evs {
		r.feed = ev.Seq
		if ev.Kind != escalation.EventEscalate {
			continue
		}
		i := r.byID[ev.ComplaintID]
		c := &r.cases[i]
		c.gen++
		c.Tier = ev.Tier
		c.MaxTier = max(c.MaxTier, ev.Tier)
		r.push(step{at: ev.At.Add(r.signDelay()), c: i, kind: stepSign})
	}
	return nil
}
