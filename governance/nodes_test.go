package governance_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/gridgov/gridgov"
	"github.com/gridgov/gridgov/governance"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestAddNodeRejectsBadInput(t *testing.T) {
	tests := []struct {
		name   string
		in     governance.NodeInput
		kind   error
		fields []string
	}{
		{"empty name", governance.NodeInput{ParentID: "c1", Level: "compound"}, gridgov.ErrInvalid, []string{"Name"}},
		{"blank name", governance.NodeInput{ParentID: "c1", Level: "compound", Name: "  \t"}, gridgov.ErrInvalid, []string{"Name"}},
		{"control character", governance.NodeInput{ParentID: "c1", Level: "compound", Name: "a\x00b"}, gridgov.ErrInvalid, []string{"Name"}},
		{"name too long", governance.NodeInput{ParentID: "c1", Level: "compound", Name: strings.Repeat("名", 129)}, gridgov.ErrInvalid, []string{"Name"}},
		{"unknown parent", governance.NodeInput{ParentID: "nope", Level: "compound", Name: "x"}, gridgov.ErrInvalid, []string{"ParentID"}},
		{"unknown level", governance.NodeInput{ParentID: "c1", Level: "village", Name: "x"}, gridgov.ErrInvalid, []string{"Level"}},
		{"level too deep", governance.NodeInput{ParentID: "c1", Level: "grid", Name: "x"}, gridgov.ErrInvalid, []string{"Level"}},
		{"level above parent", governance.NodeInput{ParentID: "c1", Level: "street", Name: "x"}, gridgov.ErrInvalid, []string{"Level"}},
		{"same level as parent", governance.NodeInput{ParentID: "c1", Level: "community", Name: "x"}, gridgov.ErrInvalid, []string{"Level"}},
		{"bad id", governance.NodeInput{ID: "has space", ParentID: "c1", Level: "compound", Name: "x"}, gridgov.ErrInvalid, []string{"ID"}},
		{"bad label key", governance.NodeInput{ParentID: "c1", Level: "compound", Name: "x", Labels: map[string]string{"a b": "1"}}, gridgov.ErrInvalid, []string{"Labels[a b]"}},
		{"several at once", governance.NodeInput{ID: "?", ParentID: "c1", Level: "", Name: ""}, gridgov.ErrInvalid, []string{"ID", "Level", "Name"}},
		{"unknown parent and blank name", governance.NodeInput{ParentID: "nope", Level: "compound", Name: " "}, gridgov.ErrInvalid, []string{"Name", "ParentID"}},
		{"duplicate id", governance.NodeInput{ID: "k1", ParentID: "c1", Level: "compound", Name: "x"}, gridgov.ErrAlreadyExists, []string{"ID"}},
		{"duplicate id of another level", governance.NodeInput{ID: "st", ParentID: "c1", Level: "compound", Name: "x"}, gridgov.ErrAlreadyExists, []string{"ID"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t)
			f.duyun()
			before := f.snapshot()
			_, err := f.reg.AddNode(ctx, system, tt.in)
			requireFields(t, err, tt.kind, tt.fields...)
			assert.Equal(t, before, f.snapshot(), "a refused command must leave the store unchanged")
		})
	}
}

func TestAddNodeRetiredParent(t *testing.T) {
	f := newFixture(t)
	f.duyun()
	_, err := f.reg.RetireNode(ctx, system, governance.RetireInput{ID: "k2"})
	require.NoError(t, err)
	_, err = f.reg.AddNode(ctx, system, governance.NodeInput{ParentID: "k2", Level: "grid", Name: "x"})
	requireFields(t, err, gridgov.ErrInvalid, "ParentID")
}

func TestAddNodeGeneratesIDsAndKeepsLabels(t *testing.T) {
	f := newFixture(t)
	f.duyun()
	labels := map[string]string{"pilot": "true"}
	n, err := f.reg.AddNode(ctx, system, governance.NodeInput{ParentID: "c2", Level: "compound", Name: "新村", Labels: labels})
	require.NoError(t, err)
	assert.Equal(t, "id-000001", n.ID)
	assert.Equal(t, int64(1), n.Version)
	assert.Equal(t, start, n.CreatedAt)
	labels["pilot"] = "changed"
	got, err := f.reg.Node(ctx, n.ID)
	require.NoError(t, err)
	assert.Equal(t, "true", got.Labels["pilot"], "the registry must not keep the caller's map")
}

func TestSchemeAllowSkip(t *testing.T) {
	s := governance.FourLevelLadder()
	s.AllowSkip = true
	f := newFixture(t, governance.WithScheme(s))
	f.node("s", "", "street", "街道")
	f.node("c", "s", "community", "社区")
	f.node("b", "c", "building", "1号楼") // skips the grid level
	_, err := f.reg.AddNode(ctx, system, governance.NodeInput{ParentID: "b", Level: "grid", Name: "x"})
	requireFields(t, err, gridgov.ErrInvalid, "Level")
}

func TestTreeQueries(t *testing.T) {
	f := newFixture(t)
	f.duyun()

	anc, err := f.reg.Ancestors(ctx, "h1")
	require.NoError(t, err)
	assert.Equal(t, []string{"st", "c1", "k1", "g1"}, ids(anc))

	path, err := f.reg.PathName(ctx, "g1", " / ")
	require.NoError(t, err)
	assert.Equal(t, "广惠路街道 / 清泰社区 / 幸福里小区 / 一网格", path)

	desc, err := f.reg.Descendants(ctx, "st")
	require.NoError(t, err)
	assert.Equal(t, []string{"c1", "k1", "g1", "h1", "k2", "c2", "k3"}, ids(desc))

	kids, err := f.reg.Children(ctx, "c1")
	require.NoError(t, err)
	assert.Equal(t, []string{"k1", "k2"}, ids(kids))

	lvl, err := f.reg.LevelOf(ctx, "g1")
	require.NoError(t, err)
	assert.Equal(t, governance.KindGrid, lvl.Kind)
	assert.Equal(t, "网格党小组", lvl.NameZH)

	comm, err := f.reg.AncestorAt(ctx, "h1", "community")
	require.NoError(t, err)
	assert.Equal(t, "c1", comm.ID)
	self, err := f.reg.AncestorAt(ctx, "c2", "community")
	require.NoError(t, err)
	assert.Equal(t, "c2", self.ID)
	_, err = f.reg.AncestorAt(ctx, "c1", "grid")
	require.ErrorIs(t, err, gridgov.ErrNotFound)

	for _, tt := range []struct {
		x, y string
		want bool
	}{
		{"h1", "st", true}, {"h1", "c1", true}, {"h1", "h1", true}, {"h1", "c2", false},
		{"st", "h1", false}, {"k3", "c2", true}, {"k2", "k1", false},
	} {
		got, err := f.reg.IsInside(ctx, tt.x, tt.y)
		require.NoError(t, err)
		assert.Equal(t, tt.want, got, "IsInside(%s, %s)", tt.x, tt.y)
	}
	_, err = f.reg.IsInside(ctx, "h1", "nope")
	require.ErrorIs(t, err, gridgov.ErrNotFound)

	for _, tt := range []struct{ a, b, want string }{
		{"h1", "k2", "c1"}, {"h1", "k3", "st"}, {"h1", "g1", "g1"}, {"k1", "k1", "k1"}, {"st", "h1", "st"},
	} {
		lca, err := f.reg.LowestCommonAncestor(ctx, tt.a, tt.b)
		require.NoError(t, err)
		assert.Equal(t, tt.want, lca.ID, "LCA(%s, %s)", tt.a, tt.b)
	}
	f.node("other", "", "street", "另一街道")
	_, err = f.reg.LowestCommonAncestor(ctx, "h1", "other")
	require.ErrorIs(t, err, gridgov.ErrNotFound)
}

func TestRenameKeepsHistory(t *testing.T) {
	f := newFixture(t)
	f.duyun()
	f.clock.Advance(24 * 3600e9)
	n, err := f.reg.RenameNode(ctx, system, governance.RenameInput{ID: "k1", Name: "幸福里花园", Note: "更名"})
	require.NoError(t, err)
	assert.Equal(t, "幸福里花园", n.Name)
	assert.Equal(t, int64(2), n.Version)

	_, err = f.reg.RenameNode(ctx, system, governance.RenameInput{ID: "k1", Name: "x", Version: 1})
	require.ErrorIs(t, err, gridgov.ErrConflict)

	_, err = f.reg.RenameNode(ctx, system, governance.RenameInput{ID: "k1", Name: " "})
	requireFields(t, err, gridgov.ErrInvalid, "Name")

	hist, err := f.reg.History(ctx, "k1")
	require.NoError(t, err)
	require.Len(t, hist, 2)
	assert.Equal(t, governance.ChangeCreated, hist[0].Kind)
	assert.Equal(t, governance.ChangeRenamed, hist[1].Kind)
	assert.Equal(t, "幸福里小区", hist[1].From)
	assert.Equal(t, "幸福里花园", hist[1].To)
	assert.Equal(t, int64(2), hist[1].Version)
	assert.Equal(t, "system:test", hist[1].Actor)
	assert.Equal(t, start.Add(24*3600e9), hist[1].At)
}

func TestMoveNode(t *testing.T) {
	t.Run("moves the subtree", func(t *testing.T) {
		f := newFixture(t)
		f.duyun()
		moved, err := f.reg.MoveNode(ctx, system, governance.MoveInput{ID: "k1", NewParentID: "c2", Note: "区划调整"})
		require.NoError(t, err)
		assert.Equal(t, "c2", moved.ParentID)
		anc, err := f.reg.Ancestors(ctx, "h1")
		require.NoError(t, err)
		assert.Equal(t, []string{"st", "c2", "k1", "g1"}, ids(anc))
		desc, err := f.reg.Descendants(ctx, "c2")
		require.NoError(t, err)
		assert.Equal(t, []string{"k1", "g1", "h1", "k3"}, ids(desc))
		hist, err := f.reg.History(ctx, "k1")
		require.NoError(t, err)
		last := hist[len(hist)-1]
		assert.Equal(t, governance.ChangeMoved, last.Kind)
		assert.Equal(t, "c1", last.From)
		assert.Equal(t, "c2", last.To)
		assert.Equal(t, "区划调整", last.Note)
	})
	refusals := []struct {
		name   string
		in     governance.MoveInput
		kind   error
		fields []string
	}{
		{"under itself", governance.MoveInput{ID: "c1", NewParentID: "c1"}, gridgov.ErrInvalid, []string{"NewParentID"}},
		{"under own descendant", governance.MoveInput{ID: "k1", NewParentID: "g1"}, gridgov.ErrInvalid, []string{"NewParentID"}},
		{"level violation", governance.MoveInput{ID: "k1", NewParentID: "st"}, gridgov.ErrInvalid, []string{"NewParentID"}},
		{"unknown parent", governance.MoveInput{ID: "k1", NewParentID: "nope"}, gridgov.ErrInvalid, []string{"NewParentID"}},
		{"missing fields", governance.MoveInput{}, gridgov.ErrInvalid, []string{"ID", "NewParentID"}},
		{"negative version", governance.MoveInput{ID: "k1", NewParentID: "c2", Version: -1}, gridgov.ErrInvalid, []string{"Version"}},
	}
	for _, tt := range refusals {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t)
			f.duyun()
			before := f.snapshot()
			_, err := f.reg.MoveNode(ctx, system, tt.in)
			requireFields(t, err, tt.kind, tt.fields...)
			assert.Equal(t, before, f.snapshot())
		})
	}
	t.Run("unknown node", func(t *testing.T) {
		f := newFixture(t)
		f.duyun()
		_, err := f.reg.MoveNode(ctx, system, governance.MoveInput{ID: "nope", NewParentID: "c2"})
		require.ErrorIs(t, err, gridgov.ErrNotFound)
	})
	t.Run("stale version", func(t *testing.T) {
		f := newFixture(t)
		f.duyun()
		_, err := f.reg.RenameNode(ctx, system, governance.RenameInput{ID: "k1", Name: "新名"})
		require.NoError(t, err)
		_, err = f.reg.MoveNode(ctx, system, governance.MoveInput{ID: "k1", NewParentID: "c2", Version: 1})
		require.ErrorIs(t, err, gridgov.ErrConflict)
	})
	t.Run("retired parent", func(t *testing.T) {
		f := newFixture(t)
		f.duyun()
		_, err := f.reg.MoveNode(ctx, system, governance.MoveInput{ID: "k3", NewParentID: "c1"})
		require.NoError(t, err)
		_, err = f.reg.RetireNode(ctx, system, governance.RetireInput{ID: "c2"})
		require.NoError(t, err)
		_, err = f.reg.MoveNode(ctx, system, governance.MoveInput{ID: "k3", NewParentID: "c2"})
		requireFields(t, err, gridgov.ErrInvalid, "NewParentID")
	})
}

// TestRedistricting re-draws 26 communities into 45, as Duyun did (26 个社区优化调整为 45
// 个): 19 new communities are created and compounds are moved into them; every move is in
// the history and the totals stay exact.
func TestRedistricting(t *testing.T) {
	f := newFixture(t)
	f.node("st", "", "street", "街道")
	compounds := 0
	for c := 0; c < 26; c++ {
		cid := fmt.Sprintf("c%02d", c)
		f.node(cid, "st", "community", "社区"+cid)
		for k := 0; k < 4; k++ {
			f.node(fmt.Sprintf("%s-k%d", cid, k), cid, "compound", "小区")
			compounds++
		}
	}
	// Take the last compound (or two) of the first 19 communities into 19 new ones.
	for n := 0; n < 19; n++ {
		nid := fmt.Sprintf("n%02d", n)
		f.node(nid, "st", "community", "新社区"+nid)
		for _, k := range []int{2, 3} {
			_, err := f.reg.MoveNode(ctx, system, governance.MoveInput{
				ID: fmt.Sprintf("c%02d-k%d", n, k), NewParentID: nid, Note: "26个社区调整为45个",
			})
			require.NoError(t, err)
		}
	}
	communities, err := f.reg.Children(ctx, "st")
	require.NoError(t, err)
	assert.Len(t, communities, 45)
	total := 0
	for _, c := range communities {
		kids, err := f.reg.Children(ctx, c.ID)
		require.NoError(t, err)
		assert.NotEmpty(t, kids, "community %s", c.ID)
		total += len(kids)
	}
	assert.Equal(t, compounds, total, "no compound lost or duplicated")
	hist, err := f.reg.History(ctx, "c00-k3")
	require.NoError(t, err)
	require.Len(t, hist, 2)
	assert.Equal(t, "c00", hist[1].From)
	assert.Equal(t, "n00", hist[1].To)
}

func TestRetireNode(t *testing.T) {
	f := newFixture(t)
	f.duyun()
	_, err := f.reg.RetireNode(ctx, system, governance.RetireInput{ID: "k1"})
	require.ErrorIs(t, err, gridgov.ErrInvalid, "a node with active children cannot retire")

	f.org("oc", "k2", governance.OrgOwnersCommittee, "业委会")
	_, err = f.reg.RetireNode(ctx, system, governance.RetireInput{ID: "k2"})
	require.ErrorIs(t, err, gridgov.ErrInvalid, "a node with an active organisation cannot retire")
	_, err = f.reg.DissolveOrganisation(ctx, system, governance.DissolveInput{OrgID: "oc"})
	require.NoError(t, err)

	n, err := f.reg.RetireNode(ctx, system, governance.RetireInput{ID: "k2", Note: "并入幸福里"})
	require.NoError(t, err)
	assert.True(t, n.Retired)
	assert.Equal(t, start, n.RetiredAt)

	again, err := f.reg.RetireNode(ctx, system, governance.RetireInput{ID: "k2"})
	require.NoError(t, err)
	assert.Equal(t, n.Version, again.Version, "retiring twice changes nothing")

	kids, err := f.reg.Children(ctx, "c1")
	require.NoError(t, err)
	assert.Equal(t, []string{"k1"}, ids(kids))
	all, err := f.reg.Children(ctx, "c1", governance.IncludeRetired())
	require.NoError(t, err)
	assert.Equal(t, []string{"k1", "k2"}, ids(all))

	// History stays resolvable.
	got, err := f.reg.Node(ctx, "k2")
	require.NoError(t, err)
	assert.Equal(t, "和平小区", got.Name)
	name, err := f.reg.PathName(ctx, "k2", "/")
	require.NoError(t, err)
	assert.Equal(t, "广惠路街道/清泰社区/和平小区", name)

	_, err = f.reg.MoveNode(ctx, system, governance.MoveInput{ID: "k2", NewParentID: "c2"})
	require.ErrorIs(t, err, gridgov.ErrInvalid)
}

func TestLabelNode(t *testing.T) {
	f := newFixture(t)
	f.duyun()
	n, err := f.reg.LabelNode(ctx, system, governance.LabelInput{ID: "c1", Set: map[string]string{"pilot": "true", "households": "420"}})
	require.NoError(t, err)
	assert.Equal(t, map[string]string{"pilot": "true", "households": "420"}, n.Labels)
	n, err = f.reg.LabelNode(ctx, system, governance.LabelInput{ID: "c1", Remove: []string{"pilot"}})
	require.NoError(t, err)
	assert.Equal(t, map[string]string{"households": "420"}, n.Labels)
	assert.Equal(t, int64(3), n.Version)
}

func TestRootsNeedSystemActor(t *testing.T) {
	f := newFixture(t)
	f.duyun()
	secretary := gridgov.PersonActor("p1")
	_, err := f.reg.AddNode(ctx, secretary, governance.NodeInput{Level: "street", Name: "新街道"})
	require.ErrorIs(t, err, gridgov.ErrForbidden)
	_, err = f.reg.RenameNode(ctx, secretary, governance.RenameInput{ID: "st", Name: "x"})
	require.ErrorIs(t, err, gridgov.ErrForbidden)
}
