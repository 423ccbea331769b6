package funding_test

import (
	"testing"

	"github.com/shopspring/decimal"

	"github.com/gridgov/gridgov/funding"
)

// BenchmarkAllocate1M splits ¥4,000,000.00 into 1,000,000 parts, evenly and by weights,
// against the baseline of a plain loop of decimal additions over the same parts, in the
// same run. Each reports ns/part.
func BenchmarkAllocate1M(b *testing.B) {
	const n = 1_000_000
	total := decimal.RequireFromString("4000000.00")
	weights := make([]decimal.Decimal, n)
	for i := range weights {
		weights[i] = decimal.New(int64(50+i%150), -1) // areas 5.0 to 19.9
	}
	parts, err := funding.SplitEvenly(total, n)
	if err != nil {
		b.Fatal(err)
	}
	perPart := func(b *testing.B) {
		b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/n, "ns/part")
	}
	b.Run("baseline_decimal_add_loop", func(b *testing.B) {
		for b.Loop() {
			sum := decimal.Zero
			for _, p := range parts {
				sum = sum.Add(p)
			}
			if !sum.Equal(total) {
				b.Fatal(sum)
			}
		}
		perPart(b)
	})
	b.Run("SplitEvenly", func(b *testing.B) {
		for b.Loop() {
			if _, err := funding.SplitEvenly(total, n); err != nil {
				b.Fatal(err)
			}
		}
		perPart(b)
	})
	b.Run("SplitByWeights", func(b *testing.B) {
		for b.Loop() {
			if _, err := funding.SplitByWeights(total, weights); err != nil {
				b.Fatal(err)
			}
		}
		perPart(b)
	})
}
