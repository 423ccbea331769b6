package deliberation_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gridgov/gridgov"
	"github.com/gridgov/gridgov/escalation"
	"github.com/gridgov/gridgov/funding"
	"github.com/gridgov/gridgov/governance/deliberation"
	"github.com/gridgov/gridgov/store/memory"
)

func TestNewForumRefusals(t *testing.T) {
	f := newFixture(t)
	_, err := deliberation.NewForum(nil, nil)
	requireFields(t, err, gridgov.ErrInvalid, "store", "registry")
	_, err = deliberation.NewForum(memory.NewDeliberationStore(), f.reg, deliberation.WithNoticeDays(0))
	requireFields(t, err, gridgov.ErrInvalid, "WithNoticeDays")
	_, err = deliberation.NewForum(memory.NewDeliberationStore(), f.reg, deliberation.WithNoticeDays(deliberation.MaxNoticeDays+1))
	requireFields(t, err, gridgov.ErrInvalid, "WithNoticeDays")
}

// Bad input to Raise names every failing field and leaves the store unchanged.
func TestRaiseRefusals(t *testing.T) {
	f := newFixture(t)
	f.raise()
	before := f.snapshot()
	for _, tc := range []struct {
		name   string
		in     deliberation.RaiseInput
		kind   error
		fields []string
	}{
		{"empty", deliberation.RaiseInput{}, gridgov.ErrInvalid, []string{"Source", "Title", "NodeID", "Category"}},
		{"direct without node and category", deliberation.RaiseInput{Source: deliberation.SourceChatGroup, Title: "噪音"},
			gridgov.ErrInvalid, []string{"NodeID", "Category"}},
		{"complaint without its ID", deliberation.RaiseInput{Source: deliberation.SourceComplaint, Title: "x"},
			gridgov.ErrInvalid, []string{"ComplaintID"}},
		{"complaint ID on a direct item", deliberation.RaiseInput{Source: deliberation.SourceDirect, Title: "x",
			NodeID: "b3", Category: "noise", ComplaintID: "cp-1"}, gridgov.ErrInvalid, []string{"ComplaintID"}},
		{"unknown complaint", deliberation.RaiseInput{Source: deliberation.SourceComplaint, Title: "x",
			ComplaintID: "cp-404"}, gridgov.ErrInvalid, []string{"ComplaintID"}},
		{"unknown node", deliberation.RaiseInput{Source: deliberation.SourceDirect, Title: "x", NodeID: "zz",
			Category: "noise"}, gridgov.ErrInvalid, []string{"NodeID"}},
		{"community node", deliberation.RaiseInput{Source: deliberation.SourceDirect, Title: "x", NodeID: "c1",
			Category: "noise"}, gridgov.ErrInvalid, []string{"NodeID"}},
		{"bad text", deliberation.RaiseInput{Source: "fax", Title: "a\x00b", NodeID: "b 3", Category: " ",
			Key: "k\n", ID: "bad id", Description: "\xff"}, gridgov.ErrInvalid,
			[]string{"Key", "ID", "Source", "NodeID", "Title", "Category", "Description"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := f.forum.Raise(ctx, leader, tc.in)
			requireFields(t, err, tc.kind, tc.fields...)
			f.requireRefused(before, err, tc.kind)
		})
	}
	_, err := f.forum.Raise(ctx, stranger, deliberation.RaiseInput{Source: deliberation.SourceDirect, Title: "x",
		NodeID: "b3", Category: "noise"})
	f.requireRefused(before, err, gridgov.ErrForbidden, "a resident without a position")
	_, err = f.forum.Raise(ctx, otherLeader, deliberation.RaiseInput{Source: deliberation.SourceDirect, Title: "x",
		NodeID: "b3", Category: "noise"})
	f.requireRefused(before, err, gridgov.ErrForbidden, "a building leader of another community")

	// A complaint not yet signed for is not in handling.
	c, err := f.eng.Submit(ctx, reporter, escalation.Intake{Channel: escalation.ChannelApp, Category: "noise",
		Description: "夜间噪音", NodeID: "b3"})
	require.NoError(t, err)
	_, err = f.forum.Raise(ctx, leader, deliberation.RaiseInput{Source: deliberation.SourceComplaint, ComplaintID: c.ID, Title: "噪音"})
	f.requireRefused(before, err, gridgov.ErrInvalidTransition)

	// Without a linked engine there are no complaint items.
	bare, err := deliberation.NewForum(f.store, f.reg, deliberation.WithClock(f.clock))
	require.NoError(t, err)
	_, err = bare.Raise(ctx, leader, deliberation.RaiseInput{Source: deliberation.SourceComplaint, ComplaintID: c.ID, Title: "噪音"})
	requireFields(t, err, gridgov.ErrInvalid, "ComplaintID")
	f.requireRefused(before, err, gridgov.ErrInvalid)
}

func TestRaiseFromComplaintNodes(t *testing.T) {
	f := newFixture(t)
	c := f.complaint()
	_, err := f.forum.Raise(ctx, leader, deliberation.RaiseInput{Source: deliberation.SourceComplaint,
		ComplaintID: c.ID, NodeID: "b4", Title: "x"})
	requireFields(t, err, gridgov.ErrInvalid, "NodeID")
	// The compound above the building may hold the item.
	it, err := f.forum.Raise(ctx, ownersChair, deliberation.RaiseInput{Source: deliberation.SourceComplaint,
		ComplaintID: c.ID, NodeID: "k1", Title: "单元门", Key: "wx-1"})
	require.NoError(t, err)
	assert.Equal(t, "k1", it.NodeID)
	assert.Equal(t, "3号楼2单元单元门损坏，无法关闭", it.Description, "the complaint's description")
	again, err := f.forum.Raise(ctx, ownersChair, deliberation.RaiseInput{Source: deliberation.SourceComplaint,
		ComplaintID: c.ID, NodeID: "k1", Title: "单元门", Key: "wx-1"})
	require.NoError(t, err)
	assert.Equal(t, it.ID, again.ID)
	assert.Equal(t, it.Version, again.Version)
}

// Out-of-order steps are gridgov.ErrInvalidTransition and change nothing.
func TestOutOfOrderSteps(t *testing.T) {
	f := newFixture(t)
	it := f.raise()
	s := deliberation.Step{ID: it.ID, Note: "理由"}
	before := f.snapshot()
	for name, call := range map[string]func() error{
		"settle before the first round": func() error { _, err := f.forum.Settle(ctx, ownersChair, s); return err },
		"refer before the first round":  func() error { _, err := f.forum.Refer(ctx, ownersChair, s); return err },
		"vote before options": func() error {
			_, err := f.forum.OpenVote(ctx, system, deliberation.OpenVoteInput{Step: s, Rule: deliberation.CivilCode278(), Roll: unitRoll()})
			return err
		},
		"cast before the vote": func() error {
			_, err := f.forum.Cast(ctx, system, deliberation.CastInput{Step: s, Ballots: []deliberation.BallotInput{{HouseholdID: "3-2-101", VoterID: "o101", Choice: "fund"}}})
			return err
		},
		"close an unopened vote": func() error { _, err := f.forum.CloseVote(ctx, system, s); return err },
		"publicise undecided": func() error {
			_, err := f.forum.Publicise(ctx, system, deliberation.NoticeInput{Step: s, Content: "x", Channel: deliberation.ChannelApp})
			return err
		},
		"object without a notice": func() error {
			_, err := f.forum.Object(ctx, stranger, deliberation.ObjectionInput{Step: s, Content: "x"})
			return err
		},
		"implement undecided": func() error {
			_, err := f.forum.Implement(ctx, system, deliberation.ImplementInput{Step: s})
			return err
		},
		"progress unimplemented": func() error {
			_, err := f.forum.Progress(ctx, system, deliberation.ProgressInput{Step: s, Percent: 10})
			return err
		},
		"close unaudited": func() error { _, err := f.forum.Close(ctx, system, s); return err },
	} {
		err := call()
		f.requireRefused(before, err, gridgov.ErrInvalidTransition, name)
	}

	// After a final state nothing but a disclosure goes.
	it = f.must(f.forum.StartFirstRound(ctx, ownersChair, deliberation.FirstRoundInput{Step: deliberation.Step{ID: it.ID}, Participants: firstRound()}))
	it = f.must(f.forum.Settle(ctx, ownersChair, deliberation.Step{ID: it.ID, Note: "物业承诺一周内修复"}))
	assert.True(t, it.FirstRound.Settled)
	assert.Equal(t, "物业承诺一周内修复", it.FirstRound.Outcome)
	before = f.snapshot()
	_, err := f.forum.Refer(ctx, ownersChair, s)
	f.requireRefused(before, err, gridgov.ErrInvalidTransition)
	_, err = f.forum.Withdraw(ctx, ownersChair, s)
	f.requireRefused(before, err, gridgov.ErrInvalidTransition)
	f.must(f.forum.Disclose(ctx, ownersChair, deliberation.DiscloseInput{Step: deliberation.Step{ID: it.ID},
		Kind: deliberation.DisclosureProactive, Subject: deliberation.SubjectOther, Channel: deliberation.ChannelChatGroup,
		Summary: "首轮协商结果"}))
}

// Who may do what: the first round belongs to the compound, everything from the review on
// to the community Party committee.
func TestAuthority(t *testing.T) {
	f := newFixture(t)
	it := f.raise()
	s := deliberation.Step{ID: it.ID, Note: "理由"}
	fr := deliberation.FirstRoundInput{Step: s, Participants: firstRound()}
	before := f.snapshot()
	for _, a := range []gridgov.Actor{stranger, leader, otherCompany} {
		_, err := f.forum.StartFirstRound(ctx, a, fr)
		f.requireRefused(before, err, gridgov.ErrForbidden, "first round by %s", a)
	}
	f.must(f.forum.StartFirstRound(ctx, firmManager, fr))
	f.must(f.forum.Refer(ctx, ownersChair, s))

	// The review needs a member of pc1 holding PermDeliberate at c1: not the residents'
	// committee chair (deliberates, not in pc1), not a plain member of pc1, not the owners'
	// committee chair.
	before = f.snapshot()
	for _, a := range []gridgov.Actor{chairRC, member, ownersChair, stranger} {
		_, err := f.forum.Review(ctx, a, s)
		f.requireRefused(before, err, gridgov.ErrForbidden, "review by %s", a)
	}
	f.must(f.forum.Review(ctx, secretary, s))
	_, err := f.forum.Withdraw(ctx, ownersChair, s)
	f.requireRefused(f.snapshot(), err, gridgov.ErrForbidden, "after the referral only the committee withdraws")
	it = f.must(f.forum.Withdraw(ctx, secretary, deliberation.Step{ID: it.ID, Note: "居民撤回诉求"}))
	assert.Equal(t, deliberation.StateWithdrawn, it.State)
}

// Names of participants and objectors are masked for actors without
// governance.PermViewPersonalData.
func TestPersonalDataMasked(t *testing.T) {
	f := newFixture(t)
	it := f.toProposed()
	got, err := f.forum.Item(ctx, stranger, it.ID)
	require.NoError(t, err)
	assert.Equal(t, "王**", got.FirstRound.Participants[0].Name.Reveal())
	assert.Equal(t, "刘**", got.Meeting.Participants[0].Name.Reveal())
	got, err = f.forum.Item(ctx, secretary, it.ID)
	require.NoError(t, err)
	assert.Equal(t, "刘书记", got.Meeting.Participants[0].Name.Reveal())
	assert.Equal(t, "刘**", fmt.Sprint(got.Meeting.Participants[0].Name), "printing masks")
	stored, err := f.store.GetItem(ctx, it.ID)
	require.NoError(t, err)
	assert.Equal(t, "刘书记", stored.Meeting.Participants[0].Name.Reveal(), "the store keeps the name")
	items, next, err := f.forum.Items(ctx, stranger, deliberation.Query{Within: "k1"})
	require.NoError(t, err)
	assert.Empty(t, next)
	require.Len(t, items, 1)
	assert.Equal(t, "王**", items[0].FirstRound.Participants[0].Name.Reveal())
}

// Bad votes: non-owners are forbidden; double votes, strangers to the roll, contradicting
// owners, future collection times and rolls that do not match the building are invalid;
// the store is unchanged each time.
func TestVoteRefusals(t *testing.T) {
	f := newFixture(t)
	it := f.toProposed()
	s := deliberation.Step{ID: it.ID}

	before := f.snapshot()
	bad := unitRoll()
	bad.TotalArea = dec("1287.49")
	_, err := f.forum.OpenVote(ctx, secretary, deliberation.OpenVoteInput{Step: s, Rule: deliberation.CivilCode278(), Roll: bad})
	requireFields(t, err, gridgov.ErrInvalid, "Roll.TotalArea")
	f.requireRefused(before, err, gridgov.ErrInvalid)
	// Totals that add up but are not the building's (its labels say 1287.50 m², 11 owners, 12 households).
	short := unitRoll()
	short.Households = short.Households[:11]
	short.TotalArea = dec("1161.10")
	_, err = f.forum.OpenVote(ctx, secretary, deliberation.OpenVoteInput{Step: s, Rule: deliberation.CivilCode278(), Roll: short})
	requireFields(t, err, gridgov.ErrInvalid, "Roll.TotalArea", "Roll.Households")
	f.requireRefused(before, err, gridgov.ErrInvalid)
	_, err = f.forum.OpenVote(ctx, secretary, deliberation.OpenVoteInput{Step: s, Rule: deliberation.Rule{Name: "x", Kind: deliberation.RuleOwners}, Roll: unitRoll()})
	require.ErrorIs(t, err, gridgov.ErrInvalid)
	f.requireRefused(before, err, gridgov.ErrInvalid)
	_, err = f.forum.OpenVote(ctx, secretary, deliberation.OpenVoteInput{Step: s, Rule: deliberation.MeetingMajority(), Roll: unitRoll()})
	requireFields(t, err, gridgov.ErrInvalid, "Roll")
	f.requireRefused(before, err, gridgov.ErrInvalid)

	f.must(f.forum.OpenVote(ctx, secretary, deliberation.OpenVoteInput{Step: s, Rule: deliberation.CivilCode278(), Roll: unitRoll()}))
	f.must(f.forum.Cast(ctx, leader, deliberation.CastInput{Step: s, Ballots: []deliberation.BallotInput{
		{HouseholdID: "3-2-101", VoterID: "o101", Choice: "fund"},
		{HouseholdID: "3-2-601", VoterID: "o601", Choice: "self"},
	}}))
	before = f.snapshot()
	cast := func(actor gridgov.Actor, bs ...deliberation.BallotInput) error {
		_, err := f.forum.Cast(ctx, actor, deliberation.CastInput{Step: s, Ballots: bs})
		return err
	}
	for _, tc := range []struct {
		name   string
		actor  gridgov.Actor
		ballot []deliberation.BallotInput
		kind   error
		fields []string
	}{
		{"non-owner", leader, []deliberation.BallotInput{{HouseholdID: "3-2-102", VoterID: "o101", Choice: "self"}},
			gridgov.ErrForbidden, []string{"Ballots[0].VoterID"}},
		{"double vote", leader, []deliberation.BallotInput{{HouseholdID: "3-2-101", VoterID: "o101", Choice: "self"}},
			gridgov.ErrInvalid, []string{"Ballots[0].HouseholdID"}},
		{"double vote in one batch", leader, []deliberation.BallotInput{{HouseholdID: "3-2-102", VoterID: "o102", Choice: "self"},
			{HouseholdID: "3-2-102", VoterID: "o102", Choice: "fund"}}, gridgov.ErrInvalid, []string{"Ballots[1].HouseholdID"}},
		{"not on the roll", leader, []deliberation.BallotInput{{HouseholdID: "4-1-101", VoterID: "o101", Choice: "self"}},
			gridgov.ErrInvalid, []string{"Ballots[0].HouseholdID"}},
		{"owner of two flats changes mind", leader, []deliberation.BallotInput{{HouseholdID: "3-2-602", VoterID: "o601", Choice: "fund"}},
			gridgov.ErrInvalid, []string{"Ballots[0].Choice"}},
		{"unknown choice", leader, []deliberation.BallotInput{{HouseholdID: "3-2-102", VoterID: "o102", Choice: "maybe"}},
			gridgov.ErrInvalid, []string{"Ballots[0].Choice"}},
		{"collected in the future", leader, []deliberation.BallotInput{{HouseholdID: "3-2-102", VoterID: "o102", Choice: "self",
			CollectedAt: start.Add(time.Hour)}}, gridgov.ErrInvalid, []string{"Ballots[0].CollectedAt"}},
		{"collected before the vote opened", leader, []deliberation.BallotInput{{HouseholdID: "3-2-102", VoterID: "o102", Choice: "self",
			CollectedAt: start.Add(-time.Hour)}}, gridgov.ErrInvalid, []string{"Ballots[0].CollectedAt"}},
		{"no voter", leader, []deliberation.BallotInput{{HouseholdID: "3-2-102", Choice: "self"}},
			gridgov.ErrInvalid, []string{"Ballots[0].VoterID"}},
		{"empty batch", leader, nil, gridgov.ErrInvalid, []string{"Ballots"}},
		{"canvasser without a position", stranger, []deliberation.BallotInput{{HouseholdID: "3-2-102", VoterID: "o102", Choice: "self"}},
			gridgov.ErrForbidden, nil},
		{"canvasser from another community", otherLeader, []deliberation.BallotInput{{HouseholdID: "3-2-102", VoterID: "o102", Choice: "self"}},
			gridgov.ErrForbidden, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := cast(tc.actor, tc.ballot...)
			if tc.fields != nil {
				requireFields(t, err, tc.kind, tc.fields...)
			}
			f.requireRefused(before, err, tc.kind)
		})
	}
	// An owner votes for their own household without a position.
	f.must(f.forum.Cast(ctx, gridgov.PersonActor("o102"), deliberation.CastInput{Step: s,
		Ballots: []deliberation.BallotInput{{HouseholdID: "3-2-102", VoterID: "o102", Choice: "self", Method: deliberation.MethodOnline}}}))
}

// A meeting vote: attendees vote; advisers and absentees may not.
func TestMeetingVote(t *testing.T) {
	f := newFixture(t)
	it := f.toProposed() // p4 (deputy) absent; p6 legal adviser and p8 third party advise
	s := deliberation.Step{ID: it.ID}
	f.must(f.forum.OpenVote(ctx, secretary, deliberation.OpenVoteInput{Step: s, Rule: deliberation.MeetingMajority()}))
	before := f.snapshot()
	for _, p := range []string{"p4", "p6", "p8"} {
		_, err := f.forum.Cast(ctx, secretary, deliberation.CastInput{Step: s, Ballots: []deliberation.BallotInput{{ParticipantID: p, Choice: "self"}}})
		requireFields(t, err, gridgov.ErrForbidden, "Ballots[0].ParticipantID")
		f.requireRefused(before, err, gridgov.ErrForbidden)
	}
	_, err := f.forum.Cast(ctx, secretary, deliberation.CastInput{Step: s, Ballots: []deliberation.BallotInput{{HouseholdID: "3-2-101", Choice: "self"}}})
	f.requireRefused(before, err, gridgov.ErrInvalid)
	_, err = f.forum.Cast(ctx, reporter, deliberation.CastInput{Step: s, Ballots: []deliberation.BallotInput{{ParticipantID: "p1", Choice: "self"}}})
	f.requireRefused(before, err, gridgov.ErrForbidden, "a resident may not record the secretary's ballot")
	// The resident representative p2 (person res) votes herself; the secretary records the rest.
	f.must(f.forum.Cast(ctx, reporter, deliberation.CastInput{Step: s, Ballots: []deliberation.BallotInput{{ParticipantID: "p2", Choice: "self"}}}))
	it = f.must(f.forum.Cast(ctx, secretary, deliberation.CastInput{Step: s, Ballots: []deliberation.BallotInput{
		{ParticipantID: "p1", Choice: "self"}, {ParticipantID: "p3", Choice: "fund"}, {ParticipantID: "p5", Choice: "self"},
		{ParticipantID: "p7", Choice: deliberation.ChoiceAbstain}}}))
	assert.Equal(t, "sec", it.Vote.Ballots[1].VoterID, "the attendee's person")
	assert.Equal(t, deliberation.MethodMeeting, it.Vote.Ballots[1].Method)
	it = f.must(f.forum.CloseVote(ctx, secretary, s))
	assert.Equal(t, deliberation.StateDecided, it.State)
	assert.Equal(t, "self", it.Decision)
	assert.Equal(t, 6, it.Vote.Tally.Electorate.Voters)
	assert.Equal(t, 5, it.Vote.Tally.Participation.Voters)
	assert.Equal(t, 3, it.Vote.Tally.Proposals[1].For.Voters)

	// A residents-funded decision without a roll needs the households that share the bill.
	f.must(f.forum.Publicise(ctx, secretary, deliberation.NoticeInput{Step: s, Days: 1, Content: "决定", Channel: deliberation.ChannelApp}))
	f.clock.Advance(24 * time.Hour)
	before = f.snapshot()
	_, err = f.forum.Implement(ctx, secretary, deliberation.ImplementInput{Step: s})
	requireFields(t, err, gridgov.ErrInvalid, "Households")
	f.requireRefused(before, err, gridgov.ErrInvalid)
	it = f.must(f.forum.Implement(ctx, secretary, deliberation.ImplementInput{Step: s, Bill: dec("100.00"),
		Households: []funding.Household{{ID: "a", Area: dec("1")}, {ID: "b", Area: dec("2")}}}))
	assert.True(t, dec("30.00").Equal(it.Implementation.Split.Subsidy))
	assert.True(t, dec("23.33").Equal(it.Implementation.Split.Shares[0].Amount), it.Implementation.Split.Shares[0].Amount.String())
	assert.True(t, dec("46.67").Equal(it.Implementation.Split.Shares[1].Amount), "the leftover fen to the larger remainder")
}

// A vote that fails rejects the item and resumes its complaint.
func TestRejectedVoteResumesComplaint(t *testing.T) {
	f := newFixture(t)
	c := f.complaint()
	it, err := f.forum.Raise(ctx, leader, deliberation.RaiseInput{Source: deliberation.SourceComplaint, ComplaintID: c.ID, Title: "单元门"})
	require.NoError(t, err)
	require.Equal(t, escalation.StatePaused, f.complaintNow(c.ID).State)
	s := deliberation.Step{ID: it.ID}
	f.must(f.forum.StartFirstRound(ctx, ownersChair, deliberation.FirstRoundInput{Step: s, Participants: firstRound()}))
	f.must(f.forum.Refer(ctx, ownersChair, deliberation.Step{ID: it.ID, Note: "未能达成一致"}))
	f.must(f.forum.Review(ctx, secretary, s))
	f.must(f.forum.Convene(ctx, secretary, deliberation.MeetingInput{Step: s, ScheduledAt: start, Participants: meeting()}))
	f.must(f.forum.HoldMeeting(ctx, secretary, deliberation.AttendanceInput{Step: s, Attended: []string{"p1", "p2"}}))
	f.must(f.forum.Propose(ctx, secretary, deliberation.ProposalsInput{Step: s, Proposals: unitDoorOptions()}))
	f.must(f.forum.OpenVote(ctx, secretary, deliberation.OpenVoteInput{Step: s, Rule: deliberation.CivilCode278(), Roll: unitRoll()}))
	f.must(f.forum.Cast(ctx, leader, deliberation.CastInput{Step: s, Ballots: []deliberation.BallotInput{
		{HouseholdID: "3-2-101", VoterID: "o101", Choice: "self"}}}))
	it = f.must(f.forum.CloseVote(ctx, secretary, s))
	assert.Equal(t, deliberation.StateRejected, it.State)
	assert.Equal(t, deliberation.OutcomeNoQuorum, it.Vote.Tally.Outcome)
	assert.Empty(t, it.Decision)
	assert.False(t, it.ClosedAt.IsZero())
	assert.Equal(t, escalation.StateInProgress, f.complaintNow(c.ID).State, "handling goes on")
}

// SyncComplaint is safe to repeat: a second call changes nothing; it honours its context
// and refuses items without a complaint.
func TestSyncComplaintIdempotent(t *testing.T) {
	f := newFixture(t)
	c := f.complaint()
	it, err := f.forum.Raise(ctx, leader, deliberation.RaiseInput{Source: deliberation.SourceComplaint, ComplaintID: c.ID, Title: "单元门"})
	require.NoError(t, err)
	s := deliberation.Step{ID: it.ID}
	f.must(f.forum.StartFirstRound(ctx, ownersChair, deliberation.FirstRoundInput{Step: s, Participants: firstRound()}))
	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	_, err = f.forum.SyncComplaint(cancelled, it.ID)
	require.ErrorIs(t, err, context.Canceled)

	paused := f.complaintNow(c.ID)
	got, err := f.forum.SyncComplaint(ctx, it.ID)
	require.NoError(t, err)
	assert.Equal(t, paused.Version, got.Version, "already paused: nothing to do")

	it = f.must(f.forum.Settle(ctx, ownersChair, deliberation.Step{ID: it.ID, Note: "物业同意维修"}))
	got = f.complaintNow(c.ID)
	require.Equal(t, escalation.StateInProgress, got.State, "settled: the complaint resumes")
	again, err := f.forum.SyncComplaint(ctx, it.ID)
	require.NoError(t, err)
	assert.Equal(t, got.Version, again.Version, "a second sync changes nothing")

	// A complaint withdrawn meanwhile needs nothing.
	c2 := f.complaint()
	it2, err := f.forum.Raise(ctx, leader, deliberation.RaiseInput{Source: deliberation.SourceComplaint, ComplaintID: c2.ID, Title: "第二个"})
	require.NoError(t, err)
	_, err = f.eng.Withdraw(ctx, reporter, escalation.Step{ID: c2.ID, Note: "不需要了"})
	require.NoError(t, err)
	f.must(f.forum.StartFirstRound(ctx, ownersChair, deliberation.FirstRoundInput{Step: deliberation.Step{ID: it2.ID}, Participants: firstRound()}))
	it2 = f.must(f.forum.Settle(ctx, ownersChair, deliberation.Step{ID: it2.ID, Note: "已解决"}))
	assert.Equal(t, deliberation.StateSettled, it2.State)

	_, err = f.forum.SyncComplaint(ctx, f.raise().ID)
	requireFields(t, err, gridgov.ErrInvalid, "ID")
	_, err = f.forum.SyncComplaint(ctx, "no-such-item")
	require.ErrorIs(t, err, gridgov.ErrNotFound)
}

// A complaint step that fails returns the stored item with a *ComplaintSyncError, and
// SyncComplaint finishes the job once the cause is gone.
func TestComplaintSyncError(t *testing.T) {
	f := newFixture(t)
	c := f.complaint()
	it, err := f.forum.Raise(ctx, leader, deliberation.RaiseInput{Source: deliberation.SourceComplaint, ComplaintID: c.ID, Title: "单元门"})
	require.NoError(t, err)
	// Resume by hand and escalate to the street, then blow the whistle there: the lead
	// parties have not reported, so the complaint cannot be resolved yet.
	_, err = f.eng.Resume(ctx, system, escalation.Step{ID: c.ID})
	require.NoError(t, err)
	for range 3 {
		_, err = f.eng.Escalate(ctx, system, escalation.Step{ID: c.ID, Note: "上报"})
		require.NoError(t, err)
	}
	_, err = f.eng.Sign(ctx, system, escalation.Step{ID: c.ID})
	require.NoError(t, err)
	_, err = f.eng.Whistle(ctx, system, escalation.Step{ID: c.ID, Note: "吹哨"})
	require.NoError(t, err)
	_, err = f.forum.SyncComplaint(ctx, it.ID)
	require.NoError(t, err)
	require.Equal(t, escalation.StatePaused, f.complaintNow(c.ID).State, "the sync pauses it again")

	it = f.closeItem(it.ID)
	var syncErr *deliberation.ComplaintSyncError
	_, err = f.forum.Close(ctx, secretary, deliberation.Step{ID: it.ID})
	require.ErrorAs(t, err, &syncErr)
	assert.Equal(t, c.ID, syncErr.ComplaintID)
	require.ErrorIs(t, err, gridgov.ErrInvalidTransition, "the escalation engine's refusal")
	stored, err := f.store.GetItem(ctx, it.ID)
	require.NoError(t, err)
	assert.Equal(t, deliberation.StateClosed, stored.State, "the item was stored")
	assert.Equal(t, escalation.StateInProgress, f.complaintNow(c.ID).State, "resumed, not resolved")

	got := f.complaintNow(c.ID)
	for _, sm := range got.Summons {
		if sm.Lead {
			_, err = f.eng.Report(ctx, system, escalation.ReportInput{Step: escalation.Step{ID: c.ID}, Party: sm.Party})
			require.NoError(t, err)
		}
	}
	got, err = f.forum.SyncComplaint(ctx, it.ID)
	require.NoError(t, err)
	assert.Equal(t, escalation.StateResolved, got.State)
	h := f.complaintHistory(c.ID)
	assert.Contains(t, h[len(h)-1].Note, "option self", "the resolution names the decision")
}

// closeItem takes a raised item (its first round not started) all the way to audited.
func (f *fixture) closeItem(id string) deliberation.Item {
	f.t.Helper()
	s := deliberation.Step{ID: id}
	f.must(f.forum.StartFirstRound(ctx, ownersChair, deliberation.FirstRoundInput{Step: s, Participants: firstRound()}))
	f.must(f.forum.Refer(ctx, ownersChair, deliberation.Step{ID: id, Note: "未能达成一致"}))
	f.must(f.forum.Review(ctx, secretary, s))
	f.must(f.forum.Convene(ctx, secretary, deliberation.MeetingInput{Step: s, ScheduledAt: start, Participants: meeting()}))
	f.must(f.forum.HoldMeeting(ctx, secretary, deliberation.AttendanceInput{Step: s, Attended: []string{"p1", "p2", "p3", "p5"}}))
	f.must(f.forum.Propose(ctx, secretary, deliberation.ProposalsInput{Step: s, Proposals: unitDoorOptions()}))
	f.must(f.forum.OpenVote(ctx, secretary, deliberation.OpenVoteInput{Step: s, Rule: deliberation.CivilCode278(), Roll: unitRoll()}))
	f.canvass(id)
	f.must(f.forum.CloseVote(ctx, secretary, s))
	f.must(f.forum.Publicise(ctx, secretary, deliberation.NoticeInput{Step: s, Days: 1, Content: "决定", Channel: deliberation.ChannelApp}))
	f.clock.Advance(24 * time.Hour)
	f.must(f.forum.Implement(ctx, secretary, deliberation.ImplementInput{Step: s}))
	f.must(f.forum.Progress(ctx, firmManager, deliberation.ProgressInput{Step: s, Percent: 100}))
	return f.must(f.forum.Audit(ctx, secretary, deliberation.AuditInput{Step: s, AssessorKind: deliberation.AssessorThirdParty,
		Assessor: "第三方评估机构", Satisfied: 8, BasicSatisfied: 2, Unsatisfied: 1}))
}

// Notices: objections only during the period; unanswered objections block; answers once.
func TestNoticeAndObjections(t *testing.T) {
	f := newFixture(t)
	it := f.toVoting()
	f.canvass(it.ID)
	s := deliberation.Step{ID: it.ID}
	f.must(f.forum.CloseVote(ctx, secretary, s))
	it = f.must(f.forum.Publicise(ctx, secretary, deliberation.NoticeInput{Step: s, Content: "决定", Channel: deliberation.ChannelNoticeBoard}))
	n := it.Notices[0]
	assert.True(t, n.End.Equal(n.Start.AddDate(0, 0, deliberation.DefaultNoticeDays)))
	f.must(f.forum.Object(ctx, stranger, deliberation.ObjectionInput{Step: s, Content: "异议一"}))
	f.must(f.forum.Object(ctx, reporter, deliberation.ObjectionInput{Step: s, Content: "异议二"}))
	f.clock.Set(n.End)
	before := f.snapshot()
	_, err := f.forum.Object(ctx, stranger, deliberation.ObjectionInput{Step: s, Content: "太晚了"})
	f.requireRefused(before, err, gridgov.ErrInvalidTransition, "the period has ended")
	_, err = f.forum.Implement(ctx, secretary, deliberation.ImplementInput{Step: s})
	f.requireRefused(before, err, gridgov.ErrInvalidTransition, "unanswered objections block")
	_, err = f.forum.Answer(ctx, secretary, deliberation.AnswerInput{Step: s, ObjectionID: "o9", Answer: "x"})
	f.requireRefused(before, err, gridgov.ErrInvalid)
	_, err = f.forum.Answer(ctx, stranger, deliberation.AnswerInput{Step: s, ObjectionID: "o1", Answer: "x"})
	f.requireRefused(before, err, gridgov.ErrForbidden)
	f.must(f.forum.Answer(ctx, secretary, deliberation.AnswerInput{Step: s, ObjectionID: "o1", Answer: "答复一"}))
	before = f.snapshot()
	_, err = f.forum.Answer(ctx, secretary, deliberation.AnswerInput{Step: s, ObjectionID: "o1", Answer: "再答"})
	f.requireRefused(before, err, gridgov.ErrInvalid, "answered once")
	_, err = f.forum.Implement(ctx, secretary, deliberation.ImplementInput{Step: s})
	f.requireRefused(before, err, gridgov.ErrInvalidTransition, "one objection is still unanswered")
	f.must(f.forum.Answer(ctx, secretary, deliberation.AnswerInput{Step: s, ObjectionID: "o2", Answer: "答复二"}))
	before = f.snapshot()
	_, err = f.forum.Implement(ctx, secretary, deliberation.ImplementInput{Step: s, Households: []funding.Household{{ID: "x", Area: dec("1")}}, Bill: dec("-1")})
	requireFields(t, err, gridgov.ErrInvalid, "Bill")
	f.requireRefused(before, err, gridgov.ErrInvalid)
	it = f.must(f.forum.Implement(ctx, secretary, deliberation.ImplementInput{Step: s}))
	assert.True(t, dec("6800.00").Equal(it.Implementation.Bill), "without a tender the option's cost")
	f.must(f.forum.Progress(ctx, firmManager, deliberation.ProgressInput{Step: s, Percent: 60}))
	before = f.snapshot()
	_, err = f.forum.Progress(ctx, firmManager, deliberation.ProgressInput{Step: s, Percent: 59})
	requireFields(t, err, gridgov.ErrInvalid, "Percent")
	f.requireRefused(before, err, gridgov.ErrInvalid)
	_, err = f.forum.Audit(ctx, secretary, deliberation.AuditInput{Step: s, AssessorKind: deliberation.AssessorExperts, Assessor: "专家组", Satisfied: 1})
	f.requireRefused(before, err, gridgov.ErrInvalidTransition, "not done")
	f.must(f.forum.Progress(ctx, firmManager, deliberation.ProgressInput{Step: s, Percent: 100}))
	before = f.snapshot()
	_, err = f.forum.Audit(ctx, secretary, deliberation.AuditInput{Step: s, AssessorKind: deliberation.AssessorExperts, Assessor: "专家组"})
	requireFields(t, err, gridgov.ErrInvalid, "Satisfied")
	f.requireRefused(before, err, gridgov.ErrInvalid)
	it = f.must(f.forum.Audit(ctx, secretary, deliberation.AuditInput{Step: s, AssessorKind: deliberation.AssessorExperts, Assessor: "专家组",
		Satisfied: 13, BasicSatisfied: 2, Unsatisfied: 1}))
	assert.True(t, dec("0.9375").Equal(it.Audit.SatisfactionRate()))
}

func TestProposalRefusals(t *testing.T) {
	f := newFixture(t)
	it := f.toProposed()
	// A second item at the consulted stage.
	it2 := f.raise()
	s2 := deliberation.Step{ID: it2.ID}
	f.must(f.forum.StartFirstRound(ctx, ownersChair, deliberation.FirstRoundInput{Step: s2, Participants: firstRound()}))
	f.must(f.forum.Refer(ctx, ownersChair, deliberation.Step{ID: it2.ID, Note: "分歧"}))
	f.must(f.forum.Review(ctx, secretary, s2))
	f.must(f.forum.Convene(ctx, secretary, deliberation.MeetingInput{Step: s2, ScheduledAt: start, Participants: meeting()}))
	f.must(f.forum.HoldMeeting(ctx, secretary, deliberation.AttendanceInput{Step: s2}))
	assert.Len(t, it.Proposals, 2)
	before := f.snapshot()
	propose := func(ps ...deliberation.ProposalInput) error {
		_, err := f.forum.Propose(ctx, secretary, deliberation.ProposalsInput{Step: s2, Proposals: ps})
		return err
	}
	ok := deliberation.ProposalInput{Title: "方案", Cost: dec("100"), Funding: deliberation.FundPublic}
	requireFields(t, propose(ok), gridgov.ErrInvalid, "Proposals")
	bad := []deliberation.ProposalInput{
		{Title: "无费用", Funding: deliberation.FundPublic},
		{Title: "分", Cost: dec("1.001"), Funding: deliberation.FundPublic},
		{Title: "补贴给公款", Cost: dec("10"), Funding: deliberation.FundMaintenance, SubsidyRate: dec("0.1"), SubsidyFrom: "firm"},
		{Title: "补贴过多", Cost: dec("10"), Funding: deliberation.FundResidents, SubsidyAmount: dec("11"), SubsidyFrom: "firm"},
		{Title: "无来源", Cost: dec("10"), Funding: deliberation.FundResidents, SubsidyRate: dec("0.5")},
		{ID: "abstain", Title: "保留字", Cost: dec("10"), Funding: deliberation.FundPublic},
	}
	requireFields(t, propose(bad...), gridgov.ErrInvalid, "Proposals[0].Cost", "Proposals[1].Cost",
		"Proposals[2].Funding", "Proposals[3].SubsidyAmount", "Proposals[4].SubsidyFrom", "Proposals[5].ID")
	f.requireRefused(before, propose(bad...), gridgov.ErrInvalid)
	it2 = f.must(f.forum.Propose(ctx, secretary, deliberation.ProposalsInput{Step: s2, Proposals: []deliberation.ProposalInput{ok, ok}}))
	assert.Equal(t, "A", it2.Proposals[0].ID)
	assert.Equal(t, "B", it2.Proposals[1].ID)
	assert.Equal(t, deliberation.MatterOther, it2.Proposals[0].Matter)
}

func TestMeetingRefusals(t *testing.T) {
	f := newFixture(t)
	it := f.raise()
	s := deliberation.Step{ID: it.ID}
	f.must(f.forum.StartFirstRound(ctx, ownersChair, deliberation.FirstRoundInput{Step: s, Participants: firstRound()}))
	before := f.snapshot()
	_, err := f.forum.Refer(ctx, ownersChair, s)
	requireFields(t, err, gridgov.ErrInvalid, "Note")
	f.requireRefused(before, err, gridgov.ErrInvalid)
	f.must(f.forum.Refer(ctx, ownersChair, deliberation.Step{ID: it.ID, Note: "分歧"}))
	f.must(f.forum.Review(ctx, secretary, s))
	before = f.snapshot()
	_, err = f.forum.Convene(ctx, secretary, deliberation.MeetingInput{Step: s, ScheduledAt: start, Participants: []deliberation.ParticipantInput{
		{ID: "x", Kind: deliberation.KindLegalAdviser},
		{ID: "x", Kind: deliberation.KindPropertyFirm, PersonID: "ghost", OrgID: "ghost-org"},
	}})
	requireFields(t, err, gridgov.ErrInvalid, "Participants[1].ID", "Participants[1].Kind", "Participants[1].PersonID", "Participants[1].OrgID")
	f.requireRefused(before, err, gridgov.ErrInvalid)
	_, err = f.forum.Convene(ctx, secretary, deliberation.MeetingInput{Step: s, ScheduledAt: start, Participants: []deliberation.ParticipantInput{
		{Kind: deliberation.KindLegalAdviser}, {Kind: deliberation.KindResidentRep, NonVoting: true}}})
	requireFields(t, err, gridgov.ErrInvalid, "Participants")
	_, err = f.forum.Convene(ctx, secretary, deliberation.MeetingInput{Step: s, Participants: meeting()})
	requireFields(t, err, gridgov.ErrInvalid, "ScheduledAt")
	f.requireRefused(before, err, gridgov.ErrInvalid)
	f.must(f.forum.Convene(ctx, secretary, deliberation.MeetingInput{Step: s, ScheduledAt: start, Participants: meeting()}))
	before = f.snapshot()
	_, err = f.forum.HoldMeeting(ctx, secretary, deliberation.AttendanceInput{Step: s, Attended: []string{"p1", "p1", "p99"}})
	requireFields(t, err, gridgov.ErrInvalid, "Attended[1]", "Attended[2]")
	f.requireRefused(before, err, gridgov.ErrInvalid)
}

// A community without a Party committee cannot take referrals.
func TestReferNeedsCommittee(t *testing.T) {
	f := newFixture(t)
	it, err := f.forum.Raise(ctx, otherLeader, deliberation.RaiseInput{Source: deliberation.SourceChatGroup, NodeID: "b9",
		Title: "充电桩", Category: deliberation.CategoryCharger})
	require.NoError(t, err)
	f.must(f.forum.StartFirstRound(ctx, otherCompany, deliberation.FirstRoundInput{Step: deliberation.Step{ID: it.ID}, Participants: firstRound()[:1]}))
	before := f.snapshot()
	_, err = f.forum.Refer(ctx, otherCompany, deliberation.Step{ID: it.ID, Note: "分歧"})
	requireFields(t, err, gridgov.ErrInvalid, "NodeID")
	f.requireRefused(before, err, gridgov.ErrInvalid)
}

func TestDismissAndDisclosures(t *testing.T) {
	f := newFixture(t)
	it := f.raise()
	s := deliberation.Step{ID: it.ID}
	f.must(f.forum.StartFirstRound(ctx, ownersChair, deliberation.FirstRoundInput{Step: s, Participants: firstRound()}))
	f.must(f.forum.Refer(ctx, ownersChair, deliberation.Step{ID: it.ID, Note: "分歧"}))
	it = f.must(f.forum.Dismiss(ctx, secretary, deliberation.Step{ID: it.ID, Note: "属私人纠纷，不属公共事务"}))
	assert.Equal(t, deliberation.StateDismissed, it.State)
	assert.True(t, it.Referral.Dismissed)
	assert.Equal(t, "sec", it.Referral.ReviewedBy)

	before := f.snapshot()
	disclose := func(in deliberation.DiscloseInput) error {
		in.Step = s
		_, err := f.forum.Disclose(ctx, secretary, in)
		return err
	}
	base := deliberation.DiscloseInput{Kind: deliberation.DisclosureOnRequest, Subject: deliberation.SubjectMinutes,
		Channel: deliberation.ChannelLetter, Summary: "会议纪要", RequesterName: "孙女士"}
	noName := base
	noName.RequesterName = ""
	requireFields(t, disclose(noName), gridgov.ErrInvalid, "RequesterName")
	future := base
	future.Date = start.Add(time.Hour)
	requireFields(t, disclose(future), gridgov.ErrInvalid, "Date")
	late := base
	late.Date, late.RequestedAt = start.Add(-time.Hour), start
	requireFields(t, disclose(late), gridgov.ErrInvalid, "RequestedAt")
	proactive := base
	proactive.Kind = deliberation.DisclosureProactive
	requireFields(t, disclose(proactive), gridgov.ErrInvalid, "RequesterName")
	requireFields(t, disclose(deliberation.DiscloseInput{}), gridgov.ErrInvalid, "Kind", "Subject", "Channel", "Summary")
	_, err := f.forum.Disclose(ctx, stranger, deliberation.DiscloseInput{Step: s, Kind: deliberation.DisclosureProactive,
		Subject: deliberation.SubjectOther, Channel: deliberation.ChannelApp, Summary: "x"})
	f.requireRefused(before, err, gridgov.ErrForbidden)
	f.requireRefused(before, disclose(noName), gridgov.ErrInvalid)

	f.clock.Advance(time.Hour)
	require.NoError(t, disclose(base))
	proactive.RequesterName = ""
	require.NoError(t, disclose(proactive))
	rep, err := f.forum.DisclosureReport(ctx, deliberation.DisclosureQuery{ItemID: it.ID})
	require.NoError(t, err)
	assert.Equal(t, deliberation.DisclosureSummary{Total: 2,
		ByKind:    map[deliberation.DisclosureKind]int{deliberation.DisclosureProactive: 1, deliberation.DisclosureOnRequest: 1},
		BySubject: map[deliberation.Subject]int{deliberation.SubjectMinutes: 2},
		ByChannel: map[deliberation.Channel]int{deliberation.ChannelLetter: 2}}, rep)
	h, err := f.forum.History(ctx, stranger, it.ID)
	require.NoError(t, err)
	last := h[len(h)-2]
	require.NotNil(t, last.Disclosure)
	assert.Equal(t, "孙**", last.Disclosure.Requester.Reveal(), "masked for a stranger")
	h, err = f.forum.History(ctx, secretary, it.ID)
	require.NoError(t, err)
	assert.Equal(t, "孙女士", h[len(h)-2].Disclosure.Requester.Reveal())
	assert.True(t, h[len(h)-2].Disclosure.RequestedAt.Equal(f.clock.Now()))
}

// Concurrency: canvassers racing on one item all get their ballots in (the forum re-reads
// on a conflict); two writers naming the same version: exactly one wins.
func TestConcurrentCanvass(t *testing.T) {
	f := newFixture(t)
	it := f.toVoting()
	roll := unitRoll()
	errs := make(chan error, len(roll.Households))
	startLine := make(chan struct{})
	for _, h := range roll.Households[:11] {
		go func() {
			<-startLine
			_, err := f.forum.Cast(ctx, leader, deliberation.CastInput{Step: deliberation.Step{ID: it.ID},
				Ballots: []deliberation.BallotInput{{HouseholdID: h.ID, VoterID: h.OwnerID, Choice: "self"}}})
			errs <- err
		}()
	}
	close(startLine)
	for range 11 {
		require.NoError(t, <-errs)
	}
	got, err := f.store.GetItem(ctx, it.ID)
	require.NoError(t, err)
	assert.Len(t, got.Vote.Ballots, 11)
	assert.EqualValues(t, it.Version+11, got.Version)

	// Two writers with the same explicit version.
	results := make(chan error, 2)
	race := make(chan struct{})
	for _, h := range []string{"3-2-602", "3-2-602"} {
		go func() {
			<-race
			_, err := f.forum.Cast(ctx, leader, deliberation.CastInput{Step: deliberation.Step{ID: it.ID, Version: got.Version},
				Ballots: []deliberation.BallotInput{{HouseholdID: h, VoterID: "o601", Choice: "self"}}})
			results <- err
		}()
	}
	close(race)
	e1, e2 := <-results, <-results
	require.True(t, (e1 == nil) != (e2 == nil), "exactly one wins: %v, %v", e1, e2)
	lost := e1
	if lost == nil {
		lost = e2
	}
	require.True(t, errors.Is(lost, gridgov.ErrConflict) || errors.Is(lost, gridgov.ErrInvalid), "%v", lost)
	got, err = f.store.GetItem(ctx, it.ID)
	require.NoError(t, err)
	assert.Len(t, got.Vote.Ballots, 12)
	_, err = f.forum.Cast(ctx, leader, deliberation.CastInput{Step: deliberation.Step{ID: it.ID, Version: 1},
		Ballots: []deliberation.BallotInput{{HouseholdID: "3-2-101", VoterID: "o101", Choice: "self"}}})
	require.ErrorIs(t, err, gridgov.ErrConflict)
}

func TestLogging(t *testing.T) {
	var buf bytes.Buffer
	f := newFixture(t, deliberation.WithLogger(slog.New(slog.NewTextHandler(&buf, nil))))
	it := f.toProposed()
	assert.Contains(t, buf.String(), "item raised")
	assert.Contains(t, buf.String(), "item propose")
	assert.NotContains(t, buf.String(), "刘书记", "no personal data in logs")
	assert.Equal(t, 7, strings.Count(buf.String(), it.ID))
}
