package main

import (
	"context"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/gridgov/gridgov"
	"github.com/gridgov/gridgov/escalation"
	"github.com/gridgov/gridgov/examples/internal/closedloop"
	"github.com/gridgov/gridgov/examples/internal/sim"
	"github.com/gridgov/gridgov/store/memory"
)

// The model of the work flow (网格发现—社区吹哨前汇总—街道吹哨—分级响应), per unit of -scale.
// The shares and durations are assumptions (Duyun publishes no rates); the engine, its
// tiers, the sweeper and the calendar decide everything else.
const (
	complaintsPerUnit = 2400 // matters a year, most found by grid patrols
	// Where a matter can be settled: in the grid (most), by the community, or only with the
	// street's whistle and the responsibility list.
	shareCommunity = 0.14
	shareStreet    = 0.05
	// manualEscalate is the share of matters beyond a grid's or community's means that it
	// escalates at once ("beyond my authority"); the rest wait until the sweeper escalates
	// them on a breach.
	manualEscalate = 0.6
	// lateSign is the share of signatures that come later than the 2-hour response limit.
	lateSign = 0.03
	// Mean handling times (elapsed, exponential above a minimum) at each tier; in the grid
	// the mean is stretched by the serving firm's quality (×0.6 for the best, ×1.6 for the
	// worst).
	handleGrid      = 10 * time.Hour
	handleCommunity = 30 * time.Hour
	handleStreet    = 40 * time.Hour
	sweepEvery      = 30 * time.Minute
)

// tierGrid is the first tier of the Duyun policy; tiers counts them (grid, community,
// street).
const (
	tierGrid = 0
	tiers    = 3
)

// matter is what the simulation draws for a matter a grid finds: the compound, which of
// its grids and the kind of matter.
type matter struct {
	compound int
	grid     int
	category string
}

// outcome is what the simulation leaves for the report.
type outcome struct {
	eng        *escalation.Engine
	complaints []closedloop.Case[matter]
	sweeps     escalation.SweepReport
	from, to   time.Time
}

// categories are the kinds of matter grids find, with their shares.
var categories = []struct {
	key   string
	share float64
}{{"property", 0.45}, {"environment", 0.25}, {"safety", 0.15}, {"neighbours", 0.15}}

// policy is the Duyun ladder as data (分级响应): the grid handles what it finds within 1
// working day, the community within 3 and the street, which blows the whistle, within 5;
// each signs for a matter within 2 working hours (the street within 1) and a breach
// escalates automatically, with a warning at 80%. At the whistle the responsibility list
// summons the street, the community (both lead), the property firm, the city housing
// bureau and the in-service members registered in the community, each to report within 30
// minutes.
func policy() escalation.Policy {
	report := escalation.Limit{Duration: 30 * time.Minute, Basis: escalation.Elapsed}
	return escalation.Policy{
		Name: "duyun-ladder",
		Tiers: []escalation.Tier{
			{Level: "grid", NameEN: "grid", NameZH: "网格", ResponseLimit: escalation.Hours(2),
				ResolutionLimit: escalation.Workdays(1), WarnAt: 80, AutoEscalate: true},
			{Level: "community", NameEN: "community", NameZH: "社区", ResponseLimit: escalation.Hours(2),
				ResolutionLimit: escalation.Workdays(3), WarnAt: 80, AutoEscalate: true},
			{Level: "street", NameEN: "street", NameZH: "街道", ResponseLimit: escalation.Hours(1),
				ResolutionLimit: escalation.Workdays(5), WarnAt: 80, Whistle: true},
		},
		Responsibilities: map[string][]escalation.Party{"": {
			{Kind: escalation.PartyStreet, Lead: true, ReportLimit: report},
			{Kind: escalation.PartyCommunity, Lead: true, ReportLimit: report},
			{Kind: escalation.PartyFirm, ReportLimit: report},
			{Kind: escalation.PartyDepartment, OrgID: "dept-housing", ReportLimit: report},
			{Kind: escalation.PartyMembers, ReportLimit: report},
		}},
		RatingWindow: 7 * 24 * time.Hour,
	}
}

// simulate runs a year of matters at scale through the Duyun policy with the sweeper every
// 30 minutes, from the day after the re-districting.
func simulate(ctx context.Context, w *world, r *rand.Rand, scale, year int) (*outcome, error) {
	eng, err := escalation.NewEngine(memory.NewEscalationStore(), w.reg,
		policy(), escalation.WithClock(w.clock),
		escalation.WithCalendar(escalation.ChinaMainland()), escalation.WithIDs(gridgov.NewSequence("dy")))
	if err != nil {
		return nil, err
	}
	from, to := w.redistrict.at.AddDate(0, 0, 1), sim.YearStart(year+1)
	res, err := closedloop.Run(ctx, closedloop.Config{Engine: eng, Clock: w.clock, Rand: r,
		Count: complaintsPerUnit * scale, From: from, To: to, SweepFrom: w.redistrict.at, SweepEvery: sweepEvery,
		Beyond:         []float64{shareCommunity + shareStreet, shareStreet},
		ManualEscalate: manualEscalate, LateSign: lateSign}, loop{w: w, r: r})
	if err != nil {
		return nil, err
	}
	return &outcome{eng: eng, complaints: res.Cases, sweeps: res.Sweeps, from: from, to: to}, nil
}

// loop is Duyun's world as the closed loop sees it (closedloop.Model): grid leaders find
// matters at a household group and handle them; the community's residents' committee and
// the street's Party working committee take on what the grid cannot settle.
type loop struct {
	w *world
	r *rand.Rand
}

// Arrive draws the compound, the grid and the kind of matter.
func (l loop) Arrive() matter {
	m := matter{compound: l.r.IntN(len(l.w.compounds)), grid: l.r.IntN(gridsPerCompd)}
	u := l.r.Float64()
	for _, cat := range categories {
		m.category = cat.key
		if u < cat.share {
			break
		}
		u -= cat.share
	}
	return m
}

// Submit has the grid leader take the matter in, found on patrol (70%) or in the chat
// group, at one of the grid's household groups; it is referred to the grid's Party group.
func (l loop) Submit(c closedloop.Case[matter]) closedloop.Submission {
	g := l.w.compounds[c.Data.compound].grids[c.Data.grid]
	ch := escalation.ChannelPatrol
	if l.r.Float64() < 0.3 {
		ch = escalation.ChannelChatGroup
	}
	return closedloop.Submission{By: gridgov.PersonActor(g.leader), Unit: "pg-" + g.id,
		Intake: escalation.Intake{Key: fmt.Sprintf("dy-%d", c.Seq), Channel: ch, Category: c.Data.category,
			Description: "网格发现：" + c.Data.category, NodeID: g.households[l.r.IntN(len(g.households))],
			ReporterName: sim.PersonName(l.r), ReporterPhone: sim.Phone(l.r)}}
}

// Handler is the grid's leader, the residents' committee's chair or the street's secretary.
func (l loop) Handler(c closedloop.Case[matter]) gridgov.Actor {
	k := l.w.compounds[c.Data.compound]
	comm := l.w.communities[k.community]
	return gridgov.PersonActor([tiers]string{k.grids[c.Data.grid].leader, comm.chair, l.w.streets[comm.street].secretary}[c.Tier])
}

// Verifier is the committee's chair, the community's Party secretary or the street's deputy.
func (l loop) Verifier(c closedloop.Case[matter]) gridgov.Actor {
	comm := l.w.communities[l.w.compounds[c.Data.compound].community]
	return gridgov.PersonActor([tiers]string{comm.chair, comm.secretary, l.w.streets[comm.street].deputy}[c.Tier])
}

// Handle draws a handling time at the matter's tier: an hour plus an exponential draw with
// the tier's mean, in the grid stretched by the serving firm's quality.
func (l loop) Handle(c closedloop.Case[matter]) time.Duration {
	mean := [tiers]time.Duration{handleGrid, handleCommunity, handleStreet}[c.Tier]
	if c.Tier == tierGrid {
		q := l.w.firms[l.w.compounds[c.Data.compound].firm].quality
		mean = time.Duration(float64(mean) * (1.6 - q))
	}
	return time.Hour + time.Duration(l.r.ExpFloat64()*float64(mean))
}

// Rate draws the call-back's rating: residents of compounds with a poor firm are less
// often satisfied.
func (l loop) Rate(c closedloop.Case[matter]) (escalation.Satisfaction, bool) {
	q := l.w.firms[l.w.compounds[c.Data.compound].firm].quality
	switch u := l.r.Float64(); {
	case u < 0.02+0.08*(1-q):
		return escalation.Unsatisfied, false
	case u < 0.12+0.08*(1-q):
		return escalation.BasicSatisfied, true
	}
	return escalation.Satisfied, true
}

// Reporter is who reports for a party: the head of the summoned organisation (the
// residents' committee for the community), the housing bureau's manager, or a registered
// in-service member.
func (l loop) Reporter(c closedloop.Case[matter], party escalation.PartyKind) gridgov.Actor {
	k := l.w.compounds[c.Data.compound]
	comm := l.w.communities[k.community]
	switch party {
	case escalation.PartyStreet:
		return gridgov.PersonActor(l.w.streets[comm.street].secretary)
	case escalation.PartyCommunity:
		return gridgov.PersonActor(comm.chair)
	case escalation.PartyFirm:
		return gridgov.PersonActor(l.w.firms[k.firm].manager)
	case escalation.PartyDepartment:
		return gridgov.PersonActor(l.w.department)
	default:
		return gridgov.PersonActor(comm.members[l.r.IntN(len(comm.members))])
	}
}
