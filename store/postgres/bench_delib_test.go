package postgres_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/shopspring/decimal"

	"github.com/gridgov/gridgov"
	"github.com/gridgov/gridgov/governance/deliberation"
	"github.com/gridgov/gridgov/store/memory"
)

// benchVoteItem returns an agenda item in an owners' vote on a roll of households+100
// households, holding a canvassed ballot from each of the first households.
func benchVoteItem(id string, households int) (deliberation.Item, []deliberation.Household) {
	it := agendaItem(id, "st", "cm", "k1")
	it.State = deliberation.StateVoting
	roll := deliberation.Roll{TotalArea: decimal.Zero, TotalOwners: households + 100}
	for i := range households + 100 {
		h := deliberation.Household{ID: fmt.Sprintf("%d-%d-%03d", 1+i/200, 1+i/100%2, 101+i%100),
			OwnerID: fmt.Sprintf("owner%05d", i), Area: decimal.New(int64(6000+(i*7919)%10000), -2)}
		roll.Households = append(roll.Households, h)
		roll.TotalArea = roll.TotalArea.Add(h.Area)
	}
	it.Vote = deliberation.Vote{Rule: deliberation.CivilCode278(), Roll: roll, OpenedAt: t0}
	for _, h := range roll.Households[:households] {
		it.Vote.Ballots = append(it.Vote.Ballots, deliberation.Ballot{HouseholdID: h.ID, VoterID: h.OwnerID, Choice: "A",
			CollectedBy: "canvasser1", CollectedAt: t0, Method: deliberation.MethodDoorToDoor})
	}
	return it, roll.Households[households:]
}

// BenchmarkDeliberationCast records one ballot the way Forum.Cast does — read the item,
// append the ballot, store the new version with its event — on an item whose vote holds
// about 2,000 ballots and a roll of 2,100 households (the whole item is one document of a
// few hundred kilobytes, rewritten by every cast), from one client. Every 100 ballots the
// item is reset to 2,000, untimed. store=memory is the baseline in the same run; op=update
// leaves out the read (the caller keeps the item UpdateItem returned).
func BenchmarkDeliberationCast(b *testing.B) {
	const ballots, batch = 2000, 100
	ctx := context.Background()
	for _, store := range []string{"memory", "postgres"} {
		for _, op := range []string{"cast", "update"} {
			b.Run(fmt.Sprintf("store=%s/op=%s/ballots=%d", store, op, ballots), func(b *testing.B) {
				var st deliberation.Store = memory.NewDeliberationStore()
				if store == "postgres" {
					st = benchDB(b, 1).Deliberation()
				}
				base, waiting := benchVoteItem("vote", ballots)
				cur, _, err := st.CreateItem(ctx, base, "", raised())
				if err != nil {
					b.Fatal(err)
				}
				reset := func() {
					next := base.Clone()
					next.Version = cur.Version
					if cur, err = st.UpdateItem(ctx, next, deliberation.Event{Kind: deliberation.EventOpenVote}); err != nil {
						b.Fatal(err)
					}
				}
				b.ResetTimer()
				for i := range b.N {
					if i > 0 && i%batch == 0 {
						b.StopTimer()
						reset()
						b.StartTimer()
					}
					if op == "cast" {
						if cur, err = st.GetItem(ctx, "vote"); err != nil {
							b.Fatal(err)
						}
					}
					h := waiting[i%batch]
					cur.Vote.Ballots = append(cur.Vote.Ballots, deliberation.Ballot{HouseholdID: h.ID, VoterID: h.OwnerID,
						Choice: "A", CollectedBy: h.OwnerID, CollectedAt: t0, Method: deliberation.MethodOnline})
					ev := deliberation.Event{Kind: deliberation.EventBallot, From: cur.State, To: cur.State,
						Actor: gridgov.PersonActor(h.OwnerID), At: t0}
					if cur, err = st.UpdateItem(ctx, cur, ev); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}
