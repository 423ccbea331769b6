package storetest

import (
	"context"
	"errors"
	"fmt"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gridgov/gridgov"
	"github.com/gridgov/gridgov/governance/deliberation"
)

// delWriters is how many goroutines race in the deliberation concurrency tests.
const delWriters = 4

// Writers holding the same version of one item: exactly one wins, the others get
// ErrConflict, and only the winner's write, event and disclosure are stored.
func testDelConcurrentSameVersion(f delFx) {
	t := f.t
	for i := range iterations {
		id := fmt.Sprintf("i-%02d", i)
		base := f.create(delItem(id, "st-1"))
		writers := make([]func() error, delWriters)
		for w := range writers {
			writers[w] = func() error {
				it := base.Clone()
				it.State, it.Title = deliberation.StateFirstRound, fmt.Sprintf("writer %d", w)
				ev := delEvent(deliberation.EventStart, deliberation.StateRaised, deliberation.StateFirstRound, day(1), fmt.Sprintf("writer %d", w))
				ev.Disclosure = delDisclosure(deliberation.DisclosureProactive, day(w+1))
				_, err := f.st.UpdateItem(f.ctx, it, ev)
				return err
			}
		}
		errs := race(writers...)
		winner := -1
		for w, err := range errs {
			if err == nil {
				require.Equal(t, -1, winner, "iteration %d: two writers with one version both succeeded", i)
				winner = w
				continue
			}
			require.ErrorIs(t, err, gridgov.ErrConflict, "iteration %d", i)
		}
		require.NotEqual(t, -1, winner, "iteration %d: no writer succeeded", i)
		got := f.get(id)
		assert.EqualValues(t, 2, got.Version)
		assert.Equal(t, fmt.Sprintf("writer %d", winner), got.Title, "the winner's write is the one stored")
		h := f.history(id)
		require.Len(t, h, 2, "the losers appended no history")
		assert.Equal(t, fmt.Sprintf("writer %d", winner), h[1].Note)
		ds := f.disclosures(deliberation.DisclosureQuery{ItemID: id})
		require.Len(t, ds, 1, "the losers logged no disclosure")
		assert.True(t, ds[0].Date.Equal(day(winner+1)))
	}
}

// Goroutines that each read, modify and update one item, retrying on ErrConflict, lose no
// update: the final version and the history count every accepted write once.
func testDelConcurrentRetry(f delFx) {
	t := f.t
	f.create(delItem("hot", "st-1"))
	const each = 15
	writers := make([]func() error, delWriters)
	for w := range writers {
		writers[w] = func() error {
			for done := 0; done < each; {
				it, err := f.st.GetItem(f.ctx, "hot")
				if err != nil {
					return err
				}
				it.Vote.Ballots = append(it.Vote.Ballots, deliberation.Ballot{HouseholdID: fmt.Sprintf("w%d-%d", w, done), Choice: "A"})
				_, err = f.st.UpdateItem(f.ctx, it, delEvent(deliberation.EventBallot, it.State, it.State, day(1), fmt.Sprintf("writer %d", w)))
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
	const total = delWriters * each
	assert.Len(t, got.Vote.Ballots, total+1, "no lost update (the fixture has one ballot)")
	assert.EqualValues(t, total+1, got.Version)
	h := f.history("hot")
	require.Len(t, h, total+1)
	for i, ev := range h {
		assert.EqualValues(t, i+1, ev.Version)
	}
}

// Creations racing with one key: exactly one creates, every caller gets the same item.
func testDelConcurrentIdempotentCreate(f delFx) {
	t := f.t
	for i := range iterations {
		key := fmt.Sprintf("complaint:c-%d", i)
		ids := make([]string, delWriters)
		created := make([]bool, delWriters)
		writers := make([]func() error, delWriters)
		for w := range writers {
			writers[w] = func() error {
				it, c, err := f.st.CreateItem(f.ctx, delItem(fmt.Sprintf("i-%d-%d", i, w), "st-1"), key, delRaised())
				ids[w], created[w] = it.ID, c
				return err
			}
		}
		for _, err := range race(writers...) {
			require.NoError(t, err)
		}
		n := 0
		for w := range delWriters {
			if created[w] {
				n++
			}
			assert.Equal(t, ids[0], ids[w], "iteration %d: every caller gets the same item", i)
		}
		assert.Equal(t, 1, n, "iteration %d: exactly one creates", i)
		assert.Len(t, f.history(ids[0]), 1)
	}
	assert.Len(t, f.list(deliberation.Query{}), iterations)
}

// Every deliberation method returns the context's error (possibly wrapped) for a cancelled
// context, and no write changes anything.
func testDelCancelledContext(f delFx) {
	t := f.t
	ev := delRaised()
	ev.Disclosure = delDisclosure(deliberation.DisclosureProactive, day(1))
	stored, _, err := f.st.CreateItem(f.ctx, delFilled("i-1", 1), "key-1", ev)
	require.NoError(t, err)
	before := f.snapshot()

	ctx, cancel := context.WithCancel(f.ctx)
	cancel()
	upd := stored.Clone()
	upd.State = deliberation.StateClosed
	calls := map[string]func() error{
		"CreateItem": func() error {
			_, _, err := f.st.CreateItem(ctx, delItem("i-2", "st-1"), "key-2", delRaised())
			return err
		},
		"CreateItem retry": func() error {
			_, _, err := f.st.CreateItem(ctx, delItem("i-3", "st-1"), "key-1", delRaised())
			return err
		},
		"UpdateItem": func() error {
			_, err := f.st.UpdateItem(ctx, upd, delEvent(deliberation.EventClose, upd.State, deliberation.StateClosed, day(2), ""))
			return err
		},
		"GetItem":     func() error { _, err := f.st.GetItem(ctx, "i-1"); return err },
		"History":     func() error { _, err := f.st.History(ctx, "i-1"); return err },
		"ListItems":   func() error { _, _, err := f.st.ListItems(ctx, deliberation.Query{}); return err },
		"Disclosures": func() error { _, err := f.st.Disclosures(ctx, deliberation.DisclosureQuery{}); return err },
	}
	for name, call := range calls {
		assert.ErrorIs(t, call(), context.Canceled, name)
	}
	f.requireUnchanged(before, "cancelled calls change nothing")
	_, created, err := f.st.CreateItem(f.ctx, delItem("i-4", "st-1"), "key-2", delRaised())
	require.NoError(t, err)
	assert.True(t, created, "key-2 was not taken")
}
