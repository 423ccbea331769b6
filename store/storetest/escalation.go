package storetest

import (
	"context"
	"fmt"
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"

	"github.com/gridgov/gridgov"
	"github.com/gridgov/gridgov/escalation"
)

// escalationTests lists the contract tests of escalation.Store, one subtest each.
var escalationTests = []struct {
	name string
	run  func(f escFx)
}{
	// Complaints and their histories.
	{"ComplaintCreateGet", testEscCreateGet},
	{"ComplaintEveryField", testEscEveryField},
	{"ComplaintCopies", testEscCopies},
	{"ComplaintCreateEmptyID", testEscCreateEmptyID},
	{"ComplaintCreateDuplicate", testEscCreateDuplicate},
	{"ComplaintCreateIdempotent", testEscCreateIdempotent},
	{"ComplaintNotFound", testEscNotFound},
	{"ComplaintUpdate", testEscUpdate},
	{"ComplaintVersions", testEscVersions},
	{"ComplaintUpdateStale", testEscUpdateStale},
	{"ComplaintHistory", testEscHistory},
	// Queries.
	{"ListFilters", testEscListFilters},
	{"ListPaging", testEscListPaging},
	{"ListReflectsUpdates", testEscListReflectsUpdates},
	{"ListDue", testEscListDue},
	{"ListDueFollowsUpdates", testEscListDueUpdates},
	{"Events", testEscEvents},
	{"RandomAgainstModel", testEscModel},
	// Concurrency.
	{"ConcurrentSameVersion", testEscConcurrentSameVersion},
	{"ConcurrentRetryLoops", testEscConcurrentRetry},
	{"ConcurrentEventFeed", testEscConcurrentFeed},
	{"ConcurrentIdempotentCreate", testEscConcurrentIdempotentCreate},
	{"ConcurrentCreateSameID", testEscConcurrentCreateSameID},
	// Context.
	{"CancelledContext", testEscCancelledContext},
}

func runEscalation(t *testing.T, newStores Harness) {
	for _, tc := range escalationTests {
		t.Run(tc.name, func(t *testing.T) {
			st := newStores(t).Escalation
			if st == nil {
				t.Skip("storetest: the harness provides no escalation store")
			}
			tc.run(escFx{t: t, st: st, ctx: t.Context()})
		})
	}
}

// escFx is one escalation subtest's fixture: its T, a fresh store and a live context.
type escFx struct {
	t   *testing.T
	st  escalation.Store
	ctx context.Context
}

// escActor is the actor of the fixtures' events.
var escActor = gridgov.SystemActor("storetest")

// escComplaint returns an unsaved complaint filed at the last node of path, with a
// reporter and an attachment (so that copies can be checked).
func escComplaint(id string, path ...string) escalation.Complaint {
	node := ""
	if len(path) > 0 {
		node = path[len(path)-1]
	}
	return escalation.Complaint{
		ID: id, Channel: escalation.ChannelHotline, Category: "property",
		Description: "楼道灯坏了 (corridor light broken) " + id,
		NodeID:      node, Path: slices.Clone(path),
		Reporter: escalation.Reporter{PersonID: "resident-" + id, Name: "张三丰", Phone: "13800138000"},
		Urgency:  escalation.UrgencyNormal, Attachments: []string{"photo-" + id + ".jpg"},
		State: escalation.StateSubmitted, SubmittedAt: t0,
	}
}

// escFullComplaint returns an unsaved complaint with every field set to a value other than
// its zero value, times in two zones.
func escFullComplaint(id string) escalation.Complaint {
	shanghai := time.FixedZone("CST", 8*3600)
	c := escComplaint(id, "st-1", "cm-1", "gd-1")
	c.Urgency = escalation.UrgencyMajor
	c.Attachments = []string{"a.jpg", "b.mp4"}
	c.State = escalation.StateInProgress
	c.Tier, c.TierLevel, c.TierNodeID = 1, "community", "cm-1"
	c.UnitID, c.Handler = "firm-1", "person-handler"
	c.SubmittedAt = t0.Add(123 * time.Millisecond)
	c.AcceptedAt = day(1)
	c.ReferredAt = day(1).Add(time.Hour).In(shanghai)
	c.RespondedAt = day(2)
	c.ResolvedAt = day(3)
	c.VerifiedAt = day(4)
	c.RatedAt = day(5)
	c.ClosedAt = day(6)
	c.PausedAt = day(7)
	c.ResponseDue = day(8)
	c.ResolutionDue = day(9).Add(time.Nanosecond)
	c.FirstResolutionDue = day(10)
	c.DueAt = day(8).In(shanghai)
	c.WarnedResponse, c.WarnedResolution = true, true
	c.Rating = escalation.Rating{Satisfaction: escalation.BasicSatisfied, Resolved: true, Comment: "还行 (fine)"}
	c.DuplicateOf = "c-0"
	c.Summons = []escalation.Summons{
		{Party: escalation.PartyFirm, OrgID: "firm-1", Lead: true, SummonedAt: day(1), Due: day(2), ReportedAt: day(1).Add(time.Hour), ReportedBy: "person-firm"},
		{Party: escalation.PartyStreet, SummonedAt: day(1), Due: day(2)},
	}
	c.Escalations, c.Reworks, c.LateResponses, c.LateReports, c.Breaches = 1, 2, 3, 4, 5
	return c
}

// escEvent returns an event for the store to record; ComplaintID, Version and Seq are left
// for the store to set.
func escEvent(kind escalation.EventKind, from, to escalation.State, at time.Time, note string) escalation.Event {
	return escalation.Event{Kind: kind, From: from, To: to, Tier: 0, Actor: escActor, At: at, Note: note}
}

// escSubmitted is the first event of a complaint.
func escSubmitted() escalation.Event {
	return escEvent(escalation.EventSubmit, "", escalation.StateSubmitted, t0, "submitted by storetest")
}

// create stores c without a key and returns the stored complaint.
func (f escFx) create(c escalation.Complaint) escalation.Complaint {
	f.t.Helper()
	got, created, err := f.st.CreateComplaint(f.ctx, c, "", escSubmitted())
	require.NoError(f.t, err, "CreateComplaint(%q)", c.ID)
	require.True(f.t, created, "CreateComplaint(%q)", c.ID)
	return got
}

// get returns the stored complaint id.
func (f escFx) get(id string) escalation.Complaint {
	f.t.Helper()
	c, err := f.st.GetComplaint(f.ctx, id)
	require.NoError(f.t, err, "GetComplaint(%q)", id)
	return c
}

// update applies change to the stored complaint id at its current version with a note
// event, and returns the stored result.
func (f escFx) update(id string, change func(c *escalation.Complaint)) escalation.Complaint {
	f.t.Helper()
	c := f.get(id)
	change(&c)
	got, err := f.st.UpdateComplaint(f.ctx, c, escEvent(escalation.EventWarn, c.State, c.State, day(1), "updated by storetest"))
	require.NoError(f.t, err, "UpdateComplaint(%q)", id)
	return got
}

// events returns the whole event feed.
func (f escFx) events() []escalation.Event {
	f.t.Helper()
	evs, err := f.st.Events(f.ctx, 0, 0)
	require.NoError(f.t, err)
	return evs
}

// history returns the history of id.
func (f escFx) history(id string) []escalation.Event {
	f.t.Helper()
	h, err := f.st.History(f.ctx, id)
	require.NoError(f.t, err, "History(%q)", id)
	return h
}

// list returns every complaint matching q (following the cursor) in one slice.
func (f escFx) list(q escalation.Query) []escalation.Complaint {
	f.t.Helper()
	var all []escalation.Complaint
	for page := 0; ; page++ {
		require.Less(f.t, page, 10_000, "ListComplaints never returns an empty cursor")
		got, next, err := f.st.ListComplaints(f.ctx, q)
		require.NoError(f.t, err, "ListComplaints(%+v)", q)
		all = append(all, got...)
		if next == "" {
			return all
		}
		require.NotEmpty(f.t, got, "a page with a next cursor holds complaints")
		require.Equal(f.t, got[len(got)-1].ID, next, "the cursor is the last ID of the page")
		q.After = next
	}
}

// listIDs returns the IDs of one ListComplaints call and its cursor.
func (f escFx) listIDs(q escalation.Query) ([]string, string) {
	f.t.Helper()
	got, next, err := f.st.ListComplaints(f.ctx, q)
	require.NoError(f.t, err, "ListComplaints(%+v)", q)
	return escIDs(got), next
}

// dueIDs returns the IDs ListDue returns.
func (f escFx) dueIDs(before time.Time, limit int) []string {
	f.t.Helper()
	got, err := f.st.ListDue(f.ctx, before, limit)
	require.NoError(f.t, err, "ListDue(%v, %d)", before, limit)
	return escIDs(got)
}

// escIDs returns the IDs of complaints, in order (never nil).
func escIDs(cs []escalation.Complaint) []string {
	out := make([]string, len(cs))
	for i, c := range cs {
		out[i] = c.ID
	}
	return out
}

// escNorm normalises a complaint for comparison (see normalised).
func escNorm(c escalation.Complaint) escalation.Complaint {
	return normalised(c)
}

// escFilled returns an unsaved complaint with every field, found by reflection, set to a
// value other than its zero value and derived from seed; so a field added to
// escalation.Complaint is covered by the suite without changing it. Times are in a zone
// other than UTC, with nanoseconds.
func escFilled(id string, seed int) escalation.Complaint {
	var c escalation.Complaint
	n := seed * 1000
	fillValue(reflect.ValueOf(&c).Elem(), &n)
	c.ID, c.Version = id, 0
	return c
}

// fillValue sets v to a value other than its zero value, numbering what it sets from *n.
func fillValue(v reflect.Value, n *int) {
	*n++
	shanghai := time.FixedZone("CST", 8*3600)
	switch k := v.Kind(); {
	case v.Type() == timeType:
		v.Set(reflect.ValueOf(t0.Add(time.Duration(*n)*time.Hour + time.Duration(*n)).In(shanghai)))
	case v.Type() == decimalType:
		v.Set(reflect.ValueOf(decimal.New(int64(*n)*1001, -3)))
	case k == reflect.Struct:
		for i := range v.NumField() {
			if v.Type().Field(i).IsExported() {
				fillValue(v.Field(i), n)
			}
		}
	case k == reflect.String:
		v.SetString(fmt.Sprintf("v%d", *n))
	case k >= reflect.Int && k <= reflect.Int64:
		v.SetInt(int64(*n))
	case k >= reflect.Uint && k <= reflect.Uintptr:
		v.SetUint(uint64(*n))
	case k == reflect.Float32 || k == reflect.Float64:
		v.SetFloat(float64(*n) + 0.5)
	case k == reflect.Bool:
		v.SetBool(true)
	case k == reflect.Slice:
		s := reflect.MakeSlice(v.Type(), 2, 2)
		for i := range 2 {
			fillValue(s.Index(i), n)
		}
		v.Set(s)
	case k == reflect.Map:
		m := reflect.MakeMap(v.Type())
		key, val := reflect.New(v.Type().Key()).Elem(), reflect.New(v.Type().Elem()).Elem()
		fillValue(key, n)
		fillValue(val, n)
		m.SetMapIndex(key, val)
		v.Set(m)
	case k == reflect.Pointer:
		p := reflect.New(v.Type().Elem())
		fillValue(p.Elem(), n)
		v.Set(p)
	}
}

func escNormAll(cs []escalation.Complaint) []escalation.Complaint {
	out := make([]escalation.Complaint, len(cs))
	for i, c := range cs {
		out[i] = escNorm(c)
	}
	return out
}

func escNormEvent(e escalation.Event) escalation.Event {
	e.At = at(e.At)
	return e
}

func escNormEvents(evs []escalation.Event) []escalation.Event {
	out := make([]escalation.Event, len(evs))
	for i, e := range evs {
		out[i] = escNormEvent(e)
	}
	return out
}

// requireComplaint checks that got is want (see escNorm).
func (f escFx) requireComplaint(want, got escalation.Complaint, msgAndArgs ...any) {
	f.t.Helper()
	require.Equal(f.t, escNorm(want), escNorm(got), msgAndArgs...)
}

// requireEvent checks that got is want, except for Seq, which the store assigns.
func (f escFx) requireEvent(want, got escalation.Event, msgAndArgs ...any) {
	f.t.Helper()
	want.Seq = got.Seq
	require.Equal(f.t, escNormEvent(want), escNormEvent(got), msgAndArgs...)
}

// escSnapshot is everything an escalation store holds, as its queries show it.
type escSnapshot struct {
	Complaints []escalation.Complaint
	Histories  map[string][]escalation.Event
	Events     []escalation.Event
	Due        []string
}

// snapshot reads the whole store, so that a refused write can be shown to change nothing.
func (f escFx) snapshot() escSnapshot {
	f.t.Helper()
	snap := escSnapshot{
		Complaints: escNormAll(f.list(escalation.Query{})),
		Histories:  map[string][]escalation.Event{},
		Events:     escNormEvents(f.events()),
		Due:        f.dueIDs(day(100_000), 0),
	}
	for _, c := range snap.Complaints {
		snap.Histories[c.ID] = escNormEvents(f.history(c.ID))
	}
	return snap
}

// requireUnchanged checks that the store still equals before.
func (f escFx) requireUnchanged(before escSnapshot, msgAndArgs ...any) {
	f.t.Helper()
	require.Equal(f.t, before, f.snapshot(), msgAndArgs...)
}
