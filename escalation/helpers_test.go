package escalation_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/gridgov/gridgov"
	"github.com/gridgov/gridgov/escalation"
	"github.com/gridgov/gridgov/governance"
	"github.com/gridgov/gridgov/store/memory"
)

var (
	ctx    = context.Background()
	system = gridgov.SystemActor("test")
	cst    = time.FixedZone("CST", 8*3600)
	// start is Monday 5 January 2026, 09:00 in Beijing.
	start = time.Date(2026, 1, 5, 9, 0, 0, 0, cst)
)

// People of the fixture.
var (
	gridWorker  = gridgov.PersonActor("gw1") // grid worker of grid g1 (handle, escalate)
	otherWorker = gridgov.PersonActor("gw2") // grid worker of grid g2, another subtree
	chair       = gridgov.PersonActor("cm1") // chair of community c1's residents' committee
	secretary   = gridgov.PersonActor("st1") // secretary of the street's Party working committee
	resident    = gridgov.PersonActor("res") // the reporter
	stranger    = gridgov.PersonActor("nobody")
)

type fixture struct {
	t     testing.TB
	clock *gridgov.FakeClock
	reg   *governance.Registry
	store *memory.EscalationStore
	eng   *escalation.Engine
}

// newFixture builds a four-level tree and an engine with the ladder policy on a
// weekends-only calendar in Beijing time:
//
//	st (street: st1 secretary)
//	├── c1 (community: cm1 chair) ── g1 (grid: gw1) ── b1 (building), b3
//	└── c2 (community)            ── g2 (grid: gw2) ── b2 (building)
func newFixture(t testing.TB, mutate ...func(*escalation.Policy)) *fixture {
	t.Helper()
	f := &fixture{t: t, clock: gridgov.NewFakeClock(start), store: memory.NewEscalationStore()}
	reg, err := governance.NewRegistry(memory.NewGovernanceStore(),
		governance.WithScheme(governance.FourLevelLadder()), governance.WithClock(f.clock),
		governance.WithIDs(gridgov.NewSequence("gov")))
	require.NoError(t, err)
	f.reg = reg
	for _, n := range []governance.NodeInput{
		{ID: "st", Level: "street", Name: "北园街道"},
		{ID: "c1", ParentID: "st", Level: "community", Name: "幸福社区"},
		{ID: "c2", ParentID: "st", Level: "community", Name: "和平社区"},
		{ID: "g1", ParentID: "c1", Level: "grid", Name: "一网格"},
		{ID: "g2", ParentID: "c2", Level: "grid", Name: "二网格"},
		{ID: "b1", ParentID: "g1", Level: "building", Name: "1号楼"},
		{ID: "b3", ParentID: "g1", Level: "building", Name: "3号楼"},
		{ID: "b2", ParentID: "g2", Level: "building", Name: "2号楼"},
	} {
		_, err := reg.AddNode(ctx, system, n)
		require.NoError(t, err)
	}
	for _, o := range []governance.OrganisationInput{
		{ID: "stc", NodeID: "st", Kind: governance.OrgPartyWorkingCommittee, Name: "街道党工委"},
		{ID: "rc1", NodeID: "c1", Kind: governance.OrgResidentsCommittee, Name: "幸福社区居委会"},
		{ID: "ss1", NodeID: "g1", Kind: governance.OrgServiceStation, Name: "一网格服务站"},
		{ID: "ss2", NodeID: "g2", Kind: governance.OrgServiceStation, Name: "二网格服务站"},
		{ID: "dept", NodeID: "st", Kind: governance.OrgDistrictDepartment, Name: "区住建局"},
	} {
		_, err := reg.AddOrganisation(ctx, system, o)
		require.NoError(t, err)
	}
	for _, p := range []struct {
		id, home, org string
		role          governance.Role
	}{
		{"gw1", "g1", "ss1", governance.RoleGridWorker},
		{"gw2", "g2", "ss2", governance.RoleGridWorker},
		{"cm1", "c1", "rc1", governance.RoleChair},
		{"st1", "st", "stc", governance.RoleSecretary},
		{"dp1", "st", "dept", governance.RoleManager},
		{"res", "b1", "", ""},
		{"nobody", "b2", "", ""},
	} {
		_, err := reg.AddPerson(ctx, system, governance.PersonInput{ID: p.id, Name: "王" + p.id,
			Phone: "13800138000", HomeNodeID: p.home})
		require.NoError(t, err)
		if p.org != "" {
			_, err = reg.Appoint(ctx, system, governance.AppointInput{PersonID: p.id, OrgID: p.org, Role: p.role})
			require.NoError(t, err)
		}
	}
	policy := escalation.LadderPolicy(governance.FourLevelLadder())
	for _, m := range mutate {
		m(&policy)
	}
	eng, err := escalation.NewEngine(f.store, reg, policy,
		escalation.WithCalendar(escalation.WeekendsOnly(cst)), escalation.WithClock(f.clock),
		escalation.WithIDs(gridgov.NewSequence("cp")))
	require.NoError(t, err)
	f.eng = eng
	return f
}

// intake is a valid intake at building b1 reported by the resident.
func intake() escalation.Intake {
	return escalation.Intake{Channel: escalation.ChannelChatGroup, Category: "property",
		Description: "单元门禁损坏", NodeID: "b1", ReporterID: "res", ReporterName: "李小明",
		ReporterPhone: "13912345678"}
}

// submit takes a complaint in and returns it.
func (f *fixture) submit() escalation.Complaint {
	f.t.Helper()
	c, err := f.eng.Submit(ctx, resident, intake())
	require.NoError(f.t, err)
	return c
}

// referred submits, accepts and refers a complaint at the building tier.
func (f *fixture) referred() escalation.Complaint {
	f.t.Helper()
	c := f.submit()
	c = f.must(f.eng.Accept(ctx, gridWorker, escalation.Step{ID: c.ID}))
	return f.must(f.eng.Refer(ctx, gridWorker, escalation.Referral{Step: escalation.Step{ID: c.ID}}))
}

func (f *fixture) must(c escalation.Complaint, err error) escalation.Complaint {
	f.t.Helper()
	require.NoError(f.t, err)
	return c
}

func (f *fixture) history(id string) []escalation.Event {
	f.t.Helper()
	h, err := f.eng.History(ctx, id)
	require.NoError(f.t, err)
	return h
}

// requireFields asserts err is a ValidationError of kind naming exactly fields, each with
// an English and a Chinese message.
func requireFields(t *testing.T, err error, kind error, fields ...string) {
	t.Helper()
	require.ErrorIs(t, err, kind)
	var verr *gridgov.ValidationError
	require.True(t, errors.As(err, &verr), "want a *gridgov.ValidationError, got %T: %v", err, err)
	require.ElementsMatch(t, fields, verr.FieldNames(), "fields of %v", err)
	for _, fe := range verr.Fields {
		require.NotEmpty(t, fe.EN, "English message for %s", fe.Field)
		require.NotEmpty(t, fe.ZH, "Chinese message for %s", fe.Field)
	}
}
