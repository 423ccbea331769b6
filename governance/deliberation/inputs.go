package deliberation

import (
	"time"

	"github.com/shopspring/decimal"

	"github.com/gridgov/gridgov/funding"
)

// Step names an item for a command, with the version the caller read (0: whatever is
// current) and a note for the history. Settling, referring, dismissing and withdrawing
// require the note (the outcome or the reason).
type Step struct {
	ID      string `validate:"required,gridid" zh:"议题编号"`
	Version int64  `validate:"gte=0" zh:"版本"`
	Note    string `validate:"max=4000" zh:"说明"`
}

// RaiseInput raises an agenda item (提出议题).
type RaiseInput struct {
	// Key is the client's idempotency key: a retried raise with the same key returns the
	// first item. When it is empty and the item comes from a complaint, the key is
	// "complaint:" and the complaint's ID, so a complaint becomes at most one item.
	Key string `validate:"max=128,printable" zh:"幂等键"`
	// ID is the item's ID; empty means generated.
	ID     string `validate:"omitempty,gridid" zh:"议题编号"`
	Source Source `validate:"required,oneof=complaint building_meeting chat_group direct" zh:"来源"`
	// ComplaintID names the complaint of a SourceComplaint item (required then, and only
	// then).
	ComplaintID string `validate:"omitempty,gridid" zh:"诉求编号"`
	// NodeID is the compound or building the matter belongs to. For a complaint it defaults
	// to the complaint's node and must otherwise contain it.
	NodeID string `validate:"omitempty,gridid" zh:"所属节点"`
	Title  string `validate:"required,notblank,max=200,printable" zh:"议题名称"`
	// Description and Category default to the complaint's.
	Description string `validate:"max=4000" zh:"议题内容"`
	Category    string `validate:"omitempty,notblank,max=64,printable" zh:"类别"`
}

// ParticipantInput names a participant of the first round or of a meeting.
type ParticipantInput struct {
	// ID is optional: empty means "p1", "p2", … by position.
	ID       string          `validate:"omitempty,gridid" zh:"参与方编号"`
	Kind     ParticipantKind `validate:"required,max=64" zh:"参与方类型"`
	PersonID string          `validate:"omitempty,gridid" zh:"人员编号"`
	OrgID    string          `validate:"omitempty,gridid" zh:"组织编号"`
	Name     string          `validate:"max=64,printable" zh:"姓名"`
	// NonVoting makes a meeting participant who would vote by kind an adviser only.
	NonVoting bool
}

// FirstRoundInput starts the first round (首轮协商) with its participants: the property
// firm, the owners' committee, building leaders and resident activists.
type FirstRoundInput struct {
	Step
	Participants []ParticipantInput `validate:"required,min=1,max=50,dive" zh:"参与方"`
}

// MeetingInput convenes the consultation meeting (召集协商会).
type MeetingInput struct {
	Step
	Title       string    `validate:"max=200,printable" zh:"会议名称"`
	Place       string    `validate:"max=200,printable" zh:"地点"`
	ScheduledAt time.Time `validate:"required" zh:"会议时间"`
	// Participants are the invited parties: Party members, resident representatives,
	// deputies and committee members, a legal adviser, stakeholders and third parties; at
	// least one of them votes.
	Participants []ParticipantInput `validate:"required,min=1,max=200,dive" zh:"参会人员"`
}

// AttendanceInput records who attended the meeting (出席) and its minutes.
type AttendanceInput struct {
	Step
	// Attended lists the IDs of the participants present.
	Attended []string `validate:"max=200,dive,gridid" zh:"出席人员"`
	Minutes  string   `validate:"max=20000" zh:"会议纪要"`
}

// ProposalInput is one costed option.
type ProposalInput struct {
	// ID is optional: empty means "A", "B", … by position.
	ID          string `validate:"omitempty,gridid" zh:"方案编号"`
	Title       string `validate:"required,notblank,max=200,printable" zh:"方案名称"`
	Description string `validate:"max=4000" zh:"方案内容"`
	// Cost is the estimated cost in yuan: positive, whole fen.
	Cost    decimal.Decimal
	Funding FundingSource `validate:"required,oneof=maintenance_fund residents property_firm public" zh:"资金来源"`
	// SubsidyRate or SubsidyAmount (at most one) with SubsidyFrom: the subsidy of a
	// residents-funded option, as in funding.CostShare.
	SubsidyRate   decimal.Decimal
	SubsidyAmount decimal.Decimal
	SubsidyFrom   string `validate:"max=64,printable" zh:"补贴来源"`
	// Basis is how the residents' part is shared (default by area).
	Basis funding.CostBasis `validate:"omitempty,oneof=equal area" zh:"分摊方式"`
	// Matter is the option's matter under art. 278 (default MatterOther).
	Matter MatterKind `validate:"omitempty,max=64,printable" zh:"表决事项"`
}

// ProposalsInput puts two or more costed options on the table (提出方案).
type ProposalsInput struct {
	Step
	Proposals []ProposalInput `validate:"required,min=2,max=10,dive" zh:"方案"`
}

// OpenVoteInput opens the vote under a rule (启动表决). An owners' rule needs the roll; a
// meeting rule counts the meeting's voting participants and takes no roll.
type OpenVoteInput struct {
	Step
	Rule Rule
	Roll Roll
}

// BallotInput is one ballot to record.
type BallotInput struct {
	// HouseholdID names the household (owners' vote); ParticipantID the attendee (meeting
	// vote).
	HouseholdID   string `validate:"omitempty,gridid" zh:"户号"`
	ParticipantID string `validate:"omitempty,gridid" zh:"参会人员编号"`
	// VoterID is who chose: an owner or co-owner of the household (required in an owners'
	// vote); in a meeting vote it defaults to the attendee's person ID.
	VoterID string `validate:"omitempty,gridid" zh:"表决人"`
	// Choice is an option's ID, ChoiceAgainst or ChoiceAbstain.
	Choice string `validate:"required,max=64,printable" zh:"选择"`
	// CollectedAt is when the ballot was collected (zero: now); it may not lie in the future
	// or before the vote opened.
	CollectedAt time.Time
	Method      CanvassMethod `validate:"omitempty,oneof=door_to_door meeting written online" zh:"征求方式"`
}

// CastInput records ballots (记录表决票): a voter's own, or a canvasser's sheet of several
// households (逐户征求意见). The batch is recorded whole or not at all.
type CastInput struct {
	Step
	Ballots []BallotInput `validate:"required,min=1,max=10000,dive" zh:"表决票"`
}

// NoticeInput posts a public notice (公示): of the decision when the item is decided, of the
// tender result when it is awarded.
type NoticeInput struct {
	Step
	Content string  `validate:"required,notblank,max=4000" zh:"公示内容"`
	Channel Channel `validate:"required,oneof=notice_board chat_group app meeting letter" zh:"公示渠道"`
	// Days is the notice period (0: the forum's default).
	Days int `validate:"gte=0,lte=90" zh:"公示天数"`
}

// ObjectionInput records a resident's objection to the current notice (提出异议).
type ObjectionInput struct {
	Step
	// Name is the objector's name (optional; personal data).
	Name    string `validate:"max=64,printable" zh:"姓名"`
	Content string `validate:"required,notblank,max=4000" zh:"异议内容"`
}

// AnswerInput answers an objection (答复异议).
type AnswerInput struct {
	Step
	ObjectionID string `validate:"required,gridid" zh:"异议编号"`
	Answer      string `validate:"required,notblank,max=4000" zh:"答复内容"`
}

// AwardInput records the tender result (定标): vendor, price and model.
type AwardInput struct {
	Step
	Vendor string `validate:"required,notblank,max=200,printable" zh:"中标单位"`
	// Price is the awarded price in yuan: positive, whole fen.
	Price  decimal.Decimal
	Model  string `validate:"max=200,printable" zh:"型号"`
	Method string `validate:"max=64,printable" zh:"采购方式"`
}

// ImplementInput starts implementation (组织实施).
type ImplementInput struct {
	Step
	// Bill is the final cost (zero: the award's price, or the option's cost).
	Bill decimal.Decimal
	// Households share a residents-funded option's cost (empty: the vote roll's households
	// with their areas; required when the vote had no roll).
	Households []funding.Household
}

// ProgressInput reports implementation progress (实施进度); Percent never goes down.
type ProgressInput struct {
	Step
	Percent int `validate:"gte=0,lte=100" zh:"完成百分比"`
}

// AuditInput records the satisfaction assessment (效果评估) by representatives, experts or a
// third party.
type AuditInput struct {
	Step
	AssessorKind   AssessorKind `validate:"required,oneof=representatives experts third_party" zh:"评估主体"`
	Assessor       string       `validate:"required,notblank,max=200,printable" zh:"评估人"`
	Satisfied      int          `validate:"gte=0,lte=1000000" zh:"满意"`
	BasicSatisfied int          `validate:"gte=0,lte=1000000" zh:"基本满意"`
	Unsatisfied    int          `validate:"gte=0,lte=1000000" zh:"不满意"`
}

// DiscloseInput records a disclosure (信息公开).
type DiscloseInput struct {
	Step
	Kind    DisclosureKind `validate:"required,oneof=proactive on_request" zh:"公开方式"`
	Subject Subject        `validate:"required,oneof=decision award minutes accounts progress audit other" zh:"公开内容"`
	Channel Channel        `validate:"required,oneof=notice_board chat_group app meeting letter" zh:"公开渠道"`
	// Date is when it was disclosed (zero: now); not in the future.
	Date    time.Time
	Summary string `validate:"required,notblank,max=4000" zh:"摘要"`
	// RequesterName (required for an on-request disclosure) and RequestedAt (zero: Date)
	// record who asked and when.
	RequesterName string `validate:"max=64,printable" zh:"申请人"`
	RequestedAt   time.Time
}
