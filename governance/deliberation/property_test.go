package deliberation_test

import (
	"fmt"
	"math/big"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gridgov/gridgov"
	"github.com/gridgov/gridgov/governance/deliberation"
)

// randomVote returns a random roll (some owners hold several households) and random
// ballots (each owner chooses once for all their households that vote).
func randomVote(rng *rand.Rand) (deliberation.Roll, []deliberation.Ballot) {
	n := 1 + rng.IntN(40)
	owners := 1 + rng.IntN(n)
	coarse := rng.IntN(2) == 0
	r := deliberation.Roll{TotalArea: decimal.Zero}
	seen := map[string]bool{}
	for i := range n {
		owner := fmt.Sprintf("o%d", rng.IntN(owners))
		area := decimal.New(int64(100+rng.IntN(20000)), -2) // 1.00 to 200.99 m²
		if coarse {
			area = decimal.NewFromInt(int64(10 * (1 + rng.IntN(2)))) // ties become likely
		}
		r.Households = append(r.Households, deliberation.Household{ID: fmt.Sprintf("h%02d", i), OwnerID: owner, Area: area})
		r.TotalArea = r.TotalArea.Add(area)
		seen[owner] = true
	}
	r.TotalOwners = len(seen)
	choices := []string{"A", "B", deliberation.ChoiceAgainst, deliberation.ChoiceAbstain}
	choice := map[string]string{}
	var bs []deliberation.Ballot
	for _, h := range r.Households {
		if rng.IntN(5) == 0 {
			continue // not reached by the canvass
		}
		c, ok := choice[h.OwnerID]
		if !ok {
			c = choices[rng.IntN(len(choices))]
			choice[h.OwnerID] = c
		}
		bs = append(bs, deliberation.Ballot{HouseholdID: h.ID, VoterID: h.OwnerID, Choice: c})
	}
	return r, bs
}

// requireTallyAddsUp checks the tally's sums against the roll and the ballots.
func requireTallyAddsUp(t testing.TB, r deliberation.Roll, bs []deliberation.Ballot, tl deliberation.Tally) {
	t.Helper()
	area, voters, ballots := tl.Against.Area.Add(tl.Abstain.Area), tl.Against.Voters+tl.Abstain.Voters, tl.Against.Ballots+tl.Abstain.Ballots
	for _, p := range tl.Proposals {
		area, voters, ballots = area.Add(p.For.Area), voters+p.For.Voters, ballots+p.For.Ballots
	}
	require.True(t, area.Equal(tl.Participation.Area), "choices' areas %s sum to participation %s", area, tl.Participation.Area)
	require.Equal(t, tl.Participation.Voters, voters, "each owner chose once")
	require.Equal(t, len(bs), ballots)
	require.Equal(t, len(bs), tl.Participation.Ballots)
	require.True(t, tl.Participation.Area.LessThanOrEqual(r.TotalArea))
	require.LessOrEqual(t, tl.Participation.Voters, r.TotalOwners)
	require.True(t, tl.Electorate.Area.Equal(r.TotalArea))
	require.Equal(t, r.TotalOwners, tl.Electorate.Voters)
	passed := 0
	for _, p := range tl.Proposals {
		if p.Passed {
			passed++
			require.True(t, tl.ParticipationMet)
		}
	}
	switch tl.Outcome {
	case deliberation.OutcomeDecided:
		require.NotEmpty(t, tl.WinnerID)
		require.GreaterOrEqual(t, passed, 1)
	case deliberation.OutcomeNoQuorum:
		require.False(t, tl.ParticipationMet)
	case deliberation.OutcomeNotPassed:
		require.Zero(t, passed)
	case deliberation.OutcomeTie:
		require.GreaterOrEqual(t, passed, 2)
	default:
		t.Fatalf("unknown outcome %q", tl.Outcome)
	}
}

// Random rolls and ballots: the tally adds up to the roll, and does not depend on the order
// of the ballots.
func TestTallyProperties(t *testing.T) {
	rng := rand.New(rand.NewPCG(278, 2021))
	rules := []deliberation.Rule{deliberation.CivilCode278(), func() deliberation.Rule {
		r := deliberation.CivilCode278()
		r.Name, r.Matters = "low", nil
		r.ParticipationArea, r.ParticipationOwners = deliberation.AtLeast(1, 10), deliberation.AtLeast(1, 10)
		r.Decision = deliberation.MatterRule{Area: deliberation.AtLeast(1, 5), Owners: deliberation.AtLeast(1, 5)}
		return r
	}()}
	outcomes := map[deliberation.Outcome]int{}
	for i := range 500 {
		r, bs := randomVote(rng)
		rule := rules[i%len(rules)]
		in := deliberation.TallyInput{Rule: rule, Roll: r, Proposals: twoOptions, Ballots: bs}
		tl, err := deliberation.CountVotes(in)
		require.NoError(t, err, "case %d", i)
		requireTallyAddsUp(t, r, bs, tl)
		outcomes[tl.Outcome]++

		shuffled := append([]deliberation.Ballot(nil), bs...)
		rng.Shuffle(len(shuffled), func(a, b int) { shuffled[a], shuffled[b] = shuffled[b], shuffled[a] })
		in.Ballots = shuffled
		again, err := deliberation.CountVotes(in)
		require.NoError(t, err)
		require.Equal(t, tl, again, "case %d: the order of ballots does not matter", i)
	}
	for _, o := range []deliberation.Outcome{deliberation.OutcomeDecided, deliberation.OutcomeNoQuorum,
		deliberation.OutcomeNotPassed, deliberation.OutcomeTie} {
		assert.Positive(t, outcomes[o], "outcome %s reached", o)
	}
}

// Threshold.Met agrees with exact rational arithmetic.
func TestThresholdAgreesWithRationals(t *testing.T) {
	rng := rand.New(rand.NewPCG(2, 3))
	for range 2000 {
		den := 1 + rng.Int64N(12)
		th := deliberation.Threshold{Num: rng.Int64N(den + 1), Den: den, Strict: rng.IntN(2) == 0}
		whole := decimal.New(rng.Int64N(1_000_000), -int32(rng.IntN(4)))
		part := decimal.New(rng.Int64N(whole.Coefficient().Int64()+2), whole.Exponent())
		lhs := new(big.Rat).Mul(part.Rat(), big.NewRat(th.Den, 1))
		rhs := new(big.Rat).Mul(whole.Rat(), big.NewRat(th.Num, 1))
		c := lhs.Cmp(rhs)
		want := c >= 0
		if th.Strict {
			want = c > 0
		}
		require.Equal(t, want, th.Met(part, whole), "%s of %s %s", part, whole, th)
	}
}

// A random sequence of commands, many of them out of order: the history holds one event per
// accepted command, versions count them, and every refusal leaves the store unchanged.
func TestHistoryCountsAcceptedCommands(t *testing.T) {
	f := newFixture(t)
	rng := rand.New(rand.NewPCG(7, 11))
	closed := 0
	for round := range 4 {
		it := f.raise()
		id := it.ID
		s := deliberation.Step{ID: id, Note: "说明"}
		commands := []func() error{
			func() error {
				_, err := f.forum.StartFirstRound(ctx, ownersChair, deliberation.FirstRoundInput{Step: s, Participants: firstRound()})
				return err
			},
			func() error { _, err := f.forum.Refer(ctx, ownersChair, s); return err },
			func() error { _, err := f.forum.Review(ctx, secretary, s); return err },
			func() error {
				_, err := f.forum.Convene(ctx, secretary, deliberation.MeetingInput{Step: s, ScheduledAt: start, Participants: meeting()})
				return err
			},
			func() error {
				_, err := f.forum.HoldMeeting(ctx, secretary, deliberation.AttendanceInput{Step: s, Attended: []string{"p1", "p2", "p3", "p5"}})
				return err
			},
			func() error {
				_, err := f.forum.Propose(ctx, secretary, deliberation.ProposalsInput{Step: s, Proposals: unitDoorOptions()})
				return err
			},
			func() error {
				_, err := f.forum.OpenVote(ctx, secretary, deliberation.OpenVoteInput{Step: s, Rule: deliberation.CivilCode278(), Roll: unitRoll()})
				return err
			},
			func() error {
				h := unitRoll().Households[rng.IntN(12)]
				choice := []string{"self", "self", "self", "self", "fund"}[rng.IntN(5)]
				_, err := f.forum.Cast(ctx, leader, deliberation.CastInput{Step: s, Ballots: []deliberation.BallotInput{
					{HouseholdID: h.ID, VoterID: h.OwnerID, Choice: choice}}})
				return err
			},
			func() error { _, err := f.forum.CloseVote(ctx, secretary, s); return err },
			func() error {
				_, err := f.forum.Publicise(ctx, secretary, deliberation.NoticeInput{Step: s, Days: 1, Content: "公示", Channel: deliberation.ChannelApp})
				return err
			},
			func() error {
				_, err := f.forum.Object(ctx, stranger, deliberation.ObjectionInput{Step: s, Content: "异议"})
				return err
			},
			func() error {
				cur, err := f.store.GetItem(ctx, id)
				require.NoError(t, err)
				n := 0
				for _, nt := range cur.Notices {
					n += len(nt.Objections)
				}
				_, err = f.forum.Answer(ctx, secretary, deliberation.AnswerInput{Step: s, ObjectionID: fmt.Sprintf("o%d", 1+rng.IntN(n+1)), Answer: "答复"})
				return err
			},
			func() error {
				_, err := f.forum.Award(ctx, secretary, deliberation.AwardInput{Step: s, Vendor: "门业公司", Price: dec("6000")})
				return err
			},
			func() error {
				_, err := f.forum.Implement(ctx, secretary, deliberation.ImplementInput{Step: s})
				return err
			},
			func() error {
				_, err := f.forum.Progress(ctx, firmManager, deliberation.ProgressInput{Step: s, Percent: 25 * rng.IntN(5)})
				return err
			},
			func() error {
				_, err := f.forum.Audit(ctx, secretary, deliberation.AuditInput{Step: s, AssessorKind: deliberation.AssessorExperts, Assessor: "专家", Satisfied: 3})
				return err
			},
			func() error { _, err := f.forum.Close(ctx, secretary, s); return err },
			func() error { _, err := f.forum.Settle(ctx, ownersChair, s); return err },
			func() error { _, err := f.forum.Withdraw(ctx, secretary, s); return err },
			func() error { _, err := f.forum.Dismiss(ctx, secretary, s); return err },
		}
		// next names the command that moves an item on from each state.
		next := map[deliberation.State][]int{
			deliberation.StateRaised: {0}, deliberation.StateFirstRound: {1}, deliberation.StateReferred: {2},
			deliberation.StateReviewed: {3}, deliberation.StateConvened: {4}, deliberation.StateConsulted: {5},
			deliberation.StateProposed: {6}, deliberation.StateDecided: {9}, deliberation.StatePublicised: {10, 11, 12, 13},
			deliberation.StateAwarded: {9}, deliberation.StateAwardPublicised: {10, 11, 13},
			deliberation.StateImplementing: {14, 15}, deliberation.StateAudited: {16},
		}
		accepted := 1 // the raise
		for range 250 {
			cur, err := f.store.GetItem(ctx, id)
			require.NoError(t, err)
			i := rng.IntN(len(commands))
			if rng.IntN(10) < 7 {
				switch ns := next[cur.State]; {
				case cur.State == deliberation.StateVoting && len(cur.Vote.Ballots) < 10:
					i = 7
				case cur.State == deliberation.StateVoting:
					i = 8
				case len(ns) > 0:
					i = ns[rng.IntN(len(ns))]
				}
			} else if i >= len(commands)-3 && rng.IntN(10) != 0 {
				continue // final detours are rare, so most rounds get far
			}
			if rng.IntN(4) == 0 {
				f.clock.Advance(12 * time.Hour)
			}
			before := f.itemSnapshot(id)
			err = commands[i]()
			if err == nil {
				accepted++
				continue
			}
			require.True(t, isRefusal(err), "round %d command %d: %v", round, i, err)
			require.Equal(t, before, f.itemSnapshot(id), "round %d command %d: refused, store unchanged", round, i)
		}
		h, err := f.forum.History(ctx, system, id)
		require.NoError(t, err)
		require.Len(t, h, accepted, "round %d", round)
		got, err := f.store.GetItem(ctx, id)
		require.NoError(t, err)
		require.EqualValues(t, accepted, got.Version)
		require.Equal(t, got.State, h[len(h)-1].To)
		for i := 1; i < len(h); i++ {
			require.Equal(t, h[i-1].To, h[i].From, "round %d: the history is a path", round)
		}
		t.Logf("round %d: %d accepted, final state %s", round, accepted, got.State)
		if got.State == deliberation.StateClosed {
			closed++
		}
	}
	assert.Positive(t, closed, "some round reaches the end")
}

// itemSnapshot is one item and its history.
func (f *fixture) itemSnapshot(id string) snapshot {
	f.t.Helper()
	it, err := f.store.GetItem(ctx, id)
	require.NoError(f.t, err)
	h, err := f.store.History(ctx, id)
	require.NoError(f.t, err)
	return snapshot{Items: []deliberation.Item{it}, Histories: map[string][]deliberation.Event{id: h}}
}

func isRefusal(err error) bool {
	for _, k := range []error{gridgov.ErrInvalid, gridgov.ErrInvalidTransition, gridgov.ErrForbidden} {
		if errorsIs(err, k) {
			return true
		}
	}
	return false
}
