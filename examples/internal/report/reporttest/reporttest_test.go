package reporttest

import (
	"errors"
	"fmt"
	"io"
	"testing"

	"github.com/stretchr/testify/assert"
)

const sample = `{"program":"demo","figures":[{"key":"n","value":4000000},{"key":"paid","value":"12.50","target":"12.00"}],
"tables":[{"id":"streets","rows":[{"street":"北区","n":7}]}]}`

func TestReadsFiguresAndTables(t *testing.T) {
	o := Decode(t, sample)
	assert.Equal(t, "demo", o.Program)
	assert.Equal(t, float64(4000000), o.Figure(t, "n"))
	assert.Equal(t, "4000000", o.Decimal(t, "n").String(), "a count is exact, not 4e+06")
	assert.Equal(t, "12.5", o.Decimal(t, "paid").String())
	assert.Equal(t, "北区", o.Table(t, "streets")[0]["street"])
	assert.Equal(t, "7", String(o.Table(t, "streets")[0]["n"]))
	assert.Equal(t, "4000000", String(o.Figure(t, "n")))
}

func TestRun(t *testing.T) {
	out := Run(t, func(args []string, stdout, _ io.Writer) error {
		_, err := fmt.Fprint(stdout, args)
		return err
	}, "-seed", "3")
	assert.Equal(t, "[-seed 3]", out)
}

// failing records whether the code under test failed the test, without failing this one.
type failing struct {
	testing.TB
	failed bool
}

func (f *failing) Helper()               {}
func (f *failing) Fatalf(string, ...any) { f.failed = true; panic(f) }
func (f *failing) run(do func(testing.TB)) (failed bool) {
	defer func() {
		if r := recover(); r != nil && r != any(f) {
			panic(r)
		}
		failed = f.failed
	}()
	do(f)
	return
}

func TestMissingPartsFailTheTest(t *testing.T) {
	o := Decode(t, sample)
	for name, do := range map[string]func(testing.TB){
		"missing figure": func(tb testing.TB) { o.Figure(tb, "nope") },
		"missing table":  func(tb testing.TB) { o.Table(tb, "nope") },
		"not a decimal":  func(tb testing.TB) { Dec(tb, "abc") },
		"not a number":   func(tb testing.TB) { Dec(tb, true) },
		"not JSON":       func(tb testing.TB) { Decode(tb, "Key figures") },
		"run fails": func(tb testing.TB) {
			Run(tb, func([]string, io.Writer, io.Writer) error { return errors.New("boom") })
		},
	} {
		assert.True(t, (&failing{}).run(do), name)
	}
}
