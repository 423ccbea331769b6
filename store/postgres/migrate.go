package postgres

import (
	"context"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strconv"
	"strings"

	"github.com/jackc/pgx/v5"
)

// The schema migrations, one file per domain (and later one per change), applied in
// version order. A file is named NNNN_name.sql; once released it never changes: a change
// to the schema is a new file.
//
//go:embed migrations/*.sql
var migrationFiles embed.FS

// Migration is one embedded schema migration.
type Migration struct {
	// Version orders the migrations; it is the file name's number.
	Version int
	// Name is the rest of the file name, for example "escalation".
	Name string
	// SQL is the file's content.
	SQL string
	// Checksum is the SHA-256 of SQL in hex; Migrate refuses to run when an applied
	// migration's recorded checksum differs (the file was edited after it was applied).
	Checksum string
}

// migrationLockKey is the pg_advisory_lock key that serialises Migrate across processes
// ("gridgov" in ASCII).
const migrationLockKey int64 = 0x67726964676f76

// Migrations returns the embedded migrations in version order.
func Migrations() ([]Migration, error) {
	entries, err := fs.ReadDir(migrationFiles, "migrations")
	if err != nil {
		return nil, fmt.Errorf("postgres: reading the migrations: %w", err)
	}
	var out []Migration
	seen := map[int]string{}
	for _, e := range entries {
		base := strings.TrimSuffix(e.Name(), ".sql")
		num, name, ok := strings.Cut(base, "_")
		v, err := strconv.Atoi(num)
		if !ok || err != nil || v <= 0 {
			return nil, fmt.Errorf("postgres: migration file %q is not named NNNN_name.sql", e.Name())
		}
		if other, dup := seen[v]; dup {
			return nil, fmt.Errorf("postgres: migrations %q and %q share version %d", other, e.Name(), v)
		}
		seen[v] = e.Name()
		body, err := migrationFiles.ReadFile(path.Join("migrations", e.Name()))
		if err != nil {
			return nil, fmt.Errorf("postgres: reading migration %q: %w", e.Name(), err)
		}
		sum := sha256.Sum256(body)
		out = append(out, Migration{Version: v, Name: name, SQL: string(body), Checksum: hex.EncodeToString(sum[:])})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Version < out[j].Version })
	return out, nil
}

// Migrate brings the schema up to date: it applies, in version order, each embedded
// migration not yet recorded in the table gridgov_migrations, each in its own transaction
// together with its record. It is idempotent (a second call applies nothing) and safe when
// several processes start at once: it holds a session-level advisory lock
// (pg_advisory_lock) while it works, so the others wait and then find nothing to do. It
// fails, applying nothing, when an applied migration's file has changed since.
func (db *DB) Migrate(ctx context.Context) error {
	if err := live(ctx); err != nil {
		return err
	}
	migs, err := Migrations()
	if err != nil {
		return err
	}
	conn, err := db.pool.Acquire(ctx)
	if err != nil {
		return fmt.Errorf("postgres: migrate: %w", err)
	}
	defer conn.Release()
	if _, err := conn.Exec(ctx, "SELECT pg_advisory_lock($1)", migrationLockKey); err != nil {
		return fmt.Errorf("postgres: migrate: taking the migration lock: %w", err)
	}
	defer func() {
		// Unlock on a context that is not cancelled, or the lock would outlive the call on
		// this pooled connection; if even that fails, drop the connection, which releases it.
		if _, err := conn.Exec(context.WithoutCancel(ctx), "SELECT pg_advisory_unlock($1)", migrationLockKey); err != nil {
			_ = conn.Conn().Close(context.WithoutCancel(ctx))
		}
	}()

	if _, err := conn.Exec(ctx, `CREATE TABLE IF NOT EXISTS gridgov_migrations (
		version    integer PRIMARY KEY,
		name       text NOT NULL,
		checksum   text NOT NULL,
		applied_at timestamptz NOT NULL DEFAULT now())`); err != nil {
		return fmt.Errorf("postgres: migrate: creating gridgov_migrations: %w", err)
	}
	applied := map[int]string{}
	rows, err := conn.Query(ctx, "SELECT version, checksum FROM gridgov_migrations")
	if err != nil {
		return fmt.Errorf("postgres: migrate: %w", err)
	}
	for rows.Next() {
		var v int
		var sum string
		if err := rows.Scan(&v, &sum); err != nil {
			rows.Close()
			return fmt.Errorf("postgres: migrate: %w", err)
		}
		applied[v] = sum
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("postgres: migrate: %w", err)
	}
	for _, m := range migs {
		if sum, ok := applied[m.Version]; ok && sum != m.Checksum {
			return fmt.Errorf("postgres: migrate: migration %04d_%s has changed since it was applied (checksum %s, applied %s)",
				m.Version, m.Name, m.Checksum, sum)
		}
	}
	for _, m := range migs {
		if _, ok := applied[m.Version]; ok {
			continue
		}
		err := pgx.BeginFunc(ctx, conn, func(tx pgx.Tx) error {
			// No arguments: the simple protocol, which runs a file of several statements.
			if _, err := tx.Exec(ctx, m.SQL); err != nil {
				return err
			}
			_, err := tx.Exec(ctx, "INSERT INTO gridgov_migrations (version, name, checksum) VALUES ($1, $2, $3)",
				m.Version, m.Name, m.Checksum)
			return err
		})
		if err != nil {
			return fmt.Errorf("postgres: migrate: applying %04d_%s: %w", m.Version, m.Name, err)
		}
		db.run.cfg.logger.InfoContext(ctx, "postgres: applied a migration", "version", m.Version, "name", m.Name)
	}
	return nil
}

// SchemaVersion returns the highest migration version applied to the database (0 when
// none is).
func (db *DB) SchemaVersion(ctx context.Context) (int, error) {
	var exists bool
	if err := db.pool.QueryRow(ctx, "SELECT to_regclass('gridgov_migrations') IS NOT NULL").Scan(&exists); err != nil {
		return 0, fmt.Errorf("postgres: %w", err)
	}
	if !exists {
		return 0, nil
	}
	var v int
	if err := db.pool.QueryRow(ctx, "SELECT coalesce(max(version), 0) FROM gridgov_migrations").Scan(&v); err != nil {
		return 0, fmt.Errorf("postgres: %w", err)
	}
	return v, nil
}
