package report

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"golang.org/x/text/width"
)

// Write writes the report to w in r.Options.Format and r.Options.Lang: "table" as aligned
// text, "csv" as the figures and then each table as CSV (a blank line between them; use -out
// for one file per table), "json" as one object.
func (r *Report) Write(w io.Writer) error {
	switch r.Options.Format {
	case FormatCSV:
		return r.writeCSV(w)
	case FormatJSON:
		return r.writeJSON(w)
	default:
		return r.writeText(w)
	}
}

// WriteFiles writes into dir (created if missing) the report as report.txt, report.csv or
// report.json (as [Report.Write] does), figures.csv, one <table ID>.csv per table and one
// <chart ID>.svg per chart. It returns the paths written, in that order.
func (r *Report) WriteFiles(dir string) ([]string, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	var paths []string
	write := func(name string, data []byte) error {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, data, 0o644); err != nil {
			return err
		}
		paths = append(paths, p)
		return nil
	}
	var main bytes.Buffer
	if err := r.Write(&main); err != nil {
		return paths, err
	}
	ext := map[string]string{FormatTable: "txt", FormatCSV: "csv", FormatJSON: "json"}[r.Options.Format]
	if ext == "" {
		ext = "txt"
	}
	if err := write("report."+ext, main.Bytes()); err != nil {
		return paths, err
	}
	var buf bytes.Buffer
	if err := r.figuresCSV(&buf); err != nil {
		return paths, err
	}
	if err := write("figures.csv", buf.Bytes()); err != nil {
		return paths, err
	}
	for _, t := range r.Tables {
		buf.Reset()
		if err := t.writeCSV(&buf, r.Options.Lang); err != nil {
			return paths, err
		}
		if err := write(t.ID+".csv", buf.Bytes()); err != nil {
			return paths, err
		}
	}
	for _, c := range r.Charts {
		svg, err := c.SVG(r.Options.Lang)
		if err != nil {
			return paths, fmt.Errorf("chart %s: %w", c.ID, err)
		}
		if err := write(c.ID+".svg", svg); err != nil {
			return paths, err
		}
	}
	return paths, nil
}

// header returns the line of run parameters under the title.
func (r *Report) header() string {
	o := r.Options
	if o.Lang == LangEN {
		return fmt.Sprintf("seed %d · scale %d · year %d", o.Seed, o.Scale, o.Year)
	}
	return fmt.Sprintf("种子 %d · 规模 %d · 年度 %d", o.Seed, o.Scale, o.Year)
}

func (r *Report) writeText(w io.Writer) error {
	lang := r.Options.Lang
	var b strings.Builder
	title := r.Title.In(lang)
	fmt.Fprintf(&b, "%s\n%s\n%s\n", title, strings.Repeat("=", displayWidth(title)), r.header())
	if len(r.Figures) > 0 {
		t := NewTable("figures", T("Key figures", "关键数据"),
			C("figure", "Figure", "指标"), C("value", "Value", "数值"), C("target", "Target", "目标/公布值"))
		for _, f := range r.Figures {
			t.Add(f.Label, f.Value, f.Target)
		}
		b.WriteString("\n")
		t.writeText(&b, lang)
	}
	for _, t := range r.Tables {
		b.WriteString("\n")
		t.writeText(&b, lang)
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// writeText writes the table's title and its rows in aligned columns; numbers are aligned
// right. Widths count East Asian wide characters as two columns.
func (t *Table) writeText(b *strings.Builder, lang string) {
	title := t.Title.In(lang)
	fmt.Fprintf(b, "%s\n%s\n", title, strings.Repeat("-", displayWidth(title)))
	cells := make([][]string, len(t.Rows)+1)
	widths := make([]int, len(t.Columns))
	right := make([]bool, len(t.Columns))
	cells[0] = make([]string, len(t.Columns))
	for j, c := range t.Columns {
		cells[0][j] = c.Label.In(lang)
		widths[j] = displayWidth(cells[0][j])
	}
	for i, row := range t.Rows {
		cells[i+1] = make([]string, len(row))
		for j, v := range row {
			cells[i+1][j] = Format(v, lang)
			widths[j] = max(widths[j], displayWidth(cells[i+1][j]))
			if isNumeric(v) {
				right[j] = true
			}
		}
	}
	for _, row := range cells {
		var line strings.Builder
		for j, s := range row {
			pad := strings.Repeat(" ", widths[j]-displayWidth(s))
			if j > 0 {
				line.WriteString("  ")
			}
			if right[j] {
				line.WriteString(pad + s)
			} else {
				line.WriteString(s + pad)
			}
		}
		b.WriteString(strings.TrimRight(line.String(), " "))
		b.WriteString("\n")
	}
}

// displayWidth returns the number of terminal columns s takes: two for East Asian wide and
// full-width characters, one for others.
func displayWidth(s string) int {
	n := 0
	for _, r := range s {
		switch width.LookupRune(r).Kind() {
		case width.EastAsianWide, width.EastAsianFullwidth:
			n += 2
		default:
			n++
		}
	}
	return n
}

func (r *Report) figuresCSV(w io.Writer) error {
	lang := r.Options.Lang
	cw := csv.NewWriter(w)
	_ = cw.Write([]string{"key", "label", "value", "target"})
	for _, f := range r.Figures {
		_ = cw.Write([]string{f.Key, f.Label.In(lang), csvValue(f.Value, lang), csvValue(f.Target, lang)})
	}
	cw.Flush()
	return cw.Error()
}

func (t *Table) writeCSV(w io.Writer, lang string) error {
	cw := csv.NewWriter(w)
	head := make([]string, len(t.Columns))
	for j, c := range t.Columns {
		head[j] = c.Key
	}
	_ = cw.Write(head)
	for _, row := range t.Rows {
		rec := make([]string, len(row))
		for j, v := range row {
			rec[j] = csvValue(v, lang)
		}
		_ = cw.Write(rec)
	}
	cw.Flush()
	return cw.Error()
}

func (r *Report) writeCSV(w io.Writer) error {
	if err := r.figuresCSV(w); err != nil {
		return err
	}
	for _, t := range r.Tables {
		if _, err := io.WriteString(w, "\n"); err != nil {
			return err
		}
		if err := t.writeCSV(w, r.Options.Lang); err != nil {
			return err
		}
	}
	return nil
}

// jsonTable is a table in JSON output.
type jsonTable struct {
	ID    string           `json:"id"`
	Title string           `json:"title"`
	Rows  []map[string]any `json:"rows"`
}

// jsonFigure is a key figure in JSON output.
type jsonFigure struct {
	Key    string `json:"key"`
	Label  string `json:"label"`
	Value  any    `json:"value"`
	Target any    `json:"target,omitempty"`
}

func (r *Report) writeJSON(w io.Writer) error {
	lang := r.Options.Lang
	out := struct {
		Program string       `json:"program"`
		Title   string       `json:"title"`
		Seed    uint64       `json:"seed"`
		Scale   int          `json:"scale"`
		Year    int          `json:"year"`
		Lang    string       `json:"lang"`
		Figures []jsonFigure `json:"figures"`
		Tables  []jsonTable  `json:"tables"`
	}{Program: r.Program, Title: r.Title.In(lang), Seed: r.Options.Seed, Scale: r.Options.Scale,
		Year: r.Options.Year, Lang: lang, Figures: []jsonFigure{}, Tables: []jsonTable{}}
	for _, f := range r.Figures {
		out.Figures = append(out.Figures, jsonFigure{Key: f.Key, Label: f.Label.In(lang),
			Value: jsonValue(f.Value, lang), Target: jsonValue(f.Target, lang)})
	}
	for _, t := range r.Tables {
		jt := jsonTable{ID: t.ID, Title: t.Title.In(lang), Rows: make([]map[string]any, 0, len(t.Rows))}
		for _, row := range t.Rows {
			m := make(map[string]any, len(row))
			for j, v := range row {
				m[t.Columns[j].Key] = jsonValue(v, lang)
			}
			jt.Rows = append(jt.Rows, m)
		}
		out.Tables = append(out.Tables, jt)
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(out)
}
