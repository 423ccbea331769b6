package evaluation

import (
	"context"
	"fmt"
	"strings"

	"github.com/shopspring/decimal"

	"github.com/gridgov/gridgov"
)

// ConditionKind names a clearance condition.
type ConditionKind string

// The clearance conditions.
const (
	// CondBottomN holds for the last N of the ranking (rank > count − N).
	CondBottomN ConditionKind = "bottom_n"
	// CondBottomPercent holds for the last Value percent of the ranking, rounded up (10:
	// the bottom 10%, at least one subject when Value > 0).
	CondBottomPercent ConditionKind = "bottom_percent"
	// CondSatisfactionBelow holds when satisfaction is defined and below Value (a share:
	// 0.8 is 80%), or undefined (no survey answers: no evidence of satisfaction).
	CondSatisfactionBelow ConditionKind = "satisfaction_below"
	// CondScoreBelow holds when the score is below Value.
	CondScoreBelow ConditionKind = "score_below"
	// CondVetoed holds when any evaluation was vetoed (一票否决).
	CondVetoed ConditionKind = "vetoed"
	// CondGradeYears holds when the grade was Grade or worse in each of the last Years
	// years up to this one (e.g. the lowest grade two years running).
	CondGradeYears ConditionKind = "grade_years"
)

// Condition is one test of a clearance rule.
type Condition struct {
	Kind  ConditionKind
	N     int
	Value decimal.Decimal
	Grade string
	Years int
}

// ClearanceRule flags a subject for clearance (清退建议) when all its conditions hold.
// Rules are data; a subject is flagged when any rule matches, with every matching rule as a
// reason.
type ClearanceRule struct {
	Key  string
	Name string
	All  []Condition
}

// DefaultClearance returns the rules of a common local practice, for bands whose lowest
// grade is the worst: the bottom 10% of the ranking with satisfaction below 80%; any veto;
// the lowest grade two years running.
func DefaultClearance(bands Bands) []ClearanceRule {
	return []ClearanceRule{
		{Key: "bottom_dissatisfied", Name: "排名末位且群众满意度低", All: []Condition{
			{Kind: CondBottomPercent, Value: decimal.NewFromInt(10)},
			{Kind: CondSatisfactionBelow, Value: decimal.RequireFromString("0.8")},
		}},
		{Key: "veto", Name: "一票否决", All: []Condition{{Kind: CondVetoed}}},
		{Key: "lowest_two_years", Name: "连续两年最低等级", All: []Condition{{Kind: CondGradeYears, Grade: bands.Lowest().Grade, Years: 2}}},
	}
}

// Flag is a clearance recommendation for one subject, with every rule that matched.
type Flag struct {
	SubjectID string
	Rank      int
	Score     decimal.Decimal
	Grade     string
	// Rules are the keys of the matching rules; Reasons and ReasonsZH explain each.
	Rules              []string
	Reasons, ReasonsZH []string
}

// Clearance applies rules to a ranking (from [Rank]) and returns the flagged subjects in
// ranking order. prior holds earlier years' standings by year (for [CondGradeYears]; a
// missing year breaks a run). It returns a *gridgov.ValidationError (gridgov.ErrInvalid)
// naming every bad rule field: an empty or duplicate key, no conditions, an unknown kind,
// N below 1, a percent outside (0, 100], a share outside [0, 1], a grade unknown to bands,
// or Years below 1.
func Clearance(ranked []Standing, prior map[int][]Standing, bands Bands, rules []ClearanceRule) ([]Flag, error) {
	if err := validateRules(rules, bands); err != nil {
		return nil, err
	}
	past := map[int]map[string]string{}
	for y, sts := range prior {
		past[y] = map[string]string{}
		for _, st := range sts {
			past[y][st.SubjectID] = st.Grade
		}
	}
	n := len(ranked)
	var out []Flag
	for _, st := range ranked {
		var f Flag
		for _, r := range rules {
			var en, zh []string
			all := true
			for _, c := range r.All {
				ok, e, z := holds(c, st, n, past, bands)
				if !ok {
					all = false
					break
				}
				en, zh = append(en, e), append(zh, z)
			}
			if all {
				f.Rules = append(f.Rules, r.Key)
				f.Reasons = append(f.Reasons, fmt.Sprintf("%s: %s", r.Key, strings.Join(en, " and ")))
				f.ReasonsZH = append(f.ReasonsZH, fmt.Sprintf("%s：%s", r.Name, strings.Join(zh, "且")))
			}
		}
		if len(f.Rules) > 0 {
			f.SubjectID, f.Rank, f.Score, f.Grade = st.SubjectID, st.Rank, st.Score, st.Grade
			out = append(out, f)
		}
	}
	return out, nil
}

// Bottom returns how many subjects at the bottom of a ranking of n the condition covers: N
// for CondBottomN, Value percent of n rounded up for CondBottomPercent (the bottom 20% of
// 81 is 17), at most n; 0 for the other kinds. A report draws its clearance line with it:
// the subjects ranked n−Bottom(n)+1 to n.
func (c Condition) Bottom(n int) int {
	var k int
	switch c.Kind {
	case CondBottomN:
		k = c.N
	case CondBottomPercent:
		k = int(c.Value.Mul(decimal.NewFromInt(int64(n))).Div(decimal.NewFromInt(100)).Ceil().IntPart())
	}
	return max(0, min(k, n))
}

// holds tests one condition and explains it.
func holds(c Condition, st Standing, n int, past map[int]map[string]string, bands Bands) (bool, string, string) {
	switch c.Kind {
	case CondBottomN:
		return st.Rank > n-c.N, fmt.Sprintf("rank %d of %d (bottom %d)", st.Rank, n, c.N), fmt.Sprintf("排名第 %d/%d（末 %d 名）", st.Rank, n, c.N)
	case CondBottomPercent:
		k := c.Bottom(n)
		return st.Rank > n-k, fmt.Sprintf("rank %d of %d (bottom %s%%: %d)", st.Rank, n, c.Value, k),
			fmt.Sprintf("排名第 %d/%d（末位 %s%%，共 %d 名）", st.Rank, n, c.Value, k)
	case CondSatisfactionBelow:
		r := st.Satisfaction
		ok := !r.Defined() || r.Numerator.Cmp(c.Value.Mul(r.Denominator)) < 0
		return ok, fmt.Sprintf("satisfaction %s below %s", r.Percent(2), pct(c.Value)), fmt.Sprintf("满意率 %s 低于 %s", r.Percent(2), pct(c.Value))
	case CondScoreBelow:
		return st.Score.Cmp(c.Value) < 0, fmt.Sprintf("score %s below %s", st.Score.StringFixed(2), c.Value), fmt.Sprintf("得分 %s 低于 %s", st.Score.StringFixed(2), c.Value)
	case CondVetoed:
		keys := make([]string, len(st.Vetoes))
		for i, v := range st.Vetoes {
			keys[i] = v.Key
		}
		return st.Vetoed(), "vetoed (" + strings.Join(keys, ", ") + ")", "一票否决（" + strings.Join(keys, "、") + "）"
	case CondGradeYears:
		limit := bands.Index(c.Grade)
		for k := 0; k < c.Years; k++ {
			g := st.Grade
			if k > 0 {
				g = past[st.Year-k][st.SubjectID]
			}
			if i := bands.Index(g); i < 0 || i < limit {
				return false, "", ""
			}
		}
		return true, fmt.Sprintf("grade %s or worse %d years running", c.Grade, c.Years), fmt.Sprintf("连续 %d 年等级为 %s 或更低", c.Years, c.Grade)
	}
	return false, "", ""
}

func pct(share decimal.Decimal) string {
	return share.Mul(decimal.NewFromInt(100)).StringFixed(2) + "%"
}

func validateRules(rules []ClearanceRule, bands Bands) error {
	var verr gridgov.ValidationError
	verr.Merge(bands.Validate())
	keys := map[string]bool{}
	for i, r := range rules {
		f := fmt.Sprintf("Rules[%d]", i)
		checkKey(&verr, f+".Key", r.Key, keys)
		if len(r.All) == 0 {
			verr.Add(f+".All", "required", fmt.Sprintf("rule %q has no conditions", r.Key), fmt.Sprintf("规则“%s”没有条件", r.Key))
		}
		for j, c := range r.All {
			cf := fmt.Sprintf("%s.All[%d]", f, j)
			switch c.Kind {
			case CondBottomN:
				if c.N < 1 {
					verr.Add(cf+".N", "gte", "N must be at least 1", "N 至少为 1")
				}
			case CondBottomPercent:
				if !sane(c.Value) || c.Value.Sign() <= 0 || c.Value.Cmp(decimal.NewFromInt(100)) > 0 {
					verr.Add(cf+".Value", "range", "the percent must be above 0 and at most 100", "百分比必须大于 0 且不超过 100")
				}
			case CondSatisfactionBelow:
				checkShare(&verr, cf+".Value", c.Value, false)
			case CondScoreBelow:
				checkPoints(&verr, cf+".Value", c.Value, false)
			case CondVetoed:
			case CondGradeYears:
				if bands.Index(c.Grade) < 0 {
					verr.Add(cf+".Grade", "oneof", fmt.Sprintf("grade %q is not a band", c.Grade), fmt.Sprintf("等级“%s”不存在", c.Grade))
				}
				if c.Years < 1 || c.Years > 50 {
					verr.Add(cf+".Years", "range", "Years must be from 1 to 50", "年数必须在 1 到 50 之间")
				}
			default:
				verr.Add(cf+".Kind", "oneof", fmt.Sprintf("unknown condition %q", c.Kind), fmt.Sprintf("条件“%s”无效", c.Kind))
			}
		}
	}
	return verr.Err()
}

// Clearance ranks the year's firm assessments and applies rules, reading as many earlier
// years as the rules look back.
func (e *Evaluator) Clearance(ctx context.Context, year int, rules []ClearanceRule) ([]Flag, error) {
	if err := validateRules(rules, e.firmBands); err != nil {
		return nil, err
	}
	ranked, err := e.Assess(ctx, year)
	if err != nil {
		return nil, err
	}
	back := 0
	for _, r := range rules {
		for _, c := range r.All {
			if c.Kind == CondGradeYears && c.Years-1 > back {
				back = c.Years - 1
			}
		}
	}
	prior := map[int][]Standing{}
	for k := 1; k <= back; k++ {
		if prior[year-k], err = e.Assess(ctx, year-k); err != nil {
			return nil, err
		}
	}
	return Clearance(Rank(ranked), prior, e.firmBands, rules)
}
