// Package pgtest gives tests a PostgreSQL database (测试数据库) with no setup on the machine
// beyond the PostgreSQL server binaries: adapter authors use it to run the store/storetest
// conformance suite, and any other test, against a real server.
//
// # Where the server comes from
//
// When the environment variable GRIDGOV_POSTGRES_DSN is set, its server is used (the role
// needs the CREATEDB privilege). Otherwise the first test that asks starts one throwaway
// server for the whole test binary from the machine's own binaries: initdb and pg_ctl are
// looked up on PATH and then under /usr/lib/postgresql/*/bin (the highest version wins).
// The server lives in a temporary directory, listens on a Unix socket only (no TCP port),
// runs without fsync (a test server need not survive a crash) and is removed when the
// tests end. Run as root, it runs as the postgres user (through runuser), which must exist.
//
// When no server can be had (no DSN, no binaries), every test that asks is skipped, except
// when CI=true: then it fails, with a message saying what to install, so that a CI run
// cannot pass by skipping the database tests.
//
// # Using it
//
// Call [Main] from TestMain, so that the server is stopped as soon as the tests end (a
// watchdog process also removes it if the test binary dies):
//
//	func TestMain(m *testing.M) { pgtest.Main(m) }
//
// Then give each test its own database. [NewDatabase] creates an empty one, or a copy of a
// template; [Template] builds a template once per test binary (for example with the
// adapter's migrations applied), so that each test's copy costs tens of milliseconds:
//
//	tmpl := pgtest.Template(t, "migrated", func(ctx context.Context, dsn string) error {
//		db, err := postgres.Open(ctx, dsn)
//		if err != nil {
//			return err
//		}
//		defer db.Close()
//		return db.Migrate(ctx)
//	})
//	dsn := pgtest.NewDatabase(t, tmpl) // dropped when the test ends
//
// Close every connection to a test's database before the test ends (register the close
// with t.Cleanup after calling NewDatabase); the drop forces out any that remain.
package pgtest

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"os"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

// EnvDSN names the environment variable holding the DSN of a server to use instead of a
// throwaway one.
const EnvDSN = "GRIDGOV_POSTGRES_DSN"

// adminTimeout bounds each administrative step (start, create, drop).
const adminTimeout = 2 * time.Minute

// The process-wide state: one server (or external DSN), one administrative pool, and the
// templates built so far.
var (
	mu        sync.Mutex
	started   bool
	state     *serverState
	stateErr  error
	templates = map[string]*template{}
	counter   atomic.Int64
	suffix    = fmt.Sprintf("%d_%d", os.Getpid(), time.Now().UnixNano()%1_000_000)
)

// serverState is the server this process uses.
type serverState struct {
	dsn   string // administrative DSN (the postgres database or the external DSN's)
	srv   *server
	admin *pgxpool.Pool
}

// template is a template database, built once.
type template struct {
	once sync.Once
	name string
	err  error
}

// Main runs the tests, then stops the throwaway server (and drops the templates built on an
// external server), and exits with the tests' code. Call it from TestMain.
func Main(m *testing.M) {
	code := m.Run()
	Stop()
	os.Exit(code)
}

// Stop stops the throwaway server this process started, if any, and removes its
// directory; on an external server it drops the templates this process built. [Main] calls
// it; later calls to [DSN] start a new server.
func Stop() {
	mu.Lock()
	defer mu.Unlock()
	if state != nil {
		if state.srv == nil && state.admin != nil {
			ctx, cancel := context.WithTimeout(context.Background(), adminTimeout)
			for _, tm := range templates {
				if tm.name != "" {
					_, _ = state.admin.Exec(ctx, "DROP DATABASE IF EXISTS "+ident(tm.name)+" WITH (FORCE)")
				}
			}
			cancel()
		}
		if state.admin != nil {
			state.admin.Close()
		}
		if state.srv != nil {
			state.srv.stop()
		}
	}
	started, state, stateErr = false, nil, nil
	templates = map[string]*template{}
}

// DSN returns the DSN of the server's administrative database, starting the throwaway
// server on first use. It skips the test when no server can be had (fails it when
// CI=true), and fails it when a server could not be started.
func DSN(t testing.TB) string {
	t.Helper()
	return server0(t).dsn
}

// server0 returns the process's server state, starting it if need be.
func server0(t testing.TB) *serverState {
	t.Helper()
	mu.Lock()
	if !started {
		started = true
		state, stateErr = connect()
	}
	st, err := state, stateErr
	mu.Unlock()
	if err != nil {
		var un *unavailableError
		if errors.As(err, &un) {
			unavailable(t, un.reason)
		}
		t.Fatalf("pgtest: %v", err)
	}
	return st
}

// connect finds or starts the server and opens the administrative pool.
func connect() (*serverState, error) {
	st := &serverState{}
	if dsn := os.Getenv(EnvDSN); dsn != "" {
		st.dsn = dsn
	} else {
		srv, err := startServer()
		if err != nil {
			return nil, err
		}
		st.srv, st.dsn = srv, srv.dsn
	}
	ctx, cancel := context.WithTimeout(context.Background(), adminTimeout)
	defer cancel()
	cfg, err := pgxpool.ParseConfig(st.dsn)
	if err == nil {
		cfg.MaxConns = 4
		st.admin, err = pgxpool.NewWithConfig(ctx, cfg)
	}
	if err == nil {
		err = st.admin.Ping(ctx)
	}
	if err != nil {
		if st.admin != nil {
			st.admin.Close()
		}
		if st.srv != nil {
			st.srv.stop()
		}
		return nil, fmt.Errorf("connecting to %s: %w", redact(st.dsn), err)
	}
	return st, nil
}

// unavailable skips t because no server can be had, or fails it when CI=true.
func unavailable(t testing.TB, reason string) {
	t.Helper()
	if os.Getenv("CI") == "true" {
		t.Fatalf("pgtest: PostgreSQL is required when CI=true, but %s. Install the server "+
			"(apt-get install postgresql) or set %s to the DSN of a server whose role may create databases", reason, EnvDSN)
		return
	}
	t.Skipf("pgtest: no PostgreSQL server (%s); set %s or install the server binaries to run this test", reason, EnvDSN)
}

// unavailableError says why no server can be had on this machine.
type unavailableError struct{ reason string }

func (e *unavailableError) Error() string { return e.reason }

// NewDatabase creates an empty database, or a copy of template when it is not empty, and
// returns its DSN. The database is dropped when the test ends (with any connection still
// open to it forced out).
func NewDatabase(t testing.TB, template string) string {
	t.Helper()
	st := server0(t)
	name := fmt.Sprintf("gridgov_t_%s_%d", suffix, counter.Add(1))
	stmt := "CREATE DATABASE " + ident(name)
	if template != "" {
		stmt += " TEMPLATE " + ident(template)
	}
	ctx, cancel := context.WithTimeout(context.Background(), adminTimeout)
	defer cancel()
	if _, err := st.admin.Exec(ctx, stmt); err != nil {
		t.Fatalf("pgtest: creating database %s: %v", name, err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), adminTimeout)
		defer cancel()
		if _, err := st.admin.Exec(ctx, "DROP DATABASE IF EXISTS "+ident(name)+" WITH (FORCE)"); err != nil {
			t.Errorf("pgtest: dropping database %s: %v", name, err)
		}
	})
	dsn, err := WithDatabase(st.dsn, name)
	if err != nil {
		t.Fatalf("pgtest: %v", err)
	}
	return dsn
}

// Template returns the name of a template database built once per test binary: the first
// call with a given key creates an empty database and runs setup on its DSN (setup must
// close its connections before it returns); later calls return the same database. Pass the
// name to [NewDatabase]. A failed setup fails every test that asks for the template.
func Template(t testing.TB, key string, setup func(ctx context.Context, dsn string) error) string {
	t.Helper()
	st := server0(t)
	mu.Lock()
	tm := templates[key]
	if tm == nil {
		tm = &template{}
		templates[key] = tm
	}
	mu.Unlock()
	tm.once.Do(func() { tm.name, tm.err = buildTemplate(st, key, setup) })
	if tm.err != nil {
		t.Fatalf("pgtest: template %q: %v", key, tm.err)
	}
	return tm.name
}

var unsafeChars = regexp.MustCompile(`[^a-z0-9_]+`)

// buildTemplate creates the template database for key and runs setup on it.
func buildTemplate(st *serverState, key string, setup func(ctx context.Context, dsn string) error) (string, error) {
	clean := unsafeChars.ReplaceAllString(strings.ToLower(key), "_")
	if len(clean) > 20 {
		clean = clean[:20]
	}
	name := fmt.Sprintf("gridgov_tpl_%s_%s_%d", clean, suffix, counter.Add(1))
	ctx, cancel := context.WithTimeout(context.Background(), adminTimeout)
	defer cancel()
	if _, err := st.admin.Exec(ctx, "CREATE DATABASE "+ident(name)); err != nil {
		return "", fmt.Errorf("creating %s: %w", name, err)
	}
	dsn, err := WithDatabase(st.dsn, name)
	if err == nil && setup != nil {
		err = setup(ctx, dsn)
	}
	if err == nil {
		_, err = st.admin.Exec(ctx, "ALTER DATABASE "+ident(name)+" WITH IS_TEMPLATE true")
	}
	if err != nil {
		_, _ = st.admin.Exec(ctx, "DROP DATABASE IF EXISTS "+ident(name)+" WITH (FORCE)")
		return "", err
	}
	return name, nil
}

// WithDatabase returns dsn with its database replaced by name. It accepts both forms
// libpq does: URLs (postgres://…) and keyword/value strings.
func WithDatabase(dsn, name string) (string, error) {
	if strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://") {
		u, err := url.Parse(dsn)
		if err != nil {
			return "", fmt.Errorf("parsing the DSN: %w", err)
		}
		u.Path = "/" + name
		u.RawPath = ""
		return u.String(), nil
	}
	// In keyword/value form a later keyword overrides an earlier one.
	return strings.TrimSpace(dsn) + " dbname=" + quoteValue(name), nil
}

// quoteValue quotes a keyword/value DSN value.
func quoteValue(v string) string {
	return "'" + strings.NewReplacer(`\`, `\\`, `'`, `\'`).Replace(v) + "'"
}

// ident quotes an identifier for SQL.
func ident(name string) string { return pgx.Identifier{name}.Sanitize() }

var (
	passwordKV  = regexp.MustCompile(`password=('(?:[^'\\]|\\.)*'|\S+)`)
	passwordURL = regexp.MustCompile(`(://[^:/@]*:)[^@]*@`)
)

// redact hides a password in dsn, for messages.
func redact(dsn string) string {
	dsn = passwordKV.ReplaceAllString(dsn, "password=***")
	return passwordURL.ReplaceAllString(dsn, "${1}***@")
}
