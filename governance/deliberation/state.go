package deliberation

import "strings"

// State is where an agenda item stands in the process.
type State string

// The states of an agenda item.
const (
	StateRaised          State = "raised"           // 已提出: raised, first round not begun
	StateFirstRound      State = "first_round"      // 首轮协商: firm, committee, building leaders and activists at work
	StateSettled         State = "settled"          // 已化解: settled in the first round (final)
	StateReferred        State = "referred"         // 已提交社区党委: awaiting the community Party committee's review
	StateReviewed        State = "reviewed"         // 已审核: accepted for consultation, meeting not yet convened
	StateDismissed       State = "dismissed"        // 不予议事: refused by the committee (final)
	StateConvened        State = "convened"         // 已召集: consultation meeting called
	StateConsulted       State = "consulted"        // 已协商: meeting held, attendance recorded
	StateProposed        State = "proposed"         // 方案已提出: costed options on the table
	StateVoting          State = "voting"           // 表决中: ballots or canvass being collected
	StateDecided         State = "decided"          // 已决定: an option passed
	StateRejected        State = "rejected"         // 未通过: no option passed (final)
	StatePublicised      State = "publicised"       // 决定公示中: the decision's public notice
	StateAwarded         State = "awarded"          // 已定标: tender result recorded, notice not yet posted
	StateAwardPublicised State = "award_publicised" // 中标公示中: the tender result's public notice
	StateImplementing    State = "implementing"     // 实施中: being carried out
	StateAudited         State = "audited"          // 已评估: satisfaction assessed
	StateClosed          State = "closed"           // 已办结: done (final)
	StateWithdrawn       State = "withdrawn"        // 已撤回: withdrawn before the vote (final)
)

// States lists every state in the order of the process.
func States() []State {
	return []State{StateRaised, StateFirstRound, StateSettled, StateReferred, StateReviewed,
		StateDismissed, StateConvened, StateConsulted, StateProposed, StateVoting, StateDecided,
		StateRejected, StatePublicised, StateAwarded, StateAwardPublicised, StateImplementing,
		StateAudited, StateClosed, StateWithdrawn}
}

// Final reports whether no command but a disclosure leaves s.
func (s State) Final() bool {
	switch s {
	case StateSettled, StateDismissed, StateRejected, StateClosed, StateWithdrawn:
		return true
	}
	return false
}

// NameZH returns the Chinese name of s.
func (s State) NameZH() string {
	if n, ok := stateNamesZH[s]; ok {
		return n
	}
	return string(s)
}

var stateNamesZH = map[State]string{
	StateRaised: "已提出", StateFirstRound: "首轮协商", StateSettled: "已化解", StateReferred: "已提交社区党委",
	StateReviewed: "已审核", StateDismissed: "不予议事", StateConvened: "已召集", StateConsulted: "已协商",
	StateProposed: "方案已提出", StateVoting: "表决中", StateDecided: "已决定", StateRejected: "未通过",
	StatePublicised: "决定公示中", StateAwarded: "已定标", StateAwardPublicised: "中标公示中",
	StateImplementing: "实施中", StateAudited: "已评估", StateClosed: "已办结", StateWithdrawn: "已撤回",
}

// EventKind names what happened to an item: a state-machine event, or a command that keeps
// the state.
type EventKind string

// The events. Raise is the first event of every item; Ballot, Object, Answer and Progress
// keep the state; Disclose is allowed in every state and keeps it.
const (
	EventRaise     EventKind = "raise"     // 提出议题
	EventStart     EventKind = "start"     // 开始首轮协商
	EventSettle    EventKind = "settle"    // 首轮化解
	EventRefer     EventKind = "refer"     // 提交社区党委
	EventReview    EventKind = "review"    // 审核受理
	EventDismiss   EventKind = "dismiss"   // 不予议事
	EventConvene   EventKind = "convene"   // 召集协商会
	EventHold      EventKind = "hold"      // 召开协商会（记录出席）
	EventPropose   EventKind = "propose"   // 提出方案
	EventOpenVote  EventKind = "open_vote" // 启动表决
	EventBallot    EventKind = "ballot"    // 记录表决票
	EventDecide    EventKind = "decide"    // 表决通过
	EventReject    EventKind = "reject"    // 表决未通过
	EventPublicise EventKind = "publicise" // 公示
	EventObject    EventKind = "object"    // 提出异议
	EventAnswer    EventKind = "answer"    // 答复异议
	EventAward     EventKind = "award"     // 定标
	EventImplement EventKind = "implement" // 开始实施
	EventProgress  EventKind = "progress"  // 进度
	EventAudit     EventKind = "audit"     // 满意度评估
	EventClose     EventKind = "close"     // 办结
	EventWithdraw  EventKind = "withdraw"  // 撤回
	EventDisclose  EventKind = "disclose"  // 信息公开
)

// NameZH returns the Chinese name of the event.
func (k EventKind) NameZH() string {
	if n, ok := eventNamesZH[k]; ok {
		return n
	}
	return strings.ReplaceAll(string(k), "_", " ")
}

var eventNamesZH = map[EventKind]string{
	EventRaise: "提出议题", EventStart: "开始首轮协商", EventSettle: "首轮化解", EventRefer: "提交社区党委",
	EventReview: "审核受理", EventDismiss: "不予议事", EventConvene: "召集协商会", EventHold: "召开协商会",
	EventPropose: "提出方案", EventOpenVote: "启动表决", EventBallot: "记录表决票", EventDecide: "表决通过",
	EventReject: "表决未通过", EventPublicise: "公示", EventObject: "提出异议", EventAnswer: "答复异议",
	EventAward: "定标", EventImplement: "开始实施", EventProgress: "报告进度", EventAudit: "满意度评估",
	EventClose: "办结", EventWithdraw: "撤回", EventDisclose: "信息公开",
}
