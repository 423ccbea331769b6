// Command xiangshan replays Xiangshan, Huaibei's Party-led grid governance (党建引领网格化治理)
// for a year on the in-memory store (DESIGN.md §2):
//
//   - the three-level Party organisation (community Party organisation → compound/grid Party
//     branch → building Party group) with 292 compound/grid Party organisations;
//   - coverage: 249 red owners' committees + 43 property management committees acting in
//     their place = 292 compounds; 81 property firms = 34 with their own Party branch + 47
//     with an appointed Party-building instructor; cross-appointment between branch and
//     committee (双向进入、交叉任职) and "one shoulder" (一肩挑);
//   - the building → grid → community → street ladder (escalation.LadderPolicy) with the
//     closed loop 网格召集—分级转办—问题处置—核查反馈—评议归档 on a simulated clock and the
//     mainland working calendar, the sweeper escalating what is late, and where matters
//     were settled (隐患消解在网格、小事化解在社区、大事解决在街道);
//   - grid points (网格积分) earned by branch and committee members and redeemed for services
//     and goods, lapsing after twelve months;
//   - the yearly one report, two evaluations (一述双评): committees evaluated and published,
//     firms evaluated by the compound Party branch and ranked by the housing bureau; 16 firms
//     flagged for clearance under the stated rule "bottom 20% of the ranking AND resident
//     satisfaction below 80%".
//
// The counts are exact at -scale 1 and multiplied by -scale; the complaint flow, the points
// and the marks are simulated (see README.md for the calibration).
//
//	go run ./examples/xiangshan                      # text report in Chinese
//	go run ./examples/xiangshan -lang en -out /tmp/xs # English, plus CSV tables and SVG charts
//	go run ./examples/xiangshan -format json -seed 7
package main

import (
	"context"
	"io"

	"github.com/gridgov/gridgov/examples/internal/report"
	"github.com/gridgov/gridgov/examples/internal/sim"
)

func main() { report.Main("xiangshan", run) }

// run parses the flags, simulates the year and writes the report to stdout (and to files
// under -out); usage and flag errors go to stderr.
func run(args []string, stdout, stderr io.Writer) error {
	return report.Run("xiangshan", args, stdout, stderr, simulate)
}

// simulate builds the district, runs the ladder, the grid points and the yearly
// evaluation, drawing from one random source in that order, and returns the report.
func simulate(ctx context.Context, opts report.Options) (*report.Report, error) {
	rng := sim.Rand(opts.Seed)
	w, err := buildWorld(ctx, rng, opts.Year, opts.Scale)
	if err != nil {
		return nil, err
	}
	lr, err := runLadder(ctx, w, rng, opts.Year)
	if err != nil {
		return nil, err
	}
	pr, err := runPoints(ctx, w, rng, opts.Year)
	if err != nil {
		return nil, err
	}
	er, err := runEvaluation(ctx, w, lr, rng, opts.Year)
	if err != nil {
		return nil, err
	}
	return results{w: w, ladder: lr, points: pr, eval: er}.build(ctx, opts)
}
