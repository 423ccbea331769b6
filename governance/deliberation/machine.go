package deliberation

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/looplab/fsm"

	"github.com/gridgov/gridgov"
	"github.com/gridgov/gridgov/internal/fsmrun"
)

// Transition is one row of the transition table: Event moves an item from any of Src to
// Dst. A row without Dst keeps the state (ballots, objections, answers, progress).
type Transition struct {
	Event EventKind
	Src   []State
	Dst   State
}

// beforeVote are the states from which an item may be withdrawn.
var beforeVote = []State{StateRaised, StateFirstRound, StateReferred, StateReviewed, StateConvened,
	StateConsulted, StateProposed}

// transitions is the package's one transition table.
var transitions = []Transition{
	{EventStart, []State{StateRaised}, StateFirstRound},
	{EventSettle, []State{StateFirstRound}, StateSettled},
	{EventRefer, []State{StateFirstRound}, StateReferred},
	{EventReview, []State{StateReferred}, StateReviewed},
	{EventDismiss, []State{StateReferred}, StateDismissed},
	{EventConvene, []State{StateReviewed}, StateConvened},
	{EventHold, []State{StateConvened}, StateConsulted},
	{EventPropose, []State{StateConsulted}, StateProposed},
	{EventOpenVote, []State{StateProposed}, StateVoting},
	{EventBallot, []State{StateVoting}, ""},
	{EventDecide, []State{StateVoting}, StateDecided},
	{EventReject, []State{StateVoting}, StateRejected},
	{EventPublicise, []State{StateDecided}, StatePublicised},
	{EventPublicise, []State{StateAwarded}, StateAwardPublicised},
	{EventObject, []State{StatePublicised, StateAwardPublicised}, ""},
	{EventAnswer, []State{StatePublicised, StateAwardPublicised}, ""},
	{EventAward, []State{StatePublicised}, StateAwarded},
	{EventImplement, []State{StatePublicised, StateAwardPublicised}, StateImplementing},
	{EventProgress, []State{StateImplementing}, ""},
	{EventAudit, []State{StateImplementing}, StateAudited},
	{EventClose, []State{StateAudited}, StateClosed},
	{EventWithdraw, beforeVote, StateWithdrawn},
}

// Transitions returns a copy of the transition table.
func Transitions() []Transition {
	out := make([]Transition, len(transitions))
	for i, t := range transitions {
		t.Src = slices.Clone(t.Src)
		out[i] = t
	}
	return out
}

// fsmEvents is the table in looplab/fsm form; a row that keeps the state becomes one
// self-transition per source state.
var fsmEvents = func() fsm.Events {
	var evs fsm.Events
	for _, t := range transitions {
		if t.Dst == "" {
			for _, s := range t.Src {
				evs = append(evs, fsm.EventDesc{Name: string(t.Event), Src: []string{string(s)}, Dst: string(s)})
			}
			continue
		}
		src := make([]string, len(t.Src))
		for i, s := range t.Src {
			src[i] = string(s)
		}
		evs = append(evs, fsm.EventDesc{Name: string(t.Event), Src: src, Dst: string(t.Dst)})
	}
	return evs
}()

// step is what a command hands to the state machine: the item as read, who acts, when, and
// the command's own input. Guards read it; they never write or do I/O.
type step struct {
	it    *Item
	actor gridgov.Actor
	in    any
	now   time.Time
}

// guards are pure checks run before their event, keyed by event; a non-nil error cancels
// the event.
var guards = map[EventKind]func(*step) error{
	EventAward:     guardNoticeClear(NoticeDecision),
	EventImplement: guardImplement,
	EventObject:    guardNoticeOpen,
	EventAudit:     guardAudit,
	EventDecide:    guardDecide,
	EventReject:    guardReject,
}

// table runs the transitions on pooled looplab/fsm machines with the guards before their
// events.
var table = fsmrun.NewTable(StateRaised, fsmEvents, guards)

// guardNoticeClear refuses unless the latest notice of kind k has ended with every objection
// answered.
func guardNoticeClear(k NoticeKind) func(*step) error {
	return func(s *step) error {
		n, ok := s.it.Notice(k)
		if !ok {
			return refuse(fmt.Sprintf("no %s notice has been posted", k), "尚未公示")
		}
		return noticeClear(n, s.now)
	}
}

func noticeClear(n Notice, now time.Time) error {
	if now.Before(n.End) {
		return refuse(fmt.Sprintf("the %s notice runs until %s", n.Kind, n.End.Format(time.RFC3339)),
			fmt.Sprintf("公示期至%s尚未结束", n.End.Format("2006-01-02 15:04")))
	}
	for _, o := range n.Objections {
		if !o.Answered() {
			return refuse(fmt.Sprintf("objection %s to the %s notice is unanswered", o.ID, n.Kind),
				fmt.Sprintf("公示异议%s尚未答复", o.ID))
		}
	}
	return nil
}

// guardImplement refuses unless the latest notice (the award's after a tender, else the
// decision's) has ended with every objection answered.
func guardImplement(s *step) error {
	if len(s.it.Notices) == 0 {
		return refuse("no notice has been posted", "尚未公示")
	}
	return noticeClear(s.it.Notices[len(s.it.Notices)-1], s.now)
}

// guardNoticeOpen refuses objections outside the current notice's period.
func guardNoticeOpen(s *step) error {
	if len(s.it.Notices) == 0 {
		return refuse("no notice has been posted", "尚未公示")
	}
	n := s.it.Notices[len(s.it.Notices)-1]
	if s.now.Before(n.Start) || !s.now.Before(n.End) {
		return refuse("objections are taken only during the notice period", "只能在公示期内提出异议")
	}
	return nil
}

func guardAudit(s *step) error {
	if !s.it.Implementation.Done() {
		return refuse("implementation has not reached 100%", "尚未实施完成")
	}
	return nil
}

func guardDecide(s *step) error {
	if s.it.Vote.Tally.Outcome != OutcomeDecided {
		return refuse("no option passed", "没有方案获得通过")
	}
	return nil
}

func guardReject(s *step) error {
	if s.it.Vote.Tally.Outcome == OutcomeDecided {
		return refuse("an option passed", "已有方案获得通过")
	}
	return nil
}

// fire runs ev on a machine in the item's state and returns the new state, or an error:
// gridgov.ErrInvalidTransition when the event is not allowed in the state, or the guard's
// error. A row that keeps the state is accepted.
func fire(ctx context.Context, ev EventKind, s *step) (State, error) {
	to, err := table.Fire(ctx, s.it.State, ev, s)
	if errors.Is(err, fsmrun.ErrNotAllowed) {
		return to, invalidTransition(ev, s.it.State)
	}
	return to, err
}

func invalidTransition(ev EventKind, from State) error {
	return fmt.Errorf("%w: %s is not allowed when an item is %s (议题处于“%s”状态时不能%s)",
		gridgov.ErrInvalidTransition, ev, from, from.NameZH(), ev.NameZH())
}

// refuse returns a guard's refusal: gridgov.ErrInvalidTransition with both messages.
func refuse(en, zh string) error {
	return fmt.Errorf("%w: %s (%s)", gridgov.ErrInvalidTransition, en, zh)
}

// Diagram returns the transition table as a Mermaid state diagram, generated by looplab/fsm
// from the same table the forum runs.
func Diagram() string { return table.Diagram(StateRaised) }
