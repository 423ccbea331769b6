package main

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"

	"github.com/shopspring/decimal"

	"github.com/gridgov/gridgov/escalation"
	"github.com/gridgov/gridgov/evaluation"
	"github.com/gridgov/gridgov/governance"
)

// vetoBelow is the latent quality under which a firm walks out of its compounds (擅自撤离、
// 弃管小区): the one-vote veto that takes it to grade C whatever its score. An assumption.
const vetoBelow = 0.07

// surveyed is the number of residents asked per firm in the satisfaction survey.
const surveyed = 60

// creditScheme is the Duyun property-firm credit scheme as data (物业企业信用评价), total 100:
//
//	service 服务质量 0.50        basic service, cooperation (sheets: community Party committee
//	                             0.6, compound Party branch 0.4; 10 points each)
//	satisfaction 满意度 0.20     resident survey (basically satisfied counts 0.9)
//	complaints 诉求办理 0.30     composite of the three rates, on-time rate, rework rate
//
// Merit records add up to 5 points and demerit records take up to 20; abandoning a compound
// or a major safety accident is a one-vote veto. Grades are evaluation.CreditBands: AAA ≥
// 85, AA 80–85, A 70–80, B 60–70, C below 60.
func creditScheme() evaluation.Scheme {
	d := decimal.RequireFromString
	return evaluation.Scheme{
		ID: "duyun-credit", Name: "物业企业信用评价", Subject: evaluation.SubjectFirm, Total: d("100"),
		SurveyBasicCredit: d("0.9"), MeritCap: d("5"), DemeritCap: d("20"),
		Evaluators: []evaluation.EvaluatorRole{
			{Key: "community", Name: "社区党委", Weight: d("0.6")},
			{Key: "branch", Name: "小区党支部", Weight: d("0.4")},
		},
		Categories: []evaluation.Category{
			{Key: "service", Name: "服务质量", Weight: d("0.5"), Indicators: []evaluation.Indicator{
				{Key: "basic", Name: "基础服务", Max: d("10"), Required: true},
				{Key: "cooperation", Name: "配合社区与党支部", Max: d("10"), Required: true},
			}},
			{Key: "satisfaction", Name: "居民满意度", Weight: d("0.2"), Indicators: []evaluation.Indicator{
				{Key: "survey", Name: "满意度测评", Max: d("100"), Required: true, Source: evaluation.SourceSurvey},
			}},
			{Key: "complaints", Name: "诉求办理", Weight: d("0.3"), Indicators: []evaluation.Indicator{
				{Key: "three_rates", Name: "三率综合", Max: d("10"), Required: true, Source: evaluation.SourceComplaints, Measure: escalation.MeasureComposite},
				{Key: "on_time", Name: "按时办结率", Max: d("5"), Required: true, Source: evaluation.SourceComplaints, Measure: escalation.MeasureOnTime},
				{Key: "rework", Name: "返工率", Max: d("5"), Required: true, Source: evaluation.SourceComplaints, Measure: escalation.MeasureRework},
			}},
		},
		Vetoes: []evaluation.Veto{{Key: "abandon", Name: "擅自撤离、弃管小区"}, {Key: "safety", Name: "重大安全责任事故"}},
	}
}

// graded is one firm's credit result.
type graded struct {
	firm    int
	matters int64 // matters at the compounds it serves
	card    evaluation.Scorecard
}

// takeover is a community taking over the compounds of a firm that walked out (社区自办物业).
type takeover struct {
	from, to  string // firm IDs
	community int
	compounds int
}

// grade scores every firm on the credit scheme: the sheets from its quality, a survey,
// the complaint metrics of the compounds it serves (tallied from the engine's store),
// merit and demerit records, and the veto for firms that walked out.
func grade(ctx context.Context, w *world, out *outcome, r *rand.Rand) ([]graded, error) {
	scheme, bands := creditScheme(), evaluation.CreditBands()
	tallies := make([]*escalation.Tally, len(w.firms))
	late := make([]int, len(w.firms))
	for i := range tallies {
		t, err := escalation.NewTally(escalation.DefaultDefinitions(), "grid", "community", "street")
		if err != nil {
			return nil, err
		}
		tallies[i] = t
	}
	for _, c := range out.complaints {
		got, err := out.eng.Store().GetComplaint(ctx, c.ID)
		if err != nil {
			return nil, err
		}
		f := w.compounds[c.Data.compound].firm
		tallies[f].Add(got)
		if got.LateResponses > 0 || got.Breaches > 0 {
			late[f]++
		}
	}
	var res []graded
	for i, f := range w.firms {
		mark := func() decimal.Decimal { // half points, around the firm's quality
			v := 10 * (0.45 + 0.5*f.quality + 0.1*(r.Float64()-0.5))
			return decimal.NewFromFloat(math.Round(min(10, max(0, v))*2) / 2)
		}
		sheets := []evaluation.Sheet{
			{Evaluator: "community", Marks: []evaluation.Mark{{Indicator: "basic", Points: mark()}, {Indicator: "cooperation", Points: mark()}}},
			{Evaluator: "branch", Marks: []evaluation.Mark{{Indicator: "basic", Points: mark()}, {Indicator: "cooperation", Points: mark()}}},
		}
		var sv evaluation.Survey
		for range surveyed {
			switch u := r.Float64(); {
			case u < 0.45+0.5*f.quality:
				sv.Satisfied++
			case u < 0.75+0.2*f.quality:
				sv.Basic++
			default:
				sv.Dissatisfied++
			}
		}
		rep := tallies[i].Report()
		in := evaluation.ScoreInput{SubjectID: f.id, Sheets: sheets,
			Facts: evaluation.Facts{Survey: &sv, Complaints: &rep}}
		if r.Float64() < 0.3*f.quality {
			in.Records = append(in.Records, evaluation.Record{Kind: evaluation.Merit, Points: decimal.NewFromInt(3),
				Reason: "市级表彰", Ref: fmt.Sprintf("commendation-%d", i+1)})
		}
		if late[i] > 0 {
			in.Records = append(in.Records, evaluation.Record{Kind: evaluation.Demerit, Points: decimal.NewFromInt(int64(late[i])),
				Reason: fmt.Sprintf("%d件诉求超时", late[i]), Ref: "overdue"})
		}
		if f.quality < vetoBelow {
			in.Vetoes = append(in.Vetoes, evaluation.VetoHit{Key: "abandon", Reason: "擅自撤离小区"})
		}
		card, err := evaluation.Score(scheme, bands, in)
		if err != nil {
			return nil, fmt.Errorf("firm %s: %w", f.id, err)
		}
		res = append(res, graded{firm: i, matters: rep.Total, card: card})
	}
	return res, nil
}

// takeOver sets up a community-run property firm (社区自办物业) in each community where a
// vetoed firm walked out, moves the abandoned compounds to it, and dissolves the firm.
func takeOver(ctx context.Context, w *world, grades []graded) ([]takeover, error) {
	var res []takeover
	for _, g := range grades {
		if !g.card.Vetoed() {
			continue
		}
		f := &w.firms[g.firm]
		byComm := map[int][]int{}
		for _, k := range f.serves {
			byComm[w.compounds[k].community] = append(byComm[w.compounds[k].community], k)
		}
		comms := make([]int, 0, len(byComm))
		for c := range byComm {
			comms = append(comms, c)
		}
		slices.Sort(comms)
		for _, ci := range comms {
			c := w.communities[ci]
			id := fmt.Sprintf("cf-%s", c.id)
			var serves []string
			for _, k := range byComm[ci] {
				serves = append(serves, w.compounds[k].id)
			}
			existing, err := w.reg.Organisation(ctx, id)
			switch {
			case err == nil:
				serves = append(slices.Clone(existing.Serves), serves...)
				_, err = w.reg.SetServes(ctx, admin, governance.ServesInput{OrgID: id, Serves: serves})
			default:
				_, err = w.reg.AddOrganisation(ctx, admin, governance.OrganisationInput{ID: id, NodeID: c.id,
					Kind: governance.OrgPropertyFirm, Name: c.name + "物业服务公司（社区自办）", Serves: serves})
				if err == nil {
					w.firms = append(w.firms, firm{id: id, name: c.name + "物业服务公司（社区自办）"})
				}
			}
			if err != nil {
				return nil, err
			}
			for _, k := range byComm[ci] {
				w.compounds[k].firm = slices.IndexFunc(w.firms, func(x firm) bool { return x.id == id })
			}
			res = append(res, takeover{from: f.id, to: id, community: ci, compounds: len(byComm[ci])})
		}
		if err := dissolve(ctx, w, []string{f.manager}, f.id); err != nil {
			return nil, err
		}
	}
	return res, nil
}
