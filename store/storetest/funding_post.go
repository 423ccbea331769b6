package storetest

import (
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gridgov/gridgov"
	"github.com/gridgov/gridgov/funding"
)

// A balanced posting is applied whole: every balance moves by exactly its lines, Seq
// increases, and the stored posting is returned.
func testFundingPostApplied(f fundFx) {
	t := f.t
	f.setup("0")
	bal, err := f.st.Balance(f.ctx, "r1")
	require.NoError(t, err)
	assert.Zero(t, bal.Seq, "no posting is included yet")

	in := newPosting("appropriation", transfer(fxSource, fxFund, "10000.00")...)
	in.PlanID, in.PlanLine = "plan-2024", 3
	in.Actor = gridgov.PersonActor("p-1")
	p1, applied, err := f.st.Post(f.ctx, in)
	require.NoError(t, err)
	require.True(t, applied)
	require.Positive(t, p1.Seq)
	f.requirePosting(in, p1, "Post returns the stored posting")

	// A disbursement with three lines, amounts at different scales.
	in2 := newPosting("disburse", lineOf(fxFund, "-2000"), lineOf("r1", "1200.5"), lineOf("r2", "799.50"))
	in2.At = day(1)
	p2 := f.post(in2)
	require.Greater(t, p2.Seq, p1.Seq, "Seq increases in commit order")
	f.requirePosting(in2, p2)

	f.requireBalance(fxSource, "-10000", "a source account may go below zero")
	f.requireBalance(fxFund, "8000.00")
	f.requireBalance("r1", "1200.50")
	f.requireBalance("r2", "799.50")
	f.requireBalance("r3", "0")
	f.requireBalancedBooks()

	for _, id := range []string{fxSource, "r1", "r3"} {
		b, err := f.st.Balance(f.ctx, id)
		require.NoError(t, err)
		assert.Equal(t, p2.Seq, b.Seq, "Balance(%s) includes every posting applied so far", id)
	}

	got, err := f.st.GetPosting(f.ctx, "appropriation")
	require.NoError(t, err)
	f.requirePosting(p1, got, "GetPosting")
	got, err = f.st.GetPosting(f.ctx, "disburse")
	require.NoError(t, err)
	f.requirePosting(p2, got, "GetPosting")
	_, err = f.st.GetPosting(f.ctx, "nope")
	require.ErrorIs(t, err, gridgov.ErrNotFound)

	// Points lines carry their expiry.
	earn := newPosting("earn", lineOf(fxPtsSrc, "-30"), funding.Line{AccountID: "pts:p1", Amount: cny("30"), Expires: day(365)})
	pe := f.post(earn)
	f.requirePosting(earn, pe)
	f.requireBalance("pts:p1", "30")
}

// The store keeps no reference to a posting's lines, and hands out copies.
func testFundingPostCopies(f fundFx) {
	t := f.t
	f.setup("100")
	lines := []funding.Line{lineOf(fxFund, "-10"), lineOf("r1", "10")}
	in := newPosting("p", lines...)
	in.Lines = lines
	want := newPosting("p", lineOf(fxFund, "-10"), lineOf("r1", "10"))
	out := f.post(in)
	lines[0].AccountID, lines[1].Amount = "r2", cny("99")
	out.Lines[0].AccountID, out.Lines[1].Amount = "r3", cny("77")

	got, err := f.st.GetPosting(f.ctx, "p")
	require.NoError(t, err)
	f.requirePosting(want, got, "neither the caller's slice nor the returned one aliases the store")
	got.Lines[0].AccountID = "r2"

	list, err := f.st.Postings(f.ctx, funding.PostingQuery{AccountID: "r1"})
	require.NoError(t, err)
	require.Len(t, list, 1)
	f.requirePosting(want, list[0], "GetPosting returned a copy")
	list[0].Lines[1].AccountID = "r3"

	got, err = f.st.GetPosting(f.ctx, "p")
	require.NoError(t, err)
	f.requirePosting(want, got, "Postings returned a copy")
	f.requireBalance("r1", "10")
	f.requireBalance("r2", "0")
}

// Malformed postings are refused with ErrInvalid and change nothing; the refused key stays
// free.
func testFundingPostRefusals(f fundFx) {
	t := f.t
	f.setup("1000.00")
	f.post(newPosting("points", transfer(fxPtsSrc, "pts:p1", "100")...))
	before := f.ledger()

	noReason := newPosting("no-reason", transfer(fxFund, "r1", "10")...)
	noReason.Reason = ""
	for _, tc := range []struct {
		name string
		p    funding.Posting
	}{
		{"unbalanced", newPosting("bad", lineOf(fxFund, "-100"), lineOf("r1", "90"))},
		{"unbalanced by a fen", newPosting("bad", lineOf(fxFund, "-100.00"), lineOf("r1", "60.00"), lineOf("r2", "39.99"))},
		{"one line", newPosting("bad", lineOf("r1", "100"))},
		{"one zero line", newPosting("bad", lineOf("r1", "0"))},
		{"no lines", newPosting("bad")},
		{"unknown account", newPosting("bad", transfer(fxFund, "nope", "100")...)},
		{"empty account", newPosting("bad", transfer(fxFund, "", "100")...)},
		{"zero amount", newPosting("bad", lineOf(fxFund, "-100"), lineOf("r1", "100"), lineOf("r2", "0"))},
		{"zero transfer", newPosting("bad", lineOf(fxFund, "0"), lineOf("r1", "0"))},
		{"sub-fen CNY", newPosting("bad", transfer(fxFund, "r1", "0.005")...)},
		{"sub-fen CNY balanced in fen", newPosting("bad", lineOf(fxFund, "-10.001"), lineOf("r1", "10.001"))},
		{"fractional points", newPosting("bad", transfer("pts:p1", "pts:p2", "1.5")...)},
		{"mixed units, unbalanced per unit", newPosting("bad", lineOf(fxFund, "-100"), lineOf("pts:p1", "100"))},
		{"mixed units, one unit unbalanced", newPosting("bad",
			lineOf(fxFund, "-100"), lineOf("r1", "100"), lineOf("pts:p1", "-5"), lineOf("pts:p2", "4"))},
		{"missing reason", noReason},
		{"missing ID", newPosting("", transfer(fxFund, "r1", "10")...)},
	} {
		tc.p.Key = "refused-key"
		_, applied, err := f.st.Post(f.ctx, tc.p)
		require.ErrorIs(t, err, gridgov.ErrInvalid, tc.name)
		require.False(t, applied, tc.name)
		f.requireLedgerUnchanged(before, tc.name)
		_, err = f.st.GetPosting(f.ctx, "bad")
		require.ErrorIs(t, err, gridgov.ErrNotFound, tc.name)
	}

	// The key of a refused posting was not taken.
	ok := newPosting("good", transfer(fxFund, "r1", "10")...)
	ok.Key = "refused-key"
	f.post(ok)
	f.requireBalance("r1", "10")
}

// A posting may carry lines in several units; each unit's lines must balance.
func testFundingPostMixedUnits(f fundFx) {
	f.setup("1000")
	lines := append(transfer(fxFund, "r1", "100"), transfer(fxPtsSrc, "pts:p1", "50")...)
	f.post(newPosting("mixed", lines...))
	f.requireBalance(fxFund, "900")
	f.requireBalance("r1", "100")
	f.requireBalance(fxPtsSrc, "-50")
	f.requireBalance("pts:p1", "50")
	f.requireBalancedBooks()
}

// A posting that would leave a non-source account below zero is refused whole with
// ErrBudgetExceeded: none of its lines apply. What counts is where each account ends.
func testFundingPostOverdraw(f fundFx) {
	t := f.t
	f.setup("1000.00")
	f.post(newPosting("points", transfer(fxPtsSrc, "pts:p1", "10")...))
	before := f.ledger()
	for _, tc := range []struct {
		name string
		p    funding.Posting
	}{
		{"fund short by a fen", newPosting("over", transfer(fxFund, "r1", "1000.01")...)},
		{"fund, over two lines", newPosting("over", lineOf(fxFund, "-1100"), lineOf("r1", "600"), lineOf("r2", "500"))},
		{"fund, split over two lines on it", newPosting("over",
			lineOf(fxFund, "-600"), lineOf("r1", "600"), lineOf(fxFund, "-500"), lineOf("r2", "500"))},
		{"fund, with a fine line from the source", newPosting("over",
			lineOf(fxSource, "-100"), lineOf("r1", "100"), lineOf(fxFund, "-1500"), lineOf("r2", "1500"))},
		{"recipient", newPosting("over", transfer("r1", fxExpense, "0.01")...)},
		{"fund and recipient", newPosting("over", lineOf(fxFund, "-2000"), lineOf("r1", "-1"), lineOf(fxExpense, "2001"))},
		{"points", newPosting("over", transfer("pts:p1", fxPtsExp, "11")...)},
		{"points with a fine CNY part", newPosting("over",
			lineOf(fxFund, "-1"), lineOf("r1", "1"), lineOf("pts:p1", "-11"), lineOf(fxPtsExp, "11"))},
	} {
		_, applied, err := f.st.Post(f.ctx, tc.p)
		require.ErrorIs(t, err, gridgov.ErrBudgetExceeded, tc.name)
		require.False(t, applied, tc.name)
		f.requireLedgerUnchanged(before, tc.name)
	}

	// Lines on one account net out: the fund ends at 100, never below zero.
	f.post(newPosting("netted", lineOf(fxFund, "-1500"), lineOf("r1", "1500"), lineOf("r1", "-600"), lineOf(fxFund, "600")))
	f.requireBalance(fxFund, "100")
	f.requireBalance("r1", "900")

	// Down to exactly zero is allowed; a fen more is not.
	f.post(newPosting("to-zero", transfer(fxFund, "r2", "100.00")...))
	f.requireBalance(fxFund, "0")
	_, _, err := f.st.Post(f.ctx, newPosting("a-fen-more", transfer(fxFund, "r2", "0.01")...))
	require.ErrorIs(t, err, gridgov.ErrBudgetExceeded)
	f.post(newPosting("spend", transfer("r1", fxExpense, "900")...))
	f.requireBalance("r1", "0")
	f.requireBalance(fxExpense, "900")
	f.post(newPosting("redeem", transfer("pts:p1", fxPtsExp, "10")...))
	f.requireBalance("pts:p1", "0")

	// A source account may go as far below zero as it likes.
	f.post(newPosting("more", transfer(fxSource, fxFund, "5000000")...))
	f.requireBalance(fxSource, "-5001000")
	f.requireBalancedBooks()
}

// A posting retried with the same key is applied once: the retry returns the first
// posting with applied = false, whatever it carries, even when it could no longer be
// applied.
func testFundingPostIdempotent(f fundFx) {
	t := f.t
	f.setup("1000")
	in := newPosting("pay", transfer(fxFund, "r1", "100")...)
	first := f.post(in)
	after := f.ledger()

	again, applied, err := f.st.Post(f.ctx, in)
	require.NoError(t, err)
	require.False(t, applied, "a retry is not applied")
	f.requirePosting(first, again, "the retry returns the first posting")
	assert.Equal(t, first.Seq, again.Seq)
	f.requireLedgerUnchanged(after, "no double effect")

	other := newPosting("pay-other", transfer(fxFund, "r2", "999")...)
	other.Key = in.Key
	other.Reason = "a different reason"
	again, applied, err = f.st.Post(f.ctx, other)
	require.NoError(t, err)
	require.False(t, applied)
	f.requirePosting(first, again, "a retry with other content returns the first posting")
	f.requireLedgerUnchanged(after)
	_, err = f.st.GetPosting(f.ctx, "pay-other")
	require.ErrorIs(t, err, gridgov.ErrNotFound)

	// Once the fund is spent the first posting could not be applied again, but a retry
	// still returns it.
	f.post(newPosting("drain", transfer(fxFund, "r3", "900")...))
	again, applied, err = f.st.Post(f.ctx, in)
	require.NoError(t, err)
	require.False(t, applied)
	f.requirePosting(first, again)
	f.requireBalance("r1", "100")
	f.requireBalance(fxFund, "0")
}

// An existing ID under another key (or none) is ErrAlreadyExists; postings without a key
// are never deduplicated.
func testFundingPostDuplicateID(f fundFx) {
	t := f.t
	f.setup("1000")
	f.post(newPosting("p1", transfer(fxFund, "r1", "100")...))
	before := f.ledger()

	dup := newPosting("p1", transfer(fxFund, "r2", "100")...)
	dup.Key = "another-key"
	_, applied, err := f.st.Post(f.ctx, dup)
	require.ErrorIs(t, err, gridgov.ErrAlreadyExists)
	require.False(t, applied)
	dup.Key = ""
	_, _, err = f.st.Post(f.ctx, dup)
	require.ErrorIs(t, err, gridgov.ErrAlreadyExists)
	f.requireLedgerUnchanged(before)

	// The refused key is free.
	ok := newPosting("p2", transfer(fxFund, "r2", "100")...)
	ok.Key = "another-key"
	f.post(ok)

	// Without keys, two postings with the same content are two postings.
	for _, id := range []string{"n1", "n2"} {
		p := newPosting(id, transfer(fxFund, "r3", "50")...)
		p.Key = ""
		f.post(p)
	}
	f.requireBalance("r3", "100")
	f.requireBalance(fxFund, "700")
}

// A reversal (the lines negated, ReversalOf set) restores every balance; it is a posting
// of its own and is retried idempotently like any other.
func testFundingReversal(f fundFx) {
	t := f.t
	f.setup("1000")
	pay := f.post(newPosting("pay", lineOf(fxFund, "-500"), lineOf("r1", "300"), lineOf("r2", "200")))
	before := f.ledger()
	f.requireBalance(fxFund, "500")

	rev := reversal(pay, "pay-rev")
	got := f.post(rev)
	assert.Equal(t, "pay", got.ReversalOf)
	assert.Greater(t, got.Seq, pay.Seq)
	f.requirePosting(rev, got)
	f.requireBalance(fxFund, "1000")
	f.requireBalance("r1", "0")
	f.requireBalance("r2", "0")
	read, err := f.st.GetPosting(f.ctx, "pay-rev")
	require.NoError(t, err)
	f.requirePosting(got, read)
	read, err = f.st.GetPosting(f.ctx, "pay")
	require.NoError(t, err)
	f.requirePosting(pay, read, "the reversed posting is never edited")
	onR1, err := f.st.Postings(f.ctx, funding.PostingQuery{AccountID: "r1"})
	require.NoError(t, err)
	assert.Equal(t, []string{"pay", "pay-rev"}, postingIDs(onR1))
	assert.Len(t, f.ledger().Postings, len(before.Postings)+1)

	// Retrying the reversal with its key is not a second reversal.
	again, applied, err := f.st.Post(f.ctx, rev)
	require.NoError(t, err)
	require.False(t, applied)
	assert.Equal(t, "pay-rev", again.ID)
	f.requireBalance(fxFund, "1000")
	f.requireBalancedBooks()
}

// A posting is reversed once (a second reversal is ErrConflict); a reversal of an unknown
// posting is ErrInvalid; a reversal that would overdraw an account (the money was spent
// onward) is ErrBudgetExceeded and leaves the posting reversible.
func testFundingReversalRefusals(f fundFx) {
	t := f.t
	f.setup("1000")
	pay := f.post(newPosting("pay", transfer(fxFund, "r1", "300")...))
	f.post(reversal(pay, "rev-1"))
	before := f.ledger()

	_, applied, err := f.st.Post(f.ctx, reversal(pay, "rev-2"))
	require.ErrorIs(t, err, gridgov.ErrConflict, "a second reversal")
	require.False(t, applied)
	f.requireLedgerUnchanged(before)

	ghost := reversal(pay, "rev-ghost")
	ghost.ReversalOf = "nope"
	_, _, err = f.st.Post(f.ctx, ghost)
	require.ErrorIs(t, err, gridgov.ErrInvalid, "a reversal of an unknown posting")
	f.requireLedgerUnchanged(before)

	// The money was spent onward: reversing the payment would overdraw the recipient.
	pay2 := f.post(newPosting("pay-2", transfer(fxFund, "r1", "400")...))
	spend := f.post(newPosting("spend", transfer("r1", fxExpense, "400")...))
	before = f.ledger()
	_, applied, err = f.st.Post(f.ctx, reversal(pay2, "rev-pay-2"))
	require.ErrorIs(t, err, gridgov.ErrBudgetExceeded)
	require.False(t, applied)
	f.requireLedgerUnchanged(before)

	// Undo the spending first; then the payment can be reversed (the refusal did not
	// count as a reversal).
	f.post(reversal(spend, "rev-spend"))
	f.requireBalance("r1", "400")
	f.post(reversal(pay2, "rev-pay-2-again"))
	f.requireBalance("r1", "0")
	f.requireBalance(fxFund, "1000")
	f.requireBalance(fxExpense, "0")
	f.requireBalancedBooks()
}

// Postings selects by account, plan, time range and sequence, in Seq order, up to Limit.
func testFundingPostingsQuery(f fundFx) {
	t := f.t
	f.setup("0")
	seqs := map[string]int64{}
	add := func(id string, atDay int, plan string, planLine int, lines ...funding.Line) {
		p := newPosting(id, lines...)
		p.At, p.PlanID, p.PlanLine = day(atDay), plan, planLine
		seqs[id] = f.post(p).Seq
	}
	add("s1", 0, "", 0, transfer(fxSource, fxFund, "10000")...)
	add("s2", 1, "P1", 0, transfer(fxFund, "r1", "100")...)
	add("s3", 2, "P1", 1, transfer(fxFund, "r2", "200")...)
	add("s4", 3, "P2", 0, transfer(fxFund, "r3", "300")...)
	add("s5", 4, "P2", 1, transfer(fxFund, "r1", "50")...)
	add("s6", 5, "", 0, transfer("r1", fxExpense, "20")...)

	type q = funding.PostingQuery
	cases := []struct {
		name string
		q    q
		want []string
	}{
		{"all", q{}, []string{"s1", "s2", "s3", "s4", "s5", "s6"}},
		{"by account", q{AccountID: "r1"}, []string{"s2", "s5", "s6"}},
		{"by fund account", q{AccountID: fxFund}, []string{"s1", "s2", "s3", "s4", "s5"}},
		{"by plan", q{PlanID: "P1"}, []string{"s2", "s3"}},
		{"by plan and account", q{PlanID: "P2", AccountID: "r1"}, []string{"s5"}},
		{"by plan and another account", q{PlanID: "P1", AccountID: "r3"}, []string{}},
		{"from", q{From: day(2)}, []string{"s3", "s4", "s5", "s6"}},
		{"to (exclusive)", q{To: day(2)}, []string{"s1", "s2"}},
		{"from and to", q{From: day(1), To: day(4)}, []string{"s2", "s3", "s4"}},
		{"an empty range", q{From: day(3), To: day(3)}, []string{}},
		{"account and range", q{AccountID: "r1", From: day(2), To: day(5)}, []string{"s5"}},
		{"plan and range", q{PlanID: "P2", To: day(4)}, []string{"s4"}},
		{"after seq", q{AfterSeq: seqs["s3"]}, []string{"s4", "s5", "s6"}},
		{"after the last", q{AfterSeq: seqs["s6"]}, []string{}},
		{"limit", q{Limit: 2}, []string{"s1", "s2"}},
		{"account, after seq, limit", q{AccountID: "r1", AfterSeq: seqs["s2"], Limit: 1}, []string{"s5"}},
		{"from and after seq", q{From: day(3), AfterSeq: seqs["s4"]}, []string{"s5", "s6"}},
		{"unknown account", q{AccountID: "nope"}, []string{}},
		{"unknown plan", q{PlanID: "nope"}, []string{}},
	}
	check := func(cases []struct {
		name string
		q    q
		want []string
	}) {
		for _, tc := range cases {
			list, err := f.st.Postings(f.ctx, tc.q)
			require.NoError(t, err, tc.name)
			require.Equal(t, tc.want, postingIDs(list), tc.name)
			for i, p := range list {
				require.Equal(t, seqs[p.ID], p.Seq, tc.name)
				if i > 0 {
					require.Greater(t, p.Seq, list[i-1].Seq, "%s: Seq order", tc.name)
				}
				require.Len(t, p.Lines, 2, tc.name)
			}
		}
	}
	check(cases)

	// Paging with AfterSeq and Limit visits every posting once.
	var paged []string
	for after := int64(0); ; {
		page, err := f.st.Postings(f.ctx, q{AccountID: fxFund, AfterSeq: after, Limit: 2})
		require.NoError(t, err)
		if len(page) == 0 {
			break
		}
		require.LessOrEqual(t, len(page), 2)
		paged = append(paged, postingIDs(page)...)
		after = page[len(page)-1].Seq
	}
	assert.Equal(t, []string{"s1", "s2", "s3", "s4", "s5"}, paged)

	// A posting dated before the others (a late entry) keeps its place in Seq order, and the
	// time ranges still find exactly what falls in them.
	add("s7", -1, "P1", 2, transfer(fxFund, "r2", "1")...)
	check([]struct {
		name string
		q    q
		want []string
	}{
		{"all, in Seq order", q{}, []string{"s1", "s2", "s3", "s4", "s5", "s6", "s7"}},
		{"to, late entry", q{To: day(0)}, []string{"s7"}},
		{"to, with the late entry", q{To: day(2)}, []string{"s1", "s2", "s7"}},
		{"from, without the late entry", q{From: day(0), To: day(2)}, []string{"s1", "s2"}},
		{"from, later", q{From: day(4)}, []string{"s5", "s6"}},
		{"plan, in Seq order", q{PlanID: "P1"}, []string{"s2", "s3", "s7"}},
		{"account and to", q{AccountID: "r2", To: day(1)}, []string{"s7"}},
	})
}
