package storetest

import (
	"errors"
	"fmt"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gridgov/gridgov"
	"github.com/gridgov/gridgov/escalation"
)

// escWriters is how many goroutines race in the escalation concurrency tests.
const escWriters = 4

// requireOneWinner checks that exactly one call succeeded and every other one failed with
// want, and returns the winner's index.
func (f escFx) requireOneWinner(errs []error, want error, msgAndArgs ...any) int {
	f.t.Helper()
	return requireOneWinner(f.t, errs, want, msgAndArgs...)
}

// requireOneWinner checks that exactly one call succeeded and every other one failed with
// want, and returns the winner's index.
func requireOneWinner(t *testing.T, errs []error, want error, msgAndArgs ...any) int {
	t.Helper()
	winner := -1
	for i, err := range errs {
		if err == nil {
			require.Equal(t, -1, winner, "two writers both succeeded: %s", message(msgAndArgs))
			winner = i
			continue
		}
		require.ErrorIs(t, err, want, msgAndArgs...)
	}
	require.NotEqual(t, -1, winner, "no writer succeeded: %s", message(msgAndArgs))
	return winner
}

// Writers holding the same version of one complaint: exactly one wins, the others get
// ErrConflict, and only the winner's write and event are stored.
func testEscConcurrentSameVersion(f escFx) {
	t := f.t
	for i := range iterations {
		id := fmt.Sprintf("c-%02d", i)
		base := f.create(escComplaint(id, "st-1"))
		writers := make([]func() error, escWriters)
		for w := range writers {
			writers[w] = func() error {
				c := base.Clone()
				c.State, c.Description, c.DueAt = escalation.StateAccepted, fmt.Sprintf("writer %d", w), day(w+1)
				_, err := f.st.UpdateComplaint(f.ctx, c, escEvent(escalation.EventAccept, escalation.StateSubmitted,
					escalation.StateAccepted, day(1), fmt.Sprintf("writer %d", w)))
				return err
			}
		}
		w := f.requireOneWinner(race(writers...), gridgov.ErrConflict, "iteration %d", i)
		got := f.get(id)
		assert.EqualValues(t, 2, got.Version)
		assert.Equal(t, fmt.Sprintf("writer %d", w), got.Description, "the winner's write is the one stored")
		assert.Equal(t, day(w+1).UTC(), got.DueAt.UTC())
		hist := f.history(id)
		require.Len(t, hist, 2, "the losers appended no history")
		assert.Equal(t, fmt.Sprintf("writer %d", w), hist[1].Note)
	}
	assert.Len(t, f.events(), 2*iterations)
	due := f.dueIDs(day(1000), 0)
	assert.Len(t, due, iterations, "one deadline entry per complaint")
}

// Goroutines that each read, modify and update one complaint, retrying on ErrConflict,
// lose no update: the final version, the counter they increment and the history all count
// every accepted write once.
func testEscConcurrentRetry(f escFx) {
	t := f.t
	f.create(escComplaint("hot", "st-1"))
	const each = 15
	writers := make([]func() error, escWriters)
	for w := range writers {
		writers[w] = func() error {
			for done := 0; done < each; {
				c, err := f.st.GetComplaint(f.ctx, "hot")
				if err != nil {
					return err
				}
				c.Escalations++
				c.DueAt = day(c.Escalations % 7)
				_, err = f.st.UpdateComplaint(f.ctx, c, escEvent(escalation.EventEscalate, c.State, c.State, day(1),
					fmt.Sprintf("writer %d", w)))
				switch {
				case errors.Is(err, gridgov.ErrConflict):
					continue // someone else got there first: read again
				case err != nil:
					return err
				}
				done++
			}
			return nil
		}
	}
	for _, err := range race(writers...) {
		require.NoError(t, err)
	}
	got := f.get("hot")
	const total = escWriters * each
	assert.Equal(t, total, got.Escalations, "no lost update")
	assert.EqualValues(t, total, got.Version-1, "one version per accepted update")
	hist := f.history("hot")
	require.Len(t, hist, total+1)
	for i, ev := range hist {
		assert.EqualValues(t, i+1, ev.Version)
	}
	assert.Equal(t, []string{"hot"}, f.dueIDs(day(1000), 0))
}

// While writers create and update complaints (some updates refused as stale), a reader
// that follows the feed with after = the last Seq it saw sees every event exactly once, in
// Seq order without gaps, and as many as there were accepted writes.
func testEscConcurrentFeed(f escFx) {
	t := f.t
	const complaintsEach, updatesEach = 5, 12
	f.create(escComplaint("shared", "st-1"))
	var accepted atomic.Int64
	accepted.Add(1)

	var (
		done     atomic.Bool
		seen     []escalation.Event
		problems []string
		mu       sync.Mutex
	)
	report := func(format string, args ...any) {
		mu.Lock()
		defer mu.Unlock()
		if len(problems) < 10 {
			problems = append(problems, fmt.Sprintf(format, args...))
		}
	}
	readerDone := make(chan struct{})
	go func() {
		defer close(readerDone)
		var last int64
		for {
			finished := done.Load() // read before the call: if it is empty after this, all is seen
			evs, err := f.st.Events(f.ctx, last, 5)
			if err != nil {
				report("Events(%d): %v", last, err)
				return
			}
			for _, ev := range evs {
				if ev.Seq != last+1 {
					report("after Seq %d came Seq %d", last, ev.Seq)
				}
				last = ev.Seq
				seen = append(seen, ev)
			}
			if len(evs) == 0 {
				if finished {
					return
				}
				runtime.Gosched()
			}
		}
	}()

	writers := make([]func() error, escWriters)
	for w := range writers {
		writers[w] = func() error {
			var mine []string
			for k := range complaintsEach {
				id := fmt.Sprintf("w%d-%d", w, k)
				if _, _, err := f.st.CreateComplaint(f.ctx, escComplaint(id, "st-1"), "", escSubmitted()); err != nil {
					return err
				}
				accepted.Add(1)
				mine = append(mine, id)
			}
			for u := range updatesEach {
				for _, id := range []string{mine[u%len(mine)], "shared"} {
					c, err := f.st.GetComplaint(f.ctx, id)
					if err != nil {
						return err
					}
					c.Reworks++
					_, err = f.st.UpdateComplaint(f.ctx, c, escEvent(escalation.EventSendBack, c.State, c.State, day(u), ""))
					switch {
					case err == nil:
						accepted.Add(1)
					case !errors.Is(err, gridgov.ErrConflict):
						return err
					}
				}
			}
			return nil
		}
	}
	errs := race(writers...)
	done.Store(true)
	<-readerDone
	for _, err := range errs {
		require.NoError(t, err)
	}
	require.Empty(t, problems)

	require.Len(t, seen, int(accepted.Load()), "one event per accepted write")
	versions := map[string]int64{}
	for i, ev := range seen {
		require.EqualValues(t, i+1, ev.Seq)
		require.Equal(t, versions[ev.ComplaintID]+1, ev.Version, "%s's events in version order, once each", ev.ComplaintID)
		versions[ev.ComplaintID] = ev.Version
	}
	for id, v := range versions {
		assert.Equal(t, v, f.get(id).Version, "%s: the feed holds every version", id)
	}
	assert.Len(t, versions, 1+escWriters*complaintsEach)
}

// Concurrent creations with one idempotency key: exactly one creates, every call returns
// the same complaint without error, and one event is appended.
func testEscConcurrentIdempotentCreate(f escFx) {
	t := f.t
	for i := range iterations {
		key := fmt.Sprintf("key-%02d", i)
		results := make([]escalation.Complaint, escWriters)
		created := make([]bool, escWriters)
		writers := make([]func() error, escWriters)
		for w := range writers {
			writers[w] = func() error {
				var err error
				results[w], created[w], err = f.st.CreateComplaint(f.ctx, escComplaint(fmt.Sprintf("c-%02d-%d", i, w), "st-1"), key, escSubmitted())
				return err
			}
		}
		for _, err := range race(writers...) {
			require.NoError(t, err, "iteration %d", i)
		}
		winner := -1
		for w, c := range created {
			if c {
				require.Equal(t, -1, winner, "iteration %d: two calls created", i)
				winner = w
			}
		}
		require.NotEqual(t, -1, winner, "iteration %d: no call created", i)
		wantID := fmt.Sprintf("c-%02d-%d", i, winner)
		for w, c := range results {
			assert.Equal(t, wantID, c.ID, "iteration %d, call %d returns the created complaint", i, w)
			if w != winner {
				_, err := f.st.GetComplaint(f.ctx, fmt.Sprintf("c-%02d-%d", i, w))
				require.ErrorIs(t, err, gridgov.ErrNotFound)
			}
		}
	}
	assert.Len(t, f.events(), iterations)
}

// Concurrent creations of one ID without a key: exactly one succeeds, the others get
// ErrAlreadyExists.
func testEscConcurrentCreateSameID(f escFx) {
	t := f.t
	for i := range iterations {
		id := fmt.Sprintf("c-%02d", i)
		writers := make([]func() error, escWriters)
		for w := range writers {
			writers[w] = func() error {
				c := escComplaint(id, "st-1")
				c.Description = fmt.Sprintf("writer %d", w)
				_, _, err := f.st.CreateComplaint(f.ctx, c, "", escSubmitted())
				return err
			}
		}
		w := f.requireOneWinner(race(writers...), gridgov.ErrAlreadyExists, "iteration %d", i)
		assert.Equal(t, fmt.Sprintf("writer %d", w), f.get(id).Description)
	}
	assert.Len(t, f.events(), iterations)
}
