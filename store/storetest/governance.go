package storetest

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"

	"github.com/gridgov/gridgov/governance"
)

// governanceTests lists the contract tests of governance.Store, one subtest each.
var governanceTests = []struct {
	name string
	run  func(f fx)
}{
	// The tree.
	{"NodeCreateGet", testNodeCreateGet},
	{"NodeCopies", testNodeCopies},
	{"NodeCreateDuplicate", testNodeCreateDuplicate},
	{"NodeCreateBadParent", testNodeCreateBadParent},
	{"NodeNotFound", testNodeNotFound},
	{"NodeUpdate", testNodeUpdate},
	{"NodeUpdateStale", testNodeUpdateStale},
	{"NodeChildrenOrder", testNodeChildrenOrder},
	{"NodeAncestors", testNodeAncestors},
	{"NodeDescendants", testNodeDescendants},
	{"NodeHistory", testNodeHistory},
	{"NodeMove", testNodeMove},
	{"NodeMoveRefusals", testNodeMoveRefusals},
	{"NodeRetire", testNodeRetire},
	{"NodeRetireRefusals", testNodeRetireRefusals},
	// Concurrency.
	{"ConcurrentSameVersion", testConcurrentSameVersion},
	{"ConcurrentCycleMoves", testConcurrentCycleMoves},
	{"ConcurrentSubtreeMoveAtomic", testConcurrentSubtreeMoveAtomic},
	// Organisations.
	{"OrganisationCreateGet", testOrgCreateGet},
	{"OrganisationCreateRefusals", testOrgCreateRefusals},
	{"OrganisationUpdate", testOrgUpdate},
	{"OrganisationsAt", testOrgsAt},
	{"OrganisationsServing", testOrgsServing},
	{"OrganisationHostedBy", testOrgHostedBy},
	{"OrganisationDissolve", testOrgDissolve},
	// People and positions.
	{"PersonCreateGetUpdate", testPersonCreateGetUpdate},
	{"PositionCreateChecks", testPositionCreateChecks},
	{"PositionUpdate", testPositionUpdate},
	{"PositionLists", testPositionLists},
	// Registrations, projects and service records (双报到).
	{"Registrations", testRegistrations},
	{"Projects", testProjects},
	{"ServiceRecords", testServiceRecords},
	{"ReferenceChecks", testReferenceChecks},
	// Context.
	{"CancelledContext", testCancelledContext},
}

func runGovernance(t *testing.T, newStores Harness) {
	for _, tc := range governanceTests {
		t.Run(tc.name, func(t *testing.T) {
			st := newStores(t).Governance
			if st == nil {
				t.Skip("storetest: the harness provides no governance store")
			}
			tc.run(fx{t: t, st: st, ctx: t.Context()})
		})
	}
}

// t0 is the fixed time every fixture starts from; day(n) is n days later.
var t0 = time.Date(2024, time.March, 1, 9, 30, 0, 0, time.UTC)

func day(n int) time.Time { return t0.AddDate(0, 0, n) }

// actor is the Actor string the fixtures record in node history.
const actor = "system:storetest"

// fx is one subtest's fixture: its T, a fresh store and a live context.
type fx struct {
	t   *testing.T
	st  governance.Store
	ctx context.Context
}

// newNode returns an unsaved node with a label, so that copies can be checked.
func newNode(id, parent string) governance.Node {
	return governance.Node{
		ID: id, ParentID: parent, Level: "level", Name: "node " + id,
		Labels:    map[string]string{"code": id},
		CreatedAt: t0, UpdatedAt: t0,
	}
}

// createdChange is the history entry of a creation. NodeID and Version are left for the
// store to set.
func createdChange(id string) governance.NodeChange {
	return governance.NodeChange{Kind: governance.ChangeCreated, Actor: actor, At: t0, To: id, Note: "created by storetest"}
}

// node creates the node id under parent ("" for a root) and returns the stored value.
func (f fx) node(id, parent string) governance.Node {
	f.t.Helper()
	n, err := f.st.CreateNode(f.ctx, newNode(id, parent), createdChange(id))
	require.NoError(f.t, err, "CreateNode(%q)", id)
	return n
}

// get returns the stored node id.
func (f fx) get(id string) governance.Node {
	f.t.Helper()
	n, err := f.st.GetNode(f.ctx, id)
	require.NoError(f.t, err, "GetNode(%q)", id)
	return n
}

// move moves the node id under parent at its current version.
func (f fx) move(id, parent string) (governance.Node, error) {
	f.t.Helper()
	n := f.get(id)
	from := n.ParentID
	n.ParentID = parent
	n.UpdatedAt = day(1)
	return f.st.UpdateNode(f.ctx, n, governance.NodeChange{
		Kind: governance.ChangeMoved, Actor: actor, At: day(1), From: from, To: parent,
	})
}

// retire retires the node id at its current version.
func (f fx) retire(id string) (governance.Node, error) {
	f.t.Helper()
	n := f.get(id)
	n.Retired, n.RetiredAt, n.UpdatedAt = true, day(2), day(2)
	return f.st.UpdateNode(f.ctx, n, governance.NodeChange{Kind: governance.ChangeRetired, Actor: actor, At: day(2)})
}

// mustRetire retires the node id and fails the test if the store refuses.
func (f fx) mustRetire(id string) governance.Node {
	f.t.Helper()
	n, err := f.retire(id)
	require.NoError(f.t, err, "retire %q", id)
	return n
}

// ids returns the IDs of nodes, in order.
func ids(nodes []governance.Node) []string {
	out := make([]string, len(nodes))
	for i, n := range nodes {
		out[i] = n.ID
	}
	return out
}

// requireIDs checks that nodes are exactly want, in order.
func (f fx) requireIDs(want []string, nodes []governance.Node, msgAndArgs ...any) {
	f.t.Helper()
	if want == nil {
		want = []string{}
	}
	require.Equal(f.t, want, ids(nodes), msgAndArgs...)
}

// at normalises a time for comparison: the same instant, in UTC, without a monotonic
// reading, so adapters may return times in another location.
func at(t time.Time) time.Time { return t.UTC() }

// normNode normalises a node for comparison (times in UTC, empty Labels as nil).
func normNode(n governance.Node) governance.Node {
	n = n.Clone()
	if len(n.Labels) == 0 {
		n.Labels = nil
	}
	n.RetiredAt, n.CreatedAt, n.UpdatedAt = at(n.RetiredAt), at(n.CreatedAt), at(n.UpdatedAt)
	return n
}

func normNodes(list []governance.Node) []governance.Node {
	out := make([]governance.Node, len(list))
	for i, n := range list {
		out[i] = normNode(n)
	}
	return out
}

func normChange(c governance.NodeChange) governance.NodeChange {
	c.At = at(c.At)
	return c
}

func normOrg(o governance.Organisation) governance.Organisation {
	o = o.Clone()
	if len(o.Serves) == 0 {
		o.Serves = nil
	}
	o.DissolvedAt, o.CreatedAt, o.UpdatedAt = at(o.DissolvedAt), at(o.CreatedAt), at(o.UpdatedAt)
	return o
}

func normPerson(p governance.Person) governance.Person {
	p.CreatedAt, p.UpdatedAt = at(p.CreatedAt), at(p.UpdatedAt)
	return p
}

func normPosition(p governance.Position) governance.Position {
	p.Since, p.Until, p.CreatedAt, p.UpdatedAt = at(p.Since), at(p.Until), at(p.CreatedAt), at(p.UpdatedAt)
	return p
}

func normRegistration(r governance.Registration) governance.Registration {
	r.RegisteredAt = at(r.RegisteredAt)
	return r
}

func normProject(p governance.ServiceProject) governance.ServiceProject {
	p = p.Clone()
	if len(p.ClaimedBy) == 0 {
		p.ClaimedBy = nil
	}
	p.CreatedAt = at(p.CreatedAt)
	return p
}

// requireNode checks that got is want (see normNode).
func (f fx) requireNode(want, got governance.Node, msgAndArgs ...any) {
	f.t.Helper()
	require.Equal(f.t, normNode(want), normNode(got), msgAndArgs...)
}

// requireRecord checks that got is want: Hours compared with decimal Equal, times as
// instants.
func (f fx) requireRecord(want, got governance.ServiceRecord, msgAndArgs ...any) {
	f.t.Helper()
	require.Truef(f.t, want.Hours.Equal(got.Hours), "Hours: want %s, got %s", want.Hours, got.Hours)
	want.Hours, got.Hours = decimal.Zero, decimal.Zero
	want.Date, want.RecordedAt = at(want.Date), at(want.RecordedAt)
	got.Date, got.RecordedAt = at(got.Date), at(got.RecordedAt)
	require.Equal(f.t, want, got, msgAndArgs...)
}

// treeSnapshot is everything the node store holds: every node (roots in ID order, each
// followed by its subtree in pre-order) and every node's history.
type treeSnapshot struct {
	Nodes   []governance.Node
	History map[string][]governance.NodeChange
}

// snapshot reads the whole tree, so that a refused write can be shown to change nothing.
func (f fx) snapshot() treeSnapshot {
	f.t.Helper()
	roots, err := f.st.Children(f.ctx, "")
	require.NoError(f.t, err)
	snap := treeSnapshot{History: map[string][]governance.NodeChange{}}
	for _, r := range roots {
		below, err := f.st.Descendants(f.ctx, r.ID)
		require.NoError(f.t, err)
		snap.Nodes = append(snap.Nodes, normNode(r))
		snap.Nodes = append(snap.Nodes, normNodes(below)...)
	}
	for _, n := range snap.Nodes {
		h, err := f.st.NodeHistory(f.ctx, n.ID)
		require.NoError(f.t, err)
		for i := range h {
			h[i] = normChange(h[i])
		}
		snap.History[n.ID] = h
	}
	return snap
}

// requireUnchanged checks that the tree still equals before.
func (f fx) requireUnchanged(before treeSnapshot, msgAndArgs ...any) {
	f.t.Helper()
	require.Equal(f.t, before, f.snapshot(), msgAndArgs...)
}

// checkPreOrder reports what is wrong, if anything, with list as the Descendants of
// rootID: every node must appear once, after its parent and inside its parent's run (pre-
// order), and siblings must come in ascending ID order. It returns "" when list is a
// well-formed pre-order listing.
func checkPreOrder(rootID string, list []governance.Node) string {
	seen := map[string]bool{rootID: true}
	path := []string{rootID}    // the chain from rootID to the previous node
	last := map[string]string{} // parent ID → the last child listed under it
	for _, n := range list {
		if seen[n.ID] {
			return "node " + n.ID + " listed twice"
		}
		seen[n.ID] = true
		for len(path) > 0 && path[len(path)-1] != n.ParentID {
			path = path[:len(path)-1]
		}
		if len(path) == 0 {
			return "node " + n.ID + " (parent " + n.ParentID + ") is not below the nodes listed before it"
		}
		if prev, ok := last[n.ParentID]; ok && strings.Compare(prev, n.ID) >= 0 {
			return "siblings " + prev + " and " + n.ID + " are out of ID order"
		}
		last[n.ParentID] = n.ID
		path = append(path, n.ID)
	}
	return ""
}

// message renders testify-style msgAndArgs (a format and its arguments) as one string.
func message(msgAndArgs []any) string {
	if len(msgAndArgs) == 0 {
		return ""
	}
	if format, ok := msgAndArgs[0].(string); ok {
		return fmt.Sprintf(format, msgAndArgs[1:]...)
	}
	return fmt.Sprint(msgAndArgs...)
}
