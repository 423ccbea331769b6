package storetest

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gridgov/gridgov"
	"github.com/gridgov/gridgov/escalation"
)

// escalationTests lists the contract tests of escalation.Store, one subtest each.
var escalationTests = []struct {
	name string
	run  func(f efx)
}{
	{"ComplaintCreateGet", testComplaintCreateGet},
	{"ComplaintCopies", testComplaintCopies},
	{"ComplaintCreateRefusals", testComplaintCreateRefusals},
	{"ComplaintIdempotentCreate", testComplaintIdempotentCreate},
	{"ComplaintUpdate", testComplaintUpdate},
	{"ComplaintUpdateStale", testComplaintUpdateStale},
	{"ComplaintList", testComplaintList},
	{"ComplaintListPaging", testComplaintListPaging},
	{"ComplaintDue", testComplaintDue},
	{"ComplaintEvents", testComplaintEvents},
	{"ComplaintConcurrentSameVersion", testComplaintConcurrentSameVersion},
	{"ComplaintConcurrentRetries", testComplaintConcurrentRetries},
	{"ComplaintConcurrentFeed", testComplaintConcurrentFeed},
	{"ComplaintConcurrentIdempotentCreate", testComplaintConcurrentIdempotentCreate},
	{"ComplaintCancelledContext", testComplaintCancelledContext},
}

func runEscalation(t *testing.T, newStores Harness) {
	for _, tc := range escalationTests {
		t.Run(tc.name, func(t *testing.T) {
			st := newStores(t).Escalation
			if st == nil {
				t.Skip("storetest: the harness provides no escalation store")
			}
			tc.run(efx{t: t, st: st, ctx: t.Context()})
		})
	}
}

// efx is one escalation subtest's fixture.
type efx struct {
	t   *testing.T
	st  escalation.Store
	ctx context.Context
}

// newComplaint returns an unsaved complaint at the end of path, submitted at day(n).
func newComplaint(id string, n int, path ...string) escalation.Complaint {
	if len(path) == 0 {
		path = []string{"street", "community", "grid"}
	}
	return escalation.Complaint{
		ID: id, Channel: escalation.ChannelHotline, Category: "property", Description: "complaint " + id,
		NodeID: path[len(path)-1], Path: path, Urgency: escalation.UrgencyNormal,
		Reporter:    escalation.Reporter{PersonID: "p-" + id, Name: "李小明", Phone: "13912345678"},
		Attachments: []string{"photo-" + id},
		State:       escalation.StateSubmitted, TierLevel: "grid", TierNodeID: path[len(path)-1],
		SubmittedAt: day(n),
	}
}

func submitEvent(id string) escalation.Event {
	return escalation.Event{ComplaintID: id, Kind: escalation.EventSubmit, To: escalation.StateSubmitted,
		Actor: gridgov.SystemActor("storetest"), At: t0, Note: "submitted by storetest"}
}

// create stores c and returns the stored complaint.
func (f efx) create(c escalation.Complaint) escalation.Complaint {
	f.t.Helper()
	got, created, err := f.st.CreateComplaint(f.ctx, c, "", submitEvent(c.ID))
	require.NoError(f.t, err, "CreateComplaint(%q)", c.ID)
	require.True(f.t, created)
	return got
}

// step moves the stored complaint to state at its current version with one event.
func (f efx) step(id string, to escalation.State) (escalation.Complaint, error) {
	f.t.Helper()
	c, err := f.st.GetComplaint(f.ctx, id)
	require.NoError(f.t, err)
	from := c.State
	c.State = to
	return f.st.UpdateComplaint(f.ctx, c, escalation.Event{Kind: "test", From: from, To: to,
		Actor: gridgov.SystemActor("storetest"), At: day(1)})
}

func testComplaintCreateGet(f efx) {
	c := newComplaint("c1", 0)
	got := f.create(c)
	assert.Equal(f.t, int64(1), got.Version, "the store sets version 1")
	got.Version = 0
	assert.Equal(f.t, c, got)
	stored, err := f.st.GetComplaint(f.ctx, "c1")
	require.NoError(f.t, err)
	assert.Equal(f.t, int64(1), stored.Version)
	assert.Equal(f.t, "13912345678", stored.Reporter.Phone.Reveal(), "personal data is stored as given")
	_, err = f.st.GetComplaint(f.ctx, "missing")
	require.ErrorIs(f.t, err, gridgov.ErrNotFound)
	_, err = f.st.History(f.ctx, "missing")
	require.ErrorIs(f.t, err, gridgov.ErrNotFound)
}

func testComplaintCopies(f efx) {
	c := newComplaint("c1", 0)
	got := f.create(c)
	c.Path[0], c.Attachments[0] = "changed", "changed"
	got.Path[1], got.Attachments[0] = "changed", "changed"
	stored, err := f.st.GetComplaint(f.ctx, "c1")
	require.NoError(f.t, err)
	assert.Equal(f.t, []string{"street", "community", "grid"}, stored.Path)
	assert.Equal(f.t, []string{"photo-c1"}, stored.Attachments)
	stored.Summons = append(stored.Summons, escalation.Summons{Party: escalation.PartyFirm})
	stored.Path[2] = "changed"
	again, err := f.st.GetComplaint(f.ctx, "c1")
	require.NoError(f.t, err)
	assert.Empty(f.t, again.Summons)
	assert.Equal(f.t, "grid", again.Path[2])

	upd := again
	upd.Summons = []escalation.Summons{{Party: escalation.PartyStreet, Lead: true}}
	out, err := f.st.UpdateComplaint(f.ctx, upd, escalation.Event{Kind: escalation.EventWhistle})
	require.NoError(f.t, err)
	upd.Summons[0].Party, out.Summons[0].Lead = "changed", false
	again, err = f.st.GetComplaint(f.ctx, "c1")
	require.NoError(f.t, err)
	assert.Equal(f.t, []escalation.Summons{{Party: escalation.PartyStreet, Lead: true}}, again.Summons)
}

func testComplaintCreateRefusals(f efx) {
	f.create(newComplaint("c1", 0))
	_, _, err := f.st.CreateComplaint(f.ctx, newComplaint("c1", 1), "", submitEvent("c1"))
	require.ErrorIs(f.t, err, gridgov.ErrAlreadyExists)
	_, _, err = f.st.CreateComplaint(f.ctx, newComplaint("", 1), "", submitEvent(""))
	require.ErrorIs(f.t, err, gridgov.ErrInvalid)
	h, err := f.st.History(f.ctx, "c1")
	require.NoError(f.t, err)
	assert.Len(f.t, h, 1, "refusals append nothing")
	evs, err := f.st.Events(f.ctx, 0, 0)
	require.NoError(f.t, err)
	assert.Len(f.t, evs, 1)
}

func testComplaintIdempotentCreate(f efx) {
	first, created, err := f.st.CreateComplaint(f.ctx, newComplaint("c1", 0), "key-1", submitEvent("c1"))
	require.NoError(f.t, err)
	require.True(f.t, created)
	other := newComplaint("c2", 3)
	other.Description = "a retry with other content"
	again, created, err := f.st.CreateComplaint(f.ctx, other, "key-1", submitEvent("c2"))
	require.NoError(f.t, err)
	assert.False(f.t, created)
	assert.Equal(f.t, first, again, "a retry returns the first complaint")
	_, err = f.st.GetComplaint(f.ctx, "c2")
	require.ErrorIs(f.t, err, gridgov.ErrNotFound, "and creates nothing")
	evs, err := f.st.Events(f.ctx, 0, 0)
	require.NoError(f.t, err)
	assert.Len(f.t, evs, 1, "and appends no event")
	// A retry after the complaint moved on returns it as it is now.
	_, err = f.step("c1", escalation.StateAccepted)
	require.NoError(f.t, err)
	now, created, err := f.st.CreateComplaint(f.ctx, newComplaint("c3", 0), "key-1", submitEvent("c3"))
	require.NoError(f.t, err)
	assert.False(f.t, created)
	assert.Equal(f.t, escalation.StateAccepted, now.State)
	assert.Equal(f.t, int64(2), now.Version)
}

func testComplaintUpdate(f efx) {
	f.create(newComplaint("c1", 0))
	got, err := f.step("c1", escalation.StateAccepted)
	require.NoError(f.t, err)
	assert.Equal(f.t, int64(2), got.Version)
	assert.Equal(f.t, escalation.StateAccepted, got.State)
	got, err = f.step("c1", escalation.StateReferred)
	require.NoError(f.t, err)
	assert.Equal(f.t, int64(3), got.Version)

	h, err := f.st.History(f.ctx, "c1")
	require.NoError(f.t, err)
	require.Len(f.t, h, 3)
	for i, ev := range h {
		assert.Equal(f.t, "c1", ev.ComplaintID, "the store sets ComplaintID")
		assert.Equal(f.t, int64(i+1), ev.Version, "the store sets Version")
		if i > 0 {
			assert.Greater(f.t, ev.Seq, h[i-1].Seq)
		}
	}
	assert.Equal(f.t, escalation.EventSubmit, h[0].Kind)
	assert.Equal(f.t, "submitted by storetest", h[0].Note)
	assert.Equal(f.t, escalation.StateReferred, h[2].To)

	missing := newComplaint("nope", 0)
	missing.Version = 1
	_, err = f.st.UpdateComplaint(f.ctx, missing, escalation.Event{Kind: "test"})
	require.ErrorIs(f.t, err, gridgov.ErrNotFound)
}

func testComplaintUpdateStale(f efx) {
	c := f.create(newComplaint("c1", 0))
	_, err := f.step("c1", escalation.StateAccepted)
	require.NoError(f.t, err)
	c.State = escalation.StateRejected // written from the stale version 1
	_, err = f.st.UpdateComplaint(f.ctx, c, escalation.Event{Kind: escalation.EventReject})
	require.ErrorIs(f.t, err, gridgov.ErrConflict)
	got, err := f.st.GetComplaint(f.ctx, "c1")
	require.NoError(f.t, err)
	assert.Equal(f.t, escalation.StateAccepted, got.State, "nothing changed")
	h, err := f.st.History(f.ctx, "c1")
	require.NoError(f.t, err)
	assert.Len(f.t, h, 2, "no event appended")
	evs, err := f.st.Events(f.ctx, 0, 0)
	require.NoError(f.t, err)
	assert.Len(f.t, evs, 2)
}

func complaintIDs(cs []escalation.Complaint) []string {
	out := []string{}
	for _, c := range cs {
		out = append(out, c.ID)
	}
	return out
}

func testComplaintList(f efx) {
	f.create(newComplaint("a", 0, "s1", "c1", "g1"))
	f.create(newComplaint("b", 1, "s1", "c1", "g2"))
	f.create(newComplaint("c", 2, "s1", "c2", "g3"))
	d := newComplaint("d", 3, "s2", "c3")
	d.Category = "parking"
	f.create(d)
	_, err := f.step("b", escalation.StateAccepted)
	require.NoError(f.t, err)

	for _, tc := range []struct {
		name string
		q    escalation.Query
		want []string
	}{
		{"all", escalation.Query{}, []string{"a", "b", "c", "d"}},
		{"within a root", escalation.Query{Within: "s1"}, []string{"a", "b", "c"}},
		{"within a middle node", escalation.Query{Within: "c1"}, []string{"a", "b"}},
		{"within the place itself", escalation.Query{Within: "g3"}, []string{"c"}},
		{"within an unknown node", escalation.Query{Within: "zz"}, []string{}},
		{"by state", escalation.Query{States: []escalation.State{escalation.StateAccepted}}, []string{"b"}},
		{"by states", escalation.Query{States: []escalation.State{escalation.StateAccepted, escalation.StateSubmitted}, Within: "c1"}, []string{"a", "b"}},
		{"by category", escalation.Query{Category: "parking"}, []string{"d"}},
		{"from (inclusive)", escalation.Query{From: day(1)}, []string{"b", "c", "d"}},
		{"to (exclusive)", escalation.Query{To: day(2)}, []string{"a", "b"}},
		{"period", escalation.Query{From: day(1), To: day(3), Within: "s1"}, []string{"b", "c"}},
	} {
		got, next, err := f.st.ListComplaints(f.ctx, tc.q)
		require.NoError(f.t, err, tc.name)
		assert.Equal(f.t, tc.want, complaintIDs(got), tc.name)
		assert.Equal(f.t, "", next, tc.name)
	}
}

func testComplaintListPaging(f efx) {
	for i := range 25 {
		f.create(newComplaint(fmt.Sprintf("c%02d", 24-i), i)) // created in reverse ID order
	}
	var all []string
	after := ""
	pages := 0
	for {
		got, next, err := f.st.ListComplaints(f.ctx, escalation.Query{Within: "community", After: after, Limit: 10})
		require.NoError(f.t, err)
		require.LessOrEqual(f.t, len(got), 10)
		all = append(all, complaintIDs(got)...)
		pages++
		if next == "" {
			break
		}
		assert.Equal(f.t, got[len(got)-1].ID, next, "the cursor is the last ID of the page")
		after = next
		require.Less(f.t, pages, 10, "paging must end")
	}
	want := make([]string, 25)
	for i := range want {
		want[i] = fmt.Sprintf("c%02d", i)
	}
	assert.Equal(f.t, want, all, "every complaint once, ordered by ID")
}

func testComplaintDue(f efx) {
	at := func(h int) time.Time { return t0.Add(time.Duration(h) * time.Hour) }
	for i, h := range []int{5, 3, 0, 3, 9} { // "c2" has no deadline
		c := newComplaint(fmt.Sprintf("c%d", i), 0)
		if h > 0 {
			c.DueAt = at(h)
		}
		f.create(c)
	}
	due := func(before time.Time, limit int) []string {
		f.t.Helper()
		got, err := f.st.ListDue(f.ctx, before, limit)
		require.NoError(f.t, err)
		return complaintIDs(got)
	}
	assert.Equal(f.t, []string{"c1", "c3", "c0"}, due(at(5), 0), "by DueAt then ID, the boundary included")
	assert.Equal(f.t, []string{"c1", "c3"}, due(at(5), 2), "limit")
	assert.Equal(f.t, []string{}, due(at(2), 0))
	assert.Equal(f.t, []string{"c1", "c3", "c0"}, due(at(5), 0), "listing changes nothing")

	// Moving, clearing and setting deadlines is reflected at once.
	c1, err := f.st.GetComplaint(f.ctx, "c1")
	require.NoError(f.t, err)
	c1.DueAt = at(8)
	_, err = f.st.UpdateComplaint(f.ctx, c1, escalation.Event{Kind: escalation.EventWarn})
	require.NoError(f.t, err)
	c3, err := f.st.GetComplaint(f.ctx, "c3")
	require.NoError(f.t, err)
	c3.DueAt = time.Time{}
	_, err = f.st.UpdateComplaint(f.ctx, c3, escalation.Event{Kind: escalation.EventResolve})
	require.NoError(f.t, err)
	c2, err := f.st.GetComplaint(f.ctx, "c2")
	require.NoError(f.t, err)
	c2.DueAt = at(1)
	_, err = f.st.UpdateComplaint(f.ctx, c2, escalation.Event{Kind: escalation.EventRefer})
	require.NoError(f.t, err)
	assert.Equal(f.t, []string{"c2", "c0", "c1"}, due(at(8), 0))
	// An update that keeps the deadline keeps it listed once.
	_, err = f.step("c2", escalation.StateSigned)
	require.NoError(f.t, err)
	assert.Equal(f.t, []string{"c2", "c0", "c1", "c4"}, due(at(100), 0))
	got, err := f.st.ListDue(f.ctx, at(1), 0)
	require.NoError(f.t, err)
	require.Len(f.t, got, 1)
	assert.Equal(f.t, escalation.StateSigned, got[0].State, "the complaint as it is now")
}

func testComplaintEvents(f efx) {
	f.create(newComplaint("a", 0))
	f.create(newComplaint("b", 0))
	_, err := f.step("a", escalation.StateAccepted)
	require.NoError(f.t, err)
	_, err = f.step("b", escalation.StateRejected)
	require.NoError(f.t, err)
	evs, err := f.st.Events(f.ctx, 0, 0)
	require.NoError(f.t, err)
	require.Len(f.t, evs, 4)
	for i, ev := range evs {
		assert.Equal(f.t, int64(i+1), ev.Seq, "gap-free from 1")
	}
	assert.Equal(f.t, []string{"a", "b", "a", "b"}, []string{evs[0].ComplaintID, evs[1].ComplaintID, evs[2].ComplaintID, evs[3].ComplaintID})
	page, err := f.st.Events(f.ctx, 1, 2)
	require.NoError(f.t, err)
	require.Len(f.t, page, 2)
	assert.Equal(f.t, int64(2), page[0].Seq)
	assert.Equal(f.t, int64(3), page[1].Seq)
	rest, err := f.st.Events(f.ctx, 4, 0)
	require.NoError(f.t, err)
	assert.Empty(f.t, rest)
}
