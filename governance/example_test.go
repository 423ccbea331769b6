package governance_test

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/gridgov/gridgov"
	"github.com/gridgov/gridgov/governance"
	"github.com/gridgov/gridgov/store/memory"
)

// newExampleRegistry returns a registry on the in-memory store with a fixed clock and
// readable identifiers.
func newExampleRegistry(scheme governance.Scheme) *governance.Registry {
	clock := gridgov.NewFakeClock(time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC))
	reg, err := governance.NewRegistry(memory.NewGovernanceStore(),
		governance.WithScheme(scheme), governance.WithClock(clock), governance.WithIDs(gridgov.NewSequence("n")))
	if err != nil {
		panic(err)
	}
	return reg
}

// Build a small five-level tree, re-district a compound and read the result back.
func ExampleRegistry() {
	ctx := context.Background()
	reg := newExampleRegistry(governance.FiveLevelChain())
	admin := gridgov.SystemActor("importer")

	add := func(id, parent, level, name string) {
		if _, err := reg.AddNode(ctx, admin, governance.NodeInput{ID: id, ParentID: parent, Level: level, Name: name}); err != nil {
			panic(err)
		}
	}
	add("st", "", "street", "广惠路街道")
	add("c1", "st", "community", "清泰社区")
	add("c2", "st", "community", "斗篷山社区")
	add("k1", "c1", "compound", "幸福里小区")
	add("g1", "k1", "grid", "一网格")

	// Re-districting: the compound moves to the other community with its grid.
	if _, err := reg.MoveNode(ctx, admin, governance.MoveInput{ID: "k1", NewParentID: "c2", Note: "区划调整"}); err != nil {
		panic(err)
	}
	path, _ := reg.PathName(ctx, "g1", " / ")
	fmt.Println(path)
	history, _ := reg.History(ctx, "k1")
	last := history[len(history)-1]
	fmt.Println(last.Kind, last.From, "→", last.To, last.Note)

	// A level that does not fit is refused, in English and Chinese.
	_, err := reg.AddNode(ctx, admin, governance.NodeInput{ParentID: "c1", Level: "grid", Name: "二网格"})
	var verr *gridgov.ValidationError
	if errors.As(err, &verr) {
		fmt.Println(errors.Is(err, gridgov.ErrInvalid), verr.Fields[0].Field)
		fmt.Println(verr.Fields[0].EN)
		fmt.Println(verr.Fields[0].ZH)
	}
	// Output:
	// 广惠路街道 / 斗篷山社区 / 幸福里小区 / 一网格
	// moved c1 → c2 区划调整
	// true Level
	// level "grid" does not fit under a "community" node: a child must sit exactly one level below its parent
	// 层级“grid”不能设在“community”层级节点之下：下级节点必须正好低一级
}

// Check who may do what: a position covers its node and everything below it.
func ExampleRegistry_Authorize() {
	ctx := context.Background()
	reg := newExampleRegistry(governance.FourLevelLadder())
	admin := gridgov.SystemActor("importer")
	for _, n := range []governance.NodeInput{
		{ID: "st", Level: "street", Name: "北园街道"},
		{ID: "c1", ParentID: "st", Level: "community", Name: "东苑社区"},
		{ID: "c2", ParentID: "st", Level: "community", Name: "西苑社区"},
		{ID: "g1", ParentID: "c1", Level: "grid", Name: "一网格"},
	} {
		if _, err := reg.AddNode(ctx, admin, n); err != nil {
			panic(err)
		}
	}
	rc, _ := reg.AddOrganisation(ctx, admin, governance.OrganisationInput{NodeID: "c1", Kind: governance.OrgResidentsCommittee, Name: "东苑社区居委会"})
	chair, _ := reg.AddPerson(ctx, admin, governance.PersonInput{Name: "刘主任", HomeNodeID: "c1"})
	if _, err := reg.Appoint(ctx, admin, governance.AppointInput{PersonID: chair.ID, OrgID: rc.ID, Role: governance.RoleChair}); err != nil {
		panic(err)
	}
	actor := gridgov.PersonActor(chair.ID)
	for _, node := range []string{"c1", "g1", "c2"} {
		err := reg.Authorize(ctx, actor, node, governance.PermHandleComplaints)
		fmt.Printf("handle complaints at %s: %v\n", node, err == nil)
	}
	err := reg.Authorize(ctx, actor, "g1", governance.PermManageTree)
	fmt.Println(errors.Is(err, gridgov.ErrForbidden))
	// Output:
	// handle complaints at c1: true
	// handle complaints at g1: true
	// handle complaints at c2: false
	// true
}

// A coverage report names the gaps: compounds without a committee, firms without Party
// coverage.
func ExampleRegistry_Coverage() {
	ctx := context.Background()
	reg := newExampleRegistry(governance.ThreeLevelXiangshan())
	admin := gridgov.SystemActor("importer")
	must := func(_ any, err error) {
		if err != nil {
			panic(err)
		}
	}
	must(reg.AddNode(ctx, admin, governance.NodeInput{ID: "c", Level: "community", Name: "相山社区"}))
	must(reg.AddNode(ctx, admin, governance.NodeInput{ID: "k1", ParentID: "c", Level: "compound", Name: "桓谭小区"}))
	must(reg.AddNode(ctx, admin, governance.NodeInput{ID: "k2", ParentID: "c", Level: "compound", Name: "南黎小区"}))
	must(reg.AddNode(ctx, admin, governance.NodeInput{ID: "k3", ParentID: "c", Level: "compound", Name: "古城小区"}))

	oc, _ := reg.AddOrganisation(ctx, admin, governance.OrganisationInput{NodeID: "k1", Kind: governance.OrgOwnersCommittee, Name: "桓谭业委会"})
	chair, _ := reg.AddPerson(ctx, admin, governance.PersonInput{Name: "陈主任", Party: governance.PartyRetired, HomeNodeID: "k1"})
	must(reg.Appoint(ctx, admin, governance.AppointInput{PersonID: chair.ID, OrgID: oc.ID, Role: governance.RoleChair}))
	must(reg.AddOrganisation(ctx, admin, governance.OrganisationInput{NodeID: "k2", Kind: governance.OrgManagementCommittee, Name: "南黎物管会"}))
	firm, _ := reg.AddOrganisation(ctx, admin, governance.OrganisationInput{NodeID: "c", Kind: governance.OrgPropertyFirm, Name: "红色物业", Serves: []string{"k1", "k2"}})
	must(reg.AddOrganisation(ctx, admin, governance.OrganisationInput{NodeID: "c", Kind: governance.OrgPartyBranch, Name: "红色物业党支部", HostID: firm.ID}))
	must(reg.AddOrganisation(ctx, admin, governance.OrganisationInput{NodeID: "c", Kind: governance.OrgPropertyFirm, Name: "古城物业", Serves: []string{"k3"}}))

	rep, err := reg.Coverage(ctx, "c")
	if err != nil {
		panic(err)
	}
	fmt.Printf("compounds %d: owners' committees %d (red %d), management committees %d, neither %v\n",
		rep.Compounds, rep.WithOwnersCommittee, rep.RedOwnersCommittees, rep.WithManagementCommittee, rep.WithNeither)
	fmt.Printf("firms %d: with branch %d, with instructor %d, neither %v\n",
		rep.Firms, rep.FirmsWithBranch, rep.FirmsWithInstructor, rep.FirmsWithNeither)
	// Output:
	// compounds 3: owners' committees 1 (red 1), management committees 1, neither [{k3 古城小区}]
	// firms 2: with branch 1, with instructor 0, neither [{n-000007 古城物业}]
}
