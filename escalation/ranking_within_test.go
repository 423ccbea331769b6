package escalation_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gridgov/gridgov"
	"github.com/gridgov/gridgov/escalation"
)

func TestWithinMeasureRanksByShareResolvedWithinDays(t *testing.T) {
	within := func(days int, num, den int64) escalation.Report {
		return escalation.Report{Within: []escalation.WithinDays{
			{Days: days, Rate: escalation.Rate{Numerator: decimal.NewFromInt(num), Denominator: decimal.NewFromInt(den)}}}}
	}
	reports := map[string]escalation.Report{
		"c1": within(2, 80, 100), "c2": within(2, 86, 100), "c3": within(7, 99, 100), "c4": within(2, 0, 0),
	}
	m := escalation.WithinMeasure(2)
	assert.Equal(t, escalation.Measure("within_2d"), m)
	assert.Equal(t, "2日内解决率", m.NameZH())
	assert.False(t, m.LowerIsBetter())

	v, den, ok := within(2, 86, 100).Value(m)
	require.True(t, ok)
	assert.True(t, v.Equal(decimal.RequireFromString("0.86")), v.String())
	assert.True(t, den.Equal(decimal.NewFromInt(100)))

	ranked, err := escalation.RankReports(reports, m)
	require.NoError(t, err)
	var order []string
	for _, r := range ranked {
		order = append(order, fmt.Sprintf("%d:%s", r.Rank, r.NodeID))
	}
	assert.Equal(t, []string{"1:c2", "2:c1", "3:c3", "3:c4"}, order,
		"a report without the 2-day figure ranks as undefined, with no complaints behind it")

	for _, bad := range []escalation.Measure{"within_0d", "within_-1d", "within_02d", "within_2dx", "within_d", "within"} {
		_, err := escalation.RankReports(reports, bad)
		requireFields(t, err, gridgov.ErrInvalid, "Measure")
	}
}

// Engine.Metrics with NodeIDs counts several subtrees together, each complaint once.
func TestMetricsOverSeveralSubtrees(t *testing.T) {
	f := newFixture(t)
	for _, node := range []string{"b1", "b3", "b2", "b2"} {
		in := intake()
		in.NodeID = node
		_, err := f.eng.Submit(ctx, resident, in)
		require.NoError(t, err)
		f.clock.Advance(time.Minute)
	}
	for _, c := range []struct {
		q    escalation.MetricsQuery
		want int64
	}{
		{escalation.MetricsQuery{NodeIDs: []string{"b1", "b2"}}, 3},
		{escalation.MetricsQuery{NodeIDs: []string{"g1", "b1"}}, 2},
		{escalation.MetricsQuery{NodeID: "c2", NodeIDs: []string{"b1"}}, 3},
		{escalation.MetricsQuery{NodeID: "st", NodeIDs: []string{"c1", "b2"}}, 4},
		{escalation.MetricsQuery{NodeIDs: []string{"b3"}}, 1},
		{escalation.MetricsQuery{NodeIDs: []string{"b1", "b2"}, From: start.Add(time.Minute)}, 2},
	} {
		r, err := f.eng.Metrics(ctx, c.q)
		require.NoError(t, err)
		assert.Equal(t, c.want, r.Total, "%+v", c.q)
	}
}
