package storetest

import (
	"fmt"
	"slices"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gridgov/gridgov"
	"github.com/gridgov/gridgov/governance/deliberation"
)

// CreateItem stores version 1 with its first event (ItemID and Version set by the store);
// GetItem returns what was stored.
func testDelCreateGet(f delFx) {
	t := f.t
	in := delItem("i-1", "st-1", "cm-1", "b-1")
	ev := delRaised()
	ev.ItemID, ev.Version = "wrong", 42
	got, created, err := f.st.CreateItem(f.ctx, in, "", ev)
	require.NoError(t, err)
	assert.True(t, created)
	want := in
	want.Version = 1
	f.requireItem(want, got, "CreateItem returns the stored item")
	f.requireItem(want, f.get("i-1"), "GetItem returns the stored item")
	h := f.history("i-1")
	require.Len(t, h, 1)
	ev.ItemID, ev.Version = "i-1", 1
	assert.Equal(t, normalised(ev), normalised(h[0]), "the store sets the event's ItemID and Version")
}

// Every field of an item, found by reflection, and of an event with a disclosure, reads back
// as written: times as the same instants, decimals as the same numbers.
func testDelEveryField(f delFx) {
	t := f.t
	in := delFilled("i-full", 1)
	ev := delRaised()
	ev.Disclosure = delDisclosure(deliberation.DisclosureOnRequest, day(1))
	got, _, err := f.st.CreateItem(f.ctx, in, "", ev)
	require.NoError(t, err)
	want := in
	want.Version = 1
	f.requireItem(want, got)
	f.requireItem(want, f.get("i-full"))

	// An update replaces every field but NodeID, Path and CreatedAt.
	next := delFilled("i-full", 2)
	next.Version = 1
	upd := delEvent(deliberation.EventDisclose, "v1", "v1", day(2), "every field")
	upd.Disclosure = delDisclosure(deliberation.DisclosureProactive, day(2))
	got, err = f.st.UpdateItem(f.ctx, next, upd)
	require.NoError(t, err)
	want = next
	want.Version, want.NodeID, want.Path, want.CreatedAt = 2, in.NodeID, in.Path, in.CreatedAt
	f.requireItem(want, got)
	f.requireItem(want, f.get("i-full"))
	h := f.history("i-full")
	require.Len(t, h, 2)
	upd.ItemID, upd.Version = "i-full", 2
	upd.Disclosure.ItemID, upd.Disclosure.Version = "i-full", 2
	assert.Equal(t, normalised(upd), normalised(h[1]))
	ds := f.disclosures(deliberation.DisclosureQuery{ItemID: "i-full"})
	require.Len(t, ds, 2)
	assert.Equal(t, normalised(*upd.Disclosure), normalised(ds[1]))
	assert.Equal(t, "孙女士", ds[0].Requester.Reveal(), "the store keeps personal data unmasked")
}

// Returned values share nothing with the store, and the store keeps no reference to what
// it was given.
func testDelCopies(f delFx) {
	t := f.t
	in := delFilled("i-1", 1)
	ev := delRaised()
	ev.Disclosure = delDisclosure(deliberation.DisclosureProactive, day(1))
	got, _, err := f.st.CreateItem(f.ctx, in, "key-1", ev)
	require.NoError(t, err)
	before := f.snapshot()

	scribble(&in)
	scribble(&ev)
	scribble(&got)
	f.requireUnchanged(before, "changing what was passed to or returned by CreateItem")

	again, _, err := f.st.CreateItem(f.ctx, delItem("other", "st-1"), "key-1", delRaised())
	require.NoError(t, err)
	scribble(&again)
	it := f.get("i-1")
	scribble(&it)
	h := f.history("i-1")
	scribble(&h[0])
	list := f.list(deliberation.Query{})
	scribble(&list[0])
	ds := f.disclosures(deliberation.DisclosureQuery{})
	scribble(&ds[0])
	f.requireUnchanged(before, "changing what the queries returned")

	upd := f.get("i-1")
	uev := delEvent(deliberation.EventDisclose, upd.State, upd.State, day(2), "copies")
	uev.Disclosure = delDisclosure(deliberation.DisclosureOnRequest, day(2))
	stored, err := f.st.UpdateItem(f.ctx, upd, uev)
	require.NoError(t, err)
	after := f.snapshot()
	scribble(&upd)
	scribble(&uev)
	scribble(&stored)
	f.requireUnchanged(after, "changing what was passed to or returned by UpdateItem")
}

// An empty ID is gridgov.ErrInvalid and stores nothing.
func testDelCreateEmptyID(f delFx) {
	f.create(delItem("i-1", "st-1"))
	before := f.snapshot()
	_, _, err := f.st.CreateItem(f.ctx, delItem("", "st-1"), "key", delRaised())
	require.ErrorIs(f.t, err, gridgov.ErrInvalid)
	f.requireUnchanged(before)
	_, created, err := f.st.CreateItem(f.ctx, delItem("i-2", "st-1"), "key", delRaised())
	require.NoError(f.t, err)
	assert.True(f.t, created, "the refused call did not take the key")
}

// A duplicate ID is gridgov.ErrAlreadyExists and changes nothing.
func testDelCreateDuplicate(f delFx) {
	f.create(delItem("i-1", "st-1"))
	before := f.snapshot()
	_, _, err := f.st.CreateItem(f.ctx, delItem("i-1", "st-2"), "", delRaised())
	require.ErrorIs(f.t, err, gridgov.ErrAlreadyExists)
	_, _, err = f.st.CreateItem(f.ctx, delItem("i-1", "st-2"), "fresh-key", delRaised())
	require.ErrorIs(f.t, err, gridgov.ErrAlreadyExists)
	f.requireUnchanged(before)
	_, created, err := f.st.CreateItem(f.ctx, delItem("i-2", "st-2"), "fresh-key", delRaised())
	require.NoError(f.t, err)
	assert.True(f.t, created, "the refused call did not take the key")
}

// A key already used returns the first item as it is now, created = false, whatever the
// new item holds; nothing changes.
func testDelCreateIdempotent(f delFx) {
	t := f.t
	first, created, err := f.st.CreateItem(f.ctx, delItem("i-1", "st-1"), "complaint:c-1", delRaised())
	require.NoError(t, err)
	require.True(t, created)
	now := f.update("i-1", delEvent(deliberation.EventStart, deliberation.StateRaised, deliberation.StateFirstRound, day(1), ""),
		func(it *deliberation.Item) { it.State = deliberation.StateFirstRound })
	before := f.snapshot()
	for _, other := range []deliberation.Item{delItem("i-1", "st-1"), delItem("i-2", "st-9"), delItem("", "")} {
		got, created, err := f.st.CreateItem(f.ctx, other, "complaint:c-1", delRaised())
		require.NoError(t, err, other.ID)
		assert.False(t, created, other.ID)
		f.requireItem(now, got, "the item as it is now")
	}
	f.requireUnchanged(before)
	assert.EqualValues(t, 1, first.Version)
	_, err = f.st.GetItem(f.ctx, "i-2")
	require.ErrorIs(t, err, gridgov.ErrNotFound)
}

// A missing item is gridgov.ErrNotFound for every method that names one.
func testDelNotFound(f delFx) {
	t := f.t
	f.create(delItem("i-1", "st-1"))
	before := f.snapshot()
	_, err := f.st.GetItem(f.ctx, "nope")
	require.ErrorIs(t, err, gridgov.ErrNotFound)
	_, err = f.st.History(f.ctx, "nope")
	require.ErrorIs(t, err, gridgov.ErrNotFound)
	it := delItem("nope", "st-1")
	it.Version = 1
	_, err = f.st.UpdateItem(f.ctx, it, delRaised())
	require.ErrorIs(t, err, gridgov.ErrNotFound)
	f.requireUnchanged(before)
}

// UpdateItem increments the version, appends the event, and keeps NodeID, Path and
// CreatedAt.
func testDelUpdate(f delFx) {
	t := f.t
	f.create(delItem("i-1", "st-1", "cm-1"))
	it := f.get("i-1")
	it.State, it.Title = deliberation.StateFirstRound, "changed"
	it.NodeID, it.Path, it.CreatedAt = "elsewhere", []string{"x"}, day(99)
	ev := delEvent(deliberation.EventStart, deliberation.StateRaised, deliberation.StateFirstRound, day(1), "start")
	got, err := f.st.UpdateItem(f.ctx, it, ev)
	require.NoError(t, err)
	assert.EqualValues(t, 2, got.Version)
	assert.Equal(t, deliberation.StateFirstRound, got.State)
	assert.Equal(t, "changed", got.Title)
	assert.Equal(t, "cm-1", got.NodeID, "NodeID never changes")
	assert.Equal(t, []string{"st-1", "cm-1"}, got.Path, "Path never changes")
	assert.True(t, got.CreatedAt.Equal(t0), "CreatedAt never changes")
	f.requireItem(got, f.get("i-1"))
	h := f.history("i-1")
	require.Len(t, h, 2)
	assert.EqualValues(t, 2, h[1].Version)
	assert.Equal(t, "i-1", h[1].ItemID)
	assert.Equal(t, "start", h[1].Note)
	got = f.update("i-1", delEvent(deliberation.EventRefer, deliberation.StateFirstRound, deliberation.StateReferred, day(2), ""),
		func(it *deliberation.Item) { it.State = deliberation.StateReferred })
	assert.EqualValues(t, 3, got.Version)
}

// A stale version is gridgov.ErrConflict and changes nothing.
func testDelUpdateStale(f delFx) {
	t := f.t
	v1 := f.create(delItem("i-1", "st-1"))
	f.update("i-1", delEvent(deliberation.EventStart, deliberation.StateRaised, deliberation.StateFirstRound, day(1), ""),
		func(it *deliberation.Item) { it.State = deliberation.StateFirstRound })
	before := f.snapshot()
	for _, v := range []int64{0, 1, 3, 99} {
		stale := v1.Clone()
		stale.Version, stale.Title = v, "stale"
		_, err := f.st.UpdateItem(f.ctx, stale, delEvent(deliberation.EventSettle, deliberation.StateRaised, deliberation.StateSettled, day(2), ""))
		require.ErrorIs(t, err, gridgov.ErrConflict, "version %d", v)
	}
	f.requireUnchanged(before)
}

// History is oldest first, one event per accepted write, versions 1, 2, 3, ….
func testDelHistory(f delFx) {
	t := f.t
	f.create(delItem("i-1", "st-1"))
	f.create(delItem("i-2", "st-1"))
	for i := range 5 {
		f.update("i-1", delEvent(deliberation.EventBallot, deliberation.StateVoting, deliberation.StateVoting, day(i+1), fmt.Sprintf("ballot %d", i)),
			func(it *deliberation.Item) { it.Title = fmt.Sprintf("v%d", i+2) })
	}
	h := f.history("i-1")
	require.Len(t, h, 6)
	for i, ev := range h {
		assert.EqualValues(t, i+1, ev.Version)
		assert.Equal(t, "i-1", ev.ItemID)
		if i > 0 {
			assert.Equal(t, fmt.Sprintf("ballot %d", i-1), ev.Note)
		}
	}
	assert.Len(t, f.history("i-2"), 1, "histories are per item")
}

// delPaths are the paths of the list fixtures.
var delPaths = [][]string{
	{"st-1", "cm-1", "k-1", "b-1"},
	{"st-1", "cm-1", "k-1", "b-2"},
	{"st-1", "cm-1", "k-2"},
	{"st-1", "cm-2", "k-3", "b-3"},
	{"st-2", "cm-3", "k-4"},
}

// delListFixture stores 30 items over delPaths, states and complaints, and returns them.
func (f delFx) delListFixture() []deliberation.Item {
	states := []deliberation.State{deliberation.StateRaised, deliberation.StateVoting, deliberation.StateClosed}
	var all []deliberation.Item
	for i := range 30 {
		it := delItem(fmt.Sprintf("i-%02d", (i*7)%30), delPaths[i%len(delPaths)]...)
		if i%3 == 0 {
			it.ComplaintID = fmt.Sprintf("c-%d", i%2)
		}
		f.create(it)
		if s := states[i%len(states)]; s != deliberation.StateRaised {
			it = f.update(it.ID, delEvent(deliberation.EventStart, deliberation.StateRaised, s, day(1), ""),
				func(x *deliberation.Item) { x.State = s })
		} else {
			it = f.get(it.ID)
		}
		all = append(all, it)
	}
	slices.SortFunc(all, func(a, b deliberation.Item) int {
		switch {
		case a.ID < b.ID:
			return -1
		case a.ID > b.ID:
			return 1
		}
		return 0
	})
	return all
}

// ListItems filters by subtree, states and complaint, in ID order, and reflects updates.
func testDelListFilters(f delFx) {
	t := f.t
	all := f.delListFixture()
	for _, q := range []deliberation.Query{
		{}, {Within: "st-1"}, {Within: "cm-1"}, {Within: "k-1"}, {Within: "b-3"}, {Within: "nowhere"},
		{States: []deliberation.State{deliberation.StateVoting}},
		{States: []deliberation.State{deliberation.StateVoting, deliberation.StateClosed}, Within: "st-1"},
		{ComplaintID: "c-1"}, {ComplaintID: "c-0", Within: "cm-1"}, {After: "i-10"}, {After: "i-10", Within: "k-2"},
	} {
		var want []string
		for _, it := range all {
			switch {
			case q.Within != "" && !slices.Contains(it.Path, q.Within),
				len(q.States) > 0 && !slices.Contains(q.States, it.State),
				q.ComplaintID != "" && it.ComplaintID != q.ComplaintID,
				q.After != "" && it.ID <= q.After:
				continue
			}
			want = append(want, it.ID)
		}
		got := f.list(q)
		assert.Equal(t, fmt.Sprint(want), fmt.Sprint(delIDs(got)), "query %+v", q)
	}
	moved := f.update("i-05", delEvent(deliberation.EventWithdraw, "", deliberation.StateWithdrawn, day(3), ""),
		func(it *deliberation.Item) { it.State = deliberation.StateWithdrawn })
	got := f.list(deliberation.Query{States: []deliberation.State{deliberation.StateWithdrawn}})
	require.Len(t, got, 1)
	f.requireItem(moved, got[0], "lists show the current item")
}

// Pages of Limit items follow the cursor; the last page has no cursor; a negative Limit is
// gridgov.ErrInvalid.
func testDelListPaging(f delFx) {
	t := f.t
	all := f.delListFixture()
	for _, limit := range []int{1, 7, 10, 29, 30, 31} {
		got, next, err := f.st.ListItems(f.ctx, deliberation.Query{Limit: limit})
		require.NoError(t, err)
		n := min(limit, len(all))
		assert.Equal(t, delIDs(all[:n]), delIDs(got), "limit %d", limit)
		if limit < len(all) {
			assert.Equal(t, all[n-1].ID, next, "limit %d", limit)
		} else {
			assert.Empty(t, next, "limit %d: no more", limit)
		}
		assert.Equal(t, delIDs(all), delIDs(f.list(deliberation.Query{Limit: limit})), "following the cursor, limit %d", limit)
	}
	got, next, err := f.st.ListItems(f.ctx, deliberation.Query{Within: "cm-2", Limit: 6})
	require.NoError(t, err)
	require.Len(t, got, 6)
	assert.Empty(t, next, "the page holds every match: no cursor")
	got, next, err = f.st.ListItems(f.ctx, deliberation.Query{Within: "cm-2", Limit: 5})
	require.NoError(t, err)
	require.Len(t, got, 5)
	assert.Equal(t, got[4].ID, next, "one more matches")
	_, _, err = f.st.ListItems(f.ctx, deliberation.Query{Limit: -1})
	require.ErrorIs(t, err, gridgov.ErrInvalid)
}

// Disclosures come from events, with ItemID and Version set by the store, ordered by Date,
// then ItemID, then Version.
func testDelDisclosures(f delFx) {
	t := f.t
	f.create(delItem("i-b", "st-1", "cm-1"))
	ev := delRaised()
	ev.Disclosure = delDisclosure(deliberation.DisclosureProactive, day(5))
	_, _, err := f.st.CreateItem(f.ctx, delItem("i-a", "st-1", "cm-2"), "", ev)
	require.NoError(t, err)
	add := func(id string, kind deliberation.DisclosureKind, date time.Time) {
		e := delEvent(deliberation.EventDisclose, deliberation.StateRaised, deliberation.StateRaised, day(9), "disclose")
		e.Disclosure = delDisclosure(kind, date)
		f.update(id, e, func(*deliberation.Item) {})
	}
	add("i-b", deliberation.DisclosureOnRequest, day(5))
	add("i-a", deliberation.DisclosureOnRequest, day(3))
	add("i-b", deliberation.DisclosureProactive, day(5))
	f.update("i-a", delEvent(deliberation.EventStart, deliberation.StateRaised, deliberation.StateFirstRound, day(9), ""),
		func(it *deliberation.Item) { it.State = deliberation.StateFirstRound })
	add("i-a", deliberation.DisclosureProactive, day(1).Add(time.Nanosecond))

	ds := f.disclosures(deliberation.DisclosureQuery{})
	type key struct {
		item    string
		version int64
		date    time.Time
	}
	var got []key
	for _, d := range ds {
		got = append(got, key{d.ItemID, d.Version, at(d.Date)})
	}
	assert.Equal(t, []key{
		{"i-a", 4, at(day(1).Add(time.Nanosecond))},
		{"i-a", 2, at(day(3))},
		{"i-a", 1, at(day(5))},
		{"i-b", 2, at(day(5))},
		{"i-b", 3, at(day(5))},
	}, got)
	h := f.history("i-a")
	require.NotNil(t, h[0].Disclosure)
	assert.Equal(t, "i-a", h[0].Disclosure.ItemID)
	assert.EqualValues(t, 1, h[0].Disclosure.Version)
	assert.Nil(t, h[2].Disclosure, "events without a disclosure stay without")
}

// Disclosures filter by subtree, item, kind and [From, To), and honour Limit.
func testDelDisclosureFilters(f delFx) {
	t := f.t
	kinds := []deliberation.DisclosureKind{deliberation.DisclosureProactive, deliberation.DisclosureOnRequest}
	type entry struct {
		item string
		path []string
		kind deliberation.DisclosureKind
		date time.Time
	}
	var all []entry
	for i, p := range delPaths {
		id := fmt.Sprintf("i-%d", i)
		f.create(delItem(id, p...))
		for j := range 4 {
			k, d := kinds[(i+j)%2], day((i*3+j*5)%11)
			e := delEvent(deliberation.EventDisclose, deliberation.StateRaised, deliberation.StateRaised, day(20), "")
			e.Disclosure = delDisclosure(k, d)
			f.update(id, e, func(*deliberation.Item) {})
			all = append(all, entry{id, p, k, d})
		}
	}
	for _, q := range []deliberation.DisclosureQuery{
		{}, {Within: "cm-1"}, {Within: "b-3"}, {ItemID: "i-2"}, {Kind: deliberation.DisclosureOnRequest},
		{From: day(3)}, {To: day(3)}, {From: day(2), To: day(8), Within: "st-1"},
		{Kind: deliberation.DisclosureProactive, Within: "st-1", From: day(1)},
	} {
		want := 0
		for _, e := range all {
			switch {
			case q.Within != "" && !slices.Contains(e.path, q.Within),
				q.ItemID != "" && e.item != q.ItemID,
				q.Kind != "" && e.kind != q.Kind,
				!q.From.IsZero() && e.date.Before(q.From),
				!q.To.IsZero() && !e.date.Before(q.To):
				continue
			}
			want++
		}
		got := f.disclosures(q)
		assert.Len(t, got, want, "query %+v", q)
		for i := 1; i < len(got); i++ {
			assert.False(t, got[i].Date.Before(got[i-1].Date), "query %+v: ordered by date", q)
		}
		if want > 2 {
			q.Limit = 2
			limited := f.disclosures(q)
			assert.Equal(t, normalised(got[:2]), normalised(limited), "query %+v", q)
		}
	}
	_, err := f.st.Disclosures(f.ctx, deliberation.DisclosureQuery{Limit: -1})
	require.ErrorIs(t, err, gridgov.ErrInvalid)
}
