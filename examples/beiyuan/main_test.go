package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/shopspring/decimal"

	"github.com/gridgov/gridgov/examples/internal/report"
	"github.com/gridgov/gridgov/examples/internal/sim"
	"github.com/gridgov/gridgov/governance/deliberation"
)

func opts(seed uint64, scale int) report.Options {
	return report.Options{Seed: seed, Scale: scale, Year: 2026, Lang: report.LangEN, Format: report.FormatTable}
}

// The published figures come out exactly at -scale 1 and multiplied at -scale 2.
func TestPublishedFigures(t *testing.T) {
	for _, scale := range []int{1, 2} {
		rep, err := replay(context.Background(), opts(1, scale))
		if err != nil {
			t.Fatal(err)
		}
		for key, want := range map[string]int{"compounds": 68, "compound_branches": 29, "meetings": 117,
			"settled_by_meetings": 52} {
			f, ok := rep.Figure(key)
			if !ok {
				t.Fatalf("scale %d: no figure %s", scale, key)
			}
			if f.Value != want*scale || f.Target != want*scale {
				t.Errorf("scale %d: %s = %v (target %v), want %d", scale, key, f.Value, f.Target, want*scale)
			}
		}
	}
}

// The boundary votes land on the right side of art. 278's lines.
func TestBoundaries(t *testing.T) {
	rep := &report.Report{}
	if err := boundaries(rep); err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, row := range rep.Table("boundaries").Rows {
		got = append(got, row[5].(report.Text).EN)
	}
	want := []string{"decided", "participation short", "decided", "not passed", "not passed"}
	if strings.Join(got, ",") != strings.Join(want, ",") {
		t.Errorf("outcomes %v, want %v", got, want)
	}
}

// Every vote's outcome is the library's count of its ballots and matches the item's
// state; every residents' split sums to its bill to the fen with no negative share.
func TestVotesAndMoney(t *testing.T) {
	ctx := context.Background()
	r := sim.Rand(3)
	w, err := buildWorld(ctx, r, 1, 2026)
	if err != nil {
		t.Fatal(err)
	}
	recs, err := w.year(ctx, r, dealFates(r, 1), 2026)
	if err != nil {
		t.Fatal(err)
	}
	for _, rc := range recs {
		it := rc.Item
		if rc.Voted && rc.Fate != fateVoting {
			tl, err := deliberation.CountVotes(deliberation.TallyInput{Rule: it.Vote.Rule, Roll: it.Vote.Roll,
				Proposals: it.Proposals, Ballots: it.Vote.Ballots})
			if err != nil {
				t.Fatal(err)
			}
			if tl.Outcome != it.Vote.Tally.Outcome {
				t.Errorf("%s: recount %s, stored %s", it.ID, tl.Outcome, it.Vote.Tally.Outcome)
			}
			if decided := tl.Outcome == deliberation.OutcomeDecided; decided != rc.Fate.decided() {
				t.Errorf("%s: outcome %s for fate %d", it.ID, tl.Outcome, rc.Fate)
			}
		}
		sp := it.Implementation.Split
		if sp.Bill.IsZero() {
			continue
		}
		sum := sp.Subsidy
		for _, sh := range sp.Shares {
			if sh.Amount.IsNegative() {
				t.Errorf("%s: negative share %s", it.ID, sh.Amount)
			}
			sum = sum.Add(sh.Amount)
		}
		if !sum.Equal(sp.Bill) || !sp.Bill.Equal(it.Implementation.Bill) || sp.Bill.Round(2).Cmp(sp.Bill) != 0 {
			t.Errorf("%s: split %s, bill %s", it.ID, sum, sp.Bill)
		}
		if sp.Residents.Add(sp.Subsidy).Cmp(sp.Bill) != 0 || sp.Subsidy.LessThan(decimal.Zero) {
			t.Errorf("%s: residents %s + subsidy %s ≠ bill %s", it.ID, sp.Residents, sp.Subsidy, sp.Bill)
		}
	}
}

func runArgs(t *testing.T, args ...string) string {
	t.Helper()
	var out, errOut bytes.Buffer
	if err := run(args, &out, &errOut); err != nil {
		t.Fatalf("run %v: %v (%s)", args, err, errOut.String())
	}
	return out.String()
}

// The output is the same for a seed and differs for another; JSON decodes.
func TestStable(t *testing.T) {
	a, b := runArgs(t, "-format", "json"), runArgs(t, "-format", "json")
	if a != b {
		t.Error("two runs with the same seed differ")
	}
	if c := runArgs(t, "-format", "json", "-seed", "2"); c == a {
		t.Error("another seed gives the same output")
	}
	var doc struct {
		Figures []struct {
			Key   string
			Value any
		}
	}
	if err := json.Unmarshal([]byte(a), &doc); err != nil {
		t.Fatal(err)
	}
	if len(doc.Figures) == 0 || doc.Figures[0].Key != "compounds" || doc.Figures[0].Value != float64(68) {
		t.Errorf("first figure %+v", doc.Figures[0])
	}
}

// -out writes the tables and charts; bad flags are errors.
func TestOutAndFlags(t *testing.T) {
	dir := t.TempDir()
	runArgs(t, "-lang", "en", "-out", dir)
	for _, f := range []string{"report.txt", "figures.csv", "outcomes.csv", "votes.csv", "outcomes.svg",
		"participation.svg", "support.svg", "disclosures.svg"} {
		if st, err := os.Stat(filepath.Join(dir, f)); err != nil || st.Size() == 0 {
			t.Errorf("%s not written: %v", f, err)
		}
	}
	for _, args := range [][]string{{"-scale", "0"}, {"-lang", "fr"}, {"-format", "xml"}, {"-nope"}} {
		var out, errOut bytes.Buffer
		if err := run(args, &out, &errOut); err == nil {
			t.Errorf("run %v: no error", args)
		}
	}
}

// Beiyuan's published figures, as CSV.
func Example() {
	var out bytes.Buffer
	if err := run([]string{"-format", "csv", "-lang", "en"}, &out, os.Stderr); err != nil {
		panic(err)
	}
	for _, line := range strings.Split(out.String(), "\n") {
		for _, key := range []string{"compounds,", "compound_branches,", "meetings,", "settled_by_meetings,"} {
			if strings.HasPrefix(line, key) {
				fmt.Println(line)
			}
		}
	}
	// Output:
	// compounds,Compounds,68,68
	// compound_branches,Compounds with their own Party branch,29,29
	// meetings,Consultation meetings held,117,117
	// settled_by_meetings,Matters settled through the meetings (closed),52,52
}
