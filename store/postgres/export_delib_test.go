package postgres

// The deliberation store's queries, for the EXPLAIN tests (explain_delib_test.go).
const (
	DelibHistorySQL = delibHistorySQL
	ItemCols        = itemCols
)

// ListItemsSQL and DisclosuresSQL build the queries of the deliberation list methods.
var (
	ListItemsSQL   = listItemsSQL
	DisclosuresSQL = disclosuresSQL
)
