package memory

import (
	"context"
	"fmt"
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
		ok := funding.CheckLineAmount(verr, i, l.Amount)
		a := s.accounts[l.AccountID]
		switch {
		case a == nil && l.AccountID == "":
			requireID(verr, lineField(i, "AccountID"), l.AccountID)
		case a == nil:
			missingRef(verr, lineField(i, "AccountID"), entAccount, l.AccountID)
		case ok:
			ok = funding.CheckLinePrecision(verr, i, l.Amount, a.acct.Unit)
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
				en, zh := funding.FormatAmount(u.sum, u.unit)
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
		holds, holdsZH := funding.FormatAmount(a.balance, unit)
		takes, takesZH := funding.FormatAmount(a.delta.Neg(), unit)
		short, shortZH := funding.FormatAmount(a.next.Neg(), unit)
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
