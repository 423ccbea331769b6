package main

import (
	"math/rand/v2"

	"github.com/shopspring/decimal"

	"github.com/gridgov/gridgov/funding"
	"github.com/gridgov/gridgov/governance/deliberation"
)

// fate is where an agenda item ends by the year's end. The year's items are dealt their
// fates from fixed quotas (so that the published 117 meetings and 52 matters settled
// through them come out exactly); the ballots, objections and ratings along the way are
// drawn, and the vote's outcome is counted by the library, never assumed.
type fate int

const (
	fateFirstRound      fate = iota // settled in the compound's first round (首轮化解)
	fateDismissed                   // refused by the community Party committee (不予议事)
	fateWithdrawnBefore             // withdrawn after referral, before any meeting (撤回)
	fateAwaiting                    // meeting convened for the new year (待召开)
	fateClosed                      // decided, implemented, audited and closed (已办结)
	fateImplementing                // decided, still being carried out at year end (实施中)
	fateNoQuorum                    // owners' vote short of 2/3 participation (参与不足)
	fateNotPassed                   // owners' vote: no option reached its share (未达比例)
	fateWithdrawnAfter              // withdrawn after the meeting, before the vote (会后撤回)
	fateVoting                      // canvass still under way at year end (表决中)
)

// quota is how many items of each fate one unit of -scale deals: 117 of them reach a
// consultation meeting, 52 of those are carried through to the end.
var quota = []struct {
	fate fate
	n    int
}{
	{fateFirstRound, 166}, {fateDismissed, 8}, {fateWithdrawnBefore, 4}, {fateAwaiting, 5},
	{fateClosed, settledPerScale}, {fateImplementing, 23}, {fateNoQuorum, 14}, {fateNotPassed, 12},
	{fateWithdrawnAfter, 6}, {fateVoting, 10},
}

// decided reports whether an item of this fate has an option decided.
func (f fate) decided() bool { return f == fateClosed || f == fateImplementing }

// late reports whether an item of this fate is raised late in the year (it is still open
// at the year's end).
func (f fate) late() bool { return f == fateAwaiting || f == fateImplementing || f == fateVoting }

// dealFates returns the year's fates in a drawn order.
func dealFates(r *rand.Rand, scale int) []fate {
	var fs []fate
	for _, q := range quota {
		for range q.n * scale {
			fs = append(fs, q.fate)
		}
	}
	r.Shuffle(len(fs), func(i, j int) { fs[i], fs[j] = fs[j], fs[i] })
	return fs
}

// matter is a kind of public matter with its two costed options (方案).
type matter struct {
	Category     string
	TitleZH      string
	Weight       int
	MinCost      int64 // yuan
	MaxCost      int64
	A, B         deliberation.ProposalInput // Cost is filled per item
	AFirstChoice bool                       // whether owners lean to A when they decide
}

// matters are the matters Beiyuan's items concern, with how often they come up.
func matters() []matter {
	sub := decimal.RequireFromString
	return []matter{
		{Category: deliberation.CategoryUnitDoor, TitleZH: "单元门更换", Weight: 6, MinCost: 4000, MaxCost: 9000,
			A: deliberation.ProposalInput{ID: "fund", Title: "动用公共维修资金", Funding: deliberation.FundMaintenance, Matter: deliberation.MatterUseFund},
			B: deliberation.ProposalInput{ID: "self", Title: "居民自筹，物业补贴30%", Funding: deliberation.FundResidents,
				SubsidyRate: sub("0.3"), SubsidyFrom: "物业公司", Basis: funding.CostByArea}},
		{Category: deliberation.CategoryElevator, TitleZH: "加装电梯", Weight: 2, MinCost: 380000, MaxCost: 620000,
			A: deliberation.ProposalInput{ID: "public", Title: "财政补贴40%，余额按面积自筹", Funding: deliberation.FundResidents,
				SubsidyRate: sub("0.4"), SubsidyFrom: "区住建局", Basis: funding.CostByArea, Matter: deliberation.MatterRebuild},
			B:            deliberation.ProposalInput{ID: "fund", Title: "动用维修资金并补筹", Funding: deliberation.FundMaintenance, Matter: deliberation.MatterRaiseFund},
			AFirstChoice: true},
		{Category: deliberation.CategoryCharger, TitleZH: "电动车充电桩", Weight: 4, MinCost: 12000, MaxCost: 36000,
			A:            deliberation.ProposalInput{ID: "firm", Title: "物业投资建设、按次收费", Funding: deliberation.FundPropertyFirm, Matter: deliberation.MatterChangeUse},
			B:            deliberation.ProposalInput{ID: "self", Title: "居民平均分摊建设", Funding: deliberation.FundResidents, Basis: funding.CostEqual, Matter: deliberation.MatterChangeUse},
			AFirstChoice: true},
		{Category: deliberation.CategoryParking, TitleZH: "停车位重新规划", Weight: 5, MinCost: 6000, MaxCost: 24000,
			A: deliberation.ProposalInput{ID: "firm", Title: "物业承担划线费用", Funding: deliberation.FundPropertyFirm, Matter: deliberation.MatterOther},
			B: deliberation.ProposalInput{ID: "self", Title: "车主平均分摊", Funding: deliberation.FundResidents, Basis: funding.CostEqual, Matter: deliberation.MatterOther}},
		{Category: deliberation.CategoryGreenery, TitleZH: "绿化改造", Weight: 3, MinCost: 8000, MaxCost: 30000,
			A: deliberation.ProposalInput{ID: "public", Title: "社区惠民资金", Funding: deliberation.FundPublic, Matter: deliberation.MatterOther},
			B: deliberation.ProposalInput{ID: "self", Title: "居民按面积自筹，物业补贴20%", Funding: deliberation.FundResidents,
				SubsidyRate: sub("0.2"), SubsidyFrom: "物业公司", Basis: funding.CostByArea, Matter: deliberation.MatterOther},
			AFirstChoice: true},
		{Category: deliberation.CategoryHeating, TitleZH: "供暖管道维修", Weight: 3, MinCost: 15000, MaxCost: 60000,
			A: deliberation.ProposalInput{ID: "fund", Title: "动用公共维修资金", Funding: deliberation.FundMaintenance, Matter: deliberation.MatterUseFund},
			B: deliberation.ProposalInput{ID: "self", Title: "居民按面积自筹，物业补贴10%", Funding: deliberation.FundResidents,
				SubsidyRate: sub("0.1"), SubsidyFrom: "物业公司", Basis: funding.CostByArea, Matter: deliberation.MatterOther},
			AFirstChoice: true},
		{Category: deliberation.CategorySanitation, TitleZH: "垃圾分类亭设置", Weight: 2, MinCost: 3000, MaxCost: 12000,
			A: deliberation.ProposalInput{ID: "firm", Title: "物业承担", Funding: deliberation.FundPropertyFirm, Matter: deliberation.MatterChangeUse},
			B: deliberation.ProposalInput{ID: "self", Title: "居民平均分摊", Funding: deliberation.FundResidents, Basis: funding.CostEqual, Matter: deliberation.MatterChangeUse}},
	}
}

// drawMatter draws a matter by weight.
func drawMatter(r *rand.Rand, ms []matter) matter {
	total := 0
	for _, m := range ms {
		total += m.Weight
	}
	x := r.IntN(total)
	for _, m := range ms {
		if x < m.Weight {
			return m
		}
		x -= m.Weight
	}
	return ms[len(ms)-1]
}

// drawCost draws a cost between lo and hi yuan, in whole yuan.
func drawCost(r *rand.Rand, lo, hi int64) decimal.Decimal {
	return decimal.NewFromInt(lo + r.Int64N(hi-lo+1))
}
