package report

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
)

// Languages and formats the flags accept.
const (
	LangZH = "zh"
	LangEN = "en"

	FormatTable = "table"
	FormatCSV   = "csv"
	FormatJSON  = "json"
)

// MaxScale is the largest -scale a program accepts.
const MaxScale = 100

// Options are the flags every example program takes (命令行参数).
type Options struct {
	// Seed makes the run deterministic: the same seed gives the same output (-seed).
	Seed uint64
	// Scale multiplies the population (compounds, complaints, firms…), 1 to MaxScale (-scale).
	Scale int
	// Year is the calendar year simulated (-year).
	Year int
	// Lang is the language of labels: "zh" or "en" (-lang).
	Lang string
	// Format is "table", "csv" or "json" (-format).
	Format string
	// Out, when not empty, is a directory that receives one file per table and per chart
	// (-out).
	Out string
}

// Parse parses args (without the program name) into Options with defaultYear as the default
// -year. Usage and flag errors go to stderr; -h gives flag.ErrHelp. A bad value is an error
// naming the flag in English and Chinese.
func Parse(name string, args []string, stderr io.Writer, defaultYear int) (Options, error) {
	var o Options
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Uint64Var(&o.Seed, "seed", 1, "random seed; the same seed gives the same output (随机种子)")
	fs.IntVar(&o.Scale, "scale", 1, "multiply the population, 1 to 100 (规模倍数)")
	fs.IntVar(&o.Year, "year", defaultYear, "the year simulated (年度)")
	fs.StringVar(&o.Lang, "lang", LangZH, "language of labels: zh or en (语言)")
	fs.StringVar(&o.Format, "format", FormatTable, "output format: table, csv or json (输出格式)")
	fs.StringVar(&o.Out, "out", "", "directory for tables (CSV) and charts (SVG) (输出目录)")
	if err := fs.Parse(args); err != nil {
		return o, err
	}
	if fs.NArg() > 0 {
		return o, fmt.Errorf("unexpected arguments %q (多余的参数)", fs.Args())
	}
	return o, o.Validate()
}

// Validate reports every flag whose value is out of range, in English and Chinese.
func (o Options) Validate() error {
	var errs []error
	if o.Scale < 1 || o.Scale > MaxScale {
		errs = append(errs, fmt.Errorf("-scale must be between 1 and %d, not %d (规模倍数须在 1 到 %d 之间)", MaxScale, o.Scale, MaxScale))
	}
	if o.Year < 2000 || o.Year > 2100 {
		errs = append(errs, fmt.Errorf("-year must be between 2000 and 2100, not %d (年度须在 2000 到 2100 之间)", o.Year))
	}
	if o.Lang != LangZH && o.Lang != LangEN {
		errs = append(errs, fmt.Errorf("-lang must be zh or en, not %q (语言须为 zh 或 en)", o.Lang))
	}
	if o.Format != FormatTable && o.Format != FormatCSV && o.Format != FormatJSON {
		errs = append(errs, fmt.Errorf("-format must be table, csv or json, not %q (输出格式须为 table、csv 或 json)", o.Format))
	}
	return errors.Join(errs...)
}

// Main runs a program's run function with the process's arguments and streams and exits with
// status 2 on error (after printing it); -h exits 0.
func Main(name string, run func(args []string, stdout, stderr io.Writer) error) {
	if err := run(os.Args[1:], os.Stdout, os.Stderr); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return
		}
		fmt.Fprintf(os.Stderr, "%s: %v\n", name, err)
		os.Exit(2)
	}
}

// DefaultYear is the -year a program simulates unless told otherwise: the last year whose
// working calendar (holidays and make-up days) the library embeds.
const DefaultYear = 2026

// Run is the body of a program's run function: it parses args (usage and flag errors go to
// stderr), has replay build the report for the options, writes it to stdout in the chosen
// format and, when -out is set, writes its files there too.
func Run(name string, args []string, stdout, stderr io.Writer,
	replay func(ctx context.Context, opts Options) (*Report, error)) error {
	opts, err := Parse(name, args, stderr, DefaultYear)
	if err != nil {
		return err
	}
	rep, err := replay(context.Background(), opts)
	if err != nil {
		return err
	}
	if err := rep.Write(stdout); err != nil {
		return err
	}
	if opts.Out != "" {
		_, err = rep.WriteFiles(opts.Out)
	}
	return err
}
