package memory

import (
	"cmp"
	"context"
	"slices"
	"sort"
	"sync"

	"github.com/gridgov/gridgov"
	"github.com/gridgov/gridgov/governance/deliberation"
)

// DeliberationStore is the in-memory deliberation.Store: agenda items (议题), their
// histories and the disclosure log (信息公开记录). It is safe for concurrent use; build one
// with [NewDeliberationStore].
//
// One read-write lock guards the whole store: writes hold it exclusively, so an item and its
// history event (and the event's disclosure) change together or not at all; reads share it.
// Items are kept as deep copies with their IDs in a sorted slice, so a page of ListItems
// costs O(log n) plus the items it visits; the disclosure log is kept sorted by (Date,
// ItemID, Version) as the contract orders it. Queries by node scan the items (or
// disclosures) and check each one's path.
//
// Refusals are *gridgov.ValidationError values naming the field in English and Chinese,
// whose Kind is gridgov.ErrInvalid (an empty ID, a negative limit) or
// gridgov.ErrAlreadyExists (a duplicate ID); a missing item wraps gridgov.ErrNotFound and a
// stale version gridgov.ErrConflict.
type DeliberationStore struct {
	mu          sync.RWMutex
	items       map[string]*delRecord
	ids         []string          // every item ID, sorted
	keys        map[string]string // idempotency key → item ID
	disclosures []delDisclosure   // sorted by (Date, ItemID, Version)
}

var _ deliberation.Store = (*DeliberationStore)(nil)

// NewDeliberationStore returns an empty DeliberationStore.
func NewDeliberationStore() *DeliberationStore {
	return &DeliberationStore{items: map[string]*delRecord{}, keys: map[string]string{}}
}

// delRecord is one item with its history.
type delRecord struct {
	item    deliberation.Item // owned by the store
	history []deliberation.Event
}

// delDisclosure is one entry of the disclosure log with its item's path (shared with the
// item's record, never changed after creation).
type delDisclosure struct {
	d    deliberation.Disclosure
	path []string
}

var entItem = entity{"agenda item", "议题"}

// CreateItem stores it as version 1 with its first event. See deliberation.Store.
func (s *DeliberationStore) CreateItem(ctx context.Context, it deliberation.Item, key string, ev deliberation.Event) (deliberation.Item, bool, error) {
	unlock, err := lockWrite(ctx, &s.mu)
	if err != nil {
		return deliberation.Item{}, false, err
	}
	defer unlock()
	if key != "" {
		if id, ok := s.keys[key]; ok {
			return s.items[id].item.Clone(), false, nil
		}
	}
	verr := &gridgov.ValidationError{}
	requireID(verr, "ID", it.ID)
	if err := verr.Err(); err != nil {
		return deliberation.Item{}, false, err
	}
	if _, ok := s.items[it.ID]; ok {
		return deliberation.Item{}, false, gridgov.AlreadyExists("ID", it.ID)
	}
	rec := &delRecord{item: it.Clone()}
	rec.item.Version = 1
	s.items[it.ID] = rec
	i, _ := slices.BinarySearch(s.ids, it.ID)
	s.ids = slices.Insert(s.ids, i, it.ID)
	if key != "" {
		s.keys[key] = it.ID
	}
	s.append(rec, ev)
	return rec.item.Clone(), true, nil
}

// append records ev as the latest event of rec (and its disclosure in the log).
func (s *DeliberationStore) append(rec *delRecord, ev deliberation.Event) {
	ev = ev.Clone()
	ev.ItemID, ev.Version = rec.item.ID, rec.item.Version
	if ev.Disclosure != nil {
		ev.Disclosure.ItemID, ev.Disclosure.Version = ev.ItemID, ev.Version
		entry := delDisclosure{d: *ev.Disclosure, path: rec.item.Path}
		i := sort.Search(len(s.disclosures), func(i int) bool { return delDisclosureCmp(s.disclosures[i].d, entry.d) > 0 })
		s.disclosures = slices.Insert(s.disclosures, i, entry)
	}
	rec.history = append(rec.history, ev)
}

// delDisclosureCmp orders disclosures by Date, ItemID, Version.
func delDisclosureCmp(a, b deliberation.Disclosure) int {
	if c := a.Date.Compare(b.Date); c != 0 {
		return c
	}
	if c := cmp.Compare(a.ItemID, b.ItemID); c != 0 {
		return c
	}
	return cmp.Compare(a.Version, b.Version)
}

// GetItem returns the item. See deliberation.Store.
func (s *DeliberationStore) GetItem(ctx context.Context, id string) (deliberation.Item, error) {
	unlock, err := lockRead(ctx, &s.mu)
	if err != nil {
		return deliberation.Item{}, err
	}
	defer unlock()
	rec, ok := s.items[id]
	if !ok {
		return deliberation.Item{}, notFound(entItem, id)
	}
	return rec.item.Clone(), nil
}

// UpdateItem replaces the item under the version rule and appends ev. See
// deliberation.Store.
func (s *DeliberationStore) UpdateItem(ctx context.Context, it deliberation.Item, ev deliberation.Event) (deliberation.Item, error) {
	unlock, err := lockWrite(ctx, &s.mu)
	if err != nil {
		return deliberation.Item{}, err
	}
	defer unlock()
	rec, ok := s.items[it.ID]
	if !ok {
		return deliberation.Item{}, notFound(entItem, it.ID)
	}
	if it.Version != rec.item.Version {
		return deliberation.Item{}, conflict(entItem, it.ID, it.Version, rec.item.Version)
	}
	next := it.Clone()
	next.NodeID, next.Path, next.CreatedAt = rec.item.NodeID, rec.item.Path, rec.item.CreatedAt
	next.Version = rec.item.Version + 1
	rec.item = next
	s.append(rec, ev)
	return rec.item.Clone(), nil
}

// History returns the item's events, oldest first. See deliberation.Store.
func (s *DeliberationStore) History(ctx context.Context, id string) ([]deliberation.Event, error) {
	unlock, err := lockRead(ctx, &s.mu)
	if err != nil {
		return nil, err
	}
	defer unlock()
	rec, ok := s.items[id]
	if !ok {
		return nil, notFound(entItem, id)
	}
	out := make([]deliberation.Event, len(rec.history))
	for i, ev := range rec.history {
		out[i] = ev.Clone()
	}
	return out, nil
}

// ListItems returns a page of the items matching q, by ID. See deliberation.Store.
func (s *DeliberationStore) ListItems(ctx context.Context, q deliberation.Query) ([]deliberation.Item, string, error) {
	if q.Limit < 0 {
		return nil, "", negativeLimit("Limit")
	}
	unlock, err := lockRead(ctx, &s.mu)
	if err != nil {
		return nil, "", err
	}
	defer unlock()
	start, found := slices.BinarySearch(s.ids, q.After)
	if found {
		start++
	}
	out := []deliberation.Item{}
	for _, id := range s.ids[start:] {
		it := &s.items[id].item
		if !delMatches(it, q) {
			continue
		}
		if q.Limit > 0 && len(out) == q.Limit {
			return out, out[len(out)-1].ID, nil
		}
		out = append(out, it.Clone())
	}
	return out, "", nil
}

func delMatches(it *deliberation.Item, q deliberation.Query) bool {
	switch {
	case q.Within != "" && !slices.Contains(it.Path, q.Within),
		len(q.States) > 0 && !slices.Contains(q.States, it.State),
		q.ComplaintID != "" && it.ComplaintID != q.ComplaintID:
		return false
	}
	return true
}

// Disclosures returns the disclosure log entries matching q. See deliberation.Store.
func (s *DeliberationStore) Disclosures(ctx context.Context, q deliberation.DisclosureQuery) ([]deliberation.Disclosure, error) {
	if q.Limit < 0 {
		return nil, negativeLimit("Limit")
	}
	unlock, err := lockRead(ctx, &s.mu)
	if err != nil {
		return nil, err
	}
	defer unlock()
	start := 0
	if !q.From.IsZero() {
		start = sort.Search(len(s.disclosures), func(i int) bool { return !s.disclosures[i].d.Date.Before(q.From) })
	}
	out := []deliberation.Disclosure{}
	for _, e := range s.disclosures[start:] {
		d := e.d
		if !q.To.IsZero() && !d.Date.Before(q.To) {
			break
		}
		if q.Within != "" && !slices.Contains(e.path, q.Within) || q.ItemID != "" && d.ItemID != q.ItemID ||
			q.Kind != "" && d.Kind != q.Kind {
			continue
		}
		out = append(out, d)
		if q.Limit > 0 && len(out) == q.Limit {
			break
		}
	}
	return out, nil
}

// negativeLimit refuses a negative page size.
func negativeLimit(field string) error {
	return gridgov.Invalid(field, "gte", field+" must not be negative", field+"不能为负数")
}
