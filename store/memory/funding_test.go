package memory_test

import (
	"context"
	"errors"
	"fmt"
	"sync/atomic"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gridgov/gridgov"
	"github.com/gridgov/gridgov/funding"
	"github.com/gridgov/gridgov/store/memory"
)

// fundingAt is the fixed time of the memory store's own funding tests.
var fundingAt = time.Date(2025, time.January, 6, 9, 0, 0, 0, time.UTC)

// newLedger returns a store with a source "src", fund "f1" (account "fund:f1") holding
// inFund, recipients "r1" and "r2", and points accounts "pts:src" and "pts:p1".
func newLedger(t testing.TB, inFund string) *memory.FundingStore {
	t.Helper()
	ctx := context.Background()
	st := memory.NewFundingStore()
	_, err := st.CreateFund(ctx, funding.Fund{ID: "f1", Name: "working funds", AccountID: "fund:f1", Budget: decimal.RequireFromString(inFund)})
	require.NoError(t, err)
	for _, a := range []funding.Account{
		{ID: "src", Kind: funding.AccountSource, Unit: funding.CNY},
		{ID: "r1", Kind: funding.AccountRecipient, Unit: funding.CNY},
		{ID: "r2", Kind: funding.AccountRecipient, Unit: funding.CNY},
		{ID: "pts:src", Kind: funding.AccountSource, Unit: funding.Points},
		{ID: "pts:p1", Kind: funding.AccountRecipient, Unit: funding.Points},
	} {
		_, err := st.CreateAccount(ctx, a)
		require.NoError(t, err)
	}
	if !decimal.RequireFromString(inFund).IsZero() {
		_, _, err = st.Post(ctx, posting("appropriation", "src", "-"+inFund, "fund:f1", inFund))
		require.NoError(t, err)
	}
	return st
}

// posting returns a posting with key "key-"+id and lines given as account, amount pairs.
func posting(id string, accountAmounts ...string) funding.Posting {
	p := funding.Posting{ID: id, Key: "key-" + id, Reason: "test " + id, At: fundingAt, Actor: gridgov.SystemActor("test")}
	for i := 0; i+1 < len(accountAmounts); i += 2 {
		p.Lines = append(p.Lines, funding.Line{AccountID: accountAmounts[i], Amount: decimal.RequireFromString(accountAmounts[i+1])})
	}
	return p
}

// The funding store's refusals are *gridgov.ValidationError values that name every failing
// field in English and Chinese, whatever their kind.
func TestFundingErrorsNameTheFields(t *testing.T) {
	ctx := t.Context()
	st := newLedger(t, "100.00")
	paid, _, err := st.Post(ctx, posting("pay", "fund:f1", "-10", "r1", "10"))
	require.NoError(t, err)
	_, _, err = st.Post(ctx, funding.Posting{ID: "rev", Reason: "undo", ReversalOf: "pay", Lines: []funding.Line{
		{AccountID: "fund:f1", Amount: decimal.NewFromInt(10)}, {AccountID: "r1", Amount: decimal.NewFromInt(-10)},
	}})
	require.NoError(t, err)
	noIDs := posting("", "fund:f1", "-10", "nope", "5", "r1", "0", "r2", "0.001", "", "5", "r1", "1e20")
	noIDs.Reason = ""

	for _, tc := range []struct {
		name   string
		err    error
		kind   error
		fields []string
	}{
		{"every bad field of a posting", post(st, noIDs), gridgov.ErrInvalid,
			[]string{"ID", "Lines[1].AccountID", "Lines[2].Amount", "Lines[3].Amount", "Lines[4].AccountID", "Lines[5].Amount", "Reason"}},
		{"too few lines", post(st, posting("one", "r1", "1")), gridgov.ErrInvalid, []string{"Lines"}},
		{"unbalanced, twice", post(st, posting("unbalanced", "fund:f1", "-10", "r1", "9", "pts:src", "-1")),
			gridgov.ErrInvalid, []string{"Lines", "Lines"}},
		{"fractional points", post(st, posting("half", "pts:src", "-0.5", "pts:p1", "0.5")),
			gridgov.ErrInvalid, []string{"Lines[0].Amount", "Lines[1].Amount"}},
		{"unknown reversal", post(st, func() funding.Posting {
			p := posting("ghost", "fund:f1", "10", "r1", "-10")
			p.ReversalOf = "nope"
			return p
		}()), gridgov.ErrInvalid, []string{"ReversalOf"}},
		{"second reversal", post(st, func() funding.Posting {
			p := posting("rev-2", "fund:f1", "10", "r1", "-10")
			p.ReversalOf = paid.ID
			return p
		}()), gridgov.ErrConflict, []string{"ReversalOf"}},
		{"duplicate ID", post(st, func() funding.Posting {
			p := posting("pay", "fund:f1", "-1", "r1", "1")
			p.Key = "another key"
			return p
		}()), gridgov.ErrAlreadyExists, []string{"ID"}},
		{"overdraft of two accounts", post(st, posting("over", "fund:f1", "-120", "r1", "-0.50", "r2", "120.50")),
			gridgov.ErrBudgetExceeded, []string{"Lines[0].AccountID", "Lines[1].AccountID"}},
		{"fund refusals", func() error {
			_, err := st.CreateFund(ctx, funding.Fund{ParentID: "nope", Budget: decimal.RequireFromString("-1.005")})
			return err
		}(), gridgov.ErrInvalid, []string{"ID", "ParentID", "Budget", "AccountID"}},
		{"fund budget finer than the fen", func() error {
			_, err := st.CreateFund(ctx, funding.Fund{ID: "f2", AccountID: "fund:f2", Budget: decimal.RequireFromString("1e-999999999")})
			return err
		}(), gridgov.ErrInvalid, []string{"Budget"}},
		{"fund duplicates", func() error {
			_, err := st.CreateFund(ctx, funding.Fund{ID: "f1", AccountID: "r1"})
			return err
		}(), gridgov.ErrAlreadyExists, []string{"ID", "AccountID"}},
		{"account kind and unit unknown", func() error {
			_, err := st.CreateAccount(ctx, funding.Account{ID: "x", Kind: "bank", Unit: "USD"})
			return err
		}(), gridgov.ErrInvalid, []string{"Kind", "Unit"}},
		{"account clash", func() error {
			_, err := st.CreateAccount(ctx, funding.Account{ID: "r1", Kind: funding.AccountExpense, Unit: funding.CNY})
			return err
		}(), gridgov.ErrAlreadyExists, []string{"ID"}},
		{"negative limit", func() error {
			_, err := st.Postings(ctx, funding.PostingQuery{Limit: -1})
			return err
		}(), gridgov.ErrInvalid, []string{"Limit"}},
	} {
		require.ErrorIs(t, tc.err, tc.kind, tc.name)
		var verr *gridgov.ValidationError
		require.ErrorAs(t, tc.err, &verr, tc.name)
		assert.Equal(t, tc.fields, verr.FieldNames(), tc.name)
		for _, f := range verr.Fields {
			assert.NotEmpty(t, f.EN, tc.name)
			assert.NotEmpty(t, f.ZH, tc.name)
		}
	}
	b, err := st.Balance(ctx, "fund:f1")
	require.NoError(t, err)
	assert.True(t, decimal.RequireFromString("100").Equal(b.Amount), "nothing applied: %s", b.Amount)
}

func post(st *memory.FundingStore, p funding.Posting) error {
	_, _, err := st.Post(context.Background(), p)
	return err
}

// An overdraft names the account, its balance, what the posting takes and how far below
// zero it would go, in both languages.
func TestFundingOverdraftMessage(t *testing.T) {
	st := newLedger(t, "100.00")
	err := post(st, posting("over", "fund:f1", "-120.5", "r1", "120.5"))
	require.ErrorIs(t, err, gridgov.ErrBudgetExceeded)
	var verr *gridgov.ValidationError
	require.ErrorAs(t, err, &verr)
	require.Len(t, verr.Fields, 1)
	f := verr.Fields[0]
	assert.Equal(t, "Lines[0].AccountID", f.Field)
	for _, want := range []string{`"fund:f1"`, "¥100.00", "¥120.50", "¥20.50 below zero"} {
		assert.Contains(t, f.EN, want)
	}
	for _, want := range []string{"fund:f1", "100.00元", "120.50元", "透支20.50元"} {
		assert.Contains(t, f.ZH, want)
	}

	err = post(st, posting("redeem", "pts:p1", "-3", "pts:src", "3"))
	require.ErrorIs(t, err, gridgov.ErrBudgetExceeded)
	require.ErrorAs(t, err, &verr)
	assert.Contains(t, verr.Fields[0].EN, "3 points below zero")
	assert.Contains(t, verr.Fields[0].ZH, "透支3积分")
}

// A key already taken returns the first posting before anything else is checked, so a
// retry succeeds even when its content would now be refused.
func TestFundingKeyFirst(t *testing.T) {
	ctx := t.Context()
	st := newLedger(t, "100")
	first, applied, err := st.Post(ctx, posting("pay", "fund:f1", "-10", "r1", "10"))
	require.NoError(t, err)
	require.True(t, applied)
	garbled := posting("", "nope", "1")
	garbled.Key, garbled.Reason = "key-pay", ""
	got, applied, err := st.Post(ctx, garbled)
	require.NoError(t, err)
	assert.False(t, applied)
	assert.Equal(t, first.ID, got.ID)
	assert.Equal(t, first.Seq, got.Seq)
}

// Amounts whose exponent is enormous are refused at once, not computed with.
func TestFundingHugeExponents(t *testing.T) {
	st := newLedger(t, "100")
	for _, amount := range []string{"1e999999999", "1e-999999999", "-1e999999999"} {
		p := posting("huge", "fund:f1", "1", "r1", "-1")
		p.Lines[0].Amount = decimal.RequireFromString(amount)
		p.Lines[1].Amount = p.Lines[0].Amount.Neg()
		require.ErrorIs(t, post(st, p), gridgov.ErrInvalid, amount)
	}
}

// Random postings never break the ledger's invariants: bad input is refused with
// ErrInvalid or ErrBudgetExceeded and changes nothing, and accepted input keeps every
// non-source account at zero or above and each unit's balances summing to zero.
func FuzzFundingPost(f *testing.F) {
	f.Add("-10", "10", "0", uint8(0), uint8(1), uint8(2), "reason", "")
	f.Add("-100.01", "100", "0.01", uint8(1), uint8(2), uint8(3), "over", "")
	f.Add("-0.001", "0.001", "0", uint8(1), uint8(2), uint8(2), "sub-fen", "")
	f.Add("-1.5", "1.5", "0", uint8(4), uint8(5), uint8(5), "half point", "")
	f.Add("-5", "5", "3", uint8(4), uint8(5), uint8(0), "mixed", "")
	f.Add("1e999999999", "-1e999999999", "0", uint8(0), uint8(1), uint8(1), "huge", "")
	f.Add("-10", "10", "0", uint8(1), uint8(2), uint8(2), "reverse", "appropriation")
	f.Add("10", "-10", "0", uint8(1), uint8(0), uint8(2), "", "nope")
	accounts := []string{"src", "fund:f1", "r1", "r2", "pts:src", "pts:p1", "nope", ""}
	f.Fuzz(func(t *testing.T, a, b, c string, i, j, k uint8, reason, reversalOf string) {
		ctx := context.Background()
		st := newLedger(t, "100")
		var lines []funding.Line
		for n, s := range []string{a, b, c} {
			d, err := decimal.NewFromString(s)
			if err != nil {
				continue
			}
			acct := accounts[int([]uint8{i, j, k}[n])%len(accounts)]
			lines = append(lines, funding.Line{AccountID: acct, Amount: d})
		}
		before := balances(t, st, accounts[:6])
		_, applied, err := st.Post(ctx, funding.Posting{ID: "p", Key: "k", Lines: lines, Reason: reason, ReversalOf: reversalOf})
		after := balances(t, st, accounts[:6])
		if err != nil {
			require.False(t, applied)
			if !errors.Is(err, gridgov.ErrInvalid) && !errors.Is(err, gridgov.ErrBudgetExceeded) {
				t.Fatalf("unexpected error kind: %v", err)
			}
			var verr *gridgov.ValidationError
			require.ErrorAs(t, err, &verr)
			require.NotEmpty(t, verr.Fields)
			for id, bal := range before {
				require.True(t, bal.Equal(after[id]), "refused, yet %s moved from %s to %s", id, bal, after[id])
			}
			return
		}
		require.True(t, applied)
		cnySum := after["src"].Add(after["fund:f1"]).Add(after["r1"]).Add(after["r2"])
		require.True(t, cnySum.IsZero(), "CNY balances sum to %s", cnySum)
		require.True(t, after["pts:src"].Add(after["pts:p1"]).IsZero(), "points balances do not sum to zero")
		for _, id := range []string{"fund:f1", "r1", "r2", "pts:p1"} {
			require.False(t, after[id].IsNegative(), "%s went below zero: %s", id, after[id])
		}
	})
}

func balances(t *testing.T, st *memory.FundingStore, ids []string) map[string]decimal.Decimal {
	t.Helper()
	out := map[string]decimal.Decimal{}
	for _, id := range ids {
		b, err := st.Balance(context.Background(), id)
		require.NoError(t, err)
		out[id] = b.Amount
	}
	return out
}

// A fund receives its appropriation, pays a stipend, and refuses a payment it cannot
// cover; a retry of the stipend is applied once.
func ExampleFundingStore() {
	ctx := context.Background()
	st := memory.NewFundingStore()
	at := time.Date(2025, time.January, 6, 9, 0, 0, 0, time.UTC)
	_, _ = st.CreateAccount(ctx, funding.Account{ID: "treasury", Kind: funding.AccountSource, Unit: funding.CNY, Name: "区财政"})
	_, _ = st.CreateAccount(ctx, funding.Account{ID: "person:p-17", Kind: funding.AccountRecipient, Unit: funding.CNY, Name: "支部书记补贴"})
	if _, err := st.CreateFund(ctx, funding.Fund{
		ID: "branch-12", Name: "党支部工作经费", Period: funding.Year(2025, nil),
		Budget: decimal.RequireFromString("5000"), AccountID: "fund:branch-12",
	}); err != nil {
		fmt.Println(err)
		return
	}
	move := func(id, from, to, amount, reason string) funding.Posting {
		d := decimal.RequireFromString(amount)
		return funding.Posting{ID: id, Key: id, Reason: reason, At: at, Lines: []funding.Line{
			{AccountID: from, Amount: d.Neg()}, {AccountID: to, Amount: d},
		}}
	}

	_, _, err := st.Post(ctx, move("appropriation", "treasury", "fund:branch-12", "5000.00", "2025 working funds"))
	fmt.Println("appropriated:", err)
	p, applied, err := st.Post(ctx, move("stipend-01", "fund:branch-12", "person:p-17", "200.00", "January stipend"))
	fmt.Println("stipend: seq", p.Seq, "applied", applied, err)
	p, applied, err = st.Post(ctx, move("stipend-01", "fund:branch-12", "person:p-17", "200.00", "January stipend"))
	fmt.Println("retried: seq", p.Seq, "applied", applied, err)
	_, _, err = st.Post(ctx, move("too-much", "fund:branch-12", "person:p-17", "4800.01", "one fen too many"))
	fmt.Println("overdraft refused:", errors.Is(err, gridgov.ErrBudgetExceeded))

	for _, id := range []string{"treasury", "fund:branch-12", "person:p-17"} {
		b, _ := st.Balance(ctx, id)
		fmt.Printf("%-15s %9s\n", id, b.Amount.StringFixed(2))
	}
	// Output:
	// appropriated: <nil>
	// stipend: seq 2 applied true <nil>
	// retried: seq 2 applied false <nil>
	// overdraft refused: true
	// treasury         -5000.00
	// fund:branch-12    4800.00
	// person:p-17        200.00
}

// BenchmarkPost measures posting throughput: two-line disbursements from one fund to 1,000
// recipients, each with its own idempotency key, from one goroutine and from GOMAXPROCS
// goroutines at once (all through the store's one lock).
func BenchmarkPost(b *testing.B) {
	const recipients = 1000
	setup := func(b *testing.B) *memory.FundingStore {
		b.Helper()
		st := newLedger(b, "999999999999")
		for i := range recipients {
			if _, err := st.CreateAccount(context.Background(), funding.Account{
				ID: fmt.Sprintf("c%04d", i), Kind: funding.AccountRecipient, Unit: funding.CNY,
			}); err != nil {
				b.Fatal(err)
			}
		}
		return st
	}
	amount := decimal.RequireFromString("12.34")
	disbursement := func(n int64) funding.Posting {
		id := fmt.Sprintf("d%d", n)
		return funding.Posting{ID: id, Key: id, Reason: "stipend", At: fundingAt, Lines: []funding.Line{
			{AccountID: "fund:f1", Amount: amount.Neg()},
			{AccountID: fmt.Sprintf("c%04d", n%recipients), Amount: amount},
		}}
	}
	report := func(b *testing.B) {
		b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "postings/s")
	}

	b.Run("sequential", func(b *testing.B) {
		st := setup(b)
		ctx := context.Background()
		b.ReportAllocs()
		var n int64
		for b.Loop() {
			n++
			if _, _, err := st.Post(ctx, disbursement(n)); err != nil {
				b.Fatal(err)
			}
		}
		report(b)
	})
	b.Run("parallel", func(b *testing.B) {
		st := setup(b)
		ctx := context.Background()
		var next atomic.Int64
		b.ReportAllocs()
		b.ResetTimer()
		b.RunParallel(func(pb *testing.PB) {
			for pb.Next() {
				if _, _, err := st.Post(ctx, disbursement(next.Add(1))); err != nil {
					b.Error(err)
					return
				}
			}
		})
		report(b)
	})
}

// BenchmarkPostingsByAccount reads the 100 postings of one account after a cursor: its cost
// depends on the account's postings, not on the ledger's size (10,000 or 100,000).
func BenchmarkPostingsByAccount(b *testing.B) {
	for _, size := range []int{10_000, 100_000} {
		b.Run(fmt.Sprintf("ledger=%d", size), func(b *testing.B) {
			ctx := context.Background()
			st := newLedger(b, "999999999999")
			for _, id := range []string{"busy", "quiet"} {
				if _, err := st.CreateAccount(ctx, funding.Account{ID: id, Kind: funding.AccountRecipient, Unit: funding.CNY}); err != nil {
					b.Fatal(err)
				}
			}
			for i := range size {
				to := "busy"
				if i%(size/100) == 0 {
					to = "quiet"
				}
				if _, _, err := st.Post(ctx, posting(fmt.Sprint("p", i), "fund:f1", "-1", to, "1")); err != nil {
					b.Fatal(err)
				}
			}
			read := func() {
				list, err := st.Postings(ctx, funding.PostingQuery{AccountID: "quiet", AfterSeq: 1})
				if err != nil || len(list) != 100 {
					b.Fatal(len(list), err)
				}
			}
			warmHeap(read)
			b.ReportAllocs()
			for b.Loop() {
				read()
			}
		})
	}
}
