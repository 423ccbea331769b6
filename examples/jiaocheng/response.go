package main

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"time"

	"github.com/gridgov/gridgov"
	"github.com/gridgov/gridgov/escalation"
	"github.com/gridgov/gridgov/examples/internal/sim"
	"github.com/gridgov/gridgov/store/memory"
)

// The rapid-response model (快速响应机制), per unit of -scale. The shares and durations are
// assumptions, calibrated so that about 85% of property problems are resolved within 2
// days, the published figure; the engine, its tiers, the sweeper and the calendar decide
// everything else.
const (
	complaintsPerUnit = 1200 // property complaints a year
	// Where a matter can be settled: the compound's service station (most), the community
	// property service centre, or only with the street's whistle and the five parties.
	shareCommunity = 0.10
	shareStreet    = 0.04
	// manualEscalate is the share of matters beyond a station's or centre's means that it
	// escalates at once ("beyond my authority"); the rest wait until the sweeper escalates
	// them on a breach.
	manualEscalate = 0.6
	// lateSign is the share of signatures that come later than the 2-hour response limit.
	lateSign = 0.03
	// Mean handling times (elapsed, exponential above a minimum) at each tier.
	handleStation   = 19 * time.Hour
	handleCommunity = 18 * time.Hour
	handleStreet    = 20 * time.Hour
	sweepEvery      = 30 * time.Minute
)

// Tier indices of the rapid-response policy on the Jiaocheng scheme.
const (
	tierCompound = iota
	tierCommunity
	tierStreet
	tiers
)

// actKind is a step the simulation takes on a complaint at a set time.
type actKind int

const (
	actSign actKind = iota
	actEscalate
	actResolve
	actReport
	actVerify
	actRate
	actArchive
)

// action is one scheduled step; gen invalidates steps overtaken by an escalation.
type action struct {
	at    time.Time
	c     int
	gen   int
	kind  actKind
	party escalation.PartyKind
}

// tracked is what the simulation knows of one complaint.
type tracked struct {
	id       string
	compound int
	cap      int // the lowest tier that can settle it
	gen      int
	tier     int
	maxTier  int
	whistled bool
}

// outcome is what the simulation leaves for the report.
type outcome struct {
	eng        *escalation.Engine
	complaints []tracked
	sweeps     escalation.SweepReport
	from, to   time.Time
}

// simulator runs a year of property complaints through the engine on the fake clock.
type simulator struct {
	ctx   context.Context
	w     *world
	eng   *escalation.Engine
	r     *rand.Rand
	cs    []tracked
	byID  map[string]int
	queue sim.Agenda[action]
	feed  int64
	sweep escalation.SweepReport
}

// callback rates complaints on the reporter's behalf (回访中心); archivist closes them.
var (
	callback  = gridgov.SystemActor("callback")
	archivist = gridgov.SystemActor("archive")
	hotline   = gridgov.SystemActor("hotline")
)

// simulate runs a year of property complaints at scale through the rapid-response policy
// (escalation.RapidResponsePolicy) with the sweeper every 30 minutes.
func simulate(ctx context.Context, w *world, r *rand.Rand, scale, year int) (*outcome, error) {
	eng, err := escalation.NewEngine(memory.NewEscalationStore(), w.reg,
		escalation.RapidResponsePolicy(w.reg.Scheme()), escalation.WithClock(w.clock),
		escalation.WithCalendar(escalation.ChinaMainland()), escalation.WithIDs(gridgov.NewSequence("rr")))
	if err != nil {
		return nil, err
	}
	s := &simulator{ctx: ctx, w: w, eng: eng, r: r, byID: map[string]int{}}
	from, to := sim.YearStart(year), sim.YearStart(year+1)

	// Draw the year's intake first, in time order, so that the draws do not depend on how
	// the engine schedules.
	n := complaintsPerUnit * scale
	arrivals := make([]time.Time, n)
	span := to.Sub(from)
	for i := range arrivals {
		day := from.Add(time.Duration(r.Int64N(int64(span/(24*time.Hour)))) * 24 * time.Hour)
		arrivals[i] = day.Add(7*time.Hour + time.Duration(r.Int64N(int64(15*time.Hour))))
	}
	slices.SortFunc(arrivals, time.Time.Compare)
	for i, at := range arrivals {
		c := tracked{compound: r.IntN(len(w.compounds))}
		switch u := r.Float64(); {
		case u < shareStreet:
			c.cap = tierStreet
		case u < shareStreet+shareCommunity:
			c.cap = tierCommunity
		}
		s.cs = append(s.cs, c)
		s.push(action{at: at, c: i, kind: -1})
	}

	next := from
	for s.queue.Len() > 0 {
		_, a, _ := s.queue.Next()
		for !next.After(a.at) {
			w.clock.Set(next)
			rep, err := eng.Sweep(ctx)
			if err != nil {
				return nil, err
			}
			s.sweep.Warnings += rep.Warnings
			s.sweep.Breaches += rep.Breaches
			s.sweep.Escalations += rep.Escalations
			if err := s.follow(); err != nil {
				return nil, err
			}
			next = next.Add(sweepEvery)
		}
		c := &s.cs[a.c]
		if a.kind >= 0 && a.gen != c.gen {
			continue // overtaken by an escalation
		}
		w.clock.Set(a.at)
		if err := s.do(a); err != nil {
			return nil, fmt.Errorf("complaint %d (%s) step %d: %w", a.c, c.id, a.kind, err)
		}
		if err := s.follow(); err != nil {
			return nil, err
		}
	}
	return &outcome{eng: eng, complaints: s.cs, sweeps: s.sweep, from: from, to: to}, nil
}

func (s *simulator) push(a action) {
	if a.kind >= 0 {
		a.gen = s.cs[a.c].gen
	}
	s.queue.Schedule(a.at, a)
}

// follow reads the engine's event feed: every escalation (by a handler or by the sweeper)
// hands the complaint to the next tier, which signs for it after its response delay.
func (s *simulator) follow() error {
	evs, err := s.eng.Events(s.ctx, s.feed, 0)
	if err != nil {
		return err
	}
	for _, ev := range evs {
		s.feed = ev.Seq
		if ev.Kind != escalation.EventEscalate {
			continue
		}
		i := s.byID[ev.ComplaintID]
		c := &s.cs[i]
		c.gen++
		c.tier = ev.Tier
		c.maxTier = max(c.maxTier, ev.Tier)
		s.push(action{at: ev.At.Add(s.signDelay()), c: i, kind: actSign})
	}
	return nil
}

// signDelay draws how long a tier takes to sign for a complaint: within the 2-hour limit,
// except for a few.
func (s *simulator) signDelay() time.Duration {
	if s.r.Float64() < lateSign {
		return 2*time.Hour + time.Duration(s.r.Int64N(int64(2*time.Hour)))
	}
	return 10*time.Minute + time.Duration(s.r.Int64N(int64(80*time.Minute)))
}

// handle draws a handling time at tier.
func (s *simulator) handle(tier int) time.Duration {
	mean := [tiers]time.Duration{handleStation, handleCommunity, handleStreet}[tier]
	return time.Hour + time.Duration(s.r.ExpFloat64()*float64(mean))
}

// do performs one action with the actor who would do it.
func (s *simulator) do(a action) error {
	ctx, eng, w := s.ctx, s.eng, s.w
	c := &s.cs[a.c]
	k := w.compounds[c.compound]
	comm := w.communities[k.community]
	st := w.streets[comm.street]
	now := w.clock.Now()
	step := escalation.Step{ID: c.id}
	handler := [tiers]gridgov.Actor{gridgov.PersonActor(k.stationHead), gridgov.PersonActor(comm.centreHead),
		gridgov.PersonActor(st.secretary)}[c.tier]
	switch a.kind {
	case -1: // intake: the station takes the matter in and refers it to itself
		got, err := eng.Submit(ctx, hotline, escalation.Intake{Key: fmt.Sprintf("rr-%d", a.c),
			Channel: []escalation.Channel{escalation.ChannelHotline, escalation.ChannelChatGroup, escalation.ChannelApp,
				escalation.ChannelWalkIn}[s.r.IntN(4)],
			Category: "property", Description: "物业问题", NodeID: k.id,
			ReporterName: sim.PersonName(s.r), ReporterPhone: sim.Phone(s.r)})
		if err != nil {
			return err
		}
		c.id = got.ID
		s.byID[got.ID] = a.c
		step.ID = got.ID
		station := gridgov.PersonActor(k.stationHead)
		if _, err := eng.Accept(ctx, station, step); err != nil {
			return err
		}
		if _, err := eng.Refer(ctx, station, escalation.Referral{Step: step, UnitID: "ss-" + k.id}); err != nil {
			return err
		}
		s.push(action{at: now.Add(s.signDelay()), c: a.c, kind: actSign})
	case actSign:
		if _, err := eng.Sign(ctx, handler, step); err != nil {
			return err
		}
		switch {
		case c.tier == tierStreet:
			return s.whistle(a.c, step, handler)
		case c.cap > c.tier && s.r.Float64() < manualEscalate:
			s.push(action{at: now.Add(time.Duration(s.r.Int64N(int64(2 * time.Hour)))), c: a.c, kind: actEscalate})
		case c.cap > c.tier:
			// Left to the sweeper: nothing more happens at this tier.
		default:
			s.push(action{at: now.Add(s.handle(c.tier)), c: a.c, kind: actResolve})
		}
	case actEscalate:
		_, err := eng.Escalate(ctx, handler, escalation.Step{ID: c.id, Note: "超出处置权限，逐级上报"})
		return err
	case actReport:
		_, err := eng.Report(ctx, s.reporter(a.c, a.party), escalation.ReportInput{Step: step, Party: a.party})
		return err
	case actResolve:
		if _, err := eng.Resolve(ctx, handler, escalation.Step{ID: c.id, Note: "已处置"}); err != nil {
			return err
		}
		s.push(action{at: now.Add(time.Hour + time.Duration(s.r.Int64N(int64(3*time.Hour)))), c: a.c, kind: actVerify})
	case actVerify:
		verifier := [tiers]string{comm.centreHead, comm.secretary, st.deputy}[c.tier]
		if _, err := eng.Verify(ctx, gridgov.PersonActor(verifier), step); err != nil {
			return err
		}
		s.push(action{at: now.Add(20*time.Hour + time.Duration(s.r.Int64N(int64(8*time.Hour)))), c: a.c, kind: actRate})
	case actRate:
		in := escalation.RatingInput{Step: step, Satisfaction: escalation.Satisfied, Resolved: true}
		switch u := s.r.Float64(); {
		case u < 0.04:
			in.Satisfaction, in.Resolved = escalation.Unsatisfied, false
		case u < 0.13:
			in.Satisfaction = escalation.BasicSatisfied
		}
		if _, err := eng.Rate(ctx, callback, in); err != nil {
			return err
		}
		s.push(action{at: now.Add(time.Hour), c: a.c, kind: actArchive})
	case actArchive:
		_, err := eng.Archive(ctx, archivist, step)
		return err
	}
	return nil
}

// whistle blows the whistle at the street (吹哨): the five parties are summoned and report
// (报到) after drawn delays, a few later than their 30 minutes; the street resolves after
// the lead parties have reported.
func (s *simulator) whistle(i int, step escalation.Step, secretary gridgov.Actor) error {
	c := &s.cs[i]
	got, err := s.eng.Whistle(s.ctx, secretary, escalation.Step{ID: c.id, Note: "街道吹哨，五方报到"})
	if err != nil {
		return err
	}
	c.whistled = true
	now := s.w.clock.Now()
	last := now
	for _, sm := range got.Summons {
		d := 5*time.Minute + time.Duration(s.r.Int64N(int64(22*time.Minute)))
		if s.r.Float64() < 0.08 {
			d = 30*time.Minute + time.Duration(s.r.Int64N(int64(40*time.Minute)))
		}
		s.push(action{at: now.Add(d), c: i, kind: actReport, party: sm.Party})
		if sm.Lead && now.Add(d).After(last) {
			last = now.Add(d)
		}
	}
	s.push(action{at: last.Add(s.handle(tierStreet)), c: i, kind: actResolve})
	return nil
}

// reporter is who reports for a party on complaint i: the head of the summoned
// organisation, the district department's manager, or a registered in-service member.
func (s *simulator) reporter(i int, party escalation.PartyKind) gridgov.Actor {
	k := s.w.compounds[s.cs[i].compound]
	comm := s.w.communities[k.community]
	switch party {
	case escalation.PartyStreet:
		return gridgov.PersonActor(s.w.streets[comm.street].secretary)
	case escalation.PartyCommunity:
		return gridgov.PersonActor(comm.secretary)
	case escalation.PartyFirm:
		return gridgov.PersonActor(s.w.firms[k.firm].manager)
	case escalation.PartyDepartment:
		return gridgov.PersonActor(s.w.department)
	default:
		return gridgov.PersonActor(comm.members[s.r.IntN(len(comm.members))])
	}
}
