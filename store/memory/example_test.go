package memory_test

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/gridgov/gridgov"
	"github.com/gridgov/gridgov/governance"
	"github.com/gridgov/gridgov/store/memory"
)

// Create a street and a community under it, then read the community back with its place
// in the tree and its history.
func ExampleGovernanceStore() {
	ctx := context.Background()
	st := memory.NewGovernanceStore()
	at := time.Date(2024, time.March, 1, 9, 0, 0, 0, time.UTC)
	created := governance.NodeChange{Kind: governance.ChangeCreated, Actor: "system:example", At: at}

	if _, err := st.CreateNode(ctx, governance.Node{ID: "st-1", Level: "street", Name: "象山街道", CreatedAt: at}, created); err != nil {
		fmt.Println(err)
		return
	}
	if _, err := st.CreateNode(ctx, governance.Node{
		ID: "cm-1", ParentID: "st-1", Level: "community", Name: "幸福里社区",
		Labels: map[string]string{"pilot": "true"}, CreatedAt: at,
	}, created); err != nil {
		fmt.Println(err)
		return
	}

	n, err := st.GetNode(ctx, "cm-1")
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("%s %s (%s) version %d, pilot=%s\n", n.ID, n.Name, n.Level, n.Version, n.Labels["pilot"])

	ancestors, _ := st.Ancestors(ctx, "cm-1")
	for _, a := range ancestors {
		fmt.Println("under", a.ID, a.Name)
	}
	history, _ := st.NodeHistory(ctx, "cm-1")
	for _, h := range history {
		fmt.Println("history:", h.Version, h.Kind, h.At.Format(time.DateOnly))
	}
	// Output:
	// cm-1 幸福里社区 (community) version 1, pilot=true
	// under st-1 象山街道
	// history: 1 created 2024-03-01
}

// Moving a node carries its subtree; a move into the node's own subtree would close a cycle
// and is refused with gridgov.ErrInvalid, leaving the tree as it was.
func ExampleGovernanceStore_UpdateNode() {
	ctx := context.Background()
	st := memory.NewGovernanceStore()
	at := time.Date(2024, time.March, 1, 9, 0, 0, 0, time.UTC)
	for _, n := range []governance.Node{
		{ID: "st-1", Level: "street", Name: "象山街道"},
		{ID: "cm-1", ParentID: "st-1", Level: "community", Name: "幸福里社区"},
		{ID: "cm-2", ParentID: "st-1", Level: "community", Name: "和平社区"},
		{ID: "gd-1", ParentID: "cm-1", Level: "grid", Name: "第一网格"},
	} {
		n.CreatedAt = at
		if _, err := st.CreateNode(ctx, n, governance.NodeChange{Kind: governance.ChangeCreated, At: at}); err != nil {
			fmt.Println(err)
			return
		}
	}

	// Re-districting (区划调整): the grid moves to the other community.
	grid, _ := st.GetNode(ctx, "gd-1")
	grid.ParentID = "cm-2"
	moved, err := st.UpdateNode(ctx, grid, governance.NodeChange{
		Kind: governance.ChangeMoved, At: at.AddDate(0, 1, 0), From: "cm-1", To: "cm-2",
	})
	fmt.Println(moved.ID, "now under", moved.ParentID, "version", moved.Version, err)

	// The street cannot move under its own grid.
	street, _ := st.GetNode(ctx, "st-1")
	street.ParentID = "gd-1"
	_, err = st.UpdateNode(ctx, street, governance.NodeChange{Kind: governance.ChangeMoved, At: at})
	fmt.Println("cycle refused:", errors.Is(err, gridgov.ErrInvalid))

	below, _ := st.Descendants(ctx, "st-1")
	for _, n := range below {
		fmt.Println(n.ID, n.Name)
	}
	// Output:
	// gd-1 now under cm-2 version 2 <nil>
	// cycle refused: true
	// cm-1 幸福里社区
	// cm-2 和平社区
	// gd-1 第一网格
}
