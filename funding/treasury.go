package funding

import (
	"log/slog"

	"github.com/gridgov/gridgov"
	"github.com/gridgov/gridgov/governance"
)

// Treasury is the entry point of the package (资金管理): it plans budgets from rules and
// governance data, keeps funds and the ledger in a [Store], disburses plans, shares costs and
// keeps grid points. It holds no entity state of its own and is safe for concurrent use.
type Treasury struct {
	store Store
	reg   *governance.Registry
	clock gridgov.Clock
	ids   gridgov.IDGenerator
	log   *slog.Logger
}

// Option configures a [Treasury].
type Option func(*Treasury)

// WithClock sets the clock (default: the registry's clock).
func WithClock(c gridgov.Clock) Option { return func(t *Treasury) { t.clock = c } }

// WithIDs sets the generator of identifiers for postings, plans and funds created without
// one (default: ULIDs on the treasury's clock).
func WithIDs(g gridgov.IDGenerator) Option { return func(t *Treasury) { t.ids = g } }

// WithLogger sets a logger for accepted commands (default: silent).
func WithLogger(l *slog.Logger) Option { return func(t *Treasury) { t.log = l } }

// NewTreasury returns a treasury over store, with reg for the organisation tree, people and
// authority. It returns gridgov.ErrInvalid when store or reg is nil.
func NewTreasury(store Store, reg *governance.Registry, opts ...Option) (*Treasury, error) {
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
	t := &Treasury{store: store, reg: reg}
	for _, o := range opts {
		o(t)
	}
	if t.clock == nil {
		t.clock = reg.Clock()
	}
	if t.ids == nil {
		t.ids = gridgov.NewULIDs(t.clock, nil)
	}
	if t.log == nil {
		t.log = slog.New(slog.DiscardHandler)
	}
	return t, nil
}

// Store returns the treasury's store.
func (t *Treasury) Store() Store { return t.store }

// Registry returns the treasury's governance registry.
func (t *Treasury) Registry() *governance.Registry { return t.reg }

// newID returns id when the caller supplied one and a generated identifier otherwise.
func (t *Treasury) newID(id string) string {
	if id != "" {
		return id
	}
	return t.ids.NewID()
}
