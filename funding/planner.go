package funding

import (
	"context"
	"errors"
	"fmt"
	"math/big"
	"sort"
	"strings"

	"github.com/shopspring/decimal"

	"github.com/gridgov/gridgov"
)

// PlanInput asks [Treasury.Plan] for a plan (资金计划编制).
type PlanInput struct {
	// ID is the plan's identifier; empty means the treasury generates one.
	ID string
	// FundID names the fund planned for. When Budget is zero the budget is the fund's
	// Budget, read from the store; when Period is zero the period is the fund's.
	FundID string
	// Budget is the money available. It takes precedence over the fund's budget (pass
	// what is left of a fund, for example); either Budget or FundID is required.
	Budget decimal.Decimal
	// Period is the plan's period, whole calendar months in its time zone (a year, a
	// quarter, a month); zero means the fund's period.
	Period Period
	// Rules are applied in order; the plan's lines follow the same order.
	Rules []Rule
	// ScaleDown asks, when the lines exceed the budget, to scale the part of every line
	// above its floor down pro rata so that the plan spends exactly the budget, instead
	// of failing with a [*BudgetError].
	ScaleDown bool
	// Scores are the scores of [ChooseByScore] range rules: rule ID → recipient ID →
	// score. Every recipient of such a rule needs a score.
	Scores map[string]map[string]decimal.Decimal
	// Rankings are the rankings of award rules with Bands: rule ID → recipient IDs, best
	// first (the list's order is the rank; ties are the caller's to break). Required for
	// every such rule (an empty list awards nothing).
	Rankings map[string][]string
	// Grades are the grades of award rules with Grades: rule ID → recipient ID → grade.
	// Required for every such rule; recipients without a grade, or with a grade the rule
	// does not pay, get nothing.
	Grades map[string]map[string]string
}

// BudgetError reports a plan that does not fit its budget (超出预算). It matches
// gridgov.ErrBudgetExceeded with [errors.Is]; reach the figures with [errors.As].
type BudgetError struct {
	// Budget is the money available; Need is what the plan's lines add up to before any
	// scaling; Floors is what their floors add up to.
	Budget, Need, Floors decimal.Decimal
	// Shortfall is what is missing: Need − Budget, or Floors − Budget when FloorsExceed.
	Shortfall decimal.Decimal
	// FloorsExceed reports that scaling down was asked for but the floors alone exceed
	// the budget, so no scaling can fit.
	FloorsExceed bool
}

// Error renders the figures in English with the Chinese wording in brackets.
func (e *BudgetError) Error() string {
	if e.FloorsExceed {
		return fmt.Sprintf("%v: the floors alone need %s but the budget is %s, short by %s even after scaling down (保底金额合计%s，预算%s，即使按比例压缩仍缺口%s)",
			gridgov.ErrBudgetExceeded, planYuan(e.Floors), planYuan(e.Budget), planYuan(e.Shortfall),
			planYuanZH(e.Floors), planYuanZH(e.Budget), planYuanZH(e.Shortfall))
	}
	return fmt.Sprintf("%v: the plan needs %s but the budget is %s, short by %s (计划需要%s，预算%s，缺口%s)",
		gridgov.ErrBudgetExceeded, planYuan(e.Need), planYuan(e.Budget), planYuan(e.Shortfall),
		planYuanZH(e.Need), planYuanZH(e.Budget), planYuanZH(e.Shortfall))
}

// Unwrap returns gridgov.ErrBudgetExceeded.
func (e *BudgetError) Unwrap() error { return gridgov.ErrBudgetExceeded }

// Plan turns rules into a plan for one period (编制资金计划). It reads the governance
// registry (and, when no budget is given, the fund from the store) and writes nothing: a
// plan is pure computation, deterministic for the same input and data.
//
// Each rule selects its recipients from governance data and makes one line per recipient
// (per position for persons) with the amount, the floor scaling must keep and an
// explanation in English and Chinese of how the amount was found. Lines come in rule
// order, then by node ID, recipient ID and position; lines of zero are left out. Total is
// the sum of the lines, split in ByRule (every rule, zero when it paid nothing) and
// ByNode (the recipient's node).
//
// When Total exceeds the budget, Plan returns the plan (unscaled, with Shortfall set)
// together with a [*BudgetError] (gridgov.ErrBudgetExceeded) carrying the shortfall. With
// ScaleDown it instead keeps every line's floor and shares what the budget leaves above
// the floors pro rata to each line's part above its floor, to the fen by largest
// remainder ([SplitByWeights]): the scaled plan spends exactly the budget, no line goes
// below its floor or above its unscaled amount, and each scaled line says so. When the
// floors alone exceed the budget it returns the unscaled plan and a *BudgetError with
// FloorsExceed set.
//
// Bad input returns a [*gridgov.ValidationError] (gridgov.ErrInvalid) naming every failing
// field, e.g. "Rules[2].Floor", "Rules[0].Recipients.Within", "Rankings[awards][3]", in
// English and Chinese: see [Rule.Validate] for the checks of each rule, plus an unknown
// or duplicate rule ID, a period that is not whole months, a missing budget, a paired rule
// matching nothing, scores, rankings or grades naming unknown rules or recipients, a
// missing score or label. Nothing is written either way.
func (t *Treasury) Plan(ctx context.Context, in PlanInput) (Plan, error) {
	if err := ctx.Err(); err != nil {
		return Plan{}, err
	}
	verr := &gridgov.ValidationError{}
	budget, period, err := t.planBudget(ctx, verr, in)
	if err != nil {
		return Plan{}, err
	}
	periodOK := planWholeMonths(period) && !period.Start.AddDate(planMaxYears, 0, 0).Before(period.End)
	byID, ruleOK := planCheckInput(verr, in)
	sc := newPlanScope(ctx, t.reg, period)
	for i, r := range in.Rules {
		if !ruleOK[i] || r.Kind == RulePaired {
			continue
		}
		before := len(verr.Fields)
		if err := sc.checkSelector(verr, fmt.Sprintf("Rules[%d].", i), r.Recipients); err != nil {
			return Plan{}, err
		}
		ruleOK[i] = len(verr.Fields) == before
	}

	// The rules that are valid on their own are applied even when others are not, so that
	// one pass reports every failing field, those found in the data included.
	pl := &planner{sc: sc, in: in, period: period, verr: verr}
	if periodOK {
		pl.months = planMonths(period)
	}
	lines := make([][]PlanLine, len(in.Rules))
	for i, r := range in.Rules {
		if !periodOK || !ruleOK[i] || r.Kind == RulePaired {
			continue
		}
		if lines[i], err = pl.ruleLines(i, r); err != nil {
			return Plan{}, err
		}
	}
	for i, r := range in.Rules {
		if periodOK && ruleOK[i] && r.Kind == RulePaired {
			if m := byID[r.Matches]; ruleOK[m] {
				lines[i] = pairedLines(r, in.Rules[m], lines[m])
			}
		}
	}
	if err := verr.Err(); err != nil {
		return Plan{}, err
	}

	plan := Plan{ID: t.newID(in.ID), FundID: in.FundID, Period: period, Budget: budget, Shortfall: decimal.Zero}
	n := 0
	for _, ls := range lines {
		n += len(ls)
	}
	plan.Lines = make([]PlanLine, 0, n)
	for _, ls := range lines {
		plan.Lines = append(plan.Lines, ls...)
	}
	need, floors := decimal.Zero, decimal.Zero
	for _, l := range plan.Lines {
		need = need.Add(l.Amount)
		floors = floors.Add(l.Floor)
	}
	if need.GreaterThan(budget) {
		plan.Shortfall = need.Sub(budget)
		berr := &BudgetError{Budget: budget, Need: need, Floors: floors, Shortfall: plan.Shortfall}
		switch {
		case !in.ScaleDown:
			planTotals(&plan, in.Rules)
			return plan, berr
		case floors.GreaterThan(budget):
			berr.FloorsExceed, berr.Shortfall = true, floors.Sub(budget)
			planTotals(&plan, in.Rules)
			return plan, berr
		}
		if err := scaleDown(plan.Lines, budget, floors); err != nil {
			return Plan{}, err
		}
		plan.Scaled = true
	}
	planTotals(&plan, in.Rules)
	t.log.InfoContext(ctx, "plan computed", "plan", plan.ID, "fund", plan.FundID, "lines", len(plan.Lines),
		"total", plan.Total.StringFixed(2), "budget", budget.StringFixed(2), "scaled", plan.Scaled)
	return plan, nil
}

// planMaxYears is the longest plan period accepted.
const planMaxYears = 100

// planBudget finds the budget and period: from the input, or from the fund (read only
// when the input lacks one of them).
func (t *Treasury) planBudget(ctx context.Context, verr *gridgov.ValidationError, in PlanInput) (decimal.Decimal, Period, error) {
	budget, period := in.Budget, in.Period
	if in.ID != "" && !gridgov.ValidID(in.ID) {
		verr.Add("ID", "gridid", fmt.Sprintf("plan ID %q must be 1 to %d letters, digits or - _ . :", in.ID, gridgov.MaxIDLength),
			fmt.Sprintf("计划编号“%s”必须是1到%d个字母、数字或 - _ . :", in.ID, gridgov.MaxIDLength))
	}
	fundOK := true
	switch {
	case in.FundID != "" && !gridgov.ValidID(in.FundID):
		fundOK = false
		verr.Add("FundID", "gridid", fmt.Sprintf("FundID %q is not a valid identifier", in.FundID),
			fmt.Sprintf("资金编号“%s”不是有效的编号", in.FundID))
	case in.FundID == "" && in.Budget.IsZero():
		verr.Add("Budget", "required_without", "a plan needs a Budget or a FundID", "资金计划必须提供预算金额（Budget）或资金编号（FundID）")
	case in.FundID != "" && (in.Budget.IsZero() || in.Period == Period{}):
		f, err := t.store.GetFund(ctx, in.FundID)
		switch {
		case errors.Is(err, gridgov.ErrNotFound):
			fundOK = false
			verr.Add("FundID", "exists", fmt.Sprintf("fund %q does not exist", in.FundID), fmt.Sprintf("资金“%s”不存在", in.FundID))
		case err != nil:
			return decimal.Decimal{}, Period{}, err
		default:
			if budget.IsZero() {
				budget = f.Budget
			}
			if (period == Period{}) {
				period = f.Period
			}
		}
	}
	switch {
	case !planSane(budget):
		verr.Add("Budget", "number", "Budget has too many digits or is too large or too small to use", "Budget位数过多或数值过大、过小，无法使用")
	case budget.GreaterThan(planMaxAmount):
		verr.Add("Budget", "max", fmt.Sprintf("Budget must be at most ¥1,000,000,000,000, not %s", budget),
			fmt.Sprintf("Budget不能超过1,000,000,000,000元（%s）", budget))
	default:
		verr.Merge(CheckAmount("Budget", budget))
	}
	switch {
	case !planWholeMonths(period) && (fundOK || in.Period != Period{}):
		verr.Add("Period", "months", fmt.Sprintf("the plan's period %s must be whole calendar months (start and end on the 1st at 00:00) and not empty", period),
			fmt.Sprintf("计划期间%s必须是完整的自然月（起止均为某月1日0时）且不能为空", period))
	case planWholeMonths(period) && period.Start.AddDate(planMaxYears, 0, 0).Before(period.End):
		verr.Add("Period", "max", fmt.Sprintf("the plan's period %s must be at most %d years long", period, planMaxYears),
			fmt.Sprintf("计划期间%s不能超过%d年", period, planMaxYears))
	}
	return budget, period, nil
}

// planCheckInput checks the rules and the inputs keyed by rule; it returns the index of
// every rule by ID and whether each rule is valid on its own.
func planCheckInput(verr *gridgov.ValidationError, in PlanInput) (map[string]int, []bool) {
	byID := make(map[string]int, len(in.Rules))
	ok := make([]bool, len(in.Rules))
	for i, r := range in.Rules {
		prefix := fmt.Sprintf("Rules[%d].", i)
		before := len(verr.Fields)
		ruleCheck(verr, prefix, r)
		if j, dup := byID[r.ID]; dup && r.ID != "" {
			verr.Add(prefix+"ID", "unique", fmt.Sprintf("%sID %q is also the ID of Rules[%d]", prefix, r.ID, j),
				fmt.Sprintf("%sID“%s”与Rules[%d]重复", prefix, r.ID, j))
			continue
		}
		byID[r.ID] = i
		ok[i] = len(verr.Fields) == before
	}
	for i, r := range in.Rules {
		if r.Kind != RulePaired || r.Matches == "" || r.Matches == r.ID {
			continue
		}
		field := fmt.Sprintf("Rules[%d].Matches", i)
		m, found := byID[r.Matches]
		switch {
		case !found:
			verr.Add(field, "exists", fmt.Sprintf("%s: no rule has ID %q", field, r.Matches),
				fmt.Sprintf("%s：没有编号为“%s”的规则", field, r.Matches))
		case in.Rules[m].Kind == RulePaired:
			verr.Add(field, "kind", fmt.Sprintf("%s: rule %q is itself a paired rule", field, r.Matches),
				fmt.Sprintf("%s：规则“%s”本身是配套规则", field, r.Matches))
		default:
			continue
		}
		ok[i] = false
	}
	ruleOf := func(id string) (Rule, bool) {
		i, ok := byID[id]
		if !ok {
			return Rule{}, false
		}
		return in.Rules[i], true
	}
	keyCheck := func(input, id string, fits func(Rule) bool, what, whatZH string) {
		if r, ok := ruleOf(id); !ok || !fits(r) {
			field := fmt.Sprintf("%s[%s]", input, id)
			verr.Add(field, "rule", fmt.Sprintf("%s: no %s has ID %q", field, what, id),
				fmt.Sprintf("%s：没有编号为“%s”的%s", field, id, whatZH))
		}
	}
	isScore := func(r Rule) bool { return r.Kind == RuleRange && r.Chooser.Kind == ChooseByScore }
	isRanked := func(r Rule) bool { return r.Kind == RuleAward && len(r.Bands) > 0 }
	isGraded := func(r Rule) bool { return r.Kind == RuleAward && len(r.Grades) > 0 }
	for _, id := range planSortedKeys(in.Scores) {
		keyCheck("Scores", id, isScore, "range rule choosing by score", "按评分确定金额的区间规则")
	}
	for _, id := range planSortedKeys(in.Rankings) {
		keyCheck("Rankings", id, isRanked, "award rule by rank", "按名次奖励的规则")
	}
	for _, id := range planSortedKeys(in.Grades) {
		keyCheck("Grades", id, isGraded, "award rule by grade", "按等级奖励的规则")
	}
	for _, r := range in.Rules {
		var input string
		var present bool
		switch {
		case isScore(r):
			_, present = in.Scores[r.ID]
			input = "Scores"
		case isRanked(r):
			_, present = in.Rankings[r.ID]
			input = "Rankings"
		case isGraded(r):
			_, present = in.Grades[r.ID]
			input = "Grades"
		default:
			continue
		}
		if !present {
			field := fmt.Sprintf("%s[%s]", input, r.ID)
			verr.Add(field, "required", fmt.Sprintf("%s is required by rule %q", field, r.ID),
				fmt.Sprintf("规则“%s”需要%s", r.ID, field))
		}
	}
	return byID, ok
}

func planSortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// planner computes the lines of one plan.
type planner struct {
	sc     *planScope
	in     PlanInput
	period Period
	months []Period // the calendar months of period
	verr   *gridgov.ValidationError
}

// ruleLines returns the lines of a rule that is not paired.
func (pl *planner) ruleLines(i int, r Rule) ([]PlanLine, error) {
	recips, err := pl.sc.selectRecipients(r.Recipients)
	if err != nil {
		return nil, err
	}
	prefix := fmt.Sprintf("Rules[%d].", i)
	switch r.Kind {
	case RuleFixed:
		return pl.perUnitLines(r, recips, r.Amount, r.Floor), nil
	case RuleStipend:
		return pl.perUnitLines(r, recips, r.stipendAmount(), r.Floor), nil
	case RuleRange:
		return pl.rangeLines(prefix, r, planUnique(recips)), nil
	case RuleGroupCap:
		return pl.groupLines(r, recips)
	case RuleAward:
		return pl.awardLines(r, planUnique(recips)), nil
	}
	return nil, nil
}

// planUnique keeps the first recipient of each ID (ranges and awards pay a person once).
func planUnique(recips []planRecipient) []planRecipient {
	seen := make(map[string]bool, len(recips))
	out := recips[:0:0]
	for _, r := range recips {
		if !seen[r.id] {
			seen[r.id] = true
			out = append(out, r)
		}
	}
	return out
}

// line builds a line for rec under r, adding the rule's name and source to the bodies.
func (pl *planner) line(r Rule, rec planRecipient, period Period, amount, floor decimal.Decimal, en, zh string) PlanLine {
	nameEN, nameZH := r.names()
	en, zh = nameEN+": "+en, nameZH+"："+zh
	if r.Source != "" {
		en += " (paid by " + r.Source + ")"
		zh += "（资金来源：" + r.Source + "）"
	}
	return PlanLine{
		RecipientKind: rec.kind, RecipientID: rec.id, NodeID: rec.nodeID(), RuleID: r.ID,
		Period: period, Amount: amount, Floor: floor, ExplanationEN: en, ExplanationZH: zh,
	}
}

// heldNote says when a person's holding narrows the period, and how it is pro-rated.
func (pl *planner) heldNote(r Rule, rec planRecipient) (en, zh string) {
	if rec.kind != RecipientPerson || rec.held == pl.period {
		return "", ""
	}
	var ens, zhs []string
	if rec.held.Start.After(pl.period.Start) {
		d := rec.held.Start.Format("2006-01-02")
		ens, zhs = append(ens, "appointed "+d), append(zhs, d+"任职")
	}
	if rec.held.End.Before(pl.period.End) {
		d := rec.held.End.Format("2006-01-02")
		ens, zhs = append(ens, "left "+d), append(zhs, d+"离任")
	}
	switch r.ProRate {
	case ProRateMonths:
		ens, zhs = append(ens, "whole months held"), append(zhs, "按整月计")
	case ProRateDays:
		ens, zhs = append(ens, "by days held"), append(zhs, "按天折算")
	default:
		ens, zhs = append(ens, "not pro-rated"), append(zhs, "不折算")
	}
	return " (" + strings.Join(ens, "; ") + ")", "（" + strings.Join(zhs, "；") + "）"
}

// perUnitLines makes the lines of a rule paying unit per Per (fixed grants and stipends),
// floor per Per, pro-rated. Recipients who held their position for the whole period
// share one explanation, computed once.
func (pl *planner) perUnitLines(r Rule, recips []planRecipient, unit, floorUnit decimal.Decimal) []PlanLine {
	per := r.per()
	texts := pl.newUnitTexts(r, per, floorUnit)
	out := make([]PlanLine, 0, len(recips))
	var whole *PlanLine // the line of a recipient who held the whole period
	for _, rec := range recips {
		if whole != nil && rec.held == pl.period {
			l := *whole
			l.RecipientKind, l.RecipientID, l.NodeID = rec.kind, rec.id, rec.nodeID()
			out = append(out, l)
			continue
		}
		share := shareOf(per, r.ProRate, pl.period, pl.months, rec.held)
		if share.isZero() {
			continue
		}
		amount := share.times(unit)
		if amount.IsZero() {
			continue
		}
		l := pl.unitLine(r, rec, texts, share, unit, amount, share.times(floorUnit), "", "")
		if rec.held == pl.period {
			whole = &l
		}
		out = append(out, l)
	}
	return out
}

// unitTexts are the parts of a rule's explanations that do not change from line to line.
type unitTexts struct {
	per                Per
	suffixEN, suffixZH string // ", floor …, cap …"
}

func (pl *planner) newUnitTexts(r Rule, per Per, floorUnit decimal.Decimal) unitTexts {
	t := unitTexts{per: per}
	if floorUnit.IsPositive() {
		fEN, fZH := rateText(floorUnit, per)
		t.suffixEN += ", floor " + fEN
		t.suffixZH += "，不低于" + fZH
	}
	if r.Kind == RuleStipend && r.Cap.IsPositive() {
		cEN, cZH := rateText(r.Cap, per)
		t.suffixEN += ", cap " + cEN
		t.suffixZH += "，不超过" + cZH
	}
	return t
}

// unitLine builds the line of rec paying unit per Per × share; noteEN and noteZH (the
// chooser's words) follow the rate.
func (pl *planner) unitLine(r Rule, rec planRecipient, t unitTexts, share ruleShare, unit, amount, floor decimal.Decimal, noteEN, noteZH string) PlanLine {
	var en, zh strings.Builder
	rateEN, rateZH := rateText(unit, t.per)
	tEN, tZH := timesText(share, t.per)
	hEN, hZH := pl.heldNote(r, rec)
	en.WriteString(rateEN)
	en.WriteString(noteEN)
	en.WriteString(tEN)
	en.WriteString(hEN)
	zh.WriteString(rateZH)
	zh.WriteString(noteZH)
	zh.WriteString(tZH)
	zh.WriteString(hZH)
	if tEN != "" {
		en.WriteString(" = ")
		en.WriteString(planYuan(amount))
		if hZH == "" {
			zh.WriteString(" ")
		}
		zh.WriteString("= ")
		zh.WriteString(planYuanZH(amount))
	}
	en.WriteString(t.suffixEN)
	zh.WriteString(t.suffixZH)
	return pl.line(r, rec, rec.held, amount, floor, en.String(), zh.String())
}

// planList renders up to ten IDs and how many more there are.
func planList(ids []string) string {
	if len(ids) <= 10 {
		return strings.Join(ids, ", ")
	}
	return fmt.Sprintf("%s and %d more", strings.Join(ids[:10], ", "), len(ids)-10)
}

// rangeLines makes the lines of a range rule.
func (pl *planner) rangeLines(prefix string, r Rule, recips []planRecipient) []PlanLine {
	c := r.Chooser
	from, to := c.chooserRange()
	minEN, minZH := planYuan(r.Min), planYuanZH(r.Min)
	maxEN, maxZH := planYuan(r.Max), planYuanZH(r.Max)
	units := make(map[string]decimal.Decimal, len(recips))
	notes := make(map[string][2]string, len(recips))
	var missing []string
	switch c.Kind {
	case ChooseFixed:
		for _, rec := range recips {
			units[rec.id] = c.Amount
			notes[rec.id] = [2]string{
				fmt.Sprintf(" (fixed choice in the range %s–%s)", minEN, maxEN),
				fmt.Sprintf("（在区间%s–%s内固定选择）", minZH, maxZH)}
		}
	case ChooseByLabel:
		label := c.label()
		for _, rec := range recips {
			x, err := decimal.NewFromString(strings.TrimSpace(rec.labels[label]))
			if err != nil || !planSane(x) {
				missing = append(missing, rec.node)
				continue
			}
			units[rec.id] = ruleLinear(r.Min, r.Max, x, from, to)
			notes[rec.id] = [2]string{
				fmt.Sprintf(" (%s %s on a %s–%s scale mapped onto %s–%s)", label, x, from, to, minEN, maxEN),
				fmt.Sprintf("（%s为%s，按%s–%s线性对应区间%s–%s）", label, x, from, to, minZH, maxZH)}
		}
		if len(missing) > 0 {
			field := prefix + "Chooser.Label"
			pl.verr.Add(field, "label",
				fmt.Sprintf("%s: label %q is missing or not a number on %d node(s): %s", field, label, len(missing), planList(missing)),
				fmt.Sprintf("%s：%d个节点缺少数值标签“%s”或其值不是数字：%s", field, len(missing), label, planList(missing)))
		}
	case ChooseByScore:
		scores := pl.in.Scores[r.ID]
		known := make(map[string]bool, len(recips))
		for _, rec := range recips {
			known[rec.id] = true
			x, ok := scores[rec.id]
			if !ok {
				missing = append(missing, rec.id)
				continue
			}
			if !planSane(x) {
				field := fmt.Sprintf("Scores[%s][%s]", r.ID, rec.id)
				pl.verr.Add(field, "number", fmt.Sprintf("%s has too many digits or is too large or too small to use", field),
					fmt.Sprintf("%s位数过多或数值过大、过小，无法使用", field))
				continue
			}
			units[rec.id] = ruleLinear(r.Min, r.Max, x, from, to)
			notes[rec.id] = [2]string{
				fmt.Sprintf(" (score %s on a %s–%s scale mapped onto %s–%s)", x, from, to, minEN, maxEN),
				fmt.Sprintf("（评分%s，按%s–%s线性对应区间%s–%s）", x, from, to, minZH, maxZH)}
		}
		if _, given := pl.in.Scores[r.ID]; given && len(missing) > 0 {
			field := fmt.Sprintf("Scores[%s]", r.ID)
			pl.verr.Add(field, "required", fmt.Sprintf("%s: %d recipient(s) of rule %q have no score: %s", field, len(missing), r.ID, planList(missing)),
				fmt.Sprintf("%s：规则“%s”的%d个对象没有评分：%s", field, r.ID, len(missing), planList(missing)))
		}
		for _, id := range planSortedKeys(scores) {
			if !known[id] {
				pl.unknownRecipient(fmt.Sprintf("Scores[%s][%s]", r.ID, id), r.ID, id)
			}
		}
	}
	kept := recips[:0:0]
	for _, rec := range recips {
		if _, ok := units[rec.id]; ok {
			kept = append(kept, rec)
		}
	}
	out := make([]PlanLine, 0, len(kept))
	per := r.per()
	texts := pl.newUnitTexts(r, per, r.Min)
	for _, rec := range kept {
		share := shareOf(per, r.ProRate, pl.period, pl.months, rec.held)
		unit := units[rec.id]
		amount := share.times(unit)
		if share.isZero() || amount.IsZero() {
			continue
		}
		n := notes[rec.id]
		out = append(out, pl.unitLine(r, rec, texts, share, unit, amount, share.times(r.Min), n[0], n[1]))
	}
	return out
}

// unknownRecipient records an input entry naming somebody the rule does not select.
func (pl *planner) unknownRecipient(field, ruleID, id string) {
	pl.verr.Add(field, "recipient", fmt.Sprintf("%s: %q is not a recipient of rule %q", field, id, ruleID),
		fmt.Sprintf("%s：“%s”不是规则“%s”的发放对象", field, id, ruleID))
}

// awardLines makes the lines of an award rule.
func (pl *planner) awardLines(r Rule, recips []planRecipient) []PlanLine {
	byID := make(map[string]planRecipient, len(recips))
	for _, rec := range recips {
		byID[rec.id] = rec
	}
	rangeEN := fmt.Sprintf("range %s–%s", planYuan(r.Min), planYuan(r.Max))
	rangeZH := fmt.Sprintf("区间%s–%s", planYuanZH(r.Min), planYuanZH(r.Max))
	type award struct {
		amount decimal.Decimal
		en, zh string
	}
	got := map[string]award{}
	if len(r.Bands) > 0 {
		ranking := pl.in.Rankings[r.ID]
		seen := make(map[string]bool, len(ranking))
		for k, id := range ranking {
			field := fmt.Sprintf("Rankings[%s][%d]", r.ID, k)
			if seen[id] {
				pl.verr.Add(field, "unique", fmt.Sprintf("%s: %q is ranked twice", field, id), fmt.Sprintf("%s：“%s”重复排名", field, id))
				continue
			}
			seen[id] = true
			if _, ok := byID[id]; !ok {
				pl.unknownRecipient(field, r.ID, id)
				continue
			}
			rank, from := k+1, 1
			for _, b := range r.Bands {
				if rank <= b.Through {
					ranks, ranksZH := fmt.Sprintf("ranks %d–%d get %s each", from, b.Through, planYuan(b.Amount)), fmt.Sprintf("第%d–%d名", from, b.Through)
					if from == b.Through {
						ranks, ranksZH = fmt.Sprintf("rank %d gets %s", from, planYuan(b.Amount)), fmt.Sprintf("第%d名", from)
					}
					got[id] = award{b.Amount,
						fmt.Sprintf("rank %d of %d ranked; %s (%s)", rank, len(ranking), ranks, rangeEN),
						fmt.Sprintf("排名第%d（共%d名参评）；%s每个%s（%s）", rank, len(ranking), ranksZH, planYuanZH(b.Amount), rangeZH)}
					break
				}
				from = b.Through + 1
			}
		}
	} else {
		grades := pl.in.Grades[r.ID]
		for _, id := range planSortedKeys(grades) {
			if _, ok := byID[id]; !ok {
				pl.unknownRecipient(fmt.Sprintf("Grades[%s][%s]", r.ID, id), r.ID, id)
				continue
			}
			g := grades[id]
			if amount, ok := r.Grades[g]; ok {
				got[id] = award{amount,
					fmt.Sprintf("grade %q gets %s (%s)", g, planYuan(amount), rangeEN),
					fmt.Sprintf("等级“%s”奖励%s（%s）", g, planYuanZH(amount), rangeZH)}
			}
		}
	}
	out := make([]PlanLine, 0, len(got))
	for _, rec := range recips {
		if a, ok := got[rec.id]; ok && a.amount.IsPositive() {
			out = append(out, pl.line(r, rec, pl.period, a.amount, r.Min, a.en, a.zh))
		}
	}
	return out
}

// groupLines makes the lines of a group cap: for each organisation, the members selected
// share the group's amount in every bucket (calendar month, or the whole period), and
// each member's exact share over the period is rounded to the fen by largest remainder.
func (pl *planner) groupLines(r Rule, recips []planRecipient) ([]PlanLine, error) {
	groups := map[string][]int{} // organisation → indices into recips
	var order []string
	for i, rec := range recips {
		if _, ok := groups[rec.orgID]; !ok {
			order = append(order, rec.orgID)
		}
		groups[rec.orgID] = append(groups[rec.orgID], i)
	}
	per := r.per()
	var buckets []Period
	capPer, eachPer := r.Cap, r.Amount
	if per == PerMonth {
		buckets = pl.months
	} else {
		buckets = []Period{pl.period}
		whole := shareOf(per, ProRateNone, pl.period, pl.months, pl.period)
		capPer, eachPer = whole.times(r.Cap), whole.times(r.Amount)
	}
	lines := make([]*PlanLine, len(recips))
	for _, gid := range order {
		members := groups[gid]
		in := make([][]bool, len(members)) // in[i][b]: member i shares bucket b
		counts := make([]int64, len(buckets))
		for i, m := range members {
			held := recips[m].held
			in[i] = make([]bool, len(buckets))
			for b, bk := range buckets {
				in[i][b] = r.ProRate != ProRateMonths || (!bk.Start.Before(held.Start) && !bk.End.After(held.End))
				if in[i][b] {
					counts[b]++
				}
			}
		}
		// The group's total per bucket, and l, the least common multiple of the counts:
		// member i's exact share is Σ total[b]/count[b] = weight[i]/l.
		totals := make([]decimal.Decimal, len(buckets))
		total := decimal.Zero
		l := big.NewInt(1)
		for b := range buckets {
			if counts[b] == 0 {
				continue
			}
			t := capPer
			if eachPer.IsPositive() {
				if due := eachPer.Mul(decimal.NewFromInt(counts[b])); due.LessThan(t) {
					t = due
				}
			}
			totals[b] = t
			total = total.Add(t)
			k := big.NewInt(counts[b])
			g := new(big.Int).GCD(nil, nil, l, k)
			l.Mul(l, k.Quo(k, g))
		}
		if total.IsZero() {
			continue
		}
		weights := make([]decimal.Decimal, len(members))
		for i := range members {
			w := decimal.Zero
			for b := range buckets {
				if in[i][b] {
					f := new(big.Int).Quo(l, big.NewInt(counts[b]))
					w = w.Add(totals[b].Mul(decimal.NewFromBigInt(f, 0)))
				}
			}
			weights[i] = w
		}
		shares, err := SplitByWeights(total, weights)
		if err != nil {
			return nil, err
		}
		for i, m := range members {
			if !shares[i].IsPositive() {
				continue
			}
			en, zh := pl.groupText(r, recips[m], in[i], counts, shares[i], total)
			line := pl.line(r, recips[m], recips[m].held, shares[i], decimal.Zero, en, zh)
			lines[m] = &line
		}
	}
	out := make([]PlanLine, 0, len(recips))
	for _, l := range lines {
		if l != nil {
			out = append(out, *l)
		}
	}
	return out, nil
}

// groupText explains a member's share of a group cap.
func (pl *planner) groupText(r Rule, m planRecipient, in []bool, counts []int64, share, total decimal.Decimal) (en, zh string) {
	per := r.per()
	capEN, capZH := rateText(r.Cap, per)
	var hEN, hZH string
	if r.Amount.IsPositive() {
		eEN, eZH := rateText(r.Amount, per)
		hEN = fmt.Sprintf("%s each, at most %s for the group", eEN, capEN)
		hZH = fmt.Sprintf("每人%s，全组合计不超过%s", eZH, capZH)
	} else {
		hEN = fmt.Sprintf("at most %s for the group", capEN)
		hZH = fmt.Sprintf("全组合计不超过%s", capZH)
	}
	lo, hi, held := int64(-1), int64(0), 0
	for b, ok := range in {
		if !ok {
			continue
		}
		held++
		if lo < 0 || counts[b] < lo {
			lo = counts[b]
		}
		if counts[b] > hi {
			hi = counts[b]
		}
	}
	who, whoZH := fmt.Sprintf("%d", hi), fmt.Sprintf("%d", hi)
	if lo != hi {
		who, whoZH = fmt.Sprintf("%d–%d (by month)", lo, hi), fmt.Sprintf("%d–%d（按月）", lo, hi)
	}
	var overEN, overZH string
	if per == PerMonth {
		unit := "months"
		if held == 1 {
			unit = "month"
		}
		overEN, overZH = fmt.Sprintf(" over %d %s", held, unit), fmt.Sprintf("，计%d个月", held)
	}
	nEN, nZH := pl.heldNote(r, m)
	en = fmt.Sprintf("%s, shared by %s members of %s%s%s = %s of the group's %s (split to the fen by largest remainder)",
		hEN, who, m.orgName, overEN, nEN, planYuan(share), planYuan(total))
	zh = fmt.Sprintf("%s，由%s的%s名成员分享%s%s = %s（全组%s，按最大余额法精确到分）",
		hZH, m.orgName, whoZH, overZH, nZH, planYuanZH(share), planYuanZH(total))
	return en, zh
}

// pairedLines makes a paired rule's lines from the lines of the rule it matches.
func pairedLines(r, matched Rule, lines []PlanLine) []PlanLine {
	ratio := r.Ratio.String() + ":1"
	mEN, mZH := matched.names()
	out := make([]PlanLine, 0, len(lines))
	nameEN, nameZH := r.names()
	for _, ml := range lines {
		amount := ml.Amount.Mul(r.Ratio).Round(2)
		if !amount.IsPositive() {
			continue
		}
		en := fmt.Sprintf("%s: %s match of the %s of %s = %s", nameEN, ratio, mEN, planYuan(ml.Amount), planYuan(amount))
		zh := fmt.Sprintf("%s：按%s配套%s%s = %s", nameZH, ratio, mZH, planYuanZH(ml.Amount), planYuanZH(amount))
		if r.Source != "" {
			en += " (paid by " + r.Source + ")"
			zh += "（资金来源：" + r.Source + "）"
		}
		out = append(out, PlanLine{
			RecipientKind: ml.RecipientKind, RecipientID: ml.RecipientID, NodeID: ml.NodeID, RuleID: r.ID,
			Period: ml.Period, Amount: amount, Floor: ml.Floor.Mul(r.Ratio).Round(2),
			ExplanationEN: en, ExplanationZH: zh,
		})
	}
	return out
}

// scaleDown scales lines (whose sum exceeds budget, whose floors sum to floors ≤ budget) so
// that they sum exactly to budget: each keeps its floor and gets its largest-remainder
// share of budget − floors, weighted by its part above the floor.
func scaleDown(lines []PlanLine, budget, floors decimal.Decimal) error {
	weights := make([]decimal.Decimal, len(lines))
	for i, l := range lines {
		weights[i] = l.Amount.Sub(l.Floor)
	}
	shares, err := SplitByWeights(budget.Sub(floors), weights)
	if err != nil {
		return err
	}
	// Consecutive lines often scale identically (one rule, equal amounts): their
	// explanations are built once.
	var prev struct {
		enIn, zhIn, enOut, zhOut string
		amount, scaled, fl       decimal.Decimal
		set                      bool
	}
	for i := range lines {
		l := &lines[i]
		scaled := l.Floor.Add(shares[i])
		if scaled.Equal(l.Amount) {
			continue
		}
		if prev.set && prev.enIn == l.ExplanationEN && prev.zhIn == l.ExplanationZH &&
			prev.amount.Equal(l.Amount) && prev.scaled.Equal(scaled) && prev.fl.Equal(l.Floor) {
			l.ExplanationEN, l.ExplanationZH, l.Amount = prev.enOut, prev.zhOut, scaled
			continue
		}
		prev.set, prev.enIn, prev.zhIn, prev.amount, prev.scaled, prev.fl = true, l.ExplanationEN, l.ExplanationZH, l.Amount, scaled, l.Floor
		l.ExplanationEN += "; scaled down pro rata from " + planYuan(l.Amount) + " to " + planYuan(scaled) + " (floor " + planYuan(l.Floor) + ")"
		l.ExplanationZH += "；按比例压缩：由" + planYuanZH(l.Amount) + "降至" + planYuanZH(scaled) + "（保底" + planYuanZH(l.Floor) + "）"
		prev.enOut, prev.zhOut = l.ExplanationEN, l.ExplanationZH
		l.Amount = scaled
	}
	return nil
}

// planTotals fills Total, ByRule (every rule) and ByNode.
func planTotals(p *Plan, rules []Rule) {
	p.Total = decimal.Zero
	p.ByRule = make(map[string]decimal.Decimal, len(rules))
	p.ByNode = make(map[string]decimal.Decimal, len(p.Lines))
	for _, r := range rules {
		p.ByRule[r.ID] = decimal.Zero
	}
	for _, l := range p.Lines {
		p.Total = p.Total.Add(l.Amount)
		p.ByRule[l.RuleID] = p.ByRule[l.RuleID].Add(l.Amount)
		p.ByNode[l.NodeID] = p.ByNode[l.NodeID].Add(l.Amount)
	}
}
