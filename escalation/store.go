package escalation

import (
	"context"
	"time"
)

// Store keeps complaints, their histories and the event feed. Implementations must be safe
// for concurrent use; store/memory has the reference implementation and store/storetest the
// conformance suite every implementation must pass.
//
// Every method honours ctx (a cancelled context returns its error and changes nothing) and
// returns copies: a caller mutating a result must not change what the store holds, and the
// store must not keep references to its arguments.
type Store interface {
	// CreateComplaint stores c, which arrives with Version 0, as version 1, and appends
	// event (its ComplaintID is c.ID; the store sets its Version to 1 and assigns Seq), in one
	// atomic step. It returns the stored complaint and created = true.
	//
	// When key is not empty and a complaint was already created with key, it changes nothing
	// and returns that complaint as it is now with created = false and a nil error, whatever
	// c holds (a retried submission returns the first complaint). Otherwise an existing c.ID
	// returns gridgov.ErrAlreadyExists; an empty c.ID returns gridgov.ErrInvalid.
	CreateComplaint(ctx context.Context, c Complaint, key string, event Event) (stored Complaint, created bool, err error)

	// GetComplaint returns the complaint, or gridgov.ErrNotFound.
	GetComplaint(ctx context.Context, id string) (Complaint, error)

	// UpdateComplaint replaces the stored complaint c.ID by c if the stored Version equals
	// c.Version, increments the version, and appends event (ComplaintID, Version and Seq set
	// by the store), all in one atomic step. It returns the stored complaint. A missing
	// complaint returns gridgov.ErrNotFound; a different stored version returns
	// gridgov.ErrConflict and changes nothing. Path, SubmittedAt and Reporter never change
	// after creation; the store may ignore changes to them.
	UpdateComplaint(ctx context.Context, c Complaint, event Event) (Complaint, error)

	// History returns the complaint's events in order (oldest first), or gridgov.ErrNotFound.
	History(ctx context.Context, id string) ([]Event, error)

	// ListComplaints returns the complaints matching q, ordered by ID, at most q.Limit of
	// them (all when Limit is 0), and the cursor for the next page ("" when there is none).
	ListComplaints(ctx context.Context, q Query) ([]Complaint, string, error)

	// ListDue returns complaints whose DueAt is not zero and not after before, earliest
	// DueAt first (ties by ID), at most limit of them (all when limit is 0). Its cost must
	// grow with the number returned, not with the number of complaints stored (a deadline
	// index).
	ListDue(ctx context.Context, before time.Time, limit int) ([]Complaint, error)

	// Events returns events with Seq greater than after, in Seq order, at most limit of them
	// (all when limit is 0). A reader that resumes from the last Seq it saw never misses an
	// event: Seq values are assigned in commit order without gaps, so an event with a
	// smaller Seq is never committed after one with a larger Seq has been returned.
	Events(ctx context.Context, after int64, limit int) ([]Event, error)
}

// Query selects complaints for [Store.ListComplaints].
type Query struct {
	// Within keeps complaints whose Path contains this node ID ("" keeps all).
	Within string
	// States keeps complaints in one of these states (empty keeps all).
	States []State
	// From and To keep complaints submitted in [From, To) (zero bounds are open).
	From, To time.Time
	// Category keeps complaints of this category ("" keeps all).
	Category string
	// After is the cursor from the previous page: complaints with ID greater than After.
	After string
	// Limit caps the page size (0: no cap).
	Limit int
}
