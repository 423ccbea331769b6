package deliberation

import (
	"fmt"
	"strconv"

	"github.com/shopspring/decimal"

	"github.com/gridgov/gridgov"
)

// MaxDenominator bounds a threshold's denominator, so that every threshold reads as a plain
// fraction.
const MaxDenominator = 1_000_000

// Threshold is an exact fraction with its comparison (表决比例): "at least Num/Den"
// (≥, 以上) or, when Strict, "more than Num/Den" (>, 超过/过半数). A part meets it when
// part × Den ≥ whole × Num (or >), compared exactly by cross-multiplication, never by
// division or floating point. The zero value is invalid (Den must be positive).
type Threshold struct {
	Num, Den int64
	// Strict makes the comparison "more than" (>) instead of "at least" (≥).
	Strict bool
}

// AtLeast returns the threshold "≥ num/den" (Chinese law's "以上", which includes the figure
// itself).
func AtLeast(num, den int64) Threshold { return Threshold{Num: num, Den: den} }

// MoreThan returns the threshold "> num/den" (MoreThan(1, 2) is "过半数").
func MoreThan(num, den int64) Threshold { return Threshold{Num: num, Den: den, Strict: true} }

// Met reports whether part out of whole meets the threshold: part × Den ≥ whole × Num, or >
// when Strict. The arithmetic is exact (decimals multiply without rounding).
func (t Threshold) Met(part, whole decimal.Decimal) bool {
	c := part.Mul(decimal.NewFromInt(t.Den)).Cmp(whole.Mul(decimal.NewFromInt(t.Num)))
	if t.Strict {
		return c > 0
	}
	return c >= 0
}

// MetCount is [Threshold.Met] for counts.
func (t Threshold) MetCount(part, whole int) bool {
	return t.Met(decimal.NewFromInt(int64(part)), decimal.NewFromInt(int64(whole)))
}

// String renders the threshold as "≥ 2/3" or "> 1/2".
func (t Threshold) String() string {
	op := "≥"
	if t.Strict {
		op = ">"
	}
	return op + " " + strconv.FormatInt(t.Num, 10) + "/" + strconv.FormatInt(t.Den, 10)
}

// NameZH renders the threshold in Chinese: "不少于2/3" or "超过1/2".
func (t Threshold) NameZH() string {
	op := "不少于"
	if t.Strict {
		op = "超过"
	}
	return op + strconv.FormatInt(t.Num, 10) + "/" + strconv.FormatInt(t.Den, 10)
}

// validate records on verr what is wrong with t: Den from 1 to [MaxDenominator], Num from 0
// to Den, and a strict threshold below 1 (more than the whole can never be met).
func (t Threshold) validate(verr *gridgov.ValidationError, field string) {
	switch {
	case t.Den < 1 || t.Den > MaxDenominator:
		verr.Add(field+".Den", "range",
			fmt.Sprintf("%s: the denominator must be 1 to %d, not %d", field, MaxDenominator, t.Den),
			fmt.Sprintf("%s：分母必须在1到%d之间，而不是%d", field, MaxDenominator, t.Den))
	case t.Num < 0 || t.Num > t.Den:
		verr.Add(field+".Num", "range",
			fmt.Sprintf("%s: the numerator must be 0 to the denominator %d, not %d", field, t.Den, t.Num),
			fmt.Sprintf("%s：分子必须在0到分母%d之间，而不是%d", field, t.Den, t.Num))
	case t.Strict && t.Num == t.Den:
		verr.Add(field+".Strict", "range",
			fmt.Sprintf("%s: more than the whole (%s) can never be met", field, t),
			fmt.Sprintf("%s：超过全部（%s）永远无法达到", field, t.NameZH()))
	}
}

// RuleKind says how a rule counts.
type RuleKind string

// The rule kinds.
const (
	// RuleMeeting is a vote of the consultation meeting (协商会表决): a quorum of the invited
	// voting participants must attend, and an option needs a majority of the voting
	// participants who attended.
	RuleMeeting RuleKind = "meeting"
	// RuleOwners is the owners' joint decision (业主共同决定) by exclusive area and headcount,
	// as in Civil Code art. 278.
	RuleOwners RuleKind = "owners"
)

// MatterKind is the kind of matter an option decides, which selects its thresholds under an
// owners' rule (art. 278 lists them).
type MatterKind string

// The matters of Civil Code art. 278.
const (
	MatterRules          MatterKind = "rules"           // 制定和修改业主大会议事规则
	MatterStatute        MatterKind = "statute"         // 制定和修改管理规约
	MatterElectCommittee MatterKind = "elect_committee" // 选举业主委员会或者更换业主委员会成员
	MatterHireFirm       MatterKind = "hire_firm"       // 选聘和解聘物业服务企业或者其他管理人
	MatterUseFund        MatterKind = "use_fund"        // 使用建筑物及其附属设施的维修资金
	MatterRaiseFund      MatterKind = "raise_fund"      // 筹集建筑物及其附属设施的维修资金
	MatterRebuild        MatterKind = "rebuild"         // 改建、重建建筑物及其附属设施
	MatterChangeUse      MatterKind = "change_use"      // 改变共有部分的用途或者利用共有部分从事经营活动
	MatterOther          MatterKind = "other"           // 有关共有和共同管理权利的其他重大事项
)

// Matters lists the matters of art. 278 in the order of the article.
func Matters() []MatterKind {
	return []MatterKind{MatterRules, MatterStatute, MatterElectCommittee, MatterHireFirm,
		MatterUseFund, MatterRaiseFund, MatterRebuild, MatterChangeUse, MatterOther}
}

// MatterRule gives a matter its own decision thresholds under an owners' rule.
type MatterRule struct {
	Matter MatterKind
	// Area and Owners are the shares of the participating exclusive area and of the
	// participating owners that must agree; both must be met.
	Area, Owners Threshold
}

// Rule is a decision rule set, as data (表决规则). A meeting rule uses Quorum and Majority;
// an owners' rule uses the participation thresholds, Decision for matters not listed in
// Matters, and each entry of Matters for its matter.
//
// Under either kind a ballot chooses one option, opposes all (ChoiceAgainst) or abstains
// (ChoiceAbstain); every recorded ballot counts as participating. An option passes when it
// meets its thresholds and has at least one vote. When several options pass (possible only
// with thresholds below one half), the one with the larger area wins, then the one with
// more votes; a tie decides nothing.
type Rule struct {
	// Name identifies the rule, for example "civil-code-278".
	Name string
	Kind RuleKind

	// Quorum is the share of the invited voting participants who must attend (meeting).
	Quorum Threshold
	// Majority is the share of the attending voting participants an option needs (meeting).
	Majority Threshold

	// ParticipationArea and ParticipationOwners are the shares of the roll's exclusive area
	// and of its owners that must take part in the vote (owners).
	ParticipationArea, ParticipationOwners Threshold
	// Decision is the share of the participating area and of the participating owners an
	// option needs when its matter has no entry in Matters (owners).
	Decision MatterRule
	// Matters gives matters their own thresholds (owners).
	Matters []MatterRule
}

// CivilCode278 is the owners' joint decision of Civil Code art. 278 (民法典第二百七十八条), a
// preset: owners holding at least two thirds of the exclusive area and at least two thirds of
// the owners take part; raising the maintenance fund, rebuilding, and changing the use of
// common parts (or running a business in them) need at least three quarters of the
// participating area and of the participating owners; every other matter, including using
// the maintenance fund and hiring or dismissing the property firm, needs more than half of
// both.
func CivilCode278() Rule {
	three4 := MatterRule{Area: AtLeast(3, 4), Owners: AtLeast(3, 4)}
	m := func(k MatterKind) MatterRule { r := three4; r.Matter = k; return r }
	return Rule{
		Name:                "civil-code-278",
		Kind:                RuleOwners,
		ParticipationArea:   AtLeast(2, 3),
		ParticipationOwners: AtLeast(2, 3),
		Decision:            MatterRule{Matter: MatterOther, Area: MoreThan(1, 2), Owners: MoreThan(1, 2)},
		Matters:             []MatterRule{m(MatterRaiseFund), m(MatterRebuild), m(MatterChangeUse)},
	}
}

// MeetingMajority is a consultation meeting's vote, a preset: at least two thirds of the
// invited voting participants attend, and an option needs more than half of the voting
// participants who attended.
func MeetingMajority() Rule {
	return Rule{Name: "meeting-majority", Kind: RuleMeeting, Quorum: AtLeast(2, 3), Majority: MoreThan(1, 2)}
}

// For returns the thresholds an option of matter m needs under an owners' rule: its entry in
// Matters, or Decision.
func (r Rule) For(m MatterKind) MatterRule {
	for _, mr := range r.Matters {
		if mr.Matter == m {
			return mr
		}
	}
	d := r.Decision
	d.Matter = m
	return d
}

// Validate checks the rule: a name, a known kind, and valid thresholds for its kind (each
// denominator 1 to [MaxDenominator], each numerator 0 to its denominator, no strict
// threshold of the whole); under an owners' rule each entry of Matters names a distinct
// matter. It returns a *gridgov.ValidationError naming every failing field.
func (r Rule) Validate() error {
	var verr gridgov.ValidationError
	r.validate(&verr, "")
	return verr.Err()
}

func (r Rule) validate(verr *gridgov.ValidationError, prefix string) {
	if !validName(r.Name) {
		verr.Add(prefix+"Name", "required", "the rule needs a name (1 to 64 printable characters)",
			"规则必须有名称（1到64个可打印字符）")
	}
	switch r.Kind {
	case RuleMeeting:
		r.Quorum.validate(verr, prefix+"Quorum")
		r.Majority.validate(verr, prefix+"Majority")
	case RuleOwners:
		r.ParticipationArea.validate(verr, prefix+"ParticipationArea")
		r.ParticipationOwners.validate(verr, prefix+"ParticipationOwners")
		r.Decision.Area.validate(verr, prefix+"Decision.Area")
		r.Decision.Owners.validate(verr, prefix+"Decision.Owners")
		seen := map[MatterKind]int{}
		for i, m := range r.Matters {
			f := fmt.Sprintf("%sMatters[%d]", prefix, i)
			if !validName(string(m.Matter)) {
				verr.Add(f+".Matter", "required", f+": the matter is required", f+"：必须填写事项")
			} else if j, dup := seen[m.Matter]; dup {
				verr.Add(f+".Matter", "unique",
					fmt.Sprintf("%s: matter %q repeats Matters[%d]", f, m.Matter, j),
					fmt.Sprintf("%s：事项“%s”与Matters[%d]重复", f, m.Matter, j))
			} else {
				seen[m.Matter] = i
			}
			m.Area.validate(verr, f+".Area")
			m.Owners.validate(verr, f+".Owners")
		}
	default:
		verr.Add(prefix+"Kind", "oneof",
			fmt.Sprintf("the rule kind must be %q or %q, not %q", RuleMeeting, RuleOwners, r.Kind),
			fmt.Sprintf("规则类型必须为“%s”（协商会表决）或“%s”（业主共同决定），而不是“%s”", RuleMeeting, RuleOwners, r.Kind))
	}
}

// Clone returns a deep copy of r.
func (r Rule) Clone() Rule {
	r.Matters = append([]MatterRule(nil), r.Matters...)
	return r
}

// validName reports whether s is 1 to 64 bytes of printable text.
func validName(s string) bool {
	if len(s) == 0 || len(s) > 64 {
		return false
	}
	return printable(s)
}

// printable reports whether s is valid UTF-8 without control characters.
func printable(s string) bool {
	for _, c := range s {
		if c < 0x20 || c == 0x7f || c == 0xfffd {
			return false
		}
	}
	return true
}
