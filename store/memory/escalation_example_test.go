package memory_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/gridgov/gridgov"
	"github.com/gridgov/gridgov/escalation"
	"github.com/gridgov/gridgov/store/memory"
)

// File two complaints from hotline calls, accept one under the version check, then ask what
// is due, what is pending in the community, and what the event feed holds.
func ExampleEscalationStore() {
	ctx := context.Background()
	st := memory.NewEscalationStore()
	at := time.Date(2024, time.March, 1, 9, 0, 0, 0, time.UTC)
	hotline := gridgov.SystemActor("hotline")
	submit := escalation.Event{Kind: escalation.EventSubmit, To: escalation.StateSubmitted, Actor: hotline, At: at}

	for i, text := range []string{"楼道灯坏了", "电梯停运"} {
		c := escalation.Complaint{
			ID: fmt.Sprintf("c-%d", i+1), Channel: escalation.ChannelHotline, Category: "property",
			Description: text, NodeID: "gd-1", Path: []string{"st-1", "cm-1", "gd-1"},
			State: escalation.StateSubmitted, SubmittedAt: at, DueAt: at.Add(time.Duration(i+1) * time.Hour),
		}
		if _, _, err := st.CreateComplaint(ctx, c, fmt.Sprintf("call-%d", i+1), submit); err != nil {
			fmt.Println(err)
			return
		}
	}

	// The hotline system retries its first call: the first complaint comes back.
	c, created, err := st.CreateComplaint(ctx, escalation.Complaint{ID: "c-9"}, "call-1", submit)
	fmt.Println("retry returns", c.ID, "created:", created, err)

	// Accept c-2 (受理); a second write holding the same version is refused.
	c2, _ := st.GetComplaint(ctx, "c-2")
	c2.State, c2.AcceptedAt, c2.DueAt = escalation.StateAccepted, at.Add(30*time.Minute), time.Time{}
	accept := escalation.Event{Kind: escalation.EventAccept, From: escalation.StateSubmitted,
		To: escalation.StateAccepted, Actor: gridgov.PersonActor("gw-1"), At: c2.AcceptedAt}
	updated, err := st.UpdateComplaint(ctx, c2, accept)
	fmt.Println(updated.ID, updated.State, "version", updated.Version, err)
	_, err = st.UpdateComplaint(ctx, c2, accept)
	fmt.Println("stale write refused:", errors.Is(err, gridgov.ErrConflict))

	due, _ := st.ListDue(ctx, at.Add(2*time.Hour), 0)
	for _, c := range due {
		fmt.Println("due:", c.ID, c.DueAt.Format(time.Kitchen))
	}
	pending, _, _ := st.ListComplaints(ctx, escalation.Query{Within: "cm-1", States: []escalation.State{escalation.StateSubmitted}})
	for _, c := range pending {
		fmt.Println("awaiting acceptance in cm-1:", c.ID, c.Description)
	}
	events, _ := st.Events(ctx, 0, 0)
	for _, ev := range events {
		fmt.Println("event", ev.Seq, ev.ComplaintID, ev.Kind, "→ version", ev.Version)
	}
	// Output:
	// retry returns c-1 created: false <nil>
	// c-2 accepted version 2 <nil>
	// stale write refused: true
	// due: c-1 10:00AM
	// awaiting acceptance in cm-1: c-1 楼道灯坏了
	// event 1 c-1 submit → version 1
	// event 2 c-2 submit → version 1
	// event 3 c-2 accept → version 2
}

// A follower of the event feed resumes from the last Seq it saw and never misses an event,
// reading in pages of two.
func ExampleEscalationStore_Events() {
	ctx := context.Background()
	st := memory.NewEscalationStore()
	at := time.Date(2024, time.March, 1, 9, 0, 0, 0, time.UTC)
	for i := range 5 {
		c := escalation.Complaint{ID: fmt.Sprintf("c-%d", i+1), State: escalation.StateSubmitted, SubmittedAt: at}
		ev := escalation.Event{Kind: escalation.EventSubmit, To: escalation.StateSubmitted, At: at}
		if _, _, err := st.CreateComplaint(ctx, c, "", ev); err != nil {
			fmt.Println(err)
			return
		}
	}

	var last int64 // what the follower has processed, kept by the app
	for {
		page, err := st.Events(ctx, last, 2)
		if err != nil || len(page) == 0 {
			break
		}
		var line []string
		for _, ev := range page {
			line = append(line, fmt.Sprintf("%d:%s", ev.Seq, ev.ComplaintID))
			last = ev.Seq
		}
		fmt.Println(strings.Join(line, " "))
	}
	// Output:
	// 1:c-1 2:c-2
	// 3:c-3 4:c-4
	// 5:c-5
}
