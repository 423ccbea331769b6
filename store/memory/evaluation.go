package memory

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/gridgov/gridgov"
	"github.com/gridgov/gridgov/evaluation"
)

// EvaluationStore is the in-memory evaluation.Store: the yearly cycles of "one report, two
// evaluations" and their histories. It is safe for concurrent use; build one with
// [NewEvaluationStore].
//
// One read-write lock guards the store. Cycles are kept sorted by (Year, CompoundID), so a
// page of ListCycles costs O(log n) to find its start plus the cycles it visits; a year's
// cycles are found by binary search. Cycles are deep-copied in and out.
type EvaluationStore struct {
	mu      sync.RWMutex
	cycles  map[string]*cycleRec
	ordered []*cycleRec // by (Year, CompoundID)
}

type cycleRec struct {
	c       evaluation.Cycle
	history []evaluation.CycleEvent
}

var _ evaluation.Store = (*EvaluationStore)(nil)

// NewEvaluationStore returns an empty EvaluationStore.
func NewEvaluationStore() *EvaluationStore {
	return &EvaluationStore{cycles: map[string]*cycleRec{}}
}

func cycleOrder(year int, compound string, r *cycleRec) int {
	if c := cmp.Compare(r.c.Year, year); c != 0 {
		return c
	}
	return strings.Compare(r.c.CompoundID, compound)
}

func (s *EvaluationStore) find(year int, compound string) (int, bool) {
	return slices.BinarySearchFunc(s.ordered, compound, func(r *cycleRec, compound string) int {
		return cycleOrder(year, compound, r)
	})
}

// CreateCycle implements evaluation.Store.
func (s *EvaluationStore) CreateCycle(ctx context.Context, c evaluation.Cycle, ev evaluation.CycleEvent) (evaluation.Cycle, error) {
	var verr gridgov.ValidationError
	if c.ID == "" {
		verr.Add("ID", "required", "the cycle needs an ID", "周期必须有编号")
	}
	if c.CompoundID == "" {
		verr.Add("CompoundID", "required", "the cycle needs a compound", "周期必须指定小区")
	}
	if c.Year == 0 {
		verr.Add("Year", "required", "the cycle needs a year", "周期必须指定年度")
	}
	if err := verr.Err(); err != nil {
		return evaluation.Cycle{}, err
	}
	unlock, err := lockWrite(ctx, &s.mu)
	if err != nil {
		return evaluation.Cycle{}, err
	}
	defer unlock()
	if _, ok := s.cycles[c.ID]; ok {
		return evaluation.Cycle{}, gridgov.AlreadyExists("ID", c.ID)
	}
	i, found := s.find(c.Year, c.CompoundID)
	if found {
		return evaluation.Cycle{}, gridgov.AlreadyExists("CompoundID", fmt.Sprintf("%s/%d", c.CompoundID, c.Year))
	}
	c = c.Clone()
	c.Version = 1
	ev.CycleID, ev.Version = c.ID, 1
	r := &cycleRec{c: c, history: []evaluation.CycleEvent{ev}}
	s.cycles[c.ID] = r
	s.ordered = slices.Insert(s.ordered, i, r)
	return c.Clone(), nil
}

// GetCycle implements evaluation.Store.
func (s *EvaluationStore) GetCycle(ctx context.Context, id string) (evaluation.Cycle, error) {
	unlock, err := lockRead(ctx, &s.mu)
	if err != nil {
		return evaluation.Cycle{}, err
	}
	defer unlock()
	r, ok := s.cycles[id]
	if !ok {
		return evaluation.Cycle{}, cycleNotFound(id)
	}
	return r.c.Clone(), nil
}

func cycleNotFound(id string) error {
	return fmt.Errorf("%w: cycle %q (评议周期不存在)", gridgov.ErrNotFound, id)
}

// FindCycle implements evaluation.Store.
func (s *EvaluationStore) FindCycle(ctx context.Context, compoundID string, year int) (evaluation.Cycle, error) {
	unlock, err := lockRead(ctx, &s.mu)
	if err != nil {
		return evaluation.Cycle{}, err
	}
	defer unlock()
	i, ok := s.find(year, compoundID)
	if !ok {
		return evaluation.Cycle{}, cycleNotFound(fmt.Sprintf("%s/%d", compoundID, year))
	}
	return s.ordered[i].c.Clone(), nil
}

// UpdateCycle implements evaluation.Store.
func (s *EvaluationStore) UpdateCycle(ctx context.Context, c evaluation.Cycle, ev evaluation.CycleEvent) (evaluation.Cycle, error) {
	unlock, err := lockWrite(ctx, &s.mu)
	if err != nil {
		return evaluation.Cycle{}, err
	}
	defer unlock()
	r, ok := s.cycles[c.ID]
	if !ok {
		return evaluation.Cycle{}, cycleNotFound(c.ID)
	}
	if r.c.Version != c.Version {
		return evaluation.Cycle{}, fmt.Errorf("%w: cycle %q is at version %d, not %d (周期已被修改)", gridgov.ErrConflict, c.ID, r.c.Version, c.Version)
	}
	var verr gridgov.ValidationError
	if c.CompoundID != r.c.CompoundID {
		verr.Add("CompoundID", "immutable", "a cycle's compound never changes", "周期的小区不能更改")
	}
	if c.Year != r.c.Year {
		verr.Add("Year", "immutable", "a cycle's year never changes", "周期的年度不能更改")
	}
	if err := verr.Err(); err != nil {
		return evaluation.Cycle{}, err
	}
	c = c.Clone()
	c.Version++
	ev.CycleID, ev.Version = c.ID, c.Version
	r.c = c
	r.history = append(r.history, ev)
	return c.Clone(), nil
}

// History implements evaluation.Store.
func (s *EvaluationStore) History(ctx context.Context, cycleID string) ([]evaluation.CycleEvent, error) {
	unlock, err := lockRead(ctx, &s.mu)
	if err != nil {
		return nil, err
	}
	defer unlock()
	r, ok := s.cycles[cycleID]
	if !ok {
		return nil, cycleNotFound(cycleID)
	}
	return slices.Clone(r.history), nil
}

// ListCycles implements evaluation.Store. The cursor is "year:compound" of the last cycle
// returned.
func (s *EvaluationStore) ListCycles(ctx context.Context, q evaluation.CycleQuery) ([]evaluation.Cycle, string, error) {
	if q.Limit < 0 {
		return nil, "", gridgov.Invalid("Limit", "gte", "Limit must not be negative", "Limit 不能为负数")
	}
	afterYear, afterCompound, hasAfter := 0, "", q.After != ""
	if hasAfter {
		y, compound, ok := strings.Cut(q.After, ":")
		n, err := strconv.Atoi(y)
		if !ok || err != nil {
			return nil, "", gridgov.Invalid("After", "cursor", "the cursor was not issued by this store", "分页游标无效")
		}
		afterYear, afterCompound = n, compound
	}
	unlock, err := lockRead(ctx, &s.mu)
	if err != nil {
		return nil, "", err
	}
	defer unlock()
	start := 0
	if q.Year != 0 {
		start, _ = s.find(q.Year, "")
	}
	if hasAfter {
		i, found := s.find(afterYear, afterCompound)
		if found {
			i++
		}
		start = max(start, i)
	}
	var out []evaluation.Cycle
	for _, r := range s.ordered[start:] {
		c := &r.c
		if q.Year != 0 && c.Year != q.Year {
			break
		}
		if !cycleMatches(c, q) {
			continue
		}
		if q.Limit > 0 && len(out) == q.Limit {
			last := out[len(out)-1]
			return out, strconv.Itoa(last.Year) + ":" + last.CompoundID, nil
		}
		out = append(out, c.Clone())
	}
	return out, "", nil
}

func cycleMatches(c *evaluation.Cycle, q evaluation.CycleQuery) bool {
	return (q.CompoundID == "" || c.CompoundID == q.CompoundID) &&
		(q.CommunityID == "" || c.CommunityID == q.CommunityID) &&
		(q.CommitteeID == "" || c.CommitteeID == q.CommitteeID) &&
		(q.FirmID == "" || slices.Contains(c.FirmIDs, q.FirmID)) &&
		(len(q.States) == 0 || slices.Contains(q.States, c.State))
}
