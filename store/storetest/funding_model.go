package storetest

import (
	"errors"
	"fmt"
	"math/rand/v2"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"

	"github.com/gridgov/gridgov"
	"github.com/gridgov/gridgov/funding"
)

// ledgerModel is the obvious ledger: a map of balances, replayed beside the store.
type ledgerModel struct {
	kinds    map[string]funding.AccountKind
	balances map[string]decimal.Decimal
	postings []funding.Posting // accepted, in order
	byID     map[string]int    // index into postings
	reversed map[string]bool
	onAcct   map[string][]string // account → IDs of the postings with a line on it
}

// outcome returns the balances p would leave and whether any account that must stay
// non-negative would end below zero.
func (m *ledgerModel) outcome(p funding.Posting) (map[string]decimal.Decimal, bool) {
	next := map[string]decimal.Decimal{}
	for _, l := range p.Lines {
		b, ok := next[l.AccountID]
		if !ok {
			b = m.balances[l.AccountID]
		}
		next[l.AccountID] = b.Add(l.Amount)
	}
	for id, b := range next {
		if b.IsNegative() && m.kinds[id] != funding.AccountSource {
			return next, true
		}
	}
	return next, false
}

// accept records p as applied.
func (m *ledgerModel) accept(p funding.Posting, next map[string]decimal.Decimal) {
	for id, b := range next {
		m.balances[id] = b
		m.onAcct[id] = append(m.onAcct[id], p.ID)
	}
	m.byID[p.ID] = len(m.postings)
	m.postings = append(m.postings, p)
	if p.ReversalOf != "" {
		m.reversed[p.ReversalOf] = true
	}
}

// A seeded random run of appropriations, disbursements, spending, points, reversals,
// retries and malformed postings, checked step by step against a model: every balance,
// every refusal and the ledger's order agree, and the books balance in each unit.
func testFundingLedgerModel(f fundFx) {
	t := f.t
	f.setup("0")
	m := &ledgerModel{
		kinds: map[string]funding.AccountKind{}, balances: map[string]decimal.Decimal{},
		byID: map[string]int{}, reversed: map[string]bool{}, onAcct: map[string][]string{},
	}
	for _, id := range *f.accts {
		a, err := f.st.GetAccount(f.ctx, id)
		require.NoError(t, err)
		m.kinds[id], m.balances[id] = a.Kind, decimal.Zero
	}
	rng := rand.New(rand.NewPCG(2024, 11))
	fen := func(limit int) decimal.Decimal { return decimal.New(int64(1+rng.IntN(limit)), -2) }
	whole := func(limit int) decimal.Decimal { return decimal.NewFromInt(int64(1 + rng.IntN(limit))) }
	pick := func(ids []string) string { return ids[rng.IntN(len(ids))] }
	pay := func(from string, amount decimal.Decimal, to string) []funding.Line {
		return []funding.Line{{AccountID: from, Amount: amount.Neg()}, {AccountID: to, Amount: amount}}
	}

	const steps = 400
	for step := range steps {
		id := fmt.Sprintf("m%03d", step)
		var p funding.Posting
		switch r := rng.IntN(100); {
		case r < 10: // appropriation
			p = newPosting(id, pay(fxSource, fen(200000), fxFund)...)
		case r < 40: // disbursement to one to three recipients
			n := 1 + rng.IntN(3)
			total := decimal.Zero
			var lines []funding.Line
			for range n {
				a := fen(50000)
				total = total.Add(a)
				lines = append(lines, funding.Line{AccountID: pick(fxRecipients), Amount: a})
			}
			p = newPosting(id, append([]funding.Line{{AccountID: fxFund, Amount: total.Neg()}}, lines...)...)
		case r < 55: // spending
			p = newPosting(id, pay(pick(fxRecipients), fen(30000), fxExpense)...)
		case r < 60: // points earned
			p = newPosting(id, pay(fxPtsSrc, whole(100), pick(fxPeople))...)
		case r < 65: // points redeemed
			p = newPosting(id, pay(pick(fxPeople), whole(60), fxPtsExp)...)
		case r < 80: // a reversal
			if len(m.postings) == 0 {
				continue
			}
			p = reversal(m.postings[rng.IntN(len(m.postings))], id)
		case r < 90: // a retry of an accepted posting's key, with other content
			if len(m.postings) == 0 {
				continue
			}
			first := m.postings[rng.IntN(len(m.postings))]
			retry := newPosting(id, pay(fxFund, fen(100), "r1")...)
			retry.Key = first.Key
			got, applied, err := f.st.Post(f.ctx, retry)
			require.NoError(t, err, "step %d: retry", step)
			require.False(t, applied, "step %d: retry", step)
			require.Equal(t, first.ID, got.ID, "step %d: retry", step)
			f.requireModel(m, step)
			continue
		default: // malformed: unbalanced
			p = newPosting(id, funding.Line{AccountID: fxFund, Amount: fen(100).Neg()}, funding.Line{AccountID: "r2", Amount: fen(100)})
			if p.Lines[0].Amount.Neg().Equal(p.Lines[1].Amount) {
				continue
			}
			_, _, err := f.st.Post(f.ctx, p)
			require.ErrorIs(t, err, gridgov.ErrInvalid, "step %d", step)
			f.requireModel(m, step)
			continue
		}
		p.At = day(step)

		next, overdraws := m.outcome(p)
		got, applied, err := f.st.Post(f.ctx, p)
		switch {
		case p.ReversalOf != "" && m.reversed[p.ReversalOf]:
			if !overdraws {
				require.ErrorIs(t, err, gridgov.ErrConflict, "step %d: a second reversal of %s", step, p.ReversalOf)
			} else if !isOneOf(err, gridgov.ErrConflict, gridgov.ErrBudgetExceeded) {
				require.Failf(t, "wrong error", "step %d: a second reversal of %s that would overdraw: %v", step, p.ReversalOf, err)
			}
			require.False(t, applied)
		case overdraws:
			require.ErrorIs(t, err, gridgov.ErrBudgetExceeded, "step %d", step)
			require.False(t, applied)
		default:
			require.NoError(t, err, "step %d", step)
			require.True(t, applied, "step %d", step)
			f.requirePosting(p, got, "step %d", step)
			m.accept(got, next)
		}
		f.requireModel(m, step)
	}

	all, err := f.st.Postings(f.ctx, funding.PostingQuery{})
	require.NoError(t, err)
	require.Equal(t, viewPostings(m.postings), viewPostings(all), "the ledger holds the accepted postings in order")
	for id, want := range m.onAcct {
		list, err := f.st.Postings(f.ctx, funding.PostingQuery{AccountID: id})
		require.NoError(t, err)
		require.Equal(t, want, postingIDs(list), "postings on %s", id)
	}
	require.Greater(t, len(m.reversed), 5, "the run reversed postings")
	f.requireBalancedBooks()
}

// requireModel checks every balance against the model.
func (f fundFx) requireModel(m *ledgerModel, step int) {
	f.t.Helper()
	for id, want := range m.balances {
		got := f.balance(id)
		require.Truef(f.t, want.Equal(got), "step %d: balance of %s: want %s, got %s", step, id, want, got)
	}
}

// isOneOf reports whether err matches one of the targets.
func isOneOf(err error, targets ...error) bool {
	for _, target := range targets {
		if errors.Is(err, target) {
			return true
		}
	}
	return false
}
