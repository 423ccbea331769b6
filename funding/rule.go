package funding

import (
	"fmt"
	"slices"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/shopspring/decimal"

	"github.com/gridgov/gridgov"
	"github.com/gridgov/gridgov/governance"
)

// RuleKind says how a [Rule] finds its amounts.
type RuleKind string

// The kinds of rule. Rules combine freely in one plan; each explains its own lines.
const (
	// RuleFixed pays Amount to every recipient per Per (定额补助): ¥2,000 a year to each
	// compound Party branch. Floor (optional, at most Amount) is what scaling keeps.
	RuleFixed RuleKind = "fixed"
	// RuleRange pays each recipient an amount in [Min, Max] per Per picked by the Chooser
	// (区间补助): ¥100,000–150,000 to each pilot community, fixed, by households or by a
	// score. Min is the line's floor.
	RuleRange RuleKind = "range"
	// RuleStipend pays each person Amount a month (default Floor), never below Floor a
	// month and, when Cap is set, never above Cap a month (津贴): a compound Party-branch
	// secretary gets at least ¥200 a month. Recipients must be persons (positions).
	RuleStipend RuleKind = "stipend"
	// RuleGroupCap shares at most Cap per Per among the members of a group (集体限额): the
	// committee members of a retired-members' branch together get at most ¥1,000 a month.
	// The group is the organisation of the positions selected; with Amount set each member
	// is due Amount and the group's total is capped at Cap. Recipients must be persons.
	RuleGroupCap RuleKind = "group_cap"
	// RuleAward pays awards by rank (Bands, with the ranking in [PlanInput.Rankings]) or by
	// grade (Grades, with the grades in [PlanInput.Grades]), each amount in [Min, Max]
	// (奖励): ¥10,000–30,000 to outstanding communities. Min is the line's floor.
	RuleAward RuleKind = "award"
	// RulePaired adds, for every line of the rule named by Matches, a matching line to the
	// same recipient of Ratio × its amount (配套资金), for example a city matching the
	// district 1:1. Source names who pays the match. Paired lines count against the plan's
	// budget like any other; plan separate sources as separate plans when they are
	// separate funds.
	RulePaired RuleKind = "paired"
)

// RuleKinds lists every rule kind, in declaration order.
func RuleKinds() []RuleKind {
	return []RuleKind{RuleFixed, RuleRange, RuleStipend, RuleGroupCap, RuleAward, RulePaired}
}

// Per is the time unit a rule's amounts are stated for.
type Per string

// The units. The zero value means the rule kind's default: [PerMonth] for stipends and
// group caps, [PerPeriod] for the others.
const (
	// PerPeriod: once for the plan's period (a start-up grant, an award).
	PerPeriod Per = "period"
	// PerMonth: per calendar month (a stipend).
	PerMonth Per = "month"
	// PerYear: per calendar year (working funds); a plan for part of a year gets the
	// matching share in whole months.
	PerYear Per = "year"
)

// ProRate says how a recipient who held a position for only part of the plan's period is
// paid (按实际任职时间折算). Nodes and organisations count as held for the whole period.
// Dates are taken in the plan period's time zone: the day of appointment counts, the day
// of leaving (Position.Until) does not.
type ProRate string

// The pro-rating modes.
const (
	// ProRateNone pays the whole period's amount to any recipient who held the position at
	// some time in the period.
	ProRateNone ProRate = ""
	// ProRateMonths pays per whole calendar month held (按整月计): appointed on 1 June, a
	// secretary is paid for June to December; appointed on 15 June, from July.
	ProRateMonths ProRate = "months"
	// ProRateDays pays by days held (按天折算): each month (or year, or the period, as Per
	// says) contributes days held / days in it. Amounts are rounded once, half up, to the
	// fen.
	ProRateDays ProRate = "days"
)

// ChooserKind says how a range rule picks an amount in [Min, Max].
type ChooserKind string

// The choosers.
const (
	// ChooseFixed picks Chooser.Amount for every recipient.
	ChooseFixed ChooserKind = "fixed"
	// ChooseByLabel maps the number in the recipient node's label Chooser.Label (default
	// "households", 户数) linearly from [From, To] onto [Min, Max], clamped, rounded half up
	// to the fen.
	ChooseByLabel ChooserKind = "label"
	// ChooseByScore maps the recipient's score from [PlanInput.Scores] linearly from
	// [From, To] (default 0–100) onto [Min, Max], clamped, rounded half up to the fen.
	ChooseByScore ChooserKind = "score"
)

// LabelHouseholds is the node label [ChooseByLabel] reads by default: the number of
// households of a community or compound.
const LabelHouseholds = "households"

// Chooser picks the amount of a [RuleRange] line.
type Chooser struct {
	Kind ChooserKind
	// Amount is the amount of [ChooseFixed], within [Min, Max].
	Amount decimal.Decimal
	// Label is the node label [ChooseByLabel] reads (default [LabelHouseholds]).
	Label string
	// From and To bound the input mapped onto [Min, Max]: From maps to Min, To to Max,
	// inputs outside are clamped. Defaults: 0–1000 households for [ChooseByLabel] and 0–100
	// for [ChooseByScore] (both zero means the default).
	From, To decimal.Decimal
}

// Band gives every rank up to and including Through (counting from 1, after the previous
// band) the same award amount (名次档次).
type Band struct {
	Through int
	Amount  decimal.Decimal
}

// Selector says who a rule pays, from governance data (not from hand lists): nodes,
// organisations or persons holding positions, within a subtree, filtered by level, node
// labels, organisation kind and name, role and Party category. Every filter that is set
// must match. Retired nodes and dissolved organisations are never selected; persons are
// selected through their positions (ended ones included) that were held at some time in
// the plan's period.
type Selector struct {
	// Kind is what is selected: [RecipientNode], [RecipientOrganisation] or
	// [RecipientPerson] (one recipient per position).
	Kind RecipientKind
	// Within is the root of the subtree searched (itself included); "" searches every tree
	// of the registry.
	Within string
	// Level and LevelKind filter the node (of the node itself, or of the organisation or
	// position) by its level key in the scheme, or by the kind of that level (for example
	// governance.KindCompound).
	Level     string
	LevelKind governance.LevelKind
	// Labels must all be present with these values on the node, for example
	// {"pilot": "true"} for pilot communities (试点社区).
	Labels map[string]string
	// OrgKinds keeps organisations (or positions in organisations) of these kinds.
	OrgKinds []governance.OrgKind
	// OrgNameContains keeps organisations whose name contains one of these strings. The
	// governance model has no organisation labels, so a retired-members' Party branch
	// (离退休党员支部) is found by its name, for example "离退休".
	OrgNameContains []string
	// Roles keeps positions with one of these roles (persons only).
	Roles []governance.Role
	// Party keeps persons of one of these Party-member categories (persons only).
	Party []governance.PartyCategory
}

// IsZero reports whether no field of s is set.
func (s Selector) IsZero() bool {
	return s.Kind == "" && s.Within == "" && s.Level == "" && s.LevelKind == "" &&
		len(s.Labels) == 0 && len(s.OrgKinds) == 0 && len(s.OrgNameContains) == 0 &&
		len(s.Roles) == 0 && len(s.Party) == 0
}

// Rule is one funding rule, as data (资金规则): who (Recipients) gets what (the fields its
// Kind uses) per what time unit (Per), pro-rated how (ProRate). Fields a kind does not use
// must be left zero. [Rule.Validate] checks a rule on its own; [Treasury.Plan] also checks
// it against the registry (levels, the subtree root) and the plan's inputs.
type Rule struct {
	// ID names the rule in plans, totals and inputs; unique within a plan (a valid
	// gridgov identifier).
	ID   string
	Kind RuleKind
	// NameEN and NameZH say what the money is for, e.g. "start-up grant" / "启动资金";
	// explanations start with them (default: the kind's name).
	NameEN, NameZH string
	// Source says who pays, e.g. "district" or "city (市级配套)"; shown in explanations.
	Source string
	// Recipients selects the recipients (not used by [RulePaired], which pays the
	// recipients of the rule it matches).
	Recipients Selector
	// Per is the time unit of Amount, Floor, Cap, Min and Max (zero: the kind's default).
	Per Per
	// ProRate says how partial holding of a position is paid (fixed, range, stipend and
	// group-cap rules).
	ProRate ProRate
	// Amount: the amount of a fixed rule; the planned monthly amount of a stipend (default
	// Floor); the amount each member of a group is due (optional).
	Amount decimal.Decimal
	// Floor: the least a line may be scaled down to, per Per (fixed and stipend rules).
	Floor decimal.Decimal
	// Cap: the most a stipend pays per month (optional); the most a group gets together
	// per Per (group caps, required).
	Cap decimal.Decimal
	// Min and Max bound the amounts of range and award rules; Min is their lines' floor.
	Min, Max decimal.Decimal
	// Chooser picks the amount of a range rule.
	Chooser Chooser
	// Bands are the award amounts by rank, in increasing Through.
	Bands []Band
	// Grades are the award amounts by grade (e.g. "优秀"); recipients with another grade
	// get nothing.
	Grades map[string]decimal.Decimal
	// Matches is the ID of the rule a paired rule matches (not itself a paired rule).
	Matches string
	// Ratio is the paired amount per yuan matched (1 for 1:1), positive, at most 4
	// decimal places.
	Ratio decimal.Decimal
}

// per returns the rule's time unit with the kind's default applied.
func (r Rule) per() Per {
	if r.Per != "" {
		return r.Per
	}
	if r.Kind == RuleStipend || r.Kind == RuleGroupCap {
		return PerMonth
	}
	return PerPeriod
}

// names returns the rule's names with the kind's defaults applied.
func (r Rule) names() (en, zh string) {
	en, zh = r.NameEN, r.NameZH
	def := map[RuleKind][2]string{
		RuleFixed: {"fixed grant", "定额补助"}, RuleRange: {"range grant", "区间补助"},
		RuleStipend: {"stipend", "津贴"}, RuleGroupCap: {"group allowance", "集体补贴"},
		RuleAward: {"award", "奖励"}, RulePaired: {"matching funds", "配套资金"},
	}[r.Kind]
	if en == "" {
		en = def[0]
	}
	if zh == "" {
		zh = def[1]
	}
	return en, zh
}

// stipendAmount returns a stipend's monthly amount: Amount, or Floor when Amount is zero.
func (r Rule) stipendAmount() decimal.Decimal {
	if r.Amount.IsZero() {
		return r.Floor
	}
	return r.Amount
}

// chooserRange returns the chooser's input range with the defaults applied.
func (c Chooser) chooserRange() (from, to decimal.Decimal) {
	if c.From.IsZero() && c.To.IsZero() {
		switch c.Kind {
		case ChooseByLabel:
			return decimal.Zero, decimal.NewFromInt(1000)
		case ChooseByScore:
			return decimal.Zero, decimal.NewFromInt(100)
		}
	}
	return c.From, c.To
}

// label returns the label [ChooseByLabel] reads.
func (c Chooser) label() string {
	if c.Label == "" {
		return LabelHouseholds
	}
	return c.Label
}

// Validate checks the rule on its own, per kind, and returns a [*gridgov.ValidationError]
// (gridgov.ErrInvalid) naming every failing field ("Floor", "Chooser.Amount",
// "Bands[1].Through"...) in English and Chinese: negative or sub-fen amounts, a floor above
// the amount or the cap, a range with Min above Max, unknown kinds, fields the kind does
// not use, and so on. Checks that need the registry or the plan's other inputs (levels,
// the subtree root, the rule a paired rule matches) are made by [Treasury.Plan].
func (r Rule) Validate() error {
	var verr gridgov.ValidationError
	ruleCheck(&verr, "", r)
	return verr.Err()
}

// ruleProblems collects a rule's failing fields under a prefix such as "Rules[2].".
type ruleProblems struct {
	verr   *gridgov.ValidationError
	prefix string
	kind   RuleKind
}

func (p ruleProblems) add(field, tag, en, zh string) {
	p.verr.Add(p.prefix+field, tag, en, zh)
}

// amount checks a money field.
func (p ruleProblems) amount(field string, d decimal.Decimal) {
	if d.IsNegative() {
		p.add(field, "gte", fmt.Sprintf("%s must not be negative, not %s", p.prefix+field, d),
			fmt.Sprintf("%s不能为负数（%s）", p.prefix+field, d))
	}
	if !d.Equal(d.Truncate(2)) {
		p.add(field, "fen", fmt.Sprintf("%s must be whole fen (at most 2 decimal places), not %s", p.prefix+field, d),
			fmt.Sprintf("%s必须精确到分（最多两位小数），而不是%s", p.prefix+field, d))
	}
	if d.GreaterThan(planMaxAmount) {
		p.add(field, "max", fmt.Sprintf("%s must be at most ¥1,000,000,000,000, not %s", p.prefix+field, d),
			fmt.Sprintf("%s不能超过1,000,000,000,000元（%s）", p.prefix+field, d))
	}
}

// positive checks that a required money field (already checked by amount) is set.
func (p ruleProblems) positive(field string, d decimal.Decimal) {
	if d.IsZero() {
		p.add(field, "required", fmt.Sprintf("%s is required (a positive amount) for a %s rule", p.prefix+field, p.kind),
			fmt.Sprintf("%s规则必须提供%s（正数金额）", p.kind, p.prefix+field))
	}
}

// unused flags a field set on a rule whose kind does not use it.
func (p ruleProblems) unused(field string, set bool) {
	if set {
		p.add(field, "unused", fmt.Sprintf("%s is not used by a %s rule; leave it empty", p.prefix+field, p.kind),
			fmt.Sprintf("%s规则不使用%s，请留空", p.kind, p.prefix+field))
	}
}

// notAbove flags low > high.
func (p ruleProblems) notAbove(lowField string, low decimal.Decimal, highField string, high decimal.Decimal) {
	if !low.IsNegative() && !high.IsNegative() && low.GreaterThan(high) {
		p.add(lowField, "ltefield",
			fmt.Sprintf("%s (%s) must not be above %s (%s)", p.prefix+lowField, low, p.prefix+highField, high),
			fmt.Sprintf("%s（%s）不能高于%s（%s）", p.prefix+lowField, low, p.prefix+highField, high))
	}
}

// ruleCheck records every failing field of r on verr, each named with prefix.
func ruleCheck(verr *gridgov.ValidationError, prefix string, r Rule) {
	p := ruleProblems{verr: verr, prefix: prefix, kind: r.Kind}
	if !gridgov.ValidID(r.ID) {
		p.add("ID", "gridid", fmt.Sprintf("%sID %q must be 1 to %d letters, digits or - _ . :", prefix, r.ID, gridgov.MaxIDLength),
			fmt.Sprintf("%sID“%s”必须是1到%d个字母、数字或 - _ . :", prefix, r.ID, gridgov.MaxIDLength))
	}
	for _, f := range []struct{ field, v string }{{"NameEN", r.NameEN}, {"NameZH", r.NameZH}, {"Source", r.Source}} {
		if !rulePrintable(f.v) || utf8.RuneCountInString(f.v) > 128 {
			p.add(f.field, "printable", fmt.Sprintf("%s must be at most 128 characters of text without control characters", prefix+f.field),
				fmt.Sprintf("%s必须是不超过128个字符且不含控制字符的文本", prefix+f.field))
		}
	}
	if !ruleNumbersSane(p, r) {
		return
	}
	if !slices.Contains(RuleKinds(), r.Kind) {
		p.add("Kind", "oneof", fmt.Sprintf("%sKind %q is not a rule kind (%s)", prefix, r.Kind, ruleKindList()),
			fmt.Sprintf("%sKind“%s”不是规则类型（%s）", prefix, r.Kind, ruleKindList()))
		return
	}
	switch r.Per {
	case "", PerPeriod, PerMonth, PerYear:
	default:
		p.add("Per", "oneof", fmt.Sprintf("%sPer %q must be period, month or year", prefix, r.Per),
			fmt.Sprintf("%sPer“%s”必须是 period、month 或 year", prefix, r.Per))
	}
	switch r.ProRate {
	case ProRateNone, ProRateMonths, ProRateDays:
	default:
		p.add("ProRate", "oneof", fmt.Sprintf("%sProRate %q must be empty, months or days", prefix, r.ProRate),
			fmt.Sprintf("%sProRate“%s”必须为空、months 或 days", prefix, r.ProRate))
	}
	for _, f := range []struct {
		field string
		d     decimal.Decimal
	}{{"Amount", r.Amount}, {"Floor", r.Floor}, {"Cap", r.Cap}, {"Min", r.Min}, {"Max", r.Max}} {
		p.amount(f.field, f.d)
	}
	if r.Kind != RulePaired {
		selectorCheck(p, r.Recipients)
	}
	usesChooser := r.Kind == RuleRange
	c := r.Chooser
	p.unused("Chooser", !usesChooser && (c.Kind != "" || !c.Amount.IsZero() || c.Label != "" || !c.From.IsZero() || !c.To.IsZero()))
	p.unused("Bands", r.Kind != RuleAward && len(r.Bands) > 0)
	p.unused("Grades", r.Kind != RuleAward && len(r.Grades) > 0)
	p.unused("Matches", r.Kind != RulePaired && r.Matches != "")
	p.unused("Ratio", r.Kind != RulePaired && !r.Ratio.IsZero())

	switch r.Kind {
	case RuleFixed:
		p.positive("Amount", r.Amount)
		p.notAbove("Floor", r.Floor, "Amount", r.Amount)
		p.unused("Cap", !r.Cap.IsZero())
		p.unused("Min", !r.Min.IsZero())
		p.unused("Max", !r.Max.IsZero())
	case RuleStipend:
		p.positive("Floor", r.Floor)
		if !r.Amount.IsZero() {
			p.notAbove("Floor", r.Floor, "Amount", r.Amount)
		}
		if !r.Cap.IsZero() {
			p.notAbove("Floor", r.Floor, "Cap", r.Cap)
			if !r.Amount.IsZero() {
				p.notAbove("Amount", r.Amount, "Cap", r.Cap)
			}
		}
		if r.Per != "" && r.Per != PerMonth {
			p.add("Per", "eq", fmt.Sprintf("%sPer of a stipend must be month (or empty), not %q", prefix, r.Per),
				fmt.Sprintf("%s津贴按月计算，Per必须为 month 或留空，而不是“%s”", prefix, r.Per))
		}
		p.unused("Min", !r.Min.IsZero())
		p.unused("Max", !r.Max.IsZero())
		personsOnly(p, r)
	case RuleRange:
		rangeBounds(p, r)
		p.unused("Floor", !r.Floor.IsZero())
		p.unused("Amount", !r.Amount.IsZero())
		p.unused("Cap", !r.Cap.IsZero())
		chooserCheck(p, r)
	case RuleGroupCap:
		p.positive("Cap", r.Cap)
		p.unused("Floor", !r.Floor.IsZero())
		p.unused("Min", !r.Min.IsZero())
		p.unused("Max", !r.Max.IsZero())
		if !r.Amount.IsZero() {
			p.notAbove("Amount", r.Amount, "Cap", r.Cap)
		}
		if r.ProRate == ProRateDays {
			p.add("ProRate", "oneof", fmt.Sprintf("%sProRate of a group cap must be empty or months, not days", prefix),
				fmt.Sprintf("%s集体限额只能不折算或按整月折算，不能按天", prefix))
		}
		if r.per() != PerMonth && r.ProRate != ProRateNone {
			p.add("ProRate", "oneof", fmt.Sprintf("%sa group cap per %s cannot be pro-rated; use Per month", prefix, r.per()),
				fmt.Sprintf("%s按%s计的集体限额不能折算，请按月计", prefix, r.per()))
		}
		personsOnly(p, r)
	case RuleAward:
		rangeBounds(p, r)
		p.unused("Floor", !r.Floor.IsZero())
		p.unused("Amount", !r.Amount.IsZero())
		p.unused("Cap", !r.Cap.IsZero())
		if r.Per != "" && r.Per != PerPeriod {
			p.add("Per", "eq", fmt.Sprintf("%sPer of an award must be period (or empty), not %q", prefix, r.Per),
				fmt.Sprintf("%s奖励按期一次性发放，Per必须为 period 或留空，而不是“%s”", prefix, r.Per))
		}
		p.unused("ProRate", r.ProRate != ProRateNone)
		awardCheck(p, r)
	case RulePaired:
		for _, f := range []struct {
			field string
			d     decimal.Decimal
		}{{"Amount", r.Amount}, {"Floor", r.Floor}, {"Cap", r.Cap}, {"Min", r.Min}, {"Max", r.Max}} {
			p.unused(f.field, !f.d.IsZero())
		}
		p.unused("Recipients", !r.Recipients.IsZero())
		p.unused("Per", r.Per != "")
		p.unused("ProRate", r.ProRate != ProRateNone)
		switch {
		case r.Matches == "":
			p.add("Matches", "required", fmt.Sprintf("%sMatches is required: the ID of the rule a paired rule matches", prefix),
				fmt.Sprintf("%s必须提供Matches：配套规则所配套的规则编号", prefix))
		case r.Matches == r.ID:
			p.add("Matches", "nefield", fmt.Sprintf("%sMatches %q names the paired rule itself", prefix, r.Matches),
				fmt.Sprintf("%sMatches“%s”不能是配套规则自身", prefix, r.Matches))
		}
		switch {
		case !r.Ratio.IsPositive():
			p.add("Ratio", "gt", fmt.Sprintf("%sRatio must be positive (1 for 1:1), not %s", prefix, r.Ratio),
				fmt.Sprintf("%sRatio必须为正数（1:1配套为1），而不是%s", prefix, r.Ratio))
		case !r.Ratio.Equal(r.Ratio.Truncate(4)) || r.Ratio.GreaterThan(decimal.NewFromInt(1000)):
			p.add("Ratio", "ratio", fmt.Sprintf("%sRatio must have at most 4 decimal places and be at most 1000, not %s", prefix, r.Ratio),
				fmt.Sprintf("%sRatio最多4位小数且不超过1000，而不是%s", prefix, r.Ratio))
		}
	}
}

// planMaxAmount is the largest amount a rule or a plan accepts: ¥1,000,000,000,000.
var planMaxAmount = decimal.New(1, 12)

// planSane reports whether d is small enough to compute with: at most 40 significant
// digits and an exponent within ±30 (so that no comparison or product of such numbers
// grows without bound).
func planSane(d decimal.Decimal) bool {
	e := d.Exponent()
	return e >= -30 && e <= 30 && d.NumDigits() <= 40
}

// ruleNumbersSane records every number of r that is out of all proportion and reports
// whether they are all usable; the other checks only run on usable numbers.
func ruleNumbersSane(p ruleProblems, r Rule) bool {
	ok := true
	check := func(field string, d decimal.Decimal) {
		if !planSane(d) {
			ok = false
			p.add(field, "number", fmt.Sprintf("%s has too many digits or is too large or too small to use", p.prefix+field),
				fmt.Sprintf("%s位数过多或数值过大、过小，无法使用", p.prefix+field))
		}
	}
	check("Amount", r.Amount)
	check("Floor", r.Floor)
	check("Cap", r.Cap)
	check("Min", r.Min)
	check("Max", r.Max)
	check("Chooser.Amount", r.Chooser.Amount)
	check("Chooser.From", r.Chooser.From)
	check("Chooser.To", r.Chooser.To)
	check("Ratio", r.Ratio)
	for i, b := range r.Bands {
		check(fmt.Sprintf("Bands[%d].Amount", i), b.Amount)
	}
	for _, g := range planSortedKeys(r.Grades) {
		check(fmt.Sprintf("Grades[%s]", g), r.Grades[g])
	}
	return ok
}

// rangeBounds checks Min and Max of a range or award rule.
func rangeBounds(p ruleProblems, r Rule) {
	p.positive("Max", r.Max)
	p.notAbove("Min", r.Min, "Max", r.Max)
}

// personsOnly flags a stipend or group cap whose selector does not select persons.
func personsOnly(p ruleProblems, r Rule) {
	if r.Recipients.Kind != "" && r.Recipients.Kind != RecipientPerson {
		p.add("Recipients.Kind", "eq", fmt.Sprintf("%sRecipients.Kind of a %s rule must be person, not %q", p.prefix, r.Kind, r.Recipients.Kind),
			fmt.Sprintf("%s%s规则的发放对象必须是人员（person），而不是“%s”", p.prefix, r.Kind, r.Recipients.Kind))
	}
}

// chooserCheck checks the chooser of a range rule.
func chooserCheck(p ruleProblems, r Rule) {
	c := r.Chooser
	switch c.Kind {
	case ChooseFixed:
		p.amount("Chooser.Amount", c.Amount)
		if c.Amount.LessThan(r.Min) || c.Amount.GreaterThan(r.Max) {
			p.add("Chooser.Amount", "range", fmt.Sprintf("%sChooser.Amount %s must lie in [Min, Max] = [%s, %s]", p.prefix, c.Amount, r.Min, r.Max),
				fmt.Sprintf("%sChooser.Amount（%s）必须在区间[%s, %s]内", p.prefix, c.Amount, r.Min, r.Max))
		}
		p.unused("Chooser.Label", c.Label != "")
		p.unused("Chooser.From", !c.From.IsZero())
		p.unused("Chooser.To", !c.To.IsZero())
	case ChooseByLabel, ChooseByScore:
		p.unused("Chooser.Amount", !c.Amount.IsZero())
		if c.Kind == ChooseByScore {
			p.unused("Chooser.Label", c.Label != "")
		} else if c.Label != "" && !gridgov.ValidID(c.Label) {
			p.add("Chooser.Label", "gridid", fmt.Sprintf("%sChooser.Label %q is not a valid label key", p.prefix, c.Label),
				fmt.Sprintf("%sChooser.Label“%s”不是有效的标签名", p.prefix, c.Label))
		}
		from, to := c.chooserRange()
		if !from.LessThan(to) {
			p.add("Chooser.To", "gtfield", fmt.Sprintf("%sChooser.To (%s) must be above Chooser.From (%s)", p.prefix, to, from),
				fmt.Sprintf("%sChooser.To（%s）必须大于Chooser.From（%s）", p.prefix, to, from))
		}
	default:
		p.add("Chooser.Kind", "oneof", fmt.Sprintf("%sChooser.Kind %q must be fixed, label or score", p.prefix, c.Kind),
			fmt.Sprintf("%sChooser.Kind“%s”必须是 fixed、label 或 score", p.prefix, c.Kind))
	}
}

// awardCheck checks the bands or grades of an award rule.
func awardCheck(p ruleProblems, r Rule) {
	if (len(r.Bands) == 0) == (len(r.Grades) == 0) {
		p.add("Bands", "required_without", fmt.Sprintf("%san award needs either Bands (by rank) or Grades (by grade), not both or neither", p.prefix),
			fmt.Sprintf("%s奖励必须且只能按名次（Bands）或按等级（Grades）之一设定", p.prefix))
	}
	inRange := func(field string, d decimal.Decimal) {
		p.amount(field, d)
		if d.LessThan(r.Min) || d.GreaterThan(r.Max) {
			p.add(field, "range", fmt.Sprintf("%s %s must lie in [Min, Max] = [%s, %s]", p.prefix+field, d, r.Min, r.Max),
				fmt.Sprintf("%s（%s）必须在区间[%s, %s]内", p.prefix+field, d, r.Min, r.Max))
		}
	}
	last := 0
	for i, b := range r.Bands {
		field := fmt.Sprintf("Bands[%d].Through", i)
		if b.Through <= last {
			p.add(field, "gt", fmt.Sprintf("%s %d must be above the previous band's (%d)", p.prefix+field, b.Through, last),
				fmt.Sprintf("%s（%d）必须大于上一档（%d）", p.prefix+field, b.Through, last))
		}
		if b.Through > last {
			last = b.Through
		}
		inRange(fmt.Sprintf("Bands[%d].Amount", i), b.Amount)
	}
	grades := make([]string, 0, len(r.Grades))
	for g := range r.Grades {
		grades = append(grades, g)
	}
	sort.Strings(grades)
	for _, g := range grades {
		field := fmt.Sprintf("Grades[%s]", g)
		if strings.TrimSpace(g) == "" || !rulePrintable(g) || utf8.RuneCountInString(g) > 32 {
			p.add(field, "grade", fmt.Sprintf("%s: a grade must be 1 to 32 characters of text", p.prefix+field),
				fmt.Sprintf("%s：等级名称必须是1到32个字符的文本", p.prefix+field))
		}
		inRange(field, r.Grades[g])
	}
}

// selectorCheck checks a selector on its own (the registry checks come later).
func selectorCheck(p ruleProblems, s Selector) {
	const f = "Recipients."
	switch s.Kind {
	case RecipientNode, RecipientOrganisation, RecipientPerson:
	case "":
		p.add(f+"Kind", "required", fmt.Sprintf("%sRecipients.Kind is required: node, organisation or person", p.prefix),
			fmt.Sprintf("%s必须提供Recipients.Kind：node、organisation 或 person", p.prefix))
	default:
		p.add(f+"Kind", "oneof", fmt.Sprintf("%sRecipients.Kind %q must be node, organisation or person", p.prefix, s.Kind),
			fmt.Sprintf("%sRecipients.Kind“%s”必须是 node、organisation 或 person", p.prefix, s.Kind))
	}
	for _, id := range []struct{ field, v string }{{"Within", s.Within}, {"Level", s.Level}} {
		if id.v != "" && !gridgov.ValidID(id.v) {
			p.add(f+id.field, "gridid", fmt.Sprintf("%s%s%s %q is not a valid identifier", p.prefix, f, id.field, id.v),
				fmt.Sprintf("%s%s%s“%s”不是有效的编号", p.prefix, f, id.field, id.v))
		}
	}
	keys := make([]string, 0, len(s.Labels))
	for k := range s.Labels {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		if !gridgov.ValidID(k) {
			p.add(fmt.Sprintf("%sLabels[%s]", f, k), "gridid", fmt.Sprintf("%s%sLabels key %q is not a valid label key", p.prefix, f, k),
				fmt.Sprintf("%s%sLabels的键“%s”不是有效的标签名", p.prefix, f, k))
		}
	}
	for i, k := range s.OrgKinds {
		if !slices.Contains(governance.OrgKinds(), k) {
			p.add(fmt.Sprintf("%sOrgKinds[%d]", f, i), "oneof", fmt.Sprintf("%s%sOrgKinds[%d] %q is not an organisation kind", p.prefix, f, i, k),
				fmt.Sprintf("%s%sOrgKinds[%d]“%s”不是组织类型", p.prefix, f, i, k))
		}
	}
	for i, n := range s.OrgNameContains {
		if strings.TrimSpace(n) == "" {
			p.add(fmt.Sprintf("%sOrgNameContains[%d]", f, i), "notblank", fmt.Sprintf("%s%sOrgNameContains[%d] must not be blank", p.prefix, f, i),
				fmt.Sprintf("%s%sOrgNameContains[%d]不能为空白", p.prefix, f, i))
		}
	}
	for i, role := range s.Roles {
		if !gridgov.ValidID(string(role)) {
			p.add(fmt.Sprintf("%sRoles[%d]", f, i), "gridid", fmt.Sprintf("%s%sRoles[%d] %q is not a valid role", p.prefix, f, i, role),
				fmt.Sprintf("%s%sRoles[%d]“%s”不是有效的职务", p.prefix, f, i, role))
		}
	}
	for i, c := range s.Party {
		if c != governance.NotPartyMember && !slices.Contains(governance.PartyCategories(), c) {
			p.add(fmt.Sprintf("%sParty[%d]", f, i), "oneof", fmt.Sprintf("%s%sParty[%d] %q is not a Party-member category", p.prefix, f, i, c),
				fmt.Sprintf("%s%sParty[%d]“%s”不是党员类别", p.prefix, f, i, c))
		}
	}
	if s.Kind == RecipientNode {
		p.unused(f+"OrgKinds", len(s.OrgKinds) > 0)
		p.unused(f+"OrgNameContains", len(s.OrgNameContains) > 0)
	}
	if s.Kind == RecipientNode || s.Kind == RecipientOrganisation {
		p.unused(f+"Roles", len(s.Roles) > 0)
		p.unused(f+"Party", len(s.Party) > 0)
	}
}

// rulePrintable reports whether s is valid UTF-8 without control characters.
func rulePrintable(s string) bool {
	if !utf8.ValidString(s) {
		return false
	}
	for _, c := range s {
		if c < 0x20 || c == 0x7f {
			return false
		}
	}
	return true
}

func ruleKindList() string {
	names := make([]string, 0, len(RuleKinds()))
	for _, k := range RuleKinds() {
		names = append(names, string(k))
	}
	return strings.Join(names, ", ")
}

// DoubleGrant returns the "double ¥100,000" pair (双十万) as two fixed rules paid per year
// to every recipient of recipients (typically each community): a service fund for the
// people (服务群众专项经费, rule id+".service") and a working fund (工作经费, rule
// id+".working"). Validate the rules (or plan them) as usual.
func DoubleGrant(id string, recipients Selector, service, working decimal.Decimal) []Rule {
	return []Rule{
		{ID: id + ".service", Kind: RuleFixed, NameEN: "service fund", NameZH: "服务群众专项经费",
			Recipients: recipients, Per: PerYear, Amount: service},
		{ID: id + ".working", Kind: RuleFixed, NameEN: "working fund", NameZH: "工作经费",
			Recipients: recipients, Per: PerYear, Amount: working},
	}
}
