package funding_test

import (
	"strconv"
	"testing"

	"github.com/shopspring/decimal"

	"github.com/gridgov/gridgov"
	"github.com/gridgov/gridgov/funding"
)

// BenchmarkDisburse measures posting throughput: one keyed disbursement of ¥1.00 from a
// community fund to a resident, through the Treasury (validation, recipient look-up,
// authority, account opening, the posting) and, as the baseline in the same run, the same
// posting straight into the memory store.
//
//	go test -run '^$' -bench BenchmarkDisburse -benchtime 20000x ./funding
func BenchmarkDisburse(b *testing.B) {
	one := decimal.RequireFromString("1.00")
	b.Run("store", func(b *testing.B) {
		f := newLgFixture(b)
		f.fund("1000000000", "100000000")
		acct := funding.RecipientAccountID(funding.RecipientPerson, "r1")
		_, err := f.store.CreateAccount(lgCtx, funding.Account{ID: acct, Kind: funding.AccountRecipient, Unit: funding.CNY, NodeID: "k1", OwnerID: "r1"})
		if err != nil {
			b.Fatal(err)
		}
		ids := gridgov.NewSequence("bench")
		b.ReportAllocs()
		b.ResetTimer()
		for i := 0; i < b.N; i++ {
			_, _, err := f.store.Post(lgCtx, funding.Posting{ID: ids.NewID(), Key: "k" + strconv.Itoa(i), Reason: "stipend",
				Actor: lgC1Sec, At: lgStart, Lines: []funding.Line{
					{AccountID: "fund:c1-start", Amount: one.Neg()},
					{AccountID: acct, Amount: one},
				}})
			if err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("treasury", func(b *testing.B) {
		f := newLgFixture(b)
		f.fund("1000000000", "100000000")
		b.ReportAllocs()
		b.ResetTimer()
		for i := 0; i < b.N; i++ {
			_, err := f.tr.Disburse(lgCtx, lgC1Sec, funding.DisburseInput{FundID: "c1-start", RecipientKind: funding.RecipientPerson,
				RecipientID: "r1", Amount: one, Reason: "stipend", Key: "k" + strconv.Itoa(i)})
			if err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("treasury-parallel", func(b *testing.B) {
		f := newLgFixture(b)
		f.fund("1000000000", "100000000")
		ids := gridgov.NewSequence("key")
		b.ReportAllocs()
		b.ResetTimer()
		b.RunParallel(func(pb *testing.PB) {
			for pb.Next() {
				_, err := f.tr.Disburse(lgCtx, lgC1Sec, funding.DisburseInput{FundID: "c1-start", RecipientKind: funding.RecipientPerson,
					RecipientID: "r1", Amount: one, Reason: "stipend", Key: ids.NewID()})
				if err != nil {
					b.Error(err)
					return
				}
			}
		})
	})
}
