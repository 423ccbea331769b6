package storetest

import (
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gridgov/gridgov"
	"github.com/gridgov/gridgov/funding"
)

// normFund normalises a fund for comparison: times in UTC, the budget as its shortest
// decimal string (returned separately, since decimals are not compared with ==).
func normFund(fd funding.Fund) (funding.Fund, string) {
	budget := fd.Budget.String()
	fd.Budget = cny("0")
	fd.Period.Start, fd.Period.End = at(fd.Period.Start), at(fd.Period.End)
	return fd, budget
}

// requireFund checks that got is want.
func (f fundFx) requireFund(want, got funding.Fund, msgAndArgs ...any) {
	f.t.Helper()
	w, wb := normFund(want)
	g, gb := normFund(got)
	require.Equal(f.t, w, g, msgAndArgs...)
	require.Equal(f.t, wb, gb, "Budget %s", message(msgAndArgs))
}

// fundIDs returns the IDs of list, in order.
func fundIDs(list []funding.Fund) []string {
	out := make([]string, len(list))
	for i, fd := range list {
		out[i] = fd.ID
	}
	return out
}

// CreateFund stores the fund as version 1 and opens its account (kind fund, unit CNY) at a
// zero balance, whatever the Budget: money arrives by posting.
func testFundingFundCreateGet(f fundFx) {
	t := f.t
	in := newFundingFund("district", "", "4000000.00")
	got, err := f.st.CreateFund(f.ctx, in)
	require.NoError(t, err)
	want := in
	want.Version = 1
	f.requireFund(want, got, "CreateFund returns the stored fund")
	read, err := f.st.GetFund(f.ctx, "district")
	require.NoError(t, err)
	f.requireFund(want, read, "GetFund")

	acct, err := f.st.GetAccount(f.ctx, in.AccountID)
	require.NoError(t, err)
	assert.Equal(t, in.AccountID, acct.ID)
	assert.Equal(t, funding.AccountFund, acct.Kind)
	assert.Equal(t, funding.CNY, acct.Unit)
	assert.True(t, acct.NonNegative())
	bal, err := f.st.Balance(f.ctx, in.AccountID)
	require.NoError(t, err)
	assert.Equal(t, in.AccountID, bal.AccountID)
	assert.True(t, bal.Amount.IsZero(), "a new fund's account starts at zero, not %s", bal.Amount)
	assert.Zero(t, bal.Seq, "no posting is included yet")

	// A child fund draws from its parent; its account may be named freely.
	child := newFundingFund("community", "district", "100000")
	child.AccountID = "acct-community"
	got, err = f.st.CreateFund(f.ctx, child)
	require.NoError(t, err)
	child.Version = 1
	f.requireFund(child, got)
	_, err = f.st.GetAccount(f.ctx, "acct-community")
	require.NoError(t, err)

	_, err = f.st.GetFund(f.ctx, "nope")
	require.ErrorIs(t, err, gridgov.ErrNotFound)
	_, err = f.st.GetFund(f.ctx, "")
	require.ErrorIs(t, err, gridgov.ErrNotFound)
}

// ListFunds lists the funds drawing from a parent ("" for top funds), by ID.
func testFundingFundList(f fundFx) {
	t := f.t
	for _, id := range []string{"b", "a", "c"} {
		f.fund(id, "")
	}
	for _, id := range []string{"a.2", "a.10", "a.1"} {
		f.fund(id, "a")
	}
	f.fund("a.1.x", "a.1")
	for _, tc := range []struct {
		parent string
		want   []string
	}{
		{"", []string{"a", "b", "c"}},
		{"a", []string{"a.1", "a.10", "a.2"}},
		{"a.1", []string{"a.1.x"}},
		{"b", []string{}},
		{"nope", []string{}},
	} {
		list, err := f.st.ListFunds(f.ctx, tc.parent)
		require.NoError(t, err, "ListFunds(%q)", tc.parent)
		require.Equal(t, tc.want, fundIDs(list), "ListFunds(%q)", tc.parent)
		for _, fd := range list {
			assert.Equal(t, tc.parent, fd.ParentID)
			assert.EqualValues(t, 1, fd.Version)
		}
	}
}

// CreateFund refuses an existing fund or account ID (ErrAlreadyExists) and an empty ID or
// AccountID or an unknown parent (ErrInvalid), creating nothing.
func testFundingFundCreateRefusals(f fundFx) {
	t := f.t
	f.fund("f1", "")
	f.account("taken", funding.AccountRecipient, funding.CNY)
	withAccount := func(fd funding.Fund, account string) funding.Fund { fd.AccountID = account; return fd }
	for _, tc := range []struct {
		name string
		fund funding.Fund
		want error
	}{
		{"duplicate ID", withAccount(newFundingFund("f1", "", "1"), "fund:other"), gridgov.ErrAlreadyExists},
		{"another fund's account", withAccount(newFundingFund("f2", "", "1"), "fund:f1"), gridgov.ErrAlreadyExists},
		{"an account's ID", withAccount(newFundingFund("f3", "", "1"), "taken"), gridgov.ErrAlreadyExists},
		{"empty ID", withAccount(newFundingFund("", "", "1"), "fund:empty"), gridgov.ErrInvalid},
		{"empty AccountID", withAccount(newFundingFund("f4", "", "1"), ""), gridgov.ErrInvalid},
		{"unknown parent", newFundingFund("f5", "nope", "1"), gridgov.ErrInvalid},
		{"itself as parent", newFundingFund("f6", "f6", "1"), gridgov.ErrInvalid},
	} {
		_, err := f.st.CreateFund(f.ctx, tc.fund)
		require.ErrorIs(t, err, tc.want, tc.name)
	}

	list, err := f.st.ListFunds(f.ctx, "")
	require.NoError(t, err)
	require.Equal(t, []string{"f1"}, fundIDs(list), "no refused fund was created")
	got, err := f.st.GetFund(f.ctx, "f1")
	require.NoError(t, err)
	assert.Equal(t, "fund:f1", got.AccountID, "the existing fund is untouched")
	for _, id := range []string{"f2", "f3", "f4", "f5", "f6"} {
		_, err := f.st.GetFund(f.ctx, id)
		require.ErrorIs(t, err, gridgov.ErrNotFound, "fund %s", id)
	}
	for _, id := range []string{"fund:other", "fund:empty", "fund:f5", "fund:f6"} {
		_, err := f.st.GetAccount(f.ctx, id)
		require.ErrorIs(t, err, gridgov.ErrNotFound, "no account was opened for a refused fund: %s", id)
	}
	acct, err := f.st.GetAccount(f.ctx, "taken")
	require.NoError(t, err)
	assert.Equal(t, funding.AccountRecipient, acct.Kind, "the existing account is untouched")
}

// CreateAccount stores an account; opening it again with the same Kind and Unit returns the
// existing account and no error.
func testFundingAccountCreateGet(f fundFx) {
	t := f.t
	in := funding.Account{
		ID: "person:p-17", Kind: funding.AccountRecipient, Unit: funding.CNY, Name: "branch secretary stipend",
		FundID: "f1", NodeID: "cm-1", OwnerID: "p-17",
	}
	got, err := f.st.CreateAccount(f.ctx, in)
	require.NoError(t, err)
	assert.Equal(t, in, got)
	read, err := f.st.GetAccount(f.ctx, in.ID)
	require.NoError(t, err)
	assert.Equal(t, in, read)
	bal, err := f.st.Balance(f.ctx, in.ID)
	require.NoError(t, err)
	assert.True(t, bal.Amount.IsZero())

	again := in
	again.Name = "opened again on demand"
	got, err = f.st.CreateAccount(f.ctx, again)
	require.NoError(t, err, "same Kind and Unit: the existing account")
	assert.Equal(t, in, got, "the existing account is returned, unchanged")
	read, err = f.st.GetAccount(f.ctx, in.ID)
	require.NoError(t, err)
	assert.Equal(t, in, read)

	pts := funding.Account{ID: "points:p-17", Kind: funding.AccountRecipient, Unit: funding.Points, OwnerID: "p-17"}
	got, err = f.st.CreateAccount(f.ctx, pts)
	require.NoError(t, err)
	assert.Equal(t, pts, got)
	src := funding.Account{ID: "treasury", Kind: funding.AccountSource, Unit: funding.CNY}
	got, err = f.st.CreateAccount(f.ctx, src)
	require.NoError(t, err)
	assert.Equal(t, src, got)

	_, err = f.st.GetAccount(f.ctx, "nope")
	require.ErrorIs(t, err, gridgov.ErrNotFound)
	_, err = f.st.Balance(f.ctx, "nope")
	require.ErrorIs(t, err, gridgov.ErrNotFound)
}

// CreateAccount refuses an existing ID with another Kind or Unit (ErrAlreadyExists) and an
// empty ID, Kind or Unit (ErrInvalid), changing nothing.
func testFundingAccountCreateRefusals(f fundFx) {
	t := f.t
	f.fund("f1", "")
	existing := f.account("r1", funding.AccountRecipient, funding.CNY)
	for _, tc := range []struct {
		name string
		acct funding.Account
		want error
	}{
		{"other kind", funding.Account{ID: "r1", Kind: funding.AccountExpense, Unit: funding.CNY}, gridgov.ErrAlreadyExists},
		{"other unit", funding.Account{ID: "r1", Kind: funding.AccountRecipient, Unit: funding.Points}, gridgov.ErrAlreadyExists},
		{"a fund's account as another kind", funding.Account{ID: "fund:f1", Kind: funding.AccountRecipient, Unit: funding.CNY}, gridgov.ErrAlreadyExists},
		{"a fund's account in points", funding.Account{ID: "fund:f1", Kind: funding.AccountFund, Unit: funding.Points}, gridgov.ErrAlreadyExists},
		{"empty ID", funding.Account{Kind: funding.AccountRecipient, Unit: funding.CNY}, gridgov.ErrInvalid},
		{"empty Kind", funding.Account{ID: "x1", Unit: funding.CNY}, gridgov.ErrInvalid},
		{"empty Unit", funding.Account{ID: "x2", Kind: funding.AccountRecipient}, gridgov.ErrInvalid},
	} {
		_, err := f.st.CreateAccount(f.ctx, tc.acct)
		require.ErrorIs(t, err, tc.want, tc.name)
	}
	got, err := f.st.GetAccount(f.ctx, "r1")
	require.NoError(t, err)
	assert.Equal(t, existing, got)
	fundAcct, err := f.st.GetAccount(f.ctx, "fund:f1")
	require.NoError(t, err)
	assert.Equal(t, funding.AccountFund, fundAcct.Kind)
	assert.Equal(t, funding.CNY, fundAcct.Unit)
	for _, id := range []string{"x1", "x2", ""} {
		_, err := f.st.GetAccount(f.ctx, id)
		require.ErrorIs(t, err, gridgov.ErrNotFound, "account %q", id)
	}
}
