// Package funding keeps the money of grid governance exact to the fen (分): subsidy and
// stipend budgets, their allocation, a double-entry ledger that never overspends, cost
// sharing among households and grid points (网格积分).
//
// # Status
//
// This package is being built. In place: periods, allocation ([SplitEvenly],
// [SplitByWeights], [SplitByArea]) and [CheckAmount], the ledger types ([Fund], [Account],
// [Posting], [Line]), the plan types ([Plan], [PlanLine]), the [Store] contract and the
// [Treasury] constructor. Still to come: money parsing and formatting, rules and the
// planner, the ledger commands and disbursement, cost sharing and grid points, described
// below as they will be.
//
// # Money
//
// Amounts are [decimal.Decimal] values in yuan with at most two decimal places (fen), never
// float64, and JSON carries them as strings. Parsing will accept "4000000", "¥4,000,000.00",
// "400万" and "1.5万".
//
// # Allocation
//
// [SplitEvenly], [SplitByWeights] and [SplitByArea] divide an amount with the largest
// remainder method: every part is its exact share rounded down to the fen, and the fen left
// over go one each to the parts with the largest remainders (ties to the earlier part). The
// parts always sum to the whole, and no part is a fen or more from its exact share.
//
// # Funds, rules and plans
//
// A [Fund] has an owner node and a fiscal [Period], and may draw from a parent fund: the
// district special fund (专项资金) → community start-up grants → compound Party-branch
// working funds → stipends → awards. Rules, as data, will say who gets what: fixed grants,
// range grants with a chooser, monthly stipends with a floor, group caps, awards by rank or
// grade, paired funding, pro-rating. Recipients come from the governance registry
// (positions, organisation kinds, node labels such as a pilot flag). The planner turns
// rules into a [Plan] whose lines each explain themselves, totals it by rule and by node and
// compares it with the fund: over budget is gridgov.ErrBudgetExceeded with the shortfall,
// unless the plan is asked to scale down (keeping every floor).
//
// # Ledger
//
// The ledger will be double-entry (复式记账): a [Posting] is a balanced set of [Line] values
// applied atomically by the [Store], with an idempotency key so that a retried disbursement
// is applied once. Corrections are reversals, never edits. Fund, recipient and points
// accounts can never go below zero, even under concurrent postings: a posting that would
// overdraw is refused whole with gridgov.ErrBudgetExceeded.
//
// # Cost sharing and points
//
// Cost sharing will divide a repair bill among households equally or by floor area, after a
// subsidy share from the property firm or a fund. Grid points are kept in the same ledger
// in their own unit, earned by activity, redeemed from a catalogue, and may expire.
//
// # The treasury
//
// [Treasury] is the package's entry type: build one with [NewTreasury] over a [Store] and a
// [governance.Registry].
package funding
