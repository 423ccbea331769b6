package funding

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/shopspring/decimal"

	"github.com/gridgov/gridgov"
	"github.com/gridgov/gridgov/governance"
)

// Limits on ledger input. They keep a malformed or hostile input from costing more than a
// legitimate one.
const (
	// MaxLines is the most lines one posting may have.
	MaxLines = 256
	// MaxKeyLength is the longest idempotency key accepted, in bytes.
	MaxKeyLength = 256
	// MaxReasonLength is the longest reason accepted, in bytes.
	MaxReasonLength = 512
	// maxAmountDigits bounds the integer part of any amount: |amount| < 10^16.
	maxAmountDigits = 16
)

// The idempotency-key prefixes the treasury derives keys with. Callers' own keys may not
// start with them, so that a caller's key can never be taken for a reversal or an expiry.
const (
	reverseKeyPrefix   = "reverse:"
	expireKeyPrefix    = "expire:"
	expireFixKeyPrefix = "expire-fix:"
)

// PostingInput is a generic ledger posting (记账): balanced lines with a reason. Prefer the
// specific commands ([Treasury.Disburse], [Treasury.Spend], [Treasury.Appropriate],
// [Treasury.Allocate]); Post is for adjustments they do not cover.
type PostingInput struct {
	// ID is optional: empty means the treasury generates one.
	ID string
	// Key is the idempotency key (optional but recommended): a retry with the same key is
	// applied once and returns the posting first applied. It may not start with "reverse:"
	// or "expire" (the treasury's own keys).
	Key string
	// Lines are the signed amounts, at least two; per unit they must sum to zero. Expires may
	// be set only on a points line that adds points.
	Lines []Line
	// Reason says why; required.
	Reason string
}

// Post applies a balanced posting. Every account must exist (open accounts with
// [Treasury.OpenAccount]). The actor needs, at the node that owns the posting, the
// permission that moving its unit needs: [governance.PermApproveFunds] for money and
// [governance.PermManageFunds] for points. The node owning a posting is the node of each
// account it takes from (an account's NodeID, or its fund's node); when no account it takes
// from has a node (a source account), the nodes of the accounts it pays into. A posting
// touching no account with a node needs a system actor.
//
// Errors: a [*gridgov.ValidationError] (gridgov.ErrInvalid) naming every bad field, with
// nothing applied; gridgov.ErrForbidden; gridgov.ErrBudgetExceeded when an account that
// must stay non-negative would go below zero (nothing applied); gridgov.ErrAlreadyExists
// naming Key when the key was used for a posting with different lines.
func (t *Treasury) Post(ctx context.Context, actor gridgov.Actor, in PostingInput) (Posting, error) {
	var verr gridgov.ValidationError
	ledgerOptionalID(&verr, "ID", in.ID)
	ledgerKey(&verr, "Key", in.Key)
	ledgerText(&verr, "Reason", in.Reason, MaxReasonLength, true)
	accounts, err := t.ledgerLines(ctx, &verr, in.Lines)
	if err != nil {
		return Posting{}, err
	}
	if err := verr.Err(); err != nil {
		return Posting{}, err
	}
	if err := t.ledgerAuthorize(ctx, actor, in.Lines, accounts); err != nil {
		return Posting{}, err
	}
	p := Posting{
		ID:     t.newID(in.ID),
		Key:    in.Key,
		Lines:  ledgerCloneLines(in.Lines),
		Actor:  actor,
		Reason: in.Reason,
		At:     t.clock.Now(),
	}
	stored, applied, err := t.post(ctx, p)
	if err != nil {
		if errors.Is(err, gridgov.ErrBudgetExceeded) {
			return Posting{}, fmt.Errorf("the posting would overdraw an account (记账将导致账户透支): %w", err)
		}
		return Posting{}, err
	}
	t.ledgerLog(ctx, "posting applied", stored, applied)
	return stored, nil
}

// Reverse reverses a posting (冲销): it applies a posting with every line negated, ReversalOf
// set to postingID, the original's plan reference, and the idempotency key
// "reverse:"+postingID, so a retried reversal is applied once and returns the first. The
// actor needs the permission [Treasury.Post] would need for the original posting, at the
// same node (for a disbursement: [governance.PermApproveFunds] at the fund's node).
//
// Errors: gridgov.ErrNotFound when there is no such posting; a [*gridgov.ValidationError]
// naming Reason when it is empty; gridgov.ErrConflict when the posting was already
// reversed by another posting; gridgov.ErrBudgetExceeded when the money or points have
// moved on (for example a reversed allocation the child fund has already spent), with
// nothing applied; gridgov.ErrForbidden.
func (t *Treasury) Reverse(ctx context.Context, actor gridgov.Actor, postingID, reason string) (Posting, error) {
	var verr gridgov.ValidationError
	ledgerText(&verr, "Reason", reason, MaxReasonLength, true)
	if postingID == "" {
		verr.Add("PostingID", "required", "the posting to reverse is required", "必须指明要冲销的记账凭证")
	}
	if err := verr.Err(); err != nil {
		return Posting{}, err
	}
	orig, err := t.store.GetPosting(ctx, postingID)
	if err != nil {
		return Posting{}, err
	}
	accounts := make([]Account, len(orig.Lines))
	for i, l := range orig.Lines {
		if accounts[i], err = t.store.GetAccount(ctx, l.AccountID); err != nil {
			return Posting{}, err
		}
	}
	if err := t.ledgerAuthorize(ctx, actor, orig.Lines, accounts); err != nil {
		return Posting{}, err
	}
	lines := make([]Line, len(orig.Lines))
	for i, l := range orig.Lines {
		lines[i] = Line{AccountID: l.AccountID, Amount: l.Amount.Neg()}
	}
	p := Posting{
		ID:         t.newID(""),
		Key:        reverseKeyPrefix + postingID,
		Lines:      lines,
		Actor:      actor,
		Reason:     reason,
		At:         t.clock.Now(),
		ReversalOf: postingID,
		PlanID:     orig.PlanID,
		PlanLine:   orig.PlanLine,
	}
	stored, applied, err := t.post(ctx, p)
	if err != nil {
		if errors.Is(err, gridgov.ErrBudgetExceeded) {
			return Posting{}, fmt.Errorf("reversing posting %q would overdraw an account (冲销“%s”将导致账户透支): %w",
				postingID, postingID, err)
		}
		return Posting{}, err
	}
	t.ledgerLog(ctx, "posting reversed", stored, applied)
	return stored, nil
}

// OpenAccount opens a ledger account, or returns the existing one when an account with
// a.ID exists with the same Kind and Unit (so accounts can be opened on demand). Fund
// accounts are opened by [Treasury.CreateFund], not here. Only system actors and holders of
// [governance.PermManageFunds] at a.NodeID may open accounts; an account without a node
// needs a system actor.
//
// Errors: a [*gridgov.ValidationError] naming every bad field; gridgov.ErrAlreadyExists
// when a.ID is taken by an account of another kind or unit; gridgov.ErrForbidden.
func (t *Treasury) OpenAccount(ctx context.Context, actor gridgov.Actor, a Account) (Account, error) {
	var verr gridgov.ValidationError
	if !gridgov.ValidID(a.ID) {
		verr.Add("ID", "gridid", fmt.Sprintf("account ID %q must be 1 to 64 letters, digits or - _ . :", a.ID),
			fmt.Sprintf("账户编号“%s”必须是1到64个字母、数字或 - _ . : 字符", a.ID))
	}
	switch a.Kind {
	case AccountSource, AccountRecipient, AccountExpense:
	default:
		verr.Add("Kind", "oneof", fmt.Sprintf("account kind must be source, recipient or expense, not %q", a.Kind),
			fmt.Sprintf("账户类型必须是 source、recipient 或 expense，而不是“%s”", a.Kind))
	}
	if a.Unit != CNY && a.Unit != Points {
		verr.Add("Unit", "oneof", fmt.Sprintf("unit must be CNY or points, not %q", a.Unit),
			fmt.Sprintf("计量单位必须是 CNY 或 points，而不是“%s”", a.Unit))
	}
	ledgerText(&verr, "Name", a.Name, 128, false)
	ledgerOptionalID(&verr, "NodeID", a.NodeID)
	ledgerOptionalID(&verr, "OwnerID", a.OwnerID)
	if a.FundID != "" {
		if _, err := t.store.GetFund(ctx, a.FundID); err != nil {
			if err := verr.Merge(ledgerNotFound(err, "FundID", a.FundID)); err != nil {
				return Account{}, err
			}
		}
	}
	if a.NodeID != "" && gridgov.ValidID(a.NodeID) {
		if err := verr.Merge(t.ledgerNode(ctx, "NodeID", a.NodeID)); err != nil {
			return Account{}, err
		}
	}
	if err := verr.Err(); err != nil {
		return Account{}, err
	}
	if a.NodeID == "" {
		if !actor.IsSystem() {
			return Account{}, fmt.Errorf("%w: opening an account without a node needs a system actor (开设不属于任何节点的账户需要系统操作人)", gridgov.ErrForbidden)
		}
	} else if err := t.reg.Authorize(ctx, actor, a.NodeID, governance.PermManageFunds); err != nil {
		return Account{}, err
	}
	return t.store.CreateAccount(ctx, a)
}

// Account returns the ledger account with id, or gridgov.ErrNotFound.
func (t *Treasury) Account(ctx context.Context, id string) (Account, error) {
	return t.store.GetAccount(ctx, id)
}

// Balance returns an account's balance, or gridgov.ErrNotFound.
func (t *Treasury) Balance(ctx context.Context, accountID string) (Balance, error) {
	return t.store.Balance(ctx, accountID)
}

// Posting returns the posting with id, or gridgov.ErrNotFound.
func (t *Treasury) Posting(ctx context.Context, id string) (Posting, error) {
	return t.store.GetPosting(ctx, id)
}

// Postings returns the postings matching q in ledger order.
func (t *Treasury) Postings(ctx context.Context, q PostingQuery) ([]Posting, error) {
	return t.store.Postings(ctx, q)
}

// ledgerEnsure opens account a unless it exists: a read in the common case, and the
// store's CreateAccount (which returns an existing account of the same kind and unit, and
// refuses one of another kind or unit) otherwise.
func (t *Treasury) ledgerEnsure(ctx context.Context, a Account) error {
	got, err := t.store.GetAccount(ctx, a.ID)
	if err == nil && got.Kind == a.Kind && got.Unit == a.Unit {
		return nil
	}
	if err != nil && !errors.Is(err, gridgov.ErrNotFound) {
		return err
	}
	_, err = t.store.CreateAccount(ctx, a)
	return err
}

// post applies p through the store. A retry whose key was first used for a posting with
// different lines (accounts and amounts) is refused with gridgov.ErrAlreadyExists naming
// Key, so that a reused key never silently stands for another payment.
func (t *Treasury) post(ctx context.Context, p Posting) (Posting, bool, error) {
	stored, applied, err := t.store.Post(ctx, p)
	if err != nil {
		return Posting{}, false, err
	}
	if !applied && !ledgerSameLines(stored.Lines, p.Lines) {
		e := &gridgov.ValidationError{Kind: gridgov.ErrAlreadyExists}
		e.Add("Key", "unique",
			fmt.Sprintf("idempotency key %q was already used for posting %q with different lines", p.Key, stored.ID),
			fmt.Sprintf("幂等键“%s”已用于内容不同的记账凭证“%s”", p.Key, stored.ID))
		return Posting{}, false, e
	}
	return stored, applied, nil
}

func (t *Treasury) ledgerLog(ctx context.Context, msg string, p Posting, applied bool) {
	if !applied {
		msg += " (retry: already applied)"
	}
	t.log.InfoContext(ctx, msg, "posting", p.ID, "seq", p.Seq, "key", p.Key, "lines", len(p.Lines),
		"plan", p.PlanID, "reversal_of", p.ReversalOf, "actor", p.Actor.String())
}

// ledgerSameLines reports whether a and b move the same amounts on the same accounts, in any
// order (expiry times are not compared: a retried earning computes them afresh).
func ledgerSameLines(a, b []Line) bool {
	if len(a) != len(b) {
		return false
	}
	used := make([]bool, len(b))
outer:
	for _, la := range a {
		for j, lb := range b {
			if !used[j] && la.AccountID == lb.AccountID && la.Amount.Equal(lb.Amount) {
				used[j] = true
				continue outer
			}
		}
		return false
	}
	return true
}

func ledgerCloneLines(ls []Line) []Line { return append([]Line(nil), ls...) }

// ledgerLines validates posting lines and returns their accounts (a zero Account for a line
// whose account is missing). Only errors other than validation failures are returned.
func (t *Treasury) ledgerLines(ctx context.Context, verr *gridgov.ValidationError, lines []Line) ([]Account, error) {
	if len(lines) < 2 {
		verr.Add("Lines", "min", fmt.Sprintf("a posting needs at least two lines, not %d", len(lines)),
			fmt.Sprintf("记账凭证至少需要两行，而不是%d行", len(lines)))
	}
	if len(lines) > MaxLines {
		verr.Add("Lines", "max", fmt.Sprintf("a posting has at most %d lines, not %d", MaxLines, len(lines)),
			fmt.Sprintf("记账凭证最多%d行，而不是%d行", MaxLines, len(lines)))
		return nil, nil
	}
	accounts := make([]Account, len(lines))
	sums := map[Unit]decimal.Decimal{}
	summable := true
	for i, l := range lines {
		f := fmt.Sprintf("Lines[%d]", i)
		var acc Account
		if l.AccountID == "" {
			verr.Add(f+".AccountID", "required", fmt.Sprintf("line %d needs an account", i),
				fmt.Sprintf("第%d行必须指明账户", i))
		} else {
			a, err := t.store.GetAccount(ctx, l.AccountID)
			switch {
			case errors.Is(err, gridgov.ErrNotFound):
				verr.Add(f+".AccountID", "exists", fmt.Sprintf("line %d: account %q does not exist", i, l.AccountID),
					fmt.Sprintf("第%d行：账户“%s”不存在", i, l.AccountID))
			case err != nil:
				return nil, err
			default:
				acc = a
			}
		}
		accounts[i] = acc
		if !ledgerAmountInRange(l.Amount) {
			verr.Add(f+".Amount", "range", fmt.Sprintf("line %d: amount is out of range", i),
				fmt.Sprintf("第%d行：金额超出范围", i))
			summable = false
			continue
		}
		if l.Amount.IsZero() {
			verr.Add(f+".Amount", "nonzero", fmt.Sprintf("line %d: amount must not be zero", i),
				fmt.Sprintf("第%d行：金额不能为零", i))
		}
		switch acc.Unit {
		case CNY:
			if !l.Amount.Equal(l.Amount.Truncate(2)) {
				verr.Add(f+".Amount", "fen", fmt.Sprintf("line %d: amount %s must be whole fen", i, l.Amount),
					fmt.Sprintf("第%d行：金额%s必须精确到分", i, l.Amount))
			}
		case Points:
			if !l.Amount.IsInteger() {
				verr.Add(f+".Amount", "whole", fmt.Sprintf("line %d: points %s must be whole", i, l.Amount),
					fmt.Sprintf("第%d行：积分%s必须是整数", i, l.Amount))
			}
		}
		if !l.Expires.IsZero() && (acc.ID != "" && acc.Unit != Points || !l.Amount.IsPositive()) {
			verr.Add(f+".Expires", "points_in", fmt.Sprintf("line %d: only a line adding points may expire", i),
				fmt.Sprintf("第%d行：只有增加积分的行可以设置到期时间", i))
		}
		if acc.ID != "" {
			sums[acc.Unit] = sums[acc.Unit].Add(l.Amount)
		} else {
			summable = false
		}
	}
	if summable {
		for _, u := range []Unit{CNY, Points} {
			if s, ok := sums[u]; ok && !s.IsZero() {
				verr.Add("Lines", "balanced", fmt.Sprintf("the %s lines sum to %s, not zero", u, s),
					fmt.Sprintf("%s各行合计为%s，借贷不平衡", u, s))
			}
		}
	}
	return accounts, nil
}

// ledgerAccountNode returns the node an account belongs to: its NodeID, or its fund's node.
func (t *Treasury) ledgerAccountNode(ctx context.Context, a Account) (string, error) {
	if a.NodeID != "" || a.FundID == "" {
		return a.NodeID, nil
	}
	f, err := t.store.GetFund(ctx, a.FundID)
	if err != nil {
		return "", err
	}
	return f.NodeID, nil
}

// ledgerAuthorize checks the actor's authority over a posting with these lines (see
// [Treasury.Post]).
func (t *Treasury) ledgerAuthorize(ctx context.Context, actor gridgov.Actor, lines []Line, accounts []Account) error {
	// Points need PermManageFunds; any money on the posting needs PermApproveFunds.
	perm := governance.PermManageFunds
	for _, a := range accounts {
		if a.Unit != Points {
			perm = governance.PermApproveFunds
		}
	}
	var from, to []string
	for i, l := range lines {
		node, err := t.ledgerAccountNode(ctx, accounts[i])
		if err != nil {
			return err
		}
		if node == "" {
			continue
		}
		if l.Amount.IsNegative() {
			from = ledgerAppendUnique(from, node)
		} else {
			to = ledgerAppendUnique(to, node)
		}
	}
	nodes := from
	if len(nodes) == 0 {
		nodes = to
	}
	if len(nodes) == 0 {
		if actor.IsSystem() {
			return nil
		}
		return fmt.Errorf("%w: a posting touching no node's account needs a system actor (不属于任何节点的记账需要系统操作人)", gridgov.ErrForbidden)
	}
	for _, n := range nodes {
		if err := t.reg.Authorize(ctx, actor, n, perm); err != nil {
			return err
		}
	}
	return nil
}

func ledgerAppendUnique(s []string, v string) []string {
	for _, x := range s {
		if x == v {
			return s
		}
	}
	return append(s, v)
}

// ledgerAmountInRange reports whether d is small enough to be an amount: |d| < 10^16 with an
// exponent in [-18, 18]. It looks only at the representation, so it is cheap even for a
// decimal with an absurd exponent.
func ledgerAmountInRange(d decimal.Decimal) bool {
	e := d.Exponent()
	if e < -18 || e > 18 {
		return false
	}
	return d.NumDigits()+int(e) <= maxAmountDigits
}

// ledgerPositiveAmount checks that d is a positive amount of money in whole fen.
func ledgerPositiveAmount(verr *gridgov.ValidationError, field string, d decimal.Decimal) {
	if !ledgerAmountInRange(d) {
		verr.Add(field, "range", fmt.Sprintf("%s is out of range", field), fmt.Sprintf("%s超出范围", field))
		return
	}
	if !d.IsPositive() {
		verr.Add(field, "gt", fmt.Sprintf("%s must be positive, not %s", field, d),
			fmt.Sprintf("%s必须为正数，而不是%s", field, d))
		return
	}
	_ = verr.Merge(CheckAmount(field, d))
}

// ledgerText checks a free-text field: valid UTF-8 without control characters, at most max
// bytes, and not blank when required.
func ledgerText(verr *gridgov.ValidationError, field, s string, max int, required bool) {
	switch {
	case required && strings.TrimSpace(s) == "":
		verr.Add(field, "required", fmt.Sprintf("%s is required", field), fmt.Sprintf("%s不能为空", field))
	case len(s) > max:
		verr.Add(field, "max", fmt.Sprintf("%s must be at most %d bytes long", field, max),
			fmt.Sprintf("%s最长%d字节", field, max))
	case !ledgerPrintable(s):
		verr.Add(field, "ledgerPrintable", fmt.Sprintf("%s must be valid text without control characters", field),
			fmt.Sprintf("%s必须是不含控制字符的有效文本", field))
	}
}

func ledgerPrintable(s string) bool {
	if !utf8.ValidString(s) {
		return false
	}
	for _, c := range s {
		if c < 0x20 || c == 0x7f {
			return false
		}
	}
	return true
}

// ledgerOptionalID checks an identifier the caller may leave empty.
func ledgerOptionalID(verr *gridgov.ValidationError, field, id string) {
	if id != "" && !gridgov.ValidID(id) {
		verr.Add(field, "gridid", fmt.Sprintf("%s must be 1 to 64 letters, digits or - _ . :", field),
			fmt.Sprintf("%s必须是1到64个字母、数字或 - _ . : 字符", field))
	}
}

// ledgerID checks a required identifier.
func ledgerID(verr *gridgov.ValidationError, field, id string) bool {
	if id == "" {
		verr.Add(field, "required", fmt.Sprintf("%s is required", field), fmt.Sprintf("%s不能为空", field))
		return false
	}
	if !gridgov.ValidID(id) {
		ledgerOptionalID(verr, field, id)
		return false
	}
	return true
}

// ledgerKey checks a caller's idempotency key.
func ledgerKey(verr *gridgov.ValidationError, field, key string) {
	ledgerText(verr, field, key, MaxKeyLength, false)
	if strings.HasPrefix(key, reverseKeyPrefix) || strings.HasPrefix(key, "expire") {
		verr.Add(field, "reserved", fmt.Sprintf("%s may not start with %q or %q (the treasury's own keys)", field, reverseKeyPrefix, "expire"),
			fmt.Sprintf("%s不能以“%s”或“%s”开头（系统保留）", field, reverseKeyPrefix, "expire"))
	}
}

// ledgerNode returns a validation error naming field when node id does not exist or is
// retired.
func (t *Treasury) ledgerNode(ctx context.Context, field, id string) error {
	n, err := t.reg.Node(ctx, id)
	if err != nil {
		return ledgerNotFound(err, field, id)
	}
	if n.Retired {
		return gridgov.Invalid(field, "active", fmt.Sprintf("node %q is retired", id),
			fmt.Sprintf("节点“%s”已撤销", id))
	}
	return nil
}

// ledgerNotFound turns a store's ErrNotFound for a referenced entity into ErrInvalid naming the
// input field; other errors pass through.
func ledgerNotFound(err error, field, value string) error {
	if errors.Is(err, gridgov.ErrNotFound) {
		return gridgov.Invalid(field, "exists",
			fmt.Sprintf("%s %q does not exist", field, value),
			fmt.Sprintf("%s“%s”不存在", field, value))
	}
	return err
}
