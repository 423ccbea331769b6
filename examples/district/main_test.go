package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gridgov/gridgov/escalation"
	"github.com/gridgov/gridgov/evaluation"
	"github.com/gridgov/gridgov/examples/internal/report"
)

// small is a district of two streets, so that the race detector stays quick; the year,
// the sweeper and every step are the same as at -scale 1.
func small(scale int) size {
	return size{Streets: 2 * scale, Communities: 8 * scale, Compounds: 40 * scale, Firms: 12 * scale, Complaints: 900 * scale,
		Budget: 800_000 * int64(scale)}
}

func runSmall(t *testing.T, args ...string) string {
	t.Helper()
	var out, errs bytes.Buffer
	require.NoError(t, runSized(args, &out, &errs, small), errs.String())
	return out.String()
}

// shared is one small year that the tests of its parts share (seed 3), simulated once.
var shared = sync.OnceValues(func() (*outcome, error) {
	opts := report.Options{Seed: 3, Scale: 1, Year: 2026, Lang: report.LangEN, Format: report.FormatTable}
	return simulate(context.Background(), opts, small(1))
})

func simulateSmall(t *testing.T) *outcome {
	t.Helper()
	o, err := shared()
	require.NoError(t, err)
	return o
}

// jsonReport is the part of -format json the tests read.
type jsonReport struct {
	Figures []struct {
		Key   string          `json:"key"`
		Value json.RawMessage `json:"value"`
	} `json:"figures"`
}

func figures(t *testing.T, out string) map[string]string {
	t.Helper()
	var rep jsonReport
	require.NoError(t, json.Unmarshal([]byte(out), &rep))
	m := map[string]string{}
	for _, f := range rep.Figures {
		m[f.Key] = strings.Trim(string(f.Value), `"`)
	}
	return m
}

func TestSizeAtScaleOne(t *testing.T) {
	assert.Equal(t, size{Streets: 6, Communities: 42, Compounds: 300, Firms: 70, Complaints: 7000, Budget: 4_000_000}, sizeFor(1))
	assert.Equal(t, 70_000, sizeFor(10).Complaints)
}

// TestKeyFigures checks the population exactly and the simulated rates within bands.
func TestKeyFigures(t *testing.T) {
	f := figures(t, runSmall(t, "-format", "json"))
	for key, want := range map[string]string{"streets": "2", "communities": "8", "compounds": "40", "firms": "12",
		"complaints": "900", "cycles": "40", "firms_assessed": "12", "budget": "800000.00"} {
		assert.Equal(t, want, f[key], key)
	}
	between := func(key string, lo, hi float64) {
		v, err := decimal.NewFromString(f[key])
		require.NoError(t, err, key)
		assert.True(t, v.InexactFloat64() >= lo && v.InexactFloat64() <= hi, "%s = %s, want %v..%v", key, v, lo, hi)
	}
	between("response_rate", 90, 100)
	between("resolution_rate", 90, 100)
	between("satisfaction_rate", 85, 97)
	between("resolved_within_2d", 40, 70)
	between("resolved_within_7d", 80, 100)
	between("escalated_rate", 40, 70)
	assert.Equal(t, f["planned"], f["paid"], "every planned line is paid")
}

// TestLadder checks the funnel against the engine's own counts.
func TestLadder(t *testing.T) {
	o := simulateSmall(t)
	s := o.stats
	for i := 1; i < tiers; i++ {
		assert.LessOrEqual(t, s.reached[i], s.reached[i-1]+s.reached[tierCompound], "rung %d", i)
	}
	var auto, settled int64
	for i := range tiers {
		auto += s.auto[i]
		settled += s.settled[i]
	}
	assert.Equal(t, int64(o.y.swept.Escalations), auto, "sweeper escalations in the feed")
	assert.Zero(t, s.auto[tierStreet]+s.manual[tierStreet], "nothing escalates beyond the street")
	assert.Positive(t, s.whistles)
	assert.Positive(t, o.y.swept.Warnings)
	assert.Zero(t, o.y.swept.Conflicts)
	assert.Equal(t, s.district.Total, int64(o.w.size.Complaints))
	open := int64(0)
	for _, st := range []escalation.State{escalation.StateReferred, escalation.StateSigned, escalation.StateInProgress} {
		open += s.district.ByState[st]
	}
	assert.Zero(t, open, "the drain settles every matter")
	assert.Equal(t, s.district.ByState[escalation.StateArchived], settled, "settled matters are archived")
	var streets int64
	for _, r := range s.streets {
		streets += r.Total
	}
	assert.Equal(t, s.district.Total, streets)
}

// TestMoney checks the ledger to the fen: the plans are paid in full, the fund never goes
// below zero, and the awards paid are the evaluation's recommendations.
func TestMoney(t *testing.T) {
	o := simulateSmall(t)
	m := o.money
	sum := decimal.Zero
	for _, l := range m.plan.Lines {
		sum = sum.Add(l.Amount)
	}
	assert.True(t, sum.Equal(m.plan.Total))
	assert.True(t, m.actual.Total.Net.Equal(m.plan.Total), "plan paid in full")
	assert.True(t, m.awardActual.Total.Net.Equal(m.awards.Total), "awards paid in full")
	assert.True(t, m.midyear.Total.Net.LessThan(m.plan.Total), "the first tranche does not cover the plan")
	assert.NotEmpty(t, m.january.Failed)
	assert.Empty(t, m.july.Failed)
	assert.True(t, m.left.Equal(m.budget.Sub(m.plan.Total).Sub(m.awards.Total)), "balance = budget - paid")
	assert.False(t, m.left.IsNegative())

	want := map[string]decimal.Decimal{}
	for _, a := range append(o.end.commAwards, o.end.firmAwards...) {
		want[a.RecipientID] = a.Amount
	}
	require.NotEmpty(t, want)
	require.Len(t, m.awards.Lines, len(want))
	for _, l := range m.awards.Lines {
		assert.True(t, want[l.RecipientID].Equal(l.Amount), "award to %s", l.RecipientID)
	}
	assert.True(t, evaluation.Total(o.end.commAwards).Add(evaluation.Total(o.end.firmAwards)).LessThanOrEqual(awardReserve()))
}

func TestEvaluation(t *testing.T) {
	o := simulateSmall(t)
	e := o.end
	assert.Equal(t, len(o.w.Compounds), e.cycles)
	require.Len(t, e.firms, len(o.w.Firms))
	for i := 1; i < len(e.firms); i++ {
		assert.True(t, e.firms[i-1].Score.GreaterThanOrEqual(e.firms[i].Score))
	}
	flagged := map[string]bool{}
	for _, f := range e.flags {
		flagged[f.SubjectID] = true
		assert.NotEmpty(t, f.Reasons)
	}
	for _, a := range e.firmAwards {
		assert.False(t, flagged[a.RecipientID], "an award to a firm flagged for clearance")
	}
	assert.NotEmpty(t, e.commAwards)
	assert.LessOrEqual(t, len(e.commAwards), 5, "Jiaocheng rewards at most five communities")
	for _, a := range e.commAwards {
		assert.Contains(t, []string{"优秀", "良好"}, a.Grade)
	}
}

func TestStableForSeed(t *testing.T) {
	a := runSmall(t, "-seed", "11", "-format", "csv")
	b := runSmall(t, "-seed", "11", "-format", "csv")
	assert.Equal(t, a, b)
	c := runSmall(t, "-seed", "12", "-format", "csv")
	assert.NotEqual(t, a, c)
}

func TestOut(t *testing.T) {
	dir := t.TempDir()
	runSmall(t, "-lang", "en", "-out", dir)
	for _, f := range []string{"report.txt", "figures.csv", "streets.csv", "funnel.csv", "budget.csv", "plan_vs_actual.csv",
		"firms_top.csv", "firms_bottom.csv", "clearance.csv", "awards.csv",
		"funnel.svg", "three_rates.svg", "budget.svg", "scores.svg"} {
		info, err := os.Stat(filepath.Join(dir, f))
		if assert.NoError(t, err, f) {
			assert.Positive(t, info.Size(), f)
		}
	}
}

func TestBadFlags(t *testing.T) {
	for _, args := range [][]string{{"-scale", "0"}, {"-format", "xml"}, {"-lang", "fr"}, {"-nope"}} {
		var out, errs bytes.Buffer
		assert.Error(t, run(args, &out, &errs), "%v", args)
	}
}

// BenchmarkDistrict simulates one year of the district at -scale 1: the tree, 7,000
// complaints with the sweeper every 30 minutes, funding and the year-end evaluations.
func BenchmarkDistrict(b *testing.B) {
	opts := report.Options{Seed: 1, Scale: 1, Year: 2026, Lang: report.LangEN, Format: report.FormatTable}
	for b.Loop() {
		if _, err := simulate(context.Background(), opts, sizeFor(1)); err != nil {
			b.Fatal(err)
		}
	}
}

// The key figures of a small district's year, as CSV.
func Example() {
	var out bytes.Buffer
	if err := runSized([]string{"-format", "csv", "-lang", "en"}, &out, os.Stderr, small); err != nil {
		fmt.Println(err)
		return
	}
	for _, line := range strings.Split(out.String(), "\n") {
		for _, key := range []string{"streets,", "communities,", "compounds,", "firms,", "complaints,", "budget,"} {
			if strings.HasPrefix(line, key) {
				fmt.Println(line)
			}
		}
	}
	// Output:
	// streets,streets,2,
	// communities,communities,8,
	// compounds,compounds,40,
	// firms,property firms,12,
	// complaints,complaints received,900,
	// budget,special fund budget,800000.00,
}

// TestScaleOne checks the published population at -scale 1 (skipped with -short).
func TestScaleOne(t *testing.T) {
	if testing.Short() {
		t.Skip("a whole district's year")
	}
	var out, errs bytes.Buffer
	require.NoError(t, run([]string{"-format", "json"}, &out, &errs), errs.String())
	f := figures(t, out.String())
	for key, want := range map[string]string{"streets": "6", "communities": "42", "compounds": "300", "firms": "70",
		"complaints": "7000", "cycles": "300", "budget": "4000000.00", "planned": f["paid"]} {
		assert.Equal(t, want, f[key], key)
	}
	assert.NotEqual(t, "0", f["clearance"], "the bottom firms with poor satisfaction are flagged")
	assert.Equal(t, "130000.00", f["awards"], "five communities and three firms awarded")
}
