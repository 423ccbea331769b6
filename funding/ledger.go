package funding

import (
	"time"

	"github.com/shopspring/decimal"

	"github.com/gridgov/gridgov"
)

// Fund is a pot of money with an owner node and a fiscal period (资金): the district special
// fund, a community's start-up grants, a branch's working funds...
type Fund struct {
	ID     string
	Name   string
	NodeID string // the owner node in the organisation tree
	// ParentID is the fund this one draws from ("" for a top fund).
	ParentID string
	Period   Period
	// Budget is the amount the fund was set up with (its appropriation, 预算额度).
	Budget decimal.Decimal
	// AccountID is the fund's ledger account (by default "fund:" + ID).
	AccountID string
	Version   int64
}

// Unit is what an account counts.
type Unit string

// The units.
const (
	CNY    Unit = "CNY"    // money in yuan, to the fen
	Points Unit = "points" // grid points (网格积分), whole points
)

// AccountKind says what an account stands for.
type AccountKind string

// The account kinds.
const (
	// AccountSource is where money or points come from (财政拨款, the points issuer): the
	// only kind whose balance may go below zero.
	AccountSource AccountKind = "source"
	// AccountFund holds a fund's money.
	AccountFund AccountKind = "fund"
	// AccountRecipient holds what a recipient (person, organisation or node) was paid, or a
	// person's points.
	AccountRecipient AccountKind = "recipient"
	// AccountExpense records money spent on goods and services, or points redeemed or
	// expired.
	AccountExpense AccountKind = "expense"
)

// Account is a ledger account (账户). Its balance is the sum of the amounts of its lines;
// every account except a source account must keep a balance of zero or more.
type Account struct {
	ID   string
	Kind AccountKind
	Unit Unit
	Name string
	// FundID, NodeID and OwnerID say whose account it is: the fund it belongs to, the node it
	// serves, and the person or organisation it pays (as applicable).
	FundID, NodeID, OwnerID string
}

// NonNegative reports whether the account's balance must stay at zero or above.
func (a Account) NonNegative() bool { return a.Kind != AccountSource }

// Line is one side of a posting: a signed amount on one account. Positive adds to the
// account's balance, negative takes from it.
type Line struct {
	AccountID string
	Amount    decimal.Decimal
	// Expires, on a points line that adds points, is when those points lapse (zero: never).
	Expires time.Time
}

// Posting is a balanced set of lines applied atomically (记账凭证): per unit, the amounts
// sum to zero. Postings are never edited; a correction is a reversal.
type Posting struct {
	ID string
	// Key is the idempotency key: a posting retried with the same key is applied once.
	Key   string
	Lines []Line
	Actor gridgov.Actor
	// Reason says why (e.g. "2025 working funds, branch 12"); required.
	Reason string
	At     time.Time
	// ReversalOf names the posting this one reverses ("" if none). A posting can be
	// reversed once.
	ReversalOf string
	// PlanID and PlanLine tie a disbursement to the plan line it pays (optional).
	PlanID   string
	PlanLine int
	// Seq is the store's sequence number of the posting, assigned by the store, increasing
	// in commit order.
	Seq int64
}

// Balance is an account's balance at a point in the ledger.
type Balance struct {
	AccountID string
	Amount    decimal.Decimal
	// Seq is the sequence number of the last posting included.
	Seq int64
}
