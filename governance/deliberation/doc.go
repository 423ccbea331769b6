// Package deliberation turns a compound's public matters into decisions (议事协商): agenda
// items raised from residents' complaints or directly at a building meeting or in a building
// chat group, a first round of consultation in the compound, referral to the community Party
// committee, a consultation meeting with typed participants, costed options, a vote under a
// rule set given as data (a meeting vote, or the owners' joint decision of Civil Code
// art. 278 with a household-by-household canvass), public notice with objections,
// implementation with the cost split among households, a satisfaction audit, and a
// disclosure log. It models the Beiyuan (Weifang) practice of 亲邻议事.
//
// # The forum
//
// [Forum] (议事会) is the package's entry type. Build one with [NewForum] over a [Store] and a
// [governance.Registry] (for the organisation tree and the actors' authority); link an
// [escalation.Engine] with [WithComplaints] so that an item raised from a complaint pauses
// the complaint while the matter is deliberated and resumes (and finally resolves) it.
// Every command takes a context and a [gridgov.Actor], validates its input (every bad field
// named in English and Chinese), checks authority, fires its event on a state machine built
// from the package's one transition table, and stores the new item with one history [Event]
// in a single [Store.UpdateItem] call guarded by the item's version: a stale write is
// gridgov.ErrConflict and a refused command leaves the store unchanged.
//
// # The process
//
//  1. An agenda item (议题) is raised ([Forum.Raise]) at a compound or building node: from a
//     complaint about a public or common matter (parking, EV chargers, heating, unit doors,
//     noise, greenery), or directly from a building meeting (楼栋会) or chat group (楼栋群).
//  2. First round (首轮协商, [Forum.StartFirstRound]): the property firm, the owners'
//     committee, building leaders and resident activists try to settle it; the outcome is
//     recorded. Settled ([Forum.Settle]) ends the item and lets the linked complaint resume
//     toward resolution.
//  3. Referral ([Forum.Refer]): what they cannot settle goes to the community Party
//     committee (社区党委), which reviews it ([Forum.Review] or [Forum.Dismiss]) and convenes a
//     consultation meeting ([Forum.Convene]) of Party members, resident representatives,
//     deputies and committee members, a legal adviser, stakeholders and third-party
//     organisations, recording attendance ([Forum.HoldMeeting]).
//  4. Options (方案, [Forum.Propose]): two or more costed options, each with its funding
//     (the public maintenance fund, or the residents' own money with a subsidy share, …) and
//     its matter kind under art. 278.
//  5. Decision ([Forum.OpenVote], [Forum.Cast], [Forum.CloseVote]) under a [Rule]: a meeting
//     vote ([MeetingMajority]: a quorum of the invited voting participants and a majority of
//     those attending) or the owners' vote of Civil Code art. 278 ([CivilCode278]). Owners'
//     ballots are per household with its exclusive area, from the vote roll (业主名册); a
//     household-by-household canvass (逐户征求意见) records each household's choice, who
//     collected it and when. Arithmetic is exact: thresholds are fractions compared by
//     cross-multiplication, never floats.
//  6. Public notice (公示, [Forum.Publicise]) of the decision and later of the tender result
//     (vendor, price, model; [Forum.Award]) for a set period; residents object
//     ([Forum.Object]) and the committee answers ([Forum.Answer]). Nothing is implemented
//     before the latest notice period has ended with every objection answered.
//  7. Implementation and audit ([Forum.Implement], [Forum.Progress], [Forum.Audit],
//     [Forum.Close]): the bill is split among the households with funding.SplitCost (after
//     the subsidy share), progress is recorded, representatives, experts or a third party
//     assess satisfaction, and closing resolves the linked complaint (its reporter then rates
//     it through the escalation engine).
//  8. Disclosure (公开, [Forum.Disclose]): every matter disclosed proactively (主动公开) or on a
//     resident's request (依申请公开), with its channel and date; [Forum.DisclosureReport]
//     counts them by kind, subject and channel. Each public notice is logged as a proactive
//     disclosure by the same store call that posts it.
//
// # States
//
// raised (已提出) → first_round (首轮协商) → settled (已化解) | referred (已提交社区党委) →
// reviewed (已审核) | dismissed (不予议事) → convened (已召集) → consulted (已协商) →
// proposed (方案已提出) → voting (表决中) → decided (已决定) | rejected (未通过) →
// publicised (决定公示中) → [awarded (已定标) → award_publicised (中标公示中)] →
// implementing (实施中) → audited (已评估) → closed (已办结). An item may be withdrawn
// (已撤回) before the vote opens. Ballots, objections, answers and progress reports keep the
// state; disclosures are allowed in every state. [Transitions] returns the table and
// [Diagram] renders it as a Mermaid state diagram:
//
//	stateDiagram-v2
//	    [*] --> raised
//	    audited --> closed: close
//	    award_publicised --> award_publicised: answer
//	    award_publicised --> implementing: implement
//	    award_publicised --> award_publicised: object
//	    awarded --> award_publicised: publicise
//	    consulted --> proposed: propose
//	    consulted --> withdrawn: withdraw
//	    convened --> consulted: hold
//	    convened --> withdrawn: withdraw
//	    decided --> publicised: publicise
//	    first_round --> referred: refer
//	    first_round --> settled: settle
//	    first_round --> withdrawn: withdraw
//	    implementing --> audited: audit
//	    implementing --> implementing: progress
//	    proposed --> voting: open_vote
//	    proposed --> withdrawn: withdraw
//	    publicised --> publicised: answer
//	    publicised --> awarded: award
//	    publicised --> implementing: implement
//	    publicised --> publicised: object
//	    raised --> first_round: start
//	    raised --> withdrawn: withdraw
//	    referred --> dismissed: dismiss
//	    referred --> reviewed: review
//	    referred --> withdrawn: withdraw
//	    reviewed --> convened: convene
//	    reviewed --> withdrawn: withdraw
//	    voting --> voting: ballot
//	    voting --> decided: decide
//	    voting --> rejected: reject
//
// # Authority
//
// Raising an item needs governance.PermEscalate, PermDeliberate or PermHandleComplaints at
// its node (building leaders, grid workers, committee chairs, firm managers); the first round
// and progress reports need PermDeliberate or PermHandleComplaints there. Every step from
// the review on needs a member of the community Party committee who holds PermDeliberate at
// the community. Owners cast their own household's ballot and meeting attendees their own;
// canvassers who record ballots for others need PermEscalate, PermDeliberate or
// PermHandleComplaints at the item's node. Anyone may object to a notice. Disclosures need
// PermDeliberate or PermHandleComplaints at the item's node. System actors pass every
// check. Names of participants, objectors and requesters are personal data
// (gridgov.PersonName): masked when printed, and masked in query results for actors without
// governance.PermViewPersonalData at the item's node; the public disclosure log always masks
// them.
//
// # Rules, rolls and exact counting
//
// A [Rule] is data: thresholds are exact fractions ([Threshold], [AtLeast] for "≥ 2/3",
// [MoreThan] for "> 1/2") compared by cross-multiplication (part × den against whole × num),
// so exactly two thirds meets "≥ 2/3" and exactly half does not meet "> 1/2". [CivilCode278]
// and [MeetingMajority] are presets; [CountVotes] is the pure count behind [Forum.CloseVote],
// usable on its own. An owners' vote takes a [Roll] (业主名册) of households with their
// owners and exclusive areas; its stated TotalArea and TotalOwners must equal the sums, and
// the node's labels [LabelArea], [LabelOwners] and [LabelHouseholds] where the node has
// them. One owner of several households counts once in the headcount and must choose alike
// for all of them; every recorded ballot, abstentions included, counts as participating.
//
// Commands that keep the state (ballots, objections, answers, progress, disclosures)
// commute, so when the caller names no version they re-read and retry after a version
// conflict: canvassers working at once all get their ballots in.
//
// # Linked complaints
//
// Writing the item and pausing, resuming or resolving its complaint cannot be one atomic
// step: the item is written first, then the complaint is brought in line with the item's
// state through the escalation engine (as the system actor "deliberation"). Each complaint
// step checks the complaint's state first, so repeating it changes nothing; when it fails,
// the command returns the stored item with a [*ComplaintSyncError], and
// [Forum.SyncComplaint] retries it.
//
// # Storage
//
// The forum keeps items behind the [Store] interface, whose doc comments are the contract
// for adapter authors; store/memory is the reference and store/storetest the conformance
// suite.
package deliberation
