package escalation_test

import (
	"errors"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/gridgov/gridgov"
	"github.com/gridgov/gridgov/escalation"
)

// TestRandomCommandSequences runs random commands from random actors, with random clock
// moves and sweeps, and checks after each step that the complaint is in a state of the
// table, that its history agrees with it (length equals version, each event starts where
// the previous ended, the last ends in the current state) and that the event feed has every
// event exactly once.
func TestRandomCommandSequences(t *testing.T) {
	actors := []gridgov.Actor{gridWorker, otherWorker, chair, secretary, resident, stranger, system}
	states := escalation.States()
	for seed := range uint64(12) {
		f := newFixture(t)
		rng := rand.New(rand.NewPCG(seed, 99))
		var ids []string
		for range 3 {
			ids = append(ids, f.submit().ID)
		}
		for range 150 {
			id := ids[rng.IntN(len(ids))]
			a := actors[rng.IntN(len(actors))]
			s := escalation.Step{ID: id, Note: "随机"}
			var err error
			switch rng.IntN(20) {
			case 0:
				_, err = f.eng.Accept(ctx, a, s)
			case 1:
				_, err = f.eng.Refer(ctx, a, escalation.Referral{Step: s})
			case 2:
				_, err = f.eng.Sign(ctx, a, s)
			case 3:
				_, err = f.eng.Start(ctx, a, s)
			case 4:
				_, err = f.eng.Pause(ctx, a, s)
			case 5:
				_, err = f.eng.Resume(ctx, a, s)
			case 6:
				_, err = f.eng.Escalate(ctx, a, s)
			case 7:
				_, err = f.eng.Resolve(ctx, a, s)
			case 8:
				_, err = f.eng.Verify(ctx, a, s)
			case 9:
				_, err = f.eng.SendBack(ctx, a, s)
			case 10:
				sat := []escalation.Satisfaction{escalation.Satisfied, escalation.BasicSatisfied, escalation.Unsatisfied}[rng.IntN(3)]
				_, err = f.eng.Rate(ctx, a, escalation.RatingInput{Step: s, Satisfaction: sat})
			case 11:
				_, err = f.eng.Reopen(ctx, a, s)
			case 12:
				_, err = f.eng.Archive(ctx, a, s)
			case 13:
				if rng.IntN(4) == 0 {
					_, err = f.eng.Withdraw(ctx, a, s)
				}
			case 14:
				_, err = f.eng.Whistle(ctx, a, s)
			case 15:
				_, err = f.eng.Report(ctx, a, escalation.ReportInput{Step: s, Party: escalation.PartyStreet})
			case 16:
				f.clock.Advance(time.Duration(rng.IntN(48)) * time.Hour)
				_, err = f.eng.Sweep(ctx)
			case 17:
				if rng.IntN(3) == 0 {
					ids = append(ids, f.submit().ID)
				}
			default:
				_, err = f.eng.Reject(ctx, a, s)
			}
			if err != nil {
				require.True(t, errors.Is(err, gridgov.ErrForbidden) || errors.Is(err, gridgov.ErrInvalidTransition) ||
					errors.Is(err, gridgov.ErrInvalid), "seed %d: unexpected error %v", seed, err)
			}
			c, err := f.eng.Complaint(ctx, system, id)
			require.NoError(t, err)
			require.Contains(t, states, c.State, "seed %d", seed)
			h := f.history(id)
			require.Equal(t, int64(len(h)), c.Version, "seed %d: history length equals accepted commands", seed)
			require.Equal(t, c.State, h[len(h)-1].To, "seed %d", seed)
			for i := 1; i < len(h); i++ {
				require.Equal(t, h[i-1].To, h[i].From, "seed %d: event %d", seed, i)
			}
		}
		events, err := f.eng.Events(ctx, 0, 0)
		require.NoError(t, err)
		total := 0
		for _, id := range ids {
			total += len(f.history(id))
		}
		require.Len(t, events, total, "seed %d: the feed has every event", seed)
		for i, ev := range events {
			require.Equal(t, int64(i+1), ev.Seq, "seed %d: no gaps", seed)
		}
		require.True(t, slices.IsSortedFunc(events, func(a, b escalation.Event) int { return int(a.Seq - b.Seq) }))
	}
}
