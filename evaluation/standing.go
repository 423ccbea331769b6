package evaluation

import (
	"context"
	"slices"
	"strings"

	"github.com/shopspring/decimal"

	"github.com/gridgov/gridgov/escalation"
)

// SubjectCommunity marks community standings (ranked for excellence selection from their
// compounds' committee evaluations); it is not a scheme subject.
const SubjectCommunity Subject = "community"

// Standing is a subject's yearly result as the ranking sees it: for a firm, the property
// authority's assessment across every compound it serves (年度考核); for a community, its
// compounds' committee evaluations.
type Standing struct {
	SubjectID string
	Subject   Subject
	Year      int
	// Score is the mean of the evaluations' scores, rounded half up to the hundredth.
	Score decimal.Decimal
	// Grade is the score's band, or the lowest band when any evaluation was vetoed.
	Grade  string
	Vetoes []VetoHit
	// Satisfaction is the residents' satisfaction over every survey answer behind the
	// standing; Resolution is the complaint resolution rate over its compounds.
	Satisfaction, Resolution escalation.Rate
	// Evaluations are the evaluations behind the standing, by compound.
	Evaluations []CompoundScore
	// Rank is the 1-based position in a ranking (0 until ranked); fully tied subjects share
	// a rank. TieBreak and TieBreakZH explain how ties on score were broken.
	Rank                 int
	TieBreak, TieBreakZH string
}

// Vetoed reports whether any evaluation behind the standing was vetoed.
func (s Standing) Vetoed() bool { return len(s.Vetoes) > 0 }

// CompoundScore is one evaluation behind a standing.
type CompoundScore struct {
	CompoundID, CycleID string
	Score               decimal.Decimal
	Grade               string
	Vetoed              bool
}

// accumulator builds one standing.
type accumulator struct {
	st     Standing
	sum    decimal.Decimal
	survey Survey
	res    escalation.Rate
}

func newAccumulator(id string, subject Subject, year int) *accumulator {
	return &accumulator{st: Standing{SubjectID: id, Subject: subject, Year: year}, sum: decimal.Zero,
		res: escalation.Rate{Numerator: decimal.Zero, Denominator: decimal.Zero}}
}

func (a *accumulator) add(c Cycle, card Scorecard) {
	a.st.Evaluations = append(a.st.Evaluations, CompoundScore{CompoundID: c.CompoundID, CycleID: c.ID,
		Score: card.Score, Grade: card.Grade, Vetoed: card.Vetoed()})
	a.sum = a.sum.Add(card.Score)
	a.st.Vetoes = append(a.st.Vetoes, card.Vetoes...)
}

func (a *accumulator) addFacts(s Survey, cs *ComplaintSummary) {
	a.survey.Satisfied += s.Satisfied
	a.survey.Basic += s.Basic
	a.survey.Dissatisfied += s.Dissatisfied
	if cs != nil {
		a.res.Numerator = a.res.Numerator.Add(cs.Resolution.Numerator)
		a.res.Denominator = a.res.Denominator.Add(cs.Resolution.Denominator)
	}
}

func (a *accumulator) finish(bands Bands, credit decimal.Decimal) Standing {
	st := a.st
	n := decimal.NewFromInt(int64(len(st.Evaluations)))
	st.Score = a.sum.DivRound(n, 2)
	st.Satisfaction = a.survey.Rate(credit)
	st.Resolution = a.res
	if bands != nil {
		st.Grade = bands.Grade(st.Score).Grade
		if st.Vetoed() {
			st.Grade = bands.Lowest().Grade
		}
	}
	slices.SortFunc(st.Evaluations, func(x, y CompoundScore) int { return strings.Compare(x.CompoundID, y.CompoundID) })
	return st
}

// AssessFirms is the property authority's yearly assessment (年度考核) of every firm with an
// evaluation of the year sent to it: per firm, the mean score of its sent evaluations across
// the compounds it serves, graded with bands (the lowest band if any was vetoed), the
// satisfaction over all its survey answers (basically satisfied counting credit) and the
// resolution rate over its compounds' complaints. Unsent evaluations do not count. The
// result is ordered by firm ID; rank it with [Rank].
func AssessFirms(year int, cycles []Cycle, bands Bands, credit decimal.Decimal) []Standing {
	acc := map[string]*accumulator{}
	for _, c := range cycles {
		if c.Year != year {
			continue
		}
		for _, f := range c.Firms {
			if f.SentAt.IsZero() {
				continue
			}
			a := acc[f.FirmID]
			if a == nil {
				a = newAccumulator(f.FirmID, SubjectFirm, year)
				acc[f.FirmID] = a
			}
			a.add(c, f.Card)
			a.addFacts(f.Survey, f.Complaints)
		}
	}
	return finishAll(acc, bands, credit)
}

// AssessCommunities ranks communities for excellence from their compounds' published
// committee evaluations of the year: the mean committee score, graded with bands, with the
// satisfaction and resolution of the firm evaluations in the same cycles.
func AssessCommunities(year int, cycles []Cycle, bands Bands, credit decimal.Decimal) []Standing {
	acc := map[string]*accumulator{}
	for _, c := range cycles {
		if c.Year != year || c.Committee == nil || c.Publication == nil || c.CommunityID == "" {
			continue
		}
		a := acc[c.CommunityID]
		if a == nil {
			a = newAccumulator(c.CommunityID, SubjectCommunity, year)
			acc[c.CommunityID] = a
		}
		a.add(c, c.Committee.Card)
		for _, f := range c.Firms {
			a.addFacts(f.Survey, f.Complaints)
		}
	}
	return finishAll(acc, bands, credit)
}

func finishAll(acc map[string]*accumulator, bands Bands, credit decimal.Decimal) []Standing {
	out := make([]Standing, 0, len(acc))
	for _, a := range acc {
		out = append(out, a.finish(bands, credit))
	}
	slices.SortFunc(out, func(x, y Standing) int { return strings.Compare(x.SubjectID, y.SubjectID) })
	return out
}

// Assess returns the property authority's assessment of every firm for the year
// ([AssessFirms] over the year's cycles, with the evaluator's firm bands and survey credit).
func (e *Evaluator) Assess(ctx context.Context, year int) ([]Standing, error) {
	cycles, err := e.Cycles(ctx, CycleQuery{Year: year})
	if err != nil {
		return nil, err
	}
	return AssessFirms(year, cycles, e.firmBands, e.firm.SurveyBasicCredit), nil
}

// Communities returns the communities' standings for the year ([AssessCommunities] with the
// evaluator's committee bands).
func (e *Evaluator) Communities(ctx context.Context, year int) ([]Standing, error) {
	cycles, err := e.Cycles(ctx, CycleQuery{Year: year})
	if err != nil {
		return nil, err
	}
	return AssessCommunities(year, cycles, e.committeeBands, e.firm.SurveyBasicCredit), nil
}

// FirmHistory returns the firm's assessment for every year it has one, oldest first
// (year-over-year history; see [Trend]).
func (e *Evaluator) FirmHistory(ctx context.Context, firmID string) ([]Standing, error) {
	cycles, err := e.Cycles(ctx, CycleQuery{FirmID: firmID})
	if err != nil {
		return nil, err
	}
	var years []int
	for _, c := range cycles {
		if !slices.Contains(years, c.Year) {
			years = append(years, c.Year)
		}
	}
	slices.Sort(years)
	var out []Standing
	for _, y := range years {
		for _, st := range AssessFirms(y, cycles, e.firmBands, e.firm.SurveyBasicCredit) {
			if st.SubjectID == firmID {
				out = append(out, st)
			}
		}
	}
	return out, nil
}

// CommitteeYear is one year of a committee's evaluation history.
type CommitteeYear struct {
	Year                int
	CycleID, CompoundID string
	// Reported is false when the report was missing; Late when filed after the due date.
	Reported, Late bool
	// Evaluated is set once the committee was evaluated; Score and Grade are its result.
	Evaluated bool
	Score     decimal.Decimal
	Grade     string
	Published bool
}

// CommitteeHistory returns the committee's evaluation history, oldest first.
func (e *Evaluator) CommitteeHistory(ctx context.Context, committeeID string) ([]CommitteeYear, error) {
	cycles, err := e.Cycles(ctx, CycleQuery{CommitteeID: committeeID})
	if err != nil {
		return nil, err
	}
	out := make([]CommitteeYear, 0, len(cycles))
	for _, c := range cycles {
		y := CommitteeYear{Year: c.Year, CycleID: c.ID, CompoundID: c.CompoundID, Published: c.Publication != nil}
		if c.Report != nil {
			y.Reported, y.Late = !c.Report.Missing, c.Report.Late
		}
		if c.Committee != nil {
			y.Evaluated, y.Score, y.Grade = true, c.Committee.Card.Score, c.Committee.Card.Grade
		}
		out = append(out, y)
	}
	slices.SortStableFunc(out, func(a, b CommitteeYear) int { return a.Year - b.Year })
	return out, nil
}

// YearGrade is one year of a grade trend.
type YearGrade struct {
	Year  int
	Score decimal.Decimal
	Grade string
	// Change compares the grade with the previous year in the history: +1 better, −1 worse,
	// 0 the same (or the first year).
	Change int
}

// Trend turns a subject's yearly standings (oldest first) into its grade trend under bands.
func Trend(history []Standing, bands Bands) []YearGrade {
	out := make([]YearGrade, len(history))
	for i, st := range history {
		out[i] = YearGrade{Year: st.Year, Score: st.Score, Grade: st.Grade}
		if i == 0 {
			continue
		}
		prev, cur := bands.Index(history[i-1].Grade), bands.Index(st.Grade)
		switch {
		case prev < 0 || cur < 0 || prev == cur:
		case cur < prev:
			out[i].Change = 1
		default:
			out[i].Change = -1
		}
	}
	return out
}
