package governance

import (
	"context"
)

// Store keeps the registry's data. It is the contract a storage adapter implements; the
// in-memory reference is store/memory and the conformance suite store/storetest checks any
// implementation with one call.
//
// General contract, for every method:
//
//   - Every method honours ctx: a cancelled context returns ctx.Err() (possibly wrapped) and
//     changes nothing.
//   - Each mutating method is atomic: it either applies completely or changes nothing.
//   - Errors wrap the gridgov sentinels: gridgov.ErrNotFound for a missing entity,
//     gridgov.ErrAlreadyExists for a duplicate identifier, gridgov.ErrConflict for a stale
//     version, gridgov.ErrInvalid for a write that would break the tree's integrity.
//   - Returned values are copies: the caller may modify them without affecting the store,
//     and the store never keeps a reference to a value passed in.
//   - Versions: a created entity is stored with Version 1. An update passes the entity with
//     the version the caller read; the store applies it only if that is still the current
//     version, stores it with Version+1 and returns the stored value.
//   - Lists are returned in ascending ID order unless the method says otherwise, and are
//     empty (not an error) when nothing matches.
//
// The registry validates input and authority before it calls the store; the store
// re-checks the integrity rules that a concurrent writer could break between the
// registry's read and its write (parents exist and are active, no cycles, no active child
// under a retired node).
type Store interface {
	NodeStore
	OrganisationStore
	PeopleStore
	CheckInStore
}

// NodeStore keeps the organisation tree and each node's history.
type NodeStore interface {
	// CreateNode stores n (with Version 1) and appends change as the first entry of its
	// history, atomically. The store sets the stored change's NodeID and Version from the
	// node (n.ID, 1), whatever the caller put there.
	// ErrAlreadyExists if a node with n.ID exists (retired ones included).
	// ErrInvalid if n.ParentID is set and names no node, or names a retired node.
	CreateNode(ctx context.Context, n Node, change NodeChange) (Node, error)

	// UpdateNode replaces the node n.ID with n, provided n.Version is the current version,
	// and appends change to its history, atomically; it returns the stored node (Version
	// incremented). The store sets the stored change's NodeID and Version from the stored
	// node. Level, ID and CreatedAt cannot change: the stored values are kept.
	// An empty n.ParentID makes the node a root (the registry only lets system code do
	// that; the store allows it).
	// ErrNotFound if the node does not exist; ErrConflict if n.Version is stale.
	// When n.ParentID differs from the stored parent (a move, which carries the whole
	// subtree): ErrInvalid if the new parent does not exist, is retired, is the node itself
	// or lies inside the node's subtree.
	// When n.Retired is set on an active node: ErrInvalid if the node has an active child or
	// an organisation that is not dissolved.
	// Setting Retired back to false is ErrInvalid (retirement is final).
	UpdateNode(ctx context.Context, n Node, change NodeChange) (Node, error)

	// GetNode returns the node with id, retired or not. ErrNotFound if there is none.
	GetNode(ctx context.Context, id string) (Node, error)

	// Children returns the direct children of the node with id, retired ones included; id
	// "" returns the roots. ErrNotFound if id is set and names no node.
	Children(ctx context.Context, id string) ([]Node, error)

	// Ancestors returns the ancestors of the node with id from the root down to its parent
	// (empty for a root). Its cost must be O(depth). ErrNotFound if there is no such node.
	Ancestors(ctx context.Context, id string) ([]Node, error)

	// Descendants returns every node below the node with id (not the node itself), retired
	// ones included, in pre-order: each node before its subtree, siblings in ascending ID
	// order. Its cost must be O(size of the subtree), independent of the size of the tree.
	// ErrNotFound if there is no such node.
	Descendants(ctx context.Context, id string) ([]Node, error)

	// NodeHistory returns the node's history, oldest first (ordered by version).
	// ErrNotFound if there is no such node.
	NodeHistory(ctx context.Context, id string) ([]NodeChange, error)
}

// OrganisationStore keeps organisations.
type OrganisationStore interface {
	// CreateOrganisation stores o with Version 1.
	// ErrAlreadyExists if o.ID is taken. ErrInvalid if o.ID is empty, if o.NodeID names no
	// node or a retired node, if o.HostID is set and names no organisation or o itself, or
	// if an entry of o.Serves names no node. (The registry also refuses retired served
	// nodes; the store does not re-check that.)
	CreateOrganisation(ctx context.Context, o Organisation) (Organisation, error)

	// UpdateOrganisation replaces the organisation o.ID with o under the version rule and
	// returns the stored value. NodeID, Kind and CreatedAt cannot change: the stored values
	// are kept. ErrNotFound, ErrConflict as usual; ErrInvalid for a Serves entry or HostID
	// naming nothing. When o.Dissolved is set on an active organisation: ErrInvalid if a
	// position in it has not ended. Setting Dissolved back to false is ErrInvalid.
	UpdateOrganisation(ctx context.Context, o Organisation) (Organisation, error)

	// GetOrganisation returns the organisation with id. ErrNotFound if there is none.
	GetOrganisation(ctx context.Context, id string) (Organisation, error)

	// OrganisationsAt returns the organisations whose NodeID is nodeID or, when subtree is
	// set, any node of nodeID's subtree (dissolved ones included). The cost of a subtree
	// query must not grow with the size of the tree outside the subtree.
	// ErrNotFound if nodeID names no node.
	OrganisationsAt(ctx context.Context, nodeID string, subtree bool) ([]Organisation, error)

	// OrganisationsServing returns the organisations whose Serves lists nodeID or, when
	// subtree is set, any node of nodeID's subtree (each organisation once).
	// ErrNotFound if nodeID names no node.
	OrganisationsServing(ctx context.Context, nodeID string, subtree bool) ([]Organisation, error)

	// HostedBy returns the organisations whose HostID is orgID (for example a property
	// firm's Party branch). ErrNotFound if orgID names no organisation.
	HostedBy(ctx context.Context, orgID string) ([]Organisation, error)
}

// PeopleStore keeps people and their positions.
type PeopleStore interface {
	// CreatePerson stores p with Version 1. ErrAlreadyExists if p.ID is taken.
	// ErrInvalid if p.HomeNodeID is set and names no node.
	CreatePerson(ctx context.Context, p Person) (Person, error)

	// UpdatePerson replaces the person p.ID with p under the version rule and returns the
	// stored value (CreatedAt kept). ErrInvalid if p.HomeNodeID is set and names no node.
	UpdatePerson(ctx context.Context, p Person) (Person, error)

	// GetPerson returns the person with id. ErrNotFound if there is none.
	GetPerson(ctx context.Context, id string) (Person, error)

	// CreatePosition stores p with Version 1. ErrAlreadyExists if p.ID is taken.
	// ErrInvalid if p.PersonID names no person or p.OrgID no organisation, if the
	// organisation is dissolved, or if p.NodeID or p.OrgKind differ from the organisation's.
	CreatePosition(ctx context.Context, p Position) (Position, error)

	// UpdatePosition replaces the position p.ID with p under the version rule and returns
	// the stored value. PersonID, OrgID, NodeID, OrgKind, Role and CreatedAt cannot change:
	// the stored values are kept. Setting Ended back to false is ErrInvalid.
	UpdatePosition(ctx context.Context, p Position) (Position, error)

	// GetPosition returns the position with id. ErrNotFound if there is none.
	GetPosition(ctx context.Context, id string) (Position, error)

	// PositionsOfPerson returns every position the person has held (ended ones included).
	// An unknown person has none (no error).
	PositionsOfPerson(ctx context.Context, personID string) ([]Position, error)

	// PositionsIn returns every position (ended ones included) in the organisation with
	// orgID. An unknown organisation has none (no error).
	PositionsIn(ctx context.Context, orgID string) ([]Position, error)
}

// CheckInStore keeps the registrations of in-service Party members and units in
// communities (双报到), service projects and service records.
type CheckInStore interface {
	// CreateRegistration stores r with Version 1. ErrAlreadyExists if r.ID is taken, or if
	// the same person (or unit) is already registered in the same community. ErrInvalid if
	// r.CommunityID names no node, if not exactly one of r.PersonID and r.OrgID is set, or
	// if the one set names nothing.
	CreateRegistration(ctx context.Context, r Registration) (Registration, error)

	// GetRegistration returns the registration with id. ErrNotFound if there is none.
	GetRegistration(ctx context.Context, id string) (Registration, error)

	// RegistrationsIn returns the registrations of the community with communityID.
	RegistrationsIn(ctx context.Context, communityID string) ([]Registration, error)

	// CreateProject stores p with Version 1. ErrAlreadyExists if p.ID is taken.
	// ErrInvalid if p.CommunityID names no node or an entry of p.ClaimedBy names no
	// registration.
	CreateProject(ctx context.Context, p ServiceProject) (ServiceProject, error)

	// UpdateProject replaces the project p.ID with p under the version rule (CommunityID and
	// CreatedAt kept) and returns the stored value. ErrInvalid if an entry of ClaimedBy
	// names no registration.
	UpdateProject(ctx context.Context, p ServiceProject) (ServiceProject, error)

	// GetProject returns the project with id. ErrNotFound if there is none.
	GetProject(ctx context.Context, id string) (ServiceProject, error)

	// ProjectsIn returns the projects of the community with communityID.
	ProjectsIn(ctx context.Context, communityID string) ([]ServiceProject, error)

	// AddServiceRecord appends r. Adding a record whose ID exists with identical content
	// (every field but RecordedAt, which a retry stamps anew; Hours compared as numbers)
	// returns the stored record (an idempotent retry); with different content it is
	// ErrAlreadyExists. ErrInvalid if r.ProjectID or r.RegistrationID names nothing.
	// Whether the registration claimed the project is the registry's check, not the
	// store's.
	AddServiceRecord(ctx context.Context, r ServiceRecord) (ServiceRecord, error)

	// ServiceRecordsOf returns the records of the registration with registrationID, in
	// ascending (Date, ID) order.
	ServiceRecordsOf(ctx context.Context, registrationID string) ([]ServiceRecord, error)
}
