package postgres

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgtype"

	"github.com/gridgov/gridgov"
	"github.com/gridgov/gridgov/escalation"
)

// EscalationStore is the escalation.Store on PostgreSQL: complaints (诉求), their histories
// and the event feed (tables esc_*, migration 0002). Get it from [DB.Escalation]; it is
// safe for concurrent use, from any number of processes.
//
// Every write is a single SQL statement (data-modifying WITH clauses), which PostgreSQL
// runs as one transaction: UpdateComplaint updates the row only if its version still
// matches, takes the next event number and appends the event, in one round trip. Event
// numbers come from the single row of esc_feed, locked by the writing statement until it
// commits, so they are gap-free and follow commit order (see [EscalationStore.Events]).
//
// Where the contract is silent the store follows store/memory: a negative limit is
// gridgov.ErrInvalid, and UpdateComplaint keeps the stored Path, SubmittedAt and Reporter
// (they are columns written once, at intake). Strings that PostgreSQL cannot store (a NUL
// byte, invalid UTF-8) and times outside its range are refused with gridgov.ErrInvalid.
type EscalationStore struct {
	run *runner
}

var _ escalation.Store = (*EscalationStore)(nil)

var entComplaint = entity{"complaint", "诉求"}

// complaintCols are the columns a complaint is read from, in scanComplaint's order.
const complaintCols = `c.id, c.version, c.path, c.reporter_person, c.reporter_name, c.reporter_phone,
	c.submitted_at, c.submitted_at_ns, c.doc`

// scanComplaint reads a complaint from a row of complaintCols.
func scanComplaint(row pgx.Row) (escalation.Complaint, error) {
	var (
		id, person, name, phone string
		version                 int64
		path                    []string
		sub                     pgtype.Timestamptz
		subNs                   int16
		doc                     []byte
	)
	if err := row.Scan(&id, &version, &path, &person, &name, &phone, &sub, &subNs, &doc); err != nil {
		return escalation.Complaint{}, err
	}
	var c escalation.Complaint
	if err := decodeDoc(doc, &c); err != nil {
		return escalation.Complaint{}, err
	}
	c.ID, c.Version = id, version
	if len(path) > 0 {
		c.Path = path
	}
	c.Reporter = escalation.Reporter{PersonID: person, Name: gridgov.PersonName(name), Phone: gridgov.Phone(phone)}
	c.SubmittedAt = joinTime(sub, subNs)
	return c, nil
}

// complaintDoc returns the document of c: every field but those kept in columns of their
// own that never change (ID, Version, Path, Reporter, SubmittedAt).
func complaintDoc(c escalation.Complaint) ([]byte, error) {
	c.ID, c.Version, c.Path, c.Reporter, c.SubmittedAt = "", 0, nil, escalation.Reporter{}, time.Time{}
	return encodeDoc(c)
}

// eventArgs returns the arguments of an event's columns after seq, complaint_id and
// version: kind, from_state, to_state, tier, actor_id, actor_kind, at, at_ns, note.
func eventArgs(e escalation.Event) []any {
	at, atNs := optTime(e.At)
	return []any{string(e.Kind), string(e.From), string(e.To), int32(e.Tier), e.Actor.ID, int16(e.Actor.Kind), at, atNs, e.Note}
}

// checkComplaint records on verr what in c and e PostgreSQL cannot store.
func checkComplaint(verr *gridgov.ValidationError, c escalation.Complaint, e escalation.Event) {
	checkStorable(verr, "", c)
	checkStorable(verr, "Event", e)
}

const createComplaintSQL = `
WITH ins AS (
	INSERT INTO esc_complaints (id, idem_key, version, state, category, path, reporter_person, reporter_name,
		reporter_phone, submitted_at, submitted_at_ns, due_at, due_at_ns, doc)
	VALUES ($1, $2, 1, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)
	ON CONFLICT DO NOTHING
	RETURNING *
), nodes AS (
	INSERT INTO esc_complaint_nodes (node_id, complaint_id)
	SELECT DISTINCT p.node, ins.id FROM ins, unnest(ins.path) AS p(node)
), feed AS (
	UPDATE esc_feed SET last_seq = last_seq + 1 WHERE EXISTS (SELECT 1 FROM ins) RETURNING last_seq
), ev AS (
	INSERT INTO esc_events (seq, complaint_id, version, kind, from_state, to_state, tier, actor_id, actor_kind, at, at_ns, note)
	SELECT feed.last_seq, $1, 1, $14, $15, $16, $17, $18, $19, $20, $21, $22 FROM feed
)
SELECT ` + complaintCols + ` FROM ins c`

// CreateComplaint stores c as version 1 with its first event, or returns the complaint
// created earlier with key. One statement inserts the complaint (doing nothing on a
// duplicate ID or key), its subtree index rows and its event; when it inserts nothing, a
// second looks the key up. See escalation.Store.
func (s *EscalationStore) CreateComplaint(ctx context.Context, c escalation.Complaint, key string, event escalation.Event) (escalation.Complaint, bool, error) {
	const op = "CreateComplaint"
	if err := live(ctx); err != nil {
		return escalation.Complaint{}, false, err
	}
	verr := &gridgov.ValidationError{}
	checkString(verr, "key", key)
	if err := verr.Err(); err != nil {
		return escalation.Complaint{}, false, err
	}
	requireID(verr, "ID", c.ID)
	checkComplaint(verr, c, event)
	if err := verr.Err(); err != nil {
		if key != "" {
			// A retry may carry anything, even no ID: the key decides.
			if got, found, err := s.byKey(ctx, key); err != nil || found {
				return got, false, wrapErr(op, err)
			}
		}
		return escalation.Complaint{}, false, err
	}
	doc, err := complaintDoc(c)
	if err != nil {
		return escalation.Complaint{}, false, wrapErr(op, err)
	}
	path := c.Path
	if path == nil {
		path = []string{}
	}
	dueAt, dueNs := optTime(c.DueAt)
	args := append([]any{c.ID, nullable(key), string(c.State), c.Category, path, c.Reporter.PersonID,
		string(c.Reporter.Name), string(c.Reporter.Phone), c.SubmittedAt, subMicro(c.SubmittedAt), dueAt, dueNs, doc},
		eventArgs(event)...)

	var stored escalation.Complaint
	err = s.run.do(ctx, op, func(ctx context.Context, _ int) error {
		var err error
		stored, err = scanComplaint(s.run.pool.QueryRow(ctx, createComplaintSQL, args...))
		return err
	})
	if errors.Is(err, pgx.ErrNoRows) {
		// Nothing was inserted: the key or the ID is taken.
		if key != "" {
			got, found, err := s.byKey(ctx, key)
			if err != nil || found {
				return got, false, wrapErr(op, err)
			}
		}
		return escalation.Complaint{}, false, gridgov.AlreadyExists("ID", c.ID)
	}
	if err != nil {
		return escalation.Complaint{}, false, wrapErr(op, err)
	}
	return stored, true, nil
}

// byKey returns the complaint created with the idempotency key, if any.
func (s *EscalationStore) byKey(ctx context.Context, key string) (escalation.Complaint, bool, error) {
	c, err := scanComplaint(s.run.pool.QueryRow(ctx, "SELECT "+complaintCols+" FROM esc_complaints c WHERE c.idem_key = $1", key))
	if errors.Is(err, pgx.ErrNoRows) {
		return escalation.Complaint{}, false, nil
	}
	if err != nil {
		return escalation.Complaint{}, false, err
	}
	return c, true, nil
}

// GetComplaint returns the complaint id. See escalation.Store.
func (s *EscalationStore) GetComplaint(ctx context.Context, id string) (escalation.Complaint, error) {
	if err := live(ctx); err != nil {
		return escalation.Complaint{}, err
	}
	if !storableString(id) {
		return escalation.Complaint{}, notFound(entComplaint, id)
	}
	var c escalation.Complaint
	err := s.run.do(ctx, "GetComplaint", func(ctx context.Context, _ int) error {
		var err error
		c, err = scanComplaint(s.run.pool.QueryRow(ctx, "SELECT "+complaintCols+" FROM esc_complaints c WHERE c.id = $1", id))
		return err
	})
	if errors.Is(err, pgx.ErrNoRows) {
		return escalation.Complaint{}, notFound(entComplaint, id)
	}
	return c, wrapErr("GetComplaint", err)
}

const updateComplaintSQL = `
WITH upd AS (
	UPDATE esc_complaints c SET version = c.version + 1, state = $3, category = $4, due_at = $5, due_at_ns = $6, doc = $7
	WHERE c.id = $1 AND c.version = $2
	RETURNING ` + complaintCols + `
), feed AS (
	UPDATE esc_feed SET last_seq = last_seq + 1 WHERE EXISTS (SELECT 1 FROM upd) RETURNING last_seq
), ev AS (
	INSERT INTO esc_events (seq, complaint_id, version, kind, from_state, to_state, tier, actor_id, actor_kind, at, at_ns, note)
	SELECT feed.last_seq, upd.id, upd.version, $8, $9, $10, $11, $12, $13, $14, $15, $16 FROM feed, upd
)
SELECT * FROM upd`

// UpdateComplaint replaces the complaint c.ID by c if its version is still c.Version and
// appends event, in one statement; Path, SubmittedAt and Reporter keep their stored values.
// See escalation.Store.
func (s *EscalationStore) UpdateComplaint(ctx context.Context, c escalation.Complaint, event escalation.Event) (escalation.Complaint, error) {
	const op = "UpdateComplaint"
	if err := live(ctx); err != nil {
		return escalation.Complaint{}, err
	}
	verr := &gridgov.ValidationError{}
	checkComplaint(verr, c, event)
	if err := verr.Err(); err != nil {
		return escalation.Complaint{}, err
	}
	doc, err := complaintDoc(c)
	if err != nil {
		return escalation.Complaint{}, wrapErr(op, err)
	}
	dueAt, dueNs := optTime(c.DueAt)
	args := append([]any{c.ID, c.Version, string(c.State), c.Category, dueAt, dueNs, doc}, eventArgs(event)...)
	var stored escalation.Complaint
	err = s.run.do(ctx, op, func(ctx context.Context, _ int) error {
		var err error
		stored, err = scanComplaint(s.run.pool.QueryRow(ctx, updateComplaintSQL, args...))
		return err
	})
	if errors.Is(err, pgx.ErrNoRows) {
		// Nothing was updated: say why.
		var current int64
		err = s.run.pool.QueryRow(ctx, "SELECT version FROM esc_complaints WHERE id = $1", c.ID).Scan(&current)
		switch {
		case errors.Is(err, pgx.ErrNoRows):
			return escalation.Complaint{}, notFound(entComplaint, c.ID)
		case err != nil:
			return escalation.Complaint{}, wrapErr(op, err)
		}
		return escalation.Complaint{}, conflict(entComplaint, c.ID, c.Version, current)
	}
	if err != nil {
		return escalation.Complaint{}, wrapErr(op, err)
	}
	return stored, nil
}

// History returns the complaint's events in version order (ErrNotFound when there are
// none: every complaint has its creation event). See escalation.Store.
func (s *EscalationStore) History(ctx context.Context, id string) ([]escalation.Event, error) {
	if err := live(ctx); err != nil {
		return nil, err
	}
	if !storableString(id) {
		return nil, notFound(entComplaint, id)
	}
	evs, err := s.events(ctx, "History", "SELECT "+eventCols+" FROM esc_events WHERE complaint_id = $1 ORDER BY version", id)
	if err == nil && len(evs) == 0 {
		return nil, notFound(entComplaint, id)
	}
	return evs, err
}

// eventCols are the columns an event is read from.
const eventCols = `seq, complaint_id, version, kind, from_state, to_state, tier, actor_id, actor_kind, at, at_ns, note`

// events runs a query over esc_events and reads its rows.
func (s *EscalationStore) events(ctx context.Context, op, sql string, args ...any) ([]escalation.Event, error) {
	var out []escalation.Event
	err := s.run.do(ctx, op, func(ctx context.Context, _ int) error {
		out = nil
		rows, err := s.run.pool.Query(ctx, sql, args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var (
				e               escalation.Event
				kind, from, to  string
				tier            int32
				actorKind, atNs int16
				at              pgtype.Timestamptz
			)
			if err := rows.Scan(&e.Seq, &e.ComplaintID, &e.Version, &kind, &from, &to, &tier, &e.Actor.ID, &actorKind, &at, &atNs, &e.Note); err != nil {
				return err
			}
			e.Kind, e.From, e.To, e.Tier = escalation.EventKind(kind), escalation.State(from), escalation.State(to), int(tier)
			e.Actor.Kind, e.At = gridgov.ActorKind(actorKind), joinTime(at, atNs)
			out = append(out, e)
		}
		return rows.Err()
	})
	return out, wrapErr(op, err)
}

// complaints runs a query returning complaintCols and reads its rows.
func (s *EscalationStore) complaints(ctx context.Context, op, sql string, args ...any) ([]escalation.Complaint, error) {
	var out []escalation.Complaint
	err := s.run.do(ctx, op, func(ctx context.Context, _ int) error {
		out = nil
		rows, err := s.run.pool.Query(ctx, sql, args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			c, err := scanComplaint(rows)
			if err != nil {
				return err
			}
			out = append(out, c)
		}
		return rows.Err()
	})
	return out, wrapErr(op, err)
}

// ListComplaints returns a page of the complaints matching q in ID order and the cursor of
// the next page. With Within it walks the subtree index esc_complaint_nodes from the
// cursor; without, the primary key. See escalation.Store.
func (s *EscalationStore) ListComplaints(ctx context.Context, q escalation.Query) ([]escalation.Complaint, string, error) {
	if err := checkLimit("Limit", q.Limit); err != nil {
		return nil, "", err
	}
	if err := live(ctx); err != nil {
		return nil, "", err
	}
	verr := &gridgov.ValidationError{}
	checkStorable(verr, "", q)
	if err := verr.Err(); err != nil {
		return nil, "", err
	}
	sql, args := listComplaintsSQL(q)
	out, err := s.complaints(ctx, "ListComplaints", sql, args...)
	if err != nil {
		return nil, "", err
	}
	if q.Limit > 0 && len(out) > q.Limit {
		out = out[:q.Limit]
		return out, out[len(out)-1].ID, nil
	}
	return out, "", nil
}

// listComplaintsSQL builds the query of q from fixed fragments; every value is a parameter.
func listComplaintsSQL(q escalation.Query) (string, []any) {
	var args []any
	arg := func(v any) string {
		args = append(args, v)
		return "$" + strconv.Itoa(len(args))
	}
	var where []string
	from, order := "esc_complaints c", "c.id"
	if q.Within != "" {
		// Each entry of the subtree index fetches its complaint by primary key (a LATERAL
		// look-up fenced with OFFSET 0, so that the planner does not merge-join the whole
		// table instead): a page costs what it holds.
		from = "esc_complaint_nodes n CROSS JOIN LATERAL (SELECT * FROM esc_complaints c WHERE c.id = n.complaint_id OFFSET 0) c"
		order = "n.complaint_id"
		where = append(where, "n.node_id = "+arg(q.Within))
		if q.After != "" {
			where = append(where, "n.complaint_id > "+arg(q.After))
		}
	} else if q.After != "" {
		where = append(where, "c.id > "+arg(q.After))
	}
	if len(q.States) > 0 {
		states := make([]string, len(q.States))
		for i, st := range q.States {
			states[i] = string(st)
		}
		where = append(where, "c.state = ANY("+arg(states)+")")
	}
	if q.Category != "" {
		where = append(where, "c.category = "+arg(q.Category))
	}
	if !q.From.IsZero() {
		where = append(where, "(c.submitted_at, c.submitted_at_ns) >= ("+arg(q.From)+", "+arg(subMicro(q.From))+")")
	}
	if !q.To.IsZero() {
		where = append(where, "(c.submitted_at, c.submitted_at_ns) < ("+arg(q.To)+", "+arg(subMicro(q.To))+")")
	}
	var b strings.Builder
	b.WriteString("SELECT " + complaintCols + " FROM " + from)
	if len(where) > 0 {
		b.WriteString(" WHERE " + strings.Join(where, " AND "))
	}
	b.WriteString(" ORDER BY " + order)
	if q.Limit > 0 {
		b.WriteString(" LIMIT " + arg(int64(q.Limit)+1)) // one more: is there a next page?
	}
	return b.String(), args
}

// listDueSQL walks the deadline index esc_complaints_due from its start.
const listDueSQL = `SELECT ` + complaintCols + ` FROM esc_complaints c
WHERE c.due_at IS NOT NULL AND (c.due_at, c.due_at_ns) <= ($1, $2)
ORDER BY c.due_at, c.due_at_ns, c.id LIMIT $3`

// ListDue returns the complaints whose DueAt is set and not after before, earliest first
// (ties by ID), at most limit of them, from the deadline index. See escalation.Store.
func (s *EscalationStore) ListDue(ctx context.Context, before time.Time, limit int) ([]escalation.Complaint, error) {
	if err := checkLimit("limit", limit); err != nil {
		return nil, err
	}
	if err := live(ctx); err != nil {
		return nil, err
	}
	verr := &gridgov.ValidationError{}
	checkStorable(verr, "before", before)
	if err := verr.Err(); err != nil {
		return nil, err
	}
	return s.complaints(ctx, "ListDue", listDueSQL, before, subMicro(before), limitArg(limit))
}

// Events returns the events after Seq after, at most limit of them, from the primary key
// of esc_events. Numbers are gap-free and follow commit order (esc_feed's row is locked
// from the moment a writer takes a number until it commits), so a reader resuming after
// the last Seq it saw never misses an event. See escalation.Store.
func (s *EscalationStore) Events(ctx context.Context, after int64, limit int) ([]escalation.Event, error) {
	if err := checkLimit("limit", limit); err != nil {
		return nil, err
	}
	if err := live(ctx); err != nil {
		return nil, err
	}
	return s.events(ctx, "Events", "SELECT "+eventCols+" FROM esc_events WHERE seq > $1 ORDER BY seq LIMIT $2", after, limitArg(limit))
}
