package postgres_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"

	"github.com/gridgov/gridgov/escalation"
	"github.com/gridgov/gridgov/evaluation"
	"github.com/gridgov/gridgov/store/postgres"
)

// benchCard is a scorecard of 20 lines in 4 categories, with records, as Score makes them.
func benchCard(subject string) evaluation.Scorecard {
	card := evaluation.Scorecard{SchemeID: "firm-2026", Subject: evaluation.SubjectFirm, SubjectID: subject,
		Base: money("86.4500"), Merits: money("2.00"), Demerits: money("1.50"), Score: money("86.95"), Grade: "良好"}
	for c := range 4 {
		cat := evaluation.CategoryScore{Key: fmt.Sprintf("cat%d", c), Points: money("21.6125"), Max: money("25.00")}
		for i := range 5 {
			card.Lines = append(card.Lines, evaluation.Line{Category: cat.Key, Indicator: fmt.Sprintf("cat%d-ind%d", c, i),
				Evaluator: "branch", Points: money("8.5"), Max: money("10"),
				Share: money("0.6"), Contribution: money("4.3225")})
		}
		card.Categories = append(card.Categories, cat)
	}
	card.Records = []evaluation.Record{{Kind: evaluation.Merit, Points: money("2"), Reason: "区级表彰", Ref: "commend-17"},
		{Kind: evaluation.Demerit, Points: money("1.5"), Reason: "投诉未按期办结", Ref: "cp-4711"}}
	return card
}

// benchCycle is a cycle as it stands once evaluated: the report, the committee's
// scorecard and two firms' evaluations with their surveys and complaint figures (a
// document of about 9 KB).
func benchCycle(id, compound string, year int) evaluation.Cycle {
	c := evalCycle(id, compound, year, "f1", "f2")
	c.State = evaluation.StateEvaluating
	c.Report = &evaluation.AnnualReport{FiledBy: "p-head", FiledAt: t0, Recipients: []string{"pc", "pb-" + compound},
		Duties: "组织召开业主大会两次，完成电梯更新表决。", MoneyHandled: money("186400.00"), MoneyDisclosed: money("186400.00"),
		Disclosures: 12, Matters: 31, Settled: 29, Text: "年度述职报告全文"}
	c.Committee = &evaluation.Evaluation{Card: benchCard("oc-" + compound), Opinion: "履职较好", By: "p-sec", At: t0}
	for _, f := range c.FirmIDs {
		rate := escalation.Rate{Numerator: decimal.NewFromInt(93), Denominator: decimal.NewFromInt(100)}
		c.Firms = append(c.Firms, evaluation.FirmEvaluation{FirmID: f,
			Evaluation: evaluation.Evaluation{Card: benchCard(f), Opinion: "服务规范", By: "p-branch", At: t0},
			Survey:     evaluation.Survey{Satisfied: 412, Basic: 57, Dissatisfied: 21},
			Complaints: &evaluation.ComplaintSummary{Total: 140, Response: rate, Resolution: rate, Satisfaction: rate,
				OnTime: rate, Rework: rate, Composite: money("91.27")},
			Quarterly: []decimal.Decimal{money("88.5"), money("90.0"), money("91.5"), money("89.0")}})
	}
	return c
}

// BenchmarkUpdateCycle is UpdateCycle from several clients at once, each on a cycle of its
// own holding a full evaluation (one statement, one transaction), next to its floor: a
// bare UPDATE of the same row with the same document, already encoded, and no event
// (sub-benchmark bare). Compare with BenchmarkUpdateComplaint in the same run.
func BenchmarkUpdateCycle(b *testing.B) {
	clients := benchEnv("GRIDGOV_BENCH_CLIENTS", 8)
	db := benchDB(b, clients)
	st := db.Evaluation()
	ctx := context.Background()
	cs := make([]evaluation.Cycle, clients)
	for c := range clients {
		var err error
		cs[c], err = st.CreateCycle(ctx, benchCycle(fmt.Sprintf("y%d", c), fmt.Sprintf("k%d", c), 2026),
			evalEvent(evaluation.StepOpen, "", evaluation.StateOpen))
		require.NoError(b, err)
	}
	b.Run("store", func(b *testing.B) {
		parallel(b, clients, "updates/s", func(c, i int) error {
			cy := cs[c]
			cy.Firms[i%2].SentTo = fmt.Sprintf("authority-%d", i)
			stored, err := st.UpdateCycle(ctx, cy, evalEvent(evaluation.StepEvaluateFirm, cy.State, cy.State))
			cs[c] = stored
			return err
		})
	})
	b.Run("bare", func(b *testing.B) {
		var doc []byte
		require.NoError(b, db.Pool().QueryRow(ctx, "SELECT doc::text FROM eval_cycles WHERE id = 'y0'").Scan(&doc))
		parallel(b, clients, "updates/s", func(c, i int) error {
			_, err := db.Pool().Exec(ctx, "UPDATE eval_cycles SET version = version + 1, doc = $2 WHERE id = $1",
				fmt.Sprintf("y%d", c), doc)
			return err
		})
	})
}

// loadCycles loads cycles for years 2017–2026 of the compounds k00000…, each a copy of a
// full cycle's document, served by two of 300 firms, with their firm index rows.
func loadCycles(b *testing.B, db *postgres.DB, compounds int) {
	ctx := context.Background()
	_, err := db.Evaluation().CreateCycle(ctx, benchCycle("template", "template", 1), evalEvent(evaluation.StepOpen, "", evaluation.StateOpen))
	require.NoError(b, err)
	for _, sql := range []string{`
INSERT INTO eval_cycles (id, version, year, compound_id, community_id, committee_id, state, firm_ids, doc)
SELECT 'y' || y || '-' || k, 1, y, 'k' || lpad(k::text, 5, '0'), 'cm' || (k % 60), 'oc' || k, 'evaluating',
	ARRAY['f' || (k % 300), 'f' || ((k * 7 + 1) % 300)], (SELECT doc FROM eval_cycles WHERE id = 'template')
FROM generate_series(2017, 2026) y, generate_series(0, $1::int - 1) k`, `
INSERT INTO eval_cycle_firms (firm_id, year, compound_id)
SELECT DISTINCT unnest(firm_ids), year, compound_id FROM eval_cycles WHERE id <> 'template'`, `ANALYZE`} {
		var args []any
		if strings.Contains(sql, "$1") {
			args = []any{compounds}
		}
		_, err = db.Pool().Exec(ctx, sql, args...)
		require.NoError(b, err)
	}
}

// BenchmarkListCycles reads pages of 50 full cycles among 30,000 (3,000 compounds over ten
// years): a year's cycles from a cursor, a community's, and a firm's through the firm
// index; each next to its floor, the same SQL with the rows read as bytes (…/sql). A
// page's cost follows the page, not the table; what the store adds is decoding the
// documents (about 10 KB each).
func BenchmarkListCycles(b *testing.B) {
	db := benchDB(b, 2)
	loadCycles(b, db, 3000)
	st := db.Evaluation()
	ctx := context.Background()
	for _, tc := range []struct {
		name string
		q    evaluation.CycleQuery
	}{
		{"year", evaluation.CycleQuery{Year: 2024, After: "2024:k01000", Limit: 50}},
		{"community", evaluation.CycleQuery{CommunityID: "cm7", After: "2019:k00000", Limit: 50}},
		{"firm", evaluation.CycleQuery{FirmID: "f17", Limit: 50}},
	} {
		b.Run(tc.name+"/store", func(b *testing.B) {
			for b.Loop() {
				cs, _, err := st.ListCycles(ctx, tc.q)
				if err != nil || len(cs) != 50 {
					b.Fatalf("ListCycles: %d, %v", len(cs), err)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Microseconds())/float64(b.N), "µs/page")
		})
		b.Run(tc.name+"/sql", func(b *testing.B) {
			sql, args, err := postgres.ListCyclesSQL(tc.q)
			require.NoError(b, err)
			for b.Loop() {
				rows, err := db.Pool().Query(ctx, sql, args...)
				require.NoError(b, err)
				n := 0
				for rows.Next() {
					_ = rows.RawValues()
					n++
				}
				rows.Close()
				if rows.Err() != nil || n != 51 {
					b.Fatalf("rows: %d, %v", n, rows.Err())
				}
			}
			b.ReportMetric(float64(b.Elapsed().Microseconds())/float64(b.N), "µs/page")
		})
	}
}
