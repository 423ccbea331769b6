package closedloop

import (
	"context"
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gridgov/gridgov"
	"github.com/gridgov/gridgov/escalation"
	"github.com/gridgov/gridgov/examples/internal/sim"
	"github.com/gridgov/gridgov/governance"
	"github.com/gridgov/gridgov/store/memory"
)

// tinyPolicy is a grid → community → street ladder: each tier signs within 2 working hours
// and resolves within 1 working day, a breach escalates, and the street blows the whistle
// on the street and the community (both lead).
func tinyPolicy() escalation.Policy {
	report := escalation.Limit{Duration: 30 * time.Minute, Basis: escalation.Elapsed}
	tier := func(level string, whistle bool) escalation.Tier {
		return escalation.Tier{Level: level, NameEN: level, NameZH: level, ResponseLimit: escalation.Hours(2),
			ResolutionLimit: escalation.Workdays(1), WarnAt: 80, AutoEscalate: !whistle, Whistle: whistle}
	}
	return escalation.Policy{Name: "tiny", Tiers: []escalation.Tier{tier("grid", false), tier("community", false), tier("street", true)},
		Responsibilities: map[string][]escalation.Party{"": {
			{Kind: escalation.PartyStreet, Lead: true, ReportLimit: report},
			{Kind: escalation.PartyCommunity, Lead: true, ReportLimit: report},
		}},
		RatingWindow: 7 * 24 * time.Hour,
	}
}

// tinyWorld is one street, one community and one grid: a grid worker, the community's
// chair, the street's secretary and deputy, with an engine on the tiny policy.
func tinyWorld(t *testing.T, mutate ...func(*escalation.Policy)) (*escalation.Engine, *gridgov.FakeClock) {
	t.Helper()
	ctx, sys := context.Background(), gridgov.SystemActor("setup")
	clock := gridgov.NewFakeClock(sim.YearStart(2026))
	reg, err := governance.NewRegistry(memory.NewGovernanceStore(),
		governance.WithScheme(governance.FourLevelLadder()), governance.WithClock(clock))
	require.NoError(t, err)
	for _, n := range []governance.NodeInput{
		{ID: "st", Level: "street", Name: "街道"},
		{ID: "c1", ParentID: "st", Level: "community", Name: "社区"},
		{ID: "g1", ParentID: "c1", Level: "grid", Name: "网格"},
	} {
		_, err := reg.AddNode(ctx, sys, n)
		require.NoError(t, err)
	}
	for _, o := range []governance.OrganisationInput{
		{ID: "stc", NodeID: "st", Kind: governance.OrgPartyWorkingCommittee, Name: "街道党工委"},
		{ID: "rc1", NodeID: "c1", Kind: governance.OrgResidentsCommittee, Name: "居委会"},
		{ID: "ss1", NodeID: "g1", Kind: governance.OrgServiceStation, Name: "服务站"},
	} {
		_, err := reg.AddOrganisation(ctx, sys, o)
		require.NoError(t, err)
	}
	for _, p := range []struct {
		id, org string
		role    governance.Role
	}{
		{"gw1", "ss1", governance.RoleGridWorker}, {"cm1", "rc1", governance.RoleChair},
		{"st1", "stc", governance.RoleSecretary}, {"sv1", "stc", governance.RoleDeputySecretary},
	} {
		_, err := reg.AddPerson(ctx, sys, governance.PersonInput{ID: p.id, Name: "王" + p.id, HomeNodeID: "st"})
		require.NoError(t, err)
		_, err = reg.Appoint(ctx, sys, governance.AppointInput{PersonID: p.id, OrgID: p.org, Role: p.role})
		require.NoError(t, err)
	}
	policy := tinyPolicy()
	for _, m := range mutate {
		m(&policy)
	}
	eng, err := escalation.NewEngine(memory.NewEscalationStore(), reg, policy, escalation.WithClock(clock),
		escalation.WithIDs(gridgov.NewSequence("t")))
	require.NoError(t, err)
	return eng, clock
}

// fake is the tiny world's model: it draws a number for each matter, takes matters in at
// the grid, and handles them in handle[tier] plus up to an hour. It records its calls.
type fake struct {
	r       *rand.Rand
	handle  [3]time.Duration
	calls   []string
	arrived int
}

func (f *fake) Arrive() int {
	f.arrived++
	f.calls = append(f.calls, "arrive")
	return f.r.IntN(100)
}

func (f *fake) Submit(c Case[int]) Submission {
	f.calls = append(f.calls, fmt.Sprintf("submit %d", c.Seq))
	return Submission{By: gridgov.PersonActor("gw1"), Unit: "ss1", Intake: escalation.Intake{Key: fmt.Sprintf("k-%d", c.Seq),
		Channel: escalation.ChannelPatrol, Category: "test", Description: "测试", NodeID: "g1"}}
}

func (f *fake) Handler(c Case[int]) gridgov.Actor {
	return gridgov.PersonActor([3]string{"gw1", "cm1", "st1"}[c.Tier])
}

func (f *fake) Verifier(c Case[int]) gridgov.Actor {
	return gridgov.PersonActor([3]string{"cm1", "st1", "sv1"}[c.Tier])
}

func (f *fake) Handle(c Case[int]) time.Duration {
	return f.handle[c.Tier] + time.Duration(f.r.Int64N(int64(time.Hour)))
}

func (f *fake) Rate(Case[int]) (escalation.Satisfaction, bool) {
	if f.r.Float64() < 0.1 {
		return escalation.Unsatisfied, false
	}
	return escalation.Satisfied, true
}

func (f *fake) Reporter(_ Case[int], party escalation.PartyKind) gridgov.Actor {
	if party == escalation.PartyStreet {
		return gridgov.PersonActor("st1")
	}
	return gridgov.PersonActor("cm1")
}

// run runs count matters in the first three weeks of March 2026 on a fresh tiny world.
func run(t *testing.T, seed uint64, count int, beyond []float64, manual float64, handle [3]time.Duration) (*Result[int], *fake, *escalation.Engine) {
	t.Helper()
	eng, clock := tinyWorld(t)
	r := sim.Rand(seed)
	f := &fake{r: r, handle: handle}
	from := time.Date(2026, time.March, 2, 0, 0, 0, 0, sim.CST)
	res, err := Run(context.Background(), Config{Engine: eng, Clock: clock, Rand: r, Count: count,
		From: from, To: from.AddDate(0, 0, 21), SweepEvery: 30 * time.Minute,
		Beyond: beyond, ManualEscalate: manual}, f)
	require.NoError(t, err)
	return res, f, eng
}

// quick is a handling time well inside every resolution limit.
var quick = [3]time.Duration{time.Hour, time.Hour, time.Hour}

func TestRunClosesEveryMatter(t *testing.T) {
	res, f, eng := run(t, 1, 40, []float64{0.5, 0.25}, 1, quick)
	require.Len(t, res.Cases, 40)
	assert.Equal(t, 40, f.arrived)
	for i, call := range f.calls[:40] {
		assert.Equal(t, "arrive", call, "every matter is drawn before the loop starts (call %d)", i)
	}
	for i, call := range f.calls[40:] {
		assert.Equal(t, fmt.Sprintf("submit %d", i), call, "matters are submitted in arrival order")
	}
	settle := [3]int{}
	for i, c := range res.Cases {
		assert.Equal(t, i, c.Seq)
		settle[c.Settle]++
		got, err := eng.Store().GetComplaint(context.Background(), c.ID)
		require.NoError(t, err)
		assert.Equal(t, escalation.StateArchived, got.State, c.ID)
		// Handlers escalate at once and nothing breaches: each matter rises exactly to
		// the lowest tier that can settle it, and only the street whistles.
		assert.Equal(t, c.Settle, c.MaxTier, c.ID)
		assert.Equal(t, c.Settle, c.Tier, c.ID)
		assert.Equal(t, c.MaxTier == 2, c.Whistled, c.ID)
		if c.Whistled {
			for _, sm := range got.Summons {
				assert.True(t, sm.Reported(), "%s: %s reported", c.ID, sm.Party)
			}
		}
	}
	assert.Positive(t, settle[0])
	assert.Positive(t, settle[1])
	assert.Positive(t, settle[2])
	assert.Zero(t, res.Sweeps.Escalations)
}

func TestRunLeavesEscalationToTheSweeper(t *testing.T) {
	res, _, eng := run(t, 2, 30, []float64{0.5, 0.25}, 0, quick)
	risen := 0
	for _, c := range res.Cases {
		assert.GreaterOrEqual(t, c.MaxTier, c.Settle, c.ID)
		risen += c.MaxTier
		got, err := eng.Store().GetComplaint(context.Background(), c.ID)
		require.NoError(t, err)
		assert.Equal(t, escalation.StateArchived, got.State,
			"%s: the run sweeps on until the last matter waiting for the sweeper is archived", c.ID)
	}
	assert.Positive(t, risen)
	assert.Equal(t, risen, res.Sweeps.Escalations, "every escalation is the sweeper's")
	assert.GreaterOrEqual(t, res.Sweeps.Breaches, res.Sweeps.Escalations)
}

func TestRunSkipsStepsOvertakenByAnEscalation(t *testing.T) {
	// Every matter could be settled in the grid, but the grid takes a week: the sweeper
	// escalates each on the breach and the grid's pending resolution is dropped (were it
	// not, the grid worker would resolve a matter the grid no longer holds, an error).
	slow := [3]time.Duration{7 * 24 * time.Hour, time.Hour, time.Hour}
	res, _, eng := run(t, 3, 12, []float64{0, 0}, 1, slow)
	risen := 0
	for _, c := range res.Cases {
		assert.Equal(t, 0, c.Settle)
		assert.GreaterOrEqual(t, c.MaxTier, 1, c.ID)
		risen += c.MaxTier
		got, err := eng.Store().GetComplaint(context.Background(), c.ID)
		require.NoError(t, err)
		assert.Equal(t, escalation.StateArchived, got.State, c.ID)
		assert.Equal(t, got.Tier, c.Tier, c.ID)
	}
	assert.Equal(t, risen, res.Sweeps.Escalations, "every escalation is the sweeper's")
}

func TestRunIsStableForASeed(t *testing.T) {
	a, fa, _ := run(t, 7, 25, []float64{0.4, 0.1}, 0.5, quick)
	b, fb, _ := run(t, 7, 25, []float64{0.4, 0.1}, 0.5, quick)
	assert.Equal(t, a, b)
	assert.Equal(t, fa.r.Uint64(), fb.r.Uint64(), "the same number of draws")
	c, _, _ := run(t, 8, 25, []float64{0.4, 0.1}, 0.5, quick)
	assert.NotEqual(t, a, c)
}

func TestRunRejectsABadConfig(t *testing.T) {
	eng, clock := tinyWorld(t)
	from := sim.YearStart(2026)
	good := Config{Engine: eng, Clock: clock, Rand: sim.Rand(1), Count: 1, From: from, To: from.AddDate(0, 0, 7),
		SweepEvery: time.Hour, Beyond: []float64{0.2, 0.1}}
	for name, edit := range map[string]func(*Config){
		"no engine":          func(c *Config) { c.Engine = nil },
		"no random source":   func(c *Config) { c.Rand = nil },
		"negative count":     func(c *Config) { c.Count = -1 },
		"less than a day":    func(c *Config) { c.To = from.Add(time.Hour) },
		"no sweep interval":  func(c *Config) { c.SweepEvery = 0 },
		"shares increase":    func(c *Config) { c.Beyond = []float64{0.1, 0.2} },
		"shares for 2 tiers": func(c *Config) { c.Beyond = []float64{0.1} },
	} {
		cfg := good
		edit(&cfg)
		_, err := Run(context.Background(), cfg, &fake{r: cfg.Rand})
		assert.Error(t, err, name)
	}
}

// A matter that nothing will ever move (no tier escalates on a breach, and nobody
// escalates by hand) ends the run with an error instead of a run that never ends.
func TestRunGivesUpOnMattersNothingMoves(t *testing.T) {
	eng, clock := tinyWorld(t, func(p *escalation.Policy) {
		for i := range p.Tiers {
			p.Tiers[i].AutoEscalate = false
		}
	})
	r := sim.Rand(4)
	from := time.Date(2026, time.March, 2, 0, 0, 0, 0, sim.CST)
	_, err := Run(context.Background(), Config{Engine: eng, Clock: clock, Rand: r, Count: 3,
		From: from, To: from.AddDate(0, 0, 2), SweepEvery: 6 * time.Hour,
		Beyond: []float64{1, 0}}, &fake{r: r, handle: quick})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "3 matters still open")
}
