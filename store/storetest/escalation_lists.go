package storetest

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gridgov/gridgov"
	"github.com/gridgov/gridgov/escalation"
)

// escPaths are the places of the list fixtures: two streets, three communities, four grids.
var escPaths = [][]string{
	{"st-1", "cm-1", "gd-1"},
	{"st-1", "cm-1", "gd-2"},
	{"st-1", "cm-2", "gd-3"},
	{"st-2", "cm-3", "gd-4"},
	{"st-1", "cm-1"}, // filed at the community itself
}

// escMatches is the reference reading of a Query (paging aside): what ListComplaints must
// keep.
func escMatches(c escalation.Complaint, q escalation.Query) bool {
	if q.Within != "" && !slices.Contains(c.Path, q.Within) {
		return false
	}
	if len(q.States) > 0 && !slices.Contains(q.States, c.State) {
		return false
	}
	if !q.From.IsZero() && c.SubmittedAt.Before(q.From) {
		return false
	}
	if !q.To.IsZero() && !c.SubmittedAt.Before(q.To) {
		return false
	}
	if q.Category != "" && c.Category != q.Category {
		return false
	}
	return true
}

// escExpect returns the IDs of the complaints matching q, in ID order, above q.After.
func escExpect(all []escalation.Complaint, q escalation.Query) []string {
	out := []string{}
	for _, c := range all {
		if c.ID > q.After && escMatches(c, q) {
			out = append(out, c.ID)
		}
	}
	slices.Sort(out)
	return out
}

// escListFixture stores twenty complaints spread over escPaths, states, categories and
// submission days (created in a shuffled order, so that ID order is the store's work) and
// returns them as stored.
func (f escFx) escListFixture() []escalation.Complaint {
	states := []escalation.State{escalation.StateSubmitted, escalation.StateReferred, escalation.StateSigned,
		escalation.StateResolved, escalation.StateArchived}
	categories := []string{"property", "parking", "utilities"}
	var all []escalation.Complaint
	for _, i := range rand.New(rand.NewPCG(1, 2)).Perm(20) {
		c := escComplaint(fmt.Sprintf("c-%02d", i), escPaths[i%len(escPaths)]...)
		c.State = states[i%len(states)]
		c.Category = categories[i%len(categories)]
		c.SubmittedAt = day(i)
		all = append(all, f.create(c))
	}
	return all
}

// ListComplaints keeps the complaints matching every filter: Within on any element of the
// Path, States, [From, To) on SubmittedAt and Category; in ID order.
func testEscListFilters(f escFx) {
	t := f.t
	all := f.escListFixture()
	shanghai := time.FixedZone("CST", 8*3600)
	queries := []escalation.Query{
		{},
		{Within: "st-1"}, {Within: "st-2"}, {Within: "cm-1"}, {Within: "cm-2"}, {Within: "gd-1"},
		{Within: "gd-4"}, {Within: "nowhere"},
		{States: []escalation.State{escalation.StateReferred}},
		{States: []escalation.State{escalation.StateReferred, escalation.StateSigned}},
		{States: []escalation.State{escalation.StatePaused}},
		{States: []escalation.State{escalation.StatePaused, escalation.StateArchived}},
		{From: day(5)}, {To: day(5)}, {From: day(5), To: day(12)}, {From: day(5), To: day(5)},
		{From: day(5).In(shanghai), To: day(12).In(shanghai)},
		{From: day(4).Add(time.Nanosecond), To: day(5).Add(time.Nanosecond)},
		{From: day(30)}, {To: day(-1)},
		{Category: "parking"}, {Category: "none"},
		{Within: "st-1", States: []escalation.State{escalation.StateSubmitted, escalation.StateResolved}},
		{Within: "cm-1", Category: "property", From: day(2)},
		{Within: "st-1", States: []escalation.State{escalation.StateReferred}, From: day(1), To: day(15), Category: "utilities"},
	}
	for _, q := range queries {
		want := escExpect(all, q)
		got, next := f.listIDs(q)
		assert.Equal(t, want, got, "query %+v", q)
		assert.Empty(t, next, "query %+v: no next page without a limit", q)
	}

	// The boundaries, spelled out: From is included, To excluded.
	got, _ := f.listIDs(escalation.Query{From: day(5), To: day(7)})
	assert.Equal(t, []string{"c-05", "c-06"}, got)
	// Full values come back.
	full := f.list(escalation.Query{Within: "gd-4"})
	require.NotEmpty(t, full)
	for _, c := range full {
		f.requireComplaint(f.get(c.ID), c)
	}
}

// Limit and After page through the matches in ID order; the cursor is the last ID of a
// page and "" once nothing follows, even when the last page is full.
func testEscListPaging(f escFx) {
	t := f.t
	all := f.escListFixture()
	everything := escExpect(all, escalation.Query{})
	require.Len(t, everything, 20)

	for _, limit := range []int{1, 3, 5, 7, 10, 20, 25} {
		var got []string
		q := escalation.Query{Limit: limit}
		for page := 0; ; page++ {
			require.Less(t, page, 30)
			ids, next := f.listIDs(q)
			require.LessOrEqual(t, len(ids), limit)
			got = append(got, ids...)
			if next == "" {
				break
			}
			require.Len(t, ids, limit, "only the last page is short")
			require.Equal(t, ids[len(ids)-1], next)
			q.After = next
		}
		assert.Equal(t, everything, got, "limit %d", limit)
	}
	ids, next := f.listIDs(escalation.Query{Limit: 10, After: "c-09"})
	assert.Equal(t, everything[10:], ids)
	assert.Empty(t, next, "a full last page has no next cursor")
	ids, next = f.listIDs(escalation.Query{Limit: 4, After: "c-05x"}) // not an ID: starts after it
	assert.Equal(t, []string{"c-06", "c-07", "c-08", "c-09"}, ids)
	assert.Equal(t, "c-09", next)
	ids, next = f.listIDs(escalation.Query{After: "c-19"})
	assert.Empty(t, ids)
	assert.Empty(t, next)
	ids, next = f.listIDs(escalation.Query{Limit: 0})
	assert.Equal(t, everything, ids)
	assert.Empty(t, next)

	// Paging with filters: the pages hold only matches, and the cursor skips the rest.
	for _, q := range []escalation.Query{
		{Within: "st-1", Limit: 3},
		{Within: "cm-1", States: []escalation.State{escalation.StateSubmitted, escalation.StateSigned, escalation.StateArchived}, Limit: 2},
		{Category: "parking", From: day(3), Limit: 2},
		{Within: "gd-1", Limit: 1},
	} {
		want := escExpect(all, q)
		got := escIDs(f.list(q))
		assert.Equal(t, want, got, "query %+v", q)
	}
}

// Filters read the stored values as they are now.
func testEscListReflectsUpdates(f escFx) {
	t := f.t
	f.escListFixture()
	f.update("c-03", func(c *escalation.Complaint) {
		c.State, c.Category = escalation.StatePaused, "noise"
	})
	ids, _ := f.listIDs(escalation.Query{States: []escalation.State{escalation.StatePaused}})
	assert.Equal(t, []string{"c-03"}, ids)
	ids, _ = f.listIDs(escalation.Query{Category: "noise"})
	assert.Equal(t, []string{"c-03"}, ids)
	ids, _ = f.listIDs(escalation.Query{Within: "gd-4", States: []escalation.State{escalation.StateResolved}})
	assert.NotContains(t, ids, "c-03", "c-03 left the resolved state")
	ids, _ = f.listIDs(escalation.Query{Within: "gd-4"})
	assert.Contains(t, ids, "c-03", "the Path is unchanged")
	got := f.list(escalation.Query{Within: "gd-4", States: []escalation.State{escalation.StatePaused}})
	require.Len(t, got, 1)
	assert.EqualValues(t, 2, got[0].Version)
}

// ListDue returns complaints with a DueAt not after before (the boundary included),
// earliest first with ties by ID, never one without a DueAt, at most limit of them.
func testEscListDue(f escFx) {
	t := f.t
	shanghai := time.FixedZone("CST", 8*3600)
	dues := map[string]time.Time{
		"none":  {},
		"b":     day(2),
		"d":     day(1),
		"c":     day(1), // ties with d: ID order
		"e":     day(5),
		"edge":  day(3),                      // exactly at the bound
		"late":  day(3).Add(time.Nanosecond), // just after it
		"zoned": day(2).In(shanghai),         // the same instant as b, in another zone
		"early": day(-400),
	}
	for id, due := range dues {
		c := escComplaint(id, "st-1")
		c.DueAt = due
		f.create(c)
	}

	assert.Equal(t, []string{"early", "c", "d", "b", "zoned", "edge"}, f.dueIDs(day(3), 0))
	assert.Equal(t, []string{"early", "c", "d", "b", "zoned", "edge"}, f.dueIDs(day(3).In(shanghai), 0), "the bound is an instant")
	assert.Equal(t, []string{"early", "c", "d"}, f.dueIDs(day(3), 3))
	assert.Equal(t, []string{"early"}, f.dueIDs(day(3), 1))
	assert.Equal(t, []string{"early", "c", "d", "b", "zoned", "edge", "late", "e"}, f.dueIDs(day(1000), 0), "never the one without a DueAt")
	assert.Equal(t, []string{"early", "c", "d", "b", "zoned", "edge", "late", "e"}, f.dueIDs(day(1000), 100))
	assert.Empty(t, f.dueIDs(day(-401), 0))
	assert.Equal(t, []string{"early"}, f.dueIDs(day(-400), 0))
	assert.Equal(t, []string{"early", "c", "d"}, f.dueIDs(day(1), 0))

	// Full values come back.
	got, err := f.st.ListDue(f.ctx, day(2), 0)
	require.NoError(t, err)
	for _, c := range got {
		f.requireComplaint(f.get(c.ID), c)
	}
}

// Updates that move, clear or set DueAt move the complaint in the deadline index: it is
// listed where its DueAt is now, once, and not at all when the DueAt is cleared.
func testEscListDueUpdates(f escFx) {
	t := f.t
	for id, due := range map[string]time.Time{"x": day(1), "y": day(2), "z": {}} {
		c := escComplaint(id, "st-1")
		c.DueAt = due
		f.create(c)
	}
	setDue := func(id string, due time.Time) {
		f.update(id, func(c *escalation.Complaint) { c.DueAt = due })
	}
	assert.Equal(t, []string{"x", "y"}, f.dueIDs(day(5), 0))
	setDue("x", day(10))
	assert.Equal(t, []string{"y"}, f.dueIDs(day(5), 0), "x moved past the bound")
	setDue("z", day(0))
	assert.Equal(t, []string{"z", "y"}, f.dueIDs(day(5), 0), "z got a DueAt")
	setDue("y", time.Time{})
	assert.Equal(t, []string{"z"}, f.dueIDs(day(5), 0), "y's DueAt was cleared")
	setDue("x", day(1))
	assert.Equal(t, []string{"z", "x"}, f.dueIDs(day(5), 0), "x moved back")
	f.update("x", func(c *escalation.Complaint) { c.State = escalation.StateSigned })
	due, err := f.st.ListDue(f.ctx, day(5), 0)
	require.NoError(t, err)
	require.Equal(t, []string{"z", "x"}, escIDs(due), "an update that keeps DueAt keeps the entry")
	assert.Equal(t, escalation.StateSigned, due[1].State, "ListDue returns the complaint as it is now")

	// Many moves leave one entry per complaint.
	for i := range 30 {
		setDue("y", day(30-i))
		setDue("z", day(i%3))
	}
	assert.Equal(t, []string{"x", "y", "z"}, f.dueIDs(day(1000), 0))
	assert.Equal(t, []string{"x", "y", "z"}[:2], f.dueIDs(day(1000), 2))
	assert.Equal(t, []string{"x", "y"}, f.dueIDs(day(1), 0))
	assert.Equal(t, day(1).UTC(), f.get("y").DueAt.UTC())
}

// Events numbers the feed 1, 2, 3... without gaps in commit order; after and limit page
// through it; refused writes and idempotent retries add nothing.
func testEscEvents(f escFx) {
	t := f.t
	assert.Empty(t, f.events(), "a fresh store has no events")
	f.create(escComplaint("a", "st-1"))
	f.create(escComplaint("b", "st-1"))
	f.update("a", func(c *escalation.Complaint) { c.State = escalation.StateAccepted })
	f.create(escComplaint("c", "st-1"))
	f.update("b", func(c *escalation.Complaint) { c.State = escalation.StateAccepted })
	f.update("a", func(c *escalation.Complaint) { c.State = escalation.StateReferred })
	f.update("a", func(c *escalation.Complaint) { c.State = escalation.StateSigned })

	all := f.events()
	require.Len(t, all, 7)
	for i, ev := range all {
		assert.EqualValues(t, i+1, ev.Seq, "gap-free from 1")
	}
	var order []string
	for _, ev := range all {
		order = append(order, fmt.Sprintf("%s@%d", ev.ComplaintID, ev.Version))
	}
	assert.Equal(t, []string{"a@1", "b@1", "a@2", "c@1", "b@2", "a@3", "a@4"}, order)

	seqs := func(after int64, limit int) []int64 {
		evs, err := f.st.Events(f.ctx, after, limit)
		require.NoError(t, err)
		out := []int64{}
		for _, ev := range evs {
			out = append(out, ev.Seq)
		}
		return out
	}
	assert.Equal(t, []int64{4, 5}, seqs(3, 2))
	assert.Equal(t, []int64{6, 7}, seqs(5, 0))
	assert.Equal(t, []int64{6, 7}, seqs(5, 10))
	assert.Equal(t, []int64{1}, seqs(0, 1))
	assert.Empty(t, seqs(7, 0))
	assert.Empty(t, seqs(100, 5))

	// The feed and the histories hold the same events.
	for _, ev := range all {
		h := f.history(ev.ComplaintID)
		require.GreaterOrEqual(t, len(h), int(ev.Version))
		assert.Equal(t, escNormEvent(ev), escNormEvent(h[ev.Version-1]))
	}

	// Refused writes and retries append nothing.
	stale := f.get("a")
	stale.Version = 1
	_, err := f.st.UpdateComplaint(f.ctx, stale, escSubmitted())
	require.ErrorIs(t, err, gridgov.ErrConflict)
	missing := escComplaint("zz", "st-1")
	missing.Version = 1
	_, err = f.st.UpdateComplaint(f.ctx, missing, escSubmitted())
	require.ErrorIs(t, err, gridgov.ErrNotFound)
	_, _, err = f.st.CreateComplaint(f.ctx, escComplaint("a", "st-1"), "", escSubmitted())
	require.ErrorIs(t, err, gridgov.ErrAlreadyExists)
	_, _, err = f.st.CreateComplaint(f.ctx, escComplaint("", "st-1"), "", escSubmitted())
	require.ErrorIs(t, err, gridgov.ErrInvalid)
	_, _, err = f.st.CreateComplaint(f.ctx, escComplaint("k", "st-1"), "key", escSubmitted())
	require.NoError(t, err)
	_, created, err := f.st.CreateComplaint(f.ctx, escComplaint("k2", "st-1"), "key", escSubmitted())
	require.NoError(t, err)
	require.False(t, created)
	assert.Equal(t, []int64{8}, seqs(7, 0), "only the one creation added an event")
}

// A seeded random mix of creations, updates (some stale) and queries, checked against a
// plain model of the contract: ListComplaints, ListDue, Events and History agree with the
// model after every step. Enough complaints are created to outgrow small index nodes.
func testEscModel(f escFx) {
	t := f.t
	r := rand.New(rand.NewPCG(7, 11))
	tree := [][]string{
		{"st-1"}, {"st-1", "cm-1"}, {"st-1", "cm-1", "gd-1"}, {"st-1", "cm-1", "gd-2"},
		{"st-1", "cm-2", "gd-3"}, {"st-2", "cm-3", "gd-4"}, {"st-2", "cm-3", "gd-4", "bd-1"},
	}
	states := escalation.States()
	categories := []string{"property", "parking", "utilities", "noise"}
	model := map[string]escalation.Complaint{}
	var ids []string
	events := 0
	randDue := func() time.Time {
		if r.IntN(4) == 0 {
			return time.Time{}
		}
		return day(r.IntN(40)).Add(time.Duration(r.IntN(3)) * time.Hour)
	}
	randQuery := func() escalation.Query {
		var q escalation.Query
		if r.IntN(2) == 0 {
			p := tree[r.IntN(len(tree))]
			q.Within = p[r.IntN(len(p))]
		}
		if r.IntN(3) == 0 {
			q.States = []escalation.State{states[r.IntN(len(states))], states[r.IntN(len(states))]}
		}
		if r.IntN(3) == 0 {
			q.From = day(r.IntN(30))
		}
		if r.IntN(3) == 0 {
			q.To = day(r.IntN(30))
		}
		if r.IntN(4) == 0 {
			q.Category = categories[r.IntN(len(categories))]
		}
		if r.IntN(3) == 0 {
			q.Limit = 1 + r.IntN(40)
		}
		return q
	}
	check := func(step int) {
		t.Helper()
		var all []escalation.Complaint
		for _, c := range model {
			all = append(all, c)
		}
		for range 3 {
			q := randQuery()
			want := escExpect(all, q)
			got := escIDs(f.list(q))
			require.Equal(t, want, got, "step %d: query %+v", step, q)
		}
		before := day(r.IntN(45))
		var due []escalation.Complaint
		for _, c := range all {
			if !c.DueAt.IsZero() && !c.DueAt.After(before) {
				due = append(due, c)
			}
		}
		slices.SortFunc(due, func(a, b escalation.Complaint) int {
			if c := a.DueAt.Compare(b.DueAt); c != 0 {
				return c
			}
			return strings.Compare(a.ID, b.ID)
		})
		limit := r.IntN(30)
		if limit > 0 && len(due) > limit {
			due = due[:limit]
		}
		require.Equal(t, escIDs(due), f.dueIDs(before, limit), "step %d: ListDue(%v, %d)", step, before, limit)
		evs := f.events()
		require.Len(t, evs, events, "step %d", step)
		if len(ids) > 0 {
			id := ids[r.IntN(len(ids))]
			f.requireComplaint(model[id], f.get(id), "step %d", step)
			require.Len(t, f.history(id), int(model[id].Version), "step %d", step)
		}
	}

	for step := range 600 {
		switch {
		case len(ids) < 150 && (len(ids) == 0 || r.IntN(3) == 0):
			id := fmt.Sprintf("m-%03d", r.IntN(1000))
			c := escComplaint(id, tree[r.IntN(len(tree))]...)
			c.State = states[r.IntN(len(states))]
			c.Category = categories[r.IntN(len(categories))]
			c.SubmittedAt = day(r.IntN(30))
			c.DueAt = randDue()
			got, created, err := f.st.CreateComplaint(f.ctx, c, "", escSubmitted())
			if _, exists := model[id]; exists {
				require.ErrorIs(t, err, gridgov.ErrAlreadyExists, "step %d", step)
				continue
			}
			require.NoError(t, err, "step %d", step)
			require.True(t, created)
			model[id] = got
			ids = append(ids, id)
			events++
		default:
			id := ids[r.IntN(len(ids))]
			c := model[id].Clone()
			stale := r.IntN(8) == 0
			if stale {
				c.Version--
			}
			c.State = states[r.IntN(len(states))]
			if r.IntN(4) == 0 {
				c.Category = categories[r.IntN(len(categories))]
			}
			c.DueAt = randDue()
			got, err := f.st.UpdateComplaint(f.ctx, c, escEvent(escalation.EventWarn, model[id].State, c.State, day(step), ""))
			if stale {
				require.ErrorIs(t, err, gridgov.ErrConflict, "step %d", step)
				continue
			}
			require.NoError(t, err, "step %d", step)
			c.Version++
			f.requireComplaint(c, got, "step %d", step)
			model[id] = got
			events++
		}
		if step%25 == 0 || step == 599 {
			check(step)
		}
	}
}
