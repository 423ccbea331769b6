// Command district replays a whole district's year of grid governance (网格化治理) on the
// in-memory store, the way the five local practices describe it, and prints the annual
// report (年度报告).
//
// The district (about 6 streets, 42 communities, 300 compounds with their grids and
// buildings, 70 property firms at -scale 1) is built on the street → community → compound
// → grid → building ladder, with a Party working committee per street, a Party committee
// and residents' committee per community, a Party branch and an owners' committee (or a
// property management committee acting in its place) per compound, and a grid worker per
// grid. About 7,000 complaints a year flow through Xiangshan's escalation ladder
// (escalation.LadderPolicy) on the mainland China working calendar: units accept, refer,
// sign for, escalate and resolve; the sweeper runs every 30 simulated minutes and escalates
// what is late; the street blows the whistle on the matters only it can settle; residents
// rate on the call-back. The special fund's plan (start-up grants, working funds, stipends
// with a floor, a capped retired-branch allowance) is paid through the ledger in two
// tranches; at year end every compound holds its one report, two evaluations (一述双评), the
// housing bureau ranks the firms, flags the bottom for clearance (清退) and, with the
// community ranking, selects the excellent, whose awards the fund then plans and pays.
//
//	go run ./examples/district                      # the annual report, Chinese labels
//	go run ./examples/district -lang en -out out    # English, tables as CSV and charts as SVG in out/
//	go run ./examples/district -scale 10 -format json
//
// Output is deterministic for a given -seed, -scale and -year.
package main

import (
	"context"
	"io"
	"time"

	"github.com/gridgov/gridgov/examples/internal/report"
	"github.com/gridgov/gridgov/examples/internal/sim"
)

// name is the program's name: it heads usage and names the files -out writes.
const name = "district"

// main runs the program with the process's arguments.
func main() { report.Main(name, run) }

// run parses the flags, simulates the year and writes the report.
func run(args []string, stdout, stderr io.Writer) error {
	return runSized(args, stdout, stderr, sizeFor)
}

// runSized is run with the population at a scale given by sizing (tests use a smaller
// district so that the race detector stays quick).
func runSized(args []string, stdout, stderr io.Writer, sizing func(scale int) size) error {
	return report.Run(name, args, stdout, stderr, func(ctx context.Context, opts report.Options) (*report.Report, error) {
		out, err := simulate(ctx, opts, sizing(opts.Scale))
		if err != nil {
			return nil, err
		}
		return out.report(opts), nil
	})
}

// outcome is everything the year produced that the report shows.
type outcome struct {
	w     *world
	y     *year
	money *money
	end   *yearEnd
	stats *ladderStats
}

// simulate builds the district and plays the year: funding in January and July,
// complaints all year with the sweeper, the evaluations and awards after it.
func simulate(ctx context.Context, opts report.Options, sz size) (*outcome, error) {
	r := sim.Rand(opts.Seed)
	w, err := buildWorld(ctx, sz, opts.Year, r)
	if err != nil {
		return nil, err
	}
	y, err := newYear(w, opts.Year, r)
	if err != nil {
		return nil, err
	}
	out := &outcome{w: w, y: y}
	y.hooks = []hook{
		{at: y.start.AddDate(0, 0, 4).Add(9 * time.Hour), do: func(ctx context.Context) error {
			out.money, err = openFunds(ctx, w, opts.Year)
			return err
		}},
		{at: secondTrancheAt(opts.Year), do: func(ctx context.Context) error { return out.money.secondTranche(ctx, w) }},
	}
	if err := y.run(ctx); err != nil {
		return nil, err
	}
	if out.stats, err = y.ladder(ctx); err != nil {
		return nil, err
	}
	if out.end, err = y.evaluate(ctx); err != nil {
		return nil, err
	}
	if err := out.money.award(ctx, w, opts.Year, out.end); err != nil {
		return nil, err
	}
	return out, nil
}
