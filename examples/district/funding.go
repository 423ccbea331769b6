package main

import (
	"context"
	"fmt"
	"time"

	"github.com/shopspring/decimal"

	"github.com/gridgov/gridgov"
	"github.com/gridgov/gridgov/evaluation"
	"github.com/gridgov/gridgov/examples/internal/sim"
	"github.com/gridgov/gridgov/funding"
	"github.com/gridgov/gridgov/governance"
	"github.com/gridgov/gridgov/store/memory"
)

// The district's special fund (党建引领网格化治理专项资金), appropriated in two tranches
// (资金分批到位): 60% in January, the rest on 1 July.
const (
	fundID       = "special"
	firstTranche = 60 // percent
)

// yuan returns v yuan.
func yuan(v int64) decimal.Decimal { return decimal.NewFromInt(v) }

// awardReserve is what the year's plan keeps back for the year-end awards: the most the
// community awards (Jiaocheng: ¥30,000 + 2 × ¥20,000 + 2 × ¥10,000) and the firm awards
// (¥20,000 + 2 × ¥10,000) can pay.
func awardReserve() decimal.Decimal { return yuan(90_000 + 40_000) }

// rules are the year's funding rules, as data: start-up grants for pilot communities by
// households, working funds for every compound Party branch, a stipend of at least ¥200 a
// month (planned at ¥300) for their secretaries, and at most ¥1,000 a month shared by the
// committee of each retired members' branch.
func rules() []funding.Rule {
	branches := funding.Selector{Kind: funding.RecipientOrganisation, LevelKind: governance.KindCompound,
		OrgKinds: []governance.OrgKind{governance.OrgPartyBranch}}
	secretaries := branches
	secretaries.Kind, secretaries.Roles = funding.RecipientPerson, []governance.Role{governance.RoleSecretary}
	return []funding.Rule{
		{ID: "startup", Kind: funding.RuleRange, NameEN: "pilot community start-up grant", NameZH: "试点社区启动资金", Source: "district",
			Recipients: funding.Selector{Kind: funding.RecipientNode, LevelKind: governance.KindCommunity, Labels: map[string]string{"pilot": "true"}},
			Min:        yuan(100_000), Max: yuan(150_000),
			Chooser: funding.Chooser{Kind: funding.ChooseByLabel, Label: funding.LabelHouseholds, From: yuan(2000), To: yuan(10_000)}},
		{ID: "working", Kind: funding.RuleFixed, NameEN: "compound Party-branch working funds", NameZH: "小区党支部工作经费", Source: "district",
			Recipients: branches, Per: funding.PerYear, Amount: yuan(2000), Floor: yuan(2000)},
		{ID: "stipend", Kind: funding.RuleStipend, NameEN: "branch secretary stipend", NameZH: "小区党支部书记津贴", Source: "district",
			Recipients: secretaries, Amount: yuan(300), Floor: yuan(200), ProRate: funding.ProRateMonths},
		{ID: "retired", Kind: funding.RuleGroupCap, NameEN: "retired members' branch committee allowance", NameZH: "离退休党员支部委员补贴", Source: "district",
			Recipients: funding.Selector{Kind: funding.RecipientPerson, OrgKinds: []governance.OrgKind{governance.OrgPartyBranch},
				OrgNameContains: []string{"离退休"}}, Cap: yuan(1000)},
	}
}

// awardRules turn the evaluation's award tiers into funding award rules: the ranking comes
// from evaluation.Recipients.
func awardRules() []funding.Rule {
	bands := func(r evaluation.ExcellenceRule) []funding.Band {
		var out []funding.Band
		for _, t := range r.Tiers {
			out = append(out, funding.Band(t))
		}
		return out
	}
	comm, firm := evaluation.JiaochengAwards(), firmAwards()
	return []funding.Rule{
		{ID: "award-community", Kind: funding.RuleAward, NameEN: "outstanding community award", NameZH: "优秀社区奖励", Source: "district",
			Recipients: funding.Selector{Kind: funding.RecipientNode, LevelKind: governance.KindCommunity},
			Min:        comm.Min, Max: comm.Max, Bands: bands(comm)},
		{ID: "award-firm", Kind: funding.RuleAward, NameEN: "excellent property service award", NameZH: "优秀物业服务企业奖励", Source: "district",
			Recipients: funding.Selector{Kind: funding.RecipientOrganisation, OrgKinds: []governance.OrgKind{governance.OrgPropertyFirm}},
			Min:        firm.Min, Max: firm.Max, Bands: bands(firm)},
	}
}

// money is the year's funding: the fund, the plan, the awards and what the ledger paid.
type money struct {
	tr          *funding.Treasury
	budget      decimal.Decimal
	plan        funding.Plan
	awards      funding.Plan
	january     funding.DisburseSummary // the plan's first run, on the first tranche
	july        funding.DisburseSummary // its second run, once the second tranche arrived
	midyear     funding.PlanActual      // the plan against the ledger before the second tranche
	actual      funding.PlanActual      // the plan against the ledger at year end
	awardActual funding.PlanActual
	left        decimal.Decimal // the fund's balance at the end
}

// finance is the district finance bureau, which creates the fund and appropriates money.
var finance = gridgov.SystemActor("district-finance")

// openFunds creates the fund, appropriates the first tranche, plans the year and pays
// what the tranche covers (on the first working days of January).
func openFunds(ctx context.Context, w *world, yr int) (*money, error) {
	tr, err := funding.NewTreasury(memory.NewFundingStore(), w.reg, funding.WithClock(w.clock), funding.WithIDs(gridgov.NewSequence("pst")))
	if err != nil {
		return nil, err
	}
	m := &money{tr: tr, budget: yuan(w.size.Budget)}
	period := funding.Year(yr, sim.CST)
	if _, err := tr.CreateFund(ctx, finance, funding.FundInput{ID: fundID, Name: "党建引领网格化治理专项资金", NodeID: w.District,
		Period: period, Budget: m.budget}); err != nil {
		return nil, err
	}
	if err := m.appropriate(ctx, 1, m.budget.Mul(yuan(firstTranche)).Div(yuan(100)).Round(2)); err != nil {
		return nil, err
	}
	m.plan, err = tr.Plan(ctx, funding.PlanInput{ID: fmt.Sprintf("plan-%d", yr), FundID: fundID,
		Budget: m.budget.Sub(awardReserve()), Period: period, Rules: rules()})
	if err != nil {
		return nil, err
	}
	m.january, err = m.pay(ctx, w, m.plan)
	if err != nil {
		return nil, err
	}
	m.midyear, err = tr.PlanVsActual(ctx, m.plan)
	return m, err
}

// appropriate puts tranche's amount into the fund (idempotent by tranche).
func (m *money) appropriate(ctx context.Context, tranche int, amount decimal.Decimal) error {
	_, err := m.tr.Appropriate(ctx, finance, funding.AppropriationInput{FundID: fundID, Source: "district-finance",
		Amount: amount, Reason: fmt.Sprintf("tranche %d (第%d批)", tranche, tranche), Key: fmt.Sprintf("appropriation-%d", tranche)})
	return err
}

// pay runs the plan through the ledger as the district Party committee secretary: lines
// the fund cannot cover yet fail whole and are paid by a later run (same keys, paid once).
func (m *money) pay(ctx context.Context, w *world, p funding.Plan) (funding.DisburseSummary, error) {
	sum, err := m.tr.DisbursePlan(ctx, gridgov.PersonActor(w.Approver), p, funding.DisbursePlanOptions{})
	if err != nil && len(sum.Failed) == 0 {
		return sum, err
	}
	return sum, nil
}

// secondTranche appropriates the rest of the budget on 1 July and pays the plan's
// outstanding lines.
func (m *money) secondTranche(ctx context.Context, w *world) error {
	if err := m.appropriate(ctx, 2, m.budget.Sub(m.budget.Mul(yuan(firstTranche)).Div(yuan(100)).Round(2))); err != nil {
		return err
	}
	var err error
	m.july, err = m.pay(ctx, w, m.plan)
	if err == nil && len(m.july.Failed) > 0 {
		err = fmt.Errorf("plan lines still unpaid after the second tranche: %d", len(m.july.Failed))
	}
	return err
}

// award plans and pays the year-end awards from what is left of the fund, with the
// rankings the evaluation's excellence selection recommends.
func (m *money) award(ctx context.Context, w *world, yr int, end *yearEnd) error {
	left, err := m.tr.FundBalance(ctx, fundID)
	if err != nil {
		return err
	}
	m.awards, err = m.tr.Plan(ctx, funding.PlanInput{ID: fmt.Sprintf("awards-%d", yr), FundID: fundID, Budget: left.Amount,
		Period: funding.Year(yr, sim.CST), Rules: awardRules(),
		Rankings: map[string][]string{"award-community": evaluation.Recipients(end.commAwards), "award-firm": evaluation.Recipients(end.firmAwards)}})
	if err != nil {
		return err
	}
	sum, err := m.pay(ctx, w, m.awards)
	if err != nil {
		return err
	}
	if len(sum.Failed) > 0 {
		return fmt.Errorf("award lines unpaid: %d", len(sum.Failed))
	}
	if m.actual, err = m.tr.PlanVsActual(ctx, m.plan); err != nil {
		return err
	}
	if m.awardActual, err = m.tr.PlanVsActual(ctx, m.awards); err != nil {
		return err
	}
	bal, err := m.tr.FundBalance(ctx, fundID)
	m.left = bal.Amount
	return err
}

// secondTrancheAt is when the second tranche arrives: 1 July, 09:00.
func secondTrancheAt(yr int) time.Time { return time.Date(yr, time.July, 1, 9, 0, 0, 0, sim.CST) }
