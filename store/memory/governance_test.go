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
		return storetest.Stores{
			Governance:   memory.NewGovernanceStore(),
			Escalation:   memory.NewEscalationStore(),
			Funding:      memory.NewFundingStore(),
			Evaluation:   memory.NewEvaluationStore(),
			Deliberation: memory.NewDeliberationStore(),
		}
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

// benchLevels are the levels of the benchmark trees, from the roots down.
var benchLevels = []string{"street", "community", "compound", "grid", "building", "household"}

// benchLabels returns the labels of a benchmark node: every node carries one, so that
// every node listed costs a map copy (the expensive part of a listing). Communities are
// marked as pilots (试点), compounds carry their household count, and the other levels
// their grid code (网格编码).
func benchLabels(depth int, id string) map[string]string {
	switch depth {
	case 1:
		return map[string]string{"pilot": "true"}
	case 2:
		return map[string]string{"households": "420"}
	}
	return map[string]string{"code": id}
}

// benchTree builds, breadth first, a tree of total nodes holding one subtree of subtree
// nodes below the street "target", and returns the store. The rest of the tree is a
// realistic district: ten streets, each with ten communities, each community with ten
// compounds, and so on down through grids and buildings to household groups, until the
// size asked for is reached. Nodes are created level by level, the target's subtree
// interleaved with the rest, so its records are scattered through memory as they would
// be after years of growth.
func benchTree(b *testing.B, total, subtree int) *memory.GovernanceStore {
	b.Helper()
	ctx := context.Background()
	st := memory.NewGovernanceStore()
	create := func(id, parent string, depth int) {
		n := governance.Node{
			ID: id, ParentID: parent, Level: benchLevels[min(depth, len(benchLevels)-1)], Name: "node " + id,
			Labels: benchLabels(depth, id), CreatedAt: benchTime, UpdatedAt: benchTime,
		}
		if _, err := st.CreateNode(ctx, n, governance.NodeChange{Kind: governance.ChangeCreated, At: benchTime}); err != nil {
			b.Fatal(err)
		}
	}

	// Two frontiers grow in lock step, level by level, each with fan-out 10: the target's
	// subtree and the rest of the tree.
	create("target", "", 0)
	sub, subLeft := []string{"target"}, subtree
	var rest []string
	for i := range 10 {
		id := fmt.Sprintf("d%d", i)
		create(id, "", 0)
		rest = append(rest, id)
	}
	restLeft := total - subtree - 1 - len(rest)
	for depth := 1; subLeft > 0 || restLeft > 0; depth++ {
		var nextSub, nextRest []string
		// Interleave: one node of the subtree, then restRatio nodes elsewhere.
		restRatio := 1
		if subLeft > 0 {
			restRatio = max(1, restLeft/subLeft)
		}
		si, ri := 0, 0
		for (subLeft > 0 && si < len(sub)*10) || (restLeft > 0 && ri < len(rest)*10) {
			if subLeft > 0 && si < len(sub)*10 {
				id := fmt.Sprintf("%s.%d", sub[si/10], si%10)
				create(id, sub[si/10], depth)
				nextSub = append(nextSub, id)
				si++
				subLeft--
			}
			for k := 0; k < restRatio && restLeft > 0 && ri < len(rest)*10; k++ {
				id := fmt.Sprintf("%s.%d", rest[ri/10], ri%10)
				create(id, rest[ri/10], depth)
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
	list := func() {
		if _, err := st.Descendants(ctx, "target"); err != nil {
			b.Fatal(err)
		}
	}
	warmHeap(list)
	b.ReportAllocs()
	for b.Loop() {
		list()
	}
}

// warmHeap brings the process to a steady state before timing: it collects the garbage of
// building the tree, repeats op until the garbage collector has completed a cycle (so the
// heap has grown to its working size once and the kernel has mapped its pages), then
// collects again. Without it, a large live heap gives the collector a runway of hundreds
// of megabytes that the timed loop would be the first to touch, and the benchmark would
// measure page faults, a cost the kernel charges once per process, not per call.
func warmHeap(op func()) {
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	for start := ms.NumGC; ms.NumGC == start; runtime.ReadMemStats(&ms) {
		for range 100 {
			op()
		}
	}
	runtime.GC()
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
	deepest := ""
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
		deepest = fmt.Sprintf("l%d-5", level)
	}
	b.ReportAllocs()
	for b.Loop() {
		anc, err := st.Ancestors(ctx, deepest)
		if err != nil || len(anc) != 5 {
			b.Fatal(len(anc), err)
		}
	}
}
