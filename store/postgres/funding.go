package postgres

// FundingStore is the funding.Store on PostgreSQL.
type FundingStore struct {
	run *runner
}
