package postgres_test

import (
	"context"
	"fmt"
	"os"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/stretchr/testify/require"

	"github.com/gridgov/gridgov"
	"github.com/gridgov/gridgov/escalation"
	"github.com/gridgov/gridgov/funding"
	"github.com/gridgov/gridgov/governance"
	"github.com/gridgov/gridgov/store/postgres"
)

// The benchmarks measure the adapter under concurrent clients; store/postgres/bench/run.sh
// runs them next to pgbench on the same server. GRIDGOV_BENCH_CLIENTS sets the number of
// clients (default 8) and GRIDGOV_BENCH_OPEN the number of open complaints ListDue runs
// among (default 100,000; the script uses 1,000,000).

// benchEnv returns the integer in the environment variable, or def.
func benchEnv(name string, def int) int {
	if v, err := strconv.Atoi(os.Getenv(name)); err == nil && v > 0 {
		return v
	}
	return def
}

// benchDB returns a DB on a fresh migrated database whose pool has room for the clients.
func benchDB(b *testing.B, clients int) *postgres.DB {
	b.Helper()
	cfg, err := pgxpool.ParseConfig(newDSN(b))
	require.NoError(b, err)
	cfg.MaxConns = int32(clients + 2)
	pool, err := pgxpool.NewWithConfig(context.Background(), cfg)
	require.NoError(b, err)
	b.Cleanup(pool.Close)
	return postgres.New(pool)
}

// parallel runs fn(client, i) from the given number of clients until b.N calls are done in
// all, and reports the rate.
func parallel(b *testing.B, clients int, unit string, fn func(client, i int) error) {
	b.Helper()
	var next atomic.Int64
	var wg sync.WaitGroup
	errs := make(chan error, clients)
	b.ResetTimer()
	for c := range clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; ; i++ {
				if next.Add(1) > int64(b.N) {
					return
				}
				if err := fn(c, i); err != nil {
					errs <- err
					return
				}
			}
		}()
	}
	wg.Wait()
	b.StopTimer()
	close(errs)
	for err := range errs {
		b.Fatal(err)
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), unit)
}

// BenchmarkEngineCommands runs escalation.Engine commands (pause and resume, alternately)
// on PostgreSQL stores, from several clients at once, each on a complaint of its own. A
// command reads the complaint, checks the grid worker's authority through the governance
// registry (the node, the worker's positions, the node's ancestors) and writes the
// complaint with its event: four reads and one write transaction.
func BenchmarkEngineCommands(b *testing.B) {
	clients := benchEnv("GRIDGOV_BENCH_CLIENTS", 8)
	db := benchDB(b, clients)
	ctx := context.Background()
	system := gridgov.SystemActor("bench")
	worker := gridgov.PersonActor("gw1")
	clock := gridgov.NewFakeClock(time.Date(2026, 1, 5, 9, 0, 0, 0, time.UTC))
	reg, err := governance.NewRegistry(db.Governance(), governance.WithScheme(governance.FourLevelLadder()),
		governance.WithClock(clock), governance.WithIDs(gridgov.NewSequence("gov")))
	require.NoError(b, err)
	for _, n := range []governance.NodeInput{
		{ID: "st", Level: "street", Name: "北园街道"},
		{ID: "c1", ParentID: "st", Level: "community", Name: "幸福社区"},
		{ID: "g1", ParentID: "c1", Level: "grid", Name: "一网格"},
		{ID: "b1", ParentID: "g1", Level: "building", Name: "1号楼"},
	} {
		_, err := reg.AddNode(ctx, system, n)
		require.NoError(b, err)
	}
	_, err = reg.AddOrganisation(ctx, system, governance.OrganisationInput{ID: "ss1", NodeID: "g1",
		Kind: governance.OrgServiceStation, Name: "一网格服务站"})
	require.NoError(b, err)
	for _, p := range []string{"gw1", "res"} {
		_, err := reg.AddPerson(ctx, system, governance.PersonInput{ID: p, Name: "王" + p, Phone: "13800138000", HomeNodeID: "g1"})
		require.NoError(b, err)
	}
	_, err = reg.Appoint(ctx, system, governance.AppointInput{PersonID: "gw1", OrgID: "ss1", Role: governance.RoleGridWorker})
	require.NoError(b, err)
	eng, err := escalation.NewEngine(db.Escalation(), reg, escalation.LadderPolicy(governance.FourLevelLadder()),
		escalation.WithClock(clock), escalation.WithIDs(gridgov.NewSequence("cp")))
	require.NoError(b, err)

	ids := make([]string, clients)
	for c := range clients {
		cp, err := eng.Submit(ctx, gridgov.PersonActor("res"), escalation.Intake{Channel: escalation.ChannelApp,
			Category: "property", Description: "单元门禁损坏", NodeID: "b1", ReporterID: "res",
			ReporterName: "李小明", ReporterPhone: "13912345678"})
		require.NoError(b, err)
		_, err = eng.Accept(ctx, worker, escalation.Step{ID: cp.ID})
		require.NoError(b, err)
		_, err = eng.Refer(ctx, worker, escalation.Referral{Step: escalation.Step{ID: cp.ID}})
		require.NoError(b, err)
		_, err = eng.Sign(ctx, worker, escalation.Step{ID: cp.ID})
		require.NoError(b, err)
		ids[c] = cp.ID
	}
	parallel(b, clients, "cmds/s", func(c, i int) error {
		var err error
		if i%2 == 0 {
			_, err = eng.Pause(ctx, worker, escalation.Step{ID: ids[c], Note: "等待居民"})
		} else {
			_, err = eng.Resume(ctx, worker, escalation.Step{ID: ids[c]})
		}
		return err
	})
}

// BenchmarkUpdateComplaint is the store call alone: UpdateComplaint from several clients at
// once, each on a complaint of its own (one statement, one transaction).
func BenchmarkUpdateComplaint(b *testing.B) {
	clients := benchEnv("GRIDGOV_BENCH_CLIENTS", 8)
	st := benchDB(b, clients).Escalation()
	ctx := context.Background()
	cs := make([]escalation.Complaint, clients)
	for c := range clients {
		var err error
		cs[c], _, err = st.CreateComplaint(ctx, complaint(fmt.Sprintf("c%d", c), "st", "c1", "g1"), "", event(escalation.EventSubmit, ""))
		require.NoError(b, err)
	}
	parallel(b, clients, "updates/s", func(c, i int) error {
		cp := cs[c]
		cp.Reworks++
		cp.DueAt = t0.Add(time.Duration(i) * time.Minute)
		stored, err := st.UpdateComplaint(ctx, cp, event(escalation.EventWarn, "bench"))
		cs[c] = stored
		return err
	})
}

// BenchmarkLedgerPost posts two-line transfers from one source account to each client's
// recipient account, from several clients at once: every posting locks the source's row
// and the ledger's number, so they serialise on them, as postings on one account must.
func BenchmarkLedgerPost(b *testing.B) {
	clients := benchEnv("GRIDGOV_BENCH_CLIENTS", 8)
	st := benchDB(b, clients).Funding()
	ctx := context.Background()
	_, err := st.CreateAccount(ctx, funding.Account{ID: "src", Kind: funding.AccountSource, Unit: funding.CNY})
	require.NoError(b, err)
	for c := range clients {
		_, err := st.CreateAccount(ctx, funding.Account{ID: fmt.Sprintf("r%d", c), Kind: funding.AccountRecipient, Unit: funding.CNY})
		require.NoError(b, err)
	}
	parallel(b, clients, "postings/s", func(c, i int) error {
		p := transfer(fmt.Sprintf("p%d-%d", c, i), "src", fmt.Sprintf("r%d", c), "12.34")
		p.Key = p.ID
		_, _, err := st.Post(ctx, p)
		return err
	})
}

// BenchmarkListDue times the sweep's query, ListDue(now, 100), with 1,000 complaints due
// among 10,000 and among GRIDGOV_BENCH_OPEN open ones (bulk-loaded with COPY; the others
// are due next year): its cost should follow what is due, not what is open. (b.Loop runs
// each sub-benchmark's function once, so each database is loaded once.)
func BenchmarkListDue(b *testing.B) {
	for _, open := range []int{10_000, benchEnv("GRIDGOV_BENCH_OPEN", 100_000)} {
		b.Run(fmt.Sprintf("open=%d", open), func(b *testing.B) {
			dsn := newDSN(b)
			require.NoError(b, loadOpenComplaints(b, dsn, open))
			st := open2(b, dsn).Escalation()
			ctx := context.Background()
			now := time.Date(2024, 6, 1, 0, 0, 0, 0, time.UTC)
			for b.Loop() {
				due, err := st.ListDue(ctx, now, 100)
				if err != nil || len(due) != 100 {
					b.Fatalf("ListDue: %d, %v", len(due), err)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Microseconds())/float64(b.N), "µs/sweep-page")
		})
	}
}

// open2 returns a DB on dsn, closed when the benchmark ends.
func open2(b *testing.B, dsn string) *postgres.DB {
	b.Helper()
	db, err := postgres.Open(context.Background(), dsn)
	require.NoError(b, err)
	b.Cleanup(db.Close)
	return db
}

// loadOpenComplaints loads open complaints into the database, 1,000 of them due before
// June 2024.
func loadOpenComplaints(b *testing.B, dsn string, open int) error {
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		return err
	}
	defer conn.Close(ctx)
	start := time.Now()
	submitted := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	doc := []byte(`{"State":"referred","Category":"property","Channel":"app","Description":"楼道灯坏了"}`)
	n, err := conn.CopyFrom(ctx, pgx.Identifier{"esc_complaints"},
		[]string{"id", "version", "state", "category", "path", "reporter_person", "reporter_name", "reporter_phone",
			"submitted_at", "submitted_at_ns", "due_at", "due_at_ns", "doc"},
		pgx.CopyFromFunc(func() func() ([]any, error) {
			i := 0
			return func() ([]any, error) {
				if i >= open {
					return nil, nil
				}
				i++
				due := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC).Add(time.Duration(i) * time.Second)
				if i%(open/1000) == 0 {
					due = time.Date(2024, 5, 1, 0, 0, 0, 0, time.UTC).Add(time.Duration(i) * time.Second)
				}
				return []any{fmt.Sprintf("c%08d", i), int64(1), "referred", "property",
					[]string{"st", fmt.Sprintf("cm%d", i%50), fmt.Sprintf("gd%d", i%1000)}, "res", "张三", "13800138000",
					submitted, int16(0), due, int16(0), doc}, nil
			}
		}()))
	if err != nil {
		return err
	}
	if _, err := conn.Exec(ctx, "ANALYZE esc_complaints"); err != nil {
		return err
	}
	b.Logf("loaded %d open complaints with COPY in %v", n, time.Since(start).Round(time.Millisecond))
	return nil
}
