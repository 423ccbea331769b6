package storetest

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"strconv"
	"sync"
	"testing"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"

	"github.com/gridgov/gridgov"
	"github.com/gridgov/gridgov/evaluation"
)

// evaluationTests lists the contract tests of evaluation.Store, one subtest each.
var evaluationTests = []struct {
	name string
	run  func(f evalFx)
}{
	{"CycleCreateGet", testEvalCreateGet},
	{"CycleEveryField", testEvalEveryField},
	{"CycleCreateInvalid", testEvalCreateInvalid},
	{"CycleCreateDuplicate", testEvalCreateDuplicate},
	{"CycleNotFound", testEvalNotFound},
	{"CycleUpdate", testEvalUpdate},
	{"CycleUpdateStale", testEvalUpdateStale},
	{"CycleUpdateImmutable", testEvalUpdateImmutable},
	{"CycleCopies", testEvalCopies},
	{"ListFilters", testEvalListFilters},
	{"ListPaging", testEvalListPaging},
	{"ConcurrentSameVersion", testEvalConcurrentSameVersion},
	{"ConcurrentCreateSameCompoundYear", testEvalConcurrentCreate},
	{"CancelledContext", testEvalCancelled},
}

func runEvaluation(t *testing.T, newStores Harness) {
	for _, tc := range evaluationTests {
		t.Run(tc.name, func(t *testing.T) {
			st := newStores(t).Evaluation
			if st == nil {
				t.Skip("storetest: the harness provides no evaluation store")
			}
			tc.run(evalFx{t: t, st: st, ctx: t.Context()})
		})
	}
}

// evalFx is one evaluation subtest's fixture.
type evalFx struct {
	t   *testing.T
	st  evaluation.Store
	ctx context.Context
}

// evalCycle returns an unsaved open cycle.
func evalCycle(id, compound string, year int) evaluation.Cycle {
	return evaluation.Cycle{ID: id, CompoundID: compound, CommunityID: "c-" + compound[:1], Year: year,
		State: evaluation.StateOpen, CommitteeID: "oc-" + compound, BranchID: "pb-" + compound,
		CommunityPartyID: "pc", FirmIDs: []string{"firm-a", "firm-b"}, ReportDue: t0.AddDate(0, 11, 0),
		CreatedAt: t0, UpdatedAt: t0}
}

func evalEvent(step evaluation.Step, from, to evaluation.State) evaluation.CycleEvent {
	return evaluation.CycleEvent{Step: step, From: from, To: to, Actor: "system:test", At: t0}
}

func (f evalFx) create(c evaluation.Cycle) evaluation.Cycle {
	f.t.Helper()
	got, err := f.st.CreateCycle(f.ctx, c, evalEvent(evaluation.StepOpen, "", evaluation.StateOpen))
	require.NoError(f.t, err)
	return got
}

func (f evalFx) get(id string) evaluation.Cycle {
	f.t.Helper()
	got, err := f.st.GetCycle(f.ctx, id)
	require.NoError(f.t, err)
	return got
}

func (f evalFx) update(id string, change func(c *evaluation.Cycle)) evaluation.Cycle {
	f.t.Helper()
	c := f.get(id)
	from := c.State
	change(&c)
	got, err := f.st.UpdateCycle(f.ctx, c, evalEvent(evaluation.StepFileReport, from, c.State))
	require.NoError(f.t, err)
	return got
}

// evalNorm normalises a cycle for comparison (times as UTC instants, decimals in one
// form, empty slices as nil).
func evalNorm(c evaluation.Cycle) evaluation.Cycle {
	return normalised(c)
}

func (f evalFx) requireCycle(want, got evaluation.Cycle, msgAndArgs ...any) {
	f.t.Helper()
	require.Equal(f.t, evalNorm(want), evalNorm(got), msgAndArgs...)
}

func (f evalFx) list(q evaluation.CycleQuery) []string {
	f.t.Helper()
	cs, next, err := f.st.ListCycles(f.ctx, q)
	require.NoError(f.t, err)
	require.Empty(f.t, next)
	ids := make([]string, len(cs))
	for i, c := range cs {
		ids[i] = c.ID
	}
	return ids
}

// A created cycle reads back as given, at version 1, by ID and by compound and year, with
// one event.
func testEvalCreateGet(f evalFx) {
	c := evalCycle("y1", "k1", 2026)
	got := f.create(c)
	c.Version = 1
	f.requireCycle(c, got)
	f.requireCycle(c, f.get("y1"))
	found, err := f.st.FindCycle(f.ctx, "k1", 2026)
	require.NoError(f.t, err)
	f.requireCycle(c, found)
	h, err := f.st.History(f.ctx, "y1")
	require.NoError(f.t, err)
	require.Len(f.t, h, 1)
	require.Equal(f.t, "y1", h[0].CycleID)
	require.EqualValues(f.t, 1, h[0].Version)
	require.Equal(f.t, evaluation.StepOpen, h[0].Step)
}

// Every field of a cycle, found by reflection and set to a non-zero value (reports,
// scorecards with decimals, publications, firm evaluations), survives a create and an
// update.
func testEvalEveryField(f evalFx) {
	var c evaluation.Cycle
	n := 0
	fillValue(reflect.ValueOf(&c).Elem(), &n)
	c.ID, c.CompoundID, c.Year, c.Version = "full", "k-full", 2026, 0
	got := f.create(c)
	c.Version = 1
	f.requireCycle(c, got)
	f.requireCycle(c, f.get("full"))

	var d evaluation.Cycle
	m := 5000
	fillValue(reflect.ValueOf(&d).Elem(), &m)
	d.ID, d.CompoundID, d.Year, d.Version = "full", "k-full", 2026, 1
	got, err := f.st.UpdateCycle(f.ctx, d, evalEvent(evaluation.StepPublish, evaluation.StateEvaluating, evaluation.StatePublished))
	require.NoError(f.t, err)
	d.Version = 2
	f.requireCycle(d, got)
	f.requireCycle(d, f.get("full"))
}

// An empty ID or compound, or a zero year, is ErrInvalid and stores nothing.
func testEvalCreateInvalid(f evalFx) {
	for _, c := range []evaluation.Cycle{evalCycle("", "k1", 2026), evalCycle("y1", "k1", 0), {ID: "y2", Year: 2026}} {
		_, err := f.st.CreateCycle(f.ctx, c, evalEvent(evaluation.StepOpen, "", evaluation.StateOpen))
		require.ErrorIs(f.t, err, gridgov.ErrInvalid, "%+v", c)
	}
	require.Empty(f.t, f.list(evaluation.CycleQuery{}))
}

// An existing ID, or an existing cycle for the compound and year, is ErrAlreadyExists; the
// first cycle stays as it was.
func testEvalCreateDuplicate(f evalFx) {
	first := f.create(evalCycle("y1", "k1", 2026))
	other := evalCycle("y1", "k2", 2026)
	_, err := f.st.CreateCycle(f.ctx, other, evalEvent(evaluation.StepOpen, "", evaluation.StateOpen))
	require.ErrorIs(f.t, err, gridgov.ErrAlreadyExists)
	same := evalCycle("y9", "k1", 2026)
	_, err = f.st.CreateCycle(f.ctx, same, evalEvent(evaluation.StepOpen, "", evaluation.StateOpen))
	require.ErrorIs(f.t, err, gridgov.ErrAlreadyExists)
	f.requireCycle(first, f.get("y1"))
	require.Equal(f.t, []string{"y1"}, f.list(evaluation.CycleQuery{}))
	// The same compound in another year is another cycle.
	f.create(evalCycle("y0", "k1", 2025))
}

// Missing cycles are ErrNotFound everywhere.
func testEvalNotFound(f evalFx) {
	_, err := f.st.GetCycle(f.ctx, "nope")
	require.ErrorIs(f.t, err, gridgov.ErrNotFound)
	_, err = f.st.FindCycle(f.ctx, "k1", 2026)
	require.ErrorIs(f.t, err, gridgov.ErrNotFound)
	_, err = f.st.History(f.ctx, "nope")
	require.ErrorIs(f.t, err, gridgov.ErrNotFound)
	c := evalCycle("nope", "k1", 2026)
	c.Version = 1
	_, err = f.st.UpdateCycle(f.ctx, c, evalEvent(evaluation.StepFileReport, evaluation.StateOpen, evaluation.StateReported))
	require.ErrorIs(f.t, err, gridgov.ErrNotFound)
}

// An update stores the new cycle at the next version and appends its event with the
// cycle's ID and new version; history length equals the accepted writes.
func testEvalUpdate(f evalFx) {
	f.create(evalCycle("y1", "k1", 2026))
	for i := 2; i <= 5; i++ {
		got := f.update("y1", func(c *evaluation.Cycle) {
			c.State = evaluation.StateReported
			c.Report = &evaluation.AnnualReport{FiledBy: "p" + strconv.Itoa(i), FiledAt: t0, MoneyHandled: cny("1234.56"), Matters: i}
		})
		require.EqualValues(f.t, i, got.Version)
		require.Equal(f.t, i, f.get("y1").Report.Matters)
		require.True(f.t, cny("1234.56").Equal(f.get("y1").Report.MoneyHandled))
	}
	h, err := f.st.History(f.ctx, "y1")
	require.NoError(f.t, err)
	require.Len(f.t, h, 5)
	for i, ev := range h {
		require.EqualValues(f.t, i+1, ev.Version)
		require.Equal(f.t, "y1", ev.CycleID)
	}
}

// A stale version is ErrConflict and changes nothing.
func testEvalUpdateStale(f evalFx) {
	f.create(evalCycle("y1", "k1", 2026))
	f.update("y1", func(c *evaluation.Cycle) { c.State = evaluation.StateReported })
	stale := f.get("y1")
	stale.Version = 1
	stale.State = evaluation.StateClosed
	_, err := f.st.UpdateCycle(f.ctx, stale, evalEvent(evaluation.StepClose, evaluation.StatePublished, evaluation.StateClosed))
	require.ErrorIs(f.t, err, gridgov.ErrConflict)
	require.Equal(f.t, evaluation.StateReported, f.get("y1").State)
	h, err := f.st.History(f.ctx, "y1")
	require.NoError(f.t, err)
	require.Len(f.t, h, 2)
}

// The compound and year of a cycle never change (ErrInvalid, nothing changes).
func testEvalUpdateImmutable(f evalFx) {
	before := f.create(evalCycle("y1", "k1", 2026))
	for _, change := range []func(c *evaluation.Cycle){
		func(c *evaluation.Cycle) { c.CompoundID = "k2" },
		func(c *evaluation.Cycle) { c.Year = 2027 },
	} {
		c := f.get("y1")
		change(&c)
		_, err := f.st.UpdateCycle(f.ctx, c, evalEvent(evaluation.StepFileReport, evaluation.StateOpen, evaluation.StateOpen))
		require.ErrorIs(f.t, err, gridgov.ErrInvalid)
	}
	f.requireCycle(before, f.get("y1"))
}

// Results and arguments do not alias what the store holds.
func testEvalCopies(f evalFx) {
	c := evalCycle("y1", "k1", 2026)
	c.Firms = []evaluation.FirmEvaluation{{FirmID: "firm-a", Quarterly: []decimal.Decimal{cny("90")},
		Evaluation: evaluation.Evaluation{Card: evaluation.Scorecard{Lines: []evaluation.Line{{Indicator: "cleaning", Points: cny("8")}}}}}}
	got := f.create(c)
	c.FirmIDs[0] = "changed"
	c.Firms[0].Card.Lines[0].Indicator = "changed"
	got.FirmIDs[1] = "changed"
	got.Firms[0].Quarterly[0] = cny("1")
	again := f.get("y1")
	require.Equal(f.t, []string{"firm-a", "firm-b"}, again.FirmIDs)
	require.Equal(f.t, "cleaning", again.Firms[0].Card.Lines[0].Indicator)
	require.True(f.t, cny("90").Equal(again.Firms[0].Quarterly[0]))
	again.Firms[0].Card.Lines[0].Indicator = "changed"
	require.Equal(f.t, "cleaning", f.get("y1").Firms[0].Card.Lines[0].Indicator)
}

// Every filter keeps what it says, in (Year, CompoundID) order.
func testEvalListFilters(f evalFx) {
	mk := func(id, compound string, year int, state evaluation.State, firms ...string) {
		c := evalCycle(id, compound, year)
		c.State, c.FirmIDs = state, firms
		f.create(c)
	}
	mk("a", "k2", 2026, evaluation.StateOpen, "f1")
	mk("b", "k1", 2026, evaluation.StateOpen, "f1", "f2")
	mk("c", "m1", 2026, evaluation.StateOpen)
	mk("d", "k1", 2025, evaluation.StateOpen, "f2")
	f.update("a", func(c *evaluation.Cycle) { c.State = evaluation.StateReported })
	require.Equal(f.t, []string{"d", "b", "a", "c"}, f.list(evaluation.CycleQuery{}))
	require.Equal(f.t, []string{"b", "a", "c"}, f.list(evaluation.CycleQuery{Year: 2026}))
	require.Equal(f.t, []string{"d", "b"}, f.list(evaluation.CycleQuery{CompoundID: "k1"}))
	require.Equal(f.t, []string{"c"}, f.list(evaluation.CycleQuery{CommunityID: "c-m"}))
	require.Equal(f.t, []string{"d", "b"}, f.list(evaluation.CycleQuery{CommitteeID: "oc-k1"}))
	require.Equal(f.t, []string{"b", "a"}, f.list(evaluation.CycleQuery{FirmID: "f1"}))
	require.Equal(f.t, []string{"d", "b"}, f.list(evaluation.CycleQuery{FirmID: "f2"}))
	require.Equal(f.t, []string{"a"}, f.list(evaluation.CycleQuery{States: []evaluation.State{evaluation.StateReported}}))
	require.Equal(f.t, []string{"b"}, f.list(evaluation.CycleQuery{Year: 2026, CompoundID: "k1", FirmID: "f2"}))
	require.Empty(f.t, f.list(evaluation.CycleQuery{Year: 2024}))
}

// Pages of any size cover every match once, in order; bad cursors and limits are
// ErrInvalid.
func testEvalListPaging(f evalFx) {
	var want []string
	for year := 2024; year <= 2026; year++ {
		for k := range 7 {
			id := fmt.Sprintf("y%d-%d", year, k)
			f.create(evalCycle(id, fmt.Sprintf("k%d", k), year))
			want = append(want, id)
		}
	}
	for _, limit := range []int{1, 2, 5, 7, 21, 50} {
		for _, q := range []evaluation.CycleQuery{{}, {Year: 2025}, {FirmID: "firm-a"}} {
			q.Limit = limit
			var got []string
			for pages := 0; ; pages++ {
				require.Less(f.t, pages, 100, "paging does not end")
				cs, next, err := f.st.ListCycles(f.ctx, q)
				require.NoError(f.t, err)
				require.LessOrEqual(f.t, len(cs), limit)
				for _, c := range cs {
					got = append(got, c.ID)
				}
				if next == "" {
					break
				}
				q.After = next
			}
			expect := want
			if q.Year == 2025 {
				expect = want[7:14]
			}
			require.Equal(f.t, expect, got, "limit %d query %+v", limit, q)
		}
	}
	_, _, err := f.st.ListCycles(f.ctx, evaluation.CycleQuery{Limit: -1})
	require.ErrorIs(f.t, err, gridgov.ErrInvalid)
	_, _, err = f.st.ListCycles(f.ctx, evaluation.CycleQuery{After: "not a cursor"})
	require.ErrorIs(f.t, err, gridgov.ErrInvalid)
}

// Writers holding the same version: exactly one wins, the rest get ErrConflict, and only
// the winner's write and event are stored.
func testEvalConcurrentSameVersion(f evalFx) {
	f.create(evalCycle("y1", "k1", 2026))
	for round := range 20 {
		c := f.get("y1")
		errs := make([]error, escWriters)
		var wg sync.WaitGroup
		start := make(chan struct{})
		for w := range escWriters {
			wg.Add(1)
			go func() {
				defer wg.Done()
				mine := c.Clone()
				mine.Report = &evaluation.AnnualReport{FiledBy: fmt.Sprintf("w%d", w), Matters: w}
				<-start
				_, errs[w] = f.st.UpdateCycle(f.ctx, mine, evalEvent(evaluation.StepFileReport, c.State, c.State))
			}()
		}
		close(start)
		wg.Wait()
		winner := requireOneWinner(f.t, errs, gridgov.ErrConflict, "round %d", round)
		got := f.get("y1")
		require.Equal(f.t, fmt.Sprintf("w%d", winner), got.Report.FiledBy)
		require.Equal(f.t, c.Version+1, got.Version)
	}
	h, err := f.st.History(f.ctx, "y1")
	require.NoError(f.t, err)
	require.Len(f.t, h, 21)
}

// Racing creates of one compound's cycle for one year: exactly one is stored.
func testEvalConcurrentCreate(f evalFx) {
	for round := range 10 {
		year := 2000 + round
		errs := make([]error, escWriters)
		var wg sync.WaitGroup
		start := make(chan struct{})
		for w := range escWriters {
			wg.Add(1)
			go func() {
				defer wg.Done()
				<-start
				_, errs[w] = f.st.CreateCycle(f.ctx, evalCycle(fmt.Sprintf("r%d-w%d", round, w), "k1", year),
					evalEvent(evaluation.StepOpen, "", evaluation.StateOpen))
			}()
		}
		close(start)
		wg.Wait()
		requireOneWinner(f.t, errs, gridgov.ErrAlreadyExists, "round %d", round)
		require.Len(f.t, f.list(evaluation.CycleQuery{Year: year}), 1)
	}
}

// A cancelled context returns its error and changes nothing.
func testEvalCancelled(f evalFx) {
	f.create(evalCycle("y1", "k1", 2026))
	ctx, cancel := context.WithCancel(f.ctx)
	cancel()
	check := func(err error) {
		f.t.Helper()
		require.True(f.t, errors.Is(err, context.Canceled), "want context.Canceled, got %v", err)
	}
	_, err := f.st.CreateCycle(ctx, evalCycle("y2", "k2", 2026), evalEvent(evaluation.StepOpen, "", evaluation.StateOpen))
	check(err)
	c := f.get("y1")
	c.State = evaluation.StateClosed
	_, err = f.st.UpdateCycle(ctx, c, evalEvent(evaluation.StepClose, evaluation.StateOpen, evaluation.StateClosed))
	check(err)
	_, err = f.st.GetCycle(ctx, "y1")
	check(err)
	_, err = f.st.FindCycle(ctx, "k1", 2026)
	check(err)
	_, err = f.st.History(ctx, "y1")
	check(err)
	_, _, err = f.st.ListCycles(ctx, evaluation.CycleQuery{})
	check(err)
	require.Equal(f.t, []string{"y1"}, f.list(evaluation.CycleQuery{}))
	require.Equal(f.t, evaluation.StateOpen, f.get("y1").State)
}
