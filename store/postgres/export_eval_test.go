package postgres

// The evaluation store's queries, for the EXPLAIN tests.
const (
	CycleCols      = cycleCols
	CycleEventCols = cycleEventCols
)

// ListCyclesSQL builds the query of ListCycles.
var ListCyclesSQL = listCyclesSQL
