package governance

import (
	"errors"
	"fmt"
	"log/slog"
	"sync"

	"github.com/gridgov/gridgov"
)

// Registry is the entry point of the package (组织架构登记簿): it validates commands, checks
// authority and keeps the tree, organisations, people and check-ins in a [Store]. It holds no
// entity state of its own, so several registries (in one process or several) may share a
// store. It is safe for concurrent use.
type Registry struct {
	store  Store
	scheme Scheme
	clock  gridgov.Clock
	ids    gridgov.IDGenerator
	grants Grants
	log    *slog.Logger
	valid  *gridgov.Validator
}

// Option configures a [Registry].
type Option func(*Registry)

// WithScheme sets the level scheme (default [FiveLevelChain]).
func WithScheme(s Scheme) Option { return func(r *Registry) { r.scheme = s } }

// WithClock sets the clock (default gridgov.SystemClock()).
func WithClock(c gridgov.Clock) Option { return func(r *Registry) { r.clock = c } }

// WithIDs sets the generator of identifiers for entities created without one (default
// ULIDs on the registry's clock).
func WithIDs(g gridgov.IDGenerator) Option { return func(r *Registry) { r.ids = g } }

// WithGrants replaces the permission table (default [DefaultGrants]).
func WithGrants(g Grants) Option { return func(r *Registry) { r.grants = g } }

// WithLogger sets a logger for accepted commands (default: silent). Personal data is logged
// masked.
func WithLogger(l *slog.Logger) Option { return func(r *Registry) { r.log = l } }

// NewRegistry returns a registry over store. It returns a [*gridgov.ValidationError] when the
// scheme is invalid and gridgov.ErrInvalid when store is nil.
func NewRegistry(store Store, opts ...Option) (*Registry, error) {
	r := &Registry{store: store, scheme: FiveLevelChain(), grants: DefaultGrants()}
	for _, o := range opts {
		o(r)
	}
	if store == nil {
		return nil, gridgov.Invalid("store", "required", "store is required", "必须提供存储")
	}
	if r.clock == nil {
		r.clock = gridgov.SystemClock()
	}
	if r.ids == nil {
		r.ids = gridgov.NewULIDs(r.clock, nil)
	}
	if r.log == nil {
		r.log = slog.New(slog.DiscardHandler)
	}
	r.valid = sharedValidator()
	if err := r.scheme.validate(r.valid); err != nil {
		return nil, err
	}
	r.scheme = cloneScheme(r.scheme)
	return r, nil
}

// Scheme returns the registry's level scheme.
func (r *Registry) Scheme() Scheme { return cloneScheme(r.scheme) }

// Store returns the registry's store, for packages that build on the registry.
func (r *Registry) Store() Store { return r.store }

// Clock returns the registry's clock.
func (r *Registry) Clock() gridgov.Clock { return r.clock }

func cloneScheme(s Scheme) Scheme {
	s.Levels = append([]Level(nil), s.Levels...)
	return s
}

// sharedValidator is built once: a built validator is safe for concurrent use, so every
// registry shares it.
var sharedValidator = sync.OnceValue(gridgov.NewValidator)

// check validates in against its tags.
func (r *Registry) check(in any) error { return r.valid.Struct(in) }

// notFoundAs turns a store's ErrNotFound for a referenced entity into ErrInvalid naming the
// input field, so that "unknown parent" reads as bad input; other errors pass through.
func notFoundAs(err error, field, value string) error {
	if errors.Is(err, gridgov.ErrNotFound) {
		return gridgov.Invalid(field, "exists",
			fmt.Sprintf("%s %q does not exist", field, value),
			fmt.Sprintf("%s“%s”不存在", field, value))
	}
	return err
}

// checkVersion returns gridgov.ErrConflict when the caller read version want of the entity
// and the store holds have; want 0 means "whatever is current".
func checkVersion(entity, id string, have, want int64) error {
	if want == 0 || want == have {
		return nil
	}
	return fmt.Errorf("%w: %s %q is at version %d, not %d (%s“%s”当前版本为%d，不是%d)",
		gridgov.ErrConflict, entity, id, have, want, entity, id, have, want)
}

// newID returns id when the caller supplied one and a generated identifier otherwise.
func (r *Registry) newID(id string) string {
	if id != "" {
		return id
	}
	return r.ids.NewID()
}
