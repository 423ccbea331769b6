// Command jiaocheng replays the Jiaocheng, Ningde practice of neighbourhood Party building
// (近邻党建"好厝边", DESIGN.md §2) for one year on the in-memory store.
//
// The district sets aside ¥4,000,000 (区财政专项资金). The funding package plans it from its
// rules, as data: start-up grants of ¥100,000–150,000 for each pilot community (by
// households), ¥2,000 a year of working funds for each compound Party branch, a stipend of
// at least ¥200 a month for each compound Party-branch secretary (paid for the months held),
// at most ¥1,000 a month together for the committee of a retired-members' branch, and
// ¥10,000–30,000 awards for the outstanding communities. Every plan line explains itself;
// the plan is paid through the double-entry ledger, exact to the fen.
//
// Service runs through the "1+1+N" matrix: 4 street management centres, a property service
// centre in every community and a service station in every compound; 23 red property firms
// cover the 23 new and 34 "three-no" old compounds. Property complaints go through the
// rapid-response policy (escalation.RapidResponsePolicy): the station responds within 2
// working hours and resolves within 2 working days, a breach escalates to the community
// centre and then the street, where the whistle summons the five parties (street,
// community, property firm, district department, in-service members registered in the
// community, 双报到). The report gives the share resolved within 2 days against the 85%
// target; the five communities that did best receive the awards.
//
//	go run ./examples/jiaocheng                       # table, Chinese labels
//	go run ./examples/jiaocheng -lang en -out /tmp/jc # also CSV tables and SVG charts
//	go run ./examples/jiaocheng -format json -seed 7
//
// Output is deterministic for a given -seed, -scale and -year.
package main

import (
	"context"
	"io"

	"github.com/gridgov/gridgov/examples/internal/report"
	"github.com/gridgov/gridgov/examples/internal/sim"
)

const name = "jiaocheng"

func main() { report.Main(name, run) }

// run parses the flags, replays the year and writes the report to stdout (and to files
// under -out); usage and flag errors go to stderr.
func run(args []string, stdout, stderr io.Writer) error {
	return report.Run(name, args, stdout, stderr, replay)
}

// replay builds the district, runs the year's complaints, plans and pays the fund and
// returns the report.
func replay(ctx context.Context, opts report.Options) (*report.Report, error) {
	r := sim.Rand(opts.Seed)
	w, err := buildWorld(ctx, r, opts.Scale, opts.Year)
	if err != nil {
		return nil, err
	}
	out, err := simulate(ctx, w, r, opts.Scale, opts.Year)
	if err != nil {
		return nil, err
	}
	money, err := fund(ctx, w, out, opts.Scale, opts.Year)
	if err != nil {
		return nil, err
	}
	return build(ctx, opts, w, out, money)
}
