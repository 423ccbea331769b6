package deliberation_test

import (
	"fmt"
	"strings"
	"time"

	"github.com/gridgov/gridgov"
	"github.com/gridgov/gridgov/governance"
	"github.com/gridgov/gridgov/governance/deliberation"
	"github.com/gridgov/gridgov/store/memory"
)

// demo builds a community with one compound and one building, the community Party
// committee's secretary, the owners' committee chair, a building leader, and a forum.
func demo() (*deliberation.Forum, *gridgov.FakeClock) {
	clock := gridgov.NewFakeClock(time.Date(2026, 3, 2, 9, 0, 0, 0, time.FixedZone("CST", 8*3600)))
	reg, _ := governance.NewRegistry(memory.NewGovernanceStore(), governance.WithScheme(scheme()),
		governance.WithClock(clock))
	sys := gridgov.SystemActor("setup")
	for _, n := range []governance.NodeInput{
		{ID: "st", Level: "street", Name: "北园街道"},
		{ID: "c1", ParentID: "st", Level: "community", Name: "亲邻社区"},
		{ID: "k1", ParentID: "c1", Level: "compound", Name: "幸福小区"},
		{ID: "b3", ParentID: "k1", Level: "building", Name: "3号楼"},
	} {
		_, _ = reg.AddNode(ctx, sys, n)
	}
	for _, o := range []governance.OrganisationInput{
		{ID: "pc1", NodeID: "c1", Kind: governance.OrgPartyCommittee, Name: "社区党委"},
		{ID: "oc1", NodeID: "k1", Kind: governance.OrgOwnersCommittee, Name: "业委会"},
		{ID: "pg3", NodeID: "b3", Kind: governance.OrgPartyGroup, Name: "3号楼党小组"},
	} {
		_, _ = reg.AddOrganisation(ctx, sys, o)
	}
	for _, p := range []struct {
		id, org string
		role    governance.Role
	}{{"sec", "pc1", governance.RoleSecretary}, {"occ", "oc1", governance.RoleChair}, {"bl3", "pg3", governance.RoleBuildingLeader}} {
		_, _ = reg.AddPerson(ctx, sys, governance.PersonInput{ID: p.id, Name: "王" + p.id})
		_, _ = reg.Appoint(ctx, sys, governance.AppointInput{PersonID: p.id, OrgID: p.org, Role: p.role})
	}
	forum, _ := deliberation.NewForum(memory.NewDeliberationStore(), reg, deliberation.WithClock(clock),
		deliberation.WithIDs(gridgov.NewSequence("item")))
	return forum, clock
}

// The Beiyuan unit door (亲邻议事): raised at a building meeting, not settled in the first
// round, referred to the community Party committee, two options, a household canvass under
// Civil Code art. 278, public notice, and the bill split among the households after the
// property firm's 30% subsidy.
func Example() {
	forum, clock := demo()
	sec, occ, bl := gridgov.PersonActor("sec"), gridgov.PersonActor("occ"), gridgov.PersonActor("bl3")

	it, _ := forum.Raise(ctx, bl, deliberation.RaiseInput{Source: deliberation.SourceBuildingMeeting, NodeID: "b3",
		Title: "单元门更换", Category: deliberation.CategoryUnitDoor})
	s := deliberation.Step{ID: it.ID}
	_, _ = forum.StartFirstRound(ctx, occ, deliberation.FirstRoundInput{Step: s, Participants: []deliberation.ParticipantInput{
		{Kind: deliberation.KindPropertyFirm, Name: "物业"}, {Kind: deliberation.KindOwnersCommittee, Name: "业委会"}}})
	it, _ = forum.Refer(ctx, occ, deliberation.Step{ID: it.ID, Note: "资金来源意见分歧"})
	fmt.Println(it.State, "to", it.Referral.CommitteeID)

	_, _ = forum.Review(ctx, sec, s)
	_, _ = forum.Convene(ctx, sec, deliberation.MeetingInput{Step: s, ScheduledAt: clock.Now(), Participants: []deliberation.ParticipantInput{
		{Kind: deliberation.KindPartyMember, Name: "刘书记"}, {Kind: deliberation.KindResidentRep, Name: "陈大爷"},
		{Kind: deliberation.KindLegalAdviser, Name: "郑律师"}}})
	_, _ = forum.HoldMeeting(ctx, sec, deliberation.AttendanceInput{Step: s, Attended: []string{"p1", "p2", "p3"}})
	_, _ = forum.Propose(ctx, sec, deliberation.ProposalsInput{Step: s, Proposals: []deliberation.ProposalInput{
		{ID: "fund", Title: "动用维修资金", Cost: dec("6800"), Funding: deliberation.FundMaintenance, Matter: deliberation.MatterUseFund},
		{ID: "self", Title: "居民自筹、物业补贴30%", Cost: dec("6800"), Funding: deliberation.FundResidents,
			SubsidyRate: dec("0.3"), SubsidyFrom: "物业公司"},
	}})
	roll := deliberation.Roll{TotalArea: dec("300"), TotalOwners: 3, Households: []deliberation.Household{
		{ID: "101", OwnerID: "o1", Area: dec("90")}, {ID: "102", OwnerID: "o2", Area: dec("110")},
		{ID: "201", OwnerID: "o3", Area: dec("100")}}}
	_, _ = forum.OpenVote(ctx, sec, deliberation.OpenVoteInput{Step: s, Rule: deliberation.CivilCode278(), Roll: roll})
	_, _ = forum.Cast(ctx, bl, deliberation.CastInput{Step: s, Ballots: []deliberation.BallotInput{
		{HouseholdID: "101", VoterID: "o1", Choice: "self"}, {HouseholdID: "102", VoterID: "o2", Choice: "self"},
		{HouseholdID: "201", VoterID: "o3", Choice: "fund"}}})
	it, _ = forum.CloseVote(ctx, sec, s)
	fmt.Println(it.State, it.Decision)

	_, _ = forum.Publicise(ctx, sec, deliberation.NoticeInput{Step: s, Content: "采用居民自筹方案", Channel: deliberation.ChannelNoticeBoard})
	_, err := forum.Implement(ctx, sec, deliberation.ImplementInput{Step: s})
	fmt.Println("during the notice:", err != nil)
	clock.Advance(7 * 24 * time.Hour)
	it, _ = forum.Implement(ctx, sec, deliberation.ImplementInput{Step: s})
	split := it.Implementation.Split
	fmt.Println("subsidy", split.Subsidy.StringFixed(2), "residents", split.Residents.StringFixed(2))
	for _, sh := range split.Shares {
		fmt.Println(sh.HouseholdID, sh.Amount.StringFixed(2))
	}
	// Output:
	// referred to pc1
	// decided self
	// during the notice: true
	// subsidy 2040.00 residents 4760.00
	// 101 1428.00
	// 102 1745.33
	// 201 1586.67
}

// The owners' joint decision of Civil Code art. 278, counted exactly: participation by at
// least two thirds of the area and of the owners, then more than half of both for an
// ordinary matter, at least three quarters for raising the maintenance fund.
func ExampleCountVotes() {
	roll := deliberation.Roll{TotalArea: dec("400"), TotalOwners: 4, Households: []deliberation.Household{
		{ID: "101", OwnerID: "a", Area: dec("100")}, {ID: "102", OwnerID: "b", Area: dec("100")},
		{ID: "201", OwnerID: "c", Area: dec("100")}, {ID: "202", OwnerID: "d", Area: dec("100")}}}
	options := []deliberation.Proposal{
		{ID: "repair", Matter: deliberation.MatterUseFund},
		{ID: "raise", Matter: deliberation.MatterRaiseFund},
	}
	vote := func(choices ...string) {
		var bs []deliberation.Ballot
		for i, c := range choices {
			h := roll.Households[i]
			bs = append(bs, deliberation.Ballot{HouseholdID: h.ID, VoterID: h.OwnerID, Choice: c})
		}
		t, err := deliberation.CountVotes(deliberation.TallyInput{Rule: deliberation.CivilCode278(), Roll: roll,
			Proposals: options, Ballots: bs})
		if err != nil {
			fmt.Println(err)
			return
		}
		fmt.Println(strings.TrimSpace(string(t.Outcome) + " " + t.WinnerID))
	}
	vote("repair", "repair")                       // half the owners take part: below 2/3
	vote("repair", "repair", "against")            // 3 of 4 take part; 2 of 3 for: more than half
	vote("repair", "repair", "against", "abstain") // 2 of 4: exactly half is not more than half
	vote("raise", "raise", "raise", "against")     // exactly 3/4: enough to raise the fund
	vote("raise", "raise", "against")              // 2 of 3: below 3/4
	// Output:
	// no_quorum
	// decided repair
	// not_passed
	// decided raise
	// not_passed
}

// The tally explains itself, in English and Chinese, for the public notice.
func ExampleCountVotes_explanation() {
	roll := deliberation.Roll{TotalArea: dec("300"), TotalOwners: 3, Households: []deliberation.Household{
		{ID: "101", OwnerID: "a", Area: dec("90")}, {ID: "102", OwnerID: "b", Area: dec("110")},
		{ID: "201", OwnerID: "c", Area: dec("100")}}}
	t, _ := deliberation.CountVotes(deliberation.TallyInput{Rule: deliberation.CivilCode278(), Roll: roll,
		Proposals: []deliberation.Proposal{{ID: "self", Matter: deliberation.MatterOther}},
		Ballots: []deliberation.Ballot{{HouseholdID: "101", VoterID: "a", Choice: "self"},
			{HouseholdID: "102", VoterID: "b", Choice: "self"}}})
	fmt.Println(t.ExplanationEN)
	fmt.Println(t.ExplanationZH)
	// Output:
	// Participation: 200 of 300 m² (≥ 2/3: met) and 2 of 3 owners (≥ 2/3: met). Option self (other): 200 of 200 m² (> 1/2: met) and 2 of 2 owners (> 1/2: met). Decided: option self.
	// 参与表决：专有部分面积200/300平方米（不少于2/3：达到），人数2/3人（不少于2/3：达到）。方案self（other）：同意面积200/200平方米（超过1/2：达到），同意人数2/2人（超过1/2：达到）。表决结果：通过方案self。
}

// Thresholds compare exactly by cross-multiplication: exactly two thirds meets "≥ 2/3",
// exactly half does not meet "> 1/2".
func ExampleThreshold_Met() {
	fmt.Println(deliberation.AtLeast(2, 3).Met(dec("200"), dec("300")))
	fmt.Println(deliberation.AtLeast(2, 3).Met(dec("199.99"), dec("300")))
	fmt.Println(deliberation.MoreThan(1, 2).Met(dec("150"), dec("300")))
	fmt.Println(deliberation.AtLeast(3, 4).MetCount(3, 4))
	// Output:
	// true
	// false
	// false
	// true
}

// The art. 278 preset is data: its thresholds by matter.
func ExampleCivilCode278() {
	r := deliberation.CivilCode278()
	fmt.Println("participation:", r.ParticipationArea, "of the area and", r.ParticipationOwners, "of the owners")
	for _, m := range []deliberation.MatterKind{deliberation.MatterUseFund, deliberation.MatterHireFirm,
		deliberation.MatterRaiseFund, deliberation.MatterChangeUse} {
		mr := r.For(m)
		fmt.Println(m, mr.Area, mr.Owners.NameZH())
	}
	// Output:
	// participation: ≥ 2/3 of the area and ≥ 2/3 of the owners
	// use_fund > 1/2 超过1/2
	// hire_firm > 1/2 超过1/2
	// raise_fund ≥ 3/4 不少于3/4
	// change_use ≥ 3/4 不少于3/4
}

// The disclosure log counts by kind.
func ExampleSummarise() {
	s := deliberation.Summarise([]deliberation.Disclosure{
		{Kind: deliberation.DisclosureProactive, Subject: deliberation.SubjectDecision, Channel: deliberation.ChannelNoticeBoard},
		{Kind: deliberation.DisclosureProactive, Subject: deliberation.SubjectAward, Channel: deliberation.ChannelNoticeBoard},
		{Kind: deliberation.DisclosureOnRequest, Subject: deliberation.SubjectAccounts, Channel: deliberation.ChannelLetter},
	})
	fmt.Println(s.Total, s.ByKind[deliberation.DisclosureProactive], s.ByKind[deliberation.DisclosureOnRequest],
		s.ByChannel[deliberation.ChannelNoticeBoard])
	// Output:
	// 3 2 1 2
}
