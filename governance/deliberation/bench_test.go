package deliberation_test

import (
	"fmt"
	"testing"

	"github.com/shopspring/decimal"

	"github.com/gridgov/gridgov"
	"github.com/gridgov/gridgov/governance/deliberation"
)

// benchRoll is a compound of n households (one owner each, 60 to 160 m²) with every
// household's ballot: two in three for option A.
func benchRoll(n int) (deliberation.Roll, []deliberation.Ballot) {
	r := deliberation.Roll{TotalArea: decimal.Zero, TotalOwners: n}
	bs := make([]deliberation.Ballot, n)
	for i := range n {
		h := deliberation.Household{ID: fmt.Sprintf("h%06d", i), OwnerID: fmt.Sprintf("o%06d", i),
			Area: decimal.New(int64(6000+(i*7919)%10000), -2)}
		r.Households = append(r.Households, h)
		r.TotalArea = r.TotalArea.Add(h.Area)
		choice := "A"
		if i%3 == 2 {
			choice = deliberation.ChoiceAgainst
		}
		bs[i] = deliberation.Ballot{HouseholdID: h.ID, VoterID: h.OwnerID, Choice: choice}
	}
	return r, bs
}

// BenchmarkCountVotes counts an art. 278 vote of a whole compound (roll checked, every
// ballot checked and counted exactly). The baseline sums the same areas with decimal.Add,
// the least any exact tally must do.
func BenchmarkCountVotes(b *testing.B) {
	for _, n := range []int{100, 2000} {
		r, bs := benchRoll(n)
		in := deliberation.TallyInput{Rule: deliberation.CivilCode278(), Roll: r, Proposals: twoOptions, Ballots: bs}
		b.Run(fmt.Sprintf("households=%d/baseline-sum", n), func(b *testing.B) {
			for b.Loop() {
				s := decimal.Zero
				for _, h := range r.Households {
					s = s.Add(h.Area)
				}
				if !s.Equal(r.TotalArea) {
					b.Fatal("sum")
				}
			}
		})
		b.Run(fmt.Sprintf("households=%d/count", n), func(b *testing.B) {
			for b.Loop() {
				t, err := deliberation.CountVotes(in)
				if err != nil || t.Outcome != deliberation.OutcomeDecided {
					b.Fatal(err, t.Outcome)
				}
			}
		})
	}
}

// BenchmarkCast records one canvassed ballot into an item whose vote already holds about
// the given number of ballots, on a roll of that many households plus 100 (read, check
// against the roll and the earlier ballots, store one version): the cost grows with the
// item, which the store copies whole. Every 100 ballots the item is reset, untimed.
func BenchmarkCast(b *testing.B) {
	const batch = 100
	for _, n := range []int{100, 2000} {
		b.Run(fmt.Sprintf("ballots=%d", n), func(b *testing.B) {
			f := newFixture(b)
			it := f.toProposed()
			r, bs := benchRoll(n + batch)
			for i := range bs {
				bs[i].Choice = "self"
			}
			// Put the roll and n ballots straight into the stored item (the roll does not
			// match building b3's labels, so the forum would refuse it).
			reset := func() {
				stored, err := f.store.GetItem(ctx, it.ID)
				if err != nil {
					b.Fatal(err)
				}
				stored.State = deliberation.StateVoting
				stored.Vote = deliberation.Vote{Rule: deliberation.CivilCode278(), Roll: r, OpenedAt: start,
					Ballots: append([]deliberation.Ballot(nil), bs[:n]...)}
				if _, err := f.store.UpdateItem(ctx, stored, deliberation.Event{Kind: deliberation.EventOpenVote}); err != nil {
					b.Fatal(err)
				}
			}
			reset()
			b.ResetTimer()
			for i := range b.N {
				if i > 0 && i%batch == 0 {
					b.StopTimer()
					reset()
					b.StartTimer()
				}
				h := r.Households[n+i%batch]
				if _, err := f.forum.Cast(ctx, gridgov.PersonActor(h.OwnerID), deliberation.CastInput{Step: deliberation.Step{ID: it.ID},
					Ballots: []deliberation.BallotInput{{HouseholdID: h.ID, VoterID: h.OwnerID, Choice: "self"}}}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
