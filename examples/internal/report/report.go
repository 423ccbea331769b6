package report

import (
	"fmt"
	"strconv"
	"time"

	"github.com/shopspring/decimal"
)

// Report is what a program prints (报告): a title, the run's parameters, key figures,
// tables and charts.
type Report struct {
	// Program is the program's name, for example "district"; it names the files -out writes.
	Program string
	// Title is the report's heading.
	Title Text
	// Options are the flags of the run, printed under the title.
	Options Options
	// Figures are the key figures (关键数据), printed first.
	Figures []Figure
	// Tables are printed in order after the figures.
	Tables []*Table
	// Charts are written as SVG files when -out is set.
	Charts []Chart
}

// Figure is one key figure: a labelled value, with the target or published figure it is
// compared to when there is one.
type Figure struct {
	// Key names the figure in JSON and CSV output, for example "resolved_within_2d".
	Key string
	// Label is the figure's name for readers.
	Label Text
	// Value is the figure, a cell value (see [Table.Add]).
	Value any
	// Target, when not nil, is what Value is measured against (目标值 or the published
	// figure), a cell value.
	Target any
}

// AddFigure appends a key figure.
func (r *Report) AddFigure(key string, label Text, value any) {
	r.Figures = append(r.Figures, Figure{Key: key, Label: label, Value: value})
}

// AddTarget appends a key figure with the target it is measured against.
func (r *Report) AddTarget(key string, label Text, value, target any) {
	r.Figures = append(r.Figures, Figure{Key: key, Label: label, Value: value, Target: target})
}

// AddTable appends t and returns it.
func (r *Report) AddTable(t *Table) *Table {
	r.Tables = append(r.Tables, t)
	return t
}

// AddChart appends c.
func (r *Report) AddChart(c Chart) { r.Charts = append(r.Charts, c) }

// Figure returns the key figure named key and whether there is one.
func (r *Report) Figure(key string) (Figure, bool) {
	for _, f := range r.Figures {
		if f.Key == key {
			return f, true
		}
	}
	return Figure{}, false
}

// Table returns the table with the ID id, or nil.
func (r *Report) Table(id string) *Table {
	for _, t := range r.Tables {
		if t.ID == id {
			return t
		}
	}
	return nil
}

// Column is a table column: Key names it in JSON and CSV, Label heads it in text.
type Column struct {
	Key   string
	Label Text
}

// C returns the column key with the English heading en and the Chinese heading zh.
func C(key, en, zh string) Column { return Column{Key: key, Label: T(en, zh)} }

// Table is a titled table of typed cells (表).
type Table struct {
	// ID names the table in JSON and its CSV file (ID.csv).
	ID string
	// Title heads the table.
	Title Text
	// Columns are the table's columns.
	Columns []Column
	// Rows hold one cell value per column (see [Table.Add]).
	Rows [][]any
}

// NewTable returns an empty table.
func NewTable(id string, title Text, cols ...Column) *Table {
	return &Table{ID: id, Title: title, Columns: cols}
}

// Add appends a row. Cells may be string, [Text], bool, any integer type, float64,
// decimal.Decimal, [Percent], [Money], [Decimal], time.Time (printed as a date), fmt.Stringer or nil. A row
// whose length differs from the columns' is a programming error and panics.
func (t *Table) Add(cells ...any) {
	if len(cells) != len(t.Columns) {
		panic(fmt.Sprintf("report: table %s has %d columns, row has %d cells", t.ID, len(t.Columns), len(cells)))
	}
	t.Rows = append(t.Rows, cells)
}

// Percent is a ratio (0.9502) shown as a percentage with two places (95.02%); JSON and CSV
// carry the percentage as an exact decimal string ("95.02").
type Percent decimal.Decimal

// Pct returns ratio as a Percent.
func Pct(ratio decimal.Decimal) Percent { return Percent(ratio) }

// Value returns the percentage (ratio × 100) rounded half up to two places.
func (p Percent) Value() decimal.Decimal {
	return decimal.Decimal(p).Shift(2).Round(2)
}

// String returns the percentage with two places and a percent sign.
func (p Percent) String() string { return p.Value().StringFixed(2) + "%" }

// Money is an amount in yuan shown with fen precision (两位小数): 4000000 prints as
// 4000000.00 in every format (JSON carries it as a string).
type Money decimal.Decimal

// Yuan returns amount as Money.
func Yuan(amount decimal.Decimal) Money { return Money(amount) }

// String returns the amount with two places, rounded half up.
func (m Money) String() string { return decimal.Decimal(m).StringFixed(2) }

// Decimal is a decimal shown with a fixed number of places, rounded half up: a score of 62
// with two places prints as 62.00 in every format (JSON carries it as a string).
type Decimal struct {
	d      decimal.Decimal
	places int32
}

// Fixed returns d to be shown with places decimal places (scores, areas, shares).
func Fixed(d decimal.Decimal, places int32) Decimal { return Decimal{d: d, places: places} }

// String returns the decimal with its fixed places, rounded half up.
func (x Decimal) String() string { return x.d.StringFixed(x.places) }

// Format returns v as text in lang, as tables print it.
func Format(v any, lang string) string {
	switch x := v.(type) {
	case nil:
		return ""
	case string:
		return x
	case Text:
		return x.In(lang)
	case bool:
		if x {
			return T("yes", "是").In(lang)
		}
		return T("no", "否").In(lang)
	case int:
		return strconv.Itoa(x)
	case int64:
		return strconv.FormatInt(x, 10)
	case int32:
		return strconv.FormatInt(int64(x), 10)
	case uint64:
		return strconv.FormatUint(x, 10)
	case uint32:
		return strconv.FormatUint(uint64(x), 10)
	case float64:
		return strconv.FormatFloat(x, 'f', 2, 64)
	case decimal.Decimal:
		return x.String()
	case Percent:
		return x.String()
	case Money:
		return x.String()
	case Decimal:
		return x.String()
	case time.Time:
		return x.Format(time.DateOnly)
	case time.Duration:
		return x.String()
	case fmt.Stringer:
		return x.String()
	default:
		return fmt.Sprint(x)
	}
}

// jsonValue returns v as JSON output carries it: integers and floats as numbers, decimals
// and percentages as exact strings, Text in lang.
func jsonValue(v any, lang string) any {
	switch x := v.(type) {
	case nil, bool, int, int64, int32, uint64, uint32, float64:
		return x
	case decimal.Decimal:
		return x.String()
	case Percent:
		return x.Value().StringFixed(2)
	case Money, Decimal:
		return Format(x, lang)
	default:
		return Format(v, lang)
	}
}

// csvValue returns v as a CSV cell: like text, except that a percentage has no sign.
func csvValue(v any, lang string) string {
	if p, ok := v.(Percent); ok {
		return p.Value().StringFixed(2)
	}
	return Format(v, lang)
}

// isNumeric reports whether v is right-aligned in text tables.
func isNumeric(v any) bool {
	switch v.(type) {
	case int, int64, int32, uint64, uint32, float64, decimal.Decimal, Percent, Money, Decimal:
		return true
	}
	return false
}
