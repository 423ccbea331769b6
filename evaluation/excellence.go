package evaluation

import (
	"fmt"

	"github.com/shopspring/decimal"

	"github.com/gridgov/gridgov"
)

// AwardTier gives every award position up to and including Through (counting from 1,
// after the previous tier) the same amount — the same fields as funding.Band, so a tier
// converts with funding.Band(t) and the tiers can be handed to a funding award rule.
type AwardTier struct {
	Through int
	Amount  decimal.Decimal
}

// ExcellenceRule selects the excellent (评优): the best Top subjects of a ranking that are
// not vetoed, not flagged for clearance, graded MinGrade or better and (when set) at least
// MinSatisfaction satisfied, with award amounts by position (Tiers), each within [Min, Max]
// (e.g. ¥10,000–30,000).
type ExcellenceRule struct {
	Top             int
	MinGrade        string
	MinSatisfaction decimal.Decimal
	Tiers           []AwardTier
	Min, Max        decimal.Decimal
}

// JiaochengAwards is Jiaocheng's reward for outstanding communities (¥10,000–30,000): the
// top five graded 良好 or better; first ¥30,000, second and third ¥20,000, fourth and fifth
// ¥10,000.
func JiaochengAwards() ExcellenceRule {
	return ExcellenceRule{Top: 5, MinGrade: "良好", Min: decimal.NewFromInt(10000), Max: decimal.NewFromInt(30000),
		Tiers: []AwardTier{{Through: 1, Amount: decimal.NewFromInt(30000)}, {Through: 3, Amount: decimal.NewFromInt(20000)},
			{Through: 5, Amount: decimal.NewFromInt(10000)}}}
}

// Award is an award recommendation (评优推荐) that funding can pay: the recipient, its
// position among the awarded, its rank, score and grade, and the amount.
type Award struct {
	RecipientID string
	Subject     Subject
	Position    int
	Rank        int
	Score       decimal.Decimal
	Grade       string
	Amount      decimal.Decimal
}

// SelectExcellent applies rule to a ranking (from [Rank]) and returns the awards best
// first; flagged subjects (from [Clearance]) are passed over. Bad rules return a
// *gridgov.ValidationError (gridgov.ErrInvalid): Top below 1, a grade unknown to bands,
// tiers not increasing or not covering Top, amounts that are not whole fen, outside
// [Min, Max], or Min above Max.
func SelectExcellent(ranked []Standing, bands Bands, rule ExcellenceRule, flagged []Flag) ([]Award, error) {
	if err := rule.Validate(bands); err != nil {
		return nil, err
	}
	skip := map[string]bool{}
	for _, f := range flagged {
		skip[f.SubjectID] = true
	}
	minGrade := len(bands) - 1
	if rule.MinGrade != "" {
		minGrade = bands.Index(rule.MinGrade)
	}
	var out []Award
	for _, st := range ranked {
		if len(out) == rule.Top {
			break
		}
		if skip[st.SubjectID] || st.Vetoed() || bands.Index(st.Grade) < 0 || bands.Index(st.Grade) > minGrade {
			continue
		}
		if rule.MinSatisfaction.Sign() > 0 && (!st.Satisfaction.Defined() ||
			st.Satisfaction.Numerator.Cmp(rule.MinSatisfaction.Mul(st.Satisfaction.Denominator)) < 0) {
			continue
		}
		pos := len(out) + 1
		out = append(out, Award{RecipientID: st.SubjectID, Subject: st.Subject, Position: pos, Rank: st.Rank,
			Score: st.Score, Grade: st.Grade, Amount: rule.amount(pos)})
	}
	return out, nil
}

func (r ExcellenceRule) amount(pos int) decimal.Decimal {
	for _, t := range r.Tiers {
		if pos <= t.Through {
			return t.Amount
		}
	}
	return decimal.Zero
}

// Validate checks the rule against bands (see [SelectExcellent] for the checks).
func (r ExcellenceRule) Validate(bands Bands) error {
	var verr gridgov.ValidationError
	verr.Merge(bands.Validate())
	if r.Top < 1 {
		verr.Add("Top", "gte", "Top must be at least 1", "评优名额至少为 1")
	}
	if r.MinGrade != "" && bands.Index(r.MinGrade) < 0 {
		verr.Add("MinGrade", "oneof", fmt.Sprintf("grade %q is not a band", r.MinGrade), fmt.Sprintf("等级“%s”不存在", r.MinGrade))
	}
	checkShare(&verr, "MinSatisfaction", r.MinSatisfaction, false)
	checkYuan(&verr, "Min", r.Min)
	checkYuan(&verr, "Max", r.Max)
	if r.Min.Cmp(r.Max) > 0 {
		verr.Add("Min", "ltefield", "Min is above Max", "奖励下限高于上限")
	}
	last := 0
	for i, t := range r.Tiers {
		f := fmt.Sprintf("Tiers[%d]", i)
		if t.Through <= last {
			verr.Add(f+".Through", "order", "tiers must cover increasing positions", "奖励档次的名次必须递增")
		}
		last = t.Through
		checkYuan(&verr, f+".Amount", t.Amount)
		if t.Amount.Cmp(r.Min) < 0 || t.Amount.Cmp(r.Max) > 0 {
			verr.Add(f+".Amount", "range", fmt.Sprintf("%s is outside %s–%s", t.Amount, r.Min, r.Max),
				fmt.Sprintf("奖励金额 %s 超出 %s–%s", t.Amount, r.Min, r.Max))
		}
	}
	if r.Top >= 1 && last < r.Top {
		verr.Add("Tiers", "cover", fmt.Sprintf("the tiers cover %d positions, not Top %d", last, r.Top),
			fmt.Sprintf("奖励档次只覆盖 %d 个名次，少于名额 %d", last, r.Top))
	}
	return verr.Err()
}

// Recipients returns the awards' recipient IDs best first: the ranking a funding award rule
// takes (funding.PlanInput.Rankings).
func Recipients(awards []Award) []string {
	out := make([]string, len(awards))
	for i, a := range awards {
		out[i] = a.RecipientID
	}
	return out
}

// Total returns the sum of the awards' amounts.
func Total(awards []Award) decimal.Decimal {
	sum := decimal.Zero
	for _, a := range awards {
		sum = sum.Add(a.Amount)
	}
	return sum
}
