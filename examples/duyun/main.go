// Command duyun replays a year of Duyun's "five-ised communities" (五化社区, DESIGN.md §2) on
// the in-memory store.
//
// The organisation tree is the five-level Party chain (governance.FiveLevelChain): street
// Party working committee → community Party committee → compound Party branch → grid Party
// group → Party-member household liaison (联户长, "ten households"), under the city. At the
// start of the year the 26 communities are re-drawn into 45 (区划调整): two small ones are
// merged into a neighbour and retired, 21 large ones are split, and every move and
// retirement stays in the nodes' history (沿革). Party members are counted in their five
// categories (in-service, retired, mobile, resident, SOE-socialised).
//
// Matters then follow the Duyun work flow: the grid discovers (网格发现) and handles what it
// can, the community collects (社区汇总) what the grid cannot, the street blows the whistle
// (街道吹哨) and the parties of the responsibility list report (报到), tier by tier through
// the escalation engine with its sweeper on the working calendar. At year end each
// property firm gets a credit grade (AAA…C, evaluation.CreditBands) from a credit scheme fed
// by the complaint metrics of the compounds it serves; a firm that walked out of its
// compounds is vetoed, and the community takes them over with its own firm (社区自办物业).
//
//	go run ./examples/duyun                        # table, Chinese labels
//	go run ./examples/duyun -lang en -out /tmp/dy  # also CSV tables and SVG charts
//	go run ./examples/duyun -format json -seed 7 -scale 2
//
// Output is deterministic for a given -seed, -scale and -year.
package main

import (
	"context"
	"io"

	"github.com/gridgov/gridgov/examples/internal/report"
	"github.com/gridgov/gridgov/examples/internal/sim"
)

const name = "duyun"

func main() { report.Main(name, run) }

// run parses the flags, replays the year and writes the report to stdout (and to files
// under -out); usage and flag errors go to stderr.
func run(args []string, stdout, stderr io.Writer) error {
	return report.Run(name, args, stdout, stderr, replay)
}

// replay builds the district, re-draws its communities, runs the year, grades the firms
// and returns the report.
func replay(ctx context.Context, opts report.Options) (*report.Report, error) {
	r := sim.Rand(opts.Seed)
	w, err := buildWorld(ctx, r, opts.Scale, opts.Year)
	if err != nil {
		return nil, err
	}
	if err := redistrictAll(ctx, w, r, opts.Scale); err != nil {
		return nil, err
	}
	out, err := simulate(ctx, w, r, opts.Scale, opts.Year)
	if err != nil {
		return nil, err
	}
	grades, err := grade(ctx, w, out, r)
	if err != nil {
		return nil, err
	}
	takeovers, err := takeOver(ctx, w, grades)
	if err != nil {
		return nil, err
	}
	return build(ctx, opts, w, out, grades, takeovers)
}
