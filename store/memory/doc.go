// Package memory is the embedded default storage of gridgov (内存存储): every store interface
// of the domain packages, implemented in memory, safe for concurrent use and with no
// dependencies beyond the standard library and the domain packages themselves.
//
// It is the reference implementation of the store contracts: the conformance suite in
// store/storetest runs against it, and its behaviour is what other adapters (for example
// store/postgres) are checked against. It suits tests, examples, simulations and small
// deployments whose data fits in memory and need not survive a restart.
//
// # One type per domain
//
// Each domain package declares its own Store interface, and this package implements each
// with its own type:
//
//   - [GovernanceStore] implements governance.Store: the organisation tree (组织架构) with
//     its history (沿革), organisations, people and positions (任职), and the registrations
//     of in-service Party members and units (双报到) with their service projects and records.
//
//   - [EscalationStore] implements escalation.Store: complaints (诉求), their histories and
//     the gap-free event feed, with B-tree indexes on ID and deadline, a per-path subtree index
//     and complaints packed into compact records (about 460 bytes each).
//
//   - [FundingStore] implements funding.Store: funds, accounts and the double-entry ledger
//     with atomic postings, per-account balances, idempotency keys and reversals.
//
//   - [EvaluationStore] implements evaluation.Store: the yearly one-report-two-evaluations
//     cycles (一述双评) with their histories, kept sorted by year and compound.
//
//   - [DeliberationStore] implements deliberation.Store: agenda items (议题) with their
//     rolls, ballots and notices, their histories and the disclosure log (公开台账).
//
// Each is built with its own constructor, so a program uses only the stores it needs.
//
// # Guarantees
//
// Every method checks its context first, and every write is atomic: a single lock guards
// each store, writes hold it exclusively and reads share it, so a reader never sees half of
// a write (for example half of a subtree move). Values going in and coming out are deep
// copies; the store never keeps a slice or map the caller can reach.
//
// The tree is kept as linked records (parent pointer, children sorted by ID), so
// Ancestors costs O(depth), Descendants O(size of the subtree) whatever the size of the
// tree, and subtree queries over organisations O(subtree + result).
package memory
