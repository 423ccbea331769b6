package postgres

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/gridgov/gridgov"
	"github.com/gridgov/gridgov/governance"
)

// insertChangeSQL appends an entry to a node's history.
const insertChangeSQL = `INSERT INTO gov_node_changes (node_id, version, kind, actor, at, at_ns, from_value, to_value, note)
	VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`

// changeArgs returns the arguments of insertChangeSQL.
func changeArgs(c governance.NodeChange) []any {
	at, atNs := optTime(c.At)
	return []any{c.NodeID, c.Version, string(c.Kind), c.Actor, at, atNs, c.From, c.To, c.Note}
}

// retiredParent records on verr that the ParentID names a retired node.
func retiredParent(verr *gridgov.ValidationError, id string) {
	verr.Add("ParentID", "active",
		fmt.Sprintf("ParentID %q names a retired node", id),
		fmt.Sprintf("上级节点“%s”已撤销", id))
}

// CreateNode stores n with Version 1 and starts its history with change (whose NodeID and
// Version are set from the stored node). See governance.NodeStore.
func (s *GovernanceStore) CreateNode(ctx context.Context, n governance.Node, change governance.NodeChange) (governance.Node, error) {
	verr := &gridgov.ValidationError{}
	requireID(verr, "ID", n.ID)
	checkStorable(verr, "", n)
	checkStorable(verr, "Change", change)
	if err := verr.Err(); err != nil {
		return governance.Node{}, err
	}
	labels, err := labelsJSON(n.Labels)
	if err != nil {
		return governance.Node{}, err
	}
	n = n.Clone()
	n.Version = 1
	change.NodeID, change.Version = n.ID, n.Version
	err = s.write(ctx, "CreateNode", func(tx pgx.Tx) error {
		taken, err := txExists(ctx, tx, "gov_nodes", n.ID)
		if err != nil {
			return err
		}
		if taken {
			return gridgov.AlreadyExists("ID", n.ID)
		}
		if n.ParentID != "" {
			var retired bool
			err := tx.QueryRow(ctx, "SELECT retired FROM gov_nodes WHERE id = $1", n.ParentID).Scan(&retired)
			verr := &gridgov.ValidationError{}
			switch {
			case errors.Is(err, pgx.ErrNoRows):
				missingRef(verr, "ParentID", entNode, n.ParentID)
			case err != nil:
				return err
			case retired:
				retiredParent(verr, n.ParentID)
			}
			if err := verr.Err(); err != nil {
				return err
			}
		}
		retiredAt, retiredNs := optTime(n.RetiredAt)
		created, createdNs := optTime(n.CreatedAt)
		updated, updatedNs := optTime(n.UpdatedAt)
		if _, err := tx.Exec(ctx, `INSERT INTO gov_nodes (id, parent_id, level, name, labels, retired, retired_at,
			retired_at_ns, version, created_at, created_at_ns, updated_at, updated_at_ns)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 1, $9, $10, $11, $12)`,
			n.ID, nullable(n.ParentID), n.Level, n.Name, labels, n.Retired, retiredAt, retiredNs,
			created, createdNs, updated, updatedNs); err != nil {
			return err
		}
		_, err = tx.Exec(ctx, insertChangeSQL, changeArgs(change)...)
		return err
	})
	if err != nil {
		return governance.Node{}, err
	}
	return n.Clone(), nil
}

// inSubtreeSQL reports whether $2 is $1 or one of its ancestors: it walks up from $1,
// O(depth). (UNION, not UNION ALL: it stops even on a cycle, which the store never makes.)
const inSubtreeSQL = `WITH RECURSIVE up (id, parent_id) AS (
	SELECT id, parent_id FROM gov_nodes WHERE id = $1
	UNION
	SELECT p.id, p.parent_id FROM up CROSS JOIN LATERAL (
		SELECT n.id, n.parent_id FROM gov_nodes n WHERE n.id = up.parent_id OFFSET 0) p
) SELECT EXISTS (SELECT 1 FROM up WHERE id = $2)`

// UpdateNode replaces the node n.ID with n under the version rule and appends change to its
// history (NodeID and Version set from the stored node); a new ParentID moves the whole
// subtree, by updating this one row. See governance.NodeStore.
func (s *GovernanceStore) UpdateNode(ctx context.Context, n governance.Node, change governance.NodeChange) (governance.Node, error) {
	if err := storable("", n); err != nil {
		return governance.Node{}, err
	}
	if err := storable("Change", change); err != nil {
		return governance.Node{}, err
	}
	labels, err := labelsJSON(n.Labels)
	if err != nil {
		return governance.Node{}, err
	}
	in := n.Clone()
	var out = in // the stored value, set by the attempt that commits
	err = s.write(ctx, "UpdateNode", func(tx pgx.Tx) error {
		n, change := in.Clone(), change // each attempt starts from the arguments
		old, err := scanNode(tx.QueryRow(ctx, "SELECT "+nodeCols+" FROM gov_nodes n WHERE n.id = $1", n.ID))
		if errors.Is(err, pgx.ErrNoRows) {
			return notFound(entNode, n.ID)
		}
		if err != nil {
			return err
		}
		if n.Version != old.Version {
			return conflict(entNode, n.ID, n.Version, old.Version)
		}
		verr := &gridgov.ValidationError{}
		if n.ParentID != old.ParentID && n.ParentID != "" {
			// A move: the new parent must exist, be active and lie outside the node's subtree.
			var retired bool
			err := tx.QueryRow(ctx, "SELECT retired FROM gov_nodes WHERE id = $1", n.ParentID).Scan(&retired)
			switch {
			case errors.Is(err, pgx.ErrNoRows):
				missingRef(verr, "ParentID", entNode, n.ParentID)
			case err != nil:
				return err
			case n.ParentID == n.ID:
				verr.Add("ParentID", "not_self",
					fmt.Sprintf("node %q cannot be its own parent", n.ID),
					fmt.Sprintf("节点“%s”不能成为自己的上级", n.ID))
			case retired:
				retiredParent(verr, n.ParentID)
			default:
				var below bool
				if err := tx.QueryRow(ctx, inSubtreeSQL, n.ParentID, n.ID).Scan(&below); err != nil {
					return err
				}
				if below {
					verr.Add("ParentID", "acyclic",
						fmt.Sprintf("node %q cannot move under %q, which lies inside its own subtree", n.ID, n.ParentID),
						fmt.Sprintf("节点“%s”不能调整到其下级节点“%s”之下", n.ID, n.ParentID))
				}
			}
		}
		switch {
		case old.Retired && !n.Retired:
			verr.Add("Retired", "final",
				fmt.Sprintf("node %q is retired; retirement is final", n.ID),
				fmt.Sprintf("节点“%s”已撤销，撤销不可恢复", n.ID))
		case !old.Retired && n.Retired:
			var child, org string
			batch := &pgx.Batch{}
			batch.Queue("SELECT coalesce(min(id), '') FROM gov_nodes WHERE parent_id = $1 AND NOT retired", n.ID).QueryRow(scanRow(&child))
			batch.Queue("SELECT coalesce(min(id), '') FROM gov_organisations WHERE node_id = $1 AND NOT dissolved", n.ID).QueryRow(scanRow(&org))
			if err := tx.SendBatch(ctx, batch).Close(); err != nil {
				return err
			}
			if child != "" {
				verr.Add("Retired", "no_active_child",
					fmt.Sprintf("node %q still has the active child %q", n.ID, child),
					fmt.Sprintf("节点“%s”仍有未撤销的下级节点“%s”", n.ID, child))
			}
			if org != "" {
				verr.Add("Retired", "no_active_org",
					fmt.Sprintf("node %q still has the organisation %q, which is not dissolved", n.ID, org),
					fmt.Sprintf("节点“%s”仍有未撤销的组织“%s”", n.ID, org))
			}
		}
		if err := verr.Err(); err != nil {
			return err
		}

		n.Level, n.CreatedAt = old.Level, old.CreatedAt
		n.Version = old.Version + 1
		change.NodeID, change.Version = n.ID, n.Version
		retiredAt, retiredNs := optTime(n.RetiredAt)
		updated, updatedNs := optTime(n.UpdatedAt)
		if _, err := tx.Exec(ctx, `UPDATE gov_nodes SET parent_id = $2, name = $3, labels = $4, retired = $5,
			retired_at = $6, retired_at_ns = $7, version = $8, updated_at = $9, updated_at_ns = $10 WHERE id = $1`,
			n.ID, nullable(n.ParentID), n.Name, labels, n.Retired, retiredAt, retiredNs, n.Version, updated, updatedNs); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, insertChangeSQL, changeArgs(change)...); err != nil {
			return err
		}
		out = n
		return nil
	})
	if err != nil {
		return governance.Node{}, err
	}
	return out.Clone(), nil
}

// GetNode returns the node with id. See governance.NodeStore.
func (s *GovernanceStore) GetNode(ctx context.Context, id string) (governance.Node, error) {
	return get(s, ctx, "GetNode", entNode, id, "SELECT "+nodeCols+" FROM gov_nodes n WHERE n.id = $1", scanNode)
}

// nodeList returns the nodes a query returns; when it returns none and id is set, it
// checks that the node exists (nodes are never deleted, so the answer cannot change).
func (s *GovernanceStore) nodeList(ctx context.Context, op, id, sql string, args ...any) ([]governance.Node, error) {
	if id != "" && !storableString(id) {
		return nil, notFound(entNode, id)
	}
	out, err := list(s, ctx, op, sql, args, scanNode)
	if err != nil || len(out) > 0 || id == "" {
		return out, err
	}
	ok, err := s.exists(ctx, "gov_nodes", id)
	if err != nil {
		return nil, wrapErr(op, err)
	}
	if !ok {
		return nil, notFound(entNode, id)
	}
	return out, nil
}

// Children returns the direct children of the node with id, or the roots for id "", in
// ascending ID order, from the index on (parent_id, id). See governance.NodeStore.
func (s *GovernanceStore) Children(ctx context.Context, id string) ([]governance.Node, error) {
	if id == "" {
		return s.nodeList(ctx, "Children", "", "SELECT "+nodeCols+" FROM gov_nodes n WHERE n.parent_id IS NULL ORDER BY n.id")
	}
	return s.nodeList(ctx, "Children", id, "SELECT "+nodeCols+" FROM gov_nodes n WHERE n.parent_id = $1 ORDER BY n.id", id)
}

// ancestorsSQL walks up from $1 by primary key, O(depth); the node itself is depth 0. Each
// step is a LATERAL subquery fenced with OFFSET 0, so that the planner keeps it a
// parameterized index look-up instead of joining the whole table by hash (its estimate of a
// recursive query's size is poor).
const ancestorsSQL = `WITH RECURSIVE up AS (
	SELECT n.*, 0 AS depth FROM gov_nodes n WHERE n.id = $1
	UNION ALL
	SELECT p.*, up.depth + 1 FROM up CROSS JOIN LATERAL (
		SELECT * FROM gov_nodes n WHERE n.id = up.parent_id OFFSET 0) p
) SELECT ` + nodeCols + ` FROM up n ORDER BY n.depth DESC`

// Ancestors returns the ancestors of the node with id, root first, in one statement that
// walks up by primary key: O(depth). See governance.NodeStore.
func (s *GovernanceStore) Ancestors(ctx context.Context, id string) ([]governance.Node, error) {
	if !storableString(id) {
		return nil, notFound(entNode, id)
	}
	chain, err := list(s, ctx, "Ancestors", ancestorsSQL, []any{id}, scanNode)
	if err != nil {
		return nil, err
	}
	if len(chain) == 0 {
		return nil, notFound(entNode, id)
	}
	return chain[:len(chain)-1], nil // without the node itself, which comes last
}

// descendantsSQL walks down from $1 through the index on (parent_id, id), O(subtree),
// fetching each level's children with a fenced LATERAL subquery (see ancestorsSQL), and
// orders by the path of IDs from $1: pre-order, siblings in ascending ID order.
const descendantsSQL = `WITH RECURSIVE down AS (
	SELECT n.*, ARRAY[n.id] AS path FROM gov_nodes n WHERE n.parent_id = $1
	UNION ALL
	SELECT c.*, down.path || c.id FROM down CROSS JOIN LATERAL (
		SELECT * FROM gov_nodes n WHERE n.parent_id = down.id OFFSET 0) c
) SELECT ` + nodeCols + ` FROM down n ORDER BY n.path`

// Descendants returns the subtree below the node with id in pre-order, siblings in
// ascending ID order, in one statement: O(size of the subtree). See governance.NodeStore.
func (s *GovernanceStore) Descendants(ctx context.Context, id string) ([]governance.Node, error) {
	return s.nodeList(ctx, "Descendants", id, descendantsSQL, id)
}

// NodeHistory returns the node's history, oldest first. See governance.NodeStore.
func (s *GovernanceStore) NodeHistory(ctx context.Context, id string) ([]governance.NodeChange, error) {
	if !storableString(id) {
		return nil, notFound(entNode, id)
	}
	hist, err := list(s, ctx, "NodeHistory", `SELECT node_id, version, kind, actor, at, at_ns, from_value, to_value, note
		FROM gov_node_changes WHERE node_id = $1 ORDER BY version`, []any{id}, scanChange)
	if err != nil {
		return nil, err
	}
	if len(hist) == 0 { // every node has its creation entry
		return nil, notFound(entNode, id)
	}
	return hist, nil
}

// scanChange reads a history entry.
func scanChange(row rowScanner) (governance.NodeChange, error) {
	var c governance.NodeChange
	var kind string
	var at timestamptz
	err := row.Scan(&c.NodeID, &c.Version, &kind, &c.Actor, &at.at, &at.ns, &c.From, &c.To, &c.Note)
	c.Kind, c.At = governance.ChangeKind(kind), at.time()
	return c, err
}
