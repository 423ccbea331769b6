package postgres_test

import (
	"context"
	"fmt"
	"log"
	"os"
	"time"

	"github.com/gridgov/gridgov"
	"github.com/gridgov/gridgov/escalation"
	"github.com/gridgov/gridgov/governance"
	"github.com/gridgov/gridgov/store/postgres"
)

// The schema comes in embedded, versioned migrations, one per domain; Migrate applies the
// ones a database lacks.
func ExampleMigrations() {
	migs, err := postgres.Migrations()
	if err != nil {
		log.Fatal(err)
	}
	for _, m := range migs {
		fmt.Printf("%04d_%s\n", m.Version, m.Name)
	}
	// Output:
	// 0001_governance
	// 0002_escalation
	// 0003_funding
	// 0004_evaluation
	// 0005_deliberation
}

// Wiring the domain services to PostgreSQL: open the database, bring its schema up to date,
// and hand each service its store. (This example needs a server, so it is compiled but not
// run; TestConformance runs the same stores through the whole contract.)
func Example() {
	ctx := context.Background()
	db, err := postgres.Open(ctx, os.Getenv("DATABASE_URL"),
		postgres.WithMaxAttempts(10), // retries of serialization failures and deadlocks
	)
	if err != nil {
		log.Fatal(err)
	}
	defer db.Close()
	if err := db.Migrate(ctx); err != nil { // idempotent; safe when several processes start at once
		log.Fatal(err)
	}

	reg, err := governance.NewRegistry(db.Governance(), governance.WithScheme(governance.FourLevelLadder()))
	if err != nil {
		log.Fatal(err)
	}
	eng, err := escalation.NewEngine(db.Escalation(), reg, escalation.LadderPolicy(governance.FourLevelLadder()))
	if err != nil {
		log.Fatal(err)
	}
	system := gridgov.SystemActor("importer")
	if _, err := reg.AddNode(ctx, system, governance.NodeInput{ID: "st", Level: "street", Name: "北园街道"}); err != nil {
		log.Fatal(err)
	}
	sweep, err := eng.Sweep(ctx) // the deadline index: cost follows what is due
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(sweep)
}

// A store call that fails with a serialization failure or a deadlock is retried; when the
// attempts run out, the error matches gridgov.ErrConflict, like a stale version, so the
// caller's usual read-and-retry loop handles both.
func ExampleWithMaxAttempts() {
	opts := []postgres.Option{
		postgres.WithMaxAttempts(5),
		postgres.WithBackoff(time.Millisecond, 100*time.Millisecond),
	}
	fmt.Println(len(opts), "options")
	// Output: 2 options
}
