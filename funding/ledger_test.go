package funding_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gridgov/gridgov"
	"github.com/gridgov/gridgov/funding"
	"github.com/gridgov/gridgov/governance"
	"github.com/gridgov/gridgov/store/memory"
)

// The ledger tests' shared names carry an lg prefix: other test files of the package are
// written in parallel and must not collide with them.
var (
	lgCtx    = context.Background()
	lgSystem = gridgov.SystemActor("test")
	lgStart  = time.Date(2026, 3, 2, 9, 0, 0, 0, time.FixedZone("CST", 8*3600))
	lgYear   = funding.Year(2026, nil)
)

// The people of the ledger fixture, as actors.
var (
	lgStreetSec = gridgov.PersonActor("sec")     // secretary, street Party working committee: approves funds from st down
	lgC1Sec     = gridgov.PersonActor("c1sec")   // secretary, c1 Party committee: approves funds in c1
	lgC1Chair   = gridgov.PersonActor("c1chair") // chair, c1 residents' committee: manages (not approves) funds in c1
	lgC2Sec     = gridgov.PersonActor("c2sec")   // secretary, c2 Party committee
	lgNobody    = gridgov.PersonActor("nobody")  // no positions
)

// lgFixture is a treasury over the memory stores with a small tree:
//
//	st (street, Party working committee st-pwc)
//	├── c1 (community: Party committee c1-pc, residents' committee c1-rc)
//	│   └── k1 (compound: Party branch k1-pb) ── g1 (grid)
//	└── c2 (community: Party committee c2-pc)
//	    └── k3 (compound)
//
// and the funds "dist" (at st, budget 100000.00) and "c1-start" (at c1, drawing from dist).
type lgFixture struct {
	t     testing.TB
	reg   *governance.Registry
	store *memory.FundingStore
	tr    *funding.Treasury
	clock *gridgov.FakeClock
}

func newLgFixture(t testing.TB, opts ...funding.Option) *lgFixture {
	t.Helper()
	f := &lgFixture{t: t, store: memory.NewFundingStore(), clock: gridgov.NewFakeClock(lgStart)}
	reg, err := governance.NewRegistry(memory.NewGovernanceStore(), governance.WithClock(f.clock),
		governance.WithIDs(gridgov.NewSequence("gov")))
	require.NoError(t, err)
	f.reg = reg
	all := append([]funding.Option{funding.WithIDs(gridgov.NewSequence("p"))}, opts...)
	f.tr, err = funding.NewTreasury(f.store, reg, all...)
	require.NoError(t, err)

	for _, n := range []governance.NodeInput{
		{ID: "st", Level: "street", Name: "广惠路街道"},
		{ID: "c1", ParentID: "st", Level: "community", Name: "清泰社区"},
		{ID: "c2", ParentID: "st", Level: "community", Name: "斗篷山社区"},
		{ID: "k1", ParentID: "c1", Level: "compound", Name: "幸福里小区"},
		{ID: "k3", ParentID: "c2", Level: "compound", Name: "安居小区"},
		{ID: "g1", ParentID: "k1", Level: "grid", Name: "一网格"},
	} {
		_, err := reg.AddNode(lgCtx, lgSystem, n)
		require.NoError(t, err)
	}
	for _, o := range []governance.OrganisationInput{
		{ID: "st-pwc", NodeID: "st", Kind: governance.OrgPartyWorkingCommittee, Name: "街道党工委"},
		{ID: "c1-pc", NodeID: "c1", Kind: governance.OrgPartyCommittee, Name: "清泰社区党委"},
		{ID: "c1-rc", NodeID: "c1", Kind: governance.OrgResidentsCommittee, Name: "清泰社区居委会"},
		{ID: "c2-pc", NodeID: "c2", Kind: governance.OrgPartyCommittee, Name: "斗篷山社区党委"},
		{ID: "k1-pb", NodeID: "k1", Kind: governance.OrgPartyBranch, Name: "幸福里小区党支部"},
	} {
		_, err := reg.AddOrganisation(lgCtx, lgSystem, o)
		require.NoError(t, err)
	}
	for _, p := range []struct{ id, home string }{
		{"sec", "st"}, {"c1sec", "c1"}, {"c1chair", "c1"}, {"c2sec", "c2"}, {"nobody", "k1"},
		{"r1", "k1"}, {"r2", "k3"}, {"homeless", ""},
	} {
		_, err := reg.AddPerson(lgCtx, lgSystem, governance.PersonInput{ID: p.id, Name: "张" + p.id, HomeNodeID: p.home})
		require.NoError(t, err)
	}
	for _, a := range []governance.AppointInput{
		{PersonID: "sec", OrgID: "st-pwc", Role: governance.RoleSecretary},
		{PersonID: "c1sec", OrgID: "c1-pc", Role: governance.RoleSecretary},
		{PersonID: "c1chair", OrgID: "c1-rc", Role: governance.RoleChair},
		{PersonID: "c2sec", OrgID: "c2-pc", Role: governance.RoleSecretary},
	} {
		_, err := reg.Appoint(lgCtx, lgSystem, a)
		require.NoError(t, err)
	}
	_, err = f.tr.CreateFund(lgCtx, lgSystem, funding.FundInput{ID: "dist", Name: "区专项资金", NodeID: "st",
		Period: lgYear, Budget: lgDec("100000.00")})
	require.NoError(t, err)
	_, err = f.tr.CreateFund(lgCtx, lgSystem, funding.FundInput{ID: "c1-start", Name: "清泰社区启动资金", NodeID: "c1",
		ParentID: "dist", Period: lgYear, Budget: lgDec("20000")})
	require.NoError(t, err)
	return f
}

// fund puts amount into the district fund and, when child is positive, passes child on to
// c1-start.
func (f *lgFixture) fund(amount, child string) {
	f.t.Helper()
	_, err := f.tr.Appropriate(lgCtx, lgSystem, funding.AppropriationInput{FundID: "dist", Source: "district-finance",
		Amount: lgDec(amount), Reason: "2026 appropriation"})
	require.NoError(f.t, err)
	if lgDec(child).IsPositive() {
		_, err = f.tr.Allocate(lgCtx, lgSystem, funding.AllocationInput{FundID: "c1-start", Amount: lgDec(child), Reason: "start-up grant"})
		require.NoError(f.t, err)
	}
}

// balance returns an account's balance as a string with two decimals.
func (f *lgFixture) balance(account string) string {
	f.t.Helper()
	b, err := f.tr.Balance(lgCtx, account)
	require.NoError(f.t, err)
	return b.Amount.StringFixed(2)
}

// lgSnapshot is everything a refused command must leave unchanged.
type lgSnapshot struct {
	postings int
	funds    string
}

func (f *lgFixture) snapshot() lgSnapshot {
	f.t.Helper()
	ps, err := f.store.Postings(lgCtx, funding.PostingQuery{})
	require.NoError(f.t, err)
	var b strings.Builder
	for _, parent := range []string{"", "dist", "c1-start"} {
		fs, err := f.store.ListFunds(lgCtx, parent)
		require.NoError(f.t, err)
		for _, fd := range fs {
			fmt.Fprintf(&b, "%s/%s;", fd.ID, f.balanceOrZero(fd.AccountID))
		}
	}
	return lgSnapshot{postings: len(ps), funds: b.String()}
}

func (f *lgFixture) balanceOrZero(account string) string {
	b, err := f.store.Balance(lgCtx, account)
	if err != nil {
		return "-"
	}
	return b.Amount.StringFixed(2)
}

func lgDec(s string) decimal.Decimal { return decimal.RequireFromString(s) }

// lgFields asserts err is a ValidationError of kind naming exactly fields, each with an
// English and a Chinese message.
func lgFields(t testing.TB, err error, kind error, fields ...string) {
	t.Helper()
	require.Error(t, err)
	require.ErrorIs(t, err, kind)
	var verr *gridgov.ValidationError
	require.True(t, errors.As(err, &verr), "want a *gridgov.ValidationError, got %T: %v", err, err)
	require.ElementsMatch(t, fields, verr.FieldNames(), "fields of %v", err)
	for _, fe := range verr.Fields {
		require.NotEmpty(t, fe.EN, "English message for %s", fe.Field)
		require.NotEmpty(t, fe.ZH, "Chinese message for %s", fe.Field)
	}
}

func TestNewTreasuryNeedsStoreAndRegistry(t *testing.T) {
	_, err := funding.NewTreasury(nil, nil)
	lgFields(t, err, gridgov.ErrInvalid, "store", "registry")
}

func TestCreateFund(t *testing.T) {
	valid := funding.FundInput{ID: "k1-branch", Name: "幸福里党支部工作经费", NodeID: "k1", ParentID: "c1-start",
		Period: funding.Month(2026, time.March, nil), Budget: lgDec("5000.50")}
	with := func(change func(*funding.FundInput)) funding.FundInput {
		in := valid
		change(&in)
		return in
	}
	cases := []struct {
		name   string
		actor  gridgov.Actor
		in     funding.FundInput
		kind   error    // nil: accepted
		fields []string // for validation errors
	}{
		{"valid child fund", lgSystem, valid, nil, nil},
		{"manager at the node", lgC1Chair, valid, nil, nil},
		{"secretary above", lgStreetSec, valid, nil, nil},
		{"generated ID", lgSystem, with(func(in *funding.FundInput) { in.ID = "" }), nil, nil},
		{"own account ID", lgSystem, with(func(in *funding.FundInput) { in.AccountID = "acct-k1" }), nil, nil},
		{"zero budget", lgSystem, with(func(in *funding.FundInput) { in.Budget = decimal.Zero }), nil, nil},
		{"blank name", lgSystem, with(func(in *funding.FundInput) { in.Name = "  " }), gridgov.ErrInvalid, []string{"Name"}},
		{"control characters", lgSystem, with(func(in *funding.FundInput) { in.Name = "a\x00b" }), gridgov.ErrInvalid, []string{"Name"}},
		{"missing node", lgSystem, with(func(in *funding.FundInput) { in.NodeID = "" }), gridgov.ErrInvalid, []string{"NodeID"}},
		{"unknown node", lgSystem, with(func(in *funding.FundInput) { in.NodeID = "nowhere" }), gridgov.ErrInvalid, []string{"NodeID"}},
		{"empty period", lgSystem, with(func(in *funding.FundInput) { in.Period = funding.Period{} }), gridgov.ErrInvalid, []string{"Period"}},
		{"negative budget", lgSystem, with(func(in *funding.FundInput) { in.Budget = lgDec("-1") }), gridgov.ErrInvalid, []string{"Budget"}},
		{"budget finer than fen", lgSystem, with(func(in *funding.FundInput) { in.Budget = lgDec("1.005") }), gridgov.ErrInvalid, []string{"Budget"}},
		{"absurd budget", lgSystem, with(func(in *funding.FundInput) { in.Budget = lgDec("1e40") }), gridgov.ErrInvalid, []string{"Budget"}},
		{"unknown parent", lgSystem, with(func(in *funding.FundInput) { in.ParentID = "nope" }), gridgov.ErrInvalid, []string{"ParentID"}},
		{"period outside parent's", lgSystem, with(func(in *funding.FundInput) { in.Period = funding.Year(2027, nil) }), gridgov.ErrInvalid, []string{"Period"}},
		{"bad ID", lgSystem, with(func(in *funding.FundInput) { in.ID = "a b" }), gridgov.ErrInvalid, []string{"ID"}},
		{"bad account ID", lgSystem, with(func(in *funding.FundInput) { in.AccountID = "a/b" }), gridgov.ErrInvalid, []string{"AccountID"}},
		{"every field at once", lgSystem, funding.FundInput{ID: "?", ParentID: "nope", Budget: lgDec("-0.001")},
			gridgov.ErrInvalid, []string{"ID", "Name", "NodeID", "Period", "Budget", "Budget", "ParentID"}},
		{"existing ID", lgSystem, with(func(in *funding.FundInput) { in.ID = "dist" }), gridgov.ErrAlreadyExists, []string{"ID"}},
		{"existing account", lgSystem, with(func(in *funding.FundInput) { in.AccountID = "fund:dist" }), gridgov.ErrAlreadyExists, []string{"AccountID"}},
		{"no positions", lgNobody, valid, gridgov.ErrForbidden, nil},
		{"another subtree", lgC2Sec, valid, gridgov.ErrForbidden, nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			f := newLgFixture(t)
			before := f.snapshot()
			got, err := f.tr.CreateFund(lgCtx, c.actor, c.in)
			if c.kind == nil {
				require.NoError(t, err)
				assert.Equal(t, int64(1), got.Version)
				assert.NotEmpty(t, got.ID)
				if c.in.AccountID == "" {
					assert.Equal(t, "fund:"+got.ID, got.AccountID)
				}
				assert.True(t, c.in.Budget.Equal(got.Budget))
				stored, err := f.tr.Fund(lgCtx, got.ID)
				require.NoError(t, err)
				assert.Equal(t, got.Name, stored.Name)
				assert.Equal(t, "0.00", f.balance(got.AccountID))
				return
			}
			if c.fields != nil {
				lgFields(t, err, c.kind, c.fields...)
			} else {
				require.ErrorIs(t, err, c.kind)
			}
			assert.Equal(t, before, f.snapshot(), "a refused command changes nothing")
		})
	}
}

func TestFundsAndBalances(t *testing.T) {
	f := newLgFixture(t)
	top, err := f.tr.Funds(lgCtx, "")
	require.NoError(t, err)
	require.Len(t, top, 1)
	assert.Equal(t, "dist", top[0].ID)
	kids, err := f.tr.Funds(lgCtx, "dist")
	require.NoError(t, err)
	require.Len(t, kids, 1)
	assert.Equal(t, "c1-start", kids[0].ID)
	_, err = f.tr.Fund(lgCtx, "nope")
	require.ErrorIs(t, err, gridgov.ErrNotFound)
	f.fund("1000", "300")
	b, err := f.tr.FundBalance(lgCtx, "dist")
	require.NoError(t, err)
	assert.Equal(t, "700.00", b.Amount.StringFixed(2))
	b, err = f.tr.FundBalance(lgCtx, "c1-start")
	require.NoError(t, err)
	assert.Equal(t, "300.00", b.Amount.StringFixed(2))
	assert.Equal(t, "-1000.00", f.balance("source:district-finance"))
	_, err = f.tr.FundBalance(lgCtx, "nope")
	require.ErrorIs(t, err, gridgov.ErrNotFound)
}

func TestAppropriate(t *testing.T) {
	valid := funding.AppropriationInput{FundID: "dist", Source: "district-finance", Amount: lgDec("5000"),
		Reason: "2026 special fund", Key: "appr-2026"}
	with := func(change func(*funding.AppropriationInput)) funding.AppropriationInput {
		in := valid
		change(&in)
		return in
	}
	cases := []struct {
		name   string
		actor  gridgov.Actor
		in     funding.AppropriationInput
		kind   error
		fields []string
	}{
		{"system", lgSystem, valid, nil, nil},
		{"approver at the fund's node", lgStreetSec, valid, nil, nil},
		{"no key", lgSystem, with(func(in *funding.AppropriationInput) { in.Key = "" }), nil, nil},
		{"unknown fund", lgSystem, with(func(in *funding.AppropriationInput) { in.FundID = "nope" }), gridgov.ErrInvalid, []string{"FundID"}},
		{"no source", lgSystem, with(func(in *funding.AppropriationInput) { in.Source = "" }), gridgov.ErrInvalid, []string{"Source"}},
		{"zero", lgSystem, with(func(in *funding.AppropriationInput) { in.Amount = decimal.Zero }), gridgov.ErrInvalid, []string{"Amount"}},
		{"negative", lgSystem, with(func(in *funding.AppropriationInput) { in.Amount = lgDec("-5") }), gridgov.ErrInvalid, []string{"Amount"}},
		{"finer than fen", lgSystem, with(func(in *funding.AppropriationInput) { in.Amount = lgDec("0.001") }), gridgov.ErrInvalid, []string{"Amount"}},
		{"no reason", lgSystem, with(func(in *funding.AppropriationInput) { in.Reason = "" }), gridgov.ErrInvalid, []string{"Reason"}},
		{"reserved key", lgSystem, with(func(in *funding.AppropriationInput) { in.Key = "reverse:x" }), gridgov.ErrInvalid, []string{"Key"}},
		{"all bad", lgSystem, funding.AppropriationInput{Amount: lgDec("-1e50"), Key: "expire:x"}, gridgov.ErrInvalid,
			[]string{"FundID", "Source", "Amount", "Reason", "Key"}},
		{"manager cannot approve", lgC1Chair, with(func(in *funding.AppropriationInput) { in.FundID = "c1-start" }), gridgov.ErrForbidden, nil},
		{"no positions", lgNobody, valid, gridgov.ErrForbidden, nil},
		{"below the fund's node", lgC1Sec, valid, gridgov.ErrForbidden, nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			f := newLgFixture(t)
			before := f.snapshot()
			p, err := f.tr.Appropriate(lgCtx, c.actor, c.in)
			if c.kind == nil {
				require.NoError(t, err)
				assert.Equal(t, c.in.Key, p.Key)
				assert.Equal(t, c.actor, p.Actor)
				assert.Equal(t, lgStart, p.At)
				assert.Equal(t, "5000.00", f.balance("fund:dist"))
				acct, err := f.tr.Account(lgCtx, "source:district-finance")
				require.NoError(t, err)
				assert.Equal(t, funding.AccountSource, acct.Kind)
				return
			}
			if c.fields != nil {
				lgFields(t, err, c.kind, c.fields...)
			} else {
				require.ErrorIs(t, err, c.kind)
			}
			assert.Equal(t, before, f.snapshot())
		})
	}
}

func TestIdempotentRetries(t *testing.T) {
	f := newLgFixture(t)
	in := funding.AppropriationInput{FundID: "dist", Source: "district-finance", Amount: lgDec("5000"), Reason: "r", Key: "k-1"}
	first, err := f.tr.Appropriate(lgCtx, lgSystem, in)
	require.NoError(t, err)
	again, err := f.tr.Appropriate(lgCtx, lgSystem, in)
	require.NoError(t, err)
	assert.Equal(t, first.ID, again.ID, "a retry returns the posting first applied")
	assert.Equal(t, first.Seq, again.Seq)
	assert.Equal(t, "5000.00", f.balance("fund:dist"))

	in.Amount = lgDec("6000")
	_, err = f.tr.Appropriate(lgCtx, lgSystem, in)
	lgFields(t, err, gridgov.ErrAlreadyExists, "Key")
	assert.Equal(t, "5000.00", f.balance("fund:dist"))

	d := funding.DisburseInput{FundID: "dist", RecipientKind: funding.RecipientPerson, RecipientID: "r1",
		Amount: lgDec("100"), Reason: "stipend", Key: "stipend-r1-03"}
	p1, err := f.tr.Disburse(lgCtx, lgSystem, d)
	require.NoError(t, err)
	p2, err := f.tr.Disburse(lgCtx, lgSystem, d)
	require.NoError(t, err)
	assert.Equal(t, p1.ID, p2.ID)
	assert.Equal(t, "4900.00", f.balance("fund:dist"))
	assert.Equal(t, "100.00", f.balance("recipient:person:r1"))
}

func TestAllocate(t *testing.T) {
	cases := []struct {
		name   string
		actor  gridgov.Actor
		in     funding.AllocationInput
		kind   error
		fields []string
	}{
		{"approver at the parent's node", lgStreetSec, funding.AllocationInput{FundID: "c1-start", Amount: lgDec("300"), Reason: "grant"}, nil, nil},
		{"top fund has no parent", lgSystem, funding.AllocationInput{FundID: "dist", Amount: lgDec("300"), Reason: "grant"}, gridgov.ErrInvalid, []string{"FundID"}},
		{"unknown fund, bad amount", lgSystem, funding.AllocationInput{FundID: "x", Amount: lgDec("0"), Reason: "grant"}, gridgov.ErrInvalid, []string{"FundID", "Amount"}},
		{"more than the parent holds", lgSystem, funding.AllocationInput{FundID: "c1-start", Amount: lgDec("1000.01"), Reason: "grant"}, gridgov.ErrBudgetExceeded, nil},
		{"approver at the child's node only", lgC1Sec, funding.AllocationInput{FundID: "c1-start", Amount: lgDec("300"), Reason: "grant"}, gridgov.ErrForbidden, nil},
		{"another subtree", lgC2Sec, funding.AllocationInput{FundID: "c1-start", Amount: lgDec("300"), Reason: "grant"}, gridgov.ErrForbidden, nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			f := newLgFixture(t)
			f.fund("1000", "0")
			before := f.snapshot()
			_, err := f.tr.Allocate(lgCtx, c.actor, c.in)
			switch {
			case c.kind == nil:
				require.NoError(t, err)
				assert.Equal(t, "700.00", f.balance("fund:dist"))
				assert.Equal(t, "300.00", f.balance("fund:c1-start"))
				return
			case c.fields != nil:
				lgFields(t, err, c.kind, c.fields...)
			default:
				require.ErrorIs(t, err, c.kind)
			}
			if c.kind == gridgov.ErrBudgetExceeded {
				assert.Contains(t, err.Error(), "区专项资金", "the error names the fund")
			}
			assert.Equal(t, before, f.snapshot())
		})
	}
}

func TestDisburse(t *testing.T) {
	valid := funding.DisburseInput{FundID: "c1-start", RecipientKind: funding.RecipientPerson, RecipientID: "r1",
		Amount: lgDec("250.50"), Reason: "volunteer stipend", Key: "s-1"}
	with := func(change func(*funding.DisburseInput)) funding.DisburseInput {
		in := valid
		change(&in)
		return in
	}
	cases := []struct {
		name    string
		actor   gridgov.Actor
		in      funding.DisburseInput
		account string // the recipient account, when accepted
		kind    error
		fields  []string
	}{
		{"to a person", lgC1Sec, valid, "recipient:person:r1", nil, nil},
		{"to an organisation", lgStreetSec, with(func(in *funding.DisburseInput) {
			in.RecipientKind, in.RecipientID = funding.RecipientOrganisation, "k1-pb"
		}), "recipient:organisation:k1-pb", nil, nil},
		{"to a node", lgSystem, with(func(in *funding.DisburseInput) {
			in.RecipientKind, in.RecipientID = funding.RecipientNode, "k1"
		}), "recipient:node:k1", nil, nil},
		{"a person outside the fund's subtree", lgC1Sec, with(func(in *funding.DisburseInput) { in.RecipientID = "r2" }),
			"recipient:person:r2", nil, nil},
		{"the whole balance", lgC1Sec, with(func(in *funding.DisburseInput) { in.Amount = lgDec("300") }), "recipient:person:r1", nil, nil},
		{"unknown kind", lgSystem, with(func(in *funding.DisburseInput) { in.RecipientKind = "dog" }), "", gridgov.ErrInvalid, []string{"RecipientKind"}},
		{"unknown person", lgSystem, with(func(in *funding.DisburseInput) { in.RecipientID = "ghost" }), "", gridgov.ErrInvalid, []string{"RecipientID"}},
		{"unknown node", lgSystem, with(func(in *funding.DisburseInput) {
			in.RecipientKind, in.RecipientID = funding.RecipientNode, "nowhere"
		}), "", gridgov.ErrInvalid, []string{"RecipientID"}},
		{"missing recipient and fund", lgSystem, with(func(in *funding.DisburseInput) { in.RecipientID, in.FundID = "", "" }), "",
			gridgov.ErrInvalid, []string{"FundID", "RecipientID"}},
		{"bad amount and reason", lgSystem, with(func(in *funding.DisburseInput) { in.Amount, in.Reason = lgDec("1.234"), "" }), "",
			gridgov.ErrInvalid, []string{"Amount", "Reason"}},
		{"key too long", lgSystem, with(func(in *funding.DisburseInput) { in.Key = strings.Repeat("k", 257) }), "", gridgov.ErrInvalid, []string{"Key"}},
		{"more than the balance", lgC1Sec, with(func(in *funding.DisburseInput) { in.Amount = lgDec("300.01") }), "", gridgov.ErrBudgetExceeded, nil},
		{"manager cannot approve", lgC1Chair, valid, "", gridgov.ErrForbidden, nil},
		{"no positions", lgNobody, valid, "", gridgov.ErrForbidden, nil},
		{"another subtree", lgC2Sec, valid, "", gridgov.ErrForbidden, nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			f := newLgFixture(t)
			f.fund("1000", "300")
			before := f.snapshot()
			p, err := f.tr.Disburse(lgCtx, c.actor, c.in)
			if c.kind == nil {
				require.NoError(t, err)
				left := lgDec("300").Sub(c.in.Amount)
				assert.Equal(t, left.StringFixed(2), f.balance("fund:c1-start"))
				assert.Equal(t, c.in.Amount.StringFixed(2), f.balance(c.account))
				acct, err := f.tr.Account(lgCtx, c.account)
				require.NoError(t, err)
				assert.Equal(t, funding.AccountRecipient, acct.Kind)
				assert.Equal(t, funding.CNY, acct.Unit)
				assert.Equal(t, c.in.RecipientID, acct.OwnerID)
				assert.NotEmpty(t, acct.NodeID)
				assert.Equal(t, c.in.Reason, p.Reason)
				return
			}
			if c.fields != nil {
				lgFields(t, err, c.kind, c.fields...)
			} else {
				require.ErrorIs(t, err, c.kind)
			}
			if c.kind == gridgov.ErrBudgetExceeded {
				assert.Contains(t, err.Error(), "清泰社区启动资金", "the error names the fund")
				assert.Contains(t, err.Error(), "300.01")
				_, err = f.tr.Account(lgCtx, "recipient:person:r1")
				require.ErrorIs(t, err, gridgov.ErrNotFound, "a refused payment opens no account")
			}
			assert.Equal(t, before, f.snapshot())
		})
	}
}

func TestDisburseToDissolvedOrganisation(t *testing.T) {
	f := newLgFixture(t)
	f.fund("1000", "0")
	_, err := f.reg.DissolveOrganisation(lgCtx, lgSystem, governance.DissolveInput{OrgID: "k1-pb"})
	require.NoError(t, err)
	_, err = f.tr.Disburse(lgCtx, lgSystem, funding.DisburseInput{FundID: "dist", RecipientKind: funding.RecipientOrganisation,
		RecipientID: "k1-pb", Amount: lgDec("1"), Reason: "x"})
	lgFields(t, err, gridgov.ErrInvalid, "RecipientID")
}

func TestSpend(t *testing.T) {
	f := newLgFixture(t)
	f.fund("1000", "300")
	p, err := f.tr.Spend(lgCtx, lgC1Sec, funding.SpendInput{FundID: "c1-start", Category: "repairs", Amount: lgDec("120"),
		Reason: "fix the gate", Key: "gate"})
	require.NoError(t, err)
	assert.Len(t, p.Lines, 2)
	assert.Equal(t, "120.00", f.balance(funding.ExpenseAccountID("c1-start", "repairs")))
	acct, err := f.tr.Account(lgCtx, "expense:c1-start:repairs")
	require.NoError(t, err)
	assert.Equal(t, funding.AccountExpense, acct.Kind)
	assert.Equal(t, "c1-start", acct.FundID)

	before := f.snapshot()
	_, err = f.tr.Spend(lgCtx, lgSystem, funding.SpendInput{FundID: "c1-start", Category: "bad category", Amount: lgDec("-1")})
	lgFields(t, err, gridgov.ErrInvalid, "Category", "Amount", "Reason")
	_, err = f.tr.Spend(lgCtx, lgC2Sec, funding.SpendInput{FundID: "c1-start", Category: "repairs", Amount: lgDec("1"), Reason: "x"})
	require.ErrorIs(t, err, gridgov.ErrForbidden)
	_, err = f.tr.Spend(lgCtx, lgSystem, funding.SpendInput{FundID: "c1-start", Category: "repairs", Amount: lgDec("180.01"), Reason: "x"})
	require.ErrorIs(t, err, gridgov.ErrBudgetExceeded)
	assert.Equal(t, before, f.snapshot())
}

func TestPost(t *testing.T) {
	line := func(acct, amount string) funding.Line { return funding.Line{AccountID: acct, Amount: lgDec(amount)} }
	cases := []struct {
		name   string
		actor  gridgov.Actor
		in     funding.PostingInput
		kind   error
		fields []string
	}{
		{"fund to fund, approver above both", lgStreetSec, funding.PostingInput{Reason: "adjust",
			Lines: []funding.Line{line("fund:dist", "-10"), line("fund:c1-start", "10")}}, nil, nil},
		{"own ID and key", lgSystem, funding.PostingInput{ID: "adj-1", Key: "adj-1", Reason: "adjust",
			Lines: []funding.Line{line("fund:dist", "-10"), line("fund:c1-start", "5"), line("fund:c1-start", "5")}}, nil, nil},
		{"one line", lgSystem, funding.PostingInput{Reason: "x", Lines: []funding.Line{line("fund:dist", "-10")}},
			gridgov.ErrInvalid, []string{"Lines", "Lines"}},
		{"unbalanced", lgSystem, funding.PostingInput{Reason: "x", Lines: []funding.Line{line("fund:dist", "-10"), line("fund:c1-start", "9.99")}},
			gridgov.ErrInvalid, []string{"Lines"}},
		{"unknown account, zero, fen", lgSystem, funding.PostingInput{Reason: "x", Lines: []funding.Line{
			line("ghost", "-10"), line("fund:c1-start", "0"), line("fund:dist", "0.001")}},
			gridgov.ErrInvalid, []string{"Lines[0].AccountID", "Lines[1].Amount", "Lines[2].Amount"}},
		{"expiry on money", lgSystem, funding.PostingInput{Reason: "x", Lines: []funding.Line{
			line("fund:dist", "-10"), {AccountID: "fund:c1-start", Amount: lgDec("10"), Expires: lgStart.AddDate(1, 0, 0)}}},
			gridgov.ErrInvalid, []string{"Lines[1].Expires"}},
		{"bad ID, reserved key, no reason", lgSystem, funding.PostingInput{ID: "a b", Key: "expire:me",
			Lines: []funding.Line{line("fund:dist", "-10"), line("fund:c1-start", "10")}},
			gridgov.ErrInvalid, []string{"ID", "Key", "Reason"}},
		{"overdraft", lgSystem, funding.PostingInput{Reason: "x", Lines: []funding.Line{line("fund:dist", "-1000.01"), line("fund:c1-start", "1000.01")}},
			gridgov.ErrBudgetExceeded, nil},
		{"taking from the parent needs authority at its node", lgC1Sec, funding.PostingInput{Reason: "x",
			Lines: []funding.Line{line("fund:dist", "-10"), line("fund:c1-start", "10")}}, gridgov.ErrForbidden, nil},
		{"source to source needs a system actor", lgStreetSec, funding.PostingInput{Reason: "x",
			Lines: []funding.Line{line("source:district-finance", "-10"), line("source:other", "10")}}, gridgov.ErrForbidden, nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			f := newLgFixture(t)
			f.fund("1000", "0")
			_, err := f.tr.OpenAccount(lgCtx, lgSystem, funding.Account{ID: "source:other", Kind: funding.AccountSource, Unit: funding.CNY})
			require.NoError(t, err)
			before := f.snapshot()
			p, err := f.tr.Post(lgCtx, c.actor, c.in)
			if c.kind == nil {
				require.NoError(t, err)
				assert.Equal(t, "990.00", f.balance("fund:dist"))
				assert.Equal(t, "10.00", f.balance("fund:c1-start"))
				if c.in.ID != "" {
					assert.Equal(t, c.in.ID, p.ID)
				}
				got, err := f.tr.Posting(lgCtx, p.ID)
				require.NoError(t, err)
				assert.Equal(t, p.Seq, got.Seq)
				return
			}
			if c.fields != nil {
				lgFields(t, err, c.kind, c.fields...)
			} else {
				require.ErrorIs(t, err, c.kind)
			}
			assert.Equal(t, before, f.snapshot())
		})
	}
}

func TestOpenAccount(t *testing.T) {
	f := newLgFixture(t)
	a, err := f.tr.OpenAccount(lgCtx, lgC1Chair, funding.Account{ID: "expense:c1-misc", Kind: funding.AccountExpense, Unit: funding.CNY, NodeID: "c1"})
	require.NoError(t, err)
	assert.Equal(t, "c1", a.NodeID)
	again, err := f.tr.OpenAccount(lgCtx, lgC1Chair, funding.Account{ID: "expense:c1-misc", Kind: funding.AccountExpense, Unit: funding.CNY, NodeID: "c1"})
	require.NoError(t, err)
	assert.Equal(t, a, again)
	_, err = f.tr.OpenAccount(lgCtx, lgSystem, funding.Account{ID: "expense:c1-misc", Kind: funding.AccountExpense, Unit: funding.Points})
	require.ErrorIs(t, err, gridgov.ErrAlreadyExists)
	_, err = f.tr.OpenAccount(lgCtx, lgSystem, funding.Account{ID: "x y", Kind: funding.AccountFund, Unit: "USD", NodeID: "nope", FundID: "nope"})
	lgFields(t, err, gridgov.ErrInvalid, "ID", "Kind", "Unit", "FundID", "NodeID")
	_, err = f.tr.OpenAccount(lgCtx, lgC2Sec, funding.Account{ID: "e2", Kind: funding.AccountExpense, Unit: funding.CNY, NodeID: "c1"})
	require.ErrorIs(t, err, gridgov.ErrForbidden)
	_, err = f.tr.OpenAccount(lgCtx, lgStreetSec, funding.Account{ID: "e3", Kind: funding.AccountSource, Unit: funding.CNY})
	require.ErrorIs(t, err, gridgov.ErrForbidden, "an account without a node needs a system actor")
}

func TestReverse(t *testing.T) {
	f := newLgFixture(t)
	f.fund("1000", "300")
	pay, err := f.tr.Disburse(lgCtx, lgC1Sec, funding.DisburseInput{FundID: "c1-start", RecipientKind: funding.RecipientPerson,
		RecipientID: "r1", Amount: lgDec("100"), Reason: "stipend", Key: "pay-1"})
	require.NoError(t, err)

	before := f.snapshot()
	_, err = f.tr.Reverse(lgCtx, lgC2Sec, pay.ID, "wrong person")
	require.ErrorIs(t, err, gridgov.ErrForbidden)
	_, err = f.tr.Reverse(lgCtx, lgC1Chair, pay.ID, "wrong person")
	require.ErrorIs(t, err, gridgov.ErrForbidden, "managing funds is not approving them")
	_, err = f.tr.Reverse(lgCtx, lgC1Sec, pay.ID, " ")
	lgFields(t, err, gridgov.ErrInvalid, "Reason")
	_, err = f.tr.Reverse(lgCtx, lgC1Sec, "", "x")
	lgFields(t, err, gridgov.ErrInvalid, "PostingID")
	_, err = f.tr.Reverse(lgCtx, lgC1Sec, "no-such-posting", "x")
	require.ErrorIs(t, err, gridgov.ErrNotFound)
	assert.Equal(t, before, f.snapshot())

	f.clock.Advance(time.Hour)
	rev, err := f.tr.Reverse(lgCtx, lgC1Sec, pay.ID, "paid the wrong person")
	require.NoError(t, err)
	assert.Equal(t, pay.ID, rev.ReversalOf)
	assert.Equal(t, "reverse:"+pay.ID, rev.Key)
	assert.Equal(t, lgStart.Add(time.Hour), rev.At)
	require.Len(t, rev.Lines, 2)
	for i, l := range rev.Lines {
		assert.True(t, l.Amount.Equal(pay.Lines[i].Amount.Neg()), "line %d negated", i)
	}
	assert.Equal(t, "300.00", f.balance("fund:c1-start"))
	assert.Equal(t, "0.00", f.balance("recipient:person:r1"))

	again, err := f.tr.Reverse(lgCtx, lgC1Sec, pay.ID, "retry")
	require.NoError(t, err, "a retried reversal returns the first")
	assert.Equal(t, rev.ID, again.ID)
	assert.Equal(t, "300.00", f.balance("fund:c1-start"))

	// Reversing the reversal pays again.
	back, err := f.tr.Reverse(lgCtx, lgC1Sec, rev.ID, "it was the right person after all")
	require.NoError(t, err)
	assert.Equal(t, rev.ID, back.ReversalOf)
	assert.Equal(t, "200.00", f.balance("fund:c1-start"))

	// A reversal the money has moved on from is refused whole.
	alloc, err := f.tr.Allocate(lgCtx, lgSystem, funding.AllocationInput{FundID: "c1-start", Amount: lgDec("100"), Reason: "more"})
	require.NoError(t, err)
	_, err = f.tr.Spend(lgCtx, lgSystem, funding.SpendInput{FundID: "c1-start", Category: "repairs", Amount: lgDec("250"), Reason: "roof"})
	require.NoError(t, err)
	before = f.snapshot()
	_, err = f.tr.Reverse(lgCtx, lgStreetSec, alloc.ID, "take it back")
	require.ErrorIs(t, err, gridgov.ErrBudgetExceeded)
	assert.Equal(t, before, f.snapshot())
}

// lgFailingStore fails Post with a transport-like error once it has accepted n postings.
type lgFailingStore struct {
	funding.Store
	left atomic.Int64
}

var errLgLost = errors.New("connection lost")

func (s *lgFailingStore) Post(ctx context.Context, p funding.Posting) (funding.Posting, bool, error) {
	if s.left.Add(-1) < 0 {
		return funding.Posting{}, false, errLgLost
	}
	return s.Store.Post(ctx, p)
}

func lgPlan() funding.Plan {
	line := func(kind funding.RecipientKind, id, node, rule, amount string, period funding.Period) funding.PlanLine {
		return funding.PlanLine{RecipientKind: kind, RecipientID: id, NodeID: node, RuleID: rule, Period: period, Amount: lgDec(amount)}
	}
	q1, q2 := funding.Period{Start: lgYear.Start, End: lgYear.Start.AddDate(0, 6, 0)}, funding.Period{Start: lgYear.Start.AddDate(0, 6, 0), End: lgYear.End}
	return funding.Plan{ID: "plan-2026", FundID: "c1-start", Period: lgYear, Lines: []funding.PlanLine{
		line(funding.RecipientPerson, "r1", "k1", "stipend", "1200.00", q1),
		line(funding.RecipientOrganisation, "k1-pb", "k1", "working-funds", "5000.00", lgYear),
		line(funding.RecipientPerson, "r2", "k3", "stipend", "1200.00", q1),
		line(funding.RecipientNode, "k1", "k1", "pilot", "0", lgYear),
		line(funding.RecipientPerson, "r1", "k1", "stipend", "600.50", q2),
	}}
}

func TestDisbursePlanGoesOnAfterAFailedLineAndResumes(t *testing.T) {
	f := newLgFixture(t)
	f.fund("10000", "3500") // 1200 + 1200 + 600.50 fit; 5000 does not
	plan := lgPlan()

	sum, err := f.tr.DisbursePlan(lgCtx, lgC1Sec, plan, funding.DisbursePlanOptions{})
	require.ErrorIs(t, err, gridgov.ErrBudgetExceeded)
	assert.Equal(t, []int{0, 2, 4}, lgLines(sum.Paid))
	assert.Equal(t, []int{1}, lgLines(sum.Failed))
	require.ErrorIs(t, sum.Failed[0].Err, gridgov.ErrBudgetExceeded)
	assert.Empty(t, sum.AlreadyPaid)
	assert.Equal(t, []int{3}, sum.Skipped, "a zero line is skipped")
	assert.Equal(t, "3000.50", sum.PaidTotal.StringFixed(2))
	assert.Equal(t, "5000.00", sum.FailedTotal.StringFixed(2))
	assert.Equal(t, "499.50", f.balance("fund:c1-start"))

	paid, err := f.tr.Postings(lgCtx, funding.PostingQuery{PlanID: plan.ID})
	require.NoError(t, err)
	require.Len(t, paid, 3)
	for _, p := range paid {
		assert.Equal(t, funding.PlanKey(plan.ID, p.PlanLine), p.Key)
		assert.Equal(t, fmt.Sprintf("plan-2026/%d", p.PlanLine), p.Key)
	}

	// Top up and run again: only the missing line is paid.
	_, err = f.tr.Allocate(lgCtx, lgSystem, funding.AllocationInput{FundID: "c1-start", Amount: lgDec("4500.50"), Reason: "top-up"})
	require.NoError(t, err)
	sum, err = f.tr.DisbursePlan(lgCtx, lgC1Sec, plan, funding.DisbursePlanOptions{})
	require.NoError(t, err)
	assert.Equal(t, []int{1}, lgLines(sum.Paid))
	assert.Equal(t, []int{0, 2, 4}, lgLines(sum.AlreadyPaid))
	assert.Empty(t, sum.Failed)
	assert.Equal(t, "0.00", f.balance("fund:c1-start"))
	assert.Equal(t, "1800.50", f.balance("recipient:person:r1"))

	// A third run pays nothing.
	sum, err = f.tr.DisbursePlan(lgCtx, lgC1Sec, plan, funding.DisbursePlanOptions{})
	require.NoError(t, err)
	assert.Empty(t, sum.Paid)
	assert.Len(t, sum.AlreadyPaid, 4)

	// Changing a paid line's amount under the same plan ID is refused for that line.
	plan.Lines[0].Amount = lgDec("1300")
	sum, err = f.tr.DisbursePlan(lgCtx, lgC1Sec, plan, funding.DisbursePlanOptions{})
	require.ErrorIs(t, err, gridgov.ErrAlreadyExists)
	assert.Equal(t, []int{0}, lgLines(sum.Failed))
}

func TestDisbursePlanStopOnFailure(t *testing.T) {
	f := newLgFixture(t)
	f.fund("10000", "3500")
	sum, err := f.tr.DisbursePlan(lgCtx, lgC1Sec, lgPlan(), funding.DisbursePlanOptions{StopOnFailure: true, Reason: "2026 stipends"})
	require.ErrorIs(t, err, gridgov.ErrBudgetExceeded)
	assert.Equal(t, []int{0}, lgLines(sum.Paid))
	assert.Equal(t, []int{1}, lgLines(sum.Failed))
	assert.Equal(t, []int{2, 3, 4}, sum.Skipped)
	p, err := f.tr.Postings(lgCtx, funding.PostingQuery{PlanID: "plan-2026"})
	require.NoError(t, err)
	require.Len(t, p, 1)
	assert.True(t, strings.HasPrefix(p[0].Reason, "2026 stipends, line 0"), p[0].Reason)
}

func TestDisbursePlanResumesAfterACrash(t *testing.T) {
	f := newLgFixture(t)
	f.fund("10000", "8001")
	failing := &lgFailingStore{Store: f.store}
	failing.left.Store(2)
	tr, err := funding.NewTreasury(failing, f.reg, funding.WithIDs(gridgov.NewSequence("crash")))
	require.NoError(t, err)
	sum, err := tr.DisbursePlan(lgCtx, lgC1Sec, lgPlan(), funding.DisbursePlanOptions{})
	require.ErrorIs(t, err, errLgLost, "a store failure stops the run")
	assert.Equal(t, []int{0, 1}, lgLines(sum.Paid))
	assert.Equal(t, []int{2, 3, 4}, sum.Skipped)

	sum, err = f.tr.DisbursePlan(lgCtx, lgC1Sec, lgPlan(), funding.DisbursePlanOptions{})
	require.NoError(t, err)
	assert.Equal(t, []int{0, 1}, lgLines(sum.AlreadyPaid))
	assert.Equal(t, []int{2, 4}, lgLines(sum.Paid))
	assert.Equal(t, "0.50", f.balance("fund:c1-start"))

	// A cancelled context also stops the run at once.
	ctx, cancel := context.WithCancel(lgCtx)
	cancel()
	_, err = f.tr.DisbursePlan(ctx, lgC1Sec, lgPlan(), funding.DisbursePlanOptions{})
	require.ErrorIs(t, err, context.Canceled)
}

func TestDisbursePlanRefusesBadPlansWhole(t *testing.T) {
	f := newLgFixture(t)
	f.fund("10000", "9000")
	bad := lgPlan()
	bad.ID = "bad plan"
	bad.Lines[1].RecipientID = "ghost"
	bad.Lines[2].RecipientKind = "alien"
	bad.Lines[4].Amount = lgDec("-1")
	bad.Lines[3].NodeID = "?"
	before := f.snapshot()
	_, err := f.tr.DisbursePlan(lgCtx, lgC1Sec, bad, funding.DisbursePlanOptions{})
	lgFields(t, err, gridgov.ErrInvalid, "ID", "Lines[1].RecipientID", "Lines[2].RecipientKind", "Lines[3].NodeID", "Lines[4].Amount")
	_, err = f.tr.DisbursePlan(lgCtx, lgC1Sec, funding.Plan{ID: "p", FundID: "nope"}, funding.DisbursePlanOptions{})
	lgFields(t, err, gridgov.ErrInvalid, "FundID", "Lines")
	_, err = f.tr.DisbursePlan(lgCtx, lgC2Sec, lgPlan(), funding.DisbursePlanOptions{})
	require.ErrorIs(t, err, gridgov.ErrForbidden)
	_, err = f.tr.DisbursePlan(lgCtx, lgNobody, lgPlan(), funding.DisbursePlanOptions{})
	require.ErrorIs(t, err, gridgov.ErrForbidden)
	assert.Equal(t, before, f.snapshot())
}

func lgLines(ps []funding.PlanPayment) []int {
	out := []int{}
	for _, p := range ps {
		out = append(out, p.Line)
	}
	return out
}

func TestPlanVsActualAndCSV(t *testing.T) {
	f := newLgFixture(t)
	f.fund("10000", "9000")
	plan := lgPlan()
	plan.Lines[1].Amount = lgDec("3000.00")
	_, err := f.tr.DisbursePlan(lgCtx, lgC1Sec, plan, funding.DisbursePlanOptions{})
	require.NoError(t, err)
	ps, err := f.tr.Postings(lgCtx, funding.PostingQuery{PlanID: plan.ID})
	require.NoError(t, err)
	// Reverse line 2 (r2's stipend), then reverse line 4 and pay it again.
	for _, p := range ps {
		if p.PlanLine == 2 || p.PlanLine == 4 {
			rev, err := f.tr.Reverse(lgCtx, lgC1Sec, p.ID, "correction")
			require.NoError(t, err)
			assert.Equal(t, p.PlanLine, rev.PlanLine)
			if p.PlanLine == 4 {
				_, err = f.tr.Reverse(lgCtx, lgC1Sec, rev.ID, "undo the correction")
				require.NoError(t, err)
			}
		}
	}
	// Also a half-paid line: pay less than planned outside the plan does not count.
	_, err = f.tr.Disburse(lgCtx, lgC1Sec, funding.DisburseInput{FundID: "c1-start", RecipientKind: funding.RecipientPerson,
		RecipientID: "r1", Amount: lgDec("1"), Reason: "unplanned"})
	require.NoError(t, err)

	rep, err := f.tr.PlanVsActual(lgCtx, plan)
	require.NoError(t, err)
	require.Len(t, rep.Lines, 5)
	r2 := rep.Lines[2]
	assert.Equal(t, "1200.00", r2.Paid.StringFixed(2))
	assert.Equal(t, "1200.00", r2.Reversed.StringFixed(2))
	assert.True(t, r2.Net.IsZero())
	assert.True(t, r2.Utilisation.IsZero())
	assert.Equal(t, "1201.00", rep.Lines[4].Paid.StringFixed(2))
	assert.Equal(t, "1.0000", rep.Lines[4].Utilisation.StringFixed(4))
	assert.Equal(t, "600.50", rep.Lines[4].Reversed.StringFixed(2))
	assert.Equal(t, "0.8000", rep.Total.Utilisation.StringFixed(4))

	var en bytes.Buffer
	require.NoError(t, funding.WriteCSV(&en, rep.Rows(), gridgov.English))
	wantEN := `line,recipient kind,recipient,rule,node,period,planned,paid,reversed,net,utilisation
0,person,r1,stipend,k1,2026-01-01..2026-07-01,1200.00,1200.00,0.00,1200.00,1.0000
1,organisation,k1-pb,working-funds,k1,2026-01-01..2027-01-01,3000.00,3000.00,0.00,3000.00,1.0000
2,person,r2,stipend,k3,2026-01-01..2026-07-01,1200.00,1200.00,1200.00,0.00,0.0000
3,node,k1,pilot,k1,2026-01-01..2027-01-01,0.00,0.00,0.00,0.00,0.0000
4,person,r1,stipend,k1,2026-07-01..2027-01-01,600.50,1201.00,600.50,600.50,1.0000
,,,,k1,,4800.50,5401.00,600.50,4800.50,1.0000
,,,,k3,,1200.00,1200.00,1200.00,0.00,0.0000
,,,,,2026-01-01..2026-07-01,2400.00,2400.00,1200.00,1200.00,0.5000
,,,,,2026-01-01..2027-01-01,3000.00,3000.00,0.00,3000.00,1.0000
,,,,,2026-07-01..2027-01-01,600.50,1201.00,600.50,600.50,1.0000
,,,,,,6000.50,6601.00,1800.50,4800.50,0.8000
`
	assert.Equal(t, wantEN, en.String())

	var zh bytes.Buffer
	require.NoError(t, funding.WriteCSV(&zh, rep.Lines[:1], gridgov.Chinese))
	assert.Equal(t, "行号,对象类型,对象,规则,节点,期间,计划金额,已拨付,已冲销,净拨付,执行率\n"+
		"0,person,r1,stipend,k1,2026-01-01..2026-07-01,1200.00,1200.00,0.00,1200.00,1.0000\n", zh.String())

	_, err = f.tr.PlanVsActual(lgCtx, funding.Plan{ID: "x", FundID: "nope"})
	require.ErrorIs(t, err, gridgov.ErrNotFound)
}

func TestUtilisationRounding(t *testing.T) {
	f := newLgFixture(t)
	f.fund("100", "0")
	plan := funding.Plan{ID: "third", FundID: "dist", Lines: []funding.PlanLine{
		{RecipientKind: funding.RecipientPerson, RecipientID: "r1", NodeID: "k1", Amount: lgDec("300")}}}
	_, err := f.tr.Disburse(lgCtx, lgSystem, funding.DisburseInput{FundID: "dist", RecipientKind: funding.RecipientPerson,
		RecipientID: "r1", Amount: lgDec("100"), Reason: "x"})
	require.NoError(t, err)
	rep, err := f.tr.PlanVsActual(lgCtx, plan)
	require.NoError(t, err)
	assert.True(t, rep.Total.Utilisation.IsZero(), "payments outside the plan do not count")

	// 100 of 300: one third, rounded half up to four places.
	f.fund("200", "0")
	_, err = f.tr.DisbursePlan(lgCtx, lgSystem, funding.Plan{ID: "third", FundID: "dist", Lines: []funding.PlanLine{
		{RecipientKind: funding.RecipientPerson, RecipientID: "r1", NodeID: "k1", Amount: lgDec("100")}}}, funding.DisbursePlanOptions{})
	require.NoError(t, err)
	rep, err = f.tr.PlanVsActual(lgCtx, plan)
	require.NoError(t, err)
	assert.Equal(t, "0.3333", rep.Total.Utilisation.String())
}

func TestFundUtilisation(t *testing.T) {
	f := newLgFixture(t)
	f.fund("60000", "20000")
	_, err := f.tr.Appropriate(lgCtx, lgSystem, funding.AppropriationInput{FundID: "dist", Source: "city", Amount: lgDec("5000"), Reason: "extra"})
	require.NoError(t, err)
	pay, err := f.tr.Disburse(lgCtx, lgSystem, funding.DisburseInput{FundID: "dist", RecipientKind: funding.RecipientNode,
		RecipientID: "c2", Amount: lgDec("10000"), Reason: "grant"})
	require.NoError(t, err)
	_, err = f.tr.Spend(lgCtx, lgSystem, funding.SpendInput{FundID: "dist", Category: "training", Amount: lgDec("2500"), Reason: "training"})
	require.NoError(t, err)
	_, err = f.tr.Reverse(lgCtx, lgSystem, pay.ID, "wrong community")
	require.NoError(t, err)
	_, err = f.tr.Disburse(lgCtx, lgSystem, funding.DisburseInput{FundID: "dist", RecipientKind: funding.RecipientNode,
		RecipientID: "c2", Amount: lgDec("7500"), Reason: "grant"})
	require.NoError(t, err)
	alloc, err := f.tr.Allocate(lgCtx, lgSystem, funding.AllocationInput{FundID: "c1-start", Amount: lgDec("1000"), Reason: "more"})
	require.NoError(t, err)
	_, err = f.tr.Reverse(lgCtx, lgSystem, alloc.ID, "too much")
	require.NoError(t, err)

	u, err := f.tr.Utilisation(lgCtx, "dist")
	require.NoError(t, err)
	assert.Equal(t, "100000.00", u.Budget.StringFixed(2))
	assert.Equal(t, "65000.00", u.Appropriated.StringFixed(2))
	assert.Equal(t, "20000.00", u.Allocated.StringFixed(2))
	assert.Equal(t, "10000.00", u.Disbursed.StringFixed(2))
	assert.Equal(t, "35000.00", u.Balance.StringFixed(2))
	assert.Equal(t, "0.3000", u.Utilisation.StringFixed(4))

	c, err := f.tr.Utilisation(lgCtx, "c1-start")
	require.NoError(t, err)
	assert.Equal(t, "20000.00", c.Appropriated.StringFixed(2), "allocations from the parent are received money")
	assert.True(t, c.Disbursed.IsZero())
	assert.Equal(t, "0.0000", c.Utilisation.StringFixed(4))
	_, err = f.tr.Utilisation(lgCtx, "nope")
	require.ErrorIs(t, err, gridgov.ErrNotFound)
}

func TestLoggingOfAcceptedCommands(t *testing.T) {
	var buf bytes.Buffer
	f := newLgFixture(t, funding.WithLogger(slog.New(slog.NewTextHandler(&buf, nil))))
	f.fund("100", "0")
	_, err := f.tr.Disburse(lgCtx, lgSystem, funding.DisburseInput{FundID: "dist", RecipientKind: funding.RecipientPerson,
		RecipientID: "r1", Amount: lgDec("5"), Reason: "x", Key: "k"})
	require.NoError(t, err)
	_, err = f.tr.Disburse(lgCtx, lgSystem, funding.DisburseInput{FundID: "dist", RecipientKind: funding.RecipientPerson,
		RecipientID: "r1", Amount: lgDec("500"), Reason: "x"})
	require.Error(t, err)
	out := buf.String()
	assert.Contains(t, out, "fund created")
	assert.Contains(t, out, "funds appropriated")
	assert.Contains(t, out, "funds disbursed")
	assert.Equal(t, 1, strings.Count(out, "funds disbursed"), "refused commands are not logged")
	assert.NotContains(t, out, "张r1", "no personal data")
}
