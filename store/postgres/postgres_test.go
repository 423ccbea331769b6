package postgres_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/gridgov/gridgov/store/postgres"
	"github.com/gridgov/gridgov/store/postgres/pgtest"
	"github.com/gridgov/gridgov/store/storetest"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

// migrated returns the template database with the schema applied (built once per run).
func migrated(t testing.TB) string {
	t.Helper()
	return pgtest.Template(t, "gridgov-migrated", func(ctx context.Context, dsn string) error {
		db, err := postgres.Open(ctx, dsn)
		if err != nil {
			return err
		}
		defer db.Close()
		return db.Migrate(ctx)
	})
}

// newDSN returns the DSN of a fresh, migrated database, dropped when the test ends.
func newDSN(t testing.TB) string {
	t.Helper()
	return pgtest.NewDatabase(t, migrated(t))
}

// open returns a DB on dsn, closed when the test ends.
func open(t testing.TB, dsn string, opts ...postgres.Option) *postgres.DB {
	t.Helper()
	db, err := postgres.Open(context.Background(), dsn, opts...)
	require.NoError(t, err)
	t.Cleanup(db.Close)
	return db
}

// newDB returns a DB on a fresh, migrated database.
func newDB(t testing.TB, opts ...postgres.Option) *postgres.DB {
	t.Helper()
	return open(t, newDSN(t), opts...)
}

// The conformance suite: every domain's contract, each subtest on a database of its own.
func TestConformance(t *testing.T) {
	storetest.Run(t, func(t *testing.T) storetest.Stores {
		db := newDB(t)
		return storetest.Stores{
			Governance:   db.Governance(),
			Escalation:   db.Escalation(),
			Funding:      db.Funding(),
			Evaluation:   db.Evaluation(),
			Deliberation: db.Deliberation(),
		}
	})
}
