package deliberation_test

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gridgov/gridgov"
	"github.com/gridgov/gridgov/governance/deliberation"
)

func TestThresholdMet(t *testing.T) {
	for _, tc := range []struct {
		th          deliberation.Threshold
		part, whole string
		want        bool
	}{
		{deliberation.AtLeast(2, 3), "20", "30", true},               // exactly 2/3
		{deliberation.AtLeast(2, 3), "19.99", "30", false},           // one hundredth of a m² below
		{deliberation.AtLeast(2, 3), "19", "30", false},              // one m² below
		{deliberation.AtLeast(2, 3), "2", "3", true},                 // exactly 2/3 of the owners
		{deliberation.AtLeast(2, 3), "1", "3", false},                // one owner below
		{deliberation.AtLeast(3, 4), "75", "100", true},              // exactly 3/4
		{deliberation.AtLeast(3, 4), "74.99", "100", false},          // a hundredth below
		{deliberation.AtLeast(3, 4), "3", "4", true},                 // exactly 3/4 of the owners
		{deliberation.MoreThan(1, 2), "50", "100", false},            // exactly half is not more than half
		{deliberation.MoreThan(1, 2), "50.000001", "100", true},      // the least step above
		{deliberation.MoreThan(1, 2), "2", "4", false},               // a tie of owners
		{deliberation.MoreThan(1, 2), "3", "5", true},                //
		{deliberation.AtLeast(2, 3), "666.666667", "1000", true},     // 2/3 is not a decimal: above it
		{deliberation.AtLeast(2, 3), "666.666666", "1000", false},    // below it
		{deliberation.AtLeast(0, 1), "0", "0", true},                 // nothing required of nothing
		{deliberation.MoreThan(0, 1), "0", "10", false},              // more than nothing needs something
		{deliberation.AtLeast(1, 1), "1287.50", "1287.50", true},     // unanimity
		{deliberation.AtLeast(1, 1), "1287.49", "1287.50", false},    //
		{deliberation.AtLeast(2, 3), "1e-6", "1.5e-6", true},         // exponents do not matter
		{deliberation.MoreThan(1, 2), "500000000000", "1e12", false}, // large areas stay exact
	} {
		t.Run(fmt.Sprintf("%s of %s %s", tc.part, tc.whole, tc.th), func(t *testing.T) {
			assert.Equal(t, tc.want, tc.th.Met(dec(tc.part), dec(tc.whole)))
		})
	}
	assert.True(t, deliberation.AtLeast(2, 3).MetCount(8, 12))
	assert.False(t, deliberation.AtLeast(2, 3).MetCount(7, 12))
}

func TestThresholdText(t *testing.T) {
	assert.Equal(t, "≥ 2/3", deliberation.AtLeast(2, 3).String())
	assert.Equal(t, "> 1/2", deliberation.MoreThan(1, 2).String())
	assert.Equal(t, "不少于3/4", deliberation.AtLeast(3, 4).NameZH())
	assert.Equal(t, "超过1/2", deliberation.MoreThan(1, 2).NameZH())
}

func TestCivilCode278Preset(t *testing.T) {
	r := deliberation.CivilCode278()
	require.NoError(t, r.Validate())
	assert.Equal(t, deliberation.RuleOwners, r.Kind)
	assert.Equal(t, deliberation.AtLeast(2, 3), r.ParticipationArea)
	assert.Equal(t, deliberation.AtLeast(2, 3), r.ParticipationOwners)
	for _, m := range deliberation.Matters() {
		mr := r.For(m)
		assert.Equal(t, m, mr.Matter)
		switch m {
		case deliberation.MatterRaiseFund, deliberation.MatterRebuild, deliberation.MatterChangeUse:
			assert.Equal(t, deliberation.AtLeast(3, 4), mr.Area, m)
			assert.Equal(t, deliberation.AtLeast(3, 4), mr.Owners, m)
		default: // using the fund, hiring or dismissing the firm and every other matter
			assert.Equal(t, deliberation.MoreThan(1, 2), mr.Area, m)
			assert.Equal(t, deliberation.MoreThan(1, 2), mr.Owners, m)
		}
	}
	assert.Equal(t, deliberation.MoreThan(1, 2), r.For("unlisted").Area)
	require.NoError(t, deliberation.MeetingMajority().Validate())

	// The preset is data: a copy can be changed without changing the preset.
	c := r.Clone()
	c.Matters[0].Area = deliberation.AtLeast(1, 1)
	assert.Equal(t, deliberation.AtLeast(3, 4), deliberation.CivilCode278().Matters[0].Area)
}

func TestRuleValidate(t *testing.T) {
	for _, tc := range []struct {
		name   string
		rule   deliberation.Rule
		fields []string
	}{
		{"no name, unknown kind", deliberation.Rule{Kind: "lottery"}, []string{"Name", "Kind"}},
		{"meeting without thresholds", deliberation.Rule{Name: "m", Kind: deliberation.RuleMeeting},
			[]string{"Quorum.Den", "Majority.Den"}},
		{"numerator above denominator", func() deliberation.Rule {
			r := deliberation.MeetingMajority()
			r.Quorum = deliberation.AtLeast(4, 3)
			return r
		}(), []string{"Quorum.Num"}},
		{"negative numerator", func() deliberation.Rule {
			r := deliberation.CivilCode278()
			r.ParticipationArea = deliberation.AtLeast(-1, 3)
			return r
		}(), []string{"ParticipationArea.Num"}},
		{"more than the whole", func() deliberation.Rule {
			r := deliberation.CivilCode278()
			r.Decision.Owners = deliberation.MoreThan(1, 1)
			return r
		}(), []string{"Decision.Owners.Strict"}},
		{"huge denominator", func() deliberation.Rule {
			r := deliberation.CivilCode278()
			r.ParticipationOwners = deliberation.AtLeast(1, deliberation.MaxDenominator+1)
			return r
		}(), []string{"ParticipationOwners.Den"}},
		{"matter repeated and blank", func() deliberation.Rule {
			r := deliberation.CivilCode278()
			r.Matters = append(r.Matters, r.Matters[0], deliberation.MatterRule{Area: deliberation.AtLeast(1, 2), Owners: deliberation.AtLeast(1, 2)})
			return r
		}(), []string{"Matters[3].Matter", "Matters[4].Matter"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			requireFields(t, tc.rule.Validate(), gridgov.ErrInvalid, tc.fields...)
		})
	}
}

// roll builds a roll from "owner:area" entries; households are h1, h2, ….
func roll(entries ...string) deliberation.Roll {
	r := deliberation.Roll{}
	owners := map[string]bool{}
	sum := dec("0")
	for i, e := range entries {
		var owner, area string
		for j := range e {
			if e[j] == ':' {
				owner, area = e[:j], e[j+1:]
			}
		}
		r.Households = append(r.Households, deliberation.Household{ID: fmt.Sprintf("h%d", i+1), OwnerID: owner, Area: dec(area)})
		owners[owner] = true
		sum = sum.Add(dec(area))
	}
	r.TotalArea, r.TotalOwners = sum, len(owners)
	return r
}

// ballots builds owners' ballots from "household=choice" entries; the voter is the owner.
func ballots(r deliberation.Roll, entries ...string) []deliberation.Ballot {
	owner := map[string]string{}
	for _, h := range r.Households {
		owner[h.ID] = h.OwnerID
	}
	out := make([]deliberation.Ballot, len(entries))
	for i, e := range entries {
		for j := range e {
			if e[j] == '=' {
				out[i] = deliberation.Ballot{HouseholdID: e[:j], VoterID: owner[e[:j]], Choice: e[j+1:]}
			}
		}
	}
	return out
}

var twoOptions = []deliberation.Proposal{{ID: "A", Matter: deliberation.MatterOther}, {ID: "B", Matter: deliberation.MatterRaiseFund}}

// The art. 278 tally at every boundary.
func TestCountVotesOwners(t *testing.T) {
	for _, tc := range []struct {
		name    string
		roll    deliberation.Roll
		ballots []string
		outcome deliberation.Outcome
		winner  string
	}{
		{"participation exactly 2/3 of area and owners", roll("a:10", "b:10", "c:10"),
			[]string{"h1=A", "h2=A"}, deliberation.OutcomeDecided, "A"},
		{"participation a hundredth of a m² below 2/3", roll("a:10", "b:9.99", "c:10.01"),
			[]string{"h1=A", "h2=A"}, deliberation.OutcomeNoQuorum, ""},
		{"participation one m² below 2/3", roll("a:10", "b:9", "c:11"),
			[]string{"h1=A", "h2=A"}, deliberation.OutcomeNoQuorum, ""},
		{"area enough, owners one below 2/3", roll("a:80", "b:10", "c:5", "d:5"),
			[]string{"h1=A", "h2=A"}, deliberation.OutcomeNoQuorum, ""},
		{"owners enough, area below 2/3", roll("a:10", "b:10", "c:10", "d:70"),
			[]string{"h1=A", "h2=A", "h3=A"}, deliberation.OutcomeNoQuorum, ""},
		{"exactly 3/4 for raising the fund", roll("a:10", "b:10", "c:10", "d:10"),
			[]string{"h1=B", "h2=B", "h3=B", "h4=against"}, deliberation.OutcomeDecided, "B"},
		{"a hundredth of a m² below 3/4", roll("a:10", "b:10", "c:9.99", "d:10.01"),
			[]string{"h1=B", "h2=B", "h3=B", "h4=against"}, deliberation.OutcomeNotPassed, ""},
		{"3/4 of area but not of owners", roll("a:70", "b:10", "c:10", "d:10"),
			[]string{"h1=B", "h2=B", "h3=against", "h4=against"}, deliberation.OutcomeNotPassed, ""},
		{"exactly half is not more than half", roll("a:10", "b:10", "c:10", "d:10"),
			[]string{"h1=A", "h2=A", "h3=against", "h4=against"}, deliberation.OutcomeNotPassed, ""},
		{"a hundredth of a m² above half", roll("a:10", "b:10.01", "c:10", "d:9.99"),
			[]string{"h1=A", "h2=A", "h3=A", "h4=against"}, deliberation.OutcomeDecided, "A"},
		{"more than half the area but half the owners", roll("a:10", "b:10.01", "c:10", "d:9.99"),
			[]string{"h1=against", "h2=A", "h3=against", "h4=A"}, deliberation.OutcomeNotPassed, ""},
		{"abstentions take part and count against", roll("a:10", "b:10", "c:10"),
			[]string{"h1=A", "h2=abstain", "h3=abstain"}, deliberation.OutcomeNotPassed, ""},
		{"an owner of two households counts once: 1 of 2 owners is not more than half", roll("a:10", "a:10", "b:10", "c:10"),
			[]string{"h1=A", "h2=A", "h3=against"}, deliberation.OutcomeNotPassed, ""},
		{"an owner of two households with another owner", roll("a:10", "a:10", "b:10", "c:10"),
			[]string{"h1=A", "h2=A", "h3=A", "h4=against"}, deliberation.OutcomeDecided, "A"},
		{"two options split the vote", roll("a:10", "b:10", "c:10", "d:10"),
			[]string{"h1=A", "h2=A", "h3=B", "h4=B"}, deliberation.OutcomeNotPassed, ""},
		{"no ballots at all", roll("a:10", "b:10", "c:10"), nil, deliberation.OutcomeNoQuorum, ""},
		{"unanimous", roll("a:10", "b:10", "c:10"), []string{"h1=B", "h2=B", "h3=B"}, deliberation.OutcomeDecided, "B"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tl, err := deliberation.CountVotes(deliberation.TallyInput{Rule: deliberation.CivilCode278(),
				Roll: tc.roll, Proposals: twoOptions, Ballots: ballots(tc.roll, tc.ballots...)})
			require.NoError(t, err)
			assert.Equal(t, tc.outcome, tl.Outcome, tl.ExplanationEN)
			assert.Equal(t, tc.winner, tl.WinnerID)
			assert.NotEmpty(t, tl.ExplanationZH)
		})
	}
}

// A rule whose thresholds let two options pass picks the larger area, then more owners,
// and decides nothing on a tie.
func TestCountVotesSeveralPass(t *testing.T) {
	low := deliberation.CivilCode278()
	low.Name, low.Matters = "low", nil
	low.Decision = deliberation.MatterRule{Area: deliberation.AtLeast(1, 3), Owners: deliberation.AtLeast(1, 3)}
	for _, tc := range []struct {
		name    string
		roll    deliberation.Roll
		ballots []string
		outcome deliberation.Outcome
		winner  string
	}{
		{"tie", roll("a:10", "b:10", "c:10", "d:10"), []string{"h1=A", "h2=A", "h3=B", "h4=B"}, deliberation.OutcomeTie, ""},
		{"larger area wins", roll("a:10", "b:10", "c:10", "d:10.01"), []string{"h1=A", "h2=A", "h3=B", "h4=B"}, deliberation.OutcomeDecided, "B"},
		{"same area, more owners wins", roll("a:10", "b:10", "c:20", "d:10", "d:10"),
			[]string{"h1=A", "h2=A", "h3=B", "h4=against", "h5=against"}, deliberation.OutcomeDecided, "A"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tl, err := deliberation.CountVotes(deliberation.TallyInput{Rule: low, Roll: tc.roll,
				Proposals: twoOptions, Ballots: ballots(tc.roll, tc.ballots...)})
			require.NoError(t, err)
			assert.Equal(t, tc.outcome, tl.Outcome, tl.ExplanationEN)
			assert.Equal(t, tc.winner, tl.WinnerID)
		})
	}
}

// meetingOf returns n voting participants p1…pn of whom the first attended attend, plus an
// attending legal adviser.
func meetingOf(n, attended int) []deliberation.Participant {
	ps := make([]deliberation.Participant, 0, n+1)
	for i := range n {
		ps = append(ps, deliberation.Participant{ID: fmt.Sprintf("p%d", i+1), Kind: deliberation.KindResidentRep,
			Voting: true, Attended: i < attended})
	}
	return append(ps, deliberation.Participant{ID: "law", Kind: deliberation.KindLegalAdviser, Attended: true})
}

func TestCountVotesMeeting(t *testing.T) {
	for _, tc := range []struct {
		name          string
		invited, came int
		votes         []string // choices of p1, p2, …
		outcome       deliberation.Outcome
		winner        string
	}{
		{"quorum exactly 2/3, majority", 6, 4, []string{"A", "A", "A", "B"}, deliberation.OutcomeDecided, "A"},
		{"quorum one below 2/3", 6, 3, []string{"A", "A", "A"}, deliberation.OutcomeNoQuorum, ""},
		{"exactly half of the attendees", 6, 4, []string{"A", "A", "B", "B"}, deliberation.OutcomeNotPassed, ""},
		{"abstaining attendees count against", 6, 5, []string{"A", "A", "abstain", "abstain"}, deliberation.OutcomeNotPassed, ""},
		{"silent attendees count against", 6, 5, []string{"A", "A"}, deliberation.OutcomeNotPassed, ""},
		{"three of five", 6, 5, []string{"B", "B", "B", "A", "against"}, deliberation.OutcomeDecided, "B"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var bs []deliberation.Ballot
			for i, c := range tc.votes {
				bs = append(bs, deliberation.Ballot{ParticipantID: fmt.Sprintf("p%d", i+1), Choice: c})
			}
			tl, err := deliberation.CountVotes(deliberation.TallyInput{Rule: deliberation.MeetingMajority(),
				Participants: meetingOf(tc.invited, tc.came), Proposals: twoOptions, Ballots: bs})
			require.NoError(t, err)
			assert.Equal(t, tc.outcome, tl.Outcome, tl.ExplanationEN)
			assert.Equal(t, tc.winner, tl.WinnerID)
			assert.Equal(t, tc.invited, tl.Electorate.Voters)
			assert.Equal(t, tc.came, tl.Participation.Voters)
		})
	}
}

// Bad ballots: non-owners are forbidden; double votes, strangers to the roll, unknown
// choices and an owner choosing two ways are invalid.
func TestCountVotesRefusals(t *testing.T) {
	r := roll("a:10", "a:10", "b:10")
	r.Households[2].CoOwners = []string{"b2"}
	count := func(bs ...deliberation.Ballot) error {
		_, err := deliberation.CountVotes(deliberation.TallyInput{Rule: deliberation.CivilCode278(), Roll: r,
			Proposals: twoOptions, Ballots: bs})
		return err
	}
	b := func(h, voter, choice string) deliberation.Ballot {
		return deliberation.Ballot{HouseholdID: h, VoterID: voter, Choice: choice}
	}
	requireFields(t, count(b("h1", "b", "A")), gridgov.ErrForbidden, "Ballots[0].VoterID")
	requireFields(t, count(b("h3", "b2", "A"), b("h3", "b", "A")), gridgov.ErrInvalid, "Ballots[1].HouseholdID")
	requireFields(t, count(b("h9", "a", "A")), gridgov.ErrInvalid, "Ballots[0].HouseholdID")
	requireFields(t, count(b("h1", "a", "C")), gridgov.ErrInvalid, "Ballots[0].Choice")
	requireFields(t, count(b("h1", "a", "A"), b("h2", "a", "B")), gridgov.ErrInvalid, "Ballots[1].Choice")
	requireFields(t, count(b("h1", "", "A")), gridgov.ErrInvalid, "Ballots[0].VoterID")
	requireFields(t, count(deliberation.Ballot{ParticipantID: "p1", Choice: "A"}), gridgov.ErrInvalid,
		"Ballots[0].ParticipantID", "Ballots[0].HouseholdID")
	// Invalid wins over forbidden, and every field is named.
	requireFields(t, count(b("h1", "x", "A"), b("h1", "a", "A"), b("h3", "b", "Z")), gridgov.ErrInvalid,
		"Ballots[1].HouseholdID", "Ballots[2].Choice")

	// Rolls whose totals do not match.
	bad := r
	bad.TotalArea = dec("30.01")
	_, err := deliberation.CountVotes(deliberation.TallyInput{Rule: deliberation.CivilCode278(), Roll: bad, Proposals: twoOptions})
	requireFields(t, err, gridgov.ErrInvalid, "Roll.TotalArea")
	bad = r
	bad.TotalOwners = 3
	_, err = deliberation.CountVotes(deliberation.TallyInput{Rule: deliberation.CivilCode278(), Roll: bad, Proposals: twoOptions})
	requireFields(t, err, gridgov.ErrInvalid, "Roll.TotalOwners")

	// Meeting ballots from absentees and advisers are forbidden.
	ps := meetingOf(3, 2)
	_, err = deliberation.CountVotes(deliberation.TallyInput{Rule: deliberation.MeetingMajority(), Participants: ps,
		Proposals: twoOptions, Ballots: []deliberation.Ballot{{ParticipantID: "p3", Choice: "A"}, {ParticipantID: "law", Choice: "A"}}})
	requireFields(t, err, gridgov.ErrForbidden, "Ballots[0].ParticipantID", "Ballots[1].ParticipantID")

	// Options must have distinct, unreserved IDs.
	_, err = deliberation.CountVotes(deliberation.TallyInput{Rule: deliberation.CivilCode278(), Roll: r,
		Proposals: []deliberation.Proposal{{ID: "A"}, {ID: "A"}, {ID: "abstain"}, {ID: "bad id"}}})
	requireFields(t, err, gridgov.ErrInvalid, "Proposals[1].ID", "Proposals[2].ID", "Proposals[3].ID")
}

func TestRollValidate(t *testing.T) {
	require.NoError(t, unitRoll().Validate())
	r := unitRoll()
	r.Households[0].Area = dec("0")
	r.Households[1].Area = dec("-5")
	r.Households[2].Area = dec("1000000")
	r.Households[3].Area = dec("1.1234567")
	r.Households[4].ID = r.Households[5].ID
	r.Households[6].OwnerID = ""
	r.Households[8].CoOwners = []string{"res", "x", "x"}
	requireFields(t, r.Validate(), gridgov.ErrInvalid, "Households[0].Area", "Households[1].Area",
		"Households[2].Area", "Households[3].Area", "Households[5].ID", "Households[6].OwnerID",
		"Households[8].CoOwners[0]", "Households[8].CoOwners[2]")
	requireFields(t, deliberation.Roll{}.Validate(), gridgov.ErrInvalid, "Households", "TotalArea", "TotalOwners")
	r = unitRoll()
	r.Households[0].Area = dec("89.500000") // trailing zeros are not places
	require.NoError(t, r.Validate())
	r.Households[0].Area = dec("8.95e1")
	require.NoError(t, r.Validate())
	r.Households[0].Area = dec("1e-999999")
	r.TotalArea = dec("1e999999")
	requireFields(t, r.Validate(), gridgov.ErrInvalid, "Households[0].Area", "TotalArea")
}
