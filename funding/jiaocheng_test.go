package funding_test

import (
	"fmt"
	"math/big"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gridgov/gridgov"
	"github.com/gridgov/gridgov/funding"
	"github.com/gridgov/gridgov/governance"
)

// The Jiaocheng practice (近邻党建"好厝边", DESIGN.md §2): district finance sets aside
// ¥4,000,000; each pilot community gets ¥100,000–150,000 start-up money; each compound
// Party branch ¥2,000 a year of working funds; each compound Party-branch secretary a
// stipend of at least ¥200 a month; the committee of a retired-members' branch at most
// ¥1,000 a month together; outstanding communities are rewarded ¥10,000–30,000.
//
// The fixture: district jc, 4 streets (the 4 street centres), 48 communities (12 per
// street; community j has 180 + 20j households and the first `pilots` are labelled pilot)
// and 57 compounds (the 23 new and 34 "three-no" old compounds the red property firms
// cover), compound i in community ((i−1) mod 48) + 1, each with a Party branch and a
// secretary. In 2025 the secretary of k01 was appointed on 1 June; the secretary of k02
// left on 1 October and a successor took over that day. Community c01 has a
// retired-members' Party branch with a committee of five, and every community a Party
// committee whose secretary is not a compound-branch secretary.

const (
	jcCommunities = 48
	jcCompounds   = 57
)

var jcBudget = plDec("4000000")

func jcBuild(t testing.TB, pilots int) *plFixture {
	t.Helper()
	f := newPlFixture(t)
	f.node("jc", "", "district", "蕉城区", nil)
	for s := 1; s <= 4; s++ {
		f.node(fmt.Sprintf("s%d", s), "jc", "street", fmt.Sprintf("第%d街道", s), nil)
	}
	for j := 1; j <= jcCommunities; j++ {
		labels := map[string]string{"households": fmt.Sprint(180 + 20*j)}
		if j <= pilots {
			labels["pilot"] = "true"
		}
		c := fmt.Sprintf("c%02d", j)
		f.node(c, fmt.Sprintf("s%d", (j-1)/12+1), "community", fmt.Sprintf("第%d社区", j), labels)
		f.org("pc"+c[1:], c, governance.OrgPartyCommittee, fmt.Sprintf("第%d社区党委", j))
		f.hold("pos-q"+c[1:], "q"+c[1:], "pc"+c[1:], governance.RoleSecretary, plDate(2021, time.January, 1))
	}
	for i := 1; i <= jcCompounds; i++ {
		k := fmt.Sprintf("k%02d", i)
		kind := "new"
		if i > 23 {
			kind = "three-no"
		}
		f.node(k, fmt.Sprintf("c%02d", (i-1)%jcCommunities+1), "compound", fmt.Sprintf("第%d小区", i), map[string]string{"type": kind})
		f.org("b"+k[1:], k, governance.OrgPartyBranch, fmt.Sprintf("第%d小区党支部", i))
		since := plDate(2024, time.January, 1)
		if i == 1 {
			since = plDate(2025, time.June, 1)
		}
		f.hold("pos-p"+k[1:], "p"+k[1:], "b"+k[1:], governance.RoleSecretary, since)
	}
	f.end("pos-p02", plDate(2025, time.October, 1))
	f.hold("pos-p02b", "p02b", "b02", governance.RoleSecretary, plDate(2025, time.October, 1))
	f.org("rb", "c01", governance.OrgPartyBranch, "第1社区离退休党员支部")
	roles := []governance.Role{governance.RoleSecretary, governance.RoleDeputySecretary, governance.RoleMember, governance.RoleMember, governance.RoleMember}
	for i, role := range roles {
		f.hold(fmt.Sprintf("pos-r%d", i+1), fmt.Sprintf("r%d", i+1), "rb", role, plDate(2022, time.January, 1))
	}
	return f
}

// jcRules are the Jiaocheng rules; the start-up grant is chosen by households (0–1200
// households mapped onto ¥100,000–150,000) or, with fixed set, ¥150,000 for every pilot.
func jcRules(fixed bool) []funding.Rule {
	chooser := funding.Chooser{Kind: funding.ChooseByLabel, Label: funding.LabelHouseholds, To: plDec("1200")}
	if fixed {
		chooser = funding.Chooser{Kind: funding.ChooseFixed, Amount: plDec("150000")}
	}
	return []funding.Rule{
		{ID: "startup", Kind: funding.RuleRange, NameEN: "pilot community start-up grant", NameZH: "试点社区启动资金", Source: "district",
			Recipients: plPilots, Min: plDec("100000"), Max: plDec("150000"), Chooser: chooser},
		{ID: "working", Kind: funding.RuleFixed, NameEN: "compound Party-branch working funds", NameZH: "小区党支部工作经费", Source: "district",
			Recipients: plBranches, Per: funding.PerYear, Amount: plDec("2000"), Floor: plDec("2000")},
		{ID: "stipend", Kind: funding.RuleStipend, NameEN: "compound Party-branch secretary stipend", NameZH: "小区党支部书记津贴", Source: "district",
			Recipients: plSecretaries, Floor: plDec("200"), ProRate: funding.ProRateMonths},
		{ID: "retired", Kind: funding.RuleGroupCap, NameEN: "retired-members' branch committee allowance", NameZH: "离退休党员支部委员补贴", Source: "district",
			Recipients: plRetiredCommittee, Cap: plDec("1000")},
		{ID: "award", Kind: funding.RuleAward, NameEN: "outstanding community award", NameZH: "优秀社区奖励", Source: "district",
			Recipients: plCommunities, Min: plDec("10000"), Max: plDec("30000"),
			Bands: []funding.Band{{Through: 1, Amount: plDec("30000")}, {Through: 3, Amount: plDec("20000")}, {Through: 5, Amount: plDec("10000")}}},
	}
}

func jcInput(fixed, scale bool) funding.PlanInput {
	return funding.PlanInput{ID: "jc-2025", FundID: "jc-special", Budget: jcBudget, Period: plYear, Rules: jcRules(fixed), ScaleDown: scale,
		Rankings: map[string][]string{"award": {"c05", "c12", "c20", "c33", "c41"}}}
}

// Worked by hand, the lines other than the start-up grants cost ¥351,800.00:
//
//	working funds  57 branches × ¥2,000                                   114,000.00
//	stipends       55 × 12 months × ¥200 = 132,000; k01 7 months 1,400;
//	               k02 9 months (to 30 Sep) 1,800 + successor 3 months 600  135,800.00
//	retired branch 12 months × ¥1,000, five members at ¥2,400 each         12,000.00
//	awards         30,000 + 2 × 20,000 + 2 × 10,000                        90,000.00
var jcOthers = plDec("351800")

// jcStartup is Σ over the first n communities of 100,000 + 50,000 × households/1200,
// each rounded half up to the fen, computed with exact rationals (not with the planner's
// decimal arithmetic).
func jcStartup(n int) decimal.Decimal {
	sum := new(big.Int)
	for j := 1; j <= n; j++ {
		h := int64(180 + 20*j)
		if h > 1200 {
			h = 1200
		}
		// In fen: 10,000,000 + 5,000,000 × h / 1200, rounded half up.
		num := new(big.Int).Mul(big.NewInt(5_000_000), big.NewInt(h))
		q, r := new(big.Int).QuoRem(num, big.NewInt(1200), new(big.Int))
		if new(big.Int).Mul(r, big.NewInt(2)).Cmp(big.NewInt(1200)) >= 0 {
			q.Add(q, big.NewInt(1))
		}
		sum.Add(sum, q.Add(q, big.NewInt(10_000_000)))
	}
	return decimal.NewFromBigInt(sum, -2)
}

func TestJiaochengPlanFits(t *testing.T) {
	const pilots = 20
	f := jcBuild(t, pilots)
	p, err := f.tr.Plan(plCtx, jcInput(false, false))
	require.NoError(t, err)
	plCheckTotals(t, p)

	startup := jcStartup(pilots)
	// 20 × 100,000 + 50,000 × Σ(200, 220, …, 580)/1200 = 2,000,000 + 325,000; the roundings
	// (−⅓, +⅓, 0 fen in turn) cancel out over the twenty.
	assert.Equal(t, "2325000.00", startup.StringFixed(2))
	want := map[string]string{
		"startup": startup.StringFixed(2), "working": "114000.00", "stipend": "135800.00", "retired": "12000.00", "award": "90000.00",
	}
	for rule, amount := range want {
		assert.Equal(t, amount, p.ByRule[rule].StringFixed(2), rule)
	}
	assert.True(t, jcOthers.Add(startup).Equal(p.Total), "total %s", p.Total)
	assert.Equal(t, "2676800.00", p.Total.StringFixed(2))
	assert.True(t, p.Total.LessThanOrEqual(jcBudget), "the plan fits ¥4,000,000")
	assert.True(t, p.Shortfall.IsZero())
	assert.False(t, p.Scaled)
	assert.Equal(t, "jc-special", p.FundID)
	assert.Len(t, p.Lines, pilots+57+58+5+5)

	// Lines, by hand.
	l := plLine(t, p, "startup", "c01") // 200 households: 100,000 + 50,000/6 = 108,333.33
	assert.Equal(t, "108333.33", l.Amount.StringFixed(2))
	assert.Equal(t, "pilot community start-up grant: ¥108,333.33 (households 200 on a 0–1200 scale mapped onto ¥100,000.00–¥150,000.00), floor ¥100,000.00 (paid by district)", l.ExplanationEN)
	assert.Equal(t, "试点社区启动资金：108,333.33元（households为200，按0–1200线性对应区间100,000.00元–150,000.00元），不低于100,000.00元（资金来源：district）", l.ExplanationZH)
	assert.Equal(t, "108333.33", plLine(t, p, "startup", "c01").Amount.StringFixed(2))
	assert.Equal(t, "109166.67", plLine(t, p, "startup", "c02").Amount.StringFixed(2)) // 220 households
	l = plLine(t, p, "stipend", "p01")
	assert.Equal(t, "compound Party-branch secretary stipend: ¥200.00/month × 7 months (appointed 2025-06-01; whole months held) = ¥1,400.00, floor ¥200.00/month (paid by district)", l.ExplanationEN)
	assert.Equal(t, "小区党支部书记津贴：每月200.00元 × 7个月（2025-06-01任职；按整月计）= 1,400.00元，不低于每月200.00元（资金来源：district）", l.ExplanationZH)
	assert.Equal(t, "1800.00", plLine(t, p, "stipend", "p02").Amount.StringFixed(2))
	assert.Equal(t, "600.00", plLine(t, p, "stipend", "p02b").Amount.StringFixed(2))
	assert.Equal(t, "2400.00", plLine(t, p, "retired", "r3").Amount.StringFixed(2))
	assert.Equal(t, "30000.00", plLine(t, p, "award", "c05").Amount.StringFixed(2))
	assert.Equal(t, "10000.00", plLine(t, p, "award", "c41").Amount.StringFixed(2))
	// Community c01 holds its start-up grant, the retired branch's allowance; compound k01
	// its branch's working funds and its secretary's stipend.
	assert.Equal(t, "120333.33", p.ByNode["c01"].StringFixed(2))
	assert.Equal(t, "3400.00", p.ByNode["k01"].StringFixed(2))
}

func TestJiaochengShortfall(t *testing.T) {
	// At ¥150,000 per pilot, (4,000,000 − 351,800) / 150,000 = 24.3: 24 pilots fit, 25 do
	// not, and 30 (the figure tested here) are short by exactly 351,800 + 4,500,000 −
	// 4,000,000 = ¥851,800.00.
	for _, tc := range []struct {
		pilots    int
		fits      bool
		shortfall string
	}{
		{pilots: 24, fits: true},
		{pilots: 25, shortfall: "101800.00"},
		{pilots: 30, shortfall: "851800.00"},
	} {
		t.Run(fmt.Sprintf("%d pilots", tc.pilots), func(t *testing.T) {
			f := jcBuild(t, tc.pilots)
			p, err := f.tr.Plan(plCtx, jcInput(true, false))
			plCheckTotals(t, p)
			need := jcOthers.Add(plDec("150000").Mul(decimal.NewFromInt(int64(tc.pilots))))
			assert.True(t, need.Equal(p.Total), "need %s, total %s", need, p.Total)
			if tc.fits {
				require.NoError(t, err)
				assert.Equal(t, "3951800.00", p.Total.StringFixed(2))
				return
			}
			require.ErrorIs(t, err, gridgov.ErrBudgetExceeded)
			var berr *funding.BudgetError
			require.ErrorAs(t, err, &berr)
			assert.Equal(t, tc.shortfall, berr.Shortfall.StringFixed(2))
			assert.Equal(t, tc.shortfall, p.Shortfall.StringFixed(2))
			assert.True(t, need.Equal(berr.Need))
			assert.True(t, jcBudget.Equal(berr.Budget))
			assert.False(t, berr.FloorsExceed)
		})
	}
}

func TestJiaochengScaleDown(t *testing.T) {
	// 30 pilots scaled down: the floors are 3,000,000 (start-up) + 114,000 (working funds)
	// + 135,800 (stipends) + 50,000 (awards) = 3,299,800; the 700,200 left is shared pro
	// rata among the 1,500,000 + 12,000 + 40,000 above the floors.
	f := jcBuild(t, 30)
	p, err := f.tr.Plan(plCtx, jcInput(true, true))
	require.NoError(t, err)
	plCheckTotals(t, p)
	assert.True(t, p.Scaled)
	assert.True(t, jcBudget.Equal(p.Total), "scaled total %s", p.Total)
	assert.Equal(t, "851800.00", p.Shortfall.StringFixed(2))
	floors := decimal.Zero
	for _, l := range p.Lines {
		floors = floors.Add(l.Floor)
	}
	assert.Equal(t, "3299800.00", floors.StringFixed(2))
	// Each pilot: 100,000 + 50,000 × 700,200 / 1,552,000 = 122,557.9897…, and the pilots have
	// the largest remainders, so each gets the extra fen; working funds and stipends sit on
	// their floors and are untouched.
	for j := 1; j <= 30; j++ {
		assert.Equal(t, "122557.99", plLine(t, p, "startup", fmt.Sprintf("c%02d", j)).Amount.StringFixed(2))
	}
	assert.Equal(t, "2000.00", plLine(t, p, "working", "b01").Amount.StringFixed(2))
	assert.Equal(t, "1400.00", plLine(t, p, "stipend", "p01").Amount.StringFixed(2))
	assert.Contains(t, plLine(t, p, "startup", "c01").ExplanationEN, "scaled down pro rata from ¥150,000.00 to ¥122,557.99 (floor ¥100,000.00)")

	// 45 pilots: the floors alone (299,800 + 4,500,000) exceed the budget by 799,800.
	f = jcBuild(t, 45)
	_, err = f.tr.Plan(plCtx, jcInput(true, true))
	require.ErrorIs(t, err, gridgov.ErrBudgetExceeded)
	var berr *funding.BudgetError
	require.ErrorAs(t, err, &berr)
	assert.True(t, berr.FloorsExceed)
	assert.Equal(t, "799800.00", berr.Shortfall.StringFixed(2))
	assert.Equal(t, "4799800.00", berr.Floors.StringFixed(2))
}
