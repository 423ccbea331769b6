package main

import (
	"context"
	"fmt"
	"sort"

	"github.com/shopspring/decimal"

	"github.com/gridgov/gridgov/examples/internal/report"
	"github.com/gridgov/gridgov/governance/deliberation"
)

// workedCase shows the year's first closed unit-door item (单元门), Beiyuan's worked case:
// the household canvass by choice and the bill split among the households after the
// property firm's subsidy.
func workedCase(rep *report.Report, recs []record) error {
	var it *deliberation.Item
	for i := range recs {
		if recs[i].Item.State == deliberation.StateClosed && recs[i].Item.Category == deliberation.CategoryUnitDoor {
			it = &recs[i].Item
			break
		}
	}
	if it == nil {
		return nil // no unit door was closed this year: nothing to show
	}
	rep.AddFigure("unit_door_item", report.T("Worked case: unit-door item", "案例：单元门议题"), it.Title)
	et := rep.AddTable(report.NewTable("unit_door_tally", report.T("Worked case: the count as publicised", "案例：计票结果（公示文本）"),
		report.C("explanation", "Count", "计票")))
	et.Add(report.T(it.Vote.Tally.ExplanationEN, it.Vote.Tally.ExplanationZH))
	t := rep.AddTable(report.NewTable("unit_door_canvass", report.T("Worked case: the unit-door canvass by choice",
		"案例：单元门逐户征求意见"),
		report.C("choice", "Choice", "选择"), report.C("households", "Households", "户数"),
		report.C("owners", "Owners", "业主人数"), report.C("area", "Area m²", "面积（平方米）"),
		report.C("share", "Share of participating area", "占参与面积")))
	tl := it.Vote.Tally
	for _, p := range tl.Proposals {
		pr, _ := it.Proposal(p.ProposalID)
		t.Add(pr.Title, p.For.Ballots, p.For.Voters, report.Fixed(p.For.Area, 2), report.Pct(ratioD(p.For.Area, tl.Participation.Area)))
	}
	t.Add(report.T("against", "反对"), tl.Against.Ballots, tl.Against.Voters, report.Fixed(tl.Against.Area, 2),
		report.Pct(ratioD(tl.Against.Area, tl.Participation.Area)))
	t.Add(report.T("abstain", "弃权"), tl.Abstain.Ballots, tl.Abstain.Voters, report.Fixed(tl.Abstain.Area, 2),
		report.Pct(ratioD(tl.Abstain.Area, tl.Participation.Area)))
	t.Add(report.T("did not take part", "未参与"), len(it.Vote.Roll.Households)-tl.Participation.Ballots,
		tl.Electorate.Voters-tl.Participation.Voters, report.Fixed(tl.Electorate.Area.Sub(tl.Participation.Area), 2), nil)

	sp := it.Implementation.Split
	rep.AddFigure("unit_door_award", report.T("Worked case: tender", "案例：定标"),
		fmt.Sprintf("%s %s %s (%s)", it.Award.Vendor, report.Yuan(it.Award.Price), it.Award.Model, it.Award.Method))
	rep.AddFigure("unit_door_subsidy", report.T("Worked case: property firm's subsidy", "案例：物业补贴"), report.Yuan(sp.Subsidy))
	rep.AddFigure("unit_door_residents", report.T("Worked case: residents' part", "案例：居民自筹"), report.Yuan(sp.Residents))
	st := rep.AddTable(report.NewTable("unit_door_split", report.T("Worked case: each household's share", "案例：每户分摊"),
		report.C("household", "Household", "户号"), report.C("area", "Area m²", "面积（平方米）"), report.C("amount", "Share", "分摊金额")))
	areas := map[string]decimal.Decimal{}
	for _, h := range it.Vote.Roll.Households {
		areas[h.ID] = h.Area
	}
	for _, sh := range sp.Shares {
		st.Add(sh.HouseholdID, report.Fixed(areas[sh.HouseholdID], 2), report.Yuan(sh.Amount))
	}
	return nil
}

// costs tabulates the implemented decisions by who pays and checks that every split sums
// back to its bill to the fen.
func costs(rep *report.Report, recs []record) error {
	type agg struct {
		items                    int
		bill, subsidy, residents decimal.Decimal
		charged                  int
	}
	by := map[deliberation.FundingSource]*agg{}
	var total decimal.Decimal
	for _, rc := range recs {
		it := rc.Item
		if it.Implementation.StartedAt.IsZero() {
			continue
		}
		p, _ := it.Proposal(it.Decision)
		a := by[p.Funding]
		if a == nil {
			a = &agg{}
			by[p.Funding] = a
		}
		im := it.Implementation
		a.items++
		a.bill = a.bill.Add(im.Bill)
		total = total.Add(im.Bill)
		if p.Funding == deliberation.FundResidents {
			sum := im.Split.Subsidy
			for _, sh := range im.Split.Shares {
				sum = sum.Add(sh.Amount)
			}
			if !sum.Equal(im.Bill) {
				return fmt.Errorf("beiyuan: item %s: split %s does not sum to the bill %s", it.ID, sum, im.Bill)
			}
			a.subsidy = a.subsidy.Add(im.Split.Subsidy)
			a.residents = a.residents.Add(im.Split.Residents)
			a.charged += len(im.Split.Shares)
		}
	}
	srcs := make([]deliberation.FundingSource, 0, len(by))
	for f := range by {
		srcs = append(srcs, f)
	}
	sort.Slice(srcs, func(i, j int) bool { return srcs[i] < srcs[j] })
	t := rep.AddTable(report.NewTable("costs", report.T("Implemented decisions by who pays", "实施项目资金来源与分摊"),
		report.C("funding", "Funding", "资金来源"), report.C("items", "Items", "项目数"), report.C("bill", "Bills", "金额"),
		report.C("subsidy", "Subsidies", "补贴"), report.C("residents", "Residents' part", "居民分摊"),
		report.C("households", "Households charged", "分摊户数")))
	for _, f := range srcs {
		a := by[f]
		t.Add(fundingLabel(f), a.items, report.Yuan(a.bill), report.Yuan(a.subsidy), report.Yuan(a.residents), a.charged)
	}
	rep.AddFigure("implemented_bills", report.T("Bills of implemented decisions", "实施项目总金额"), report.Yuan(total))
	return nil
}

// fundingLabel is a funding source's bilingual label.
func fundingLabel(f deliberation.FundingSource) report.Text {
	switch f {
	case deliberation.FundMaintenance:
		return report.T("maintenance fund", "公共维修资金")
	case deliberation.FundResidents:
		return report.T("residents (with subsidy)", "居民自筹（含补贴）")
	case deliberation.FundPropertyFirm:
		return report.T("property firm", "物业承担")
	case deliberation.FundPublic:
		return report.T("public money", "财政/社区资金")
	}
	return report.T(string(f), string(f))
}

// subjects lists the disclosure subjects in report order.
var subjects = []struct {
	s      deliberation.Subject
	en, zh string
}{
	{deliberation.SubjectDecision, "decision", "议事决定"}, {deliberation.SubjectAward, "tender result", "招标结果"},
	{deliberation.SubjectMinutes, "minutes", "会议纪要"}, {deliberation.SubjectAccounts, "accounts", "费用明细"},
	{deliberation.SubjectProgress, "progress", "实施进度"}, {deliberation.SubjectAudit, "audit", "效果评估"},
	{deliberation.SubjectOther, "other", "其他"},
}

// disclosures tabulates and charts the disclosure log (信息公开记录) by subject and kind.
func (w *world) disclosures(ctx context.Context, rep *report.Report) error {
	ds, err := w.forum.Disclosures(ctx, deliberation.DisclosureQuery{Within: "st"})
	if err != nil {
		return err
	}
	sum := deliberation.Summarise(ds)
	rep.AddFigure("disclosures", report.T("Disclosures logged", "信息公开记录"), sum.Total)
	rep.AddFigure("disclosures_on_request", report.T("of which on request", "其中依申请公开"), sum.ByKind[deliberation.DisclosureOnRequest])
	n := map[deliberation.Subject][2]int{}
	for _, d := range ds {
		v := n[d.Subject]
		if d.Kind == deliberation.DisclosureOnRequest {
			v[1]++
		} else {
			v[0]++
		}
		n[d.Subject] = v
	}
	t := rep.AddTable(report.NewTable("disclosures", report.T("Disclosure log by subject", "信息公开（按内容）"),
		report.C("subject", "Subject", "公开内容"), report.C("proactive", "Proactive", "主动公开"),
		report.C("on_request", "On request", "依申请公开")))
	ch := report.Chart{ID: "disclosures", Title: report.T("Disclosures by subject", "信息公开（按内容）"),
		XLabel: report.T("subject", "内容"), YLabel: report.T("disclosures", "条数"), Kind: report.Bars,
		Series: []report.Series{{Name: report.T("proactive", "主动公开")}, {Name: report.T("on request", "依申请公开")}}}
	for _, s := range subjects {
		v := n[s.s]
		if v[0]+v[1] == 0 {
			continue
		}
		t.Add(report.T(s.en, s.zh), v[0], v[1])
		ch.Categories = append(ch.Categories, report.T(s.en, s.zh))
		ch.Series[0].Values = append(ch.Series[0].Values, float64(v[0]))
		ch.Series[1].Values = append(ch.Series[1].Values, float64(v[1]))
	}
	rep.AddChart(ch)
	return nil
}

// byCommunity tabulates the items per community with the satisfaction of the audits.
func (w *world) byCommunity(rep *report.Report, recs []record) {
	type agg struct {
		items, referred, meetings, closed int
		satisfied, responses              int
	}
	by := map[string]*agg{}
	comm := map[string]*community{}
	for _, b := range w.buildings {
		comm[b.ID] = b.Compound.Community
	}
	for _, c := range w.communities {
		by[c.ID] = &agg{}
	}
	for _, rc := range recs {
		it := rc.Item
		a := by[comm[it.NodeID].ID]
		a.items++
		if !it.Referral.ReferredAt.IsZero() {
			a.referred++
		}
		if !it.Meeting.HeldAt.IsZero() {
			a.meetings++
		}
		if it.State == deliberation.StateClosed {
			a.closed++
			a.satisfied += it.Audit.Satisfied + it.Audit.BasicSatisfied
			a.responses += it.Audit.Responses()
		}
	}
	t := rep.AddTable(report.NewTable("communities", report.T("By community", "分社区情况"),
		report.C("community", "Community", "社区"), report.C("items", "Items", "议题"), report.C("referred", "Referred", "提交党委"),
		report.C("meetings", "Meetings", "议事会"), report.C("closed", "Closed", "已办结"),
		report.C("satisfaction", "Audit satisfaction", "评估满意率")))
	var sat, resp int
	for _, c := range w.communities {
		a := by[c.ID]
		sat, resp = sat+a.satisfied, resp+a.responses
		t.Add(c.Name, a.items, a.referred, a.meetings, a.closed, report.Pct(ratio(a.satisfied, a.responses)))
	}
	rep.AddFigure("audit_satisfaction", report.T("Satisfaction in the audits (satisfied + basically)", "效果评估满意率（含基本满意）"),
		report.Pct(ratio(sat, resp)))
}
