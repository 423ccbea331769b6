package postgres

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgtype"

	"github.com/gridgov/gridgov"
	"github.com/gridgov/gridgov/governance"
)

// GovernanceStore is the governance.Store on PostgreSQL: the organisation tree with its
// history, organisations, people and positions, and registrations with their service
// projects and records (tables gov_*, migration 0001). Get it from [DB.Governance]; it is
// safe for concurrent use, from any number of processes.
//
// The tree is an adjacency list (each node names its parent). Queries walk it with
// recursive statements through the index on (parent_id, id): Descendants and subtree
// queries cost O(subtree), Ancestors O(depth) primary-key look-ups; a move (区划调整)
// rewrites one row, however large the subtree it carries. Each query is one statement, so
// it reads one snapshot: a concurrent move is seen whole or not at all.
//
// Every write is one SERIALIZABLE transaction. The integrity rules span rows (no cycle, no
// active child under a retired node, no position in a dissolved organisation, ...), and
// serializable isolation makes the checks hold against concurrent writers without
// hand-placed locks: a write that would break one fails with a serialization failure and
// is run again (see [WithMaxAttempts]), and then sees the other write. Governance writes
// are rare, so the retries cost little.
//
// The checks and their messages are store/memory's: where the contract is silent, the
// store also refuses, with gridgov.ErrInvalid, an empty ID, an organisation naming itself
// as its host, a registration naming both or neither of PersonID and OrgID, an
// UpdatePerson whose HomeNodeID names no node and a CreateProject whose ClaimedBy names no
// registration, and AddServiceRecord compares content without RecordedAt. Strings
// PostgreSQL cannot store (a NUL byte, invalid UTF-8) and times outside its range are
// gridgov.ErrInvalid.
type GovernanceStore struct {
	run *runner
}

var _ governance.Store = (*GovernanceStore)(nil)

var (
	entNode         = entity{"node", "节点"}
	entOrganisation = entity{"organisation", "组织"}
	entPerson       = entity{"person", "人员"}
	entPosition     = entity{"position", "任职"}
	entRegistration = entity{"registration", "报到登记"}
	entProject      = entity{"service project", "服务项目"}
)

// write runs fn in a SERIALIZABLE transaction (retried) and wraps its error.
func (s *GovernanceStore) write(ctx context.Context, op string, fn func(tx pgx.Tx) error) error {
	if err := live(ctx); err != nil {
		return err
	}
	return wrapErr(op, s.run.tx(ctx, op, pgx.Serializable, fn))
}

// rowScanner is what pgx.Row and pgx.Rows share.
type rowScanner interface {
	Scan(dest ...any) error
}

// query runs sql on q and reads every row with scan.
func query[T any](ctx context.Context, q interface {
	Query(context.Context, string, ...any) (pgx.Rows, error)
}, sql string, args []any, scan func(rowScanner) (T, error)) ([]T, error) {
	rows, err := q.Query(ctx, sql, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []T{}
	for rows.Next() {
		v, err := scan(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}

// list runs a read-only query (retried) and wraps its error.
func list[T any](s *GovernanceStore, ctx context.Context, op, sql string, args []any, scan func(rowScanner) (T, error)) ([]T, error) {
	if err := live(ctx); err != nil {
		return nil, err
	}
	var out []T
	err := s.run.do(ctx, op, func(ctx context.Context, _ int) error {
		var err error
		out, err = query(ctx, s.run.pool, sql, args, scan)
		return err
	})
	return out, wrapErr(op, err)
}

// get runs a one-row query (retried); a missing row is notFound(e, id).
func get[T any](s *GovernanceStore, ctx context.Context, op string, e entity, id, sql string, scan func(rowScanner) (T, error)) (T, error) {
	var v T
	if err := live(ctx); err != nil {
		return v, err
	}
	if !storableString(id) {
		return v, notFound(e, id)
	}
	err := s.run.do(ctx, op, func(ctx context.Context, _ int) error {
		var err error
		v, err = scan(s.run.pool.QueryRow(ctx, sql, id))
		return err
	})
	if errors.Is(err, pgx.ErrNoRows) {
		return v, notFound(e, id)
	}
	return v, wrapErr(op, err)
}

// exists reports whether the table holds a row with the id (table is a constant).
func (s *GovernanceStore) exists(ctx context.Context, table, id string) (bool, error) {
	var ok bool
	err := s.run.do(ctx, "exists", func(ctx context.Context, _ int) error {
		return s.run.pool.QueryRow(ctx, "SELECT EXISTS (SELECT 1 FROM "+table+" WHERE id = $1)", id).Scan(&ok)
	})
	return ok, err
}

// storable returns the refusal of what in v PostgreSQL cannot store, or nil.
func storable(field string, v any) error {
	verr := &gridgov.ValidationError{}
	checkStorable(verr, field, v)
	return verr.Err()
}

// txExists reports, inside tx, whether table holds a row with the id (table is a constant).
func txExists(ctx context.Context, tx pgx.Tx, table, id string) (bool, error) {
	var ok bool
	err := tx.QueryRow(ctx, "SELECT EXISTS (SELECT 1 FROM "+table+" WHERE id = $1)", id).Scan(&ok)
	return ok, err
}

// labelsJSON returns the jsonb of a node's labels (NULL for nil).
func labelsJSON(labels map[string]string) (any, error) {
	if labels == nil {
		return nil, nil
	}
	return json.Marshal(labels)
}

// textArray returns the argument of a text[] column that keeps nil as NULL.
func textArray(s []string) any {
	if s == nil {
		return nil
	}
	return s
}

// nodeCols are the columns a node is read from, in scanNode's order.
const nodeCols = `n.id, n.parent_id, n.level, n.name, n.labels, n.retired, n.retired_at, n.retired_at_ns, n.version,
	n.created_at, n.created_at_ns, n.updated_at, n.updated_at_ns`

// scanNode reads a node from a row of nodeCols.
func scanNode(row rowScanner) (governance.Node, error) {
	var (
		n                          governance.Node
		parent                     pgtype.Text
		labels                     []byte
		retired, created, updated  pgtype.Timestamptz
		retiredNs, createdNs, upNs int16
	)
	if err := row.Scan(&n.ID, &parent, &n.Level, &n.Name, &labels, &n.Retired, &retired, &retiredNs, &n.Version,
		&created, &createdNs, &updated, &upNs); err != nil {
		return governance.Node{}, err
	}
	n.ParentID = parent.String
	n.RetiredAt, n.CreatedAt, n.UpdatedAt = joinTime(retired, retiredNs), joinTime(created, createdNs), joinTime(updated, upNs)
	if labels != nil {
		if err := json.Unmarshal(labels, &n.Labels); err != nil {
			return governance.Node{}, fmt.Errorf("postgres: node %q: decoding labels: %w", n.ID, err)
		}
	}
	return n, nil
}

// orgCols are the columns an organisation is read from, in scanOrg's order.
const orgCols = `o.id, o.node_id, o.kind, o.name, o.host_id, o.serves, o.dissolved, o.dissolved_at, o.dissolved_at_ns,
	o.version, o.created_at, o.created_at_ns, o.updated_at, o.updated_at_ns`

// scanOrg reads an organisation from a row of orgCols.
func scanOrg(row rowScanner) (governance.Organisation, error) {
	var (
		o                            governance.Organisation
		kind                         string
		host                         pgtype.Text
		dissolved, created, updated  pgtype.Timestamptz
		dissolvedNs, createdNs, upNs int16
	)
	if err := row.Scan(&o.ID, &o.NodeID, &kind, &o.Name, &host, &o.Serves, &o.Dissolved, &dissolved, &dissolvedNs,
		&o.Version, &created, &createdNs, &updated, &upNs); err != nil {
		return governance.Organisation{}, err
	}
	o.Kind, o.HostID = governance.OrgKind(kind), host.String
	o.DissolvedAt, o.CreatedAt, o.UpdatedAt = joinTime(dissolved, dissolvedNs), joinTime(created, createdNs), joinTime(updated, upNs)
	return o, nil
}

// personCols are the columns a person is read from, in scanPerson's order.
const personCols = `p.id, p.name, p.phone, p.party, p.home_node_id, p.version, p.created_at, p.created_at_ns,
	p.updated_at, p.updated_at_ns`

// scanPerson reads a person from a row of personCols.
func scanPerson(row rowScanner) (governance.Person, error) {
	var (
		p                   governance.Person
		name, phone, party  string
		home                pgtype.Text
		created, updated    pgtype.Timestamptz
		createdNs, updateNs int16
	)
	if err := row.Scan(&p.ID, &name, &phone, &party, &home, &p.Version, &created, &createdNs, &updated, &updateNs); err != nil {
		return governance.Person{}, err
	}
	p.Name, p.Phone, p.Party, p.HomeNodeID = gridgov.PersonName(name), gridgov.Phone(phone), governance.PartyCategory(party), home.String
	p.CreatedAt, p.UpdatedAt = joinTime(created, createdNs), joinTime(updated, updateNs)
	return p, nil
}

// positionCols are the columns a position is read from, in scanPosition's order.
const positionCols = `p.id, p.person_id, p.org_id, p.node_id, p.org_kind, p.role, p.since, p.since_ns, p.ended,
	p.until, p.until_ns, p.version, p.created_at, p.created_at_ns, p.updated_at, p.updated_at_ns`

// scanPosition reads a position from a row of positionCols.
func scanPosition(row rowScanner) (governance.Position, error) {
	var (
		p                                 governance.Position
		kind, role                        string
		since, until, created, updated    pgtype.Timestamptz
		sinceNs, untilNs, createdNs, upNs int16
	)
	if err := row.Scan(&p.ID, &p.PersonID, &p.OrgID, &p.NodeID, &kind, &role, &since, &sinceNs, &p.Ended,
		&until, &untilNs, &p.Version, &created, &createdNs, &updated, &upNs); err != nil {
		return governance.Position{}, err
	}
	p.OrgKind, p.Role = governance.OrgKind(kind), governance.Role(role)
	p.Since, p.Until = joinTime(since, sinceNs), joinTime(until, untilNs)
	p.CreatedAt, p.UpdatedAt = joinTime(created, createdNs), joinTime(updated, upNs)
	return p, nil
}
