package report

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func sample(format, lang string) *Report {
	r := &Report{Program: "demo", Title: T("Demo report", "示例报告"),
		Options: Options{Seed: 7, Scale: 1, Year: 2026, Lang: lang, Format: format}}
	r.AddTarget("resolved_2d", T("Resolved within 2 days", "两日内解决"), Pct(decimal.RequireFromString("0.8612")), Pct(decimal.RequireFromString("0.85")))
	r.AddFigure("compounds", T("Compounds", "小区"), 57)
	t := r.AddTable(NewTable("streets", T("Streets", "街道"),
		C("street", "Street", "街道"), C("complaints", "Complaints", "诉求"), C("budget", "Budget", "预算")))
	t.Add("广惠路街道", 1200, Yuan(decimal.RequireFromString("4000000")))
	t.Add(T("North", "北区"), 7, decimal.RequireFromString("12.50"))
	return r
}

func ExampleReport_Write() {
	r := &Report{Program: "demo", Title: T("Demo", "示例"),
		Options: Options{Seed: 1, Scale: 1, Year: 2026, Lang: LangEN, Format: FormatTable}}
	r.AddFigure("rate", T("Resolution rate", "解决率"), Pct(decimal.RequireFromString("0.95021")))
	t := r.AddTable(NewTable("tiers", T("Settled by tier", "按层级办结"), C("tier", "Tier", "层级"), C("n", "Matters", "件数")))
	t.Add(T("building", "楼栋"), 120)
	t.Add(T("community", "社区"), 35)
	_ = r.Write(os.Stdout)
	// Output:
	// Demo
	// ====
	// seed 1 · scale 1 · year 2026
	//
	// Key figures
	// -----------
	// Figure            Value  Target
	// Resolution rate  95.02%
	//
	// Settled by tier
	// ---------------
	// Tier       Matters
	// building       120
	// community       35
}

func TestTextAlignsWideCharacters(t *testing.T) {
	var b bytes.Buffer
	require.NoError(t, sample(FormatTable, LangZH).Write(&b))
	out := b.String()
	assert.Contains(t, out, "示例报告\n========\n")
	// "广惠路街道" is 10 columns wide, so "北区" (4) is padded with 6 spaces; numbers align right.
	assert.Contains(t, out, "街道        诉求        预算\n广惠路街道  1200  4000000.00\n北区           7        12.5\n")
	assert.Contains(t, out, "86.12%")
}

func TestJSONKeepsTypes(t *testing.T) {
	var b bytes.Buffer
	require.NoError(t, sample(FormatJSON, LangEN).Write(&b))
	var got struct {
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
	require.NoError(t, json.Unmarshal(b.Bytes(), &got))
	assert.Equal(t, "demo", got.Program)
	assert.Equal(t, "86.12", got.Figures[0].Value)
	assert.Equal(t, "85.00", got.Figures[0].Target)
	assert.Equal(t, float64(57), got.Figures[1].Value)
	assert.Equal(t, "4000000.00", got.Tables[0].Rows[0]["budget"], "money is an exact string with fen")
	assert.Equal(t, "12.5", got.Tables[0].Rows[1]["budget"], "decimals are exact strings")
	assert.Equal(t, float64(1200), got.Tables[0].Rows[0]["complaints"])
	assert.Equal(t, "North", got.Tables[0].Rows[1]["street"])
}

func TestCSV(t *testing.T) {
	var b bytes.Buffer
	require.NoError(t, sample(FormatCSV, LangEN).Write(&b))
	assert.Equal(t, "key,label,value,target\nresolved_2d,Resolved within 2 days,86.12,85.00\ncompounds,Compounds,57,\n\n"+
		"street,complaints,budget\n广惠路街道,1200,4000000.00\nNorth,7,12.5\n", b.String())
}

func TestWriteFiles(t *testing.T) {
	r := sample(FormatJSON, LangZH)
	r.AddChart(Chart{ID: "budget", Title: T("Budget by rule", "按规则预算"), Kind: Bars,
		Categories: []Text{T("grants", "启动资金"), T("stipends", "补贴")},
		Series:     []Series{{Name: T("planned", "计划"), Values: []float64{1, 2}}, {Name: T("paid", "已付"), Values: []float64{1, 1.5}}},
		Marks:      []Mark{{Label: T("cap", "上限"), At: 1.8}}})
	r.AddChart(Chart{ID: "scores", Title: T("Scores", "得分"), Kind: Histogram,
		Series: []Series{{Values: []float64{55, 61, 70, 72, 88, 91}}}, Marks: []Mark{{Label: T("clearance", "清退线"), At: 60}}})
	r.AddChart(Chart{ID: "trend", Title: T("Trend", "趋势"), Kind: Lines,
		Categories: []Text{T("Jan", "1月"), T("Feb", "2月")}, Series: []Series{{Name: T("rate", "率"), Values: []float64{0.9, 0.95}}}})
	dir := filepath.Join(t.TempDir(), "out")
	paths, err := r.WriteFiles(dir)
	require.NoError(t, err)
	var names []string
	for _, p := range paths {
		names = append(names, filepath.Base(p))
	}
	assert.Equal(t, []string{"report.json", "figures.csv", "streets.csv", "budget.svg", "scores.svg", "trend.svg"}, names)
	svg, err := os.ReadFile(filepath.Join(dir, "budget.svg"))
	require.NoError(t, err)
	assert.True(t, strings.HasPrefix(string(svg), "<?xml"), "an SVG document")
	assert.Contains(t, string(svg), "按规则预算")
	again, err := r.Charts[0].SVG(LangZH)
	require.NoError(t, err)
	assert.Equal(t, svg, again, "charts are deterministic")
}

func TestChartErrors(t *testing.T) {
	_, err := Chart{ID: "x"}.SVG(LangEN)
	assert.Error(t, err)
	_, err = Chart{ID: "x", Categories: []Text{T("a", "a")}, Series: []Series{{Values: []float64{1, 2}}}}.SVG(LangEN)
	assert.ErrorContains(t, err, "2 values for 1 categories")
	_, err = Chart{ID: "x", Kind: Histogram, Series: []Series{{}}}.SVG(LangEN)
	assert.ErrorContains(t, err, "no observations")
}

func TestParse(t *testing.T) {
	o, err := Parse("demo", []string{"-seed", "9", "-scale", "3", "-lang", "en", "-format", "csv", "-out", "d"}, &bytes.Buffer{}, 2026)
	require.NoError(t, err)
	assert.Equal(t, Options{Seed: 9, Scale: 3, Year: 2026, Lang: "en", Format: "csv", Out: "d"}, o)

	_, err = Parse("demo", []string{"-scale", "0", "-lang", "fr", "-format", "xml", "-year", "1900"}, &bytes.Buffer{}, 2026)
	require.Error(t, err)
	for _, want := range []string{"-scale", "规模倍数", "-lang", "语言", "-format", "输出格式", "-year", "年度"} {
		assert.Contains(t, err.Error(), want, "every bad flag is named, in English and Chinese")
	}
	_, err = Parse("demo", []string{"extra"}, &bytes.Buffer{}, 2026)
	assert.ErrorContains(t, err, "unexpected arguments")
}

func TestAddPanicsOnRowLength(t *testing.T) {
	tb := NewTable("t", T("t", "t"), C("a", "A", "甲"))
	assert.Panics(t, func() { tb.Add(1, 2) })
}

func TestDisplayWidth(t *testing.T) {
	assert.Equal(t, 3, displayWidth("abc"))
	assert.Equal(t, 4, displayWidth("小区"))
	assert.Equal(t, 7, displayWidth("A区（北"))
}

func TestFixedKeepsPlacesInEveryFormat(t *testing.T) {
	score := Fixed(decimal.RequireFromString("62"), 2)
	assert.Equal(t, "62.00", Format(score, LangZH))
	assert.Equal(t, "62.00", csvValue(score, LangEN))
	assert.Equal(t, "62.00", jsonValue(score, LangEN), "JSON carries the exact string")
	assert.Equal(t, "0.13", Format(Fixed(decimal.RequireFromString("0.125"), 2), LangEN), "half up")
	assert.True(t, isNumeric(score), "right-aligned in text")
}

func TestRunParsesBuildsAndWrites(t *testing.T) {
	replay := func(_ context.Context, o Options) (*Report, error) {
		r := sample(o.Format, o.Lang)
		r.Options = o
		return r, nil
	}
	dir := t.TempDir()
	var out, errs bytes.Buffer
	require.NoError(t, Run("demo", []string{"-lang", "en", "-format", "csv", "-out", dir}, &out, &errs, replay))
	assert.Contains(t, out.String(), "resolved_2d,Resolved within 2 days,86.12,85.00")
	assert.FileExists(t, filepath.Join(dir, "streets.csv"))

	out.Reset()
	require.NoError(t, Run("demo", nil, &out, &errs, replay))
	assert.Contains(t, out.String(), "年度 2026", "the year defaults to DefaultYear")

	boom := errors.New("boom")
	err := Run("demo", nil, &out, &errs, func(context.Context, Options) (*Report, error) { return nil, boom })
	assert.ErrorIs(t, err, boom)
	assert.Error(t, Run("demo", []string{"-lang", "fr"}, &out, &errs, replay), "a bad flag stops before replay")
}

func TestChartYMinStartsTheAxis(t *testing.T) {
	c := Chart{ID: "rates", Kind: Bars, Categories: []Text{T("a", "甲"), T("b", "乙")},
		Series: []Series{{Name: T("resolution", "解决率"), Values: []float64{95.02, 88.4}}},
		Marks:  []Mark{{Label: T("target", "目标"), At: 95}}}
	p, err := c.plot(LangEN)
	require.NoError(t, err)
	assert.Equal(t, 0.0, p.Y.Min, "bars start at zero by default")

	c.YMin = 80
	p, err = c.plot(LangEN)
	require.NoError(t, err)
	assert.Equal(t, 80.0, p.Y.Min)
	assert.GreaterOrEqual(t, p.Y.Max, 95.02)
	_, err = c.SVG(LangZH)
	require.NoError(t, err)

	c.Series[0].Values[1] = 77.5
	p, err = c.plot(LangEN)
	require.NoError(t, err)
	assert.Equal(t, 70.0, p.Y.Min, "a value below YMin moves the start down: no bar is cut away")
	c.Series[0].Values[1] = 88.4
	c.Marks[0].At = 60
	p, err = c.plot(LangEN)
	require.NoError(t, err)
	assert.Equal(t, 60.0, p.Y.Min, "nor a mark")

	h := Chart{ID: "scores", Kind: Histogram, Series: []Series{{Values: []float64{60, 70, 80}}}, YMin: 5}
	p, err = h.plot(LangEN)
	require.NoError(t, err)
	assert.Equal(t, 0.0, p.Y.Min, "a histogram's counts always start at zero")
}
