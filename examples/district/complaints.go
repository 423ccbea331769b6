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

// The rungs of the ladder (LadderPolicy over scheme()), lowest first.
const (
	tierBuilding = iota
	tierGrid
	tierCompound
	tierCommunity
	tierStreet
	tiers
)

// sweepEvery is how often the sweeper (定时巡检) runs on the simulated clock.
const sweepEvery = 30 * time.Minute

// Where matters can be settled (隐患消解在网格、小事化解在社区、大事解决在街道): the share of
// complaints that the building, grid, compound, community and street can each settle first.
var difficulty = [tiers]float64{0.46, 0.24, 0.15, 0.10, 0.05}

// categories are the kinds of complaint, with their shares of the year's complaints.
var categories = []struct {
	key   string
	share float64
	text  string
}{
	{"property", 0.34, "电梯故障、楼道照明、保洁不到位"},
	{"environment", 0.18, "垃圾清运不及时、绿化损毁"},
	{"parking", 0.16, "消防通道被占用、乱停车"},
	{"utilities", 0.12, "停水停电、管道渗漏"},
	{"neighbour", 0.12, "邻里噪音、漏水纠纷"},
	{"safety", 0.08, "高空抛物、外墙脱落隐患"},
}

// act is a step a participant takes at a simulated time.
type act int

// The acts, in the order a matter usually meets them.
const (
	actSubmit   act = iota // a resident raises the matter (诉求登记)
	actIntake              // the grid accepts and refers it, or rejects it, or marks it duplicate
	actSign                // the unit at the current tier signs for it (签收)
	actEscalate            // the unit finds it beyond its authority and escalates (逐级上报)
	actReport              // the summoned parties report after the whistle (报到)
	actResolve             // the unit resolves it (办结)
	actVerify              // someone other than the handler verifies it (核查)
	actRate                // the call-back centre records the resident's rating (回访评价)
	actArchive             // the unit archives it (归档)
	actWithdraw            // the resident withdraws it (撤回)
)

// step is one scheduled act on one matter; gen guards against acts made stale by an
// escalation (the sweeper's or the unit's own).
type step struct {
	at  time.Time
	gen int
	m   int
	act act
}

// matter is the simulation's view of one complaint.
type matter struct {
	id        string
	compound  int
	grid      int
	node      string
	category  string
	tier      int // the complaint's current rung
	first     int // the rung it was first referred to
	settle    int // the lowest rung that can settle it
	gen       int
	reject    bool
	duplicate bool
	withdraw  bool
	resolved  bool
	reworked  bool
	late      bool // a limit was passed on the way
	escalated int
}

// year is the simulated year of complaints and what it counted.
type year struct {
	w       *world
	eng     *escalation.Engine
	r       *rand.Rand
	cal     *escalation.Calendar
	start   time.Time
	end     time.Time
	matters []matter
	byID    map[string]int
	last    map[int]string // the last complaint per compound, for duplicates
	queue   sim.Agenda[step]

	hooks []hook

	sweeps  int
	swept   escalation.SweepReport
	whistle int
}

// hook is something else the district does at a given time of the year (funding).
type hook struct {
	at time.Time
	do func(context.Context) error
}

// The system actors of the year: the hotline desk that registers complaints, the
// call-back centre that records ratings and withdrawals, the street command centre that
// logs the summoned parties' reports.
var (
	intakeDesk = gridgov.SystemActor("12345-hotline")
	callback   = gridgov.SystemActor("callback-centre")
	command    = gridgov.SystemActor("street-command-centre")
)

// newYear builds the escalation engine over the world's registry with Xiangshan's ladder.
func newYear(w *world, yr int, r *rand.Rand) (*year, error) {
	eng, err := escalation.NewEngine(memory.NewEscalationStore(), w.reg, escalation.LadderPolicy(scheme()),
		escalation.WithClock(w.clock), escalation.WithCalendar(escalation.ChinaMainland()),
		escalation.WithIDs(gridgov.NewSequence("cp")))
	if err != nil {
		return nil, err
	}
	if n := len(eng.Policy().Tiers); n != tiers {
		return nil, fmt.Errorf("the ladder has %d tiers, the simulation expects %d", n, tiers)
	}
	start := sim.YearStart(yr)
	return &year{w: w, eng: eng, r: r, cal: eng.Calendar(), start: start, end: start.AddDate(1, 0, 0),
		byID: map[string]int{}, last: map[int]string{}}, nil
}

// draw plans the year's complaints: when and where each arises, what it is about and
// which rung can settle it.
func (y *year) draw() {
	n := y.w.size.Complaints
	days := int(y.end.Sub(y.start).Hours() / 24)
	weights := make([]int, len(y.w.Compounds))
	total := 0
	for k, c := range y.w.Compounds {
		total += c.Households
		weights[k] = total
	}
	y.matters = make([]matter, n)
	for i := range y.matters {
		day := y.start.AddDate(0, 0, y.r.IntN(days))
		at := day.Add(7*time.Hour + time.Duration(y.r.IntN(15*60))*time.Minute)
		pick := y.r.IntN(total)
		k := 0
		for weights[k] <= pick {
			k++
		}
		c := y.w.Compounds[k]
		m := matter{compound: k, grid: y.r.IntN(len(c.Grids))}
		if y.r.IntN(10) == 0 {
			m.node = c.ID // a matter of the whole compound
		} else {
			m.node = fmt.Sprintf("%sb%d", c.Grids[m.grid].ID, 1+y.r.IntN(3))
		}
		m.category = categories[len(categories)-1].key
		u := y.r.Float64()
		for _, cat := range categories {
			if u < cat.share {
				m.category = cat.key
				break
			}
			u -= cat.share
		}
		u = y.r.Float64()
		for m.settle = 0; m.settle < tiers-1 && u >= difficulty[m.settle]; m.settle++ {
			u -= difficulty[m.settle]
		}
		switch v := y.r.IntN(100); {
		case v < 2:
			m.reject = true
		case v < 3:
			m.duplicate = true
		case v < 4:
			m.withdraw = true
		}
		y.matters[i] = m
		y.schedule(at, i, actSubmit)
	}
}

// schedule puts act a on matter m at time at, for the matter's current generation.
func (y *year) schedule(at time.Time, m int, a act) {
	y.queue.Schedule(at, step{at: at, gen: y.matters[m].gen, m: m, act: a})
}

// awake moves t into the hours units work on site (07:00–22:00), drawing the start of the
// next morning.
func (y *year) awake(t time.Time) time.Time {
	h := t.Hour()
	if h >= 7 && h < 22 {
		return t
	}
	day := time.Date(t.Year(), t.Month(), t.Day(), 7, 30, 0, 0, t.Location())
	if h >= 22 {
		day = day.AddDate(0, 0, 1)
	}
	return day.Add(time.Duration(y.r.IntN(90)) * time.Minute)
}

// minutes draws a duration of lo to hi minutes.
func (y *year) minutes(lo, hi int) time.Duration {
	return time.Duration(lo+y.r.IntN(hi-lo+1)) * time.Minute
}

// run plays the year on the simulated clock: acts in time order, the sweeper every
// 30 minutes; after the year it drains what is still open (at most a month).
func (y *year) run(ctx context.Context) error {
	y.draw()
	stop := y.end.AddDate(0, 1, 0)
	for tick := y.start.Add(sweepEvery); ; tick = tick.Add(sweepEvery) {
		for at, ok := y.queue.NextAt(); ok && !at.After(tick); at, ok = y.queue.NextAt() {
			_, s, _ := y.queue.Next()
			if s.gen != y.matters[s.m].gen && s.act != actWithdraw {
				continue // overtaken by an escalation or a withdrawal
			}
			y.w.clock.Set(s.at)
			if err := y.do(ctx, s); err != nil {
				return fmt.Errorf("%s %d on %s at %s: %w", y.matters[s.m].id, s.act, y.matters[s.m].node, s.at.Format(time.DateTime), err)
			}
		}
		y.w.clock.Set(tick)
		for len(y.hooks) > 0 && !y.hooks[0].at.After(tick) { // hooks fall on the half hour
			if err := y.hooks[0].do(ctx); err != nil {
				return err
			}
			y.hooks = y.hooks[1:]
		}
		rep, err := y.eng.Sweep(ctx)
		if err != nil {
			return err
		}
		y.sweeps++
		y.swept.Warnings += rep.Warnings
		y.swept.Breaches += rep.Breaches
		y.swept.Escalations += rep.Escalations
		y.swept.Conflicts += rep.Conflicts
		if err := y.followSweeper(ctx, rep.Escalated); err != nil {
			return err
		}
		if (tick.Compare(y.end) >= 0 && y.queue.Len() == 0) || tick.Compare(stop) >= 0 {
			return nil
		}
	}
}

// followSweeper hands every complaint the sweeper escalated (in the order it escalated
// them) to the unit at its new tier, which signs for it after its response delay.
func (y *year) followSweeper(ctx context.Context, escalated []string) error {
	now := y.w.clock.Now()
	for _, id := range escalated {
		c, err := y.eng.Store().GetComplaint(ctx, id)
		if err != nil {
			return err
		}
		i := y.byID[id]
		m := &y.matters[i]
		m.gen++
		m.tier, m.late = c.Tier, true
		m.escalated++
		y.schedule(now.Add(y.responseDelay(i)), i, actSign)
	}
	return nil
}

// quality is how well the matter's compound is served: its firm's quality for the rungs
// the firm and grid work at, a steady 0.8 above.
func (y *year) quality(i int) float64 {
	m := y.matters[i]
	if m.tier <= tierCompound {
		return y.w.Firms[y.w.Compounds[m.compound].Firm].Quality
	}
	return 0.8
}

// responseDelay draws how long the unit takes to sign for the matter: usually minutes, in
// a few percent of cases (more where service is poor) beyond the 4-hour limit.
func (y *year) responseDelay(i int) time.Duration {
	if y.r.Float64() < 0.01+0.05*(1-y.quality(i)) {
		return y.minutes(5*60, 20*60)
	}
	return y.minutes(5, 150)
}

// handler is who works the matter at a rung: the grid worker at the building and grid,
// the compound Party-branch secretary, the residents' committee chair, the street Party
// working committee secretary.
func (y *year) handler(i, tier int) gridgov.Actor {
	m := y.matters[i]
	c := y.w.Compounds[m.compound]
	switch {
	case tier <= tierGrid && m.node != c.ID:
		return gridgov.PersonActor(c.Grids[m.grid].Worker)
	case tier <= tierCompound:
		return gridgov.PersonActor(c.Secretary)
	case tier == tierCommunity:
		return gridgov.PersonActor(y.community(i).Chair)
	default:
		return gridgov.PersonActor(y.streetOf(i).Secretary)
	}
}

// verifier is who verifies at a rung, never the handler: the compound Party-branch
// secretary for the building and grid, the residents' committee chair for the compound,
// the community Party secretary for the community, the street's deputy secretary.
func (y *year) verifier(i, tier int) gridgov.Actor {
	m := y.matters[i]
	switch {
	case tier <= tierGrid && m.node != y.w.Compounds[m.compound].ID:
		return gridgov.PersonActor(y.w.Compounds[m.compound].Secretary)
	case tier <= tierCompound:
		return gridgov.PersonActor(y.community(i).Chair)
	case tier == tierCommunity:
		return gridgov.PersonActor(y.community(i).Secretary)
	default:
		return gridgov.PersonActor(y.streetOf(i).Deputy)
	}
}

// community returns the community of matter i's compound.
func (y *year) community(i int) *community {
	return &y.w.Communities[y.w.Compounds[y.matters[i].compound].comm]
}

// streetOf returns the street of matter i's compound.
func (y *year) streetOf(i int) *street {
	return &y.w.Streets[y.w.Compounds[y.matters[i].compound].st]
}

// do carries out one act.
func (y *year) do(ctx context.Context, s step) error {
	i, now := s.m, s.at
	m := &y.matters[i]
	e := y.eng
	st := escalation.Step{ID: m.id}
	switch s.act {
	case actSubmit:
		cat := m.category
		c, err := e.Submit(ctx, intakeDesk, escalation.Intake{Key: fmt.Sprintf("hotline-%d", i), Channel: channelOf(y.r),
			Category: cat, Description: describe(cat), NodeID: m.node, ReporterName: sim.PersonName(y.r), ReporterPhone: sim.Phone(y.r)})
		if err != nil {
			return err
		}
		m.id, m.tier, m.first = c.ID, c.Tier, c.Tier
		if m.node == y.w.Compounds[m.compound].ID && m.settle < m.tier {
			m.settle = m.tier
		}
		y.byID[c.ID] = i
		y.schedule(now.Add(y.minutes(3, 40)), i, actIntake)
	case actIntake:
		by := y.handler(i, m.tier)
		prev, hasPrev := y.last[m.compound]
		y.last[m.compound] = m.id
		switch {
		case m.reject:
			_, err := e.Reject(ctx, by, escalation.Step{ID: m.id, Note: "不属于受理范围，已告知诉求人依法途径"})
			return err
		case m.duplicate && hasPrev:
			_, err := e.MarkDuplicate(ctx, by, escalation.DuplicateInput{Step: st, Of: prev})
			return err
		}
		if _, err := e.Accept(ctx, by, st); err != nil {
			return err
		}
		if _, err := e.Refer(ctx, by, escalation.Referral{Step: st}); err != nil {
			return err
		}
		y.schedule(now.Add(y.responseDelay(i)), i, actSign)
		if m.withdraw {
			y.schedule(now.Add(y.minutes(60, 20*60)), i, actWithdraw)
		}
	case actSign:
		if _, err := e.Sign(ctx, y.handler(i, m.tier), st); err != nil {
			return err
		}
		return y.afterSign(ctx, i, now)
	case actEscalate:
		c, err := e.Escalate(ctx, y.handler(i, m.tier), escalation.Step{ID: m.id, Note: "涉及多方，超出本级处置权限"})
		if err != nil {
			return err
		}
		m.gen++
		m.tier = c.Tier
		m.escalated++
		y.schedule(now.Add(y.responseDelay(i)), i, actSign)
	case actReport:
		c, err := e.Complaint(ctx, command, m.id)
		if err != nil {
			return err
		}
		for _, p := range c.Summons {
			if _, err := e.Report(ctx, command, escalation.ReportInput{Step: st, Party: p.Party}); err != nil {
				return err
			}
		}
	case actResolve:
		if _, err := e.Resolve(ctx, y.handler(i, m.tier), escalation.Step{ID: m.id, Note: "已现场处置并向诉求人反馈"}); err != nil {
			return err
		}
		m.resolved = true
		y.schedule(y.awake(now.Add(y.minutes(60, 20*60))), i, actVerify)
	case actVerify:
		by := y.verifier(i, m.tier)
		if !m.reworked && y.r.IntN(100) < 3 {
			m.reworked = true
			if _, err := e.SendBack(ctx, by, escalation.Step{ID: m.id, Note: "核查未达标，退回重办"}); err != nil {
				return err
			}
			m.resolved = false
			y.schedule(y.awake(now.Add(y.minutes(4*60, 24*60))), i, actResolve)
			return nil
		}
		if _, err := e.Verify(ctx, by, st); err != nil {
			return err
		}
		if y.r.IntN(100) < 92 {
			y.schedule(y.awake(now.Add(y.minutes(12*60, 72*60))), i, actRate)
		} else {
			y.schedule(y.awake(now.Add(7*24*time.Hour+y.minutes(60, 180))), i, actArchive)
		}
	case actRate:
		if _, err := e.Rate(ctx, callback, y.rating(i)); err != nil {
			return err
		}
		y.schedule(y.awake(now.Add(y.minutes(6*60, 30*60))), i, actArchive)
	case actArchive:
		_, err := e.Archive(ctx, y.handler(i, m.tier), st)
		return err
	case actWithdraw:
		if m.resolved {
			return nil
		}
		if _, err := e.Withdraw(ctx, callback, escalation.Step{ID: m.id, Note: "诉求人自行协商解决，申请撤回"}); err != nil {
			return err
		}
		m.gen++
	}
	return nil
}

// afterSign decides what the unit does once it has signed: at the street it blows the
// whistle first; below the rung that can settle the matter it escalates it (or, now and
// then, lets it lie until the sweeper does); otherwise it resolves the matter, within the
// limit or, where service is poor, late.
func (y *year) afterSign(ctx context.Context, i int, now time.Time) error {
	m := &y.matters[i]
	tier := y.eng.Policy().Tiers[m.tier]
	if m.tier == tierStreet && m.settle == tierStreet {
		if _, err := y.eng.Whistle(ctx, y.handler(i, m.tier), escalation.Step{ID: m.id, Note: "街道吹哨，部门报到"}); err != nil {
			return err
		}
		y.whistle++
		d := y.minutes(5, 28)
		if y.r.IntN(100) < 8 {
			d = y.minutes(35, 90) // a party reports late
		}
		y.schedule(now.Add(d), i, actReport)
	}
	if m.tier < m.settle {
		if y.r.IntN(100) < 85 {
			y.schedule(y.awake(now.Add(y.minutes(30, 6*60))), i, actEscalate)
		}
		return nil // left to the sweeper
	}
	late := 0.04 + 0.22*(1-y.quality(i))
	frac := 0.05 + 0.8*y.r.Float64()
	if y.r.Float64() < late {
		frac = 1.05 + 0.6*y.r.Float64()
	}
	at := y.cal.Add(now, time.Duration(frac*float64(tier.ResolutionLimit.Duration)))
	y.schedule(y.awake(at.Add(time.Hour)), i, actResolve)
	return nil
}

// rating draws the resident's verdict: better where service is good, worse after
// escalations and passed limits.
func (y *year) rating(i int) escalation.RatingInput {
	m := y.matters[i]
	p := 0.74 + 0.22*y.w.Firms[y.w.Compounds[m.compound].Firm].Quality - 0.05*float64(m.escalated)
	if m.late {
		p -= 0.08
	}
	in := escalation.RatingInput{Step: escalation.Step{ID: m.id}, Resolved: true}
	switch u := y.r.Float64(); {
	case u < p:
		in.Satisfaction = escalation.Satisfied
	case u < p+0.6*(1-p):
		in.Satisfaction = escalation.BasicSatisfied
	default:
		in.Satisfaction = escalation.Unsatisfied
		in.Resolved = y.r.IntN(100) < 40
	}
	return in
}

// channelOf draws how the matter reached the grid.
func channelOf(r *rand.Rand) escalation.Channel {
	chs := []escalation.Channel{escalation.ChannelHotline, escalation.ChannelHotline, escalation.ChannelApp,
		escalation.ChannelChatGroup, escalation.ChannelPatrol, escalation.ChannelWalkIn, escalation.ChannelBuildingMeeting}
	return chs[r.IntN(len(chs))]
}

// describe returns a description of a complaint of category.
func describe(category string) string {
	for _, c := range categories {
		if c.key == category {
			return c.text
		}
	}
	return category
}
