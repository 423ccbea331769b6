package main

import (
	"context"
	"strconv"
	"time"

	"github.com/shopspring/decimal"

	"github.com/gridgov/gridgov/escalation"
	"github.com/gridgov/gridgov/examples/internal/report"
	"github.com/gridgov/gridgov/examples/internal/sim"
)

// tierLevels are the policy's tier levels, lowest first.
var tierLevels = []string{"building", "community", "street", "district"}

// tierLabels are the tiers' labels with Daxing's saying.
var tierLabels = []report.Text{
	report.T("building", "楼栋（小事不出楼）"), report.T("community", "社区（大事不出社区）"),
	report.T("street", "街道（难事不出街乡）"), report.T("district", "区级部门"),
}

// report builds the year's report.
func (w *world) report(ctx context.Context, opts report.Options, done []escalation.Complaint, ts []takeover,
	before, after int) (*report.Report, error) {
	rep := &report.Report{Program: name, Options: opts,
		Title: report.T("Daxing: the whistle and the three rates", "大兴区吹哨报到与接诉即办“三率”")}
	from, to := sim.YearStart(opts.Year), sim.YearStart(opts.Year+1)
	pilot, other, err := tallies(done, w)
	if err != nil {
		return nil, err
	}
	pr := pilot.Report()
	or := other.Report()
	pilots := 0
	for _, c := range w.communities {
		if c.Pilot {
			pilots++
		}
	}
	rep.AddFigure("pilot_communities", report.T("Pilot communities", "试点社区"), pilots)
	rep.AddFigure("complaints", report.T("Hotline complaints", "接诉件数"), len(done))
	rep.AddFigure("pilot_complaints", report.T("of which in the pilot communities", "其中试点社区"), pr.Total)
	rep.AddTarget("pilot_response", report.T("Pilot: response rate", "试点：响应率"), report.Pct(pr.Response.Value()), report.Pct(dec(targetResponse)))
	rep.AddTarget("pilot_resolution", report.T("Pilot: resolution rate", "试点：解决率"), report.Pct(pr.Resolution.Value()), report.Pct(dec(targetResolution)))
	rep.AddTarget("pilot_satisfaction", report.T("Pilot: satisfaction rate", "试点：满意率"), report.Pct(pr.Satisfaction.Value()), report.Pct(dec(targetSatisfaction)))
	rep.AddFigure("pilot_composite", report.T("Pilot: composite (0.1/0.5/0.4)", "试点：综合得分"), report.Fixed(pr.Composite.Mul(decimal.NewFromInt(100)), 2))
	rep.AddFigure("other_response", report.T("Other communities: response rate", "非试点：响应率"), report.Pct(or.Response.Value()))
	rep.AddFigure("other_resolution", report.T("Other communities: resolution rate", "非试点：解决率"), report.Pct(or.Resolution.Value()))
	rep.AddFigure("other_satisfaction", report.T("Other communities: satisfaction rate", "非试点：满意率"), report.Pct(or.Satisfaction.Value()))
	whistles, summoned := 0, 0
	for _, c := range done {
		if len(c.Summons) > 0 {
			whistles++
			summoned += len(c.Summons)
		}
	}
	rep.AddFigure("whistles", report.T("Whistles blown (吹哨)", "吹哨次数"), whistles)
	rep.AddFigure("reports", report.T("Parties reported (报到)", "报到单位次数"), summoned)
	rep.AddFigure("late_reports", report.T("of which late (over 30 minutes)", "其中超过30分钟"), pr.LateReports+or.LateReports)
	rep.AddTarget("unmanaged_start", report.T("Compounds without property management at the start", "年初无物业管理小区"), before, unmanagedPerScale*opts.Scale)
	rep.AddFigure("brought_under_management", report.T("Brought under management during the year", "年内纳入管理"), len(ts))
	rep.AddTarget("unmanaged_end", report.T("Compounds without property management at year end", "年末无物业管理小区"), after, 0)

	if err := w.rates(ctx, rep, from, to, pr); err != nil {
		return nil, err
	}
	settled(rep, pr, or)
	within(rep, pr, or)
	w.management(rep, ts)
	return rep, nil
}

// dec parses a decimal constant.
func dec(s string) decimal.Decimal { return decimal.RequireFromString(s) }

// tallies counts the pilot communities' complaints and the others' apart.
func tallies(done []escalation.Complaint, w *world) (pilot, other *escalation.Tally, err error) {
	if pilot, err = escalation.NewTally(escalation.DefaultDefinitions(), tierLevels...); err != nil {
		return nil, nil, err
	}
	if other, err = escalation.NewTally(escalation.DefaultDefinitions(), tierLevels...); err != nil {
		return nil, nil, err
	}
	pilotOf := map[string]bool{}
	for _, c := range w.communities {
		pilotOf[c.ID] = c.Pilot
	}
	for _, c := range done {
		if pilotOf[c.Path[2]] { // district, street, community, …
			pilot.Add(c)
		} else {
			other.Add(c)
		}
	}
	return pilot, other, nil
}

// rates tabulates the three rates per community from the engine's metrics and charts them
// against the published pilot figures.
func (w *world) rates(ctx context.Context, rep *report.Report, from, to time.Time, pilot escalation.Report) error {
	t := rep.AddTable(report.NewTable("rates", report.T("The three rates by community", "分社区“三率”"),
		report.C("street", "Street", "街道"), report.C("community", "Community", "社区"), report.C("pilot", "Pilot", "试点"),
		report.C("complaints", "Complaints", "件数"), report.C("callbacks", "Call-backs", "有效回访"),
		report.C("response", "Response", "响应率"), report.C("resolution", "Resolution", "解决率"),
		report.C("satisfaction", "Satisfaction", "满意率"), report.C("composite", "Composite", "综合得分")))
	ch := report.Chart{ID: "rates", Title: report.T("The three rates by community against the pilot's published rates",
		"分社区“三率”与试点公布值"), XLabel: report.T("community", "社区"), YLabel: report.T("%", "%"), Kind: report.Bars, YMin: 80,
		Series: []report.Series{{Name: report.T("response", "响应率")}, {Name: report.T("resolution", "解决率")},
			{Name: report.T("satisfaction", "满意率")}},
		Marks: []report.Mark{{Label: report.T("resolution 95.02%", "解决率95.02%"), At: 95.02},
			{Label: report.T("satisfaction 94.47%", "满意率94.47%"), At: 94.47}}}
	for _, c := range w.communities {
		m, err := w.engine.Metrics(ctx, escalation.MetricsQuery{NodeID: c.ID, From: from, To: to})
		if err != nil {
			return err
		}
		t.Add(c.Street.Name, c.Name, c.Pilot, m.Total, m.Satisfaction.Denominator, report.Pct(m.Response.Value()),
			report.Pct(m.Resolution.Value()), report.Pct(m.Satisfaction.Value()), report.Fixed(m.Composite.Mul(decimal.NewFromInt(100)), 2))
		ch.Categories = append(ch.Categories, report.T(c.ID, c.Name))
		ch.Series[0].Values = append(ch.Series[0].Values, pct(m.Response))
		ch.Series[1].Values = append(ch.Series[1].Values, pct(m.Resolution))
		ch.Series[2].Values = append(ch.Series[2].Values, pct(m.Satisfaction))
	}
	t.Add(report.T("all pilots", "试点合计"), "", true, pilot.Total, pilot.Satisfaction.Denominator, report.Pct(pilot.Response.Value()),
		report.Pct(pilot.Resolution.Value()), report.Pct(pilot.Satisfaction.Value()), report.Fixed(pilot.Composite.Mul(decimal.NewFromInt(100)), 2))
	rep.AddChart(ch)
	return nil
}

// pct returns a rate as a percentage, for charts.
func pct(r escalation.Rate) float64 { return r.Value().InexactFloat64() * 100 }

// settled tabulates and charts where matters were settled, by tier.
func settled(rep *report.Report, pilot, other escalation.Report) {
	t := rep.AddTable(report.NewTable("settled_by_tier", report.T("Where matters were settled, by tier", "诉求化解层级分布"),
		report.C("tier", "Tier", "层级"), report.C("pilot", "Pilot", "试点件数"), report.C("pilot_share", "Pilot share", "试点占比"),
		report.C("other", "Other", "非试点件数"), report.C("other_share", "Other share", "非试点占比")))
	ch := report.Chart{ID: "settled_by_tier", Title: report.T("Where matters were settled", "诉求化解层级分布"),
		XLabel: report.T("tier", "层级"), YLabel: report.T("% of settled matters", "占办结件数%"), Kind: report.Bars,
		Categories: tierLabels, Series: []report.Series{{Name: report.T("pilot", "试点社区")}, {Name: report.T("other", "非试点社区")}}}
	for i, l := range tierLevels {
		p, o := tierCount(pilot, l), tierCount(other, l)
		t.Add(tierLabels[i], p.Count, report.Pct(p.Share.Value()), o.Count, report.Pct(o.Share.Value()))
		ch.Series[0].Values = append(ch.Series[0].Values, pct(p.Share))
		ch.Series[1].Values = append(ch.Series[1].Values, pct(o.Share))
	}
	rep.AddChart(ch)
}

// tierCount returns the report's count for a tier level (zero when none).
func tierCount(r escalation.Report, level string) escalation.TierCount {
	for _, tc := range r.SettledByTier {
		if tc.Level == level {
			return tc
		}
	}
	return escalation.TierCount{Level: level}
}

// within tabulates the share settled within 2 and 7 days, the on-time and escalation rates.
func within(rep *report.Report, pilot, other escalation.Report) {
	t := rep.AddTable(report.NewTable("timeliness", report.T("Timeliness", "办理时效"),
		report.C("measure", "Measure", "指标"), report.C("pilot", "Pilot", "试点"), report.C("other", "Other", "非试点")))
	for i, wd := range pilot.Within {
		t.Add(report.T("settled within "+strconv.Itoa(wd.Days)+" days", strconv.Itoa(wd.Days)+"日内办结"),
			report.Pct(wd.Rate.Value()), report.Pct(other.Within[i].Rate.Value()))
	}
	t.Add(report.T("on time", "按期办结率"), report.Pct(pilot.OnTime.Value()), report.Pct(other.OnTime.Value()))
	t.Add(report.T("escalated at least once", "逐级上报率"), report.Pct(pilot.Escalated.Value()), report.Pct(other.Escalated.Value()))
}

// management tabulates how the unmanaged compounds were brought under management.
func (w *world) management(rep *report.Report, ts []takeover) {
	var n [formCount]int
	for _, t := range ts {
		n[t.form]++
	}
	t := rep.AddTable(report.NewTable("management", report.T("Unmanaged compounds brought under management", "无物业小区纳入管理方式"),
		report.C("form", "How", "方式"), report.C("compounds", "Compounds", "小区数")))
	for f := range formCount {
		t.Add(report.T(formLabels[f][0], formLabels[f][1]), n[f])
	}
}
