// Command orgtree builds a whole district's organisation tree on the in-memory store, modelled
// on Xiangshan, Huaibei (党建引领网格化治理): communities, 292 compound/grid Party branches,
// 249 red owners' committees and 43 property management committees acting in their place, 81
// property firms of which 34 have their own Party branch and 47 an appointed Party-building
// instructor. It then re-draws two communities (区划调整), registers in-service members
// (双报到) and prints the coverage report per community and for the district.
//
//	go run ./examples/orgtree                 # table, Chinese and English headings
//	go run ./examples/orgtree -format json    # machine-readable
//	go run ./examples/orgtree -scale 10 -seed 7 -lang en
//
// Output is deterministic for a given -seed and -scale.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
)

func main() {
	if err := run(context.Background(), os.Args[1:], os.Stdout, os.Stderr); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return
		}
		fmt.Fprintln(os.Stderr, "orgtree:", err)
		os.Exit(2)
	}
}

// config is what the flags say.
type config struct {
	seed   uint64
	scale  int
	lang   string
	format string
}

func parseFlags(args []string, stderr io.Writer) (config, error) {
	var c config
	fs := flag.NewFlagSet("orgtree", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Uint64Var(&c.seed, "seed", 1, "random seed; the same seed gives the same output")
	fs.IntVar(&c.scale, "scale", 1, "multiply the district's population (compounds, firms, members)")
	fs.StringVar(&c.lang, "lang", "zh", "language of headings: zh or en")
	fs.StringVar(&c.format, "format", "table", "output format: table, csv or json")
	if err := fs.Parse(args); err != nil {
		return c, err
	}
	switch {
	case c.scale < 1 || c.scale > 100:
		return c, fmt.Errorf("-scale must be between 1 and 100, not %d", c.scale)
	case c.lang != "zh" && c.lang != "en":
		return c, fmt.Errorf("-lang must be zh or en, not %q", c.lang)
	case c.format != "table" && c.format != "csv" && c.format != "json":
		return c, fmt.Errorf("-format must be table, csv or json, not %q", c.format)
	}
	return c, nil
}

// run builds the district and writes the report to out; flag errors and usage go to
// stderr.
func run(ctx context.Context, args []string, out, stderr io.Writer) error {
	cfg, err := parseFlags(args, stderr)
	if err != nil {
		return err
	}
	d, err := buildDistrict(ctx, cfg)
	if err != nil {
		return err
	}
	rep, err := d.report(ctx)
	if err != nil {
		return err
	}
	return rep.write(out, cfg)
}
