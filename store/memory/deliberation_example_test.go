package memory_test

import (
	"context"
	"fmt"
	"time"

	"github.com/gridgov/gridgov"
	"github.com/gridgov/gridgov/governance/deliberation"
	"github.com/gridgov/gridgov/store/memory"
)

// The deliberation store keeps items with their histories; an event that carries a
// disclosure (a public notice, a disclosure on request) also enters the disclosure log, in
// the same atomic step. A retried creation with the same key returns the first item.
func ExampleDeliberationStore() {
	ctx := context.Background()
	st := memory.NewDeliberationStore()
	at := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	actor := gridgov.SystemActor("example")

	it := deliberation.Item{ID: "item-1", NodeID: "b3", Path: []string{"st", "c1", "k1", "b3"},
		Title: "单元门更换", State: deliberation.StateRaised}
	it, created, _ := st.CreateItem(ctx, it, "complaint:cp-1", deliberation.Event{Kind: deliberation.EventRaise,
		To: deliberation.StateRaised, Actor: actor, At: at})
	fmt.Println(it.ID, it.Version, created)
	again, created, _ := st.CreateItem(ctx, deliberation.Item{ID: "item-2"}, "complaint:cp-1", deliberation.Event{})
	fmt.Println(again.ID, created)

	it.State = deliberation.StatePublicised
	ev := deliberation.Event{Kind: deliberation.EventPublicise, From: deliberation.StateDecided,
		To: deliberation.StatePublicised, Actor: actor, At: at.Add(time.Hour),
		Disclosure: &deliberation.Disclosure{Kind: deliberation.DisclosureProactive, Subject: deliberation.SubjectDecision,
			Channel: deliberation.ChannelNoticeBoard, Date: at.Add(time.Hour), Summary: "采用居民自筹方案"}}
	it, _ = st.UpdateItem(ctx, it, ev)
	fmt.Println(it.Version, it.State)

	_, err := st.UpdateItem(ctx, deliberation.Item{ID: "item-1", Version: 1}, deliberation.Event{})
	fmt.Println(err != nil)

	ds, _ := st.Disclosures(ctx, deliberation.DisclosureQuery{Within: "k1"})
	for _, d := range ds {
		fmt.Println(d.ItemID, d.Version, d.Kind, d.Subject)
	}
	// Output:
	// item-1 1 true
	// item-1 false
	// 2 publicised
	// true
	// item-1 2 proactive decision
}
