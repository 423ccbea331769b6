package postgres

import (
	"context"

	"github.com/jackc/pgx/v5"
)

// SetTxHook makes db run hook at the start of every explicit transaction (after BEGIN).
func SetTxHook(db *DB, hook func(ctx context.Context, tx pgx.Tx, attempt int) error) {
	db.run.hook = hook
}

// Retries returns how many attempts db has run again.
func Retries(db *DB) int64 { return db.run.retries.Load() }

// SQL of the hot queries, for the EXPLAIN tests.
const (
	ListDueSQL       = listDueSQL
	AncestorsSQL     = ancestorsSQL
	DescendantsSQL   = descendantsSQL
	OrgsAtSubtreeSQL = orgsAtSubtreeSQL
	EventCols        = eventCols
	PostingCols      = postingCols
)

// ListComplaintsSQL and PostingsSQL build the queries of the list methods.
var (
	ListComplaintsSQL = listComplaintsSQL
	PostingsSQL       = postingsSQL
)
