package funding_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gridgov/gridgov"
	"github.com/gridgov/gridgov/funding"
)

func lgPolicy() funding.PointsPolicy {
	return funding.PointsPolicy{
		ValidityMonths: 12,
		Activities:     map[string]int64{"volunteer-hour": 10, "patrol": 5},
		Catalogue: []funding.CatalogueItem{
			{ID: "soap", Name: "肥皂", Points: 30},
			{ID: "rice", Name: "大米", Points: 100},
		},
	}
}

func (f *lgFixture) points(policy funding.PointsPolicy) *funding.PointsBook {
	f.t.Helper()
	b, err := f.tr.Points(policy)
	require.NoError(f.t, err)
	return b
}

func (f *lgFixture) pointsOf(person string) int64 {
	f.t.Helper()
	b, err := f.tr.Balance(lgCtx, funding.PointsAccountID(person))
	require.NoError(f.t, err)
	return b.Amount.IntPart()
}

func TestPointsPolicyValidation(t *testing.T) {
	f := newLgFixture(t)
	_, err := f.tr.Points(funding.PointsPolicy{
		ValidityMonths: -1,
		Activities:     map[string]int64{"bad key": 5, "zero": 0},
		Catalogue: []funding.CatalogueItem{
			{ID: "soap", Name: "肥皂", Points: 30},
			{ID: "soap", Name: "", Points: -1},
		},
		SoonWindow: -time.Hour,
	})
	lgFields(t, err, gridgov.ErrInvalid, "ValidityMonths", "Activities[bad key]", "Activities[zero]",
		"Catalogue[1].ID", "Catalogue[1].Name", "Catalogue[1].Points", "SoonWindow")
	b := f.points(lgPolicy())
	p := b.Policy()
	p.Activities["patrol"] = 1000
	assert.Equal(t, int64(5), b.Policy().Activities["patrol"], "the book keeps its own copy")
	assert.Equal(t, 30*24*time.Hour, b.Policy().SoonWindow, "default window")
}

func TestEarnPoints(t *testing.T) {
	expiry := lgStart.AddDate(0, 1, 0)
	cases := []struct {
		name    string
		actor   gridgov.Actor
		in      funding.EarnInput
		points  int64
		expires time.Time
		kind    error
		fields  []string
	}{
		{"by activity", lgSystem, funding.EarnInput{PersonID: "r1", Activity: "volunteer-hour"}, 10, lgStart.AddDate(1, 0, 0), nil, nil},
		{"explicit points", lgC1Chair, funding.EarnInput{PersonID: "r1", Activity: "cleanup-day", Points: 25, Key: "e1"}, 25, lgStart.AddDate(1, 0, 0), nil, nil},
		{"own expiry", lgC1Sec, funding.EarnInput{PersonID: "r1", Activity: "patrol", Expires: expiry}, 5, expiry, nil, nil},
		{"person without a home node, system", lgSystem, funding.EarnInput{PersonID: "homeless", Activity: "patrol"}, 5, lgStart.AddDate(1, 0, 0), nil, nil},
		{"unknown person", lgSystem, funding.EarnInput{PersonID: "ghost", Activity: "patrol"}, 0, time.Time{}, gridgov.ErrInvalid, []string{"PersonID"}},
		{"activity without points", lgSystem, funding.EarnInput{PersonID: "r1", Activity: "singing"}, 0, time.Time{}, gridgov.ErrInvalid, []string{"Points"}},
		{"everything wrong", lgSystem, funding.EarnInput{Points: -3, Expires: lgStart, Key: "reverse:1", Note: "\x01"}, 0, time.Time{},
			gridgov.ErrInvalid, []string{"PersonID", "Activity", "Points", "Expires", "Key", "Note"}},
		{"too many points", lgSystem, funding.EarnInput{PersonID: "r1", Activity: "x", Points: funding.MaxPoints + 1}, 0, time.Time{},
			gridgov.ErrInvalid, []string{"Points"}},
		{"no positions", lgNobody, funding.EarnInput{PersonID: "r1", Activity: "patrol"}, 0, time.Time{}, gridgov.ErrForbidden, nil},
		{"another subtree", lgC2Sec, funding.EarnInput{PersonID: "r1", Activity: "patrol"}, 0, time.Time{}, gridgov.ErrForbidden, nil},
		{"a manager for themself", lgC1Sec, funding.EarnInput{PersonID: "c1sec", Activity: "patrol"}, 5, lgStart.AddDate(1, 0, 0), nil, nil},
		{"the person themself", gridgov.PersonActor("r1"), funding.EarnInput{PersonID: "r1", Activity: "patrol"}, 0, time.Time{}, gridgov.ErrForbidden, nil},
		{"person without a home node", lgStreetSec, funding.EarnInput{PersonID: "homeless", Activity: "patrol"}, 0, time.Time{}, gridgov.ErrForbidden, nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			f := newLgFixture(t)
			b := f.points(lgPolicy())
			before := f.snapshot()
			p, err := b.EarnPoints(lgCtx, c.actor, c.in)
			if c.kind == nil {
				require.NoError(t, err)
				assert.Equal(t, c.points, f.pointsOf(c.in.PersonID))
				var lot funding.Line
				for _, l := range p.Lines {
					if l.AccountID == funding.PointsAccountID(c.in.PersonID) {
						lot = l
					}
				}
				assert.True(t, c.expires.Equal(lot.Expires), "expires %s, want %s", lot.Expires, c.expires)
				assert.Equal(t, -c.points, f.pointsOfAccount(funding.PointsIssuerAccount))
				return
			}
			if c.fields != nil {
				lgFields(t, err, c.kind, c.fields...)
			} else {
				require.ErrorIs(t, err, c.kind)
			}
			assert.Equal(t, before, f.snapshot())
		})
	}
}

func (f *lgFixture) pointsOfAccount(acct string) int64 {
	f.t.Helper()
	b, err := f.tr.Balance(lgCtx, acct)
	require.NoError(f.t, err)
	return b.Amount.IntPart()
}

func TestPointsNeverExpireWithoutValidity(t *testing.T) {
	f := newLgFixture(t)
	b := f.points(funding.PointsPolicy{Activities: map[string]int64{"patrol": 5}})
	p, err := b.EarnPoints(lgCtx, lgSystem, funding.EarnInput{PersonID: "r1", Activity: "patrol", Key: "k"})
	require.NoError(t, err)
	for _, l := range p.Lines {
		assert.True(t, l.Expires.IsZero())
	}
	again, err := b.EarnPoints(lgCtx, lgSystem, funding.EarnInput{PersonID: "r1", Activity: "patrol", Key: "k"})
	require.NoError(t, err)
	assert.Equal(t, p.ID, again.ID, "idempotent")
	res, err := b.ExpirePoints(lgCtx, lgSystem, "r1", lgStart.AddDate(100, 0, 0))
	require.NoError(t, err)
	assert.Zero(t, res.Expired)
	assert.Empty(t, res.Posting.ID)
	assert.Equal(t, int64(5), f.pointsOf("r1"))
}

func TestRedeemPoints(t *testing.T) {
	f := newLgFixture(t)
	b := f.points(lgPolicy())
	_, err := b.EarnPoints(lgCtx, lgSystem, funding.EarnInput{PersonID: "r1", Activity: "x", Points: 100})
	require.NoError(t, err)

	before := f.snapshot()
	_, err = b.RedeemPoints(lgCtx, lgSystem, funding.RedeemInput{PersonID: "r1", ItemID: "soap", Quantity: 4})
	require.ErrorIs(t, err, gridgov.ErrBudgetExceeded)
	assert.Contains(t, err.Error(), "fewer than 120 points")
	assert.Contains(t, err.Error(), "可用积分不足120分")
	_, err = b.RedeemPoints(lgCtx, lgSystem, funding.RedeemInput{PersonID: "ghost", ItemID: "gold", Quantity: 0, Key: "expire"})
	lgFields(t, err, gridgov.ErrInvalid, "PersonID", "ItemID", "Quantity", "Key")
	_, err = b.RedeemPoints(lgCtx, gridgov.PersonActor("r2"), funding.RedeemInput{PersonID: "r1", ItemID: "soap", Quantity: 1})
	require.ErrorIs(t, err, gridgov.ErrForbidden, "another resident")
	_, err = b.RedeemPoints(lgCtx, lgC2Sec, funding.RedeemInput{PersonID: "r1", ItemID: "soap", Quantity: 1})
	require.ErrorIs(t, err, gridgov.ErrForbidden)
	assert.Equal(t, before, f.snapshot())
	assert.Equal(t, int64(100), f.pointsOf("r1"))

	_, err = b.RedeemPoints(lgCtx, lgSystem, funding.RedeemInput{PersonID: "r2", ItemID: "soap", Quantity: 1})
	require.ErrorIs(t, err, gridgov.ErrBudgetExceeded, "no points at all")
	_, err = f.tr.Account(lgCtx, funding.PointsAccountID("r2"))
	require.ErrorIs(t, err, gridgov.ErrNotFound, "a refused redemption opens no account")

	p, err := b.RedeemPoints(lgCtx, gridgov.PersonActor("r1"), funding.RedeemInput{PersonID: "r1", ItemID: "soap", Quantity: 3, Key: "r-1"})
	require.NoError(t, err, "a person may redeem their own points")
	again, err := b.RedeemPoints(lgCtx, gridgov.PersonActor("r1"), funding.RedeemInput{PersonID: "r1", ItemID: "soap", Quantity: 3, Key: "r-1"})
	require.NoError(t, err)
	assert.Equal(t, p.ID, again.ID)
	assert.Equal(t, int64(10), f.pointsOf("r1"))
	assert.Equal(t, int64(90), f.pointsOfAccount(funding.PointsRedeemedAccount))
	_, err = b.RedeemPoints(lgCtx, lgC1Chair, funding.RedeemInput{PersonID: "r1", ItemID: "soap", Quantity: 1})
	require.ErrorIs(t, err, gridgov.ErrBudgetExceeded)
}

// TestExpirePointsFIFO follows one resident through several lots and redemptions:
//
//	03-02 earn 100 (lot A, lapses 2027-03-02)
//	04-02 earn  50 (lot B, lapses 2027-04-02)
//	05-02 earn  40 (lot C, lapses 2026-06-01)
//	05-10 redeem 30 — first in first out, out of C
//	06-01 expire: C's remaining 10 lapse
//	07-01 redeem 100 — out of A
//	2027-03-02 expire: nothing (A was used up)
//	2027-04-02 expire: B's 50 lapse
func TestExpirePointsFIFO(t *testing.T) {
	f := newLgFixture(t)
	b := f.points(lgPolicy())
	earn := func(pts int64, expires time.Time) {
		_, err := b.EarnPoints(lgCtx, lgSystem, funding.EarnInput{PersonID: "r1", Activity: "x", Points: pts, Expires: expires})
		require.NoError(t, err)
	}
	day := func(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 9, 0, 0, 0, lgStart.Location()) }
	expire := func(at time.Time) funding.PointsExpiry {
		res, err := b.ExpirePoints(lgCtx, lgSystem, "r1", at)
		require.NoError(t, err)
		return res
	}

	earn(100, time.Time{})
	f.clock.Set(day(2026, 4, 2))
	earn(50, time.Time{})
	f.clock.Set(day(2026, 5, 2))
	earn(40, day(2026, 6, 1))
	f.clock.Set(day(2026, 5, 10))
	_, err := b.RedeemPoints(lgCtx, lgSystem, funding.RedeemInput{PersonID: "r1", ItemID: "soap", Quantity: 1})
	require.NoError(t, err)

	st, err := b.PointsBalance(lgCtx, "r1", day(2026, 5, 15))
	require.NoError(t, err)
	assert.Equal(t, funding.PointsStatement{PersonID: "r1", Balance: 160, Available: 160, ExpiringSoon: 10,
		SoonUntil: day(2026, 5, 15).Add(30 * 24 * time.Hour)}, st)
	st, err = b.PointsBalance(lgCtx, "r1", day(2026, 6, 1))
	require.NoError(t, err)
	assert.Equal(t, int64(10), st.Lapsed, "lapsed but not yet posted")
	assert.Equal(t, int64(150), st.Available)

	f.clock.Set(day(2026, 6, 2))
	assert.Zero(t, expire(day(2026, 5, 31)).Expired, "nothing due before C lapses")
	res := expire(day(2026, 6, 1))
	assert.Equal(t, int64(10), res.Expired)
	assert.Equal(t, "expire:r1:2026-06-01T01:00:00Z", res.Posting.Key)
	assert.Equal(t, int64(150), f.pointsOf("r1"))
	retry := expire(day(2026, 6, 1))
	assert.Equal(t, res.Posting.ID, retry.Posting.ID, "a retry returns the expiry first applied")
	assert.Zero(t, retry.Expired)
	assert.Zero(t, expire(day(2026, 6, 20)).Expired, "later runs lapse only what became due since")

	f.clock.Set(day(2026, 7, 1))
	_, err = b.RedeemPoints(lgCtx, lgSystem, funding.RedeemInput{PersonID: "r1", ItemID: "rice", Quantity: 1})
	require.NoError(t, err)
	assert.Equal(t, int64(50), f.pointsOf("r1"))

	f.clock.Set(day(2027, 3, 3))
	assert.Zero(t, expire(day(2027, 3, 2)).Expired, "lot A was used up by the rice")
	st, err = b.PointsBalance(lgCtx, "r1", day(2027, 3, 3))
	require.NoError(t, err)
	assert.Equal(t, int64(50), st.ExpiringSoon)
	f.clock.Set(day(2027, 4, 3))
	assert.Equal(t, int64(50), expire(day(2027, 4, 2)).Expired)
	assert.Zero(t, f.pointsOf("r1"))
	assert.Equal(t, int64(60), f.pointsOfAccount(funding.PointsExpiredAccount))

	// Authority and validation.
	_, err = b.ExpirePoints(lgCtx, gridgov.PersonActor("r1"), "r1", day(2027, 5, 1))
	require.ErrorIs(t, err, gridgov.ErrForbidden, "a person cannot run expiry")
	_, err = b.ExpirePoints(lgCtx, lgSystem, "ghost", time.Time{})
	lgFields(t, err, gridgov.ErrInvalid, "PersonID", "At")
	_, err = b.PointsBalance(lgCtx, "ghost", day(2027, 5, 1))
	require.ErrorIs(t, err, gridgov.ErrNotFound)
	st, err = b.PointsBalance(lgCtx, "r2", day(2027, 5, 1))
	require.NoError(t, err)
	assert.Zero(t, st.Balance, "a person who never earned has nothing")
}

func TestExpiryHonoursReversals(t *testing.T) {
	f := newLgFixture(t)
	b := f.points(lgPolicy())
	a, err := b.EarnPoints(lgCtx, lgSystem, funding.EarnInput{PersonID: "r1", Activity: "x", Points: 100, Expires: lgStart.AddDate(0, 1, 0)})
	require.NoError(t, err)
	_, err = b.EarnPoints(lgCtx, lgSystem, funding.EarnInput{PersonID: "r1", Activity: "x", Points: 40, Expires: lgStart.AddDate(0, 2, 0)})
	require.NoError(t, err)
	red, err := b.RedeemPoints(lgCtx, lgSystem, funding.RedeemInput{PersonID: "r1", ItemID: "soap", Quantity: 1})
	require.NoError(t, err)
	// The first lot was awarded by mistake; the redemption is cancelled too.
	_, err = f.tr.Reverse(lgCtx, lgC2Sec, a.ID, "mistake")
	require.ErrorIs(t, err, gridgov.ErrForbidden, "points authority is at the person's home node")
	_, err = f.tr.Reverse(lgCtx, lgC1Chair, a.ID, "mistake")
	require.NoError(t, err, "managing funds at the home node suffices for points")
	_, err = f.tr.Reverse(lgCtx, lgSystem, red.ID, "cancelled")
	require.NoError(t, err)
	assert.Equal(t, int64(40), f.pointsOf("r1"))
	f.clock.Set(lgStart.AddDate(0, 3, 0))
	res, err := b.ExpirePoints(lgCtx, lgSystem, "r1", lgStart.AddDate(0, 2, 0))
	require.NoError(t, err)
	assert.Equal(t, int64(40), res.Expired, "the reversed lot and the cancelled redemption count for nothing")
	assert.Zero(t, f.pointsOf("r1"))
}

func TestRedeemLapsesExpiredPointsFirst(t *testing.T) {
	f := newLgFixture(t)
	b := f.points(lgPolicy())
	_, err := b.EarnPoints(lgCtx, lgSystem, funding.EarnInput{PersonID: "r1", Activity: "x", Points: 100, Expires: lgStart.AddDate(0, 1, 0)})
	require.NoError(t, err)
	_, err = b.EarnPoints(lgCtx, lgSystem, funding.EarnInput{PersonID: "r1", Activity: "x", Points: 20})
	require.NoError(t, err)
	f.clock.Set(lgStart.AddDate(0, 1, 1)) // the first lot has lapsed, but no expiry has run
	_, err = b.RedeemPoints(lgCtx, lgSystem, funding.RedeemInput{PersonID: "r1", ItemID: "soap", Quantity: 1})
	require.ErrorIs(t, err, gridgov.ErrBudgetExceeded, "lapsed points cannot be spent")
	assert.Equal(t, int64(20), f.pointsOf("r1"))
	assert.Equal(t, int64(100), f.pointsOfAccount(funding.PointsExpiredAccount))
}

// lgInterleavingStore commits a posting of its own just before the first expiry posting it
// sees, as a redemption racing with the expiry would.
type lgInterleavingStore struct {
	funding.Store
	once   sync.Once
	inject funding.Posting
}

func (s *lgInterleavingStore) Post(ctx context.Context, p funding.Posting) (funding.Posting, bool, error) {
	if strings.HasPrefix(p.Key, "expire:") {
		var err error
		s.once.Do(func() { _, _, err = s.Store.Post(ctx, s.inject) })
		if err != nil {
			return funding.Posting{}, false, err
		}
	}
	return s.Store.Post(ctx, p)
}

func TestExpiryRacingARedemptionIsCorrected(t *testing.T) {
	for _, c := range []struct {
		name        string
		lasting     int64 // points of a lot that never lapses
		wantExpired int64
		wantLeft    int64
		corrected   bool
	}{
		// The redemption used the lapsing lot first: the expiry lapsed 100 too many and
		// gives them back at once.
		{"excess corrected", 100, 0, 100, true},
		// Nothing else to take: the expiry is refused by the non-negative check, read again
		// and finds nothing due.
		{"overdraft refused and retried", 0, 0, 0, false},
	} {
		t.Run(c.name, func(t *testing.T) {
			f := newLgFixture(t)
			b := f.points(lgPolicy())
			_, err := b.EarnPoints(lgCtx, lgSystem, funding.EarnInput{PersonID: "r1", Activity: "x", Points: 100, Expires: lgStart.AddDate(0, 1, 0)})
			require.NoError(t, err)
			if c.lasting > 0 {
				_, err = b.EarnPoints(lgCtx, lgSystem, funding.EarnInput{PersonID: "r1", Activity: "x", Points: c.lasting, Expires: lgStart.AddDate(5, 0, 0)})
				require.NoError(t, err)
			}
			// The redemption commits between the expiry's read and its posting.
			racing := &lgInterleavingStore{Store: f.store, inject: funding.Posting{ID: "racing-redeem", Reason: "redeem", At: lgStart,
				Lines: []funding.Line{
					{AccountID: funding.PointsAccountID("r1"), Amount: decimal.NewFromInt(-100)},
					{AccountID: funding.PointsRedeemedAccount, Amount: decimal.NewFromInt(100)},
				}}}
			_, err = f.store.CreateAccount(lgCtx, funding.Account{ID: funding.PointsRedeemedAccount, Kind: funding.AccountExpense, Unit: funding.Points})
			require.NoError(t, err)
			tr, err := funding.NewTreasury(racing, f.reg, funding.WithIDs(gridgov.NewSequence("race")))
			require.NoError(t, err)
			rb, err := tr.Points(lgPolicy())
			require.NoError(t, err)
			f.clock.Set(lgStart.AddDate(0, 2, 0))
			res, err := rb.ExpirePoints(lgCtx, lgSystem, "r1", lgStart.AddDate(0, 2, 0))
			require.NoError(t, err)
			assert.Equal(t, c.wantExpired, res.Expired)
			assert.Equal(t, c.corrected, res.Correction.ID != "")
			assert.Equal(t, c.wantLeft, f.pointsOf("r1"))
			if c.corrected {
				assert.Equal(t, "expire-fix:"+res.Posting.ID, res.Correction.Key)
			}
			// Whatever happened, a later run finds nothing more due and the books agree.
			again, err := b.ExpirePoints(lgCtx, lgSystem, "r1", lgStart.AddDate(0, 2, 1))
			require.NoError(t, err)
			assert.Zero(t, again.Expired)
			st, err := b.PointsBalance(lgCtx, "r1", lgStart.AddDate(0, 2, 1))
			require.NoError(t, err)
			assert.Equal(t, c.wantLeft, st.Available)
		})
	}
}

// TestLedgerInvariantsUnderConcurrency runs random disbursements, reversals, earnings,
// redemptions and expiries from several goroutines, some of them retried, and checks the
// ledger's invariants: no account that must stay non-negative is below zero, each unit's
// balances sum to zero, balances are the sums of the postings' lines, every accepted posting
// is recorded exactly once, and keys and sequence numbers are unique.
func TestLedgerInvariantsUnderConcurrency(t *testing.T) {
	f := newLgFixture(t)
	f.fund("5000", "2000")
	b := f.points(lgPolicy())
	people := []string{"r1", "r2", "nobody"}
	const workers, ops = 4, 120

	var mu sync.Mutex
	accepted := map[string]int{} // posting ID → times returned by a command with a fresh key
	var refused atomic.Int64
	var wg sync.WaitGroup
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			rng := rand.New(rand.NewPCG(uint64(w), 42))
			var mine []string
			first := "" // the posting the current command was first accepted as
			record := func(p funding.Posting, err error) {
				if err != nil {
					refused.Add(1)
					assert.NotErrorIs(t, err, gridgov.ErrInvalid, "random commands are well formed")
					return
				}
				if first != "" {
					assert.Equal(t, first, p.ID, "a retry returns the posting first applied")
					return
				}
				first = p.ID
				mine = append(mine, p.ID)
				mu.Lock()
				accepted[p.ID]++
				mu.Unlock()
			}
			for i := range ops {
				key := fmt.Sprintf("w%d-%d", w, i)
				person := people[rng.IntN(len(people))]
				retry := rng.IntN(4) == 0
				op := rng.IntN(6)
				fund := []string{"dist", "c1-start"}[rng.IntN(2)]
				amount := decimal.New(int64(rng.IntN(40000)+1), -2)
				days := time.Duration(rng.IntN(120)+1) * 24 * time.Hour
				target := ""
				if len(mine) > 0 {
					target = mine[rng.IntN(len(mine))]
				}
				first = ""
				for attempt := 0; attempt < 1+lgBoolInt(retry); attempt++ {
					switch op {
					case 0, 1:
						p, err := f.tr.Disburse(lgCtx, lgSystem, funding.DisburseInput{FundID: fund, RecipientKind: funding.RecipientPerson,
							RecipientID: person, Amount: amount, Reason: "random", Key: key})
						record(p, err)
					case 2:
						if target == "" {
							continue
						}
						p, err := f.tr.Reverse(lgCtx, lgSystem, target, "random reversal")
						if err == nil && p.ReversalOf != target {
							t.Errorf("reversal of %s reverses %s", target, p.ReversalOf)
						}
						// A reversal is keyed by what it reverses: count it once overall.
						if err == nil {
							mu.Lock()
							accepted[p.ID] = 1
							mu.Unlock()
							continue
						}
						record(p, err)
					case 3:
						p, err := b.EarnPoints(lgCtx, lgSystem, funding.EarnInput{PersonID: person, Activity: "volunteer-hour", Key: key,
							Expires: lgStart.Add(days)})
						record(p, err)
					case 4:
						p, err := b.RedeemPoints(lgCtx, lgSystem, funding.RedeemInput{PersonID: person, ItemID: "soap", Quantity: 1, Key: key})
						record(p, err)
					case 5:
						if _, err := b.ExpirePoints(lgCtx, lgSystem, person, lgStart.Add(days-24*time.Hour)); err != nil {
							t.Errorf("expiry: %v", err)
						}
					}
				}
			}
		}()
	}
	wg.Wait()

	all, err := f.store.Postings(lgCtx, funding.PostingQuery{})
	require.NoError(t, err)
	seen := map[string]int{}
	keys := map[string]bool{}
	sums := map[string]decimal.Decimal{}
	for i, p := range all {
		assert.Equal(t, int64(i+1), p.Seq, "sequence numbers rise by one")
		seen[p.ID]++
		if p.Key != "" {
			assert.False(t, keys[p.Key], "key %q used twice", p.Key)
			keys[p.Key] = true
		}
		for _, l := range p.Lines {
			sums[l.AccountID] = sums[l.AccountID].Add(l.Amount)
		}
		if accepted[p.ID] == 0 {
			assert.True(t, strings.HasPrefix(p.Key, "expire") || p.Key == "", "unexpected posting %s (%s)", p.ID, p.Key)
		}
	}
	for id, n := range accepted {
		assert.Equal(t, 1, n, "posting %s accepted with a fresh key once", id)
		assert.Equal(t, 1, seen[id], "posting %s recorded once", id)
	}
	perUnit := map[funding.Unit]decimal.Decimal{}
	for id, sum := range sums {
		acct, err := f.tr.Account(lgCtx, id)
		require.NoError(t, err)
		bal, err := f.tr.Balance(lgCtx, id)
		require.NoError(t, err)
		assert.True(t, sum.Equal(bal.Amount), "balance of %s is the sum of its lines", id)
		if acct.NonNegative() {
			assert.False(t, bal.Amount.IsNegative(), "%s is below zero: %s", id, bal.Amount)
		}
		perUnit[acct.Unit] = perUnit[acct.Unit].Add(bal.Amount)
	}
	for u, s := range perUnit {
		assert.True(t, s.IsZero(), "the %s balances sum to %s", u, s)
	}
	t.Logf("%d postings, %d refused commands", len(all), refused.Load())
	assert.Positive(t, refused.Load(), "some commands were refused (overdrafts)")
	assert.Greater(t, len(all), workers*ops/3)
}

func lgBoolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

func TestConcurrentExpiriesForOneTimeLapseOnce(t *testing.T) {
	f := newLgFixture(t)
	b := f.points(lgPolicy())
	_, err := b.EarnPoints(lgCtx, lgSystem, funding.EarnInput{PersonID: "r1", Activity: "x", Points: 70, Expires: lgStart.AddDate(0, 1, 0)})
	require.NoError(t, err)
	_, err = b.EarnPoints(lgCtx, lgSystem, funding.EarnInput{PersonID: "r1", Activity: "x", Points: 30, Expires: lgStart.AddDate(2, 0, 0)})
	require.NoError(t, err)
	at := lgStart.AddDate(0, 1, 0)
	var wg sync.WaitGroup
	var expired atomic.Int64
	ids := make([]string, 8)
	for i := range ids {
		wg.Add(1)
		go func() {
			defer wg.Done()
			res, err := b.ExpirePoints(lgCtx, lgSystem, "r1", at)
			assert.NoError(t, err)
			expired.Add(res.Expired)
			ids[i] = res.Posting.ID
		}()
	}
	wg.Wait()
	assert.Equal(t, int64(70), expired.Load(), "lapsed once in all")
	for _, id := range ids {
		assert.Equal(t, ids[0], id, "every run reports the one expiry posting")
	}
	assert.Equal(t, int64(30), f.pointsOf("r1"))
}
