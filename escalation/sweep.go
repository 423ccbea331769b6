package escalation

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/gridgov/gridgov"
)

// SweepReport counts what one sweep did.
type SweepReport struct {
	Warnings    int // warnings recorded (a limit is near)
	Breaches    int // limits found passed
	Escalations int // complaints moved up a tier automatically
	// Escalated lists the IDs of the complaints moved up, in the order the sweep moved them,
	// so that a caller can hand each to the unit at its new tier without reading the event
	// feed.
	Escalated []string
	// Conflicts counts complaints changed by someone else (another sweeper or a command)
	// between reading and writing; they are left to the next sweep.
	Conflicts int
}

// sweeper is the actor the sweeper records in the history.
var sweeper = gridgov.SystemActor("sweeper")

// Sweep handles everything due now (定时巡检): it reads complaints from the store's deadline
// index in batches, records warnings for limits that are near, and for limits that have
// passed records a breach or, where the tier says so, escalates the complaint to the next
// tier. Each change is one versioned store call with one history event, so sweeps may run
// concurrently from several processes: each warning, breach and escalation happens exactly
// once, and a sweep that loses a race counts a conflict and moves on. Its cost grows with
// the number of complaints due, not the number open.
func (e *Engine) Sweep(ctx context.Context) (SweepReport, error) {
	var rep SweepReport
	now := e.clock.Now()
	seen := make(map[string]bool)
	for {
		due, err := e.store.ListDue(ctx, now, e.sweep)
		if err != nil {
			return rep, err
		}
		progress := false
		for _, c := range due {
			if seen[c.ID] {
				continue
			}
			seen[c.ID], progress = true, true
			if err := e.sweepOne(ctx, c, now, &rep); err != nil {
				return rep, err
			}
		}
		if !progress || len(due) < e.sweep {
			return rep, nil
		}
	}
}

// sweepOne handles every finding due on one complaint, one store call each.
func (e *Engine) sweepOne(ctx context.Context, c Complaint, now time.Time, rep *SweepReport) error {
	for i := 0; i < 4 && !c.DueAt.IsZero() && !c.DueAt.After(now); i++ {
		next, err := e.sweepStep(ctx, c, now, rep)
		switch {
		case errors.Is(err, gridgov.ErrConflict):
			rep.Conflicts++
			return nil
		case err != nil:
			return err
		}
		c = next
	}
	return nil
}

// sweepStep records the most serious finding due on c: a breach (escalating when the tier
// says so) before a warning, response before resolution.
func (e *Engine) sweepStep(ctx context.Context, c Complaint, now time.Time, rep *SweepReport) (Complaint, error) {
	due := func(t time.Time, done bool) bool { return !done && !t.IsZero() && !t.After(now) }
	responding := c.State == StateReferred
	var note string
	switch {
	case responding && due(c.ResponseDue, c.BreachedResponse):
		c.BreachedResponse, c.WarnedResponse = true, true
		c.LateResponses++
		note = fmt.Sprintf("response limit passed at %s (%s)", c.TierLevel, c.ResponseDue.Format(time.RFC3339))
	case due(c.ResolutionDue, c.BreachedResolution):
		c.BreachedResolution, c.WarnedResolution = true, true
		note = fmt.Sprintf("resolution limit passed at %s (%s)", c.TierLevel, c.ResolutionDue.Format(time.RFC3339))
	case responding && due(c.ResponseWarnAt, c.WarnedResponse):
		c.WarnedResponse = true
		return e.warn(ctx, c, now, rep, "response limit near: due "+c.ResponseDue.Format(time.RFC3339))
	case due(c.ResolutionWarnAt, c.WarnedResolution):
		c.WarnedResolution = true
		return e.warn(ctx, c, now, rep, "resolution limit near: due "+c.ResolutionDue.Format(time.RFC3339))
	default:
		// Nothing is due after all: stop without writing.
		c.DueAt = time.Time{}
		return c, nil
	}
	c.Breaches++
	if e.tiers[c.Tier].AutoEscalate && c.Tier+1 < len(e.tiers) {
		from := c.State
		s := &step{c: &c, actor: sweeper, eng: e, now: now}
		to, err := fire(ctx, EventEscalate, s)
		if err == nil {
			c.State = to
			err = e.escalateUpdate(ctx, &c, s, now)
		}
		if err == nil {
			e.schedule(&c)
			stored, err := e.save(ctx, c, Event{Kind: EventEscalate, From: from, To: to, Actor: sweeper,
				At: now, Note: "automatic: " + note})
			if err == nil {
				rep.Breaches++
				rep.Escalations++
				rep.Escalated = append(rep.Escalated, stored.ID)
			}
			return stored, err
		}
		if !errors.Is(err, gridgov.ErrInvalidTransition) {
			return Complaint{}, err
		}
		// No higher tier has a node above the place: record the breach only.
	}
	stored, err := e.sweepSave(ctx, c, EventBreach, now, note)
	if err == nil {
		rep.Breaches++
	}
	return stored, err
}

func (e *Engine) warn(ctx context.Context, c Complaint, now time.Time, rep *SweepReport, note string) (Complaint, error) {
	stored, err := e.sweepSave(ctx, c, EventWarn, now, note)
	if err == nil {
		rep.Warnings++
	}
	return stored, err
}

func (e *Engine) sweepSave(ctx context.Context, c Complaint, kind EventKind, now time.Time, note string) (Complaint, error) {
	e.schedule(&c)
	return e.save(ctx, c, Event{Kind: kind, From: c.State, To: c.State, Actor: sweeper, At: now, Note: note})
}
