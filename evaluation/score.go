package evaluation

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/shopspring/decimal"

	"github.com/gridgov/gridgov"
	"github.com/gridgov/gridgov/escalation"
)

// Sheet is one evaluator's marks (评分表): the points it gives each indicator it scores.
type Sheet struct {
	// Evaluator is the key of an [EvaluatorRole] of the scheme.
	Evaluator string
	Marks     []Mark
}

// Mark is the points one evaluator gives one indicator, from 0 to the indicator's Max.
type Mark struct {
	Indicator string
	Points    decimal.Decimal
}

// RecordKind says whether a record adds or subtracts points.
type RecordKind string

// The record kinds.
const (
	Merit   RecordKind = "merit"   // 加分项
	Demerit RecordKind = "demerit" // 减分项
)

// Record is a merit or demerit record (加减分记录): points, positive, with the reason and a
// reference (a complaint ID, a commendation number…).
type Record struct {
	Kind   RecordKind
	Points decimal.Decimal
	Reason string
	Ref    string
}

// VetoHit is a triggered veto item with its reason.
type VetoHit struct {
	Key    string
	Reason string
}

// Survey is a resident satisfaction survey (满意度测评): how many answered satisfied,
// basically satisfied and dissatisfied. Its rate is (Satisfied + credit × Basic) / all
// answers, credit being the scheme's SurveyBasicCredit.
type Survey struct {
	Satisfied, Basic, Dissatisfied int64
}

// Answers returns the number of answers.
func (s Survey) Answers() int64 { return s.Satisfied + s.Basic + s.Dissatisfied }

// Rate returns the survey's satisfaction rate with the given credit for "basically
// satisfied" (undefined when nobody answered).
func (s Survey) Rate(basicCredit decimal.Decimal) escalation.Rate {
	num := decimal.NewFromInt(s.Satisfied).Add(basicCredit.Mul(decimal.NewFromInt(s.Basic)))
	return escalation.Rate{Numerator: num, Denominator: decimal.NewFromInt(s.Answers())}
}

// Facts are the objective inputs of fact-sourced indicators.
type Facts struct {
	// Survey feeds [SourceSurvey] indicators.
	Survey *Survey
	// Complaints feeds [SourceComplaints] indicators: the escalation metrics of the
	// subject's compounds for the year.
	Complaints *escalation.Report
	// Quarterly feeds [SourceQuarterly] indicators: the community's quarterly scores, each
	// from 0 to 100.
	Quarterly []decimal.Decimal
}

// ScoreInput is what [Score] scores: the evaluators' sheets, the facts, merit and demerit
// records and triggered vetoes.
type ScoreInput struct {
	// SubjectID is the organisation evaluated (a committee or a firm).
	SubjectID string
	Sheets    []Sheet
	Facts     Facts
	Records   []Record
	Vetoes    []VetoHit
}

// Line explains one contribution to a scorecard's base score: Contribution = Points ×
// Share × (category weight × total ÷ the category's applicable maximum), kept at four
// decimal places (the lines of a scorecard add up exactly to its base score).
type Line struct {
	Category  string
	Indicator string
	// Evaluator is the evaluator's key, or "" for a fact-sourced indicator.
	Evaluator string
	Source    Source
	// Points are the points given or computed, out of Max.
	Points, Max decimal.Decimal
	// Share is the evaluator's share of the indicator (its weight over the weights of the
	// evaluators who scored it); 1 for a fact.
	Share decimal.Decimal
	// Contribution is what the line adds to the base score.
	Contribution decimal.Decimal
	// Note says how a fact was turned into points, e.g. "satisfaction 94.47% (…)".
	Note string
}

// CategoryScore is a category's part of the base score.
type CategoryScore struct {
	Key string
	// Points are the contributions of the category's lines; Max is weight × total.
	Points, Max decimal.Decimal
	// Skipped lists the optional indicators nobody scored (not applicable).
	Skipped []string
}

// Scorecard is the result of scoring one subject on one scheme (评分卡), with every point
// explained.
type Scorecard struct {
	SchemeID  string
	Subject   Subject
	SubjectID string
	Lines     []Line
	// Categories are the categories' subtotals in scheme order.
	Categories []CategoryScore
	// Base is the sum of the lines' contributions.
	Base decimal.Decimal
	// Merits and Demerits are the records' totals after the scheme's caps.
	Merits, Demerits decimal.Decimal
	Records          []Record
	Vetoes           []VetoHit
	// Score is Base + Merits − Demerits within [0, Total], rounded half up to the hundredth.
	Score decimal.Decimal
	// Grade is the band of the score under the bands used (the lowest band when vetoed);
	// empty when scored without bands.
	Grade string
}

// Vetoed reports whether a veto item was triggered.
func (c Scorecard) Vetoed() bool { return len(c.Vetoes) > 0 }

// Explain renders the scorecard's lines as text: one line per contribution, then the
// category subtotals, records, vetoes and the score.
func (c Scorecard) Explain() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s %s (%s)\n", c.Subject, c.SubjectID, c.SchemeID)
	for _, l := range c.Lines {
		who := l.Evaluator
		if who == "" {
			who = string(l.Source)
		}
		fmt.Fprintf(&b, "  %s/%s by %s: %s of %s × share %s → %s", l.Category, l.Indicator, who,
			l.Points, l.Max, l.Share.StringFixed(4), l.Contribution.StringFixed(4))
		if l.Note != "" {
			fmt.Fprintf(&b, " (%s)", l.Note)
		}
		b.WriteByte('\n')
	}
	for _, cs := range c.Categories {
		fmt.Fprintf(&b, "  category %s: %s of %s", cs.Key, cs.Points.StringFixed(4), cs.Max)
		if len(cs.Skipped) > 0 {
			fmt.Fprintf(&b, " (not applicable: %s)", strings.Join(cs.Skipped, ", "))
		}
		b.WriteByte('\n')
	}
	for _, r := range c.Records {
		sign := "+"
		if r.Kind == Demerit {
			sign = "-"
		}
		fmt.Fprintf(&b, "  %s%s %s\n", sign, r.Points, r.Reason)
	}
	for _, v := range c.Vetoes {
		fmt.Fprintf(&b, "  veto %s: %s\n", v.Key, v.Reason)
	}
	fmt.Fprintf(&b, "  base %s + merits %s - demerits %s = score %s", c.Base.StringFixed(4), c.Merits, c.Demerits, c.Score.StringFixed(2))
	if c.Grade != "" {
		fmt.Fprintf(&b, ", grade %s", c.Grade)
	}
	b.WriteByte('\n')
	return b.String()
}

// Contribution units: lines are kept at 4 decimal places, computed at 12 first.
const (
	linePlaces = 4
	workPlaces = 12
)

// Score scores in on scheme and grades the result with bands (nil bands: no grade).
//
// It returns a *gridgov.ValidationError (gridgov.ErrInvalid) naming every failing field in
// English and Chinese: an invalid scheme or bands, a sheet from an unknown evaluator or
// two sheets from one, a mark for an unknown indicator, for a fact-sourced indicator or
// for an indicator the evaluator does not score, two marks for one indicator, points below
// 0 or above the indicator's maximum, a required indicator an evaluator left out, a
// missing fact for a required fact-sourced indicator, survey counts below zero, quarterly
// scores outside 0–100, records that are not positive or have no reason, and unknown veto
// items.
func Score(scheme Scheme, bands Bands, in ScoreInput) (Scorecard, error) {
	sc, err := NewScorer(scheme, bands)
	if err != nil {
		return Scorecard{}, err
	}
	return sc.Score(in)
}

// Scorer scores many subjects on one scheme and bands, checking them once: [Score] for a
// whole district. It is safe for concurrent use.
type Scorer struct {
	scheme  Scheme
	bands   Bands
	weights map[string]decimal.Decimal // evaluator key → weight
	order   map[string]int             // evaluator key → position in the scheme
	where   map[string][2]int          // indicator key → category, indicator index
	vetoes  map[string]bool
	// maxLines is the most lines a scorecard can have (every evaluator on every indicator).
	maxLines int
}

// NewScorer checks scheme and bands (nil bands: no grades) and returns a scorer; see
// [Scheme.Validate] and [Bands.Validate] for the errors.
func NewScorer(scheme Scheme, bands Bands) (*Scorer, error) {
	var verr gridgov.ValidationError
	verr.Merge(scheme.Validate())
	if bands != nil {
		verr.Merge(bands.Validate())
	}
	if err := verr.Err(); err != nil {
		return nil, err
	}
	scheme = cloneScheme(scheme)
	sc := &Scorer{scheme: scheme, bands: append(Bands(nil), bands...), weights: map[string]decimal.Decimal{},
		order: map[string]int{}, where: map[string][2]int{}, vetoes: map[string]bool{}}
	if bands == nil {
		sc.bands = nil
	}
	for i, e := range scheme.Evaluators {
		sc.weights[e.Key] = e.Weight
		sc.order[e.Key] = i
	}
	for ci, c := range scheme.Categories {
		for ii, ind := range c.Indicators {
			sc.where[ind.Key] = [2]int{ci, ii}
			sc.maxLines += max(1, len(scheme.Evaluators))
		}
	}
	for _, v := range scheme.Vetoes {
		sc.vetoes[v.Key] = true
	}
	return sc, nil
}

// Score scores in; see the package function [Score] for the checks.
func (s *Scorer) Score(in ScoreInput) (Scorecard, error) {
	var verr gridgov.ValidationError
	scheme, bands := s.scheme, s.bands
	sc := &scoring{Scorer: s, marks: make([][]map[string]decimal.Decimal, len(scheme.Categories)),
		shares: map[shareKey]decimal.Decimal{}}
	for ci, c := range scheme.Categories {
		sc.marks[ci] = make([]map[string]decimal.Decimal, len(c.Indicators))
	}
	sc.readSheets(&verr, in.Sheets)
	sc.checkFacts(&verr, in.Facts)
	merits, demerits := checkRecords(&verr, in.Records)
	sc.checkVetoes(&verr, in.Vetoes)
	if err := verr.Err(); err != nil {
		return Scorecard{}, err
	}
	card := Scorecard{SchemeID: scheme.ID, Subject: scheme.Subject, SubjectID: in.SubjectID,
		Records: slices.Clone(in.Records), Vetoes: slices.Clone(in.Vetoes)}
	sc.lines(&card, in.Facts)
	card.Merits = capAt(merits, scheme.MeritCap)
	card.Demerits = capAt(demerits, scheme.DemeritCap)
	score := card.Base.Add(card.Merits).Sub(card.Demerits)
	if score.Sign() < 0 {
		score = decimal.Zero
	}
	if score.Cmp(scheme.Total) > 0 {
		score = scheme.Total
	}
	card.Score = score.Round(2)
	if bands != nil {
		card.Grade = bands.Grade(card.Score).Grade
		if card.Vetoed() {
			card.Grade = bands.Lowest().Grade
		}
	}
	return card, nil
}

func capAt(v, limit decimal.Decimal) decimal.Decimal {
	if v.Cmp(limit) > 0 {
		return limit
	}
	return v
}

// scoring is one call of Scorer.Score: the marks read from the sheets.
type scoring struct {
	*Scorer
	marks  [][]map[string]decimal.Decimal
	shares map[shareKey]decimal.Decimal
}

// scores reports whether evaluator e scores indicator ind.
func scores(ind Indicator, e string) bool {
	return ind.Source == SourceSheets && (len(ind.Evaluators) == 0 || slices.Contains(ind.Evaluators, e))
}

func (sc *scoring) readSheets(verr *gridgov.ValidationError, sheets []Sheet) {
	seen := map[string]bool{}
	for si, sh := range sheets {
		f := "Sheets[" + strconv.Itoa(si) + "]"
		if _, ok := sc.weights[sh.Evaluator]; !ok {
			verr.Add(f+".Evaluator", "oneof", fmt.Sprintf("%s is from unknown evaluator %q", f, sh.Evaluator),
				fmt.Sprintf("%s的评价主体“%s”不在指标体系中", f, sh.Evaluator))
			continue
		}
		if seen[sh.Evaluator] {
			verr.Add(f+".Evaluator", "unique", fmt.Sprintf("evaluator %q handed in two sheets", sh.Evaluator),
				fmt.Sprintf("评价主体“%s”提交了两份评分表", sh.Evaluator))
			continue
		}
		seen[sh.Evaluator] = true
		marked := map[string]bool{}
		for mi, m := range sh.Marks {
			mf := f + ".Marks[" + strconv.Itoa(mi) + "]"
			at, ok := sc.where[m.Indicator]
			if !ok {
				verr.Add(mf+".Indicator", "oneof", fmt.Sprintf("%s names unknown indicator %q", mf, m.Indicator),
					fmt.Sprintf("%s的指标“%s”不在指标体系中", mf, m.Indicator))
				continue
			}
			ind := sc.scheme.Categories[at[0]].Indicators[at[1]]
			switch {
			case !scores(ind, sh.Evaluator):
				verr.Add(mf+".Indicator", "scope", fmt.Sprintf("evaluator %q does not score indicator %q", sh.Evaluator, m.Indicator),
					fmt.Sprintf("评价主体“%s”不对指标“%s”打分", sh.Evaluator, m.Indicator))
				continue
			case marked[m.Indicator]:
				verr.Add(mf+".Indicator", "unique", fmt.Sprintf("indicator %q is marked twice on %s", m.Indicator, f),
					fmt.Sprintf("指标“%s”在%s中重复打分", m.Indicator, f))
				continue
			}
			marked[m.Indicator] = true
			if !sane(m.Points) || m.Points.Sign() < 0 || m.Points.Cmp(ind.Max) > 0 {
				verr.Add(mf+".Points", "range", fmt.Sprintf("%s gives %s points to %q, outside 0–%s", mf, m.Points, m.Indicator, ind.Max),
					fmt.Sprintf("%s给指标“%s”的分值 %s 超出 0–%s", mf, m.Indicator, m.Points, ind.Max))
				// Still recorded, so the indicator is not reported missing as well; nothing
				// is computed from a sheet with errors.
			}
			if sc.marks[at[0]][at[1]] == nil {
				sc.marks[at[0]][at[1]] = map[string]decimal.Decimal{}
			}
			sc.marks[at[0]][at[1]][sh.Evaluator] = m.Points
		}
	}
	// Required indicators must be marked by every evaluator that scores them.
	for _, c := range sc.scheme.Categories {
		for _, ind := range c.Indicators {
			if !ind.Required || ind.Source != SourceSheets {
				continue
			}
			at := sc.where[ind.Key]
			for _, e := range sc.scheme.Evaluators {
				if !scores(ind, e.Key) {
					continue
				}
				if _, ok := sc.marks[at[0]][at[1]][e.Key]; !ok {
					verr.Add(fmt.Sprintf("Sheets[%s].%s", e.Key, ind.Key), "required",
						fmt.Sprintf("evaluator %q did not score required indicator %q", e.Key, ind.Key),
						fmt.Sprintf("评价主体“%s”未对必评指标“%s”打分", e.Key, ind.Key))
				}
			}
		}
	}
}

func (sc *scoring) checkFacts(verr *gridgov.ValidationError, f Facts) {
	if f.Survey != nil && (f.Survey.Satisfied < 0 || f.Survey.Basic < 0 || f.Survey.Dissatisfied < 0 ||
		f.Survey.Satisfied > 1e12 || f.Survey.Basic > 1e12 || f.Survey.Dissatisfied > 1e12) {
		verr.Add("Facts.Survey", "range", "survey counts must be between 0 and 10^12", "满意度测评人数必须在 0 到 10^12 之间")
	}
	for i, q := range f.Quarterly {
		if !sane(q) || q.Sign() < 0 || q.Cmp(decimal.NewFromInt(100)) > 0 {
			verr.Add(fmt.Sprintf("Facts.Quarterly[%d]", i), "range", fmt.Sprintf("quarterly score %s is outside 0–100", q),
				fmt.Sprintf("季度考评分 %s 超出 0–100", q))
		}
	}
	for _, c := range sc.scheme.Categories {
		for _, ind := range c.Indicators {
			if !ind.Required {
				continue
			}
			missing := ""
			switch ind.Source {
			case SourceSurvey:
				if f.Survey == nil || f.Survey.Answers() == 0 {
					missing = "Facts.Survey"
				}
			case SourceComplaints:
				if f.Complaints == nil {
					missing = "Facts.Complaints"
				}
			case SourceQuarterly:
				if len(f.Quarterly) == 0 {
					missing = "Facts.Quarterly"
				}
			}
			if missing != "" {
				verr.Add(missing, "required", fmt.Sprintf("required indicator %q needs %s", ind.Key, missing),
					fmt.Sprintf("必评指标“%s”需要%s", ind.Key, missing))
			}
		}
	}
}

func checkRecords(verr *gridgov.ValidationError, records []Record) (merits, demerits decimal.Decimal) {
	merits, demerits = decimal.Zero, decimal.Zero
	for i, r := range records {
		f := fmt.Sprintf("Records[%d]", i)
		if r.Kind != Merit && r.Kind != Demerit {
			verr.Add(f+".Kind", "oneof", fmt.Sprintf("%s has unknown kind %q", f, r.Kind), fmt.Sprintf("%s的类型“%s”无效", f, r.Kind))
		}
		if !sane(r.Points) || r.Points.Sign() <= 0 || r.Points.Cmp(maxPoints) > 0 {
			verr.Add(f+".Points", "gt", fmt.Sprintf("%s must have positive points", f), fmt.Sprintf("%s的分值必须大于零", f))
		} else if r.Kind == Merit {
			merits = merits.Add(r.Points)
		} else {
			demerits = demerits.Add(r.Points)
		}
		if strings.TrimSpace(r.Reason) == "" {
			verr.Add(f+".Reason", "required", fmt.Sprintf("%s needs a reason", f), fmt.Sprintf("%s必须写明理由", f))
		}
	}
	return merits, demerits
}

func (sc *scoring) checkVetoes(verr *gridgov.ValidationError, hits []VetoHit) {
	seen := map[string]bool{}
	for i, v := range hits {
		f := fmt.Sprintf("Vetoes[%d]", i)
		if !sc.vetoes[v.Key] {
			verr.Add(f+".Key", "oneof", fmt.Sprintf("%s names unknown veto item %q", f, v.Key),
				fmt.Sprintf("%s的否决事项“%s”不在指标体系中", f, v.Key))
		} else if seen[v.Key] {
			verr.Add(f+".Key", "unique", fmt.Sprintf("veto item %q is listed twice", v.Key), fmt.Sprintf("否决事项“%s”重复", v.Key))
		}
		seen[v.Key] = true
		if strings.TrimSpace(v.Reason) == "" {
			verr.Add(f+".Reason", "required", fmt.Sprintf("%s needs a reason", f), fmt.Sprintf("%s必须写明理由", f))
		}
	}
}

// pending is a line before rounding: its exact-enough contribution at workPlaces. Lines
// with the same evaluator and the same set of evaluators sharing the indicator (key) have
// the same share and, within a category, the same factor, so each is computed once.
type pending struct {
	line Line
	raw  decimal.Decimal
	key  shareKey
}

// shareKey identifies a share: the evaluator's position + 1 (0 for a fact) and the bit set
// of the evaluators who scored the indicator. cacheable is false beyond 64 evaluators.
type shareKey struct {
	ev        int
	mask      uint64
	cacheable bool
}

// lines computes the scorecard's lines, category subtotals and base score. Raw
// contributions are computed at 12 places; the base is their sum rounded half up to 4
// places, and the lines are rounded so they add up to it exactly (largest remainder, ties
// to the earlier line).
func (sc *scoring) lines(card *Scorecard, f Facts) {
	s := sc.scheme
	all := make([]pending, 0, sc.maxLines)
	catOf := make([]int, 0, sc.maxLines)
	card.Categories = make([]CategoryScore, 0, len(s.Categories))
	for ci, c := range s.Categories {
		cs := CategoryScore{Key: c.Key, Points: decimal.Zero, Max: c.Weight.Mul(s.Total)}
		first := len(all)
		applicable := decimal.Zero
		for ii, ind := range c.Indicators {
			n := len(all)
			all = sc.indicatorLines(all, c.Key, ind, sc.marks[ci][ii], f)
			if len(all) == n {
				cs.Skipped = append(cs.Skipped, ind.Key)
				continue
			}
			applicable = applicable.Add(ind.Max)
		}
		lines := all[first:]
		if applicable.Sign() > 0 {
			// raw = points × factor, factor = share × (weight × total) / applicable.
			factors := map[shareKey]decimal.Decimal{}
			for i := range lines {
				k := lines[i].key
				factor, ok := factors[k]
				if !ok || !k.cacheable {
					factor = lines[i].line.Share.Mul(cs.Max).DivRound(applicable, workPlaces)
					factors[k] = factor
				}
				lines[i].raw = lines[i].line.Points.Mul(factor).Round(workPlaces)
			}
		}
		for range lines {
			catOf = append(catOf, ci)
		}
		card.Categories = append(card.Categories, cs)
	}
	rawSum := decimal.Zero
	for _, p := range all {
		rawSum = rawSum.Add(p.raw)
	}
	base := rawSum.Round(linePlaces)
	unit := decimal.New(1, -linePlaces)
	floorSum := decimal.Zero
	type rem struct {
		i int
		r decimal.Decimal
	}
	rems := make([]rem, len(all))
	for i := range all {
		fl := all[i].raw.Truncate(linePlaces)
		all[i].line.Contribution = fl
		floorSum = floorSum.Add(fl)
		rems[i] = rem{i, all[i].raw.Sub(fl)}
	}
	short := base.Sub(floorSum).Div(unit).IntPart()
	slices.SortStableFunc(rems, func(a, b rem) int { return -a.r.Cmp(b.r) })
	for k := int64(0); k < short && int(k) < len(rems); k++ {
		i := rems[k].i
		all[i].line.Contribution = all[i].line.Contribution.Add(unit)
	}
	card.Lines = make([]Line, len(all))
	for i, p := range all {
		card.Lines[i] = p.line
		cs := &card.Categories[catOf[i]]
		cs.Points = cs.Points.Add(p.line.Contribution)
	}
	card.Base = base
}

// indicatorLines appends the lines of one indicator with Points and Share set to dst (none
// when it was not scored).
func (sc *scoring) indicatorLines(dst []pending, cat string, ind Indicator, marks map[string]decimal.Decimal, f Facts) []pending {
	one := decimal.NewFromInt(1)
	fact := func(points decimal.Decimal, note string) []pending {
		return append(dst, pending{line: Line{Category: cat, Indicator: ind.Key, Source: ind.Source, Points: points, Max: ind.Max, Share: one, Note: note}})
	}
	switch ind.Source {
	case SourceSurvey:
		if f.Survey == nil || f.Survey.Answers() == 0 {
			return dst
		}
		r := f.Survey.Rate(sc.scheme.SurveyBasicCredit)
		return fact(ind.Max.Mul(r.Numerator).DivRound(r.Denominator, workPlaces), "satisfaction "+r.String())
	case SourceComplaints:
		if f.Complaints == nil {
			return dst
		}
		r, lower := measureRate(*f.Complaints, ind.Measure)
		if !r.Defined() {
			return fact(ind.Max, fmt.Sprintf("%s undefined (no complaints): full points", ind.Measure))
		}
		v := r.Numerator.Mul(ind.Max).DivRound(r.Denominator, workPlaces)
		if lower {
			v = ind.Max.Sub(v)
		}
		return fact(v, fmt.Sprintf("%s %s", ind.Measure, r))
	case SourceQuarterly:
		if len(f.Quarterly) == 0 {
			return dst
		}
		sum := decimal.Zero
		for _, q := range f.Quarterly {
			sum = sum.Add(q)
		}
		n := decimal.NewFromInt(int64(len(f.Quarterly)))
		return fact(ind.Max.Mul(sum).DivRound(n.Mul(decimal.NewFromInt(100)), workPlaces),
			fmt.Sprintf("mean of %d quarterly scores %s", len(f.Quarterly), sum.DivRound(n, 2)))
	}
	if len(marks) == 0 {
		return dst
	}
	total := decimal.Zero
	var mask uint64
	cacheable := len(sc.scheme.Evaluators) <= 64
	keys := make([]string, 0, len(marks))
	for e := range marks {
		total = total.Add(sc.weights[e])
		keys = append(keys, e)
		if cacheable {
			mask |= 1 << sc.order[e]
		}
	}
	slices.SortFunc(keys, func(a, b string) int { return sc.order[a] - sc.order[b] })
	for _, e := range keys {
		k := shareKey{ev: sc.order[e] + 1, mask: mask, cacheable: cacheable}
		share, ok := sc.shares[k]
		if !ok || !cacheable {
			share = sc.weights[e].DivRound(total, workPlaces)
			sc.shares[k] = share
		}
		dst = append(dst, pending{line: Line{Category: cat, Indicator: ind.Key, Evaluator: e, Points: marks[e], Max: ind.Max,
			Share: share}, key: k})
	}
	return dst
}

// measureRate returns the report's rate for m and whether lower is better.
func measureRate(r escalation.Report, m escalation.Measure) (escalation.Rate, bool) {
	switch m {
	case escalation.MeasureResponse:
		return r.Response, false
	case escalation.MeasureResolution:
		return r.Resolution, false
	case escalation.MeasureSatisfaction:
		return r.Satisfaction, false
	case escalation.MeasureOnTime:
		return r.OnTime, false
	case escalation.MeasureRework:
		return r.Rework, true
	case escalation.MeasureRepeat:
		return r.Repeat, true
	}
	// The composite is a value in [0, 1], not a ratio; it is undefined without complaints.
	if r.Total == 0 {
		return escalation.Rate{}, false
	}
	return escalation.Rate{Numerator: r.Composite, Denominator: decimal.NewFromInt(1)}, false
}
