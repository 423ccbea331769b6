package postgres_test

import (
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gridgov/gridgov/governance/deliberation"
	"github.com/gridgov/gridgov/store/postgres"
)

// loadDelibSQL fills the deliberation tables: 50,000 agenda items under a street, 50
// communities, 1,000 grids and 10,000 buildings (most closed, 2% voting, 2% publicised,
// one in five from a complaint, one in ten raised with an idempotency key), their events,
// and two disclosures each over a year.
const loadDelibSQL = `
INSERT INTO delib_items (id, idem_key, version, state, node_id, path, complaint_id, created_at, doc)
SELECT 'i' || lpad(i::text, 6, '0'), CASE WHEN i % 10 = 0 THEN 'key' || i END, 2,
	CASE WHEN i % 50 = 0 THEN 'voting' WHEN i % 50 = 1 THEN 'publicised' WHEN i % 50 = 2 THEN 'raised' ELSE 'closed' END,
	'bd' || (i % 10000), ARRAY['st', 'cm' || (i % 50), 'gd' || (i % 1000), 'bd' || (i % 10000)],
	CASE WHEN i % 5 = 0 THEN 'c' || i ELSE '' END, timestamptz '2024-01-01' + i * interval '10 minutes', '{}'
FROM generate_series(1, 50000) i;
INSERT INTO delib_item_nodes (node_id, item_id) SELECT DISTINCT unnest(path), id FROM delib_items;
INSERT INTO delib_events (item_id, version, kind, from_state, to_state, actor_id, actor_kind, at, note)
SELECT id, v, 'raise', '', 'raised', 'test', 1, created_at, '' FROM delib_items, generate_series(1, 2) v;
INSERT INTO delib_disclosures (item_id, version, node_id, kind, subject, channel, date, summary, requester,
	recorded_by_id, recorded_by_kind)
SELECT id, v, node_id, CASE WHEN v = 1 THEN 'proactive' ELSE 'on_request' END, 'decision', 'notice_board',
	created_at + v * interval '1 day', '', '', 'test', 1
FROM delib_items, generate_series(1, 2) v;
ANALYZE;
`

// The deliberation store's hot queries use their indexes on a loaded database: EXPLAIN
// shows an index scan and no sequential scan of the large tables. The plans are logged
// (go test -v -run TestExplainDeliberation) and quoted in the package documentation.
func TestExplainDeliberation(t *testing.T) {
	db := newDB(t)
	ctx := t.Context()
	_, err := db.Pool().Exec(ctx, loadDelibSQL)
	require.NoError(t, err)
	conn, err := db.Pool().Acquire(ctx)
	require.NoError(t, err)
	defer conn.Release()
	_, err = conn.Exec(ctx, "SET plan_cache_mode = force_generic_plan") // for PREPARE … EXECUTE
	require.NoError(t, err)

	open := []deliberation.State{deliberation.StateVoting, deliberation.StatePublicised}
	within, withinArgs := postgres.ListItemsSQL(deliberation.Query{Within: "cm7", States: open, After: "i010000", Limit: 50})
	building, buildingArgs := postgres.ListItemsSQL(deliberation.Query{Within: "bd4242"})
	all, allArgs := postgres.ListItemsSQL(deliberation.Query{After: "i020000", Limit: 50})
	voting, votingArgs := postgres.ListItemsSQL(deliberation.Query{States: []deliberation.State{deliberation.StateVoting}, Limit: 50})
	twoStates, twoStatesArgs := postgres.ListItemsSQL(deliberation.Query{States: open, After: "i030000", Limit: 50})
	byComplaint, byComplaintArgs := postgres.ListItemsSQL(deliberation.Query{ComplaintID: "c4240"})
	from := time.Date(2024, 3, 1, 0, 0, 0, 0, time.UTC)
	byDate, byDateArgs := postgres.DisclosuresSQL(deliberation.DisclosureQuery{From: from, To: from.AddDate(0, 0, 7), Limit: 100})
	byItem, byItemArgs := postgres.DisclosuresSQL(deliberation.DisclosureQuery{ItemID: "i004242"})
	byNode, byNodeArgs := postgres.DisclosuresSQL(deliberation.DisclosureQuery{Within: "gd7", From: from})
	for _, tc := range []struct {
		name  string
		sql   string
		args  []any
		index []string // every one must appear
		noSeq []string // no sequential scan of these
	}{
		{"ListItems Within and States (a community's open items, paged)", within, withinArgs,
			[]string{"delib_item_nodes_pkey", "delib_items_pkey"}, []string{"delib_items", "delib_item_nodes"}},
		{"ListItems Within (a building)", building, buildingArgs,
			[]string{"delib_item_nodes_pkey", "delib_items_pkey"}, []string{"delib_items", "delib_item_nodes"}},
		{"ListItems (all, paged)", all, allArgs, []string{"delib_items_pkey"}, []string{"delib_items"}},
		{"ListItems States (one)", voting, votingArgs, []string{"delib_items_state"}, []string{"delib_items"}},
		{"ListItems States (two, paged)", twoStates, twoStatesArgs, []string{"delib_items_state"}, []string{"delib_items"}},
		{"ListItems ComplaintID", byComplaint, byComplaintArgs, []string{"delib_items_complaint"}, []string{"delib_items"}},
		{"CreateItem retry (by key)", "SELECT " + postgres.ItemCols + " FROM delib_items i WHERE i.idem_key = $1",
			[]any{"key4240"}, []string{"delib_items_idem_key"}, []string{"delib_items"}},
		{"History", postgres.DelibHistorySQL, []any{"i004242"}, []string{"delib_events_pkey", "delib_disclosures_pkey"},
			[]string{"delib_events", "delib_disclosures"}},
		{"Disclosures From, To (a week)", byDate, byDateArgs, []string{"delib_disclosures_date"}, []string{"delib_disclosures"}},
		{"Disclosures ItemID", byItem, byItemArgs, []string{"delib_disclosures_pkey"}, []string{"delib_disclosures"}},
		{"Disclosures Within (a grid)", byNode, byNodeArgs, []string{"delib_item_nodes_pkey"},
			[]string{"delib_disclosures", "delib_item_nodes"}},
	} {
		plan := explain(t, conn, "EXPLAIN (COSTS OFF) "+tc.sql, tc.args)
		// pgx prepares statements, and after five runs PostgreSQL may plan one once for any
		// parameters (a generic plan), which cannot see how rare a value is: check that plan too.
		_, err = conn.Exec(ctx, "PREPARE generic AS "+tc.sql)
		require.NoError(t, err, tc.name)
		lits := make([]string, len(tc.args))
		for i, a := range tc.args {
			lits[i] = literal(t, a)
		}
		generic := explain(t, conn, "EXPLAIN (COSTS OFF) EXECUTE generic("+strings.Join(lits, ", ")+")", nil)
		_, err = conn.Exec(ctx, "DEALLOCATE generic")
		require.NoError(t, err)
		t.Logf("%s:\n%s\ngeneric plan:\n%s", tc.name, plan, generic)
		for _, p := range []string{plan, generic} {
			for _, idx := range tc.index {
				assert.Contains(t, p, idx, "%s uses %s", tc.name, idx)
			}
			for _, table := range tc.noSeq {
				assert.NotContains(t, p, "Seq Scan on "+table+" ", "%s scans %s", tc.name, table)
				assert.False(t, strings.HasSuffix(p, "Seq Scan on "+table), "%s scans %s", tc.name, table)
			}
		}
	}
}

// explain runs an EXPLAIN statement and returns its plan.
func explain(t *testing.T, conn *pgxpool.Conn, sql string, args []any) string {
	t.Helper()
	rows, err := conn.Query(t.Context(), sql, args...)
	require.NoError(t, err, sql)
	var lines []string
	for rows.Next() {
		var line string
		require.NoError(t, rows.Scan(&line))
		lines = append(lines, line)
	}
	require.NoError(t, rows.Err(), sql)
	return strings.Join(lines, "\n")
}

// literal writes a test's argument as an SQL literal, for EXECUTE (whose arguments cannot
// be parameters under EXPLAIN). The values are the test's own.
func literal(t *testing.T, v any) string {
	t.Helper()
	quote := func(s string) string { return "'" + strings.ReplaceAll(s, "'", "''") + "'" }
	switch v := v.(type) {
	case string:
		return quote(v)
	case []string:
		for i := range v {
			v[i] = quote(v[i])
		}
		return "ARRAY[" + strings.Join(v, ", ") + "]::text[]"
	case int64:
		return strconv.FormatInt(v, 10)
	case int16:
		return strconv.FormatInt(int64(v), 10)
	case time.Time:
		return quote(v.Format(time.RFC3339Nano)) + "::timestamptz"
	}
	t.Fatalf("no literal for %T", v)
	return ""
}
