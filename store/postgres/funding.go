package postgres

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgtype"

	"github.com/gridgov/gridgov"
	"github.com/gridgov/gridgov/funding"
)

// FundingStore is the funding.Store on PostgreSQL: funds, ledger accounts with their
// balances, and the double-entry ledger (tables fund_*, migration 0003). Get it from
// [DB.Funding]; it is safe for concurrent use, from any number of processes.
//
// A posting is one READ COMMITTED transaction of three round trips after BEGIN: a batch
// that locks the accounts it touches (SELECT … FOR UPDATE, in ID order, so postings cannot
// deadlock) and reads what the checks need; one statement that takes the next number from
// fund_ledger's single row, inserts the posting and its account entries and moves the
// balances; and COMMIT. Balances are checked against the locked rows, so no account that
// must stay non-negative goes below zero however many postings race, and a CHECK
// constraint refuses it even if the code did not. Posting numbers are gap-free and follow
// commit order, like the escalation feed.
//
// The checks and their messages are store/memory's: where the contract is silent,
// CreateAccount refuses a Kind or Unit it does not know, CreateFund a Budget that is
// negative or finer than the fen, a Key already taken returns the earlier posting before
// anything else is checked, and a negative Limit is gridgov.ErrInvalid. Strings PostgreSQL
// cannot store (a NUL byte, invalid UTF-8) and times outside its range are
// gridgov.ErrInvalid.
type FundingStore struct {
	run *runner
}

var _ funding.Store = (*FundingStore)(nil)

var (
	entFund    = entity{"fund", "资金"}
	entAccount = entity{"account", "账户"}
	entPosting = entity{"posting", "记账凭证"}
)

// fundCols are the columns a fund is read from, in scanFund's order.
const fundCols = `id, name, node_id, parent_id, period_start, period_start_ns, period_end, period_end_ns, budget, account_id, version`

// scanFund reads a fund from a row of fundCols.
func scanFund(row pgx.Row) (funding.Fund, error) {
	var (
		f            funding.Fund
		parent       pgtype.Text
		start, end   pgtype.Timestamptz
		startNs, eNs int16
		budget       pgtype.Numeric
	)
	if err := row.Scan(&f.ID, &f.Name, &f.NodeID, &parent, &start, &startNs, &end, &eNs, &budget, &f.AccountID, &f.Version); err != nil {
		return funding.Fund{}, err
	}
	f.ParentID = parent.String
	f.Period = funding.Period{Start: joinTime(start, startNs), End: joinTime(end, eNs)}
	var err error
	f.Budget, err = numeric(budget)
	return f, err
}

// CreateFund stores f as version 1 with its account (Kind fund, Unit CNY, zero balance),
// in one transaction. See funding.Store.
func (s *FundingStore) CreateFund(ctx context.Context, f funding.Fund) (funding.Fund, error) {
	const op = "CreateFund"
	if err := live(ctx); err != nil {
		return funding.Fund{}, err
	}
	f.Version = 1
	err := s.run.tx(ctx, op, pgx.ReadCommitted, func(tx pgx.Tx) error {
		var parentOK, fundTaken, accountTaken bool
		batch := &pgx.Batch{}
		batch.Queue("SELECT EXISTS (SELECT 1 FROM fund_funds WHERE id = $1)", f.ParentID).QueryRow(scanRow(&parentOK))
		batch.Queue("SELECT EXISTS (SELECT 1 FROM fund_funds WHERE id = $1)", f.ID).QueryRow(scanRow(&fundTaken))
		batch.Queue("SELECT EXISTS (SELECT 1 FROM fund_accounts WHERE id = $1)", f.AccountID).QueryRow(scanRow(&accountTaken))
		storable := &gridgov.ValidationError{}
		checkStorable(storable, "", f)
		if err := storable.Err(); err != nil {
			return err
		}
		if err := tx.SendBatch(ctx, batch).Close(); err != nil {
			return err
		}
		verr := &gridgov.ValidationError{}
		requireID(verr, "ID", f.ID)
		if f.ParentID != "" && !parentOK {
			missingRef(verr, "ParentID", entFund, f.ParentID)
		}
		funding.CheckBudget(verr, f.Budget)
		requireID(verr, "AccountID", f.AccountID)
		if err := verr.Err(); err != nil {
			return err
		}
		dup := &gridgov.ValidationError{Kind: gridgov.ErrAlreadyExists}
		if fundTaken {
			dup.Merge(gridgov.AlreadyExists("ID", f.ID))
		}
		if accountTaken {
			dup.Merge(gridgov.AlreadyExists("AccountID", f.AccountID))
		}
		if err := dup.Err(); err != nil {
			return err
		}
		start, startNs := optTime(f.Period.Start)
		end, endNs := optTime(f.Period.End)
		if _, err := tx.Exec(ctx, `INSERT INTO fund_accounts (id, kind, unit, name, fund_id, node_id, owner_id)
			VALUES ($1, $2, $3, $4, $5, $6, '')`, f.AccountID, string(funding.AccountFund), string(funding.CNY), f.Name, f.ID, f.NodeID); err != nil {
			return err
		}
		_, err := tx.Exec(ctx, `INSERT INTO fund_funds (id, name, node_id, parent_id, period_start, period_start_ns,
			period_end, period_end_ns, budget, account_id, version) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 1)`,
			f.ID, f.Name, f.NodeID, nullable(f.ParentID), start, startNs, end, endNs, num(f.Budget), f.AccountID)
		return err
	})
	if err != nil {
		return funding.Fund{}, wrapErr(op, err)
	}
	return f, nil
}

// GetFund returns the fund with id. See funding.Store.
func (s *FundingStore) GetFund(ctx context.Context, id string) (funding.Fund, error) {
	if err := live(ctx); err != nil {
		return funding.Fund{}, err
	}
	if !storableString(id) {
		return funding.Fund{}, notFound(entFund, id)
	}
	var f funding.Fund
	err := s.run.do(ctx, "GetFund", func(ctx context.Context, _ int) error {
		var err error
		f, err = scanFund(s.run.pool.QueryRow(ctx, "SELECT "+fundCols+" FROM fund_funds WHERE id = $1", id))
		return err
	})
	if errors.Is(err, pgx.ErrNoRows) {
		return funding.Fund{}, notFound(entFund, id)
	}
	return f, wrapErr("GetFund", err)
}

// ListFunds returns the funds drawing from parentID ("" for top funds), by ID, from the
// index on (parent_id, id). See funding.Store.
func (s *FundingStore) ListFunds(ctx context.Context, parentID string) ([]funding.Fund, error) {
	if err := live(ctx); err != nil {
		return nil, err
	}
	if !storableString(parentID) {
		return []funding.Fund{}, nil
	}
	sql := "SELECT " + fundCols + " FROM fund_funds WHERE parent_id = $1 ORDER BY id"
	args := []any{parentID}
	if parentID == "" {
		sql, args = "SELECT "+fundCols+" FROM fund_funds WHERE parent_id IS NULL ORDER BY id", nil
	}
	out := []funding.Fund{}
	err := s.run.do(ctx, "ListFunds", func(ctx context.Context, _ int) error {
		out = out[:0]
		rows, err := s.run.pool.Query(ctx, sql, args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			f, err := scanFund(rows)
			if err != nil {
				return err
			}
			out = append(out, f)
		}
		return rows.Err()
	})
	return out, wrapErr("ListFunds", err)
}

// accountCols are the columns an account is read from.
const accountCols = `id, kind, unit, name, fund_id, node_id, owner_id`

// scanAccount reads an account from a row of accountCols.
func scanAccount(row pgx.Row) (funding.Account, error) {
	var a funding.Account
	var kind, unit string
	err := row.Scan(&a.ID, &kind, &unit, &a.Name, &a.FundID, &a.NodeID, &a.OwnerID)
	a.Kind, a.Unit = funding.AccountKind(kind), funding.Unit(unit)
	return a, err
}

// CreateAccount stores a, or returns the existing account with a.ID when it has the same
// Kind and Unit. See funding.Store.
func (s *FundingStore) CreateAccount(ctx context.Context, a funding.Account) (funding.Account, error) {
	const op = "CreateAccount"
	if err := live(ctx); err != nil {
		return funding.Account{}, err
	}
	verr := &gridgov.ValidationError{}
	requireID(verr, "ID", a.ID)
	switch a.Kind {
	case funding.AccountSource, funding.AccountFund, funding.AccountRecipient, funding.AccountExpense:
	case "":
		verr.Add("Kind", "required", "Kind is required", "Kind（账户类型）为必填项")
	default:
		verr.Add("Kind", "oneof",
			fmt.Sprintf("Kind %q is not an account kind (source, fund, recipient or expense)", a.Kind),
			fmt.Sprintf("Kind“%s”不是有效的账户类型（source、fund、recipient或expense）", a.Kind))
	}
	switch a.Unit {
	case funding.CNY, funding.Points:
	case "":
		verr.Add("Unit", "required", "Unit is required", "Unit（计量单位）为必填项")
	default:
		verr.Add("Unit", "oneof",
			fmt.Sprintf("Unit %q is not a unit (CNY or points)", a.Unit),
			fmt.Sprintf("Unit“%s”不是有效的计量单位（CNY或points）", a.Unit))
	}
	checkStorable(verr, "", a)
	if err := verr.Err(); err != nil {
		return funding.Account{}, err
	}
	var stored funding.Account
	err := s.run.do(ctx, op, func(ctx context.Context, _ int) error {
		var err error
		stored, err = scanAccount(s.run.pool.QueryRow(ctx, `INSERT INTO fund_accounts (`+accountCols+`)
			VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (id) DO NOTHING RETURNING `+accountCols,
			a.ID, string(a.Kind), string(a.Unit), a.Name, a.FundID, a.NodeID, a.OwnerID))
		if errors.Is(err, pgx.ErrNoRows) {
			// Taken: read the account (this statement sees a concurrent creator's commit).
			stored, err = scanAccount(s.run.pool.QueryRow(ctx, "SELECT "+accountCols+" FROM fund_accounts WHERE id = $1", a.ID))
		}
		return err
	})
	if err != nil {
		return funding.Account{}, wrapErr(op, err)
	}
	if stored.Kind != a.Kind || stored.Unit != a.Unit {
		return funding.Account{}, (&gridgov.ValidationError{Kind: gridgov.ErrAlreadyExists}).Add("ID", "unique",
			fmt.Sprintf("account %q already exists as a %s account in %s, not %s in %s",
				a.ID, stored.Kind, stored.Unit, a.Kind, a.Unit),
			fmt.Sprintf("账户“%s”已存在（类型%s，单位%s），与所请求的类型%s、单位%s不符",
				a.ID, stored.Kind, stored.Unit, a.Kind, a.Unit))
	}
	return stored, nil
}

// GetAccount returns the account with id. See funding.Store.
func (s *FundingStore) GetAccount(ctx context.Context, id string) (funding.Account, error) {
	if err := live(ctx); err != nil {
		return funding.Account{}, err
	}
	if !storableString(id) {
		return funding.Account{}, notFound(entAccount, id)
	}
	var a funding.Account
	err := s.run.do(ctx, "GetAccount", func(ctx context.Context, _ int) error {
		var err error
		a, err = scanAccount(s.run.pool.QueryRow(ctx, "SELECT "+accountCols+" FROM fund_accounts WHERE id = $1", id))
		return err
	})
	if errors.Is(err, pgx.ErrNoRows) {
		return funding.Account{}, notFound(entAccount, id)
	}
	return a, wrapErr("GetAccount", err)
}

// Balance returns the account's balance, kept on its row by every posting, and the Seq of
// the last posting applied to the ledger, read in one statement (one snapshot). See
// funding.Store.
func (s *FundingStore) Balance(ctx context.Context, accountID string) (funding.Balance, error) {
	if err := live(ctx); err != nil {
		return funding.Balance{}, err
	}
	if !storableString(accountID) {
		return funding.Balance{}, notFound(entAccount, accountID)
	}
	b := funding.Balance{AccountID: accountID}
	err := s.run.do(ctx, "Balance", func(ctx context.Context, _ int) error {
		var n pgtype.Numeric
		if err := s.run.pool.QueryRow(ctx, `SELECT a.balance, l.last_seq FROM fund_accounts a, fund_ledger l
			WHERE a.id = $1`, accountID).Scan(&n, &b.Seq); err != nil {
			return err
		}
		var err error
		b.Amount, err = numeric(n)
		return err
	})
	if errors.Is(err, pgx.ErrNoRows) {
		return funding.Balance{}, notFound(entAccount, accountID)
	}
	return b, wrapErr("Balance", err)
}

// postingCols are the columns a posting is read from, in scanPosting's order.
const postingCols = `p.seq, p.id, p.idem_key, p.actor_id, p.actor_kind, p.reason, p.at, p.at_ns, p.reversal_of,
	p.plan_id, p.plan_line, p.line_accounts, p.line_amounts, p.line_expires, p.line_expires_ns`

// scanPosting reads a posting from a row of postingCols.
func scanPosting(row pgx.Row) (funding.Posting, error) {
	var (
		p               funding.Posting
		key, rev, plan  pgtype.Text
		actorKind, atNs int16
		at              pgtype.Timestamptz
		planLine        int32
		accounts        []string
		amounts         []pgtype.Numeric
		expires         []pgtype.Timestamptz
		expiresNs       []int16
	)
	if err := row.Scan(&p.Seq, &p.ID, &key, &p.Actor.ID, &actorKind, &p.Reason, &at, &atNs, &rev, &plan, &planLine,
		&accounts, &amounts, &expires, &expiresNs); err != nil {
		return funding.Posting{}, err
	}
	p.Key, p.ReversalOf, p.PlanID, p.PlanLine = key.String, rev.String, plan.String, int(planLine)
	p.Actor.Kind, p.At = gridgov.ActorKind(actorKind), joinTime(at, atNs)
	if len(amounts) != len(accounts) || len(expires) != len(accounts) || len(expiresNs) != len(accounts) {
		return funding.Posting{}, fmt.Errorf("postgres: posting %q has lines of different lengths", p.ID)
	}
	p.Lines = make([]funding.Line, len(accounts))
	for i := range accounts {
		amount, err := numeric(amounts[i])
		if err != nil {
			return funding.Posting{}, err
		}
		p.Lines[i] = funding.Line{AccountID: accounts[i], Amount: amount, Expires: joinTime(expires[i], expiresNs[i])}
	}
	return p, nil
}

// GetPosting returns the posting with id. See funding.Store.
func (s *FundingStore) GetPosting(ctx context.Context, id string) (funding.Posting, error) {
	if err := live(ctx); err != nil {
		return funding.Posting{}, err
	}
	if !storableString(id) {
		return funding.Posting{}, notFound(entPosting, id)
	}
	var p funding.Posting
	err := s.run.do(ctx, "GetPosting", func(ctx context.Context, _ int) error {
		var err error
		p, err = scanPosting(s.run.pool.QueryRow(ctx, "SELECT "+postingCols+" FROM fund_postings p WHERE p.id = $1", id))
		return err
	})
	if errors.Is(err, pgx.ErrNoRows) {
		return funding.Posting{}, notFound(entPosting, id)
	}
	return p, wrapErr("GetPosting", err)
}

// Postings returns the postings matching q in Seq order: by account from the entries index
// (fund_entries), by plan from fund_postings_plan, otherwise from the primary key. A
// negative Limit is gridgov.ErrInvalid. See funding.Store.
func (s *FundingStore) Postings(ctx context.Context, q funding.PostingQuery) ([]funding.Posting, error) {
	if q.Limit < 0 {
		return nil, gridgov.Invalid("Limit", "gte",
			fmt.Sprintf("Limit must not be negative, not %d", q.Limit),
			fmt.Sprintf("Limit（条数上限）不能为负数（%d）", q.Limit))
	}
	if err := live(ctx); err != nil {
		return nil, err
	}
	verr := &gridgov.ValidationError{}
	checkStorable(verr, "", q)
	if err := verr.Err(); err != nil {
		return nil, err
	}
	sql, args := postingsSQL(q)
	out := []funding.Posting{}
	err := s.run.do(ctx, "Postings", func(ctx context.Context, _ int) error {
		out = out[:0]
		rows, err := s.run.pool.Query(ctx, sql, args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			p, err := scanPosting(rows)
			if err != nil {
				return err
			}
			out = append(out, p)
		}
		return rows.Err()
	})
	return out, wrapErr("Postings", err)
}

// postingsSQL builds the query of q from fixed fragments; every value is a parameter.
func postingsSQL(q funding.PostingQuery) (string, []any) {
	var args []any
	arg := func(v any) string {
		args = append(args, v)
		return "$" + strconv.Itoa(len(args))
	}
	from, order := "fund_postings p", "p.seq"
	var where []string
	if q.AccountID != "" {
		from, order = "fund_entries e JOIN fund_postings p ON p.seq = e.seq", "e.seq"
		where = append(where, "e.account_id = "+arg(q.AccountID), "e.seq > "+arg(q.AfterSeq))
	} else {
		where = append(where, "p.seq > "+arg(q.AfterSeq))
	}
	if q.PlanID != "" {
		where = append(where, "p.plan_id = "+arg(q.PlanID))
	}
	if !q.From.IsZero() {
		where = append(where, "(p.at, p.at_ns) >= ("+arg(q.From)+", "+arg(subMicro(q.From))+")")
	}
	if !q.To.IsZero() {
		where = append(where, "(p.at, p.at_ns) < ("+arg(q.To)+", "+arg(subMicro(q.To))+")")
	}
	var b strings.Builder
	b.WriteString("SELECT " + postingCols + " FROM " + from + " WHERE " + strings.Join(where, " AND ") + " ORDER BY " + order)
	if q.Limit > 0 {
		b.WriteString(" LIMIT " + arg(int64(q.Limit)))
	}
	return b.String(), args
}

// lineArrays returns the posting's lines as the parallel arrays stored in fund_postings.
func lineArrays(lines []funding.Line) (accounts []string, amounts []num, expires []pgtype.Timestamptz, expiresNs []int16) {
	accounts = make([]string, len(lines))
	amounts = make([]num, len(lines))
	expires = make([]pgtype.Timestamptz, len(lines))
	expiresNs = make([]int16, len(lines))
	for i, l := range lines {
		accounts[i], amounts[i] = l.AccountID, num(l.Amount)
		if !l.Expires.IsZero() {
			expires[i] = pgtype.Timestamptz{Time: l.Expires, Valid: true}
			expiresNs[i] = subMicro(l.Expires)
		}
	}
	return accounts, amounts, expires, expiresNs
}
