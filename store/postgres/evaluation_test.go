package postgres_test

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gridgov/gridgov"
	"github.com/gridgov/gridgov/escalation"
	"github.com/gridgov/gridgov/evaluation"
	"github.com/gridgov/gridgov/governance"
	"github.com/gridgov/gridgov/store/memory"
)

// evalCycle returns an unsaved open cycle.
func evalCycle(id, compound string, year int, firms ...string) evaluation.Cycle {
	return evaluation.Cycle{ID: id, CompoundID: compound, CommunityID: "cm1", Year: year, State: evaluation.StateOpen,
		CommitteeID: "oc-" + compound, BranchID: "pb-" + compound, FirmIDs: firms, ReportDue: t0.AddDate(0, 11, 0),
		CreatedAt: t0, UpdatedAt: t0}
}

// evalEvent is an event of step.
func evalEvent(step evaluation.Step, from, to evaluation.State) evaluation.CycleEvent {
	return evaluation.CycleEvent{Step: step, From: from, To: to, Actor: "system:test", At: t0}
}

// Random creates and updates (firms added, removed and repeated, states, communities and
// committees changed, stale writes) go to the PostgreSQL store and to store/memory, the
// reference; then random queries over every combination of filters, paged with random
// limits, return the same cycles, versions and cursors page by page, and the firm index
// (eval_cycle_firms) holds exactly one row per firm of each stored cycle.
func TestEvaluationAgainstMemory(t *testing.T) {
	db := newDB(t)
	pg, ref := db.Evaluation(), memory.NewEvaluationStore()
	ctx := t.Context()
	rng := rand.New(rand.NewPCG(7, 2026))

	years := []int{-1, 2024, 2025, 2026}
	compounds := []string{"k0", "k1", "k2", "k:3", "k4", "小区5", "k6", "K7"}
	communities := []string{"cm1", "cm2", "cm3"}
	committees := []string{"oc1", "oc2", "oc3", "oc4"}
	firms := []string{"f1", "f2", "f3", "f4", "f5"}
	states := []evaluation.State{evaluation.StateOpen, evaluation.StateReported, evaluation.StateEvaluating,
		evaluation.StatePublished, evaluation.StateClosed}
	pick := func(xs []string) string { return xs[rng.IntN(len(xs))] }
	someFirms := func() []string {
		switch rng.IntN(6) {
		case 0:
			return nil
		case 1:
			return []string{}
		}
		var out []string
		for range rng.IntN(4) + 1 {
			out = append(out, pick(firms)) // repeats allowed
		}
		return out
	}
	both := func(name string, pgErr, refErr error) {
		t.Helper()
		if refErr == nil {
			require.NoError(t, pgErr, name)
			return
		}
		for _, sentinel := range []error{gridgov.ErrNotFound, gridgov.ErrConflict, gridgov.ErrAlreadyExists, gridgov.ErrInvalid} {
			if errors.Is(refErr, sentinel) {
				require.ErrorIs(t, pgErr, sentinel, "%s: memory says %v, postgres %v", name, refErr, pgErr)
			}
		}
	}

	var ids []string
	for i := range 40 {
		c := evalCycle(fmt.Sprintf("y%02d", i), pick(compounds), years[rng.IntN(len(years))], someFirms()...)
		c.CommunityID, c.CommitteeID = pick(communities), pick(committees)
		ev := evalEvent(evaluation.StepOpen, "", evaluation.StateOpen)
		_, refErr := ref.CreateCycle(ctx, c, ev)
		_, pgErr := pg.CreateCycle(ctx, c, ev)
		both("create "+c.ID, pgErr, refErr)
		if refErr == nil {
			ids = append(ids, c.ID)
		}
	}
	require.Greater(t, len(ids), 20)
	for i := range 150 {
		c, err := ref.GetCycle(ctx, ids[rng.IntN(len(ids))])
		require.NoError(t, err)
		from := c.State
		switch rng.IntN(5) {
		case 0:
			c.FirmIDs = someFirms()
		case 1:
			c.State = states[rng.IntN(len(states))]
		case 2:
			c.CommunityID = pick(communities)
		case 3:
			c.CommitteeID = pick(committees)
		case 4:
			c.Version-- // stale
		}
		if rng.IntN(10) == 0 {
			c.Year++ // immutable
		}
		ev := evalEvent(evaluation.StepFileReport, from, c.State)
		ev.Note = fmt.Sprintf("update %d", i)
		_, refErr := ref.UpdateCycle(ctx, c, ev)
		_, pgErr := pg.UpdateCycle(ctx, c, ev)
		both(fmt.Sprintf("update %d of %s", i, c.ID), pgErr, refErr)
	}

	// The firm index holds the stored cycles' firms, once each.
	all, _, err := ref.ListCycles(ctx, evaluation.CycleQuery{})
	require.NoError(t, err)
	var want []string
	for _, c := range all {
		for _, f := range c.FirmIDs {
			want = append(want, fmt.Sprintf("%s|%d|%s", f, c.Year, c.CompoundID))
		}
	}
	slices.Sort(want)
	want = slices.Compact(want)
	rows, err := db.Pool().Query(ctx, "SELECT firm_id || '|' || year || '|' || compound_id FROM eval_cycle_firms ORDER BY 1")
	require.NoError(t, err)
	var got []string
	for rows.Next() {
		var s string
		require.NoError(t, rows.Scan(&s))
		got = append(got, s)
	}
	require.NoError(t, rows.Err())
	slices.Sort(got) // byte-wise, like want
	require.Equal(t, want, got)

	// Every history matches.
	for _, id := range ids {
		h1, err := ref.History(ctx, id)
		require.NoError(t, err)
		h2, err := pg.History(ctx, id)
		require.NoError(t, err)
		require.Len(t, h2, len(h1), id)
		for i := range h1 {
			assert.Equal(t, h1[i].Version, h2[i].Version)
			assert.Equal(t, h1[i].Note, h2[i].Note)
			assert.Equal(t, h1[i].To, h2[i].To)
			assert.True(t, h1[i].At.Equal(h2[i].At))
		}
	}

	// Queries, page by page.
	for i := range 300 {
		var q evaluation.CycleQuery
		if rng.IntN(5) < 2 {
			q.Year = years[rng.IntN(len(years))]
		}
		if rng.IntN(5) == 0 {
			q.CompoundID = pick(compounds)
		}
		if rng.IntN(4) == 0 {
			q.CommunityID = pick(communities)
		}
		if rng.IntN(5) == 0 {
			q.CommitteeID = pick(committees)
		}
		if rng.IntN(5) < 2 {
			q.FirmID = pick(firms)
		}
		if rng.IntN(3) == 0 {
			for _, st := range states {
				if rng.IntN(2) == 0 {
					q.States = append(q.States, st)
				}
			}
		}
		q.Limit = []int{0, 1, 2, 3, 5, 10}[rng.IntN(6)]
		for page := 0; ; page++ {
			require.Less(t, page, 100)
			want, wantNext, err := ref.ListCycles(ctx, q)
			require.NoError(t, err)
			got, gotNext, err := pg.ListCycles(ctx, q)
			require.NoError(t, err, "query %d %+v", i, q)
			require.Equal(t, summary(want), summary(got), "query %d %+v", i, q)
			require.Equal(t, wantNext, gotNext, "query %d %+v", i, q)
			if gotNext == "" {
				break
			}
			q.After = gotNext
		}
	}
	// A cursor from another year skips or keeps the whole year, as memory does.
	for _, after := range []string{"2023:zz", "2025:k1", "2027:a", "-1:", "2026:" + strings.Repeat("z", 3)} {
		for _, year := range years {
			q := evaluation.CycleQuery{Year: year, After: after}
			want, _, err := ref.ListCycles(ctx, q)
			require.NoError(t, err)
			got, _, err := pg.ListCycles(ctx, q)
			require.NoError(t, err)
			require.Equal(t, summary(want), summary(got), "%+v", q)
		}
	}
}

// summary lists each cycle's ID, version, year, compound and sorted firms.
func summary(cs []evaluation.Cycle) []string {
	out := make([]string, len(cs))
	for i, c := range cs {
		out[i] = fmt.Sprintf("%s v%d %d/%s %s %s %s %v", c.ID, c.Version, c.Year, c.CompoundID, c.CommunityID,
			c.CommitteeID, c.State, c.FirmIDs)
	}
	return out
}

// Values PostgreSQL cannot store are gridgov.ErrInvalid naming each field, in the cycle, its
// event and a query; nothing is stored.
func TestEvaluationUnstorable(t *testing.T) {
	st := newDB(t).Evaluation()
	ctx := t.Context()
	c := evalCycle("y1", "k1", 2026, "f1")
	c.Report = &evaluation.AnnualReport{Duties: "nul\x00"}
	c.Firms = []evaluation.FirmEvaluation{{FirmID: "f1", Evaluation: evaluation.Evaluation{Opinion: "\xff"}}}
	c.ReportDue = time.Date(300000, 1, 1, 0, 0, 0, 0, time.UTC)
	ev := evalEvent(evaluation.StepOpen, "", evaluation.StateOpen)
	ev.Note = "\x00"
	_, err := st.CreateCycle(ctx, c, ev)
	require.ErrorIs(t, err, gridgov.ErrInvalid)
	var verr *gridgov.ValidationError
	require.ErrorAs(t, err, &verr)
	assert.ElementsMatch(t, []string{"Report.Duties", "Firms[0].Evaluation.Opinion", "ReportDue", "Event.Note"}, verr.FieldNames())
	_, err = st.GetCycle(ctx, "y1")
	require.ErrorIs(t, err, gridgov.ErrNotFound)

	good, err := st.CreateCycle(ctx, evalCycle("y1", "k1", 2026, "f1"), evalEvent(evaluation.StepOpen, "", evaluation.StateOpen))
	require.NoError(t, err)
	bad := good.Clone()
	bad.FirmIDs = []string{"f\x00"}
	_, err = st.UpdateCycle(ctx, bad, evalEvent(evaluation.StepFileReport, evaluation.StateOpen, evaluation.StateReported))
	require.ErrorIs(t, err, gridgov.ErrInvalid)
	require.ErrorAs(t, err, &verr)
	assert.Equal(t, []string{"FirmIDs[0]"}, verr.FieldNames())
	again, err := st.GetCycle(ctx, "y1")
	require.NoError(t, err)
	assert.Equal(t, int64(1), again.Version)

	_, _, err = st.ListCycles(ctx, evaluation.CycleQuery{FirmID: "\xfe"})
	require.ErrorIs(t, err, gridgov.ErrInvalid)
	for _, cursor := range []string{"2026", "x:k1", "2026:\x00", ":k1"} {
		_, _, err = st.ListCycles(ctx, evaluation.CycleQuery{After: cursor})
		require.ErrorIs(t, err, gridgov.ErrInvalid, "%q", cursor)
	}
	// Look-ups of names that cannot be stored find nothing.
	_, err = st.GetCycle(ctx, "\x00")
	require.ErrorIs(t, err, gridgov.ErrNotFound)
	_, err = st.FindCycle(ctx, "\xff", 2026)
	require.ErrorIs(t, err, gridgov.ErrNotFound)
	_, err = st.History(ctx, "\x00")
	require.ErrorIs(t, err, gridgov.ErrNotFound)
}

// Decimals keep their exponent through the store: 1234.50 comes back as 1234.50, not 1234.5.
func TestEvaluationDecimalsExact(t *testing.T) {
	st := newDB(t).Evaluation()
	c := evalCycle("y1", "k1", 2026)
	c.Report = &evaluation.AnnualReport{MoneyHandled: money("1234.50"), MoneyDisclosed: decimal.New(7, 30)}
	c.Firms = []evaluation.FirmEvaluation{{FirmID: "f1", Quarterly: []decimal.Decimal{money("90.00"), money("-0.0001"), {}}}}
	_, err := st.CreateCycle(t.Context(), c, evalEvent(evaluation.StepOpen, "", evaluation.StateOpen))
	require.NoError(t, err)
	got, err := st.GetCycle(t.Context(), "y1")
	require.NoError(t, err)
	assert.Equal(t, int32(-2), got.Report.MoneyHandled.Exponent())
	assert.True(t, decimal.New(7, 30).Equal(got.Report.MoneyDisclosed))
	assert.Equal(t, int32(-2), got.Firms[0].Quarterly[0].Exponent())
	assert.True(t, money("-0.0001").Equal(got.Firms[0].Quarterly[1]))
	assert.True(t, got.Firms[0].Quarterly[2].IsZero())
}

// evaluatorYear runs a whole year through evaluation.Evaluator on the given stores (two
// compounds served by one firm: open, report, evaluate the committee, publish, evaluate
// the firm, send, close; one report recorded missing) and returns what it reads back.
func evaluatorYear(t *testing.T, govStore governance.Store, evalStore evaluation.Store) []string {
	t.Helper()
	ctx := t.Context()
	sys := gridgov.SystemActor("setup")
	clock := gridgov.NewFakeClock(time.Date(2026, 12, 1, 9, 0, 0, 123456789, evaluation.ChinaStandardTime))
	reg, err := governance.NewRegistry(govStore, governance.WithClock(clock), governance.WithIDs(gridgov.NewSequence("g")))
	require.NoError(t, err)
	for _, n := range []governance.NodeInput{{ID: "st", Level: "street", Name: "相山街道"},
		{ID: "c1", ParentID: "st", Level: "community", Name: "清泰社区"},
		{ID: "k1", ParentID: "c1", Level: "compound", Name: "幸福里小区"},
		{ID: "k2", ParentID: "c1", Level: "compound", Name: "和平里小区"}} {
		_, err := reg.AddNode(ctx, sys, n)
		require.NoError(t, err)
	}
	for _, o := range []governance.OrganisationInput{
		{ID: "housing", NodeID: "st", Kind: governance.OrgDistrictDepartment, Name: "区住建局"},
		{ID: "c1-pc", NodeID: "c1", Kind: governance.OrgPartyCommittee, Name: "社区党委"},
		{ID: "k1-pb", NodeID: "k1", Kind: governance.OrgPartyBranch, Name: "小区党支部"},
		{ID: "k1-oc", NodeID: "k1", Kind: governance.OrgOwnersCommittee, Name: "业委会"},
		{ID: "k2-pb", NodeID: "k2", Kind: governance.OrgPartyBranch, Name: "小区党支部"},
		{ID: "k2-oc", NodeID: "k2", Kind: governance.OrgOwnersCommittee, Name: "业委会"},
		{ID: "firm", NodeID: "st", Kind: governance.OrgPropertyFirm, Name: "红色物业", Serves: []string{"k1", "k2"}},
	} {
		_, err := reg.AddOrganisation(ctx, sys, o)
		require.NoError(t, err)
	}
	for _, p := range [][3]string{{"wang", "c1-pc", "secretary"}, {"zhao", "k1-pb", "secretary"}, {"chen", "k1-oc", "chair"}} {
		_, err := reg.AddPerson(ctx, sys, governance.PersonInput{ID: p[0], Name: p[0]})
		require.NoError(t, err)
		_, err = reg.Appoint(ctx, sys, governance.AppointInput{PersonID: p[0], OrgID: p[1], Role: governance.Role(p[2])})
		require.NoError(t, err)
	}
	ev, err := evaluation.NewEvaluator(evalStore, reg, evaluation.WithIDs(gridgov.NewSequence("cy")))
	require.NoError(t, err)
	community, branch, chair := gridgov.PersonActor("wang"), gridgov.PersonActor("zhao"), gridgov.PersonActor("chen")
	at := func(c evaluation.Cycle) evaluation.Target {
		return evaluation.Target{CycleID: c.ID, Version: c.Version}
	}
	full := func(s evaluation.Scheme, points string) []evaluation.Sheet {
		var out []evaluation.Sheet
		for _, e := range s.Evaluators {
			sh := evaluation.Sheet{Evaluator: e.Key}
			for _, cat := range s.Categories {
				for _, ind := range cat.Indicators {
					if ind.Source == evaluation.SourceSheets && ind.Required {
						sh.Marks = append(sh.Marks, evaluation.Mark{Indicator: ind.Key, Points: money(points)})
					}
				}
			}
			out = append(out, sh)
		}
		return out
	}
	must := func(c evaluation.Cycle, err error) evaluation.Cycle {
		t.Helper()
		require.NoError(t, err)
		return c
	}
	c := must(ev.Open(ctx, community, evaluation.OpenInput{CompoundID: "k1", Year: 2026, ReportDue: clock.Now().AddDate(0, 0, 14)}))
	clock.Advance(time.Hour)
	c = must(ev.FileReport(ctx, chair, evaluation.ReportInput{Target: at(c), Duties: "召开业主大会 2 次，监督物业服务",
		MoneyHandled: money("86000.50"), MoneyDisclosed: money("86000.50"), Matters: 12, Settled: 11}))
	c = must(ev.EvaluateCommittee(ctx, community, evaluation.CommitteeInput{Target: at(c),
		Sheets: full(ev.CommitteeScheme(), "8.5"), Opinion: "履职到位"}))
	c = must(ev.Publish(ctx, community, evaluation.PublishInput{Target: at(c), Channel: "小区公告栏"}))
	complaints := escalation.Report{Total: 40,
		Resolution: escalation.Rate{Numerator: decimal.NewFromInt(38), Denominator: decimal.NewFromInt(40)},
		OnTime:     escalation.Rate{Numerator: decimal.NewFromInt(36), Denominator: decimal.NewFromInt(38)},
		Rework:     escalation.Rate{Numerator: decimal.NewFromInt(1), Denominator: decimal.NewFromInt(38)},
		Composite:  money("0.95")}
	c = must(ev.EvaluateFirm(ctx, branch, evaluation.FirmInput{Target: at(c), FirmID: "firm", Sheets: full(ev.FirmScheme(), "7.5"),
		Survey: &evaluation.Survey{Satisfied: 180, Basic: 15, Dissatisfied: 5}, Complaints: &complaints,
		Quarterly: []decimal.Decimal{money("88.5"), money("90"), money("86.25"), money("92")}, Opinion: "服务规范，响应及时"}))
	c = must(ev.Send(ctx, branch, evaluation.SendInput{Target: at(c), FirmID: "firm", AuthorityID: "housing"}))
	c = must(ev.Close(ctx, community, evaluation.StepInput{Target: at(c)}))
	k2 := must(ev.Open(ctx, community, evaluation.OpenInput{CompoundID: "k2", Year: 2026, ReportDue: clock.Now()}))
	clock.Advance(time.Minute)
	must(ev.RecordMissingReport(ctx, community, evaluation.StepInput{Target: at(k2), Note: "逾期未述职"}))
	// A stale command is refused.
	_, err = ev.Publish(ctx, community, evaluation.PublishInput{Target: evaluation.Target{CycleID: c.ID, Version: 1}, Channel: "x"})
	require.Error(t, err)

	var out []string
	got := must(ev.CycleOf(ctx, "k1", 2026))
	f, ok := got.Firm("firm")
	require.True(t, ok)
	out = append(out, string(got.State), got.Committee.Card.Explain(), f.Card.Explain(), f.SentTo,
		got.Report.MoneyHandled.String(), fmt.Sprint(got.Report.MoneyHandled.Exponent()), got.Publication.Channel,
		got.ReportDue.UTC().String(), got.UpdatedAt.UTC().String())
	for _, q := range f.Quarterly {
		out = append(out, q.String()+"e"+fmt.Sprint(q.Exponent()))
	}
	for _, id := range []string{c.ID, k2.ID} {
		h, err := ev.History(ctx, id)
		require.NoError(t, err)
		for _, e := range h {
			out = append(out, fmt.Sprintf("%s v%d %s %s→%s %s %s %s %s", e.CycleID, e.Version, e.Step, e.From, e.To,
				e.Actor, e.At.UTC(), e.Subject, e.Note))
		}
	}
	standings, err := ev.Assess(ctx, 2026)
	require.NoError(t, err)
	for _, s := range standings {
		out = append(out, fmt.Sprintf("%s %s %s %s/%s", s.SubjectID, s.Score.StringFixed(2), s.Grade,
			s.Satisfaction.Numerator, s.Satisfaction.Denominator))
	}
	hist, err := ev.CommitteeHistory(ctx, "k1-oc")
	require.NoError(t, err)
	for _, y := range hist {
		out = append(out, fmt.Sprintf("%d %s %v %v %s", y.Year, y.CycleID, y.Reported, y.Evaluated, y.Score))
	}
	cycles, err := ev.Cycles(ctx, evaluation.CycleQuery{FirmID: "firm", Year: 2026})
	require.NoError(t, err)
	for _, cy := range cycles {
		out = append(out, cy.ID+" "+string(cy.State))
	}
	return out
}

// A whole year through evaluation.Evaluator reads back the same from PostgreSQL as from
// store/memory: scorecards (every line, exact decimals), publication, firm evaluation,
// histories, the authority's assessment and a committee's history.
func TestEvaluatorOnPostgres(t *testing.T) {
	db := newDB(t)
	want := evaluatorYear(t, memory.NewGovernanceStore(), memory.NewEvaluationStore())
	got := evaluatorYear(t, db.Governance(), db.Evaluation())
	require.Equal(t, want, got)
	require.Contains(t, got, "closed")
}
