package storetest

import (
	"context"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gridgov/gridgov"
	"github.com/gridgov/gridgov/escalation"
)

// Every escalation method returns the context's error (possibly wrapped) for a cancelled
// context, and no write changes anything.
func testEscCancelledContext(f escFx) {
	t := f.t
	c := escFullComplaint("c-1")
	stored, _, err := f.st.CreateComplaint(f.ctx, c, "key-1", escSubmitted())
	require.NoError(t, err)
	before := f.snapshot()

	ctx, cancel := context.WithCancel(f.ctx)
	cancel()
	upd := stored.Clone()
	upd.State, upd.DueAt = escalation.StateResolved, day(50)
	calls := map[string]func() error{
		"CreateComplaint": func() error {
			_, _, err := f.st.CreateComplaint(ctx, escComplaint("c-2", "st-1"), "key-2", escSubmitted())
			return err
		},
		"CreateComplaint retry": func() error {
			_, _, err := f.st.CreateComplaint(ctx, escComplaint("c-3", "st-1"), "key-1", escSubmitted())
			return err
		},
		"UpdateComplaint": func() error {
			_, err := f.st.UpdateComplaint(ctx, upd, escEvent(escalation.EventResolve, upd.State, escalation.StateResolved, day(2), ""))
			return err
		},
		"GetComplaint":   func() error { _, err := f.st.GetComplaint(ctx, "c-1"); return err },
		"History":        func() error { _, err := f.st.History(ctx, "c-1"); return err },
		"ListComplaints": func() error { _, _, err := f.st.ListComplaints(ctx, escalation.Query{}); return err },
		"ListDue":        func() error { _, err := f.st.ListDue(ctx, day(100), 0); return err },
		"Events":         func() error { _, err := f.st.Events(ctx, 0, 0); return err },
	}
	for name, call := range calls {
		assert.ErrorIs(t, call(), context.Canceled, name)
	}

	f.requireUnchanged(before, "cancelled calls change nothing")
	_, err = f.st.GetComplaint(f.ctx, "c-2")
	require.ErrorIs(t, err, gridgov.ErrNotFound)
	// key-2 was not taken.
	_, created, err := f.st.CreateComplaint(f.ctx, escComplaint("c-4", "st-1"), "key-2", escSubmitted())
	require.NoError(t, err)
	assert.True(t, created)
}
