package memory_test

import (
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gridgov/gridgov"
	"github.com/gridgov/gridgov/escalation"
	"github.com/gridgov/gridgov/store/memory"
)

// escT0 is the fixed time of the memory store's own escalation tests.
var escT0 = time.Date(2024, time.March, 1, 9, 0, 0, 0, time.UTC)

// The memory store's refusals are *gridgov.ValidationError values naming the field in
// English and Chinese; where the contract is silent it refuses negative limits.
func TestEscalationErrorsNameTheField(t *testing.T) {
	ctx := t.Context()
	st := memory.NewEscalationStore()
	ev := escalation.Event{Kind: escalation.EventSubmit, At: escT0}
	_, _, err := st.CreateComplaint(ctx, escalation.Complaint{ID: "c-1"}, "", ev)
	require.NoError(t, err)

	for _, tc := range []struct {
		name   string
		err    error
		kind   error
		fields []string
	}{
		{"empty ID", func() error {
			_, _, err := st.CreateComplaint(ctx, escalation.Complaint{}, "", ev)
			return err
		}(), gridgov.ErrInvalid, []string{"ID"}},
		{"duplicate ID", func() error {
			_, _, err := st.CreateComplaint(ctx, escalation.Complaint{ID: "c-1"}, "", ev)
			return err
		}(), gridgov.ErrAlreadyExists, []string{"ID"}},
		{"negative page limit", func() error {
			_, _, err := st.ListComplaints(ctx, escalation.Query{Limit: -1})
			return err
		}(), gridgov.ErrInvalid, []string{"Limit"}},
		{"negative due limit", func() error { _, err := st.ListDue(ctx, escT0, -1); return err }(),
			gridgov.ErrInvalid, []string{"limit"}},
		{"negative event limit", func() error { _, err := st.Events(ctx, 0, -5); return err }(),
			gridgov.ErrInvalid, []string{"limit"}},
	} {
		require.ErrorIs(t, tc.err, tc.kind, tc.name)
		var verr *gridgov.ValidationError
		require.ErrorAs(t, tc.err, &verr, tc.name)
		assert.Equal(t, tc.fields, verr.FieldNames(), tc.name)
		for _, f := range verr.Fields {
			assert.NotEmpty(t, f.EN, tc.name)
			assert.NotEmpty(t, f.ZH, tc.name)
		}
	}

	c, err := st.GetComplaint(ctx, "c-1")
	require.NoError(t, err)
	c.Version = 3
	_, err = st.UpdateComplaint(ctx, c, ev)
	require.ErrorIs(t, err, gridgov.ErrConflict)
	evs, err := st.Events(ctx, -10, 0)
	require.NoError(t, err)
	assert.Len(t, evs, 1, "a negative after reads from the start")
}

// UpdateComplaint keeps Path, SubmittedAt and Reporter from creation, whatever the update
// holds (the contract lets a store ignore changes to them; this one does).
func TestEscalationUpdateKeepsIntake(t *testing.T) {
	ctx := t.Context()
	st := memory.NewEscalationStore()
	c := escalation.Complaint{
		ID: "c-1", NodeID: "gd-1", Path: []string{"st-1", "cm-1", "gd-1"}, SubmittedAt: escT0,
		Reporter: escalation.Reporter{PersonID: "p-1", Name: "李四", Phone: "13900001111"},
		State:    escalation.StateSubmitted,
	}
	_, _, err := st.CreateComplaint(ctx, c, "", escalation.Event{Kind: escalation.EventSubmit, At: escT0})
	require.NoError(t, err)
	upd := c.Clone()
	upd.Version = 1
	upd.Path = []string{"elsewhere"}
	upd.SubmittedAt = escT0.AddDate(1, 0, 0)
	upd.Reporter = escalation.Reporter{Name: "王五"}
	upd.State = escalation.StateAccepted
	got, err := st.UpdateComplaint(ctx, upd, escalation.Event{Kind: escalation.EventAccept, At: escT0})
	require.NoError(t, err)
	want := c.Clone()
	want.State, want.Version = escalation.StateAccepted, 2
	assert.Equal(t, want, got)
	listed, _, err := st.ListComplaints(ctx, escalation.Query{Within: "cm-1"})
	require.NoError(t, err)
	assert.Len(t, listed, 1)
	listed, _, err = st.ListComplaints(ctx, escalation.Query{Within: "elsewhere"})
	require.NoError(t, err)
	assert.Empty(t, listed)
}

// randomComplaint returns a complaint with random content: times in several zones (some
// zero), strings (some empty, some not UTF-8), slices (nil when empty).
func randomComplaint(r *rand.Rand, id string) escalation.Complaint {
	zones := []*time.Location{time.UTC, time.FixedZone("CST", 8*3600), time.FixedZone("X", -3*3600-1800)}
	tm := func() time.Time {
		if r.IntN(3) == 0 {
			return time.Time{}
		}
		return time.Unix(r.Int64N(4e9)-1e9, r.Int64N(1e9)).In(zones[r.IntN(len(zones))])
	}
	str := func() string {
		switch r.IntN(4) {
		case 0:
			return ""
		case 1:
			return "\xff\xfe" + fmt.Sprint(r.IntN(100))
		}
		return fmt.Sprintf("值-%d", r.IntN(1000))
	}
	strs := func() []string {
		var out []string
		for range r.IntN(4) {
			out = append(out, str())
		}
		return out
	}
	c := escalation.Complaint{
		ID: id, Channel: escalation.Channel(str()), Category: str(), Description: str(), NodeID: str(),
		Path:     strs(),
		Reporter: escalation.Reporter{PersonID: str(), Name: gridgov.PersonName(str()), Phone: gridgov.Phone(str())},
		Urgency:  escalation.Urgency(str()), Attachments: strs(), State: escalation.State(str()),
		Tier: r.IntN(7) - 1, TierLevel: str(), TierNodeID: str(), UnitID: str(), Handler: str(),
		SubmittedAt: tm(), AcceptedAt: tm(), ReferredAt: tm(), RespondedAt: tm(), ResolvedAt: tm(),
		VerifiedAt: tm(), RatedAt: tm(), ClosedAt: tm(), PausedAt: tm(), ResponseDue: tm(),
		ResolutionDue: tm(), FirstResolutionDue: tm(), DueAt: tm(),
		WarnedResponse: r.IntN(2) == 0, WarnedResolution: r.IntN(2) == 0,
		Rating:      escalation.Rating{Satisfaction: escalation.Satisfaction(str()), Resolved: r.IntN(2) == 0, Comment: str()},
		DuplicateOf: str(),
		Escalations: r.IntN(5), Reworks: r.IntN(5) - 2, LateResponses: r.IntN(1000), LateReports: r.IntN(3),
		Breaches: r.IntN(1 << 20),
	}
	for range r.IntN(3) {
		c.Summons = append(c.Summons, escalation.Summons{Party: escalation.PartyKind(str()), OrgID: str(),
			Lead: r.IntN(2) == 0, SummonedAt: tm(), Due: tm(), ReportedAt: tm(), ReportedBy: str()})
	}
	return c
}

// Random complaints round-trip exactly, times in their own zones, through creation and
// through updates that change everything the store does not keep from intake.
func TestEscalationRoundTripProperty(t *testing.T) {
	ctx := t.Context()
	st := memory.NewEscalationStore()
	r := rand.New(rand.NewPCG(3, 5))
	for i := range 300 {
		id := fmt.Sprintf("c-%03d", i)
		c := randomComplaint(r, id)
		ev := escalation.Event{Kind: escalation.EventKind(fmt.Sprint("k", i%7)), From: c.State, To: c.State,
			Tier: i % 4, Actor: gridgov.PersonActor(fmt.Sprint("p-", i%13)), At: randomComplaint(r, "").AcceptedAt, Note: fmt.Sprint(i)}
		got, created, err := st.CreateComplaint(ctx, c, "", ev)
		require.NoError(t, err)
		require.True(t, created)
		want := c.Clone()
		want.Version = 1
		require.Equal(t, want, got, "create %d", i)

		next := randomComplaint(r, id)
		next.Path, next.SubmittedAt, next.Reporter, next.Version = c.Path, c.SubmittedAt, c.Reporter, 1
		got, err = st.UpdateComplaint(ctx, next, ev)
		require.NoError(t, err)
		next.Version = 2
		require.Equal(t, next, got, "update %d", i)
		fromGet, err := st.GetComplaint(ctx, id)
		require.NoError(t, err)
		require.Equal(t, next, fromGet, "get %d", i)

		hist, err := st.History(ctx, id)
		require.NoError(t, err)
		require.Len(t, hist, 2)
		ev.ComplaintID, ev.Version, ev.Seq = id, 2, hist[1].Seq
		require.Equal(t, ev, hist[1], "event %d", i)
	}
}

// FuzzEscalationRoundTrip stores a complaint built from the fuzzer's values and reads it
// back unchanged; nothing the caller can put in a complaint or event makes the store fail
// or panic.
func FuzzEscalationRoundTrip(f *testing.F) {
	f.Add("c-1", "楼道灯坏了", "gd-1", "张三", "13800138000", "note", int64(1709283600), int64(0), 0, 0)
	f.Add("", "", "", "", "", "", int64(0), int64(0), -1, 0)
	f.Add("\x00", "\xff", "a\x00b", "\u200b", "+86 138", "\n", int64(-62135596800), int64(999999999), 1<<30, -1<<30)
	f.Add("x", "y", "z", "w", "v", "u", int64(1<<62), int64(1), 5, 99)
	f.Fuzz(func(t *testing.T, id, desc, node, name, phone, note string, sec, nsec int64, tier, count int) {
		ctx := t.Context()
		st := memory.NewEscalationStore()
		at := time.Unix(sec, nsec).In(time.FixedZone("Z", int(nsec%50_000)))
		if at.IsZero() {
			at = time.Time{} // a zero instant comes back as the zero time.Time, whatever its zone
		}
		c := escalation.Complaint{
			ID: id, Description: desc, NodeID: node, Path: []string{node, desc, node},
			Reporter: escalation.Reporter{Name: gridgov.PersonName(name), Phone: gridgov.Phone(phone)},
			Tier:     tier, SubmittedAt: at, DueAt: at, ResolutionDue: at.Add(time.Hour), Reworks: count,
			Summons: []escalation.Summons{{OrgID: note, Due: at, ReportedBy: name}},
		}
		ev := escalation.Event{Kind: escalation.EventKind(note), Tier: tier, At: at, Note: note, Actor: gridgov.PersonActor(name)}
		got, created, err := st.CreateComplaint(ctx, c, note, ev)
		if id == "" {
			require.ErrorIs(t, err, gridgov.ErrInvalid)
			return
		}
		require.NoError(t, err)
		require.True(t, created)
		c.Version = 1
		require.Equal(t, c, got)
		due, err := st.ListDue(ctx, at, 0)
		require.NoError(t, err)
		if !at.IsZero() {
			require.Len(t, due, 1)
			require.Equal(t, c, due[0])
		}
		list, _, err := st.ListComplaints(ctx, escalation.Query{Within: desc, From: at, Limit: 1})
		require.NoError(t, err)
		require.Len(t, list, 1)
		evs, err := st.Events(ctx, 0, 0)
		require.NoError(t, err)
		ev.ComplaintID, ev.Version, ev.Seq = id, 1, 1
		require.Equal(t, []escalation.Event{ev}, evs)
	})
}
