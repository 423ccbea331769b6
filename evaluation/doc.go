// Package evaluation runs the yearly "one report, two evaluations" (一述双评) of owners'
// committees and property firms: indicator schemes as data, exact decimal scoring that
// explains every point, grade bands, district-wide ranking with explained tie-breaks,
// clearance recommendations (清退) and excellence awards (评优).
//
// # The yearly cycle
//
// For each compound and year an [Evaluator] (the package's entry type, built with
// [NewEvaluator] over a [Store] and a governance registry) runs one [Cycle]:
//
//		open ──file_report / missing_report──▶ reported ──evaluate_committee / evaluate_firm──▶ evaluating
//		evaluating ──publish (committee result to all owners) + send (each firm to the authority)──▶ published ──close──▶ closed
//
//	 1. Report (述职): the head of the owners' committee — or of the property management
//	    committee acting in its place — files an annual report to the community Party
//	    organisation and to the compound Party branch ([Evaluator.FileReport]). Late reports
//	    are marked; the community Party organisation records a missing one after the due date
//	    ([Evaluator.RecordMissingReport]); [Evaluator.Reports] lists both.
//	 2. Committee evaluation (评议业委会): the community Party organisation scores the
//	    committee on the committee scheme ([Evaluator.EvaluateCommittee]) and publishes the
//	    result to all owners with a date, a channel and a text naming no individual evaluator
//	    ([Evaluator.Publish]).
//	 3. Firm evaluation (综合评价物业企业): the compound Party branch combines its own scoring,
//	    a resident satisfaction survey, the complaint metrics of the compound from escalation
//	    (three rates, on-time and rework rates) and the community's quarterly scores
//	    ([Evaluator.EvaluateFirm]), and sends the result to the property authority
//	    ([Evaluator.Send]), where it counts in the firm's yearly assessment across all the
//	    compounds it serves ([Evaluator.Assess]).
//
// Out-of-order steps return gridgov.ErrInvalidTransition ([Transitions] is the table); a
// step by anyone but the body named above returns gridgov.ErrForbidden (the check is
// membership of that very organisation: governance.Registry.AuthorizeMember); a stale
// version returns gridgov.ErrConflict. Every step is one [Store.UpdateCycle] call that
// stores the cycle and one [CycleEvent], so nothing is half-done on failure.
//
// # Scoring
//
// A [Scheme] has categories with weights (adding up to exactly 1) and indicators with
// maximum points; indicators are scored on evaluators' sheets (several evaluators with
// weights) or come from facts (survey, complaint metrics, quarterly scores). Merit records
// add and demerit records subtract, each up to a cap; a one-vote veto item gives the lowest
// grade. [Score] checks everything — weights that do not add up, points above the maximum,
// missing required indicators all return gridgov.ErrInvalid naming each field in English
// and Chinese — and returns a [Scorecard] whose lines (indicator, evaluator, share,
// contribution) add up exactly to its base score. All arithmetic is decimal. Presets:
// [FirmScheme], [CommitteeScheme]; grade bands [QualityBands] (优秀/良好/合格/不合格) and
// [CreditBands] (AAA ≥ 85, AA 80–85, A 70–80, B 60–70, C < 60).
//
// # Ranking, clearance, excellence
//
// [Rank] orders standings with deterministic, explained tie-breaks. [Clearance] applies
// [ClearanceRule]s — data such as "bottom 10% and satisfaction below 80%", "any veto",
// "lowest grade two years running" ([DefaultClearance]) — and explains every flag.
// [SelectExcellent] picks the best firms or communities ([AssessCommunities]) and proposes
// award amounts that a funding award rule can pay ([Recipients] gives its ranking;
// [JiaochengAwards] is the ¥10,000–30,000 preset). [Evaluator.FirmHistory],
// [Evaluator.CommitteeHistory] and [Trend] give the year-over-year history.
package evaluation
