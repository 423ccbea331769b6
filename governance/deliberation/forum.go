package deliberation

import (
	"fmt"
	"log/slog"
	"sync"

	"github.com/gridgov/gridgov"
	"github.com/gridgov/gridgov/escalation"
	"github.com/gridgov/gridgov/governance"
)

// DefaultNoticeDays is the notice period (公示期) in days when a notice gives none.
const DefaultNoticeDays = 7

// MaxNoticeDays is the longest notice period a notice may ask for.
const MaxNoticeDays = 90

// complaintActor is the actor the forum uses for the linked complaint's steps: the forum has
// already checked the acting person's authority for the deliberation step.
var complaintActor = gridgov.SystemActor("deliberation")

// Forum is the entry point of the package (议事会): it raises agenda items, runs them through
// consultation, decision, public notice, implementation and audit, and keeps the disclosure
// log. It holds no item state of its own, so several forums (in one process or several) may
// share a store. It is safe for concurrent use.
type Forum struct {
	store      Store
	reg        *governance.Registry
	complaints *escalation.Engine
	clock      gridgov.Clock
	ids        gridgov.IDGenerator
	log        *slog.Logger
	valid      *gridgov.Validator
	noticeDays int
}

// Option configures a [Forum].
type Option func(*Forum)

// WithClock sets the clock (default: the registry's clock).
func WithClock(c gridgov.Clock) Option { return func(f *Forum) { f.clock = c } }

// WithIDs sets the generator of item identifiers (default: ULIDs on the forum's clock).
func WithIDs(g gridgov.IDGenerator) Option { return func(f *Forum) { f.ids = g } }

// WithLogger sets a logger for accepted commands (default: silent). Personal data is never
// logged unmasked.
func WithLogger(l *slog.Logger) Option { return func(f *Forum) { f.log = l } }

// WithComplaints links the escalation engine whose complaints become agenda items: raising
// an item from a complaint pauses the complaint, settling, dismissing, rejecting or
// withdrawing the item resumes it, and closing the item resumes and resolves it. Without an
// engine, items cannot be raised from complaints.
func WithComplaints(e *escalation.Engine) Option { return func(f *Forum) { f.complaints = e } }

// WithNoticeDays sets the notice period used when a notice gives none (default
// [DefaultNoticeDays]); 1 to [MaxNoticeDays].
func WithNoticeDays(days int) Option { return func(f *Forum) { f.noticeDays = days } }

// NewForum returns a forum over store, using reg for the organisation tree and the actors'
// authority. It returns a *gridgov.ValidationError (gridgov.ErrInvalid) naming every
// problem: a nil store or registry, a notice period outside 1 to [MaxNoticeDays] days.
func NewForum(store Store, reg *governance.Registry, opts ...Option) (*Forum, error) {
	var verr gridgov.ValidationError
	if store == nil {
		verr.Add("store", "required", "store is required", "必须提供存储")
	}
	if reg == nil {
		verr.Add("registry", "required", "registry is required", "必须提供组织架构登记簿")
	}
	if err := verr.Err(); err != nil {
		return nil, err
	}
	f := &Forum{store: store, reg: reg, noticeDays: DefaultNoticeDays}
	for _, o := range opts {
		o(f)
	}
	if f.noticeDays < 1 || f.noticeDays > MaxNoticeDays {
		verr.Add("WithNoticeDays", "range",
			fmt.Sprintf("the notice period must be 1 to %d days, not %d", MaxNoticeDays, f.noticeDays),
			fmt.Sprintf("公示期必须为1到%d天，而不是%d天", MaxNoticeDays, f.noticeDays))
		return nil, verr.Err()
	}
	if f.clock == nil {
		f.clock = reg.Clock()
	}
	if f.ids == nil {
		f.ids = gridgov.NewULIDs(f.clock, nil)
	}
	if f.log == nil {
		f.log = slog.New(slog.DiscardHandler)
	}
	f.valid = sharedValidator()
	return f, nil
}

// sharedValidator is built once: a built validator is safe for concurrent use, so every
// forum shares it.
var sharedValidator = sync.OnceValue(gridgov.NewValidator)

// Store returns the forum's store.
func (f *Forum) Store() Store { return f.store }

// Registry returns the forum's registry.
func (f *Forum) Registry() *governance.Registry { return f.reg }

// ComplaintSyncError reports that a command stored the item but could not bring its linked
// complaint in line (pause, resume or resolve it). The command returns the stored item
// together with this error; call [Forum.SyncComplaint] to retry. It unwraps to the cause, so
// errors.Is sees the escalation engine's sentinel.
type ComplaintSyncError struct {
	ItemID      string
	ComplaintID string
	Err         error
}

// Error describes the failure in English and Chinese.
func (e *ComplaintSyncError) Error() string {
	return fmt.Sprintf("deliberation: item %q was stored, but its complaint %q could not follow (议题已保存，关联诉求未能同步，请重试): %v",
		e.ItemID, e.ComplaintID, e.Err)
}

// Unwrap returns the cause.
func (e *ComplaintSyncError) Unwrap() error { return e.Err }
