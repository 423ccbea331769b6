package memory

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"

	"github.com/gridgov/gridgov"
	"github.com/gridgov/gridgov/governance"
)

// GovernanceStore is the in-memory governance.Store: the organisation tree, organisations,
// people and positions, and registrations with their service projects and records. It is
// safe for concurrent use; build one with [NewGovernanceStore].
//
// One read-write lock guards the whole store: writes are atomic and exclusive, reads run
// concurrently with each other.
//
// Where the contract is silent the store errs on the side of integrity: it also refuses,
// with gridgov.ErrInvalid, an empty ID, an organisation naming itself as its host, a
// registration naming both or neither of PersonID and OrgID, an UpdatePerson whose
// HomeNodeID names no node and a CreateProject whose ClaimedBy names no registration.
// AddServiceRecord compares content without RecordedAt, which a retry stamps anew.
type GovernanceStore struct {
	mu sync.RWMutex

	// The tree.
	nodes   map[string]*nodeRec
	roots   []*nodeRec  // sorted by ID
	slab    []nodeRec   // where the next node records are allocated (see newNodeRec)
	strs    stringArena // node strings (see arena.go)
	zones   zoneTable   // time zones of stored node times
	levels  []string    // level keys, indexed by nodeRec.level
	history historyLog  // every node's history

	// Organisations.
	orgs map[string]*orgRec

	// People and positions.
	people    map[string]*personRec
	positions map[string]*governance.Position

	// Registrations (双报到), service projects and service records.
	regs       map[string]*regRec
	regKeys    map[regKey]string // (community, person or unit) → registration ID
	regsIn     map[string][]*regRec
	projects   map[string]*governance.ServiceProject
	projectsIn map[string][]*governance.ServiceProject
	records    map[string]*governance.ServiceRecord
}

var _ governance.Store = (*GovernanceStore)(nil)

// NewGovernanceStore returns an empty GovernanceStore.
func NewGovernanceStore() *GovernanceStore {
	return &GovernanceStore{
		nodes:      make(map[string]*nodeRec),
		orgs:       make(map[string]*orgRec),
		people:     make(map[string]*personRec),
		positions:  make(map[string]*governance.Position),
		regs:       make(map[string]*regRec),
		regKeys:    make(map[regKey]string),
		regsIn:     make(map[string][]*regRec),
		projects:   make(map[string]*governance.ServiceProject),
		projectsIn: make(map[string][]*governance.ServiceProject),
		records:    make(map[string]*governance.ServiceRecord),
	}
}

// nodeRec is one node of the tree with the links that make tree queries cheap.
//
// Records are kept lean because a large tree holds a million of them and the garbage
// collector scans them all on every cycle: they are allocated in slabs (see newNodeRec), and
// a record holds as few pointers as it can. Strings live in the store's arena, the parent's
// ID is read from the parent link, the level is an index into the store's level names,
// times are pointer-free stamps, Labels are a flat key/value slice (rebuilt into a fresh map
// for every copy handed out), and the organisation indexes, which most nodes lack, sit
// behind one pointer. See arena.go.
type nodeRec struct {
	id, name  string // in the arena
	level     int32  // index into GovernanceStore.levels
	retired   bool
	version   int64
	created   stamp
	updated   stamp
	retiredAt stamp
	labels    []string // Labels as key, value, key, value...; nil for nil Labels
	parent    *nodeRec
	children  []*nodeRec // sorted by ID
	size      int        // nodes in the subtree, this one included
	// histHead and histTail index the first and last entries of the node's history in the
	// store's historyLog.
	histHead, histTail int32
	orgs               *nodeOrgs // nil until an organisation sits at or serves the node
}

// slabSize is how many node records are allocated at once. Nodes are never deleted, so
// their records can live in shared chunks: a million nodes make four thousand objects for
// the garbage collector instead of a million, which cut its marking time of a
// million-node tree by about 40%.
const slabSize = 256

// newNodeRec returns a zeroed record from the current slab.
func (s *GovernanceStore) newNodeRec() *nodeRec {
	if len(s.slab) == cap(s.slab) {
		s.slab = make([]nodeRec, 0, slabSize)
	}
	s.slab = s.slab[:len(s.slab)+1]
	return &s.slab[len(s.slab)-1]
}

// key returns the node's ID, the key its siblings are sorted by.
func (r *nodeRec) key() string { return r.id }

// setNode stores n in rec (ID, ParentID and CreatedAt are the caller's to keep right: the
// parent comes from the link), copying its strings into the arena and its Labels.
func (s *GovernanceStore) setNode(rec *nodeRec, n governance.Node) {
	rec.id, rec.name = s.strs.intern(n.ID), s.strs.intern(n.Name)
	rec.level = s.levelIndex(n.Level)
	rec.retired, rec.version = n.Retired, n.Version
	rec.created, rec.updated, rec.retiredAt = s.zones.stamp(n.CreatedAt), s.zones.stamp(n.UpdatedAt), s.zones.stamp(n.RetiredAt)
	rec.labels = nil
	if n.Labels != nil {
		rec.labels = make([]string, 0, 2*len(n.Labels))
		for k, v := range n.Labels {
			rec.labels = append(rec.labels, s.strs.intern(k), s.strs.intern(v))
		}
	}
}

// nodeValue returns a deep copy of the node stored in rec.
func (s *GovernanceStore) nodeValue(rec *nodeRec) governance.Node {
	n := governance.Node{
		ID: rec.id, Level: s.levels[rec.level], Name: rec.name, Retired: rec.retired, Version: rec.version,
		CreatedAt: s.zones.time(rec.created), UpdatedAt: s.zones.time(rec.updated), RetiredAt: s.zones.time(rec.retiredAt),
	}
	if rec.parent != nil {
		n.ParentID = rec.parent.id
	}
	if rec.labels != nil {
		n.Labels = make(map[string]string, len(rec.labels)/2)
		for i := 0; i < len(rec.labels); i += 2 {
			n.Labels[rec.labels[i]] = rec.labels[i+1]
		}
	}
	return n
}

// levelIndex returns the index of level in s.levels, adding it if need be. Schemes have a
// handful of levels, so a linear search is fastest.
func (s *GovernanceStore) levelIndex(level string) int32 {
	for i, l := range s.levels {
		if l == level {
			return int32(i)
		}
	}
	s.levels = append(s.levels, strings.Clone(level))
	return int32(len(s.levels) - 1)
}

// nodeOrgs indexes the organisations of one node.
type nodeOrgs struct {
	at       []*orgRec // organisations whose NodeID is the node, sorted by ID
	servedBy []*orgRec // organisations whose Serves lists the node, sorted by ID
}

// orgIndex returns the node's organisation indexes, creating them if need be.
func (r *nodeRec) orgIndex() *nodeOrgs {
	if r.orgs == nil {
		r.orgs = &nodeOrgs{}
	}
	return r.orgs
}

// orgsAt returns the organisations at the node (nil-safe).
func (r *nodeRec) orgsAt() []*orgRec {
	if r.orgs == nil {
		return nil
	}
	return r.orgs.at
}

// servedBy returns the organisations serving the node (nil-safe).
func (r *nodeRec) servedBy() []*orgRec {
	if r.orgs == nil {
		return nil
	}
	return r.orgs.servedBy
}

// orgRec is one organisation with its indexes.
type orgRec struct {
	org       governance.Organisation // the stored value; Serves owned by the store
	hosted    []*orgRec               // organisations whose HostID is this one, sorted by ID
	positions []*governance.Position  // positions in this organisation, sorted by ID
	open      int                     // positions not ended
}

// personRec is one person with the positions they hold or held.
type personRec struct {
	person    governance.Person
	positions []*governance.Position // sorted by ID
}

// regRec is one registration with its service records.
type regRec struct {
	reg     governance.Registration
	records []*governance.ServiceRecord // sorted by (Date, ID)
}

// regKey identifies what a registration registers in a community: a person or a unit.
type regKey struct {
	community string
	unit      bool // OrgID rather than PersonID
	id        string
}

// The sort keys of the other indexed records.
func (r *orgRec) id() string { return r.org.ID }
func (r *regRec) id() string { return r.reg.ID }

func positionID(p *governance.Position) string      { return p.ID }
func projectID(p *governance.ServiceProject) string { return p.ID }

// insertByID inserts v into s, which is sorted by id, keeping it sorted (binary search).
func insertByID[T comparable](s []T, v T, id func(T) string) []T {
	key := id(v)
	i, _ := slices.BinarySearchFunc(s, key, func(e T, k string) int { return strings.Compare(id(e), k) })
	return slices.Insert(s, i, v)
}

// removeByID removes v from s, which is sorted by id.
func removeByID[T comparable](s []T, v T, id func(T) string) []T {
	key := id(v)
	i, found := slices.BinarySearchFunc(s, key, func(e T, k string) int { return strings.Compare(id(e), k) })
	if found && s[i] == v {
		return slices.Delete(s, i, i+1)
	}
	return s
}

// entity names a kind of stored value in both languages, for error messages.
type entity struct{ en, zh string }

var (
	entNode         = entity{"node", "节点"}
	entOrganisation = entity{"organisation", "组织"}
	entPerson       = entity{"person", "人员"}
	entPosition     = entity{"position", "任职"}
	entRegistration = entity{"registration", "报到登记"}
	entProject      = entity{"service project", "服务项目"}
)

// notFound reports a missing entity; it wraps gridgov.ErrNotFound.
func notFound(e entity, id string) error {
	return fmt.Errorf("%s %q not found (%s“%s”不存在): %w", e.en, id, e.zh, id, gridgov.ErrNotFound)
}

// conflict reports a stale version; it wraps gridgov.ErrConflict.
func conflict(e entity, id string, got, current int64) error {
	return fmt.Errorf("%s %q: version %d is stale, the current version is %d (%s“%s”版本%d已过期，当前版本%d): %w",
		e.en, id, got, current, e.zh, id, got, current, gridgov.ErrConflict)
}

// missingRef records on verr that field names no entity of kind e.
func missingRef(verr *gridgov.ValidationError, field string, e entity, id string) {
	verr.Add(field, "exists",
		fmt.Sprintf("%s %q names no %s", field, id, e.en),
		fmt.Sprintf("%s“%s”对应的%s不存在", field, id, e.zh))
}

// requireID records on verr that the identifier field is empty, if it is.
func requireID(verr *gridgov.ValidationError, field, id string) {
	if id == "" {
		verr.Add(field, "required", field+" is required", field+"为必填项")
	}
}

// lockWrite takes the write lock for a mutating method: it checks ctx before waiting for
// the lock and again once it holds it (the wait may have outlasted the context), so a
// cancelled call changes nothing. On success the caller must call unlock.
func (s *GovernanceStore) lockWrite(ctx context.Context) (unlock func(), err error) {
	return lockWrite(ctx, &s.mu)
}

// lockRead takes the read lock for a query after checking ctx. On success the caller must
// call unlock.
func (s *GovernanceStore) lockRead(ctx context.Context) (unlock func(), err error) {
	return lockRead(ctx, &s.mu)
}

// lockWrite takes mu for a mutation after checking ctx (before and after waiting), so
// that a cancelled call changes nothing. On success the caller must call unlock.
func lockWrite(ctx context.Context, mu *sync.RWMutex) (unlock func(), err error) {
	if err := live(ctx); err != nil {
		return nil, err
	}
	mu.Lock()
	if err := live(ctx); err != nil {
		mu.Unlock()
		return nil, err
	}
	return mu.Unlock, nil
}

// lockRead takes mu's read lock for a query after checking ctx. On success the caller
// must call unlock.
func lockRead(ctx context.Context, mu *sync.RWMutex) (unlock func(), err error) {
	if err := live(ctx); err != nil {
		return nil, err
	}
	mu.RLock()
	return mu.RUnlock, nil
}

// live returns ctx's error, if any, so that every method can start with it.
func live(ctx context.Context) error {
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("memory: %w", err)
	}
	return nil
}
