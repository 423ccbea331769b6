package escalation_test

import (
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gridgov/gridgov"
	"github.com/gridgov/gridgov/escalation"
)

func dec(s string) decimal.Decimal { return decimal.RequireFromString(s) }

func requireRate(t *testing.T, r escalation.Rate, num, den string, msg string) {
	t.Helper()
	assert.True(t, r.Numerator.Equal(dec(num)), "%s numerator: got %s want %s", msg, r.Numerator, num)
	assert.True(t, r.Denominator.Equal(dec(den)), "%s denominator: got %s want %s", msg, r.Denominator, den)
}

// settled returns a complaint resolved after `took`, rated sat, at tier level.
func settled(id string, level string, took time.Duration, sat escalation.Satisfaction, resolved bool) escalation.Complaint {
	sub := start
	return escalation.Complaint{ID: id, State: escalation.StateRated, Category: "property", NodeID: "b1",
		Reporter: escalation.Reporter{PersonID: "p-" + id}, TierLevel: level,
		SubmittedAt: sub, AcceptedAt: sub, ReferredAt: sub, RespondedAt: sub.Add(time.Hour),
		ResolvedAt: sub.Add(took), FirstResolutionDue: sub.Add(48 * time.Hour),
		Rating: escalation.Rating{Satisfaction: sat, Resolved: resolved}}
}

func TestMetricsRates(t *testing.T) {
	cs := []escalation.Complaint{
		settled("a", "building", 10*time.Hour, escalation.Satisfied, true),
		settled("b", "grid", 30*time.Hour, escalation.BasicSatisfied, true),
		settled("c", "community", 100*time.Hour, escalation.Unsatisfied, false), // late
		{ID: "d", State: escalation.StateReferred, SubmittedAt: start, AcceptedAt: start, ReferredAt: start,
			LateResponses: 1, Escalations: 1, TierLevel: "grid"}, // not responded
		{ID: "e", State: escalation.StateWithdrawn, SubmittedAt: start, AcceptedAt: start},
		{ID: "f", State: escalation.StateSubmitted, SubmittedAt: start},
	}
	cs[1].Reworks = 1
	cs[2].LateResponses = 1 // responded, but late
	tally, err := escalation.NewTally(escalation.DefaultDefinitions(), "building", "grid", "community", "street")
	require.NoError(t, err)
	for _, c := range cs {
		tally.Add(c)
	}
	r := tally.Report()
	assert.Equal(t, int64(6), r.Total)
	assert.Equal(t, int64(3), r.ByState[escalation.StateRated])
	requireRate(t, r.Response, "2", "4", "response: on time a, b of referred a-d")
	requireRate(t, r.Resolution, "2", "3", "resolution by call-back")
	requireRate(t, r.Satisfaction, "1.9", "3", "satisfaction (1 + 0.9)/3")
	requireRate(t, r.OnTime, "2", "3", "on time")
	requireRate(t, r.Rework, "1", "3", "rework")
	requireRate(t, r.Escalated, "1", "4", "escalated of handled (a-d)")
	assert.Equal(t, "63.33%", r.Satisfaction.Percent(2))
	assert.Equal(t, "63.33% (1.9/3)", r.Satisfaction.String())
	require.Len(t, r.Within, 2)
	requireRate(t, r.Within[0].Rate, "2", "3", "within 2 days")
	requireRate(t, r.Within[1].Rate, "3", "3", "within 7 days")
	var levels []string
	for _, tc := range r.SettledByTier {
		levels = append(levels, fmt.Sprintf("%s:%d", tc.Level, tc.Count))
	}
	assert.Equal(t, []string{"building:1", "grid:1", "community:1", "street:0"}, levels)
	// composite = 0.1×0.5 + 0.5×0.666667 + 0.4×0.633333 = 0.05 + 0.3333335 + 0.2533332
	assert.True(t, dec("0.6366667").Equal(r.Composite), "composite %s", r.Composite)

	byState := escalation.DefaultDefinitions()
	byState.Resolution = escalation.ByState
	byState.ResponseOnTime = false
	tally, err = escalation.NewTally(byState)
	require.NoError(t, err)
	for _, c := range cs {
		tally.Add(c)
	}
	r = tally.Report()
	requireRate(t, r.Resolution, "3", "4", "resolution by state: settled of handled")
	requireRate(t, r.Response, "3", "4", "any response counts")
}

func TestMetricsUndefinedRates(t *testing.T) {
	tally, err := escalation.NewTally(escalation.DefaultDefinitions())
	require.NoError(t, err)
	r := tally.Report()
	assert.False(t, r.Response.Defined())
	assert.True(t, r.Response.Value().IsZero())
	assert.Equal(t, "-", r.Satisfaction.Percent(2))
	assert.True(t, r.Composite.IsZero())
}

// The Daxing pilot figures: 95.02% resolved and 94.47% satisfied, exactly.
func TestMetricsDaxingFigures(t *testing.T) {
	tally, err := escalation.NewTally(escalation.DefaultDefinitions())
	require.NoError(t, err)
	// 10,000 rated call-backs; 9,502 resolved; satisfaction (S + 0.9 B)/N = 0.9447 with
	// S = 9,177 and B = 300: 9,177 + 270 = 9,447.
	for i := range 10_000 {
		sat := escalation.Unsatisfied
		switch {
		case i < 9177:
			sat = escalation.Satisfied
		case i < 9477:
			sat = escalation.BasicSatisfied
		}
		tally.Add(settled(fmt.Sprint(i), "community", time.Hour, sat, i < 9502))
	}
	r := tally.Report()
	assert.Equal(t, "100.00%", r.Response.Percent(2))
	assert.Equal(t, "95.02%", r.Resolution.Percent(2))
	assert.Equal(t, "94.47%", r.Satisfaction.Percent(2))
	assert.True(t, dec("0.9447").Equal(r.Satisfaction.Value()))
}

func TestMetricsRepeats(t *testing.T) {
	defs := escalation.DefaultDefinitions()
	tally, err := escalation.NewTally(defs)
	require.NoError(t, err)
	mk := func(id, reporter, category, node string, at time.Time) escalation.Complaint {
		return escalation.Complaint{ID: id, State: escalation.StateSubmitted, Category: category, NodeID: node,
			Reporter: escalation.Reporter{PersonID: reporter}, SubmittedAt: at}
	}
	for _, c := range []escalation.Complaint{
		mk("1", "p", "noise", "b1", start.Add(20*24*time.Hour)), // added out of order
		mk("2", "p", "noise", "b1", start),                      // first
		mk("3", "p", "noise", "b1", start.Add(60*24*time.Hour)), // 40 days after: not a repeat
		mk("4", "p", "parking", "b1", start),                    // another category
		mk("5", "q", "noise", "b1", start),                      // another reporter
		{ID: "6", Category: "noise", NodeID: "b1", SubmittedAt: start, Reporter: escalation.Reporter{Phone: "139"}},
		{ID: "7", Category: "noise", NodeID: "b1", SubmittedAt: start.Add(time.Hour), Reporter: escalation.Reporter{Phone: "139"}},
	} {
		tally.Add(c)
	}
	requireRate(t, tally.Report().Repeat, "2", "7", "repeats: complaint 1 and 7")
}

func TestMetricsOrderIndependenceAndMerge(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	states := escalation.States()
	var cs []escalation.Complaint
	for i := range 500 {
		c := settled(fmt.Sprint(i), []string{"building", "grid", "community"}[rng.IntN(3)],
			time.Duration(rng.IntN(200))*time.Hour,
			[]escalation.Satisfaction{"", escalation.Satisfied, escalation.BasicSatisfied, escalation.Unsatisfied}[rng.IntN(4)],
			rng.IntN(2) == 0)
		c.State = states[rng.IntN(len(states))]
		c.Reporter.PersonID = fmt.Sprint(rng.IntN(50))
		c.SubmittedAt = start.Add(time.Duration(rng.IntN(90*24)) * time.Hour)
		c.Reworks = rng.IntN(2)
		cs = append(cs, c)
	}
	report := func(order []escalation.Complaint) escalation.Report {
		tally, err := escalation.NewTally(escalation.DefaultDefinitions(), "building", "grid", "community")
		require.NoError(t, err)
		for _, c := range order {
			tally.Add(c)
		}
		return tally.Report()
	}
	want := report(cs)
	for range 5 {
		shuffled := append([]escalation.Complaint(nil), cs...)
		rng.Shuffle(len(shuffled), func(i, j int) { shuffled[i], shuffled[j] = shuffled[j], shuffled[i] })
		got := report(shuffled)
		assert.Equal(t, want.String(), got.String())
	}
	for _, rate := range []escalation.Rate{want.Response, want.Resolution, want.Satisfaction, want.OnTime, want.Rework, want.Repeat} {
		assert.False(t, rate.Value().IsNegative())
		assert.True(t, rate.Value().LessThanOrEqual(decimal.NewFromInt(1)), rate.String())
	}
}

func TestDefinitionsValidation(t *testing.T) {
	d := escalation.DefaultDefinitions()
	d.BasicWeight = dec("1.5")
	d.ResponseWeight = dec("0.3")
	d.RepeatWindow = -1
	d.WithinDays = []int{0}
	_, err := escalation.NewTally(d)
	requireFields(t, err, gridgov.ErrInvalid, "BasicWeight", "CompositeWeights", "RepeatWindow", "WithinDays[0]")
}

func TestRankReports(t *testing.T) {
	rep := func(num, den int64) escalation.Report {
		return escalation.Report{Resolution: escalation.Rate{Numerator: decimal.NewFromInt(num), Denominator: decimal.NewFromInt(den)},
			Rework: escalation.Rate{Numerator: decimal.NewFromInt(den - num), Denominator: decimal.NewFromInt(den)}}
	}
	reports := map[string]escalation.Report{
		"c1": rep(9, 10), "c2": rep(90, 100), "c3": rep(95, 100), "c4": rep(0, 0), "c5": rep(9, 10),
	}
	ranked, err := escalation.RankReports(reports, escalation.MeasureResolution)
	require.NoError(t, err)
	var order []string
	for _, r := range ranked {
		order = append(order, fmt.Sprintf("%d:%s", r.Rank, r.NodeID))
	}
	assert.Equal(t, []string{"1:c3", "2:c2", "3:c1", "3:c5", "5:c4"}, order,
		"equal values: more complaints first; fully tied share a rank; undefined last")
	assert.Contains(t, ranked[2].TieBreak, "fewer complaints")
	assert.Contains(t, ranked[3].TieBreak, "tied with c1")

	ranked, err = escalation.RankReports(reports, escalation.MeasureRework)
	require.NoError(t, err)
	assert.Equal(t, "c3", ranked[0].NodeID, "lower rework ranks first")

	_, err = escalation.RankReports(reports, "beauty")
	requireFields(t, err, gridgov.ErrInvalid, "Measure")
}

// Engine.Metrics and Rank count what the store holds for a subtree.
func TestEngineMetricsAndRank(t *testing.T) {
	f := newFixture(t)
	for range 3 {
		c := f.must(f.eng.Sign(ctx, gridWorker, escalation.Step{ID: f.referred().ID}))
		c = f.must(f.eng.Resolve(ctx, gridWorker, escalation.Step{ID: c.ID, Note: "已处理"}))
		c = f.must(f.eng.Verify(ctx, chair, escalation.Step{ID: c.ID}))
		f.must(f.eng.Rate(ctx, resident, escalation.RatingInput{Step: escalation.Step{ID: c.ID}, Satisfaction: escalation.Satisfied, Resolved: true}))
	}
	other := intake()
	other.NodeID = "b2"
	_, err := f.eng.Submit(ctx, resident, other)
	require.NoError(t, err)

	r, err := f.eng.Metrics(ctx, escalation.MetricsQuery{NodeID: "c1"})
	require.NoError(t, err)
	assert.Equal(t, int64(3), r.Total)
	assert.Equal(t, "100.00% (3/3)", r.Satisfaction.String())
	assert.Equal(t, int64(3), r.SettledByTier[0].Count, "settled at the building")
	all, err := f.eng.Metrics(ctx, escalation.MetricsQuery{})
	require.NoError(t, err)
	assert.Equal(t, int64(4), all.Total)
	none, err := f.eng.Metrics(ctx, escalation.MetricsQuery{NodeID: "c1", From: start.Add(time.Hour)})
	require.NoError(t, err)
	assert.Equal(t, int64(0), none.Total)

	ranked, err := f.eng.Rank(ctx, "st", time.Time{}, time.Time{}, escalation.MeasureSatisfaction)
	require.NoError(t, err)
	require.Len(t, ranked, 2)
	assert.Equal(t, "c1", ranked[0].NodeID)
	assert.Equal(t, "c2", ranked[1].NodeID, "no ratings: undefined, last")
}
