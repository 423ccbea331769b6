package closedloop

import (
	"time"

	"github.com/gridgov/gridgov"
	"github.com/gridgov/gridgov/escalation"
)

// stepKind is a step the loop takes on a matter at a set time.
type stepKind int

const (
	stepIntake stepKind = iota
	stepSign
	stepEscalate
	stepResolve
	stepReport
	stepVerify
	stepRate
	stepArchive
)

// String names the step, for errors.
func (k stepKind) String() string {
	return [...]string{"intake", "sign", "escalate", "resolve", "report", "verify", "rate", "archive"}[k]
}

// step is one scheduled step on matter c; gen marks steps overtaken by an escalation.
type step struct {
	at    time.Time
	c     int
	gen   int
	kind  stepKind
	party escalation.PartyKind
}

// The system actors of the loop: the call-back centre rates matters on the reporter's
// behalf (回访中心); the archive closes them.
var (
	callback  = gridgov.SystemActor("callback")
	archivist = gridgov.SystemActor("archive")
)

// push schedules s, stamped with the matter's current escalation count.
func (r *runner[T]) push(s step) {
	if s.kind != stepIntake {
		s.gen = r.cases[s.c].gen
	}
	r.agenda.Schedule(s.at, s)
}

// signDelay draws how long a tier takes to sign for a matter: 10 to 90 minutes, within the
// 2-hour response limit, except for the LateSign share, 2 to 4 hours.
func (r *runner[T]) signDelay() time.Duration {
	rnd := r.cfg.Rand
	if rnd.Float64() < r.cfg.LateSign {
		return 2*time.Hour + time.Duration(rnd.Int64N(int64(2*time.Hour)))
	}
	return 10*time.Minute + time.Duration(rnd.Int64N(int64(80*time.Minute)))
}

// do performs one step with the actor the model names for it, and schedules the next. At
// a whistle tier of the policy the handler blows the whistle on every matter it signs
// for; below, it handles what it can settle and escalates the rest, or leaves them to the
// sweeper.
// After resolving, verification follows in 1 to 4 hours, the rating 20 to 28 hours later
// and the archive an hour after that; a handler escalates within 2 hours of signing.
func (r *runner[T]) do(s step) error {
	ctx, eng, m, rnd := r.ctx, r.cfg.Engine, r.m, r.cfg.Rand
	c := &r.cases[s.c]
	now := r.cfg.Clock.Now()
	st := escalation.Step{ID: c.ID}
	switch s.kind {
	case stepIntake: // the first tier takes the matter in and is referred it
		sub := m.Submit(*c)
		got, err := eng.Submit(ctx, sub.By, sub.Intake)
		if err != nil {
			return err
		}
		c.ID = got.ID
		r.byID[got.ID] = s.c
		r.open++
		st.ID = got.ID
		h := m.Handler(*c)
		if _, err := eng.Accept(ctx, h, st); err != nil {
			return err
		}
		if _, err := eng.Refer(ctx, h, escalation.Referral{Step: st, UnitID: sub.Unit}); err != nil {
			return err
		}
		r.push(step{at: now.Add(r.signDelay()), c: s.c, kind: stepSign})
	case stepSign:
		h := m.Handler(*c)
		if _, err := eng.Sign(ctx, h, st); err != nil {
			return err
		}
		switch {
		case r.tiers[c.Tier].Whistle:
			return r.whistle(s.c, h)
		case c.Settle > c.Tier && rnd.Float64() < r.cfg.ManualEscalate:
			r.push(step{at: now.Add(time.Duration(rnd.Int64N(int64(2 * time.Hour)))), c: s.c, kind: stepEscalate})
		case c.Settle > c.Tier:
			// Left to the sweeper: nothing more happens at this tier.
		default:
			r.push(step{at: now.Add(m.Handle(*c)), c: s.c, kind: stepResolve})
		}
	case stepEscalate:
		_, err := eng.Escalate(ctx, m.Handler(*c), escalation.Step{ID: c.ID, Note: "超出处置权限，逐级上报"})
		return err
	case stepReport:
		_, err := eng.Report(ctx, m.Reporter(*c, s.party), escalation.ReportInput{Step: st, Party: s.party})
		return err
	case stepResolve:
		if _, err := eng.Resolve(ctx, m.Handler(*c), escalation.Step{ID: c.ID, Note: "已处置"}); err != nil {
			return err
		}
		r.push(step{at: now.Add(time.Hour + time.Duration(rnd.Int64N(int64(3*time.Hour)))), c: s.c, kind: stepVerify})
	case stepVerify:
		if _, err := eng.Verify(ctx, m.Verifier(*c), st); err != nil {
			return err
		}
		r.push(step{at: now.Add(20*time.Hour + time.Duration(rnd.Int64N(int64(8*time.Hour)))), c: s.c, kind: stepRate})
	case stepRate:
		in := escalation.RatingInput{Step: st}
		in.Satisfaction, in.Resolved = m.Rate(*c)
		if _, err := eng.Rate(ctx, callback, in); err != nil {
			return err
		}
		r.push(step{at: now.Add(time.Hour), c: s.c, kind: stepArchive})
	case stepArchive:
		if _, err := eng.Archive(ctx, archivist, st); err != nil {
			return err
		}
		r.open--
	}
	return nil
}

// whistle blows the whistle on matter i at its tier (吹哨): the parties on the
// responsibility list are summoned and report (报到) after 5 to 27 minutes, 8% of them
// later than their 30 minutes (30 to 70); the tier resolves the matter, after its handling
// time, once the lead parties have reported.
func (r *runner[T]) whistle(i int, by gridgov.Actor) error {
	c := &r.cases[i]
	got, err := r.cfg.Engine.Whistle(r.ctx, by, escalation.Step{ID: c.ID, Note: "街道吹哨，五方报到"})
	if err != nil {
		return err
	}
	c.Whistled = true
	rnd := r.cfg.Rand
	now := r.cfg.Clock.Now()
	last := now
	for _, sm := range got.Summons {
		d := 5*time.Minute + time.Duration(rnd.Int64N(int64(22*time.Minute)))
		if rnd.Float64() < 0.08 {
			d = 30*time.Minute + time.Duration(rnd.Int64N(int64(40*time.Minute)))
		}
		r.push(step{at: now.Add(d), c: i, kind: stepReport, party: sm.Party})
		if sm.Lead && now.Add(d).After(last) {
			last = now.Add(d)
		}
	}
	r.push(step{at: last.Add(r.m.Handle(*c)), c: i, kind: stepResolve})
	return nil
}
