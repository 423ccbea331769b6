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

	"github.com/gridgov/gridgov/examples/internal/report/reporttest"
	"github.com/gridgov/gridgov/examples/internal/sim"
)

func runJSON(t *testing.T, args ...string) reporttest.Output {
	t.Helper()
	return reporttest.Decode(t, reporttest.Run(t, run, append([]string{"-format", "json"}, args...)...))
}

// TestJiaochengFigures checks the published figures at scale 1: the 1+1+N matrix exactly,
// the rules' totals to the fen, the ledger's balance, and the simulated share of property
// problems resolved within 2 days against 85% (a simulated rate: 85 ± 2.5 points).
func TestJiaochengFigures(t *testing.T) {
	o := runJSON(t, "-lang", "en")

	m := o.Table(t, "matrix")
	total := m[len(m)-1]
	for key, want := range map[string]float64{"centres": 4, "community_centres": 48, "stations": 57, "pilots": 20,
		"new": 23, "three_no": 34, "firms": 23} {
		assert.Equal(t, want, total[key], key)
	}

	budget := o.Decimal(t, "budget")
	assert.Equal(t, "4000000.00", budget.StringFixed(2))
	planned, paid, left := o.Decimal(t, "planned"), o.Decimal(t, "paid"), o.Decimal(t, "fund_balance")
	assert.True(t, planned.Equal(paid), "every line paid: %s vs %s", planned, paid)
	assert.True(t, paid.Add(left).Equal(budget), "paid + balance = budget")
	assert.True(t, planned.LessThanOrEqual(budget))
	assert.False(t, left.IsNegative())

	byRule := map[string]decimal.Decimal{}
	sum := decimal.Zero
	for _, row := range o.Table(t, "plan_by_rule")[:len(ruleNames)] {
		byRule[fmt.Sprint(row["rule"])] = reporttest.Dec(t, row["amount"])
		sum = sum.Add(reporttest.Dec(t, row["amount"]))
	}
	assert.True(t, sum.Equal(planned), "rules sum to the plan")
	// 57 branches × ¥2,000; 55 secretaries × 12 × ¥200 + 7 months + 9 + 3 months (the one
	// appointed on 1 June, the one replaced on 1 October and the successor); 12 × ¥1,000;
	// 30,000 + 2 × 20,000 + 2 × 10,000.
	assert.Equal(t, "114000.00", byRule["Compound Party-branch working funds"].StringFixed(2))
	assert.Equal(t, "135800.00", byRule["Branch secretary stipends"].StringFixed(2))
	assert.Equal(t, "12000.00", byRule["Retired-members' branch committee"].StringFixed(2))
	assert.Equal(t, "90000.00", byRule["Outstanding community awards"].StringFixed(2))

	lines := 0
	for _, row := range o.Table(t, "plan_lines") {
		amt := reporttest.Dec(t, row["amount"])
		assert.True(t, amt.Equal(reporttest.Dec(t, row["paid"])), "line %v paid in full", row["line"])
		switch row["rule"] {
		case "startup":
			lines++
			assert.True(t, amt.GreaterThanOrEqual(decimal.NewFromInt(100000)) && amt.LessThanOrEqual(decimal.NewFromInt(150000)), "start-up grant %s", amt)
		case "stipend":
			assert.True(t, amt.Mod(decimal.NewFromInt(200)).IsZero(), "whole months at ¥200: %s", amt)
		case "award":
			assert.True(t, amt.GreaterThanOrEqual(decimal.NewFromInt(10000)) && amt.LessThanOrEqual(decimal.NewFromInt(30000)))
		}
		assert.Equal(t, int32(-2), amt.Exponent(), "to the fen")
	}
	assert.Equal(t, 20, lines, "one start-up grant per pilot community")

	share := o.Decimal(t, "resolved_within_2d")
	assert.InDelta(t, 85, share.InexactFloat64(), 2.5, "share resolved within 2 days, %s%%", share)
	assert.Equal(t, int64(1200), o.Decimal(t, "property_complaints").IntPart())
	assert.Positive(t, o.Decimal(t, "whistles").IntPart())
	for _, row := range o.Table(t, "five_parties") {
		assert.Equal(t, row["summoned"], row["reported"], "every summoned party reported: %v", row["party"])
	}
}

// TestScaleMultipliesMoney checks that -scale 2 doubles the fixed rules exactly.
func TestScaleMultipliesMoney(t *testing.T) {
	if testing.Short() {
		t.Skip("a second full run")
	}
	o := runJSON(t, "-lang", "en", "-scale", "2")
	assert.Equal(t, "8000000.00", o.Decimal(t, "budget").StringFixed(2))
	rows := o.Table(t, "plan_by_rule")
	assert.Equal(t, "228000.00", reporttest.Dec(t, rows[1]["amount"]).StringFixed(2))
	assert.Equal(t, "271600.00", reporttest.Dec(t, rows[2]["amount"]).StringFixed(2))
	assert.Equal(t, "24000.00", reporttest.Dec(t, rows[3]["amount"]).StringFixed(2))
	assert.Equal(t, "180000.00", reporttest.Dec(t, rows[4]["amount"]).StringFixed(2))
	assert.Equal(t, int64(2400), o.Decimal(t, "property_complaints").IntPart())
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
	require.NoError(t, run([]string{"-out", dir, "-lang", "en", "-format", "csv"}, &out, &out))
	for _, f := range []string{"report.csv", "figures.csv", "matrix.csv", "plan_by_rule.csv", "plan_lines.csv",
		"response_by_street.csv", "five_parties.csv", "budget_by_rule.svg", "resolved_within_2d.svg"} {
		b, err := os.ReadFile(filepath.Join(dir, f))
		require.NoError(t, err, f)
		assert.NotEmpty(t, b, f)
	}
	svg, err := os.ReadFile(filepath.Join(dir, "resolved_within_2d.svg"))
	require.NoError(t, err)
	assert.Contains(t, string(svg), "Target 85%")
}

func TestBadFlags(t *testing.T) {
	for _, args := range [][]string{{"-scale", "0"}, {"-lang", "fr"}, {"-format", "xml"}, {"-nope"}} {
		var out bytes.Buffer
		assert.Error(t, run(args, &out, &out), "%v", args)
	}
}

// TestLedgerNeverOverdraws pays the plan a second time: every line is already paid, and the
// fund's balance does not move.
func TestLedgerNeverOverdraws(t *testing.T) {
	ctx := context.Background()
	r := sim.Rand(3)
	w, err := buildWorld(ctx, r, 1, 2026)
	require.NoError(t, err)
	out, err := simulate(ctx, w, r, 1, 2026)
	require.NoError(t, err)
	m, err := fund(ctx, w, out, 1, 2026)
	require.NoError(t, err)
	assert.Len(t, m.paid.Paid, len(m.plan.Lines))
	assert.True(t, m.balance.Add(m.paid.PaidTotal).Equal(m.budget))
	assert.True(t, m.actual.Total.Net.Equal(m.plan.Total))
	assert.Equal(t, "1.0000", m.actual.Total.Utilisation.StringFixed(4))
}

// Example runs the program and prints its key figures as CSV.
func Example() {
	var out bytes.Buffer
	if err := run([]string{"-format", "csv", "-lang", "en"}, &out, &out); err != nil {
		fmt.Println(err)
		return
	}
	for _, line := range strings.Split(out.String(), "\n")[1:8] {
		fmt.Println(line)
	}
	// Output:
	// budget,Special fund (district finance),4000000.00,4000000.00
	// planned,Planned by the rules,2936799.98,
	// paid,Paid through the ledger,2936799.98,
	// fund_balance,Left in the fund,1063200.02,
	// property_complaints,Property complaints,1200,
	// resolved_within_2d,Resolved within 2 days,86.25,85.00
	// response_rate,Response rate,95.75,
}
