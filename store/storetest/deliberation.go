package storetest

import (
	"context"
	"fmt"
	"reflect"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"

	"github.com/gridgov/gridgov"
	"github.com/gridgov/gridgov/governance/deliberation"
)

// deliberationTests lists the contract tests of deliberation.Store, one subtest each.
var deliberationTests = []struct {
	name string
	run  func(f delFx)
}{
	// Items and their histories.
	{"ItemCreateGet", testDelCreateGet},
	{"ItemEveryField", testDelEveryField},
	{"ItemCopies", testDelCopies},
	{"ItemCreateEmptyID", testDelCreateEmptyID},
	{"ItemCreateDuplicate", testDelCreateDuplicate},
	{"ItemCreateIdempotent", testDelCreateIdempotent},
	{"ItemNotFound", testDelNotFound},
	{"ItemUpdate", testDelUpdate},
	{"ItemUpdateStale", testDelUpdateStale},
	{"ItemHistory", testDelHistory},
	// Queries.
	{"ListFilters", testDelListFilters},
	{"ListPaging", testDelListPaging},
	{"Disclosures", testDelDisclosures},
	{"DisclosureFilters", testDelDisclosureFilters},
	// Concurrency.
	{"ConcurrentSameVersion", testDelConcurrentSameVersion},
	{"ConcurrentRetryLoops", testDelConcurrentRetry},
	{"ConcurrentIdempotentCreate", testDelConcurrentIdempotentCreate},
	// Context.
	{"CancelledContext", testDelCancelledContext},
}

func runDeliberation(t *testing.T, newStores Harness) {
	for _, tc := range deliberationTests {
		t.Run(tc.name, func(t *testing.T) {
			st := newStores(t).Deliberation
			if st == nil {
				t.Skip("storetest: the harness provides no deliberation store")
			}
			tc.run(delFx{t: t, st: st, ctx: t.Context()})
		})
	}
}

// delFx is one deliberation subtest's fixture: its T, a fresh store and a live context.
type delFx struct {
	t   *testing.T
	st  deliberation.Store
	ctx context.Context
}

// delActor is the actor of the fixtures' events.
var delActor = gridgov.SystemActor("storetest")

// delItem returns an unsaved item at the last node of path, with participants, options, a
// roll, ballots, a notice with an objection and a cost split (so that copies can be
// checked).
func delItem(id string, path ...string) deliberation.Item {
	node := ""
	if len(path) > 0 {
		node = path[len(path)-1]
	}
	return deliberation.Item{
		ID: id, NodeID: node, Path: append([]string(nil), path...),
		Title: "单元门更换 " + id, Category: "unit_door", Source: deliberation.SourceBuildingMeeting,
		RaisedBy: delActor, State: deliberation.StateRaised,
		FirstRound: deliberation.FirstRound{Participants: []deliberation.Participant{
			{ID: "p1", Kind: deliberation.KindPropertyFirm, Name: "王经理"}}},
		Meeting: deliberation.Meeting{Participants: []deliberation.Participant{
			{ID: "p1", Kind: deliberation.KindPartyMember, Name: "刘书记", Voting: true, Attended: true}}},
		Proposals: []deliberation.Proposal{{ID: "A", Title: "自筹", Cost: decimal.RequireFromString("6800.00"),
			Funding: deliberation.FundResidents, SubsidyRate: decimal.RequireFromString("0.3")}},
		Vote: deliberation.Vote{Rule: deliberation.CivilCode278(), Roll: deliberation.Roll{
			TotalArea: decimal.RequireFromString("100"), TotalOwners: 1, Households: []deliberation.Household{
				{ID: "101", OwnerID: "o1", CoOwners: []string{"o1b"}, Area: decimal.RequireFromString("100")}}},
			Ballots: []deliberation.Ballot{{HouseholdID: "101", VoterID: "o1", Choice: "A", CollectedAt: t0}},
			Tally:   deliberation.Tally{Proposals: []deliberation.ProposalCount{{ProposalID: "A"}}}},
		Notices: []deliberation.Notice{{Kind: deliberation.NoticeDecision, Start: t0, End: day(7),
			Objections: []deliberation.Objection{{ID: "o1", Content: "异议", Name: "钱先生"}}}},
		CreatedAt: t0, UpdatedAt: t0,
	}
}

// delEvent returns an event for the store to record; ItemID and Version are left for the
// store to set.
func delEvent(kind deliberation.EventKind, from, to deliberation.State, at time.Time, note string) deliberation.Event {
	return deliberation.Event{Kind: kind, From: from, To: to, Actor: delActor, At: at, Note: note}
}

// delRaised is the first event of an item.
func delRaised() deliberation.Event {
	return delEvent(deliberation.EventRaise, "", deliberation.StateRaised, t0, "raised by storetest")
}

// delDisclosure returns a disclosure dated at (ItemID and Version left for the store).
func delDisclosure(kind deliberation.DisclosureKind, at time.Time) *deliberation.Disclosure {
	return &deliberation.Disclosure{Kind: kind, Subject: deliberation.SubjectDecision,
		Channel: deliberation.ChannelNoticeBoard, Date: at, Summary: "公示", Requester: "孙女士", RecordedBy: delActor}
}

// create stores it without a key and returns the stored item.
func (f delFx) create(it deliberation.Item) deliberation.Item {
	f.t.Helper()
	got, created, err := f.st.CreateItem(f.ctx, it, "", delRaised())
	require.NoError(f.t, err, "CreateItem(%q)", it.ID)
	require.True(f.t, created, "CreateItem(%q)", it.ID)
	return got
}

// get returns the stored item id.
func (f delFx) get(id string) deliberation.Item {
	f.t.Helper()
	it, err := f.st.GetItem(f.ctx, id)
	require.NoError(f.t, err, "GetItem(%q)", id)
	return it
}

// update applies change to the stored item id at its current version with ev, and returns
// the stored result.
func (f delFx) update(id string, ev deliberation.Event, change func(it *deliberation.Item)) deliberation.Item {
	f.t.Helper()
	it := f.get(id)
	change(&it)
	got, err := f.st.UpdateItem(f.ctx, it, ev)
	require.NoError(f.t, err, "UpdateItem(%q)", id)
	return got
}

// history returns the history of id.
func (f delFx) history(id string) []deliberation.Event {
	f.t.Helper()
	h, err := f.st.History(f.ctx, id)
	require.NoError(f.t, err, "History(%q)", id)
	return h
}

// list returns every item matching q (following the cursor) in one slice.
func (f delFx) list(q deliberation.Query) []deliberation.Item {
	f.t.Helper()
	var all []deliberation.Item
	for page := 0; ; page++ {
		require.Less(f.t, page, 10_000, "ListItems never returns an empty cursor")
		got, next, err := f.st.ListItems(f.ctx, q)
		require.NoError(f.t, err, "ListItems(%+v)", q)
		all = append(all, got...)
		if next == "" {
			return all
		}
		require.NotEmpty(f.t, got, "a page with a next cursor holds items")
		require.Equal(f.t, got[len(got)-1].ID, next, "the cursor is the last ID of the page")
		q.After = next
	}
}

// disclosures returns the disclosures matching q.
func (f delFx) disclosures(q deliberation.DisclosureQuery) []deliberation.Disclosure {
	f.t.Helper()
	ds, err := f.st.Disclosures(f.ctx, q)
	require.NoError(f.t, err, "Disclosures(%+v)", q)
	return ds
}

func delIDs(items []deliberation.Item) []string {
	out := make([]string, len(items))
	for i, it := range items {
		out[i] = it.ID
	}
	return out
}

// delFilled returns an unsaved item with every field, found by reflection, set to a value
// other than its zero value and derived from seed; so a field added to deliberation.Item is
// covered without changing the suite. Times are in a zone other than UTC, with nanoseconds;
// decimals have fen.
func delFilled(id string, seed int) deliberation.Item {
	var it deliberation.Item
	n := seed * 1000
	delFillValue(reflect.ValueOf(&it).Elem(), &n)
	it.ID, it.Version = id, 0
	return it
}

// delFillValue sets v to a value other than its zero value, numbering what it sets from
// *n.
func delFillValue(v reflect.Value, n *int) {
	*n++
	shanghai := time.FixedZone("CST", 8*3600)
	switch k := v.Kind(); {
	case v.Type() == timeType:
		v.Set(reflect.ValueOf(t0.Add(time.Duration(*n)*time.Hour + time.Duration(*n)).In(shanghai)))
	case v.Type() == decimalType:
		v.Set(reflect.ValueOf(decimal.New(int64(*n)*100+1, -2)))
	case k == reflect.Struct:
		for i := range v.NumField() {
			if v.Type().Field(i).IsExported() {
				delFillValue(v.Field(i), n)
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
			delFillValue(s.Index(i), n)
		}
		v.Set(s)
	case k == reflect.Map:
		m := reflect.MakeMap(v.Type())
		key, val := reflect.New(v.Type().Key()).Elem(), reflect.New(v.Type().Elem()).Elem()
		delFillValue(key, n)
		delFillValue(val, n)
		m.SetMapIndex(key, val)
		v.Set(m)
	case k == reflect.Pointer:
		p := reflect.New(v.Type().Elem())
		delFillValue(p.Elem(), n)
		v.Set(p)
	}
}

// delScribble changes every value reachable from v in place (strings, numbers, times,
// decimals, slice elements, map entries, pointees), to show that a returned value shares
// nothing with the store.
func delScribble(v reflect.Value) {
	switch k := v.Kind(); {
	case !v.CanSet():
		return
	case v.Type() == timeType:
		v.Set(reflect.ValueOf(time.Date(1999, 1, 1, 0, 0, 0, 0, time.UTC)))
	case v.Type() == decimalType:
		v.Set(reflect.ValueOf(decimal.New(-999, 0)))
	case k == reflect.Struct:
		for i := range v.NumField() {
			if v.Type().Field(i).IsExported() {
				delScribble(v.Field(i))
			}
		}
	case k == reflect.String:
		v.SetString("scribbled")
	case k >= reflect.Int && k <= reflect.Int64:
		v.SetInt(-7)
	case k == reflect.Bool:
		v.SetBool(!v.Bool())
	case k == reflect.Slice:
		for i := range v.Len() {
			delScribble(v.Index(i))
		}
	case k == reflect.Map:
		for _, key := range v.MapKeys() {
			e := reflect.New(v.Type().Elem()).Elem()
			e.Set(v.MapIndex(key))
			delScribble(e)
			v.SetMapIndex(key, e)
		}
	case k == reflect.Pointer:
		if !v.IsNil() {
			delScribble(v.Elem())
		}
	}
}

// scribble changes everything reachable from *p.
func scribble[T any](p *T) { delScribble(reflect.ValueOf(p).Elem()) }

// requireItem checks that got is want (see normalised).
func (f delFx) requireItem(want, got deliberation.Item, msgAndArgs ...any) {
	f.t.Helper()
	require.Equal(f.t, normalised(want), normalised(got), msgAndArgs...)
}

// delSnapshot is everything a deliberation store holds, as its queries show it.
type delSnapshot struct {
	Items       []deliberation.Item
	Histories   map[string][]deliberation.Event
	Disclosures []deliberation.Disclosure
}

// snapshot reads the whole store, so that a refused write can be shown to change nothing.
func (f delFx) snapshot() delSnapshot {
	f.t.Helper()
	snap := delSnapshot{Items: normalised(f.list(deliberation.Query{})), Histories: map[string][]deliberation.Event{},
		Disclosures: normalised(f.disclosures(deliberation.DisclosureQuery{}))}
	for _, it := range snap.Items {
		snap.Histories[it.ID] = normalised(f.history(it.ID))
	}
	return snap
}

// requireUnchanged checks that the store still equals before.
func (f delFx) requireUnchanged(before delSnapshot, msgAndArgs ...any) {
	f.t.Helper()
	require.Equal(f.t, before, f.snapshot(), msgAndArgs...)
}
