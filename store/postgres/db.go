package postgres

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
)

// DB is a gridgov database on PostgreSQL: it holds the connection pool and hands out one
// store per domain ([DB.Governance], [DB.Escalation], [DB.Funding], [DB.Evaluation],
// [DB.Deliberation]). It is safe for
// concurrent use. Build one with [New] (from a pool you own) or [Open] (from a DSN), call
// [DB.Migrate] once at start-up, and [DB.Close] at the end.
type DB struct {
	pool  *pgxpool.Pool
	owned bool // Close closes the pool
	run   runner

	gov   *GovernanceStore
	esc   *EscalationStore
	fund  *FundingStore
	eval  *EvaluationStore
	delib *DeliberationStore
}

// Option configures a [DB].
type Option func(*config)

// config holds the options.
type config struct {
	maxAttempts int
	baseDelay   time.Duration
	maxDelay    time.Duration
	logger      *slog.Logger
}

// WithMaxAttempts sets how many times a store call runs its transaction when the server
// reports a serialization failure (SQLSTATE 40001) or a deadlock (40P01): 10 by default; 1
// disables retries. When the attempts are used up the call fails with an error that
// matches gridgov.ErrConflict (and wraps the server's error).
func WithMaxAttempts(n int) Option {
	return func(c *config) { c.maxAttempts = max(1, n) }
}

// WithBackoff sets the delay before a retry: a random duration ("full jitter") up to base
// doubled once per failed attempt, capped at maxDelay. The defaults are 2ms and 250ms.
func WithBackoff(base, maxDelay time.Duration) Option {
	return func(c *config) {
		c.baseDelay = max(base, time.Microsecond)
		c.maxDelay = max(maxDelay, c.baseDelay)
	}
}

// WithLogger logs retries (at debug level) and migrations (at info level) to l. Nothing is
// logged by default. Personal data is never logged.
func WithLogger(l *slog.Logger) Option {
	return func(c *config) { c.logger = l }
}

// New returns a DB on pool. The pool stays the caller's: [DB.Close] does not close it.
func New(pool *pgxpool.Pool, opts ...Option) *DB {
	cfg := config{maxAttempts: 10, baseDelay: 2 * time.Millisecond, maxDelay: 250 * time.Millisecond}
	for _, o := range opts {
		o(&cfg)
	}
	if cfg.logger == nil {
		cfg.logger = slog.New(slog.DiscardHandler)
	}
	db := &DB{pool: pool, run: runner{pool: pool, cfg: cfg}}
	db.gov = &GovernanceStore{run: &db.run}
	db.esc = &EscalationStore{run: &db.run}
	db.fund = &FundingStore{run: &db.run}
	db.eval = &EvaluationStore{run: &db.run}
	db.delib = &DeliberationStore{run: &db.run}
	return db
}

// Open connects to the database named by dsn (a URL such as
// postgres://user:password@host:5432/db or a keyword/value string; see pgxpool.ParseConfig
// for the pool settings it may carry) and returns a DB that owns its pool: [DB.Close]
// closes it. It checks the connection before it returns.
func Open(ctx context.Context, dsn string, opts ...Option) (*DB, error) {
	cfg, err := pgxpool.ParseConfig(dsn)
	if err != nil {
		return nil, fmt.Errorf("postgres: parsing the DSN: %w", err)
	}
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("postgres: %w", err)
	}
	if err := pool.Ping(ctx); err != nil {
		pool.Close()
		return nil, fmt.Errorf("postgres: connecting: %w", err)
	}
	db := New(pool, opts...)
	db.owned = true
	return db, nil
}

// Close closes the pool if [Open] created it; a pool passed to [New] is left open.
func (db *DB) Close() {
	if db.owned {
		db.pool.Close()
	}
}

// Pool returns the connection pool.
func (db *DB) Pool() *pgxpool.Pool { return db.pool }

// Governance returns the governance.Store of the database.
func (db *DB) Governance() *GovernanceStore { return db.gov }

// Escalation returns the escalation.Store of the database.
func (db *DB) Escalation() *EscalationStore { return db.esc }

// Funding returns the funding.Store of the database.
func (db *DB) Funding() *FundingStore { return db.fund }

// Evaluation returns the evaluation.Store of the database.
func (db *DB) Evaluation() *EvaluationStore { return db.eval }

// Deliberation returns the deliberation.Store of the database: agenda items (议题), their
// histories and the disclosure log.
func (db *DB) Deliberation() *DeliberationStore { return db.delib }
