package funding_test

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"math/rand/v2"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gridgov/gridgov"
	"github.com/gridgov/gridgov/funding"
	"github.com/gridgov/gridgov/governance"
	"github.com/gridgov/gridgov/store/memory"
)

// The planner's tests share this fixture: a registry on the in-memory governance store
// with a four-level district scheme, and a treasury over a funding store that holds funds
// for GetFund and panics on anything else (so a test proves that planning writes nothing).

var (
	plCtx    = context.Background()
	plSystem = gridgov.SystemActor("test")
	plCST    = time.FixedZone("CST", 8*3600)
	plYear   = funding.Year(2025, plCST)
)

func plDec(s string) decimal.Decimal { return decimal.RequireFromString(s) }

func plDate(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, plCST) }

// plScheme is district → street → community → compound.
func plScheme() governance.Scheme {
	return governance.Scheme{Name: "district-four-level", Levels: []governance.Level{
		{Key: "district", Kind: governance.KindDistrict, NameZH: "区", NameEN: "district"},
		{Key: "street", Kind: governance.KindStreet, NameZH: "街道", NameEN: "street"},
		{Key: "community", Kind: governance.KindCommunity, NameZH: "社区", NameEN: "community"},
		{Key: "compound", Kind: governance.KindCompound, NameZH: "小区", NameEN: "compound"},
	}}
}

// plStore is a funding.Store that only answers GetFund; every other method panics.
type plStore struct {
	funding.Store
	funds map[string]funding.Fund
}

func (s *plStore) GetFund(_ context.Context, id string) (funding.Fund, error) {
	f, ok := s.funds[id]
	if !ok {
		return funding.Fund{}, fmt.Errorf("%w: fund %q", gridgov.ErrNotFound, id)
	}
	return f, nil
}

type plFixture struct {
	t   testing.TB
	gs  *memory.GovernanceStore
	reg *governance.Registry
	fs  *plStore
	tr  *funding.Treasury
}

func newPlFixture(t testing.TB) *plFixture {
	t.Helper()
	f := &plFixture{t: t, gs: memory.NewGovernanceStore(), fs: &plStore{funds: map[string]funding.Fund{}}}
	clock := gridgov.NewFakeClock(plDate(2026, time.January, 5))
	reg, err := governance.NewRegistry(f.gs, governance.WithScheme(plScheme()), governance.WithClock(clock),
		governance.WithIDs(gridgov.NewSequence("gov")))
	require.NoError(t, err)
	f.reg = reg
	f.tr, err = funding.NewTreasury(f.fs, reg, funding.WithIDs(gridgov.NewSequence("plan")))
	require.NoError(t, err)
	return f
}

func (f *plFixture) node(id, parent, level, name string, labels map[string]string) {
	f.t.Helper()
	_, err := f.reg.AddNode(plCtx, plSystem, governance.NodeInput{ID: id, ParentID: parent, Level: level, Name: name, Labels: labels})
	require.NoError(f.t, err)
}

func (f *plFixture) org(id, node string, kind governance.OrgKind, name string) {
	f.t.Helper()
	_, err := f.reg.AddOrganisation(plCtx, plSystem, governance.OrganisationInput{ID: id, NodeID: node, Kind: kind, Name: name})
	require.NoError(f.t, err)
}

// hold adds person (once) and appoints them to role in org since the date.
func (f *plFixture) hold(posID, person, org string, role governance.Role, since time.Time) {
	f.t.Helper()
	if _, err := f.gs.GetPerson(plCtx, person); errors.Is(err, gridgov.ErrNotFound) {
		_, err := f.reg.AddPerson(plCtx, plSystem, governance.PersonInput{ID: person, Name: "张" + person, Party: governance.PartyRetired})
		require.NoError(f.t, err)
	}
	_, err := f.reg.Appoint(plCtx, plSystem, governance.AppointInput{ID: posID, PersonID: person, OrgID: org, Role: role, Since: since})
	require.NoError(f.t, err)
}

func (f *plFixture) end(posID string, until time.Time) {
	f.t.Helper()
	_, err := f.reg.EndPosition(plCtx, plSystem, governance.EndInput{PositionID: posID, Until: until})
	require.NoError(f.t, err)
}

// small builds a district with one street, two communities (c1 a pilot with 420
// households, c2 not) and three compounds, each with a Party branch and a secretary:
//
//	d ── s ─┬─ c1 (pilot, 420 households) ─┬─ k1  branch b1, secretary p1 (since 2024)
//	        │                               └─ k2  branch b2, secretary p2 (appointed 2025-06-15)
//	        └─ c2 (300 households) ────────── k3  branch b3, secretary p3 (left 2025-10-01)
//
// c1 also has a retired-members' branch rb with a committee of three (r1 secretary, r2
// deputy, r3 member) and a community Party committee cc1 with a secretary q1.
func (f *plFixture) small() {
	f.node("d", "", "district", "蕉城区", nil)
	f.node("s", "d", "street", "蕉南街道", nil)
	f.node("c1", "s", "community", "城南社区", map[string]string{"pilot": "true", "households": "420"})
	f.node("c2", "s", "community", "城北社区", map[string]string{"households": "300"})
	f.node("k1", "c1", "compound", "幸福里小区", nil)
	f.node("k2", "c1", "compound", "和平小区", nil)
	f.node("k3", "c2", "compound", "安居小区", nil)
	for i, k := range []string{"k1", "k2", "k3"} {
		f.org(fmt.Sprintf("b%d", i+1), k, governance.OrgPartyBranch, k+"党支部")
	}
	f.hold("pos-p1", "p1", "b1", governance.RoleSecretary, plDate(2024, time.March, 1))
	f.hold("pos-p2", "p2", "b2", governance.RoleSecretary, plDate(2025, time.June, 15))
	f.hold("pos-p3", "p3", "b3", governance.RoleSecretary, plDate(2023, time.January, 1))
	f.end("pos-p3", plDate(2025, time.October, 1))
	f.org("rb", "c1", governance.OrgPartyBranch, "城南社区离退休党员支部")
	f.hold("pos-r1", "r1", "rb", governance.RoleSecretary, plDate(2020, time.January, 1))
	f.hold("pos-r2", "r2", "rb", governance.RoleDeputySecretary, plDate(2020, time.January, 1))
	f.hold("pos-r3", "r3", "rb", governance.RoleMember, plDate(2020, time.January, 1))
	f.org("cc1", "c1", governance.OrgPartyCommittee, "城南社区党委")
	f.hold("pos-q1", "q1", "cc1", governance.RoleSecretary, plDate(2020, time.January, 1))
}

// Selectors used across the tests.
var (
	plBranches = funding.Selector{Kind: funding.RecipientOrganisation, OrgKinds: []governance.OrgKind{governance.OrgPartyBranch},
		LevelKind: governance.KindCompound}
	plSecretaries = funding.Selector{Kind: funding.RecipientPerson, OrgKinds: []governance.OrgKind{governance.OrgPartyBranch},
		LevelKind: governance.KindCompound, Roles: []governance.Role{governance.RoleSecretary}}
	plRetiredCommittee = funding.Selector{Kind: funding.RecipientPerson, OrgKinds: []governance.OrgKind{governance.OrgPartyBranch},
		OrgNameContains: []string{"离退休"},
		Roles:           []governance.Role{governance.RoleSecretary, governance.RoleDeputySecretary, governance.RoleMember}}
	plPilots      = funding.Selector{Kind: funding.RecipientNode, LevelKind: governance.KindCommunity, Labels: map[string]string{"pilot": "true"}}
	plCommunities = funding.Selector{Kind: funding.RecipientNode, Level: "community"}
)

func (f *plFixture) plan(in funding.PlanInput) (funding.Plan, error) {
	if (in.Period == funding.Period{}) {
		in.Period = plYear
	}
	if in.Budget.IsZero() && in.FundID == "" {
		in.Budget = plDec("100000000")
	}
	return f.tr.Plan(plCtx, in)
}

func (f *plFixture) mustPlan(in funding.PlanInput) funding.Plan {
	f.t.Helper()
	p, err := f.plan(in)
	require.NoError(f.t, err)
	plCheckTotals(f.t, p)
	return p
}

// plCheckTotals asserts the plan's invariants: Total is the sum of the lines and of
// ByRule and of ByNode; every line is at least its floor and names a rule and a node.
func plCheckTotals(t testing.TB, p funding.Plan) {
	t.Helper()
	lines, byRule, byNode := decimal.Zero, decimal.Zero, decimal.Zero
	for i, l := range p.Lines {
		lines = lines.Add(l.Amount)
		assert.True(t, l.Amount.IsPositive(), "line %d amount %s", i, l.Amount)
		assert.False(t, l.Amount.LessThan(l.Floor), "line %d amount %s below floor %s", i, l.Amount, l.Floor)
		assert.True(t, l.Amount.Equal(l.Amount.Truncate(2)), "line %d not whole fen: %s", i, l.Amount)
		assert.NotEmpty(t, l.RuleID)
		assert.NotEmpty(t, l.NodeID)
		assert.NotEmpty(t, l.ExplanationEN)
		assert.NotEmpty(t, l.ExplanationZH)
	}
	for _, v := range p.ByRule {
		byRule = byRule.Add(v)
	}
	for _, v := range p.ByNode {
		byNode = byNode.Add(v)
	}
	assert.True(t, p.Total.Equal(lines), "total %s, lines %s", p.Total, lines)
	assert.True(t, p.Total.Equal(byRule), "total %s, by rule %s", p.Total, byRule)
	assert.True(t, p.Total.Equal(byNode), "total %s, by node %s", p.Total, byNode)
}

// plAmounts maps "rule/recipient" to the amount (summed when a recipient has several
// lines under a rule).
func plAmounts(p funding.Plan) map[string]string {
	out := map[string]string{}
	sums := map[string]decimal.Decimal{}
	for _, l := range p.Lines {
		k := l.RuleID + "/" + l.RecipientID
		sums[k] = sums[k].Add(l.Amount)
	}
	for k, v := range sums {
		out[k] = v.StringFixed(2)
	}
	return out
}

// plCanon renders a plan as text, decimals fixed to the fen, to compare plans whole.
func plCanon(p funding.Plan) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s %s %s budget=%s total=%s short=%s scaled=%v\n", p.ID, p.FundID, p.Period,
		p.Budget.StringFixed(2), p.Total.StringFixed(2), p.Shortfall.StringFixed(2), p.Scaled)
	for _, l := range p.Lines {
		fmt.Fprintf(&b, "%s %s %s %s %s %s %s %s | %s | %s\n", l.RuleID, l.RecipientKind, l.RecipientID, l.NodeID, l.Period,
			l.Amount.StringFixed(2), l.Floor.StringFixed(2), l.Period, l.ExplanationEN, l.ExplanationZH)
	}
	for _, k := range slices.Sorted(maps.Keys(p.ByRule)) {
		fmt.Fprintf(&b, "rule %s %s\n", k, p.ByRule[k].StringFixed(2))
	}
	for _, k := range slices.Sorted(maps.Keys(p.ByNode)) {
		fmt.Fprintf(&b, "node %s %s\n", k, p.ByNode[k].StringFixed(2))
	}
	return b.String()
}

func plLine(t testing.TB, p funding.Plan, rule, recipient string) funding.PlanLine {
	t.Helper()
	for _, l := range p.Lines {
		if l.RuleID == rule && l.RecipientID == recipient {
			return l
		}
	}
	t.Fatalf("no line for %s/%s in %d lines", rule, recipient, len(p.Lines))
	return funding.PlanLine{}
}

// plRequireFields asserts err is a ValidationError (ErrInvalid) naming exactly fields,
// each with an English and a Chinese message.
func plRequireFields(t testing.TB, err error, fields ...string) {
	t.Helper()
	require.Error(t, err)
	require.ErrorIs(t, err, gridgov.ErrInvalid)
	var verr *gridgov.ValidationError
	require.True(t, errors.As(err, &verr), "want a *gridgov.ValidationError, got %T: %v", err, err)
	require.ElementsMatch(t, fields, verr.FieldNames(), "fields of %v", err)
	for _, fe := range verr.Fields {
		require.NotEmpty(t, fe.EN, "English message for %s", fe.Field)
		require.NotEmpty(t, fe.ZH, "Chinese message for %s", fe.Field)
	}
}

func TestPlanFixedGrantPerBranch(t *testing.T) {
	f := newPlFixture(t)
	f.small()
	p := f.mustPlan(funding.PlanInput{ID: "p1", Rules: []funding.Rule{{
		ID: "working", Kind: funding.RuleFixed, NameEN: "working funds", NameZH: "工作经费", Source: "district",
		Recipients: plBranches, Per: funding.PerYear, Amount: plDec("2000"), Floor: plDec("2000"),
	}}})
	assert.Equal(t, map[string]string{"working/b1": "2000.00", "working/b2": "2000.00", "working/b3": "2000.00"}, plAmounts(p))
	l := plLine(t, p, "working", "b1")
	assert.Equal(t, funding.RecipientOrganisation, l.RecipientKind)
	assert.Equal(t, "k1", l.NodeID)
	assert.Equal(t, plYear, l.Period)
	assert.True(t, plDec("2000").Equal(l.Floor))
	assert.Equal(t, "working funds: ¥2,000.00/year × 1 year = ¥2,000.00, floor ¥2,000.00/year (paid by district)", l.ExplanationEN)
	assert.Equal(t, "工作经费：每年2,000.00元 × 1年 = 2,000.00元，不低于每年2,000.00元（资金来源：district）", l.ExplanationZH)
	assert.Equal(t, "p1", p.ID)
	assert.True(t, plDec("6000").Equal(p.Total))
	assert.True(t, plDec("4000").Equal(p.ByNode["k1"].Add(p.ByNode["k2"])))
	assert.True(t, p.Shortfall.IsZero())
	assert.False(t, p.Scaled)
	// The rule selects branches at compound level only: rb sits at a community.
	_, hasRB := plAmounts(p)["working/rb"]
	assert.False(t, hasRB)
}

func TestPlanStipendProRating(t *testing.T) {
	for _, tc := range []struct {
		mode       funding.ProRate
		p1, p2, p3 string
		p2EN, p2ZH string
		p3EN       string
	}{
		{mode: funding.ProRateMonths, p1: "2400.00", p2: "1200.00", p3: "1800.00",
			p2EN: "secretary stipend: ¥200.00/month × 6 months (appointed 2025-06-15; whole months held) = ¥1,200.00, floor ¥200.00/month",
			p2ZH: "书记津贴：每月200.00元 × 6个月（2025-06-15任职；按整月计）= 1,200.00元，不低于每月200.00元",
			p3EN: "secretary stipend: ¥200.00/month × 9 months (left 2025-10-01; whole months held) = ¥1,800.00, floor ¥200.00/month"},
		// 16 of June's 30 days plus July to December: 200 × (16/30 + 6) = 1306.666… → 1306.67.
		{mode: funding.ProRateDays, p1: "2400.00", p2: "1306.67", p3: "1800.00",
			p2EN: "secretary stipend: ¥200.00/month × (16/30 + 6) months (appointed 2025-06-15; by days held) = ¥1,306.67, floor ¥200.00/month",
			p2ZH: "书记津贴：每月200.00元 × (16/30 + 6)个月（2025-06-15任职；按天折算）= 1,306.67元，不低于每月200.00元",
			p3EN: "secretary stipend: ¥200.00/month × 9 months (left 2025-10-01; by days held) = ¥1,800.00, floor ¥200.00/month"},
		{mode: funding.ProRateNone, p1: "2400.00", p2: "2400.00", p3: "2400.00",
			p2EN: "secretary stipend: ¥200.00/month × 12 months (appointed 2025-06-15; not pro-rated) = ¥2,400.00, floor ¥200.00/month",
			p2ZH: "书记津贴：每月200.00元 × 12个月（2025-06-15任职；不折算）= 2,400.00元，不低于每月200.00元",
			p3EN: "secretary stipend: ¥200.00/month × 12 months (left 2025-10-01; not pro-rated) = ¥2,400.00, floor ¥200.00/month"},
	} {
		t.Run(string(tc.mode), func(t *testing.T) {
			f := newPlFixture(t)
			f.small()
			p := f.mustPlan(funding.PlanInput{Rules: []funding.Rule{{
				ID: "stipend", Kind: funding.RuleStipend, NameEN: "secretary stipend", NameZH: "书记津贴",
				Recipients: plSecretaries, Floor: plDec("200"), ProRate: tc.mode,
			}}})
			assert.Equal(t, map[string]string{"stipend/p1": tc.p1, "stipend/p2": tc.p2, "stipend/p3": tc.p3}, plAmounts(p))
			l2 := plLine(t, p, "stipend", "p2")
			assert.Equal(t, tc.p2EN, l2.ExplanationEN)
			assert.Equal(t, tc.p2ZH, l2.ExplanationZH)
			assert.Equal(t, tc.p3EN, plLine(t, p, "stipend", "p3").ExplanationEN)
			assert.Equal(t, funding.RecipientPerson, l2.RecipientKind)
			assert.Equal(t, "k2", l2.NodeID)
			assert.Equal(t, funding.Period{Start: plDate(2025, time.June, 15), End: plYear.End}, l2.Period)
			// The floor follows the same share: 200 × share.
			assert.True(t, l2.Floor.Equal(l2.Amount), "floor %s amount %s", l2.Floor, l2.Amount)
		})
	}
}

func TestPlanStipendAboveFloorAndCap(t *testing.T) {
	f := newPlFixture(t)
	f.small()
	p := f.mustPlan(funding.PlanInput{Rules: []funding.Rule{{
		ID: "stipend", Kind: funding.RuleStipend, Recipients: plSecretaries,
		Amount: plDec("300"), Floor: plDec("200"), Cap: plDec("500"), ProRate: funding.ProRateMonths,
	}}})
	l := plLine(t, p, "stipend", "p1")
	assert.True(t, plDec("3600").Equal(l.Amount))
	assert.True(t, plDec("2400").Equal(l.Floor))
	assert.Equal(t, "stipend: ¥300.00/month × 12 months = ¥3,600.00, floor ¥200.00/month, cap ¥500.00/month", l.ExplanationEN)
	assert.Equal(t, "津贴：每月300.00元 × 12个月 = 3,600.00元，不低于每月200.00元，不超过每月500.00元", l.ExplanationZH)
}

func TestPlanRangeChoosers(t *testing.T) {
	rng := func(c funding.Chooser) funding.Rule {
		return funding.Rule{ID: "startup", Kind: funding.RuleRange, NameEN: "start-up grant", NameZH: "启动资金",
			Recipients: plCommunities, Min: plDec("100000"), Max: plDec("150000"), Chooser: c}
	}
	t.Run("fixed", func(t *testing.T) {
		f := newPlFixture(t)
		f.small()
		p := f.mustPlan(funding.PlanInput{Rules: []funding.Rule{rng(funding.Chooser{Kind: funding.ChooseFixed, Amount: plDec("150000")})}})
		assert.Equal(t, map[string]string{"startup/c1": "150000.00", "startup/c2": "150000.00"}, plAmounts(p))
		l := plLine(t, p, "startup", "c1")
		assert.True(t, plDec("100000").Equal(l.Floor))
		assert.Equal(t, "start-up grant: ¥150,000.00 (fixed choice in the range ¥100,000.00–¥150,000.00), floor ¥100,000.00", l.ExplanationEN)
		assert.Equal(t, "启动资金：150,000.00元（在区间100,000.00元–150,000.00元内固定选择），不低于100,000.00元", l.ExplanationZH)
	})
	t.Run("households", func(t *testing.T) {
		f := newPlFixture(t)
		f.small()
		// 420 households on 0–1200: 100000 + 50000 × 420/1200 = 117500; 300: 112500.
		p := f.mustPlan(funding.PlanInput{Rules: []funding.Rule{rng(funding.Chooser{Kind: funding.ChooseByLabel, To: plDec("1200")})}})
		assert.Equal(t, map[string]string{"startup/c1": "117500.00", "startup/c2": "112500.00"}, plAmounts(p))
		assert.Equal(t, "start-up grant: ¥117,500.00 (households 420 on a 0–1200 scale mapped onto ¥100,000.00–¥150,000.00), floor ¥100,000.00",
			plLine(t, p, "startup", "c1").ExplanationEN)
		assert.Equal(t, "启动资金：117,500.00元（households为420，按0–1200线性对应区间100,000.00元–150,000.00元），不低于100,000.00元",
			plLine(t, p, "startup", "c1").ExplanationZH)
		// Clamping: 420 households on a 0–350 scale is the maximum; 300 is 100000 + 50000 × 300/350.
		p = f.mustPlan(funding.PlanInput{Rules: []funding.Rule{rng(funding.Chooser{Kind: funding.ChooseByLabel, From: plDec("0"), To: plDec("350")})}})
		assert.Equal(t, map[string]string{"startup/c1": "150000.00", "startup/c2": "142857.14"}, plAmounts(p))
	})
	t.Run("score", func(t *testing.T) {
		f := newPlFixture(t)
		f.small()
		p := f.mustPlan(funding.PlanInput{
			Rules:  []funding.Rule{rng(funding.Chooser{Kind: funding.ChooseByScore})},
			Scores: map[string]map[string]decimal.Decimal{"startup": {"c1": plDec("87.5"), "c2": plDec("-3")}},
		})
		assert.Equal(t, map[string]string{"startup/c1": "143750.00", "startup/c2": "100000.00"}, plAmounts(p))
		assert.Equal(t, "start-up grant: ¥143,750.00 (score 87.5 on a 0–100 scale mapped onto ¥100,000.00–¥150,000.00), floor ¥100,000.00",
			plLine(t, p, "startup", "c1").ExplanationEN)
	})
	t.Run("missing inputs", func(t *testing.T) {
		f := newPlFixture(t)
		f.small()
		_, err := f.plan(funding.PlanInput{Rules: []funding.Rule{rng(funding.Chooser{Kind: funding.ChooseByLabel, Label: "area"})}})
		plRequireFields(t, err, "Rules[0].Chooser.Label")
		assert.Contains(t, err.Error(), "c1, c2")
		_, err = f.plan(funding.PlanInput{Rules: []funding.Rule{rng(funding.Chooser{Kind: funding.ChooseByScore})}})
		plRequireFields(t, err, "Scores[startup]")
		_, err = f.plan(funding.PlanInput{
			Rules:  []funding.Rule{rng(funding.Chooser{Kind: funding.ChooseByScore})},
			Scores: map[string]map[string]decimal.Decimal{"startup": {"c1": plDec("80"), "k1": plDec("70")}, "nope": {}},
		})
		plRequireFields(t, err, "Scores[startup]", "Scores[startup][k1]", "Scores[nope]")
	})
}

func TestPlanGroupCap(t *testing.T) {
	f := newPlFixture(t)
	f.small()
	rule := funding.Rule{ID: "retired", Kind: funding.RuleGroupCap, NameEN: "retired branch committee allowance", NameZH: "离退休党支部委员补贴",
		Recipients: plRetiredCommittee, Cap: plDec("1000")}
	// Three members share ¥1,000 a month: ¥4,000 each over the year, exactly.
	p := f.mustPlan(funding.PlanInput{Rules: []funding.Rule{rule}})
	assert.Equal(t, map[string]string{"retired/r1": "4000.00", "retired/r2": "4000.00", "retired/r3": "4000.00"}, plAmounts(p))
	assert.True(t, plDec("12000").Equal(p.ByRule["retired"]))
	l := plLine(t, p, "retired", "r1")
	assert.True(t, l.Floor.IsZero())
	assert.Equal(t, "c1", l.NodeID)
	assert.Equal(t, "retired branch committee allowance: at most ¥1,000.00/month for the group, shared by 3 members of 城南社区离退休党员支部 over 12 months = ¥4,000.00 of the group's ¥12,000.00 (split to the fen by largest remainder)", l.ExplanationEN)
	assert.Equal(t, "离退休党支部委员补贴：全组合计不超过每月1,000.00元，由城南社区离退休党员支部的3名成员分享，计12个月 = 4,000.00元（全组12,000.00元，按最大余额法精确到分）", l.ExplanationZH)

	// One month: ¥100 among three is 33.34 + 33.33 + 33.33.
	month := funding.Month(2025, time.March, plCST)
	r100 := rule
	r100.Cap = plDec("100")
	p = f.mustPlan(funding.PlanInput{Period: month, Rules: []funding.Rule{r100}})
	assert.Equal(t, map[string]string{"retired/r1": "33.34", "retired/r2": "33.33", "retired/r3": "33.33"}, plAmounts(p))

	// ¥150 each, capped at ¥1,000 for the group: 3 × 150 = 450 a month fits the cap.
	each := rule
	each.Amount = plDec("150")
	p = f.mustPlan(funding.PlanInput{Rules: []funding.Rule{each}})
	assert.Equal(t, map[string]string{"retired/r1": "1800.00", "retired/r2": "1800.00", "retired/r3": "1800.00"}, plAmounts(p))
	assert.Contains(t, plLine(t, p, "retired", "r1").ExplanationEN, "¥150.00/month each, at most ¥1,000.00/month for the group")

	// A fourth member from July, months pro-rated: January–June 3 share ¥1,000, July–December 4.
	f.hold("pos-r4", "r4", "rb", governance.RoleMember, plDate(2025, time.July, 1))
	pr := rule
	pr.ProRate = funding.ProRateMonths
	p = f.mustPlan(funding.PlanInput{Rules: []funding.Rule{pr}})
	// r1–r3: 6 × 1000/3 + 6 × 250 = 3500; r4: 6 × 250 = 1500.
	assert.Equal(t, map[string]string{"retired/r1": "3500.00", "retired/r2": "3500.00", "retired/r3": "3500.00", "retired/r4": "1500.00"}, plAmounts(p))
	assert.Contains(t, plLine(t, p, "retired", "r1").ExplanationEN, "shared by 3–4 (by month) members")
	assert.Contains(t, plLine(t, p, "retired", "r4").ExplanationEN, "over 6 months (appointed 2025-07-01; whole months held)")
}

func TestPlanAwards(t *testing.T) {
	f := newPlFixture(t)
	f.small()
	f.node("c3", "s", "community", "城东社区", nil)
	byRank := funding.Rule{ID: "award", Kind: funding.RuleAward, NameEN: "outstanding community award", NameZH: "优秀社区奖励",
		Recipients: plCommunities, Min: plDec("10000"), Max: plDec("30000"),
		Bands: []funding.Band{{Through: 1, Amount: plDec("30000")}, {Through: 2, Amount: plDec("20000")}}}
	p := f.mustPlan(funding.PlanInput{Rules: []funding.Rule{byRank}, Rankings: map[string][]string{"award": {"c2", "c1", "c3"}}})
	assert.Equal(t, map[string]string{"award/c2": "30000.00", "award/c1": "20000.00"}, plAmounts(p))
	l := plLine(t, p, "award", "c1")
	assert.True(t, plDec("10000").Equal(l.Floor))
	assert.Equal(t, "outstanding community award: rank 2 of 3 ranked; rank 2 gets ¥20,000.00 (range ¥10,000.00–¥30,000.00)", l.ExplanationEN)
	assert.Equal(t, "优秀社区奖励：排名第2（共3名参评）；第2名每个20,000.00元（区间10,000.00元–30,000.00元）", l.ExplanationZH)
	// Lines follow node order, not rank order.
	assert.Equal(t, "c1", p.Lines[0].RecipientID)

	_, err := f.plan(funding.PlanInput{Rules: []funding.Rule{byRank}, Rankings: map[string][]string{"award": {"c2", "k1", "c2", "zz"}}})
	plRequireFields(t, err, "Rankings[award][1]", "Rankings[award][2]", "Rankings[award][3]")
	_, err = f.plan(funding.PlanInput{Rules: []funding.Rule{byRank}})
	plRequireFields(t, err, "Rankings[award]")

	byGrade := funding.Rule{ID: "grade", Kind: funding.RuleAward, Recipients: plCommunities, Min: plDec("10000"), Max: plDec("30000"),
		Grades: map[string]decimal.Decimal{"优秀": plDec("30000"), "良好": plDec("10000")}}
	p = f.mustPlan(funding.PlanInput{Rules: []funding.Rule{byGrade},
		Grades: map[string]map[string]string{"grade": {"c1": "优秀", "c2": "合格", "c3": "良好"}}})
	assert.Equal(t, map[string]string{"grade/c1": "30000.00", "grade/c3": "10000.00"}, plAmounts(p))
	assert.Equal(t, `award: grade "优秀" gets ¥30,000.00 (range ¥10,000.00–¥30,000.00)`, plLine(t, p, "grade", "c1").ExplanationEN)
	_, err = f.plan(funding.PlanInput{Rules: []funding.Rule{byGrade}, Grades: map[string]map[string]string{"grade": {"nobody": "优秀"}},
		Rankings: map[string][]string{"grade": {}}})
	plRequireFields(t, err, "Grades[grade][nobody]", "Rankings[grade]")
}

func TestPlanPairedAndDouble(t *testing.T) {
	f := newPlFixture(t)
	f.small()
	rules := []funding.Rule{
		{ID: "startup", Kind: funding.RuleRange, NameEN: "start-up grant", NameZH: "启动资金", Source: "district",
			Recipients: plPilots, Min: plDec("100000"), Max: plDec("150000"),
			Chooser: funding.Chooser{Kind: funding.ChooseFixed, Amount: plDec("120000")}},
		{ID: "city", Kind: funding.RulePaired, NameEN: "city match", NameZH: "市级配套", Source: "city", Matches: "startup", Ratio: plDec("1")},
		{ID: "half", Kind: funding.RulePaired, Matches: "stipend", Ratio: plDec("0.5")},
		{ID: "stipend", Kind: funding.RuleStipend, Recipients: plSecretaries, Floor: plDec("200"), ProRate: funding.ProRateMonths},
	}
	rules = append(rules, funding.DoubleGrant("double", plCommunities, plDec("100000"), plDec("100000"))...)
	p := f.mustPlan(funding.PlanInput{Rules: rules})
	got := plAmounts(p)
	assert.Equal(t, "120000.00", got["startup/c1"])
	assert.Equal(t, "120000.00", got["city/c1"])
	assert.Equal(t, "1200.00", got["half/p1"])
	assert.Equal(t, "600.00", got["half/p2"])
	assert.Equal(t, "100000.00", got["double.service/c1"])
	assert.Equal(t, "100000.00", got["double.working/c2"])
	city := plLine(t, p, "city", "c1")
	assert.True(t, plDec("100000").Equal(city.Floor))
	assert.Equal(t, "city match: 1:1 match of the start-up grant of ¥120,000.00 = ¥120,000.00 (paid by city)", city.ExplanationEN)
	assert.Equal(t, "市级配套：按1:1配套启动资金120,000.00元 = 120,000.00元（资金来源：city）", city.ExplanationZH)
	assert.Equal(t, "service fund: ¥100,000.00/year × 1 year = ¥100,000.00", plLine(t, p, "double.service", "c2").ExplanationEN)
	// Lines follow the rules' order.
	var order []string
	for _, l := range p.Lines {
		if len(order) == 0 || order[len(order)-1] != l.RuleID {
			order = append(order, l.RuleID)
		}
	}
	assert.Equal(t, []string{"startup", "city", "half", "stipend", "double.service", "double.working"}, order)
	assert.True(t, plDec("200000").Equal(p.ByRule["double.service"]))
	assert.True(t, plDec("200000").Equal(p.ByRule["double.working"]))

	bad := []funding.Rule{
		{ID: "a", Kind: funding.RulePaired, Matches: "b", Ratio: plDec("1")},
		{ID: "b", Kind: funding.RulePaired, Matches: "a", Ratio: plDec("1")},
		{ID: "c", Kind: funding.RulePaired, Matches: "zz", Ratio: plDec("1")},
	}
	_, err := f.plan(funding.PlanInput{Rules: bad})
	plRequireFields(t, err, "Rules[0].Matches", "Rules[1].Matches", "Rules[2].Matches")
}

func TestPlanOverBudget(t *testing.T) {
	f := newPlFixture(t)
	f.small()
	rules := []funding.Rule{
		{ID: "startup", Kind: funding.RuleRange, Recipients: plCommunities, Min: plDec("100000"), Max: plDec("150000"),
			Chooser: funding.Chooser{Kind: funding.ChooseFixed, Amount: plDec("150000")}},
		{ID: "working", Kind: funding.RuleFixed, Recipients: plBranches, Per: funding.PerYear, Amount: plDec("2000"), Floor: plDec("2000")},
	}
	// Need 300000 + 6000 = 306000 against 250000.
	p, err := f.plan(funding.PlanInput{Budget: plDec("250000"), Rules: rules})
	require.ErrorIs(t, err, gridgov.ErrBudgetExceeded)
	var berr *funding.BudgetError
	require.ErrorAs(t, err, &berr)
	assert.True(t, plDec("306000").Equal(berr.Need))
	assert.True(t, plDec("250000").Equal(berr.Budget))
	assert.True(t, plDec("56000").Equal(berr.Shortfall))
	assert.True(t, plDec("206000").Equal(berr.Floors))
	assert.False(t, berr.FloorsExceed)
	assert.Equal(t, "gridgov: budget exceeded (超出预算): the plan needs ¥306,000.00 but the budget is ¥250,000.00, short by ¥56,000.00 (计划需要306,000.00元，预算250,000.00元，缺口56,000.00元)", err.Error())
	// The unscaled plan comes back with the error.
	assert.True(t, plDec("56000").Equal(p.Shortfall))
	assert.False(t, p.Scaled)
	plCheckTotals(t, p)

	// Scaled: floors 206000, 44000 left for the 100000 above the floors: 22000 each.
	p, err = f.plan(funding.PlanInput{Budget: plDec("250000"), Rules: rules, ScaleDown: true})
	require.NoError(t, err)
	plCheckTotals(t, p)
	assert.True(t, p.Scaled)
	assert.True(t, plDec("250000").Equal(p.Total))
	assert.True(t, plDec("56000").Equal(p.Shortfall))
	assert.Equal(t, map[string]string{"startup/c1": "122000.00", "startup/c2": "122000.00",
		"working/b1": "2000.00", "working/b2": "2000.00", "working/b3": "2000.00"}, plAmounts(p))
	l := plLine(t, p, "startup", "c1")
	assert.Contains(t, l.ExplanationEN, "; scaled down pro rata from ¥150,000.00 to ¥122,000.00 (floor ¥100,000.00)")
	assert.Contains(t, l.ExplanationZH, "；按比例压缩：由150,000.00元降至122,000.00元（保底100,000.00元）")
	assert.NotContains(t, plLine(t, p, "working", "b1").ExplanationEN, "scaled")

	// Floors alone exceed the budget.
	p, err = f.plan(funding.PlanInput{Budget: plDec("200000"), Rules: rules, ScaleDown: true})
	require.ErrorIs(t, err, gridgov.ErrBudgetExceeded)
	require.ErrorAs(t, err, &berr)
	assert.True(t, berr.FloorsExceed)
	assert.True(t, plDec("6000").Equal(berr.Shortfall))
	assert.Contains(t, err.Error(), "the floors alone need ¥206,000.00 but the budget is ¥200,000.00, short by ¥6,000.00 even after scaling down")
	assert.Contains(t, err.Error(), "保底金额合计206,000.00元")
	assert.False(t, p.Scaled)

	// Within budget, ScaleDown changes nothing.
	p, err = f.plan(funding.PlanInput{Budget: plDec("306000"), Rules: rules, ScaleDown: true})
	require.NoError(t, err)
	assert.False(t, p.Scaled)
	assert.True(t, p.Shortfall.IsZero())
}

func TestPlanScaledFenExact(t *testing.T) {
	f := newPlFixture(t)
	f.small()
	rules := []funding.Rule{{ID: "stipend", Kind: funding.RuleStipend, Recipients: plSecretaries,
		Amount: plDec("333.33"), Floor: plDec("100"), ProRate: funding.ProRateDays}}
	full := f.mustPlan(funding.PlanInput{Rules: rules})
	budget := full.Total.Sub(plDec("1000.01"))
	p, err := f.plan(funding.PlanInput{Budget: budget, Rules: rules, ScaleDown: true})
	require.NoError(t, err)
	plCheckTotals(t, p)
	assert.True(t, budget.Equal(p.Total), "total %s budget %s", p.Total, budget)
	for i, l := range p.Lines {
		assert.False(t, l.Amount.GreaterThan(full.Lines[i].Amount))
	}
}

func TestPlanBudgetFromFund(t *testing.T) {
	f := newPlFixture(t)
	f.small()
	f.fs.funds["jc-2025"] = funding.Fund{ID: "jc-2025", NodeID: "d", Period: plYear, Budget: plDec("5000")}
	rules := []funding.Rule{{ID: "working", Kind: funding.RuleFixed, Recipients: plBranches, Per: funding.PerYear, Amount: plDec("2000")}}
	p, err := f.tr.Plan(plCtx, funding.PlanInput{FundID: "jc-2025", Rules: rules})
	require.ErrorIs(t, err, gridgov.ErrBudgetExceeded)
	assert.Equal(t, "jc-2025", p.FundID)
	assert.Equal(t, plYear, p.Period)
	assert.True(t, plDec("5000").Equal(p.Budget))
	assert.True(t, plDec("1000").Equal(p.Shortfall))
	assert.Equal(t, "plan-000001", p.ID)

	// A budget given directly wins over the fund's.
	p, err = f.tr.Plan(plCtx, funding.PlanInput{FundID: "jc-2025", Budget: plDec("6000"), Rules: rules})
	require.NoError(t, err)
	assert.True(t, plDec("6000").Equal(p.Budget))

	_, err = f.tr.Plan(plCtx, funding.PlanInput{FundID: "nope", Rules: rules})
	plRequireFields(t, err, "FundID")
}

func TestPlanInputErrors(t *testing.T) {
	f := newPlFixture(t)
	f.small()
	ok := funding.Rule{ID: "working", Kind: funding.RuleFixed, Recipients: plBranches, Amount: plDec("2000")}
	for _, tc := range []struct {
		name   string
		in     funding.PlanInput
		fields []string
	}{
		{"no budget", funding.PlanInput{Period: plYear, Rules: []funding.Rule{ok}}, []string{"Budget"}},
		{"bad budget", funding.PlanInput{Period: plYear, Budget: plDec("-1.001")}, []string{"Budget", "Budget"}},
		{"no period", funding.PlanInput{Budget: plDec("1")}, []string{"Period"}},
		{"mid-month period", funding.PlanInput{Budget: plDec("1"),
			Period: funding.Period{Start: plDate(2025, time.January, 15), End: plDate(2025, time.March, 1)}}, []string{"Period"}},
		{"bad ids", funding.PlanInput{ID: "a b", FundID: "x y", Budget: plDec("1"), Period: plYear}, []string{"ID", "FundID"}},
		{"duplicate rule", funding.PlanInput{Budget: plDec("1"), Period: plYear, Rules: []funding.Rule{ok, ok}}, []string{"Rules[1].ID"}},
		{"unknown subtree, level and kind", funding.PlanInput{Budget: plDec("1"), Period: plYear, Rules: []funding.Rule{
			{ID: "x", Kind: funding.RuleFixed, Amount: plDec("1"), Recipients: funding.Selector{Kind: funding.RecipientNode, Within: "nowhere", Level: "grid"}},
			{ID: "y", Kind: funding.RuleFixed, Amount: plDec("1"), Recipients: funding.Selector{Kind: funding.RecipientNode, LevelKind: governance.KindGrid}},
		}}, []string{"Rules[0].Recipients.Within", "Rules[0].Recipients.Level", "Rules[1].Recipients.LevelKind"}},
		{"inputs for unknown rules", funding.PlanInput{Budget: plDec("1"), Period: plYear, Rules: []funding.Rule{ok},
			Rankings: map[string][]string{"working": nil}, Grades: map[string]map[string]string{"x": nil}},
			[]string{"Rankings[working]", "Grades[x]"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := f.tr.Plan(plCtx, tc.in)
			plRequireFields(t, err, tc.fields...)
		})
	}
}

func TestPlanSelectorsAndWithin(t *testing.T) {
	f := newPlFixture(t)
	f.small()
	// A second district: "Within" keeps to one tree; "" covers all.
	f.node("d2", "", "district", "福安市", nil)
	f.node("s2", "d2", "street", "城阳街道", nil)
	f.node("c9", "s2", "community", "城阳社区", map[string]string{"pilot": "true"})
	all := f.mustPlan(funding.PlanInput{Rules: []funding.Rule{{ID: "g", Kind: funding.RuleFixed, Recipients: plPilots, Amount: plDec("1")}}})
	assert.Equal(t, map[string]string{"g/c1": "1.00", "g/c9": "1.00"}, plAmounts(all))
	within := plPilots
	within.Within = "s"
	one := f.mustPlan(funding.PlanInput{Rules: []funding.Rule{{ID: "g", Kind: funding.RuleFixed, Recipients: within, Amount: plDec("1")}}})
	assert.Equal(t, map[string]string{"g/c1": "1.00"}, plAmounts(one))

	// Party category filter; positions outside the period are not selected.
	retiredSecretaries := funding.Selector{Kind: funding.RecipientPerson, Roles: []governance.Role{governance.RoleSecretary},
		Party: []governance.PartyCategory{governance.PartyRetired}, Within: "c1"}
	p := f.mustPlan(funding.PlanInput{Period: funding.Year(2022, plCST),
		Rules: []funding.Rule{{ID: "g", Kind: funding.RuleFixed, Recipients: retiredSecretaries, Amount: plDec("1")}}})
	assert.Equal(t, map[string]string{"g/r1": "1.00", "g/q1": "1.00"}, plAmounts(p))
	// The compound secretaries were appointed later (p1 in 2024, p2 in 2025).
	p = f.mustPlan(funding.PlanInput{Period: funding.Year(2024, plCST),
		Rules: []funding.Rule{{ID: "g", Kind: funding.RuleFixed, Recipients: plSecretaries, Amount: plDec("10"), Per: funding.PerMonth, ProRate: funding.ProRateMonths}}})
	assert.Equal(t, map[string]string{"g/p1": "100.00", "g/p3": "120.00"}, plAmounts(p))
}

func TestPlanDeterministicAndReadOnly(t *testing.T) {
	f := newPlFixture(t)
	f.small()
	in := funding.PlanInput{ID: "same", Budget: plDec("150000"), ScaleDown: true, Rules: []funding.Rule{
		{ID: "startup", Kind: funding.RuleRange, Recipients: plCommunities, Min: plDec("50000"), Max: plDec("150000"),
			Chooser: funding.Chooser{Kind: funding.ChooseByLabel}},
		{ID: "stipend", Kind: funding.RuleStipend, Recipients: plSecretaries, Floor: plDec("200"), ProRate: funding.ProRateDays},
		{ID: "retired", Kind: funding.RuleGroupCap, Recipients: plRetiredCommittee, Cap: plDec("1000")},
	}}
	first, err := f.plan(in)
	require.NoError(t, err)
	assert.True(t, first.Scaled)
	for range 5 {
		again, err := f.plan(in)
		require.NoError(t, err)
		assert.Equal(t, plCanon(first), plCanon(again))
	}
	// The funding store panics on any call but GetFund, and the registry is unchanged.
	n, err := f.reg.Node(plCtx, "c1")
	require.NoError(t, err)
	assert.Equal(t, int64(1), n.Version)
}

func TestPlanCancelled(t *testing.T) {
	f := newPlFixture(t)
	f.small()
	cctx, cancel := context.WithCancel(plCtx)
	cancel()
	_, err := f.tr.Plan(cctx, funding.PlanInput{Budget: plDec("1"), Period: plYear,
		Rules: []funding.Rule{{ID: "g", Kind: funding.RuleFixed, Recipients: plBranches, Amount: plDec("1")}}})
	require.ErrorIs(t, err, context.Canceled)
}

// plRandomFixture builds a random district: streets, communities (random households, some
// pilots), compounds with branches and secretaries appointed and leaving at random dates
// around 2025, and a retired-members' branch of random size.
func plRandomFixture(t testing.TB, rng *rand.Rand) (*plFixture, []string) {
	f := newPlFixture(t)
	f.node("d", "", "district", "区", nil)
	day := func() time.Time { return plDate(2024, time.January, 1).AddDate(0, 0, rng.IntN(730)) }
	var communities []string
	pos := 0
	for s := range 1 + rng.IntN(3) {
		sid := fmt.Sprintf("s%d", s)
		f.node(sid, "d", "street", "街道"+sid, nil)
		for c := range 1 + rng.IntN(4) {
			cid := fmt.Sprintf("%sc%d", sid, c)
			labels := map[string]string{"households": fmt.Sprint(rng.IntN(1500))}
			if rng.IntN(2) == 0 {
				labels["pilot"] = "true"
			}
			f.node(cid, sid, "community", "社区"+cid, labels)
			communities = append(communities, cid)
			for k := range rng.IntN(4) {
				kid := fmt.Sprintf("%sk%d", cid, k)
				f.node(kid, cid, "compound", "小区"+kid, nil)
				f.org("b"+kid, kid, governance.OrgPartyBranch, kid+"党支部")
				for range 1 + rng.IntN(2) {
					pos++
					since := day()
					f.hold(fmt.Sprintf("pos%d", pos), fmt.Sprintf("p%d", pos), "b"+kid, governance.RoleSecretary, since)
					if rng.IntN(3) == 0 {
						f.end(fmt.Sprintf("pos%d", pos), since.AddDate(0, 0, 1+rng.IntN(400)))
					}
				}
			}
		}
	}
	f.org("rb", communities[0], governance.OrgPartyBranch, "离退休党员支部")
	for i := range 1 + rng.IntN(6) {
		pos++
		f.hold(fmt.Sprintf("pos%d", pos), fmt.Sprintf("r%d", i), "rb", governance.RoleMember, day())
	}
	return f, communities
}

// plRandomRules returns valid rules of every kind with random figures.
func plRandomRules(rng *rand.Rand, communities []string) ([]funding.Rule, map[string][]string) {
	yuan := func(max int64) decimal.Decimal { return decimal.New(1+rng.Int64N(max*100), -2) }
	modes := []funding.ProRate{funding.ProRateNone, funding.ProRateMonths, funding.ProRateDays}
	pers := []funding.Per{funding.PerPeriod, funding.PerMonth, funding.PerYear}
	amount := yuan(5000)
	lo := yuan(100000)
	hi := lo.Add(yuan(100000))
	stipend := yuan(500)
	rules := []funding.Rule{
		{ID: "fixed", Kind: funding.RuleFixed, Recipients: plBranches, Amount: amount, Floor: amount.Mul(decimal.NewFromInt(rng.Int64N(101))).Shift(-2).Truncate(2),
			Per: pers[rng.IntN(3)], ProRate: modes[rng.IntN(3)]},
		{ID: "range", Kind: funding.RuleRange, Recipients: plPilots, Min: lo, Max: hi,
			Chooser: funding.Chooser{Kind: funding.ChooseByLabel, To: decimal.NewFromInt(1 + rng.Int64N(1500))}},
		{ID: "stipend", Kind: funding.RuleStipend, Recipients: plSecretaries, Floor: stipend, Amount: stipend.Add(yuan(100)), ProRate: modes[rng.IntN(3)]},
		{ID: "group", Kind: funding.RuleGroupCap, Recipients: plRetiredCommittee, Cap: yuan(2000), ProRate: modes[rng.IntN(2)]},
		{ID: "award", Kind: funding.RuleAward, Recipients: plCommunities, Min: lo, Max: hi,
			Bands: []funding.Band{{Through: 1, Amount: hi}, {Through: 3, Amount: lo}}},
		{ID: "paired", Kind: funding.RulePaired, Matches: "range", Ratio: decimal.New(1+rng.Int64N(20000), -4)},
	}
	rng.Shuffle(len(rules), func(i, j int) { rules[i], rules[j] = rules[j], rules[i] })
	ranking := slices.Clone(communities)
	rng.Shuffle(len(ranking), func(i, j int) { ranking[i], ranking[j] = ranking[j], ranking[i] })
	return rules[:1+rng.IntN(len(rules))], map[string][]string{"award": ranking}
}

// Properties over random districts and rules: totals add up, a scaled plan spends exactly
// its budget with every line between its floor and its unscaled amount, a plan over
// budget carries its shortfall, and planning is deterministic.
func TestPlanProperties(t *testing.T) {
	hits := map[string]int{}
	for seed := range uint64(40) {
		rng := rand.New(rand.NewPCG(seed, 2025))
		f, communities := plRandomFixture(t, rng)
		rules, rankings := plRandomRules(rng, communities)
		if slices.ContainsFunc(rules, func(r funding.Rule) bool { return r.Kind == funding.RulePaired }) &&
			!slices.ContainsFunc(rules, func(r funding.Rule) bool { return r.ID == "range" }) {
			rules = rules[:0]
		}
		in := funding.PlanInput{ID: "prop", Budget: plDec("1000000000"), Period: plYear, Rules: rules}
		if slices.ContainsFunc(rules, func(r funding.Rule) bool { return r.ID == "award" }) {
			in.Rankings = rankings
		}
		full, err := f.tr.Plan(plCtx, in)
		require.NoError(t, err, "seed %d", seed)
		plCheckTotals(t, full)
		floors := decimal.Zero
		for _, l := range full.Lines {
			floors = floors.Add(l.Floor)
		}
		if full.Total.IsZero() {
			continue
		}
		// A budget anywhere from half the floors to a little more than the need.
		in.Budget = decimal.New(rng.Int64N(full.Total.Shift(2).IntPart()*11/10+1), -2).Add(floors.DivRound(decimal.NewFromInt(2), 2))
		over, err := f.tr.Plan(plCtx, in)
		if full.Total.GreaterThan(in.Budget) {
			var berr *funding.BudgetError
			require.ErrorAs(t, err, &berr, "seed %d", seed)
			assert.True(t, berr.Shortfall.Equal(full.Total.Sub(in.Budget)), "seed %d", seed)
			assert.True(t, over.Shortfall.Equal(berr.Shortfall), "seed %d", seed)
		} else {
			require.NoError(t, err, "seed %d", seed)
		}
		in.ScaleDown = true
		scaled, err := f.tr.Plan(plCtx, in)
		switch {
		case !full.Total.GreaterThan(in.Budget):
			hits["fits"]++
			require.NoError(t, err, "seed %d", seed)
			assert.False(t, scaled.Scaled)
			unchanged := full
			unchanged.Budget = in.Budget
			assert.Equal(t, plCanon(unchanged), plCanon(scaled), "seed %d", seed)
		case floors.GreaterThan(in.Budget):
			hits["floors exceed"]++
			var berr *funding.BudgetError
			require.ErrorAs(t, err, &berr, "seed %d", seed)
			assert.True(t, berr.FloorsExceed, "seed %d", seed)
			assert.True(t, berr.Shortfall.Equal(floors.Sub(in.Budget)), "seed %d", seed)
		default:
			hits["scaled"]++
			require.NoError(t, err, "seed %d", seed)
			plCheckTotals(t, scaled)
			assert.True(t, scaled.Scaled)
			assert.True(t, in.Budget.Equal(scaled.Total), "seed %d: scaled total %s, budget %s", seed, scaled.Total, in.Budget)
			require.Len(t, scaled.Lines, len(full.Lines))
			for i, l := range scaled.Lines {
				assert.False(t, l.Amount.LessThan(l.Floor), "seed %d line %d", seed, i)
				assert.False(t, l.Amount.GreaterThan(full.Lines[i].Amount), "seed %d line %d", seed, i)
				assert.Equal(t, full.Lines[i].RecipientID, l.RecipientID)
			}
			again, err := f.tr.Plan(plCtx, in)
			require.NoError(t, err)
			assert.Equal(t, plCanon(scaled), plCanon(again), "seed %d: deterministic", seed)
		}
	}
	t.Logf("cases: %v", hits)
	for _, k := range []string{"fits", "floors exceed", "scaled"} {
		assert.Positive(t, hits[k], "no seed exercised %q", k)
	}
}

func TestPlanPerUnitsAndProRating(t *testing.T) {
	f := newPlFixture(t)
	f.small()
	// p2 was appointed on 2025-06-15: 200 days of 2025's 365 (16 in June, 184 from July).
	for _, tc := range []struct {
		per  funding.Per
		mode funding.ProRate
		want string
		en   string
		zh   string
	}{
		{funding.PerYear, funding.ProRateDays, "1095.89", "¥2,000.00/year × 200/365 year (appointed 2025-06-15; by days held) = ¥1,095.89",
			"每年2,000.00元 × 200/365年（2025-06-15任职；按天折算）= 1,095.89元"},
		{funding.PerYear, funding.ProRateMonths, "1000.00", "¥2,000.00/year × 6/12 year (appointed 2025-06-15; whole months held) = ¥1,000.00",
			"每年2,000.00元 × 6/12年（2025-06-15任职；按整月计）= 1,000.00元"},
		{funding.PerPeriod, funding.ProRateMonths, "1000.00", "¥2,000.00 × 6/12 of the period (appointed 2025-06-15; whole months held) = ¥1,000.00",
			"2,000.00元 × 本期的6/12（2025-06-15任职；按整月计）= 1,000.00元"},
		{funding.PerPeriod, funding.ProRateDays, "1095.89", "¥2,000.00 × 200/365 of the period (appointed 2025-06-15; by days held) = ¥1,095.89",
			"2,000.00元 × 本期的200/365（2025-06-15任职；按天折算）= 1,095.89元"},
		{funding.PerPeriod, funding.ProRateNone, "2000.00", "¥2,000.00 (appointed 2025-06-15; not pro-rated)", "2,000.00元（2025-06-15任职；不折算）"},
		{funding.PerMonth, funding.ProRateMonths, "12000.00", "¥2,000.00/month × 6 months (appointed 2025-06-15; whole months held) = ¥12,000.00",
			"每月2,000.00元 × 6个月（2025-06-15任职；按整月计）= 12,000.00元"},
	} {
		t.Run(fmt.Sprintf("%s/%s", tc.per, tc.mode), func(t *testing.T) {
			p := f.mustPlan(funding.PlanInput{Rules: []funding.Rule{{ID: "g", Kind: funding.RuleFixed, NameEN: "x", NameZH: "x",
				Recipients: plSecretaries, Amount: plDec("2000"), Per: tc.per, ProRate: tc.mode}}})
			l := plLine(t, p, "g", "p2")
			assert.Equal(t, tc.want, l.Amount.StringFixed(2))
			assert.Equal(t, "x: "+tc.en, l.ExplanationEN)
			assert.Equal(t, "x："+tc.zh, l.ExplanationZH)
		})
	}
	// A quarter's plan: a secretary appointed mid-quarter is paid the whole months left.
	q := funding.Period{Start: plDate(2025, time.April, 1), End: plDate(2025, time.July, 1)}
	p := f.mustPlan(funding.PlanInput{Period: q, Rules: []funding.Rule{{ID: "s", Kind: funding.RuleStipend, Recipients: plSecretaries,
		Floor: plDec("200"), ProRate: funding.ProRateMonths}}})
	assert.Equal(t, map[string]string{"s/p1": "600.00", "s/p3": "600.00"}, plAmounts(p), "p2 holds no whole month of the quarter")
}

func TestPlanConcurrent(t *testing.T) {
	f := newPlFixture(t)
	f.small()
	in := funding.PlanInput{ID: "c", Budget: plDec("5000"), ScaleDown: true, Period: plYear, Rules: []funding.Rule{
		{ID: "stipend", Kind: funding.RuleStipend, Recipients: plSecretaries, Floor: plDec("100"), Amount: plDec("200"), ProRate: funding.ProRateDays},
		{ID: "retired", Kind: funding.RuleGroupCap, Recipients: plRetiredCommittee, Cap: plDec("1000")},
	}}
	want, err := f.tr.Plan(plCtx, in)
	require.NoError(t, err)
	got := make([]string, 8)
	var wg sync.WaitGroup
	for i := range got {
		wg.Add(1)
		go func() {
			defer wg.Done()
			p, err := f.tr.Plan(plCtx, in)
			if err == nil {
				got[i] = plCanon(p)
			}
		}()
	}
	wg.Wait()
	for i := range got {
		assert.Equal(t, plCanon(want), got[i])
	}
}
