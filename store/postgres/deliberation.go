package postgres

import (
	"context"
	"errors"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/gridgov/gridgov"
	"github.com/gridgov/gridgov/governance/deliberation"
)

// DeliberationStore is the deliberation.Store on PostgreSQL: agenda items (议题), their
// histories and the disclosure log (信息公开记录) (tables delib_*, migration 0005). Get it from
// [DB.Deliberation]; it is safe for concurrent use, from any number of processes.
//
// An item is a row whose queried fields (state, complaint_id) are columns, whose fields that
// never change (node_id, path, created_at) are columns written once, and whose other fields
// — participants, options, the vote roll and its ballots, notices, the award, the cost
// split — are a JSON document written by reflection (see doc_codec.go), so a field added to
// deliberation.Item is stored with no code and no migration. Every write is a single SQL
// statement (data-modifying WITH clauses), which PostgreSQL runs as one transaction:
// UpdateItem updates the row only if its version still matches, and appends the event and
// its disclosure, in one round trip; a stale version updates nothing and is
// gridgov.ErrConflict.
//
// An update rewrites the item's whole document (an owners' vote of 2,000 households holds
// its roll and ballots there, about 400 kB), which PostgreSQL compresses (lz4 where the
// server has it) and keeps out of line (TOAST). A ballot changes no indexed column, so
// PostgreSQL can update the row in place (HOT) without touching the item's indexes. The
// write returns the item it was given, cloned, with the stored version and write-once
// columns: the document is not sent back.
//
// Where the contract is silent the store follows store/memory. Strings that PostgreSQL
// cannot store (a NUL byte, invalid UTF-8) and times outside its range are refused with
// gridgov.ErrInvalid naming each field.
type DeliberationStore struct {
	run *runner
}

var _ deliberation.Store = (*DeliberationStore)(nil)

var entItem = entity{"agenda item", "议题"}

// itemCols are the columns an item is read from, in scanItem's order.
const itemCols = `i.id, i.version, i.node_id, i.path, i.created_at, i.created_at_ns, i.doc`

// scanItem reads an item from a row of itemCols.
func scanItem(row pgx.Row) (deliberation.Item, error) {
	var (
		id, node string
		version  int64
		path     []string
		created  timestamptz
		doc      []byte
	)
	if err := row.Scan(&id, &version, &node, &path, &created.at, &created.ns, &doc); err != nil {
		return deliberation.Item{}, err
	}
	var it deliberation.Item
	if err := decodeDoc(doc, &it); err != nil {
		return deliberation.Item{}, err
	}
	setItemCols(&it, id, version, node, path, created.time())
	return it, nil
}

// setItemCols sets the fields of it kept in columns.
func setItemCols(it *deliberation.Item, id string, version int64, node string, path []string, created time.Time) {
	it.ID, it.Version, it.NodeID, it.CreatedAt = id, version, node, created
	it.Path = nil
	if len(path) > 0 {
		it.Path = path
	}
}

// writtenCols are the columns a write returns: those of itemCols but the document, which
// is the one the write sent.
const writtenCols = `i.id, i.version, i.node_id, i.path, i.created_at, i.created_at_ns`

// scanWritten returns the item a write stored: a deep copy of it, the item the write was
// given (its document is what was stored), with the columns the write returned — the new
// version, and the stored NodeID, Path and CreatedAt. It reads as GetItem would (times
// possibly in another location), without sending the document back and decoding it.
func scanWritten(row pgx.Row, it deliberation.Item) (deliberation.Item, error) {
	var (
		id, node string
		version  int64
		path     []string
		created  timestamptz
	)
	if err := row.Scan(&id, &version, &node, &path, &created.at, &created.ns); err != nil {
		return deliberation.Item{}, err
	}
	stored := it.Clone()
	setItemCols(&stored, id, version, node, path, created.time())
	return stored, nil
}

// itemDoc returns the document of it: every field but those kept in columns of their own
// that never change (ID, Version, NodeID, Path, CreatedAt).
func itemDoc(it deliberation.Item) ([]byte, error) {
	it.ID, it.Version, it.NodeID, it.Path, it.CreatedAt = "", 0, "", nil, time.Time{}
	return encodeDoc(it)
}

// delibEventArgs returns the arguments of an event's columns after item_id and version
// (kind, from_state, to_state, actor_id, actor_kind, at, at_ns, note), then whether it has
// a disclosure and the disclosure's columns after item_id and version (node_id, kind,
// subject, channel, date, date_ns, summary, requester, requested_at, requested_at_ns,
// recorded_by_id, recorded_by_kind).
func delibEventArgs(e deliberation.Event) []any {
	at, atNs := optTime(e.At)
	var d deliberation.Disclosure
	if e.Disclosure != nil {
		d = *e.Disclosure
	}
	req, reqNs := optTime(d.RequestedAt)
	return []any{string(e.Kind), string(e.From), string(e.To), e.Actor.ID, int16(e.Actor.Kind), at, atNs, e.Note,
		e.Disclosure != nil, d.NodeID, string(d.Kind), string(d.Subject), string(d.Channel), d.Date, subMicro(d.Date),
		d.Summary, string(d.Requester), req, reqNs, d.RecordedBy.ID, int16(d.RecordedBy.Kind)}
}

// delibEventInserts are the WITH clauses appending the event and its disclosure of the item
// in the clause src (with columns id and version), from delibEventArgs at $n….
func delibEventInserts(src string, n int) string {
	p := func(i int) string { return "$" + strconv.Itoa(n+i) }
	var b strings.Builder
	b.WriteString(`ev AS (
	INSERT INTO delib_events (item_id, version, kind, from_state, to_state, actor_id, actor_kind, at, at_ns, note)
	SELECT ` + src + `.id, ` + src + `.version`)
	for i := range 8 {
		b.WriteString(", " + p(i))
	}
	b.WriteString(" FROM " + src + `
), dis AS (
	INSERT INTO delib_disclosures (item_id, version, node_id, kind, subject, channel, date, date_ns, summary,
		requester, requested_at, requested_at_ns, recorded_by_id, recorded_by_kind)
	SELECT ` + src + `.id, ` + src + `.version`)
	for i := 9; i < 21; i++ {
		b.WriteString(", " + p(i))
	}
	b.WriteString(" FROM " + src + " WHERE " + p(8) + "::boolean\n)")
	return b.String()
}

// checkItem records on verr what in it and ev PostgreSQL cannot store. The quick check
// runs first; the one that names the fields only when it fails.
func checkItem(verr *gridgov.ValidationError, it deliberation.Item, ev deliberation.Event) {
	if !allStorable(reflect.ValueOf(&it).Elem()) {
		checkStorable(verr, "", it)
	}
	if !allStorable(reflect.ValueOf(&ev).Elem()) {
		checkStorable(verr, "Event", ev)
	}
}

var createItemSQL = `
WITH ins AS (
	INSERT INTO delib_items (id, idem_key, version, state, node_id, path, complaint_id, created_at, created_at_ns, doc)
	VALUES ($1, $2, 1, $3, $4, $5, $6, $7, $8, $9)
	ON CONFLICT DO NOTHING
	RETURNING *
), nodes AS (
	INSERT INTO delib_item_nodes (node_id, item_id)
	SELECT DISTINCT p.node, ins.id FROM ins, unnest(ins.path) AS p(node)
), ` + delibEventInserts("ins", 10) + `
SELECT ` + writtenCols + ` FROM ins i`

// CreateItem stores it as version 1 with its first event (and the event's disclosure), or
// returns the item created earlier with key. One statement inserts the item (doing nothing
// on a duplicate ID or key), its subtree index rows, its event and disclosure; when it
// inserts nothing, a second looks the key up. See deliberation.Store.
func (s *DeliberationStore) CreateItem(ctx context.Context, it deliberation.Item, key string, ev deliberation.Event) (deliberation.Item, bool, error) {
	const op = "CreateItem"
	if err := live(ctx); err != nil {
		return deliberation.Item{}, false, err
	}
	verr := &gridgov.ValidationError{}
	checkString(verr, "key", key)
	if err := verr.Err(); err != nil {
		return deliberation.Item{}, false, err
	}
	requireID(verr, "ID", it.ID)
	checkItem(verr, it, ev)
	if err := verr.Err(); err != nil {
		if key != "" {
			// A retry may carry anything, even no ID: the key decides.
			if got, found, err := s.byKey(ctx, key); err != nil || found {
				return got, false, wrapErr(op, err)
			}
		}
		return deliberation.Item{}, false, err
	}
	doc, err := itemDoc(it)
	if err != nil {
		return deliberation.Item{}, false, wrapErr(op, err)
	}
	path := it.Path
	if path == nil {
		path = []string{}
	}
	created, createdNs := optTime(it.CreatedAt)
	args := append([]any{it.ID, nullable(key), string(it.State), it.NodeID, path, it.ComplaintID, created, createdNs, doc},
		delibEventArgs(ev)...)

	var stored deliberation.Item
	err = s.run.do(ctx, op, func(ctx context.Context, _ int) error {
		var err error
		stored, err = scanWritten(s.run.pool.QueryRow(ctx, createItemSQL, args...), it)
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
		return deliberation.Item{}, false, gridgov.AlreadyExists("ID", it.ID)
	}
	if err != nil {
		return deliberation.Item{}, false, wrapErr(op, err)
	}
	return stored, true, nil
}

// byKey returns the item created with the idempotency key, if any.
func (s *DeliberationStore) byKey(ctx context.Context, key string) (deliberation.Item, bool, error) {
	var it deliberation.Item
	err := s.run.do(ctx, "CreateItem", func(ctx context.Context, _ int) error {
		var err error
		it, err = scanItem(s.run.pool.QueryRow(ctx, "SELECT "+itemCols+" FROM delib_items i WHERE i.idem_key = $1", key))
		return err
	})
	if errors.Is(err, pgx.ErrNoRows) {
		return deliberation.Item{}, false, nil
	}
	if err != nil {
		return deliberation.Item{}, false, err
	}
	return it, true, nil
}

// GetItem returns the item id. See deliberation.Store.
func (s *DeliberationStore) GetItem(ctx context.Context, id string) (deliberation.Item, error) {
	if err := live(ctx); err != nil {
		return deliberation.Item{}, err
	}
	if !storableString(id) {
		return deliberation.Item{}, notFound(entItem, id)
	}
	var it deliberation.Item
	err := s.run.do(ctx, "GetItem", func(ctx context.Context, _ int) error {
		var err error
		it, err = scanItem(s.run.pool.QueryRow(ctx, "SELECT "+itemCols+" FROM delib_items i WHERE i.id = $1", id))
		return err
	})
	if errors.Is(err, pgx.ErrNoRows) {
		return deliberation.Item{}, notFound(entItem, id)
	}
	return it, wrapErr("GetItem", err)
}

var updateItemSQL = `
WITH upd AS (
	UPDATE delib_items i SET version = i.version + 1, state = $3, complaint_id = $4, doc = $5
	WHERE i.id = $1 AND i.version = $2
	RETURNING ` + writtenCols + `
), ` + delibEventInserts("upd", 6) + `
SELECT * FROM upd`

// UpdateItem replaces the item it.ID by it if its version is still it.Version and appends
// ev (and its disclosure), in one statement; NodeID, Path and CreatedAt keep their stored
// values. See deliberation.Store.
func (s *DeliberationStore) UpdateItem(ctx context.Context, it deliberation.Item, ev deliberation.Event) (deliberation.Item, error) {
	const op = "UpdateItem"
	if err := live(ctx); err != nil {
		return deliberation.Item{}, err
	}
	verr := &gridgov.ValidationError{}
	checkItem(verr, it, ev)
	if err := verr.Err(); err != nil {
		return deliberation.Item{}, err
	}
	doc, err := itemDoc(it)
	if err != nil {
		return deliberation.Item{}, wrapErr(op, err)
	}
	args := append([]any{it.ID, it.Version, string(it.State), it.ComplaintID, doc}, delibEventArgs(ev)...)
	var stored deliberation.Item
	err = s.run.do(ctx, op, func(ctx context.Context, _ int) error {
		var err error
		stored, err = scanWritten(s.run.pool.QueryRow(ctx, updateItemSQL, args...), it)
		return err
	})
	if errors.Is(err, pgx.ErrNoRows) {
		// Nothing was updated: say why.
		var current int64
		err = s.run.pool.QueryRow(ctx, "SELECT version FROM delib_items WHERE id = $1", it.ID).Scan(&current)
		switch {
		case errors.Is(err, pgx.ErrNoRows):
			return deliberation.Item{}, notFound(entItem, it.ID)
		case err != nil:
			return deliberation.Item{}, wrapErr(op, err)
		}
		return deliberation.Item{}, conflict(entItem, it.ID, it.Version, current)
	}
	if err != nil {
		return deliberation.Item{}, wrapErr(op, err)
	}
	return stored, nil
}

// delibEventCols are the columns an event is read from, with its disclosure (NULLs when it
// has none), in scanDelibEvent's order.
const delibEventCols = `e.item_id, e.version, e.kind, e.from_state, e.to_state, e.actor_id, e.actor_kind, e.at, e.at_ns,
	e.note, d.item_id IS NOT NULL, ` + disclosureNullCols

// disclosureNullCols are the columns of a disclosure d after item_id and version, each
// coalesced to its zero value so that an event without one reads them too.
const disclosureNullCols = `coalesce(d.node_id, ''), coalesce(d.kind, ''), coalesce(d.subject, ''),
	coalesce(d.channel, ''), d.date, coalesce(d.date_ns, 0), coalesce(d.summary, ''), coalesce(d.requester, ''),
	d.requested_at, coalesce(d.requested_at_ns, 0), coalesce(d.recorded_by_id, ''), coalesce(d.recorded_by_kind, 0)`

// disclosureCols are the columns a disclosure is read from, in scanDisclosure's order.
const disclosureCols = `d.item_id, d.version, ` + disclosureNullCols

// disclosureDest returns the scan targets of the disclosure columns after item_id and
// version, and a function that completes d once they are scanned.
func disclosureDest(d *deliberation.Disclosure) ([]any, func()) {
	var (
		kind, subject, channel, requester string
		date, requested                   timestamptz
		recordedKind                      int16
	)
	dest := []any{&d.NodeID, &kind, &subject, &channel, &date.at, &date.ns, &d.Summary, &requester,
		&requested.at, &requested.ns, &d.RecordedBy.ID, &recordedKind}
	return dest, func() {
		d.Kind, d.Subject, d.Channel = deliberation.DisclosureKind(kind), deliberation.Subject(subject), deliberation.Channel(channel)
		d.Date, d.RequestedAt = date.time(), requested.time()
		d.Requester, d.RecordedBy.Kind = gridgov.PersonName(requester), gridgov.ActorKind(recordedKind)
	}
}

// History returns the item's events in version order, each with its disclosure
// (ErrNotFound when there are none: every item has its creation event). See
// deliberation.Store.
func (s *DeliberationStore) History(ctx context.Context, id string) ([]deliberation.Event, error) {
	const op = "History"
	if err := live(ctx); err != nil {
		return nil, err
	}
	if !storableString(id) {
		return nil, notFound(entItem, id)
	}
	var out []deliberation.Event
	err := s.run.do(ctx, op, func(ctx context.Context, _ int) error {
		out = nil
		rows, err := s.run.pool.Query(ctx, delibHistorySQL, id)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var (
				e              deliberation.Event
				kind, from, to string
				actorKind      int16
				at             timestamptz
				hasDisclosure  bool
				d              deliberation.Disclosure
			)
			dest, finish := disclosureDest(&d)
			dest = append([]any{&e.ItemID, &e.Version, &kind, &from, &to, &e.Actor.ID, &actorKind, &at.at, &at.ns,
				&e.Note, &hasDisclosure}, dest...)
			if err := rows.Scan(dest...); err != nil {
				return err
			}
			e.Kind, e.From, e.To = deliberation.EventKind(kind), deliberation.State(from), deliberation.State(to)
			e.Actor.Kind, e.At = gridgov.ActorKind(actorKind), at.time()
			if hasDisclosure {
				finish()
				d.ItemID, d.Version = e.ItemID, e.Version
				e.Disclosure = &d
			}
			out = append(out, e)
		}
		return rows.Err()
	})
	if err != nil {
		return nil, wrapErr(op, err)
	}
	if len(out) == 0 {
		return nil, notFound(entItem, id)
	}
	return out, nil
}

// delibHistorySQL reads an item's events from the primary key of delib_events, each with
// its disclosure by the same key.
const delibHistorySQL = `SELECT ` + delibEventCols + `
FROM delib_events e LEFT JOIN delib_disclosures d ON d.item_id = e.item_id AND d.version = e.version
WHERE e.item_id = $1 ORDER BY e.version`

// ListItems returns a page of the items matching q in ID order and the cursor of the next
// page. It reads one index from the cursor (see listItemsSQL): the subtree index with
// Within, delib_items_complaint with ComplaintID, delib_items_state with States, otherwise
// the primary key. See deliberation.Store.
func (s *DeliberationStore) ListItems(ctx context.Context, q deliberation.Query) ([]deliberation.Item, string, error) {
	const op = "ListItems"
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
	sql, args := listItemsSQL(q)
	out := []deliberation.Item{}
	err := s.run.do(ctx, op, func(ctx context.Context, _ int) error {
		out = out[:0]
		rows, err := s.run.pool.Query(ctx, sql, args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			it, err := scanItem(rows)
			if err != nil {
				return err
			}
			out = append(out, it)
		}
		return rows.Err()
	})
	if err != nil {
		return nil, "", wrapErr(op, err)
	}
	if q.Limit > 0 && len(out) > q.Limit {
		out = out[:q.Limit]
		return out, out[len(out)-1].ID, nil
	}
	return out, "", nil
}

// listItemsSQL builds the query of q from fixed fragments; every value is a parameter.
// It reads one index range from the cursor: with Within the subtree index
// delib_item_nodes, else with ComplaintID delib_items_complaint, else with States
// delib_items_state once per state (at most a page from each, merged), else the primary
// key. The other filters are checked on the rows read.
func listItemsSQL(q deliberation.Query) (string, []any) {
	var args []any
	arg := func(v any) string {
		args = append(args, v)
		return "$" + strconv.Itoa(len(args))
	}
	var states []string
	for _, st := range q.States {
		if !slices.Contains(states, string(st)) {
			states = append(states, string(st))
		}
	}
	limit := ""
	if q.Limit > 0 {
		limit = " LIMIT " + arg(int64(q.Limit)+1) // one more: is there a next page?
	}
	var where []string
	from, order := "delib_items i", "i.id"
	switch {
	case q.Within != "":
		// Each entry of the subtree index fetches its item by primary key (a LATERAL look-up
		// fenced with OFFSET 0, so that the planner does not join the whole table instead):
		// a page costs what it holds.
		from = "delib_item_nodes n CROSS JOIN LATERAL (SELECT * FROM delib_items i WHERE i.id = n.item_id OFFSET 0) i"
		order = "n.item_id"
		where = append(where, "n.node_id = "+arg(q.Within))
		if q.After != "" {
			where = append(where, "n.item_id > "+arg(q.After))
		}
	case q.ComplaintID == "" && len(states) > 0:
		// One range of delib_items_state per state, each from the cursor and at most a page
		// long, merged by ID: a page costs (states × page) index entries, however rare the
		// states. The state is matched as a range (>= and <=, which is = for text) so that
		// ORDER BY state, id stays the index's order: with = the planner would drop the
		// constant state from the order and, in a generic plan (pgx prepares statements;
		// a generic plan cannot tell a rare state from a common one), walk the primary key
		// filtering by state instead.
		inner := "i.state >= s.state AND i.state <= s.state"
		if q.After != "" {
			inner += " AND i.id > " + arg(q.After)
		}
		from = "unnest(" + arg(states) + "::text[]) AS s(state) CROSS JOIN LATERAL (SELECT * FROM delib_items i WHERE " +
			inner + " ORDER BY i.state, i.id" + limit + ") i"
		states = nil // the join is the filter
	case q.After != "":
		where = append(where, "i.id > "+arg(q.After))
	}
	if len(states) > 0 {
		where = append(where, "i.state = ANY("+arg(states)+")")
	}
	if q.ComplaintID != "" {
		// The literal lets the planner use the partial index delib_items_complaint whatever
		// the parameter's value (a generic plan cannot see that it is not '').
		where = append(where, "i.complaint_id = "+arg(q.ComplaintID), "i.complaint_id <> ''")
	}
	var b strings.Builder
	b.WriteString("SELECT " + itemCols + " FROM " + from)
	if len(where) > 0 {
		b.WriteString(" WHERE " + strings.Join(where, " AND "))
	}
	b.WriteString(" ORDER BY " + order + limit)
	return b.String(), args
}

// Disclosures returns the disclosure log entries matching q, by Date, ItemID and Version,
// from the index delib_disclosures_date (or, for one item, the primary key). See
// deliberation.Store.
func (s *DeliberationStore) Disclosures(ctx context.Context, q deliberation.DisclosureQuery) ([]deliberation.Disclosure, error) {
	const op = "Disclosures"
	if err := checkLimit("Limit", q.Limit); err != nil {
		return nil, err
	}
	if err := live(ctx); err != nil {
		return nil, err
	}
	verr := &gridgov.ValidationError{}
	checkStorable(verr, "", q)
	if err := verr.Err(); err != nil {
		return nil, err
	}
	sql, args := disclosuresSQL(q)
	out := []deliberation.Disclosure{}
	err := s.run.do(ctx, op, func(ctx context.Context, _ int) error {
		out = out[:0]
		rows, err := s.run.pool.Query(ctx, sql, args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var d deliberation.Disclosure
			dest, finish := disclosureDest(&d)
			if err := rows.Scan(append([]any{&d.ItemID, &d.Version}, dest...)...); err != nil {
				return err
			}
			finish()
			out = append(out, d)
		}
		return rows.Err()
	})
	if err != nil {
		return nil, wrapErr(op, err)
	}
	return out, nil
}

// disclosuresSQL builds the query of q from fixed fragments; every value is a parameter.
func disclosuresSQL(q deliberation.DisclosureQuery) (string, []any) {
	var args []any
	arg := func(v any) string {
		args = append(args, v)
		return "$" + strconv.Itoa(len(args))
	}
	var where []string
	if q.ItemID != "" {
		where = append(where, "d.item_id = "+arg(q.ItemID))
	}
	if q.Kind != "" {
		where = append(where, "d.kind = "+arg(string(q.Kind)))
	}
	if !q.From.IsZero() {
		where = append(where, "(d.date, d.date_ns) >= ("+arg(q.From)+", "+arg(subMicro(q.From))+")")
	}
	if !q.To.IsZero() {
		where = append(where, "(d.date, d.date_ns) < ("+arg(q.To)+", "+arg(subMicro(q.To))+")")
	}
	if q.Within != "" {
		where = append(where, "EXISTS (SELECT 1 FROM delib_item_nodes n WHERE n.node_id = "+arg(q.Within)+
			" AND n.item_id = d.item_id)")
	}
	var b strings.Builder
	b.WriteString("SELECT " + disclosureCols + " FROM delib_disclosures d")
	if len(where) > 0 {
		b.WriteString(" WHERE " + strings.Join(where, " AND "))
	}
	b.WriteString(" ORDER BY d.date, d.date_ns, d.item_id, d.version")
	if q.Limit > 0 {
		b.WriteString(" LIMIT " + arg(int64(q.Limit)))
	}
	return b.String(), args
}
