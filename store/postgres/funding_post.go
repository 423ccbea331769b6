package postgres

import (
	"context"
	"errors"
	"fmt"
	"slices"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgtype"
	"github.com/shopspring/decimal"

	"github.com/gridgov/gridgov"
	"github.com/gridgov/gridgov/funding"
)

// lockedAccount is an account a posting touches, read under its row lock, with the sum of
// the posting's lines on it.
type lockedAccount struct {
	id      string
	kind    funding.AccountKind
	unit    funding.Unit
	balance decimal.Decimal
	delta   decimal.Decimal
	line    int // the index of the posting's first line on the account
	touched bool
}

// postSQL applies a checked posting: it takes the next number from fund_ledger (whose row
// stays locked until COMMIT, which follows at once), inserts the posting and one entry per
// account, and moves the balances.
const postSQL = `
WITH seq AS (
	UPDATE fund_ledger SET last_seq = last_seq + 1 RETURNING last_seq
), p AS (
	INSERT INTO fund_postings (seq, id, idem_key, actor_id, actor_kind, reason, at, at_ns, reversal_of, plan_id,
		plan_line, line_accounts, line_amounts, line_expires, line_expires_ns)
	SELECT last_seq, $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14 FROM seq
	RETURNING seq
), e AS (
	INSERT INTO fund_entries (account_id, seq) SELECT d.id, p.seq FROM p, unnest($15::text[]) AS d(id)
), b AS (
	UPDATE fund_accounts a SET balance = a.balance + d.delta
	FROM unnest($15::text[], $16::numeric[]) AS d(id, delta) WHERE a.id = d.id
)
SELECT seq FROM p`

// Post checks p whole and, only if every check passes, applies it, in one transaction: a
// batch locks the accounts p touches (in ID order) and reads the key, the ID and the
// posting reversed; the checks run on what it read; one statement applies. A Key already
// taken returns the posting stored under it (applied = false) before anything else is
// checked. See funding.Store.
func (s *FundingStore) Post(ctx context.Context, p funding.Posting) (funding.Posting, bool, error) {
	const op = "Post"
	p.Lines = slices.Clone(p.Lines) // the store keeps no reference to the caller's slice
	p.Seq = 0
	if err := live(ctx); err != nil {
		return funding.Posting{}, false, err
	}
	storable := &gridgov.ValidationError{}
	checkStorable(storable, "", p)
	if err := storable.Err(); err != nil {
		if p.Key != "" && storableString(p.Key) {
			if got, found, err := s.byKey(ctx, p.Key); err != nil || found {
				return got, false, wrapErr(op, err)
			}
		}
		return funding.Posting{}, false, err
	}
	ids := make([]string, 0, len(p.Lines))
	for _, l := range p.Lines {
		if l.AccountID != "" && !slices.Contains(ids, l.AccountID) {
			ids = append(ids, l.AccountID)
		}
	}
	slices.Sort(ids)

	var (
		stored  funding.Posting
		applied bool
	)
	err := s.run.tx(ctx, op, pgx.ReadCommitted, func(tx pgx.Tx) error {
		applied = false
		accounts := make(map[string]*lockedAccount, len(ids))
		var (
			existing   *funding.Posting
			idTaken    bool
			target     bool // p.ReversalOf names a posting
			reversedBy pgtype.Text
		)
		batch := &pgx.Batch{}
		// The locks first: a concurrent posting of the same accounts commits before the
		// reads below, which then see it (READ COMMITTED reads per statement).
		batch.Queue("SELECT id, kind, unit, balance FROM fund_accounts WHERE id = ANY($1) ORDER BY id FOR UPDATE", ids).
			Query(func(rows pgx.Rows) error {
				for rows.Next() {
					var a lockedAccount
					var kind, unit string
					var bal pgtype.Numeric
					if err := rows.Scan(&a.id, &kind, &unit, &bal); err != nil {
						return err
					}
					a.kind, a.unit = funding.AccountKind(kind), funding.Unit(unit)
					var err error
					if a.balance, err = numeric(bal); err != nil {
						return err
					}
					accounts[a.id] = &a
				}
				return rows.Err()
			})
		if p.Key != "" {
			batch.Queue("SELECT "+postingCols+" FROM fund_postings p WHERE p.idem_key = $1", p.Key).
				QueryRow(func(row pgx.Row) error {
					got, err := scanPosting(row)
					if errors.Is(err, pgx.ErrNoRows) {
						return nil
					}
					existing = &got
					return err
				})
		}
		batch.Queue("SELECT EXISTS (SELECT 1 FROM fund_postings WHERE id = $1)", p.ID).QueryRow(scanRow(&idTaken))
		if p.ReversalOf != "" {
			batch.Queue(`SELECT true, r.id FROM fund_postings t LEFT JOIN fund_postings r ON r.reversal_of = t.id
				WHERE t.id = $1`, p.ReversalOf).QueryRow(func(row pgx.Row) error {
				err := row.Scan(&target, &reversedBy)
				if errors.Is(err, pgx.ErrNoRows) {
					return nil
				}
				return err
			})
		}
		if err := tx.SendBatch(ctx, batch).Close(); err != nil {
			return err
		}
		if existing != nil {
			stored = *existing
			return nil
		}
		touched, err := checkPosting(p, accounts, idTaken, target, reversedBy.String)
		if err != nil {
			return err
		}
		if err := checkBudget(touched); err != nil {
			return err
		}

		// Every check passed: apply.
		deltas := make([]num, len(touched))
		touchedIDs := make([]string, len(touched))
		for i, a := range touched {
			touchedIDs[i], deltas[i] = a.id, num(a.delta)
		}
		lineAccounts, amounts, expires, expiresNs := lineArrays(p.Lines)
		var seq int64
		if err := tx.QueryRow(ctx, postSQL, p.ID, nullable(p.Key), p.Actor.ID, int16(p.Actor.Kind), p.Reason,
			p.At, subMicro(p.At), nullable(p.ReversalOf), nullable(p.PlanID), int32(p.PlanLine),
			lineAccounts, amounts, expires, expiresNs, touchedIDs, deltas).Scan(&seq); err != nil {
			return err
		}
		stored = p
		stored.Seq = seq
		stored.Lines = slices.Clone(p.Lines)
		applied = true
		return nil
	})
	if err != nil {
		var pgErr *pgconn.PgError
		if errors.As(err, &pgErr) && pgErr.Code == codeUnique {
			// A concurrent posting took the key, the ID or the reversal first.
			switch pgErr.ConstraintName {
			case "fund_postings_key_unique":
				if got, found, kerr := s.byKey(ctx, p.Key); kerr != nil || found {
					return got, false, wrapErr(op, kerr)
				}
			case "fund_postings_id_unique":
				return funding.Posting{}, false, gridgov.AlreadyExists("ID", p.ID)
			case "fund_postings_reversal_unique":
				return funding.Posting{}, false, alreadyReversed(p.ReversalOf, "")
			}
		}
		if errors.As(err, &pgErr) && pgErr.Code == codeCheck {
			return funding.Posting{}, false, fmt.Errorf("postgres: %s: an account would go below zero: %w (%w)", op, gridgov.ErrBudgetExceeded, err)
		}
		return funding.Posting{}, false, wrapErr(op, err)
	}
	return stored, applied, nil
}

// byKey returns the posting stored with the idempotency key, if any.
func (s *FundingStore) byKey(ctx context.Context, key string) (funding.Posting, bool, error) {
	p, err := scanPosting(s.run.pool.QueryRow(ctx, "SELECT "+postingCols+" FROM fund_postings p WHERE p.idem_key = $1", key))
	if errors.Is(err, pgx.ErrNoRows) {
		return funding.Posting{}, false, nil
	}
	if err != nil {
		return funding.Posting{}, false, err
	}
	return p, true, nil
}

// alreadyReversed is the refusal of a second reversal (gridgov.ErrConflict).
func alreadyReversed(id, by string) error {
	en := fmt.Sprintf("posting %q was already reversed; a posting is reversed once", id)
	zh := fmt.Sprintf("记账凭证“%s”已被冲销，不能重复冲销", id)
	if by != "" {
		en = fmt.Sprintf("posting %q was already reversed by posting %q; a posting is reversed once", id, by)
		zh = fmt.Sprintf("记账凭证“%s”已被凭证“%s”冲销，不能重复冲销", id, by)
	}
	return (&gridgov.ValidationError{Kind: gridgov.ErrConflict}).Add("ReversalOf", "unreversed", en, zh)
}

// unitSum is the running sum of a posting's lines in one unit.
type unitSum struct {
	unit funding.Unit
	sum  decimal.Decimal
}

// checkPosting checks everything about p but the balances, as store/memory does: its
// fields and lines (gridgov.ErrInvalid, naming every failing field), its ID
// (gridgov.ErrAlreadyExists) and the posting it reverses (gridgov.ErrInvalid when missing,
// gridgov.ErrConflict when already reversed). accounts holds the locked accounts the lines
// name. It returns the accounts p touches, in line order, each with the sum of p's lines on
// it.
func checkPosting(p funding.Posting, accounts map[string]*lockedAccount, idTaken, target bool, reversedBy string) ([]*lockedAccount, error) {
	verr := &gridgov.ValidationError{}
	requireID(verr, "ID", p.ID)
	if len(p.Lines) < 2 {
		verr.Add("Lines", "min",
			fmt.Sprintf("a posting needs at least two lines, not %d", len(p.Lines)),
			fmt.Sprintf("记账凭证至少需要两行分录，而不是%d行", len(p.Lines)))
	}
	var touched []*lockedAccount
	sums := make([]unitSum, 0, 2)
	summable := true // every line names an existing account and has a valid amount
	for i, l := range p.Lines {
		ok := funding.CheckLineAmount(verr, i, l.Amount)
		a := accounts[l.AccountID]
		switch {
		case a == nil && l.AccountID == "":
			requireID(verr, lineField(i, "AccountID"), l.AccountID)
		case a == nil:
			missingRef(verr, lineField(i, "AccountID"), entAccount, l.AccountID)
		case ok:
			ok = funding.CheckLinePrecision(verr, i, l.Amount, a.unit)
		}
		if a == nil || !ok {
			summable = false
			continue
		}
		if !a.touched {
			a.touched, a.delta, a.line = true, l.Amount, i
			touched = append(touched, a)
		} else {
			a.delta = a.delta.Add(l.Amount)
		}
		j := slices.IndexFunc(sums, func(u unitSum) bool { return u.unit == a.unit })
		if j < 0 {
			sums = append(sums, unitSum{unit: a.unit, sum: l.Amount})
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
	if p.ReversalOf != "" && !target {
		missingRef(verr, "ReversalOf", entPosting, p.ReversalOf)
	}
	if err := verr.Err(); err != nil {
		return nil, err
	}
	if idTaken {
		return nil, gridgov.AlreadyExists("ID", p.ID)
	}
	if p.ReversalOf != "" && reversedBy != "" {
		return nil, alreadyReversed(p.ReversalOf, reversedBy)
	}
	return touched, nil
}

// checkBudget refuses the posting with gridgov.ErrBudgetExceeded when an account that must
// stay non-negative would end below zero, naming each such account with its balance and
// the amount it would go below zero by.
func checkBudget(touched []*lockedAccount) error {
	var verr *gridgov.ValidationError // allocated on the first overdraft
	for _, a := range touched {
		next := a.balance.Add(a.delta)
		if !next.IsNegative() || a.kind == funding.AccountSource {
			continue
		}
		holds, holdsZH := funding.FormatAmount(a.balance, a.unit)
		takes, takesZH := funding.FormatAmount(a.delta.Neg(), a.unit)
		short, shortZH := funding.FormatAmount(next.Neg(), a.unit)
		if verr == nil {
			verr = &gridgov.ValidationError{Kind: gridgov.ErrBudgetExceeded}
		}
		verr.Add(lineField(a.line, "AccountID"), "budget",
			fmt.Sprintf("account %q holds %s; the posting takes %s, which would leave it %s below zero",
				a.id, holds, takes, short),
			fmt.Sprintf("账户“%s”余额为%s，本凭证支出%s，将透支%s", a.id, holdsZH, takesZH, shortZH))
	}
	return verr.Err()
}

// lineField names a field of the i-th line. The amount checks themselves, with their
// messages, are funding's (CheckLineAmount, CheckLinePrecision), shared with store/memory.
func lineField(i int, name string) string {
	return fmt.Sprintf("Lines[%d].%s", i, name)
}
