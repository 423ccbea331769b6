package main

import (
	"fmt"
	"sort"

	"github.com/shopspring/decimal"

	"github.com/gridgov/gridgov/examples/internal/report"
	"github.com/gridgov/gridgov/governance/deliberation"
)

// leading returns the option with the most area in favour.
func leading(t deliberation.Tally) deliberation.ProposalCount {
	var best deliberation.ProposalCount
	for i, p := range t.Proposals {
		if i == 0 || p.For.Area.GreaterThan(best.For.Area) {
			best = p
		}
	}
	return best
}

// votes tabulates the closed owners' votes by outcome and by the line the leading option
// had to clear, and charts participation against the 2/3 line and support against the 1/2
// and 3/4 lines.
func votes(rep *report.Report, recs []record) {
	type key struct {
		outcome deliberation.Outcome
		line    string
	}
	type agg struct {
		n             int
		part, support decimal.Decimal
	}
	n := map[key]*agg{}
	var keys []key
	var partVals, supportVals []float64
	for _, rc := range recs {
		t := rc.Tally
		if !rc.Voted || rc.Fate == fateVoting {
			continue
		}
		lead := leading(t)
		k := key{t.Outcome, lead.AreaThreshold.String()}
		if n[k] == nil {
			n[k] = &agg{}
			keys = append(keys, k)
		}
		part := ratioD(t.Participation.Area, t.Electorate.Area)
		sup := ratioD(lead.For.Area, t.Participation.Area)
		n[k].n++
		n[k].part = n[k].part.Add(part)
		partVals = append(partVals, part.InexactFloat64()*100)
		if t.ParticipationMet {
			n[k].support = n[k].support.Add(sup)
			supportVals = append(supportVals, sup.InexactFloat64()*100)
		}
	}
	order := map[deliberation.Outcome]int{deliberation.OutcomeDecided: 0, deliberation.OutcomeNotPassed: 1,
		deliberation.OutcomeNoQuorum: 2, deliberation.OutcomeTie: 3}
	sort.Slice(keys, func(i, j int) bool {
		a, b := keys[i], keys[j]
		if order[a.outcome] != order[b.outcome] {
			return order[a.outcome] < order[b.outcome]
		}
		return a.line < b.line
	})
	t := rep.AddTable(report.NewTable("votes", report.T("Owners' votes (Civil Code art. 278) by outcome and decision line",
		"业主表决结果（民法典第278条）"),
		report.C("outcome", "Outcome", "结果"), report.C("line", "Leading option's line", "领先方案表决比例"),
		report.C("votes", "Votes", "表决数"), report.C("participation", "Mean participation by area", "平均参与面积比例"),
		report.C("support", "Mean support by area", "平均同意面积比例")))
	for _, k := range keys {
		a := n[k]
		sup := any(nil)
		if k.outcome != deliberation.OutcomeNoQuorum {
			sup = report.Pct(a.support.DivRound(decimal.NewFromInt(int64(a.n)), 6))
		}
		t.Add(outcomeLabel(k.outcome), k.line, a.n, report.Pct(a.part.DivRound(decimal.NewFromInt(int64(a.n)), 6)), sup)
	}
	rep.AddChart(report.Chart{ID: "participation", Title: report.T("Participation by area against the 2/3 line",
		"参与表决面积比例与2/3线"), XLabel: report.T("participating area, % of the roll", "参与表决面积（%）"),
		YLabel: report.T("votes", "表决数"), Kind: report.Histogram, Bins: 14,
		Series: []report.Series{{Name: report.T("votes", "表决数"), Values: partVals}},
		Marks:  []report.Mark{{Label: report.T("2/3 participation", "参与2/3"), At: 200.0 / 3}}})
	rep.AddChart(report.Chart{ID: "support", Title: report.T("Support for the leading option against the 1/2 and 3/4 lines",
		"领先方案同意面积比例与1/2、3/4线"), XLabel: report.T("area in favour, % of participating area", "同意面积（%）"),
		YLabel: report.T("votes", "表决数"), Kind: report.Histogram, Bins: 14,
		Series: []report.Series{{Name: report.T("votes", "表决数"), Values: supportVals}},
		Marks: []report.Mark{{Label: report.T("more than 1/2", "过半数"), At: 50},
			{Label: report.T("3/4", "3/4"), At: 75}}})
}

// outcomeLabel is a tally outcome's bilingual label.
func outcomeLabel(o deliberation.Outcome) report.Text {
	switch o {
	case deliberation.OutcomeDecided:
		return report.T("decided", "通过")
	case deliberation.OutcomeNoQuorum:
		return report.T("participation short", "参与不足")
	case deliberation.OutcomeNotPassed:
		return report.T("not passed", "未达比例")
	}
	return report.T("tie", "票数相同")
}

// boundaries counts five votes on a twelve-flat roll of 100 m² each that sit exactly on
// art. 278's lines: exactly 2/3 takes part (met) and one owner fewer (not met); exactly
// 3/4 for raising the fund (met) and one fewer (not met); exactly half for using it (not
// "more than half").
func boundaries(rep *report.Report) error {
	var roll deliberation.Roll
	for i := range 12 {
		roll.Households = append(roll.Households, deliberation.Household{ID: fmt.Sprintf("h%02d", i+1),
			OwnerID: fmt.Sprintf("o%02d", i+1), Area: decimal.NewFromInt(100)})
	}
	roll.TotalArea, roll.TotalOwners = decimal.NewFromInt(1200), 12
	cases := []struct {
		en, zh      string
		matter      deliberation.MatterKind
		take, infav int
	}{
		{"exactly 2/3 take part; 5 of 8 for using the fund", "恰好2/3参与；8户中5户同意使用维修资金", deliberation.MatterUseFund, 8, 5},
		{"one owner short of 2/3", "比2/3少一户", deliberation.MatterUseFund, 7, 6},
		{"exactly 3/4 for raising the fund", "恰好3/4同意筹集维修资金", deliberation.MatterRaiseFund, 8, 6},
		{"one short of 3/4 for raising the fund", "比3/4少一户", deliberation.MatterRaiseFund, 8, 5},
		{"exactly half for using the fund", "恰好半数同意使用维修资金", deliberation.MatterUseFund, 8, 4},
	}
	t := rep.AddTable(report.NewTable("boundaries", report.T("Art. 278 counted exactly at its lines (12 flats of 100 m²)",
		"民法典第278条临界计票（12户，每户100平方米）"),
		report.C("case", "Case", "情形"), report.C("taking_part", "Taking part", "参与户数"), report.C("in_favour", "In favour", "同意户数"),
		report.C("participation_met", "2/3 participation met", "参与达2/3"), report.C("line", "Decision line", "表决比例"),
		report.C("outcome", "Outcome", "结果")))
	for _, c := range cases {
		var bs []deliberation.Ballot
		for i := range c.take {
			choice := deliberation.ChoiceAgainst
			if i < c.infav {
				choice = "x"
			}
			h := roll.Households[i]
			bs = append(bs, deliberation.Ballot{HouseholdID: h.ID, VoterID: h.OwnerID, Choice: choice})
		}
		tl, err := deliberation.CountVotes(deliberation.TallyInput{Rule: deliberation.CivilCode278(), Roll: roll,
			Proposals: []deliberation.Proposal{{ID: "x", Matter: c.matter}}, Ballots: bs})
		if err != nil {
			return err
		}
		t.Add(report.T(c.en, c.zh), c.take, c.infav, tl.ParticipationMet,
			deliberation.CivilCode278().For(c.matter).Area.String(), outcomeLabel(tl.Outcome))
	}
	return nil
}
