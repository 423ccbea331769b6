package escalation

import (
	"fmt"
	"slices"
	"sort"
	"time"

	"github.com/shopspring/decimal"

	"github.com/gridgov/gridgov"
)

// ResolutionBasis says how the resolution rate is counted.
type ResolutionBasis int

// The bases of the resolution rate.
const (
	// ByCallback counts complaints whose reporter said on the call-back that the matter is
	// resolved, over rated complaints (the Beijing 接诉即办 convention; the default).
	ByCallback ResolutionBasis = iota
	// ByState counts settled complaints (resolved, verified, rated or archived after
	// resolution) over handled ones (accepted, and not rejected, withdrawn or duplicate).
	ByState
)

// Definitions say how the metrics are counted (统计口径). They are data: change them to match a
// local assessment scheme.
type Definitions struct {
	// SatisfiedWeight and BasicWeight weigh "satisfied" and "basically satisfied" ratings in
	// the satisfaction rate, over rated complaints (valid call-backs). Default 1 and 0.9.
	SatisfiedWeight, BasicWeight decimal.Decimal
	Resolution                   ResolutionBasis
	// ResponseOnTime counts a response only when no response limit was passed (default
	// true); otherwise any signature counts.
	ResponseOnTime bool
	// Composite weights of the three rates (default 0.1, 0.5, 0.4); they must sum to 1.
	ResponseWeight, ResolutionWeight, SatisfactionWeight decimal.Decimal
	// RepeatWindow: a complaint is a repeat when the same reporter raised the same category
	// at the same place within this window before it (default 30 days).
	RepeatWindow time.Duration
	// WithinDays lists the N of "share resolved within N days" (elapsed days from
	// submission; default 2 and 7).
	WithinDays []int
}

// DefaultDefinitions returns the practitioners' convention described in the package docs.
func DefaultDefinitions() Definitions {
	return Definitions{
		SatisfiedWeight: decimal.NewFromInt(1), BasicWeight: decimal.RequireFromString("0.9"),
		Resolution: ByCallback, ResponseOnTime: true,
		ResponseWeight: decimal.RequireFromString("0.1"), ResolutionWeight: decimal.RequireFromString("0.5"),
		SatisfactionWeight: decimal.RequireFromString("0.4"),
		RepeatWindow:       30 * 24 * time.Hour, WithinDays: []int{2, 7},
	}
}

// Validate returns a *gridgov.ValidationError naming every bad definition.
func (d Definitions) Validate() error {
	var verr gridgov.ValidationError
	one := decimal.NewFromInt(1)
	for _, w := range []struct {
		name string
		v    decimal.Decimal
	}{{"SatisfiedWeight", d.SatisfiedWeight}, {"BasicWeight", d.BasicWeight},
		{"ResponseWeight", d.ResponseWeight}, {"ResolutionWeight", d.ResolutionWeight},
		{"SatisfactionWeight", d.SatisfactionWeight}} {
		if w.v.IsNegative() || w.v.GreaterThan(one) {
			verr.Add(w.name, "range", fmt.Sprintf("%s must be between 0 and 1, not %s", w.name, w.v),
				fmt.Sprintf("%s必须在0到1之间，而不是%s", w.name, w.v))
		}
	}
	if sum := d.ResponseWeight.Add(d.ResolutionWeight).Add(d.SatisfactionWeight); !sum.Equal(one) {
		verr.Add("CompositeWeights", "sum", fmt.Sprintf("the composite weights must sum to 1, not %s", sum),
			fmt.Sprintf("综合得分权重之和必须为1，而不是%s", sum))
	}
	if d.Resolution != ByCallback && d.Resolution != ByState {
		verr.Add("Resolution", "oneof", "unknown resolution basis", "未知的解决率口径")
	}
	if d.RepeatWindow < 0 {
		verr.Add("RepeatWindow", "gte", "the repeat window must not be negative", "重复诉求时间窗不能为负数")
	}
	for i, n := range d.WithinDays {
		if n <= 0 {
			verr.Add(fmt.Sprintf("WithinDays[%d]", i), "gt", "days must be positive", "天数必须为正数")
		}
	}
	return verr.Err()
}

// Rate is a ratio with its numerator and denominator exposed (e.g. 9502/10000). A rate with a
// zero denominator is undefined and its value is zero.
type Rate struct {
	Numerator, Denominator decimal.Decimal
}

// rateOf builds a rate from counts.
func rateOf(num, den int64) Rate {
	return Rate{Numerator: decimal.NewFromInt(num), Denominator: decimal.NewFromInt(den)}
}

// Defined reports whether the denominator is not zero.
func (r Rate) Defined() bool { return !r.Denominator.IsZero() }

// Value returns Numerator/Denominator rounded half-up to 6 decimal places (zero when
// undefined).
func (r Rate) Value() decimal.Decimal {
	if !r.Defined() {
		return decimal.Zero
	}
	return r.Numerator.DivRound(r.Denominator, 6)
}

// Percent returns the rate as a percentage string with the given decimal places, e.g.
// "95.02%" ("-" when undefined).
func (r Rate) Percent(places int32) string {
	if !r.Defined() {
		return "-"
	}
	return r.Numerator.Mul(decimal.NewFromInt(100)).DivRound(r.Denominator, places).StringFixed(places) + "%"
}

// String formats the rate as "95.02% (9502/10000)".
func (r Rate) String() string {
	return fmt.Sprintf("%s (%s/%s)", r.Percent(2), r.Numerator, r.Denominator)
}

// String summarises the report on one line (for logs and tests).
func (r Report) String() string {
	return fmt.Sprintf("total %d; response %s; resolution %s; satisfaction %s; on time %s; rework %s; repeat %s; escalated %s; composite %s; by tier %v; within %v; states %v",
		r.Total, r.Response, r.Resolution, r.Satisfaction, r.OnTime, r.Rework, r.Repeat, r.Escalated,
		r.Composite, r.SettledByTier, r.Within, r.ByState)
}

// TierCount is how many settled complaints were settled at one tier, and their share.
type TierCount struct {
	Level string
	Count int64
	Share Rate
}

// WithinDays is the share of settled complaints resolved within Days days of submission.
type WithinDays struct {
	Days int
	Rate Rate
}

// Report is the metrics of a set of complaints (诉求办理指标).
type Report struct {
	Total   int64
	ByState map[State]int64
	// The three rates (三率).
	Response, Resolution, Satisfaction Rate
	// OnTime is settled complaints resolved by the deadline they were first held to, over
	// settled ones.
	OnTime Rate
	// Rework is settled complaints sent back or reopened at least once, over settled ones.
	Rework Rate
	// Repeat is repeat complaints over all (see Definitions.RepeatWindow).
	Repeat Rate
	// Escalated is handled complaints escalated at least once, over handled ones.
	Escalated Rate
	// LateReports counts summoned parties that reported after their deadline.
	LateReports int64
	// SettledByTier is where settled matters were settled, lowest tier first.
	SettledByTier []TierCount
	Within        []WithinDays
	// Composite is the weighted sum of the three rates' values.
	Composite decimal.Decimal
}

// Tally accumulates complaints into a [Report]. Counting is in integers; decimals are made
// once, by Report, so adding a complaint does not allocate. The result does not depend on
// the order complaints are added. A Tally is not safe for concurrent use.
type Tally struct {
	defs   Definitions
	levels []string // tier levels, lowest first, for SettledByTier's order

	total, handled, referred, responded, rated, resolvedCB int64
	satisfied, basic                                       int64
	settled, onTime, reworked, escalated, lateReports      int64
	byState                                                map[State]int64
	byTier                                                 map[string]int64
	within                                                 []int64
	repeats                                                map[repeatKey][]time.Time
}

type repeatKey struct{ reporter, category, node string }

// NewTally returns an empty tally under defs; tierLevels (lowest first) order the
// settled-by-tier distribution. It returns the definitions' validation error.
func NewTally(defs Definitions, tierLevels ...string) (*Tally, error) {
	if err := defs.Validate(); err != nil {
		return nil, err
	}
	return &Tally{defs: defs, levels: slices.Clone(tierLevels), byState: map[State]int64{},
		byTier: map[string]int64{}, within: make([]int64, len(defs.WithinDays)),
		repeats: map[repeatKey][]time.Time{}}, nil
}

// Add counts one complaint.
func (t *Tally) Add(c Complaint) {
	t.total++
	t.byState[c.State]++
	t.lateReports += int64(c.LateReports)
	handled := !c.AcceptedAt.IsZero() && c.State != StateRejected && c.State != StateWithdrawn &&
		c.State != StateDuplicate
	if handled {
		t.handled++
		if c.Escalations > 0 {
			t.escalated++
		}
	}
	if !c.ReferredAt.IsZero() {
		t.referred++
		if !c.RespondedAt.IsZero() && (!t.defs.ResponseOnTime || c.LateResponses == 0) {
			t.responded++
		}
	}
	switch c.Rating.Satisfaction {
	case Satisfied:
		t.satisfied++
	case BasicSatisfied:
		t.basic++
	}
	if c.Rating.Satisfaction != "" {
		t.rated++
		if c.Rating.Resolved {
			t.resolvedCB++
		}
	}
	if c.State.Settled() && !c.ResolvedAt.IsZero() {
		t.settled++
		t.byTier[c.TierLevel]++
		if c.FirstResolutionDue.IsZero() || !c.ResolvedAt.After(c.FirstResolutionDue) {
			t.onTime++
		}
		if c.Reworks > 0 {
			t.reworked++
		}
		took := c.ResolvedAt.Sub(c.SubmittedAt)
		for i, n := range t.defs.WithinDays {
			if took <= time.Duration(n)*24*time.Hour {
				t.within[i]++
			}
		}
	}
	reporter := c.Reporter.PersonID
	if reporter == "" {
		reporter = c.Reporter.Phone.Reveal()
	}
	if reporter != "" {
		k := repeatKey{reporter, c.Category, c.NodeID}
		t.repeats[k] = append(t.repeats[k], c.SubmittedAt)
	}
}

// Report returns the metrics of the complaints added so far.
func (t *Tally) Report() Report {
	r := Report{Total: t.total, ByState: make(map[State]int64, len(t.byState)), LateReports: t.lateReports}
	for s, n := range t.byState {
		r.ByState[s] = n
	}
	r.Response = rateOf(t.responded, t.referred)
	if t.defs.Resolution == ByCallback {
		r.Resolution = rateOf(t.resolvedCB, t.rated)
	} else {
		r.Resolution = rateOf(t.settled, t.handled)
	}
	r.Satisfaction = Rate{
		Numerator: t.defs.SatisfiedWeight.Mul(decimal.NewFromInt(t.satisfied)).
			Add(t.defs.BasicWeight.Mul(decimal.NewFromInt(t.basic))),
		Denominator: decimal.NewFromInt(t.rated),
	}
	r.OnTime = rateOf(t.onTime, t.settled)
	r.Rework = rateOf(t.reworked, t.settled)
	r.Escalated = rateOf(t.escalated, t.handled)
	r.Repeat = rateOf(t.countRepeats(), t.total)
	for i, n := range t.defs.WithinDays {
		r.Within = append(r.Within, WithinDays{Days: n, Rate: rateOf(t.within[i], t.settled)})
	}
	levels := slices.Clone(t.levels)
	var extra []string
	for l := range t.byTier {
		if !slices.Contains(levels, l) {
			extra = append(extra, l)
		}
	}
	sort.Strings(extra)
	for _, l := range append(levels, extra...) {
		r.SettledByTier = append(r.SettledByTier, TierCount{Level: l, Count: t.byTier[l], Share: rateOf(t.byTier[l], t.settled)})
	}
	r.Composite = t.defs.ResponseWeight.Mul(r.Response.Value()).
		Add(t.defs.ResolutionWeight.Mul(r.Resolution.Value())).
		Add(t.defs.SatisfactionWeight.Mul(r.Satisfaction.Value()))
	return r
}

// countRepeats counts complaints raised within the repeat window after an earlier one with
// the same reporter, category and place.
func (t *Tally) countRepeats() int64 {
	var n int64
	for _, times := range t.repeats {
		if len(times) < 2 {
			continue
		}
		slices.SortFunc(times, func(a, b time.Time) int { return a.Compare(b) })
		for i := 1; i < len(times); i++ {
			if times[i].Sub(times[i-1]) <= t.defs.RepeatWindow {
				n++
			}
		}
	}
	return n
}
