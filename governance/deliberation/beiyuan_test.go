package deliberation_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gridgov/gridgov/escalation"
	"github.com/gridgov/gridgov/governance/deliberation"
)

// The Beiyuan unit-door case (亲邻议事), end to end: a resident's complaint becomes an agenda
// item; the first round cannot settle it; the community Party committee reviews it and
// convenes a meeting; two options; a household-by-household canvass under Civil Code
// art. 278 chooses the residents' own money with a 30% property-firm subsidy; the decision
// and the tender result are publicised; the bill is split among the households to the fen;
// the complaint is resolved, verified and rated.
func TestBeiyuanUnitDoor(t *testing.T) {
	f := newFixture(t)

	// A resident complains in the building chat group; the property firm signs for it.
	c := f.complaint()
	require.Equal(t, escalation.StateSigned, c.State)

	// The building leader turns the complaint into an agenda item: the complaint pauses.
	it, err := f.forum.Raise(ctx, leader, deliberation.RaiseInput{Source: deliberation.SourceComplaint,
		ComplaintID: c.ID, Title: "3号楼2单元单元门更换"})
	require.NoError(t, err)
	assert.Equal(t, "b3", it.NodeID, "the complaint's building")
	assert.Equal(t, []string{"st", "c1", "k1", "b3"}, it.Path)
	assert.Equal(t, deliberation.CategoryUnitDoor, it.Category)
	assert.Equal(t, deliberation.StateRaised, it.State)
	c = f.complaintNow(c.ID)
	assert.Equal(t, escalation.StatePaused, c.State, "the complaint waits on the deliberation")

	// A retried raise returns the same item and pauses nothing twice.
	again, err := f.forum.Raise(ctx, leader, deliberation.RaiseInput{Source: deliberation.SourceComplaint,
		ComplaintID: c.ID, Title: "重复提交"})
	require.NoError(t, err)
	assert.Equal(t, it.ID, again.ID)
	assert.Equal(t, c.Version, f.complaintNow(c.ID).Version)

	// First round: firm, owners' committee, building leader and an activist cannot agree.
	s := deliberation.Step{ID: it.ID}
	f.must(f.forum.StartFirstRound(ctx, ownersChair, deliberation.FirstRoundInput{Step: s, Participants: firstRound()}))
	it = f.must(f.forum.Refer(ctx, ownersChair, deliberation.Step{ID: it.ID,
		Note: "维修资金使用与自筹意见分歧，首轮协商未能达成一致"}))
	assert.Equal(t, deliberation.StateReferred, it.State)
	assert.Equal(t, "pc1", it.Referral.CommitteeID)
	assert.Equal(t, "c1", it.Referral.CommunityID)
	assert.False(t, it.FirstRound.Settled)

	// The community Party committee reviews it and convenes the consultation meeting.
	f.must(f.forum.Review(ctx, secretary, deliberation.Step{ID: it.ID, Note: "涉及全单元住户共同利益，受理"}))
	f.must(f.forum.Convene(ctx, secretary, deliberation.MeetingInput{Step: s, Title: "3号楼2单元单元门议事协商会",
		Place: "亲邻议事厅", ScheduledAt: start.Add(48 * time.Hour), Participants: meeting()}))
	f.clock.Advance(48 * time.Hour)
	it = f.must(f.forum.HoldMeeting(ctx, secretary, deliberation.AttendanceInput{Step: s,
		Attended: []string{"p1", "p2", "p3", "p4", "p5", "p6", "p7", "p8"}, Minutes: "提出两个方案，决定逐户征求意见"}))
	assert.Len(t, it.Meeting.Participants, 8)
	voting := 0
	for _, p := range it.Meeting.Participants {
		assert.True(t, p.Attended)
		if p.Voting {
			voting++
		}
	}
	assert.Equal(t, 6, voting, "the legal adviser and the third party advise")

	// Two costed options; the owners' vote under art. 278 with the unit's roll.
	it = f.must(f.forum.Propose(ctx, secretary, deliberation.ProposalsInput{Step: s, Proposals: unitDoorOptions()}))
	require.Len(t, it.Proposals, 2)
	it = f.must(f.forum.OpenVote(ctx, secretary, deliberation.OpenVoteInput{Step: s,
		Rule: deliberation.CivilCode278(), Roll: unitRoll()}))
	assert.Equal(t, deliberation.StateVoting, it.State)

	// The household-by-household canvass (逐户征求意见).
	f.clock.Advance(24 * time.Hour)
	it = f.canvass(it.ID)
	require.Len(t, it.Vote.Ballots, 11)
	for _, b := range it.Vote.Ballots {
		assert.NotEmpty(t, b.CollectedBy, b.HouseholdID)
		assert.True(t, b.CollectedAt.Equal(f.clock.Now()), b.HouseholdID)
	}
	assert.Equal(t, "bl3", it.Vote.Ballots[0].CollectedBy)
	assert.Equal(t, deliberation.MethodDoorToDoor, it.Vote.Ballots[0].Method)
	assert.Equal(t, "res-sp", it.Vote.Ballots[10].CollectedBy)

	// The self-funded option with the subsidy wins under art. 278.
	it = f.must(f.forum.CloseVote(ctx, secretary, s))
	assert.Equal(t, deliberation.StateDecided, it.State)
	assert.Equal(t, "self", it.Decision)
	tl := it.Vote.Tally
	assert.Equal(t, deliberation.OutcomeDecided, tl.Outcome)
	assert.True(t, tl.ParticipationMet)
	assert.True(t, dec("1161.10").Equal(tl.Participation.Area), tl.Participation.Area.String())
	assert.Equal(t, 11, tl.Participation.Voters, "o601 counts once")
	assert.Equal(t, 11, tl.Participation.Ballots)
	self := tl.Proposals[1]
	assert.Equal(t, "self", self.ProposalID)
	assert.True(t, dec("953.00").Equal(self.For.Area), self.For.Area.String())
	assert.Equal(t, 9, self.For.Voters)
	assert.True(t, self.Passed)
	assert.False(t, tl.Proposals[0].Passed)
	assert.Equal(t, deliberation.MoreThan(1, 2), self.AreaThreshold)
	assert.Contains(t, tl.ExplanationZH, "通过方案self")

	// Public notice of the decision: an objection is raised and answered.
	it = f.must(f.forum.Publicise(ctx, secretary, deliberation.NoticeInput{Step: s,
		Content: "经逐户征求意见，采用居民自筹、物业补贴30%方案", Channel: deliberation.ChannelNoticeBoard}))
	assert.Equal(t, deliberation.StatePublicised, it.State)
	f.clock.Advance(24 * time.Hour)
	it = f.must(f.forum.Object(ctx, stranger, deliberation.ObjectionInput{Step: s, Name: "钱先生",
		Content: "补贴比例是否可以提高？"}))
	require.Len(t, it.Notices[0].Objections, 1)
	_, err = f.forum.Award(ctx, secretary, deliberation.AwardInput{Step: s, Vendor: "x", Price: dec("1")})
	require.ErrorIs(t, err, errInvalidTransition, "the notice period has not ended")
	f.must(f.forum.Answer(ctx, secretary, deliberation.AnswerInput{Step: s, ObjectionID: "o1",
		Answer: "补贴比例经物业公司同意为30%，已在协商会上确认"}))
	f.clock.Advance(6 * 24 * time.Hour)

	// Tender, then public notice of vendor, price and model.
	it = f.must(f.forum.Award(ctx, secretary, deliberation.AwardInput{Step: s, Vendor: "潍坊安居门业有限公司",
		Price: dec("6500.00"), Model: "AJ-2000 楼宇对讲防盗门", Method: "三家比价"}))
	assert.Equal(t, deliberation.StateAwarded, it.State)
	it = f.must(f.forum.Publicise(ctx, secretary, deliberation.NoticeInput{Step: s, Days: 3,
		Content: "中标单位：潍坊安居门业有限公司；价格：6500.00元；型号：AJ-2000", Channel: deliberation.ChannelChatGroup}))
	assert.Equal(t, deliberation.StateAwardPublicised, it.State)
	_, err = f.forum.Implement(ctx, secretary, deliberation.ImplementInput{Step: s})
	require.ErrorIs(t, err, errInvalidTransition, "the tender notice has not ended")
	f.clock.Advance(3 * 24 * time.Hour)

	// Implementation: the bill split to the fen, 30% from the firm.
	it = f.must(f.forum.Implement(ctx, secretary, deliberation.ImplementInput{Step: s}))
	sp := it.Implementation.Split
	assert.True(t, dec("6500.00").Equal(sp.Bill))
	assert.True(t, dec("1950.00").Equal(sp.Subsidy), sp.Subsidy.String())
	assert.Equal(t, "firm", sp.SubsidyFrom)
	assert.True(t, dec("4550.00").Equal(sp.Residents))
	want := []string{"316.29", "396.87", "316.29", "396.87", "336.43", "419.13", "336.43", "419.13",
		"359.58", "446.70", "359.58", "446.70"}
	require.Len(t, sp.Shares, len(want))
	total := sp.Subsidy
	for i, sh := range sp.Shares {
		assert.Equal(t, unitRoll().Households[i].ID, sh.HouseholdID)
		assert.True(t, dec(want[i]).Equal(sh.Amount), "%s pays %s, want %s", sh.HouseholdID, sh.Amount, want[i])
		total = total.Add(sh.Amount)
	}
	assert.True(t, sp.Bill.Equal(total), "subsidy and shares sum to the bill")

	// Progress, audit and disclosure.
	f.must(f.forum.Progress(ctx, firmManager, deliberation.ProgressInput{Step: deliberation.Step{ID: it.ID, Note: "旧门拆除"}, Percent: 50}))
	f.clock.Advance(24 * time.Hour)
	f.must(f.forum.Progress(ctx, firmManager, deliberation.ProgressInput{Step: deliberation.Step{ID: it.ID, Note: "新门安装调试完毕"}, Percent: 100}))
	it = f.must(f.forum.Audit(ctx, secretary, deliberation.AuditInput{Step: s,
		AssessorKind: deliberation.AssessorRepresentatives, Assessor: "居民代表评议小组",
		Satisfied: 10, BasicSatisfied: 1}))
	assert.True(t, dec("1").Equal(it.Audit.SatisfactionRate()))
	f.must(f.forum.Disclose(ctx, ownersChair, deliberation.DiscloseInput{Step: s, Kind: deliberation.DisclosureOnRequest,
		Subject: deliberation.SubjectAccounts, Channel: deliberation.ChannelLetter,
		Summary: "各户分摊明细", RequesterName: "钱先生"}))

	// Closing resolves the complaint; it is verified and the reporter rates it.
	it = f.must(f.forum.Close(ctx, secretary, deliberation.Step{ID: it.ID, Note: "单元门已更换"}))
	assert.Equal(t, deliberation.StateClosed, it.State)
	assert.False(t, it.ClosedAt.IsZero())
	c = f.complaintNow(c.ID)
	require.Equal(t, escalation.StateResolved, c.State)
	_, err = f.eng.Verify(ctx, secretary, escalation.Step{ID: c.ID})
	require.NoError(t, err)
	c, err = f.eng.Rate(ctx, reporter, escalation.RatingInput{Step: escalation.Step{ID: c.ID, Note: "门修好了"},
		Satisfaction: escalation.Satisfied, Resolved: true})
	require.NoError(t, err)
	assert.Equal(t, escalation.StateRated, c.State)
	var paused, resumed bool
	for _, ev := range f.complaintHistory(c.ID) {
		paused = paused || ev.Kind == escalation.EventPause
		resumed = resumed || ev.Kind == escalation.EventResume
	}
	assert.True(t, paused && resumed)

	// The disclosure log: both notices (proactive) and the on-request disclosure.
	rep, err := f.forum.DisclosureReport(ctx, deliberation.DisclosureQuery{Within: "c1"})
	require.NoError(t, err)
	assert.Equal(t, 3, rep.Total)
	assert.Equal(t, 2, rep.ByKind[deliberation.DisclosureProactive])
	assert.Equal(t, 1, rep.ByKind[deliberation.DisclosureOnRequest])
	assert.Equal(t, 1, rep.BySubject[deliberation.SubjectAward])
	ds, err := f.forum.Disclosures(ctx, deliberation.DisclosureQuery{Kind: deliberation.DisclosureOnRequest})
	require.NoError(t, err)
	require.Len(t, ds, 1)
	assert.Equal(t, "钱**", ds[0].Requester.Reveal(), "the public log masks the requester")

	// The history has one entry per accepted command.
	h, err := f.forum.History(ctx, system, it.ID)
	require.NoError(t, err)
	kinds := make([]deliberation.EventKind, len(h))
	for i, ev := range h {
		kinds[i] = ev.Kind
		assert.EqualValues(t, i+1, ev.Version)
	}
	assert.Equal(t, []deliberation.EventKind{"raise", "start", "refer", "review", "convene", "hold", "propose",
		"open_vote", "ballot", "ballot", "decide", "publicise", "object", "answer", "award", "publicise",
		"implement", "progress", "progress", "audit", "disclose", "close"}, kinds)
}

func (f *fixture) complaintNow(id string) escalation.Complaint {
	f.t.Helper()
	c, err := f.cs.GetComplaint(ctx, id)
	require.NoError(f.t, err)
	return c
}

func (f *fixture) complaintHistory(id string) []escalation.Event {
	f.t.Helper()
	h, err := f.eng.History(ctx, id)
	require.NoError(f.t, err)
	return h
}
