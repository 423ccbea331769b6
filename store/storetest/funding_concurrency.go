package storetest

import (
	"fmt"
	"math/rand/v2"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gridgov/gridgov"
	"github.com/gridgov/gridgov/funding"
)

// A fund holding ¥10,000.00 meets 1,000 concurrent disbursements of random fen amounts that
// together exceed it. The fund never goes below zero, every refusal is ErrBudgetExceeded,
// what left the fund is exactly what the accepted ones paid, and the books balance.
func testFundingConcurrentDisbursements(f fundFx) {
	t := f.t
	const inFund = "10000.00"
	f.setup(inFund)
	const recipients, disbursements = 20, 1000
	for i := range recipients {
		f.account(fmt.Sprintf("c%02d", i), funding.AccountRecipient, funding.CNY)
	}
	rng := rand.New(rand.NewPCG(10000, 1000))
	amounts := make([]decimal.Decimal, disbursements)
	total := decimal.Zero
	for i := range amounts {
		amounts[i] = decimal.New(int64(1+rng.IntN(3000)), -2) // ¥0.01 to ¥30.00
		total = total.Add(amounts[i])
	}
	require.True(t, total.GreaterThan(cny(inFund)), "the disbursements (%s) must exceed the fund", total)

	applied := make([]bool, disbursements)
	writers := make([]func() error, disbursements)
	for i := range writers {
		writers[i] = func() error {
			p := newPosting(fmt.Sprintf("d%04d", i), transfer(fxFund, fmt.Sprintf("c%02d", i%recipients), amounts[i].String())...)
			_, ok, err := f.st.Post(f.ctx, p)
			applied[i] = ok
			return err
		}
	}
	errs := race(writers...)

	paid := decimal.Zero
	perRecipient := make([]decimal.Decimal, recipients)
	minRefused := decimal.Decimal{}
	accepted, refused := 0, 0
	for i, err := range errs {
		if err != nil {
			require.ErrorIs(t, err, gridgov.ErrBudgetExceeded, "disbursement %d", i)
			require.False(t, applied[i])
			if refused == 0 || amounts[i].LessThan(minRefused) {
				minRefused = amounts[i]
			}
			refused++
			continue
		}
		require.True(t, applied[i], "disbursement %d has its own key", i)
		accepted++
		paid = paid.Add(amounts[i])
		perRecipient[i%recipients] = perRecipient[i%recipients].Add(amounts[i])
	}
	require.Positive(t, refused, "the fund cannot pay them all")
	require.Positive(t, accepted)

	left := f.balance(fxFund)
	require.False(t, left.IsNegative(), "the fund ended at %s", left)
	require.Truef(t, cny(inFund).Sub(left).Equal(paid), "the fund lost %s, the accepted disbursements paid %s", cny(inFund).Sub(left), paid)
	require.Truef(t, left.LessThan(minRefused),
		"every refused disbursement found less than it asked for: the fund holds %s, the smallest refused asked %s", left, minRefused)
	for i, want := range perRecipient {
		f.requireBalance(fmt.Sprintf("c%02d", i), want.String())
	}
	f.requireBalancedBooks()

	onFund, err := f.st.Postings(f.ctx, funding.PostingQuery{AccountID: fxFund})
	require.NoError(t, err)
	require.Len(t, onFund, 1+accepted, "the appropriation and every accepted disbursement")
	for i := 1; i < len(onFund); i++ {
		require.Greater(t, onFund[i].Seq, onFund[i-1].Seq)
	}
}

// Concurrent retries of one key (even under different IDs) apply it exactly once, and every
// caller gets the posting that was applied.
func testFundingConcurrentRetries(f fundFx) {
	t := f.t
	f.setup("100000")
	const callers = 8
	for i := range iterations {
		key := fmt.Sprintf("retry-%02d", i)
		stored := make([]funding.Posting, callers)
		applied := make([]bool, callers)
		writers := make([]func() error, callers)
		for w := range writers {
			writers[w] = func() error {
				p := newPosting(fmt.Sprintf("%s-%d", key, w), transfer(fxFund, "r1", "10.00")...)
				p.Key = key
				var err error
				stored[w], applied[w], err = f.st.Post(f.ctx, p)
				return err
			}
		}
		winner := -1
		for w, err := range race(writers...) {
			require.NoError(t, err, "iteration %d, caller %d", i, w)
			if applied[w] {
				require.Equal(t, -1, winner, "iteration %d: the key was applied twice", i)
				winner = w
			}
		}
		require.NotEqual(t, -1, winner, "iteration %d: the key was never applied", i)
		for w := range stored {
			assert.Equal(t, stored[winner].ID, stored[w].ID, "iteration %d: every caller gets the applied posting", i)
			assert.Equal(t, stored[winner].Seq, stored[w].Seq)
		}
		f.requireBalance("r1", decimal.NewFromInt(int64(10*(i+1))).String(), "iteration %d", i)
	}
	all, err := f.st.Postings(f.ctx, funding.PostingQuery{AccountID: "r1"})
	require.NoError(t, err)
	require.Len(t, all, iterations)
}

// Concurrent reversals of one posting: exactly one succeeds, the others get ErrConflict,
// and the balances are restored once.
func testFundingConcurrentReversals(f fundFx) {
	t := f.t
	f.setup("100000")
	const callers = 8
	for i := range iterations {
		p := f.post(newPosting(fmt.Sprintf("pay-%02d", i), lineOf(fxFund, "-30"), lineOf("r1", "20"), lineOf("r2", "10")))
		writers := make([]func() error, callers)
		for w := range writers {
			writers[w] = func() error {
				_, _, err := f.st.Post(f.ctx, reversal(p, fmt.Sprintf("rev-%02d-%d", i, w)))
				return err
			}
		}
		won := 0
		for _, err := range race(writers...) {
			if err == nil {
				won++
				continue
			}
			require.ErrorIs(t, err, gridgov.ErrConflict, "iteration %d", i)
		}
		require.Equal(t, 1, won, "iteration %d: exactly one reversal succeeds", i)
		f.requireBalance(fxFund, "100000", "iteration %d", i)
		f.requireBalance("r1", "0", "iteration %d", i)
		f.requireBalance("r2", "0", "iteration %d", i)
	}
	f.requireBalancedBooks()
}

// Accounts can be opened on demand by concurrent callers: each gets the account. Of
// concurrent creations of one fund, exactly one succeeds.
func testFundingConcurrentAccountOpen(f fundFx) {
	t := f.t
	const callers = 8
	for i := range iterations {
		want := funding.Account{ID: fmt.Sprintf("open-%02d", i), Kind: funding.AccountRecipient, Unit: funding.Points}
		got := make([]funding.Account, callers)
		writers := make([]func() error, callers)
		for w := range writers {
			writers[w] = func() error {
				var err error
				got[w], err = f.st.CreateAccount(f.ctx, want)
				return err
			}
		}
		for w, err := range race(writers...) {
			require.NoError(t, err, "iteration %d, caller %d", i, w)
			require.Equal(t, want, got[w])
		}

		fd := newFundingFund(fmt.Sprintf("fund-%02d", i), "", "100")
		won := 0
		for _, err := range race(func() error { _, err := f.st.CreateFund(f.ctx, fd); return err },
			func() error { _, err := f.st.CreateFund(f.ctx, fd); return err }) {
			if err == nil {
				won++
				continue
			}
			require.ErrorIs(t, err, gridgov.ErrAlreadyExists, "iteration %d", i)
		}
		require.Equal(t, 1, won, "iteration %d: exactly one fund creation succeeds", i)
	}
	funds, err := f.st.ListFunds(f.ctx, "")
	require.NoError(t, err)
	require.Len(t, funds, iterations)
}
