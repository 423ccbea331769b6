// Package storetest is the conformance suite for gridgov storage adapters (存储适配器一致性测试):
// one call runs the contract tests of every domain's Store interface against an adapter, so
// that every adapter behaves like the in-memory reference (store/memory).
//
// # Using it
//
// An adapter author writes one test function. It calls [Run] with a [Harness]: a function
// that returns fresh, empty stores for one subtest and registers their cleanup with
// t.Cleanup. Run calls the harness once per subtest, so no subtest sees another's data.
//
//	package mystore_test
//
//	import (
//		"testing"
//
//		"example.com/mystore"
//		"github.com/gridgov/gridgov/store/storetest"
//	)
//
//	func TestConformance(t *testing.T) {
//		storetest.Run(t, func(t *testing.T) storetest.Stores {
//			db := mystore.OpenTestDatabase(t) // a fresh, empty schema
//			t.Cleanup(func() { db.Close() })
//			return storetest.Stores{
//				Governance: mystore.NewGovernanceStore(db),
//				Escalation: mystore.NewEscalationStore(db),
//				Funding:    mystore.NewFundingStore(db),
//				// Evaluation and Deliberation likewise; leave a field nil to skip it.
//			}
//		})
//	}
//
// Every test is a t.Run subtest named after the domain and the rule it checks (for example
// "Governance/NodeMoveRefusals"), so a single rule can be run with -run while the adapter
// is being written.
//
// # Growing domain by domain
//
// [Stores] has one field per domain store. A nil field skips that domain's tests
// (t.Skip), so an adapter can implement one domain at a time and still run the suite. The
// domains are governance, escalation, funding, evaluation and deliberation.
//
// # What the suite asserts
//
// Each sentence of a Store's doc comment becomes one or more checks: round trips, versions
// (a stale write is gridgov.ErrConflict), identifiers (gridgov.ErrAlreadyExists), integrity
// (gridgov.ErrInvalid, and the store unchanged after the refusal), list order, copies that
// do not alias the store, cancelled contexts, and concurrency (two writers with one version:
// exactly one wins; concurrent moves never form a cycle; a subtree move is seen whole or
// not at all). Errors are checked only with errors.Is, never by their text, and nothing
// depends on wall-clock timing: every time is a fixed time.Date value, and the concurrency
// tests synchronise with channels and repeat instead of sleeping.
//
// Adapters may return times in another location than they were given (they are compared
// with time.Time.Equal semantics), an empty map or slice for a nil one, and decimals at
// another scale (compared with decimal.Decimal.Equal).
package storetest
