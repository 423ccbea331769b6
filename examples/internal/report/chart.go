package report

import (
	"bytes"
	"fmt"
	"image/color"
	"math"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgsvg"
)

// ChartKind says how a [Chart] draws its series.
type ChartKind int

const (
	// Bars draws one group of bars per category, one bar per series (柱状图): an escalation
	// funnel by tier, the three rates by street, a budget by rule.
	Bars ChartKind = iota
	// Lines draws one line per series over the categories (折线图): a month-by-month trend.
	Lines
	// Histogram draws the distribution of the first series' values in Bins bins (直方图): a
	// score distribution, with Marks as vertical lines (the clearance line).
	Histogram
)

// Chart is a chart written as SVG (图表). Its values are float64 because they are only
// drawn; the exact figures are in the tables.
type Chart struct {
	// ID names the file: ID.svg.
	ID string
	// Title, XLabel and YLabel label the chart and its axes.
	Title, XLabel, YLabel Text
	// Kind is how the series are drawn.
	Kind ChartKind
	// Categories label the x axis of Bars and Lines, one per value of each series.
	Categories []Text
	// Series are the data; each has one value per category (Bars, Lines), or the
	// observations (Histogram, first series only).
	Series []Series
	// Bins is the number of histogram bins (10 when zero).
	Bins int
	// Marks are reference lines: horizontal for Bars and Lines (a target such as 85%),
	// vertical for Histogram (a clearance line).
	Marks []Mark
	// YMin, when not zero, starts the y axis of Bars and Lines there (for example 80 for
	// rates that sit between 85% and 100%), so that small differences show. A value or mark
	// below it moves the start down to the multiple of ten below that value, so that no bar
	// is cut away. Zero leaves the axis to fit the data (bars from zero).
	YMin float64
}

// Series is one named data series.
type Series struct {
	Name   Text
	Values []float64
}

// Mark is a labelled reference line at At.
type Mark struct {
	Label Text
	At    float64
}

// palette is the series colours (colour-blind-safe, Okabe–Ito).
var palette = []color.Color{
	color.RGBA{0, 114, 178, 255}, color.RGBA{230, 159, 0, 255}, color.RGBA{0, 158, 115, 255},
	color.RGBA{204, 121, 167, 255}, color.RGBA{86, 180, 233, 255}, color.RGBA{213, 94, 0, 255},
	color.RGBA{240, 228, 66, 255}, color.RGBA{0, 0, 0, 255},
}

// SVG draws the chart with labels in lang and returns the SVG document. A chart with no
// series, or a series whose length differs from the categories', is an error.
func (c Chart) SVG(lang string) ([]byte, error) {
	p, err := c.plot(lang)
	if err != nil {
		return nil, err
	}
	width := 6 * vg.Inch
	if n := len(c.Categories) * max(1, len(c.Series)); n > 12 && c.Kind != Histogram {
		width = vg.Length(math.Min(float64(n)*0.45, 24)) * vg.Inch
	}
	canvas := vgsvg.New(width, 4*vg.Inch)
	p.Draw(draw.New(canvas))
	var buf bytes.Buffer
	if _, err := canvas.WriteTo(&buf); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// plot builds the chart's plot with labels in lang.
func (c Chart) plot(lang string) (*plot.Plot, error) {
	if len(c.Series) == 0 {
		return nil, fmt.Errorf("report: chart %s has no series", c.ID)
	}
	p := plot.New()
	p.Title.Text = c.Title.In(lang)
	p.X.Label.Text = c.XLabel.In(lang)
	p.Y.Label.Text = c.YLabel.In(lang)
	p.Legend.Top = true
	var err error
	switch c.Kind {
	case Histogram:
		err = c.histogram(p, lang)
	case Lines:
		err = c.lines(p, lang)
	default:
		err = c.bars(p, lang)
	}
	if err != nil {
		return nil, err
	}
	if c.YMin != 0 && c.Kind != Histogram {
		p.Y.Min = c.axisStart()
	}
	return p, nil
}

// axisStart returns where the y axis starts for YMin: YMin, or the multiple of ten below
// the lowest value or mark under it.
func (c Chart) axisStart() float64 {
	lo := c.YMin
	for _, s := range c.Series {
		for _, v := range s.Values {
			lo = math.Min(lo, v)
		}
	}
	for _, m := range c.Marks {
		lo = math.Min(lo, m.At)
	}
	if lo < c.YMin {
		return math.Floor(lo/10) * 10
	}
	return lo
}

func (c Chart) checkLengths() error {
	for _, s := range c.Series {
		if len(s.Values) != len(c.Categories) {
			return fmt.Errorf("report: chart %s: series %q has %d values for %d categories", c.ID, s.Name.EN, len(s.Values), len(c.Categories))
		}
	}
	return nil
}

func (c Chart) names(lang string) []string {
	names := make([]string, len(c.Categories))
	for i, t := range c.Categories {
		names[i] = t.In(lang)
	}
	return names
}

func (c Chart) bars(p *plot.Plot, lang string) error {
	if err := c.checkLengths(); err != nil {
		return err
	}
	n := len(c.Series)
	w := vg.Points(math.Max(4, math.Min(24, 240/float64(max(1, len(c.Categories)*n)))))
	for i, s := range c.Series {
		b, err := plotter.NewBarChart(plotter.Values(s.Values), w)
		if err != nil {
			return fmt.Errorf("report: chart %s: %w", c.ID, err)
		}
		b.LineStyle.Width = 0
		b.Color = palette[i%len(palette)]
		b.Offset = w * vg.Length(float64(i)-float64(n-1)/2)
		p.Add(b)
		if n > 1 {
			p.Legend.Add(s.Name.In(lang), b)
		}
	}
	p.NominalX(c.names(lang)...)
	return c.horizontalMarks(p, lang, float64(len(c.Categories)))
}

func (c Chart) lines(p *plot.Plot, lang string) error {
	if err := c.checkLengths(); err != nil {
		return err
	}
	for i, s := range c.Series {
		pts := make(plotter.XYs, len(s.Values))
		for j, v := range s.Values {
			pts[j] = plotter.XY{X: float64(j), Y: v}
		}
		l, err := plotter.NewLine(pts)
		if err != nil {
			return fmt.Errorf("report: chart %s: %w", c.ID, err)
		}
		l.Color = palette[i%len(palette)]
		l.Width = vg.Points(1.5)
		p.Add(l)
		p.Legend.Add(s.Name.In(lang), l)
	}
	p.NominalX(c.names(lang)...)
	return c.horizontalMarks(p, lang, float64(len(c.Categories)))
}

func (c Chart) histogram(p *plot.Plot, lang string) error {
	vals := c.Series[0].Values
	if len(vals) == 0 {
		return fmt.Errorf("report: chart %s: no observations", c.ID)
	}
	bins := c.Bins
	if bins <= 0 {
		bins = 10
	}
	h, err := plotter.NewHist(plotter.Values(vals), bins)
	if err != nil {
		return fmt.Errorf("report: chart %s: %w", c.ID, err)
	}
	h.FillColor = palette[0]
	h.LineStyle.Color = color.White
	p.Add(h)
	top := 0.0
	for _, b := range h.Bins {
		top = math.Max(top, b.Weight)
	}
	for i, m := range c.Marks {
		l, err := plotter.NewLine(plotter.XYs{{X: m.At, Y: 0}, {X: m.At, Y: top}})
		if err != nil {
			return fmt.Errorf("report: chart %s: %w", c.ID, err)
		}
		l.Color = palette[(i+5)%len(palette)]
		l.Width = vg.Points(1.5)
		l.Dashes = []vg.Length{vg.Points(4), vg.Points(3)}
		p.Add(l)
		p.Legend.Add(m.Label.In(lang), l)
	}
	return nil
}

// horizontalMarks draws each mark as a dashed line across the categories.
func (c Chart) horizontalMarks(p *plot.Plot, lang string, n float64) error {
	for i, m := range c.Marks {
		l, err := plotter.NewLine(plotter.XYs{{X: -0.5, Y: m.At}, {X: n - 0.5, Y: m.At}})
		if err != nil {
			return fmt.Errorf("report: chart %s: %w", c.ID, err)
		}
		l.Color = palette[(i+5)%len(palette)]
		l.Width = vg.Points(1.5)
		l.Dashes = []vg.Length{vg.Points(4), vg.Points(3)}
		p.Add(l)
		p.Legend.Add(m.Label.In(lang), l)
	}
	return nil
}
