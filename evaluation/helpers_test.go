package evaluation_test

import (
	"context"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"

	"github.com/gridgov/gridgov"
	"github.com/gridgov/gridgov/escalation"
	"github.com/gridgov/gridgov/evaluation"
	"github.com/gridgov/gridgov/governance"
	"github.com/gridgov/gridgov/store/memory"
)

var (
	ctx    = context.Background()
	system = gridgov.SystemActor("test")
	start  = time.Date(2026, time.December, 1, 9, 0, 0, 0, evaluation.ChinaStandardTime)
	due    = time.Date(2026, time.December, 15, 18, 0, 0, 0, evaluation.ChinaStandardTime)
)

func dec(s string) decimal.Decimal { return decimal.RequireFromString(s) }

// fakeMetrics serves a fixed escalation report and records the queries.
type fakeMetrics struct {
	report  escalation.Report
	queries []escalation.MetricsQuery
}

func (m *fakeMetrics) Metrics(_ context.Context, q escalation.MetricsQuery) (escalation.Report, error) {
	m.queries = append(m.queries, q)
	return m.report, nil
}

func rate(num, den int64) escalation.Rate {
	return escalation.Rate{Numerator: decimal.NewFromInt(num), Denominator: decimal.NewFromInt(den)}
}

// fixture is a small district on memory stores:
//
//	st (street) ── housing (district department: the property authority)
//	└── c1 (community) ── c1-pc (community Party committee: secretary "pc-sec")
//	    ├── k1 (compound) ── k1-pb (branch: "pb-sec"), k1-oc (owners' committee: chair "oc-chair")
//	    └── k2 (compound) ── k2-pb (branch: "pb2-sec"), k2-mc (management committee: chair "mc-chair")
//	firm f1 serves k1 and k2; firm f2 serves k1.
type fixture struct {
	t       *testing.T
	clock   *gridgov.FakeClock
	reg     *governance.Registry
	store   *memory.EvaluationStore
	metrics *fakeMetrics
	ev      *evaluation.Evaluator
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	f := &fixture{t: t, clock: gridgov.NewFakeClock(start), store: memory.NewEvaluationStore()}
	reg, err := governance.NewRegistry(memory.NewGovernanceStore(), governance.WithScheme(governance.FiveLevelChain()),
		governance.WithClock(f.clock), governance.WithIDs(gridgov.NewSequence("g")))
	require.NoError(t, err)
	f.reg = reg
	for _, n := range []governance.NodeInput{
		{ID: "st", Level: "street", Name: "相山街道"},
		{ID: "c1", ParentID: "st", Level: "community", Name: "清泰社区"},
		{ID: "k1", ParentID: "c1", Level: "compound", Name: "幸福里小区"},
		{ID: "k2", ParentID: "c1", Level: "compound", Name: "和平小区"},
	} {
		_, err := reg.AddNode(ctx, system, n)
		require.NoError(t, err)
	}
	for _, o := range []governance.OrganisationInput{
		{ID: "housing", NodeID: "st", Kind: governance.OrgDistrictDepartment, Name: "区住建局"},
		{ID: "c1-pc", NodeID: "c1", Kind: governance.OrgPartyCommittee, Name: "清泰社区党委"},
		{ID: "k1-pb", NodeID: "k1", Kind: governance.OrgPartyBranch, Name: "幸福里小区党支部"},
		{ID: "k1-oc", NodeID: "k1", Kind: governance.OrgOwnersCommittee, Name: "幸福里业委会"},
		{ID: "k2-pb", NodeID: "k2", Kind: governance.OrgPartyBranch, Name: "和平小区党支部"},
		{ID: "k2-mc", NodeID: "k2", Kind: governance.OrgManagementCommittee, Name: "和平小区物管会"},
		{ID: "f1", NodeID: "st", Kind: governance.OrgPropertyFirm, Name: "红色物业一公司", Serves: []string{"k1", "k2"}},
		{ID: "f2", NodeID: "st", Kind: governance.OrgPropertyFirm, Name: "物业二公司", Serves: []string{"k1"}},
	} {
		_, err := reg.AddOrganisation(ctx, system, o)
		require.NoError(t, err)
	}
	for _, p := range []struct {
		id, org string
		role    governance.Role
	}{
		{"pc-sec", "c1-pc", governance.RoleSecretary},
		{"pb-sec", "k1-pb", governance.RoleSecretary},
		{"oc-chair", "k1-oc", governance.RoleChair},
		{"pb2-sec", "k2-pb", governance.RoleSecretary},
		{"mc-chair", "k2-mc", governance.RoleChair},
		{"street-sec", "c1-pc", governance.RoleMember},
	} {
		_, err := reg.AddPerson(ctx, system, governance.PersonInput{ID: p.id, Name: "李" + p.id, Party: governance.PartyInService})
		require.NoError(t, err)
		_, err = reg.Appoint(ctx, system, governance.AppointInput{PersonID: p.id, OrgID: p.org, Role: p.role})
		require.NoError(t, err)
	}
	f.metrics = &fakeMetrics{report: escalation.Report{Total: 40, Response: rate(40, 40), Resolution: rate(38, 40),
		Satisfaction: rate(36, 40), OnTime: rate(35, 38), Rework: rate(2, 38), Composite: dec("0.935")}}
	ev, err := evaluation.NewEvaluator(f.store, reg, evaluation.WithClock(f.clock), evaluation.WithIDs(gridgov.NewSequence("cy")),
		evaluation.WithMetrics(f.metrics))
	require.NoError(t, err)
	f.ev = ev
	return f
}

func person(id string) gridgov.Actor { return gridgov.PersonActor(id) }

// sheets fills every sheet indicator of scheme for every evaluator with points.
func sheets(scheme evaluation.Scheme, points func(evaluator, indicator string) string) []evaluation.Sheet {
	var out []evaluation.Sheet
	for _, e := range scheme.Evaluators {
		sh := evaluation.Sheet{Evaluator: e.Key}
		for _, c := range scheme.Categories {
			for _, ind := range c.Indicators {
				if ind.Source != evaluation.SourceSheets || !ind.Required {
					continue
				}
				sh.Marks = append(sh.Marks, evaluation.Mark{Indicator: ind.Key, Points: dec(points(e.Key, ind.Key))})
			}
		}
		out = append(out, sh)
	}
	return out
}

func flat(p string) func(string, string) string { return func(string, string) string { return p } }

// open opens k1's 2026 cycle as the community Party secretary.
func (f *fixture) open(compound string) evaluation.Cycle {
	f.t.Helper()
	c, err := f.ev.Open(ctx, person("pc-sec"), evaluation.OpenInput{CompoundID: compound, Year: 2026, ReportDue: due})
	require.NoError(f.t, err)
	return c
}

func (f *fixture) report(c evaluation.Cycle) evaluation.Cycle {
	f.t.Helper()
	out, err := f.ev.FileReport(ctx, person("oc-chair"), evaluation.ReportInput{Target: target(c), Duties: "召开业主大会 2 次",
		MoneyHandled: dec("182000.50"), MoneyDisclosed: dec("182000.50"), Disclosures: 4, Matters: 12, Settled: 11})
	require.NoError(f.t, err)
	return out
}

func target(c evaluation.Cycle) evaluation.Target {
	return evaluation.Target{CycleID: c.ID, Version: c.Version}
}

func (f *fixture) evaluateCommittee(c evaluation.Cycle, points string) evaluation.Cycle {
	f.t.Helper()
	out, err := f.ev.EvaluateCommittee(ctx, person("pc-sec"), evaluation.CommitteeInput{Target: target(c),
		Sheets: sheets(f.ev.CommitteeScheme(), flat(points)), Opinion: "履职较好"})
	require.NoError(f.t, err)
	return out
}

func (f *fixture) evaluateFirm(c evaluation.Cycle, actor, firm, points string, survey evaluation.Survey) evaluation.Cycle {
	f.t.Helper()
	out, err := f.ev.EvaluateFirm(ctx, person(actor), evaluation.FirmInput{Target: target(c), FirmID: firm,
		Sheets: sheets(f.ev.FirmScheme(), flat(points)), Survey: &survey,
		Quarterly: []decimal.Decimal{dec("90"), dec("85"), dec("88"), dec("92")}, Opinion: "服务规范"})
	require.NoError(f.t, err)
	return out
}
