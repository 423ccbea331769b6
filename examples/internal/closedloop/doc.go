// Package closedloop runs a year of matters through the closed loop of an
// [escalation.Engine] (诉求办理闭环) on a simulated clock: the machinery the examples that
// simulate complaint handling share.
//
// [Run] draws the year's arrivals, then takes every matter through intake → accept →
// refer → sign → (escalate, by the unit that holds it or by the sweeper) → whistle with the
// summoned parties reporting (吹哨报到) → resolve → verify → rate → archive. The sweeper
// runs every [Config.SweepEvery] of simulated time; escalations, whoever makes them, are
// followed through the engine's event feed, and the next tier signs for the matter after a
// drawn delay. The steps wait on a [sim.Agenda], so a run is deterministic for its seed.
//
// The program supplies its own world through a [Model]: what a matter is about, who
// submits it and where, who handles and who verifies it at each tier, how long handling
// takes, how the reporter rates it and who reports for each summoned party. The shares of
// matters beyond each tier's means and the escalation and late-signing rates come with the
// [Config]. The loop's own timings (the sign delay, the delay before a handler escalates,
// the time to verify, rate and archive, the parties' report delays) are fixed and
// documented on the steps that draw them.
//
// Every draw comes from [Config.Rand] in a fixed order — the arrivals first, then each
// step in the agenda's order — so a program's output is stable for a seed.
//
// The package is internal to the examples: it is simulation, not library API.
package closedloop
