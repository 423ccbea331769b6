package storetest

import (
	"testing"

	"github.com/gridgov/gridgov/escalation"
	"github.com/gridgov/gridgov/evaluation"
	"github.com/gridgov/gridgov/funding"
	"github.com/gridgov/gridgov/governance"
	"github.com/gridgov/gridgov/governance/deliberation"
)

// Stores bundles the stores an adapter provides; nil fields are skipped (t.Skip), so an
// adapter can grow domain by domain.
type Stores struct {
	// Governance is the adapter's governance.Store; nil skips the governance tests.
	Governance governance.Store
	// Escalation is the adapter's escalation.Store; nil skips the escalation tests.
	Escalation escalation.Store
	// Funding is the adapter's funding.Store; nil skips the funding tests.
	Funding funding.Store
	// Evaluation is the adapter's evaluation.Store; nil skips the evaluation tests.
	Evaluation evaluation.Store
	// Deliberation is the adapter's deliberation.Store; nil skips the deliberation tests.
	Deliberation deliberation.Store
}

// Harness returns fresh, empty stores for one subtest; register cleanup with t.Cleanup.
type Harness func(t *testing.T) Stores

// Run runs every domain's contract tests as t.Run subtests.
func Run(t *testing.T, newStores Harness) {
	t.Helper()
	if newStores == nil {
		t.Fatal("storetest: Run needs a Harness")
	}
	t.Run("Governance", func(t *testing.T) { runGovernance(t, newStores) })
	t.Run("Escalation", func(t *testing.T) { runEscalation(t, newStores) })
	t.Run("Funding", func(t *testing.T) { runFunding(t, newStores) })
	t.Run("Evaluation", func(t *testing.T) { runEvaluation(t, newStores) })
	t.Run("Deliberation", func(t *testing.T) { runDeliberation(t, newStores) })
}
