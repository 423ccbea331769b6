package funding_test

import (
	"errors"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gridgov/gridgov"
	"github.com/gridgov/gridgov/funding"
)

// lgRefusal asserts that err is one of the refusals a ledger command may return and, for a
// validation failure, that every field has both messages.
func lgRefusal(t *testing.T, err error) {
	t.Helper()
	known := false
	for _, e := range []error{gridgov.ErrInvalid, gridgov.ErrBudgetExceeded, gridgov.ErrForbidden, gridgov.ErrAlreadyExists} {
		known = known || errors.Is(err, e)
	}
	require.True(t, known, "unexpected error %v", err)
	var verr *gridgov.ValidationError
	if errors.As(err, &verr) {
		for _, fe := range verr.Fields {
			assert.NotEmpty(t, fe.EN, fe.Field)
			assert.NotEmpty(t, fe.ZH, fe.Field)
		}
	}
}

// FuzzPostingInput posts arbitrary inputs: nothing panics, a refused posting leaves the
// ledger unchanged, and an accepted one balances.
func FuzzPostingInput(f *testing.F) {
	f.Add("", "", "adjust", uint8(0), "-10", uint8(1), "10", uint8(1), "0", int64(0))
	f.Add("adj-1", "k", "adjust", uint8(0), "-10.00", uint8(1), "5", uint8(1), "5", int64(0))
	f.Add("a b", "reverse:x", "", uint8(9), "1e99", uint8(2), "-1e-40", uint8(3), "x", int64(1))
	f.Add("p", "expire:me", "\x00", uint8(4), "-0.001", uint8(5), "0.001", uint8(0), "", int64(-5))
	f.Add("q", "k2", "points", uint8(5), "-7", uint8(6), "7", uint8(6), "0", int64(3600))
	f.Add("r", "k3", "overdraw", uint8(1), "-99999", uint8(0), "99999", uint8(2), "0", int64(0))
	f.Fuzz(func(t *testing.T, id, key, reason string, a1 uint8, m1 string, a2 uint8, m2 string, a3 uint8, m3 string, expires int64) {
		fx := newLgFixture(t)
		fx.fund("1000", "100")
		b := fx.points(lgPolicy())
		_, err := b.EarnPoints(lgCtx, lgSystem, funding.EarnInput{PersonID: "r1", Activity: "x", Points: 50})
		require.NoError(t, err)
		accounts := []string{"fund:dist", "fund:c1-start", "source:district-finance", "ghost", "",
			funding.PointsIssuerAccount, funding.PointsAccountID("r1")}
		line := func(a uint8, m string) funding.Line {
			amount, err := decimal.NewFromString(m)
			if err != nil {
				amount = decimal.Zero
			}
			l := funding.Line{AccountID: accounts[int(a)%len(accounts)], Amount: amount}
			if expires != 0 && a%2 == 0 {
				l.Expires = lgStart.Add(time.Duration(expires) * time.Second)
			}
			return l
		}
		lines := []funding.Line{line(a1, m1), line(a2, m2)}
		if m3 != "" {
			lines = append(lines, line(a3, m3))
		}
		before := fx.snapshot()
		p, err := fx.tr.Post(lgCtx, lgSystem, funding.PostingInput{ID: id, Key: key, Lines: lines, Reason: reason})
		if err != nil {
			lgRefusal(t, err)
			assert.Equal(t, before, fx.snapshot(), "a refused posting changes nothing")
			return
		}
		sums := map[string]decimal.Decimal{}
		for _, l := range p.Lines {
			acct, err := fx.tr.Account(lgCtx, l.AccountID)
			require.NoError(t, err)
			sums[string(acct.Unit)] = sums[string(acct.Unit)].Add(l.Amount)
		}
		for u, s := range sums {
			assert.True(t, s.IsZero(), "%s lines sum to %s", u, s)
		}
	})
}

// FuzzEarnInput earns points from arbitrary inputs: nothing panics, a refusal leaves the
// ledger unchanged, and an accepted earning credits a positive whole number of points.
func FuzzEarnInput(f *testing.F) {
	f.Add("r1", "volunteer-hour", int64(0), "", int64(0), "")
	f.Add("r1", "cleanup", int64(25), "k", int64(86400), "note")
	f.Add("ghost", "", int64(-1), "reverse:1", int64(-10), "\x01")
	f.Add("homeless", "patrol", int64(funding.MaxPoints+1), "expire", int64(1), "")
	f.Add("r1 ", "a b", int64(1), "k", int64(0), "很长的备注")
	f.Fuzz(func(t *testing.T, person, activity string, pts int64, key string, expiresIn int64, note string) {
		fx := newLgFixture(t)
		b := fx.points(lgPolicy())
		var expires time.Time
		if expiresIn != 0 {
			expires = lgStart.Add(time.Duration(expiresIn%(1<<40)) * time.Second)
		}
		before := fx.snapshot()
		p, err := b.EarnPoints(lgCtx, lgSystem, funding.EarnInput{PersonID: person, Activity: activity, Points: pts,
			Key: key, Expires: expires, Note: note})
		if err != nil {
			lgRefusal(t, err)
			assert.Equal(t, before, fx.snapshot(), "a refused earning changes nothing")
			return
		}
		got := fx.pointsOf(person)
		assert.Positive(t, got)
		for _, l := range p.Lines {
			assert.True(t, l.Amount.IsInteger())
		}
	})
}
