package postgres_test

import (
	"context"
	"fmt"
	"log"
	"os"

	"github.com/gridgov/gridgov/evaluation"
	"github.com/gridgov/gridgov/governance"
	"github.com/gridgov/gridgov/store/postgres"
)

// The yearly "one report, two evaluations" on PostgreSQL: the evaluator takes the
// database's evaluation store, and a firm's cycles are read page by page with the cursor
// (each page one range of the firm index). (This example needs a server, so it is compiled
// but not run; TestConformance and TestEvaluatorOnPostgres run the store.)
func ExampleDB_Evaluation() {
	ctx := context.Background()
	db, err := postgres.Open(ctx, os.Getenv("DATABASE_URL"))
	if err != nil {
		log.Fatal(err)
	}
	defer db.Close()
	if err := db.Migrate(ctx); err != nil {
		log.Fatal(err)
	}
	reg, err := governance.NewRegistry(db.Governance())
	if err != nil {
		log.Fatal(err)
	}
	ev, err := evaluation.NewEvaluator(db.Evaluation(), reg)
	if err != nil {
		log.Fatal(err)
	}
	standings, err := ev.Assess(ctx, 2026) // every firm's standing for the year
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(len(standings), "firms assessed")

	q := evaluation.CycleQuery{FirmID: "firm-17", Limit: 100}
	for {
		page, next, err := db.Evaluation().ListCycles(ctx, q)
		if err != nil {
			log.Fatal(err)
		}
		for _, c := range page {
			fmt.Println(c.Year, c.CompoundID, c.State)
		}
		if next == "" {
			break
		}
		q.After = next
	}
}
