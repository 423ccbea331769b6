package evaluation_test

import (
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gridgov/gridgov/escalation"
	"github.com/gridgov/gridgov/evaluation"
)

// district builds the year's cycles of a district with Xiangshan's 81 property firms, each
// serving one to three compounds, scored on the firm scheme. Firms f65–f81 (17) serve
// poorly; of those, f66 still satisfies its residents (85%). Every evaluation is sent.
func district(t testing.TB, year int, seed uint64) []evaluation.Cycle {
	r := rand.New(rand.NewPCG(seed, uint64(year)))
	scheme := evaluation.FirmScheme()
	var cycles []evaluation.Cycle
	k := 0
	for i := 1; i <= 81; i++ {
		firm := fmt.Sprintf("f%02d", i)
		poor := i >= 65
		for range 1 + r.IntN(3) {
			k++
			lo, hi := 7.0, 10.0
			sat := 85 + r.IntN(14)
			if poor {
				lo, hi, sat = 3, 6, 55+r.IntN(24)
			}
			if i == 66 {
				sat = 85
			}
			points := func(string, string) string { return fmt.Sprintf("%.1f", lo+r.Float64()*(hi-lo)) }
			rep := escalation.Report{Total: 50, Resolution: rate(int64(40+r.IntN(11)), 50), OnTime: rate(int64(35+r.IntN(11)), 45),
				Rework: rate(int64(r.IntN(6)), 45), Composite: decimal.New(int64(800+r.IntN(200)), -3)}
			if poor {
				rep.Composite = decimal.New(int64(500+r.IntN(200)), -3)
			}
			survey := evaluation.Survey{Satisfied: int64(sat), Dissatisfied: int64(100 - sat)}
			card, err := evaluation.Score(scheme, evaluation.CreditBands(), evaluation.ScoreInput{SubjectID: firm,
				Sheets: sheets(scheme, points), Facts: evaluation.Facts{Survey: &survey, Complaints: &rep,
					Quarterly: []decimal.Decimal{decimal.NewFromInt(int64(60 + r.IntN(40)))}}})
			require.NoError(t, err)
			cs := evaluation.ComplaintSummary{Total: rep.Total, Resolution: rep.Resolution}
			cycles = append(cycles, evaluation.Cycle{ID: fmt.Sprintf("y%d-k%03d", year, k), CompoundID: fmt.Sprintf("k%03d", k),
				Year: year, State: evaluation.StatePublished, FirmIDs: []string{firm},
				Firms: []evaluation.FirmEvaluation{{FirmID: firm, Evaluation: evaluation.Evaluation{Card: card}, Survey: survey,
					Complaints: &cs, SentTo: "housing", SentAt: time.Date(year, 12, 28, 0, 0, 0, 0, time.UTC)}}})
		}
	}
	return cycles
}

// The stated rule — bottom 20% of the ranking (17 of 81) AND satisfaction below 80% —
// flags 16 firms: the 17 poor performers except f66, whose residents are satisfied.
func TestClearanceFlagsSixteen(t *testing.T) {
	bands := evaluation.CreditBands()
	standings := evaluation.AssessFirms(2026, district(t, 2026, 1), bands, dec("0.9"))
	require.Len(t, standings, 81)
	ranked := evaluation.Rank(standings)
	rule := []evaluation.ClearanceRule{{Key: "bottom_dissatisfied", Name: "排名末位且满意度低", All: []evaluation.Condition{
		{Kind: evaluation.CondBottomPercent, Value: dec("20")},
		{Kind: evaluation.CondSatisfactionBelow, Value: dec("0.8")},
	}}}
	flags, err := evaluation.Clearance(ranked, nil, bands, rule)
	require.NoError(t, err)
	require.Len(t, flags, 16)
	for _, fl := range flags {
		var n int
		_, err := fmt.Sscanf(fl.SubjectID, "f%d", &n)
		require.NoError(t, err)
		assert.True(t, n >= 65 && n != 66, "flagged %s", fl.SubjectID)
		assert.Greater(t, fl.Rank, 64)
		require.Len(t, fl.Reasons, 1)
		assert.Contains(t, fl.Reasons[0], "bottom 20%: 17")
		assert.Contains(t, fl.ReasonsZH[0], "满意率")
	}
	// The poor performers are exactly the bottom 17.
	for _, st := range ranked[64:] {
		var n int
		fmt.Sscanf(st.SubjectID, "f%d", &n)
		assert.GreaterOrEqual(t, n, 65, "%s at rank %d", st.SubjectID, st.Rank)
	}
}

// The ranking is the same whatever order the cycles come in.
func TestRankDeterministic(t *testing.T) {
	cycles := district(t, 2026, 2)
	want := evaluation.Rank(evaluation.AssessFirms(2026, cycles, evaluation.CreditBands(), dec("0.9")))
	r := rand.New(rand.NewPCG(9, 9))
	for range 5 {
		r.Shuffle(len(cycles), func(i, j int) { cycles[i], cycles[j] = cycles[j], cycles[i] })
		got := evaluation.Rank(evaluation.AssessFirms(2026, cycles, evaluation.CreditBands(), dec("0.9")))
		require.Equal(t, len(want), len(got))
		for i := range want {
			require.Equal(t, want[i].SubjectID, got[i].SubjectID)
			require.Equal(t, want[i].Rank, got[i].Rank)
			require.Equal(t, want[i].TieBreak, got[i].TieBreak)
		}
	}
}

func standing(id, score string, satisfied, answers int64) evaluation.Standing {
	return evaluation.Standing{SubjectID: id, Subject: evaluation.SubjectFirm, Year: 2026, Score: dec(score),
		Satisfaction: rate(satisfied, answers), Resolution: rate(9, 10),
		Evaluations: []evaluation.CompoundScore{{CompoundID: "k-" + id}}}
}

// Ties on score are broken by satisfaction, then resolution, then evaluations, each
// explained; subjects equal on everything share a rank; vetoed subjects go last.
func TestRankTieBreaks(t *testing.T) {
	a := standing("A", "88", 90, 100)
	b := standing("B", "88", 95, 100)
	c := standing("C", "88", 95, 100)
	c.Resolution = rate(8, 10)
	d := standing("D", "90", 50, 100)
	d.Vetoes = []evaluation.VetoHit{{Key: "safety", Reason: "事故"}}
	e := standing("E", "70", 0, 0) // no survey answers
	f := standing("F", "70", 0, 0)
	g := standing("G", "88", 90, 100)
	ranked := evaluation.Rank([]evaluation.Standing{g, f, e, d, c, b, a})
	var ids []string
	var ranks []int
	for _, s := range ranked {
		ids = append(ids, s.SubjectID)
		ranks = append(ranks, s.Rank)
	}
	assert.Equal(t, []string{"B", "C", "A", "G", "E", "F", "D"}, ids)
	assert.Equal(t, []int{1, 2, 3, 3, 5, 5, 7}, ranks)
	assert.Equal(t, "ahead of C on resolution: 90.00% vs 80.00%", ranked[0].TieBreak)
	assert.Contains(t, ranked[1].TieBreak, "behind B on resolution")
	assert.Contains(t, ranked[1].TieBreak, "ahead of A on satisfaction: 95.00% vs 90.00%")
	assert.Equal(t, "behind C on satisfaction: 95.00% vs 90.00%; tied with G on every figure", ranked[2].TieBreak)
	assert.Contains(t, ranked[2].TieBreakZH, "各项指标均相同")
	assert.Empty(t, ranked[6].TieBreak, "a vetoed subject is not tied with anyone")
}

// Veto and lowest-grade-two-years rules, with the evaluator reading earlier years.
func TestClearanceRules(t *testing.T) {
	bands := evaluation.CreditBands()
	last := []evaluation.Standing{standing("A", "55", 90, 100), standing("B", "55", 90, 100), standing("C", "90", 90, 100)}
	last[0].Grade, last[1].Grade, last[2].Grade = "C", "C", "AAA"
	this := []evaluation.Standing{standing("A", "58", 90, 100), standing("B", "65", 90, 100), standing("C", "91", 90, 100), standing("D", "50", 90, 100)}
	for i := range this {
		this[i].Grade = bands.Grade(this[i].Score).Grade
	}
	this[2].Vetoes = []evaluation.VetoHit{{Key: "abandon", Reason: "擅自撤离"}}
	flags, err := evaluation.Clearance(evaluation.Rank(this), map[int][]evaluation.Standing{2025: last}, bands, evaluation.DefaultClearance(bands))
	require.NoError(t, err)
	got := map[string][]string{}
	for _, f := range flags {
		got[f.SubjectID] = f.Rules
	}
	assert.Equal(t, map[string][]string{"A": {"lowest_two_years"}, "C": {"veto"}}, got,
		"B improved to B; D has no earlier year; C was vetoed")

	_, err = evaluation.Clearance(nil, nil, bands, []evaluation.ClearanceRule{
		{Key: "", All: nil},
		{Key: "x", All: []evaluation.Condition{{Kind: evaluation.CondBottomN}, {Kind: "nope"}, {Kind: evaluation.CondGradeYears, Grade: "Z"},
			{Kind: evaluation.CondBottomPercent, Value: dec("120")}, {Kind: evaluation.CondSatisfactionBelow, Value: dec("2")}}},
	})
	requireFields(t, err, "Rules[0].Key", "Rules[0].All", "Rules[1].All[0].N", "Rules[1].All[1].Kind", "Rules[1].All[2].Grade",
		"Rules[1].All[2].Years", "Rules[1].All[3].Value", "Rules[1].All[4].Value")
}

// Excellence passes over flagged and vetoed subjects and pays by position within the
// rule's bounds; the recipients are the ranking a funding award rule takes.
func TestSelectExcellent(t *testing.T) {
	bands := evaluation.CreditBands()
	var sts []evaluation.Standing
	for i, score := range []string{"96", "95", "94", "93", "92", "91", "79"} {
		s := standing(fmt.Sprintf("F%d", i+1), score, 90, 100)
		s.Grade = bands.Grade(s.Score).Grade
		sts = append(sts, s)
	}
	sts[1].Vetoes = []evaluation.VetoHit{{Key: "safety", Reason: "x"}}
	ranked := evaluation.Rank(sts)
	rule := evaluation.ExcellenceRule{Top: 4, MinGrade: "AA", Min: dec("10000"), Max: dec("30000"),
		Tiers: []evaluation.AwardTier{{Through: 1, Amount: dec("30000")}, {Through: 4, Amount: dec("10000")}}}
	awards, err := evaluation.SelectExcellent(ranked, bands, rule, []evaluation.Flag{{SubjectID: "F3"}})
	require.NoError(t, err)
	assert.Equal(t, []string{"F1", "F4", "F5", "F6"}, evaluation.Recipients(awards))
	assert.True(t, dec("60000").Equal(evaluation.Total(awards)))
	assert.True(t, dec("30000").Equal(awards[0].Amount))

	bad := rule
	bad.Tiers = []evaluation.AwardTier{{Through: 2, Amount: dec("40000")}}
	bad.MinGrade = "Z"
	_, err = evaluation.SelectExcellent(ranked, bands, bad, nil)
	requireFields(t, err, "MinGrade", "Tiers[0].Amount", "Tiers")
	require.NoError(t, evaluation.JiaochengAwards().Validate(evaluation.QualityBands()))
}

// History and trend: a firm's assessments year by year and the direction of its grade.
func TestFirmHistoryAndTrend(t *testing.T) {
	f := newFixture(t)
	for year, points := range map[int]string{2024: "9", 2025: "6", 2026: "8"} {
		c, err := f.ev.Open(ctx, person("pc-sec"), evaluation.OpenInput{CompoundID: "k1", Year: year, ReportDue: due})
		require.NoError(t, err)
		c = f.report(c)
		c = f.evaluateFirm(c, "pb-sec", "f1", points, evaluation.Survey{Satisfied: 90, Basic: 10})
		_, err = f.ev.Send(ctx, person("pb-sec"), evaluation.SendInput{Target: target(c), FirmID: "f1", AuthorityID: "housing"})
		require.NoError(t, err)
	}
	hist, err := f.ev.FirmHistory(ctx, "f1")
	require.NoError(t, err)
	require.Len(t, hist, 3)
	trend := evaluation.Trend(hist, f.ev.FirmBands())
	var years []int
	var changes []int
	for _, y := range trend {
		years = append(years, y.Year)
		changes = append(changes, y.Change)
	}
	assert.Equal(t, []int{2024, 2025, 2026}, years)
	assert.Equal(t, []int{0, -1, 1}, changes, "%+v", trend)
}
