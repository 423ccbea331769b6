package main

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"time"

	"github.com/shopspring/decimal"

	"github.com/gridgov/gridgov"
	"github.com/gridgov/gridgov/evaluation"
	"github.com/gridgov/gridgov/examples/internal/sim"
	"github.com/gridgov/gridgov/store/memory"
)

// firmAwards is the district's excellent property service award (优秀物业服务企业): the top
// three firms graded AA or better, not flagged for clearance; ¥20,000 for the first,
// ¥10,000 for the next two.
func firmAwards() evaluation.ExcellenceRule {
	return evaluation.ExcellenceRule{Top: 3, MinGrade: "AA", Min: decimal.NewFromInt(10000), Max: decimal.NewFromInt(20000),
		Tiers: []evaluation.AwardTier{{Through: 1, Amount: decimal.NewFromInt(20000)}, {Through: 3, Amount: decimal.NewFromInt(10000)}}}
}

// yearEnd is the outcome of one report, two evaluations (一述双评) across the district.
type yearEnd struct {
	cycles      int
	firms       []evaluation.Standing // ranked
	communities []evaluation.Standing // ranked
	flags       []evaluation.Flag
	firmAwards  []evaluation.Award
	commAwards  []evaluation.Award
	bands       evaluation.Bands
}

// evaluate runs the year-end cycle in every compound, in the first weeks of the next year:
// the committee head reports; the community Party committee evaluates the committee and
// publishes the result; the compound Party branch evaluates the firm — with the compound's
// complaint metrics read from the escalation engine — and sends the result to the
// district housing bureau, which ranks the firms, flags the bottom for clearance (清退)
// and selects the excellent.
func (y *year) evaluate(ctx context.Context) (*yearEnd, error) {
	w, r := y.w, y.r
	ev, err := evaluation.NewEvaluator(memory.NewEvaluationStore(), w.reg, evaluation.WithClock(w.clock),
		evaluation.WithIDs(gridgov.NewSequence("cy")), evaluation.WithMetrics(y.eng), evaluation.WithLocation(sim.CST))
	if err != nil {
		return nil, err
	}
	yr := y.start.Year()
	w.clock.Set(y.end.AddDate(0, 1, 5).Add(9 * time.Hour))
	due := w.clock.Now().AddDate(0, 0, 14)
	out := &yearEnd{bands: ev.FirmBands()}
	for _, k := range w.Compounds {
		secretary := gridgov.PersonActor(w.Communities[k.comm].Secretary)
		branch, chair := gridgov.PersonActor(k.Secretary), gridgov.PersonActor(k.Chair)
		c, err := ev.Open(ctx, secretary, evaluation.OpenInput{CompoundID: k.ID, Year: yr, ReportDue: due})
		if err != nil {
			return nil, fmt.Errorf("open %s: %w", k.ID, err)
		}
		q := k.CommitteeQuality
		handled := decimal.NewFromInt(int64(20000 + r.IntN(180000)))
		disclosed := handled
		if r.Float64() > q {
			disclosed = handled.Mul(decimal.NewFromFloat(0.5 + 0.5*q)).Round(2)
		}
		matters := 4 + r.IntN(20)
		c, err = ev.FileReport(ctx, chair, evaluation.ReportInput{Target: target(c),
			Duties: "召开业主大会、监督物业服务、公开收支", MoneyHandled: handled, MoneyDisclosed: disclosed,
			Disclosures: 1 + int(4*q), Matters: matters, Settled: int(math.Round(float64(matters) * (0.5 + 0.5*q)))})
		if err != nil {
			return nil, fmt.Errorf("report %s: %w", k.ID, err)
		}
		c, err = ev.EvaluateCommittee(ctx, secretary, evaluation.CommitteeInput{Target: target(c),
			Sheets: sheets(ev.CommitteeScheme(), q, r), Opinion: "履职情况评议"})
		if err != nil {
			return nil, fmt.Errorf("evaluate committee %s: %w", k.ID, err)
		}
		c, err = ev.Publish(ctx, secretary, evaluation.PublishInput{Target: target(c), Channel: "小区公告栏"})
		if err != nil {
			return nil, fmt.Errorf("publish %s: %w", k.ID, err)
		}
		for _, f := range c.FirmIDs {
			fq := w.Firms[k.Firm].Quality
			answers := int64(k.Households / 5)
			sat := 0.48 + 0.48*fq + 0.04*(r.Float64()-0.5)
			s := int64(float64(answers) * sat)
			basic := (answers - s) / 3
			quarterly := make([]decimal.Decimal, 4)
			for i := range quarterly {
				quarterly[i] = decimal.NewFromFloat(60 + 35*fq + 6*(r.Float64()-0.5)).Round(1)
			}
			c, err = ev.EvaluateFirm(ctx, branch, evaluation.FirmInput{Target: target(c), FirmID: f,
				Sheets: sheets(ev.FirmScheme(), fq, r), Survey: &evaluation.Survey{Satisfied: s, Basic: basic, Dissatisfied: answers - s - basic},
				Quarterly: quarterly, Opinion: "年度综合评价"})
			if err != nil {
				return nil, fmt.Errorf("evaluate firm %s at %s: %w", f, k.ID, err)
			}
			c, err = ev.Send(ctx, branch, evaluation.SendInput{Target: target(c), FirmID: f, AuthorityID: w.Authority})
			if err != nil {
				return nil, fmt.Errorf("send %s at %s: %w", f, k.ID, err)
			}
		}
		out.cycles++
	}
	firms, err := ev.Assess(ctx, yr)
	if err != nil {
		return nil, err
	}
	out.firms = evaluation.Rank(firms)
	if out.flags, err = ev.Clearance(ctx, yr, evaluation.DefaultClearance(ev.FirmBands())); err != nil {
		return nil, err
	}
	if out.firmAwards, err = evaluation.SelectExcellent(out.firms, ev.FirmBands(), firmAwards(), out.flags); err != nil {
		return nil, err
	}
	comms, err := ev.Communities(ctx, yr)
	if err != nil {
		return nil, err
	}
	out.communities = evaluation.Rank(comms)
	if out.commAwards, err = evaluation.SelectExcellent(out.communities, ev.CommitteeBands(), evaluation.JiaochengAwards(), nil); err != nil {
		return nil, err
	}
	return out, nil
}

// target names a cycle at the version just read.
func target(c evaluation.Cycle) evaluation.Target {
	return evaluation.Target{CycleID: c.ID, Version: c.Version}
}

// sheets fills every required sheet indicator of scheme, for every evaluator, with points
// around quality q (0..1) of the indicator's maximum, in half points.
func sheets(s evaluation.Scheme, q float64, r *rand.Rand) []evaluation.Sheet {
	var out []evaluation.Sheet
	for _, e := range s.Evaluators {
		sh := evaluation.Sheet{Evaluator: e.Key}
		for _, cat := range s.Categories {
			for _, ind := range cat.Indicators {
				if ind.Source != evaluation.SourceSheets || !ind.Required {
					continue
				}
				top := ind.Max.InexactFloat64()
				share := min(1, max(0, 0.45+0.5*q+0.12*(r.Float64()-0.5)))
				pts := math.Round(2*share*top) / 2
				sh.Marks = append(sh.Marks, evaluation.Mark{Indicator: ind.Key, Points: decimal.NewFromFloat(pts)})
			}
		}
		out = append(out, sh)
	}
	return out
}
