// Package funding keeps the money of grid governance exact to the fen (分): subsidy and
// stipend budgets, their allocation, a double-entry ledger that never overspends, cost
// sharing among households and grid points (网格积分).
//
// # Money
//
// Amounts are [decimal.Decimal] values in yuan with at most two decimal places (fen), never
// float64. [ParseMoney] reads "4000000", "¥4,000,000.00", "400万" and "1.5万";
// [FormatYuan] and [FormatWan] write them for reports; [CheckAmount] checks one. JSON carries
// amounts as strings.
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
// working funds → stipends → awards. [Rule] values, as data, say who gets what: fixed
// grants, range grants with a [Chooser], monthly stipends with a floor, group caps, awards by
// rank or grade, paired funding and the "double ¥100,000" ([DoubleGrant]), with pro-rating
// for partial periods. Recipients come from the governance registry through a [Selector]
// (positions, organisation kinds, node labels such as a pilot flag). [Treasury.Plan] turns
// rules into a [Plan] whose lines each explain themselves, totals it by rule and by node and
// compares it with the budget: over budget is a [*BudgetError] (gridgov.ErrBudgetExceeded)
// carrying the shortfall, unless the plan is asked to scale down, keeping every floor.
//
// # Ledger
//
// The ledger is double-entry (复式记账): a [Posting] is a balanced set of [Line] values
// applied atomically by the [Store], with an idempotency key so that a retried disbursement
// is applied once. Corrections are reversals ([Treasury.Reverse]), never edits. Fund,
// recipient and points accounts can never go below zero, even under concurrent postings: a
// posting that would overdraw is refused whole with gridgov.ErrBudgetExceeded.
// [Treasury.DisbursePlan] pays a plan line by line (a re-run pays only what is missing);
// [Treasury.PlanVsActual], [Treasury.Utilisation] and [WriteCSV] report on it.
//
// # Cost sharing and points
//
// [SplitCost] divides a repair bill among households equally or by floor area, after a
// subsidy share from the property firm or a fund. Grid points are kept in the same ledger
// in their own unit ([Treasury.Points] returns a [PointsBook]): earned by activity, redeemed
// from a catalogue, and expiring first-in first-out when the policy says so.
//
// # The treasury
//
// [Treasury] is the package's entry type: build one with [NewTreasury] over a [Store] and a
// [governance.Registry].
package funding
