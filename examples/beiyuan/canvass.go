package main

import (
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/gridgov/gridgov/governance/deliberation"
)

// maxDraws bounds the redraws of a canvass that must land on its fate's outcome.
const maxDraws = 500

// owners groups a roll's households by owner, in roll order: one owner of several flats
// chooses once for all of them.
func owners(roll deliberation.Roll) [][]deliberation.Household {
	idx := map[string]int{}
	var out [][]deliberation.Household
	for _, h := range roll.Households {
		i, ok := idx[h.OwnerID]
		if !ok {
			i = len(out)
			idx[h.OwnerID] = i
			out = append(out, nil)
		}
		out[i] = append(out[i], h)
	}
	return out
}

// share draws a share between lo and hi.
func share(r *rand.Rand, lo, hi float64) float64 { return lo + r.Float64()*(hi-lo) }

// drawCanvass draws the household canvass (逐户征求意见) of an owners' vote on roll between
// the options a (the one owners lean to) and b, until the library's count gives the fate's
// outcome: a decided, participation short of two thirds, or no option reaching its share.
// For fateVoting it draws the part of the canvass done by the year's end. Ballots are
// collected between from and to.
func drawCanvass(r *rand.Rand, roll deliberation.Roll, a, b deliberation.Proposal, f fate, from, to time.Time) ([]deliberation.BallotInput, deliberation.Tally, error) {
	rule := deliberation.CivilCode278()
	strictA := rule.For(a.Matter).Area.Num*4 >= rule.For(a.Matter).Area.Den*3 // a three-quarter matter
	os := owners(roll)
	for range maxDraws {
		var p, forA, forB float64
		switch f {
		case fateNoQuorum:
			p = share(r, 0.40, 0.66)
			forA, forB = share(r, 0.4, 0.8), 0.1
		case fateNotPassed:
			p = share(r, 0.68, 0.95)
			if strictA {
				forA, forB = share(r, 0.50, 0.72), share(r, 0.05, 0.2)
			} else {
				forA, forB = share(r, 0.30, 0.48), share(r, 0.15, 0.4)
			}
		case fateVoting:
			p = share(r, 0.25, 0.60)
			forA, forB = share(r, 0.5, 0.8), 0.1
		default: // decided
			p = share(r, 0.68, 0.97)
			if strictA {
				forA = share(r, 0.77, 0.97)
			} else {
				forA = share(r, 0.52, 0.90)
			}
			forB = (1 - forA) * share(r, 0.2, 0.8)
		}
		order := r.Perm(len(os))
		k := int(p*float64(len(os)) + 0.5)
		var ballots []deliberation.BallotInput
		span := to.Sub(from)
		for _, i := range order[:k] {
			u := r.Float64()
			choice := deliberation.ChoiceAgainst
			switch {
			case u < forA:
				choice = a.ID
			case u < forA+forB:
				choice = b.ID
			case u < forA+forB+(1-forA-forB)/3:
				choice = deliberation.ChoiceAbstain
			}
			method := deliberation.MethodDoorToDoor
			if r.IntN(5) == 0 {
				method = deliberation.MethodWritten
			}
			at := from.Add(time.Duration(r.Int64N(int64(span))))
			for _, h := range os[i] {
				ballots = append(ballots, deliberation.BallotInput{HouseholdID: h.ID, VoterID: h.OwnerID,
					Choice: choice, CollectedAt: at, Method: method})
			}
		}
		t, err := deliberation.CountVotes(deliberation.TallyInput{Rule: rule, Roll: roll,
			Proposals: []deliberation.Proposal{a, b}, Ballots: asBallots(ballots)})
		if err != nil {
			return nil, t, err
		}
		ok := false
		switch f {
		case fateNoQuorum:
			ok = t.Outcome == deliberation.OutcomeNoQuorum
		case fateNotPassed:
			ok = t.Outcome == deliberation.OutcomeNotPassed
		case fateVoting:
			ok = len(ballots) > 0
		default:
			ok = t.Outcome == deliberation.OutcomeDecided && t.WinnerID == a.ID
		}
		if ok {
			return ballots, t, nil
		}
	}
	return nil, deliberation.Tally{}, fmt.Errorf("beiyuan: no canvass of %d households gave fate %d in %d draws", len(roll.Households), f, maxDraws)
}

// asBallots converts ballot inputs to ballots for CountVotes.
func asBallots(in []deliberation.BallotInput) []deliberation.Ballot {
	out := make([]deliberation.Ballot, len(in))
	for i, b := range in {
		out[i] = deliberation.Ballot{HouseholdID: b.HouseholdID, VoterID: b.VoterID, Choice: b.Choice,
			CollectedAt: b.CollectedAt, Method: b.Method}
	}
	return out
}
