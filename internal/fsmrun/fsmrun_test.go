package fsmrun

import (
	"context"
	"errors"
	"sync"
	"testing"

	"github.com/looplab/fsm"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

type state string
type event string

// door is a door that opens, closes, and can be knocked on without changing its state.
func door(guards map[event]func(*int) error) *Table[state, event, *int] {
	return NewTable[state](state("closed"), fsm.Events{
		{Name: "open", Src: []string{"closed"}, Dst: "open"},
		{Name: "close", Src: []string{"open"}, Dst: "closed"},
		{Name: "knock", Src: []string{"closed"}, Dst: "closed"},
	}, guards)
}

var errLocked = errors.New("locked")

func TestFire(t *testing.T) {
	tbl := door(map[event]func(*int) error{
		"open": func(n *int) error {
			if *n > 0 {
				return errLocked
			}
			return nil
		},
	})
	ctx := context.Background()
	zero, one := 0, 1

	to, err := tbl.Fire(ctx, "closed", "open", &zero)
	require.NoError(t, err)
	assert.Equal(t, state("open"), to)

	to, err = tbl.Fire(ctx, "closed", "open", &one)
	require.ErrorIs(t, err, errLocked, "the guard's refusal comes back as the guard returned it")
	assert.Equal(t, state("closed"), to)

	to, err = tbl.Fire(ctx, "closed", "knock", &zero)
	require.NoError(t, err, "a row that keeps the state is accepted")
	assert.Equal(t, state("closed"), to)

	for _, c := range []struct {
		from state
		ev   event
	}{{"open", "open"}, {"closed", "close"}, {"closed", "no_such_event"}, {"ajar", "open"}} {
		to, err = tbl.Fire(ctx, c.from, c.ev, &zero)
		require.ErrorIs(t, err, ErrNotAllowed, "%s from %s", c.ev, c.from)
		assert.Equal(t, c.from, to)
	}
	assert.Equal(t, []string{"before_open"}, tbl.CallbackKeys())
	assert.Contains(t, tbl.Diagram("closed"), "closed --> open: open")
}

// TestFireIsSafeConcurrently runs the pool from many goroutines (go test -race).
func TestFireIsSafeConcurrently(t *testing.T) {
	tbl := door(nil)
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			from, want := state("closed"), state("open")
			if i%2 == 1 {
				from, want = "open", "closed"
			}
			ev := map[state]event{"closed": "open", "open": "close"}[from]
			for range 200 {
				to, err := tbl.Fire(context.Background(), from, ev, new(int))
				assert.NoError(t, err)
				assert.Equal(t, want, to)
			}
		}()
	}
	wg.Wait()
}
