package funding_test

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/shopspring/decimal"

	"github.com/gridgov/gridgov"
	"github.com/gridgov/gridgov/funding"
	"github.com/gridgov/gridgov/governance"
	"github.com/gridgov/gridgov/store/memory"
)

// planExampleStore stands in for a funding.Store: planning with a budget given reads
// nothing from it.
type planExampleStore struct{ funding.Store }

// planExample builds a small district on the in-memory governance store: one pilot
// community with two compounds, each with a Party branch and a secretary (one appointed
// on 1 June 2025), and a treasury over it.
func planExample() *funding.Treasury {
	ctx, sys := context.Background(), gridgov.SystemActor("example")
	cst := time.FixedZone("CST", 8*3600)
	scheme := governance.Scheme{Name: "district", Levels: []governance.Level{
		{Key: "district", Kind: governance.KindDistrict, NameZH: "区", NameEN: "district"},
		{Key: "street", Kind: governance.KindStreet, NameZH: "街道", NameEN: "street"},
		{Key: "community", Kind: governance.KindCommunity, NameZH: "社区", NameEN: "community"},
		{Key: "compound", Kind: governance.KindCompound, NameZH: "小区", NameEN: "compound"},
	}}
	reg, err := governance.NewRegistry(memory.NewGovernanceStore(), governance.WithScheme(scheme),
		governance.WithClock(gridgov.NewFakeClock(time.Date(2026, 1, 5, 9, 0, 0, 0, cst))))
	must := func(_ any, err error) {
		if err != nil {
			panic(err)
		}
	}
	must(reg, err)
	must(reg.AddNode(ctx, sys, governance.NodeInput{ID: "jc", Level: "district", Name: "蕉城区"}))
	must(reg.AddNode(ctx, sys, governance.NodeInput{ID: "s1", ParentID: "jc", Level: "street", Name: "蕉南街道"}))
	must(reg.AddNode(ctx, sys, governance.NodeInput{ID: "c1", ParentID: "s1", Level: "community", Name: "城南社区",
		Labels: map[string]string{"pilot": "true", "households": "420"}}))
	for i, since := range []time.Time{time.Date(2024, 3, 1, 0, 0, 0, 0, cst), time.Date(2025, 6, 1, 0, 0, 0, 0, cst)} {
		k, b, p := fmt.Sprintf("k%d", i+1), fmt.Sprintf("b%d", i+1), fmt.Sprintf("p%d", i+1)
		must(reg.AddNode(ctx, sys, governance.NodeInput{ID: k, ParentID: "c1", Level: "compound", Name: "小区" + k}))
		must(reg.AddOrganisation(ctx, sys, governance.OrganisationInput{ID: b, NodeID: k, Kind: governance.OrgPartyBranch, Name: k + "党支部"}))
		must(reg.AddPerson(ctx, sys, governance.PersonInput{ID: p, Name: "书记" + p, Party: governance.PartyResident}))
		must(reg.Appoint(ctx, sys, governance.AppointInput{PersonID: p, OrgID: b, Role: governance.RoleSecretary, Since: since}))
	}
	t, err := funding.NewTreasury(planExampleStore{}, reg)
	must(t, err)
	return t
}

// planExampleRules are three Jiaocheng rules: a start-up grant by households for pilot
// communities, working funds for compound Party branches and a stipend with a floor for
// their secretaries.
func planExampleRules() []funding.Rule {
	branches := funding.Selector{Kind: funding.RecipientOrganisation, LevelKind: governance.KindCompound,
		OrgKinds: []governance.OrgKind{governance.OrgPartyBranch}}
	secretaries := branches
	secretaries.Kind, secretaries.Roles = funding.RecipientPerson, []governance.Role{governance.RoleSecretary}
	return []funding.Rule{
		{ID: "startup", Kind: funding.RuleRange, NameEN: "start-up grant", NameZH: "启动资金",
			Recipients: funding.Selector{Kind: funding.RecipientNode, LevelKind: governance.KindCommunity, Labels: map[string]string{"pilot": "true"}},
			Min:        decimal.RequireFromString("100000"), Max: decimal.RequireFromString("150000"),
			Chooser: funding.Chooser{Kind: funding.ChooseByLabel, Label: funding.LabelHouseholds, To: decimal.RequireFromString("1200")}},
		{ID: "working", Kind: funding.RuleFixed, NameEN: "working funds", NameZH: "工作经费", Recipients: branches,
			Per: funding.PerYear, Amount: decimal.RequireFromString("2000"), Floor: decimal.RequireFromString("2000")},
		{ID: "stipend", Kind: funding.RuleStipend, NameEN: "secretary stipend", NameZH: "书记津贴", Recipients: secretaries,
			Floor: decimal.RequireFromString("200"), ProRate: funding.ProRateMonths},
	}
}

// A year's plan from three rules: every line says how its amount was found.
func ExampleTreasury_Plan() {
	t := planExample()
	plan, err := t.Plan(context.Background(), funding.PlanInput{
		ID: "jc-2025", Budget: decimal.RequireFromString("200000"),
		Period: funding.Year(2025, time.FixedZone("CST", 8*3600)), Rules: planExampleRules(),
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, l := range plan.Lines {
		fmt.Printf("%-8s %-3s %10s  %s\n", l.RuleID, l.RecipientID, l.Amount.StringFixed(2), l.ExplanationEN)
	}
	fmt.Println("total", plan.Total.StringFixed(2), "of", plan.Budget.StringFixed(2))
	fmt.Println("stipends", plan.ByRule["stipend"].StringFixed(2), "compound k2", plan.ByNode["k2"].StringFixed(2))
	fmt.Println(plan.Lines[4].ExplanationZH)
	// Output:
	// startup  c1   117500.00  start-up grant: ¥117,500.00 (households 420 on a 0–1200 scale mapped onto ¥100,000.00–¥150,000.00), floor ¥100,000.00
	// working  b1     2000.00  working funds: ¥2,000.00/year × 1 year = ¥2,000.00, floor ¥2,000.00/year
	// working  b2     2000.00  working funds: ¥2,000.00/year × 1 year = ¥2,000.00, floor ¥2,000.00/year
	// stipend  p1     2400.00  secretary stipend: ¥200.00/month × 12 months = ¥2,400.00, floor ¥200.00/month
	// stipend  p2     1400.00  secretary stipend: ¥200.00/month × 7 months (appointed 2025-06-01; whole months held) = ¥1,400.00, floor ¥200.00/month
	// total 125300.00 of 200000.00
	// stipends 3800.00 compound k2 3400.00
	// 书记津贴：每月200.00元 × 7个月（2025-06-01任职；按整月计）= 1,400.00元，不低于每月200.00元
}

// Over budget, the plan fails with the shortfall; asked to scale down, it keeps every
// floor and spends the budget exactly.
func ExampleBudgetError() {
	t := planExample()
	in := funding.PlanInput{Budget: decimal.RequireFromString("110000"),
		Period: funding.Year(2025, time.FixedZone("CST", 8*3600)), Rules: planExampleRules()}
	_, err := t.Plan(context.Background(), in)
	var berr *funding.BudgetError
	if errors.As(err, &berr) {
		fmt.Println(errors.Is(err, gridgov.ErrBudgetExceeded), "short by", berr.Shortfall.StringFixed(2))
		fmt.Println(err)
	}

	in.ScaleDown = true
	plan, err := t.Plan(context.Background(), in)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("scaled:", plan.Scaled, "total", plan.Total.StringFixed(2))
	fmt.Println(plan.Lines[0].ExplanationEN)

	in.Budget = decimal.RequireFromString("100000")
	_, err = t.Plan(context.Background(), in)
	fmt.Println(err)
	// Output:
	// true short by 15300.00
	// gridgov: budget exceeded (超出预算): the plan needs ¥125,300.00 but the budget is ¥110,000.00, short by ¥15,300.00 (计划需要125,300.00元，预算110,000.00元，缺口15,300.00元)
	// scaled: true total 110000.00
	// start-up grant: ¥117,500.00 (households 420 on a 0–1200 scale mapped onto ¥100,000.00–¥150,000.00), floor ¥100,000.00; scaled down pro rata from ¥117,500.00 to ¥102,200.00 (floor ¥100,000.00)
	// gridgov: budget exceeded (超出预算): the floors alone need ¥107,800.00 but the budget is ¥100,000.00, short by ¥7,800.00 even after scaling down (保底金额合计107,800.00元，预算100,000.00元，即使按比例压缩仍缺口7,800.00元)
}

// Rules are data; Validate names every bad field in English and Chinese.
func ExampleRule_Validate() {
	r := funding.Rule{ID: "stipend", Kind: funding.RuleStipend,
		Recipients: funding.Selector{Kind: funding.RecipientPerson, Roles: []governance.Role{governance.RoleSecretary}},
		Floor:      decimal.RequireFromString("300"), Cap: decimal.RequireFromString("200.005")}
	var verr *gridgov.ValidationError
	if errors.As(r.Validate(), &verr) {
		for _, f := range verr.Fields {
			fmt.Println(f.Field+":", f.EN, "/", f.ZH)
		}
	}
	// Output:
	// Cap: Cap must be whole fen (at most 2 decimal places), not 200.005 / Cap必须精确到分（最多两位小数），而不是200.005
	// Floor: Floor (300) must not be above Cap (200.005) / Floor（300）不能高于Cap（200.005）
}

// The "double ¥100,000" (双十万): a service fund and a working fund for every community.
func ExampleDoubleGrant() {
	communities := funding.Selector{Kind: funding.RecipientNode, LevelKind: governance.KindCommunity}
	hundredK := decimal.RequireFromString("100000")
	for _, r := range funding.DoubleGrant("double", communities, hundredK, hundredK) {
		fmt.Println(r.ID, r.Kind, r.NameZH, r.Amount.StringFixed(2), "per", r.Per, r.Validate() == nil)
	}
	// Output:
	// double.service fixed 服务群众专项经费 100000.00 per year true
	// double.working fixed 工作经费 100000.00 per year true
}
