package storetest

import (
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gridgov/gridgov"
	"github.com/gridgov/gridgov/governance"
)

// CreateNode stores the node with Version 1 (whatever the input says) and GetNode returns
// it, retired or not.
func testNodeCreateGet(f fx) {
	t := f.t
	in := newNode("street-1", "")
	in.Version = 42
	root, err := f.st.CreateNode(f.ctx, in, createdChange("street-1"))
	require.NoError(t, err)
	want := newNode("street-1", "")
	want.Version = 1
	f.requireNode(want, root, "CreateNode returns the stored node")
	f.requireNode(want, f.get("street-1"), "GetNode returns the stored node")

	child := f.node("community-1", "street-1")
	assert.Equal(t, "street-1", child.ParentID)
	assert.EqualValues(t, 1, child.Version)
	f.requireNode(child, f.get("community-1"))

	f.mustRetire("community-1")
	got := f.get("community-1")
	assert.True(t, got.Retired, "a retired node stays resolvable")
	assert.True(t, got.RetiredAt.Equal(day(2)))
}

// Returned values are copies, and the store keeps no reference to its input.
func testNodeCopies(f fx) {
	t := f.t
	in := newNode("n", "")
	in.Labels = map[string]string{"pilot": "true"}
	created, err := f.st.CreateNode(f.ctx, in, createdChange("n"))
	require.NoError(t, err)
	in.Labels["pilot"] = "changed input"
	in.Labels["extra"] = "x"
	created.Labels["pilot"] = "changed output"
	assert.Equal(t, map[string]string{"pilot": "true"}, f.get("n").Labels,
		"mutating CreateNode's input or result must not change the store")

	f.node("child", "n")
	f.node("grandchild", "child")

	got := f.get("n")
	got.Labels["pilot"] = "changed"
	kids, err := f.st.Children(f.ctx, "n")
	require.NoError(t, err)
	kids[0].Labels["code"] = "changed"
	roots, err := f.st.Children(f.ctx, "")
	require.NoError(t, err)
	roots[0].Labels["pilot"] = "changed"
	anc, err := f.st.Ancestors(f.ctx, "grandchild")
	require.NoError(t, err)
	anc[0].Labels["pilot"] = "changed"
	anc[1].Labels["code"] = "changed"
	desc, err := f.st.Descendants(f.ctx, "n")
	require.NoError(t, err)
	for _, d := range desc {
		d.Labels["code"] = "changed"
	}
	hist, err := f.st.NodeHistory(f.ctx, "n")
	require.NoError(t, err)
	hist[0].Note = "changed"

	assert.Equal(t, map[string]string{"pilot": "true"}, f.get("n").Labels)
	assert.Equal(t, map[string]string{"code": "child"}, f.get("child").Labels)
	assert.Equal(t, map[string]string{"code": "grandchild"}, f.get("grandchild").Labels)
	hist, err = f.st.NodeHistory(f.ctx, "n")
	require.NoError(t, err)
	assert.Equal(t, "created by storetest", hist[0].Note)

	upd := f.get("child")
	upd.Labels["households"] = "420"
	stored, err := f.st.UpdateNode(f.ctx, upd, governance.NodeChange{Kind: governance.ChangeLabeled, Actor: actor, At: day(1)})
	require.NoError(t, err)
	upd.Labels["households"] = "changed input"
	stored.Labels["households"] = "changed output"
	assert.Equal(t, map[string]string{"code": "child", "households": "420"}, f.get("child").Labels,
		"mutating UpdateNode's input or result must not change the store")
}

// ErrAlreadyExists for a taken ID, retired nodes included; the stored node is untouched.
func testNodeCreateDuplicate(f fx) {
	t := f.t
	f.node("root", "")
	f.node("old", "root")
	f.mustRetire("old")
	before := f.snapshot()

	_, err := f.st.CreateNode(f.ctx, newNode("root", ""), createdChange("root"))
	require.ErrorIs(t, err, gridgov.ErrAlreadyExists)
	dup := newNode("old", "")
	dup.Name = "a new node reusing a retired ID"
	_, err = f.st.CreateNode(f.ctx, dup, createdChange("old"))
	require.ErrorIs(t, err, gridgov.ErrAlreadyExists, "retired IDs stay taken")
	f.requireUnchanged(before)
}

// ErrInvalid for a parent that names no node or a retired node; nothing is stored.
func testNodeCreateBadParent(f fx) {
	t := f.t
	f.node("root", "")
	f.node("retired", "root")
	f.mustRetire("retired")
	before := f.snapshot()

	_, err := f.st.CreateNode(f.ctx, newNode("orphan", "no-such-node"), createdChange("orphan"))
	require.ErrorIs(t, err, gridgov.ErrInvalid)
	_, err = f.st.CreateNode(f.ctx, newNode("late", "retired"), createdChange("late"))
	require.ErrorIs(t, err, gridgov.ErrInvalid)

	for _, id := range []string{"orphan", "late"} {
		_, err = f.st.GetNode(f.ctx, id)
		require.ErrorIs(t, err, gridgov.ErrNotFound, "a refused node is not stored")
		_, err = f.st.NodeHistory(f.ctx, id)
		require.ErrorIs(t, err, gridgov.ErrNotFound, "a refused node has no history")
	}
	f.requireUnchanged(before)
}

// Every node method returns ErrNotFound for an unknown node.
func testNodeNotFound(f fx) {
	t := f.t
	f.node("root", "")
	_, err := f.st.GetNode(f.ctx, "nope")
	assert.ErrorIs(t, err, gridgov.ErrNotFound, "GetNode")
	_, err = f.st.Children(f.ctx, "nope")
	assert.ErrorIs(t, err, gridgov.ErrNotFound, "Children")
	_, err = f.st.Ancestors(f.ctx, "nope")
	assert.ErrorIs(t, err, gridgov.ErrNotFound, "Ancestors")
	_, err = f.st.Descendants(f.ctx, "nope")
	assert.ErrorIs(t, err, gridgov.ErrNotFound, "Descendants")
	_, err = f.st.NodeHistory(f.ctx, "nope")
	assert.ErrorIs(t, err, gridgov.ErrNotFound, "NodeHistory")
	n := newNode("nope", "")
	n.Version = 1
	_, err = f.st.UpdateNode(f.ctx, n, governance.NodeChange{Kind: governance.ChangeRenamed, Actor: actor, At: day(1)})
	assert.ErrorIs(t, err, gridgov.ErrNotFound, "UpdateNode")
	_, err = f.st.GetNode(f.ctx, "nope")
	assert.ErrorIs(t, err, gridgov.ErrNotFound, "UpdateNode of an unknown node creates nothing")
}

// UpdateNode applies a current version, increments it and returns the stored node; Level,
// ID and CreatedAt keep their stored values.
func testNodeUpdate(f fx) {
	t := f.t
	f.node("root", "")
	n := f.node("c1", "root")

	upd := n.Clone()
	upd.Name = "幸福里社区"
	upd.Labels = map[string]string{"pilot": "true"}
	upd.Level = "another-level"
	upd.CreatedAt = day(30)
	upd.UpdatedAt = day(1)
	got, err := f.st.UpdateNode(f.ctx, upd, governance.NodeChange{
		Kind: governance.ChangeRenamed, Actor: actor, At: day(1), From: n.Name, To: "幸福里社区",
	})
	require.NoError(t, err)

	want := n.Clone()
	want.Name = "幸福里社区"
	want.Labels = map[string]string{"pilot": "true"}
	want.UpdatedAt = day(1)
	want.Version = 2
	f.requireNode(want, got, "UpdateNode returns the stored node; Level and CreatedAt are kept")
	f.requireNode(want, f.get("c1"))

	// A second update at the new version works and increments again.
	got.Name = "third name"
	got, err = f.st.UpdateNode(f.ctx, got, governance.NodeChange{Kind: governance.ChangeRenamed, Actor: actor, At: day(2)})
	require.NoError(t, err)
	assert.EqualValues(t, 3, got.Version)
	assert.Equal(t, "level", f.get("c1").Level)
}

// A stale version is ErrConflict and changes nothing (history included).
func testNodeUpdateStale(f fx) {
	t := f.t
	f.node("root", "")
	v1 := f.node("c1", "root")
	f.node("p2", "root")
	v2 := v1.Clone()
	v2.Name = "renamed"
	_, err := f.st.UpdateNode(f.ctx, v2, governance.NodeChange{Kind: governance.ChangeRenamed, Actor: actor, At: day(1)})
	require.NoError(t, err)
	before := f.snapshot()

	stale := v1.Clone()
	stale.Name = "stale rename"
	_, err = f.st.UpdateNode(f.ctx, stale, governance.NodeChange{Kind: governance.ChangeRenamed, Actor: actor, At: day(2)})
	require.ErrorIs(t, err, gridgov.ErrConflict, "version 1 after an update to version 2")

	future := f.get("c1")
	future.Version = 7
	future.Name = "future"
	_, err = f.st.UpdateNode(f.ctx, future, governance.NodeChange{Kind: governance.ChangeRenamed, Actor: actor, At: day(2)})
	require.ErrorIs(t, err, gridgov.ErrConflict, "a version ahead of the store is not current either")

	staleMove := v1.Clone()
	staleMove.ParentID = "p2"
	_, err = f.st.UpdateNode(f.ctx, staleMove, governance.NodeChange{Kind: governance.ChangeMoved, Actor: actor, At: day(2)})
	require.ErrorIs(t, err, gridgov.ErrConflict, "a stale move")
	f.requireUnchanged(before)
}

// Children lists direct children (retired included) in ascending ID order; "" lists the
// roots; a leaf has none.
func testNodeChildrenOrder(f fx) {
	t := f.t
	for _, id := range []string{"r-m", "r-z", "r-a"} {
		f.node(id, "")
	}
	for _, id := range []string{"c", "a", "d", "b"} {
		f.node("r-m."+id, "r-m")
	}
	f.node("r-m.b.1", "r-m.b")
	f.mustRetire("r-m.d")

	roots, err := f.st.Children(f.ctx, "")
	require.NoError(t, err)
	f.requireIDs([]string{"r-a", "r-m", "r-z"}, roots, "roots in ID order")
	kids, err := f.st.Children(f.ctx, "r-m")
	require.NoError(t, err)
	f.requireIDs([]string{"r-m.a", "r-m.b", "r-m.c", "r-m.d"}, kids, "children in ID order, retired included")
	f.requireNode(f.get("r-m.a"), kids[0])
	assert.True(t, kids[3].Retired)
	leaf, err := f.st.Children(f.ctx, "r-m.a")
	require.NoError(t, err)
	assert.Empty(t, leaf, "a leaf has no children (not an error)")
}

// Ancestors runs from the root down to the parent; a root has none.
func testNodeAncestors(f fx) {
	t := f.t
	chain := []string{"street", "community", "compound", "grid", "building", "household"}
	parent := ""
	for _, id := range chain {
		f.node(id, parent)
		parent = id
	}
	f.node("other-root", "")
	anc, err := f.st.Ancestors(f.ctx, "household")
	require.NoError(t, err)
	f.requireIDs(chain[:5], anc, "root first, parent last")
	f.requireNode(f.get("street"), anc[0])
	anc, err = f.st.Ancestors(f.ctx, "compound")
	require.NoError(t, err)
	f.requireIDs(chain[:2], anc)
	anc, err = f.st.Ancestors(f.ctx, "street")
	require.NoError(t, err)
	assert.Empty(t, anc, "a root has no ancestors (not an error)")
}

// Descendants lists the subtree in pre-order, siblings in ascending ID order, retired
// nodes included, the node itself excluded.
func testNodeDescendants(f fx) {
	t := f.t
	// Created out of order, so that insertion order cannot pass for ID order.
	f.node("r", "")
	f.node("c", "r")
	f.node("a", "r")
	f.node("b", "r")
	f.node("a2", "a")
	f.node("a1", "a")
	f.node("a1x", "a1")
	f.node("c1", "c")
	f.node("other", "")
	f.node("other.1", "other")
	f.mustRetire("b")

	desc, err := f.st.Descendants(f.ctx, "r")
	require.NoError(t, err)
	f.requireIDs([]string{"a", "a1", "a1x", "a2", "b", "c", "c1"}, desc)
	assert.Empty(t, checkPreOrder("r", desc))
	f.requireNode(f.get("a1x"), desc[2])
	assert.True(t, desc[4].Retired, "retired nodes are included")

	desc, err = f.st.Descendants(f.ctx, "a")
	require.NoError(t, err)
	f.requireIDs([]string{"a1", "a1x", "a2"}, desc)
	desc, err = f.st.Descendants(f.ctx, "a1x")
	require.NoError(t, err)
	assert.Empty(t, desc, "a leaf has no descendants (not an error)")
}

// NodeHistory lists every change oldest first, each with the node's ID and the version it
// produced, and everything else as given.
func testNodeHistory(f fx) {
	t := f.t
	f.node("p1", "")
	f.node("p2", "")
	n := f.node("h", "p1")

	n.Name = "renamed"
	n, err := f.st.UpdateNode(f.ctx, n, governance.NodeChange{
		Kind: governance.ChangeRenamed, Actor: "person:p-1", At: day(1), From: "node h", To: "renamed", Note: "更名",
	})
	require.NoError(t, err)
	n.ParentID = "p2"
	n, err = f.st.UpdateNode(f.ctx, n, governance.NodeChange{
		Kind: governance.ChangeMoved, Actor: "person:p-2", At: day(2), From: "p1", To: "p2", Note: "2024 re-districting (区划调整)",
	})
	require.NoError(t, err)
	n.Retired, n.RetiredAt = true, day(3)
	_, err = f.st.UpdateNode(f.ctx, n, governance.NodeChange{
		Kind: governance.ChangeRetired, Actor: "person:p-3", At: day(3), Note: "撤销",
	})
	require.NoError(t, err)

	hist, err := f.st.NodeHistory(f.ctx, "h")
	require.NoError(t, err)
	want := []governance.NodeChange{
		{NodeID: "h", Version: 1, Kind: governance.ChangeCreated, Actor: actor, At: t0, To: "h", Note: "created by storetest"},
		{NodeID: "h", Version: 2, Kind: governance.ChangeRenamed, Actor: "person:p-1", At: day(1), From: "node h", To: "renamed", Note: "更名"},
		{NodeID: "h", Version: 3, Kind: governance.ChangeMoved, Actor: "person:p-2", At: day(2), From: "p1", To: "p2", Note: "2024 re-districting (区划调整)"},
		{NodeID: "h", Version: 4, Kind: governance.ChangeRetired, Actor: "person:p-3", At: day(3), Note: "撤销"},
	}
	for i := range hist {
		hist[i] = normChange(hist[i])
	}
	assert.Equal(t, want, hist, "oldest first; NodeID and Version set from the stored node")

	// A refused update appends nothing.
	_, err = f.st.UpdateNode(f.ctx, n, governance.NodeChange{Kind: governance.ChangeRenamed, Actor: actor, At: day(4)})
	require.ErrorIs(t, err, gridgov.ErrConflict)
	again, err := f.st.NodeHistory(f.ctx, "h")
	require.NoError(t, err)
	assert.Len(t, again, 4)

	other, err := f.st.NodeHistory(f.ctx, "p1")
	require.NoError(t, err)
	require.Len(t, other, 1, "a move is recorded on the moved node only")
	assert.Equal(t, governance.ChangeCreated, other[0].Kind)
}

// A move carries the whole subtree: children, ancestors and descendants all follow.
func testNodeMove(f fx) {
	t := f.t
	f.node("r", "")
	f.node("p1", "r")
	f.node("p2", "r")
	f.node("s", "p1")
	f.node("s1", "s")
	f.node("s2", "s1")
	f.node("s1b", "s")

	moved, err := f.move("s", "p2")
	require.NoError(t, err)
	assert.Equal(t, "p2", moved.ParentID)
	assert.EqualValues(t, 2, moved.Version)
	f.requireNode(moved, f.get("s"))

	kids, err := f.st.Children(f.ctx, "p1")
	require.NoError(t, err)
	assert.Empty(t, kids, "the old parent lost the child")
	kids, err = f.st.Children(f.ctx, "p2")
	require.NoError(t, err)
	f.requireIDs([]string{"s"}, kids)
	anc, err := f.st.Ancestors(f.ctx, "s2")
	require.NoError(t, err)
	f.requireIDs([]string{"r", "p2", "s", "s1"}, anc, "the subtree moved along")
	desc, err := f.st.Descendants(f.ctx, "p1")
	require.NoError(t, err)
	assert.Empty(t, desc)
	desc, err = f.st.Descendants(f.ctx, "p2")
	require.NoError(t, err)
	f.requireIDs([]string{"s", "s1", "s2", "s1b"}, desc)
	desc, err = f.st.Descendants(f.ctx, "r")
	require.NoError(t, err)
	f.requireIDs([]string{"p1", "p2", "s", "s1", "s2", "s1b"}, desc)
	for _, id := range []string{"s1", "s2", "s1b"} {
		assert.EqualValues(t, 1, f.get(id).Version, "moving an ancestor does not change %s", id)
	}

	// Moving to the top makes the node a root.
	_, err = f.move("s1", "")
	require.NoError(t, err)
	roots, err := f.st.Children(f.ctx, "")
	require.NoError(t, err)
	f.requireIDs([]string{"r", "s1"}, roots)
	anc, err = f.st.Ancestors(f.ctx, "s2")
	require.NoError(t, err)
	f.requireIDs([]string{"s1"}, anc)
	desc, err = f.st.Descendants(f.ctx, "p2")
	require.NoError(t, err)
	f.requireIDs([]string{"s", "s1b"}, desc)

	// And back under a node.
	_, err = f.move("s1", "p1")
	require.NoError(t, err)
	anc, err = f.st.Ancestors(f.ctx, "s2")
	require.NoError(t, err)
	f.requireIDs([]string{"r", "p1", "s1"}, anc)
	roots, err = f.st.Children(f.ctx, "")
	require.NoError(t, err)
	f.requireIDs([]string{"r"}, roots)
}

// A move under the node itself, its own subtree, a retired node or an unknown node is
// ErrInvalid and changes nothing.
func testNodeMoveRefusals(f fx) {
	t := f.t
	f.node("r", "")
	f.node("p1", "r")
	f.node("s", "p1")
	f.node("s1", "s")
	f.node("s2", "s1")
	f.node("gone", "r")
	f.mustRetire("gone")
	before := f.snapshot()

	for _, tc := range []struct{ node, parent, why string }{
		{"s", "s", "under itself"},
		{"s", "s1", "under its child"},
		{"s", "s2", "under its grandchild"},
		{"r", "s2", "a root under its deepest descendant"},
		{"s", "gone", "under a retired node"},
		{"s", "no-such-node", "under an unknown node"},
	} {
		_, err := f.move(tc.node, tc.parent)
		require.ErrorIs(t, err, gridgov.ErrInvalid, "move %s %s", tc.node, tc.why)
		f.requireUnchanged(before, "refused move %s %s", tc.node, tc.why)
	}
}

// Retiring works once the children are retired and the organisations dissolved; the node
// keeps its place in the tree.
func testNodeRetire(f fx) {
	t := f.t
	f.node("r", "")
	f.node("c", "r")
	f.node("c.1", "c")
	f.node("c.2", "c")
	org := f.org("org-1", "c", governance.OrgResidentsCommittee)

	f.mustRetire("c.1")
	f.mustRetire("c.2")
	org.Dissolved, org.DissolvedAt = true, day(1)
	_, err := f.st.UpdateOrganisation(f.ctx, org)
	require.NoError(t, err)
	retired := f.mustRetire("c")
	assert.True(t, retired.Retired)
	assert.True(t, retired.RetiredAt.Equal(day(2)))
	f.requireNode(retired, f.get("c"))

	kids, err := f.st.Children(f.ctx, "r")
	require.NoError(t, err)
	f.requireIDs([]string{"c"}, kids, "a retired node stays in the tree")
	desc, err := f.st.Descendants(f.ctx, "r")
	require.NoError(t, err)
	f.requireIDs([]string{"c", "c.1", "c.2"}, desc)

	// A retired node may still be renamed (its history reads on).
	retired.Name = "old name kept for the record"
	_, err = f.st.UpdateNode(f.ctx, retired, governance.NodeChange{Kind: governance.ChangeRenamed, Actor: actor, At: day(3)})
	require.NoError(t, err)
}

// Retiring a node with an active child or an organisation not dissolved is ErrInvalid;
// un-retiring is ErrInvalid. Each refusal changes nothing.
func testNodeRetireRefusals(f fx) {
	t := f.t
	f.node("r", "")
	f.node("c", "r")
	f.node("c.1", "c")
	f.node("c.2", "c")
	f.mustRetire("c.1")
	f.node("k", "r")
	f.org("k-org", "k", governance.OrgOwnersCommittee)
	f.node("x", "r")
	f.mustRetire("x")
	before := f.snapshot()

	_, err := f.retire("c")
	require.ErrorIs(t, err, gridgov.ErrInvalid, "c.2 is still active")
	f.requireUnchanged(before)
	_, err = f.retire("k")
	require.ErrorIs(t, err, gridgov.ErrInvalid, "k-org is not dissolved")
	f.requireUnchanged(before)

	x := f.get("x")
	x.Retired = false
	x.RetiredAt = day(0)
	_, err = f.st.UpdateNode(f.ctx, x, governance.NodeChange{Kind: governance.ChangeRenamed, Actor: actor, At: day(3)})
	require.ErrorIs(t, err, gridgov.ErrInvalid, "retirement is final")
	f.requireUnchanged(before)
}
