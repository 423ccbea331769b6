package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gridgov/gridgov/evaluation"
	"github.com/gridgov/gridgov/examples/internal/report/reporttest"
	"github.com/gridgov/gridgov/examples/internal/sim"
	"github.com/gridgov/gridgov/governance"
)

func runJSON(t *testing.T, args ...string) reporttest.Output {
	t.Helper()
	return reporttest.Decode(t, reporttest.Run(t, run, append([]string{"-format", "json", "-lang", "en"}, args...)...))
}

// TestDuyunFigures checks the published figures at scale 1 (26 communities re-drawn into
// 45, the five-level chain) and the consistency of the flow and the grades.
func TestDuyunFigures(t *testing.T) {
	o := runJSON(t)
	assert.Equal(t, 26.0, o.Figure(t, "communities_before"))
	assert.Equal(t, 45.0, o.Figure(t, "communities_after"))
	assert.Equal(t, 21.0, o.Figure(t, "communities_created"))
	assert.Equal(t, 2.0, o.Figure(t, "communities_retired"))

	chain := o.Table(t, "chain")
	require.Len(t, chain, 5, "five levels")
	assert.Equal(t, 3.0, chain[0]["nodes"])
	assert.Equal(t, 45.0, chain[1]["nodes"])
	assert.Equal(t, chain[2]["nodes"].(float64)*gridsPerCompd, chain[3]["nodes"])
	assert.Equal(t, chain[3]["nodes"].(float64)*liaisonsPerGrid, chain[4]["nodes"])
	rd := o.Table(t, "redistricting")
	total := rd[len(rd)-1]
	assert.Equal(t, []any{26.0, 2.0, 21.0, 45.0}, []any{total["before"], total["retired"], total["created"], total["after"]})
	assert.Equal(t, chain[2]["nodes"], total["compounds"], "every compound in exactly one community")

	tiersRows := o.Table(t, "tiers")
	require.Len(t, tiersRows, tiers)
	settled := 0.0
	for _, r := range tiersRows {
		settled += r["settled"].(float64)
	}
	assert.Equal(t, o.Figure(t, "matters"), settled, "every matter settled somewhere")
	assert.Equal(t, tiersRows[2]["reached"], o.Figure(t, "whistles"), "every matter at the street is whistled")
	assert.Positive(t, o.Figure(t, "whistles"))

	firms := o.Table(t, "firms")
	assert.Equal(t, o.Figure(t, "firms_graded"), float64(len(firms)))
	bands := evaluation.CreditBands()
	for _, f := range firms {
		score := decimal.RequireFromString(fmt.Sprint(f["score"]))
		want := bands.Grade(score).Grade
		if f["veto"] != "" {
			want = bands.Lowest().Grade
		}
		assert.Equal(t, want, f["grade"], "firm %v score %s", f["firm"], score)
	}
	n := 0.0
	for _, g := range o.Table(t, "grades") {
		n += g["firms"].(float64)
	}
	assert.Equal(t, float64(len(firms)), n)
}

// TestRedistrictingKeepsHistory checks the tree after the re-districting: retired
// communities stay resolvable with their history, moves name the old and the new parent,
// and every compound has one active community and a property firm that serves it.
func TestRedistrictingKeepsHistory(t *testing.T) {
	ctx := context.Background()
	r := sim.Rand(2)
	w, err := buildWorld(ctx, r, 1, 2026)
	require.NoError(t, err)
	require.NoError(t, redistrictAll(ctx, w, r, 1))
	active, retired := 0, 0
	for _, c := range w.communities {
		n, err := w.reg.Node(ctx, c.id)
		require.NoError(t, err, "retired nodes stay resolvable")
		assert.Equal(t, c.retired, n.Retired)
		if n.Retired {
			retired++
			h, err := w.reg.History(ctx, c.id)
			require.NoError(t, err)
			assert.Equal(t, governance.ChangeRetired, h[len(h)-1].Kind)
		} else {
			active++
		}
	}
	assert.Equal(t, 45, active)
	assert.Equal(t, 2, retired)
	moved := 0
	for _, cp := range w.compounds {
		n, err := w.reg.Node(ctx, cp.id)
		require.NoError(t, err)
		assert.Equal(t, w.communities[cp.community].id, n.ParentID)
		assert.False(t, w.communities[cp.community].retired)
		h, err := w.reg.History(ctx, cp.id)
		require.NoError(t, err)
		for _, ch := range h[1:] { // after "created", only moves
			assert.NotEqual(t, ch.From, ch.To)
			moved++
		}
		orgs, err := w.reg.ServedBy(ctx, cp.id)
		require.NoError(t, err)
		assert.NotEmpty(t, orgs, "compound %s has a firm", cp.id)
	}
	assert.Equal(t, w.redistrict.moved, moved, "every move is in the history")
}

// TestScaleMultiplies re-districts two units: 52 communities into 90.
func TestScaleMultiplies(t *testing.T) {
	ctx := context.Background()
	r := sim.Rand(1)
	w, err := buildWorld(ctx, r, 2, 2026)
	require.NoError(t, err)
	require.NoError(t, redistrictAll(ctx, w, r, 2))
	assert.Equal(t, 52, w.redistrict.before)
	assert.Equal(t, 90, w.redistrict.after)
	assert.Len(t, w.streets, 6)
}

func TestDeterministicForSeed(t *testing.T) {
	text := func(args ...string) string {
		var out bytes.Buffer
		require.NoError(t, run(args, &out, &out))
		return out.String()
	}
	a := text("-seed", "7")
	assert.Equal(t, a, text("-seed", "7"))
	assert.NotEqual(t, a, text("-seed", "8"))
}

func TestOutWritesFiles(t *testing.T) {
	dir := t.TempDir()
	var out bytes.Buffer
	require.NoError(t, run([]string{"-out", dir, "-lang", "en"}, &out, &out))
	for _, f := range []string{"report.txt", "figures.csv", "chain.csv", "redistricting.csv", "history.csv",
		"party_members.csv", "tiers.csv", "rates_by_street.csv", "grades.csv", "firms.csv", "takeovers.csv",
		"funnel.svg", "rates_by_street.svg", "credit_grades.svg", "credit_scores.svg"} {
		b, err := os.ReadFile(filepath.Join(dir, f))
		require.NoError(t, err, f)
		assert.NotEmpty(t, b, f)
	}
}

func TestBadFlags(t *testing.T) {
	for _, args := range [][]string{{"-scale", "0"}, {"-lang", "fr"}, {"-format", "xml"}, {"-nope"}} {
		var out bytes.Buffer
		assert.Error(t, run(args, &out, &out), "%v", args)
	}
}

// Example runs the program and prints the re-districting figures as CSV.
func Example() {
	var out bytes.Buffer
	if err := run([]string{"-format", "csv", "-lang", "en"}, &out, &out); err != nil {
		fmt.Println(err)
		return
	}
	for _, line := range strings.Split(out.String(), "\n")[1:5] {
		fmt.Println(line)
	}
	// Output:
	// communities_before,Communities before re-districting,26,26
	// communities_after,Communities after re-districting,45,45
	// communities_created,Communities created,21,
	// communities_retired,Communities merged and retired,2,
}
