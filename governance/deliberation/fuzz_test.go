package deliberation_test

import (
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"

	"github.com/gridgov/gridgov"
	"github.com/gridgov/gridgov/governance/deliberation"
)

// parseRoll reads "household/owner/area;…" (unparsable areas become zero, which the roll
// check refuses).
func parseRoll(spec, total string, owners int) deliberation.Roll {
	r := deliberation.Roll{TotalOwners: owners}
	r.TotalArea, _ = decimal.NewFromString(total)
	for _, e := range strings.Split(spec, ";") {
		parts := strings.SplitN(e, "/", 3)
		for len(parts) < 3 {
			parts = append(parts, "")
		}
		area, _ := decimal.NewFromString(parts[2])
		r.Households = append(r.Households, deliberation.Household{ID: parts[0], OwnerID: parts[1], Area: area})
	}
	return r
}

// parseBallots reads "household/voter/choice;…".
func parseBallots(spec string) []deliberation.Ballot {
	if spec == "" {
		return nil
	}
	var bs []deliberation.Ballot
	for _, e := range strings.Split(spec, ";") {
		parts := strings.SplitN(e, "/", 3)
		for len(parts) < 3 {
			parts = append(parts, "")
		}
		bs = append(bs, deliberation.Ballot{HouseholdID: parts[0], VoterID: parts[1], Choice: parts[2]})
	}
	return bs
}

// Any roll and ballots: CountVotes never panics, refuses only with ErrInvalid or
// ErrForbidden (naming fields in both languages), and a tally it returns adds up.
func FuzzCountVotes(f *testing.F) {
	f.Add("h1/a/10;h2/b/10;h3/c/10", "30", 3, "h1/a/A;h2/b/A")
	f.Add("h1/a/10;h2/a/10;h3/b/10", "30", 2, "h1/a/A;h2/a/B")
	f.Add("h1/a/10;h2/b/9.99;h3/c/10.01", "30", 3, "h1/a/B;h2/b/B;h3/c/against")
	f.Add("h1/a/10", "10", 1, "h1/x/A")
	f.Add("h1/a/10;h1/a/10", "20", 1, "h1/a/A;h1/a/A")
	f.Add("h1/a/1e-9;h2/b/1e9", "1e9", 2, "h2/b/abstain")
	f.Add("h 1/a/10", "10", 1, "")
	f.Add("h1/a/-1;h2//5", "4", 7, "h3/q/zz;/a/A")
	f.Fuzz(func(t *testing.T, rollSpec, total string, owners int, ballotSpec string) {
		r := parseRoll(rollSpec, total, owners)
		bs := parseBallots(ballotSpec)
		tl, err := deliberation.CountVotes(deliberation.TallyInput{Rule: deliberation.CivilCode278(), Roll: r,
			Proposals: twoOptions, Ballots: bs})
		if err != nil {
			require.True(t, errorsIs(err, gridgov.ErrInvalid) || errorsIs(err, gridgov.ErrForbidden), "%v", err)
			var verr *gridgov.ValidationError
			require.ErrorAs(t, err, &verr)
			for _, fe := range verr.Fields {
				require.NotEmpty(t, fe.Field)
				require.NotEmpty(t, fe.EN)
				require.NotEmpty(t, fe.ZH)
			}
			return
		}
		requireTallyAddsUp(t, r, bs, tl)
	})
}

// Any ballot cast into an open vote: accepted (one more ballot, one more event) or refused
// with ErrInvalid or ErrForbidden, the store unchanged.
func FuzzCast(f *testing.F) {
	fx := newFixture(f)
	it := fx.toVoting()
	f.Add("3-2-101", "o101", "self", "", "bl3", int64(0))
	f.Add("3-2-101", "o102", "self", "", "bl3", int64(0))
	f.Add("3-2-602", "o601", "fund", "written", "o601", int64(-60))
	f.Add("3-2-999", "o101", "abstain", "online", "nobody", int64(0))
	f.Add("", "", "", "fax", "", int64(3600))
	f.Add("3-2-501", "res-sp", "against", "door_to_door", "res-sp", int64(-1))
	f.Add("p1", "sec", "self", "meeting", "sec", int64(0))
	f.Fuzz(func(t *testing.T, household, voter, choice, method, actorID string, offset int64) {
		fx.t = t
		before := fx.snapshot()
		actor := gridgov.PersonActor(actorID)
		at := time.Time{}
		if offset != 0 {
			at = fx.clock.Now().Add(time.Duration(offset) * time.Second)
		}
		got, err := fx.forum.Cast(ctx, actor, deliberation.CastInput{Step: deliberation.Step{ID: it.ID},
			Ballots: []deliberation.BallotInput{{HouseholdID: household, VoterID: voter, Choice: choice,
				Method: deliberation.CanvassMethod(method), CollectedAt: at}}})
		if err != nil {
			require.True(t, errorsIs(err, gridgov.ErrInvalid) || errorsIs(err, gridgov.ErrForbidden), "%v", err)
			require.Equal(t, before, fx.snapshot())
			return
		}
		prev := before.Items[0]
		require.Len(t, got.Vote.Ballots, len(prev.Vote.Ballots)+1)
		require.Equal(t, prev.Version+1, got.Version)
		b := got.Vote.Ballots[len(got.Vote.Ballots)-1]
		require.Equal(t, household, b.HouseholdID)
		require.False(t, b.CollectedAt.After(fx.clock.Now()))
	})
}
