package funding

import (
	"context"
	"time"

	"github.com/shopspring/decimal"
)

// Store keeps funds, accounts and the ledger. Implementations must be safe for concurrent
// use; store/memory has the reference implementation and store/storetest the conformance
// suite every implementation must pass.
//
// Every method honours ctx (a cancelled context returns its error and changes nothing) and
// returns copies: callers mutating results must not change what the store holds, and the
// store must not keep references to its arguments. Amounts are stored exactly (no floating
// point).
type Store interface {
	// CreateFund stores f as version 1 and creates its account (Kind AccountFund, Unit CNY,
	// ID f.AccountID) in one atomic step. An existing fund ID or account ID returns
	// gridgov.ErrAlreadyExists; an empty ID or AccountID, or a ParentID naming no fund,
	// returns gridgov.ErrInvalid. The account starts at zero: money arrives by posting.
	CreateFund(ctx context.Context, f Fund) (Fund, error)

	// GetFund returns the fund, or gridgov.ErrNotFound.
	GetFund(ctx context.Context, id string) (Fund, error)

	// ListFunds returns the funds whose ParentID is parentID ("" for top funds), by ID.
	ListFunds(ctx context.Context, parentID string) ([]Fund, error)

	// CreateAccount stores a. If an account with a.ID exists with the same Kind and Unit it
	// returns that account and no error (so accounts can be opened on demand by concurrent
	// callers); with a different Kind or Unit it returns gridgov.ErrAlreadyExists. An empty
	// ID, Kind or Unit returns gridgov.ErrInvalid.
	CreateAccount(ctx context.Context, a Account) (Account, error)

	// GetAccount returns the account, or gridgov.ErrNotFound.
	GetAccount(ctx context.Context, id string) (Account, error)

	// Post applies p in one atomic step and returns it as stored, with Seq assigned and
	// applied = true. It checks, and on any failure applies nothing:
	//   - p.ID, p.Reason and at least two lines are present, every line names an existing
	//     account, every amount is non-zero, and the amounts of each unit's lines sum to
	//     zero; CNY amounts have at most two decimal places and Points amounts are whole
	//     (gridgov.ErrInvalid otherwise);
	//   - no account that must stay non-negative ([Account.NonNegative]) ends below zero
	//     (gridgov.ErrBudgetExceeded otherwise, even when many postings race);
	//   - p.ReversalOf, when set, names an existing posting that has not been reversed
	//     (gridgov.ErrInvalid when missing, gridgov.ErrConflict when already reversed).
	// When p.Key is not empty and a posting with that key exists, it applies nothing and
	// returns that posting with applied = false and a nil error. An existing p.ID (with a
	// different key) returns gridgov.ErrAlreadyExists.
	Post(ctx context.Context, p Posting) (stored Posting, applied bool, err error)

	// GetPosting returns the posting, or gridgov.ErrNotFound.
	GetPosting(ctx context.Context, id string) (Posting, error)

	// Balance returns the account's balance after every posting applied so far, or
	// gridgov.ErrNotFound.
	Balance(ctx context.Context, accountID string) (Balance, error)

	// Postings returns the postings matching q in Seq order, at most q.Limit (0: all).
	Postings(ctx context.Context, q PostingQuery) ([]Posting, error)
}

// PostingQuery selects postings for [Store.Postings].
type PostingQuery struct {
	// AccountID keeps postings with a line on this account ("" keeps all).
	AccountID string
	// PlanID keeps postings made for this plan ("" keeps all).
	PlanID string
	// From and To keep postings with At in [From, To) (zero bounds are open).
	From, To time.Time
	// AfterSeq keeps postings with Seq greater than AfterSeq.
	AfterSeq int64
	// Limit caps the number returned (0: no cap).
	Limit int
}

// Sum returns the sum of amounts.
func Sum(amounts []decimal.Decimal) decimal.Decimal {
	s := decimal.Zero
	for _, a := range amounts {
		s = s.Add(a)
	}
	return s
}
