// Package postgres is the production storage adapter of gridgov on PostgreSQL (PostgreSQL
// 存储适配器), through pgx v5 and its pool. It implements the store of every domain —
// governance.Store, escalation.Store, funding.Store, evaluation.Store and deliberation.Store
// — passes the store/storetest conformance suite like the in-memory reference
// (store/memory), and is written to be read by teams building their own adapter.
//
// # Using it
//
//	db, err := postgres.Open(ctx, "postgres://app@db:5432/gridgov") // or postgres.New(pool)
//	if err != nil { … }
//	defer db.Close()
//	if err := db.Migrate(ctx); err != nil { … } // idempotent; safe from many processes at once
//	reg, err := governance.NewRegistry(db.Governance())
//	eng, err := escalation.NewEngine(db.Escalation(), reg, policy)
//	treasury, err := funding.NewTreasury(db.Funding(), reg)
//
// [Open] owns its pool ([DB.Close] closes it); [New] uses a pool the caller configured and
// keeps. Tables live in the connection's search_path (set search_path in the DSN, for
// example options=-csearch_path=gridgov, to keep them in a schema of their own). Options:
// [WithMaxAttempts] and [WithBackoff] (retries), [WithLogger] (silent by default).
//
// # Layout: one migration and one group of files per domain
//
// Each domain has its migration (migrations/0001_governance.sql, 0002_escalation.sql,
// 0003_funding.sql, 0004_evaluation.sql, 0005_deliberation.sql, tables prefixed gov_, esc_,
// fund_, eval_, delib_) and its files (governance*.go, escalation.go, funding*.go,
// evaluation*.go, deliberation*.go) with one store type: [GovernanceStore],
// [EscalationStore], [FundingStore], [EvaluationStore], [DeliberationStore], got from [DB].
// A later domain adds a migration numbered after the last, its files and an accessor, and
// nothing else changes. Shared machinery: db.go (the DB and options), tx.go (transactions,
// retries, error mapping), values.go (times, amounts, the check of what PostgreSQL can
// store), doc_codec.go (the documents of complaints, cycles and items; decimals in
// doc_codec_decimal.go), migrate.go.
//
// [DB.Migrate] applies the embedded migrations ([Migrations]) that the table
// gridgov_migrations does not list, each in its own transaction with its record, while it
// holds a session-level pg_advisory_lock, so processes starting together apply each once; a
// file changed after it was applied (its SHA-256 differs) stops it.
//
// Conventions: identifiers are text COLLATE "C" (ORDER BY sorts them byte-wise, as Go
// compares strings, whatever the database's collation); amounts are NUMERIC, sent and read
// exactly as a decimal's coefficient and exponent (never a float); a time is a timestamptz
// plus a smallint with the nanoseconds below the microsecond, because PostgreSQL keeps
// microseconds and the stores must return the instant they were given (the conformance
// suite stores and queries times with nanoseconds: ResolutionDue = …+1ns, ListDue bounds
// one nanosecond apart). Optional times store the zero time as NULL; the columns that
// queries filter by range (submitted_at, a posting's at, a service record's date) hold it as
// 0001-01-01 00:00:00 UTC, the instant it is. Times come back in UTC. Values PostgreSQL
// cannot store — strings with a NUL byte or invalid UTF-8, times outside 4713 BC–294276 AD —
// are refused with gridgov.ErrInvalid naming each field (store/memory accepts them).
//
// A complaint is a row whose queried fields are columns (state, category, due_at), whose
// intake fields are columns written once (path, reporter — personal data, in columns of
// their own so that they can be protected apart — and submitted_at), and whose other fields
// are a JSON document (doc) written by reflection: a field added to escalation.Complaint is
// stored with no code and no migration, as the suite's every-field round trip checks.
//
// An evaluation cycle (一述双评, evaluation.Cycle) is laid out the same way: a row of
// eval_cycles whose queried fields are columns (year, compound, community, committee,
// state, firm_ids) and whose report, scorecards, publication and firm evaluations are the
// document, decimals written exactly ("1234.50" keeps its fen). One cycle per compound and
// year is a unique index, so racing CreateCycle calls are settled by the database (the
// losers get gridgov.ErrAlreadyExists). A cycle has several firms, so ListCycles by firm
// reads the side table eval_cycle_firms (firm_id, year, compound_id), which the writing
// statement keeps in step (it adds and removes only the firms that changed); each filter
// has an index in list order (year, compound_id), so a page reads what it returns
// (TestExplainEvaluation checks the plans on 30,000 cycles). UpdateCycle is one statement
// like UpdateComplaint (the version, compound and year must match; the event goes to
// eval_events, keyed (cycle_id, version)). A write returns the cycle it wrote (a deep copy,
// times as given) instead of reading the row back.
//
// An agenda item (议题) is stored the same way: delib_items has the queried fields (state,
// complaint_id) and those that never change (node_id, path, created_at) as columns, and
// everything else — participants, options, the vote roll and ballots, the tally, notices,
// the award, the cost split — as the document, decimals as exact strings ("6800.00"). Its
// history is delib_events, keyed (item_id, version); the disclosure log is
// delib_disclosures, the disclosure of an event under the event's key, indexed in the
// contract's order (date, date_ns, item_id, version); delib_item_nodes is the subtree index,
// as for complaints. Writes are single statements, like the escalation writes below. A
// ballot rewrites the item's whole document (about 400 kB for a vote of 2,000 households,
// compressed with lz4 where the server has it); TestExplainDeliberation checks the list
// plans, generic ones included.
//
// # Transactions
//
// Every store call is one transaction, retried as a whole when it fails with a
// serialization failure (SQLSTATE 40001) or a deadlock (40P01):
//
//   - escalation writes are a single statement (data-modifying WITH clauses): the complaint
//     row is updated only WHERE version = the caller's (a stale version updates nothing and
//     is gridgov.ErrConflict; a concurrent writer's commit is re-checked by PostgreSQL before
//     the update applies), the next event number is taken and the event inserted — one
//     round trip. CreateComplaint inserts with ON CONFLICT DO NOTHING, and when nothing was
//     inserted reads the idempotency key: a retried intake returns the first complaint.
//   - a posting is a READ COMMITTED transaction: one pipelined batch locks the accounts it
//     touches (SELECT … FOR UPDATE in ID order, so postings never deadlock) and reads the
//     key, the ID and the posting it reverses; the checks run in Go on the locked balances;
//     one statement takes the posting's number, inserts it and moves the balances; COMMIT.
//     Two postings on one account serialise on its row, so a non-negative account never goes
//     below zero however they race, and a CHECK constraint (kind = 'source' OR balance >= 0)
//     backs that up. Unique indexes on the posting's ID, key and ReversalOf settle races
//     the checks cannot see (a second reversal is gridgov.ErrConflict).
//   - governance writes are SERIALIZABLE transactions: their rules span rows (no cycle, no
//     active child under a retired node, no open position in a dissolved organisation),
//     and serializable isolation makes the checks hold against concurrent writers; the loser
//     of a race gets 40001, runs again, and sees the winner's write (for two concurrent
//     moves that would close a cycle: gridgov.ErrInvalid for the second).
//   - reads are single statements, so each sees one snapshot (a subtree move is seen whole
//     or not at all).
//
// When a write applies nothing, a second statement may read why (the key's complaint, the
// current version, whether a node exists); it writes nothing. A call whose connection dies
// before COMMIT leaves nothing behind (TestKilledConnection); one that dies during COMMIT
// may or may not have applied, which is what idempotency keys (intake, postings) are for:
// retry with the same key.
//
// # The event feed and posting numbers are gap-free
//
// A reader that resumes after the last Seq it saw must never miss an event, so an event
// with a smaller Seq must never commit after one with a larger Seq has been read. A
// sequence does not give that: two transactions take 7 and 8, 8 commits first, a reader
// reads 8 and resumes after it, and 7 appears behind it; a rollback also leaves a hole.
// Instead the number comes from a single-row counter (esc_feed, fund_ledger) updated by the
// writing statement: the row stays locked until the transaction commits, so the writer
// holding n commits before any other can take n+1, and a rollback returns n. The cost is
// that writers serialise from taking the number to COMMIT, which they reach at once (the
// counter is the last thing a write touches). Readers are not blocked.
//
// # Retries and distributed SQL engines
//
// Serialization failures (40001) and deadlocks (40P01) are retried up to 10 attempts by
// default, waiting a random time up to 2ms·2^(attempt−1), capped at 250ms ("full jitter"),
// or until the context ends; every attempt reruns the whole transaction from the caller's
// arguments. When the attempts run out the error matches gridgov.ErrConflict (and wraps the
// server's), so a caller's usual re-read-and-retry handles it. This is what
// PostgreSQL-protocol distributed engines need, which run SERIALIZABLE and report
// contention as 40001: CockroachDB and YugabyteDB. Only PostgreSQL 15 has been tested
// (here, by the tests below); the adapter has NOT been run against CockroachDB or
// YugabyteDB. Expected gaps there: Migrate's pg_advisory_lock (CockroachDB does not
// implement advisory locks), column collations (COLLATE "C"), the OFFSET 0 planner fences
// (meant for PostgreSQL's planner), and the single-row counters, a hot spot that a
// distributed engine handles with more retries.
//
// # Indexes, with the plans that use them
//
// Every hot query reads an index range the size of its answer. TestExplain loads 50,000
// complaints, a tree of 20,051 nodes and 20,000 postings, and checks these plans (EXPLAIN
// (COSTS OFF), PostgreSQL 15):
//
// The sweep, ListDue(before, 100): the partial index esc_complaints_due on (due_at,
// due_at_ns, id) WHERE due_at IS NOT NULL, walked from its start.
//
//	Limit
//	  ->  Index Scan using esc_complaints_due on esc_complaints c
//	        Index Cond: (ROW(due_at, due_at_ns) <= ROW('2024-02-02 00:00:00+00'::timestamp with time zone, '0'::smallint))
//
// ListComplaints with Within (a subtree): esc_complaint_nodes holds one row per node of each
// complaint's Path (paths never change, so the rows are written once), keyed (node_id,
// complaint_id); a page walks it from the cursor and fetches each complaint by key.
//
//	Limit
//	  ->  Nested Loop
//	        ->  Index Only Scan using esc_complaint_nodes_pkey on esc_complaint_nodes n
//	              Index Cond: ((node_id = 'cm7'::text) AND (complaint_id > 'c010000'::text))
//	        ->  Subquery Scan on c
//	              Filter: (c.state = ANY ('{referred}'::text[]))
//	              ->  Index Scan using esc_complaints_pkey on esc_complaints c_1
//	                    Index Cond: (id = n.complaint_id)
//
// The event feed, Events(after, 100), and History (esc_events_complaint_id_version_key):
//
//	Limit
//	  ->  Index Scan using esc_events_pkey on esc_events
//	        Index Cond: (seq > '40000'::bigint)
//
// The tree is an adjacency list (parent_id): a move updates one row whatever the size of the
// subtree it carries. Descendants and subtree queries walk down through gov_nodes_parent
// (parent_id, id), O(subtree); Ancestors walks up by primary key, O(depth). Each step is a
// LATERAL subquery fenced with OFFSET 0, because the planner's estimate of a recursive
// query's size is poor and it would otherwise hash-join the whole table at every level:
//
//	Sort
//	  Sort Key: n.path COLLATE "C"
//	  CTE down
//	    ->  Recursive Union
//	          ->  Bitmap Heap Scan on gov_nodes n_1
//	                Recheck Cond: (parent_id = 'gd7'::text)
//	                ->  Bitmap Index Scan on gov_nodes_parent
//	                      Index Cond: (parent_id = 'gd7'::text)
//	          ->  Nested Loop
//	                ->  WorkTable Scan on down
//	                ->  Bitmap Heap Scan on gov_nodes n_2
//	                      Recheck Cond: (parent_id = down.id)
//	                      ->  Bitmap Index Scan on gov_nodes_parent
//	                            Index Cond: (parent_id = down.id)
//	  ->  CTE Scan on down n
//
// OrganisationsAt with subtree adds, per node, gov_organisations_node (node_id, id):
//
//	->  Nested Loop
//	      ->  CTE Scan on sub
//	      ->  Index Scan using gov_organisations_node on gov_organisations o
//	            Index Cond: (node_id = sub.id)
//
// Postings by account read fund_entries (account_id, seq), one row per account a posting
// touches; by plan fund_postings_plan; by time fund_postings_at; Balance reads the account's
// row (fund_accounts_pkey), which every posting keeps up to date:
//
//	->  Bitmap Index Scan on fund_entries_pkey
//	      Index Cond: ((account_id = 'acct17'::text) AND (seq > '100'::bigint))
//	->  Index Scan using fund_postings_pkey on fund_postings p
//	      Index Cond: (seq = e.seq)
//
// # Running the tests
//
//	go test -race ./store/postgres/...
//
// needs nothing but the PostgreSQL server binaries: package pgtest starts one throwaway
// server per test binary from initdb and pg_ctl (on PATH or under
// /usr/lib/postgresql/*/bin) in a temporary directory, on a Unix socket, as the postgres
// user when run as root, and gives each test a fresh database copied from a migrated
// template. Set GRIDGOV_POSTGRES_DSN to use an existing server instead. Without either the
// tests skip, except under CI=true, where they fail. Besides the conformance suite
// (TestConformance, every subtest on a database of its own), the tests race two pools ("two
// processes") on one complaint and on one fund, kill a connection in the middle of a store
// call (it writes nothing), force and provoke serialization failures (they are retried),
// migrate concurrently, and check the plans above. An adapter for another database can
// reuse pgtest's pattern and run storetest.Run the same way.
//
// Benchmarks (not run by go test without -bench) and store/postgres/bench/run.sh, which
// starts a server, runs pgbench's TPC-B-like load and the Go benchmarks on it with the same
// number of clients, and prints the ratio.
package postgres
