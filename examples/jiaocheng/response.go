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

// tiers counts the tiers of the rapid-response policy on the Jiaocheng scheme: the
// compound's service station, the community's property service centre and the street.
const tiers = 3

// complaint is what the simulation draws for a property complaint: the compound it is
// about.
type complaint struct {
	compound int
}

// outcome is what the simulation leaves for the report.
type outcome struct {
	eng        *escalation.Engine
	complaints []closedloop.Case[complaint]
	sweeps     escalation.SweepReport
	from, to   time.Time
}

// hotline takes property complaints in (热线), whatever the channel.
var hotline = gridgov.SystemActor("hotline")

// simulate runs a year of property complaints at scale through the rapid-response policy
// (escalation.RapidResponsePolicy) with the sweeper every 30 minutes.
func simulate(ctx context.Context, w *world, r *rand.Rand, scale, year int) (*outcome, error) {
	eng, err := escalation.NewEngine(memory.NewEscalationStore(), w.reg,
		escalation.RapidResponsePolicy(w.reg.Scheme()), escalation.WithClock(w.clock),
		escalation.WithCalendar(escalation.ChinaMainland()), escalation.WithIDs(gridgov.NewSequence("rr")))
	if err != nil {
		return nil, err
	}
	from, to := sim.YearStart(year), sim.YearStart(year+1)
	res, err := closedloop.Run(ctx, closedloop.Config{Engine: eng, Clock: w.clock, Rand: r,
		Count: complaintsPerUnit * scale, From: from, To: to, SweepEvery: sweepEvery,
		Beyond:         []float64{shareCommunity + shareStreet, shareStreet},
		ManualEscalate: manualEscalate, LateSign: lateSign}, loop{w: w, r: r})
	if err != nil {
		return nil, err
	}
	return &outcome{eng: eng, complaints: res.Cases, sweeps: res.Sweeps, from: from, to: to}, nil
}

// loop is Jiaocheng's world as the closed loop sees it (closedloop.Model): complaints come
// in by the hotline about a compound; the compound's service station, the community's
// property service centre and the street's Party working committee handle them.
type loop struct {
	w *world
	r *rand.Rand
}

// Arrive draws the compound a complaint is about.
func (l loop) Arrive() complaint { return complaint{compound: l.r.IntN(len(l.w.compounds))} }

// Submit takes the complaint in by the hotline, from one of four channels, at the compound;
// it is referred to the compound's service station.
func (l loop) Submit(c closedloop.Case[complaint]) closedloop.Submission {
	k := l.w.compounds[c.Data.compound]
	return closedloop.Submission{By: hotline, Unit: "ss-" + k.id,
		Intake: escalation.Intake{Key: fmt.Sprintf("rr-%d", c.Seq),
			Channel: []escalation.Channel{escalation.ChannelHotline, escalation.ChannelChatGroup, escalation.ChannelApp,
				escalation.ChannelWalkIn}[l.r.IntN(4)],
			Category: "property", Description: "物业问题", NodeID: k.id,
			ReporterName: sim.PersonName(l.r), ReporterPhone: sim.Phone(l.r)}}
}

// Handler is the station's head, the centre's head or the street's secretary.
func (l loop) Handler(c closedloop.Case[complaint]) gridgov.Actor {
	k := l.w.compounds[c.Data.compound]
	comm := l.w.communities[k.community]
	return gridgov.PersonActor([tiers]string{k.stationHead, comm.centreHead, l.w.streets[comm.street].secretary}[c.Tier])
}

// Verifier is the centre's head, the community's Party secretary or the street's deputy.
func (l loop) Verifier(c closedloop.Case[complaint]) gridgov.Actor {
	comm := l.w.communities[l.w.compounds[c.Data.compound].community]
	return gridgov.PersonActor([tiers]string{comm.centreHead, comm.secretary, l.w.streets[comm.street].deputy}[c.Tier])
}

// Handle draws a handling time at the complaint's tier: an hour plus an exponential draw
// with the tier's mean.
func (l loop) Handle(c closedloop.Case[complaint]) time.Duration {
	mean := [tiers]time.Duration{handleStation, handleCommunity, handleStreet}[c.Tier]
	return time.Hour + time.Duration(l.r.ExpFloat64()*float64(mean))
}

// Rate draws the call-back's rating: 4% unsatisfied and unsolved, 9% basically satisfied.
func (l loop) Rate(closedloop.Case[complaint]) (escalation.Satisfaction, bool) {
	switch u := l.r.Float64(); {
	case u < 0.04:
		return escalation.Unsatisfied, false
	case u < 0.13:
		return escalation.BasicSatisfied, true
	}
	return escalation.Satisfied, true
}

// Reporter is who reports for a party: the head of the summoned organisation, the district
// department's manager, or a registered in-service member.
func (l loop) Reporter(c closedloop.Case[complaint], party escalation.PartyKind) gridgov.Actor {
	k := l.w.compounds[c.Data.compound]
	comm := l.w.communities[k.community]
	switch party {
	case escalation.PartyStreet:
		return gridgov.PersonActor(l.w.streets[comm.street].secretary)
	case escalation.PartyCommunity:
		return gridgov.PersonActor(comm.secretary)
	case escalation.PartyFirm:
		return gridgov.PersonActor(l.w.firms[k.firm].manager)
	case escalation.PartyDepartment:
		return gridgov.PersonActor(l.w.department)
	default:
		return gridgov.PersonActor(comm.members[l.r.IntN(len(comm.members))])
	}
}
