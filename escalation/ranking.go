package escalation

import (
	"context"
	"fmt"
	"sort"
	"time"

	"github.com/shopspring/decimal"

	"github.com/gridgov/gridgov"
)

// Measure names a metric to rank by.
type Measure string

// The measures.
const (
	MeasureResponse     Measure = "response"     // 响应率
	MeasureResolution   Measure = "resolution"   // 解决率
	MeasureSatisfaction Measure = "satisfaction" // 满意率
	MeasureComposite    Measure = "composite"    // 综合得分
	MeasureOnTime       Measure = "on_time"      // 按时办结率
	MeasureRework       Measure = "rework"       // 返工率 (lower is better)
	MeasureRepeat       Measure = "repeat"       // 重复诉求率 (lower is better)
)

// WithinMeasure returns the measure "share of settled complaints resolved within days
// days of submission" (N日内解决率), read from [Report.Within]: rank by it with an engine
// whose [Definitions.WithinDays] lists days (2 and 7 by default). Jiaocheng's target, 85%
// of property problems resolved within 2 days, ranks by WithinMeasure(2).
func WithinMeasure(days int) Measure { return Measure(fmt.Sprintf("within_%dd", days)) }

// withinDays returns the N of a WithinMeasure, or false.
func (m Measure) withinDays() (int, bool) {
	var n int
	if _, err := fmt.Sscanf(string(m), "within_%dd", &n); err != nil || n <= 0 || WithinMeasure(n) != m {
		return 0, false
	}
	return n, true
}

// NameZH returns the Chinese name of the measure.
func (m Measure) NameZH() string {
	if n, ok := m.withinDays(); ok {
		return fmt.Sprintf("%d日内解决率", n)
	}
	return map[Measure]string{MeasureResponse: "响应率", MeasureResolution: "解决率",
		MeasureSatisfaction: "满意率", MeasureComposite: "综合得分", MeasureOnTime: "按时办结率",
		MeasureRework: "返工率", MeasureRepeat: "重复诉求率"}[m]
}

// LowerIsBetter reports whether a smaller value ranks higher.
func (m Measure) LowerIsBetter() bool { return m == MeasureRework || m == MeasureRepeat }

// Value returns the report's value for m and the denominator behind it (for the composite,
// the number of rated complaints; for a [WithinMeasure], the settled complaints). ok is
// false for an unknown measure.
func (r Report) Value(m Measure) (value, denominator decimal.Decimal, ok bool) {
	var rate Rate
	switch m {
	case MeasureResponse:
		rate = r.Response
	case MeasureResolution:
		rate = r.Resolution
	case MeasureSatisfaction:
		rate = r.Satisfaction
	case MeasureOnTime:
		rate = r.OnTime
	case MeasureRework:
		rate = r.Rework
	case MeasureRepeat:
		rate = r.Repeat
	case MeasureComposite:
		return r.Composite, r.Satisfaction.Denominator, true
	default:
		n, ok := m.withinDays()
		if !ok {
			return decimal.Zero, decimal.Zero, false
		}
		// A report from definitions without these days has no value: every node ranks as
		// undefined rather than the measure being refused.
		for _, w := range r.Within {
			if w.Days == n {
				rate = w.Rate
			}
		}
	}
	return rate.Value(), rate.Denominator, true
}

// Ranked is one node's place in a ranking.
type Ranked struct {
	// Rank is 1 for the best; nodes tied on value and denominator share a rank.
	Rank   int
	NodeID string
	Value  decimal.Decimal
	Report Report
	// TieBreak explains how the node was ordered against an equal value, if it was.
	TieBreak string
}

// RankReports ranks reports by m: higher values first (lower first for rework and repeat
// rates). Ties on value go to the larger denominator (more complaints behind the figure),
// then to the smaller node ID; nodes equal on both value and denominator share a rank.
// Nodes whose rate is undefined (no complaints behind it) rank last. It returns
// gridgov.ErrInvalid for an unknown measure.
func RankReports(reports map[string]Report, m Measure) ([]Ranked, error) {
	if _, _, ok := (Report{}).Value(m); !ok {
		return nil, gridgov.Invalid("Measure", "oneof", fmt.Sprintf("unknown measure %q", m),
			fmt.Sprintf("未知指标“%s”", m))
	}
	type row struct {
		Ranked
		den decimal.Decimal
	}
	rows := make([]row, 0, len(reports))
	for id, r := range reports {
		v, den, _ := r.Value(m)
		rows = append(rows, row{Ranked{NodeID: id, Value: v, Report: r}, den})
	}
	better := func(a, b row) int { // <0 when a ranks above b on value and denominator
		if ad, bd := a.den.IsZero(), b.den.IsZero(); ad != bd {
			if ad {
				return 1
			}
			return -1
		}
		c := b.Value.Cmp(a.Value)
		if m.LowerIsBetter() {
			c = -c
		}
		if c != 0 {
			return c
		}
		return b.den.Cmp(a.den)
	}
	sort.Slice(rows, func(i, j int) bool {
		if c := better(rows[i], rows[j]); c != 0 {
			return c < 0
		}
		return rows[i].NodeID < rows[j].NodeID
	})
	out := make([]Ranked, len(rows))
	for i, r := range rows {
		r.Rank = i + 1
		if i > 0 && better(rows[i-1], r) == 0 {
			r.Rank = out[i-1].Rank
			r.TieBreak = fmt.Sprintf("tied with %s on value and denominator; listed by node ID (与%s并列，按节点编号排列)", rows[i-1].NodeID, rows[i-1].NodeID)
		} else if i > 0 && rows[i-1].Value.Equal(r.Value) {
			r.TieBreak = fmt.Sprintf("same value as %s, fewer complaints behind it (%s vs %s) (与%s数值相同，统计基数较少)",
				rows[i-1].NodeID, r.den, rows[i-1].den, rows[i-1].NodeID)
		}
		out[i] = r.Ranked
	}
	return out, nil
}

// MetricsQuery selects the complaints [Engine.Metrics] counts.
type MetricsQuery struct {
	// NodeID is the subtree ("" for every complaint, unless NodeIDs is set).
	NodeID string
	// NodeIDs, when set, adds more subtrees: the report counts the complaints of NodeID's
	// (when not "") and all of these subtrees together, each complaint once even where
	// subtrees overlap — for example the compounds a property firm serves
	// ([governance.Organisation.Serves]).
	NodeIDs []string
	// From and To bound the submission time, [From, To) (zero bounds are open).
	From, To time.Time
	// Category keeps one category ("" keeps all).
	Category string
}

// metricsPage is how many complaints Metrics reads per store call.
const metricsPage = 4096

// Metrics reports the metrics of the complaints in q's subtree (or subtrees) and period
// under the engine's definitions ([WithDefinitions]). It reads the store page by page; its
// cost grows with the complaints counted.
func (e *Engine) Metrics(ctx context.Context, q MetricsQuery) (Report, error) {
	levels := make([]string, len(e.tiers))
	for i, t := range e.tiers {
		levels[i] = t.Level
	}
	tally, err := NewTally(e.defs, levels...)
	if err != nil {
		return Report{}, err
	}
	roots := q.NodeIDs
	if q.NodeID != "" || len(roots) == 0 {
		roots = append([]string{q.NodeID}, roots...)
	}
	var seen map[string]bool // complaints counted, when subtrees may overlap
	if len(roots) > 1 {
		seen = map[string]bool{}
	}
	for _, root := range roots {
		sq := Query{Within: root, From: q.From, To: q.To, Category: q.Category, Limit: metricsPage}
		for {
			page, next, err := e.store.ListComplaints(ctx, sq)
			if err != nil {
				return Report{}, err
			}
			for i := range page {
				if seen != nil {
					if seen[page[i].ID] {
						continue
					}
					seen[page[i].ID] = true
				}
				tally.Add(page[i])
			}
			if next == "" {
				break
			}
			sq.After = next
		}
	}
	return tally.Report(), nil
}

// Rank ranks the children of a node (for example the communities of a street) by m over
// the period [from, to): see [RankReports] for the order and tie-breaks.
func (e *Engine) Rank(ctx context.Context, nodeID string, from, to time.Time, m Measure) ([]Ranked, error) {
	children, err := e.reg.Children(ctx, nodeID)
	if err != nil {
		return nil, err
	}
	reports := make(map[string]Report, len(children))
	for _, ch := range children {
		r, err := e.Metrics(ctx, MetricsQuery{NodeID: ch.ID, From: from, To: to})
		if err != nil {
			return nil, err
		}
		reports[ch.ID] = r
	}
	return RankReports(reports, m)
}
