package main

import (
	"context"
	"sort"

	"github.com/shopspring/decimal"

	"github.com/gridgov/gridgov/examples/internal/report"
	"github.com/gridgov/gridgov/governance/deliberation"
)

// report builds the year's report from the forum, the registry and the records.
func (w *world) report(ctx context.Context, opts report.Options, recs []record) (*report.Report, error) {
	rep := &report.Report{Program: name, Options: opts,
		Title: report.T("Beiyuan street: a year of resident deliberation", "北园街道亲邻议事年度报告")}
	cov, err := w.reg.Coverage(ctx, "st")
	if err != nil {
		return nil, err
	}
	s := opts.Scale
	rep.AddTarget("compounds", report.T("Compounds", "小区"), cov.Compounds, compoundsPerScale*s)
	rep.AddTarget("compound_branches", report.T("Compounds with their own Party branch", "建立党支部的小区"), cov.WithPartyBranch, branchesPerScale*s)
	rep.AddFigure("owners_committees", report.T("Owners' committees", "业主委员会"),
		cov.WithOwnersCommittee)
	rep.AddFigure("management_committees", report.T("Property management committees", "物业管理委员会"), cov.WithManagementCommittee)
	rep.AddFigure("buildings", report.T("Buildings", "楼栋"), len(w.buildings))

	var meetings, settled, firstRound, referred, voted int
	for _, rc := range recs {
		it := rc.Item
		if !it.Meeting.HeldAt.IsZero() {
			meetings++
		}
		if !it.Referral.ReferredAt.IsZero() {
			referred++
		}
		switch it.State {
		case deliberation.StateClosed:
			settled++
		case deliberation.StateSettled:
			firstRound++
		}
		if rc.Voted {
			voted++
		}
	}
	rep.AddFigure("items", report.T("Agenda items raised", "议题总数"), len(recs))
	rep.AddFigure("settled_first_round", report.T("Settled in the compound's first round", "小区首轮协商化解"), firstRound)
	rep.AddFigure("referred", report.T("Referred to the community Party committee", "提交社区党委"), referred)
	rep.AddTarget("meetings", report.T("Consultation meetings held", "召开亲邻议事会"), meetings, meetingsPerScale*s)
	rep.AddTarget("settled_by_meetings", report.T("Matters settled through the meetings (closed)", "经议事会解决问题（已办结）"), settled, settledPerScale*s)
	rep.AddFigure("owners_votes", report.T("Owners' votes under Civil Code art. 278", "按民法典第278条业主表决"), voted)

	outcomes(rep, recs)
	sources(rep, recs)
	votes(rep, recs)
	if err := boundaries(rep); err != nil {
		return nil, err
	}
	if err := workedCase(rep, recs); err != nil {
		return nil, err
	}
	if err := costs(rep, recs); err != nil {
		return nil, err
	}
	if err := w.disclosures(ctx, rep); err != nil {
		return nil, err
	}
	w.byCommunity(rep, recs)
	return rep, nil
}

// stateLabel is a state's bilingual label.
func stateLabel(st deliberation.State) report.Text { return report.T(string(st), st.NameZH()) }

// outcomes tabulates and charts where the items stand at the year's end.
func outcomes(rep *report.Report, recs []record) {
	n := map[deliberation.State]int{}
	for _, rc := range recs {
		n[rc.Item.State]++
	}
	t := rep.AddTable(report.NewTable("outcomes", report.T("Agenda items by outcome at year end", "议题年末办理结果"),
		report.C("state", "Outcome", "结果"), report.C("items", "Items", "议题数"), report.C("share", "Share", "占比")))
	ch := report.Chart{ID: "outcomes", Title: report.T("Agenda items by outcome", "议题办理结果"),
		XLabel: report.T("outcome", "结果"), YLabel: report.T("items", "议题数"), Kind: report.Bars,
		Series: []report.Series{{Name: report.T("items", "议题数")}}}
	for _, st := range deliberation.States() {
		if n[st] == 0 {
			continue
		}
		t.Add(stateLabel(st), n[st], report.Pct(ratio(n[st], len(recs))))
		ch.Categories = append(ch.Categories, stateLabel(st))
		ch.Series[0].Values = append(ch.Series[0].Values, float64(n[st]))
	}
	rep.AddChart(ch)
}

// sources tabulates the items by source and category.
func sources(rep *report.Report, recs []record) {
	type key struct{ src, cat string }
	n := map[key][2]int{}
	for _, rc := range recs {
		k := key{string(rc.Item.Source), rc.Item.Category}
		v := n[k]
		v[0]++
		if rc.Item.State == deliberation.StateClosed {
			v[1]++
		}
		n[k] = v
	}
	keys := make([]key, 0, len(n))
	for k := range n {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool {
		if keys[i].src != keys[j].src {
			return keys[i].src < keys[j].src
		}
		return keys[i].cat < keys[j].cat
	})
	t := rep.AddTable(report.NewTable("sources", report.T("Agenda items by source and matter", "议题来源与类别"),
		report.C("source", "Source", "来源"), report.C("category", "Matter", "类别"),
		report.C("items", "Items", "议题数"), report.C("closed", "Closed", "已办结")))
	for _, k := range keys {
		t.Add(sourceLabel(deliberation.Source(k.src)), categoryLabel(k.cat), n[k][0], n[k][1])
	}
}

// sourceLabel is a source's bilingual label.
func sourceLabel(s deliberation.Source) report.Text {
	switch s {
	case deliberation.SourceComplaint:
		return report.T("complaint", "诉求转议题")
	case deliberation.SourceBuildingMeeting:
		return report.T("building meeting", "楼栋会")
	case deliberation.SourceChatGroup:
		return report.T("chat group", "楼栋群")
	}
	return report.T(string(s), string(s))
}

// ratio returns a/b exactly enough for a percentage (zero when b is zero).
func ratio(a, b int) decimal.Decimal {
	if b == 0 {
		return decimal.Zero
	}
	return decimal.NewFromInt(int64(a)).DivRound(decimal.NewFromInt(int64(b)), 6)
}

// ratioD returns a/b for decimals (zero when b is zero).
func ratioD(a, b decimal.Decimal) decimal.Decimal {
	if b.IsZero() {
		return decimal.Zero
	}
	return a.DivRound(b, 6)
}

// categoryLabel is a matter category's bilingual label.
func categoryLabel(c string) report.Text {
	zh := map[string]string{deliberation.CategoryUnitDoor: "单元门", deliberation.CategoryElevator: "电梯",
		deliberation.CategoryCharger: "充电桩", deliberation.CategoryParking: "停车", deliberation.CategoryGreenery: "绿化",
		deliberation.CategoryHeating: "供暖", deliberation.CategorySanitation: "环境卫生", deliberation.CategoryNoise: "噪音"}[c]
	return report.T(c, zh)
}
