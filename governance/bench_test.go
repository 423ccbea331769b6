package governance_test

import (
	"fmt"
	"runtime"
	"testing"

	"github.com/gridgov/gridgov"
	"github.com/gridgov/gridgov/governance"
	"github.com/gridgov/gridgov/store/memory"
	"github.com/stretchr/testify/require"
)

// sixLevels is district → street → community → compound → grid → building.
func sixLevels() governance.Scheme {
	return governance.Scheme{Name: "six-level", Levels: []governance.Level{
		{Key: "district", Kind: governance.KindDistrict, NameZH: "区", NameEN: "district"},
		{Key: "street", Kind: governance.KindStreet, NameZH: "街道", NameEN: "street"},
		{Key: "community", Kind: governance.KindCommunity, NameZH: "社区", NameEN: "community"},
		{Key: "compound", Kind: governance.KindCompound, NameZH: "小区", NameEN: "compound"},
		{Key: "grid", Kind: governance.KindGrid, NameZH: "网格", NameEN: "grid"},
		{Key: "building", Kind: governance.KindBuilding, NameZH: "楼栋", NameEN: "building"},
	}}
}

// benchTree is a six-level tree built breadth-first, so that the records of any one subtree
// are spread across the whole tree's allocations. Every compound has 10 grids of 99
// buildings: a subtree of exactly 1,000 nodes.
type benchTree struct {
	reg      *governance.Registry
	size     int
	compound string // a compound in the middle of the tree
	building string // a building of that compound (depth 6)
	street   string // the compound's street
}

func buildBenchTree(tb testing.TB, streets, communities, compounds int) benchTree {
	tb.Helper()
	store := memory.NewGovernanceStore()
	reg, err := governance.NewRegistry(store, governance.WithScheme(sixLevels()))
	require.NoError(tb, err)
	size := 0
	add := func(id, parent, level string) {
		_, err := store.CreateNode(ctx, governance.Node{ID: id, ParentID: parent, Level: level, Name: id, CreatedAt: start, UpdatedAt: start},
			governance.NodeChange{NodeID: id, Version: 1, Kind: governance.ChangeCreated, At: start})
		if err != nil {
			tb.Fatal(err)
		}
		size++
	}
	add("d", "", "district")
	level := []string{"d"}
	for _, step := range []struct {
		key string
		fan int
	}{{"street", streets}, {"community", communities}, {"compound", compounds}, {"grid", 10}, {"building", 99}} {
		var next []string
		for _, parent := range level {
			for i := 0; i < step.fan; i++ {
				id := fmt.Sprintf("%s.%d", parent, i)
				add(id, parent, step.key)
				next = append(next, id)
			}
		}
		level = next
	}
	t := benchTree{reg: reg, size: size}
	t.street = fmt.Sprintf("d.%d", streets/2)
	t.compound = fmt.Sprintf("%s.%d.%d", t.street, communities/2, compounds/2)
	t.building = t.compound + ".5.50"
	return t
}

func benchDescendants(b *testing.B, streets, communities, compounds int) {
	tree := buildBenchTree(b, streets, communities, compounds)
	b.ReportMetric(float64(tree.size), "tree-nodes")
	runtime.GC() // finish collecting the build garbage before timing
	b.ResetTimer()
	for b.Loop() {
		nodes, err := tree.reg.Descendants(ctx, tree.compound)
		if err != nil || len(nodes) != 1000 {
			b.Fatalf("got %d nodes, %v", len(nodes), err)
		}
	}
}

// BenchmarkDescendants1kIn10k lists a 1,000-node subtree inside a 10,013-node tree.
func BenchmarkDescendants1kIn10k(b *testing.B) { benchDescendants(b, 1, 1, 10) }

// BenchmarkDescendants1kIn1M lists the same subtree inside a 1,001,111-node tree; the
// figure must stay within 1.5× of BenchmarkDescendants1kIn10k.
func BenchmarkDescendants1kIn1M(b *testing.B) { benchDescendants(b, 10, 10, 10) }

// BenchmarkIsInside6Level asks whether a building (depth 6) lies inside its district.
func BenchmarkIsInside6Level(b *testing.B) {
	tree := buildBenchTree(b, 2, 2, 2)
	b.ResetTimer()
	for b.Loop() {
		ok, err := tree.reg.IsInside(ctx, tree.building, "d")
		if err != nil || !ok {
			b.Fatal(ok, err)
		}
	}
}

// BenchmarkAuthorize6Level checks a street secretary's permission at a building five
// levels below, the check every command makes.
func BenchmarkAuthorize6Level(b *testing.B) {
	tree := buildBenchTree(b, 2, 2, 2)
	admin := gridgov.SystemActor("bench")
	org, err := tree.reg.AddOrganisation(ctx, admin, governance.OrganisationInput{NodeID: tree.street, Kind: governance.OrgPartyWorkingCommittee, Name: "党工委"})
	require.NoError(b, err)
	p, err := tree.reg.AddPerson(ctx, admin, governance.PersonInput{Name: "书记", HomeNodeID: tree.street})
	require.NoError(b, err)
	_, err = tree.reg.Appoint(ctx, admin, governance.AppointInput{PersonID: p.ID, OrgID: org.ID, Role: governance.RoleSecretary, Since: start})
	require.NoError(b, err)
	actor := gridgov.PersonActor(p.ID)
	b.ResetTimer()
	for b.Loop() {
		if err := tree.reg.Authorize(ctx, actor, tree.building, governance.PermHandleComplaints); err != nil {
			b.Fatal(err)
		}
	}
}
