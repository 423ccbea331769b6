package funding_test

import (
	"fmt"

	"github.com/shopspring/decimal"

	"github.com/gridgov/gridgov/funding"
)

// Amounts as they appear in policy documents, parsed exactly and written back both ways.
func ExampleParseMoney() {
	for _, s := range []string{"4000000", "¥4,000,000.00", "400万", "1.5万", "1.234元"} {
		d, err := funding.ParseMoney(s)
		if err != nil {
			fmt.Printf("%-14s refused\n", s)
			continue
		}
		fmt.Printf("%-14s %s  %s\n", s, funding.FormatYuan(d), funding.FormatWan(d))
	}
	// Output:
	// 4000000        ¥4,000,000.00  400万
	// ¥4,000,000.00  ¥4,000,000.00  400万
	// 400万           ¥4,000,000.00  400万
	// 1.5万           ¥15,000.00  1.5万
	// 1.234元         refused
}

// The Beiyuan unit door: a ¥12,000 repair, 30% paid by the property firm, the rest shared
// by floor area among the households behind the door. The shares and the subsidy add up
// to the bill exactly.
func ExampleSplitCost() {
	area := func(s string) decimal.Decimal { return decimal.RequireFromString(s) }
	split, err := funding.SplitCost(funding.CostShare{
		Bill: area("12000"), SubsidyRate: area("0.3"), SubsidyFrom: "firm-1", Basis: funding.CostByArea,
		Households: []funding.Household{
			{ID: "101", Area: area("89.5")}, {ID: "102", Area: area("120.25")}, {ID: "201", Area: area("60")},
		},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("subsidy", funding.FormatYuan(split.Subsidy), "residents", funding.FormatYuan(split.Residents))
	total := split.Subsidy
	for _, s := range split.Shares {
		fmt.Println(s.HouseholdID, funding.FormatYuan(s.Amount))
		total = total.Add(s.Amount)
	}
	fmt.Println("sums to the bill:", total.Equal(split.Bill))
	// Output:
	// subsidy ¥3,600.00 residents ¥8,400.00
	// 101 ¥2,787.02
	// 102 ¥3,744.58
	// 201 ¥1,868.40
	// sums to the bill: true
}
