package main

import (
	"context"
	"strings"

	"github.com/gridgov/gridgov/escalation"
	"github.com/gridgov/gridgov/examples/internal/report"
	"github.com/gridgov/gridgov/governance"
	"github.com/shopspring/decimal"
)

// results are what the simulation produced, for the report.
type results struct {
	w      *world
	ladder *ladderResult
	points pointsResult
	eval   *evalResult
}

// tierNames name the ladder's tiers by level key, with the saying of where each kind of
// matter is settled (隐患消解在网格、小事化解在社区、大事解决在街道).
var tierNames = map[string]struct{ name, saying report.Text }{
	"building":  {report.T("building", "楼栋"), report.T("found and settled on the spot", "楼栋发现、就地化解")},
	"compound":  {report.T("grid (compound)", "网格（小区）"), report.T("hazards defused in the grid", "隐患消解在网格")},
	"community": {report.T("community", "社区"), report.T("small matters settled in the community", "小事化解在社区")},
	"street":    {report.T("street", "街道"), report.T("big matters solved in the street", "大事解决在街道")},
}

// build fills the report.
func (r results) build(ctx context.Context, opts report.Options) (*report.Report, error) {
	rep := &report.Report{Program: "xiangshan", Options: opts,
		Title: report.T("Xiangshan, Huaibei: Party-led grid governance, a simulated year",
			"淮北市相山区党建引领网格化治理：模拟年度报告")}
	cov, err := r.w.reg.Coverage(ctx, r.w.root)
	if err != nil {
		return nil, err
	}
	if err := r.coverage(ctx, rep, cov, opts.Scale); err != nil {
		return nil, err
	}
	r.ladderTables(rep)
	r.pointsTable(rep)
	r.evaluationTables(rep, opts.Scale)
	return rep, nil
}

// coverage adds the organisation figures, the coverage table by street and its chart.
func (r results) coverage(ctx context.Context, rep *report.Report, cov governance.CoverageReport, scale int) error {
	n := func(x int) int { return x * scale }
	rep.AddTarget("compound_party_orgs", report.T("compound/grid Party organisations", "小区（网格）党组织"), cov.WithPartyBranch, n(baseCompounds))
	rep.AddTarget("red_owners_committees", report.T("red owners' committees", "红色业委会"), cov.RedOwnersCommittees, n(baseRed))
	rep.AddTarget("management_committees", report.T("property management committees", "物业管理委员会"), cov.WithManagementCommittee, n(baseCompounds-baseRed))
	rep.AddTarget("committee_coverage", report.T("compounds with a committee", "业委会（物管会）覆盖率"),
		report.Pct(ratio(cov.WithOwnersCommittee+cov.WithManagementCommittee, cov.Compounds)), report.Pct(decimal.NewFromInt(1)))
	rep.AddTarget("property_firms", report.T("property firms", "物业企业"), cov.Firms, n(baseFirms))
	rep.AddTarget("firms_with_branch", report.T("firms with their own Party branch", "单独建立党支部的物业企业"), cov.FirmsWithBranch, n(baseFirmBranch))
	rep.AddTarget("firms_with_instructor", report.T("firms with a Party-building instructor", "选派党建指导员的物业企业"), cov.FirmsWithInstructor, n(baseFirms-baseFirmBranch))
	rep.AddFigure("cross_appointment_rate", report.T("branch members cross-appointed to the committee", "交叉任职率"), report.Pct(cov.CrossAppointmentRate()))
	rep.AddFigure("one_shoulder", report.T("compounds where the branch secretary chairs the committee", "书记兼任业委会（物管会）主任（一肩挑）"), cov.OneShoulder)

	t := rep.AddTable(report.NewTable("coverage", report.T("Coverage by street (firms counted where they serve)", "各街道组织覆盖情况（物业企业按服务范围计）"),
		report.C("street", "street", "街道"), report.C("compounds", "compounds", "小区"), report.C("party_branches", "Party branches", "小区党支部"),
		report.C("red_owners_committees", "red owners' cttees", "红色业委会"), report.C("management_committees", "mgmt cttees", "物管会"),
		report.C("without_committee", "neither", "均无"), report.C("firms", "firms", "物业企业"), report.C("firms_with_branch", "with branch", "有党支部"),
		report.C("firms_with_instructor", "with instructor", "有指导员"), report.C("firms_with_neither", "neither", "均无"),
		report.C("cross_appointment_rate", "cross-appointed", "交叉任职率"), report.C("one_shoulder", "one shoulder", "一肩挑")))
	row := func(name any, c governance.CoverageReport) {
		t.Add(name, c.Compounds, c.WithPartyBranch, c.RedOwnersCommittees, c.WithManagementCommittee, len(c.WithNeither),
			c.Firms, c.FirmsWithBranch, c.FirmsWithInstructor, len(c.FirmsWithNeither), report.Pct(c.CrossAppointmentRate()), c.OneShoulder)
	}
	for _, st := range r.w.streets {
		c, err := r.w.reg.Coverage(ctx, st.id)
		if err != nil {
			return err
		}
		row(st.name, c)
	}
	row(report.T("district", "全区"), cov)

	rep.AddChart(report.Chart{ID: "coverage", Kind: report.Bars,
		Title:  report.T("Coverage: every compound has a committee, every firm a branch or an instructor", "覆盖：小区均有业委会或物管会，物业企业均有党支部或指导员"),
		YLabel: report.T("count", "个数"),
		Categories: []report.Text{report.T("red owners' cttees", "红色业委会"), report.T("mgmt cttees", "物管会"),
			report.T("firms with branch", "有党支部的企业"), report.T("firms with instructor", "有指导员的企业")},
		Series: []report.Series{{Name: report.T("organisations", "组织"), Values: []float64{
			float64(cov.RedOwnersCommittees), float64(cov.WithManagementCommittee), float64(cov.FirmsWithBranch), float64(cov.FirmsWithInstructor)}}}})
	return nil
}

// ladderTables adds the ladder's figures, where matters were settled, the closed loop,
// the three rates by street and the settled-by-tier chart.
func (r results) ladderTables(rep *report.Report) {
	m := r.ladder.metrics
	rep.AddFigure("complaints", report.T("matters taken in", "受理诉求"), m.Total)
	for _, tc := range m.SettledByTier {
		rep.AddFigure("settled_"+tc.Level, report.T("settled at "+tierNames[tc.Level].name.EN, "化解在"+tierNames[tc.Level].name.ZH), report.Pct(tc.Share.Value()))
	}
	rep.AddFigure("response_rate", report.T("response rate", "响应率"), report.Pct(m.Response.Value()))
	rep.AddFigure("resolution_rate", report.T("resolution rate", "解决率"), report.Pct(m.Resolution.Value()))
	rep.AddFigure("satisfaction_rate", report.T("satisfaction rate", "满意率"), report.Pct(m.Satisfaction.Value()))

	tiers := rep.AddTable(report.NewTable("ladder", report.T("Where matters were settled (building → grid → community → street)", "诉求化解层级（楼栋—网格—社区—街道）"),
		report.C("tier", "tier", "层级"), report.C("saying", "saying", "要求"), report.C("response_limit", "respond within", "响应时限"),
		report.C("resolution_limit", "resolve within", "办结时限"), report.C("settled", "settled", "化解件数"), report.C("share", "share", "占比")))
	limits := map[string]escalation.Tier{}
	for _, tr := range r.ladder.eng.Policy().Tiers {
		limits[tr.Level] = tr
	}
	var cats []report.Text
	var counts []float64
	for _, tc := range m.SettledByTier {
		tr := limits[tc.Level]
		tiers.Add(tierNames[tc.Level].name, tierNames[tc.Level].saying, limitText(tr.ResponseLimit), limitText(tr.ResolutionLimit), tc.Count, report.Pct(tc.Share.Value()))
		cats = append(cats, tierNames[tc.Level].name)
		counts = append(counts, float64(tc.Count))
	}
	rep.AddChart(report.Chart{ID: "settled_by_tier", Kind: report.Bars,
		Title:  report.T("Where matters were settled", "诉求在哪一级化解"),
		XLabel: report.T("tier", "层级"), YLabel: report.T("matters", "件数"),
		Categories: cats, Series: []report.Series{{Name: report.T("settled", "化解件数"), Values: counts}}})

	loop := rep.AddTable(report.NewTable("closed_loop", report.T("The closed loop", "闭环流程"),
		report.C("stage", "stage", "环节"), report.C("count", "count", "数量"), report.C("note", "note", "说明")))
	archived := m.ByState[escalation.StateArchived]
	loop.Add(report.T("grid convenes", "网格召集"), m.Total, report.T("taken in by the grid worker and referred to the building", "网格员受理并转办楼栋"))
	loop.Add(report.T("tiered referral", "分级转办"), r.ladder.handEscalations, report.T("escalated by the handler: beyond its remit", "超出本级权限，逐级上报"))
	loop.Add(report.T("tiered referral (sweeper)", "分级转办（超时自动）"), r.ladder.sweep.Escalations, report.T("limit breached: moved up by the sweeper", "超时未响应或未办结，自动上报"))
	loop.Add(report.T("whistle", "街道吹哨"), r.ladder.whistles, report.T("the street summons the five parties", "街道吹哨，五方报到"))
	solved := m.Resolution.Numerator.String()
	loop.Add(report.T("handling", "问题处置"), archived, report.T("resolved by the handler; the reporters call "+solved+" solved",
		"承办人办结；诉求人认为已解决 "+solved+" 件"))
	loop.Add(report.T("verification and feedback", "核查反馈"), archived, report.T("verified by a level other than the handler", "由非承办人核查"))
	loop.Add(report.T("evaluation and archiving", "评议归档"), archived, report.T("rated by the reporter and archived", "诉求人评价后归档"))
	loop.Add(report.T("sweeper warnings", "临期预警"), r.ladder.sweep.Warnings, report.T("80% of a limit passed", "时限过八成"))

	streets := rep.AddTable(report.NewTable("rates_by_street", report.T("The three rates by street", "各街道三率"),
		report.C("street", "street", "街道"), report.C("complaints", "matters", "诉求"), report.C("response", "response", "响应率"),
		report.C("resolution", "resolution", "解决率"), report.C("satisfaction", "satisfaction", "满意率"),
		report.C("escalated", "escalated", "上报率"), report.C("on_time", "on time", "按时办结率")))
	for i, sm := range r.ladder.byStreet {
		streets.Add(r.w.streets[i].name, sm.Total, report.Pct(sm.Response.Value()), report.Pct(sm.Resolution.Value()),
			report.Pct(sm.Satisfaction.Value()), report.Pct(sm.Escalated.Value()), report.Pct(sm.OnTime.Value()))
	}
	streets.Add(report.T("district", "全区"), m.Total, report.Pct(m.Response.Value()), report.Pct(m.Resolution.Value()),
		report.Pct(m.Satisfaction.Value()), report.Pct(m.Escalated.Value()), report.Pct(m.OnTime.Value()))
}

// limitText shows a tier's limit in both languages.
func limitText(l escalation.Limit) report.Text { return report.T(l.String(), l.NameZH()) }

// pointsTable adds the grid points figures and table.
func (r results) pointsTable(rep *report.Report) {
	p := r.points
	rep.AddFigure("points_earned", report.T("grid points earned", "网格积分获取"), p.earned)
	rep.AddFigure("points_redeemed", report.T("grid points redeemed", "网格积分兑换"), p.redeemed)
	rep.AddFigure("points_expired", report.T("grid points lapsed", "网格积分过期"), p.expired)
	t := rep.AddTable(report.NewTable("grid_points", report.T("Grid points (valid 12 months, first in first out)", "网格积分（有效期十二个月，先进先出）"),
		report.C("item", "item", "项目"), report.C("points", "points", "积分"), report.C("note", "note", "说明")))
	for i, a := range activities {
		t.Add(report.T("earned: "+a.en, "获取："+a.zh), p.earnedBy[i], report.T("", ""))
	}
	t.Add(report.T("earned in the year", "年度获取合计"), p.earned, report.T("", ""))
	t.Add(report.T("redeemed for services and goods", "兑换服务和物品"), p.redeemed, report.T(itoa(p.redemptions)+" redemptions", itoa(p.redemptions)+" 次兑换"))
	t.Add(report.T("lapsed unredeemed", "过期作废"), p.expired, report.T("earned up to a year earlier", "含上年获取部分"))
	t.Add(report.T("held at year end", "年末余额"), p.balance, report.T(itoa(p.holders)+" members hold points", itoa(p.holders)+" 人持有积分"))
	t.Add(report.T("lapsing within 30 days", "30 天内到期"), p.expiringSoon, report.T("unless redeemed", "如不兑换将作废"))
}

// evaluationTables adds the one report, two evaluations: committee grades, the firm
// ranking with the clearance flags, the flagged firms and the score chart.
func (r results) evaluationTables(rep *report.Report, scale int) {
	e := r.eval
	rule := clearanceRule()
	rep.AddFigure("clearance_rule", report.T("clearance rule", "清退规则"),
		report.T("bottom 20% of the ranking AND resident satisfaction < 80%", rule.Name))
	rep.AddTarget("firms_flagged", report.T("firms flagged for clearance", "建议清退物业企业"), len(e.flags), basePoorFirms*scale)

	red, mgmt := e.committeeGrades(r.w)
	ct := rep.AddTable(report.NewTable("committee_grades", report.T("Committee evaluations, published to the owners", "业委会（物管会）评议结果（向业主公示）"),
		report.C("grade", "grade", "等级"), report.C("red_owners_committees", "red owners' cttees", "红色业委会"),
		report.C("management_committees", "mgmt cttees", "物管会")))
	for _, b := range e.committeeBands {
		ct.Add(b.Grade, red[b.Grade], mgmt[b.Grade])
	}

	served := map[string]int{}
	for _, cp := range r.w.compounds {
		served[r.w.firms[cp.firm].id]++
	}
	party := map[string]bool{}
	for _, f := range r.w.firms {
		party[f.id] = f.branch
	}
	ft := rep.AddTable(report.NewTable("firm_ranking", report.T("Firm assessment by the property authority", "物业主管部门年度考核排名"),
		report.C("rank", "rank", "名次"), report.C("firm", "firm", "物业企业"), report.C("party", "Party coverage", "党建覆盖"),
		report.C("compounds", "compounds", "服务小区"), report.C("score", "score", "得分"), report.C("grade", "grade", "等级"),
		report.C("satisfaction", "satisfaction", "满意度"), report.C("resolution", "resolution", "解决率"), report.C("flagged", "flagged", "建议清退")))
	var scores []float64
	for _, s := range e.ranked {
		cover := report.T("instructor", "指导员")
		if party[s.SubjectID] {
			cover = report.T("own branch", "党支部")
		}
		flagged := e.flagged(s.SubjectID)
		ft.Add(s.Rank, r.w.firmName(s.SubjectID), cover, served[s.SubjectID], report.Fixed(s.Score, 2), s.Grade,
			report.Pct(s.Satisfaction.Value()), report.Pct(s.Resolution.Value()), flagged)
		f, _ := s.Score.Float64()
		scores = append(scores, f)
	}

	cl := rep.AddTable(report.NewTable("clearance", report.T("Firms flagged for clearance: "+"bottom 20% of the ranking AND resident satisfaction < 80%", "建议清退的物业企业："+rule.Name),
		report.C("rank", "rank", "名次"), report.C("firm", "firm", "物业企业"), report.C("score", "score", "得分"),
		report.C("grade", "grade", "等级"), report.C("reason", "reason", "理由")))
	for _, f := range e.flags {
		cl.Add(f.Rank, r.w.firmName(f.SubjectID), report.Fixed(f.Score, 2), f.Grade,
			report.T(strings.Join(f.Reasons, "; "), strings.Join(f.ReasonsZH, "；")))
	}

	line, _ := e.clearanceLine.Float64()
	rep.AddChart(report.Chart{ID: "score_distribution", Kind: report.Histogram, Bins: 20,
		Title:  report.T("Firm scores and the clearance line", "物业企业得分分布与清退线"),
		XLabel: report.T("score", "得分"), YLabel: report.T("firms", "企业数"),
		Series: []report.Series{{Name: report.T("firms", "物业企业"), Values: scores}},
		Marks:  []report.Mark{{Label: report.T("bottom 20% line", "后20%线"), At: line}}})
}

// ratio is n/d as a decimal rounded to four places (zero when d is zero).
func ratio(n, d int) decimal.Decimal {
	if d == 0 {
		return decimal.Zero
	}
	return decimal.NewFromInt(int64(n)).DivRound(decimal.NewFromInt(int64(d)), 4)
}

// itoa formats n in decimal.
func itoa(n int) string { return decimal.NewFromInt(int64(n)).String() }
