package main

import (
	"context"
	"slices"

	"github.com/shopspring/decimal"

	"github.com/gridgov/gridgov/escalation"
	"github.com/gridgov/gridgov/evaluation"
	"github.com/gridgov/gridgov/examples/internal/report"
	"github.com/gridgov/gridgov/governance"
)

// tierNames label the tiers of the Duyun policy.
var tierNames = [tiers]report.Text{
	report.T("grid discovers and handles", "网格发现处置"),
	report.T("community collects", "社区汇总处置"),
	report.T("street whistles (吹哨)", "街道吹哨、部门报到"),
}

// build fills the report: key figures, the five-level chain, the re-districting and a
// sample of the history it left, Party members by category, the work flow by tier and by
// street, the firms' credit grades and the community take-overs, and three charts.
func build(ctx context.Context, opts report.Options, w *world, out *outcome, grades []graded, takeovers []takeover) (*report.Report, error) {
	rep := &report.Report{Program: name, Options: opts,
		Title: report.T("Duyun: five-level chain, re-districting, whistle and firm credit, one year",
			"都匀：五级组织链、社区区划调整、吹哨报到与物业信用评价年度运行")}
	all, err := out.eng.Metrics(ctx, escalation.MetricsQuery{From: out.from, To: out.to})
	if err != nil {
		return nil, err
	}
	rd := w.redistrict
	rep.AddTarget("communities_before", report.T("Communities before re-districting", "调整前社区"), rd.before, oldCommunities*opts.Scale)
	rep.AddTarget("communities_after", report.T("Communities after re-districting", "调整后社区"), rd.after, newCommunities*opts.Scale)
	rep.AddFigure("communities_created", report.T("Communities created", "新设社区"), rd.created)
	rep.AddFigure("communities_retired", report.T("Communities merged and retired", "合并撤销社区"), rd.retired)
	rep.AddFigure("compounds_moved", report.T("Compounds moved (history kept)", "调整隶属的小区（沿革可查）"), rd.moved)
	members := 0
	for _, n := range w.party {
		members += n
	}
	rep.AddFigure("party_members", report.T("Party members in the chain", "组织链中的党员"), members)
	rep.AddFigure("matters", report.T("Matters handled", "办理事项"), all.Total)
	rep.AddFigure("response_rate", report.T("Response rate", "响应率"), report.Pct(all.Response.Value()))
	rep.AddFigure("resolution_rate", report.T("Resolution rate", "解决率"), report.Pct(all.Resolution.Value()))
	rep.AddFigure("satisfaction_rate", report.T("Satisfaction rate", "满意率"), report.Pct(all.Satisfaction.Value()))
	if len(all.SettledByTier) > 0 {
		rep.AddFigure("settled_in_grid", report.T("Settled in the grid", "在网格办结"), report.Pct(all.SettledByTier[0].Share.Value()))
	}
	whistles := 0
	for _, c := range out.complaints {
		if c.Whistled {
			whistles++
		}
	}
	rep.AddFigure("whistles", report.T("Whistles blown", "街道吹哨"), whistles)
	rep.AddFigure("firms_graded", report.T("Property firms graded", "参评物业企业"), len(grades))
	rep.AddFigure("community_takeovers", report.T("Compounds taken over by community-run firms", "社区自办物业接管小区"), sumTakeovers(takeovers))

	if err := chainTable(ctx, rep, w); err != nil {
		return nil, err
	}
	redistrictTables(rep, w)
	if err := historyTable(ctx, rep, w); err != nil {
		return nil, err
	}
	partyTable(rep, w)
	if err := flowTables(ctx, rep, w, out, all); err != nil {
		return nil, err
	}
	creditTables(rep, w, grades, takeovers)
	return rep, nil
}

func sumTakeovers(ts []takeover) int {
	n := 0
	for _, t := range ts {
		n += t.compounds
	}
	return n
}

// chainTable counts the active nodes and organisations at each level of the chain.
func chainTable(ctx context.Context, rep *report.Report, w *world) error {
	nodes, err := w.reg.Descendants(ctx, w.root)
	if err != nil {
		return err
	}
	count := map[string]int{}
	for _, n := range nodes {
		count[n.Level]++
	}
	t := rep.AddTable(report.NewTable("chain", report.T("The five-level chain (五级组织链)", "五级组织链"),
		report.C("level", "Level", "层级"), report.C("organisation", "Party organisation", "党组织"), report.C("nodes", "Nodes", "节点数")))
	for _, l := range w.reg.Scheme().Levels[1:] {
		place := map[string]report.Text{"street": report.T("street", "街道"), "community": report.T("community", "社区"),
			"compound": report.T("compound", "小区"), "grid": report.T("grid", "网格"), "household": report.T("ten households", "十户联户")}[l.Key]
		t.Add(place, report.T(l.NameEN, l.NameZH), count[l.Key])
	}
	return nil
}

// redistrictTables show the re-districting by street.
func redistrictTables(rep *report.Report, w *world) {
	t := rep.AddTable(report.NewTable("redistricting", report.T("Re-districting: 26 communities into 45", "区划调整：26个社区调整为45个"),
		report.C("street", "Street", "街道"), report.C("before", "Before", "调整前"), report.C("retired", "Merged away", "合并撤销"),
		report.C("created", "Created", "新设"), report.C("after", "After", "调整后"), report.C("compounds", "Compounds", "小区")))
	var tot [5]int
	for _, st := range w.streets {
		var row [5]int
		for _, ci := range st.communities {
			c := w.communities[ci]
			if !c.created {
				row[0]++
			}
			if c.retired {
				row[1]++
			} else {
				row[3]++
				row[4] += len(c.compounds)
			}
			if c.created {
				row[2]++
			}
		}
		t.Add(st.name, row[0], row[1], row[2], row[3], row[4])
		for i := range row {
			tot[i] += row[i]
		}
	}
	t.Add(report.T("Total", "合计"), tot[0], tot[1], tot[2], tot[3], tot[4])
}

// historyTable shows the history (沿革) of the first retired community and of a compound
// moved out of it: retired nodes stay resolvable, and moves name the old and new parent.
func historyTable(ctx context.Context, rep *report.Report, w *world) error {
	t := rep.AddTable(report.NewTable("history", report.T("History kept by the registry (sample)", "节点沿革（示例）"),
		report.C("node", "Node", "节点"), report.C("name", "Name", "名称"), report.C("change", "Change", "变更"),
		report.C("at", "At", "时间"), report.C("from", "From", "原"), report.C("to", "To", "新"), report.C("note", "Note", "说明")))
	var ids []string
	for _, c := range w.communities {
		if c.retired {
			ids = append(ids, c.id)
			break
		}
	}
	for _, cp := range w.compounds {
		h, err := w.reg.History(ctx, cp.id)
		if err != nil {
			return err
		}
		if len(h) > 1 && len(ids) > 0 && h[1].From == ids[0] {
			ids = append(ids, cp.id)
			break
		}
	}
	for _, c := range w.communities {
		if c.created {
			ids = append(ids, c.id)
			break
		}
	}
	for _, id := range ids {
		n, err := w.reg.Node(ctx, id)
		if err != nil {
			return err
		}
		h, err := w.reg.History(ctx, id)
		if err != nil {
			return err
		}
		for _, ch := range h {
			t.Add(id, n.Name, string(ch.Kind), ch.At, ch.From, ch.To, ch.Note)
		}
	}
	return nil
}

// partyTable counts Party members by category and says how each is managed.
func partyTable(rep *report.Report, w *world) {
	t := rep.AddTable(report.NewTable("party_members", report.T("Party members by category", "党员分类管理"),
		report.C("category", "Category", "类别"), report.C("members", "Members", "人数"), report.C("managed", "How managed", "管理方式")))
	rows := []struct {
		cat     governance.PartyCategory
		label   report.Text
		managed report.Text
	}{
		{governance.PartyInService, report.T("in-service", "在职党员"), report.T("registered in the community where they live (双报到); answer the whistle", "到居住地社区双报到，吹哨时报到")},
		{governance.PartyRetired, report.T("retired", "离退休党员"), report.T("compound branch secretaries and household liaisons", "担任小区党支部书记、联户长")},
		{governance.PartyMobile, report.T("mobile", "流动党员"), report.T("household liaisons where they live now", "在现居住地担任联户长")},
		{governance.PartyResident, report.T("resident", "居民党员"), report.T("grid Party group leaders, committee chairs, liaisons", "网格党小组长、居委会主任、联户长")},
		{governance.PartySOESocial, report.T("SOE-socialised", "国企退休社会化管理党员"), report.T("household liaisons, managed by the community", "由社区管理，担任联户长")},
	}
	for _, r := range rows {
		t.Add(r.label, w.party[r.cat], r.managed)
	}
}

// flowTables show the work flow by tier (the funnel) and the three rates by street, with
// their charts.
func flowTables(ctx context.Context, rep *report.Report, w *world, out *outcome, all escalation.Report) error {
	var reached [tiers]int
	for _, c := range out.complaints {
		for k := 0; k <= c.MaxTier; k++ {
			reached[k]++
		}
	}
	f := rep.AddTable(report.NewTable("tiers", report.T("Work flow by tier: grid discovers, community collects, street whistles", "分级响应：网格发现、社区汇总、街道吹哨"),
		report.C("tier", "Tier", "层级"), report.C("reached", "Reached", "到达"), report.C("settled", "Settled there", "在此办结"),
		report.C("share", "Share of settled", "占办结")))
	var cats []report.Text
	var reachedF, settledF []float64
	for k := 0; k < tiers; k++ {
		var settled int64
		share := decimal.Zero
		if k < len(all.SettledByTier) {
			settled, share = all.SettledByTier[k].Count, all.SettledByTier[k].Share.Value()
		}
		f.Add(tierNames[k], reached[k], settled, report.Pct(share))
		cats = append(cats, tierNames[k])
		reachedF, settledF = append(reachedF, float64(reached[k])), append(settledF, float64(settled))
	}
	rep.AddChart(report.Chart{ID: "funnel", Kind: report.Bars,
		Title:  report.T("Escalation funnel by tier", "逐级上报漏斗"),
		XLabel: report.T("Tier", "层级"), YLabel: report.T("Matters", "件数"), Categories: cats,
		Series: []report.Series{{Name: report.T("Reached", "到达"), Values: reachedF}, {Name: report.T("Settled there", "在此办结"), Values: settledF}}})
	s := rep.AddTable(report.NewTable("sweeper", report.T("Sweeper (every 30 minutes on the working calendar)", "定时巡检（每30分钟，按工作日历）"),
		report.C("item", "Item", "项目"), report.C("count", "Count", "次数")))
	s.Add(report.T("Warnings (80% of a limit)", "预警（时限过80%）"), out.sweeps.Warnings)
	s.Add(report.T("Breaches", "超时"), out.sweeps.Breaches)
	s.Add(report.T("Automatic escalations", "自动上报"), out.sweeps.Escalations)

	t := rep.AddTable(report.NewTable("rates_by_street", report.T("Three rates by street", "各街道“三率”"),
		report.C("street", "Street", "街道"), report.C("matters", "Matters", "事项"), report.C("response", "Response", "响应率"),
		report.C("resolution", "Resolution", "解决率"), report.C("satisfaction", "Satisfaction", "满意率"),
		report.C("within_7d", "Within 7 days", "7天内解决"), report.C("composite", "Composite", "综合得分")))
	var streets []report.Text
	var resp, reso, sat []float64
	row := func(label any, m escalation.Report) {
		t.Add(label, m.Total, report.Pct(m.Response.Value()), report.Pct(m.Resolution.Value()), report.Pct(m.Satisfaction.Value()),
			report.Pct(withinDays(m, 7).Value()), report.Fixed(m.Composite.Mul(decimal.NewFromInt(100)), 2))
	}
	for _, st := range w.streets {
		m, err := out.eng.Metrics(ctx, escalation.MetricsQuery{NodeID: st.id, From: out.from, To: out.to})
		if err != nil {
			return err
		}
		row(st.name, m)
		if len(streets) < 30 {
			streets = append(streets, report.T(st.name, st.name))
			resp = append(resp, m.Response.Value().InexactFloat64()*100)
			reso = append(reso, m.Resolution.Value().InexactFloat64()*100)
			sat = append(sat, m.Satisfaction.Value().InexactFloat64()*100)
		}
	}
	row(report.T("City", "全市"), all)
	rep.AddChart(report.Chart{ID: "rates_by_street", Kind: report.Bars, YMin: 80,
		Title:  report.T("Three rates by street", "各街道“三率”"),
		XLabel: report.T("Street", "街道"), YLabel: report.T("Percent", "百分比"), Categories: streets,
		Series: []report.Series{{Name: report.T("Response", "响应率"), Values: resp}, {Name: report.T("Resolution", "解决率"), Values: reso},
			{Name: report.T("Satisfaction", "满意率"), Values: sat}}})
	return nil
}

// withinDays returns the share of settled matters resolved within days of submission.
func withinDays(m escalation.Report, days int) escalation.Rate {
	for _, wd := range m.Within {
		if wd.Days == days {
			return wd.Rate
		}
	}
	return escalation.Rate{}
}

// creditTables show the grade distribution, every firm's scorecard summary, the
// take-overs, and the score histogram with the band lines.
func creditTables(rep *report.Report, w *world, grades []graded, takeovers []takeover) {
	bands := evaluation.CreditBands()
	dist := map[string]int{}
	var scores []float64
	for _, g := range grades {
		dist[g.card.Grade]++
		scores = append(scores, g.card.Score.InexactFloat64())
	}
	d := rep.AddTable(report.NewTable("grades", report.T("Property-firm credit grades", "物业企业信用等级"),
		report.C("grade", "Grade", "等级"), report.C("band", "Band", "分数段"), report.C("firms", "Firms", "企业数"),
		report.C("share", "Share", "占比")))
	bandText := map[string]string{"AAA": "≥ 85", "AA": "80–85", "A": "70–80", "B": "60–70", "C": "< 60"}
	var cats []report.Text
	var counts []float64
	for _, b := range bands {
		share := decimal.Zero
		if len(grades) > 0 {
			share = decimal.NewFromInt(int64(dist[b.Grade])).DivRound(decimal.NewFromInt(int64(len(grades))), 6)
		}
		d.Add(b.Grade, bandText[b.Grade], dist[b.Grade], report.Pct(share))
		cats = append(cats, report.T(b.Grade, b.Grade))
		counts = append(counts, float64(dist[b.Grade]))
	}
	rep.AddChart(report.Chart{ID: "credit_grades", Kind: report.Bars,
		Title:  report.T("Property firms by credit grade", "物业企业信用等级分布"),
		XLabel: report.T("Grade", "等级"), YLabel: report.T("Firms", "企业数"), Categories: cats,
		Series: []report.Series{{Name: report.T("Firms", "企业数"), Values: counts}}})
	rep.AddChart(report.Chart{ID: "credit_scores", Kind: report.Histogram, Bins: 20,
		Title:  report.T("Credit scores with the grade lines", "信用评分分布及等级线"),
		XLabel: report.T("Score", "得分"), YLabel: report.T("Firms", "企业数"),
		Series: []report.Series{{Name: report.T("Firms", "企业数"), Values: scores}},
		Marks: []report.Mark{{Label: report.T("AAA 85", "AAA 85"), At: 85}, {Label: report.T("AA 80", "AA 80"), At: 80},
			{Label: report.T("A 70", "A 70"), At: 70}, {Label: report.T("B 60", "B 60"), At: 60}}})

	f := rep.AddTable(report.NewTable("firms", report.T("Firm scorecards (credit scheme)", "物业企业信用评分"),
		report.C("firm", "Firm", "企业"), report.C("compounds", "Compounds", "服务小区"), report.C("matters", "Matters", "事项"),
		report.C("base", "Base", "基础分"), report.C("merits", "Merits", "加分"), report.C("demerits", "Demerits", "减分"),
		report.C("score", "Score", "得分"), report.C("grade", "Grade", "等级"), report.C("veto", "Veto", "一票否决")))
	sorted := slices.Clone(grades)
	slices.SortStableFunc(sorted, func(a, b graded) int { return b.card.Score.Cmp(a.card.Score) })
	for _, g := range sorted {
		fm := w.firms[g.firm]
		veto := ""
		for _, v := range g.card.Vetoes {
			veto = v.Reason
		}
		f.Add(fm.name, len(fm.serves), g.matters, report.Fixed(g.card.Base, 2), report.Fixed(g.card.Merits, 2),
			report.Fixed(g.card.Demerits, 2), report.Fixed(g.card.Score, 2), g.card.Grade, veto)
	}

	to := rep.AddTable(report.NewTable("takeovers", report.T("Community-run firms for abandoned compounds (社区自办物业)", "社区自办物业接管弃管小区"),
		report.C("from", "Firm that walked out", "撤离企业"), report.C("community", "Community", "社区"),
		report.C("to", "Community-run firm", "社区自办物业"), report.C("compounds", "Compounds", "接管小区")))
	for _, t := range takeovers {
		to.Add(t.from, w.communities[t.community].name, t.to, t.compounds)
	}
}
