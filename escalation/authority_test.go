package escalation_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gridgov/gridgov"
	"github.com/gridgov/gridgov/escalation"
)

// TestEveryCommandRefusesOutOfScopeActors walks every command with actors who may not run
// it: a grid worker of another subtree, a resident without positions and, for reporter-only
// commands, a handler who is not the reporter. Each gets ErrForbidden and changes nothing.
func TestEveryCommandRefusesOutOfScopeActors(t *testing.T) {
	step := func(c escalation.Complaint) escalation.Step {
		return escalation.Step{ID: c.ID, Note: "理由"}
	}
	type setup func(f *fixture) escalation.Complaint
	submitted := func(f *fixture) escalation.Complaint { return f.submit() }
	accepted := func(f *fixture) escalation.Complaint {
		c := f.submit()
		return f.must(f.eng.Accept(ctx, gridWorker, escalation.Step{ID: c.ID}))
	}
	referred := func(f *fixture) escalation.Complaint { return f.referred() }
	signed := func(f *fixture) escalation.Complaint {
		return f.must(f.eng.Sign(ctx, gridWorker, escalation.Step{ID: f.referred().ID}))
	}
	paused := func(f *fixture) escalation.Complaint {
		return f.must(f.eng.Pause(ctx, gridWorker, step(signed(f))))
	}
	resolved := func(f *fixture) escalation.Complaint {
		return f.must(f.eng.Resolve(ctx, gridWorker, step(signed(f))))
	}
	verified := func(f *fixture) escalation.Complaint {
		return f.must(f.eng.Verify(ctx, chair, step(resolved(f))))
	}
	rated := func(f *fixture) escalation.Complaint {
		return f.must(f.eng.Rate(ctx, resident, escalation.RatingInput{Step: step(verified(f)),
			Satisfaction: escalation.Unsatisfied}))
	}
	atStreet := func(f *fixture) escalation.Complaint {
		c := signed(f)
		for range 3 {
			c = f.must(f.eng.Escalate(ctx, secretary, step(c)))
		}
		return c
	}
	whistled := func(f *fixture) escalation.Complaint {
		return f.must(f.eng.Whistle(ctx, secretary, step(atStreet(f))))
	}

	handlers := []gridgov.Actor{otherWorker, stranger}
	reporterOnly := []gridgov.Actor{otherWorker, stranger, gridWorker, chair}
	for _, tc := range []struct {
		name   string
		setup  setup
		actors []gridgov.Actor
		run    func(f *fixture, a gridgov.Actor, c escalation.Complaint) error
	}{
		{"Accept", submitted, handlers, func(f *fixture, a gridgov.Actor, c escalation.Complaint) error {
			_, err := f.eng.Accept(ctx, a, step(c))
			return err
		}},
		{"Reject", submitted, handlers, func(f *fixture, a gridgov.Actor, c escalation.Complaint) error {
			_, err := f.eng.Reject(ctx, a, step(c))
			return err
		}},
		{"MarkDuplicate", submitted, handlers, func(f *fixture, a gridgov.Actor, c escalation.Complaint) error {
			other := f.submit()
			_, err := f.eng.MarkDuplicate(ctx, a, escalation.DuplicateInput{Step: step(c), Of: other.ID})
			return err
		}},
		{"Refer", accepted, handlers, func(f *fixture, a gridgov.Actor, c escalation.Complaint) error {
			_, err := f.eng.Refer(ctx, a, escalation.Referral{Step: step(c)})
			return err
		}},
		{"Sign", referred, handlers, func(f *fixture, a gridgov.Actor, c escalation.Complaint) error {
			_, err := f.eng.Sign(ctx, a, step(c))
			return err
		}},
		{"Start", signed, handlers, func(f *fixture, a gridgov.Actor, c escalation.Complaint) error {
			_, err := f.eng.Start(ctx, a, step(c))
			return err
		}},
		{"Pause", signed, handlers, func(f *fixture, a gridgov.Actor, c escalation.Complaint) error {
			_, err := f.eng.Pause(ctx, a, step(c))
			return err
		}},
		{"Resume", paused, handlers, func(f *fixture, a gridgov.Actor, c escalation.Complaint) error {
			_, err := f.eng.Resume(ctx, a, step(c))
			return err
		}},
		{"Escalate", signed, handlers, func(f *fixture, a gridgov.Actor, c escalation.Complaint) error {
			_, err := f.eng.Escalate(ctx, a, step(c))
			return err
		}},
		{"Resolve", signed, handlers, func(f *fixture, a gridgov.Actor, c escalation.Complaint) error {
			_, err := f.eng.Resolve(ctx, a, step(c))
			return err
		}},
		{"Verify", resolved, append(handlers, gridWorker), func(f *fixture, a gridgov.Actor, c escalation.Complaint) error {
			_, err := f.eng.Verify(ctx, a, step(c))
			return err
		}},
		{"SendBack", resolved, append(handlers, gridWorker), func(f *fixture, a gridgov.Actor, c escalation.Complaint) error {
			_, err := f.eng.SendBack(ctx, a, step(c))
			return err
		}},
		{"Rate", verified, reporterOnly, func(f *fixture, a gridgov.Actor, c escalation.Complaint) error {
			_, err := f.eng.Rate(ctx, a, escalation.RatingInput{Step: step(c), Satisfaction: escalation.Satisfied})
			return err
		}},
		{"Reopen", rated, handlers, func(f *fixture, a gridgov.Actor, c escalation.Complaint) error {
			_, err := f.eng.Reopen(ctx, a, step(c))
			return err
		}},
		{"Archive", rated, handlers, func(f *fixture, a gridgov.Actor, c escalation.Complaint) error {
			_, err := f.eng.Archive(ctx, a, step(c))
			return err
		}},
		{"Withdraw", signed, reporterOnly, func(f *fixture, a gridgov.Actor, c escalation.Complaint) error {
			_, err := f.eng.Withdraw(ctx, a, step(c))
			return err
		}},
		{"Whistle", atStreet, append(handlers, gridWorker, chair), func(f *fixture, a gridgov.Actor, c escalation.Complaint) error {
			_, err := f.eng.Whistle(ctx, a, step(c))
			return err
		}},
		{"Report", whistled, append(handlers, gridWorker), func(f *fixture, a gridgov.Actor, c escalation.Complaint) error {
			_, err := f.eng.Report(ctx, a, escalation.ReportInput{Step: step(c), Party: escalation.PartyStreet})
			return err
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := newFixture(t)
			c := tc.setup(f)
			for _, a := range tc.actors {
				err := tc.run(f, a, c)
				require.ErrorIs(t, err, gridgov.ErrForbidden, "%s by %s", tc.name, a)
			}
			got, err := f.eng.Complaint(ctx, system, c.ID)
			require.NoError(t, err)
			assert.Equal(t, c.Version, got.Version, "refusals change nothing")
		})
	}
}
