package memory

import (
	"context"
	"fmt"
	"math/big"
	"slices"
	"sort"
	"time"

	"github.com/shopspring/decimal"

	"github.com/gridgov/gridgov"
	"github.com/gridgov/gridgov/funding"
)

// Post checks p whole and, only if every check passes, applies it: O(lines) under the
// write lock, whatever the size of the ledger. A Key already taken returns the posting
// stored under it (applied = false) before anything else is checked. See funding.Store.
func (s *FundingStore) Post(ctx context.Context, p funding.Posting) (funding.Posting, bool, error) {
	p.Lines = slices.Clone(p.Lines) // the store keeps no reference to the caller's slice
	p.Seq = 0
	if err := s.lockWrite(ctx); err != nil {
		return funding.Posting{}, false, err
	}
	defer s.mu.Unlock()
	if p.Key != "" {
		if rec := s.keys[p.Key]; rec != nil {
			return rec.value(), false, nil
		}
	}
	target, err := s.checkPosting(p)
	if err != nil {
		return funding.Posting{}, false, err
	}
	if err := s.checkBudget(); err != nil {
		return funding.Posting{}, false, err
	}

	// Every check passed: apply.
	p.Seq = int64(len(s.log)) + 1
	rec := &postingRec{p: p}
	for _, a := range s.touched {
		a.balance = a.next
		a.postings = append(a.postings, rec)
	}
	s.postings[p.ID] = rec
	if p.Key != "" {
		s.keys[p.Key] = rec
	}
	if n := len(s.log); n > 0 && p.At.Before(s.log[n-1].p.At) {
		s.ordered = false
	}
	s.log = append(s.log, rec)
	if p.PlanID != "" {
		s.byPlan[p.PlanID] = append(s.byPlan[p.PlanID], rec)
	}
	if target != nil {
		target.reversedBy = p.ID
	}
	return rec.value(), true, nil
}

// value returns a copy of the stored posting.
func (r *postingRec) value() funding.Posting {
	p := r.p
	p.Lines = slices.Clone(r.p.Lines)
	return p
}

// unitSum is the running sum of a posting's lines in one unit.
type unitSum struct {
	unit funding.Unit
	sum  decimal.Decimal
}

// checkPosting checks everything about p but the balances: its fields and lines
// (gridgov.ErrInvalid, naming every failing field), its ID (gridgov.ErrAlreadyExists) and the
// posting it reverses (gridgov.ErrInvalid when missing, gridgov.ErrConflict when already
// reversed). It leaves the accounts p touches in s.touched, each with the sum of p's lines on
// it in delta, and returns the posting p reverses, if any.
func (s *FundingStore) checkPosting(p funding.Posting) (*postingRec, error) {
	// The fields are collected on the stack and moved to the heap only on failure, so that
	// an accepted posting costs no allocation here.
	var fields gridgov.ValidationError
	verr := &fields
	requireID(verr, "ID", p.ID)
	if len(p.Lines) < 2 {
		verr.Add("Lines", "min",
			fmt.Sprintf("a posting needs at least two lines, not %d", len(p.Lines)),
			fmt.Sprintf("记账凭证至少需要两行分录，而不是%d行", len(p.Lines)))
	}
	s.gen++
	s.touched = s.touched[:0]
	sums := make([]unitSum, 0, 2)
	summable := true // every line names an existing account and has a valid amount
	for i, l := range p.Lines {
		ok := checkLineAmount(verr, i, l.Amount)
		a := s.accounts[l.AccountID]
		switch {
		case a == nil && l.AccountID == "":
			requireID(verr, lineField(i, "AccountID"), l.AccountID)
		case a == nil:
			missingRef(verr, lineField(i, "AccountID"), entAccount, l.AccountID)
		case ok:
			ok = checkLinePrecision(verr, i, l.Amount, a.acct.Unit)
		}
		if a == nil || !ok {
			summable = false
			continue
		}
		if a.mark != s.gen {
			a.mark, a.delta, a.line = s.gen, l.Amount, i
			s.touched = append(s.touched, a)
		} else {
			a.delta = a.delta.Add(l.Amount)
		}
		j := slices.IndexFunc(sums, func(u unitSum) bool { return u.unit == a.acct.Unit })
		if j < 0 {
			sums = append(sums, unitSum{unit: a.acct.Unit, sum: l.Amount})
		} else {
			sums[j].sum = sums[j].sum.Add(l.Amount)
		}
	}
	if summable && len(p.Lines) >= 2 {
		for _, u := range sums {
			if !u.sum.IsZero() {
				en, zh := formatAmount(u.sum, u.unit)
				verr.Add("Lines", "balanced",
					fmt.Sprintf("the %s lines sum to %s, not zero: a posting must balance in each unit", u.unit, en),
					fmt.Sprintf("%s分录合计为%s而不是零：每种计量单位的分录都必须借贷平衡", u.unit, zh))
			}
		}
	}
	if p.Reason == "" {
		verr.Add("Reason", "required", "Reason is required", "Reason（记账事由）为必填项")
	}
	var target *postingRec
	if p.ReversalOf != "" {
		if target = s.postings[p.ReversalOf]; target == nil {
			missingRef(verr, "ReversalOf", entPosting, p.ReversalOf)
		}
	}
	if len(fields.Fields) > 0 {
		return nil, &gridgov.ValidationError{Fields: fields.Fields}
	}
	if _, ok := s.postings[p.ID]; ok {
		return nil, gridgov.AlreadyExists("ID", p.ID)
	}
	if target != nil && target.reversedBy != "" {
		return nil, (&gridgov.ValidationError{Kind: gridgov.ErrConflict}).Add("ReversalOf", "unreversed",
			fmt.Sprintf("posting %q was already reversed by posting %q; a posting is reversed once", p.ReversalOf, target.reversedBy),
			fmt.Sprintf("记账凭证“%s”已被凭证“%s”冲销，不能重复冲销", p.ReversalOf, target.reversedBy))
	}
	return target, nil
}

// maxIntDigits bounds the magnitude of an amount: fewer than 10^15 yuan or points (a
// thousand trillion). Without a bound, an amount such as 1e999999999 would make every sum
// it enters compute a billion-digit number.
const maxIntDigits = 15

// checkLineAmount records on verr that the i-th line's amount is zero or out of range, and
// reports whether it is neither.
func checkLineAmount(verr *gridgov.ValidationError, i int, d decimal.Decimal) bool {
	if d.IsZero() {
		field := lineField(i, "Amount")
		verr.Add(field, "nonzero", fmt.Sprintf("%s must not be zero", field), fmt.Sprintf("%s不能为零", field))
		return false
	}
	if !inRange(d) {
		field := lineField(i, "Amount")
		verr.Add(field, "max",
			fmt.Sprintf("%s must be less than 10^%d in magnitude", field, maxIntDigits),
			fmt.Sprintf("%s的绝对值必须小于10的%d次方", field, maxIntDigits))
		return false
	}
	return true
}

// inRange reports whether |d| < 10^maxIntDigits, without rescaling d.
func inRange(d decimal.Decimal) bool {
	if d.IsZero() {
		return true
	}
	// Fast path without allocating: NumDigits may be one off (it uses a floating-point
	// logarithm for small coefficients), so it only decides well inside the bound.
	if int64(d.NumDigits())+int64(d.Exponent()) < maxIntDigits {
		return true
	}
	return digits(d.Coefficient())+int64(d.Exponent()) <= maxIntDigits
}

// digits returns the number of decimal digits of |c| (1 for zero), exactly.
func digits(c *big.Int) int64 {
	if c.IsInt64() {
		v := c.Int64()
		n := int64(1)
		for ; v >= 10 || v <= -10; v /= 10 {
			n++
		}
		return n
	}
	// Start below the answer (|c| ≥ 2^(BitLen-1), and log10(2) < 0.30103), then count up.
	n := max(1, int64(float64(c.BitLen()-1)*0.30102))
	abs := new(big.Int).Abs(c)
	ten := big.NewInt(10)
	p := new(big.Int).Exp(ten, big.NewInt(n), nil)
	for abs.Cmp(p) >= 0 {
		p.Mul(p, ten)
		n++
	}
	return n
}

// checkLinePrecision records on verr that the i-th line's amount is finer than its unit
// allows (CNY to the fen, points whole) and reports whether it is not.
func checkLinePrecision(verr *gridgov.ValidationError, i int, d decimal.Decimal, unit funding.Unit) bool {
	switch unit {
	case funding.CNY:
		if !hasPlaces(d, 2) {
			field := lineField(i, "Amount")
			verr.Add(field, "fen",
				fmt.Sprintf("%s must be whole fen (at most 2 decimal places), not %s", field, showAmount(d)),
				fmt.Sprintf("%s必须精确到分（最多两位小数），而不是%s", field, showAmount(d)))
			return false
		}
	case funding.Points:
		if !hasPlaces(d, 0) {
			field := lineField(i, "Amount")
			verr.Add(field, "whole",
				fmt.Sprintf("%s must be a whole number of points, not %s", field, showAmount(d)),
				fmt.Sprintf("%s必须是整数积分，而不是%s", field, showAmount(d)))
			return false
		}
	}
	return true
}

// showAmount writes d for a message: in plain decimal notation, or as coefficient and
// exponent when the exponent is so large that the plain form would run to many digits.
func showAmount(d decimal.Decimal) string {
	if e := d.Exponent(); e < -30 || e > 30 {
		return fmt.Sprintf("%se%d", d.Coefficient(), e)
	}
	return d.String()
}

// hasPlaces reports whether d has at most places decimal places. Unlike comparing d with
// d.Truncate(places), its cost is bounded by the digits of d's coefficient, whatever its
// exponent.
func hasPlaces(d decimal.Decimal, places int32) bool {
	if d.Exponent() >= -places || d.IsZero() {
		return true
	}
	// d = c × 10^e with e < -places: the last -places-e digits of c must be zeros.
	k := -int64(places) - int64(d.Exponent())
	c := d.Coefficient()
	if k >= digits(c) {
		return false // 0 < |c| < 10^k
	}
	var rem big.Int
	rem.Rem(c, new(big.Int).Exp(big.NewInt(10), big.NewInt(k), nil))
	return rem.Sign() == 0
}

// checkBudget computes the new balance of every account in s.touched (in next) and refuses
// the posting with gridgov.ErrBudgetExceeded when one that must stay non-negative would end
// below zero, naming each such account with its balance and the amount it would go below
// zero by.
func (s *FundingStore) checkBudget() error {
	var verr *gridgov.ValidationError // allocated on the first overdraft
	for _, a := range s.touched {
		a.next = a.balance.Add(a.delta)
		if !a.next.IsNegative() || !a.acct.NonNegative() {
			continue
		}
		unit := a.acct.Unit
		holds, holdsZH := formatAmount(a.balance, unit)
		takes, takesZH := formatAmount(a.delta.Neg(), unit)
		short, shortZH := formatAmount(a.next.Neg(), unit)
		if verr == nil {
			verr = &gridgov.ValidationError{Kind: gridgov.ErrBudgetExceeded}
		}
		verr.Add(lineField(a.line, "AccountID"), "budget",
			fmt.Sprintf("account %q holds %s; the posting takes %s, which would leave it %s below zero",
				a.acct.ID, holds, takes, short),
			fmt.Sprintf("账户“%s”余额为%s，本凭证支出%s，将透支%s", a.acct.ID, holdsZH, takesZH, shortZH))
	}
	return verr.Err()
}

// Postings returns the postings matching q in Seq order. It walks the shortest list that
// holds every match: the postings of q.AccountID or of q.PlanID, or the whole ledger
// narrowed by time while the ledger is in time order; it starts after q.AfterSeq by binary
// search and stops at q.Limit. A negative Limit returns gridgov.ErrInvalid. See
// funding.Store.
func (s *FundingStore) Postings(ctx context.Context, q funding.PostingQuery) ([]funding.Posting, error) {
	if q.Limit < 0 {
		return nil, gridgov.Invalid("Limit", "gte",
			fmt.Sprintf("Limit must not be negative, not %d", q.Limit),
			fmt.Sprintf("Limit（条数上限）不能为负数（%d）", q.Limit))
	}
	if err := s.lockRead(ctx); err != nil {
		return nil, err
	}
	defer s.mu.RUnlock()

	var list []*postingRec
	byAccount := false // list holds only postings on q.AccountID
	exact := false     // every posting in list matches q (AfterSeq and Limit aside)
	timed := !q.From.IsZero() || !q.To.IsZero()
	switch {
	case q.AccountID != "" || q.PlanID != "":
		if q.AccountID != "" {
			a := s.accounts[q.AccountID]
			if a == nil {
				return []funding.Posting{}, nil
			}
			list, byAccount = a.postings, true
		}
		if q.PlanID != "" {
			if plan := s.byPlan[q.PlanID]; !byAccount || len(plan) < len(list) {
				list, byAccount = plan, false
			}
		}
		exact = !timed && (byAccount == (q.PlanID == "")) && (byAccount || q.AccountID == "")
	default:
		list = s.log
		if s.ordered {
			list, exact = inTimeOrder(list, q.From, q.To), true
		} else {
			exact = !timed
		}
	}
	start := sort.Search(len(list), func(i int) bool { return list[i].p.Seq > q.AfterSeq })
	list = list[start:]
	if exact {
		if q.Limit > 0 && len(list) > q.Limit {
			list = list[:q.Limit]
		}
		return postingValues(list), nil
	}
	var sel []*postingRec
	for _, rec := range list {
		if q.Limit > 0 && len(sel) == q.Limit {
			break
		}
		p := &rec.p
		if (q.PlanID != "" && p.PlanID != q.PlanID) ||
			(!q.From.IsZero() && p.At.Before(q.From)) ||
			(!q.To.IsZero() && !p.At.Before(q.To)) ||
			(q.AccountID != "" && !byAccount && !postingTouches(p, q.AccountID)) {
			continue
		}
		sel = append(sel, rec)
	}
	return postingValues(sel), nil
}

// postingValues returns copies of the postings in recs with two allocations: the copies'
// lines share one array, each posting's Lines capped at its own lines so that appending
// to one cannot overwrite the next.
func postingValues(recs []*postingRec) []funding.Posting {
	n := 0
	for _, r := range recs {
		n += len(r.p.Lines)
	}
	lines := make([]funding.Line, n)
	out := make([]funding.Posting, len(recs))
	for i, r := range recs {
		out[i] = r.p
		k := copy(lines, r.p.Lines)
		out[i].Lines = lines[:k:k]
		lines = lines[k:]
	}
	return out
}

// inTimeOrder returns the part of list, whose At times never decrease, with At in
// [from, to) (zero bounds are open), by binary search.
func inTimeOrder(list []*postingRec, from, to time.Time) []*postingRec {
	hi := len(list)
	if !to.IsZero() {
		hi = sort.Search(len(list), func(i int) bool { return !list[i].p.At.Before(to) })
	}
	lo := 0
	if !from.IsZero() {
		lo = sort.Search(hi, func(i int) bool { return !list[i].p.At.Before(from) })
	}
	return list[lo:hi]
}

// postingTouches reports whether p has a line on the account.
func postingTouches(p *funding.Posting, accountID string) bool {
	for _, l := range p.Lines {
		if l.AccountID == accountID {
			return true
		}
	}
	return false
}

// GetPosting returns the posting with id. See funding.Store.
func (s *FundingStore) GetPosting(ctx context.Context, id string) (funding.Posting, error) {
	if err := s.lockRead(ctx); err != nil {
		return funding.Posting{}, err
	}
	defer s.mu.RUnlock()
	rec := s.postings[id]
	if rec == nil {
		return funding.Posting{}, notFound(entPosting, id)
	}
	return rec.value(), nil
}
