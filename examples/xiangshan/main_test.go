package main

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gridgov/gridgov/examples/internal/report/reporttest"
)

// runArgs runs the program with args and returns its output.
func runArgs(t *testing.T, args ...string) string {
	t.Helper()
	return reporttest.Run(t, run, args...)
}

// seed1 is the JSON output for seed 1 at scale 1, run once for the tests that read it.
var seed1 = sync.OnceValues(func() (string, error) {
	var out, errs bytes.Buffer
	err := run([]string{"-format", "json"}, &out, &errs)
	return out.String(), err
})

// TestXiangshanFigures checks the published figures at scale 1: they are exact.
func TestXiangshanFigures(t *testing.T) {
	s, err := seed1()
	require.NoError(t, err)
	o := reporttest.Decode(t, s)
	for key, want := range map[string]float64{
		"compound_party_orgs": 292, "red_owners_committees": 249, "management_committees": 43,
		"property_firms": 81, "firms_with_branch": 34, "firms_with_instructor": 47, "firms_flagged": 16,
	} {
		assert.Equal(t, want, o.Figure(t, key), key)
	}
	assert.Equal(t, "100.00", o.Figure(t, "committee_coverage"))
	assert.Contains(t, o.Figure(t, "clearance_rule"), "后20%")

	district := o.Table(t, "coverage")
	last := district[len(district)-1]
	assert.Equal(t, float64(0), last["without_committee"])
	assert.Equal(t, float64(0), last["firms_with_neither"])

	// Every flagged firm is in the bottom 20% (ranks 65 to 81 of 81) with satisfaction below
	// 80%, and every firm so placed is flagged.
	flagged := 0
	for _, r := range o.Table(t, "firm_ranking") {
		rank := r["rank"].(float64)
		var sat float64
		_, err := fmt.Sscan(r["satisfaction"].(string), &sat)
		require.NoError(t, err)
		want := rank > 81-17 && sat < 80
		assert.Equal(t, want, r["flagged"], "rank %v satisfaction %v", rank, sat)
		if r["flagged"] == true {
			flagged++
		}
	}
	assert.Equal(t, 16, flagged)
}

// TestLadder checks the closed loop: every matter is archived, the shares of the tiers add
// up to 100% and follow the ladder's calibration within stated tolerances.
func TestLadder(t *testing.T) {
	s, err := seed1()
	require.NoError(t, err)
	o := reporttest.Decode(t, s)
	total := o.Figure(t, "complaints").(float64)
	assert.InDelta(t, 292*4, total, 150, "about four matters per compound")
	var settled float64
	for _, r := range o.Table(t, "ladder") {
		settled += r["settled"].(float64)
	}
	assert.Equal(t, total, settled, "every matter settled at some tier")
	share := func(key string) float64 {
		var f float64
		_, err := fmt.Sscan(o.Figure(t, key).(string), &f)
		require.NoError(t, err)
		return f
	}
	// Planned 30/45/18/7; the sweeper moves neglected and slow matters up a tier.
	assert.InDelta(t, 28, share("settled_building"), 5)
	assert.InDelta(t, 45, share("settled_compound"), 5)
	assert.InDelta(t, 16, share("settled_community"), 5)
	assert.InDelta(t, 10, share("settled_street"), 5)
	loop := o.Table(t, "closed_loop")
	assert.Equal(t, total, loop[len(loop)-2]["count"], "every matter rated and archived")
}

// TestStableForSeed checks that a seed gives the same output, that -out writes the
// tables and charts, and that another seed differs but keeps the exact figures.
func TestStableForSeed(t *testing.T) {
	s, err := seed1()
	require.NoError(t, err)
	dir := t.TempDir()
	assert.Equal(t, s, runArgs(t, "-format", "json", "-out", dir))
	for _, f := range []string{"report.json", "figures.csv", "coverage.csv", "ladder.csv", "firm_ranking.csv", "clearance.csv",
		"grid_points.csv", "settled_by_tier.svg", "score_distribution.svg", "coverage.svg"} {
		b, err := os.ReadFile(filepath.Join(dir, f))
		require.NoError(t, err, f)
		assert.NotEmpty(t, b, f)
	}
	svg, err := os.ReadFile(filepath.Join(dir, "score_distribution.svg"))
	require.NoError(t, err)
	assert.True(t, strings.HasPrefix(string(svg), "<?xml") || strings.Contains(string(svg), "<svg"))

	other := runArgs(t, "-format", "json", "-seed", "2")
	assert.NotEqual(t, s, other)
	o := reporttest.Decode(t, other)
	assert.Equal(t, float64(16), o.Figure(t, "firms_flagged"))
	assert.Equal(t, float64(249), o.Figure(t, "red_owners_committees"))
}

// TestBadFlags checks that bad flags are errors.
func TestBadFlags(t *testing.T) {
	for _, args := range [][]string{{"-scale", "0"}, {"-lang", "fr"}, {"-format", "xml"}, {"-nope"}, {"extra"}} {
		var out bytes.Buffer
		assert.Error(t, run(args, &out, &out), "%v", args)
	}
}

// The key figures as CSV, in English.
func Example() {
	var out bytes.Buffer
	if err := run([]string{"-format", "csv", "-lang", "en"}, &out, os.Stderr); err != nil {
		fmt.Println(err)
		return
	}
	for _, line := range strings.Split(out.String(), "\n") {
		for _, key := range []string{"compound_party_orgs,", "red_owners_committees,", "management_committees,",
			"firms_with_branch,", "firms_with_instructor,", "clearance_rule,", "firms_flagged,"} {
			if strings.HasPrefix(line, key) {
				fmt.Println(line)
			}
		}
	}
	// Output:
	// compound_party_orgs,compound/grid Party organisations,292,292
	// red_owners_committees,red owners' committees,249,249
	// management_committees,property management committees,43,43
	// firms_with_branch,firms with their own Party branch,34,34
	// firms_with_instructor,firms with a Party-building instructor,47,47
	// clearance_rule,clearance rule,bottom 20% of the ranking AND resident satisfaction < 80%,
	// firms_flagged,firms flagged for clearance,16,16
}
