package escalation

// State is where a complaint stands in the closed loop.
type State string

// The states of a complaint.
const (
	StateSubmitted  State = "submitted"   // 已登记: taken in, awaiting acceptance
	StateAccepted   State = "accepted"    // 已受理: accepted, awaiting referral
	StateRejected   State = "rejected"    // 不予受理: refused at intake (final)
	StateReferred   State = "referred"    // 已转办: referred to a tier, awaiting signature
	StateSigned     State = "signed"      // 已签收: the handling unit has responded
	StateInProgress State = "in_progress" // 处置中: being handled
	StatePaused     State = "paused"      // 挂起: waiting on the resident or a deliberation; clock stopped
	StateResolved   State = "resolved"    // 已办结: handled, awaiting verification
	StateVerified   State = "verified"    // 已核查: verified, awaiting the reporter's rating
	StateRated      State = "rated"       // 已评价: rated by the reporter
	StateArchived   State = "archived"    // 已归档: closed (final)
	StateWithdrawn  State = "withdrawn"   // 已撤回: withdrawn by the reporter (final)
	StateDuplicate  State = "duplicate"   // 重复件: a duplicate of another complaint (final)
)

// States lists every state in the order of the closed loop.
func States() []State {
	return []State{StateSubmitted, StateAccepted, StateRejected, StateReferred, StateSigned,
		StateInProgress, StatePaused, StateResolved, StateVerified, StateRated, StateArchived,
		StateWithdrawn, StateDuplicate}
}

// Final reports whether no command leaves s.
func (s State) Final() bool {
	switch s {
	case StateRejected, StateArchived, StateWithdrawn, StateDuplicate:
		return true
	}
	return false
}

// Open reports whether s is a state the handling side still owes work on: referred, signed,
// in progress or paused.
func (s State) Open() bool {
	switch s {
	case StateReferred, StateSigned, StateInProgress, StatePaused:
		return true
	}
	return false
}

// Settled reports whether the matter has been resolved (resolved, verified, rated or
// archived after resolution).
func (s State) Settled() bool {
	switch s {
	case StateResolved, StateVerified, StateRated, StateArchived:
		return true
	}
	return false
}

// NameZH returns the Chinese name of s.
func (s State) NameZH() string {
	switch s {
	case StateSubmitted:
		return "已登记"
	case StateAccepted:
		return "已受理"
	case StateRejected:
		return "不予受理"
	case StateReferred:
		return "已转办"
	case StateSigned:
		return "已签收"
	case StateInProgress:
		return "处置中"
	case StatePaused:
		return "挂起"
	case StateResolved:
		return "已办结"
	case StateVerified:
		return "已核查"
	case StateRated:
		return "已评价"
	case StateArchived:
		return "已归档"
	case StateWithdrawn:
		return "已撤回"
	case StateDuplicate:
		return "重复件"
	}
	return string(s)
}

// EventKind names what happened to a complaint: a state-machine event or one of the
// commands and sweeper findings that keep the state.
type EventKind string

// State-machine events (each moves a complaint between states; see [Transitions]).
const (
	EventSubmit    EventKind = "submit"    // intake (the first event of every complaint)
	EventAccept    EventKind = "accept"    // 受理
	EventReject    EventKind = "reject"    // 不予受理
	EventRefer     EventKind = "refer"     // 转办 to a tier
	EventSign      EventKind = "sign"      // 签收 (the response)
	EventStart     EventKind = "start"     // 开始处置
	EventPause     EventKind = "pause"     // 挂起
	EventResume    EventKind = "resume"    // 恢复
	EventEscalate  EventKind = "escalate"  // 逐级上报 to the next tier
	EventResolve   EventKind = "resolve"   // 办结
	EventVerify    EventKind = "verify"    // 核查通过
	EventSendBack  EventKind = "send_back" // 退回重办 (rework)
	EventRate      EventKind = "rate"      // 评价
	EventReopen    EventKind = "reopen"    // 重新办理 after an unsatisfied rating
	EventArchive   EventKind = "archive"   // 归档
	EventWithdraw  EventKind = "withdraw"  // 撤回
	EventDuplicate EventKind = "duplicate" // 标记重复
)

// Events that keep the state.
const (
	EventWhistle EventKind = "whistle" // 吹哨: parties summoned
	EventReport  EventKind = "report"  // 报到: a summoned party reported
	EventWarn    EventKind = "warn"    // the sweeper's warning that a limit is near
	EventBreach  EventKind = "breach"  // the sweeper found a limit passed (without escalating)
)
