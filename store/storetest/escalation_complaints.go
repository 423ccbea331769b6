package storetest

import (
	"fmt"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gridgov/gridgov"
	"github.com/gridgov/gridgov/escalation"
)

// CreateComplaint stores the complaint as version 1 with every field as given, returns it
// with created = true, and starts its history (and the feed) with the event, whose
// ComplaintID, Version and Seq the store sets whatever the caller put there.
func testEscCreateGet(f escFx) {
	t := f.t
	c := escFullComplaint("c-1")
	ev := escSubmitted()
	ev.ComplaintID, ev.Version, ev.Seq = "someone-else", 7, 42 // the store overrides these
	ev.Tier, ev.Actor = 2, gridgov.PersonActor("person-reporter")

	got, created, err := f.st.CreateComplaint(f.ctx, c, "", ev)
	require.NoError(t, err)
	assert.True(t, created)
	want := c
	want.Version = 1
	f.requireComplaint(want, got, "CreateComplaint returns the stored complaint")
	f.requireComplaint(want, f.get("c-1"), "GetComplaint returns what was stored")

	hist := f.history("c-1")
	require.Len(t, hist, 1)
	wantEv := ev
	wantEv.ComplaintID, wantEv.Version = "c-1", 1
	f.requireEvent(wantEv, hist[0])
	assert.EqualValues(t, 1, hist[0].Seq, "the first event of a fresh store has Seq 1")
	assert.Equal(t, escNormEvents(hist), escNormEvents(f.events()), "the feed holds the same event")

	// A complaint with few fields set round-trips too (zero times stay zero).
	bare := escalation.Complaint{ID: "c-2", State: escalation.StateSubmitted}
	got, created, err = f.st.CreateComplaint(f.ctx, bare, "", escSubmitted())
	require.NoError(t, err)
	assert.True(t, created)
	bare.Version = 1
	f.requireComplaint(bare, got)
	f.requireComplaint(bare, f.get("c-2"))
	assert.True(t, f.get("c-2").DueAt.IsZero())
}

// Every field of a complaint round-trips, through creation and through an update: the
// complaints are filled by reflection, so a field added to escalation.Complaint is checked
// without changing the suite.
func testEscEveryField(f escFx) {
	t := f.t
	c := escFilled("c-1", 1)
	got, created, err := f.st.CreateComplaint(f.ctx, c, "", escSubmitted())
	require.NoError(t, err)
	require.True(t, created)
	want := c
	want.Version = 1
	f.requireComplaint(want, got, "CreateComplaint keeps every field")
	f.requireComplaint(want, f.get("c-1"), "GetComplaint returns every field")

	upd := escFilled("c-1", 2)
	upd.Path, upd.SubmittedAt, upd.Reporter, upd.Version = c.Path, c.SubmittedAt, c.Reporter, 1
	got, err = f.st.UpdateComplaint(f.ctx, upd, escEvent(escalation.EventWarn, c.State, upd.State, day(1), ""))
	require.NoError(t, err)
	want = upd
	want.Version = 2
	f.requireComplaint(want, got, "UpdateComplaint keeps every field")
	f.requireComplaint(want, f.get("c-1"), "GetComplaint returns every updated field")
	listed := f.list(escalation.Query{Within: c.Path[0]})
	require.Len(t, listed, 1)
	f.requireComplaint(want, listed[0], "ListComplaints returns every field")
}

// The store keeps no reference to its arguments and hands out none to what it holds:
// mutating the slices of a complaint after passing it in, or of one returned by any
// method, changes nothing stored.
func testEscCopies(f escFx) {
	t := f.t
	c := escFullComplaint("c-1")
	c.DueAt = day(1)
	want := c.Clone()
	want.Version = 1
	got, _, err := f.st.CreateComplaint(f.ctx, c, "key-1", escSubmitted())
	require.NoError(t, err)

	scribble := func(c *escalation.Complaint) {
		if len(c.Path) > 0 {
			c.Path[0] = "scribbled"
		}
		if len(c.Attachments) > 0 {
			c.Attachments[0] = "scribbled"
		}
		if len(c.Summons) > 0 {
			c.Summons[0].OrgID = "scribbled"
			c.Summons[0].Due = day(99)
		}
	}
	check := func(what string) {
		t.Helper()
		f.requireComplaint(want, f.get("c-1"), "after mutating %s", what)
	}

	scribble(&c)
	check("the argument of CreateComplaint")
	scribble(&got)
	check("the result of CreateComplaint")
	fromGet := f.get("c-1")
	scribble(&fromGet)
	check("the result of GetComplaint")
	replay, created, err := f.st.CreateComplaint(f.ctx, escFullComplaint("c-1"), "key-1", escSubmitted())
	require.NoError(t, err)
	require.False(t, created)
	scribble(&replay)
	check("the result of an idempotent CreateComplaint")
	listed, _, err := f.st.ListComplaints(f.ctx, escalation.Query{})
	require.NoError(t, err)
	require.Len(t, listed, 1)
	scribble(&listed[0])
	check("the result of ListComplaints")
	due, err := f.st.ListDue(f.ctx, day(2), 0)
	require.NoError(t, err)
	require.Len(t, due, 1)
	scribble(&due[0])
	check("the result of ListDue")

	// The same for UpdateComplaint.
	upd := f.get("c-1")
	upd.Attachments = append(upd.Attachments, "c.jpg")
	upd.Summons[1].ReportedAt = day(2)
	want = upd.Clone()
	want.Version = 2
	res, err := f.st.UpdateComplaint(f.ctx, upd, escEvent(escalation.EventReport, upd.State, upd.State, day(2), ""))
	require.NoError(t, err)
	scribble(&upd)
	check("the argument of UpdateComplaint")
	scribble(&res)
	check("the result of UpdateComplaint")

	// Events have no slices, but a returned history is the caller's to change.
	hist := f.history("c-1")
	hist[0].Note = "scribbled"
	assert.NotEqual(t, "scribbled", f.history("c-1")[0].Note)
	evs := f.events()
	evs[0].ComplaintID = "scribbled"
	assert.Equal(t, "c-1", f.events()[0].ComplaintID)
}

// An empty ID is refused with ErrInvalid and stores nothing, not even the idempotency key.
func testEscCreateEmptyID(f escFx) {
	t := f.t
	for _, key := range []string{"", "key-1"} {
		_, created, err := f.st.CreateComplaint(f.ctx, escComplaint("", "st-1"), key, escSubmitted())
		require.ErrorIs(t, err, gridgov.ErrInvalid, "key %q", key)
		assert.False(t, created)
	}
	assert.Empty(t, f.events(), "a refused creation appends no event")
	assert.Empty(t, f.list(escalation.Query{}))

	// The key was not taken by the refused call.
	_, created, err := f.st.CreateComplaint(f.ctx, escComplaint("c-1", "st-1"), "key-1", escSubmitted())
	require.NoError(t, err)
	assert.True(t, created)
}

// A second complaint with an existing ID is refused with ErrAlreadyExists; the stored one,
// the feed and the new key are untouched.
func testEscCreateDuplicate(f escFx) {
	t := f.t
	f.create(escFullComplaint("c-1"))
	before := f.snapshot()

	dup := escComplaint("c-1", "st-2")
	dup.Description = "another matter"
	for _, key := range []string{"", "key-2"} {
		_, created, err := f.st.CreateComplaint(f.ctx, dup, key, escSubmitted())
		require.ErrorIs(t, err, gridgov.ErrAlreadyExists, "key %q", key)
		assert.False(t, created)
	}
	f.requireUnchanged(before, "a refused duplicate changes nothing")

	// key-2 was not taken by the refused call.
	got, created, err := f.st.CreateComplaint(f.ctx, escComplaint("c-2", "st-2"), "key-2", escSubmitted())
	require.NoError(t, err)
	assert.True(t, created)
	assert.Equal(t, "c-2", got.ID)
}

// A retried submission with the same key returns the first complaint as it is now, with
// created = false and no error, whatever the retry holds, and changes nothing.
func testEscCreateIdempotent(f escFx) {
	t := f.t
	first, created, err := f.st.CreateComplaint(f.ctx, escComplaint("c-1", "st-1", "cm-1"), "key-1", escSubmitted())
	require.NoError(t, err)
	require.True(t, created)
	before := f.snapshot()

	retries := map[string]escalation.Complaint{
		"same complaint":       escComplaint("c-1", "st-1", "cm-1"),
		"another ID":           escComplaint("c-2", "st-2"),
		"different content":    escFullComplaint("c-1"),
		"an empty ID":          {},
		"another complaint ID": escComplaint("c-3", "st-1"),
	}
	for name, c := range retries {
		got, created, err := f.st.CreateComplaint(f.ctx, c, "key-1", escEvent(escalation.EventSubmit, "", escalation.StateSubmitted, day(5), "retry"))
		require.NoError(t, err, name)
		assert.False(t, created, name)
		f.requireComplaint(first, got, "%s: the first complaint is returned", name)
	}
	f.requireUnchanged(before, "a retried submission changes nothing")
	for _, id := range []string{"c-2", "c-3"} {
		_, err := f.st.GetComplaint(f.ctx, id)
		require.ErrorIs(t, err, gridgov.ErrNotFound, "the retry's complaint %s was not created", id)
	}

	// A retry returns the complaint as it is now.
	now := f.update("c-1", func(c *escalation.Complaint) { c.State = escalation.StateAccepted })
	got, created, err := f.st.CreateComplaint(f.ctx, escComplaint("c-1", "st-1", "cm-1"), "key-1", escSubmitted())
	require.NoError(t, err)
	assert.False(t, created)
	f.requireComplaint(now, got)
	assert.EqualValues(t, 2, got.Version)

	// Another key creates; an empty key never matches.
	_, created, err = f.st.CreateComplaint(f.ctx, escComplaint("c-4", "st-1"), "key-2", escSubmitted())
	require.NoError(t, err)
	assert.True(t, created)
	for _, id := range []string{"c-5", "c-6"} {
		_, created, err = f.st.CreateComplaint(f.ctx, escComplaint(id, "st-1"), "", escSubmitted())
		require.NoError(t, err)
		assert.True(t, created, "an empty key is no key")
	}
	assert.Len(t, f.events(), 5)
}

// A missing complaint is ErrNotFound for every method that names one, and a refused update
// appends nothing.
func testEscNotFound(f escFx) {
	t := f.t
	f.create(escComplaint("c-1", "st-1"))
	_, err := f.st.GetComplaint(f.ctx, "nope")
	require.ErrorIs(t, err, gridgov.ErrNotFound)
	_, err = f.st.History(f.ctx, "nope")
	require.ErrorIs(t, err, gridgov.ErrNotFound)
	c := escComplaint("nope", "st-1")
	c.Version = 1
	_, err = f.st.UpdateComplaint(f.ctx, c, escEvent(escalation.EventAccept, escalation.StateSubmitted, escalation.StateAccepted, day(1), ""))
	require.ErrorIs(t, err, gridgov.ErrNotFound)
	_, err = f.st.GetComplaint(f.ctx, "")
	require.ErrorIs(t, err, gridgov.ErrNotFound)
	assert.Len(t, f.events(), 1)
}

// UpdateComplaint replaces every field (Path, SubmittedAt and Reporter aside, which never
// change), increments the version, and appends the event with ComplaintID, Version and Seq
// set by the store.
func testEscUpdate(f escFx) {
	t := f.t
	f.create(escComplaint("c-1", "st-1", "cm-1"))
	c := escFullComplaint("c-1")
	orig := f.get("c-1")
	c.Path, c.NodeID, c.SubmittedAt, c.Reporter = orig.Path, orig.NodeID, orig.SubmittedAt, orig.Reporter
	c.Version = 1
	ev := escEvent(escalation.EventStart, escalation.StateSubmitted, escalation.StateInProgress, day(2), "started")
	ev.ComplaintID, ev.Version, ev.Seq, ev.Tier = "someone-else", 9, 99, 1

	got, err := f.st.UpdateComplaint(f.ctx, c, ev)
	require.NoError(t, err)
	want := c
	want.Version = 2
	f.requireComplaint(want, got)
	f.requireComplaint(want, f.get("c-1"))
	hist := f.history("c-1")
	require.Len(t, hist, 2)
	wantEv := ev
	wantEv.ComplaintID, wantEv.Version = "c-1", 2
	f.requireEvent(wantEv, hist[1])
	assert.Greater(t, hist[1].Seq, hist[0].Seq)

	// Clearing fields stores them cleared.
	cleared := f.get("c-1")
	cleared.Attachments, cleared.Summons = nil, nil
	cleared.DueAt, cleared.PausedAt, cleared.Rating = time.Time{}, time.Time{}, escalation.Rating{}
	cleared.Handler, cleared.UnitID, cleared.DuplicateOf = "", "", ""
	got, err = f.st.UpdateComplaint(f.ctx, cleared, escEvent(escalation.EventResume, escalation.StatePaused, escalation.StateInProgress, day(3), ""))
	require.NoError(t, err)
	cleared.Version = 3
	f.requireComplaint(cleared, got)
	f.requireComplaint(cleared, f.get("c-1"))
}

// Version starts at 1 and each accepted update adds one; every event carries the version
// it produced.
func testEscVersions(f escFx) {
	t := f.t
	got := f.create(escComplaint("c-1", "st-1"))
	assert.EqualValues(t, 1, got.Version)
	for v := int64(2); v <= 5; v++ {
		got = f.update("c-1", func(c *escalation.Complaint) { c.Reworks++ })
		assert.EqualValues(t, v, got.Version)
		assert.EqualValues(t, v, f.get("c-1").Version)
	}
	for i, ev := range f.history("c-1") {
		assert.EqualValues(t, i+1, ev.Version, "event %d", i)
		assert.Equal(t, "c-1", ev.ComplaintID)
	}
	assert.Equal(t, 4, f.get("c-1").Reworks)
}

// An update with any version but the stored one is ErrConflict and changes nothing: no new
// version, no history entry, no event.
func testEscUpdateStale(f escFx) {
	t := f.t
	f.create(escComplaint("c-1", "st-1"))
	f.create(escComplaint("c-2", "st-1"))
	f.update("c-1", func(c *escalation.Complaint) { c.State = escalation.StateAccepted })
	before := f.snapshot()

	for _, v := range []int64{0, 1, 3, 99, -1} {
		c := f.get("c-1")
		c.Version = v
		c.State, c.Description, c.DueAt = escalation.StateRejected, "stale write", day(1)
		_, err := f.st.UpdateComplaint(f.ctx, c, escEvent(escalation.EventReject, escalation.StateAccepted, escalation.StateRejected, day(1), "stale"))
		require.ErrorIs(t, err, gridgov.ErrConflict, "version %d", v)
	}
	f.requireUnchanged(before, "stale writes change nothing")
}

// History lists one complaint's events, oldest first, with their content as given; the
// feed lists everyone's in commit order.
func testEscHistory(f escFx) {
	t := f.t
	f.create(escComplaint("a", "st-1"))
	f.create(escComplaint("b", "st-1"))
	steps := []struct {
		id       string
		kind     escalation.EventKind
		from, to escalation.State
		tier     int
		actor    gridgov.Actor
	}{
		{"a", escalation.EventAccept, escalation.StateSubmitted, escalation.StateAccepted, 0, gridgov.PersonActor("p-1")},
		{"b", escalation.EventReject, escalation.StateSubmitted, escalation.StateRejected, 0, gridgov.PersonActor("p-2")},
		{"a", escalation.EventRefer, escalation.StateAccepted, escalation.StateReferred, 1, escActor},
		{"a", escalation.EventEscalate, escalation.StateReferred, escalation.StateReferred, 2, gridgov.SystemActor("sweeper")},
	}
	wantHist := map[string][]escalation.Event{"a": f.history("a"), "b": f.history("b")}
	for i, s := range steps {
		c := f.get(s.id)
		c.State, c.Tier = s.to, s.tier
		ev := escalation.Event{Kind: s.kind, From: s.from, To: s.to, Tier: s.tier, Actor: s.actor,
			At: day(i + 1).Add(time.Duration(i) * time.Minute), Note: fmt.Sprintf("step %d", i)}
		_, err := f.st.UpdateComplaint(f.ctx, c, ev)
		require.NoError(t, err, "step %d", i)
		ev.ComplaintID, ev.Version = s.id, c.Version+1
		wantHist[s.id] = append(wantHist[s.id], ev)
	}
	for id, want := range wantHist {
		got := f.history(id)
		require.Len(t, got, len(want), id)
		for i := range want {
			f.requireEvent(want[i], got[i], "%s event %d", id, i)
			if i > 0 {
				assert.Greater(t, got[i].Seq, got[i-1].Seq, "%s: Seq grows along the history", id)
			}
		}
	}
	var order []string
	for _, ev := range f.events() {
		order = append(order, fmt.Sprintf("%s@%d", ev.ComplaintID, ev.Version))
	}
	assert.Equal(t, []string{"a@1", "b@1", "a@2", "b@2", "a@3", "a@4"}, order, "the feed is in commit order")
}
