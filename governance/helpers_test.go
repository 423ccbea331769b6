package governance_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/gridgov/gridgov"
	"github.com/gridgov/gridgov/governance"
	"github.com/gridgov/gridgov/store/memory"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"
)

var (
	ctx    = context.Background()
	system = gridgov.SystemActor("test")
	start  = time.Date(2026, 1, 5, 9, 0, 0, 0, time.FixedZone("CST", 8*3600))
)

type fixture struct {
	t     *testing.T
	reg   *governance.Registry
	store *memory.GovernanceStore
	clock *gridgov.FakeClock
}

func newFixture(t *testing.T, opts ...governance.Option) *fixture {
	t.Helper()
	f := &fixture{t: t, store: memory.NewGovernanceStore(), clock: gridgov.NewFakeClock(start)}
	all := append([]governance.Option{governance.WithClock(f.clock), governance.WithIDs(gridgov.NewSequence("id"))}, opts...)
	reg, err := governance.NewRegistry(f.store, all...)
	require.NoError(t, err)
	f.reg = reg
	return f
}

func (f *fixture) node(id, parent, level, name string) governance.Node {
	f.t.Helper()
	n, err := f.reg.AddNode(ctx, system, governance.NodeInput{ID: id, ParentID: parent, Level: level, Name: name})
	require.NoError(f.t, err)
	return n
}

func (f *fixture) org(id, node string, kind governance.OrgKind, name string) governance.Organisation {
	f.t.Helper()
	o, err := f.reg.AddOrganisation(ctx, system, governance.OrganisationInput{ID: id, NodeID: node, Kind: kind, Name: name})
	require.NoError(f.t, err)
	return o
}

func (f *fixture) person(id, home string, party governance.PartyCategory) governance.Person {
	f.t.Helper()
	p, err := f.reg.AddPerson(ctx, system, governance.PersonInput{ID: id, Name: "张" + id, Phone: "13800138000", Party: party, HomeNodeID: home})
	require.NoError(f.t, err)
	return p
}

func (f *fixture) appoint(person, org string, role governance.Role) governance.Position {
	f.t.Helper()
	p, err := f.reg.Appoint(ctx, system, governance.AppointInput{PersonID: person, OrgID: org, Role: role})
	require.NoError(f.t, err)
	return p
}

// duyun builds a small five-level tree:
//
//	st (street)
//	├── c1 (community)
//	│   ├── k1 (compound) ── g1 (grid) ── h1 (household)
//	│   └── k2 (compound)
//	└── c2 (community)
//	    └── k3 (compound)
func (f *fixture) duyun() {
	f.node("st", "", "street", "广惠路街道")
	f.node("c1", "st", "community", "清泰社区")
	f.node("c2", "st", "community", "斗篷山社区")
	f.node("k1", "c1", "compound", "幸福里小区")
	f.node("k2", "c1", "compound", "和平小区")
	f.node("k3", "c2", "compound", "安居小区")
	f.node("g1", "k1", "grid", "一网格")
	f.node("h1", "g1", "household", "一号联户")
}

// snapshot captures the whole store as seen through the registry, to prove that a refused
// command changed nothing.
func (f *fixture) snapshot() []governance.Node {
	f.t.Helper()
	roots, err := f.reg.Roots(ctx, governance.IncludeRetired())
	require.NoError(f.t, err)
	var all []governance.Node
	for _, r := range roots {
		d, err := f.reg.Descendants(ctx, r.ID, governance.IncludeRetired())
		require.NoError(f.t, err)
		all = append(all, r)
		all = append(all, d...)
	}
	return all
}

func ids(nodes []governance.Node) []string {
	out := make([]string, len(nodes))
	for i, n := range nodes {
		out[i] = n.ID
	}
	return out
}

// requireFields asserts err is a ValidationError of the given kind naming exactly fields,
// each with an English and a Chinese message.
func requireFields(t *testing.T, err error, kind error, fields ...string) {
	t.Helper()
	require.Error(t, err)
	require.ErrorIs(t, err, kind)
	var verr *gridgov.ValidationError
	require.True(t, errors.As(err, &verr), "want a *gridgov.ValidationError, got %T: %v", err, err)
	require.ElementsMatch(t, fields, verr.FieldNames(), "fields of %v", err)
	for _, fe := range verr.Fields {
		require.NotEmpty(t, fe.EN, "English message for %s", fe.Field)
		require.NotEmpty(t, fe.ZH, "Chinese message for %s", fe.Field)
	}
}

func mustDec(s string) decimal.Decimal { return decimal.RequireFromString(s) }
