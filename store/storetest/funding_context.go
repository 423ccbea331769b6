package storetest

import (
	"context"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gridgov/gridgov"
	"github.com/gridgov/gridgov/funding"
)

// Every funding method returns the context's error (possibly wrapped) for a cancelled
// context, and no write changes anything, not even a retry of an applied key.
func testFundingCancelledContext(f fundFx) {
	t := f.t
	f.setup("1000")
	pay := f.post(newPosting("pay", transfer(fxFund, "r1", "100")...))
	before := f.ledger()

	ctx, cancel := context.WithCancel(f.ctx)
	cancel()
	calls := map[string]func() error{
		"CreateFund": func() error { _, err := f.st.CreateFund(ctx, newFundingFund("new", "", "1")); return err },
		"GetFund":    func() error { _, err := f.st.GetFund(ctx, "f1"); return err },
		"ListFunds":  func() error { _, err := f.st.ListFunds(ctx, ""); return err },
		"CreateAccount": func() error {
			_, err := f.st.CreateAccount(ctx, funding.Account{ID: "new", Kind: funding.AccountRecipient, Unit: funding.CNY})
			return err
		},
		"CreateAccount existing": func() error {
			_, err := f.st.CreateAccount(ctx, funding.Account{ID: "r1", Kind: funding.AccountRecipient, Unit: funding.CNY})
			return err
		},
		"GetAccount": func() error { _, err := f.st.GetAccount(ctx, "r1"); return err },
		"Post": func() error {
			_, _, err := f.st.Post(ctx, newPosting("new", transfer(fxFund, "r2", "100")...))
			return err
		},
		"Post retry":    func() error { _, _, err := f.st.Post(ctx, pay); return err },
		"Post reversal": func() error { _, _, err := f.st.Post(ctx, reversal(pay, "rev")); return err },
		"GetPosting":    func() error { _, err := f.st.GetPosting(ctx, "pay"); return err },
		"Balance":       func() error { _, err := f.st.Balance(ctx, fxFund); return err },
		"Postings":      func() error { _, err := f.st.Postings(ctx, funding.PostingQuery{}); return err },
	}
	for name, call := range calls {
		assert.ErrorIs(t, call(), context.Canceled, name)
	}

	f.requireLedgerUnchanged(before)
	_, err := f.st.GetFund(f.ctx, "new")
	require.ErrorIs(t, err, gridgov.ErrNotFound)
	_, err = f.st.GetAccount(f.ctx, "fund:new")
	require.ErrorIs(t, err, gridgov.ErrNotFound)
	_, err = f.st.GetAccount(f.ctx, "new")
	require.ErrorIs(t, err, gridgov.ErrNotFound)
	funds, err := f.st.ListFunds(f.ctx, "")
	require.NoError(t, err)
	require.Equal(t, []string{"f1"}, fundIDs(funds))

	// The reversal was not recorded: the posting can still be reversed.
	f.post(reversal(pay, "rev"))
	f.requireBalance("r1", "0")
}
