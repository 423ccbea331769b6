package funding_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"time"

	"github.com/shopspring/decimal"

	"github.com/gridgov/gridgov"
	"github.com/gridgov/gridgov/funding"
	"github.com/gridgov/gridgov/governance"
	"github.com/gridgov/gridgov/store/memory"
)

// lgExampleTreasury returns a treasury over the memory stores with a street (st), a
// community (c1) whose Party committee secretary is "wang", a resident "li" living in c1,
// and a community fund "c1-fund" holding ¥3,000.00.
func lgExampleTreasury() (*funding.Treasury, *gridgov.FakeClock) {
	ctx := context.Background()
	clock := gridgov.NewFakeClock(time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC))
	reg, err := governance.NewRegistry(memory.NewGovernanceStore(), governance.WithClock(clock))
	lgMust(err)
	sys := gridgov.SystemActor("setup")
	_, err = reg.AddNode(ctx, sys, governance.NodeInput{ID: "st", Level: "street", Name: "广惠路街道"})
	lgMust(err)
	_, err = reg.AddNode(ctx, sys, governance.NodeInput{ID: "c1", ParentID: "st", Level: "community", Name: "清泰社区"})
	lgMust(err)
	_, err = reg.AddOrganisation(ctx, sys, governance.OrganisationInput{ID: "c1-pc", NodeID: "c1", Kind: governance.OrgPartyCommittee, Name: "清泰社区党委"})
	lgMust(err)
	for _, id := range []string{"wang", "li"} {
		_, err = reg.AddPerson(ctx, sys, governance.PersonInput{ID: id, Name: id, HomeNodeID: "c1"})
		lgMust(err)
	}
	_, err = reg.Appoint(ctx, sys, governance.AppointInput{PersonID: "wang", OrgID: "c1-pc", Role: governance.RoleSecretary})
	lgMust(err)
	tr, err := funding.NewTreasury(memory.NewFundingStore(), reg, funding.WithIDs(gridgov.NewSequence("p")))
	lgMust(err)
	_, err = tr.CreateFund(ctx, sys, funding.FundInput{ID: "c1-fund", Name: "清泰社区为民服务资金", NodeID: "c1",
		Period: funding.Year(2026, nil), Budget: decimal.RequireFromString("3000")})
	lgMust(err)
	_, err = tr.Appropriate(ctx, sys, funding.AppropriationInput{FundID: "c1-fund", Source: "district-finance",
		Amount: decimal.RequireFromString("3000"), Reason: "2026 appropriation", Key: "appr-2026"})
	lgMust(err)
	return tr, clock
}

func lgMust(err error) {
	if err != nil {
		panic(err)
	}
}

// The community secretary pays a resident's stipend; the retry of the same request (same
// key) pays nothing more, and a payment the fund cannot cover is refused whole.
func ExampleTreasury_Disburse() {
	ctx := context.Background()
	tr, _ := lgExampleTreasury()
	wang := gridgov.PersonActor("wang")

	in := funding.DisburseInput{FundID: "c1-fund", RecipientKind: funding.RecipientPerson, RecipientID: "li",
		Amount: decimal.RequireFromString("1200.50"), Reason: "grid volunteer stipend, Q1", Key: "stipend-li-2026q1"}
	p, err := tr.Disburse(ctx, wang, in)
	lgMust(err)
	_, err = tr.Disburse(ctx, wang, in) // a retry
	lgMust(err)
	fund, _ := tr.FundBalance(ctx, "c1-fund")
	li, _ := tr.Balance(ctx, funding.RecipientAccountID(funding.RecipientPerson, "li"))
	fmt.Println(p.ID, p.Key)
	fmt.Println("fund:", fund.Amount.StringFixed(2), "li:", li.Amount.StringFixed(2))

	in.Amount, in.Key = decimal.RequireFromString("2000"), "stipend-li-2026q2"
	_, err = tr.Disburse(ctx, wang, in)
	fmt.Println(errors.Is(err, gridgov.ErrBudgetExceeded))

	_, err = tr.Disburse(ctx, gridgov.PersonActor("li"), in)
	fmt.Println(errors.Is(err, gridgov.ErrForbidden))
	// Output:
	// p-000002 stipend-li-2026q1
	// fund: 1799.50 li: 1200.50
	// true
	// true
}

// A plan is paid line by line; its report compares each line with what the ledger paid.
func ExampleTreasury_DisbursePlan() {
	ctx := context.Background()
	tr, _ := lgExampleTreasury()
	line := func(rule, amount string) funding.PlanLine {
		return funding.PlanLine{RecipientKind: funding.RecipientPerson, RecipientID: "li", NodeID: "c1", RuleID: rule,
			Period: funding.Year(2026, nil), Amount: decimal.RequireFromString(amount)}
	}
	plan := funding.Plan{ID: "plan-2026", FundID: "c1-fund", Lines: []funding.PlanLine{
		line("stipend", "2400"), line("award", "1000"), line("phone", "300"),
	}}
	sum, err := tr.DisbursePlan(ctx, gridgov.PersonActor("wang"), plan, funding.DisbursePlanOptions{})
	fmt.Println(len(sum.Paid), "paid,", len(sum.Failed), "failed:", errors.Is(err, gridgov.ErrBudgetExceeded))

	rep, err := tr.PlanVsActual(ctx, plan)
	lgMust(err)
	lgMust(funding.WriteCSV(os.Stdout, append(rep.Lines, rep.Total), gridgov.Chinese))
	// Output:
	// 2 paid, 1 failed: true
	// 行号,对象类型,对象,规则,节点,期间,计划金额,已拨付,已冲销,净拨付,执行率
	// 0,person,li,stipend,c1,2026-01-01..2027-01-01,2400.00,2400.00,0.00,2400.00,1.0000
	// 1,person,li,award,c1,2026-01-01..2027-01-01,1000.00,0.00,0.00,0.00,0.0000
	// 2,person,li,phone,c1,2026-01-01..2027-01-01,300.00,300.00,0.00,300.00,1.0000
	// ,,,,,,3700.00,2700.00,0.00,2700.00,0.7297
}

// Grid points: a resident earns points for volunteering, redeems some, and the rest lapse
// after the policy's twelve months.
func ExamplePointsBook_EarnPoints() {
	ctx := context.Background()
	tr, clock := lgExampleTreasury()
	book, err := tr.Points(funding.PointsPolicy{
		ValidityMonths: 12,
		Activities:     map[string]int64{"volunteer-hour": 10},
		Catalogue:      []funding.CatalogueItem{{ID: "soap", Name: "肥皂", Points: 30}},
	})
	lgMust(err)
	wang, li := gridgov.PersonActor("wang"), gridgov.PersonActor("li")

	for i := range 5 {
		_, err := book.EarnPoints(ctx, wang, funding.EarnInput{PersonID: "li", Activity: "volunteer-hour", Key: fmt.Sprintf("vh-%d", i)})
		lgMust(err)
	}
	_, err = book.RedeemPoints(ctx, li, funding.RedeemInput{PersonID: "li", ItemID: "soap", Quantity: 1, Key: "soap-1"})
	lgMust(err)
	_, err = book.RedeemPoints(ctx, li, funding.RedeemInput{PersonID: "li", ItemID: "soap", Quantity: 1, Key: "soap-2"})
	fmt.Println("second soap refused:", errors.Is(err, gridgov.ErrBudgetExceeded))

	st, err := book.PointsBalance(ctx, "li", clock.Now().AddDate(0, 11, 15))
	lgMust(err)
	fmt.Println("balance", st.Balance, "expiring by", st.SoonUntil.Format(time.DateOnly)+":", st.ExpiringSoon)

	clock.Set(clock.Now().AddDate(1, 0, 0))
	res, err := book.ExpirePoints(ctx, gridgov.SystemActor("nightly"), "li", clock.Now())
	lgMust(err)
	st, err = book.PointsBalance(ctx, "li", clock.Now())
	lgMust(err)
	fmt.Println("expired", res.Expired, "balance", st.Balance)
	// Output:
	// second soap refused: true
	// balance 20 expiring by 2027-03-19: 20
	// expired 20 balance 0
}
