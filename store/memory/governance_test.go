package memory_test

import (
	"context"
	"fmt"
	"runtime"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gridgov/gridgov"
	"github.com/gridgov/gridgov/governance"
	"github.com/gridgov/gridgov/store/memory"
	"github.com/gridgov/gridgov/store/storetest"
)

func TestConformance(t *testing.T) {
	storetest.Run(t, func(t *testing.T) storetest.Stores {
		return storetest.Stores{Governance: memory.NewGovernanceStore()}
	})
}

// The memory store's refusals are *gridgov.ValidationError values that name the failing
// field in English and Chinese (the conformance suite only requires the sentinel).
func TestErrorsNameTheField(t *testing.T) {
	ctx := t.Context()
	st := memory.NewGovernanceStore()
	at := time.Date(2024, time.March, 1, 0, 0, 0, 0, time.UTC)
	change := governance.NodeChange{Kind: governance.ChangeCreated, At: at}
	_, err := st.CreateNode(ctx, governance.Node{ID: "r", Level: "street"}, change)
	require.NoError(t, err)
	_, err = st.CreateOrganisation(ctx, governance.Organisation{ID: "firm", NodeID: "r", Kind: governance.OrgPropertyFirm})
	require.NoError(t, err)

	for _, tc := range []struct {
		name   string
		err    error
		kind   error
		fields []string
	}{
		{"unknown parent", func() error {
			_, err := st.CreateNode(ctx, governance.Node{ID: "c", ParentID: "nope"}, change)
			return err
		}(), gridgov.ErrInvalid, []string{"ParentID"}},
		{"duplicate node", func() error { _, err := st.CreateNode(ctx, governance.Node{ID: "r"}, change); return err }(),
			gridgov.ErrAlreadyExists, []string{"ID"}},
		{"bad references", func() error {
			_, err := st.CreateOrganisation(ctx, governance.Organisation{
				ID: "o", NodeID: "nope", HostID: "no-org", Serves: []string{"r", "nowhere"},
			})
			return err
		}(), gridgov.ErrInvalid, []string{"NodeID", "HostID", "Serves[1]"}},
	} {
		require.ErrorIs(t, tc.err, tc.kind, tc.name)
		var verr *gridgov.ValidationError
		require.ErrorAs(t, tc.err, &verr, tc.name)
		assert.Equal(t, tc.fields, verr.FieldNames(), tc.name)
		for _, f := range verr.Fields {
			assert.NotEmpty(t, f.EN, tc.name)
			assert.NotEmpty(t, f.ZH, tc.name)
		}
	}

	_, err = st.GetNode(ctx, "nope")
	require.ErrorIs(t, err, gridgov.ErrNotFound)
	n, err := st.GetNode(ctx, "r")
	require.NoError(t, err)
	n.Version = 7
	_, err = st.UpdateNode(ctx, n, change)
	require.ErrorIs(t, err, gridgov.ErrConflict)
}

// benchTime is the fixed time of every benchmark node.
var benchTime = time.Date(2024, time.March, 1, 0, 0, 0, 0, time.UTC)

// benchTree builds, breadth first, a tree of total nodes holding one subtree of subtree
// nodes (below the node "target") and returns the store. The rest of the tree is a
// realistic multi-level district: roots with fan-out 10 at each level down to the size
// asked for. Because nodes are created level by level across the whole tree, the target's
// records are interleaved with everybody else's in memory, as they would be after years of
// growth.
func benchTree(b *testing.B, total, subtree int) *memory.GovernanceStore {
	b.Helper()
	ctx := context.Background()
	st := memory.NewGovernanceStore()
	create := func(id, parent string) {
		n := governance.Node{
			ID: id, ParentID: parent, Level: "level", Name: "node " + id,
			Labels: map[string]string{"households": "420"}, CreatedAt: benchTime, UpdatedAt: benchTime,
		}
		if _, err := st.CreateNode(ctx, n, governance.NodeChange{Kind: governance.ChangeCreated, At: benchTime}); err != nil {
			b.Fatal(err)
		}
	}

	// Two frontiers grow in lock step, level by level: the target's subtree (fan-out 10
	// below "target") and the rest of the tree (10 roots, fan-out 10).
	create("target", "")
	created := 1
	sub := []string{"target"}
	subLeft := subtree
	rest := []string{}
	for i := range 10 {
		id := fmt.Sprintf("d%d", i)
		create(id, "")
		rest = append(rest, id)
		created++
	}
	restLeft := total - subtree - created
	for subLeft > 0 || restLeft > 0 {
		var nextSub, nextRest []string
		// Interleave: one child of the subtree, then restRatio children elsewhere, so the
		// subtree's records are scattered through the heap.
		restRatio := 1
		if subLeft > 0 {
			restRatio = max(1, restLeft/subLeft)
		}
		si, ri := 0, 0
		for (subLeft > 0 && si < len(sub)*10) || (restLeft > 0 && ri < len(rest)*10) {
			if subLeft > 0 && si < len(sub)*10 {
				id := fmt.Sprintf("%s.%d", sub[si/10], si%10)
				create(id, sub[si/10])
				nextSub = append(nextSub, id)
				si++
				subLeft--
			}
			for k := 0; k < restRatio && restLeft > 0 && ri < len(rest)*10; k++ {
				id := fmt.Sprintf("%s.%d", rest[ri/10], ri%10)
				create(id, rest[ri/10])
				nextRest = append(nextRest, id)
				ri++
				restLeft--
			}
		}
		sub, rest = nextSub, nextRest
	}
	desc, err := st.Descendants(ctx, "target")
	if err != nil || len(desc) != subtree {
		b.Fatalf("target subtree: %d nodes, %v; want %d", len(desc), err, subtree)
	}
	return st
}

func benchmarkDescendants(b *testing.B, total int) {
	st := benchTree(b, total, 1000)
	ctx := context.Background()
	runtime.GC() // start from the live tree alone, not the garbage of building it
	b.ReportAllocs()
	for b.Loop() {
		if _, err := st.Descendants(ctx, "target"); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkDescendants1kIn10k lists a 1,000-node subtree of a 10,000-node tree.
func BenchmarkDescendants1kIn10k(b *testing.B) { benchmarkDescendants(b, 10_000) }

// BenchmarkDescendants1kIn1M lists the same 1,000-node subtree inside a 1,000,000-node
// tree; the contract requires its cost to be independent of the tree's size.
func BenchmarkDescendants1kIn1M(b *testing.B) { benchmarkDescendants(b, 1_000_000) }

// BenchmarkAncestors6Level reads the five ancestors of a node on the sixth level.
func BenchmarkAncestors6Level(b *testing.B) {
	ctx := context.Background()
	st := memory.NewGovernanceStore()
	parent := ""
	for level := range 6 {
		for i := range 10 {
			id := fmt.Sprintf("l%d-%d", level, i)
			p := ""
			if level > 0 {
				p = fmt.Sprintf("l%d-%d", level-1, i)
			}
			n := governance.Node{ID: id, ParentID: p, Level: fmt.Sprint("level", level), Name: id, CreatedAt: benchTime}
			if _, err := st.CreateNode(ctx, n, governance.NodeChange{Kind: governance.ChangeCreated, At: benchTime}); err != nil {
				b.Fatal(err)
			}
		}
		parent = fmt.Sprintf("l%d-5", level)
	}
	b.ReportAllocs()
	for b.Loop() {
		anc, err := st.Ancestors(ctx, parent)
		if err != nil || len(anc) != 5 {
			b.Fatal(len(anc), err)
		}
	}
}
