package pgtest

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestMain(m *testing.M) { Main(m) }

// connect opens a connection to dsn, closed when the test ends.
func connectTo(t *testing.T, dsn string) *pgx.Conn {
	t.Helper()
	conn, err := pgx.Connect(t.Context(), dsn)
	require.NoError(t, err)
	t.Cleanup(func() { _ = conn.Close(context.Background()) })
	return conn
}

// The server answers on the administrative DSN, over a Unix socket when it is ours.
func TestDSN(t *testing.T) {
	dsn := DSN(t)
	conn := connectTo(t, dsn)
	var version string
	require.NoError(t, conn.QueryRow(t.Context(), "SHOW server_version").Scan(&version))
	t.Logf("server %s", version)
	if os.Getenv(EnvDSN) == "" {
		var listen string
		require.NoError(t, conn.QueryRow(t.Context(), "SHOW listen_addresses").Scan(&listen))
		assert.Empty(t, listen, "the throwaway server opens no TCP port")
		assert.Equal(t, dsn, DSN(t), "one server per test binary")
	}
}

// Each NewDatabase is a fresh, separate database, dropped when its test ends.
func TestNewDatabaseIsolated(t *testing.T) {
	var name1 string
	t.Run("first", func(t *testing.T) {
		a := connectTo(t, NewDatabase(t, ""))
		_, err := a.Exec(t.Context(), "CREATE TABLE only_here (x int)")
		require.NoError(t, err)
		require.NoError(t, a.QueryRow(t.Context(), "SELECT current_database()").Scan(&name1))

		b := connectTo(t, NewDatabase(t, ""))
		var n int
		require.NoError(t, b.QueryRow(t.Context(), "SELECT count(*) FROM pg_tables WHERE tablename = 'only_here'").Scan(&n))
		assert.Zero(t, n, "a second database does not see the first one's tables")
	})
	admin := connectTo(t, DSN(t))
	var n int
	require.NoError(t, admin.QueryRow(t.Context(), "SELECT count(*) FROM pg_database WHERE datname = $1", name1).Scan(&n))
	assert.Zero(t, n, "the database is dropped when its test ends")
}

// A template is built once, and each database made from it starts with its content.
func TestTemplate(t *testing.T) {
	var mu sync.Mutex
	runs := 0
	setup := func(ctx context.Context, dsn string) error {
		mu.Lock()
		runs++
		mu.Unlock()
		conn, err := pgx.Connect(ctx, dsn)
		if err != nil {
			return err
		}
		defer conn.Close(ctx)
		_, err = conn.Exec(ctx, "CREATE TABLE seeded (x int); INSERT INTO seeded VALUES (42)")
		return err
	}
	for i := range 3 {
		tmpl := Template(t, "pgtest-seeded", setup)
		conn := connectTo(t, NewDatabase(t, tmpl))
		var x int
		require.NoError(t, conn.QueryRow(t.Context(), "SELECT x FROM seeded").Scan(&x), "copy %d", i)
		assert.Equal(t, 42, x)
		_, err := conn.Exec(t.Context(), "INSERT INTO seeded VALUES (1)")
		require.NoError(t, err, "each copy is the test's own to change")
	}
	assert.Equal(t, 1, runs, "the template's setup runs once per test binary")
}

// The binaries are found on PATH first, then in the highest-versioned directory.
func TestFindBinDir(t *testing.T) {
	root := t.TempDir()
	mk := func(dir string, names ...string) string {
		p := filepath.Join(root, dir)
		require.NoError(t, os.MkdirAll(p, 0o755))
		for _, n := range names {
			require.NoError(t, os.WriteFile(filepath.Join(p, n), []byte("#!/bin/sh\n"), 0o755))
		}
		return p
	}
	onPath := mk("path", "initdb", "pg_ctl")
	half := mk("half", "initdb")
	v13 := mk("lib/13/bin", "initdb", "pg_ctl")
	v16 := mk("lib/16/bin", "initdb", "pg_ctl")
	mk("lib/17/bin", "pg_ctl") // incomplete: skipped
	globs := []string{filepath.Join(root, "lib/*/bin")}

	got, err := FindBinDir(strings.Join([]string{half, onPath}, string(os.PathListSeparator)), globs)
	require.NoError(t, err)
	assert.Equal(t, onPath, got, "PATH comes first")

	got, err = FindBinDir(half, globs)
	require.NoError(t, err)
	assert.Equal(t, v16, got, "the highest version under the globs")
	assert.NotEqual(t, v13, got)

	require.NoError(t, os.WriteFile(filepath.Join(root, "notexec"), nil, 0o644))
	_, err = FindBinDir(half, []string{filepath.Join(root, "none/*/bin")})
	require.Error(t, err)
}

// fakeTB records whether a test was skipped or failed.
type fakeTB struct {
	testing.TB
	skipped, failed bool
	msg             string
}

func (f *fakeTB) Helper() {}
func (f *fakeTB) Skipf(format string, args ...any) {
	f.skipped, f.msg = true, fmt.Sprintf(format, args...)
}
func (f *fakeTB) Fatalf(format string, args ...any) {
	f.failed, f.msg = true, fmt.Sprintf(format, args...)
}

// Without a server a test is skipped, except under CI=true, where it fails.
func TestUnavailable(t *testing.T) {
	t.Setenv("CI", "")
	tb := &fakeTB{}
	unavailable(tb, "no binaries")
	assert.True(t, tb.skipped)
	assert.False(t, tb.failed)

	t.Setenv("CI", "true")
	tb = &fakeTB{}
	unavailable(tb, "no binaries")
	assert.True(t, tb.failed, "CI=true turns the skip into a failure")
	assert.Contains(t, tb.msg, "apt-get install postgresql")
}

// DSNs of both forms get their database replaced.
func TestWithDatabase(t *testing.T) {
	got, err := WithDatabase("postgres://u:secret@db.example:5432/app?sslmode=disable", "other")
	require.NoError(t, err)
	assert.Equal(t, "postgres://u:secret@db.example:5432/other?sslmode=disable", got)

	got, err = WithDatabase("host=/tmp/x user=postgres dbname=postgres", "t_1")
	require.NoError(t, err)
	cfg, err := pgx.ParseConfig(got)
	require.NoError(t, err)
	assert.Equal(t, "t_1", cfg.Database)
	assert.Equal(t, "/tmp/x", cfg.Host)

	assert.Equal(t, "host=h password=*** user=u", redact("host=h password=s3cret user=u"))
	assert.Equal(t, "postgres://u:***@h/db", redact("postgres://u:s3cret@h/db"))
}
