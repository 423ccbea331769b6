package funding

import (
	"github.com/shopspring/decimal"
)

// RecipientKind says what kind of governance entity a plan line pays.
type RecipientKind string

// The recipient kinds.
const (
	RecipientPerson       RecipientKind = "person"       // e.g. a branch secretary's stipend
	RecipientOrganisation RecipientKind = "organisation" // e.g. a branch's working funds
	RecipientNode         RecipientKind = "node"         // e.g. a pilot community's start-up grant
)

// PlanLine is one amount a plan pays: to whom, under which rule, for which period, and why.
type PlanLine struct {
	RecipientKind RecipientKind
	RecipientID   string
	// NodeID is the node the line is counted under in totals by node (the recipient's node,
	// or the node of the organisation or position).
	NodeID string
	RuleID string
	Period Period
	Amount decimal.Decimal
	// Floor is the least this line may be scaled down to (zero: no floor).
	Floor decimal.Decimal
	// ExplanationEN and ExplanationZH say how the amount was found, e.g.
	// "¥200.00/month × 12 months (floor ¥200.00/month)".
	ExplanationEN, ExplanationZH string
}

// Plan is the result of planning: lines, totals and how they compare with the fund (资金计划).
type Plan struct {
	ID     string
	FundID string
	Period Period
	Lines  []PlanLine
	// Total is the sum of the lines' amounts; ByRule and ByNode split it.
	Total  decimal.Decimal
	ByRule map[string]decimal.Decimal
	ByNode map[string]decimal.Decimal
	// Budget is what the fund had available when planned.
	Budget decimal.Decimal
	// Shortfall is how much the unscaled lines exceeded Budget (zero when they fit).
	Shortfall decimal.Decimal
	// Scaled reports that the lines were scaled down to fit Budget, keeping every floor.
	Scaled bool
}
