package evaluation

import "context"

// Store keeps the yearly cycles and their histories. Implementations must be safe for
// concurrent use; store/memory has the reference implementation and store/storetest the
// conformance suite every implementation must pass.
//
// Every method honours ctx (a cancelled context returns its error and changes nothing) and
// returns copies: callers mutating results must not change what the store holds, and the
// store must not keep references to its arguments. Decimals are stored exactly.
type Store interface {
	// CreateCycle stores c as version 1 together with its first event ev in one atomic
	// step, and returns it as stored. The store sets ev's CycleID and Version (1). An empty ID, CompoundID or a Year
	// of zero returns gridgov.ErrInvalid; an existing ID, or an existing cycle for the same
	// CompoundID and Year, returns gridgov.ErrAlreadyExists (one cycle per compound and
	// year, even when two callers race).
	CreateCycle(ctx context.Context, c Cycle, ev CycleEvent) (Cycle, error)

	// GetCycle returns the cycle, or gridgov.ErrNotFound.
	GetCycle(ctx context.Context, id string) (Cycle, error)

	// FindCycle returns the cycle of the compound and year, or gridgov.ErrNotFound.
	FindCycle(ctx context.Context, compoundID string, year int) (Cycle, error)

	// UpdateCycle replaces the cycle whose ID is c.ID and appends ev to its history in one
	// atomic step, if the stored version equals c.Version; it stores c with Version + 1 and
	// returns it, and sets ev's CycleID and Version to match. A missing cycle returns gridgov.ErrNotFound, a stale version gridgov.ErrConflict (and
	// nothing changes). CompoundID and Year never change (gridgov.ErrInvalid).
	UpdateCycle(ctx context.Context, c Cycle, ev CycleEvent) (Cycle, error)

	// History returns the cycle's events in version order, or gridgov.ErrNotFound.
	History(ctx context.Context, cycleID string) ([]CycleEvent, error)

	// ListCycles returns the cycles matching q ordered by (Year, CompoundID), at most
	// q.Limit of them (0: all), and an opaque cursor for the next page ("" when there is
	// none): pass it back as q.After to continue after the last cycle returned. A negative
	// Limit or a cursor the store did not issue returns gridgov.ErrInvalid.
	ListCycles(ctx context.Context, q CycleQuery) (cycles []Cycle, next string, err error)
}

// CycleQuery selects cycles for [Store.ListCycles]. Every filter that is set must match.
type CycleQuery struct {
	// Year keeps one year (0: all).
	Year int
	// CompoundID keeps one compound's cycles.
	CompoundID string
	// CommunityID keeps the cycles of the compounds of one community.
	CommunityID string
	// CommitteeID keeps the cycles of one committee.
	CommitteeID string
	// FirmID keeps the cycles in which the firm serves the compound (in FirmIDs).
	FirmID string
	// States keeps cycles in one of these states (empty: all).
	States []State
	// After is the cursor returned by the previous page.
	After string
	// Limit caps the page (0: no cap).
	Limit int
}
