package postgres_test

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gridgov/gridgov/escalation"
	"github.com/gridgov/gridgov/funding"
	"github.com/gridgov/gridgov/store/postgres"
)

// loadSQL fills a database with enough rows that a sequential scan would show in a plan:
// 50,000 complaints (one in ten with a deadline) with their events and subtree rows, a
// tree of 20,051 nodes (a street, 50 communities, 1,000 grids, 19,000 buildings) with an
// organisation per grid, 1,000 accounts and 20,000 postings.
const loadSQL = `
INSERT INTO esc_complaints (id, version, state, category, path, reporter_person, reporter_name, reporter_phone,
	submitted_at, due_at, doc)
SELECT 'c' || lpad(i::text, 6, '0'), 1, 'referred', 'property',
	ARRAY['st', 'cm' || (i % 50), 'gd' || (i % 1000)], '', '', '', timestamptz '2024-01-01' + i * interval '1 minute',
	CASE WHEN i % 10 = 0 THEN timestamptz '2024-02-01' + i * interval '1 minute' END, '{}'
FROM generate_series(1, 50000) i;
INSERT INTO esc_complaint_nodes (node_id, complaint_id)
SELECT DISTINCT unnest(path), id FROM esc_complaints;
INSERT INTO esc_events (seq, complaint_id, version, kind, from_state, to_state, tier, actor_id, actor_kind, note)
SELECT row_number() OVER (ORDER BY id), id, 1, 'submit', '', 'submitted', 0, 'test', 1, '' FROM esc_complaints;
UPDATE esc_feed SET last_seq = 50000;

INSERT INTO gov_nodes (id, parent_id, level, name, version) VALUES ('st', NULL, 'street', 'street', 1);
INSERT INTO gov_nodes (id, parent_id, level, name, version)
SELECT 'cm' || i, 'st', 'community', 'community', 1 FROM generate_series(0, 49) i;
INSERT INTO gov_nodes (id, parent_id, level, name, version)
SELECT 'gd' || i, 'cm' || (i % 50), 'grid', 'grid', 1 FROM generate_series(0, 999) i;
INSERT INTO gov_nodes (id, parent_id, level, name, version)
SELECT 'bd' || i, 'gd' || (i % 1000), 'building', 'building', 1 FROM generate_series(0, 18999) i;
INSERT INTO gov_organisations (id, node_id, kind, name, version)
SELECT 'ss' || i, 'gd' || i, 'service_station', 'station', 1 FROM generate_series(0, 999) i;

INSERT INTO fund_accounts (id, kind, unit, name, fund_id, node_id, owner_id)
SELECT 'acct' || i, CASE WHEN i = 0 THEN 'source' ELSE 'recipient' END, 'CNY', '', '', '', ''
FROM generate_series(0, 999) i;
INSERT INTO fund_postings (seq, id, actor_id, actor_kind, reason, at, plan_line, line_accounts, line_amounts,
	line_expires, line_expires_ns)
SELECT i, 'p' || i, 'test', 1, 'load', timestamptz '2024-01-01' + i * interval '1 minute', 0,
	ARRAY['acct0', 'acct' || (1 + i % 999)], ARRAY[-1, 1]::numeric[], ARRAY[NULL, NULL]::timestamptz[], ARRAY[0, 0]::smallint[]
FROM generate_series(1, 20000) i;
INSERT INTO fund_entries (account_id, seq) SELECT unnest(line_accounts), seq FROM fund_postings;
UPDATE fund_ledger SET last_seq = 20000;
ANALYZE;
`

// The hot queries use their indexes on a loaded database: EXPLAIN shows an index scan and
// no sequential scan of the large tables. The plans are logged (go test -v -run
// TestExplain) and quoted in the package documentation.
func TestExplain(t *testing.T) {
	db := newDB(t)
	ctx := t.Context()
	_, err := db.Pool().Exec(ctx, loadSQL)
	require.NoError(t, err)

	due := time.Date(2024, 2, 2, 0, 0, 0, 0, time.UTC)
	within, withinArgs := postgres.ListComplaintsSQL(escalation.Query{Within: "cm7", After: "c010000", Limit: 50,
		States: []escalation.State{escalation.StateReferred}})
	all, allArgs := postgres.ListComplaintsSQL(escalation.Query{After: "c020000", Limit: 50})
	byAccount, byAccountArgs := postgres.PostingsSQL(funding.PostingQuery{AccountID: "acct17", AfterSeq: 100, Limit: 20})
	byTime, byTimeArgs := postgres.PostingsSQL(funding.PostingQuery{From: time.Date(2024, 1, 5, 0, 0, 0, 0, time.UTC),
		To: time.Date(2024, 1, 6, 0, 0, 0, 0, time.UTC)})
	for _, tc := range []struct {
		name  string
		sql   string
		args  []any
		index []string // every one must appear
		noSeq []string // no sequential scan of these
	}{
		{"ListDue (the sweep)", postgres.ListDueSQL, []any{due, int16(0), int64(100)},
			[]string{"esc_complaints_due"}, []string{"esc_complaints"}},
		{"ListComplaints Within (subtree)", within, withinArgs,
			[]string{"esc_complaint_nodes_pkey", "esc_complaints_pkey"}, []string{"esc_complaints", "esc_complaint_nodes"}},
		{"ListComplaints (all, paged)", all, allArgs, []string{"esc_complaints_pkey"}, []string{"esc_complaints"}},
		{"Events (the feed)", "SELECT " + postgres.EventCols + " FROM esc_events WHERE seq > $1 ORDER BY seq LIMIT $2",
			[]any{int64(40000), int64(100)}, []string{"esc_events_pkey"}, []string{"esc_events"}},
		{"History", "SELECT " + postgres.EventCols + " FROM esc_events WHERE complaint_id = $1 ORDER BY version",
			[]any{"c004242"}, []string{"esc_events_complaint_id_version_key"}, []string{"esc_events"}},
		{"Descendants", postgres.DescendantsSQL, []any{"gd7"}, []string{"gov_nodes_parent"}, []string{"gov_nodes"}},
		{"Ancestors", postgres.AncestorsSQL, []any{"bd4242"}, []string{"gov_nodes_pkey"}, []string{"gov_nodes"}},
		{"OrganisationsAt subtree", postgres.OrgsAtSubtreeSQL, []any{"cm7"},
			[]string{"gov_nodes_parent", "gov_organisations_node"}, []string{"gov_nodes", "gov_organisations"}},
		{"Postings by account", byAccount, byAccountArgs, []string{"fund_entries_pkey", "fund_postings_pkey"},
			[]string{"fund_entries", "fund_postings"}},
		{"Postings by time", byTime, byTimeArgs, []string{"fund_postings_at"}, []string{"fund_postings"}},
		{"Balance", "SELECT a.balance, l.last_seq FROM fund_accounts a, fund_ledger l WHERE a.id = $1", []any{"acct17"},
			[]string{"fund_accounts_pkey"}, []string{"fund_accounts"}},
	} {
		rows, err := db.Pool().Query(ctx, "EXPLAIN (COSTS OFF) "+tc.sql, tc.args...)
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
		for _, table := range tc.noSeq {
			assert.NotContains(t, plan, "Seq Scan on "+table+" ", "%s scans %s", tc.name, table)
			assert.False(t, strings.HasSuffix(plan, "Seq Scan on "+table), "%s scans %s", tc.name, table)
		}
	}
}
