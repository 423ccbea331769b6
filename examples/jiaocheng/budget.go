package main

import (
	"cmp"
	"context"
	"slices"

	"github.com/shopspring/decimal"

	"github.com/gridgov/gridgov"
	"github.com/gridgov/gridgov/escalation"
	"github.com/gridgov/gridgov/examples/internal/sim"
	"github.com/gridgov/gridgov/funding"
	"github.com/gridgov/gridgov/governance"
	"github.com/gridgov/gridgov/store/memory"
)

// budgetPerUnit is the district's special fund for the practice (区财政专项资金 400万) per
// unit of -scale.
var budgetPerUnit = funding.MustMoney("4000000")

// fundID is the special fund's ID.
const fundID = "jc-special"

// awardees is how many communities, per unit of scale, share the awards: the best 1 gets
// ¥30,000, the next 2 ¥20,000 and the next 2 ¥10,000.
const awardees = 5

// rules are the funding package's rules for Jiaocheng, as data (资金规则). The selectors
// find recipients in the organisation tree, not in hand-made lists.
func rules(scale int) []funding.Rule {
	branches := funding.Selector{Kind: funding.RecipientOrganisation, LevelKind: governance.KindCompound,
		OrgKinds: []governance.OrgKind{governance.OrgPartyBranch}}
	secretaries := branches
	secretaries.Kind, secretaries.Roles = funding.RecipientPerson, []governance.Role{governance.RoleSecretary}
	yuan := funding.MustMoney
	return []funding.Rule{
		{ID: "startup", Kind: funding.RuleRange, NameEN: "pilot community start-up grant", NameZH: "试点社区启动资金", Source: "district",
			Recipients: funding.Selector{Kind: funding.RecipientNode, LevelKind: governance.KindCommunity, Labels: map[string]string{"pilot": "true"}},
			Min:        yuan("100000"), Max: yuan("150000"),
			Chooser: funding.Chooser{Kind: funding.ChooseByLabel, Label: funding.LabelHouseholds, To: yuan("1200")}},
		{ID: "working", Kind: funding.RuleFixed, NameEN: "compound Party-branch working funds", NameZH: "小区党支部工作经费", Source: "district",
			Recipients: branches, Per: funding.PerYear, Amount: yuan("2000"), Floor: yuan("2000")},
		{ID: "stipend", Kind: funding.RuleStipend, NameEN: "compound Party-branch secretary stipend", NameZH: "小区党支部书记津贴", Source: "district",
			Recipients: secretaries, Floor: yuan("200"), ProRate: funding.ProRateMonths},
		{ID: "retired", Kind: funding.RuleGroupCap, NameEN: "retired-members' branch committee allowance", NameZH: "离退休党员支部委员补贴", Source: "district",
			Recipients: funding.Selector{Kind: funding.RecipientPerson, OrgKinds: []governance.OrgKind{governance.OrgPartyBranch},
				OrgNameContains: []string{"离退休"},
				Roles:           []governance.Role{governance.RoleSecretary, governance.RoleDeputySecretary, governance.RoleMember}},
			Cap: yuan("1000")},
		{ID: "award", Kind: funding.RuleAward, NameEN: "outstanding community award", NameZH: "优秀社区奖励", Source: "district",
			Recipients: funding.Selector{Kind: funding.RecipientNode, LevelKind: governance.KindCommunity},
			Min:        yuan("10000"), Max: yuan("30000"),
			Bands: []funding.Band{{Through: scale, Amount: yuan("30000")}, {Through: 3 * scale, Amount: yuan("20000")},
				{Through: awardees * scale, Amount: yuan("10000")}}},
	}
}

// standing is one community's rapid-response result, for the award ranking.
type standing struct {
	community int
	metrics   escalation.Report
	within2   decimal.Decimal
}

// money is what the funding side leaves for the report.
type money struct {
	budget      decimal.Decimal
	plan        funding.Plan
	paid        funding.DisburseSummary
	actual      funding.PlanActual
	utilisation funding.FundUtilisation
	balance     decimal.Decimal
	ranking     []standing
}

// rank orders the communities by their share of property complaints resolved within 2
// days, then by satisfaction, then by ID (评优: the yearly selection of excellent units).
func rank(ctx context.Context, w *world, out *outcome) ([]standing, error) {
	var st []standing
	for i, c := range w.communities {
		m, err := out.eng.Metrics(ctx, escalation.MetricsQuery{NodeID: c.id, From: out.from, To: out.to, Category: "property"})
		if err != nil {
			return nil, err
		}
		st = append(st, standing{community: i, metrics: m, within2: within(m, 2).Value()})
	}
	slices.SortStableFunc(st, func(a, b standing) int {
		return cmp.Or(b.within2.Cmp(a.within2), b.metrics.Satisfaction.Value().Cmp(a.metrics.Satisfaction.Value()),
			cmp.Compare(w.communities[a.community].id, w.communities[b.community].id))
	})
	return st, nil
}

// within returns the share of settled complaints resolved within days of submission.
func within(m escalation.Report, days int) escalation.Rate {
	for _, wd := range m.Within {
		if wd.Days == days {
			return wd.Rate
		}
	}
	return escalation.Rate{}
}

// fund sets the special fund up, appropriates the budget from district finance, plans it
// from the rules (awards to the best communities of the year) and pays the plan through
// the ledger.
func fund(ctx context.Context, w *world, out *outcome, scale, year int) (*money, error) {
	t, err := funding.NewTreasury(memory.NewFundingStore(), w.reg, funding.WithClock(w.clock),
		funding.WithIDs(gridgov.NewSequence("fd")))
	if err != nil {
		return nil, err
	}
	m := &money{budget: budgetPerUnit.Mul(decimal.NewFromInt(int64(scale)))}
	if m.ranking, err = rank(ctx, w, out); err != nil {
		return nil, err
	}
	approver := gridgov.PersonActor(w.approver)
	period := funding.Year(year, sim.CST)
	if _, err := t.CreateFund(ctx, approver, funding.FundInput{ID: fundID, Name: "近邻党建专项资金", NodeID: w.root,
		Period: period, Budget: m.budget}); err != nil {
		return nil, err
	}
	if _, err := t.Appropriate(ctx, approver, funding.AppropriationInput{FundID: fundID, Source: "district-finance",
		Amount: m.budget, Reason: "区财政安排近邻党建专项资金", Key: "appropriation"}); err != nil {
		return nil, err
	}
	var best []string
	for _, s := range m.ranking[:min(awardees*scale, len(m.ranking))] {
		best = append(best, w.communities[s.community].id)
	}
	if m.plan, err = t.Plan(ctx, funding.PlanInput{ID: "jc-plan", FundID: fundID, Period: period, Rules: rules(scale),
		Rankings: map[string][]string{"award": best}}); err != nil {
		return nil, err
	}
	if m.paid, err = t.DisbursePlan(ctx, approver, m.plan, funding.DisbursePlanOptions{Reason: "近邻党建专项资金拨付"}); err != nil {
		return nil, err
	}
	if m.actual, err = t.PlanVsActual(ctx, m.plan); err != nil {
		return nil, err
	}
	if m.utilisation, err = t.Utilisation(ctx, fundID); err != nil {
		return nil, err
	}
	b, err := t.FundBalance(ctx, fundID)
	if err != nil {
		return nil, err
	}
	m.balance = b.Amount
	return m, nil
}
