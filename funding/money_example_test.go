package funding_test

import (
	"errors"
	"fmt"

	"github.com/shopspring/decimal"

	"github.com/gridgov/gridgov"
	"github.com/gridgov/gridgov/funding"
)

// Read amounts as the policy documents and spreadsheets write them.
func ExampleParseMoney_errors() {
	for _, s := range []string{"4000000", "¥4,000,000.00", "400万", "1.5万", "RMB 2,000", "-¥1,234.50"} {
		d, err := funding.ParseMoney(s)
		fmt.Println(d.StringFixed(2), err)
	}
	// Finer than a fen, or not a number: refused in both languages.
	for _, s := range []string{"1.234元", "1e5"} {
		_, err := funding.ParseMoney(s)
		var verr *gridgov.ValidationError
		errors.As(err, &verr)
		fmt.Println(errors.Is(err, gridgov.ErrInvalid), verr.Fields[0].Field, verr.Fields[0].Tag)
	}
	_, err := funding.ParseMoney("1.234元")
	var verr *gridgov.ValidationError
	errors.As(err, &verr)
	fmt.Println(verr.Fields[0].EN)
	fmt.Println(verr.Fields[0].ZH)
	// Output:
	// 4000000.00 <nil>
	// 4000000.00 <nil>
	// 4000000.00 <nil>
	// 15000.00 <nil>
	// 2000.00 <nil>
	// -1234.50 <nil>
	// true amount fen
	// true amount money
	// amount "1.234元" has more than two decimal places: amounts are whole fen (0.01 yuan)
	// amount“1.234元”超过两位小数：金额须精确到分
}

// Write amounts for a report, in yuan or in the Chinese 万 style; neither rounds.
func ExampleFormatWan() {
	for _, s := range []string{"4000000", "150000", "12345.67", "2000", "200.5"} {
		d := funding.MustMoney(s)
		fmt.Printf("%-16s %s\n", funding.FormatYuan(d), funding.FormatWan(d))
	}
	// Output:
	// ¥4,000,000.00    400万
	// ¥150,000.00      15万
	// ¥12,345.67       1.234567万
	// ¥2,000.00        2,000元
	// ¥200.50          200.50元
}

// Divide ¥100 three ways: the parts sum to the whole and the extra fen goes to the first.
func ExampleSplitEvenly() {
	parts, _ := funding.SplitEvenly(funding.MustMoney("100"), 3)
	fmt.Println(parts, funding.Sum(parts))
	// Output:
	// [33.34 33.33 33.33] 100
}

// Share the ¥4,000,000 district special fund among three pilot communities in proportion to
// their requested start-up grants; a zero weight gets nothing.
func ExampleSplitByWeights() {
	requests := []decimal.Decimal{
		funding.MustMoney("150,000"), funding.MustMoney("120,000"), funding.MustMoney("0"), funding.MustMoney("100,000"),
	}
	parts, err := funding.SplitByWeights(funding.MustMoney("400万"), requests)
	if err != nil {
		panic(err)
	}
	for i, p := range parts {
		fmt.Println(i, funding.FormatYuan(p))
	}
	fmt.Println("total", funding.FormatYuan(funding.Sum(parts)))

	// Bad input names every failing field.
	_, err = funding.SplitByWeights(funding.MustMoney("-1"), []decimal.Decimal{decimal.NewFromInt(-1)})
	var verr *gridgov.ValidationError
	errors.As(err, &verr)
	fmt.Println(verr.FieldNames())
	// Output:
	// 0 ¥1,621,621.62
	// 1 ¥1,297,297.30
	// 2 ¥0.00
	// 3 ¥1,081,081.08
	// total ¥4,000,000.00
	// [total weights[0]]
}

// The Beiyuan unit-door case (亲邻议事): a new unit door costs ¥12,000; after a household
// canvass the residents chose to pay it themselves with a 30% subsidy from the property firm,
// shared by floor area among the 18 flats behind the door.
func ExampleSplitCost_unitDoor() {
	var households []funding.Household
	for floor := 1; floor <= 6; floor++ {
		for flat, area := range []string{"89.50", "105.20", "126.80"} {
			households = append(households, funding.Household{
				ID: fmt.Sprintf("%d%02d", floor, flat+1), Area: decimal.RequireFromString(area)})
		}
	}
	split, err := funding.SplitCost(funding.CostShare{
		Bill:        funding.MustMoney("¥12,000"),
		SubsidyRate: decimal.RequireFromString("0.30"),
		SubsidyFrom: "红色物业",
		Basis:       funding.CostByArea,
		Households:  households,
	})
	if err != nil {
		panic(err)
	}
	fmt.Println(split.ExplanationZH)
	fmt.Println(split.ExplanationEN)
	for i, s := range split.Shares {
		fmt.Printf("%s %6s m² %s", s.HouseholdID, s.Area.StringFixed(2), funding.FormatYuan(s.Amount))
		if i%3 == 2 {
			fmt.Println()
		} else {
			fmt.Print("   ")
		}
	}
	total := split.Subsidy
	for _, s := range split.Shares {
		total = total.Add(s.Amount)
	}
	fmt.Println("subsidy + shares =", funding.FormatYuan(total))
	// Output:
	// 费用¥12,000.00；由红色物业补贴30%，计¥3,600.00；居民承担¥8,400.00，按建筑面积（共1,929平方米）在18户间分摊，按最大余额法精确到分（余额相同时先列者优先）。
	// Bill ¥12,000.00; subsidy 30% of the bill from 红色物业: ¥3,600.00; the residents' ¥8,400.00 split by floor area (1,929 m² in all) among 18 households, to the fen by largest remainder (ties to the earlier household).
	// 101  89.50 m² ¥389.74   102 105.20 m² ¥458.10   103 126.80 m² ¥552.16
	// 201  89.50 m² ¥389.74   202 105.20 m² ¥458.10   203 126.80 m² ¥552.16
	// 301  89.50 m² ¥389.74   302 105.20 m² ¥458.10   303 126.80 m² ¥552.16
	// 401  89.50 m² ¥389.74   402 105.20 m² ¥458.10   403 126.80 m² ¥552.16
	// 501  89.50 m² ¥389.74   502 105.20 m² ¥458.10   503 126.80 m² ¥552.16
	// 601  89.50 m² ¥389.74   602 105.20 m² ¥458.10   603 126.80 m² ¥552.16
	// subsidy + shares = ¥12,000.00
}
