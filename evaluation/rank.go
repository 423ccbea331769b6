package evaluation

import (
	"fmt"
	"slices"
	"strings"

	"github.com/gridgov/gridgov/escalation"
)

// Rank orders standings best first and numbers them; it returns a new slice. The order:
//
//  1. subjects without a veto before vetoed ones;
//  2. higher score;
//  3. higher satisfaction (an undefined rate — no survey answers — last);
//  4. higher complaint resolution rate (undefined last);
//  5. more evaluations behind the standing;
//  6. subject ID, for a stable listing: subjects equal on every figure above share a rank.
//
// Where subjects share a score, TieBreak and TieBreakZH say which figure decided it, e.g.
// "ahead of F2 on satisfaction: 95.00% vs 93.10%". The result is deterministic for any
// input order.
func Rank(standings []Standing) []Standing {
	out := slices.Clone(standings)
	for i := range out {
		out[i].Rank, out[i].TieBreak, out[i].TieBreakZH = 0, "", ""
	}
	slices.SortFunc(out, func(a, b Standing) int {
		if c, _ := compareStanding(a, b); c != 0 {
			return c
		}
		return strings.Compare(a.SubjectID, b.SubjectID)
	})
	for i := range out {
		if i == 0 {
			out[i].Rank = 1
			continue
		}
		c, why := compareStanding(out[i-1], out[i])
		if c == 0 {
			out[i].Rank = out[i-1].Rank
		} else {
			out[i].Rank = i + 1
		}
		if !out[i-1].Score.Equal(out[i].Score) || out[i-1].Vetoed() != out[i].Vetoed() {
			continue
		}
		upper, lower := &out[i-1], &out[i]
		if c == 0 {
			note(upper, fmt.Sprintf("tied with %s on every figure", lower.SubjectID), fmt.Sprintf("与%s各项指标均相同", lower.SubjectID))
			note(lower, fmt.Sprintf("tied with %s on every figure", upper.SubjectID), fmt.Sprintf("与%s各项指标均相同", upper.SubjectID))
			continue
		}
		note(upper, fmt.Sprintf("ahead of %s on %s", lower.SubjectID, why.en), fmt.Sprintf("因%s排在%s之前", why.zh, lower.SubjectID))
		note(lower, fmt.Sprintf("behind %s on %s", upper.SubjectID, why.en), fmt.Sprintf("因%s排在%s之后", why.zh, upper.SubjectID))
	}
	return out
}

func note(s *Standing, en, zh string) {
	if s.TieBreak != "" {
		s.TieBreak += "; "
		s.TieBreakZH += "；"
	}
	s.TieBreak += en
	s.TieBreakZH += zh
}

// reason names the figure that decided a comparison.
type reason struct{ en, zh string }

// compareStanding compares a and b on the ranking's figures (−1: a ranks higher) and says
// which figure decided; 0 when equal on all of them.
func compareStanding(a, b Standing) (int, reason) {
	if a.Vetoed() != b.Vetoed() {
		if b.Vetoed() {
			return -1, reason{"veto", "一票否决"}
		}
		return 1, reason{"veto", "一票否决"}
	}
	if c := b.Score.Cmp(a.Score); c != 0 {
		return c, reason{fmt.Sprintf("score: %s vs %s", a.Score.StringFixed(2), b.Score.StringFixed(2)), "得分"}
	}
	if c := compareRate(a.Satisfaction, b.Satisfaction); c != 0 {
		return c, reason{fmt.Sprintf("satisfaction: %s vs %s", a.Satisfaction.Percent(2), b.Satisfaction.Percent(2)),
			fmt.Sprintf("满意率（%s 对 %s）", a.Satisfaction.Percent(2), b.Satisfaction.Percent(2))}
	}
	if c := compareRate(a.Resolution, b.Resolution); c != 0 {
		return c, reason{fmt.Sprintf("resolution: %s vs %s", a.Resolution.Percent(2), b.Resolution.Percent(2)),
			fmt.Sprintf("解决率（%s 对 %s）", a.Resolution.Percent(2), b.Resolution.Percent(2))}
	}
	if len(a.Evaluations) != len(b.Evaluations) {
		c := 1
		if len(a.Evaluations) > len(b.Evaluations) {
			c = -1
		}
		return c, reason{fmt.Sprintf("evaluations: %d vs %d", len(a.Evaluations), len(b.Evaluations)),
			fmt.Sprintf("评价数量（%d 对 %d）", len(a.Evaluations), len(b.Evaluations))}
	}
	return 0, reason{}
}

// compareRate orders rates from high to low exactly (cross-multiplied), undefined last.
func compareRate(a, b escalation.Rate) int {
	switch {
	case !a.Defined() && !b.Defined():
		return 0
	case !a.Defined():
		return 1
	case !b.Defined():
		return -1
	}
	return b.Numerator.Mul(a.Denominator).Cmp(a.Numerator.Mul(b.Denominator))
}
