package memory

import (
	"cmp"
	"context"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/gridgov/gridgov"
	"github.com/gridgov/gridgov/escalation"
)

// EscalationStore is the in-memory escalation.Store: complaints (诉求), their histories and
// the event feed. It is safe for concurrent use; build one with [NewEscalationStore].
//
// One read-write lock guards the whole store: a write (a complaint with its event) is atomic
// and exclusive, reads run concurrently with each other. Event Seq numbers are assigned
// under the write lock, so they follow commit order without gaps.
//
// Indexes keep each query's cost to what it returns:
//   - ListDue walks a deadline index ordered by (DueAt, ID) from its start, so finding k
//     due complaints costs O(log n + k) however many are open;
//   - ListComplaints with Within visits only the complaints filed under that node (through
//     the distinct paths that contain it), in ID order, starting at the cursor;
//   - without Within it walks an index of all complaints in ID order from the cursor.
//
// Complaints are stored compactly (see BenchmarkEscalationBytesPerComplaint): strings drawn
// from small sets and the identifiers of the organisation tree are numbered once, each
// distinct Path is kept once, and the rest of a complaint is encoded into one byte slice.
// The encoding covers every field of escalation.Complaint, found once by reflection, so a
// field added to the type is stored (and returned) with no change to the store.
//
// Where the contract is silent the store follows the governance store: it refuses a
// negative limit with gridgov.ErrInvalid, and UpdateComplaint ignores changes to Path,
// SubmittedAt and Reporter (they keep their values from creation). A store holds at most
// 2³¹−1 complaints and as many events.
type EscalationStore struct {
	mu sync.RWMutex

	// Complaint records, allocated in slabs; record i is slabs[i>>recSlabShift][i&recSlabMask].
	slabs [][]complaintRec
	count int32

	byID  hashIndex      // complaint ID → record
	keys  hashIndex      // idempotency key → record
	order *btree[int32]  // every record, by complaint ID
	due   *btree[dueKey] // records with a DueAt, by (DueAt, ID)

	paths     []pathRec         // the distinct Paths
	pathIDs   map[string]int32  // encoded path (its node symbols) → index in paths
	nodePaths map[int32][]int32 // node symbol → the paths that contain the node
	byIDCmp   func(a, b int32) int

	strs    stringArena // symbol names
	syms    symbols
	zones   zoneTable
	events  eventLog
	scratch []byte // the encoding buffer of the writer holding the lock
}

var _ escalation.Store = (*EscalationStore)(nil)

// NewEscalationStore returns an empty EscalationStore.
func NewEscalationStore() *EscalationStore {
	s := &EscalationStore{
		pathIDs:   make(map[string]int32),
		nodePaths: make(map[int32][]int32),
	}
	s.syms = newSymbols(&s.strs)
	s.byID = newHashIndex(func(i int32) string { return blobID(s.rec(i).blob) })
	s.keys = newHashIndex(func(i int32) string { return blobKey(s.rec(i).blob) })
	s.byIDCmp = func(a, b int32) int { return strings.Compare(s.id(a), s.id(b)) }
	s.order = newBtree(s.byIDCmp)
	s.due = newBtree(func(a, b dueKey) int {
		if c := cmp.Compare(a.sec, b.sec); c != 0 {
			return c
		}
		if c := cmp.Compare(a.nsec, b.nsec); c != 0 {
			return c
		}
		return s.byIDCmp(a.rec, b.rec)
	})
	return s
}

// complaintRec is one complaint: the fields the indexes and filters read most, and the
// rest encoded in blob (see escalation_codec.go). It holds a single pointer.
type complaintRec struct {
	// blob holds the intake part (ID, idempotency key, reporter, SubmittedAt), which never
	// changes, then every other field; an update replaces it, nothing ever writes to it.
	blob     []byte
	version  int64
	path     int32 // index in paths
	state    int32 // symbol
	category int32 // symbol
	// histHead and histTail are the Seq of the complaint's first and last events.
	histHead, histTail int32
}

// dueKey is an entry of the deadline index: the DueAt instant and the record.
type dueKey struct {
	sec  int64
	nsec int32
	rec  int32
}

// Records are allocated 1,024 at a time (the first slab grows from small), so a million
// complaints make a thousand objects for the collector instead of a million.
const (
	recSlabShift = 10
	recSlabSize  = 1 << recSlabShift
	recSlabMask  = recSlabSize - 1
)

// id returns the ID of record i.
func (s *EscalationStore) id(i int32) string { return blobID(s.rec(i).blob) }

// rec returns record i.
func (s *EscalationStore) rec(i int32) *complaintRec {
	return &s.slabs[i>>recSlabShift][i&recSlabMask]
}

// newRec allocates a zeroed record and returns its index.
func (s *EscalationStore) newRec() int32 {
	i := s.count
	if n := len(s.slabs); n == 0 || len(s.slabs[n-1]) == recSlabSize {
		size := recSlabSize
		if n == 0 {
			size = 16
		}
		s.slabs = append(s.slabs, make([]complaintRec, 0, size))
	}
	last := &s.slabs[len(s.slabs)-1]
	*last = append(*last, complaintRec{})
	s.count++
	return i
}

var entComplaint = entity{"complaint", "诉求"}

// CreateComplaint stores c as version 1 and appends event, or returns the complaint
// created earlier with key. See escalation.Store.
func (s *EscalationStore) CreateComplaint(ctx context.Context, c escalation.Complaint, key string, event escalation.Event) (escalation.Complaint, bool, error) {
	unlock, err := s.lockWrite(ctx)
	if err != nil {
		return escalation.Complaint{}, false, err
	}
	defer unlock()
	if key != "" {
		if i, ok := s.keys.find(key); ok {
			return s.complaint(i), false, nil
		}
	}
	verr := &gridgov.ValidationError{}
	requireID(verr, "ID", c.ID)
	if err := verr.Err(); err != nil {
		return escalation.Complaint{}, false, err
	}
	if _, ok := s.byID.find(c.ID); ok {
		return escalation.Complaint{}, false, gridgov.AlreadyExists("ID", c.ID)
	}

	// Nothing below can fail.
	i := s.newRec()
	r := s.rec(i)
	r.version = 1
	r.path = s.pathIndex(c.Path)
	e := encoder{b: s.scratch[:0], zones: &s.zones}
	s.writeIntake(&e, c.ID, key, &c)
	s.setFields(r, &c, &e)
	s.byID.add(c.ID, i)
	if key != "" {
		s.keys.add(key, i)
	}
	s.order.insert(i)
	s.paths[r.path].complaints.insert(i)
	if due := blobDue(r.blob); !due.isZero() {
		s.due.insert(dueKey{sec: due.sec, nsec: due.nsec, rec: i})
	}

	event.ComplaintID, event.Version = c.ID, r.version
	s.appendEvent(event, i)
	return s.complaint(i), true, nil
}

// GetComplaint returns the complaint id. See escalation.Store.
func (s *EscalationStore) GetComplaint(ctx context.Context, id string) (escalation.Complaint, error) {
	unlock, err := s.lockRead(ctx)
	if err != nil {
		return escalation.Complaint{}, err
	}
	defer unlock()
	i, ok := s.byID.find(id)
	if !ok {
		return escalation.Complaint{}, notFound(entComplaint, id)
	}
	return s.complaint(i), nil
}

// UpdateComplaint replaces the complaint c.ID by c under the version rule and appends
// event. Path, SubmittedAt and Reporter keep their stored values. See escalation.Store.
func (s *EscalationStore) UpdateComplaint(ctx context.Context, c escalation.Complaint, event escalation.Event) (escalation.Complaint, error) {
	unlock, err := s.lockWrite(ctx)
	if err != nil {
		return escalation.Complaint{}, err
	}
	defer unlock()
	i, ok := s.byID.find(c.ID)
	if !ok {
		return escalation.Complaint{}, notFound(entComplaint, c.ID)
	}
	r := s.rec(i)
	if c.Version != r.version {
		return escalation.Complaint{}, conflict(entComplaint, c.ID, c.Version, r.version)
	}

	oldDue := blobDue(r.blob)
	e := encoder{b: append(s.scratch[:0], r.blob[:readIntake(r.blob).len]...), zones: &s.zones}
	s.setFields(r, &c, &e)
	if due := blobDue(r.blob); compareInstant(due, oldDue) != 0 {
		if !oldDue.isZero() {
			s.due.delete(dueKey{sec: oldDue.sec, nsec: oldDue.nsec, rec: i})
		}
		if !due.isZero() {
			s.due.insert(dueKey{sec: due.sec, nsec: due.nsec, rec: i})
		}
	}
	r.version++

	event.ComplaintID, event.Version = c.ID, r.version
	s.appendEvent(event, i)
	return s.complaint(i), nil
}

// setFields stores in r the fields of c that may change (all but ID, Path, SubmittedAt,
// Reporter and Version): e holds the new blob's intake part, in the store's scratch buffer.
func (s *EscalationStore) setFields(r *complaintRec, c *escalation.Complaint, e *encoder) {
	r.state = s.syms.intern(string(c.State))
	r.category = s.syms.intern(c.Category)
	s.writeBody(e, c, readIntake(e.b).submitted.sec)
	r.blob = slices.Clone(e.b)
	s.scratch = e.b
}

// complaint decodes record i into a Complaint that shares nothing mutable with the store.
func (s *EscalationStore) complaint(i int32) escalation.Complaint {
	r := s.rec(i)
	c := escalation.Complaint{
		State:    escalation.State(s.syms.name(r.state)),
		Category: s.syms.name(r.category),
		Version:  r.version,
	}
	if nodes := s.paths[r.path].nodes; len(nodes) > 0 {
		c.Path = make([]string, len(nodes))
		for k, n := range nodes {
			c.Path[k] = s.syms.name(n)
		}
	}
	s.readBlob(r.blob, &c)
	return c
}

// pathIndex returns the index of the stored path equal to path, adding it if need be.
func (s *EscalationStore) pathIndex(path []string) int32 {
	e := encoder{b: s.scratch[:0]}
	for _, n := range path {
		e.sym(s.syms.intern(n))
	}
	s.scratch = e.b
	if i, ok := s.pathIDs[string(e.b)]; ok {
		return i
	}
	i := int32(len(s.paths))
	rec := pathRec{complaints: btree[int32]{cmp: s.byIDCmp}}
	if len(path) > 0 {
		rec.nodes = make([]int32, len(path))
		for k, n := range path {
			rec.nodes[k] = s.syms.intern(n)
		}
	}
	s.paths = append(s.paths, rec)
	s.pathIDs[string(e.b)] = i
	for k, n := range rec.nodes {
		if !slices.Contains(rec.nodes[:k], n) { // a node named twice indexes the path once
			s.nodePaths[n] = append(s.nodePaths[n], i)
		}
	}
	return i
}

// History returns the complaint's events, oldest first. See escalation.Store.
func (s *EscalationStore) History(ctx context.Context, id string) ([]escalation.Event, error) {
	unlock, err := s.lockRead(ctx)
	if err != nil {
		return nil, err
	}
	defer unlock()
	i, ok := s.byID.find(id)
	if !ok {
		return nil, notFound(entComplaint, id)
	}
	var out []escalation.Event
	for seq := s.rec(i).histHead; seq != 0; {
		var ev escalation.Event
		ev, seq = s.event(seq)
		out = append(out, ev)
	}
	return out, nil
}

// ListComplaints returns a page of the complaints matching q in ID order, and the cursor
// of the next page. See escalation.Store.
func (s *EscalationStore) ListComplaints(ctx context.Context, q escalation.Query) ([]escalation.Complaint, string, error) {
	if err := checkLimit("Limit", q.Limit); err != nil {
		return nil, "", err
	}
	unlock, err := s.lockRead(ctx)
	if err != nil {
		return nil, "", err
	}
	defer unlock()

	f, ok := s.newFilter(q)
	if !ok {
		return nil, "", nil // a state, category or node no complaint has
	}
	after := func(i int32) bool { return s.id(i) > q.After }
	var next func() (int32, bool)
	if q.Within == "" {
		it := s.order.seek(after)
		next = it.next
	} else {
		node, _ := s.syms.lookup(q.Within)
		next = s.mergePaths(s.nodePaths[node], after)
	}

	// Find the page's records first, then decode them into a slice of the right size.
	var page []int32
	more := false
	for seen := 1; ; seen++ {
		if seen%4096 == 0 {
			if err := live(ctx); err != nil {
				return nil, "", err
			}
		}
		i, ok := next()
		if !ok {
			break
		}
		if !f.match(s.rec(i)) {
			continue
		}
		if q.Limit > 0 && len(page) == q.Limit {
			more = true // one more matches: there is a next page
			break
		}
		page = append(page, i)
	}
	out := s.complaints(page)
	if more {
		return out, out[len(out)-1].ID, nil
	}
	return out, "", nil
}

// complaints decodes the given records.
func (s *EscalationStore) complaints(recs []int32) []escalation.Complaint {
	if len(recs) == 0 {
		return nil
	}
	out := make([]escalation.Complaint, len(recs))
	for k, i := range recs {
		out[k] = s.complaint(i)
	}
	return out
}

// filter is a Query resolved to symbols and instants.
type filter struct {
	states   []int32
	category int32 // 0 for any
	from, to *stamp
}

// newFilter resolves q; ok is false when q names a state, category or node that no stored
// complaint has, so nothing can match.
func (s *EscalationStore) newFilter(q escalation.Query) (f filter, ok bool) {
	if q.Within != "" {
		n, known := s.syms.lookup(q.Within)
		if !known || len(s.nodePaths[n]) == 0 {
			return f, false
		}
	}
	for _, st := range q.States {
		if id, known := s.syms.lookup(string(st)); known {
			f.states = append(f.states, id)
		}
	}
	if len(q.States) > 0 && len(f.states) == 0 {
		return f, false
	}
	if q.Category != "" {
		id, known := s.syms.lookup(q.Category)
		if !known {
			return f, false
		}
		f.category = id
	}
	if !q.From.IsZero() {
		f.from = &stamp{sec: q.From.Unix(), nsec: int32(q.From.Nanosecond())}
	}
	if !q.To.IsZero() {
		f.to = &stamp{sec: q.To.Unix(), nsec: int32(q.To.Nanosecond())}
	}
	return f, true
}

// match reports whether r passes the filter.
func (f *filter) match(r *complaintRec) bool {
	if f.states != nil && !slices.Contains(f.states, r.state) {
		return false
	}
	if f.category != 0 && r.category != f.category {
		return false
	}
	if f.from != nil || f.to != nil {
		submitted := readIntake(r.blob).submitted
		if f.from != nil && compareInstant(submitted, *f.from) < 0 {
			return false
		}
		if f.to != nil && compareInstant(submitted, *f.to) >= 0 {
			return false
		}
	}
	return true
}

// compareInstant orders two stamps by instant, ignoring their zones.
func compareInstant(a, b stamp) int {
	if c := cmp.Compare(a.sec, b.sec); c != 0 {
		return c
	}
	return cmp.Compare(a.nsec, b.nsec)
}

// mergePaths returns a function yielding, in ID order, the complaints of the given paths
// whose IDs pass after: a k-way merge of the paths' ID-ordered complaint lists.
func (s *EscalationStore) mergePaths(paths []int32, after func(int32) bool) func() (int32, bool) {
	if len(paths) == 1 {
		it := s.paths[paths[0]].complaints.seek(after)
		return it.next
	}
	// A min-heap of iterators keyed by the complaint each would yield next.
	type head struct {
		rec int32
		it  btreeIter[int32]
	}
	h := make([]head, 0, len(paths))
	for _, p := range paths {
		it := s.paths[p].complaints.seek(after)
		if i, ok := it.next(); ok {
			h = append(h, head{i, it})
		}
	}
	less := func(a, b int) bool { return s.byIDCmp(h[a].rec, h[b].rec) < 0 }
	down := func(i int) {
		for {
			l := 2*i + 1
			if l >= len(h) {
				return
			}
			m := l
			if r := l + 1; r < len(h) && less(r, l) {
				m = r
			}
			if !less(m, i) {
				return
			}
			h[i], h[m] = h[m], h[i]
			i = m
		}
	}
	for i := len(h)/2 - 1; i >= 0; i-- {
		down(i)
	}
	return func() (int32, bool) {
		if len(h) == 0 {
			return 0, false
		}
		out := h[0].rec
		if i, ok := h[0].it.next(); ok {
			h[0].rec = i
		} else {
			h[0] = h[len(h)-1]
			h = h[:len(h)-1]
		}
		down(0)
		return out, true
	}
}

// ListDue returns the complaints whose DueAt is set and not after before, earliest first
// (ties by ID), at most limit of them, from the deadline index. See escalation.Store.
func (s *EscalationStore) ListDue(ctx context.Context, before time.Time, limit int) ([]escalation.Complaint, error) {
	if err := checkLimit("limit", limit); err != nil {
		return nil, err
	}
	unlock, err := s.lockRead(ctx)
	if err != nil {
		return nil, err
	}
	defer unlock()
	bound := stamp{sec: before.Unix(), nsec: int32(before.Nanosecond())}
	// Walk the index once to find the due records (keys only), then decode them.
	var due []int32
	it := s.due.first()
	for k, ok := it.next(); ok && (limit == 0 || len(due) < limit); k, ok = it.next() {
		if compareInstant(stamp{sec: k.sec, nsec: k.nsec}, bound) > 0 {
			break
		}
		due = append(due, k.rec)
	}
	return s.complaints(due), nil
}

// Events returns the events after Seq after, at most limit of them. See escalation.Store.
func (s *EscalationStore) Events(ctx context.Context, after int64, limit int) ([]escalation.Event, error) {
	if err := checkLimit("limit", limit); err != nil {
		return nil, err
	}
	unlock, err := s.lockRead(ctx)
	if err != nil {
		return nil, err
	}
	defer unlock()
	last := int64(len(s.events.refs))
	after = max(after, 0)
	if after >= last {
		return nil, nil
	}
	end := last
	if limit > 0 {
		end = min(last, after+int64(limit))
	}
	out := make([]escalation.Event, 0, end-after)
	for seq := after + 1; seq <= end; seq++ {
		ev, _ := s.event(int32(seq))
		out = append(out, ev)
	}
	return out, nil
}

// checkLimit refuses a negative limit.
func checkLimit(field string, limit int) error {
	if limit < 0 {
		return gridgov.Invalid(field, "min",
			field+" must not be negative",
			field+"不能为负数")
	}
	return nil
}

// lockWrite takes the write lock for a mutating method, checking ctx before and after the
// wait, so that a cancelled call changes nothing. On success the caller must call unlock.
func (s *EscalationStore) lockWrite(ctx context.Context) (unlock func(), err error) {
	if err := live(ctx); err != nil {
		return nil, err
	}
	s.mu.Lock()
	if err := live(ctx); err != nil {
		s.mu.Unlock()
		return nil, err
	}
	return s.mu.Unlock, nil
}

// lockRead takes the read lock for a query after checking ctx. On success the caller must
// call unlock.
func (s *EscalationStore) lockRead(ctx context.Context) (unlock func(), err error) {
	if err := live(ctx); err != nil {
		return nil, err
	}
	s.mu.RLock()
	return s.mu.RUnlock, nil
}
