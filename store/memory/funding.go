package memory

import (
	"context"
	"fmt"
	"sync"

	"github.com/shopspring/decimal"

	"github.com/gridgov/gridgov"
	"github.com/gridgov/gridgov/funding"
)

// FundingStore is the in-memory funding.Store: funds, ledger accounts with their balances,
// and the ledger of postings (记账凭证). It is safe for concurrent use; build one with
// [NewFundingStore].
//
// One read-write lock guards the whole store: a posting is checked and applied while the
// lock is held exclusively, so it is atomic, postings are applied one after the other in
// Seq order, and no account that must stay non-negative can be overdrawn by postings that
// race. Reads share the lock.
//
// Each account keeps its balance and the postings that touch it, so a posting costs
// O(lines) whatever the size of the ledger, and a query by account or plan costs O(log n)
// plus the postings it visits. A query by time alone is served by binary search while the
// postings' At times rise with their Seq (as they do when they are stamped by one clock),
// and by a scan of the ledger otherwise.
//
// Where the contract is silent the store errs on the side of integrity: CreateAccount also
// refuses, with gridgov.ErrInvalid, a Kind or Unit it does not know, and CreateFund a
// Budget that is negative or finer than the fen. When a posting's Key is already taken the
// earlier posting is returned before anything else is checked, so a retry of an accepted
// posting always succeeds. Refusals are *gridgov.ValidationError values naming the failing
// fields in English and Chinese, whose Kind is gridgov.ErrInvalid, gridgov.ErrAlreadyExists,
// gridgov.ErrConflict (a second reversal) or gridgov.ErrBudgetExceeded (an overdraft: each
// account named with its balance and the amount it would go below zero by).
type FundingStore struct {
	mu sync.RWMutex

	funds      map[string]*funding.Fund
	fundsUnder map[string][]*funding.Fund // parent ID ("" for top funds) → funds, sorted by ID
	accounts   map[string]*accountRec

	// The ledger.
	postings map[string]*postingRec // by ID
	keys     map[string]*postingRec // by idempotency key
	log      []*postingRec          // every posting in Seq order: log[i] has Seq i+1
	byPlan   map[string][]*postingRec
	// ordered reports that the postings' At times never decrease along log, so log can be
	// searched by time.
	ordered bool

	// Scratch state of the posting being checked, used only under the write lock.
	gen     uint64        // marks the accounts the current posting touches
	touched []*accountRec // the accounts the current posting touches, in line order
}

var _ funding.Store = (*FundingStore)(nil)

// NewFundingStore returns an empty FundingStore.
func NewFundingStore() *FundingStore {
	return &FundingStore{
		funds:      make(map[string]*funding.Fund),
		fundsUnder: make(map[string][]*funding.Fund),
		accounts:   make(map[string]*accountRec),
		postings:   make(map[string]*postingRec),
		keys:       make(map[string]*postingRec),
		byPlan:     make(map[string][]*postingRec),
		ordered:    true,
	}
}

// accountRec is one account with its balance and the postings that touch it.
type accountRec struct {
	acct     funding.Account
	balance  decimal.Decimal
	postings []*postingRec // in Seq order

	// Scratch state of the posting being checked (see FundingStore.gen): when mark is the
	// store's gen, delta is the sum of the posting's lines on this account, line the index
	// of its first line on it, and next (once the budget is checked) the balance the posting
	// would leave.
	mark        uint64
	delta, next decimal.Decimal
	line        int
}

// postingRec is one applied posting.
type postingRec struct {
	p          funding.Posting // the stored value; Lines owned by the store
	reversedBy string          // the ID of the posting that reversed this one, if any
}

var (
	entFund    = entity{"fund", "资金"}
	entAccount = entity{"account", "账户"}
	entPosting = entity{"posting", "记账凭证"}
)

// fundID is the sort key of funds.
func fundID(f *funding.Fund) string { return f.ID }

// lockWrite takes the write lock for a mutating method: it checks ctx before waiting for
// the lock and again once it holds it, so a cancelled call changes nothing. On success the
// caller must call s.mu.Unlock. (Unlike GovernanceStore's, it returns no unlock function:
// a method value would cost every posting an allocation.)
func (s *FundingStore) lockWrite(ctx context.Context) error {
	if err := live(ctx); err != nil {
		return err
	}
	s.mu.Lock()
	if err := live(ctx); err != nil {
		s.mu.Unlock()
		return err
	}
	return nil
}

// lockRead takes the read lock for a query after checking ctx. On success the caller must
// call s.mu.RUnlock.
func (s *FundingStore) lockRead(ctx context.Context) error {
	if err := live(ctx); err != nil {
		return err
	}
	s.mu.RLock()
	return nil
}

// CreateFund stores f as version 1 together with its account (Kind fund, Unit CNY, zero
// balance). See funding.Store.
func (s *FundingStore) CreateFund(ctx context.Context, f funding.Fund) (funding.Fund, error) {
	if err := s.lockWrite(ctx); err != nil {
		return funding.Fund{}, err
	}
	defer s.mu.Unlock()
	verr := &gridgov.ValidationError{}
	requireID(verr, "ID", f.ID)
	if f.ParentID != "" && s.funds[f.ParentID] == nil {
		missingRef(verr, "ParentID", entFund, f.ParentID)
	}
	funding.CheckBudget(verr, f.Budget)
	requireID(verr, "AccountID", f.AccountID)
	if err := verr.Err(); err != nil {
		return funding.Fund{}, err
	}
	dup := &gridgov.ValidationError{Kind: gridgov.ErrAlreadyExists}
	if _, ok := s.funds[f.ID]; ok {
		dup.Merge(gridgov.AlreadyExists("ID", f.ID))
	}
	if _, ok := s.accounts[f.AccountID]; ok {
		dup.Merge(gridgov.AlreadyExists("AccountID", f.AccountID))
	}
	if err := dup.Err(); err != nil {
		return funding.Fund{}, err
	}

	f.Version = 1
	stored := f
	s.funds[f.ID] = &stored
	s.fundsUnder[f.ParentID] = insertByID(s.fundsUnder[f.ParentID], &stored, fundID)
	s.accounts[f.AccountID] = &accountRec{
		acct: funding.Account{
			ID: f.AccountID, Kind: funding.AccountFund, Unit: funding.CNY, Name: f.Name,
			FundID: f.ID, NodeID: f.NodeID,
		},
		balance: decimal.Zero,
	}
	return f, nil
}

// GetFund returns the fund with id. See funding.Store.
func (s *FundingStore) GetFund(ctx context.Context, id string) (funding.Fund, error) {
	if err := s.lockRead(ctx); err != nil {
		return funding.Fund{}, err
	}
	defer s.mu.RUnlock()
	f := s.funds[id]
	if f == nil {
		return funding.Fund{}, notFound(entFund, id)
	}
	return *f, nil
}

// ListFunds returns the funds drawing from parentID ("" for top funds), by ID: O(result).
// See funding.Store.
func (s *FundingStore) ListFunds(ctx context.Context, parentID string) ([]funding.Fund, error) {
	if err := s.lockRead(ctx); err != nil {
		return nil, err
	}
	defer s.mu.RUnlock()
	list := s.fundsUnder[parentID]
	out := make([]funding.Fund, len(list))
	for i, f := range list {
		out[i] = *f
	}
	return out, nil
}

// CreateAccount stores a, or returns the existing account with a.ID when it has the same
// Kind and Unit. See funding.Store.
func (s *FundingStore) CreateAccount(ctx context.Context, a funding.Account) (funding.Account, error) {
	if err := s.lockWrite(ctx); err != nil {
		return funding.Account{}, err
	}
	defer s.mu.Unlock()
	verr := &gridgov.ValidationError{}
	requireID(verr, "ID", a.ID)
	switch a.Kind {
	case funding.AccountSource, funding.AccountFund, funding.AccountRecipient, funding.AccountExpense:
	case "":
		verr.Add("Kind", "required", "Kind is required", "Kind（账户类型）为必填项")
	default:
		verr.Add("Kind", "oneof",
			fmt.Sprintf("Kind %q is not an account kind (source, fund, recipient or expense)", a.Kind),
			fmt.Sprintf("Kind“%s”不是有效的账户类型（source、fund、recipient或expense）", a.Kind))
	}
	switch a.Unit {
	case funding.CNY, funding.Points:
	case "":
		verr.Add("Unit", "required", "Unit is required", "Unit（计量单位）为必填项")
	default:
		verr.Add("Unit", "oneof",
			fmt.Sprintf("Unit %q is not a unit (CNY or points)", a.Unit),
			fmt.Sprintf("Unit“%s”不是有效的计量单位（CNY或points）", a.Unit))
	}
	if err := verr.Err(); err != nil {
		return funding.Account{}, err
	}
	if rec, ok := s.accounts[a.ID]; ok {
		if rec.acct.Kind != a.Kind || rec.acct.Unit != a.Unit {
			return funding.Account{}, (&gridgov.ValidationError{Kind: gridgov.ErrAlreadyExists}).Add("ID", "unique",
				fmt.Sprintf("account %q already exists as a %s account in %s, not %s in %s",
					a.ID, rec.acct.Kind, rec.acct.Unit, a.Kind, a.Unit),
				fmt.Sprintf("账户“%s”已存在（类型%s，单位%s），与所请求的类型%s、单位%s不符",
					a.ID, rec.acct.Kind, rec.acct.Unit, a.Kind, a.Unit))
		}
		return rec.acct, nil
	}
	s.accounts[a.ID] = &accountRec{acct: a, balance: decimal.Zero}
	return a, nil
}

// GetAccount returns the account with id. See funding.Store.
func (s *FundingStore) GetAccount(ctx context.Context, id string) (funding.Account, error) {
	if err := s.lockRead(ctx); err != nil {
		return funding.Account{}, err
	}
	defer s.mu.RUnlock()
	rec := s.accounts[id]
	if rec == nil {
		return funding.Account{}, notFound(entAccount, id)
	}
	return rec.acct, nil
}

// Balance returns the account's balance, kept up to date by every posting (O(1)); its Seq
// is the Seq of the last posting applied to the ledger. See funding.Store.
func (s *FundingStore) Balance(ctx context.Context, accountID string) (funding.Balance, error) {
	if err := s.lockRead(ctx); err != nil {
		return funding.Balance{}, err
	}
	defer s.mu.RUnlock()
	rec := s.accounts[accountID]
	if rec == nil {
		return funding.Balance{}, notFound(entAccount, accountID)
	}
	return funding.Balance{AccountID: accountID, Amount: rec.balance, Seq: int64(len(s.log))}, nil
}

// lineField names a field of the i-th line.
func lineField(i int, name string) string {
	return fmt.Sprintf("Lines[%d].%s", i, name)
}
