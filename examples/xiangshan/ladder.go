package main

import (
	"context"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/gridgov/gridgov"
	"github.com/gridgov/gridgov/escalation"
	"github.com/gridgov/gridgov/examples/internal/sim"
	"github.com/gridgov/gridgov/store/memory"
)

// Calibration of the ladder (assumed, not published: Xiangshan gives the rule, not the
// shares). A compound files about four matters a year; of them 30% can be settled in the
// building, 45% in the grid, 18% in the community and 7% need the street. In 6% of the
// matters nobody in the building signs for it and the sweeper moves it up; 15% of the
// community's matters drag past its five working days and the sweeper sends them to the
// street.
const (
	matterPerCompoundYear = 4
	neglectPercent        = 6
	slowCommunityPercent  = 15
)

// settleShares are the percentages of matters that can be settled at each tier, bottom up.
var settleShares = []int{30, 45, 18, 7}

// Tier indexes of escalation.LadderPolicy over scheme(): building, grid (compound),
// community, street.
const (
	tierBuilding = iota
	tierGrid
	tierCommunity
	tierStreet
)

// categories are the kinds of matter residents raise, with a description each.
var categories = []struct{ key, description string }{
	{"property", "楼道灯不亮，物业报修无人处理"},
	{"parking", "消防通道被私家车占用"},
	{"environment", "垃圾清运不及时，异味扰民"},
	{"neighbour", "楼上漏水，邻里协商不成"},
	{"facilities", "单元门禁损坏，外来人员随意进出"},
}

// channels are how matters reach the grid.
var channels = []escalation.Channel{escalation.ChannelBuildingMeeting, escalation.ChannelChatGroup,
	escalation.ChannelPatrol, escalation.ChannelWalkIn, escalation.ChannelHotline}

// matter is one complaint as the simulation plans it: where it can be settled, whether the
// building neglects it, how long handling takes.
type matter struct {
	id       string
	compound int
	reporter string
	settle   int  // the lowest tier that can settle it
	neglect  bool // the building does not sign for it: the sweeper escalates it
	slow     bool // the community takes longer than its limit: the sweeper escalates it
	// resolveAt is when handling at resolveTier ends (zero until the settling tier signs).
	resolveAt   time.Time
	resolveTier int
}

// ladderResult is what the year of complaints produced.
type ladderResult struct {
	eng     *escalation.Engine
	metrics escalation.Report
	// byStreet are the metrics of each street's subtree, in street order.
	byStreet []escalation.Report
	// handEscalations are escalations by handlers; sweep sums what the sweeper did.
	handEscalations int
	whistles        int
	sweep           escalation.SweepReport
}

// simulator runs the ladder for a year on a simulated clock.
type simulator struct {
	ctx   context.Context
	w     *world
	rng   *rand.Rand
	clock *gridgov.FakeClock
	eng   *escalation.Engine
	open  []*matter
	res   *ladderResult
	seq   int
}

// runLadder simulates the year's complaints: every day at 09:00 the grid takes in the
// day's matters (网格召集) and refers them to the building tier; the handlers sign, escalate
// what is beyond them (分级转办), handle (问题处置), and the level above verifies
// (核查反馈); the reporter rates and the matter is archived (评议归档). The sweeper runs at
// 13:30 and 17:30 on the simulated clock with the mainland working calendar. After the
// year the loop continues without new matters until every one is archived.
func runLadder(ctx context.Context, w *world, rng *rand.Rand, year int) (*ladderResult, error) {
	start := sim.YearStart(year)
	clock := gridgov.NewFakeClock(start)
	eng, err := escalation.NewEngine(memory.NewEscalationStore(), w.reg, escalation.LadderPolicy(scheme()),
		escalation.WithClock(clock), escalation.WithCalendar(escalation.ChinaMainland()),
		escalation.WithIDs(gridgov.NewSequence("cp")))
	if err != nil {
		return nil, err
	}
	s := &simulator{ctx: ctx, w: w, rng: rng, clock: clock, eng: eng, res: &ladderResult{eng: eng}}
	end := start.AddDate(1, 0, 0)
	for day := start; day.Before(end) || len(s.open) > 0; day = day.AddDate(0, 0, 1) {
		if day.After(end.AddDate(0, 3, 0)) {
			return nil, fmt.Errorf("%d matters still open in April of the next year", len(s.open))
		}
		clock.Set(day.Add(9 * time.Hour))
		if day.Before(end) {
			if err := s.intake(); err != nil {
				return nil, err
			}
		}
		for _, at := range []time.Duration{9*time.Hour + 5*time.Minute, 13*time.Hour + 30*time.Minute, 17*time.Hour + 30*time.Minute} {
			clock.Set(day.Add(at))
			if at != 9*time.Hour+5*time.Minute {
				rep, err := eng.Sweep(ctx)
				if err != nil {
					return nil, err
				}
				s.res.sweep.Warnings += rep.Warnings
				s.res.sweep.Breaches += rep.Breaches
				s.res.sweep.Escalations += rep.Escalations
				s.res.sweep.Conflicts += rep.Conflicts
			}
			if err := s.actAll(); err != nil {
				return nil, err
			}
		}
	}
	q := escalation.MetricsQuery{NodeID: w.root, From: start, To: end}
	if s.res.metrics, err = eng.Metrics(ctx, q); err != nil {
		return nil, err
	}
	for _, st := range w.streets {
		q.NodeID = st.id
		m, err := eng.Metrics(ctx, q)
		if err != nil {
			return nil, err
		}
		s.res.byStreet = append(s.res.byStreet, m)
	}
	return s.res, nil
}

// intake takes in the day's matters, compound by compound, and refers each to its tier.
func (s *simulator) intake() error {
	for k := range s.w.compounds {
		if s.rng.IntN(365) >= matterPerCompoundYear {
			continue
		}
		cp := &s.w.compounds[k]
		m := &matter{compound: k, reporter: cp.residents[s.rng.IntN(len(cp.residents))]}
		draw := s.rng.IntN(100)
		for t, share := range settleShares {
			if draw < share {
				m.settle = t
				break
			}
			draw -= share
		}
		m.neglect = s.rng.IntN(100) < neglectPercent
		m.slow = m.settle == tierCommunity && s.rng.IntN(100) < slowCommunityPercent
		cat := categories[s.rng.IntN(len(categories))]
		ch := channels[s.rng.IntN(len(channels))]
		building := cp.buildings[s.rng.IntN(len(cp.buildings))]
		s.seq++
		c, err := s.eng.Submit(s.ctx, gridgov.PersonActor(m.reporter), escalation.Intake{
			Key: fmt.Sprintf("xs-%06d", s.seq), Channel: ch, Category: cat.key, Description: cat.description,
			NodeID: building, ReporterID: m.reporter})
		if err != nil {
			return err
		}
		m.id = c.ID
		gw := gridgov.PersonActor(cp.gridWorker)
		if _, err := s.eng.Accept(s.ctx, gw, escalation.Step{ID: c.ID}); err != nil {
			return err
		}
		if _, err := s.eng.Refer(s.ctx, gw, escalation.Referral{Step: escalation.Step{ID: c.ID}}); err != nil {
			return err
		}
		s.open = append(s.open, m)
	}
	return nil
}

// actAll moves every open matter as far as it can go now, in intake order.
func (s *simulator) actAll() error {
	still := s.open[:0]
	for _, m := range s.open {
		done, err := s.act(m)
		if err != nil {
			return fmt.Errorf("complaint %s: %w", m.id, err)
		}
		if !done {
			still = append(still, m)
		}
	}
	clear(s.open[len(still):])
	s.open = still
	return nil
}

// handler is who signs for and handles a matter at a tier: the grid worker in the building,
// the compound Party branch secretary in the grid (网格召集人), the residents' committee chair
// in the community, the Party working committee secretary in the street.
func (s *simulator) handler(m *matter, tier int) gridgov.Actor {
	cp := s.w.compounds[m.compound]
	comm := s.w.communities[cp.community]
	switch tier {
	case tierBuilding:
		return gridgov.PersonActor(cp.gridWorker)
	case tierGrid:
		return gridgov.PersonActor(cp.secretary)
	case tierCommunity:
		return gridgov.PersonActor(comm.chair)
	}
	return gridgov.PersonActor(s.w.streets[comm.street].secretary)
}

// verifier is who verifies a matter settled at a tier (never its handler): the community
// residents' committee chair for the building and the grid, the community Party secretary
// for the community, the street's deputy secretary for the street.
func (s *simulator) verifier(m *matter, tier int) gridgov.Actor {
	cp := s.w.compounds[m.compound]
	comm := s.w.communities[cp.community]
	switch tier {
	case tierBuilding, tierGrid:
		return gridgov.PersonActor(comm.chair)
	case tierCommunity:
		return gridgov.PersonActor(comm.secretary)
	}
	return gridgov.PersonActor(s.w.streets[comm.street].deputy)
}

// handlingDays is how many days handling takes at a tier.
func (s *simulator) handlingDays(m *matter, tier int) int {
	switch tier {
	case tierBuilding:
		return 0
	case tierGrid:
		return s.rng.IntN(2)
	case tierCommunity:
		if m.slow {
			return 9 + s.rng.IntN(3)
		}
		return 1 + s.rng.IntN(4)
	}
	return 2 + s.rng.IntN(7)
}

// sysActor reads complaints for the simulation.
var sysActor = gridgov.SystemActor("xiangshan-sim")

// act moves one matter through the loop as far as it goes now; done reports it archived.
func (s *simulator) act(m *matter) (done bool, err error) {
	for {
		c, err := s.eng.Complaint(s.ctx, sysActor, m.id)
		if err != nil {
			return false, err
		}
		step := escalation.Step{ID: c.ID, Version: c.Version}
		h := s.handler(m, c.Tier)
		switch c.State {
		case escalation.StateReferred:
			if c.Tier == tierBuilding && m.neglect {
				return false, nil
			}
			_, err = s.eng.Sign(s.ctx, h, step)
		case escalation.StateSigned, escalation.StateInProgress:
			if c.Tier < m.settle {
				step.Note = "超出本级处置权限，逐级上报"
				_, err = s.eng.Escalate(s.ctx, h, step)
				s.res.handEscalations++
				break
			}
			if m.resolveAt.IsZero() || m.resolveTier != c.Tier {
				m.resolveTier = c.Tier
				m.resolveAt = s.clock.Now().AddDate(0, 0, s.handlingDays(m, c.Tier))
				if c.Tier == tierStreet {
					if err := s.whistle(m, step, h); err != nil {
						return false, err
					}
					continue
				}
			}
			if s.clock.Now().Before(m.resolveAt) {
				return false, nil
			}
			step.Note = "已处置完毕"
			_, err = s.eng.Resolve(s.ctx, h, step)
		case escalation.StateResolved:
			_, err = s.eng.Verify(s.ctx, s.verifier(m, c.Tier), step)
		case escalation.StateVerified:
			_, err = s.eng.Rate(s.ctx, gridgov.PersonActor(m.reporter), s.rating(m, step))
		case escalation.StateRated:
			_, err = s.eng.Archive(s.ctx, s.verifier(m, c.Tier), step)
			return err == nil, err
		default:
			return false, fmt.Errorf("unexpected state %s", c.State)
		}
		if err != nil {
			return false, err
		}
	}
}

// whistle blows the whistle at the street (街道吹哨); the street and the community report
// (报到) at once.
func (s *simulator) whistle(m *matter, step escalation.Step, h gridgov.Actor) error {
	step.Note = "街道吹哨，部门报到"
	if _, err := s.eng.Whistle(s.ctx, h, step); err != nil {
		return err
	}
	s.res.whistles++
	comm := s.w.communities[s.w.compounds[m.compound].community]
	for _, r := range []struct {
		by    gridgov.Actor
		party escalation.PartyKind
	}{{h, escalation.PartyStreet}, {gridgov.PersonActor(comm.chair), escalation.PartyCommunity}} {
		if _, err := s.eng.Report(s.ctx, r.by, escalation.ReportInput{Step: escalation.Step{ID: m.id}, Party: r.party}); err != nil {
			return err
		}
	}
	return nil
}

// rating is the reporter's rating: residents of compounds whose firm runs them badly are
// less often satisfied.
func (s *simulator) rating(m *matter, step escalation.Step) escalation.RatingInput {
	satisfied, basic := 90, 7
	switch s.w.firms[s.w.compounds[m.compound].firm].quality {
	case fair:
		satisfied, basic = 82, 12
	case poor:
		satisfied, basic = 62, 20
	}
	in := escalation.RatingInput{Step: step, Satisfaction: escalation.Unsatisfied}
	switch d := s.rng.IntN(100); {
	case d < satisfied:
		in.Satisfaction, in.Resolved = escalation.Satisfied, true
	case d < satisfied+basic:
		in.Satisfaction, in.Resolved = escalation.BasicSatisfied, true
	default:
		in.Resolved = s.rng.IntN(2) == 0
	}
	return in
}
