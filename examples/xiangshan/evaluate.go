package main

import (
	"context"
	"math/rand/v2"
	"time"

	"github.com/gridgov/gridgov"
	"github.com/gridgov/gridgov/evaluation"
	"github.com/gridgov/gridgov/examples/internal/sim"
	"github.com/gridgov/gridgov/store/memory"
	"github.com/shopspring/decimal"
)

// clearanceRule is the stated rule for clearing a firm out (清退): ranked in the bottom 20%
// of the property authority's yearly assessment AND resident satisfaction below 80%. The
// policy text says only "ranked at the bottom with poor resident feedback"; the thresholds
// are this program's.
func clearanceRule() evaluation.ClearanceRule {
	return evaluation.ClearanceRule{Key: "bottom20-satisfaction80", Name: "排名后20%且居民满意度低于80%",
		All: []evaluation.Condition{
			{Kind: evaluation.CondBottomPercent, Value: decimal.NewFromInt(20)},
			{Kind: evaluation.CondSatisfactionBelow, Value: decimal.RequireFromString("0.8")},
		}}
}

// evalResult is the year's one report, two evaluations.
type evalResult struct {
	cycles []evaluation.Cycle // one per compound, in compound order
	ranked []evaluation.Standing
	flags  []evaluation.Flag
	bands  evaluation.Bands // the firm grade bands
	// committeeBands are the committee grade bands.
	committeeBands evaluation.Bands
	// clearanceLine is the best score inside the bottom 20% of the ranking.
	clearanceLine decimal.Decimal
}

// runEvaluation runs the yearly cycle (一述双评) of every compound in the January after the
// year: the committee head reports to the community Party organisation and the compound
// Party branch; the community Party organisation evaluates the committee and publishes the
// result to the owners; the compound Party branch evaluates the firm, with the compound's
// complaint metrics of the year from the ladder, and sends the result to the district
// housing bureau, which assesses and ranks every firm; the stated rule flags firms for
// clearance.
func runEvaluation(ctx context.Context, w *world, lr *ladderResult, rng *rand.Rand, year int) (*evalResult, error) {
	clock := gridgov.NewFakeClock(sim.YearStart(year+1).AddDate(0, 0, 5).Add(9 * time.Hour))
	ev, err := evaluation.NewEvaluator(memory.NewEvaluationStore(), w.reg, evaluation.WithClock(clock),
		evaluation.WithMetrics(lr.eng), evaluation.WithLocation(sim.CST), evaluation.WithIDs(gridgov.NewSequence("ev")))
	if err != nil {
		return nil, err
	}
	res := &evalResult{bands: ev.FirmBands(), committeeBands: ev.CommitteeBands()}
	// Committees are drawn good (60%), fair (30%) or poor (10%) independently of the firms.
	for _, cp := range w.compounds {
		comm := w.communities[cp.community]
		community, branch := gridgov.PersonActor(comm.secretary), gridgov.PersonActor(cp.secretary)
		fq := w.firms[cp.firm].quality
		cq := good
		switch d := rng.IntN(10); {
		case d == 0:
			cq = poor
		case d < 4:
			cq = fair
		}
		c, err := ev.Open(ctx, community, evaluation.OpenInput{CompoundID: cp.id, Year: year, ReportDue: clock.Now().AddDate(0, 0, 10)})
		if err != nil {
			return nil, err
		}
		handled := decimal.NewFromInt(int64(20000 + rng.IntN(130000)))
		disclosed := handled
		if cq == poor {
			disclosed = handled.Mul(decimal.RequireFromString("0.6")).Round(2)
		}
		matters := 5 + rng.IntN(16)
		if c, err = ev.FileReport(ctx, gridgov.PersonActor(cp.chair), evaluation.ReportInput{Target: target(c),
			Duties: "召开业主大会和委员会会议，监督物业服务，推进小区议事协商", MoneyHandled: handled, MoneyDisclosed: disclosed,
			Disclosures: 2 + rng.IntN(3), Matters: matters, Settled: matters - rng.IntN(3)}); err != nil {
			return nil, err
		}
		if c, err = ev.EvaluateCommittee(ctx, community, evaluation.CommitteeInput{Target: target(c),
			Sheets: sheets(rng, ev.CommitteeScheme(), cq), Opinion: "依法履职，接受监督"}); err != nil {
			return nil, err
		}
		if c, err = ev.Publish(ctx, community, evaluation.PublishInput{Target: target(c), Channel: "小区公告栏"}); err != nil {
			return nil, err
		}
		fm := w.firms[cp.firm]
		if c, err = ev.EvaluateFirm(ctx, branch, evaluation.FirmInput{Target: target(c), FirmID: fm.id,
			Sheets: sheets(rng, ev.FirmScheme(), fq), Survey: survey(rng, fq), Quarterly: quarterly(rng, fq),
			Opinion: "年终综合评价"}); err != nil {
			return nil, err
		}
		if c, err = ev.Send(ctx, branch, evaluation.SendInput{Target: target(c), FirmID: fm.id, AuthorityID: w.authority}); err != nil {
			return nil, err
		}
		if c, err = ev.Close(ctx, community, evaluation.StepInput{Target: target(c), Note: "评议归档"}); err != nil {
			return nil, err
		}
		res.cycles = append(res.cycles, c)
	}
	standings, err := ev.Assess(ctx, year)
	if err != nil {
		return nil, err
	}
	res.ranked = evaluation.Rank(standings)
	if res.flags, err = ev.Clearance(ctx, year, []evaluation.ClearanceRule{clearanceRule()}); err != nil {
		return nil, err
	}
	// The line is drawn where the rule's bottom 20% begins, as the library counts it.
	n := len(res.ranked)
	if bottom := clearanceRule().All[0].Bottom(n); bottom > 0 {
		res.clearanceLine = res.ranked[n-bottom].Score
	}
	return res, nil
}

// target names the cycle c at its current version.
func target(c evaluation.Cycle) evaluation.Target {
	return evaluation.Target{CycleID: c.ID, Version: c.Version}
}

// markRange is the range of marks (out of 10, in halves) each quality draws on the sheets.
var markRange = map[quality][2]int{good: {16, 20}, fair: {13, 17}, poor: {5, 10}}

// sheets fills every required sheet indicator of scheme for each evaluator with marks drawn
// for quality.
func sheets(rng *rand.Rand, s evaluation.Scheme, q quality) []evaluation.Sheet {
	r := markRange[q]
	var out []evaluation.Sheet
	for _, e := range s.Evaluators {
		sh := evaluation.Sheet{Evaluator: e.Key}
		for _, cat := range s.Categories {
			for _, ind := range cat.Indicators {
				if ind.Source != evaluation.SourceSheets || !ind.Required {
					continue
				}
				halves := r[0] + rng.IntN(r[1]-r[0]+1)
				sh.Marks = append(sh.Marks, evaluation.Mark{Indicator: ind.Key, Points: decimal.New(int64(halves)*5, -1)})
			}
		}
		out = append(out, sh)
	}
	return out
}

// survey draws the residents' satisfaction survey of a compound (满意度测评). With basically
// satisfied counting 0.9, a well-run compound lands at 84.5% or more, a fairly run one at
// 82.8% or more and a badly run one at 78% or less.
func survey(rng *rand.Rand, q quality) *evaluation.Survey {
	answers := int64(80 + rng.IntN(121))
	var satPct, basicPct int64
	switch q {
	case good:
		satPct, basicPct = 80+rng.Int64N(11), 5+rng.Int64N(6)
	case fair:
		satPct, basicPct = 72+rng.Int64N(9), 12+rng.Int64N(5)
	default:
		satPct, basicPct = 45+rng.Int64N(14), 15+rng.Int64N(6)
	}
	sat, basic := answers*satPct/100, answers*basicPct/100
	return &evaluation.Survey{Satisfied: sat, Basic: basic, Dissatisfied: answers - sat - basic}
}

// quarterly draws the community's four quarterly scores of the firm (季度考评).
func quarterly(rng *rand.Rand, q quality) []decimal.Decimal {
	low := map[quality]int{good: 85, fair: 75, poor: 55}[q]
	out := make([]decimal.Decimal, 4)
	for i := range out {
		out[i] = decimal.NewFromInt(int64(low + rng.IntN(11)))
	}
	return out
}

// flagged reports whether the firm with id is flagged for clearance.
func (r *evalResult) flagged(id string) bool {
	for _, f := range r.flags {
		if f.SubjectID == id {
			return true
		}
	}
	return false
}

// committeeGrades counts the committees' grades by kind: red owners' committees and
// management committees, in the order of the committee bands.
func (r *evalResult) committeeGrades(w *world) (red, mgmt map[string]int) {
	red, mgmt = map[string]int{}, map[string]int{}
	for i, c := range r.cycles {
		if c.Committee == nil {
			continue
		}
		if w.compounds[i].red {
			red[c.Committee.Card.Grade]++
		} else {
			mgmt[c.Committee.Card.Grade]++
		}
	}
	return red, mgmt
}

// firmName returns the name of the firm with id.
func (w *world) firmName(id string) string {
	for _, f := range w.firms {
		if f.id == id {
			return f.name
		}
	}
	return id
}
