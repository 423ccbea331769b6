package postgres

// GovernanceStore is the governance.Store on PostgreSQL.
type GovernanceStore struct {
	run *runner
}
