package deliberation

import (
	"context"
	"time"
)

// Store keeps agenda items, their histories and the disclosure log. It is the contract a
// storage adapter implements; store/memory has the reference implementation and
// store/storetest the conformance suite every implementation must pass.
//
// General contract, for every method:
//
//   - Every method honours ctx: a cancelled context returns ctx.Err() (possibly wrapped) and
//     changes nothing.
//   - Each mutating method is atomic: it applies completely or changes nothing.
//   - Errors wrap the gridgov sentinels: gridgov.ErrNotFound for a missing item,
//     gridgov.ErrAlreadyExists for a duplicate identifier, gridgov.ErrConflict for a stale
//     version, gridgov.ErrInvalid for an empty identifier.
//   - Returned values are copies: the caller may modify them (slices and pointers included)
//     without affecting the store, and the store keeps no reference to a value passed in.
//   - Values round-trip: every field of an item and an event reads back as written, times
//     as the same instant (the location may differ) and decimals as the same number (the
//     scale may differ).
//   - Lists are empty (not an error) when nothing matches.
//
// The forum validates input, authority and the state machine before it calls the store;
// the store checks only identity, versions and idempotency keys.
type Store interface {
	// CreateItem stores it, which arrives with Version 0, as version 1, and appends ev (the
	// store sets its ItemID to it.ID and its Version to 1; a Disclosure on it gets the same
	// ItemID and Version), in one atomic step. It returns the stored item and created =
	// true.
	//
	// When key is not empty and an item was already created with key, it changes nothing and
	// returns that item as it is now with created = false and a nil error, whatever it
	// holds (a retried raise returns the first item). Otherwise an existing it.ID returns
	// gridgov.ErrAlreadyExists and an empty it.ID gridgov.ErrInvalid.
	CreateItem(ctx context.Context, it Item, key string, ev Event) (stored Item, created bool, err error)

	// GetItem returns the item, or gridgov.ErrNotFound.
	GetItem(ctx context.Context, id string) (Item, error)

	// UpdateItem replaces the stored item it.ID by it if the stored Version equals
	// it.Version, stores it with Version+1 and appends ev (ItemID and Version set by the
	// store, on ev.Disclosure too), all in one atomic step; it returns the stored item. A
	// missing item returns gridgov.ErrNotFound; a different stored version returns
	// gridgov.ErrConflict and changes nothing. NodeID, Path and CreatedAt never change after
	// creation: the store keeps the stored values.
	UpdateItem(ctx context.Context, it Item, ev Event) (Item, error)

	// History returns the item's events, oldest first (by Version), or gridgov.ErrNotFound.
	History(ctx context.Context, id string) ([]Event, error)

	// ListItems returns the items matching q in ascending ID order, at most q.Limit of them
	// (all when Limit is 0), and the cursor for the next page: the last ID returned when
	// more items match, "" otherwise. A negative Limit is gridgov.ErrInvalid.
	ListItems(ctx context.Context, q Query) ([]Item, string, error)

	// Disclosures returns the disclosures of the events stored so far that match q, ordered
	// by Date, then ItemID, then Version, at most q.Limit of them (all when Limit is 0). A
	// negative Limit is gridgov.ErrInvalid.
	Disclosures(ctx context.Context, q DisclosureQuery) ([]Disclosure, error)
}

// Query selects items for [Store.ListItems].
type Query struct {
	// Within keeps items whose Path contains this node ID ("" keeps all).
	Within string
	// States keeps items in one of these states (empty keeps all).
	States []State
	// ComplaintID keeps items linked to this complaint ("" keeps all).
	ComplaintID string
	// After is the cursor from the previous page: items with ID greater than After.
	After string
	// Limit caps the page size (0: no cap).
	Limit int
}

// DisclosureQuery selects disclosures for [Store.Disclosures].
type DisclosureQuery struct {
	// Within keeps disclosures of items whose Path contains this node ID ("" keeps all).
	Within string
	// ItemID keeps the disclosures of one item ("" keeps all).
	ItemID string
	// Kind keeps disclosures of this kind ("" keeps all).
	Kind DisclosureKind
	// From and To keep disclosures dated in [From, To) (zero bounds are open).
	From, To time.Time
	// Limit caps the number returned (0: no cap).
	Limit int
}
