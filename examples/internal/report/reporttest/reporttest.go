// Package reporttest reads the example programs' reports back in their tests: it runs a
// program's run function and decodes its -format json output into key figures and table
// rows, failing the test with a clear message when a figure or table is missing.
package reporttest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"testing"

	"github.com/shopspring/decimal"
)

// Output is a report's JSON form (-format json) as tests read it: JSON numbers come back as
// float64, exact decimals (money, percentages) as strings.
type Output struct {
	Program string `json:"program"`
	Figures []struct {
		Key    string `json:"key"`
		Value  any    `json:"value"`
		Target any    `json:"target"`
	} `json:"figures"`
	Tables []struct {
		ID   string           `json:"id"`
		Rows []map[string]any `json:"rows"`
	} `json:"tables"`
}

// Run runs a program's run function with args and returns what it wrote to standard
// output; an error fails the test, with what the program wrote to standard error.
func Run(t testing.TB, run func(args []string, stdout, stderr io.Writer) error, args ...string) string {
	t.Helper()
	var out, errs bytes.Buffer
	if err := run(args, &out, &errs); err != nil {
		t.Fatalf("run %q: %v\n%s", args, err, errs.String())
	}
	return out.String()
}

// Decode decodes a report written with -format json; anything else fails the test.
func Decode(t testing.TB, s string) Output {
	t.Helper()
	var o Output
	if err := json.Unmarshal([]byte(s), &o); err != nil {
		t.Fatalf("decoding the JSON report: %v", err)
	}
	return o
}

// Figure returns the value of the key figure key; a missing figure fails the test.
func (o Output) Figure(t testing.TB, key string) any {
	t.Helper()
	for _, f := range o.Figures {
		if f.Key == key {
			return f.Value
		}
	}
	t.Fatalf("the report has no figure %q", key)
	return nil
}

// Decimal returns the key figure key as an exact decimal, whether the report carries it as
// a number (a count) or as a decimal string (money, a percentage).
func (o Output) Decimal(t testing.TB, key string) decimal.Decimal {
	t.Helper()
	return Dec(t, o.Figure(t, key))
}

// Table returns the rows of the table id; a missing table fails the test.
func (o Output) Table(t testing.TB, id string) []map[string]any {
	t.Helper()
	for _, tb := range o.Tables {
		if tb.ID == id {
			return tb.Rows
		}
	}
	t.Fatalf("the report has no table %q", id)
	return nil
}

// Dec returns a JSON cell value as an exact decimal: a number or a decimal string.
func Dec(t testing.TB, v any) decimal.Decimal {
	t.Helper()
	switch x := v.(type) {
	case float64:
		return decimal.NewFromFloat(x)
	case string:
		d, err := decimal.NewFromString(x)
		if err != nil {
			t.Fatalf("%q is not a decimal: %v", x, err)
		}
		return d
	}
	t.Fatalf("%v (%T) is not a number", v, v)
	return decimal.Zero
}

// String returns what a JSON cell holds as text: a string as it is, a number in plain
// decimal notation.
func String(v any) string {
	if f, ok := v.(float64); ok {
		return decimal.NewFromFloat(f).String()
	}
	return fmt.Sprint(v)
}
