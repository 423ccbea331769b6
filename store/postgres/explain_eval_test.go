package postgres_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gridgov/gridgov/evaluation"
	"github.com/gridgov/gridgov/store/postgres"
)

// loadEvalSQL fills the evaluation tables with enough rows that a sequential scan would
// show in a plan: 30,000 cycles (3,000 compounds in 60 communities over ten years, each
// served by two of 300 firms), their firm index rows and one event each.
const loadEvalSQL = `
INSERT INTO eval_cycles (id, version, year, compound_id, community_id, committee_id, state, firm_ids, doc)
SELECT 'y' || y || '-' || k, 1, y, 'k' || lpad(k::text, 5, '0'), 'cm' || (k % 60), 'oc' || k,
	CASE WHEN y < 2026 THEN 'closed' ELSE 'evaluating' END,
	ARRAY['f' || (k % 300), 'f' || ((k * 7 + 1) % 300)], '{}'
FROM generate_series(2017, 2026) y, generate_series(0, 2999) k;
INSERT INTO eval_cycle_firms (firm_id, year, compound_id)
SELECT DISTINCT unnest(firm_ids), year, compound_id FROM eval_cycles;
INSERT INTO eval_events (cycle_id, version, step, from_state, to_state, actor, subject, note)
SELECT id, 1, 'open', '', 'open', 'test', '', '' FROM eval_cycles;
ANALYZE;
`

// The evaluation queries use their indexes on a loaded database: EXPLAIN shows the index
// each filter has, no sequential scan of eval_cycles, and no sort under a page's LIMIT (a
// query without a limit may sort its answer). The plans are logged (go test -v
// -run TestExplainEvaluation) and quoted in the package documentation.
func TestExplainEvaluation(t *testing.T) {
	db := newDB(t)
	ctx := t.Context()
	_, err := db.Pool().Exec(ctx, loadEvalSQL)
	require.NoError(t, err)

	list := func(q evaluation.CycleQuery) (string, []any) {
		sql, args, err := postgres.ListCyclesSQL(q)
		require.NoError(t, err)
		require.NotEmpty(t, sql)
		return sql, args
	}
	for _, tc := range []struct {
		name  string
		q     *evaluation.CycleQuery // or sql and args
		sql   string
		args  []any
		index []string // every one must appear
		oneOf []string // one of these must appear
		noSeq []string // no sequential scan of these
	}{
		{name: "ListCycles (all, paged)", q: &evaluation.CycleQuery{After: "2020:k01000", Limit: 50},
			index: []string{"eval_cycles_year_compound"}},
		{name: "ListCycles Year", q: &evaluation.CycleQuery{Year: 2022, After: "2022:k02000", Limit: 50},
			index: []string{"eval_cycles_year_compound"}},
		{name: "ListCycles Year and States", q: &evaluation.CycleQuery{Year: 2026, Limit: 50,
			States: []evaluation.State{evaluation.StateEvaluating, evaluation.StatePublished}},
			index: []string{"eval_cycles_year_compound"}},
		{name: "ListCycles CompoundID", q: &evaluation.CycleQuery{CompoundID: "k00042", After: "2019:k00042", Limit: 5},
			index: []string{"eval_cycles_compound"}},
		{name: "ListCycles CommunityID", q: &evaluation.CycleQuery{CommunityID: "cm7", After: "2020:k01000", Limit: 50},
			index: []string{"eval_cycles_community"}},
		{name: "ListCycles CommunityID and Year (paged)", q: &evaluation.CycleQuery{CommunityID: "cm7", Year: 2024,
			After: "2024:k01000", Limit: 10}, index: []string{"eval_cycles_community"}},
		{name: "ListCycles CommunityID and Year (all)", q: &evaluation.CycleQuery{CommunityID: "cm7", Year: 2024},
			index: []string{"eval_cycles_community"}},
		{name: "ListCycles CommitteeID (paged)", q: &evaluation.CycleQuery{CommitteeID: "oc42", Limit: 5},
			index: []string{"eval_cycles_committee"}},
		{name: "ListCycles FirmID (paged)", q: &evaluation.CycleQuery{FirmID: "f17", After: "2020:k01000", Limit: 20},
			index: []string{"eval_cycle_firms_pkey"}, oneOf: []string{"eval_cycles_compound", "eval_cycles_year_compound"},
			noSeq: []string{"eval_cycle_firms"}},
		{name: "ListCycles FirmID and Year (paged)", q: &evaluation.CycleQuery{FirmID: "f17", Year: 2024, Limit: 5},
			index: []string{"eval_cycle_firms_pkey"}, oneOf: []string{"eval_cycles_compound", "eval_cycles_year_compound"},
			noSeq: []string{"eval_cycle_firms"}},
		{name: "ListCycles FirmID and Year (all)", q: &evaluation.CycleQuery{FirmID: "f17", Year: 2024},
			index: []string{"eval_cycle_firms_pkey"}, oneOf: []string{"eval_cycles_compound", "eval_cycles_year_compound"},
			noSeq: []string{"eval_cycle_firms"}},
		{name: "FindCycle", sql: "SELECT " + postgres.CycleCols + " FROM eval_cycles c WHERE c.year = $1 AND c.compound_id = $2",
			args: []any{int64(2024), "k00042"}, oneOf: []string{"eval_cycles_compound", "eval_cycles_year_compound"}},
		{name: "History", sql: "SELECT " + postgres.CycleEventCols + " FROM eval_events WHERE cycle_id = $1 ORDER BY version",
			args: []any{"y2024-42"}, index: []string{"eval_events_pkey"}, noSeq: []string{"eval_events"}},
	} {
		sql, args := tc.sql, tc.args
		if tc.q != nil {
			sql, args = list(*tc.q)
		}
		rows, err := db.Pool().Query(ctx, "EXPLAIN (COSTS OFF) "+sql, args...)
		require.NoError(t, err, tc.name)
		var lines []string
		for rows.Next() {
			var line string
			require.NoError(t, rows.Scan(&line))
			lines = append(lines, line)
		}
		require.NoError(t, rows.Err())
		plan := strings.Join(lines, "\n")
		t.Logf("%s:\n%s", tc.name, plan)
		for _, idx := range tc.index {
			assert.Contains(t, plan, idx, "%s uses %s", tc.name, idx)
		}
		if len(tc.oneOf) > 0 {
			assert.True(t, slices.ContainsFunc(tc.oneOf, func(idx string) bool { return strings.Contains(plan, idx) }),
				"%s uses one of %v", tc.name, tc.oneOf)
		}
		for _, table := range append(tc.noSeq, "eval_cycles") {
			assert.NotContains(t, plan, "Seq Scan on "+table+" ", "%s scans %s", tc.name, table)
			assert.False(t, strings.HasSuffix(plan, "Seq Scan on "+table), "%s scans %s", tc.name, table)
		}
		if tc.q != nil && tc.q.Limit > 0 {
			// A page is read in list order from its index: no sort of what lies beyond it.
			assert.NotContains(t, plan, "Sort", "%s needs no sort", tc.name)
		}
	}
}
