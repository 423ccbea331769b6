package escalation

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gridgov/gridgov"
)

// Every callback key must name a real event or state of the table: a typo would make
// looplab/fsm ignore the guard silently.
func TestCallbackKeysNameRealEvents(t *testing.T) {
	events, states := map[string]bool{}, map[string]bool{}
	for _, tr := range transitions {
		events[string(tr.Event)] = true
		states[string(tr.Dst)] = true
		for _, s := range tr.Src {
			states[string(s)] = true
		}
	}
	for _, k := range table.CallbackKeys() {
		prefix, name, ok := strings.Cut(k, "_")
		require.True(t, ok, k)
		switch prefix {
		case "before", "after":
			assert.True(t, events[name], "%s names no event", k)
		case "enter", "leave":
			assert.True(t, states[name], "%s names no state", k)
		default:
			t.Errorf("unexpected callback key %s", k)
		}
	}
	for ev := range guards {
		assert.True(t, events[string(ev)], "guard for unknown event %s", ev)
	}
	for _, s := range States() {
		assert.True(t, states[string(s)], "state %s is not in the table", s)
	}
}

func TestFinalStatesHaveNoWayOut(t *testing.T) {
	for _, tr := range transitions {
		for _, s := range tr.Src {
			assert.False(t, s.Final(), "%s leaves final state %s", tr.Event, s)
		}
	}
}

func TestFireMapsErrors(t *testing.T) {
	c := &Complaint{State: StateArchived}
	_, err := fire(context.Background(), EventAccept, &step{c: c})
	require.ErrorIs(t, err, gridgov.ErrInvalidTransition)
	_, err = fire(context.Background(), "no_such_event", &step{c: c})
	require.ErrorIs(t, err, gridgov.ErrInvalidTransition)

	c = &Complaint{State: StateRated, Rating: Rating{Satisfaction: Satisfied}}
	_, err = fire(context.Background(), EventReopen, &step{c: c})
	require.ErrorIs(t, err, gridgov.ErrInvalidTransition, "the guard's refusal")
	assert.False(t, errors.Is(err, gridgov.ErrForbidden))

	c = &Complaint{State: StateReferred, Tier: 0}
	to, err := fire(context.Background(), EventEscalate, &step{c: c, eng: &Engine{tiers: make([]tier, 2)}})
	require.NoError(t, err, "a self-transition is accepted")
	assert.Equal(t, StateReferred, to)
}
