package funding_test

import (
	"fmt"
	"math/rand/v2"
	"sync"
	"testing"

	"github.com/shopspring/decimal"

	"github.com/gridgov/gridgov/funding"
)

// benchParts is the number of parts of the allocation benchmarks.
const benchParts = 1_000_000

var (
	benchSink      decimal.Decimal
	benchPartsSink []decimal.Decimal
	benchTotal     = funding.MustMoney("¥1,000,000,000.00")
)

// benchAreas returns 1,000,000 floor areas from 30.00 to 300.00 m² (seeded).
var benchAreas = sync.OnceValue(func() []decimal.Decimal {
	r := rand.New(rand.NewPCG(1, 1))
	w := make([]decimal.Decimal, benchParts)
	for i := range w {
		w[i] = decimal.New(3000+r.Int64N(27001), -2)
	}
	return w
})

// benchWideWeights returns 1,000,000 weights from 10^-12 to 10^12, too wide for machine
// words, so the split takes the big-integer path.
var benchWideWeights = sync.OnceValue(func() []decimal.Decimal {
	r := rand.New(rand.NewPCG(2, 2))
	w := make([]decimal.Decimal, benchParts)
	for i := range w {
		w[i] = decimal.New(1+r.Int64N(999_999), int32(r.IntN(25)-12))
	}
	return w
})

// reportPerPart reports the time per part of a benchmark over benchParts parts.
func reportPerPart(b *testing.B) {
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/benchParts, "ns/part")
}

// BenchmarkDecimalAddLoop1M is the baseline of the allocation benchmarks: a plain loop of
// decimal additions over the 1,000,000 parts of the area split.
func BenchmarkDecimalAddLoop1M(b *testing.B) {
	parts, err := funding.SplitByWeights(benchTotal, benchAreas())
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		s := decimal.Zero
		for _, p := range parts {
			s = s.Add(p)
		}
		benchSink = s
	}
	reportPerPart(b)
}

func BenchmarkSplitEvenly1M(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		parts, err := funding.SplitEvenly(benchTotal, benchParts)
		if err != nil {
			b.Fatal(err)
		}
		benchPartsSink = parts
	}
	reportPerPart(b)
}

// BenchmarkSplitByWeights1M splits by 1,000,000 floor areas (the machine-word path).
func BenchmarkSplitByWeights1M(b *testing.B) {
	weights := benchAreas()
	b.ReportAllocs()
	for b.Loop() {
		parts, err := funding.SplitByWeights(benchTotal, weights)
		if err != nil {
			b.Fatal(err)
		}
		benchPartsSink = parts
	}
	reportPerPart(b)
}

// BenchmarkSplitByWeightsWide1M splits by 1,000,000 weights spanning 30 digits (the
// big-integer path).
func BenchmarkSplitByWeightsWide1M(b *testing.B) {
	weights := benchWideWeights()
	b.ReportAllocs()
	for b.Loop() {
		parts, err := funding.SplitByWeights(benchTotal, weights)
		if err != nil {
			b.Fatal(err)
		}
		benchPartsSink = parts
	}
	reportPerPart(b)
}

// BenchmarkSplitByWeightsReference1M runs the plain decimal implementation of the tests
// (refSplitByWeights: QuoRem per part and a sort) on the same areas, for comparison.
func BenchmarkSplitByWeightsReference1M(b *testing.B) {
	weights := benchAreas()
	b.ReportAllocs()
	for b.Loop() {
		benchPartsSink = refSplitByWeights(benchTotal, weights)
	}
	reportPerPart(b)
}

// BenchmarkSplitCost splits a bill with a subsidy by area among n households.
func BenchmarkSplitCost(b *testing.B) {
	for _, n := range []int{18, 1000} {
		in := funding.CostShare{Bill: funding.MustMoney("12,000"), SubsidyRate: decimal.RequireFromString("0.3"),
			SubsidyFrom: "pf", Basis: funding.CostByArea}
		for i, a := range benchAreas()[:n] {
			in.Households = append(in.Households, funding.Household{ID: fmt.Sprint(i), Area: a})
		}
		b.Run(fmt.Sprint("households=", n), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := funding.SplitCost(in); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkParseMoney(b *testing.B) {
	for _, s := range []string{"4000000", "¥4,000,000.00", "1.5万"} {
		b.Run(s, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				d, err := funding.ParseMoney(s)
				if err != nil {
					b.Fatal(err)
				}
				benchSink = d
			}
		})
	}
}

func BenchmarkFormatYuan(b *testing.B) {
	d := funding.MustMoney("¥4,000,000.50")
	b.ReportAllocs()
	for b.Loop() {
		_ = funding.FormatYuan(d)
	}
}
