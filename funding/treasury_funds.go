package funding

import (
	"context"
	"errors"
	"fmt"

	"github.com/shopspring/decimal"

	"github.com/gridgov/gridgov"
	"github.com/gridgov/gridgov/governance"
)

// FundInput describes a fund to create (设立资金).
type FundInput struct {
	// ID is optional: empty means the treasury generates one.
	ID   string
	Name string
	// NodeID is the owner node; it must exist and not be retired.
	NodeID string
	// ParentID is the fund this one draws from ("" for a top fund). The parent's period
	// must cover this fund's period.
	ParentID string
	Period   Period
	// Budget is the amount the fund is planned to receive (预算额度), zero or more, in whole
	// fen. It is a figure for planning and reports: money arrives only through
	// [Treasury.Appropriate] and [Treasury.Allocate], which it does not cap (a fund may
	// receive supplementary appropriations, 追加拨款).
	Budget decimal.Decimal
	// AccountID is the fund's ledger account; empty means "fund:" + ID.
	AccountID string
}

// CreateFund creates a fund and its ledger account, which starts at zero. The actor needs
// [governance.PermManageFunds] at the fund's node.
//
// Errors: a [*gridgov.ValidationError] (gridgov.ErrInvalid) naming every bad field (name,
// node, period, budget, parent, identifiers); gridgov.ErrAlreadyExists naming ID or
// AccountID when taken; gridgov.ErrForbidden.
func (t *Treasury) CreateFund(ctx context.Context, actor gridgov.Actor, in FundInput) (Fund, error) {
	var verr gridgov.ValidationError
	ledgerOptionalID(&verr, "ID", in.ID)
	ledgerText(&verr, "Name", in.Name, 128, true)
	if ledgerID(&verr, "NodeID", in.NodeID) {
		if err := verr.Merge(t.ledgerNode(ctx, "NodeID", in.NodeID)); err != nil {
			return Fund{}, err
		}
	}
	if !in.Period.Valid() {
		verr.Add("Period", "valid", fmt.Sprintf("period %s must start before it ends", in.Period),
			fmt.Sprintf("期间%s的开始必须早于结束", in.Period))
	}
	if !ledgerAmountInRange(in.Budget) {
		verr.Add("Budget", "range", "Budget is out of range", "预算额度超出范围")
	} else if err := verr.Merge(CheckAmount("Budget", in.Budget)); err != nil {
		return Fund{}, err
	}
	if in.ParentID != "" && ledgerID(&verr, "ParentID", in.ParentID) {
		parent, err := t.store.GetFund(ctx, in.ParentID)
		switch {
		case err != nil:
			if err := verr.Merge(ledgerNotFound(err, "ParentID", in.ParentID)); err != nil {
				return Fund{}, err
			}
		case in.Period.Valid() && (in.Period.Start.Before(parent.Period.Start) || in.Period.End.After(parent.Period.End)):
			verr.Add("Period", "within_parent",
				fmt.Sprintf("period %s is not inside the parent fund's period %s", in.Period, parent.Period),
				fmt.Sprintf("期间%s不在上级资金的期间%s之内", in.Period, parent.Period))
		}
	}
	ledgerOptionalID(&verr, "AccountID", in.AccountID)
	if err := verr.Err(); err != nil {
		return Fund{}, err
	}
	if in.ID != "" {
		if _, err := t.store.GetFund(ctx, in.ID); err == nil {
			return Fund{}, gridgov.AlreadyExists("ID", in.ID)
		} else if !errors.Is(err, gridgov.ErrNotFound) {
			return Fund{}, err
		}
	}
	if err := t.reg.Authorize(ctx, actor, in.NodeID, governance.PermManageFunds); err != nil {
		return Fund{}, err
	}
	f := Fund{
		ID:        t.newID(in.ID),
		Name:      in.Name,
		NodeID:    in.NodeID,
		ParentID:  in.ParentID,
		Period:    in.Period,
		Budget:    in.Budget,
		AccountID: in.AccountID,
	}
	if f.AccountID == "" {
		f.AccountID = "fund:" + f.ID
	}
	created, err := t.store.CreateFund(ctx, f)
	if err != nil {
		return Fund{}, err
	}
	t.log.InfoContext(ctx, "fund created", "fund", created.ID, "node", created.NodeID, "parent", created.ParentID,
		"budget", created.Budget.StringFixed(2), "actor", actor.String())
	return created, nil
}

// Fund returns the fund with id, or gridgov.ErrNotFound.
func (t *Treasury) Fund(ctx context.Context, id string) (Fund, error) {
	return t.store.GetFund(ctx, id)
}

// Funds returns the funds drawing from parentID ("" for the top funds), by ID.
func (t *Treasury) Funds(ctx context.Context, parentID string) ([]Fund, error) {
	return t.store.ListFunds(ctx, parentID)
}

// FundBalance returns the balance of a fund's account: what it can still pay out.
func (t *Treasury) FundBalance(ctx context.Context, fundID string) (Balance, error) {
	f, err := t.store.GetFund(ctx, fundID)
	if err != nil {
		return Balance{}, err
	}
	return t.store.Balance(ctx, f.AccountID)
}

// AppropriationInput pays money into a fund from a source outside the ledger (拨款), such as
// the district finance bureau.
type AppropriationInput struct {
	FundID string
	// Source names where the money comes from, for example "district-finance"; its ledger
	// account is "source:" + Source (Kind AccountSource, opened on demand).
	Source string
	Amount decimal.Decimal
	Reason string
	// Key is the idempotency key (recommended): a retry is applied once.
	Key string
}

// Appropriate pays money into a fund from a source account. The actor needs
// [governance.PermApproveFunds] at the fund's node.
//
// Errors: a [*gridgov.ValidationError] naming every bad field; gridgov.ErrForbidden;
// gridgov.ErrAlreadyExists naming Key when the key was used for another posting.
func (t *Treasury) Appropriate(ctx context.Context, actor gridgov.Actor, in AppropriationInput) (Posting, error) {
	var verr gridgov.ValidationError
	fund, err := t.ledgerFund(ctx, &verr, "FundID", in.FundID)
	if err != nil {
		return Posting{}, err
	}
	ledgerID(&verr, "Source", in.Source)
	ledgerPositiveAmount(&verr, "Amount", in.Amount)
	ledgerText(&verr, "Reason", in.Reason, MaxReasonLength, true)
	ledgerKey(&verr, "Key", in.Key)
	if err := verr.Err(); err != nil {
		return Posting{}, err
	}
	if err := t.reg.Authorize(ctx, actor, fund.NodeID, governance.PermApproveFunds); err != nil {
		return Posting{}, err
	}
	src := Account{ID: "source:" + in.Source, Kind: AccountSource, Unit: CNY, Name: in.Source}
	if err := t.ledgerEnsure(ctx, src); err != nil {
		return Posting{}, err
	}
	p := Posting{
		ID:  t.newID(""),
		Key: in.Key,
		Lines: []Line{
			{AccountID: src.ID, Amount: in.Amount.Neg()},
			{AccountID: fund.AccountID, Amount: in.Amount},
		},
		Actor:  actor,
		Reason: in.Reason,
		At:     t.clock.Now(),
	}
	stored, applied, err := t.post(ctx, p)
	if err != nil {
		return Posting{}, err
	}
	t.ledgerLog(ctx, "funds appropriated", stored, applied)
	return stored, nil
}

// AllocationInput passes money from a fund's parent down to the fund (下拨).
type AllocationInput struct {
	// FundID is the receiving (child) fund; the money comes from its parent fund.
	FundID string
	Amount decimal.Decimal
	Reason string
	// Key is the idempotency key (recommended): a retry is applied once.
	Key string
}

// Allocate moves money from a fund's parent fund into the fund. The actor needs
// [governance.PermApproveFunds] at the parent fund's node.
//
// Errors: a [*gridgov.ValidationError] naming every bad field (including a fund without a
// parent); gridgov.ErrBudgetExceeded naming the parent fund when its balance is short, with
// nothing applied; gridgov.ErrForbidden; gridgov.ErrAlreadyExists naming Key when the key
// was used for another posting.
func (t *Treasury) Allocate(ctx context.Context, actor gridgov.Actor, in AllocationInput) (Posting, error) {
	var verr gridgov.ValidationError
	fund, err := t.ledgerFund(ctx, &verr, "FundID", in.FundID)
	if err != nil {
		return Posting{}, err
	}
	var parent Fund
	if fund.ID != "" {
		if fund.ParentID == "" {
			verr.Add("FundID", "has_parent", fmt.Sprintf("fund %q has no parent fund to draw from", fund.ID),
				fmt.Sprintf("资金“%s”没有上级资金", fund.ID))
		} else if parent, err = t.store.GetFund(ctx, fund.ParentID); err != nil {
			return Posting{}, err
		}
	}
	ledgerPositiveAmount(&verr, "Amount", in.Amount)
	ledgerText(&verr, "Reason", in.Reason, MaxReasonLength, true)
	ledgerKey(&verr, "Key", in.Key)
	if err := verr.Err(); err != nil {
		return Posting{}, err
	}
	if err := t.reg.Authorize(ctx, actor, parent.NodeID, governance.PermApproveFunds); err != nil {
		return Posting{}, err
	}
	p := Posting{
		ID:  t.newID(""),
		Key: in.Key,
		Lines: []Line{
			{AccountID: parent.AccountID, Amount: in.Amount.Neg()},
			{AccountID: fund.AccountID, Amount: in.Amount},
		},
		Actor:  actor,
		Reason: in.Reason,
		At:     t.clock.Now(),
	}
	stored, applied, err := t.post(ctx, p)
	if err != nil {
		return Posting{}, ledgerOverdrawn(err, parent, in.Amount)
	}
	t.ledgerLog(ctx, "funds allocated", stored, applied)
	return stored, nil
}

// ledgerFund looks up the fund named by a required input field, adding a validation failure
// when it is missing; only errors other than validation failures are returned.
func (t *Treasury) ledgerFund(ctx context.Context, verr *gridgov.ValidationError, field, id string) (Fund, error) {
	if !ledgerID(verr, field, id) {
		return Fund{}, nil
	}
	f, err := t.store.GetFund(ctx, id)
	if err != nil {
		return Fund{}, verr.Merge(ledgerNotFound(err, field, id))
	}
	return f, nil
}

// ledgerOverdrawn wraps a store's gridgov.ErrBudgetExceeded with the fund's name and the amount
// asked for; other errors pass through.
func ledgerOverdrawn(err error, f Fund, amount decimal.Decimal) error {
	if !errors.Is(err, gridgov.ErrBudgetExceeded) {
		return err
	}
	return fmt.Errorf("fund %q (%s) cannot pay %s (资金“%s”余额不足以支付%s): %w",
		f.Name, f.ID, amount.StringFixed(2), f.Name, amount.StringFixed(2), err)
}
