package evaluation_test

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gridgov/gridgov/escalation"
	"github.com/gridgov/gridgov/evaluation"
)

// smallScheme: two categories, two evaluators (0.6 / 0.4), one survey indicator.
func smallScheme() evaluation.Scheme {
	return evaluation.Scheme{ID: "s", Subject: evaluation.SubjectFirm, Total: dec("100"), MeritCap: dec("5"), DemeritCap: dec("10"),
		SurveyBasicCredit: dec("0.9"),
		Evaluators:        []evaluation.EvaluatorRole{{Key: "a", Weight: dec("0.6")}, {Key: "b", Weight: dec("0.4")}},
		Categories: []evaluation.Category{
			{Key: "service", Weight: dec("0.7"), Indicators: []evaluation.Indicator{
				{Key: "clean", Max: dec("10"), Required: true},
				{Key: "repair", Max: dec("10"), Required: true},
				{Key: "emergency", Max: dec("20")},
			}},
			{Key: "residents", Weight: dec("0.3"), Indicators: []evaluation.Indicator{
				{Key: "survey", Max: dec("100"), Required: true, Source: evaluation.SourceSurvey},
			}},
		},
		Vetoes: []evaluation.Veto{{Key: "accident"}},
	}
}

// Worked by hand: service = 0.7 × 100 × (a: 0.6×(8+6) + b: 0.4×(10+10)) / 20 (emergency
// not applicable) = 70 × 16.4 / 20 = 57.4; residents = 30 × (90 + 0.9×10)/100 = 29.7;
// base 87.1; +3 merit, −1 demerit → 89.1 → AAA.
func TestScoreWorkedExample(t *testing.T) {
	in := evaluation.ScoreInput{SubjectID: "f1",
		Sheets: []evaluation.Sheet{
			{Evaluator: "a", Marks: []evaluation.Mark{{Indicator: "clean", Points: dec("8")}, {Indicator: "repair", Points: dec("6")}}},
			{Evaluator: "b", Marks: []evaluation.Mark{{Indicator: "clean", Points: dec("10")}, {Indicator: "repair", Points: dec("10")}}},
		},
		Facts:   evaluation.Facts{Survey: &evaluation.Survey{Satisfied: 90, Basic: 10}},
		Records: []evaluation.Record{{Kind: evaluation.Merit, Points: dec("3"), Reason: "市级表彰"}, {Kind: evaluation.Demerit, Points: dec("1"), Reason: "整改超期"}},
	}
	card, err := evaluation.Score(smallScheme(), evaluation.CreditBands(), in)
	require.NoError(t, err)
	assert.True(t, dec("87.1").Equal(card.Base), card.Explain())
	assert.True(t, dec("89.1").Equal(card.Score))
	assert.Equal(t, "AAA", card.Grade)
	assert.Equal(t, []string{"emergency"}, card.Categories[0].Skipped)
	assert.True(t, dec("57.4").Equal(card.Categories[0].Points))
	assert.True(t, dec("29.7").Equal(card.Categories[1].Points))
	// The lines: a's clean = 8 × 0.6 × 70/20 = 16.8.
	require.Len(t, card.Lines, 5)
	assert.Equal(t, "a", card.Lines[0].Evaluator)
	assert.True(t, dec("16.8").Equal(card.Lines[0].Contribution))
	assert.Contains(t, card.Explain(), "score 89.10, grade AAA")

	// A veto gives the lowest grade whatever the score.
	in.Vetoes = []evaluation.VetoHit{{Key: "accident", Reason: "电梯困人致伤"}}
	card, err = evaluation.Score(smallScheme(), evaluation.CreditBands(), in)
	require.NoError(t, err)
	assert.True(t, dec("89.1").Equal(card.Score))
	assert.Equal(t, "C", card.Grade)
}

// Caps, clamping and undefined complaint rates.
func TestScoreCapsAndFacts(t *testing.T) {
	s := smallScheme()
	full := func(p string) []evaluation.Sheet { return sheets(s, flat(p)) }
	survey := &evaluation.Survey{Satisfied: 1}
	card, err := evaluation.Score(s, nil, evaluation.ScoreInput{Sheets: full("10"), Facts: evaluation.Facts{Survey: survey},
		Records: []evaluation.Record{{Kind: evaluation.Merit, Points: dec("4"), Reason: "a"}, {Kind: evaluation.Merit, Points: dec("4"), Reason: "b"}}})
	require.NoError(t, err)
	assert.True(t, dec("5").Equal(card.Merits), "merits capped")
	assert.True(t, dec("100").Equal(card.Score), "never above the total")
	assert.Empty(t, card.Grade, "no bands, no grade")

	card, err = evaluation.Score(s, nil, evaluation.ScoreInput{Sheets: full("0"), Facts: evaluation.Facts{Survey: &evaluation.Survey{Dissatisfied: 3}},
		Records: []evaluation.Record{{Kind: evaluation.Demerit, Points: dec("30"), Reason: "a"}}})
	require.NoError(t, err)
	assert.True(t, dec("10").Equal(card.Demerits), "demerits capped")
	assert.True(t, decimal.Zero.Equal(card.Score), "never below zero")

	// Complaint indicators: lower-is-better rates are inverted; no complaints → full points.
	cs := evaluation.Scheme{ID: "c", Subject: evaluation.SubjectFirm, Total: dec("100"), Categories: []evaluation.Category{{Key: "k", Weight: dec("1"),
		Indicators: []evaluation.Indicator{
			{Key: "res", Max: dec("10"), Required: true, Source: evaluation.SourceComplaints, Measure: escalation.MeasureResolution},
			{Key: "rework", Max: dec("10"), Required: true, Source: evaluation.SourceComplaints, Measure: escalation.MeasureRework},
			{Key: "q", Max: dec("10"), Required: true, Source: evaluation.SourceQuarterly},
		}}}}
	rep := escalation.Report{Total: 20, Resolution: rate(19, 20), Rework: rate(1, 4)}
	card, err = evaluation.Score(cs, nil, evaluation.ScoreInput{Facts: evaluation.Facts{Complaints: &rep, Quarterly: []decimal.Decimal{dec("80"), dec("90")}}})
	require.NoError(t, err)
	// (9.5 + 7.5 + 8.5) / 30 × 100 = 85
	assert.True(t, dec("85").Equal(card.Score), card.Explain())
	card, err = evaluation.Score(cs, nil, evaluation.ScoreInput{Facts: evaluation.Facts{Complaints: &escalation.Report{}, Quarterly: []decimal.Decimal{dec("100")}}})
	require.NoError(t, err)
	assert.True(t, dec("100").Equal(card.Score), card.Explain())
}

// Every kind of bad input is refused with its field named.
func TestScoreRefusals(t *testing.T) {
	s := smallScheme()
	ok := func() evaluation.ScoreInput {
		return evaluation.ScoreInput{Sheets: sheets(s, flat("5")), Facts: evaluation.Facts{Survey: &evaluation.Survey{Satisfied: 1}}}
	}
	tests := []struct {
		name   string
		change func(in *evaluation.ScoreInput)
		fields []string
	}{
		{"above maximum", func(in *evaluation.ScoreInput) { in.Sheets[1].Marks[1].Points = dec("10.5") }, []string{"Sheets[1].Marks[1].Points"}},
		{"negative", func(in *evaluation.ScoreInput) { in.Sheets[0].Marks[0].Points = dec("-1") }, []string{"Sheets[0].Marks[0].Points"}},
		{"missing required", func(in *evaluation.ScoreInput) { in.Sheets[0].Marks = in.Sheets[0].Marks[:1] }, []string{"Sheets[a].repair"}},
		{"missing sheet", func(in *evaluation.ScoreInput) { in.Sheets = in.Sheets[:1] }, []string{"Sheets[b].clean", "Sheets[b].repair"}},
		{"unknown evaluator", func(in *evaluation.ScoreInput) { in.Sheets[1].Evaluator = "z" }, []string{"Sheets[1].Evaluator", "Sheets[b].clean", "Sheets[b].repair"}},
		{"two sheets", func(in *evaluation.ScoreInput) { in.Sheets[1].Evaluator = "a" }, []string{"Sheets[1].Evaluator", "Sheets[b].clean", "Sheets[b].repair"}},
		{"unknown indicator", func(in *evaluation.ScoreInput) {
			in.Sheets[0].Marks = append(in.Sheets[0].Marks, evaluation.Mark{Indicator: "nope", Points: dec("1")})
		}, []string{"Sheets[0].Marks[2].Indicator"}},
		{"fact on a sheet", func(in *evaluation.ScoreInput) {
			in.Sheets[0].Marks = append(in.Sheets[0].Marks, evaluation.Mark{Indicator: "survey", Points: dec("1")})
		}, []string{"Sheets[0].Marks[2].Indicator"}},
		{"marked twice", func(in *evaluation.ScoreInput) { in.Sheets[0].Marks[1].Indicator = "clean" }, []string{"Sheets[0].Marks[1].Indicator", "Sheets[a].repair"}},
		{"missing fact", func(in *evaluation.ScoreInput) { in.Facts.Survey = nil }, []string{"Facts.Survey"}},
		{"bad quarterly", func(in *evaluation.ScoreInput) { in.Facts.Quarterly = []decimal.Decimal{dec("101")} }, []string{"Facts.Quarterly[0]"}},
		{"bad survey", func(in *evaluation.ScoreInput) { in.Facts.Survey = &evaluation.Survey{Satisfied: -1, Basic: 3} }, []string{"Facts.Survey"}},
		{"bad record", func(in *evaluation.ScoreInput) { in.Records = []evaluation.Record{{Kind: "bonus", Points: dec("0")}} },
			[]string{"Records[0].Kind", "Records[0].Points", "Records[0].Reason"}},
		{"unknown veto", func(in *evaluation.ScoreInput) { in.Vetoes = []evaluation.VetoHit{{Key: "x", Reason: "r"}} }, []string{"Vetoes[0].Key"}},
		{"too many places", func(in *evaluation.ScoreInput) { in.Sheets[0].Marks[0].Points = dec("1.0000001") }, []string{"Sheets[0].Marks[0].Points"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := ok()
			tt.change(&in)
			_, err := evaluation.Score(s, nil, in)
			requireFields(t, err, tt.fields...)
		})
	}
}

// Scheme checks: weights that do not add up, bad keys, maxima, sources.
func TestSchemeValidate(t *testing.T) {
	require.NoError(t, evaluation.FirmScheme().Validate())
	require.NoError(t, evaluation.CommitteeScheme().Validate())
	tests := []struct {
		name   string
		change func(s *evaluation.Scheme)
		fields []string
	}{
		{"category weights", func(s *evaluation.Scheme) { s.Categories[0].Weight = dec("0.6") }, []string{"Categories"}},
		{"evaluator weights", func(s *evaluation.Scheme) { s.Evaluators[1].Weight = dec("0.5") }, []string{"Evaluators"}},
		{"duplicate indicator", func(s *evaluation.Scheme) { s.Categories[0].Indicators[1].Key = "clean" }, []string{"Categories[0].Indicators[1].Key"}},
		{"zero max", func(s *evaluation.Scheme) { s.Categories[0].Indicators[0].Max = decimal.Zero }, []string{"Categories[0].Indicators[0].Max"}},
		{"unknown measure", func(s *evaluation.Scheme) {
			s.Categories[1].Indicators[0].Source = evaluation.SourceComplaints
		}, []string{"Categories[1].Indicators[0].Measure"}},
		{"unknown evaluator", func(s *evaluation.Scheme) { s.Categories[0].Indicators[0].Evaluators = []string{"z"} }, []string{"Categories[0].Indicators[0].Evaluators[0]"}},
		{"no id, bad subject", func(s *evaluation.Scheme) { s.ID, s.Subject = "", "x" }, []string{"ID", "Subject"}},
		{"weight above one", func(s *evaluation.Scheme) { s.Categories[0].Weight = dec("1.7") }, []string{"Categories[0].Weight", "Categories"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := smallScheme()
			tt.change(&s)
			requireFields(t, s.Validate(), tt.fields...)
		})
	}
}

// Grade boundaries are inclusive as stated, and exclusive bounds are configurable.
func TestGradeBoundaries(t *testing.T) {
	credit := evaluation.CreditBands()
	require.NoError(t, credit.Validate())
	for score, want := range map[string]string{"100": "AAA", "85": "AAA", "84.99": "AA", "80": "AA", "79.99": "A", "70": "A",
		"69.99": "B", "60": "B", "59.99": "C", "0": "C"} {
		assert.Equal(t, want, credit.Grade(dec(score)).Grade, score)
	}
	quality := evaluation.QualityBands()
	for score, want := range map[string]string{"90": "优秀", "89.99": "良好", "80": "良好", "60": "合格", "59.99": "不合格"} {
		assert.Equal(t, want, quality.Grade(dec(score)).Grade, score)
	}
	excl := evaluation.Bands{{Grade: "high", Min: dec("80"), Exclusive: true}, {Grade: "mid", Min: dec("80")}, {Grade: "low"}}
	require.NoError(t, excl.Validate())
	assert.Equal(t, "mid", excl.Grade(dec("80")).Grade)
	assert.Equal(t, "high", excl.Grade(dec("80.01")).Grade)
	requireFields(t, evaluation.Bands{{Grade: "a", Min: dec("60")}, {Grade: "b", Min: dec("70")}, {Grade: "a"}}.Validate(), "Bands[1].Min", "Bands[2].Grade")
}

// Property: for random schemes and sheets, the lines add up exactly to the base, category
// subtotals add up to the base, the score lies in [0, total], and the order of the sheets
// does not matter.
func TestScoreProperties(t *testing.T) {
	for seed := range uint64(300) {
		r := rand.New(rand.NewPCG(seed, 7))
		s, in := randomScoring(r, 1+r.IntN(6), 1+r.IntN(8), 1+r.IntN(4))
		card, err := evaluation.Score(s, evaluation.CreditBands(), in)
		require.NoError(t, err, "seed %d", seed)
		lines, cats := decimal.Zero, decimal.Zero
		for _, l := range card.Lines {
			lines = lines.Add(l.Contribution)
			assert.True(t, l.Contribution.Sign() >= 0)
			assert.LessOrEqual(t, -l.Contribution.Exponent(), int32(4))
		}
		for _, c := range card.Categories {
			cats = cats.Add(c.Points)
			assert.True(t, c.Points.LessThanOrEqual(c.Max), "seed %d: category %s %s > %s", seed, c.Key, c.Points, c.Max)
		}
		require.True(t, lines.Equal(card.Base), "seed %d: lines %s base %s", seed, lines, card.Base)
		require.True(t, cats.Equal(card.Base), "seed %d", seed)
		assert.True(t, card.Score.Sign() >= 0 && card.Score.LessThanOrEqual(s.Total))

		shuffled := in
		shuffled.Sheets = append([]evaluation.Sheet(nil), in.Sheets...)
		r.Shuffle(len(shuffled.Sheets), func(i, j int) { shuffled.Sheets[i], shuffled.Sheets[j] = shuffled.Sheets[j], shuffled.Sheets[i] })
		again, err := evaluation.Score(s, evaluation.CreditBands(), shuffled)
		require.NoError(t, err)
		require.True(t, again.Base.Equal(card.Base), "seed %d: order changed the base", seed)
	}
}

// randomScoring builds a valid scheme with cats categories of up to inds indicators and
// evs evaluators, and full sheets with random points.
func randomScoring(r *rand.Rand, cats, inds, evs int) (evaluation.Scheme, evaluation.ScoreInput) {
	s := evaluation.Scheme{ID: "r", Subject: evaluation.SubjectFirm, Total: dec("100")}
	s.Evaluators = make([]evaluation.EvaluatorRole, evs)
	weights := splitOne(r, evs)
	for i := range evs {
		s.Evaluators[i] = evaluation.EvaluatorRole{Key: fmt.Sprintf("e%d", i), Weight: weights[i]}
	}
	cw := splitOne(r, cats)
	for c := range cats {
		cat := evaluation.Category{Key: fmt.Sprintf("c%d", c), Weight: cw[c]}
		for i := range 1 + r.IntN(inds) {
			cat.Indicators = append(cat.Indicators, evaluation.Indicator{Key: fmt.Sprintf("c%d-i%d", c, i),
				Max: decimal.NewFromInt(int64(1 + r.IntN(20))), Required: true})
		}
		s.Categories = append(s.Categories, cat)
	}
	var in evaluation.ScoreInput
	for _, e := range s.Evaluators {
		sh := evaluation.Sheet{Evaluator: e.Key}
		for _, c := range s.Categories {
			for _, ind := range c.Indicators {
				p := decimal.NewFromInt(r.Int64N(ind.Max.IntPart()*100 + 1)).Shift(-2)
				sh.Marks = append(sh.Marks, evaluation.Mark{Indicator: ind.Key, Points: p})
			}
		}
		in.Sheets = append(in.Sheets, sh)
	}
	return s, in
}

// splitOne splits 1 into n positive shares with three decimal places.
func splitOne(r *rand.Rand, n int) []decimal.Decimal {
	out := make([]decimal.Decimal, n)
	left := int64(1000)
	for i := range n - 1 {
		room := left - int64(n-1-i)
		v := 1 + r.Int64N(room)
		if v > room {
			v = room
		}
		out[i] = decimal.New(v, -3)
		left -= v
	}
	out[n-1] = decimal.New(left, -3)
	return out
}
