package funding

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"strings"
	"time"

	"github.com/shopspring/decimal"

	"github.com/gridgov/gridgov"
	"github.com/gridgov/gridgov/governance"
)

// The ledger accounts of grid points. A person's points are on [PointsAccountID].
const (
	// PointsIssuerAccount is the source every earned point comes from (积分发放).
	PointsIssuerAccount = "source:points"
	// PointsRedeemedAccount records the points spent on catalogue items (积分兑换).
	PointsRedeemedAccount = "expense:points-redeemed"
	// PointsExpiredAccount records the points that lapsed (积分过期).
	PointsExpiredAccount = "expense:points-expired"
	// MaxPoints is the most points one earning, price or redemption may move.
	MaxPoints = 1_000_000_000
)

// PointsAccountID returns the ledger account holding a person's points: "points:" + ID.
func PointsAccountID(personID string) string { return "points:" + personID }

// CatalogueItem is something grid points can be redeemed for (积分兑换目录).
type CatalogueItem struct {
	ID   string
	Name string
	// Points is the price of one item, in points.
	Points int64
}

// PointsPolicy is the data that governs grid points (网格积分): how long points stay valid,
// what each activity earns and what points can buy.
type PointsPolicy struct {
	// ValidityMonths is how many calendar months earned points stay valid (for example
	// 12); 0 means they never lapse. An earning may set its own expiry instead.
	ValidityMonths int
	// Activities gives the points each activity earns, for example "volunteer-hour": 10.
	Activities map[string]int64
	// Catalogue lists the redeemable items.
	Catalogue []CatalogueItem
	// SoonWindow is how far ahead [PointsBook.PointsBalance] looks for points about to
	// lapse (zero: 30 days).
	SoonWindow time.Duration
}

// PointsBook keeps grid points in the treasury's ledger under a [PointsPolicy]. Build one
// with [Treasury.Points]; it holds no entity state and is safe for concurrent use.
//
// Points are whole numbers on ledger accounts of unit [Points]: earning posts from
// [PointsIssuerAccount] to the person's account with the lot's expiry on the line;
// redeeming posts from the person to [PointsRedeemedAccount]; lapsed points go to
// [PointsExpiredAccount]. The store refuses any posting that would take a person's balance
// below zero.
//
// Expiry is first in, first out (先进先出): points are taken to be used in the order they
// lapse, so the points expired by a time at are max(0, L − O), where L is the sum of the
// lots (earnings not reversed) whose expiry is at or before at, and O everything that left
// the person's account so far (redemptions, transfers and earlier expiries, net of their
// reversals and corrections). [PointsBook.RedeemPoints] lapses what is due before it
// redeems, so expired points can never be spent.
//
// Authority: earning and expiring need a system actor (an importer, a scheduler) or
// [governance.PermManageFunds] at the person's home node (by [governance.DefaultGrants]:
// Party secretaries and deputy secretaries, residents' committee chairs); redeeming may
// also be done by the person themself. A person without a home node is served by system
// actors only.
type PointsBook struct {
	t      *Treasury
	policy PointsPolicy
	items  map[string]CatalogueItem
}

// Points returns a points book over the treasury's ledger with policy. It returns a
// [*gridgov.ValidationError] naming every bad field of the policy.
func (t *Treasury) Points(policy PointsPolicy) (*PointsBook, error) {
	var verr gridgov.ValidationError
	if policy.ValidityMonths < 0 || policy.ValidityMonths > 1200 {
		verr.Add("ValidityMonths", "range", fmt.Sprintf("ValidityMonths must be 0 to 1200, not %d", policy.ValidityMonths),
			fmt.Sprintf("有效月数必须在0到1200之间，而不是%d", policy.ValidityMonths))
	}
	for name, pts := range policy.Activities {
		f := fmt.Sprintf("Activities[%s]", name)
		ledgerID(&verr, f, name)
		pointsRange(&verr, f, pts)
	}
	items := make(map[string]CatalogueItem, len(policy.Catalogue))
	for i, it := range policy.Catalogue {
		f := fmt.Sprintf("Catalogue[%d]", i)
		if ledgerID(&verr, f+".ID", it.ID) {
			if _, dup := items[it.ID]; dup {
				verr.Add(f+".ID", "unique", fmt.Sprintf("catalogue item %q is listed twice", it.ID),
					fmt.Sprintf("兑换项目“%s”重复", it.ID))
			}
			items[it.ID] = it
		}
		ledgerText(&verr, f+".Name", it.Name, 128, true)
		pointsRange(&verr, f+".Points", it.Points)
	}
	if policy.SoonWindow < 0 {
		verr.Add("SoonWindow", "gte", "SoonWindow must not be negative", "临期提醒窗口不能为负")
	}
	if err := verr.Err(); err != nil {
		return nil, err
	}
	if policy.SoonWindow == 0 {
		policy.SoonWindow = 30 * 24 * time.Hour
	}
	policy.Activities = maps.Clone(policy.Activities)
	policy.Catalogue = append([]CatalogueItem(nil), policy.Catalogue...)
	return &PointsBook{t: t, policy: policy, items: items}, nil
}

// Policy returns a copy of the book's policy.
func (b *PointsBook) Policy() PointsPolicy {
	p := b.policy
	p.Activities = maps.Clone(p.Activities)
	p.Catalogue = append([]CatalogueItem(nil), p.Catalogue...)
	return p
}

// EarnInput records points a person earned (积分获取).
type EarnInput struct {
	PersonID string
	// Activity names what the points are for, for example "volunteer-hour"; required.
	Activity string
	// Points is the number earned; 0 takes the activity's amount from the policy (an
	// activity the policy does not list then needs Points).
	Points int64
	// Key is the idempotency key (recommended): a retry is applied once.
	Key string
	// Expires, when set, is when these points lapse (it must be after now); otherwise they
	// lapse [PointsPolicy.ValidityMonths] after now, or never.
	Expires time.Time
	// Note is added to the posting's reason (optional).
	Note string
}

// EarnPoints credits a person with points, as one lot with its own expiry. See
// [PointsBook] for authority.
//
// Errors: a [*gridgov.ValidationError] naming every bad field, with nothing applied;
// gridgov.ErrForbidden; gridgov.ErrAlreadyExists naming Key when the key was used for
// another posting.
func (b *PointsBook) EarnPoints(ctx context.Context, actor gridgov.Actor, in EarnInput) (Posting, error) {
	now := b.t.clock.Now()
	var verr gridgov.ValidationError
	person, err := b.person(ctx, &verr, in.PersonID)
	if err != nil {
		return Posting{}, err
	}
	pts := in.Points
	if ledgerID(&verr, "Activity", in.Activity) && pts == 0 {
		var ok bool
		if pts, ok = b.policy.Activities[in.Activity]; !ok {
			verr.Add("Points", "required", fmt.Sprintf("activity %q has no points in the policy: give Points", in.Activity),
				fmt.Sprintf("积分政策未规定活动“%s”的分值，必须给出积分数", in.Activity))
		}
	}
	if in.Points != 0 {
		pointsRange(&verr, "Points", in.Points)
	}
	if !in.Expires.IsZero() && !in.Expires.After(now) {
		verr.Add("Expires", "future", fmt.Sprintf("Expires %s must be after now", in.Expires.Format(time.RFC3339)),
			fmt.Sprintf("到期时间%s必须晚于当前时间", in.Expires.Format(time.RFC3339)))
	}
	ledgerKey(&verr, "Key", in.Key)
	ledgerText(&verr, "Note", in.Note, 256, false)
	if err := verr.Err(); err != nil {
		return Posting{}, err
	}
	if err := b.authorize(ctx, actor, person, false); err != nil {
		return Posting{}, err
	}
	expires := in.Expires
	if expires.IsZero() && b.policy.ValidityMonths > 0 {
		expires = now.AddDate(0, b.policy.ValidityMonths, 0)
	}
	acct, err := b.open(ctx, person)
	if err != nil {
		return Posting{}, err
	}
	if err := b.t.ledgerEnsure(ctx, Account{ID: PointsIssuerAccount, Kind: AccountSource, Unit: Points, Name: "points issuer"}); err != nil {
		return Posting{}, err
	}
	reason := "points earned: " + in.Activity
	if in.Note != "" {
		reason += " — " + in.Note
	}
	amount := decimal.NewFromInt(pts)
	p := Posting{
		ID:  b.t.newID(""),
		Key: in.Key,
		Lines: []Line{
			{AccountID: PointsIssuerAccount, Amount: amount.Neg()},
			{AccountID: acct, Amount: amount, Expires: expires},
		},
		Actor:  actor,
		Reason: reason,
		At:     now,
	}
	stored, applied, err := b.t.post(ctx, p)
	if err != nil {
		return Posting{}, err
	}
	b.t.ledgerLog(ctx, "points earned", stored, applied)
	return stored, nil
}

// RedeemInput spends a person's points on catalogue items (积分兑换).
type RedeemInput struct {
	PersonID string
	ItemID   string
	// Quantity is the number of items, at least 1.
	Quantity int
	// Key is the idempotency key (recommended): a retry is applied once.
	Key string
}

// RedeemPoints takes the price of in.Quantity catalogue items from the person's points.
// It first lapses the points due by now (see [PointsBook.ExpirePoints]), so expired points
// are never spent. See [PointsBook] for authority.
//
// Errors: a [*gridgov.ValidationError] naming every bad field; gridgov.ErrBudgetExceeded,
// with nothing redeemed, when the person has fewer points than the price (the store's
// non-negative check decides, so two redemptions racing for the same points cannot both
// succeed); gridgov.ErrForbidden; gridgov.ErrAlreadyExists naming Key when the key was used
// for another posting.
func (b *PointsBook) RedeemPoints(ctx context.Context, actor gridgov.Actor, in RedeemInput) (Posting, error) {
	var verr gridgov.ValidationError
	person, err := b.person(ctx, &verr, in.PersonID)
	if err != nil {
		return Posting{}, err
	}
	item, known := b.items[in.ItemID]
	if ledgerID(&verr, "ItemID", in.ItemID) && !known {
		verr.Add("ItemID", "exists", fmt.Sprintf("item %q is not in the catalogue", in.ItemID),
			fmt.Sprintf("兑换目录中没有“%s”", in.ItemID))
	}
	if in.Quantity < 1 || in.Quantity > 10_000 {
		verr.Add("Quantity", "range", fmt.Sprintf("Quantity must be 1 to 10000, not %d", in.Quantity),
			fmt.Sprintf("数量必须在1到10000之间，而不是%d", in.Quantity))
	} else if known && item.Points*int64(in.Quantity) > MaxPoints {
		verr.Add("Quantity", "max", fmt.Sprintf("%d × %d points is more than %d points", in.Quantity, item.Points, MaxPoints),
			fmt.Sprintf("%d × %d 积分超过上限%d积分", in.Quantity, item.Points, MaxPoints))
	}
	ledgerKey(&verr, "Key", in.Key)
	if err := verr.Err(); err != nil {
		return Posting{}, err
	}
	if err := b.authorize(ctx, actor, person, true); err != nil {
		return Posting{}, err
	}
	cost := item.Points * int64(in.Quantity)
	acct := PointsAccountID(person.ID)
	if _, err := b.t.store.GetAccount(ctx, acct); errors.Is(err, gridgov.ErrNotFound) {
		return Posting{}, pointsShort(person.ID, cost, (&gridgov.ValidationError{Kind: gridgov.ErrBudgetExceeded}).Add("PersonID", "budget",
			fmt.Sprintf("person %q has no points", person.ID), fmt.Sprintf("“%s”没有积分", person.ID)))
	} else if err != nil {
		return Posting{}, err
	}
	if _, err := b.expire(ctx, actor, person.ID, b.t.clock.Now()); err != nil {
		return Posting{}, err
	}
	if err := b.t.ledgerEnsure(ctx, Account{ID: PointsRedeemedAccount, Kind: AccountExpense, Unit: Points, Name: "points redeemed"}); err != nil {
		return Posting{}, err
	}
	amount := decimal.NewFromInt(cost)
	p := Posting{
		ID:  b.t.newID(""),
		Key: in.Key,
		Lines: []Line{
			{AccountID: acct, Amount: amount.Neg()},
			{AccountID: PointsRedeemedAccount, Amount: amount},
		},
		Actor:  actor,
		Reason: fmt.Sprintf("points redeemed: %d × %s", in.Quantity, item.ID),
		At:     b.t.clock.Now(),
	}
	stored, applied, err := b.t.post(ctx, p)
	if err != nil {
		return Posting{}, pointsShort(person.ID, cost, err)
	}
	b.t.ledgerLog(ctx, "points redeemed", stored, applied)
	return stored, nil
}

// PointsExpiry is what [PointsBook.ExpirePoints] did.
type PointsExpiry struct {
	PersonID string
	At       time.Time
	// Expired is the number of points this call lapsed, after any correction (0 when
	// nothing was due or a retry found the expiry already applied).
	Expired int64
	// Posting is the expiry posting (zero when nothing was due). A retry with the same
	// person and time returns the posting first applied.
	Posting Posting
	// Correction is the compensating posting, when one was needed (see
	// [PointsBook.ExpirePoints]).
	Correction Posting
}

// ExpirePoints lapses the person's points that expire at or before at (first in, first
// out; see [PointsBook]) with one posting to [PointsExpiredAccount] under the idempotency
// key "expire:" + person + ":" + at, so running it twice for the same time lapses once;
// running it for a later time lapses only what became due since. See [PointsBook] for
// authority.
//
// A redemption (or another expiry) may commit between the moment this call reads the
// person's postings and the moment its own posting commits. The store's non-negative check
// bounds the damage: no interleaving can take the balance below zero, so at worst the
// expiry is refused with gridgov.ErrBudgetExceeded (this call then reads again and retries)
// or lapses points that the interleaved redemption had, first in first out, already used.
// That excess is corrected at once: after its posting commits, the call reads the postings
// that committed in between, computes what the expiry should have been at its place in the
// ledger, and posts the difference back to the person (key "expire-fix:" + posting ID). An
// expiry that lapsed too little is completed by the next run, since the computation is
// cumulative. Only a crash between the two postings leaves an excess uncorrected.
//
// Errors: a [*gridgov.ValidationError] naming PersonID (missing person) or At (zero);
// gridgov.ErrForbidden.
func (b *PointsBook) ExpirePoints(ctx context.Context, actor gridgov.Actor, personID string, at time.Time) (PointsExpiry, error) {
	var verr gridgov.ValidationError
	person, err := b.person(ctx, &verr, personID)
	if err != nil {
		return PointsExpiry{}, err
	}
	if at.IsZero() {
		verr.Add("At", "required", "the expiry time is required", "必须给出过期计算时间")
	}
	if err := verr.Err(); err != nil {
		return PointsExpiry{}, err
	}
	if err := b.authorize(ctx, actor, person, false); err != nil {
		return PointsExpiry{}, err
	}
	return b.expire(ctx, actor, person.ID, at)
}

// expire lapses what is due at at (see ExpirePoints); it checks no authority.
func (b *PointsBook) expire(ctx context.Context, actor gridgov.Actor, personID string, at time.Time) (PointsExpiry, error) {
	res := PointsExpiry{PersonID: personID, At: at}
	acct := PointsAccountID(personID)
	key := expireKeyPrefix + personID + ":" + at.UTC().Format(time.RFC3339Nano)
	for attempt := 0; ; attempt++ {
		ps, err := b.t.store.Postings(ctx, PostingQuery{AccountID: acct})
		if err != nil {
			if errors.Is(err, gridgov.ErrNotFound) {
				return res, nil
			}
			return res, err
		}
		for _, p := range ps {
			if p.Key == key {
				res.Posting = p
				return res, nil
			}
		}
		due := pointsOf(ps, acct).lapsed(at)
		if !due.IsPositive() {
			return res, nil
		}
		if attempt == 0 {
			if err := b.t.ledgerEnsure(ctx, Account{ID: PointsExpiredAccount, Kind: AccountExpense, Unit: Points, Name: "points expired"}); err != nil {
				return res, err
			}
		}
		var lastSeq int64
		if len(ps) > 0 {
			lastSeq = ps[len(ps)-1].Seq
		}
		p := Posting{
			ID:  b.t.newID(""),
			Key: key,
			Lines: []Line{
				{AccountID: acct, Amount: due.Neg()},
				{AccountID: PointsExpiredAccount, Amount: due},
			},
			Actor:  actor,
			Reason: "points expired at " + at.Format(time.RFC3339),
			At:     b.t.clock.Now(),
		}
		// Straight to the store: a concurrent run for the same time may have computed another
		// amount under the same key, and its posting is the one that stands.
		stored, applied, err := b.t.store.Post(ctx, p)
		if errors.Is(err, gridgov.ErrBudgetExceeded) && attempt < 3 {
			continue // a redemption took the points meanwhile: read again
		}
		if err != nil {
			return res, err
		}
		res.Posting = stored
		if !applied {
			return res, nil
		}
		res.Expired = due.IntPart()
		fix, err := b.correct(ctx, actor, acct, stored, lastSeq, due, at)
		if err != nil {
			return res, err
		}
		if fix.ID != "" {
			res.Correction = fix
			res.Expired -= ledgerPointsOf(fix, acct).IntPart()
		}
		b.t.ledgerLog(ctx, "points expired", stored, applied)
		return res, nil
	}
}

// correct posts back the part of expiry posting e (which lapsed due at at, computed from
// the postings up to lastSeq) that postings committed between lastSeq and e made excessive.
func (b *PointsBook) correct(ctx context.Context, actor gridgov.Actor, acct string, e Posting, lastSeq int64,
	due decimal.Decimal, at time.Time) (Posting, error) {
	between, err := b.t.store.Postings(ctx, PostingQuery{AccountID: acct, AfterSeq: lastSeq})
	if err != nil {
		return Posting{}, err
	}
	interleaved := false
	for _, p := range between {
		if p.Seq < e.Seq {
			interleaved = true
		}
	}
	if !interleaved {
		return Posting{}, nil
	}
	all, err := b.t.store.Postings(ctx, PostingQuery{AccountID: acct})
	if err != nil {
		return Posting{}, err
	}
	before := all[:0:0]
	for _, p := range all {
		if p.Seq < e.Seq {
			before = append(before, p)
		}
	}
	should := pointsOf(before, acct).lapsed(at)
	excess := due.Sub(should)
	if !excess.IsPositive() {
		return Posting{}, nil
	}
	fix := Posting{
		ID:  b.t.newID(""),
		Key: expireFixKeyPrefix + e.ID,
		Lines: []Line{
			{AccountID: PointsExpiredAccount, Amount: excess.Neg()},
			{AccountID: acct, Amount: excess},
		},
		Actor:  actor,
		Reason: "correction of points expiry " + e.ID,
		At:     b.t.clock.Now(),
	}
	stored, _, err := b.t.store.Post(ctx, fix)
	if err != nil {
		return Posting{}, err
	}
	b.t.ledgerLog(ctx, "points expiry corrected", stored, true)
	return stored, nil
}

// PointsStatement is a person's points at a time (积分余额).
type PointsStatement struct {
	PersonID string
	// Balance is the ledger balance now.
	Balance int64
	// Lapsed is the part of Balance already expired at the statement's time but not yet
	// posted as expired; Available = Balance − Lapsed.
	Lapsed, Available int64
	// ExpiringSoon is the number of points that lapse after the statement's time and up to
	// SoonUntil unless redeemed first (即将过期).
	ExpiringSoon int64
	SoonUntil    time.Time
}

// PointsBalance returns a person's points as the ledger holds them now, with the points
// lapsed at at (not yet posted) and those expiring within the policy's SoonWindow after at.
// It returns gridgov.ErrNotFound when there is no such person; a person who never earned
// points has a zero statement.
func (b *PointsBook) PointsBalance(ctx context.Context, personID string, at time.Time) (PointsStatement, error) {
	st := PointsStatement{PersonID: personID, SoonUntil: at.Add(b.policy.SoonWindow)}
	if _, err := b.t.reg.Store().GetPerson(ctx, personID); err != nil {
		return st, err
	}
	acct := PointsAccountID(personID)
	if _, err := b.t.store.GetAccount(ctx, acct); errors.Is(err, gridgov.ErrNotFound) {
		return st, nil
	} else if err != nil {
		return st, err
	}
	ps, err := b.t.store.Postings(ctx, PostingQuery{AccountID: acct})
	if err != nil {
		return st, err
	}
	s := pointsOf(ps, acct)
	lapsed := s.lapsed(at)
	st.Balance = s.balance.IntPart()
	st.Lapsed = lapsed.IntPart()
	st.Available = st.Balance - st.Lapsed
	st.ExpiringSoon = s.lapsed(st.SoonUntil).Sub(lapsed).IntPart()
	return st, nil
}

// pointsState is a person's points as their postings leave them: the lots still standing
// and everything that left the account.
type pointsState struct {
	lots    []pointsLot
	out     decimal.Decimal
	balance decimal.Decimal
}

type pointsLot struct {
	amount  decimal.Decimal
	expires time.Time
}

// pointsOf folds a person's postings (in ledger order) into lots and outflows. A reversed
// posting counts for nothing, and so does its reversal; a reversal that is itself
// reversed restores the original. An expiry correction (key "expire-fix:…") reduces the
// outflows; any other posting that adds points is a lot.
func pointsOf(ps []Posting, acct string) pointsState {
	reversedBy := make(map[string]string)
	for _, p := range ps {
		if p.ReversalOf != "" {
			reversedBy[p.ReversalOf] = p.ID
		}
	}
	st := pointsState{out: decimal.Zero, balance: decimal.Zero}
	for _, p := range ps {
		for _, l := range p.Lines {
			if l.AccountID == acct {
				st.balance = st.balance.Add(l.Amount)
			}
		}
		if p.ReversalOf != "" {
			continue
		}
		chain := 0
		for id := reversedBy[p.ID]; id != ""; id = reversedBy[id] {
			chain++
			if chain > len(ps) {
				break
			}
		}
		if chain%2 == 1 {
			continue
		}
		fix := strings.HasPrefix(p.Key, expireFixKeyPrefix)
		for _, l := range p.Lines {
			switch {
			case l.AccountID != acct:
			case l.Amount.IsNegative():
				st.out = st.out.Sub(l.Amount)
			case fix:
				st.out = st.out.Sub(l.Amount)
			default:
				st.lots = append(st.lots, pointsLot{amount: l.Amount, expires: l.Expires})
			}
		}
	}
	return st
}

// lapsed returns the points lapsed by at and not yet posted: max(0, L − O) where L sums the
// lots expiring at or before at.
func (s pointsState) lapsed(at time.Time) decimal.Decimal {
	l := decimal.Zero
	for _, lot := range s.lots {
		if !lot.expires.IsZero() && !lot.expires.After(at) {
			l = l.Add(lot.amount)
		}
	}
	d := l.Sub(s.out)
	if d.IsNegative() {
		return decimal.Zero
	}
	return d
}

// ledgerPointsOf returns what posting p added to account acct.
func ledgerPointsOf(p Posting, acct string) decimal.Decimal {
	s := decimal.Zero
	for _, l := range p.Lines {
		if l.AccountID == acct {
			s = s.Add(l.Amount)
		}
	}
	return s
}

// person looks up the person named by PersonID, adding a validation failure when missing.
func (b *PointsBook) person(ctx context.Context, verr *gridgov.ValidationError, id string) (governance.Person, error) {
	if !ledgerID(verr, "PersonID", id) {
		return governance.Person{}, nil
	}
	p, err := b.t.reg.Store().GetPerson(ctx, id)
	if err != nil {
		return governance.Person{}, verr.Merge(ledgerNotFound(err, "PersonID", id))
	}
	return p, nil
}

// authorize checks the actor's authority over a person's points (see PointsBook).
func (b *PointsBook) authorize(ctx context.Context, actor gridgov.Actor, person governance.Person, self bool) error {
	switch {
	case actor.IsSystem():
		return nil
	case self && actor.Kind == gridgov.ActorPerson && actor.ID == person.ID:
		return nil
	case person.HomeNodeID == "":
		return fmt.Errorf("%w: person %q has no home node; only system actors manage their points (该人员无常住节点，仅系统操作人可管理其积分)",
			gridgov.ErrForbidden, person.ID)
	}
	return b.t.reg.Authorize(ctx, actor, person.HomeNodeID, governance.PermManageFunds)
}

// open opens the person's points account on demand and returns its ID.
func (b *PointsBook) open(ctx context.Context, person governance.Person) (string, error) {
	a := Account{ID: PointsAccountID(person.ID), Kind: AccountRecipient, Unit: Points, NodeID: person.HomeNodeID, OwnerID: person.ID}
	return a.ID, b.t.ledgerEnsure(ctx, a)
}

// pointsShort wraps a store's gridgov.ErrBudgetExceeded for a redemption the person's
// points cannot cover; other errors pass through.
func pointsShort(personID string, cost int64, err error) error {
	if !errors.Is(err, gridgov.ErrBudgetExceeded) {
		return err
	}
	return fmt.Errorf("person %q has fewer than %d points available (“%s”可用积分不足%d分): %w",
		personID, cost, personID, cost, err)
}

// pointsRange checks a number of points: 1 to MaxPoints.
func pointsRange(verr *gridgov.ValidationError, field string, n int64) {
	if n < 1 || n > MaxPoints {
		verr.Add(field, "range", fmt.Sprintf("%s must be 1 to %d points, not %d", field, MaxPoints, n),
			fmt.Sprintf("%s必须在1到%d积分之间，而不是%d", field, MaxPoints, n))
	}
}
