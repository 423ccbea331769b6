package deliberation

import (
	"time"

	"github.com/gridgov/gridgov"
)

// DisclosureKind says why a matter was disclosed (公开方式).
type DisclosureKind string

// The disclosure kinds.
const (
	DisclosureProactive DisclosureKind = "proactive"  // 主动公开
	DisclosureOnRequest DisclosureKind = "on_request" // 依申请公开
)

// Subject says what was disclosed (公开内容).
type Subject string

// The subjects.
const (
	SubjectDecision Subject = "decision" // 议事决定
	SubjectAward    Subject = "award"    // 招标结果（厂家、价格、型号）
	SubjectMinutes  Subject = "minutes"  // 会议纪要
	SubjectAccounts Subject = "accounts" // 费用与分摊明细
	SubjectProgress Subject = "progress" // 实施进度
	SubjectAudit    Subject = "audit"    // 效果评估
	SubjectOther    Subject = "other"    // 其他
)

// Channel is where a notice or disclosure was published (公开渠道).
type Channel string

// The channels.
const (
	ChannelNoticeBoard Channel = "notice_board" // 公示栏
	ChannelChatGroup   Channel = "chat_group"   // 楼栋微信群
	ChannelApp         Channel = "app"          // 小程序 / app
	ChannelMeeting     Channel = "meeting"      // 居民会议
	ChannelLetter      Channel = "letter"       // 书面答复
)

// Disclosure is one entry of the disclosure log (信息公开记录): a matter of an item disclosed
// proactively or on a resident's request, with its channel and date.
type Disclosure struct {
	// ItemID and Version name the item and its version after the disclosing event; the
	// store sets both. NodeID is the item's node.
	ItemID  string
	Version int64
	NodeID  string
	Kind    DisclosureKind
	Subject Subject
	Channel Channel
	// Date is when the matter was disclosed.
	Date    time.Time
	Summary string
	// Requester is who asked for an on-request disclosure (personal data, masked when
	// printed); RequestedAt when they asked.
	Requester   gridgov.PersonName
	RequestedAt time.Time
	// RecordedBy is the actor who recorded the disclosure.
	RecordedBy gridgov.Actor
}

// DisclosureSummary counts disclosures (公开情况统计).
type DisclosureSummary struct {
	Total     int
	ByKind    map[DisclosureKind]int
	BySubject map[Subject]int
	ByChannel map[Channel]int
}

// Summarise counts the disclosures by kind, subject and channel.
func Summarise(ds []Disclosure) DisclosureSummary {
	s := DisclosureSummary{Total: len(ds), ByKind: map[DisclosureKind]int{},
		BySubject: map[Subject]int{}, ByChannel: map[Channel]int{}}
	for _, d := range ds {
		s.ByKind[d.Kind]++
		s.BySubject[d.Subject]++
		s.ByChannel[d.Channel]++
	}
	return s
}
