package postgres

import (
	"context"
	"errors"
	"reflect"
	"strconv"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgtype"

	"github.com/gridgov/gridgov"
	"github.com/gridgov/gridgov/evaluation"
)

// EvaluationStore is the evaluation.Store on PostgreSQL: the yearly cycles of "one report,
// two evaluations" (一述双评) and their histories (tables eval_*, migration 0004). Get it
// from [DB.Evaluation]; it is safe for concurrent use, from any number of processes.
//
// A cycle is a row whose queried fields are columns (year, compound, community,
// committee, state, firms) and whose other fields are a JSON document written by
// reflection, so a field added to evaluation.Cycle is stored with no code and no
// migration. Every write is a single SQL statement (data-modifying WITH clauses), which
// PostgreSQL runs as one transaction: CreateCycle inserts the cycle, its rows in the firm
// index and its first event; UpdateCycle updates the row only if its version still matches
// (and its compound and year are the stored ones), adjusts the firm index and appends the
// event. One cycle per compound and year is a unique index, so racing creates are settled
// by the database.
//
// A write returns the cycle it wrote (a deep copy of the argument at its new version, times
// as given) rather than reading the row back; reads return times in UTC. Where the contract
// is silent the store follows store/memory (ErrNotFound before ErrConflict before
// ErrInvalid for an immutable field; the cursor is "year:compound").
// Strings that PostgreSQL cannot store (a NUL byte, invalid UTF-8) and times outside its
// range are refused with gridgov.ErrInvalid naming each field, in a cycle, its event and a
// query's filters.
type EvaluationStore struct {
	run *runner
}

var _ evaluation.Store = (*EvaluationStore)(nil)

var entCycle = entity{"cycle", "评议周期"}

// cycleCols are the columns a cycle is read from, in scanCycle's order.
const cycleCols = `c.id, c.version, c.year, c.compound_id, c.community_id, c.committee_id, c.state, c.firm_ids, c.doc`

// scanCycle reads a cycle from a row of cycleCols.
func scanCycle(row pgx.Row) (evaluation.Cycle, error) {
	var (
		id, compound, community, committee, state string
		version, year                             int64
		firms                                     []string
		doc                                       []byte
	)
	if err := row.Scan(&id, &version, &year, &compound, &community, &committee, &state, &firms, &doc); err != nil {
		return evaluation.Cycle{}, err
	}
	var c evaluation.Cycle
	if err := decodeDoc(doc, &c); err != nil {
		return evaluation.Cycle{}, err
	}
	c.ID, c.Version, c.Year, c.CompoundID, c.CommunityID, c.CommitteeID = id, version, int(year), compound, community, committee
	c.State = evaluation.State(state)
	if len(firms) > 0 {
		c.FirmIDs = firms
	}
	return c, nil
}

// cycleDoc returns the document of c: every field but those kept in columns.
func cycleDoc(c evaluation.Cycle) ([]byte, error) {
	c.ID, c.Version, c.Year, c.CompoundID, c.CommunityID, c.CommitteeID, c.State, c.FirmIDs = "", 0, 0, "", "", "", "", nil
	return encodeDoc(c)
}

// firmIDs returns the firm_ids argument of c (never NULL).
func firmIDs(c evaluation.Cycle) []string {
	if c.FirmIDs == nil {
		return []string{}
	}
	return c.FirmIDs
}

// cycleEventArgs returns the arguments of an event's columns after cycle_id and version:
// step, from_state, to_state, actor, at, at_ns, subject, note.
func cycleEventArgs(e evaluation.CycleEvent) []any {
	at, atNs := optTime(e.At)
	return []any{string(e.Step), string(e.From), string(e.To), e.Actor, at, atNs, e.Subject, e.Note}
}

// checkCycle records on verr what in c and e PostgreSQL cannot store. A cycle holds
// hundreds of values (scorecard lines, records, firms), so it is first walked without
// naming anything ([allStorable]); only a cycle with something to refuse is walked again by
// checkStorable, which names each field.
func checkCycle(verr *gridgov.ValidationError, c evaluation.Cycle, e evaluation.CycleEvent) {
	if allStorable(reflect.ValueOf(&c).Elem()) && allStorable(reflect.ValueOf(&e).Elem()) {
		return
	}
	checkStorable(verr, "", c)
	checkStorable(verr, "Event", e)
}

const createCycleSQL = `
WITH ins AS (
	INSERT INTO eval_cycles (id, version, year, compound_id, community_id, committee_id, state, firm_ids, doc)
	VALUES ($1, 1, $2, $3, $4, $5, $6, $7, $8)
	ON CONFLICT DO NOTHING
	RETURNING *
), firms AS (
	INSERT INTO eval_cycle_firms (firm_id, year, compound_id)
	SELECT DISTINCT f.firm_id, ins.year, ins.compound_id FROM ins, unnest(ins.firm_ids) AS f(firm_id)
), ev AS (
	INSERT INTO eval_events (cycle_id, version, step, from_state, to_state, actor, at, at_ns, subject, note)
	SELECT ins.id, 1, $9, $10, $11, $12, $13, $14, $15, $16 FROM ins
)
SELECT version FROM ins`

// CreateCycle stores c as version 1 with its first event, in one statement that inserts
// nothing when the ID, or the compound and year, are taken (the unique indexes decide,
// also between racing callers); a second statement then says which. See evaluation.Store.
func (s *EvaluationStore) CreateCycle(ctx context.Context, c evaluation.Cycle, ev evaluation.CycleEvent) (evaluation.Cycle, error) {
	const op = "CreateCycle"
	if err := live(ctx); err != nil {
		return evaluation.Cycle{}, err
	}
	verr := &gridgov.ValidationError{}
	if c.ID == "" {
		verr.Add("ID", "required", "the cycle needs an ID", "周期必须有编号")
	}
	if c.CompoundID == "" {
		verr.Add("CompoundID", "required", "the cycle needs a compound", "周期必须指定小区")
	}
	if c.Year == 0 {
		verr.Add("Year", "required", "the cycle needs a year", "周期必须指定年度")
	}
	checkCycle(verr, c, ev)
	if err := verr.Err(); err != nil {
		return evaluation.Cycle{}, err
	}
	doc, err := cycleDoc(c)
	if err != nil {
		return evaluation.Cycle{}, wrapErr(op, err)
	}
	args := append([]any{c.ID, int64(c.Year), c.CompoundID, c.CommunityID, c.CommitteeID, string(c.State), firmIDs(c), doc},
		cycleEventArgs(ev)...)
	var version int64
	err = s.run.do(ctx, op, func(ctx context.Context, _ int) error {
		return s.run.pool.QueryRow(ctx, createCycleSQL, args...).Scan(&version)
	})
	if errors.Is(err, pgx.ErrNoRows) {
		// Nothing was inserted: the ID or the compound's year is taken.
		var idTaken bool
		err = s.run.pool.QueryRow(ctx, "SELECT EXISTS (SELECT 1 FROM eval_cycles WHERE id = $1)", c.ID).Scan(&idTaken)
		switch {
		case err != nil:
			return evaluation.Cycle{}, wrapErr(op, err)
		case idTaken:
			return evaluation.Cycle{}, gridgov.AlreadyExists("ID", c.ID)
		}
		return evaluation.Cycle{}, gridgov.AlreadyExists("CompoundID", compoundYear(c.CompoundID, c.Year))
	}
	if err != nil {
		return evaluation.Cycle{}, wrapErr(op, err)
	}
	return written(c, version), nil
}

// written returns the cycle a write stored: c at version (a deep copy; the row holds
// exactly c, so it is not read back and decoded).
func written(c evaluation.Cycle, version int64) evaluation.Cycle {
	c = c.Clone()
	c.Version = version
	return c
}

// compoundYear names a compound's cycle of a year, as store/memory does.
func compoundYear(compound string, year int) string { return compound + "/" + strconv.Itoa(year) }

// getCycle runs a query returning one row of cycleCols; missing names the cycle when
// there is none.
func (s *EvaluationStore) getCycle(ctx context.Context, op, missing, sql string, args ...any) (evaluation.Cycle, error) {
	var c evaluation.Cycle
	err := s.run.do(ctx, op, func(ctx context.Context, _ int) error {
		var err error
		c, err = scanCycle(s.run.pool.QueryRow(ctx, sql, args...))
		return err
	})
	if errors.Is(err, pgx.ErrNoRows) {
		return evaluation.Cycle{}, notFound(entCycle, missing)
	}
	return c, wrapErr(op, err)
}

// GetCycle returns the cycle id. See evaluation.Store.
func (s *EvaluationStore) GetCycle(ctx context.Context, id string) (evaluation.Cycle, error) {
	if err := live(ctx); err != nil {
		return evaluation.Cycle{}, err
	}
	if !storableString(id) {
		return evaluation.Cycle{}, notFound(entCycle, id)
	}
	return s.getCycle(ctx, "GetCycle", id, "SELECT "+cycleCols+" FROM eval_cycles c WHERE c.id = $1", id)
}

// FindCycle returns the compound's cycle of the year, one index look-up. See
// evaluation.Store.
func (s *EvaluationStore) FindCycle(ctx context.Context, compoundID string, year int) (evaluation.Cycle, error) {
	if err := live(ctx); err != nil {
		return evaluation.Cycle{}, err
	}
	name := compoundYear(compoundID, year)
	if !storableString(compoundID) {
		return evaluation.Cycle{}, notFound(entCycle, name)
	}
	return s.getCycle(ctx, "FindCycle", name,
		"SELECT "+cycleCols+" FROM eval_cycles c WHERE c.year = $1 AND c.compound_id = $2", int64(year), compoundID)
}

// updateCycleSQL updates the cycle if its version, compound and year match, moves the
// firm index by the firms added and removed (old is the row before the update: when the
// update applies, no other writer has changed the row since the statement's snapshot,
// since one would have changed its version) and appends the event.
const updateCycleSQL = `
WITH old AS (
	SELECT firm_ids FROM eval_cycles WHERE id = $1
), upd AS (
	UPDATE eval_cycles c SET version = c.version + 1, community_id = $5, committee_id = $6, state = $7, firm_ids = $8, doc = $9
	WHERE c.id = $1 AND c.version = $2 AND c.compound_id = $3 AND c.year = $4
	RETURNING c.id, c.version, c.year, c.compound_id, c.firm_ids
), gone AS (
	DELETE FROM eval_cycle_firms f USING upd, old
	WHERE f.firm_id = ANY (old.firm_ids) AND f.firm_id <> ALL (upd.firm_ids)
		AND f.year = upd.year AND f.compound_id = upd.compound_id
), added AS (
	INSERT INTO eval_cycle_firms (firm_id, year, compound_id)
	SELECT DISTINCT f.firm_id, upd.year, upd.compound_id FROM upd, old, unnest(upd.firm_ids) AS f(firm_id)
	WHERE f.firm_id <> ALL (old.firm_ids)
	ON CONFLICT DO NOTHING
), ev AS (
	INSERT INTO eval_events (cycle_id, version, step, from_state, to_state, actor, at, at_ns, subject, note)
	SELECT upd.id, upd.version, $10, $11, $12, $13, $14, $15, $16, $17 FROM upd
)
SELECT version FROM upd`

// UpdateCycle replaces the cycle c.ID by c if its version is still c.Version, and appends
// ev, in one statement; when it applies nothing, a second statement reads why (missing,
// stale, or an attempt to change the compound or the year). See evaluation.Store.
func (s *EvaluationStore) UpdateCycle(ctx context.Context, c evaluation.Cycle, ev evaluation.CycleEvent) (evaluation.Cycle, error) {
	const op = "UpdateCycle"
	if err := live(ctx); err != nil {
		return evaluation.Cycle{}, err
	}
	verr := &gridgov.ValidationError{}
	checkCycle(verr, c, ev)
	if err := verr.Err(); err != nil {
		return evaluation.Cycle{}, err
	}
	doc, err := cycleDoc(c)
	if err != nil {
		return evaluation.Cycle{}, wrapErr(op, err)
	}
	args := append([]any{c.ID, c.Version, c.CompoundID, int64(c.Year), c.CommunityID, c.CommitteeID, string(c.State),
		firmIDs(c), doc}, cycleEventArgs(ev)...)
	var version int64
	err = s.run.do(ctx, op, func(ctx context.Context, _ int) error {
		return s.run.pool.QueryRow(ctx, updateCycleSQL, args...).Scan(&version)
	})
	if errors.Is(err, pgx.ErrNoRows) {
		return evaluation.Cycle{}, s.whyNotUpdated(ctx, c)
	}
	if err != nil {
		return evaluation.Cycle{}, wrapErr(op, err)
	}
	return written(c, version), nil
}

// whyNotUpdated returns the error of an update that applied nothing.
func (s *EvaluationStore) whyNotUpdated(ctx context.Context, c evaluation.Cycle) error {
	var (
		version, year int64
		compound      string
	)
	err := s.run.pool.QueryRow(ctx, "SELECT version, year, compound_id FROM eval_cycles WHERE id = $1", c.ID).
		Scan(&version, &year, &compound)
	switch {
	case errors.Is(err, pgx.ErrNoRows):
		return notFound(entCycle, c.ID)
	case err != nil:
		return wrapErr("UpdateCycle", err)
	case version != c.Version:
		return conflict(entCycle, c.ID, c.Version, version)
	}
	verr := &gridgov.ValidationError{}
	if c.CompoundID != compound {
		verr.Add("CompoundID", "immutable", "a cycle's compound never changes", "周期的小区不能更改")
	}
	if int64(c.Year) != year {
		verr.Add("Year", "immutable", "a cycle's year never changes", "周期的年度不能更改")
	}
	if err := verr.Err(); err != nil {
		return err
	}
	// Everything matches now, so the row was changed under the statement (versions only
	// grow, so this does not happen; were it to, a retry with a fresh read is the answer).
	return conflict(entCycle, c.ID, c.Version, version)
}

// History returns the cycle's events in version order, from eval_events' primary key
// (ErrNotFound when there are none: every cycle has its opening event). See
// evaluation.Store.
func (s *EvaluationStore) History(ctx context.Context, cycleID string) ([]evaluation.CycleEvent, error) {
	const op = "History"
	if err := live(ctx); err != nil {
		return nil, err
	}
	if !storableString(cycleID) {
		return nil, notFound(entCycle, cycleID)
	}
	var out []evaluation.CycleEvent
	err := s.run.do(ctx, op, func(ctx context.Context, _ int) error {
		out = nil
		rows, err := s.run.pool.Query(ctx, "SELECT "+cycleEventCols+" FROM eval_events WHERE cycle_id = $1 ORDER BY version", cycleID)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var (
				e              evaluation.CycleEvent
				step, from, to string
				at             pgtype.Timestamptz
				atNs           int16
			)
			if err := rows.Scan(&e.CycleID, &e.Version, &step, &from, &to, &e.Actor, &at, &atNs, &e.Subject, &e.Note); err != nil {
				return err
			}
			e.Step, e.From, e.To, e.At = evaluation.Step(step), evaluation.State(from), evaluation.State(to), joinTime(at, atNs)
			out = append(out, e)
		}
		return rows.Err()
	})
	if err != nil {
		return nil, wrapErr(op, err)
	}
	if len(out) == 0 {
		return nil, notFound(entCycle, cycleID)
	}
	return out, nil
}

// cycleEventCols are the columns an event is read from.
const cycleEventCols = `cycle_id, version, step, from_state, to_state, actor, at, at_ns, subject, note`

// ListCycles returns a page of the cycles matching q in (Year, CompoundID) order and the
// cursor of the next page ("year:compound" of the last cycle returned). With FirmID it
// walks the firm index eval_cycle_firms from the cursor; otherwise the index of the most
// selective filter set (compound, community, committee) or eval_cycles_year_compound. See
// evaluation.Store.
func (s *EvaluationStore) ListCycles(ctx context.Context, q evaluation.CycleQuery) ([]evaluation.Cycle, string, error) {
	const op = "ListCycles"
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
	sql, args, err := listCyclesSQL(q)
	if err != nil || sql == "" {
		return nil, "", err
	}
	var out []evaluation.Cycle
	err = s.run.do(ctx, op, func(ctx context.Context, _ int) error {
		out = nil
		rows, err := s.run.pool.Query(ctx, sql, args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			c, err := scanCycle(rows)
			if err != nil {
				return err
			}
			out = append(out, c)
		}
		return rows.Err()
	})
	if err != nil {
		return nil, "", wrapErr(op, err)
	}
	if q.Limit > 0 && len(out) > q.Limit {
		out = out[:q.Limit]
		last := out[len(out)-1]
		return out, strconv.Itoa(last.Year) + ":" + last.CompoundID, nil
	}
	return out, "", nil
}

// errCursor is the error of a cursor the store did not issue.
func errCursor() error {
	return gridgov.Invalid("After", "cursor", "the cursor was not issued by this store", "分页游标无效")
}

// parseCycleCursor reads a cursor ListCycles issued: "year:compound".
func parseCycleCursor(after string) (year int, compound string, err error) {
	y, compound, ok := strings.Cut(after, ":")
	year, convErr := strconv.Atoi(y)
	if !ok || convErr != nil || !storableString(compound) {
		return 0, "", errCursor()
	}
	return year, compound, nil
}

// listCyclesSQL builds the query of q from fixed fragments; every value is a parameter. It
// returns "" (and no error) when q's year and cursor leave nothing to return. The cursor
// condition takes the form the index in use can read as a range: with the compound fixed
// it bounds the year; with the year fixed, the compound; otherwise it is a row comparison
// on (year, compound_id).
func listCyclesSQL(q evaluation.CycleQuery) (string, []any, error) {
	var (
		afterYear     int
		afterCompound string
		hasAfter      = q.After != ""
	)
	if hasAfter {
		var err error
		if afterYear, afterCompound, err = parseCycleCursor(q.After); err != nil {
			return "", nil, err
		}
	}
	var args []any
	arg := func(v any) string {
		args = append(args, v)
		return "$" + strconv.Itoa(len(args))
	}
	// k is the table holding year and compound_id in list order: the firm index with
	// FirmID, the cycles otherwise.
	var where []string
	from, k := "eval_cycles c", "c"
	if q.FirmID != "" {
		// Each entry of the firm index fetches its cycle by (year, compound_id), one index
		// look-up (a LATERAL look-up fenced with OFFSET 0, so that the planner does not
		// join the whole table instead): a page costs what it holds.
		from = "eval_cycle_firms f CROSS JOIN LATERAL (SELECT * FROM eval_cycles c " +
			"WHERE c.year = f.year AND c.compound_id = f.compound_id OFFSET 0) c"
		k = "f"
		where = append(where, "f.firm_id = "+arg(q.FirmID))
	}
	if q.Year != 0 {
		where = append(where, k+".year = "+arg(int64(q.Year)))
	}
	if q.CompoundID != "" {
		where = append(where, k+".compound_id = "+arg(q.CompoundID))
	}
	if hasAfter {
		switch {
		case q.CompoundID != "":
			// One compound: its cycles after the cursor are those of the later years, and
			// of the cursor's year too when the compound sorts after the cursor's.
			op := " > "
			if q.CompoundID > afterCompound {
				op = " >= "
			}
			where = append(where, k+".year"+op+arg(int64(afterYear)))
		case q.Year != 0 && afterYear < q.Year:
			// The whole year is after the cursor.
		case q.Year != 0 && afterYear > q.Year:
			return "", nil, nil // the whole year is before the cursor
		case q.Year != 0:
			where = append(where, k+".compound_id > "+arg(afterCompound))
		default:
			where = append(where, "("+k+".year, "+k+".compound_id) > ("+arg(int64(afterYear))+", "+arg(afterCompound)+")")
		}
	}
	if q.CommunityID != "" {
		where = append(where, "c.community_id = "+arg(q.CommunityID))
	}
	if q.CommitteeID != "" {
		where = append(where, "c.committee_id = "+arg(q.CommitteeID))
	}
	if len(q.States) > 0 {
		states := make([]string, len(q.States))
		for i, st := range q.States {
			states[i] = string(st)
		}
		where = append(where, "c.state = ANY("+arg(states)+")")
	}
	var b strings.Builder
	b.WriteString("SELECT " + cycleCols + " FROM " + from)
	if len(where) > 0 {
		b.WriteString(" WHERE " + strings.Join(where, " AND "))
	}
	b.WriteString(" ORDER BY " + k + ".year, " + k + ".compound_id")
	if q.Limit > 0 {
		b.WriteString(" LIMIT " + arg(int64(q.Limit)+1)) // one more: is there a next page?
	}
	return b.String(), args, nil
}
