package storetest

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"

	"github.com/gridgov/gridgov"
	"github.com/gridgov/gridgov/funding"
)

// fundingTests lists the contract tests of funding.Store, one subtest each.
var fundingTests = []struct {
	name string
	run  func(f fundFx)
}{
	// Funds and accounts.
	{"FundCreateGet", testFundingFundCreateGet},
	{"FundList", testFundingFundList},
	{"FundCreateRefusals", testFundingFundCreateRefusals},
	{"AccountCreateGet", testFundingAccountCreateGet},
	{"AccountCreateRefusals", testFundingAccountCreateRefusals},
	// Postings.
	{"PostApplied", testFundingPostApplied},
	{"PostCopies", testFundingPostCopies},
	{"PostRefusals", testFundingPostRefusals},
	{"PostMixedUnits", testFundingPostMixedUnits},
	{"PostOverdraw", testFundingPostOverdraw},
	{"PostIdempotent", testFundingPostIdempotent},
	{"PostDuplicateID", testFundingPostDuplicateID},
	{"Reversal", testFundingReversal},
	{"ReversalRefusals", testFundingReversalRefusals},
	{"PostingsQuery", testFundingPostingsQuery},
	{"LedgerModel", testFundingLedgerModel},
	// Concurrency.
	{"ConcurrentDisbursements", testFundingConcurrentDisbursements},
	{"ConcurrentRetries", testFundingConcurrentRetries},
	{"ConcurrentReversals", testFundingConcurrentReversals},
	{"ConcurrentAccountOpen", testFundingConcurrentAccountOpen},
	// Context.
	{"CancelledContext", testFundingCancelledContext},
}

func runFunding(t *testing.T, newStores Harness) {
	for _, tc := range fundingTests {
		t.Run(tc.name, func(t *testing.T) {
			st := newStores(t).Funding
			if st == nil {
				t.Skip("storetest: the harness provides no funding store")
			}
			tc.run(fundFx{t: t, st: st, ctx: t.Context(), accts: new([]string)})
		})
	}
}

// fundFx is one funding subtest's fixture: its T, a fresh store, a live context and the
// IDs of the accounts created so far (so that a snapshot can read every balance).
type fundFx struct {
	t     *testing.T
	st    funding.Store
	ctx   context.Context
	accts *[]string
}

// The accounts of the standard fixture (see setup).
const (
	fxSource  = "src"     // the treasury (财政拨款), a source account
	fxFund    = "fund:f1" // fund f1's account
	fxExpense = "exp"     // goods and services bought
	fxPtsSrc  = "pts:src" // the points issuer
	fxPtsExp  = "pts:exp" // points redeemed
)

// fxRecipients are the recipient accounts of the standard fixture.
var fxRecipients = []string{"r1", "r2", "r3"}

// fxPeople are the points accounts of the standard fixture.
var fxPeople = []string{"pts:p1", "pts:p2"}

// cny reads an amount (panics on a malformed literal: fixtures only).
func cny(s string) decimal.Decimal { return decimal.RequireFromString(s) }

// lineOf returns a line of amount on account.
func lineOf(account, amount string) funding.Line {
	return funding.Line{AccountID: account, Amount: cny(amount)}
}

// transfer returns the two lines that move amount from one account to another.
func transfer(from, to, amount string) []funding.Line {
	return []funding.Line{lineOf(from, "-"+amount), lineOf(to, amount)}
}

// newFundingFund returns an unsaved fund with every field set.
func newFundingFund(id, parent, budget string) funding.Fund {
	return funding.Fund{
		ID: id, Name: "fund " + id, NodeID: "node-" + id, ParentID: parent,
		Period: funding.Year(2024, nil), Budget: cny(budget), AccountID: "fund:" + id,
	}
}

// newPosting returns an unsaved posting with key "key-"+id, a reason and a fixed time.
func newPosting(id string, lines ...funding.Line) funding.Posting {
	return funding.Posting{
		ID: id, Key: "key-" + id, Lines: lines, Actor: gridgov.SystemActor("storetest"),
		Reason: "storetest posting " + id, At: t0,
	}
}

// reversal returns the posting that reverses p: its lines negated, ReversalOf set.
func reversal(p funding.Posting, id string) funding.Posting {
	lines := make([]funding.Line, len(p.Lines))
	for i, l := range p.Lines {
		lines[i] = funding.Line{AccountID: l.AccountID, Amount: l.Amount.Neg()}
	}
	r := newPosting(id, lines...)
	r.ReversalOf = p.ID
	return r
}

// fund creates the fund id under parent and returns the stored value.
func (f fundFx) fund(id, parent string) funding.Fund {
	f.t.Helper()
	fd, err := f.st.CreateFund(f.ctx, newFundingFund(id, parent, "0"))
	require.NoError(f.t, err, "CreateFund(%q)", id)
	*f.accts = append(*f.accts, fd.AccountID)
	return fd
}

// account creates an account and returns the stored value.
func (f fundFx) account(id string, kind funding.AccountKind, unit funding.Unit) funding.Account {
	f.t.Helper()
	a, err := f.st.CreateAccount(f.ctx, funding.Account{ID: id, Kind: kind, Unit: unit, Name: "account " + id})
	require.NoError(f.t, err, "CreateAccount(%q)", id)
	if !slices.Contains(*f.accts, id) {
		*f.accts = append(*f.accts, id)
	}
	return a
}

// setup creates the standard fixture: a source, fund f1 holding inFund (appropriated from
// the source by posting "appropriation"), recipients r1..r3, an expense account, and a
// points issuer with two people's points accounts and a redemption account.
func (f fundFx) setup(inFund string) {
	f.t.Helper()
	f.account(fxSource, funding.AccountSource, funding.CNY)
	f.fund("f1", "")
	for _, r := range fxRecipients {
		f.account(r, funding.AccountRecipient, funding.CNY)
	}
	f.account(fxExpense, funding.AccountExpense, funding.CNY)
	f.account(fxPtsSrc, funding.AccountSource, funding.Points)
	for _, p := range fxPeople {
		f.account(p, funding.AccountRecipient, funding.Points)
	}
	f.account(fxPtsExp, funding.AccountExpense, funding.Points)
	if !cny(inFund).IsZero() {
		f.post(newPosting("appropriation", transfer(fxSource, fxFund, inFund)...))
	}
}

// post applies p and fails the test unless it is applied.
func (f fundFx) post(p funding.Posting) funding.Posting {
	f.t.Helper()
	got, applied, err := f.st.Post(f.ctx, p)
	require.NoError(f.t, err, "Post(%q)", p.ID)
	require.True(f.t, applied, "Post(%q) applied", p.ID)
	return got
}

// balance returns the account's balance.
func (f fundFx) balance(id string) decimal.Decimal {
	f.t.Helper()
	b, err := f.st.Balance(f.ctx, id)
	require.NoError(f.t, err, "Balance(%q)", id)
	require.Equal(f.t, id, b.AccountID)
	return b.Amount
}

// requireBalance checks the account's balance with decimal equality.
func (f fundFx) requireBalance(id, want string, msgAndArgs ...any) {
	f.t.Helper()
	got := f.balance(id)
	require.Truef(f.t, cny(want).Equal(got), "balance of %s: want %s, got %s %s", id, want, got, message(msgAndArgs))
}

// lineView is a Line in comparable form: the amount as its shortest decimal string, the
// time in UTC.
type lineView struct {
	AccountID string
	Amount    string
	Expires   time.Time
}

// postingView is a Posting in comparable form (see lineView).
type postingView struct {
	ID, Key    string
	Lines      []lineView
	Actor      gridgov.Actor
	Reason     string
	At         time.Time
	ReversalOf string
	PlanID     string
	PlanLine   int
	Seq        int64
}

func viewPosting(p funding.Posting) postingView {
	v := postingView{
		ID: p.ID, Key: p.Key, Actor: p.Actor, Reason: p.Reason, At: at(p.At),
		ReversalOf: p.ReversalOf, PlanID: p.PlanID, PlanLine: p.PlanLine, Seq: p.Seq,
	}
	for _, l := range p.Lines {
		v.Lines = append(v.Lines, lineView{AccountID: l.AccountID, Amount: l.Amount.String(), Expires: at(l.Expires)})
	}
	return v
}

func viewPostings(list []funding.Posting) []postingView {
	out := make([]postingView, len(list))
	for i, p := range list {
		out[i] = viewPosting(p)
	}
	return out
}

// requirePosting checks that got is want, Seq aside (want.Seq is ignored when zero).
func (f fundFx) requirePosting(want, got funding.Posting, msgAndArgs ...any) {
	f.t.Helper()
	if want.Seq == 0 {
		want.Seq = got.Seq
	}
	require.Equal(f.t, viewPosting(want), viewPosting(got), msgAndArgs...)
}

// postingIDs returns the IDs of list, in order.
func postingIDs(list []funding.Posting) []string {
	out := make([]string, len(list))
	for i, p := range list {
		out[i] = p.ID
	}
	return out
}

// ledgerSnapshot is everything the ledger holds: the balance of every account the fixture
// created and every posting.
type ledgerSnapshot struct {
	Balances map[string]string
	Postings []postingView
}

// ledger reads the ledger, so that a refused posting can be shown to change nothing.
func (f fundFx) ledger() ledgerSnapshot {
	f.t.Helper()
	snap := ledgerSnapshot{Balances: map[string]string{}}
	for _, id := range *f.accts {
		snap.Balances[id] = f.balance(id).String()
	}
	all, err := f.st.Postings(f.ctx, funding.PostingQuery{})
	require.NoError(f.t, err)
	snap.Postings = viewPostings(all)
	return snap
}

// requireLedgerUnchanged checks that the ledger still equals before.
func (f fundFx) requireLedgerUnchanged(before ledgerSnapshot, msgAndArgs ...any) {
	f.t.Helper()
	require.Equal(f.t, before, f.ledger(), msgAndArgs...)
}

// requireBalancedBooks checks that the balances of every account the fixture created sum
// to zero in each unit (double entry).
func (f fundFx) requireBalancedBooks(msgAndArgs ...any) {
	f.t.Helper()
	sums := map[funding.Unit]decimal.Decimal{}
	for _, id := range *f.accts {
		a, err := f.st.GetAccount(f.ctx, id)
		require.NoError(f.t, err)
		sums[a.Unit] = sums[a.Unit].Add(f.balance(id))
	}
	for unit, sum := range sums {
		require.Truef(f.t, sum.IsZero(), "the %s balances sum to %s, not zero %s", unit, sum, message(msgAndArgs))
	}
}
