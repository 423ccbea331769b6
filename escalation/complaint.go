package escalation

import (
	"time"

	"github.com/gridgov/gridgov"
)

// Channel is how a complaint reached the grid (诉求来源).
type Channel string

// The channels.
const (
	ChannelBuildingMeeting Channel = "building_meeting" // 楼栋会
	ChannelChatGroup       Channel = "chat_group"       // 楼栋微信群
	ChannelHotline         Channel = "hotline"          // 热线 (12345 and the like)
	ChannelPatrol          Channel = "patrol"           // 网格员巡查
	ChannelWalkIn          Channel = "walk_in"          // 窗口来访
	ChannelApp             Channel = "app"              // 小程序 / app
)

// Urgency grades a complaint (紧急程度).
type Urgency string

// The urgencies.
const (
	UrgencyNormal Urgency = "normal" // 一般
	UrgencyUrgent Urgency = "urgent" // 紧急
	UrgencyMajor  Urgency = "major"  // 急难愁盼 (major hardship)
)

// Satisfaction is the reporter's rating of how a complaint was handled (满意度).
type Satisfaction string

// The ratings.
const (
	Satisfied      Satisfaction = "satisfied"       // 满意
	BasicSatisfied Satisfaction = "basic_satisfied" // 基本满意
	Unsatisfied    Satisfaction = "unsatisfied"     // 不满意
)

// Reporter is who raised a complaint. Name and Phone are personal data: masked in String,
// logs and JSON (see [gridgov.PersonName]), and dropped from [Complaint.Public].
type Reporter struct {
	// PersonID is the reporter's person ID in the governance registry, when known; only an
	// actor with this ID (or a system actor) may rate or withdraw the complaint.
	PersonID string
	Name     gridgov.PersonName
	Phone    gridgov.Phone
}

// Rating is the reporter's verdict (回访评价).
type Rating struct {
	Satisfaction Satisfaction
	// Resolved is whether the reporter considers the matter solved (the call-back's
	// "resolved" answer, used by the callback definition of the resolution rate).
	Resolved bool
	Comment  string
}

// Summons is one party called by the whistle (吹哨) that must report (报到).
type Summons struct {
	Party PartyKind
	// OrgID is the organisation summoned, when the responsibility list names one.
	OrgID string
	// Lead parties must have reported before the complaint can be resolved.
	Lead       bool
	SummonedAt time.Time
	Due        time.Time // report deadline
	ReportedAt time.Time // zero until reported
	ReportedBy string    // person ID of who reported
}

// Reported reports whether the party has reported.
func (s Summons) Reported() bool { return !s.ReportedAt.IsZero() }

// Late reports whether the party reported after its deadline, or has not reported and the
// deadline has passed at now.
func (s Summons) Late(now time.Time) bool {
	if s.Reported() {
		return s.ReportedAt.After(s.Due)
	}
	return now.After(s.Due)
}

// Complaint is a resident's complaint or request (诉求) and where it stands.
//
// Times are zero until the step happened. Deadlines are computed on the engine's calendar;
// DueAt is the earliest pending deadline or warning, the key of the store's deadline index.
type Complaint struct {
	ID          string
	Channel     Channel
	Category    string // e.g. "property", "utilities", "parking" (see Policy.Overrides)
	Description string
	// NodeID is where the matter is (a building, compound, grid...).
	NodeID string
	// Path is the IDs of NodeID's ancestors at intake, root first, ending with NodeID; the
	// store uses it for subtree queries. It records the tree as it was at intake.
	Path        []string
	Reporter    Reporter
	Urgency     Urgency
	Attachments []string // references to attachments kept elsewhere

	State State
	// Tier is the index of the current tier in the policy; TierLevel its level key and
	// TierNodeID the node whose positions (and their ancestors') handle the complaint now.
	Tier       int
	TierLevel  string
	TierNodeID string
	// UnitID is the organisation the complaint is referred to, when named.
	UnitID string
	// Handler is the person who signed for the complaint at its current tier.
	Handler string

	SubmittedAt time.Time
	AcceptedAt  time.Time
	ReferredAt  time.Time // last referral or escalation
	RespondedAt time.Time // first signature at the current tier
	ResolvedAt  time.Time
	VerifiedAt  time.Time
	RatedAt     time.Time
	ClosedAt    time.Time // archived, rejected, withdrawn or marked duplicate
	PausedAt    time.Time // zero unless paused

	// ResponseDue and ResolutionDue are the deadlines at the current tier, set at each
	// referral or escalation and moved by pauses; they stay set once met.
	ResponseDue   time.Time
	ResolutionDue time.Time
	// FirstResolutionDue is the resolution deadline set at the first referral (moved only by
	// pauses), for the on-time rate: escalation does not move the target the complaint was
	// first held to.
	FirstResolutionDue time.Time
	// ResponseWarnAt and ResolutionWarnAt are when the sweeper warns that a limit is near
	// (zero: no warning).
	ResponseWarnAt   time.Time
	ResolutionWarnAt time.Time
	// DueAt is the earliest pending deadline or warning; zero when nothing is due.
	DueAt time.Time
	// Warned* and Breached* record which warnings and breaches the sweeper has handled at
	// the current tier.
	WarnedResponse, WarnedResolution     bool
	BreachedResponse, BreachedResolution bool

	Rating      Rating
	DuplicateOf string
	Summons     []Summons

	// Counters for the metrics.
	Escalations   int // tier moves up, manual or automatic
	Reworks       int // sent back after resolution, or reopened
	LateResponses int // response limits passed
	LateReports   int // summoned parties that reported late
	Breaches      int // limits passed (response or resolution)

	Version int64
}

// PublicComplaint is the view of a complaint built for the public: no reporter.
type PublicComplaint struct {
	ID          string
	Channel     Channel
	Category    string
	Description string
	NodeID      string
	Urgency     Urgency
	State       State
	TierLevel   string
	SubmittedAt time.Time
	ResolvedAt  time.Time
	Rating      Satisfaction
}

// Public returns the view of c for the public (公开视图), without the reporter.
func (c Complaint) Public() PublicComplaint {
	return PublicComplaint{ID: c.ID, Channel: c.Channel, Category: c.Category,
		Description: c.Description, NodeID: c.NodeID, Urgency: c.Urgency, State: c.State,
		TierLevel: c.TierLevel, SubmittedAt: c.SubmittedAt, ResolvedAt: c.ResolvedAt,
		Rating: c.Rating.Satisfaction}
}

// Clone returns a deep copy of c (its slices are not shared).
func (c Complaint) Clone() Complaint {
	c.Path = append([]string(nil), c.Path...)
	c.Attachments = append([]string(nil), c.Attachments...)
	c.Summons = append([]Summons(nil), c.Summons...)
	return c
}

// Event is one entry of a complaint's append-only history, and of the store's event feed.
type Event struct {
	// Seq is the store-wide sequence number: assigned by the store, strictly increasing in
	// commit order, without gaps.
	Seq         int64
	ComplaintID string
	// Version is the complaint's version after this event.
	Version int64
	Kind    EventKind
	From    State
	To      State
	Tier    int // the tier after the event
	Actor   gridgov.Actor
	At      time.Time
	Note    string
}
