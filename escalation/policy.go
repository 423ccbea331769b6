package escalation

import (
	"time"

	"github.com/gridgov/gridgov/governance"
)

// Basis says how a limit's duration is counted.
type Basis int

// The bases.
const (
	// Business counts only working time on the engine's [Calendar] (the default).
	Business Basis = iota
	// Elapsed counts wall-clock time, nights and holidays included (for urgent limits such
	// as "2 hours").
	Elapsed
)

// Limit is a time limit (时限).
type Limit struct {
	Duration time.Duration // zero means no limit
	Basis    Basis
}

// Hours returns a business-time limit of n hours.
func Hours(n int) Limit { return Limit{Duration: time.Duration(n) * time.Hour} }

// Workdays returns a business-time limit of n working days: n × 24 h of business time, which
// is n working days on a calendar without working hours (the presets' assumption). On a
// calendar with working hours use Limit{Duration: cal.Workdays(n)} instead, since there a
// working day is only the length of its working hours.
func Workdays(n int) Limit { return Limit{Duration: time.Duration(n) * 24 * time.Hour} }

// ElapsedHours returns a wall-clock limit of n hours.
func ElapsedHours(n int) Limit {
	return Limit{Duration: time.Duration(n) * time.Hour, Basis: Elapsed}
}

// Tier is one rung of the escalation ladder (层级): the level of the governance scheme whose
// node handles the complaint, with its limits.
type Tier struct {
	// Level is a level key of the registry's scheme (or use Kind to find it).
	Level string
	// Kind finds the level by its kind when Level is empty, so that one policy serves
	// schemes that name their levels differently.
	Kind            governance.LevelKind
	NameEN, NameZH  string
	ResponseLimit   Limit // to sign for (签收/响应)
	ResolutionLimit Limit // to resolve (办结), counted from the referral
	// WarnAt is the share of a limit after which the sweeper warns, in percent (e.g. 80);
	// zero means no warning.
	WarnAt int
	// AutoEscalate makes a breached limit move the complaint to the next tier.
	AutoEscalate bool
	// Whistle marks the tier at which the whistle may be blown (吹哨, usually the street).
	Whistle bool
}

// Override changes the limits for a category and/or urgency ("" matches any), at one tier
// (Level "" matches every tier). The last matching override wins, field by field: a zero
// limit in an override keeps the tier's.
type Override struct {
	Category        string
	Urgency         Urgency
	Level           string
	ResponseLimit   Limit
	ResolutionLimit Limit
}

// PartyKind is a kind of party on a responsibility list (责任清单).
type PartyKind string

// The five parties of the default responsibility list.
const (
	PartyStreet     PartyKind = "street"        // 街道（乡镇）
	PartyCommunity  PartyKind = "community"     // 社区
	PartyFirm       PartyKind = "firm"          // 物业企业
	PartyDepartment PartyKind = "department"    // 区直部门
	PartyMembers    PartyKind = "party_members" // 在职党员（双报到）
)

// Party is one entry of a responsibility list.
type Party struct {
	Kind PartyKind
	// OrgID names the organisation when it is fixed (e.g. the district housing bureau);
	// empty means the one found from the complaint's place.
	OrgID string
	// Lead parties must report before the complaint can be resolved.
	Lead bool
	// ReportLimit is how long the party has to report (30 minutes in the original practice).
	ReportLimit Limit
}

// Policy is the escalation ladder and its rules, as data.
type Policy struct {
	Name string
	// Tiers, from the lowest (first to handle) to the highest.
	Tiers     []Tier
	Overrides []Override
	// Responsibility lists per category for the whistle; the "" entry is the default.
	Responsibilities map[string][]Party
	// RatingWindow is how long the reporter has to rate a verified complaint before it may be
	// archived without a rating (zero: archive any time).
	RatingWindow time.Duration
}
