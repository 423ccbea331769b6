package escalation

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/looplab/fsm"

	"github.com/gridgov/gridgov"
)

// Transition is one row of the transition table: event moves a complaint from any of Src
// to Dst.
type Transition struct {
	Event EventKind
	Src   []State
	Dst   State
}

// transitions is the package's one transition table (the closed loop
// 网格召集—分级转办—问题处置—核查反馈—评议归档).
var transitions = []Transition{
	{EventAccept, []State{StateSubmitted}, StateAccepted},
	{EventReject, []State{StateSubmitted}, StateRejected},
	{EventDuplicate, []State{StateSubmitted, StateAccepted}, StateDuplicate},
	{EventRefer, []State{StateAccepted}, StateReferred},
	{EventSign, []State{StateReferred}, StateSigned},
	{EventStart, []State{StateSigned}, StateInProgress},
	{EventPause, []State{StateSigned, StateInProgress}, StatePaused},
	{EventResume, []State{StatePaused}, StateInProgress},
	{EventEscalate, []State{StateReferred, StateSigned, StateInProgress}, StateReferred},
	{EventResolve, []State{StateSigned, StateInProgress}, StateResolved},
	{EventVerify, []State{StateResolved}, StateVerified},
	{EventSendBack, []State{StateResolved}, StateInProgress},
	{EventRate, []State{StateVerified}, StateRated},
	{EventReopen, []State{StateRated}, StateInProgress},
	{EventArchive, []State{StateVerified, StateRated}, StateArchived},
	{EventWithdraw, []State{StateSubmitted, StateAccepted, StateReferred, StateSigned,
		StateInProgress, StatePaused}, StateWithdrawn},
}

// Transitions returns a copy of the transition table.
func Transitions() []Transition {
	out := make([]Transition, len(transitions))
	for i, t := range transitions {
		t.Src = append([]State(nil), t.Src...)
		out[i] = t
	}
	return out
}

// fsmEvents is the table in looplab/fsm form.
var fsmEvents = func() fsm.Events {
	evs := make(fsm.Events, 0, len(transitions))
	for _, t := range transitions {
		src := make([]string, len(t.Src))
		for i, s := range t.Src {
			src[i] = string(s)
		}
		evs = append(evs, fsm.EventDesc{Name: string(t.Event), Src: src, Dst: string(t.Dst)})
	}
	return evs
}()

// step is what a command hands to the state machine: the complaint as read, who acts, when,
// and the command's own input. Guards read it; they never write or do I/O.
type step struct {
	c     *Complaint
	actor gridgov.Actor
	eng   *Engine
	in    any
	now   time.Time
}

// guard is a pure check run before an event; a non-nil error cancels the event.
type guard func(s *step) error

// guards are the before_<event> callbacks, keyed by event.
var guards = map[EventKind]guard{
	EventResolve:   guardResolve,
	EventVerify:    guardVerify,
	EventSendBack:  guardVerify,
	EventReopen:    guardReopen,
	EventEscalate:  guardEscalate,
	EventArchive:   guardArchive,
	EventDuplicate: guardDuplicate,
}

// fsmCallbacks wraps the guards as looplab/fsm before_ callbacks.
var fsmCallbacks = func() fsm.Callbacks {
	cbs := fsm.Callbacks{}
	for ev, g := range guards {
		cbs["before_"+string(ev)] = func(_ context.Context, e *fsm.Event) {
			if err := g(e.Args[0].(*step)); err != nil {
				e.Cancel(err)
			}
		}
	}
	return cbs
}()

// machines pools state machines: one is taken per command and set to the complaint's state,
// never kept per complaint.
var machines = sync.Pool{New: func() any {
	return fsm.NewFSM(string(StateSubmitted), fsmEvents, fsmCallbacks)
}}

// fire runs event on a machine in the complaint's state and returns the new state, or an
// error: gridgov.ErrInvalidTransition when the event is not allowed in the state, or the
// guard's error.
func fire(ctx context.Context, ev EventKind, s *step) (State, error) {
	m := machines.Get().(*fsm.FSM)
	defer machines.Put(m)
	from := s.c.State
	m.SetState(string(from))
	err := m.Event(ctx, string(ev), s)
	var noTransition fsm.NoTransitionError
	switch {
	case err == nil:
	case errors.As(err, &noTransition) && noTransition.Err == nil:
		// A self-transition (escalating a referred complaint) is accepted.
	default:
		return from, mapFSMError(ev, from, err)
	}
	return State(m.Current()), nil
}

// mapFSMError turns looplab/fsm errors into gridgov errors.
func mapFSMError(ev EventKind, from State, err error) error {
	var (
		invalid  fsm.InvalidEventError
		unknown  fsm.UnknownEventError
		canceled fsm.CanceledError
	)
	switch {
	case errors.As(err, &canceled) && canceled.Err != nil:
		return canceled.Err
	case errors.As(err, &invalid), errors.As(err, &unknown):
		return invalidTransition(ev, from)
	}
	return fmt.Errorf("%w: %s from %s: %v", gridgov.ErrInvalidTransition, ev, from, err)
}

func invalidTransition(ev EventKind, from State) error {
	return fmt.Errorf("%w: %s is not allowed when a complaint is %s (诉求处于“%s”状态时不能%s)",
		gridgov.ErrInvalidTransition, ev, from, from.NameZH(), ev.NameZH())
}

// refuse returns a guard's refusal: gridgov.ErrInvalidTransition with both messages.
func refuse(en, zh string) error {
	return fmt.Errorf("%w: %s (%s)", gridgov.ErrInvalidTransition, en, zh)
}

// Diagram returns the transition table as a Mermaid state diagram, generated by looplab/fsm
// from the same table the engine runs.
func Diagram() string {
	m := fsm.NewFSM(string(StateSubmitted), fsmEvents, nil)
	out, err := fsm.VisualizeForMermaidWithGraphType(m, fsm.StateDiagram)
	if err != nil {
		panic(err) // only for an unknown diagram type
	}
	return out
}

// callbackKeys returns the keys of the machine's callbacks, sorted, for the test that checks
// each names a real event or state.
func callbackKeys() []string {
	keys := make([]string, 0, len(fsmCallbacks))
	for k := range fsmCallbacks {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// NameZH returns the Chinese name of the event.
func (k EventKind) NameZH() string {
	if n, ok := eventNamesZH[k]; ok {
		return n
	}
	return strings.ReplaceAll(string(k), "_", " ")
}

var eventNamesZH = map[EventKind]string{
	EventSubmit: "登记", EventAccept: "受理", EventReject: "不予受理", EventRefer: "转办",
	EventSign: "签收", EventStart: "开始处置", EventPause: "挂起", EventResume: "恢复办理",
	EventEscalate: "逐级上报", EventResolve: "办结", EventVerify: "核查", EventSendBack: "退回重办",
	EventRate: "评价", EventReopen: "重新办理", EventArchive: "归档", EventWithdraw: "撤回",
	EventDuplicate: "标记重复", EventWhistle: "吹哨", EventReport: "报到", EventWarn: "预警",
	EventBreach: "超时",
}
