package storetest

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gridgov/gridgov"
	"github.com/gridgov/gridgov/escalation"
)

// Writers racing on one version: exactly one wins, the others get ErrConflict.
func testComplaintConcurrentSameVersion(f efx) {
	c := f.create(newComplaint("c1", 0))
	const n = 16
	var wins, conflicts atomic.Int32
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			cp := c.Clone()
			cp.Description = fmt.Sprintf("writer %d", i)
			_, err := f.st.UpdateComplaint(f.ctx, cp, escalation.Event{Kind: "race", Note: cp.Description})
			switch {
			case err == nil:
				wins.Add(1)
			case errors.Is(err, gridgov.ErrConflict):
				conflicts.Add(1)
			default:
				assert.NoError(f.t, err)
			}
		}()
	}
	wg.Wait()
	assert.Equal(f.t, int32(1), wins.Load())
	assert.Equal(f.t, int32(n-1), conflicts.Load())
	h, err := f.st.History(f.ctx, "c1")
	require.NoError(f.t, err)
	assert.Len(f.t, h, 2)
}

// Read-modify-write loops on one complaint: every accepted write is one event, and the
// version counts them.
func testComplaintConcurrentRetries(f efx) {
	f.create(newComplaint("c1", 0))
	const writers, each = 8, 10
	var accepted atomic.Int64
	var wg sync.WaitGroup
	for range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for done := 0; done < each; {
				c, err := f.st.GetComplaint(f.ctx, "c1")
				if !assert.NoError(f.t, err) {
					return
				}
				c.Escalations++
				_, err = f.st.UpdateComplaint(f.ctx, c, escalation.Event{Kind: escalation.EventEscalate})
				if errors.Is(err, gridgov.ErrConflict) {
					continue
				}
				if !assert.NoError(f.t, err) {
					return
				}
				accepted.Add(1)
				done++
			}
		}()
	}
	wg.Wait()
	c, err := f.st.GetComplaint(f.ctx, "c1")
	require.NoError(f.t, err)
	h, err := f.st.History(f.ctx, "c1")
	require.NoError(f.t, err)
	assert.Equal(f.t, int64(writers*each), accepted.Load())
	assert.Equal(f.t, writers*each, c.Escalations, "no lost update")
	assert.Equal(f.t, accepted.Load(), c.Version-1)
	assert.Equal(f.t, int(c.Version), len(h), "history length equals accepted writes")
}

// A reader following the feed while writers write sees every event once, in order, with
// no gaps.
func testComplaintConcurrentFeed(f efx) {
	const complaints, steps = 6, 15
	for i := range complaints {
		f.create(newComplaint(fmt.Sprintf("c%d", i), 0))
	}
	ctx, cancel := context.WithCancel(f.ctx)
	defer cancel()
	var seen []escalation.Event
	readerDone := make(chan struct{})
	go func() {
		defer close(readerDone)
		last := int64(0)
		for {
			evs, err := f.st.Events(f.ctx, last, 7)
			if !assert.NoError(f.t, err) {
				return
			}
			seen = append(seen, evs...)
			if len(evs) > 0 {
				last = evs[len(evs)-1].Seq
			} else if ctx.Err() != nil {
				return
			}
		}
	}()
	var wg sync.WaitGroup
	for i := range complaints {
		wg.Add(1)
		go func() {
			defer wg.Done()
			id := fmt.Sprintf("c%d", i)
			for range steps {
				for {
					c, err := f.st.GetComplaint(f.ctx, id)
					if !assert.NoError(f.t, err) {
						return
					}
					c.Reworks++
					if _, err = f.st.UpdateComplaint(f.ctx, c, escalation.Event{Kind: escalation.EventSendBack}); err == nil {
						break
					}
					if !assert.ErrorIs(f.t, err, gridgov.ErrConflict) {
						return
					}
				}
			}
		}()
	}
	wg.Wait()
	cancel()
	<-readerDone
	// The reader stopped after an empty read following the writers' end: drain the rest.
	last := int64(0)
	if len(seen) > 0 {
		last = seen[len(seen)-1].Seq
	}
	rest, err := f.st.Events(f.ctx, last, 0)
	require.NoError(f.t, err)
	seen = append(seen, rest...)
	require.Len(f.t, seen, complaints*(steps+1), "every event, once")
	for i, ev := range seen {
		require.Equal(f.t, int64(i+1), ev.Seq, "in order, without gaps")
	}
}

// Concurrent submissions with one idempotency key create one complaint.
func testComplaintConcurrentIdempotentCreate(f efx) {
	const n = 12
	got := make([]string, n)
	var created atomic.Int32
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			id := fmt.Sprintf("c%d", i)
			c, ok, err := f.st.CreateComplaint(f.ctx, newComplaint(id, 0), "same-key", submitEvent(id))
			if !assert.NoError(f.t, err) {
				return
			}
			if ok {
				created.Add(1)
			}
			got[i] = c.ID
		}()
	}
	wg.Wait()
	assert.Equal(f.t, int32(1), created.Load())
	for _, id := range got {
		assert.Equal(f.t, got[0], id, "every retry returns the same complaint")
	}
	all, _, err := f.st.ListComplaints(f.ctx, escalation.Query{})
	require.NoError(f.t, err)
	assert.Len(f.t, all, 1)
}

func testComplaintCancelledContext(f efx) {
	c := f.create(newComplaint("c1", 0))
	ctx, cancel := context.WithCancel(f.ctx)
	cancel()
	_, _, err := f.st.CreateComplaint(ctx, newComplaint("c2", 0), "", submitEvent("c2"))
	require.ErrorIs(f.t, err, context.Canceled)
	c.State = escalation.StateAccepted
	_, err = f.st.UpdateComplaint(ctx, c, escalation.Event{Kind: escalation.EventAccept})
	require.ErrorIs(f.t, err, context.Canceled)
	_, err = f.st.GetComplaint(ctx, "c1")
	require.ErrorIs(f.t, err, context.Canceled)
	_, _, err = f.st.ListComplaints(ctx, escalation.Query{})
	require.ErrorIs(f.t, err, context.Canceled)
	_, err = f.st.ListDue(ctx, t0, 0)
	require.ErrorIs(f.t, err, context.Canceled)
	_, err = f.st.Events(ctx, 0, 0)
	require.ErrorIs(f.t, err, context.Canceled)
	_, err = f.st.History(ctx, "c1")
	require.ErrorIs(f.t, err, context.Canceled)
	got, err := f.st.GetComplaint(f.ctx, "c1")
	require.NoError(f.t, err)
	assert.Equal(f.t, escalation.StateSubmitted, got.State, "nothing changed")
	_, err = f.st.GetComplaint(f.ctx, "c2")
	require.ErrorIs(f.t, err, gridgov.ErrNotFound)
}
