package postgres_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gridgov/gridgov"
	"github.com/gridgov/gridgov/governance/deliberation"
)

// agendaItem returns an unsaved agenda item at path with a roll, a ballot and a notice.
func agendaItem(id string, path ...string) deliberation.Item {
	return deliberation.Item{ID: id, NodeID: path[len(path)-1], Path: path, Title: "单元门更换",
		Category: deliberation.CategoryUnitDoor, Source: deliberation.SourceDirect, RaisedBy: system,
		State: deliberation.StateRaised,
		Proposals: []deliberation.Proposal{{ID: "A", Title: "自筹", Cost: money("6800.00"), Funding: deliberation.FundResidents,
			SubsidyRate: money("0.30")}},
		Vote: deliberation.Vote{Rule: deliberation.CivilCode278(), Roll: deliberation.Roll{TotalArea: money("88.50"), TotalOwners: 1,
			Households: []deliberation.Household{{ID: "1-1-101", OwnerID: "o1", Area: money("88.50")}}},
			Ballots: []deliberation.Ballot{{HouseholdID: "1-1-101", VoterID: "o1", Choice: "A", CollectedAt: t0}}},
		Notices: []deliberation.Notice{{Kind: deliberation.NoticeDecision, Start: t0, End: t0.AddDate(0, 0, 7),
			Objections: []deliberation.Objection{{ID: "o1", Name: "钱先生", Content: "异议"}}}},
		CreatedAt: t0, UpdatedAt: t0}
}

func raised() deliberation.Event {
	return deliberation.Event{Kind: deliberation.EventRaise, To: deliberation.StateRaised, Actor: system, At: t0}
}

// Values PostgreSQL cannot store, anywhere in an item, its event or a query, are refused
// with gridgov.ErrInvalid naming each field, and nothing is stored.
func TestDeliberationUnstorable(t *testing.T) {
	db := newDB(t)
	st := db.Deliberation()
	ctx := t.Context()
	bad := agendaItem("i1", "st", "cm")
	bad.Vote.Ballots[0].VoterID = "o\x001"
	bad.Notices[0].Objections[0].Content = "\xff"
	bad.Award.AwardedAt = time.Date(300000, 1, 1, 0, 0, 0, 0, time.UTC)
	ev := raised()
	ev.Disclosure = &deliberation.Disclosure{Kind: deliberation.DisclosureProactive, Date: t0, Summary: "nul\x00"}
	_, _, err := st.CreateItem(ctx, bad, "", ev)
	require.ErrorIs(t, err, gridgov.ErrInvalid)
	var verr *gridgov.ValidationError
	require.ErrorAs(t, err, &verr)
	assert.ElementsMatch(t, []string{"Vote.Ballots[0].VoterID", "Notices[0].Objections[0].Content", "Award.AwardedAt",
		"Event.Disclosure.Summary"}, verr.FieldNames())
	_, err = st.GetItem(ctx, "i1")
	require.ErrorIs(t, err, gridgov.ErrNotFound)

	// A retried raise is answered by its key, whatever it holds.
	first, created, err := st.CreateItem(ctx, agendaItem("i2", "st", "cm"), "complaint:c1", raised())
	require.NoError(t, err)
	require.True(t, created)
	again, created, err := st.CreateItem(ctx, bad, "complaint:c1", ev)
	require.NoError(t, err)
	assert.False(t, created)
	assert.Equal(t, first.ID, again.ID)
	_, _, err = st.CreateItem(ctx, agendaItem("i3", "st"), "key\x00", raised())
	require.ErrorIs(t, err, gridgov.ErrInvalid)

	// An update is refused whole.
	upd := first.Clone()
	upd.Title, upd.Vote.Ballots[0].Choice = "改了", "\xfe"
	_, err = st.UpdateItem(ctx, upd, raised())
	require.ErrorIs(t, err, gridgov.ErrInvalid)
	require.ErrorAs(t, err, &verr)
	assert.Equal(t, []string{"Vote.Ballots[0].Choice"}, verr.FieldNames())
	got, err := st.GetItem(ctx, "i2")
	require.NoError(t, err)
	assert.EqualValues(t, 1, got.Version)
	assert.Equal(t, "单元门更换", got.Title)
	h, err := st.History(ctx, "i2")
	require.NoError(t, err)
	assert.Len(t, h, 1)

	_, _, err = st.ListItems(ctx, deliberation.Query{Within: "st\x00"})
	require.ErrorIs(t, err, gridgov.ErrInvalid)
	_, err = st.Disclosures(ctx, deliberation.DisclosureQuery{From: time.Date(-5000, 1, 1, 0, 0, 0, 0, time.UTC)})
	require.ErrorIs(t, err, gridgov.ErrInvalid)
	_, err = st.GetItem(ctx, "bad\x00id")
	require.ErrorIs(t, err, gridgov.ErrNotFound, "an ID that cannot be stored names nothing")
	_, err = st.History(ctx, "\xff")
	require.ErrorIs(t, err, gridgov.ErrNotFound)
}

// Amounts keep their scale, and every field keeps its value, through a write and a read.
func TestDeliberationDecimals(t *testing.T) {
	st := newDB(t).Deliberation()
	ctx := t.Context()
	in := agendaItem("i1", "st", "cm", "b1")
	in.Implementation.Bill = money("6800.00")
	stored, _, err := st.CreateItem(ctx, in, "", raised())
	require.NoError(t, err)
	got, err := st.GetItem(ctx, "i1")
	require.NoError(t, err)
	for _, it := range []deliberation.Item{stored, got} {
		assert.Equal(t, "6800.00", it.Proposals[0].Cost.StringFixed(-it.Proposals[0].Cost.Exponent()))
		assert.EqualValues(t, -2, it.Proposals[0].Cost.Exponent(), "the scale is kept")
		assert.True(t, money("0.3").Equal(it.Proposals[0].SubsidyRate))
		assert.True(t, money("88.5").Equal(it.Vote.Roll.Households[0].Area))
		assert.True(t, money("6800").Equal(it.Implementation.Bill))
		assert.Equal(t, deliberation.CivilCode278(), it.Vote.Rule)
		assert.Equal(t, "钱先生", it.Notices[0].Objections[0].Name.Reveal(), "personal data is stored unmasked")
	}
}

// A store call whose connection is killed while it waits for the item's row writes
// nothing: no version, no event, no disclosure.
func TestDeliberationKilledConnection(t *testing.T) {
	dsn := newDSN(t)
	db, admin := open(t, dsn), open(t, dsn)
	st := db.Deliberation()
	ctx := t.Context()
	it, _, err := st.CreateItem(ctx, agendaItem("i1", "st"), "", raised())
	require.NoError(t, err)

	holder, err := admin.Pool().Begin(ctx)
	require.NoError(t, err)
	defer func() { _ = holder.Rollback(context.WithoutCancel(ctx)) }()
	_, err = holder.Exec(ctx, "SELECT 1 FROM delib_items WHERE id = 'i1' FOR UPDATE")
	require.NoError(t, err)
	done := make(chan error, 1)
	go func() {
		upd := it.Clone()
		upd.State = deliberation.StateFirstRound
		ev := deliberation.Event{Kind: deliberation.EventStart, From: deliberation.StateRaised, To: deliberation.StateFirstRound,
			Actor: system, At: t0, Disclosure: &deliberation.Disclosure{Kind: deliberation.DisclosureProactive, Date: t0}}
		_, err := st.UpdateItem(ctx, upd, ev)
		done <- err
	}()
	pid := waitForLock(t, admin, "delib_disclosures")
	var ok bool
	require.NoError(t, admin.Pool().QueryRow(ctx, "SELECT pg_terminate_backend($1)", pid).Scan(&ok))
	require.True(t, ok)
	require.Error(t, <-done, "the killed call fails")
	require.NoError(t, holder.Rollback(ctx))

	after, err := st.GetItem(ctx, "i1")
	require.NoError(t, err)
	assert.EqualValues(t, 1, after.Version, "no version was written")
	assert.Equal(t, deliberation.StateRaised, after.State)
	h, err := st.History(ctx, "i1")
	require.NoError(t, err)
	assert.Len(t, h, 1, "no event was appended")
	ds, err := st.Disclosures(ctx, deliberation.DisclosureQuery{})
	require.NoError(t, err)
	assert.Empty(t, ds, "no disclosure was logged")
	// The pool recovers and the update goes through whole.
	upd := after.Clone()
	upd.State = deliberation.StateFirstRound
	_, err = st.UpdateItem(ctx, upd, deliberation.Event{Kind: deliberation.EventStart, Actor: system, At: t0})
	require.NoError(t, err)
}
