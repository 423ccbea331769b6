package evaluation_test

import (
	"fmt"

	"github.com/gridgov/gridgov/evaluation"
	"github.com/gridgov/gridgov/funding"
)

// An award tier has the same fields as a funding band, so a conversion hands the tiers of
// an excellence rule to a funding award rule (the two packages do not import each other).
func ExampleAwardTier_toFundingBand() {
	var bands []funding.Band
	for _, t := range evaluation.JiaochengAwards().Tiers {
		bands = append(bands, funding.Band(t))
	}
	for _, b := range bands {
		fmt.Printf("through %d: ¥%s\n", b.Through, b.Amount)
	}
	// Output:
	// through 1: ¥30000
	// through 3: ¥20000
	// through 5: ¥10000
}
