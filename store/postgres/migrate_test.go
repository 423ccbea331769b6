package postgres_test

import (
	"context"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gridgov/gridgov/store/postgres"
	"github.com/gridgov/gridgov/store/postgres/pgtest"
)

// The embedded migrations are numbered 1, 2, 3… one per domain, each with a checksum.
func TestMigrations(t *testing.T) {
	migs, err := postgres.Migrations()
	require.NoError(t, err)
	require.NotEmpty(t, migs)
	for i, m := range migs {
		assert.Equal(t, i+1, m.Version, "versions follow each other")
		assert.NotEmpty(t, m.Name)
		assert.Len(t, m.Checksum, 64)
		assert.Contains(t, m.SQL, "CREATE TABLE")
	}
	names := make([]string, len(migs))
	for i, m := range migs {
		names[i] = m.Name
	}
	assert.Equal(t, []string{"governance", "escalation", "funding", "evaluation", "deliberation"}, names)
}

// Two processes migrating an empty database at once both succeed, and each migration is
// applied exactly once (a second application would fail: the files create tables without
// IF NOT EXISTS). Migrating again applies nothing.
func TestMigrateConcurrent(t *testing.T) {
	dsn := pgtest.NewDatabase(t, "")
	a, b := open(t, dsn), open(t, dsn)
	v, err := a.SchemaVersion(t.Context())
	require.NoError(t, err)
	assert.Zero(t, v, "an empty database has no schema")

	for round := range 2 {
		var wg sync.WaitGroup
		errs := make([]error, 2)
		for i, db := range []*postgres.DB{a, b} {
			wg.Add(1)
			go func() {
				defer wg.Done()
				errs[i] = db.Migrate(t.Context())
			}()
		}
		wg.Wait()
		require.NoError(t, errs[0], "round %d", round)
		require.NoError(t, errs[1], "round %d", round)
	}
	migs, err := postgres.Migrations()
	require.NoError(t, err)
	var rows, distinct int
	require.NoError(t, a.Pool().QueryRow(t.Context(),
		"SELECT count(*), count(DISTINCT version) FROM gridgov_migrations").Scan(&rows, &distinct))
	assert.Equal(t, len(migs), rows, "each migration recorded once")
	assert.Equal(t, len(migs), distinct)
	v, err = b.SchemaVersion(t.Context())
	require.NoError(t, err)
	assert.Equal(t, migs[len(migs)-1].Version, v)

	// The advisory lock was released: a third process can take it at once.
	var got bool
	require.NoError(t, a.Pool().QueryRow(t.Context(), "SELECT pg_try_advisory_lock(x'67726964676f76'::bigint)").Scan(&got))
	assert.True(t, got)
}

// A migration file edited after it was applied stops Migrate before it changes anything.
func TestMigrateChecksum(t *testing.T) {
	db := open(t, pgtest.NewDatabase(t, ""))
	require.NoError(t, db.Migrate(t.Context()))
	_, err := db.Pool().Exec(t.Context(), "UPDATE gridgov_migrations SET checksum = 'edited' WHERE version = 2")
	require.NoError(t, err)
	err = db.Migrate(t.Context())
	require.Error(t, err)
	assert.Contains(t, err.Error(), "has changed since it was applied")
}

// A cancelled context migrates nothing.
func TestMigrateCancelled(t *testing.T) {
	db := open(t, pgtest.NewDatabase(t, ""))
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	require.ErrorIs(t, db.Migrate(ctx), context.Canceled)
	v, err := db.SchemaVersion(t.Context())
	require.NoError(t, err)
	assert.Zero(t, v)
}
