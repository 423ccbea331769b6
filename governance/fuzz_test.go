package governance_test

import (
	"errors"
	"testing"

	"github.com/gridgov/gridgov"
	"github.com/gridgov/gridgov/governance"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// requireCleanRefusal checks the invariants of a refused command: the error wraps one of the
// bad-input sentinels, a validation error names fields in both languages, and the store is
// unchanged.
func requireCleanRefusal(t *testing.T, f *fixture, before []governance.Node, err error) {
	t.Helper()
	require.True(t, errors.Is(err, gridgov.ErrInvalid) || errors.Is(err, gridgov.ErrAlreadyExists),
		"unexpected error kind: %v", err)
	var verr *gridgov.ValidationError
	if errors.As(err, &verr) {
		require.NotEmpty(t, verr.Fields)
		for _, fe := range verr.Fields {
			require.NotEmpty(t, fe.Field)
			require.NotEmpty(t, fe.EN)
			require.NotEmpty(t, fe.ZH)
		}
	}
	require.Equal(t, before, f.snapshot(), "a refused command must leave the store unchanged")
}

func FuzzAddNode(f *testing.F) {
	f.Add("", "c1", "compound", "新小区", "pilot", "true")
	f.Add("k1", "c1", "compound", "重复", "", "")
	f.Add("x", "k1", "grid", " ", "a b", "v")
	f.Add("y", "", "street", "根", "k", "\x00")
	f.Add("z", "g1", "household", "联户", "households", "10")
	f.Fuzz(func(t *testing.T, id, parent, level, name, labelKey, labelValue string) {
		fx := newFixture(t)
		fx.duyun()
		before := fx.snapshot()
		in := governance.NodeInput{ID: id, ParentID: parent, Level: level, Name: name}
		if labelKey != "" || labelValue != "" {
			in.Labels = map[string]string{labelKey: labelValue}
		}
		n, err := fx.reg.AddNode(ctx, system, in)
		if err != nil {
			requireCleanRefusal(t, fx, before, err)
			return
		}
		got, err := fx.reg.Node(ctx, n.ID)
		require.NoError(t, err)
		assert.Equal(t, n, got)
		assert.Equal(t, parent, got.ParentID)
		if parent != "" {
			p, err := fx.reg.Node(ctx, parent)
			require.NoError(t, err)
			assert.True(t, fx.reg.Scheme().Fits(p.Level, got.Level))
		}
		assert.Len(t, fx.snapshot(), len(before)+1)
	})
}

func FuzzMoveNode(f *testing.F) {
	f.Add("k1", "c2", int64(0))
	f.Add("k1", "g1", int64(0))
	f.Add("c1", "c1", int64(1))
	f.Add("h1", "g1", int64(3))
	f.Fuzz(func(t *testing.T, id, newParent string, version int64) {
		fx := newFixture(t)
		fx.duyun()
		before := fx.snapshot()
		_, err := fx.reg.MoveNode(ctx, system, governance.MoveInput{ID: id, NewParentID: newParent, Version: version})
		if err != nil {
			if errors.Is(err, gridgov.ErrNotFound) || errors.Is(err, gridgov.ErrConflict) {
				require.Equal(t, before, fx.snapshot())
				return
			}
			requireCleanRefusal(t, fx, before, err)
			return
		}
		// Every node is still reachable exactly once and every path ends at the root.
		after := fx.snapshot()
		require.ElementsMatch(t, ids(before), ids(after))
		for _, n := range after {
			anc, err := fx.reg.Ancestors(ctx, n.ID)
			require.NoError(t, err)
			if n.ID != "st" {
				require.Equal(t, "st", anc[0].ID)
			}
		}
	})
}

func FuzzAddOrganisation(f *testing.F) {
	f.Add("", "k1", "owners_committee", "业委会", "", "")
	f.Add("", "c1", "property_firm", "物业", "", "k1")
	f.Add("", "c1", "party_branch", "支部", "firm", "")
	f.Add("o", "nope", "club", "", "nope", "nope")
	f.Fuzz(func(t *testing.T, id, node, kind, name, host, serves string) {
		fx := newFixture(t)
		fx.duyun()
		fx.org("firm", "c1", governance.OrgPropertyFirm, "物业")
		in := governance.OrganisationInput{ID: id, NodeID: node, Kind: governance.OrgKind(kind), Name: name, HostID: host}
		if serves != "" {
			in.Serves = []string{serves}
		}
		o, err := fx.reg.AddOrganisation(ctx, system, in)
		if err != nil {
			require.True(t, errors.Is(err, gridgov.ErrInvalid) || errors.Is(err, gridgov.ErrAlreadyExists), "%v", err)
			at, err := fx.reg.OrganisationsIn(ctx, "st", governance.IncludeRetired())
			require.NoError(t, err)
			require.Len(t, at, 1, "a refused organisation is not stored")
			return
		}
		got, err := fx.reg.Organisation(ctx, o.ID)
		require.NoError(t, err)
		assert.Equal(t, o, got)
	})
}
