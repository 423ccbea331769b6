package memory

import (
	"container/heap"
	"context"
	"fmt"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/gridgov/gridgov"
	"github.com/gridgov/gridgov/escalation"
)

// EscalationStore is the in-memory escalation.Store: complaints, their histories and the
// event feed. It is safe for concurrent use; build one with [NewEscalationStore].
//
// One read-write lock guards the store. Events get their sequence numbers under the write
// lock, so the feed has no gaps and a reader never sees a later event before an earlier
// one. Subtree queries use an index from every node on a complaint's Path to its IDs, kept
// sorted (IDs usually arrive in increasing order, so keeping it sorted is an append), and
// ListDue uses a min-heap on (DueAt, ID) whose stale entries are dropped as they surface:
// its cost grows with the complaints due, not with those stored.
type EscalationStore struct {
	mu         sync.RWMutex
	complaints map[string]*complaintRec
	keys       map[string]string   // idempotency key → complaint ID
	within     map[string][]string // node ID → IDs of complaints whose Path holds it, sorted
	all        []string            // every complaint ID, sorted
	due        dueHeap
	events     []escalation.Event // the feed; events[i].Seq == i+1
}

var _ escalation.Store = (*EscalationStore)(nil)

// complaintRec is a stored complaint with the positions of its events in the feed.
type complaintRec struct {
	c       escalation.Complaint
	history []int32 // indexes into EscalationStore.events
	// dueGen numbers the complaint's latest entry in the due index; older entries are
	// stale.
	dueGen int32
}

// NewEscalationStore returns an empty EscalationStore.
func NewEscalationStore() *EscalationStore {
	return &EscalationStore{
		complaints: make(map[string]*complaintRec),
		keys:       make(map[string]string),
		within:     make(map[string][]string),
	}
}

// CreateComplaint implements escalation.Store.
func (s *EscalationStore) CreateComplaint(ctx context.Context, c escalation.Complaint, key string, ev escalation.Event) (escalation.Complaint, bool, error) {
	unlock, err := lockWrite(ctx, &s.mu)
	if err != nil {
		return escalation.Complaint{}, false, err
	}
	defer unlock()
	if key != "" {
		if id, ok := s.keys[key]; ok {
			return s.complaints[id].c.Clone(), false, nil
		}
	}
	if c.ID == "" {
		return escalation.Complaint{}, false, gridgov.Invalid("ID", "required",
			"complaint ID is required", "必须提供诉求编号")
	}
	if _, ok := s.complaints[c.ID]; ok {
		return escalation.Complaint{}, false, gridgov.AlreadyExists("ID", c.ID)
	}
	c = c.Clone()
	c.Version = 1
	rec := &complaintRec{c: c}
	s.complaints[c.ID] = rec
	if key != "" {
		s.keys[key] = c.ID
	}
	s.all = insertSorted(s.all, c.ID)
	for _, n := range c.Path {
		s.within[n] = insertSorted(s.within[n], c.ID)
	}
	s.schedule(rec, time.Time{})
	s.append(rec, ev, 1)
	return c.Clone(), true, nil
}

// insertSorted inserts id into the sorted ids (an append when id is the largest).
func insertSorted(ids []string, id string) []string {
	if n := len(ids); n == 0 || ids[n-1] < id {
		return append(ids, id)
	}
	i, _ := slices.BinarySearch(ids, id)
	return slices.Insert(ids, i, id)
}

// append adds ev to the feed and the complaint's history.
func (s *EscalationStore) append(rec *complaintRec, ev escalation.Event, version int64) {
	ev.ComplaintID, ev.Version, ev.Seq = rec.c.ID, version, int64(len(s.events)+1)
	rec.history = append(rec.history, int32(len(s.events)))
	s.events = append(s.events, ev)
}

// schedule indexes the complaint's DueAt when it differs from was. Only a change of DueAt
// leaves a stale entry behind, so the index grows with deadlines set, not with updates.
func (s *EscalationStore) schedule(rec *complaintRec, was time.Time) {
	if rec.c.DueAt.Equal(was) {
		return
	}
	rec.dueGen++
	if !rec.c.DueAt.IsZero() {
		heap.Push(&s.due, dueEntry{at: rec.c.DueAt, id: rec.c.ID, gen: rec.dueGen})
	}
}

// GetComplaint implements escalation.Store.
func (s *EscalationStore) GetComplaint(ctx context.Context, id string) (escalation.Complaint, error) {
	unlock, err := lockRead(ctx, &s.mu)
	if err != nil {
		return escalation.Complaint{}, err
	}
	defer unlock()
	rec, ok := s.complaints[id]
	if !ok {
		return escalation.Complaint{}, complaintNotFound(id)
	}
	return rec.c.Clone(), nil
}

func complaintNotFound(id string) error {
	return fmt.Errorf("%w: complaint %q (诉求“%s”不存在)", gridgov.ErrNotFound, id, id)
}

// UpdateComplaint implements escalation.Store. Path, SubmittedAt and Reporter keep their
// stored values.
func (s *EscalationStore) UpdateComplaint(ctx context.Context, c escalation.Complaint, ev escalation.Event) (escalation.Complaint, error) {
	unlock, err := lockWrite(ctx, &s.mu)
	if err != nil {
		return escalation.Complaint{}, err
	}
	defer unlock()
	rec, ok := s.complaints[c.ID]
	if !ok {
		return escalation.Complaint{}, complaintNotFound(c.ID)
	}
	if rec.c.Version != c.Version {
		return escalation.Complaint{}, fmt.Errorf("%w: complaint %q is at version %d, not %d (诉求“%s”当前版本为%d，不是%d)",
			gridgov.ErrConflict, c.ID, rec.c.Version, c.Version, c.ID, rec.c.Version, c.Version)
	}
	c = c.Clone()
	c.Path, c.SubmittedAt, c.Reporter = rec.c.Path, rec.c.SubmittedAt, rec.c.Reporter
	c.Version++
	was := rec.c.DueAt
	rec.c = c
	s.schedule(rec, was)
	s.append(rec, ev, c.Version)
	return c.Clone(), nil
}

// History implements escalation.Store.
func (s *EscalationStore) History(ctx context.Context, id string) ([]escalation.Event, error) {
	unlock, err := lockRead(ctx, &s.mu)
	if err != nil {
		return nil, err
	}
	defer unlock()
	rec, ok := s.complaints[id]
	if !ok {
		return nil, complaintNotFound(id)
	}
	out := make([]escalation.Event, len(rec.history))
	for i, at := range rec.history {
		out[i] = s.events[at]
	}
	return out, nil
}

// ListComplaints implements escalation.Store. It walks the sorted IDs of the subtree (or
// of every complaint) from the cursor, so a page costs what it skips and returns.
func (s *EscalationStore) ListComplaints(ctx context.Context, q escalation.Query) ([]escalation.Complaint, string, error) {
	unlock, err := lockRead(ctx, &s.mu)
	if err != nil {
		return nil, "", err
	}
	defer unlock()
	ids := s.all
	if q.Within != "" {
		ids = s.within[q.Within]
	}
	i := 0
	if q.After != "" {
		i = sort.SearchStrings(ids, q.After)
		if i < len(ids) && ids[i] == q.After {
			i++
		}
	}
	var out []escalation.Complaint
	for ; i < len(ids); i++ {
		if q.Limit > 0 && len(out) == q.Limit {
			return out, out[len(out)-1].ID, nil
		}
		c := &s.complaints[ids[i]].c
		if matches(c, q) {
			out = append(out, c.Clone())
		}
	}
	return out, "", nil
}

func matches(c *escalation.Complaint, q escalation.Query) bool {
	if len(q.States) > 0 && !slices.Contains(q.States, c.State) {
		return false
	}
	if q.Category != "" && c.Category != q.Category {
		return false
	}
	if !q.From.IsZero() && c.SubmittedAt.Before(q.From) {
		return false
	}
	return q.To.IsZero() || c.SubmittedAt.Before(q.To)
}

// ListDue implements escalation.Store. It takes the write lock because it drops stale
// entries from the due index as it meets them.
func (s *EscalationStore) ListDue(ctx context.Context, before time.Time, limit int) ([]escalation.Complaint, error) {
	unlock, err := lockWrite(ctx, &s.mu)
	if err != nil {
		return nil, err
	}
	defer unlock()
	var out []escalation.Complaint
	var keep []dueEntry
	for s.due.Len() > 0 && (limit <= 0 || len(out) < limit) {
		top := s.due[0]
		if top.at.After(before) {
			break
		}
		heap.Pop(&s.due)
		rec := s.complaints[top.id]
		if rec.dueGen != top.gen {
			continue // stale: the complaint changed since this entry was made
		}
		keep = append(keep, top)
		out = append(out, rec.c.Clone())
	}
	for _, e := range keep {
		heap.Push(&s.due, e)
	}
	return out, nil
}

// Events implements escalation.Store.
func (s *EscalationStore) Events(ctx context.Context, after int64, limit int) ([]escalation.Event, error) {
	unlock, err := lockRead(ctx, &s.mu)
	if err != nil {
		return nil, err
	}
	defer unlock()
	if after < 0 {
		after = 0
	}
	if after >= int64(len(s.events)) {
		return nil, nil
	}
	evs := s.events[after:]
	if limit > 0 && len(evs) > limit {
		evs = evs[:limit]
	}
	return slices.Clone(evs), nil
}

// dueEntry is one entry of the due index; it is stale once the complaint's DueAt has
// changed again (its gen is no longer the record's).
type dueEntry struct {
	at  time.Time
	id  string
	gen int32
}

// dueHeap is a min-heap of due entries by (at, id).
type dueHeap []dueEntry

func (h dueHeap) Len() int { return len(h) }
func (h dueHeap) Less(i, j int) bool {
	if c := h[i].at.Compare(h[j].at); c != 0 {
		return c < 0
	}
	return strings.Compare(h[i].id, h[j].id) < 0
}
func (h dueHeap) Swap(i, j int) { h[i], h[j] = h[j], h[i] }
func (h *dueHeap) Push(x any)   { *h = append(*h, x.(dueEntry)) }
func (h *dueHeap) Pop() any {
	old := *h
	e := old[len(old)-1]
	*h = old[:len(old)-1]
	return e
}
