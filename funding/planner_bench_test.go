package funding_test

import (
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"github.com/gridgov/gridgov"
	"github.com/gridgov/gridgov/funding"
	"github.com/gridgov/gridgov/governance"
	"github.com/gridgov/gridgov/store/memory"
)

// plBenchTreasury returns a treasury over a district with n compounds, each with a Party
// branch and a secretary, in communities of 1,000 compounds and streets of 10
// communities. The data goes straight into the memory store (the registry's checks would
// dominate the set-up); every tenth secretary was appointed in 2025, so that pro-rating
// is exercised.
func plBenchTreasury(b *testing.B, n int) *funding.Treasury {
	b.Helper()
	ctx, gs := plCtx, memory.NewGovernanceStore()
	t0 := plDate(2024, time.January, 1)
	must := func(_ any, err error) {
		if err != nil {
			b.Fatal(err)
		}
	}
	node := func(id, parent, level string) {
		must(gs.CreateNode(ctx, governance.Node{ID: id, ParentID: parent, Level: level, Name: id, CreatedAt: t0, UpdatedAt: t0},
			governance.NodeChange{Kind: governance.ChangeCreated, Actor: "system:bench", At: t0}))
	}
	node("d", "", "district")
	for i := range n {
		c := fmt.Sprintf("c%03d", i/1000)
		if i%1000 == 0 {
			s := fmt.Sprintf("s%02d", i/10000)
			if i%10000 == 0 {
				node(s, "d", "street")
			}
			node(c, s, "community")
		}
		k, br, p := fmt.Sprintf("k%06d", i), fmt.Sprintf("b%06d", i), fmt.Sprintf("p%06d", i)
		node(k, c, "compound")
		must(gs.CreateOrganisation(ctx, governance.Organisation{ID: br, NodeID: k, Kind: governance.OrgPartyBranch, Name: br, CreatedAt: t0, UpdatedAt: t0}))
		must(gs.CreatePerson(ctx, governance.Person{ID: p, Name: "书记", CreatedAt: t0, UpdatedAt: t0}))
		since := t0
		if i%10 == 0 {
			since = plDate(2025, time.Month(1+i%12), 1+i%28)
		}
		must(gs.CreatePosition(ctx, governance.Position{ID: "pos" + p, PersonID: p, OrgID: br, NodeID: k, OrgKind: governance.OrgPartyBranch,
			Role: governance.RoleSecretary, Since: since, CreatedAt: t0, UpdatedAt: t0}))
	}
	reg, err := governance.NewRegistry(gs, governance.WithScheme(plScheme()), governance.WithClock(gridgov.NewFakeClock(plDate(2026, time.January, 5))))
	must(reg, err)
	tr, err := funding.NewTreasury(&plStore{}, reg, funding.WithIDs(gridgov.NewSequence("plan")))
	must(tr, err)
	return tr
}

var plBenchTreasuries sync.Map // size → *funding.Treasury, built once per run

func plBenchPlan(b *testing.B, n int, budget string, scale bool) {
	v, ok := plBenchTreasuries.Load(n)
	if !ok {
		v, _ = plBenchTreasuries.LoadOrStore(n, plBenchTreasury(b, n))
	}
	tr := v.(*funding.Treasury)
	in := funding.PlanInput{ID: "bench", Budget: decimal.RequireFromString(budget), Period: plYear, ScaleDown: scale,
		Rules: []funding.Rule{{ID: "stipend", Kind: funding.RuleStipend, Recipients: plSecretaries,
			Amount: plDec("300"), Floor: plDec("200"), ProRate: funding.ProRateMonths}}}
	b.ReportAllocs()
	b.ResetTimer()
	var lines int
	for b.Loop() {
		p, err := tr.Plan(plCtx, in)
		if err != nil {
			b.Fatal(err)
		}
		lines = len(p.Lines)
	}
	if lines != n {
		b.Fatalf("%d lines for %d recipients", lines, n)
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(n), "ns/recipient")
}

// BenchmarkPlan1k is the baseline: a stipend for 1,000 secretaries.
func BenchmarkPlan1k(b *testing.B) { plBenchPlan(b, 1_000, "1e9", false) }

// BenchmarkPlan100k plans a stipend for 100,000 secretaries (months pro-rated).
func BenchmarkPlan100k(b *testing.B) { plBenchPlan(b, 100_000, "1e9", false) }

// BenchmarkPlan100kScaled does the same with a budget that forces scaling down.
func BenchmarkPlan100kScaled(b *testing.B) { plBenchPlan(b, 100_000, "300000000", true) }
