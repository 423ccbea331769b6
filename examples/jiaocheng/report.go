package main

import (
	"context"
	"fmt"

	"github.com/shopspring/decimal"

	"github.com/gridgov/gridgov/escalation"
	"github.com/gridgov/gridgov/examples/internal/report"
)

// target is the published figure: 85% of property problems resolved within 2 days.
var target = decimal.RequireFromString("0.85")

// ruleNames are the rules' labels, in plan order.
var ruleNames = []struct {
	id    string
	label report.Text
	terms report.Text
}{
	{"startup", report.T("Pilot community start-up grants", "试点社区启动资金"), report.T("¥100,000–150,000 per pilot community, by households", "每个试点社区10万–15万元，按户数")},
	{"working", report.T("Compound Party-branch working funds", "小区党支部工作经费"), report.T("¥2,000 a year per branch", "每个支部每年2000元")},
	{"stipend", report.T("Branch secretary stipends", "小区党支部书记津贴"), report.T("at least ¥200 a month, months held", "每月不低于200元，按任职月数")},
	{"retired", report.T("Retired-members' branch committee", "离退休党员支部委员补贴"), report.T("at most ¥1,000 a month together", "合计每月不超过1000元")},
	{"award", report.T("Outstanding community awards", "优秀社区奖励"), report.T("¥10,000–30,000 by rank", "按名次1万–3万元")},
}

// tierNames label the rapid-response tiers.
var tierNames = [tiers]report.Text{
	report.T("compound service station", "小区服务站"),
	report.T("community property service centre", "社区物业服务中心"),
	report.T("street management centre (whistle)", "街道物业管理中心（吹哨）"),
}

// build fills the report: key figures, the 1+1+N matrix, the plan by rule and its
// explained lines, disbursement, the rapid response by street and by tier, the five-party
// reports, the award ranking, and two charts.
func build(ctx context.Context, opts report.Options, w *world, out *outcome, m *money) (*report.Report, error) {
	rep := &report.Report{Program: name, Options: opts,
		Title: report.T("Jiaocheng, Ningde: neighbourhood Party building (“good neighbours”), one year",
			"宁德蕉城：近邻党建“好厝边”年度运行")}
	all, err := out.eng.Metrics(ctx, escalation.MetricsQuery{NodeID: w.root, From: out.from, To: out.to, Category: "property"})
	if err != nil {
		return nil, err
	}
	w2 := within(all, 2)
	rep.AddTarget("budget", report.T("Special fund (district finance)", "区财政专项资金"), report.Yuan(m.budget), report.Yuan(m.budget))
	rep.AddFigure("planned", report.T("Planned by the rules", "按规则编制计划"), report.Yuan(m.plan.Total))
	rep.AddFigure("paid", report.T("Paid through the ledger", "经账簿拨付"), report.Yuan(m.paid.PaidTotal))
	rep.AddFigure("fund_balance", report.T("Left in the fund", "专项资金结余"), report.Yuan(m.balance))
	rep.AddFigure("property_complaints", report.T("Property complaints", "物业诉求"), all.Total)
	rep.AddTarget("resolved_within_2d", report.T("Resolved within 2 days", "2天内解决"), report.Pct(w2.Value()), report.Pct(target))
	rep.AddFigure("response_rate", report.T("Response rate", "响应率"), report.Pct(all.Response.Value()))
	rep.AddFigure("resolution_rate", report.T("Resolution rate", "解决率"), report.Pct(all.Resolution.Value()))
	rep.AddFigure("satisfaction_rate", report.T("Satisfaction rate", "满意率"), report.Pct(all.Satisfaction.Value()))
	whistles := 0
	for _, c := range out.complaints {
		if c.Whistled {
			whistles++
		}
	}
	rep.AddFigure("whistles", report.T("Whistles blown (five parties summoned)", "吹哨（召集五方）"), whistles)

	matrix(rep, w)
	planTables(rep, m)
	chartBudget(rep, m)
	if err := responseTables(ctx, rep, w, out, all); err != nil {
		return nil, err
	}
	if err := partyTable(ctx, rep, out); err != nil {
		return nil, err
	}
	awardTable(rep, w, m)
	return rep, nil
}

// matrix is the 1+1+N service matrix per street.
func matrix(rep *report.Report, w *world) {
	t := rep.AddTable(report.NewTable("matrix", report.T("“1+1+N” service matrix", "“1+1+N”服务矩阵"),
		report.C("street", "Street", "街道"), report.C("centres", "Street centre", "街道管理中心"),
		report.C("community_centres", "Community centres", "社区服务中心"), report.C("stations", "Stations (N)", "服务站（N）"),
		report.C("pilots", "Pilot communities", "试点社区"), report.C("new", "New compounds", "新建小区"),
		report.C("three_no", "Three-no compounds", "三无小区"), report.C("firms", "Red firms", "红色物业")))
	var tot [7]int
	for si, st := range w.streets {
		var row [7]int
		row[0] = 1
		for _, ci := range st.communities {
			c := w.communities[ci]
			row[1]++
			if c.pilot {
				row[3]++
			}
			for _, k := range c.compounds {
				row[2]++
				if w.compounds[k].three {
					row[5]++
				} else {
					row[4]++
				}
			}
		}
		for _, f := range w.firms {
			if w.communities[w.compounds[f.serves[0]].community].street == si {
				row[6]++ // a firm counts in the street of the new compound it was set up for
			}
		}
		t.Add(st.name, row[0], row[1], row[2], row[3], row[4], row[5], row[6])
		for i := range row {
			tot[i] += row[i]
		}
	}
	t.Add(report.T("Total", "合计"), tot[0], tot[1], tot[2], tot[3], tot[4], tot[5], tot[6])
}

// planTables are the plan by rule, its explained lines, and plan against ledger.
func planTables(rep *report.Report, m *money) {
	count := map[string]int{}
	for _, l := range m.plan.Lines {
		count[l.RuleID]++
	}
	t := rep.AddTable(report.NewTable("plan_by_rule", report.T("Plan by rule", "按规则汇总的资金计划"),
		report.C("rule", "Rule", "规则"), report.C("terms", "Terms", "标准"), report.C("lines", "Recipients", "对象数"),
		report.C("amount", "Amount", "金额"), report.C("share", "Share of budget", "占预算")))
	for _, r := range ruleNames {
		amt := m.plan.ByRule[r.id]
		t.Add(r.label, r.terms, count[r.id], report.Yuan(amt), report.Pct(amt.DivRound(m.budget, 6)))
	}
	t.Add(report.T("Total planned", "计划合计"), "", len(m.plan.Lines), report.Yuan(m.plan.Total), report.Pct(m.plan.Total.DivRound(m.budget, 6)))
	t.Add(report.T("Reserve", "预留"), "", 0, report.Yuan(m.budget.Sub(m.plan.Total)), report.Pct(m.budget.Sub(m.plan.Total).DivRound(m.budget, 6)))

	lines := rep.AddTable(report.NewTable("plan_lines", report.T("Plan lines, each explained", "资金计划明细（逐条说明）"),
		report.C("line", "Line", "序号"), report.C("rule", "Rule", "规则"), report.C("recipient", "Recipient", "对象"),
		report.C("node", "Node", "节点"), report.C("amount", "Amount", "金额"), report.C("paid", "Paid", "已拨付"),
		report.C("explanation", "Explanation", "说明")))
	for i, l := range m.plan.Lines {
		paid := decimal.Zero
		if i < len(m.actual.Lines) {
			paid = m.actual.Lines[i].Net
		}
		lines.Add(i+1, l.RuleID, fmt.Sprintf("%s:%s", l.RecipientKind, l.RecipientID), l.NodeID, report.Yuan(l.Amount),
			report.Yuan(paid), report.T(l.ExplanationEN, l.ExplanationZH))
	}

	u := m.utilisation
	d := rep.AddTable(report.NewTable("ledger", report.T("Special fund in the ledger", "专项资金账簿"),
		report.C("item", "Item", "项目"), report.C("amount", "Amount", "金额")))
	d.Add(report.T("Appropriated by district finance", "区财政拨入"), report.Yuan(u.Appropriated))
	d.Add(report.T("Disbursed to recipients", "拨付至对象"), report.Yuan(u.Disbursed))
	d.Add(report.T("Balance", "余额"), report.Yuan(m.balance))
	d.Add(report.T("Postings paid / already paid / failed", "拨付笔数（本次/此前/失败）"),
		fmt.Sprintf("%d / %d / %d", len(m.paid.Paid), len(m.paid.AlreadyPaid), len(m.paid.Failed)))
	d.Add(report.T("Utilisation", "执行率"), report.Pct(u.Utilisation))
}

// chartBudget draws the budget by rule, planned and paid, against the fund.
func chartBudget(rep *report.Report, m *money) {
	var cats []report.Text
	var planned, paid []float64
	paidBy := map[string]decimal.Decimal{}
	for i, l := range m.actual.Lines {
		paidBy[m.plan.Lines[i].RuleID] = paidBy[m.plan.Lines[i].RuleID].Add(l.Net)
	}
	for _, r := range ruleNames {
		cats = append(cats, r.label)
		planned = append(planned, m.plan.ByRule[r.id].InexactFloat64())
		paid = append(paid, paidBy[r.id].InexactFloat64())
	}
	cats = append(cats, report.T("Reserve", "预留"))
	reserve := m.budget.Sub(m.plan.Total).InexactFloat64()
	planned, paid = append(planned, reserve), append(paid, 0)
	rep.AddChart(report.Chart{ID: "budget_by_rule", Kind: report.Bars,
		Title:  report.T("Special fund by rule (yuan)", "专项资金按规则分配（元）"),
		XLabel: report.T("Rule", "规则"), YLabel: report.T("Yuan", "元"), Categories: cats,
		Series: []report.Series{{Name: report.T("Planned", "计划"), Values: planned}, {Name: report.T("Paid", "已拨付"), Values: paid}}})
}

// responseTables are the rapid response by street and by tier, and the chart of the share
// resolved within 2 days by street against the target.
func responseTables(ctx context.Context, rep *report.Report, w *world, out *outcome, all escalation.Report) error {
	t := rep.AddTable(report.NewTable("response_by_street", report.T("Rapid response by street (property problems)", "各街道物业问题快速响应"),
		report.C("street", "Street", "街道"), report.C("complaints", "Complaints", "诉求"), report.C("settled", "Settled", "办结"),
		report.C("within_2d", "Within 2 days", "2天内解决"), report.C("within_2d_share", "Share within 2 days", "2天内解决率"),
		report.C("on_time", "On time", "按时办结率"), report.C("escalated", "Escalated", "上报率"),
		report.C("satisfaction", "Satisfaction", "满意率")))
	var cats []report.Text
	var shares []float64
	row := func(label any, m escalation.Report) {
		wd := within(m, 2)
		t.Add(label, m.Total, wd.Denominator.IntPart(), wd.Numerator.IntPart(), report.Pct(wd.Value()),
			report.Pct(m.OnTime.Value()), report.Pct(m.Escalated.Value()), report.Pct(m.Satisfaction.Value()))
	}
	for _, st := range w.streets {
		m, err := out.eng.Metrics(ctx, escalation.MetricsQuery{NodeID: st.id, From: out.from, To: out.to, Category: "property"})
		if err != nil {
			return err
		}
		row(st.name, m)
		if len(cats) < 40 {
			cats = append(cats, report.T(st.name, st.name))
			shares = append(shares, within(m, 2).Value().InexactFloat64()*100)
		}
	}
	row(report.T("District", "全区"), all)
	cats = append(cats, report.T("District", "全区"))
	shares = append(shares, within(all, 2).Value().InexactFloat64()*100)
	rep.AddChart(report.Chart{ID: "resolved_within_2d", Kind: report.Bars,
		Title:  report.T("Property problems resolved within 2 days vs the 85% target", "物业问题2天内解决率与85%目标"),
		XLabel: report.T("Street", "街道"), YLabel: report.T("Percent", "百分比"), Categories: cats,
		Series: []report.Series{{Name: report.T("Resolved within 2 days", "2天内解决"), Values: shares}},
		Marks:  []report.Mark{{Label: report.T("Target 85%", "目标85%"), At: 85}}})

	// The funnel: how many complaints reached each tier, and where they were settled.
	var reached [tiers]int
	for _, c := range out.complaints {
		for k := 0; k <= c.MaxTier; k++ {
			reached[k]++
		}
	}
	f := rep.AddTable(report.NewTable("tiers", report.T("Escalation funnel by tier", "逐级上报漏斗"),
		report.C("tier", "Tier", "层级"), report.C("reached", "Reached", "到达"), report.C("settled", "Settled there", "在此办结"),
		report.C("share", "Share of settled", "占办结")))
	for k := 0; k < tiers; k++ {
		var settled int64
		share := decimal.Zero
		if k < len(all.SettledByTier) {
			settled, share = all.SettledByTier[k].Count, all.SettledByTier[k].Share.Value()
		}
		f.Add(tierNames[k], reached[k], settled, report.Pct(share))
	}
	s := rep.AddTable(report.NewTable("sweeper", report.T("Sweeper (every 30 minutes on the working calendar)", "定时巡检（每30分钟，按工作日历）"),
		report.C("item", "Item", "项目"), report.C("count", "Count", "次数")))
	s.Add(report.T("Warnings (80% of a limit)", "预警（时限过80%）"), out.sweeps.Warnings)
	s.Add(report.T("Breaches", "超时"), out.sweeps.Breaches)
	s.Add(report.T("Automatic escalations", "自动上报"), out.sweeps.Escalations)
	return nil
}

// partyTable reports how the five parties answered the whistle (五方报到).
func partyTable(ctx context.Context, rep *report.Report, out *outcome) error {
	type tally struct {
		summoned, reported, late int
		minutes                  float64
	}
	order := []escalation.PartyKind{escalation.PartyStreet, escalation.PartyCommunity, escalation.PartyFirm,
		escalation.PartyDepartment, escalation.PartyMembers}
	labels := map[escalation.PartyKind]report.Text{
		escalation.PartyStreet:     report.T("street (township), lead", "街道（乡镇），牵头"),
		escalation.PartyCommunity:  report.T("community, lead", "社区，牵头"),
		escalation.PartyFirm:       report.T("property firm", "物业企业"),
		escalation.PartyDepartment: report.T("district department", "区直部门"),
		escalation.PartyMembers:    report.T("in-service members (双报到)", "在职党员（双报到）"),
	}
	by := map[escalation.PartyKind]*tally{}
	for _, k := range order {
		by[k] = &tally{}
	}
	for _, c := range out.complaints {
		if !c.Whistled {
			continue
		}
		got, err := out.eng.Store().GetComplaint(ctx, c.ID)
		if err != nil {
			return err
		}
		for _, sm := range got.Summons {
			t := by[sm.Party]
			t.summoned++
			if sm.Reported() {
				t.reported++
				t.minutes += sm.ReportedAt.Sub(sm.SummonedAt).Minutes()
				if sm.ReportedAt.After(sm.Due) {
					t.late++
				}
			}
		}
	}
	t := rep.AddTable(report.NewTable("five_parties", report.T("Five-party responsibility list: reports to the whistle", "五方责任清单：吹哨报到"),
		report.C("party", "Party", "责任方"), report.C("summoned", "Summoned", "召集"), report.C("reported", "Reported", "报到"),
		report.C("late", "Late (>30 min)", "超时（>30分钟）"), report.C("mean_minutes", "Mean minutes", "平均用时（分钟）")))
	for _, k := range order {
		x := by[k]
		mean := decimal.Zero
		if x.reported > 0 {
			mean = decimal.NewFromFloat(x.minutes / float64(x.reported)).Round(1)
		}
		t.Add(labels[k], x.summoned, x.reported, x.late, report.Fixed(mean, 1))
	}
	return nil
}

// awardTable lists the best communities of the year and their awards.
func awardTable(rep *report.Report, w *world, m *money) {
	award := map[string]decimal.Decimal{}
	for _, l := range m.plan.Lines {
		if l.RuleID == "award" {
			award[l.RecipientID] = l.Amount
		}
	}
	t := rep.AddTable(report.NewTable("awards", report.T("Outstanding communities (ranked by share resolved within 2 days)", "优秀社区（按2天内解决率排名）"),
		report.C("rank", "Rank", "名次"), report.C("community", "Community", "社区"), report.C("complaints", "Complaints", "诉求"),
		report.C("within_2d_share", "Within 2 days", "2天内解决率"), report.C("satisfaction", "Satisfaction", "满意率"),
		report.C("award", "Award", "奖励")))
	n := min(len(m.ranking), 2*awardees*max(1, len(w.streets)/streetsPerUnit))
	for i, s := range m.ranking[:n] {
		c := w.communities[s.community]
		t.Add(i+1, c.name, s.metrics.Total, report.Pct(s.within2), report.Pct(s.metrics.Satisfaction.Value()),
			report.Yuan(award[c.id]))
	}
}
