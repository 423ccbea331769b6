package evaluation

import (
	"slices"
	"time"

	"github.com/shopspring/decimal"

	"github.com/gridgov/gridgov/escalation"
	"github.com/gridgov/gridgov/governance"
)

// State is where a yearly cycle stands.
type State string

// The states of a cycle, in order.
const (
	// StateOpen: the cycle is open and the committee's annual report is awaited (待述职).
	StateOpen State = "open"
	// StateReported: the report is filed (or recorded missing) (已述职).
	StateReported State = "reported"
	// StateEvaluating: at least one evaluation is recorded (评议中).
	StateEvaluating State = "evaluating"
	// StatePublished: the committee's result is published to the owners and every firm's
	// evaluation sent to the property authority (已公示、已报送).
	StatePublished State = "published"
	// StateClosed: the cycle is archived (已归档).
	StateClosed State = "closed"
)

// Step names a command of the cycle; it is recorded on each [CycleEvent].
type Step string

// The steps.
const (
	StepOpen              Step = "open"
	StepFileReport        Step = "file_report"
	StepMissingReport     Step = "missing_report"
	StepEvaluateCommittee Step = "evaluate_committee"
	StepEvaluateFirm      Step = "evaluate_firm"
	StepPublish           Step = "publish"
	StepSend              Step = "send"
	StepClose             Step = "close"
)

// transitions is the cycle's one transition table: the states each step may start from.
// Steps that finish the evaluation stage move to StatePublished once nothing is left to
// publish or send (see Cycle.concluded).
var transitions = map[Step][]State{
	StepFileReport:        {StateOpen},
	StepMissingReport:     {StateOpen},
	StepEvaluateCommittee: {StateReported, StateEvaluating},
	StepEvaluateFirm:      {StateReported, StateEvaluating},
	StepPublish:           {StateEvaluating},
	StepSend:              {StateEvaluating},
	StepClose:             {StatePublished},
}

// Transitions returns a copy of the cycle's transition table: each step and the states it
// may be taken from.
func Transitions() map[Step][]State {
	out := make(map[Step][]State, len(transitions))
	for k, v := range transitions {
		out[k] = slices.Clone(v)
	}
	return out
}

// Cycle is one compound's yearly "one report, two evaluations" (一述双评): the owners'
// committee (or the property management committee acting in its place) reports to the
// community Party organisation and to the compound Party branch; the community Party
// organisation evaluates the committee and publishes the result to all owners; the compound
// Party branch evaluates each property firm serving the compound and sends the evaluation to
// the property authority.
type Cycle struct {
	ID         string
	CompoundID string
	// CommunityID is the compound's community node.
	CommunityID string
	Year        int
	State       State
	// The bodies, resolved from the organisation tree when the cycle opens.
	CommitteeID      string
	CommitteeKind    governance.OrgKind
	BranchID         string
	CommunityPartyID string
	// FirmIDs are the property firms serving the compound, by ID.
	FirmIDs []string
	// ReportDue is when the annual report is due (述职截止).
	ReportDue time.Time
	// Report is the committee's annual report once filed (or recorded missing).
	Report *AnnualReport
	// Committee is the community Party organisation's evaluation of the committee.
	Committee *Evaluation
	// Publication records the committee's result published to all owners.
	Publication *Publication
	// Firms are the compound Party branch's evaluations of the firms, by firm ID.
	Firms []FirmEvaluation
	// Version increases by one with every accepted step.
	Version   int64
	CreatedAt time.Time
	UpdatedAt time.Time
}

// Clone returns a deep copy of c.
func (c Cycle) Clone() Cycle {
	c.FirmIDs = slices.Clone(c.FirmIDs)
	if c.Report != nil {
		r := *c.Report
		r.Recipients = slices.Clone(r.Recipients)
		c.Report = &r
	}
	if c.Committee != nil {
		e := c.Committee.clone()
		c.Committee = &e
	}
	if c.Publication != nil {
		p := *c.Publication
		c.Publication = &p
	}
	if c.Firms != nil {
		firms := make([]FirmEvaluation, len(c.Firms))
		for i, f := range c.Firms {
			f.Evaluation = f.Evaluation.clone()
			f.Quarterly = slices.Clone(f.Quarterly)
			if f.Complaints != nil {
				cs := *f.Complaints
				f.Complaints = &cs
			}
			firms[i] = f
		}
		c.Firms = firms
	}
	return c
}

// Firm returns the evaluation of the firm, if recorded.
func (c Cycle) Firm(firmID string) (FirmEvaluation, bool) {
	for _, f := range c.Firms {
		if f.FirmID == firmID {
			return f, true
		}
	}
	return FirmEvaluation{}, false
}

// concluded reports whether nothing is left to publish or send.
func (c Cycle) concluded() bool {
	if c.Publication == nil || len(c.Firms) < len(c.FirmIDs) {
		return false
	}
	for _, f := range c.Firms {
		if f.SentAt.IsZero() {
			return false
		}
	}
	return true
}

// AnnualReport is the committee head's annual report (年度述职): duties performed, money
// handled and disclosed, matters dealt with. It goes to the community Party organisation and
// to the compound Party branch (Recipients).
type AnnualReport struct {
	// FiledBy is the actor who filed it; FiledAt when.
	FiledBy string
	FiledAt time.Time
	// Late is set when it was filed after the cycle's ReportDue.
	Late bool
	// Missing is set when the community Party organisation recorded that no report came
	// (未述职); the other fields are then empty.
	Missing bool
	// Recipients are the organisations it was reported to.
	Recipients []string
	// Duties summarises the duties performed (履职情况).
	Duties string
	// MoneyHandled is the money the committee handled in the year (yuan); MoneyDisclosed
	// how much of it was disclosed to the owners (公开).
	MoneyHandled, MoneyDisclosed decimal.Decimal
	// Disclosures counts the disclosures made to the owners.
	Disclosures int
	// Matters and Settled count the matters dealt with and those settled.
	Matters, Settled int
	// Text is the report itself.
	Text string
}

// Evaluation is one scored evaluation with its opinion.
type Evaluation struct {
	Card Scorecard
	// Opinion is the evaluating body's written opinion (评议意见).
	Opinion string
	// By is the actor who recorded it; At when.
	By string
	At time.Time
}

func (e Evaluation) clone() Evaluation {
	e.Card.Lines = slices.Clone(e.Card.Lines)
	e.Card.Records = slices.Clone(e.Card.Records)
	e.Card.Vetoes = slices.Clone(e.Card.Vetoes)
	cats := slices.Clone(e.Card.Categories)
	for i := range cats {
		cats[i].Skipped = slices.Clone(cats[i].Skipped)
	}
	e.Card.Categories = cats
	return e
}

// Publication records a result published to all owners (公示): when, through which channel
// (notice board, owners' group…), and the text, which names no individual evaluator.
type Publication struct {
	At      time.Time
	Channel string
	Text    string
	By      string
}

// ComplaintSummary is the part of an escalation report a firm evaluation keeps: the three
// rates, the on-time and rework rates, the composite and the number of complaints.
type ComplaintSummary struct {
	Total                              int64
	Response, Resolution, Satisfaction escalation.Rate
	OnTime, Rework                     escalation.Rate
	Composite                          decimal.Decimal
}

// summarise keeps the parts of r a firm evaluation stores.
func summarise(r escalation.Report) ComplaintSummary {
	return ComplaintSummary{Total: r.Total, Response: r.Response, Resolution: r.Resolution,
		Satisfaction: r.Satisfaction, OnTime: r.OnTime, Rework: r.Rework, Composite: r.Composite}
}

// FirmEvaluation is the compound Party branch's year-end comprehensive evaluation of one
// property firm (综合评价): its own scoring, the resident survey, the complaint metrics of
// the compound, the community's quarterly scores; sent to the property authority.
type FirmEvaluation struct {
	FirmID string
	Evaluation
	Survey     Survey
	Complaints *ComplaintSummary
	Quarterly  []decimal.Decimal
	// SentTo is the property authority (an organisation ID) it was sent to; SentAt when
	// (zero until sent).
	SentTo string
	SentAt time.Time
}

// CycleEvent is one accepted step in a cycle's history.
type CycleEvent struct {
	CycleID string
	// Version is the cycle's version after the step (1 for opening).
	Version int64
	Step    Step
	From    State
	To      State
	Actor   string
	At      time.Time
	// Subject is the firm of a firm step ("" otherwise).
	Subject string
	Note    string
}
