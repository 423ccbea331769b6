package funding

import (
	"context"
	"errors"
	"fmt"
	"strconv"

	"github.com/shopspring/decimal"

	"github.com/gridgov/gridgov"
	"github.com/gridgov/gridgov/governance"
)

// DisburseInput pays one amount from a fund to a recipient (拨付).
type DisburseInput struct {
	FundID string
	// RecipientKind and RecipientID name the person, organisation or node paid; it must
	// exist in the registry (and not be dissolved or retired). Its ledger account is
	// "recipient:" + kind + ":" + ID, opened on demand.
	RecipientKind RecipientKind
	RecipientID   string
	Amount        decimal.Decimal
	Reason        string
	// Key is the idempotency key (recommended): a retried disbursement is paid once.
	Key string
}

// RecipientAccountID returns the ledger account of a recipient: "recipient:" + kind + ":" + id.
func RecipientAccountID(kind RecipientKind, id string) string {
	return "recipient:" + string(kind) + ":" + id
}

// Disburse pays in.Amount from the fund to the recipient in one posting. The actor needs
// [governance.PermApproveFunds] at the fund's node. The fund's period is not checked
// against the clock: a year's stipends are often paid early in the next year.
//
// Errors: a [*gridgov.ValidationError] naming every bad field, with nothing applied;
// gridgov.ErrBudgetExceeded naming the fund when its balance is short, with nothing
// applied; gridgov.ErrForbidden; gridgov.ErrAlreadyExists naming Key when the key was used
// for another posting.
func (t *Treasury) Disburse(ctx context.Context, actor gridgov.Actor, in DisburseInput) (Posting, error) {
	var verr gridgov.ValidationError
	fund, err := t.ledgerFund(ctx, &verr, "FundID", in.FundID)
	if err != nil {
		return Posting{}, err
	}
	to, err := t.ledgerRecipient(ctx, &verr, "", in.RecipientKind, in.RecipientID, "")
	if err != nil {
		return Posting{}, err
	}
	ledgerPositiveAmount(&verr, "Amount", in.Amount)
	ledgerText(&verr, "Reason", in.Reason, MaxReasonLength, true)
	ledgerKey(&verr, "Key", in.Key)
	if err := verr.Err(); err != nil {
		return Posting{}, err
	}
	if err := t.reg.Authorize(ctx, actor, fund.NodeID, governance.PermApproveFunds); err != nil {
		return Posting{}, err
	}
	p, applied, err := t.ledgerPay(ctx, actor, fund, to, in.Amount, in.Reason, in.Key, "", 0)
	if err != nil {
		return Posting{}, err
	}
	t.ledgerLog(ctx, "funds disbursed", p, applied)
	return p, nil
}

// SpendInput pays for goods or services from a fund (支出), recorded on an expense account.
type SpendInput struct {
	FundID string
	// Category names the expense, for example "repairs" or "activities"; the ledger account
	// is "expense:" + FundID + ":" + Category, opened on demand.
	Category string
	Amount   decimal.Decimal
	Reason   string
	// Key is the idempotency key (recommended).
	Key string
}

// ExpenseAccountID returns the ledger account of a fund's expense category.
func ExpenseAccountID(fundID, category string) string { return "expense:" + fundID + ":" + category }

// Spend pays in.Amount from the fund to its expense account for in.Category. Authority and
// errors are those of [Treasury.Disburse].
func (t *Treasury) Spend(ctx context.Context, actor gridgov.Actor, in SpendInput) (Posting, error) {
	var verr gridgov.ValidationError
	fund, err := t.ledgerFund(ctx, &verr, "FundID", in.FundID)
	if err != nil {
		return Posting{}, err
	}
	ledgerID(&verr, "Category", in.Category)
	ledgerPositiveAmount(&verr, "Amount", in.Amount)
	ledgerText(&verr, "Reason", in.Reason, MaxReasonLength, true)
	ledgerKey(&verr, "Key", in.Key)
	if err := verr.Err(); err != nil {
		return Posting{}, err
	}
	if err := t.reg.Authorize(ctx, actor, fund.NodeID, governance.PermApproveFunds); err != nil {
		return Posting{}, err
	}
	to := Account{ID: ExpenseAccountID(fund.ID, in.Category), Kind: AccountExpense, Unit: CNY,
		Name: in.Category, FundID: fund.ID, NodeID: fund.NodeID}
	p, applied, err := t.ledgerPay(ctx, actor, fund, to, in.Amount, in.Reason, in.Key, "", 0)
	if err != nil {
		return Posting{}, err
	}
	t.ledgerLog(ctx, "funds spent", p, applied)
	return p, nil
}

// ledgerPay opens the account to (on demand) and posts amount from the fund to it.
func (t *Treasury) ledgerPay(ctx context.Context, actor gridgov.Actor, fund Fund, to Account, amount decimal.Decimal,
	reason, key, planID string, planLine int) (Posting, bool, error) {
	switch _, err := t.store.GetAccount(ctx, to.ID); {
	case errors.Is(err, gridgov.ErrNotFound):
		// Open the account on demand, but not for a payment the fund cannot make, so that a
		// refused payment leaves no empty account behind (a race can still; it is harmless).
		bal, err := t.store.Balance(ctx, fund.AccountID)
		if err != nil {
			return Posting{}, false, err
		}
		if bal.Amount.LessThan(amount) {
			e := &gridgov.ValidationError{Kind: gridgov.ErrBudgetExceeded}
			e.Add("Amount", "budget",
				fmt.Sprintf("account %q holds ¥%s, less than ¥%s", fund.AccountID, bal.Amount.StringFixed(2), amount.StringFixed(2)),
				fmt.Sprintf("账户“%s”余额%s元，不足%s元", fund.AccountID, bal.Amount.StringFixed(2), amount.StringFixed(2)))
			return Posting{}, false, ledgerOverdrawn(e, fund, amount)
		}
		if err := t.ledgerEnsure(ctx, to); err != nil {
			return Posting{}, false, err
		}
	case err != nil:
		return Posting{}, false, err
	}
	p := Posting{
		ID:  t.newID(""),
		Key: key,
		Lines: []Line{
			{AccountID: fund.AccountID, Amount: amount.Neg()},
			{AccountID: to.ID, Amount: amount},
		},
		Actor:    actor,
		Reason:   reason,
		At:       t.clock.Now(),
		PlanID:   planID,
		PlanLine: planLine,
	}
	stored, applied, err := t.post(ctx, p)
	if err != nil {
		return Posting{}, false, ledgerOverdrawn(err, fund, amount)
	}
	return stored, applied, nil
}

// ledgerRecipient validates a recipient (adding failures to verr under prefix + field
// names) and returns the ledger account that pays it. nodeID, when set, is the node the
// account is counted under; otherwise the recipient's own node (a person's home node, an
// organisation's node, the node itself).
func (t *Treasury) ledgerRecipient(ctx context.Context, verr *gridgov.ValidationError, prefix string,
	kind RecipientKind, id, nodeID string) (Account, error) {
	kindField, idField := prefix+"RecipientKind", prefix+"RecipientID"
	switch kind {
	case RecipientPerson, RecipientOrganisation, RecipientNode:
	default:
		verr.Add(kindField, "oneof", fmt.Sprintf("%s must be person, organisation or node, not %q", kindField, kind),
			fmt.Sprintf("%s必须是 person、organisation 或 node，而不是“%s”", kindField, kind))
		ledgerID(verr, idField, id)
		return Account{}, nil
	}
	if !ledgerID(verr, idField, id) {
		return Account{}, nil
	}
	node := id
	gs := t.reg.Store()
	switch kind {
	case RecipientPerson:
		p, err := gs.GetPerson(ctx, id)
		if err != nil {
			return Account{}, verr.Merge(ledgerNotFound(err, idField, id))
		}
		node = p.HomeNodeID
	case RecipientOrganisation:
		o, err := gs.GetOrganisation(ctx, id)
		if err != nil {
			return Account{}, verr.Merge(ledgerNotFound(err, idField, id))
		}
		if o.Dissolved {
			verr.Add(idField, "active", fmt.Sprintf("organisation %q is dissolved", id),
				fmt.Sprintf("组织“%s”已撤销", id))
			return Account{}, nil
		}
		node = o.NodeID
	case RecipientNode:
		if err := verr.Merge(t.ledgerNode(ctx, idField, id)); err != nil {
			return Account{}, err
		}
	}
	if nodeID != "" {
		node = nodeID
	}
	return Account{ID: RecipientAccountID(kind, id), Kind: AccountRecipient, Unit: CNY, NodeID: node, OwnerID: id}, nil
}

// DisbursePlanOptions tune [Treasury.DisbursePlan].
type DisbursePlanOptions struct {
	// Reason heads the reason of every posting (default "plan " + the plan's ID); the line
	// number and rule are appended.
	Reason string
	// StopOnFailure stops at the first line that fails instead of going on with the others.
	StopOnFailure bool
}

// PlanPayment is the outcome of one plan line in a [DisburseSummary].
type PlanPayment struct {
	// Line is the index of the line in the plan.
	Line   int
	Amount decimal.Decimal
	// PostingID is the posting that paid the line (empty for a failed line).
	PostingID string
	// Err says why a failed line was not paid.
	Err error
}

// DisburseSummary says what [Treasury.DisbursePlan] did with each line of a plan.
type DisburseSummary struct {
	PlanID string
	// Paid lists the lines paid by this run; AlreadyPaid those an earlier run had paid (their
	// idempotency key was found); Failed those refused, with the reason; Skipped the indices
	// of lines with a zero amount and of lines not attempted after a stop.
	Paid, AlreadyPaid, Failed []PlanPayment
	Skipped                   []int
	// PaidTotal, AlreadyPaidTotal and FailedTotal sum the lines of each list.
	PaidTotal, AlreadyPaidTotal, FailedTotal decimal.Decimal
}

// PlanKey returns the idempotency key of the posting that pays line i of plan planID:
// planID + "/" + i.
func PlanKey(planID string, i int) string { return planID + "/" + strconv.Itoa(i) }

// DisbursePlan pays every line of a plan from the plan's fund, one posting per line, each
// with the idempotency key [PlanKey] (plan ID + "/" + line index) and PlanID and PlanLine
// set. Running it again (after a crash, a cancelled context, or a top-up of the fund) pays
// only the lines not yet paid: the others are reported as already paid.
//
// The whole plan is validated first (plan and fund, every line's recipient and amount);
// bad input returns a [*gridgov.ValidationError] naming every bad field ("Lines[3].Amount")
// and pays nothing. The actor needs [governance.PermApproveFunds] at the fund's node.
//
// Lines are independent payments to different recipients, so by default a line that fails
// on its own (gridgov.ErrBudgetExceeded when the fund's remaining balance is short, a key
// already used for a different payment, a refusal by the store) is recorded in Failed and
// the others are still paid: a smaller later line may still fit, and the approver sees the
// full list of what is missing, tops up the fund and runs the plan again. Set
// [DisbursePlanOptions.StopOnFailure] to stop at the first failure instead (the rest are
// reported in Skipped). Any other error (a cancelled context, a store failure) stops the
// run at once.
//
// The summary is always returned. The error is nil when no line failed; otherwise it wraps
// every line's error (errors.Is(err, gridgov.ErrBudgetExceeded) reports a shortfall) or the
// error that stopped the run.
func (t *Treasury) DisbursePlan(ctx context.Context, actor gridgov.Actor, plan Plan, opts DisbursePlanOptions) (DisburseSummary, error) {
	sum := DisburseSummary{PlanID: plan.ID}
	var verr gridgov.ValidationError
	ledgerID(&verr, "ID", plan.ID)
	fund, err := t.ledgerFund(ctx, &verr, "FundID", plan.FundID)
	if err != nil {
		return sum, err
	}
	ledgerText(&verr, "Reason", opts.Reason, MaxReasonLength-64, false)
	if len(plan.Lines) == 0 {
		verr.Add("Lines", "min", "a plan needs at least one line", "资金计划至少需要一行")
	}
	accounts := make([]Account, len(plan.Lines))
	for i, l := range plan.Lines {
		prefix := fmt.Sprintf("Lines[%d].", i)
		if accounts[i], err = t.ledgerRecipient(ctx, &verr, prefix, l.RecipientKind, l.RecipientID, l.NodeID); err != nil {
			return sum, err
		}
		ledgerOptionalID(&verr, prefix+"NodeID", l.NodeID)
		if !ledgerAmountInRange(l.Amount) {
			verr.Add(prefix+"Amount", "range", fmt.Sprintf("line %d: amount is out of range", i),
				fmt.Sprintf("第%d行：金额超出范围", i))
		} else if err := verr.Merge(CheckAmount(prefix+"Amount", l.Amount)); err != nil {
			return sum, err
		}
	}
	if err := verr.Err(); err != nil {
		return sum, err
	}
	if err := t.reg.Authorize(ctx, actor, fund.NodeID, governance.PermApproveFunds); err != nil {
		return sum, err
	}
	base := opts.Reason
	if base == "" {
		base = "plan " + plan.ID
	}
	sum.PaidTotal, sum.AlreadyPaidTotal, sum.FailedTotal = decimal.Zero, decimal.Zero, decimal.Zero
	var errs []error
	for i, l := range plan.Lines {
		if l.Amount.IsZero() {
			sum.Skipped = append(sum.Skipped, i)
			continue
		}
		reason := fmt.Sprintf("%s, line %d", base, i)
		if l.RuleID != "" && len(l.RuleID) <= 64 {
			reason += " (" + l.RuleID + ")"
		}
		p, applied, err := t.ledgerPay(ctx, actor, fund, accounts[i], l.Amount, reason, PlanKey(plan.ID, i), plan.ID, i)
		switch {
		case err == nil && applied:
			sum.Paid = append(sum.Paid, PlanPayment{Line: i, Amount: l.Amount, PostingID: p.ID})
			sum.PaidTotal = sum.PaidTotal.Add(l.Amount)
			t.ledgerLog(ctx, "plan line paid", p, applied)
			continue
		case err == nil:
			sum.AlreadyPaid = append(sum.AlreadyPaid, PlanPayment{Line: i, Amount: l.Amount, PostingID: p.ID})
			sum.AlreadyPaidTotal = sum.AlreadyPaidTotal.Add(l.Amount)
			continue
		case !ledgerLineFailure(err):
			for j := i; j < len(plan.Lines); j++ {
				sum.Skipped = append(sum.Skipped, j)
			}
			errs = append(errs, fmt.Errorf("plan %q stopped at line %d: %w", plan.ID, i, err))
			return sum, errors.Join(errs...)
		}
		err = fmt.Errorf("line %d: %w", i, err)
		sum.Failed = append(sum.Failed, PlanPayment{Line: i, Amount: l.Amount, Err: err})
		sum.FailedTotal = sum.FailedTotal.Add(l.Amount)
		errs = append(errs, err)
		if opts.StopOnFailure {
			for j := i + 1; j < len(plan.Lines); j++ {
				sum.Skipped = append(sum.Skipped, j)
			}
			break
		}
	}
	if len(errs) > 0 {
		return sum, fmt.Errorf("plan %q: %d line(s) not paid (%d条未拨付): %w", plan.ID, len(sum.Failed), len(sum.Failed), errors.Join(errs...))
	}
	return sum, nil
}

// ledgerLineFailure reports whether err concerns one line only, so the other lines can still be
// paid.
func ledgerLineFailure(err error) bool {
	for _, e := range []error{gridgov.ErrBudgetExceeded, gridgov.ErrAlreadyExists, gridgov.ErrInvalid, gridgov.ErrConflict} {
		if errors.Is(err, e) {
			return true
		}
	}
	return false
}
