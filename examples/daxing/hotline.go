package main

import (
	"context"
	"fmt"
	"math/rand/v2"
	"sort"
	"time"

	"github.com/gridgov/gridgov"
	"github.com/gridgov/gridgov/escalation"
	"github.com/gridgov/gridgov/examples/internal/sim"
)

// The actors of the hotline platform (12345 接诉即办): intake, the call-back centre that
// rates on the reporter's behalf, and the street's whistle desk that records the parties'
// check-ins (报到登记).
var (
	hotline     = gridgov.SystemActor("12345-intake")
	callback    = gridgov.SystemActor("12345-callback")
	whistleDesk = gridgov.SystemActor("whistle-desk")
)

// Tier indexes of the policy, lowest first.
const (
	tierBuilding = iota
	tierCommunity
	tierStreet
	tierDistrict
)

// verdict is what the reporter says on the call-back (回访): rated or not, resolved or not,
// and how satisfied.
type verdict struct {
	rated        bool
	resolved     bool
	satisfaction escalation.Satisfaction
}

// pilotVerdicts deals the pilot communities' call-back verdicts from quotas that give the
// published rates (resolution 95.02%, satisfaction 94.47%, satisfaction counting
// "basically satisfied" as 0.9): of n rated call-backs, round(0.9502 n) say resolved, and
// the basically satisfied among them are as many as make (satisfied + 0.9 × basic) / n the
// published satisfaction; the unresolved are unsatisfied. Unrated complaints are spread
// among them. The order is drawn.
func pilotVerdicts(r *rand.Rand, rated, unrated int) []verdict {
	resolved := (rated*9502 + 5000) / 10000
	// satisfied + 0.9 basic = 0.9447 rated with satisfied + basic = resolved:
	// basic = (resolved − 0.9447 rated) / 0.1, rounded.
	basic := (resolved*10000 - rated*9447 + 500) / 1000
	vs := make([]verdict, 0, rated+unrated)
	for i := range rated {
		v := verdict{rated: true, resolved: i < resolved, satisfaction: escalation.Unsatisfied}
		switch {
		case i < resolved-basic:
			v.satisfaction = escalation.Satisfied
		case i < resolved:
			v.satisfaction = escalation.BasicSatisfied
		}
		vs = append(vs, v)
	}
	for range unrated {
		vs = append(vs, verdict{})
	}
	r.Shuffle(len(vs), func(i, j int) { vs[i], vs[j] = vs[j], vs[i] })
	return vs
}

// otherVerdict draws a call-back verdict in a community outside the pilot, one complaint
// at a time: rated nine times in ten, resolved 88% of the time.
func otherVerdict(r *rand.Rand) verdict {
	if r.IntN(10) == 0 {
		return verdict{}
	}
	v := verdict{rated: true, resolved: r.IntN(100) < 88}
	u := r.IntN(100)
	switch {
	case v.resolved && u < 80, !v.resolved && u < 3:
		v.satisfaction = escalation.Satisfied
	case v.resolved && u < 95, !v.resolved && u < 25:
		v.satisfaction = escalation.BasicSatisfied
	default:
		v.satisfaction = escalation.Unsatisfied
	}
	return v
}

// categories are the complaint categories with their weights; "utilities" and "complex"
// carry the hotline policy's overrides.
var categories = []struct {
	key, zh string
	weight  int
}{
	{"property", "物业服务", 35}, {"environment", "环境卫生", 20}, {"parking", "停车管理", 15},
	{"utilities", "水电气热", 15}, {"noise", "噪声扰民", 10}, {"complex", "疑难复杂", 5},
}

// settleTier draws the tier a matter is settled at: in the pilot most matters stay in the
// building (小事不出楼) and the community (大事不出社区); the street whistles for the hard ones
// (难事不出街乡).
func settleTier(r *rand.Rand, pilot bool, category string) int {
	w := []int{40, 40, 16, 4}
	if pilot {
		w = []int{62, 30, 7, 1}
	}
	if category == "complex" {
		w = []int{0, 30, 55, 15}
	}
	u, acc := r.IntN(w[0]+w[1]+w[2]+w[3]), 0
	for i, x := range w {
		acc += x
		if u < acc {
			return i
		}
	}
	return tierDistrict
}

// plan is one complaint to run.
type plan struct {
	c        *community
	building string
	category string
	at       time.Time
	tier     int
	verdict  verdict
}

// plans draws the year's complaints, community by community: the pilot communities'
// call-back verdicts from their quotas, the others' one by one.
func (w *world) plans(r *rand.Rand, year int) []plan {
	var pilotIdx []int
	var ps []plan
	start := sim.YearStart(year)
	for _, c := range w.communities {
		n := w.vol.perOther
		if c.Pilot {
			n = w.vol.callbacksPerPilot + w.vol.unratedPerPilot
		}
		for range n {
			cp := c.Compounds[r.IntN(len(c.Compounds))]
			cat := drawCategory(r)
			p := plan{c: c, building: cp.Buildings[r.IntN(len(cp.Buildings))], category: cat,
				at:   start.AddDate(0, 0, r.IntN(340)).Add(time.Duration(8*60+r.IntN(12*60)) * time.Minute),
				tier: settleTier(r, c.Pilot, cat)}
			if c.Pilot {
				pilotIdx = append(pilotIdx, len(ps))
			} else {
				p.verdict = otherVerdict(r)
			}
			ps = append(ps, p)
		}
	}
	pilots := len(pilotIdx) / (w.vol.callbacksPerPilot + w.vol.unratedPerPilot)
	for i, v := range pilotVerdicts(r, pilots*w.vol.callbacksPerPilot, pilots*w.vol.unratedPerPilot) {
		ps[pilotIdx[i]].verdict = v
	}
	return ps
}

// drawCategory draws a category by weight.
func drawCategory(r *rand.Rand) string {
	u := r.IntN(100)
	for _, c := range categories {
		if u < c.weight {
			return c.key
		}
		u -= c.weight
	}
	return categories[0].key
}

// run takes one complaint from the call to the archive, on the simulated clock, with the
// sweeper run before each step so that passed limits are recorded as they would be.
func (w *world) run(ctx context.Context, r *rand.Rand, i int, p plan) (escalation.Complaint, error) {
	e, c := w.engine, p.c
	now := p.at
	set := func(d time.Duration) error {
		now = now.Add(d)
		w.clock.Set(now)
		_, err := e.Sweep(ctx)
		return err
	}
	minutes := func(lo, hi int) time.Duration { return time.Duration(lo+r.IntN(hi-lo+1)) * time.Minute }
	w.clock.Set(now)
	cp, err := e.Submit(ctx, hotline, escalation.Intake{Key: fmt.Sprintf("12345-%d", i), Channel: escalation.ChannelHotline,
		Category: p.category, Description: "市民来电反映" + categoryZH(p.category) + "问题", NodeID: p.building,
		ReporterName: sim.PersonName(r), ReporterPhone: sim.Phone(r)})
	if err != nil {
		return cp, err
	}
	st := escalation.Step{ID: cp.ID}
	handler := []gridgov.Actor{c.GridWorker, c.Chair, c.Street.Secretary, w.department}
	if err := set(minutes(5, 15)); err != nil {
		return cp, err
	}
	if _, err := e.Accept(ctx, c.GridWorker, st); err != nil {
		return cp, err
	}
	if _, err := e.Refer(ctx, c.GridWorker, escalation.Referral{Step: st}); err != nil {
		return cp, err
	}
	for tier := tierBuilding; ; tier++ {
		// The response (签收): within 2 hours in the pilot; now and then late elsewhere.
		d := minutes(15, 100)
		if !c.Pilot && r.IntN(100) < 6 {
			d = minutes(130, 300)
		}
		if err := set(d); err != nil {
			return cp, err
		}
		if _, err := e.Sign(ctx, handler[tier], st); err != nil {
			return cp, fmt.Errorf("sign at tier %d: %w", tier, err)
		}
		if tier == tierStreet && c.Pilot {
			if err := w.whistle(ctx, r, c, st, set, minutes); err != nil {
				return cp, err
			}
		}
		if err := set(minutes(10, 30)); err != nil {
			return cp, err
		}
		if cp, err = e.Start(ctx, handler[tier], st); err != nil {
			return cp, err
		}
		if tier == p.tier {
			break
		}
		if err := set(time.Duration(2+r.IntN(14)) * time.Hour); err != nil {
			return cp, err
		}
		if _, err := e.Escalate(ctx, handler[tier], escalation.Step{ID: cp.ID, Note: "超出本级处置能力，逐级上报"}); err != nil {
			return cp, err
		}
	}
	took := [][2]int{{1, 24}, {4, 48}, {8, 72}, {24, 120}}[p.tier]
	if err := set(time.Duration(took[0]+r.IntN(took[1]-took[0]+1)) * time.Hour); err != nil {
		return cp, err
	}
	if _, err := e.Resolve(ctx, handler[p.tier], escalation.Step{ID: cp.ID, Note: "已处置完毕"}); err != nil {
		return cp, err
	}
	verifier := []gridgov.Actor{c.Secretary, c.Secretary, c.Street.Deputy, w.districtSec}[p.tier]
	if err := set(time.Duration(4+r.IntN(20)) * time.Hour); err != nil {
		return cp, err
	}
	if _, err := e.Verify(ctx, verifier, st); err != nil {
		return cp, err
	}
	if p.verdict.rated {
		if err := set(time.Duration(2+r.IntN(40)) * time.Hour); err != nil {
			return cp, err
		}
		if _, err := e.Rate(ctx, callback, escalation.RatingInput{Step: st, Satisfaction: p.verdict.satisfaction,
			Resolved: p.verdict.resolved}); err != nil {
			return cp, err
		}
	} else if err := set(8 * 24 * time.Hour); err != nil { // the rating window passes
		return cp, err
	}
	return e.Archive(ctx, handler[p.tier], st)
}

// whistle blows the whistle at the street (吹哨): the parties of the responsibility list
// report (报到) within 30 minutes, one in fifty a little late.
func (w *world) whistle(ctx context.Context, r *rand.Rand, c *community, st escalation.Step,
	set func(time.Duration) error, minutes func(lo, hi int) time.Duration) error {
	cp, err := w.engine.Whistle(ctx, c.Street.Secretary, st)
	if err != nil {
		return err
	}
	// The parties set out at once; each reports when it arrives.
	offsets := make([]time.Duration, len(cp.Summons))
	for i := range offsets {
		offsets[i] = minutes(5, 28)
		if r.IntN(50) == 0 {
			offsets[i] = minutes(31, 45)
		}
	}
	order := make([]int, len(offsets))
	for i := range order {
		order[i] = i
	}
	sort.SliceStable(order, func(a, b int) bool { return offsets[order[a]] < offsets[order[b]] })
	var elapsed time.Duration
	for _, i := range order {
		if err := set(offsets[i] - elapsed); err != nil {
			return err
		}
		elapsed = offsets[i]
		if _, err := w.engine.Report(ctx, whistleDesk, escalation.ReportInput{Step: st, Party: cp.Summons[i].Party}); err != nil {
			return err
		}
	}
	return nil
}

// categoryZH returns a category's Chinese name.
func categoryZH(key string) string {
	for _, c := range categories {
		if c.key == key {
			return c.zh
		}
	}
	return key
}
