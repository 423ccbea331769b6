package funding_test

import (
	"errors"
	"testing"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gridgov/gridgov"
	"github.com/gridgov/gridgov/funding"
	"github.com/gridgov/gridgov/governance"
)

// plValidRules has one valid rule of every kind.
func plValidRules() []funding.Rule {
	return []funding.Rule{
		{ID: "working", Kind: funding.RuleFixed, Recipients: plBranches, Per: funding.PerYear, Amount: plDec("2000"), Floor: plDec("2000")},
		{ID: "startup", Kind: funding.RuleRange, Recipients: plPilots, Min: plDec("100000"), Max: plDec("150000"),
			Chooser: funding.Chooser{Kind: funding.ChooseByLabel, Label: "households", To: plDec("1200")}},
		{ID: "stipend", Kind: funding.RuleStipend, Recipients: plSecretaries, Floor: plDec("200"), Cap: plDec("300"), ProRate: funding.ProRateMonths},
		{ID: "retired", Kind: funding.RuleGroupCap, Recipients: plRetiredCommittee, Cap: plDec("1000"), Amount: plDec("250")},
		{ID: "award", Kind: funding.RuleAward, Recipients: plCommunities, Min: plDec("10000"), Max: plDec("30000"),
			Bands: []funding.Band{{Through: 1, Amount: plDec("30000")}, {Through: 3, Amount: plDec("10000")}}},
		{ID: "city", Kind: funding.RulePaired, Matches: "startup", Ratio: plDec("1"), Source: "city"},
	}
}

func TestRuleValidateAccepts(t *testing.T) {
	for _, r := range plValidRules() {
		assert.NoError(t, r.Validate(), r.ID)
	}
	for _, r := range funding.DoubleGrant("double", plCommunities, plDec("100000"), plDec("100000")) {
		assert.NoError(t, r.Validate(), r.ID)
	}
	grades := funding.Rule{ID: "g", Kind: funding.RuleAward, Recipients: plCommunities, Min: plDec("1"), Max: plDec("3"),
		Grades: map[string]decimal.Decimal{"优秀": plDec("3"), "良好": plDec("1")}}
	assert.NoError(t, grades.Validate())
	score := funding.Rule{ID: "s", Kind: funding.RuleRange, Recipients: plPilots, Min: plDec("1"), Max: plDec("1"),
		Chooser: funding.Chooser{Kind: funding.ChooseByScore}}
	assert.NoError(t, score.Validate(), "Min may equal Max")
}

func TestRuleValidateRejects(t *testing.T) {
	valid := plValidRules()
	with := func(i int, change func(*funding.Rule)) funding.Rule {
		r := valid[i]
		change(&r)
		return r
	}
	const fixed, rng, stipend, group, award, paired = 0, 1, 2, 3, 4, 5
	for _, tc := range []struct {
		name   string
		rule   funding.Rule
		fields []string
	}{
		{"empty rule", funding.Rule{}, []string{"ID", "Kind"}},
		{"unknown kind", with(fixed, func(r *funding.Rule) { r.Kind = "lottery" }), []string{"Kind"}},
		{"bad id and names", with(fixed, func(r *funding.Rule) { r.ID = "two words"; r.NameEN = "tab\there"; r.Source = string([]byte{0xff}) }),
			[]string{"ID", "NameEN", "Source"}},
		{"negative amount", with(fixed, func(r *funding.Rule) { r.Amount = plDec("-1"); r.Floor = decimal.Zero }), []string{"Amount"}},
		{"sub-fen amount", with(fixed, func(r *funding.Rule) { r.Amount = plDec("2000.001") }), []string{"Amount"}},
		{"floor above amount", with(fixed, func(r *funding.Rule) { r.Floor = plDec("2000.01") }), []string{"Floor"}},
		{"fixed without amount", with(fixed, func(r *funding.Rule) { r.Amount = decimal.Zero; r.Floor = decimal.Zero }), []string{"Amount"}},
		{"fields a fixed rule does not use", with(fixed, func(r *funding.Rule) {
			r.Min, r.Max, r.Cap, r.Matches, r.Ratio = plDec("1"), plDec("2"), plDec("3"), "x", plDec("1")
			r.Chooser = funding.Chooser{Kind: funding.ChooseFixed}
			r.Bands = []funding.Band{{Through: 1, Amount: plDec("1")}}
			r.Grades = map[string]decimal.Decimal{"A": plDec("1")}
		}), []string{"Min", "Max", "Cap", "Matches", "Ratio", "Chooser", "Bands", "Grades"}},
		{"bad per and pro-rating", with(fixed, func(r *funding.Rule) { r.Per = "week"; r.ProRate = "hours" }), []string{"Per", "ProRate"}},
		{"range min above max", with(rng, func(r *funding.Rule) { r.Min = plDec("150000.01") }), []string{"Min"}},
		{"range without max", with(rng, func(r *funding.Rule) { r.Min, r.Max = decimal.Zero, decimal.Zero }), []string{"Max"}},
		{"range with a floor and amount", with(rng, func(r *funding.Rule) { r.Floor, r.Amount = plDec("1"), plDec("1") }), []string{"Floor", "Amount"}},
		{"range chooser amount outside", with(rng, func(r *funding.Rule) {
			r.Chooser = funding.Chooser{Kind: funding.ChooseFixed, Amount: plDec("99999.99")}
		}), []string{"Chooser.Amount"}},
		{"range chooser fixed with label and scale", with(rng, func(r *funding.Rule) {
			r.Chooser = funding.Chooser{Kind: funding.ChooseFixed, Amount: plDec("100000"), Label: "x", From: plDec("1"), To: plDec("2")}
		}), []string{"Chooser.Label", "Chooser.From", "Chooser.To"}},
		{"range chooser scale reversed", with(rng, func(r *funding.Rule) { r.Chooser.From, r.Chooser.To = plDec("10"), plDec("10") }), []string{"Chooser.To"}},
		{"range chooser bad label", with(rng, func(r *funding.Rule) { r.Chooser.Label = "户 数" }), []string{"Chooser.Label"}},
		{"range chooser unknown", with(rng, func(r *funding.Rule) { r.Chooser = funding.Chooser{Kind: "dice"} }), []string{"Chooser.Kind"}},
		{"score chooser with label", with(rng, func(r *funding.Rule) { r.Chooser.Kind = funding.ChooseByScore }), []string{"Chooser.Label"}},
		{"stipend floor above cap", with(stipend, func(r *funding.Rule) { r.Floor = plDec("300.01") }), []string{"Floor"}},
		{"stipend amount above cap, floor above amount", with(stipend, func(r *funding.Rule) { r.Amount = plDec("150"); r.Cap = plDec("100") }),
			[]string{"Floor", "Floor", "Amount"}},
		{"stipend without floor", with(stipend, func(r *funding.Rule) { r.Floor = decimal.Zero }), []string{"Floor"}},
		{"stipend per year", with(stipend, func(r *funding.Rule) { r.Per = funding.PerYear }), []string{"Per"}},
		{"stipend to organisations", with(stipend, func(r *funding.Rule) { r.Recipients = plBranches }), []string{"Recipients.Kind"}},
		{"group without cap", with(group, func(r *funding.Rule) { r.Cap = decimal.Zero; r.Amount = decimal.Zero }), []string{"Cap"}},
		{"group amount above cap, floor, days", with(group, func(r *funding.Rule) {
			r.Amount, r.Floor, r.ProRate = plDec("1000.01"), plDec("1"), funding.ProRateDays
		}), []string{"Amount", "Floor", "ProRate"}},
		{"group per year pro-rated", with(group, func(r *funding.Rule) { r.Per, r.ProRate = funding.PerYear, funding.ProRateMonths }), []string{"ProRate"}},
		{"group of nodes", with(group, func(r *funding.Rule) { r.Recipients = plPilots }), []string{"Recipients.Kind"}},
		{"award bands and grades", with(award, func(r *funding.Rule) { r.Grades = map[string]decimal.Decimal{"A": plDec("10000")} }), []string{"Bands"}},
		{"award neither", with(award, func(r *funding.Rule) { r.Bands = nil }), []string{"Bands"}},
		{"award bands out of order and range", with(award, func(r *funding.Rule) {
			r.Bands = []funding.Band{{Through: 2, Amount: plDec("30000.01")}, {Through: 2, Amount: plDec("9999")}, {Through: 0, Amount: plDec("10000.001")}}
		}), []string{"Bands[0].Amount", "Bands[1].Through", "Bands[1].Amount", "Bands[2].Through", "Bands[2].Amount"}},
		{"award grades out of range", with(award, func(r *funding.Rule) {
			r.Bands = nil
			r.Grades = map[string]decimal.Decimal{"优秀": plDec("40000"), " ": plDec("10000")}
		}), []string{"Grades[优秀]", "Grades[ ]"}},
		{"award per month, pro-rated", with(award, func(r *funding.Rule) { r.Per, r.ProRate = funding.PerMonth, funding.ProRateDays }), []string{"Per", "ProRate"}},
		{"paired without match or ratio", with(paired, func(r *funding.Rule) { r.Matches, r.Ratio = "", decimal.Zero }), []string{"Matches", "Ratio"}},
		{"paired matching itself, fine ratio", with(paired, func(r *funding.Rule) { r.Matches, r.Ratio = "city", plDec("0.00001") }), []string{"Matches", "Ratio"}},
		{"paired with own fields", with(paired, func(r *funding.Rule) {
			r.Amount, r.Recipients, r.Per, r.ProRate = plDec("1"), plPilots, funding.PerYear, funding.ProRateDays
		}), []string{"Amount", "Recipients", "Per", "ProRate"}},
		{"selector without kind", with(fixed, func(r *funding.Rule) { r.Recipients = funding.Selector{} }), []string{"Recipients.Kind"}},
		{"selector bad fields", with(fixed, func(r *funding.Rule) {
			r.Recipients = funding.Selector{Kind: "building", Within: "a b", Level: "?", Labels: map[string]string{"": "x"},
				OrgKinds: []governance.OrgKind{"club"}, OrgNameContains: []string{" "}, Roles: []governance.Role{"big boss"},
				Party: []governance.PartyCategory{"honorary"}}
		}), []string{"Recipients.Kind", "Recipients.Within", "Recipients.Level", "Recipients.Labels[]", "Recipients.OrgKinds[0]",
			"Recipients.OrgNameContains[0]", "Recipients.Roles[0]", "Recipients.Party[0]"}},
		{"node selector with organisation and person filters", with(fixed, func(r *funding.Rule) {
			r.Recipients = funding.Selector{Kind: funding.RecipientNode, OrgKinds: []governance.OrgKind{governance.OrgPartyBranch},
				OrgNameContains: []string{"x"}, Roles: []governance.Role{governance.RoleSecretary}, Party: []governance.PartyCategory{governance.PartyRetired}}
		}), []string{"Recipients.OrgKinds", "Recipients.OrgNameContains", "Recipients.Roles", "Recipients.Party"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			plRequireFields(t, tc.rule.Validate(), tc.fields...)
		})
	}
}

// In a plan, the fields are named under Rules[i] and every bad rule is reported at once.
func TestRuleErrorsNamedInPlan(t *testing.T) {
	f := newPlFixture(t)
	f.small()
	rules := plValidRules()
	rules[0].Floor = plDec("2500")
	rules[1].Min = plDec("200000")
	rules[2].Recipients.Within = "nowhere"
	_, err := f.plan(funding.PlanInput{Rules: rules})
	plRequireFields(t, err, "Rules[0].Floor", "Rules[1].Min", "Rules[2].Recipients.Within", "Rankings[award]")
	var verr *gridgov.ValidationError
	require.True(t, errors.As(err, &verr))
	assert.Equal(t, "Rules[0].Floor (2500) must not be above Rules[0].Amount (2000)", verr.Fields[0].EN)
	assert.Equal(t, "Rules[0].Floor（2500）不能高于Rules[0].Amount（2000）", verr.Fields[0].ZH)
	assert.Contains(t, verr.Message(gridgov.Chinese), "Rules[1].Min（200000）不能高于Rules[1].Max（150000）")
}
