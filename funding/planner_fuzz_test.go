package funding_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"

	"github.com/gridgov/gridgov"
	"github.com/gridgov/gridgov/funding"
	"github.com/gridgov/gridgov/governance"
)

// plFuzzDec reads a fuzzed decimal, zero when it does not parse.
func plFuzzDec(s string) decimal.Decimal {
	d, err := decimal.NewFromString(s)
	if err != nil {
		return decimal.Zero
	}
	return d
}

// FuzzRuleInput feeds arbitrary rules and plan inputs to Rule.Validate and Treasury.Plan:
// neither may panic; Plan either succeeds with a consistent plan (within budget when
// scaling down) or fails with gridgov.ErrInvalid or gridgov.ErrBudgetExceeded.
func FuzzRuleInput(f *testing.F) {
	type seed struct {
		kind, per, prorate, amount, floor, cap, min, max string
		chooser, chooserAmount, from, to, label          string
		through                                          int
		ratio, selKind, level, labelKey, labelVal, roles string
		ranking, score, budget                           string
		scale                                            bool
	}
	for _, s := range []seed{
		{kind: "fixed", per: "year", amount: "2000", floor: "2000", selKind: "organisation", level: "compound", budget: "4000000"},
		{kind: "range", min: "100000", max: "150000", chooser: "label", to: "1200", selKind: "node", labelKey: "pilot", labelVal: "true", budget: "100000", scale: true},
		{kind: "range", min: "100000", max: "150000", chooser: "score", selKind: "node", level: "community", score: "87.5", budget: "1e6"},
		{kind: "range", min: "100000", max: "150000", chooser: "fixed", chooserAmount: "150000", selKind: "node", level: "community", budget: "1"},
		{kind: "stipend", prorate: "months", floor: "200", amount: "250", cap: "300", selKind: "person", roles: "secretary", budget: "5000", scale: true},
		{kind: "stipend", prorate: "days", floor: "200", selKind: "person", roles: "secretary", budget: "10"},
		{kind: "group_cap", cap: "1000", amount: "150", selKind: "person", roles: "member,secretary,deputy_secretary", budget: "9999.99", scale: true},
		{kind: "award", min: "10000", max: "30000", through: 2, selKind: "node", level: "community", ranking: "c2,c1", budget: "40000", scale: true},
		{kind: "paired", ratio: "0.5", budget: "3000"},
		{kind: "fixed", amount: "-1.001", floor: "5", per: "week", prorate: "hours", selKind: "galaxy", level: "x y", budget: "-3"},
		{kind: "range", min: "2", max: "1", chooser: "label", from: "5", to: "5", label: "户数", selKind: "node", budget: "1e99999"},
		{kind: "award", min: "1e-40", max: "99999999999999999999999999999999999999999999", through: -1, selKind: "node", ranking: "c1,c1,zz", budget: "0.001"},
	} {
		f.Add(s.kind, s.per, s.prorate, s.amount, s.floor, s.cap, s.min, s.max, s.chooser, s.chooserAmount, s.from, s.to, s.label,
			s.through, s.ratio, s.selKind, s.level, s.labelKey, s.labelVal, s.roles, s.ranking, s.score, s.budget, s.scale)
	}
	fx := newPlFixture(f)
	fx.small()
	f.Fuzz(func(t *testing.T, kind, per, prorate, amount, floor, capAmount, minAmount, maxAmount, chooser, chooserAmount, from, to, label string,
		through int, ratio, selKind, level, labelKey, labelVal, roles, ranking, score, budget string, scale bool) {
		sel := funding.Selector{Kind: funding.RecipientKind(selKind), Level: level}
		if labelKey != "" {
			sel.Labels = map[string]string{labelKey: labelVal}
		}
		if selKind == string(funding.RecipientPerson) || selKind == string(funding.RecipientOrganisation) {
			sel.OrgKinds = []governance.OrgKind{governance.OrgPartyBranch}
		}
		if roles != "" && selKind == string(funding.RecipientPerson) {
			for _, r := range strings.Split(roles, ",") {
				sel.Roles = append(sel.Roles, governance.Role(r))
			}
		}
		rule := funding.Rule{ID: "fuzz", Kind: funding.RuleKind(kind), Per: funding.Per(per), ProRate: funding.ProRate(prorate),
			Recipients: sel, Amount: plFuzzDec(amount), Floor: plFuzzDec(floor), Cap: plFuzzDec(capAmount),
			Min: plFuzzDec(minAmount), Max: plFuzzDec(maxAmount),
			Chooser: funding.Chooser{Kind: funding.ChooserKind(chooser), Amount: plFuzzDec(chooserAmount), From: plFuzzDec(from), To: plFuzzDec(to), Label: label}}
		in := funding.PlanInput{ID: "fuzz-plan", Budget: plFuzzDec(budget), Period: plYear, ScaleDown: scale}
		rules := []funding.Rule{rule}
		switch rule.Kind {
		case funding.RuleAward:
			rules[0].Bands = []funding.Band{{Through: through, Amount: rule.Max}}
			in.Rankings = map[string][]string{"fuzz": strings.Split(ranking, ",")}
		case funding.RulePaired:
			rules[0].Recipients, rules[0].Matches, rules[0].Ratio = funding.Selector{}, "base", plFuzzDec(ratio)
			rules[0].Amount, rules[0].Floor, rules[0].Cap, rules[0].Min, rules[0].Max = decimal.Zero, decimal.Zero, decimal.Zero, decimal.Zero, decimal.Zero
			rules[0].Chooser, rules[0].Per, rules[0].ProRate = funding.Chooser{}, "", ""
			rules = append(rules, funding.Rule{ID: "base", Kind: funding.RuleStipend, Recipients: plSecretaries, Floor: plDec("200"), ProRate: funding.ProRateDays})
		case funding.RuleRange:
			if rule.Chooser.Kind == funding.ChooseByScore {
				in.Scores = map[string]map[string]decimal.Decimal{"fuzz": {"c1": plFuzzDec(score), "c2": plFuzzDec(score)}}
			}
		}
		_ = rules[0].Validate()
		in.Rules = rules
		p, err := fx.tr.Plan(plCtx, in)
		switch {
		case err == nil:
			plCheckTotals(t, p)
			if scale {
				require.False(t, p.Total.GreaterThan(p.Budget), "scaled plan over budget")
			}
		case errors.Is(err, gridgov.ErrBudgetExceeded):
			var berr *funding.BudgetError
			require.ErrorAs(t, err, &berr)
			require.True(t, berr.Shortfall.IsPositive())
		default:
			var verr *gridgov.ValidationError
			require.ErrorAs(t, err, &verr, "unexpected error %v", err)
			require.ErrorIs(t, err, gridgov.ErrInvalid)
			for _, fe := range verr.Fields {
				require.NotEmpty(t, fe.Field)
				require.NotEmpty(t, fe.EN)
				require.NotEmpty(t, fe.ZH)
			}
		}
	})
}
