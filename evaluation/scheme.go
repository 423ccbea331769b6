package evaluation

import (
	"fmt"

	"github.com/shopspring/decimal"

	"github.com/gridgov/gridgov"
	"github.com/gridgov/gridgov/escalation"
)

// Subject says what a scheme evaluates.
type Subject string

// The subjects of the yearly cycle.
const (
	// SubjectCommittee is an owners' committee (业主委员会) or a property management
	// committee acting in its place (物业管理委员会), evaluated by the community Party
	// organisation.
	SubjectCommittee Subject = "committee"
	// SubjectFirm is a property firm (物业服务企业), evaluated by the compound Party branch.
	SubjectFirm Subject = "firm"
)

// Source says where an indicator's points come from.
type Source string

// The sources of points.
const (
	// SourceSheets (the default, "") takes the points evaluators give on their sheets
	// (评分表), weighted by the evaluators' weights.
	SourceSheets Source = ""
	// SourceSurvey gives Max × the resident satisfaction rate of [Facts.Survey]
	// (居民满意度测评).
	SourceSurvey Source = "survey"
	// SourceComplaints gives Max × the complaint measure [Indicator.Measure] of
	// [Facts.Complaints] (the escalation metrics of the subject's compounds); for a measure
	// where lower is better (rework, repeat) it gives Max × (1 − rate). An undefined rate
	// (no complaints) gives full points.
	SourceComplaints Source = "complaints"
	// SourceQuarterly gives Max × the mean of [Facts.Quarterly] / 100 (the community's
	// quarterly scores, 社区季度考评).
	SourceQuarterly Source = "quarterly"
)

// Scheme is an indicator scheme (考评指标体系): categories of indicators with weights and
// maximum points, the evaluators and their weights, merit and demerit caps, and veto items.
// Schemes are data: build them in code or decode them from JSON, then check them with
// [Scheme.Validate] (the evaluator and [Score] do).
//
// A scorecard's base score is Σ over categories of Weight × Total × (points / max points of
// the category's scored indicators). Merits add and demerits subtract up to their caps; the
// score is kept within [0, Total] and rounded half up to two decimal places.
type Scheme struct {
	// ID names the scheme, for example "firm-2026".
	ID string
	// Name is the display name, e.g. "物业服务企业综合评价".
	Name string
	// Subject is what the scheme evaluates.
	Subject Subject
	// Total is the full score (usually 100).
	Total decimal.Decimal
	// Categories are the indicator categories; their weights add up to exactly 1.
	Categories []Category
	// Evaluators are the evaluating bodies and their weights, which add up to exactly 1.
	// Schemes whose indicators all come from facts need none.
	Evaluators []EvaluatorRole
	// MeritCap and DemeritCap cap the total of merit records (加分) and demerit records
	// (减分); zero means no merits (or demerits) count.
	MeritCap, DemeritCap decimal.Decimal
	// Vetoes are the one-vote veto items (一票否决): when any is triggered the subject gets
	// the lowest grade whatever its score.
	Vetoes []Veto
	// SurveyBasicCredit is the credit a "basically satisfied" answer earns in the survey
	// satisfaction rate, from 0 to 1 (the practitioner convention is 0.9).
	SurveyBasicCredit decimal.Decimal
}

// Category is a group of indicators with its weight in the total (e.g. basic services 0.35).
type Category struct {
	Key  string
	Name string
	// Weight is the category's share of the total, in (0, 1].
	Weight     decimal.Decimal
	Indicators []Indicator
}

// Indicator is one scored item (指标), e.g. "cleaning" with at most 10 points.
type Indicator struct {
	// Key is unique in the scheme.
	Key  string
	Name string
	// Max is the indicator's maximum points, positive.
	Max decimal.Decimal
	// Required indicators must be scored (by every evaluator named in Evaluators, or by the
	// facts for a fact source). An optional indicator nobody scored drops out of its
	// category (not applicable this year).
	Required bool
	// Source says where the points come from (default: evaluators' sheets).
	Source Source
	// Measure is the complaint measure of a [SourceComplaints] indicator.
	Measure escalation.Measure
	// Evaluators lists the evaluator keys that score this indicator (empty: all of them).
	Evaluators []string
}

// EvaluatorRole is one evaluating body and its weight, e.g. the compound Party branch 0.5.
type EvaluatorRole struct {
	Key    string
	Name   string
	Weight decimal.Decimal
}

// Veto is a one-vote veto item (一票否决事项), e.g. a major safety accident.
type Veto struct {
	Key  string
	Name string
}

// maxPoints bounds every points figure (indicator maxima, totals, marks, records): scores
// are small numbers, and the bound keeps arithmetic cheap and inputs sane.
var maxPoints = decimal.NewFromInt(1_000_000)

// maxPlaces is the most decimal places accepted in points and weights.
const maxPlaces = 6

// Validate checks the scheme and returns a *gridgov.ValidationError (gridgov.ErrInvalid)
// naming every failing field, in English and Chinese: a missing ID or subject, a total that
// is not positive, category or evaluator weights that do not add up to exactly 1, empty or
// duplicate keys, indicator maxima that are not positive, unknown sources, measures or
// evaluator keys, sheet indicators when there are no evaluators, and figures with too many
// digits.
func (s Scheme) Validate() error {
	var verr gridgov.ValidationError
	if s.ID == "" {
		verr.Add("ID", "required", "the scheme needs an ID", "指标体系必须有编号")
	}
	if s.Subject != SubjectCommittee && s.Subject != SubjectFirm {
		verr.Add("Subject", "oneof", fmt.Sprintf("subject %q is neither %q nor %q", s.Subject, SubjectCommittee, SubjectFirm),
			fmt.Sprintf("评价对象“%s”无效，应为 committee 或 firm", s.Subject))
	}
	checkPoints(&verr, "Total", s.Total, true)
	checkPoints(&verr, "MeritCap", s.MeritCap, false)
	checkPoints(&verr, "DemeritCap", s.DemeritCap, false)
	checkShare(&verr, "SurveyBasicCredit", s.SurveyBasicCredit, false)
	if len(s.Categories) == 0 {
		verr.Add("Categories", "required", "the scheme needs at least one category", "指标体系至少需要一个类别")
	}
	evaluators := map[string]bool{}
	wsum := decimal.Zero
	for i, e := range s.Evaluators {
		f := fmt.Sprintf("Evaluators[%d]", i)
		checkKey(&verr, f+".Key", e.Key, evaluators)
		checkShare(&verr, f+".Weight", e.Weight, true)
		wsum = wsum.Add(e.Weight)
	}
	if len(s.Evaluators) > 0 && !wsum.Equal(decimal.NewFromInt(1)) {
		verr.Add("Evaluators", "weights", fmt.Sprintf("evaluator weights add up to %s, not 1", wsum),
			fmt.Sprintf("评价主体权重之和为 %s，应为 1", wsum))
	}
	keys := map[string]bool{}
	cats := map[string]bool{}
	csum := decimal.Zero
	for i, c := range s.Categories {
		f := fmt.Sprintf("Categories[%d]", i)
		checkKey(&verr, f+".Key", c.Key, cats)
		checkShare(&verr, f+".Weight", c.Weight, true)
		csum = csum.Add(c.Weight)
		if len(c.Indicators) == 0 {
			verr.Add(f+".Indicators", "required", fmt.Sprintf("category %q has no indicators", c.Key),
				fmt.Sprintf("类别“%s”没有指标", c.Key))
		}
		for j, ind := range c.Indicators {
			s.checkIndicator(&verr, fmt.Sprintf("%s.Indicators[%d]", f, j), ind, keys, evaluators)
		}
	}
	if len(s.Categories) > 0 && !csum.Equal(decimal.NewFromInt(1)) {
		verr.Add("Categories", "weights", fmt.Sprintf("category weights add up to %s, not 1", csum),
			fmt.Sprintf("类别权重之和为 %s，应为 1", csum))
	}
	vetoes := map[string]bool{}
	for i, v := range s.Vetoes {
		checkKey(&verr, fmt.Sprintf("Vetoes[%d].Key", i), v.Key, vetoes)
	}
	return verr.Err()
}

func (s Scheme) checkIndicator(verr *gridgov.ValidationError, f string, ind Indicator, keys, evaluators map[string]bool) {
	checkKey(verr, f+".Key", ind.Key, keys)
	checkPoints(verr, f+".Max", ind.Max, true)
	switch ind.Source {
	case SourceSheets:
		if len(s.Evaluators) == 0 {
			verr.Add(f+".Source", "evaluators", fmt.Sprintf("indicator %q is scored on sheets but the scheme has no evaluators", ind.Key),
				fmt.Sprintf("指标“%s”由评分表打分，但指标体系没有评价主体", ind.Key))
		}
	case SourceSurvey, SourceQuarterly:
	case SourceComplaints:
		if !knownMeasure(ind.Measure) {
			verr.Add(f+".Measure", "oneof", fmt.Sprintf("indicator %q has unknown complaint measure %q", ind.Key, ind.Measure),
				fmt.Sprintf("指标“%s”的诉求指标“%s”无效", ind.Key, ind.Measure))
		}
	default:
		verr.Add(f+".Source", "oneof", fmt.Sprintf("indicator %q has unknown source %q", ind.Key, ind.Source),
			fmt.Sprintf("指标“%s”的来源“%s”无效", ind.Key, ind.Source))
	}
	if ind.Source != SourceComplaints && ind.Measure != "" {
		verr.Add(f+".Measure", "excluded", fmt.Sprintf("indicator %q sets a measure but is not a complaints indicator", ind.Key),
			fmt.Sprintf("指标“%s”不是诉求指标，不应设置诉求指标项", ind.Key))
	}
	if ind.Source != SourceSheets && len(ind.Evaluators) > 0 {
		verr.Add(f+".Evaluators", "excluded", fmt.Sprintf("indicator %q comes from facts and takes no evaluators", ind.Key),
			fmt.Sprintf("指标“%s”来自客观数据，不应指定评价主体", ind.Key))
	}
	for k, e := range ind.Evaluators {
		if !evaluators[e] {
			verr.Add(fmt.Sprintf("%s.Evaluators[%d]", f, k), "oneof", fmt.Sprintf("indicator %q names unknown evaluator %q", ind.Key, e),
				fmt.Sprintf("指标“%s”指定的评价主体“%s”不存在", ind.Key, e))
		}
	}
}

func knownMeasure(m escalation.Measure) bool {
	switch m {
	case escalation.MeasureResponse, escalation.MeasureResolution, escalation.MeasureSatisfaction,
		escalation.MeasureComposite, escalation.MeasureOnTime, escalation.MeasureRework, escalation.MeasureRepeat:
		return true
	}
	return false
}

// checkKey requires a non-empty key not seen before in seen, and records it.
func checkKey(verr *gridgov.ValidationError, field, key string, seen map[string]bool) {
	switch {
	case key == "":
		verr.Add(field, "required", field+" is required", field+"不能为空")
	case seen[key]:
		verr.Add(field, "unique", fmt.Sprintf("%s %q is used twice", field, key), fmt.Sprintf("%s“%s”重复", field, key))
	}
	seen[key] = true
}

// checkPoints requires a points figure in [0, maxPoints] (positive when positive is set)
// with at most maxPlaces decimal places.
func checkPoints(verr *gridgov.ValidationError, field string, v decimal.Decimal, positive bool) {
	switch {
	case !sane(v):
		verr.Add(field, "number", fmt.Sprintf("%s has more than %d decimal places or is too large", field, maxPlaces),
			fmt.Sprintf("%s小数位超过 %d 位或数值过大", field, maxPlaces))
	case v.Sign() < 0 || (positive && v.Sign() == 0):
		verr.Add(field, "gt", fmt.Sprintf("%s must be %s", field, map[bool]string{true: "positive", false: "zero or more"}[positive]),
			fmt.Sprintf("%s必须%s", field, map[bool]string{true: "大于零", false: "不小于零"}[positive]))
	case v.Cmp(maxPoints) > 0:
		verr.Add(field, "lte", fmt.Sprintf("%s must be at most %s", field, maxPoints), fmt.Sprintf("%s不能超过 %s", field, maxPoints))
	}
}

// checkShare requires a share in [0, 1] (in (0, 1] when positive is set).
func checkShare(verr *gridgov.ValidationError, field string, v decimal.Decimal, positive bool) {
	switch {
	case !sane(v):
		verr.Add(field, "number", fmt.Sprintf("%s has more than %d decimal places or is too large", field, maxPlaces),
			fmt.Sprintf("%s小数位超过 %d 位或数值过大", field, maxPlaces))
	case v.Sign() < 0 || (positive && v.Sign() == 0) || v.Cmp(decimal.NewFromInt(1)) > 0:
		lo := map[bool]string{true: "above 0", false: "at least 0"}[positive]
		verr.Add(field, "share", fmt.Sprintf("%s must be %s and at most 1", field, lo), fmt.Sprintf("%s必须在 0 到 1 之间", field))
	}
}

// sane reports whether v has at most maxPlaces decimal places and a modest size, so that
// arithmetic on it stays exact and cheap (a decimal's exponent is otherwise unbounded).
func sane(v decimal.Decimal) bool {
	if v.IsZero() {
		return true
	}
	e := v.Exponent()
	if e < -maxPlaces || e > 12 {
		// A value such as 1.500000000 has a small exponent but few significant places.
		if e >= -maxPlaces-30 && e < -maxPlaces && v.Equal(v.Truncate(maxPlaces)) {
			return v.Abs().Cmp(maxPoints.Mul(maxPoints)) <= 0
		}
		return false
	}
	return v.Abs().Cmp(maxPoints.Mul(maxPoints)) <= 0
}
