package deliberation

import (
	"context"
	"errors"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gridgov/gridgov"
)

// allowed is the process written out independently of the table: what each state allows.
var allowed = map[State][]EventKind{
	StateRaised:          {EventStart, EventWithdraw},
	StateFirstRound:      {EventSettle, EventRefer, EventWithdraw},
	StateReferred:        {EventReview, EventDismiss, EventWithdraw},
	StateReviewed:        {EventConvene, EventWithdraw},
	StateConvened:        {EventHold, EventWithdraw},
	StateConsulted:       {EventPropose, EventWithdraw},
	StateProposed:        {EventOpenVote, EventWithdraw},
	StateVoting:          {EventBallot, EventDecide, EventReject},
	StateDecided:         {EventPublicise},
	StatePublicised:      {EventObject, EventAnswer, EventAward, EventImplement},
	StateAwarded:         {EventPublicise},
	StateAwardPublicised: {EventObject, EventAnswer, EventImplement},
	StateImplementing:    {EventProgress, EventAudit},
	StateAudited:         {EventClose},
}

var allEvents = []EventKind{EventStart, EventSettle, EventRefer, EventReview, EventDismiss, EventConvene,
	EventHold, EventPropose, EventOpenVote, EventBallot, EventDecide, EventReject, EventPublicise, EventObject,
	EventAnswer, EventAward, EventImplement, EventProgress, EventAudit, EventClose, EventWithdraw}

// Every event from every state: allowed ones move to the table's destination (guards
// satisfied), the rest are gridgov.ErrInvalidTransition and leave the state.
func TestTransitionTable(t *testing.T) {
	now := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	dst := map[State]map[EventKind]State{
		StateRaised:          {EventStart: StateFirstRound},
		StateFirstRound:      {EventSettle: StateSettled, EventRefer: StateReferred},
		StateReferred:        {EventReview: StateReviewed, EventDismiss: StateDismissed},
		StateReviewed:        {EventConvene: StateConvened},
		StateConvened:        {EventHold: StateConsulted},
		StateConsulted:       {EventPropose: StateProposed},
		StateProposed:        {EventOpenVote: StateVoting},
		StateVoting:          {EventBallot: StateVoting, EventDecide: StateDecided, EventReject: StateRejected},
		StateDecided:         {EventPublicise: StatePublicised},
		StatePublicised:      {EventObject: StatePublicised, EventAnswer: StatePublicised, EventAward: StateAwarded, EventImplement: StateImplementing},
		StateAwarded:         {EventPublicise: StateAwardPublicised},
		StateAwardPublicised: {EventObject: StateAwardPublicised, EventAnswer: StateAwardPublicised, EventImplement: StateImplementing},
		StateImplementing:    {EventProgress: StateImplementing, EventAudit: StateAudited},
		StateAudited:         {EventClose: StateClosed},
	}
	for _, s := range []State{StateRaised, StateFirstRound, StateReferred, StateReviewed, StateConvened, StateConsulted, StateProposed} {
		dst[s][EventWithdraw] = StateWithdrawn
	}
	for _, s := range States() {
		for _, ev := range allEvents {
			it := &Item{State: s, Implementation: Implementation{Progress: []Progress{{Percent: 100}}}}
			notice := Notice{Kind: NoticeDecision, Start: now.Add(-time.Hour), End: now.Add(time.Hour)}
			if ev != EventObject {
				notice.End = now // ended: award and implement may go ahead
			}
			it.Notices = []Notice{notice}
			if ev == EventDecide {
				it.Vote.Tally.Outcome = OutcomeDecided
			}
			want, ok := dst[s][ev]
			assert.Equal(t, ok, slices.Contains(allowed[s], ev), "%s from %s: the two specs disagree", ev, s)
			to, err := fire(context.Background(), ev, &step{it: it, now: now})
			if !ok {
				require.ErrorIs(t, err, gridgov.ErrInvalidTransition, "%s from %s", ev, s)
				assert.Equal(t, s, to)
				continue
			}
			require.NoError(t, err, "%s from %s", ev, s)
			assert.Equal(t, want, to, "%s from %s", ev, s)
		}
	}
}

// Every callback key must name a real event or state of the table: a typo would make
// looplab/fsm ignore the guard silently.
func TestCallbackKeysNameRealEvents(t *testing.T) {
	events, states := map[string]bool{}, map[string]bool{}
	for _, tr := range transitions {
		events[string(tr.Event)] = true
		if tr.Dst != "" {
			states[string(tr.Dst)] = true
		}
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
	for _, s := range States() {
		assert.True(t, states[string(s)], "state %s is not in the table", s)
	}
}

// An (event, source) pair appears once: looplab/fsm would silently keep only the last.
func TestTableHasNoDuplicatePairs(t *testing.T) {
	seen := map[[2]string]bool{}
	for _, tr := range transitions {
		for _, s := range tr.Src {
			k := [2]string{string(tr.Event), string(s)}
			assert.False(t, seen[k], "%s from %s twice", tr.Event, s)
			seen[k] = true
		}
	}
}

func TestFinalStatesHaveNoWayOut(t *testing.T) {
	for _, tr := range transitions {
		for _, s := range tr.Src {
			assert.False(t, s.Final(), "%s leaves final state %s", tr.Event, s)
		}
	}
	for _, s := range States() {
		assert.NotEqual(t, string(s), s.NameZH(), "state %s has a Chinese name", s)
	}
	for _, ev := range append(allEvents, EventRaise, EventDisclose) {
		assert.NotEqual(t, string(ev), ev.NameZH(), "event %s has a Chinese name", ev)
	}
}

// The diagram in doc.go is the one the table generates.
func TestDiagramInDocs(t *testing.T) {
	doc, err := os.ReadFile("doc.go")
	require.NoError(t, err)
	var lines []string
	for _, l := range strings.Split(Diagram(), "\n") {
		if l != "" {
			lines = append(lines, "//\t"+l)
		}
	}
	assert.Contains(t, string(doc), strings.Join(lines, "\n")+"\n", "regenerate the diagram in doc.go from Diagram()")
}

func TestFireMapsErrors(t *testing.T) {
	ctx := context.Background()
	_, err := fire(ctx, EventStart, &step{it: &Item{State: StateClosed}})
	require.ErrorIs(t, err, gridgov.ErrInvalidTransition)
	_, err = fire(ctx, "no_such_event", &step{it: &Item{State: StateRaised}})
	require.ErrorIs(t, err, gridgov.ErrInvalidTransition)

	// A guard's refusal on a transition and on a row that keeps the state.
	_, err = fire(ctx, EventAudit, &step{it: &Item{State: StateImplementing}})
	require.ErrorIs(t, err, gridgov.ErrInvalidTransition)
	_, err = fire(ctx, EventObject, &step{it: &Item{State: StatePublicised}})
	require.ErrorIs(t, err, gridgov.ErrInvalidTransition)
	assert.False(t, errors.Is(err, gridgov.ErrForbidden))
	_, err = fire(ctx, EventReject, &step{it: &Item{State: StateVoting, Vote: Vote{Tally: Tally{Outcome: OutcomeDecided}}}})
	require.ErrorIs(t, err, gridgov.ErrInvalidTransition)
}
