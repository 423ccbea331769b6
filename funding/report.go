package funding

import (
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"sort"
	"strconv"
	"time"

	"github.com/shopspring/decimal"

	"github.com/gridgov/gridgov"
)

// RatePlaces is the number of decimal places of utilisation rates (0.9950 is 99.50%).
const RatePlaces = 4

// ActualRow compares what a plan line (or a group of lines) planned with what the ledger
// shows was paid (计划执行情况).
type ActualRow struct {
	// Line is the plan line's index, or -1 for a total row.
	Line int
	// RecipientKind, RecipientID and RuleID describe a line (empty in total rows).
	RecipientKind RecipientKind
	RecipientID   string
	RuleID        string
	// NodeID is the line's node, or the node of a total by node (empty in other totals).
	NodeID string
	// Period is the line's period, or the period of a total by period (zero in other
	// totals).
	Period Period
	// Planned is the amount planned; Paid the amount paid (including payments later
	// reversed); Reversed the amount reversed; Net = Paid − Reversed.
	Planned, Paid, Reversed, Net decimal.Decimal
	// Utilisation is Net / Planned rounded half-up to [RatePlaces] places (执行率), zero
	// when nothing was planned.
	Utilisation decimal.Decimal
}

// PlanActual is the plan-versus-actual report of one plan.
type PlanActual struct {
	PlanID, FundID string
	// Lines has one row per plan line, in plan order.
	Lines []ActualRow
	// ByNode totals the lines per node (by node ID); ByPeriod per period (by start, then
	// end); Total all lines.
	ByNode, ByPeriod []ActualRow
	Total            ActualRow
}

// Rows returns every row of the report: the lines, the totals by node, the totals by
// period, and the grand total, ready for [WriteCSV].
func (r PlanActual) Rows() []ActualRow {
	rows := make([]ActualRow, 0, len(r.Lines)+len(r.ByNode)+len(r.ByPeriod)+1)
	rows = append(rows, r.Lines...)
	rows = append(rows, r.ByNode...)
	rows = append(rows, r.ByPeriod...)
	return append(rows, r.Total)
}

// PlanVsActual compares a plan with the ledger: for each line, what was paid under the
// line's idempotency key and what of it was reversed (postings with the plan's ID, matched
// to lines by PlanLine; postings naming a line the plan does not have are ignored). Paid
// and reversed amounts are read from the plan fund's account, so a payment reversed and
// paid again counts twice in Paid and once in Reversed.
func (t *Treasury) PlanVsActual(ctx context.Context, plan Plan) (PlanActual, error) {
	rep := PlanActual{PlanID: plan.ID, FundID: plan.FundID}
	fund, err := t.store.GetFund(ctx, plan.FundID)
	if err != nil {
		return rep, err
	}
	paid := make([]decimal.Decimal, len(plan.Lines))
	reversed := make([]decimal.Decimal, len(plan.Lines))
	if plan.ID != "" {
		ps, err := t.store.Postings(ctx, PostingQuery{PlanID: plan.ID})
		if err != nil {
			return rep, err
		}
		for _, p := range ps {
			if p.PlanID != plan.ID || p.PlanLine < 0 || p.PlanLine >= len(plan.Lines) {
				continue
			}
			// What left the fund: positive for a payment, negative for a reversal.
			out := decimal.Zero
			for _, l := range p.Lines {
				if l.AccountID == fund.AccountID {
					out = out.Sub(l.Amount)
				}
			}
			switch i := p.PlanLine; {
			case out.IsPositive():
				paid[i] = paid[i].Add(out)
			case out.IsNegative():
				reversed[i] = reversed[i].Sub(out)
			}
		}
	}
	byNode := map[string]*ActualRow{}
	type periodKey struct{ start, end time.Time }
	byPeriod := map[periodKey]*ActualRow{}
	rep.Total = ActualRow{Line: -1}
	for i, l := range plan.Lines {
		row := ActualRow{Line: i, RecipientKind: l.RecipientKind, RecipientID: l.RecipientID, RuleID: l.RuleID,
			NodeID: l.NodeID, Period: l.Period, Planned: l.Amount, Paid: paid[i], Reversed: reversed[i]}
		row.finish()
		rep.Lines = append(rep.Lines, row)
		n := byNode[l.NodeID]
		if n == nil {
			n = &ActualRow{Line: -1, NodeID: l.NodeID}
			byNode[l.NodeID] = n
		}
		pk := periodKey{l.Period.Start.UTC().Round(0), l.Period.End.UTC().Round(0)}
		pr := byPeriod[pk]
		if pr == nil {
			pr = &ActualRow{Line: -1, Period: l.Period}
			byPeriod[pk] = pr
		}
		for _, r := range []*ActualRow{n, pr, &rep.Total} {
			r.Planned = r.Planned.Add(l.Amount)
			r.Paid = r.Paid.Add(paid[i])
			r.Reversed = r.Reversed.Add(reversed[i])
		}
	}
	for _, r := range byNode {
		r.finish()
		rep.ByNode = append(rep.ByNode, *r)
	}
	sort.Slice(rep.ByNode, func(a, b int) bool { return rep.ByNode[a].NodeID < rep.ByNode[b].NodeID })
	for _, r := range byPeriod {
		r.finish()
		rep.ByPeriod = append(rep.ByPeriod, *r)
	}
	sort.Slice(rep.ByPeriod, func(a, b int) bool {
		pa, pb := rep.ByPeriod[a].Period, rep.ByPeriod[b].Period
		if !pa.Start.Equal(pb.Start) {
			return pa.Start.Before(pb.Start)
		}
		return pa.End.Before(pb.End)
	})
	rep.Total.finish()
	return rep, nil
}

// finish sets Net and Utilisation from the other amounts.
func (r *ActualRow) finish() {
	r.Net = r.Paid.Sub(r.Reversed)
	r.Utilisation = ledgerRate(r.Net, r.Planned)
}

// ledgerRate returns num/den rounded half-up to RatePlaces places, zero when den is zero.
func ledgerRate(num, den decimal.Decimal) decimal.Decimal {
	if den.IsZero() {
		return decimal.Zero
	}
	return num.DivRound(den, RatePlaces)
}

// FundUtilisation reports how much of a fund has been used (预算执行情况).
type FundUtilisation struct {
	FundID string
	// Budget is the fund's budget.
	Budget decimal.Decimal
	// Appropriated is the money received (from a source or the parent fund), net of
	// reversals.
	Appropriated decimal.Decimal
	// Allocated is the money passed down to child funds, net of reversals.
	Allocated decimal.Decimal
	// Disbursed is the money paid to recipients and spent on expenses, net of reversals.
	Disbursed decimal.Decimal
	// Balance is what the fund holds now.
	Balance decimal.Decimal
	// Utilisation is (Disbursed + Allocated) / Budget rounded half-up to [RatePlaces]
	// places, zero for a fund without a budget.
	Utilisation decimal.Decimal
}

// Utilisation reports a fund's budget, what it received, passed down and paid out, and its
// balance, from the postings on its account. A posting counts as paid out when it moves
// money between the fund and a recipient or expense account, as passed down when it moves
// money to another fund, and as received otherwise; a reversal counts against the same
// figure as the posting it reverses.
func (t *Treasury) Utilisation(ctx context.Context, fundID string) (FundUtilisation, error) {
	fund, err := t.store.GetFund(ctx, fundID)
	if err != nil {
		return FundUtilisation{}, err
	}
	u := FundUtilisation{FundID: fund.ID, Budget: fund.Budget}
	ps, err := t.store.Postings(ctx, PostingQuery{AccountID: fund.AccountID})
	if err != nil {
		return FundUtilisation{}, err
	}
	kinds := map[string]AccountKind{}
	kindOf := func(id string) (AccountKind, error) {
		if k, ok := kinds[id]; ok {
			return k, nil
		}
		a, err := t.store.GetAccount(ctx, id)
		if err != nil {
			return "", err
		}
		kinds[id] = a.Kind
		return a.Kind, nil
	}
	const (
		received = iota
		passedDown
		paidOut
	)
	category := map[string]int{}
	for _, p := range ps {
		s := decimal.Zero // what the posting added to the fund's account
		other := AccountKind("")
		for _, l := range p.Lines {
			if l.AccountID == fund.AccountID {
				s = s.Add(l.Amount)
				continue
			}
			k, err := kindOf(l.AccountID)
			if err != nil {
				return FundUtilisation{}, err
			}
			if k == AccountRecipient || k == AccountExpense || other == "" {
				other = k
			}
		}
		cat, ok := category[p.ReversalOf]
		if p.ReversalOf == "" || !ok {
			switch {
			case other == AccountRecipient || other == AccountExpense:
				cat = paidOut
			case s.IsNegative():
				cat = passedDown
			default:
				cat = received
			}
		}
		category[p.ID] = cat
		switch cat {
		case received:
			u.Appropriated = u.Appropriated.Add(s)
		case passedDown:
			u.Allocated = u.Allocated.Sub(s)
		default:
			u.Disbursed = u.Disbursed.Sub(s)
		}
	}
	b, err := t.store.Balance(ctx, fund.AccountID)
	if err != nil {
		return FundUtilisation{}, err
	}
	u.Balance = b.Amount
	u.Utilisation = ledgerRate(u.Disbursed.Add(u.Allocated), u.Budget)
	return u, nil
}

// ledgerCSVHeaders are the column headings of [WriteCSV] in each language.
var ledgerCSVHeaders = map[gridgov.Lang][]string{
	gridgov.English: {"line", "recipient kind", "recipient", "rule", "node", "period",
		"planned", "paid", "reversed", "net", "utilisation"},
	gridgov.Chinese: {"行号", "对象类型", "对象", "规则", "节点", "期间",
		"计划金额", "已拨付", "已冲销", "净拨付", "执行率"},
}

// WriteCSV writes rows as CSV with a header line in lang (Chinese for [gridgov.Chinese],
// English otherwise). Amounts are written with two decimals ("1234.50"), utilisation with
// [RatePlaces] ("0.9950"), periods as "2025-01-01..2026-01-01"; a total row leaves the line
// number empty, and a zero period is written empty.
func WriteCSV(w io.Writer, rows []ActualRow, lang gridgov.Lang) error {
	header := ledgerCSVHeaders[gridgov.English]
	if lang == gridgov.Chinese {
		header = ledgerCSVHeaders[gridgov.Chinese]
	}
	cw := csv.NewWriter(w)
	if err := cw.Write(header); err != nil {
		return err
	}
	for _, r := range rows {
		line, period := "", ""
		if r.Line >= 0 {
			line = strconv.Itoa(r.Line)
		}
		if r.Period != (Period{}) {
			period = r.Period.String()
		}
		rec := []string{line, string(r.RecipientKind), r.RecipientID, r.RuleID, r.NodeID, period,
			r.Planned.StringFixed(2), r.Paid.StringFixed(2), r.Reversed.StringFixed(2), r.Net.StringFixed(2),
			r.Utilisation.StringFixed(RatePlaces)}
		if err := cw.Write(rec); err != nil {
			return err
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return fmt.Errorf("write csv: %w", err)
	}
	return nil
}
