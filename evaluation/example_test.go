package evaluation_test

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/shopspring/decimal"

	"github.com/gridgov/gridgov"
	"github.com/gridgov/gridgov/escalation"
	"github.com/gridgov/gridgov/evaluation"
	"github.com/gridgov/gridgov/governance"
	"github.com/gridgov/gridgov/store/memory"
)

// A whole yearly cycle for one compound: the committee reports, the community Party
// committee evaluates it and publishes the result, the compound Party branch evaluates the
// property firm and sends the result to the district housing bureau.
func Example_cycle() {
	ctx := context.Background()
	sys := gridgov.SystemActor("setup")
	clock := gridgov.NewFakeClock(time.Date(2026, 12, 1, 9, 0, 0, 0, evaluation.ChinaStandardTime))
	reg, _ := governance.NewRegistry(memory.NewGovernanceStore(), governance.WithClock(clock))
	reg.AddNode(ctx, sys, governance.NodeInput{ID: "st", Level: "street", Name: "相山街道"})
	reg.AddNode(ctx, sys, governance.NodeInput{ID: "c1", ParentID: "st", Level: "community", Name: "清泰社区"})
	reg.AddNode(ctx, sys, governance.NodeInput{ID: "k1", ParentID: "c1", Level: "compound", Name: "幸福里小区"})
	for _, o := range []governance.OrganisationInput{
		{ID: "housing", NodeID: "st", Kind: governance.OrgDistrictDepartment, Name: "区住建局"},
		{ID: "c1-pc", NodeID: "c1", Kind: governance.OrgPartyCommittee, Name: "社区党委"},
		{ID: "k1-pb", NodeID: "k1", Kind: governance.OrgPartyBranch, Name: "小区党支部"},
		{ID: "k1-oc", NodeID: "k1", Kind: governance.OrgOwnersCommittee, Name: "业委会"},
		{ID: "firm", NodeID: "st", Kind: governance.OrgPropertyFirm, Name: "红色物业", Serves: []string{"k1"}},
	} {
		reg.AddOrganisation(ctx, sys, o)
	}
	for _, p := range [][3]string{{"wang", "c1-pc", "secretary"}, {"zhao", "k1-pb", "secretary"}, {"chen", "k1-oc", "chair"}} {
		reg.AddPerson(ctx, sys, governance.PersonInput{ID: p[0], Name: p[0]})
		reg.Appoint(ctx, sys, governance.AppointInput{PersonID: p[0], OrgID: p[1], Role: governance.Role(p[2])})
	}
	ev, _ := evaluation.NewEvaluator(memory.NewEvaluationStore(), reg)
	community, branch, chair := gridgov.PersonActor("wang"), gridgov.PersonActor("zhao"), gridgov.PersonActor("chen")
	at := func(c evaluation.Cycle) evaluation.Target {
		return evaluation.Target{CycleID: c.ID, Version: c.Version}
	}
	full := func(s evaluation.Scheme, points int64) []evaluation.Sheet {
		var out []evaluation.Sheet
		for _, e := range s.Evaluators {
			sh := evaluation.Sheet{Evaluator: e.Key}
			for _, cat := range s.Categories {
				for _, ind := range cat.Indicators {
					if ind.Source == evaluation.SourceSheets && ind.Required {
						sh.Marks = append(sh.Marks, evaluation.Mark{Indicator: ind.Key, Points: decimal.NewFromInt(points)})
					}
				}
			}
			out = append(out, sh)
		}
		return out
	}

	c, _ := ev.Open(ctx, community, evaluation.OpenInput{CompoundID: "k1", Year: 2026, ReportDue: clock.Now().AddDate(0, 0, 14)})
	c, _ = ev.FileReport(ctx, chair, evaluation.ReportInput{Target: at(c), Duties: "召开业主大会 2 次，监督物业服务",
		MoneyHandled: decimal.RequireFromString("86000"), MoneyDisclosed: decimal.RequireFromString("86000"), Matters: 12, Settled: 11})
	c, _ = ev.EvaluateCommittee(ctx, community, evaluation.CommitteeInput{Target: at(c), Sheets: full(ev.CommitteeScheme(), 9), Opinion: "履职到位"})
	c, _ = ev.Publish(ctx, community, evaluation.PublishInput{Target: at(c), Channel: "小区公告栏"})
	complaints := escalation.Report{Total: 40,
		Resolution: escalation.Rate{Numerator: decimal.NewFromInt(38), Denominator: decimal.NewFromInt(40)},
		OnTime:     escalation.Rate{Numerator: decimal.NewFromInt(36), Denominator: decimal.NewFromInt(38)},
		Rework:     escalation.Rate{Numerator: decimal.NewFromInt(1), Denominator: decimal.NewFromInt(38)},
		Composite:  decimal.RequireFromString("0.95")}
	c, err := ev.EvaluateFirm(ctx, branch, evaluation.FirmInput{Target: at(c), FirmID: "firm", Sheets: full(ev.FirmScheme(), 8),
		Survey: &evaluation.Survey{Satisfied: 180, Basic: 15, Dissatisfied: 5}, Complaints: &complaints,
		Quarterly: []decimal.Decimal{decimal.NewFromInt(88), decimal.NewFromInt(90), decimal.NewFromInt(86), decimal.NewFromInt(92)},
		Opinion:   "服务规范，响应及时"})
	if err != nil {
		fmt.Println(err)
	}
	c, _ = ev.Send(ctx, branch, evaluation.SendInput{Target: at(c), FirmID: "firm", AuthorityID: "housing"})

	fmt.Println("state:", c.State)
	fmt.Println("committee:", c.Committee.Card.Score.StringFixed(2), c.Committee.Card.Grade, "published via", c.Publication.Channel)
	f, _ := c.Firm("firm")
	fmt.Println("firm:", f.Card.Score.StringFixed(2), f.Card.Grade, "sent to", f.SentTo)
	for _, cs := range f.Card.Categories {
		fmt.Printf("  %-12s %7s / %s\n", cs.Key, cs.Points.StringFixed(2), cs.Max)
	}
	// Output:
	// state: published
	// committee: 90.00 优秀 published via 小区公告栏
	// firm: 86.13 AAA sent to housing
	//   basic          24.00 / 30
	//   cooperation     4.00 / 5
	//   key_tasks       8.00 / 10
	//   management      8.00 / 10
	//   satisfaction   19.35 / 20
	//   complaints     14.33 / 15
	//   quarterly       4.45 / 5
	//   party           4.00 / 5
}

// A district ranking with a clearance rule and excellence awards.
func ExampleClearance() {
	bands := evaluation.CreditBands()
	mk := func(id, score string, satisfied int64) evaluation.Standing {
		s := evaluation.Standing{SubjectID: id, Score: decimal.RequireFromString(score),
			Satisfaction: escalation.Rate{Numerator: decimal.NewFromInt(satisfied), Denominator: decimal.NewFromInt(100)}}
		s.Grade = bands.Grade(s.Score).Grade
		return s
	}
	ranked := evaluation.Rank([]evaluation.Standing{
		mk("红景物业", "92.5", 96), mk("安居物业", "88", 91), mk("和顺物业", "88", 93), mk("宏达物业", "71", 85),
		mk("四季物业", "64", 72), mk("佳园物业", "58.5", 61),
	})
	rules := []evaluation.ClearanceRule{{Key: "bottom", Name: "末位且满意度低", All: []evaluation.Condition{
		{Kind: evaluation.CondBottomN, N: 2}, {Kind: evaluation.CondSatisfactionBelow, Value: decimal.RequireFromString("0.8")}}}}
	flags, _ := evaluation.Clearance(ranked, nil, bands, rules)
	for _, s := range ranked {
		fmt.Println(strings.TrimSpace(fmt.Sprintf("%d %s %s %s %s", s.Rank, s.SubjectID, s.Score.StringFixed(2), s.Grade, s.TieBreak)))
	}
	for _, f := range flags {
		fmt.Println("clear out:", f.SubjectID, f.Reasons)
	}
	awards, _ := evaluation.SelectExcellent(ranked, bands, evaluation.ExcellenceRule{Top: 2, MinGrade: "AA",
		Min: decimal.NewFromInt(10000), Max: decimal.NewFromInt(30000),
		Tiers: []evaluation.AwardTier{{Through: 1, Amount: decimal.NewFromInt(30000)}, {Through: 2, Amount: decimal.NewFromInt(20000)}}}, flags)
	for _, a := range awards {
		fmt.Println("award:", a.RecipientID, a.Amount)
	}
	// Output:
	// 1 红景物业 92.50 AAA
	// 2 和顺物业 88.00 AAA ahead of 安居物业 on satisfaction: 93.00% vs 91.00%
	// 3 安居物业 88.00 AAA behind 和顺物业 on satisfaction: 93.00% vs 91.00%
	// 4 宏达物业 71.00 A
	// 5 四季物业 64.00 B
	// 6 佳园物业 58.50 C
	// clear out: 四季物业 [bottom: rank 5 of 6 (bottom 2) and satisfaction 72.00% below 80.00%]
	// clear out: 佳园物业 [bottom: rank 6 of 6 (bottom 2) and satisfaction 61.00% below 80.00%]
	// award: 红景物业 30000
	// award: 和顺物业 20000
}

// Scoring explains every point.
func ExampleScore() {
	scheme := evaluation.Scheme{ID: "mini", Subject: evaluation.SubjectFirm, Total: decimal.NewFromInt(100),
		Evaluators: []evaluation.EvaluatorRole{{Key: "branch", Weight: decimal.RequireFromString("0.6")},
			{Key: "committee", Weight: decimal.RequireFromString("0.4")}},
		Categories: []evaluation.Category{{Key: "service", Weight: decimal.NewFromInt(1), Indicators: []evaluation.Indicator{
			{Key: "cleaning", Max: decimal.NewFromInt(10), Required: true}}}}}
	card, _ := evaluation.Score(scheme, evaluation.QualityBands(), evaluation.ScoreInput{SubjectID: "firm", Sheets: []evaluation.Sheet{
		{Evaluator: "branch", Marks: []evaluation.Mark{{Indicator: "cleaning", Points: decimal.NewFromInt(9)}}},
		{Evaluator: "committee", Marks: []evaluation.Mark{{Indicator: "cleaning", Points: decimal.NewFromInt(7)}}},
	}})
	fmt.Print(card.Explain())
	// Output:
	// firm firm (mini)
	//   service/cleaning by branch: 9 of 10 × share 0.6000 → 54.0000
	//   service/cleaning by committee: 7 of 10 × share 0.4000 → 28.0000
	//   category service: 82.0000 of 100
	//   base 82.0000 + merits 0 - demerits 0 = score 82.00, grade 良好
}
