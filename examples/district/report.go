package main

import (
	"fmt"
	"slices"
	"strings"

	"github.com/shopspring/decimal"

	"github.com/gridgov/gridgov/escalation"
	"github.com/gridgov/gridgov/evaluation"
	"github.com/gridgov/gridgov/examples/internal/report"
	"github.com/gridgov/gridgov/funding"
)

// tierNames are the rungs' labels.
var tierNames = [tiers]report.Text{
	report.T("building", "楼栋"), report.T("grid", "网格"), report.T("compound", "小区"),
	report.T("community", "社区"), report.T("street", "街道"),
}

// pct shows a rate as a percentage.
func pct(r escalation.Rate) report.Percent { return report.Pct(r.Value()) }

// within returns the share of r settled within days days.
func within(r escalation.Report, days int) escalation.Rate {
	for _, w := range r.Within {
		if w.Days == days {
			return w.Rate
		}
	}
	return escalation.Rate{}
}

// report builds the annual report.
func (o *outcome) report(opts report.Options) *report.Report {
	rep := &report.Report{Program: name, Options: opts,
		Title: report.T(fmt.Sprintf("District annual report %d: grid governance", opts.Year), fmt.Sprintf("%d年度网格化治理区级年度报告", opts.Year))}
	o.figures(rep)
	o.streetTable(rep)
	o.funnelTable(rep)
	o.budgetTables(rep)
	o.firmTables(rep)
	o.charts(rep)
	return rep
}

// figures adds the key figures.
func (o *outcome) figures(rep *report.Report) {
	w, s, m, e := o.w, o.stats, o.money, o.end
	grids, buildings := 0, 0
	for _, k := range w.Compounds {
		grids += len(k.Grids)
		buildings += len(k.Buildings)
	}
	d := s.district
	rep.AddFigure("streets", report.T("streets", "街道"), len(w.Streets))
	rep.AddFigure("communities", report.T("communities", "社区"), len(w.Communities))
	rep.AddFigure("compounds", report.T("compounds", "小区"), len(w.Compounds))
	rep.AddFigure("grids", report.T("grids", "网格"), grids)
	rep.AddFigure("buildings", report.T("buildings", "楼栋"), buildings)
	rep.AddFigure("firms", report.T("property firms", "物业企业"), len(w.Firms))
	rep.AddFigure("organisations", report.T("organisations", "组织"), w.orgs)
	rep.AddFigure("people", report.T("cadres and post holders", "任职人员"), w.people)
	rep.AddFigure("complaints", report.T("complaints received", "受理诉求"), d.Total)
	rep.AddFigure("handled", report.T("complaints referred to a rung", "转办诉求"), s.handled)
	rep.AddFigure("response_rate", report.T("response rate", "响应率"), pct(d.Response))
	rep.AddFigure("resolution_rate", report.T("resolution rate", "解决率"), pct(d.Resolution))
	rep.AddFigure("satisfaction_rate", report.T("satisfaction rate", "满意率"), pct(d.Satisfaction))
	rep.AddFigure("composite", report.T("composite score (0.1/0.5/0.4)", "综合得分"), report.Fixed(d.Composite.Mul(decimal.NewFromInt(100)), 2))
	rep.AddFigure("on_time_rate", report.T("resolved by the first deadline", "按时办结率"), pct(d.OnTime))
	rep.AddFigure("resolved_within_2d", report.T("settled within 2 days", "2日内办结"), pct(within(d, 2)))
	rep.AddFigure("resolved_within_7d", report.T("settled within 7 days", "7日内办结"), pct(within(d, 7)))
	rep.AddFigure("escalated_rate", report.T("escalated at least once", "逐级上报比例"), pct(d.Escalated))
	rep.AddFigure("sweeps", report.T("sweeps run (every 30 min)", "定时巡检次数"), o.y.sweeps)
	rep.AddFigure("sweeper_warnings", report.T("sweeper warnings", "预警"), o.y.swept.Warnings)
	rep.AddFigure("sweeper_escalations", report.T("escalations by the sweeper", "超时自动上报"), o.y.swept.Escalations)
	rep.AddFigure("whistles", report.T("whistles blown", "街道吹哨"), s.whistles)
	rep.AddFigure("late_reports", report.T("parties reporting late", "报到超时"), d.LateReports)
	rep.AddFigure("budget", report.T("special fund budget", "专项资金预算"), report.Yuan(m.budget))
	rep.AddFigure("planned", report.T("planned (year plan + awards)", "计划安排"), report.Yuan(m.plan.Total.Add(m.awards.Total)))
	rep.AddFigure("paid", report.T("paid through the ledger", "实际拨付"), report.Yuan(m.actual.Total.Net.Add(m.awardActual.Total.Net)))
	rep.AddFigure("balance", report.T("fund balance at year end", "年末结余"), report.Yuan(m.left))
	rep.AddFigure("cycles", report.T("one report, two evaluations held", "一述双评小区"), e.cycles)
	rep.AddFigure("firms_assessed", report.T("firms assessed", "参评物业企业"), len(e.firms))
	rep.AddFigure("clearance", report.T("firms flagged for clearance", "建议清退企业"), len(e.flags))
	rep.AddFigure("awards", report.T("awards paid", "奖励"), report.Yuan(evaluation.Total(e.commAwards).Add(evaluation.Total(e.firmAwards))))
}

// streetTable adds the complaints and the three rates by street, and the district.
func (o *outcome) streetTable(rep *report.Report) {
	t := rep.AddTable(report.NewTable("streets", report.T("Complaints and the three rates by street", "各街道诉求办理与三率"),
		report.C("street", "street", "街道"), report.C("complaints", "complaints", "诉求"),
		report.C("response", "response", "响应率"), report.C("resolution", "resolution", "解决率"),
		report.C("satisfaction", "satisfaction", "满意率"), report.C("within_2d", "within 2 days", "2日内办结"),
		report.C("escalated", "escalated", "上报比例"), report.C("composite", "composite", "综合得分")))
	for i, st := range o.w.Streets {
		r := o.stats.streets[i]
		t.Add(st.Name, r.Total, pct(r.Response), pct(r.Resolution), pct(r.Satisfaction), pct(within(r, 2)), pct(r.Escalated),
			report.Fixed(r.Composite.Mul(decimal.NewFromInt(100)), 2))
	}
	d := o.stats.district
	t.Add(report.T("district", "全区"), d.Total, pct(d.Response), pct(d.Resolution), pct(d.Satisfaction), pct(within(d, 2)), pct(d.Escalated),
		report.Fixed(d.Composite.Mul(decimal.NewFromInt(100)), 2))
}

// funnelTable adds the escalation funnel by rung.
func (o *outcome) funnelTable(rep *report.Report) {
	s := o.stats
	t := rep.AddTable(report.NewTable("funnel", report.T("Escalation funnel by rung", "逐级上报漏斗"),
		report.C("tier", "rung", "层级"), report.C("reached", "reached", "到达"),
		report.C("escalated_by_unit", "escalated by the unit", "主动上报"), report.C("escalated_by_sweeper", "escalated by the sweeper", "超时自动上报"),
		report.C("settled", "settled here", "在此办结"), report.C("settled_share", "share of settled", "办结占比")))
	var total int64
	for _, n := range s.settled {
		total += n
	}
	for i := range tiers {
		share := decimal.Zero
		if total > 0 {
			share = decimal.NewFromInt(s.settled[i]).DivRound(decimal.NewFromInt(total), 6)
		}
		t.Add(tierNames[i], s.reached[i], s.manual[i], s.auto[i], s.settled[i], report.Pct(share))
	}
}

// ruleNames are the rules' labels, in plan order.
func ruleNames() ([]string, map[string]report.Text) {
	ids := []string{}
	names := map[string]report.Text{}
	for _, r := range append(rules(), awardRules()...) {
		ids = append(ids, r.ID)
		names[r.ID] = report.T(r.NameEN, r.NameZH)
	}
	return ids, names
}

// budgetTables adds the budget by rule (plan vs actual) and the ledger runs.
func (o *outcome) budgetTables(rep *report.Report) {
	m := o.money
	ids, names := ruleNames()
	type row struct {
		lines                  int
		planned, midyear, paid decimal.Decimal
	}
	rows := map[string]*row{}
	for _, id := range ids {
		rows[id] = &row{}
	}
	add := func(pa funding.PlanActual, mid bool) {
		for _, l := range pa.Lines {
			r := rows[l.RuleID]
			if mid {
				r.midyear = r.midyear.Add(l.Net)
				continue
			}
			r.lines++
			r.planned = r.planned.Add(l.Planned)
			r.paid = r.paid.Add(l.Net)
		}
	}
	add(m.midyear, true)
	add(m.actual, false)
	add(m.awardActual, false)
	t := rep.AddTable(report.NewTable("budget", report.T("Budget by rule: plan vs actual", "资金按规则：计划与执行"),
		report.C("rule", "rule", "规则"), report.C("name", "what for", "用途"), report.C("lines", "lines", "笔数"),
		report.C("planned", "planned", "计划"), report.C("paid_h1", "paid by 30 June", "上半年拨付"),
		report.C("paid", "paid", "全年拨付"), report.C("utilisation", "utilisation", "执行率")))
	var total row
	for _, id := range ids {
		r := rows[id]
		t.Add(id, names[id], r.lines, report.Yuan(r.planned), report.Yuan(r.midyear), report.Yuan(r.paid), report.Pct(ratio(r.paid, r.planned)))
		total.lines += r.lines
		total.planned, total.midyear, total.paid = total.planned.Add(r.planned), total.midyear.Add(r.midyear), total.paid.Add(r.paid)
	}
	t.Add(report.T("total", "合计"), "", total.lines, report.Yuan(total.planned), report.Yuan(total.midyear), report.Yuan(total.paid),
		report.Pct(ratio(total.paid, total.planned)))

	p := rep.AddTable(report.NewTable("plan_vs_actual", report.T("Plan vs actual: the ledger runs", "计划执行：拨付批次"),
		report.C("run", "run", "批次"), report.C("lines_paid", "lines paid", "拨付笔数"), report.C("amount_paid", "amount paid", "拨付金额"),
		report.C("lines_deferred", "lines deferred", "待拨笔数"), report.C("amount_deferred", "amount deferred", "待拨金额")))
	p.Add(report.T("January, first tranche (60%)", "1月 第一批资金（60%）"), len(m.january.Paid), report.Yuan(m.january.PaidTotal),
		len(m.january.Failed), report.Yuan(m.january.FailedTotal))
	p.Add(report.T("July, second tranche (40%)", "7月 第二批资金（40%）"), len(m.july.Paid), report.Yuan(m.july.PaidTotal),
		len(m.july.Failed), report.Yuan(m.july.FailedTotal))
	p.Add(report.T("year-end awards", "年终奖励"), len(m.awards.Lines), report.Yuan(m.awardActual.Total.Net), 0, report.Yuan(decimal.Zero))
	p.Add(report.T("fund balance", "年末结余"), "", report.Yuan(m.left), "", "")
}

// ratio returns a/b, zero when b is zero.
func ratio(a, b decimal.Decimal) decimal.Decimal {
	if b.IsZero() {
		return decimal.Zero
	}
	return a.DivRound(b, 6)
}

// firmName returns the name of the firm with id.
func (o *outcome) firmName(id string) string {
	for _, f := range o.w.Firms {
		if f.ID == id {
			return f.Name
		}
	}
	return id
}

// firmTables adds the firms' ranking (top and bottom ten), the clearance list and the
// awards.
func (o *outcome) firmTables(rep *report.Report) {
	e := o.end
	cols := []report.Column{report.C("rank", "rank", "名次"), report.C("firm", "firm", "企业"),
		report.C("score", "score", "得分"), report.C("grade", "grade", "等级"),
		report.C("satisfaction", "satisfaction", "满意度"), report.C("resolution", "complaints resolved", "诉求解决率"),
		report.C("compounds", "compounds", "服务小区")}
	row := func(t *report.Table, s evaluation.Standing) {
		t.Add(s.Rank, o.firmName(s.SubjectID), report.Fixed(s.Score, 2), s.Grade, pct(s.Satisfaction), pct(s.Resolution), len(s.Evaluations))
	}
	top := rep.AddTable(report.NewTable("firms_top", report.T("Top ten property firms", "物业企业前十名"), cols...))
	for _, s := range e.firms[:min(10, len(e.firms))] {
		row(top, s)
	}
	bottom := rep.AddTable(report.NewTable("firms_bottom", report.T("Bottom ten property firms", "物业企业后十名"), cols...))
	for _, s := range e.firms[max(0, len(e.firms)-10):] {
		row(bottom, s)
	}
	cl := rep.AddTable(report.NewTable("clearance", report.T("Clearance list (清退建议)", "建议清退名单"),
		report.C("rank", "rank", "名次"), report.C("firm", "firm", "企业"), report.C("score", "score", "得分"),
		report.C("grade", "grade", "等级"), report.C("reasons", "reasons", "理由")))
	for _, f := range e.flags {
		cl.Add(f.Rank, o.firmName(f.SubjectID), report.Fixed(f.Score, 2), f.Grade,
			report.T(strings.Join(f.Reasons, "; "), strings.Join(f.ReasonsZH, "；")))
	}
	aw := rep.AddTable(report.NewTable("awards", report.T("Excellence awards (from the evaluations, paid by the fund)", "评优奖励（评议推荐，专项资金拨付）"),
		report.C("kind", "kind", "类别"), report.C("position", "position", "名次"), report.C("recipient", "recipient", "获奖单位"),
		report.C("score", "score", "得分"), report.C("grade", "grade", "等级"), report.C("amount", "amount", "奖励金额")))
	for _, a := range e.commAwards {
		name := a.RecipientID
		for _, c := range o.w.Communities {
			if c.ID == a.RecipientID {
				name = c.Name
			}
		}
		aw.Add(report.T("community", "社区"), a.Position, name, report.Fixed(a.Score, 2), a.Grade, report.Yuan(a.Amount))
	}
	for _, a := range e.firmAwards {
		aw.Add(report.T("property firm", "物业企业"), a.Position, o.firmName(a.RecipientID), report.Fixed(a.Score, 2), a.Grade, report.Yuan(a.Amount))
	}
}

// clearanceLine is the highest score among the firms flagged for clearance (0 when none).
func (o *outcome) clearanceLine() float64 {
	line := 0.0
	for _, f := range o.end.flags {
		line = max(line, f.Score.InexactFloat64())
	}
	return line
}

// charts adds the four charts: the funnel, the three rates by street, the budget by rule
// and the firms' score distribution with the clearance line.
func (o *outcome) charts(rep *report.Report) {
	s := o.stats
	var reached, settled []float64
	cats := make([]report.Text, tiers)
	for i := range tiers {
		cats[i] = tierNames[i]
		reached = append(reached, float64(s.reached[i]))
		settled = append(settled, float64(s.settled[i]))
	}
	rep.AddChart(report.Chart{ID: "funnel", Title: report.T("Escalation funnel by rung", "逐级上报漏斗"),
		XLabel: report.T("rung", "层级"), YLabel: report.T("complaints", "诉求数"), Kind: report.Bars, Categories: cats,
		Series: []report.Series{{Name: report.T("reached", "到达"), Values: reached}, {Name: report.T("settled here", "在此办结"), Values: settled}}})

	var streets []report.Text
	var resp, res, sat []float64
	for i, st := range o.w.Streets {
		streets = append(streets, report.T(st.ID, st.Name))
		r := s.streets[i]
		resp = append(resp, 100*r.Response.Value().InexactFloat64())
		res = append(res, 100*r.Resolution.Value().InexactFloat64())
		sat = append(sat, 100*r.Satisfaction.Value().InexactFloat64())
	}
	rep.AddChart(report.Chart{ID: "three_rates", Title: report.T("The three rates by street", "各街道三率"),
		XLabel: report.T("street", "街道"), YLabel: report.T("%", "%"), Kind: report.Bars, Categories: streets, YMin: 80,
		Series: []report.Series{{Name: report.T("response", "响应率"), Values: resp}, {Name: report.T("resolution", "解决率"), Values: res},
			{Name: report.T("satisfaction", "满意率"), Values: sat}}})

	ids, names := ruleNames()
	var planned, paid []float64
	var rules []report.Text
	byRule := map[string][2]float64{}
	for _, pa := range []funding.PlanActual{o.money.actual, o.money.awardActual} {
		for _, l := range pa.Lines {
			v := byRule[l.RuleID]
			v[0] += l.Planned.InexactFloat64()
			v[1] += l.Net.InexactFloat64()
			byRule[l.RuleID] = v
		}
	}
	for _, id := range ids {
		rules = append(rules, names[id])
		planned = append(planned, byRule[id][0]/10000)
		paid = append(paid, byRule[id][1]/10000)
	}
	rep.AddChart(report.Chart{ID: "budget", Title: report.T("Budget by rule", "资金按规则"),
		XLabel: report.T("rule", "规则"), YLabel: report.T("¥10,000", "万元"), Kind: report.Bars, Categories: rules,
		Series: []report.Series{{Name: report.T("planned", "计划"), Values: planned}, {Name: report.T("paid", "拨付"), Values: paid}}})

	var scores []float64
	for _, f := range o.end.firms {
		scores = append(scores, f.Score.InexactFloat64())
	}
	slices.Sort(scores)
	c := report.Chart{ID: "scores", Title: report.T("Property firms' scores", "物业企业年度得分分布"),
		XLabel: report.T("score", "得分"), YLabel: report.T("firms", "企业数"), Kind: report.Histogram, Bins: 20,
		Series: []report.Series{{Name: report.T("firms", "企业"), Values: scores}}}
	if line := o.clearanceLine(); line > 0 {
		c.Marks = []report.Mark{{Label: report.T("clearance line", "清退线"), At: line}}
	}
	rep.AddChart(c)
}
