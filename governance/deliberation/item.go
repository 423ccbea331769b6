package deliberation

import (
	"slices"
	"time"

	"github.com/shopspring/decimal"

	"github.com/gridgov/gridgov"
	"github.com/gridgov/gridgov/funding"
)

// Source says where an agenda item came from (议题来源).
type Source string

// The sources.
const (
	SourceComplaint       Source = "complaint"        // a resident's complaint (诉求转议题)
	SourceBuildingMeeting Source = "building_meeting" // raised at a building meeting (楼栋会)
	SourceChatGroup       Source = "chat_group"       // raised in a building chat group (楼栋群)
	SourceDirect          Source = "direct"           // raised directly by a committee, firm or grid worker
)

// Categories of public and common matters (公共事务) that agenda items usually concern. The
// category is free text; these are the common ones.
const (
	CategoryParking    = "parking"    // 停车
	CategoryCharger    = "ev_charger" // 电动车充电桩
	CategoryHeating    = "heating"    // 供暖
	CategoryUnitDoor   = "unit_door"  // 单元门
	CategoryNoise      = "noise"      // 噪音
	CategoryGreenery   = "greenery"   // 绿化
	CategoryElevator   = "elevator"   // 电梯
	CategorySanitation = "sanitation" // 环境卫生
)

// ParticipantKind is the role a participant plays in a consultation (参与方类型).
type ParticipantKind string

// The participant kinds: the first four take part in the first round in the compound, the
// rest in the community's consultation meeting.
const (
	KindPropertyFirm     ParticipantKind = "property_firm"           // 物业服务企业
	KindOwnersCommittee  ParticipantKind = "owners_committee"        // 业主委员会（物业管理委员会）
	KindBuildingLeader   ParticipantKind = "building_leader"         // 楼栋长
	KindResidentActivist ParticipantKind = "resident_activist"       // 热心居民（骨干）
	KindPartyMember      ParticipantKind = "party_member"            // 党员
	KindResidentRep      ParticipantKind = "resident_representative" // 居民代表
	KindDeputy           ParticipantKind = "deputy"                  // 人大代表、政协委员
	KindCommitteeMember  ParticipantKind = "committee_member"        // 两委委员、业委会委员
	KindLegalAdviser     ParticipantKind = "legal_adviser"           // 法律顾问
	KindStakeholder      ParticipantKind = "stakeholder"             // 利益相关方
	KindThirdParty       ParticipantKind = "third_party"             // 第三方组织
)

// FirstRoundKinds lists the kinds that take part in the first round.
func FirstRoundKinds() []ParticipantKind {
	return []ParticipantKind{KindPropertyFirm, KindOwnersCommittee, KindBuildingLeader, KindResidentActivist}
}

// MeetingKinds lists the kinds that take part in a consultation meeting.
func MeetingKinds() []ParticipantKind {
	return []ParticipantKind{KindPartyMember, KindResidentRep, KindDeputy, KindCommitteeMember,
		KindLegalAdviser, KindStakeholder, KindThirdParty}
}

// VotesByDefault reports whether participants of kind k vote at a meeting unless marked
// otherwise: everyone but the legal adviser and third-party organisations, who advise.
func (k ParticipantKind) VotesByDefault() bool {
	return k != KindLegalAdviser && k != KindThirdParty
}

// Participant is one party to a consultation. Name is personal data and prints masked.
type Participant struct {
	// ID identifies the participant within the item (given or generated "p1", "p2", …).
	ID   string
	Kind ParticipantKind
	// PersonID names the person in the governance registry, when known; OrgID the
	// organisation they speak for (a property firm, a third-party organisation), when any.
	PersonID string
	OrgID    string
	Name     gridgov.PersonName
	// Voting is set when the participant votes at the meeting.
	Voting bool
	// Attended is set when the meeting's attendance shows the participant present.
	Attended bool
}

// FirstRound is the compound's own attempt to settle the matter (首轮协商).
type FirstRound struct {
	Participants []Participant
	StartedAt    time.Time
	// Outcome is what the first round concluded: the settlement, or why it could not
	// settle the matter. EndedAt is when it was recorded; Settled says which.
	Outcome string
	EndedAt time.Time
	Settled bool
}

// Referral is the item's passage to the community Party committee (提交社区党委).
type Referral struct {
	// CommunityID is the community node above the item; CommitteeID the community Party
	// committee (an organisation of kind governance.OrgPartyCommittee at that node).
	CommunityID string
	CommitteeID string
	Reason      string
	ReferredAt  time.Time
	// ReviewedAt, ReviewedBy and ReviewNote record the committee's review; Dismissed is set
	// when it refused the matter.
	ReviewedAt time.Time
	ReviewedBy string
	ReviewNote string
	Dismissed  bool
}

// Meeting is the consultation meeting convened by the community Party committee (协商议事会).
type Meeting struct {
	Title        string
	Place        string
	ScheduledAt  time.Time
	ConvenedAt   time.Time
	Participants []Participant
	// HeldAt is when attendance was recorded; Minutes the meeting's record (会议纪要).
	HeldAt  time.Time
	Minutes string
}

// FundingSource says who pays for an option (资金来源).
type FundingSource string

// The funding sources.
const (
	// FundMaintenance is the public maintenance fund (公共维修资金 / 专项维修资金).
	FundMaintenance FundingSource = "maintenance_fund"
	// FundResidents is the residents' own money (居民自筹), optionally with a subsidy share
	// from the property firm or another payer; the residents' part is split among the
	// households with funding.SplitCost.
	FundResidents FundingSource = "residents"
	// FundPropertyFirm is paid by the property firm (物业承担).
	FundPropertyFirm FundingSource = "property_firm"
	// FundPublic is paid from public money (财政/社区资金).
	FundPublic FundingSource = "public"
)

// Proposal is one costed option for settling the matter (方案).
type Proposal struct {
	// ID identifies the option within the item (given, or generated "A", "B", …).
	ID          string
	Title       string
	Description string
	// Cost is the estimated cost in yuan (fen precision).
	Cost    decimal.Decimal
	Funding FundingSource
	// SubsidyRate (a share of the bill, 0 to 1) or SubsidyAmount (yuan) is the subsidy of a
	// residents-funded option, paid by SubsidyFrom; Basis says how the residents' part is
	// shared (by area or equally).
	SubsidyRate   decimal.Decimal
	SubsidyAmount decimal.Decimal
	SubsidyFrom   string
	Basis         funding.CostBasis
	// Matter is the option's matter under art. 278, which selects its thresholds in an
	// owners' vote.
	Matter MatterKind
}

// Household is one entry of the vote roll (业主名册): an exclusive part (专有部分) with its
// owner and area.
type Household struct {
	// ID identifies the household, for example "3-2-501" (building-unit-room).
	ID string
	// OwnerID is the owner's person ID (or another stable identifier). One owner of several
	// households counts once in the headcount (and a developer's unsold parts count as one
	// owner), as the Supreme People's Court's interpretation on building ownership has it;
	// such an owner's households must all choose alike.
	OwnerID string
	// CoOwners may also cast the household's ballot; the household still counts once.
	CoOwners []string
	// Area is the exclusive floor area in square metres: positive, less than
	// 10^funding.MaxAreaDigits, at most funding.MaxAreaPlaces decimal places.
	Area decimal.Decimal
}

// Roll is the vote roll of an owners' vote (业主名册) for the item's node. TotalArea and
// TotalOwners are the node's stated totals: they must equal the sum of the households' areas
// and the number of distinct owners, and the node's labels [LabelArea], [LabelOwners] and
// [LabelHouseholds] when it has them.
type Roll struct {
	TotalArea   decimal.Decimal
	TotalOwners int
	Households  []Household
}

// The node labels that state a compound's (or building's) totals for the vote roll. Values
// are decimal numbers ("10234.56", "120").
const (
	LabelArea       = "area"       // total exclusive area in m² (专有部分总面积)
	LabelOwners     = "owners"     // number of owners (业主总人数)
	LabelHouseholds = "households" // number of households on the roll (户数)
)

// Ballot choices other than an option's ID.
const (
	ChoiceAbstain = "abstain" // 弃权
	ChoiceAgainst = "against" // 反对（全部方案）
)

// CanvassMethod is how a ballot was collected.
type CanvassMethod string

// The canvass methods.
const (
	MethodDoorToDoor CanvassMethod = "door_to_door" // 逐户上门征求意见
	MethodMeeting    CanvassMethod = "meeting"      // 会议表决
	MethodWritten    CanvassMethod = "written"      // 书面表决票
	MethodOnline     CanvassMethod = "online"       // 线上表决
)

// Ballot is one household's (owners' vote) or one attendee's (meeting vote) choice.
type Ballot struct {
	// HouseholdID names the household on the roll (owners' vote); ParticipantID the
	// attendee (meeting vote).
	HouseholdID   string
	ParticipantID string
	// VoterID is the person who chose: an owner or co-owner of the household, or the
	// attendee's person ID.
	VoterID string
	// Choice is an option's ID, ChoiceAgainst or ChoiceAbstain.
	Choice string
	// CollectedBy is who recorded the ballot (the canvasser's actor ID), CollectedAt when it
	// was collected, Method how.
	CollectedBy string
	CollectedAt time.Time
	Method      CanvassMethod
}

// Vote is the decision step: the rule, the roll of an owners' vote, and the ballots.
type Vote struct {
	Rule     Rule
	Roll     Roll
	OpenedAt time.Time
	ClosedAt time.Time
	Ballots  []Ballot
	// Tally is the count made when the vote closed.
	Tally Tally
}

// Outcome is what a tally concluded.
type Outcome string

// The outcomes.
const (
	OutcomeDecided   Outcome = "decided"    // one option passed (通过)
	OutcomeNoQuorum  Outcome = "no_quorum"  // participation or quorum not reached (参与表决人数或面积不足)
	OutcomeNotPassed Outcome = "not_passed" // no option reached its thresholds (未达到表决比例)
	OutcomeTie       Outcome = "tie"        // several options passed equally (票数相同)
)

// Count is the weight behind one choice or the participation: exclusive area, voters
// (owners, counted once each, or attending voting participants) and ballots.
type Count struct {
	Area    decimal.Decimal
	Voters  int
	Ballots int
}

// ProposalCount is one option's result in a tally.
type ProposalCount struct {
	ProposalID string
	Matter     MatterKind
	For        Count
	// AreaThreshold and VoterThreshold are what the option needed (under a meeting rule
	// AreaThreshold is zero and VoterThreshold is the majority); AreaMet and VotersMet
	// say whether it got them; Passed that it met both with at least one vote.
	AreaThreshold, VoterThreshold Threshold
	AreaMet, VotersMet            bool
	Passed                        bool
}

// Tally is the exact count of a vote (计票结果).
type Tally struct {
	Rule string
	Kind RuleKind
	// Electorate is the roll's totals (owners: TotalArea, TotalOwners, households) or the
	// invited voting participants (meeting).
	Electorate Count
	// Participation is what took part: every recorded ballot (owners), or the voting
	// participants who attended (meeting; Ballots counts the ballots recorded).
	Participation Count
	// ParticipationMet says whether participation (owners) or the quorum (meeting) was
	// reached.
	ParticipationMet bool
	Proposals        []ProposalCount
	Against, Abstain Count
	Outcome          Outcome
	// WinnerID is the option that passed (OutcomeDecided only).
	WinnerID string
	// ExplanationEN and ExplanationZH say how the result was reached, for the public notice.
	ExplanationEN, ExplanationZH string
}

// NoticeKind says what a public notice publishes.
type NoticeKind string

// The notice kinds.
const (
	NoticeDecision NoticeKind = "decision" // 决定公示
	NoticeAward    NoticeKind = "award"    // 中标结果公示 (vendor, price, model)
)

// Objection is a resident's objection to a public notice (异议) and its answer.
type Objection struct {
	// ID identifies the objection within the item ("o1", "o2", …).
	ID string
	// By is the objector's actor ID; Name their name (personal data, masked when printed).
	By         string
	Name       gridgov.PersonName
	Content    string
	At         time.Time
	Answer     string
	AnsweredBy string
	AnsweredAt time.Time
}

// Answered reports whether the objection has been answered.
func (o Objection) Answered() bool { return !o.AnsweredAt.IsZero() }

// Notice is a public notice (公示) posted for a period [Start, End).
type Notice struct {
	Kind       NoticeKind
	Content    string
	Channel    Channel
	Start, End time.Time
	Objections []Objection
}

// Clear reports whether the notice period has ended at now with every objection answered:
// the condition for going ahead.
func (n Notice) Clear(now time.Time) bool {
	if now.Before(n.End) {
		return false
	}
	for _, o := range n.Objections {
		if !o.Answered() {
			return false
		}
	}
	return true
}

// Award is the tender result (定标): who does the work, at what price, with what.
type Award struct {
	Vendor string
	Price  decimal.Decimal
	Model  string
	// Method is how the vendor was chosen, for example "public tender" (公开招标) or
	// "three quotations" (三家比价).
	Method    string
	AwardedAt time.Time
}

// Progress is one progress report during implementation (实施进度).
type Progress struct {
	At      time.Time
	Percent int
	Note    string
	By      string
}

// Implementation records how the decision is carried out (组织实施).
type Implementation struct {
	StartedAt time.Time
	// Bill is the final cost: the award's price, or the option's cost without a tender,
	// unless given.
	Bill decimal.Decimal
	// Split is the cost split among the households of a residents-funded option
	// (funding.SplitCost; zero Bill otherwise).
	Split    funding.CostSplit
	Progress []Progress
}

// Done reports whether implementation has reached 100%.
func (im Implementation) Done() bool {
	n := len(im.Progress)
	return n > 0 && im.Progress[n-1].Percent == 100
}

// AssessorKind says who assessed satisfaction (评估主体).
type AssessorKind string

// The assessor kinds.
const (
	AssessorRepresentatives AssessorKind = "representatives" // 居民代表
	AssessorExperts         AssessorKind = "experts"         // 专家
	AssessorThirdParty      AssessorKind = "third_party"     // 第三方机构
)

// Audit is the satisfaction assessment after implementation (效果评估).
type Audit struct {
	AssessorKind AssessorKind
	Assessor     string
	// The responses, by rating.
	Satisfied, BasicSatisfied, Unsatisfied int
	Note                                   string
	At                                     time.Time
}

// Responses returns the number of responses.
func (a Audit) Responses() int { return a.Satisfied + a.BasicSatisfied + a.Unsatisfied }

// SatisfactionRate returns (satisfied + basically satisfied) / responses, rounded half up
// to four places (0.9375 is 93.75%); zero without responses.
func (a Audit) SatisfactionRate() decimal.Decimal {
	n := a.Responses()
	if n == 0 {
		return decimal.Zero
	}
	return decimal.NewFromInt(int64(a.Satisfied+a.BasicSatisfied)).DivRound(decimal.NewFromInt(int64(n)), 4)
}

// Item is an agenda item (议题) and where it stands.
//
// Times are zero until the step happened. An item holds its whole record: participants,
// options, the vote roll and ballots, notices with objections, the award, the cost split,
// progress and the audit.
type Item struct {
	ID string
	// NodeID is the compound or building the matter belongs to; Path the IDs of its
	// ancestors at raising, root first, ending with NodeID (for subtree queries).
	NodeID      string
	Path        []string
	Title       string
	Description string
	Category    string
	Source      Source
	// ComplaintID links the complaint the item came from (SourceComplaint).
	ComplaintID string
	// RaisedBy is the actor who raised the item.
	RaisedBy gridgov.Actor
	State    State

	FirstRound FirstRound
	Referral   Referral
	Meeting    Meeting
	Proposals  []Proposal
	Vote       Vote
	// Decision is the ID of the option decided on.
	Decision       string
	Notices        []Notice
	Award          Award
	Implementation Implementation
	Audit          Audit
	// ClosedAt is when the item reached a final state.
	ClosedAt time.Time

	Version   int64
	CreatedAt time.Time
	UpdatedAt time.Time
}

// Proposal returns the option with id.
func (it Item) Proposal(id string) (Proposal, bool) {
	for _, o := range it.Proposals {
		if o.ID == id {
			return o, true
		}
	}
	return Proposal{}, false
}

// Notice returns the latest notice of kind k.
func (it Item) Notice(k NoticeKind) (Notice, bool) {
	for i := len(it.Notices) - 1; i >= 0; i-- {
		if it.Notices[i].Kind == k {
			return it.Notices[i], true
		}
	}
	return Notice{}, false
}

// Clone returns a deep copy of it: no slice is shared.
func (it Item) Clone() Item {
	it.Path = slices.Clone(it.Path)
	it.FirstRound.Participants = slices.Clone(it.FirstRound.Participants)
	it.Meeting.Participants = slices.Clone(it.Meeting.Participants)
	it.Proposals = slices.Clone(it.Proposals)
	it.Vote = it.Vote.clone()
	it.Notices = slices.Clone(it.Notices)
	for i := range it.Notices {
		it.Notices[i].Objections = slices.Clone(it.Notices[i].Objections)
	}
	it.Implementation.Split.Shares = slices.Clone(it.Implementation.Split.Shares)
	it.Implementation.Progress = slices.Clone(it.Implementation.Progress)
	return it
}

func (v Vote) clone() Vote {
	v.Rule = v.Rule.Clone()
	v.Roll = v.Roll.Clone()
	v.Ballots = slices.Clone(v.Ballots)
	v.Tally.Proposals = slices.Clone(v.Tally.Proposals)
	return v
}

// Clone returns a deep copy of r.
func (r Roll) Clone() Roll {
	r.Households = slices.Clone(r.Households)
	for i := range r.Households {
		r.Households[i].CoOwners = slices.Clone(r.Households[i].CoOwners)
	}
	return r
}

// Event is one entry of an item's append-only history.
type Event struct {
	ItemID string
	// Version is the item's version after this event.
	Version int64
	Kind    EventKind
	From    State
	To      State
	Actor   gridgov.Actor
	At      time.Time
	Note    string
	// Disclosure is set on events that disclose information (a public notice or a
	// disclosure); the store lists it in the disclosure log.
	Disclosure *Disclosure
}

// Clone returns a deep copy of e.
func (e Event) Clone() Event {
	if e.Disclosure != nil {
		d := *e.Disclosure
		e.Disclosure = &d
	}
	return e
}
