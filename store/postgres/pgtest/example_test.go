package pgtest_test

import (
	"fmt"

	"github.com/gridgov/gridgov/store/postgres/pgtest"
)

// WithDatabase points a DSN, of either form, at another database on the same server.
func ExampleWithDatabase() {
	for _, dsn := range []string{
		"postgres://app:secret@db.internal:5432/gridgov?sslmode=require",
		"host=/tmp/pg port=5432 user=postgres dbname=postgres",
	} {
		other, err := pgtest.WithDatabase(dsn, "gridgov_test_1")
		if err != nil {
			fmt.Println(err)
			continue
		}
		fmt.Println(other)
	}
	// Output:
	// postgres://app:secret@db.internal:5432/gridgov_test_1?sslmode=require
	// host=/tmp/pg port=5432 user=postgres dbname=postgres dbname='gridgov_test_1'
}
