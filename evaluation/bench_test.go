package evaluation_test

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/shopspring/decimal"

	"github.com/gridgov/gridgov/escalation"
	"github.com/gridgov/gridgov/evaluation"
)

// benchDistrict is the benchmark's district: a scheme of 50 indicators in 5 categories with
// 5 evaluators, and every firm's full sheets (250 marks each).
func benchDistrict(firms int) (evaluation.Scheme, []evaluation.ScoreInput) {
	r := rand.New(rand.NewPCG(1, 2))
	s := evaluation.Scheme{ID: "bench", Subject: evaluation.SubjectFirm, Total: dec("100")}
	for e := range 5 {
		s.Evaluators = append(s.Evaluators, evaluation.EvaluatorRole{Key: fmt.Sprintf("e%d", e), Weight: dec("0.2")})
	}
	for c := range 5 {
		cat := evaluation.Category{Key: fmt.Sprintf("c%d", c), Weight: dec("0.2")}
		for i := range 10 {
			cat.Indicators = append(cat.Indicators, evaluation.Indicator{Key: fmt.Sprintf("c%d-i%d", c, i), Max: dec("10"), Required: true})
		}
		s.Categories = append(s.Categories, cat)
	}
	ins := make([]evaluation.ScoreInput, firms)
	for f := range ins {
		in := evaluation.ScoreInput{SubjectID: fmt.Sprintf("f%05d", f)}
		for _, e := range s.Evaluators {
			sh := evaluation.Sheet{Evaluator: e.Key, Marks: make([]evaluation.Mark, 0, 50)}
			for _, c := range s.Categories {
				for _, ind := range c.Indicators {
					sh.Marks = append(sh.Marks, evaluation.Mark{Indicator: ind.Key, Points: decimal.New(r.Int64N(101), -1)})
				}
			}
			in.Sheets = append(in.Sheets, sh)
		}
		ins[f] = in
	}
	return s, ins
}

// BenchmarkScoreAndRank scores 10,000 firms × 50 indicators × 5 evaluators and ranks them
// (one op = the whole district).
func BenchmarkScoreAndRank(b *testing.B) {
	s, ins := benchDistrict(10_000)
	scorer, err := evaluation.NewScorer(s, evaluation.CreditBands())
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		standings := make([]evaluation.Standing, len(ins))
		for i, in := range ins {
			card, err := scorer.Score(in)
			if err != nil {
				b.Fatal(err)
			}
			standings[i] = evaluation.Standing{SubjectID: card.SubjectID, Score: card.Score, Grade: card.Grade,
				Satisfaction: escalation.Rate{Numerator: decimal.NewFromInt(int64(i % 97)), Denominator: decimal.NewFromInt(100)}}
		}
		evaluation.Rank(standings)
	}
}

// BenchmarkWeightedSumBaseline is the baseline: the bare weighted sum of the same 2.5
// million marks with decimals (points × weight, added up per firm), no checks, no lines.
func BenchmarkWeightedSumBaseline(b *testing.B) {
	s, ins := benchDistrict(10_000)
	w := s.Evaluators[0].Weight
	b.ReportAllocs()
	for b.Loop() {
		for _, in := range ins {
			sum := decimal.Zero
			for _, sh := range in.Sheets {
				for _, m := range sh.Marks {
					sum = sum.Add(m.Points.Mul(w))
				}
			}
			_ = sum
		}
	}
}
