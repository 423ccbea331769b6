package main

import (
	"context"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/gridgov/gridgov"
	"github.com/gridgov/gridgov/examples/internal/sim"
	"github.com/gridgov/gridgov/funding"
	"github.com/gridgov/gridgov/store/memory"
)

// pointsPolicy is the grid points scheme (网格积分) assumed for Xiangshan: branch and
// committee members earn points for the work of the grid and redeem them for services and
// goods; points stay valid for twelve months.
func pointsPolicy() funding.PointsPolicy {
	return funding.PointsPolicy{
		ValidityMonths: 12,
		Activities:     activityPoints(),
		Catalogue: []funding.CatalogueItem{
			{ID: "haircut", Name: "便民理发服务", Points: 30},
			{ID: "groceries", Name: "米面粮油", Points: 80},
			{ID: "repair", Name: "家电维修服务", Points: 120},
		},
	}
}

// activities are what earns points, in the order the report lists them, with their
// English and Chinese names and the share of members who do each in a month.
var activities = []struct {
	key, en, zh string
	points      int64
	percent     int
}{
	{"grid-meeting", "grid meeting attended", "参加网格议事", 10, 40},
	{"patrol", "patrol of the compound", "小区巡查", 5, 30},
	{"mediation", "dispute mediated", "调解邻里纠纷", 20, 8},
	{"volunteer", "volunteer service", "志愿服务", 15, 20},
}

// activityPoints is the points each activity earns, for the policy.
func activityPoints() map[string]int64 {
	m := map[string]int64{}
	for _, a := range activities {
		m[a.key] = a.points
	}
	return m
}

// pointsResult is the year's grid points.
type pointsResult struct {
	// earnedBy is the points earned in the year per activity, in activities order.
	earnedBy                           []int64
	earned, redeemed, expired, balance int64
	redemptions                        int
	holders                            int // members with points at year end
	// expiringSoon is what lapses within 30 days after the year end unless redeemed.
	expiringSoon int64
}

// runPoints simulates grid points from 1 January of the year before (so that points lapse
// during the year) to 31 December: each month a member earns points for the activities they
// did; on the 15th of each quarter's last month about half the members who can afford a
// drawn catalogue item redeem it; the scheduler lapses expired points before each round of
// redemptions and at each month end. Only the simulated year is reported; the ledger's
// balances are checked against earned less redeemed and lapsed over both years.
func runPoints(ctx context.Context, w *world, rng *rand.Rand, year int) (pointsResult, error) {
	res := pointsResult{earnedBy: make([]int64, len(activities))}
	clock := gridgov.NewFakeClock(sim.YearStart(year - 1))
	tr, err := funding.NewTreasury(memory.NewFundingStore(), w.reg, funding.WithClock(clock),
		funding.WithIDs(gridgov.NewSequence("pt")))
	if err != nil {
		return res, err
	}
	book, err := tr.Points(pointsPolicy())
	if err != nil {
		return res, err
	}
	scheduler := gridgov.SystemActor("points-scheduler")
	catalogue := book.Policy().Catalogue
	var members []string
	for _, cp := range w.compounds {
		members = append(members, cp.members...)
	}
	balance := map[string]int64{}
	var allEarned, allOut int64 // over both years, for the ledger check
	// expire lapses what is due at the clock's time for every member.
	expire := func(inYear bool) error {
		for _, p := range members {
			exp, err := book.ExpirePoints(ctx, scheduler, p, clock.Now())
			if err != nil {
				return err
			}
			balance[p] -= exp.Expired
			allOut += exp.Expired
			if inYear {
				res.expired += exp.Expired
			}
		}
		return nil
	}
	for month := 0; month < 24; month++ {
		first := sim.YearStart(year-1).AddDate(0, month, 0)
		inYear := first.Year() == year
		clock.Set(first.Add(10 * time.Hour))
		for _, p := range members {
			for i, a := range activities {
				if rng.IntN(100) >= a.percent {
					continue
				}
				if _, err := book.EarnPoints(ctx, scheduler, funding.EarnInput{PersonID: p, Activity: a.key,
					Key: fmt.Sprintf("earn:%s:%d:%s", p, month, a.key)}); err != nil {
					return res, err
				}
				balance[p] += a.points
				allEarned += a.points
				if inYear {
					res.earnedBy[i] += a.points
					res.earned += a.points
				}
			}
		}
		if month%3 == 2 {
			clock.Set(first.AddDate(0, 0, 14).Add(15 * time.Hour))
			if err := expire(inYear); err != nil {
				return res, err
			}
			for _, p := range members {
				item := catalogue[rng.IntN(len(catalogue))]
				if rng.IntN(2) == 0 || balance[p] < item.Points {
					continue
				}
				if _, err := book.RedeemPoints(ctx, gridgov.PersonActor(p), funding.RedeemInput{PersonID: p, ItemID: item.ID,
					Quantity: 1, Key: fmt.Sprintf("redeem:%s:%d", p, month)}); err != nil {
					return res, err
				}
				balance[p] -= item.Points
				allOut += item.Points
				if inYear {
					res.redeemed += item.Points
					res.redemptions++
				}
			}
		}
		clock.Set(first.AddDate(0, 1, 0).Add(-time.Second))
		if err := expire(inYear); err != nil {
			return res, err
		}
	}
	yearEnd := clock.Now()
	var ledger int64
	for _, p := range members {
		st, err := book.PointsBalance(ctx, p, yearEnd)
		if err != nil {
			return res, err
		}
		if st.Balance != balance[p] {
			return res, fmt.Errorf("points of %s: ledger %d, simulation %d", p, st.Balance, balance[p])
		}
		ledger += st.Balance
		res.expiringSoon += st.ExpiringSoon
		if st.Balance > 0 {
			res.holders++
		}
	}
	if ledger != allEarned-allOut {
		return res, fmt.Errorf("points ledger holds %d, earned %d less spent and lapsed %d", ledger, allEarned, allOut)
	}
	res.balance = ledger
	return res, nil
}
