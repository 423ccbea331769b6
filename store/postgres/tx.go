package postgres

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/gridgov/gridgov"
)

// SQLSTATE codes the adapter acts on.
const (
	codeSerialization  = "40001" // serialization_failure: retried
	codeDeadlock       = "40P01" // deadlock_detected: retried
	codeUnique         = "23505" // unique_violation
	codeForeignKey     = "23503" // foreign_key_violation
	codeCheck          = "23514" // check_violation
	classDataException = "22"    // data_exception: a value the server cannot store
)

// runner runs store calls: each call is one transaction (an explicit one, or a single
// statement, which PostgreSQL runs as its own transaction), run again with a jittered,
// growing delay when the server reports a serialization failure or a deadlock.
type runner struct {
	pool *pgxpool.Pool
	cfg  config

	// hook, when set (by tests), runs at the start of every explicit transaction, after
	// BEGIN; an error it returns is handled like one from the transaction's statements.
	hook func(ctx context.Context, tx pgx.Tx, attempt int) error
	// retries counts the attempts that were run again.
	retries atomic.Int64
}

// retryable reports whether err is a serialization failure or a deadlock: the server
// rolled the transaction back, and running it again may succeed.
func retryable(err error) bool {
	switch sqlState(err) {
	case codeSerialization, codeDeadlock:
		return true
	}
	return false
}

// sqlState returns err's SQLSTATE, or "" if it does not come from the server.
func sqlState(err error) string {
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		return pgErr.Code
	}
	return ""
}

// do runs fn (attempt counts from 1) until it succeeds, fails with an error that is not
// retryable, or has run cfg.maxAttempts times. Between attempts it waits a random time up
// to baseDelay·2^(attempt-1), capped at maxDelay, or until ctx is done.
func (r *runner) do(ctx context.Context, op string, fn func(ctx context.Context, attempt int) error) error {
	for attempt := 1; ; attempt++ {
		err := fn(ctx, attempt)
		if err == nil || !retryable(err) {
			return err
		}
		if attempt >= r.cfg.maxAttempts {
			return fmt.Errorf("postgres: %s: gave up after %d attempts: %w (%w)", op, attempt, gridgov.ErrConflict, err)
		}
		r.retries.Add(1)
		delay := r.backoff(attempt)
		r.cfg.logger.DebugContext(ctx, "postgres: retrying a transaction",
			"op", op, "attempt", attempt, "sqlstate", sqlState(err), "delay", delay)
		t := time.NewTimer(delay)
		select {
		case <-ctx.Done():
			t.Stop()
			return fmt.Errorf("postgres: %s: %w", op, ctx.Err())
		case <-t.C:
		}
	}
}

// backoff returns the delay before attempt+1: full jitter over an exponential ceiling.
func (r *runner) backoff(attempt int) time.Duration {
	ceiling := r.cfg.baseDelay << min(attempt-1, 20)
	if ceiling <= 0 || ceiling > r.cfg.maxDelay {
		ceiling = r.cfg.maxDelay
	}
	return time.Duration(rand.Int64N(int64(ceiling)) + 1)
}

// tx runs fn in a transaction at iso and commits it, as one retried attempt of do.
func (r *runner) tx(ctx context.Context, op string, iso pgx.TxIsoLevel, fn func(tx pgx.Tx) error) error {
	return r.do(ctx, op, func(ctx context.Context, attempt int) error {
		tx, err := r.pool.BeginTx(ctx, pgx.TxOptions{IsoLevel: iso})
		if err != nil {
			return err
		}
		defer func() { _ = tx.Rollback(context.WithoutCancel(ctx)) }() // a no-op after Commit
		if r.hook != nil {
			if err := r.hook(ctx, tx, attempt); err != nil {
				return err
			}
		}
		if err := fn(tx); err != nil {
			return err
		}
		return tx.Commit(ctx)
	})
}

// live returns ctx's error, if any, so that every method can start with it.
func live(ctx context.Context) error {
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("postgres: %w", err)
	}
	return nil
}

// wrapErr returns err as a store call returns it: gridgov errors as they are, a value the
// server refused as gridgov.ErrInvalid, an integrity violation as the sentinel it stands
// for, and anything else wrapped with the operation's name.
func wrapErr(op string, err error) error {
	if err == nil {
		return nil
	}
	var verr *gridgov.ValidationError
	if errors.As(err, &verr) {
		return err
	}
	for _, sentinel := range []error{gridgov.ErrNotFound, gridgov.ErrConflict, gridgov.ErrAlreadyExists,
		gridgov.ErrInvalid, gridgov.ErrBudgetExceeded} {
		if errors.Is(err, sentinel) {
			return err
		}
	}
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		switch {
		case pgErr.Code == codeUnique:
			return fmt.Errorf("postgres: %s: %w (%w)", op, gridgov.ErrAlreadyExists, err)
		case pgErr.Code == codeForeignKey, pgErr.Code == codeCheck,
			len(pgErr.Code) == 5 && pgErr.Code[:2] == classDataException:
			return fmt.Errorf("postgres: %s: %w (%w)", op, gridgov.ErrInvalid, err)
		}
	}
	return fmt.Errorf("postgres: %s: %w", op, err)
}

// entity names a kind of stored value in both languages, for error messages.
type entity struct{ en, zh string }

// notFound reports a missing entity; it wraps gridgov.ErrNotFound.
func notFound(e entity, id string) error {
	return fmt.Errorf("%s %q not found (%s“%s”不存在): %w", e.en, id, e.zh, id, gridgov.ErrNotFound)
}

// conflict reports a stale version; it wraps gridgov.ErrConflict.
func conflict(e entity, id string, got, current int64) error {
	return fmt.Errorf("%s %q: version %d is stale, the current version is %d (%s“%s”版本%d已过期，当前版本%d): %w",
		e.en, id, got, current, e.zh, id, got, current, gridgov.ErrConflict)
}

// missingRef records on verr that field names no entity of kind e.
func missingRef(verr *gridgov.ValidationError, field string, e entity, id string) {
	verr.Add(field, "exists",
		fmt.Sprintf("%s %q names no %s", field, id, e.en),
		fmt.Sprintf("%s“%s”对应的%s不存在", field, id, e.zh))
}

// requireID records on verr that the identifier field is empty, if it is.
func requireID(verr *gridgov.ValidationError, field, id string) {
	if id == "" {
		verr.Add(field, "required", field+" is required", field+"为必填项")
	}
}

// checkLimit refuses a negative limit.
func checkLimit(field string, limit int) error {
	if limit < 0 {
		return gridgov.Invalid(field, "min", field+" must not be negative", field+"不能为负数")
	}
	return nil
}

// nullable returns nil for "" (stored as NULL) and s otherwise.
func nullable(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// limitArg returns the LIMIT parameter for limit: NULL (no limit) for 0.
func limitArg(limit int) any {
	if limit <= 0 {
		return nil
	}
	return int64(limit)
}

// scanRow returns a batch callback scanning one row into dest.
func scanRow(dest ...any) func(pgx.Row) error {
	return func(row pgx.Row) error { return row.Scan(dest...) }
}
