// Package escalation runs residents' complaints (诉求) through the closed loop of grid
// governance: 网格召集—分级转办—问题处置—核查反馈—评议归档 (the grid convenes, the matter is
// referred tier by tier, handled, verified with feedback, rated and archived), escalating
// level by level (逐级上报) when it is not settled in time.
//
// # The engine
//
// [Engine] is the package's entry type. Build one with [NewEngine] over a [Store], a
// [governance.Registry] (for the organisation tree and the actors' authority) and a
// [Policy] (the tiers with their time limits). Every command takes a context and a
// [gridgov.Actor], validates its input (errors name every bad field in English and Chinese),
// checks authority, fires the event on a state machine built from the package's one
// transition table, and stores the new complaint together with one history [Event] in a
// single [Store.UpdateComplaint] call guarded by the complaint's version.
//
// # States
//
// A complaint is submitted (已登记), then accepted (已受理) or rejected (不予受理); referred
// to a tier (已转办); signed for by the handling unit (已签收, the response); in progress
// (处置中); resolved (已办结); verified by someone other than the handler (已核查) or sent
// back for rework (退回重办); rated by the reporter (已评价); archived (已归档). A reporter may
// withdraw it (已撤回); it may be marked a duplicate (重复件) of another; an unsatisfied
// rating may reopen it; handling may be paused (挂起) while waiting on the resident or on a
// deliberation, which stops its clock, and resumed. The transition table is [Transitions];
// [Diagram] renders it as a Mermaid state diagram:
//
//	stateDiagram-v2
//	    [*] --> submitted
//	    accepted --> duplicate: duplicate
//	    accepted --> referred: refer
//	    accepted --> withdrawn: withdraw
//	    in_progress --> referred: escalate
//	    in_progress --> paused: pause
//	    in_progress --> resolved: resolve
//	    in_progress --> withdrawn: withdraw
//	    paused --> in_progress: resume
//	    paused --> withdrawn: withdraw
//	    rated --> archived: archive
//	    rated --> in_progress: reopen
//	    referred --> referred: escalate
//	    referred --> signed: sign
//	    referred --> withdrawn: withdraw
//	    resolved --> in_progress: send_back
//	    resolved --> verified: verify
//	    signed --> referred: escalate
//	    signed --> paused: pause
//	    signed --> resolved: resolve
//	    signed --> in_progress: start
//	    signed --> withdrawn: withdraw
//	    submitted --> accepted: accept
//	    submitted --> duplicate: duplicate
//	    submitted --> rejected: reject
//	    submitted --> withdrawn: withdraw
//	    verified --> archived: archive
//	    verified --> rated: rate
//
// # Tiers and time limits
//
// A [Policy] maps tiers (building → grid → community → street → district departments) to
// levels of the governance scheme. Each [Tier] has a response limit and a resolution limit
// in business time on a [Calendar] (working days, public holidays and make-up workdays, 调休),
// a warning threshold, and whether a breach escalates automatically to the next tier.
// Overrides change the limits per category and urgency. Presets: [RapidResponsePolicy]
// (Jiaocheng's two-day property response), [HotlinePolicy] (a 接诉即办-style example) and
// [LadderPolicy] (Xiangshan's building → grid → community → street ladder).
//
// # The whistle (吹哨报到)
//
// At the whistle tier a complaint can summon the parties of a responsibility list for its
// category (the five-party default: street, community, property firm, district department
// and in-service Party members registered in the community, 双报到). Each summoned party
// must report (报到) within its limit; late reports are recorded and counted, and the
// complaint cannot be resolved while a lead party has not reported.
//
// # The sweeper
//
// [Engine.Sweep] reads what is due from the store's deadline index, records warnings and
// escalates breaches per policy. It is idempotent and safe to run from several processes:
// every change goes through the version check, so each breach escalates exactly once.
//
// # Metrics
//
// [Engine.Metrics] reports, for any subtree and period, counts by state and the three rates
// (三率: response, resolution, satisfaction) with their numerators and denominators, the
// on-time, rework and repeat rates, where matters were settled by tier, the share resolved
// within N days and a weighted composite; [Engine.Rank] ranks the children of a node.
// All rates are exact decimals.
//
// # Privacy
//
// The reporter's name and phone are [gridgov.PersonName] and [gridgov.Phone]: masked in
// String, logs and JSON; [Complaint.Public] drops them altogether.
package escalation
