package postgres_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gridgov/gridgov"
	"github.com/gridgov/gridgov/escalation"
	"github.com/gridgov/gridgov/funding"
	"github.com/gridgov/gridgov/governance"
	"github.com/gridgov/gridgov/store/postgres"
)

var (
	t0     = time.Date(2024, time.March, 1, 9, 30, 0, 0, time.UTC)
	system = gridgov.SystemActor("test")
)

// money parses a decimal.
func money(s string) decimal.Decimal { return decimal.RequireFromString(s) }

// fundLedger sets up a source account, fund f1 with budget in its account "fund:f1", and
// recipient accounts r1…rn.
func fundLedger(t *testing.T, st funding.Store, budget string, recipients int) {
	t.Helper()
	ctx := t.Context()
	_, err := st.CreateAccount(ctx, funding.Account{ID: "src", Kind: funding.AccountSource, Unit: funding.CNY, Name: "财政拨款"})
	require.NoError(t, err)
	_, err = st.CreateFund(ctx, funding.Fund{ID: "f1", Name: "启动资金", AccountID: "fund:f1", Budget: money(budget)})
	require.NoError(t, err)
	for i := 1; i <= recipients; i++ {
		_, err := st.CreateAccount(ctx, funding.Account{ID: fmt.Sprintf("r%d", i), Kind: funding.AccountRecipient, Unit: funding.CNY})
		require.NoError(t, err)
	}
	_, applied, err := st.Post(ctx, transfer("appropriation", "src", "fund:f1", budget))
	require.NoError(t, err)
	require.True(t, applied)
}

// transfer is a posting moving amount from one account to another.
func transfer(id, from, to, amount string) funding.Posting {
	a := money(amount)
	return funding.Posting{ID: id, Reason: "test " + id, Actor: system, At: t0,
		Lines: []funding.Line{{AccountID: from, Amount: a.Neg()}, {AccountID: to, Amount: a}}}
}

// balance returns an account's balance.
func balance(t *testing.T, st funding.Store, id string) decimal.Decimal {
	t.Helper()
	b, err := st.Balance(t.Context(), id)
	require.NoError(t, err)
	return b.Amount
}

// complaint returns an unsaved complaint at path.
func complaint(id string, path ...string) escalation.Complaint {
	return escalation.Complaint{ID: id, Channel: escalation.ChannelHotline, Category: "property",
		Description: "楼道灯坏了", NodeID: path[len(path)-1], Path: path, State: escalation.StateSubmitted,
		Reporter: escalation.Reporter{PersonID: "res", Name: "张三", Phone: "13800138000"}, SubmittedAt: t0}
}

func event(kind escalation.EventKind, note string) escalation.Event {
	return escalation.Event{Kind: kind, Actor: system, At: t0, Note: note}
}

// Two processes (two pools on one database) update the same complaint with the same version
// many times: exactly one wins each round, and writers that retry after a conflict lose no
// update.
func TestTwoProcessesComplaint(t *testing.T) {
	dsn := newDSN(t)
	procs := []escalation.Store{open(t, dsn).Escalation(), open(t, dsn).Escalation()}
	ctx := t.Context()
	_, _, err := procs[0].CreateComplaint(ctx, complaint("hot", "st", "c1"), "", event(escalation.EventSubmit, ""))
	require.NoError(t, err)

	const rounds = 60
	for round := range rounds {
		base, err := procs[round%2].GetComplaint(ctx, "hot")
		require.NoError(t, err)
		errs := make([]error, len(procs))
		var wg sync.WaitGroup
		start := make(chan struct{})
		for i, st := range procs {
			wg.Add(1)
			go func() {
				defer wg.Done()
				c := base.Clone()
				c.Description = fmt.Sprintf("process %d round %d", i, round)
				<-start
				_, errs[i] = st.UpdateComplaint(ctx, c, event(escalation.EventWarn, c.Description))
			}()
		}
		close(start)
		wg.Wait()
		wins := 0
		for _, err := range errs {
			if err == nil {
				wins++
			} else {
				require.ErrorIs(t, err, gridgov.ErrConflict, "round %d", round)
			}
		}
		require.Equal(t, 1, wins, "round %d: exactly one process wins", round)
	}

	// Read-modify-write loops that retry on conflict: no update is lost.
	const each = 20
	var wg sync.WaitGroup
	for i, st := range procs {
		for w := range 2 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for done := 0; done < each; {
					c, err := st.GetComplaint(ctx, "hot")
					if !assert.NoError(t, err) {
						return
					}
					c.Reworks++
					_, err = st.UpdateComplaint(ctx, c, event(escalation.EventReopen, fmt.Sprintf("p%d w%d", i, w)))
					if errors.Is(err, gridgov.ErrConflict) {
						continue
					}
					if !assert.NoError(t, err) {
						return
					}
					done++
				}
			}()
		}
	}
	wg.Wait()
	got, err := procs[0].GetComplaint(ctx, "hot")
	require.NoError(t, err)
	assert.Equal(t, 4*each, got.Reworks, "no lost update")
	assert.EqualValues(t, 1+rounds+4*each, got.Version)
	evs, err := procs[1].Events(ctx, 0, 0)
	require.NoError(t, err)
	require.Len(t, evs, int(got.Version), "one event per version")
	for i, ev := range evs {
		assert.EqualValues(t, i+1, ev.Seq, "gap-free feed")
	}
}

// Two processes draw from one fund at once, asking for more than it holds: the fund never
// goes below zero, and what it lost is exactly what the accepted postings took.
func TestTwoProcessesLedger(t *testing.T) {
	dsn := newDSN(t)
	procs := []funding.Store{open(t, dsn).Funding(), open(t, dsn).Funding()}
	fundLedger(t, procs[0], "1000.00", 4)
	ctx := t.Context()

	const workers, each = 4, 15 // 60 postings of ¥10.00–¥39.99, ¥1,442.10 in all: more than the fund holds
	var (
		mu       sync.Mutex
		accepted = decimal.Zero
		refused  int
		wg       sync.WaitGroup
	)
	for w := range workers {
		st := procs[w%2]
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range each {
				amount := decimal.New(int64(1000+(w*each+i)*173%3000), -2) // 10.00 … 39.99
				p := transfer(fmt.Sprintf("w%d-%d", w, i), "fund:f1", fmt.Sprintf("r%d", w+1), amount.String())
				_, applied, err := st.Post(ctx, p)
				mu.Lock()
				switch {
				case err == nil && applied:
					accepted = accepted.Add(amount)
				case errors.Is(err, gridgov.ErrBudgetExceeded):
					refused++
				default:
					assert.NoError(t, err)
				}
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	left := balance(t, procs[1], "fund:f1")
	assert.False(t, left.IsNegative(), "the fund never goes below zero: %s", left)
	assert.True(t, money("1000.00").Sub(accepted).Equal(left), "fund holds 1000 - accepted (%s), not %s", accepted, left)
	paid := decimal.Zero
	for w := range workers {
		paid = paid.Add(balance(t, procs[0], fmt.Sprintf("r%d", w+1)))
	}
	assert.True(t, accepted.Equal(paid), "recipients got exactly what was accepted")
	assert.Positive(t, refused, "the requests add up to more than the fund holds, so some were refused")
}

// waitForLock returns the pid of the backend waiting for a lock in the current database
// while running a statement that contains match. It polls pg_stat_activity (bounded).
func waitForLock(t *testing.T, db *postgres.DB, match string) int32 {
	t.Helper()
	for range 2000 {
		var pid int32
		err := db.Pool().QueryRow(t.Context(), `SELECT pid FROM pg_stat_activity
			WHERE datname = current_database() AND wait_event_type = 'Lock' AND query LIKE '%' || $1 || '%'
			AND pid <> pg_backend_pid() LIMIT 1`, match).Scan(&pid)
		if err == nil {
			return pid
		}
		require.ErrorIs(t, err, pgx.ErrNoRows)
		time.Sleep(5 * time.Millisecond)
	}
	t.Fatalf("no backend waits for a lock in a statement containing %q", match)
	return 0
}

// A store call whose connection is killed while it waits on a row lock writes nothing:
// the posting (two lines, a ledger number) and the complaint update (a version, an event)
// are all or nothing.
func TestKilledConnection(t *testing.T) {
	dsn := newDSN(t)
	db, admin := open(t, dsn), open(t, dsn)
	fund, esc := db.Funding(), db.Escalation()
	fundLedger(t, fund, "100.00", 1)
	ctx := t.Context()
	_, _, err := esc.CreateComplaint(ctx, complaint("c1", "st"), "", event(escalation.EventSubmit, ""))
	require.NoError(t, err)

	kill := func(lockSQL, match string, call func() error) error {
		t.Helper()
		holder, err := admin.Pool().Begin(ctx)
		require.NoError(t, err)
		defer func() { _ = holder.Rollback(context.WithoutCancel(ctx)) }()
		_, err = holder.Exec(ctx, lockSQL)
		require.NoError(t, err)
		done := make(chan error, 1)
		go func() { done <- call() }()
		pid := waitForLock(t, admin, match)
		var ok bool
		require.NoError(t, admin.Pool().QueryRow(ctx, "SELECT pg_terminate_backend($1)", pid).Scan(&ok))
		require.True(t, ok)
		return <-done
	}

	// The posting waits for the recipient's row, which it locks after the fund's.
	err = kill("SELECT 1 FROM fund_accounts WHERE id = 'r1' FOR UPDATE", "FOR UPDATE", func() error {
		_, _, err := fund.Post(ctx, transfer("p1", "fund:f1", "r1", "30.00"))
		return err
	})
	require.Error(t, err, "the killed call fails")
	assert.True(t, money("100.00").Equal(balance(t, fund, "fund:f1")), "no line was applied")
	assert.True(t, balance(t, fund, "r1").IsZero())
	_, err = fund.GetPosting(ctx, "p1")
	require.ErrorIs(t, err, gridgov.ErrNotFound)
	b, err := fund.Balance(ctx, "r1")
	require.NoError(t, err)
	assert.EqualValues(t, 1, b.Seq, "no ledger number was taken")
	// The pool recovers and the posting goes through whole.
	_, applied, err := fund.Post(ctx, transfer("p1", "fund:f1", "r1", "30.00"))
	require.NoError(t, err)
	require.True(t, applied)
	assert.True(t, money("70.00").Equal(balance(t, fund, "fund:f1")))

	// The complaint update waits for the complaint's row.
	c, err := esc.GetComplaint(ctx, "c1")
	require.NoError(t, err)
	err = kill("SELECT 1 FROM esc_complaints WHERE id = 'c1' FOR UPDATE", "esc_feed", func() error {
		upd := c.Clone()
		upd.State = escalation.StateAccepted
		_, err := esc.UpdateComplaint(ctx, upd, event(escalation.EventAccept, ""))
		return err
	})
	require.Error(t, err)
	after, err := esc.GetComplaint(ctx, "c1")
	require.NoError(t, err)
	assert.EqualValues(t, 1, after.Version, "no version was written")
	assert.Equal(t, escalation.StateSubmitted, after.State)
	evs, err := esc.Events(ctx, 0, 0)
	require.NoError(t, err)
	assert.Len(t, evs, 1, "no event was appended")
}

// A serialization failure or a deadlock reported by the server runs the transaction again,
// with the same arguments: the call succeeds once, whole.
func TestRetryForcedFailures(t *testing.T) {
	db := newDB(t)
	st := db.Funding()
	fundLedger(t, st, "100.00", 1)
	codes := map[int]string{1: "serialization_failure", 2: "deadlock_detected"}
	postgres.SetTxHook(db, func(ctx context.Context, tx pgx.Tx, attempt int) error {
		if code, ok := codes[attempt]; ok {
			_, err := tx.Exec(ctx, "DO $$ BEGIN RAISE EXCEPTION 'forced by the test' USING ERRCODE = '"+code+"'; END $$")
			return err
		}
		return nil
	})
	before := postgres.Retries(db)
	got, applied, err := st.Post(t.Context(), transfer("p1", "fund:f1", "r1", "25.00"))
	require.NoError(t, err)
	require.True(t, applied)
	assert.EqualValues(t, 2, postgres.Retries(db)-before, "two attempts were run again")
	assert.EqualValues(t, 2, got.Seq)
	assert.True(t, money("75.00").Equal(balance(t, st, "fund:f1")), "applied once")
	assert.True(t, money("25.00").Equal(balance(t, st, "r1")))
}

// When every attempt fails, the call gives up after the configured number of attempts with
// an error matching gridgov.ErrConflict and wrapping the server's, and changes nothing.
func TestRetryGivesUp(t *testing.T) {
	db := newDB(t, postgres.WithMaxAttempts(3), postgres.WithBackoff(time.Microsecond, time.Millisecond))
	st := db.Funding()
	fundLedger(t, st, "100.00", 1)
	attempts := 0
	postgres.SetTxHook(db, func(ctx context.Context, tx pgx.Tx, attempt int) error {
		attempts++
		_, err := tx.Exec(ctx, "DO $$ BEGIN RAISE EXCEPTION 'forced' USING ERRCODE = 'serialization_failure'; END $$")
		return err
	})
	_, applied, err := st.Post(t.Context(), transfer("p1", "fund:f1", "r1", "25.00"))
	require.ErrorIs(t, err, gridgov.ErrConflict)
	var pgErr *pgconn.PgError
	require.ErrorAs(t, err, &pgErr)
	assert.Equal(t, "40001", pgErr.Code)
	assert.False(t, applied)
	assert.Equal(t, 3, attempts)
	postgres.SetTxHook(db, nil)
	assert.True(t, money("100.00").Equal(balance(t, st, "fund:f1")))
}

// A real serialization failure: a governance write (SERIALIZABLE) reads a node whose row
// another process changes after the write's snapshot was taken; the server refuses the
// update (SQLSTATE 40001), the store runs the transaction again, and the second attempt
// sees the other write: the caller's version is now stale, so the call ends in
// gridgov.ErrConflict and the other write stands.
func TestRetrySerializationConflict(t *testing.T) {
	dsn := newDSN(t)
	db, other := open(t, dsn), open(t, dsn)
	gov := db.Governance()
	ctx := t.Context()
	n, err := gov.CreateNode(ctx, governance.Node{ID: "st", Level: "street", Name: "北园街道"},
		governance.NodeChange{Kind: governance.ChangeCreated, Actor: "system:test", At: t0})
	require.NoError(t, err)

	postgres.SetTxHook(db, func(ctx context.Context, tx pgx.Tx, attempt int) error {
		if attempt != 1 {
			return nil
		}
		// Take the snapshot, then let another process rename the node and commit.
		if _, err := tx.Exec(ctx, "SELECT count(*) FROM gov_nodes"); err != nil {
			return err
		}
		renamed := n.Clone()
		renamed.Name = "北园街道（新）"
		_, err := other.Governance().UpdateNode(ctx, renamed, governance.NodeChange{Kind: governance.ChangeRenamed,
			Actor: "system:other", At: t0, From: n.Name, To: renamed.Name})
		return err
	})
	before := postgres.Retries(db)
	mine := n.Clone()
	mine.Name = "我的改名"
	_, err = gov.UpdateNode(ctx, mine, governance.NodeChange{Kind: governance.ChangeRenamed, Actor: "system:test", At: t0})
	require.ErrorIs(t, err, gridgov.ErrConflict)
	assert.EqualValues(t, 1, postgres.Retries(db)-before, "the serialization failure was retried once")
	got, err := gov.GetNode(ctx, "st")
	require.NoError(t, err)
	assert.Equal(t, "北园街道（新）", got.Name)
	assert.EqualValues(t, 2, got.Version)
}

// Strings PostgreSQL cannot store are refused with gridgov.ErrInvalid naming the field, and
// nothing is stored.
func TestUnstorableValues(t *testing.T) {
	db := newDB(t)
	ctx := t.Context()
	c := complaint("c1", "st")
	c.Reporter.Name = "bad\x00name"
	c.Attachments = []string{"ok.jpg", "\xff.jpg"}
	_, _, err := db.Escalation().CreateComplaint(ctx, c, "", event(escalation.EventSubmit, ""))
	require.ErrorIs(t, err, gridgov.ErrInvalid)
	var verr *gridgov.ValidationError
	require.ErrorAs(t, err, &verr)
	assert.ElementsMatch(t, []string{"Reporter.Name", "Attachments[1]"}, verr.FieldNames())
	_, err = db.Escalation().GetComplaint(ctx, "c1")
	require.ErrorIs(t, err, gridgov.ErrNotFound)
	// A retried intake is answered by its key, whatever it holds.
	first, created, err := db.Escalation().CreateComplaint(ctx, complaint("c2", "st"), "key-1", event(escalation.EventSubmit, ""))
	require.NoError(t, err)
	require.True(t, created)
	again, created, err := db.Escalation().CreateComplaint(ctx, c, "key-1", event(escalation.EventSubmit, ""))
	require.NoError(t, err)
	assert.False(t, created)
	assert.Equal(t, first.ID, again.ID)

	_, err = db.Governance().CreateNode(ctx, governance.Node{ID: "n", Labels: map[string]string{"k": "v\x00"}},
		governance.NodeChange{})
	require.ErrorIs(t, err, gridgov.ErrInvalid)
	far := time.Date(300000, 1, 1, 0, 0, 0, 0, time.UTC)
	_, err = db.Governance().CreatePerson(ctx, governance.Person{ID: "p", CreatedAt: far})
	require.ErrorIs(t, err, gridgov.ErrInvalid, "a time beyond timestamptz's range")
	_, err = db.Governance().GetNode(ctx, "n")
	require.ErrorIs(t, err, gridgov.ErrNotFound)
	_, err = db.Governance().GetNode(ctx, "bad\x00id")
	require.ErrorIs(t, err, gridgov.ErrNotFound, "an ID that cannot be stored names nothing")
}
