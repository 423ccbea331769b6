package postgres

import (
	"context"
	"errors"
	"fmt"
	"slices"

	"github.com/jackc/pgx/v5"

	"github.com/gridgov/gridgov"
	"github.com/gridgov/gridgov/governance"
)

// orgRefs are what an organisation's references resolve to, read inside the write's
// transaction.
type orgRefs struct {
	hostFound bool
	nodes     map[string]bool // the entries of Serves that name a node
}

// readOrgRefs queues, on batch, the reads that check o's HostID and Serves.
func readOrgRefs(batch *pgx.Batch, o governance.Organisation, refs *orgRefs) {
	refs.nodes = map[string]bool{}
	if o.HostID != "" && o.HostID != o.ID {
		batch.Queue("SELECT EXISTS (SELECT 1 FROM gov_organisations WHERE id = $1)", o.HostID).QueryRow(scanRow(&refs.hostFound))
	}
	if len(o.Serves) > 0 {
		batch.Queue("SELECT id FROM gov_nodes WHERE id = ANY($1)", o.Serves).Query(func(rows pgx.Rows) error {
			for rows.Next() {
				var id string
				if err := rows.Scan(&id); err != nil {
					return err
				}
				refs.nodes[id] = true
			}
			return rows.Err()
		})
	}
}

// checkOrgRefs records on verr a HostID that names no organisation (or o itself) and every
// Serves entry that names no node, as store/memory does.
func checkOrgRefs(verr *gridgov.ValidationError, o governance.Organisation, refs orgRefs) {
	switch {
	case o.HostID == "":
	case o.HostID == o.ID:
		verr.Add("HostID", "not_self",
			fmt.Sprintf("organisation %q cannot host itself", o.ID),
			fmt.Sprintf("组织“%s”不能设立在自身之内", o.ID))
	case !refs.hostFound:
		missingRef(verr, "HostID", entOrganisation, o.HostID)
	}
	for i, id := range o.Serves {
		if !refs.nodes[id] {
			missingRef(verr, fmt.Sprintf("Serves[%d]", i), entNode, id)
		}
	}
}

// distinct returns the entries of s, each once, in first-seen order.
func distinct(s []string) []string {
	out := make([]string, 0, len(s))
	for _, v := range s {
		if !slices.Contains(out, v) {
			out = append(out, v)
		}
	}
	return out
}

// CreateOrganisation stores o with Version 1, with one gov_org_serves row per node it
// serves. See governance.OrganisationStore.
func (s *GovernanceStore) CreateOrganisation(ctx context.Context, o governance.Organisation) (governance.Organisation, error) {
	verr := &gridgov.ValidationError{}
	requireID(verr, "ID", o.ID)
	checkStorable(verr, "", o)
	if err := verr.Err(); err != nil {
		return governance.Organisation{}, err
	}
	o = o.Clone()
	o.Version = 1
	err := s.write(ctx, "CreateOrganisation", func(tx pgx.Tx) error {
		var (
			taken, nodeFound, nodeRetired bool
			refs                          orgRefs
		)
		batch := &pgx.Batch{}
		batch.Queue("SELECT EXISTS (SELECT 1 FROM gov_organisations WHERE id = $1)", o.ID).QueryRow(scanRow(&taken))
		batch.Queue("SELECT true, retired FROM gov_nodes WHERE id = $1", o.NodeID).QueryRow(func(row pgx.Row) error {
			err := row.Scan(&nodeFound, &nodeRetired)
			if errors.Is(err, pgx.ErrNoRows) {
				return nil
			}
			return err
		})
		readOrgRefs(batch, o, &refs)
		if err := tx.SendBatch(ctx, batch).Close(); err != nil {
			return err
		}
		if taken {
			return gridgov.AlreadyExists("ID", o.ID)
		}
		verr := &gridgov.ValidationError{}
		switch {
		case !nodeFound:
			missingRef(verr, "NodeID", entNode, o.NodeID)
		case nodeRetired:
			verr.Add("NodeID", "active",
				fmt.Sprintf("NodeID %q names a retired node", o.NodeID),
				fmt.Sprintf("所在节点“%s”已撤销", o.NodeID))
		}
		checkOrgRefs(verr, o, refs)
		if err := verr.Err(); err != nil {
			return err
		}
		dissolved, dissolvedNs := optTime(o.DissolvedAt)
		created, createdNs := optTime(o.CreatedAt)
		updated, updatedNs := optTime(o.UpdatedAt)
		if _, err := tx.Exec(ctx, `INSERT INTO gov_organisations (id, node_id, kind, name, host_id, serves, dissolved,
			dissolved_at, dissolved_at_ns, version, created_at, created_at_ns, updated_at, updated_at_ns)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 1, $10, $11, $12, $13)`,
			o.ID, o.NodeID, string(o.Kind), o.Name, nullable(o.HostID), textArray(o.Serves), o.Dissolved,
			dissolved, dissolvedNs, created, createdNs, updated, updatedNs); err != nil {
			return err
		}
		return insertServes(ctx, tx, o.ID, o.Serves)
	})
	if err != nil {
		return governance.Organisation{}, err
	}
	return o.Clone(), nil
}

// insertServes adds the gov_org_serves rows of an organisation.
func insertServes(ctx context.Context, tx pgx.Tx, orgID string, serves []string) error {
	if len(serves) == 0 {
		return nil
	}
	_, err := tx.Exec(ctx, "INSERT INTO gov_org_serves (node_id, org_id) SELECT n, $1 FROM unnest($2::text[]) AS n",
		orgID, distinct(serves))
	return err
}

// UpdateOrganisation replaces the organisation o.ID with o under the version rule, keeping
// NodeID, Kind and CreatedAt. See governance.OrganisationStore.
func (s *GovernanceStore) UpdateOrganisation(ctx context.Context, o governance.Organisation) (governance.Organisation, error) {
	if err := storable("", o); err != nil {
		return governance.Organisation{}, err
	}
	in := o.Clone()
	var out = in // the stored value, set by the attempt that commits
	err := s.write(ctx, "UpdateOrganisation", func(tx pgx.Tx) error {
		o := in.Clone() // each attempt starts from the argument
		var (
			old    governance.Organisation
			oldErr error
			open   int64
			refs   orgRefs
		)
		batch := &pgx.Batch{}
		batch.Queue("SELECT "+orgCols+" FROM gov_organisations o WHERE o.id = $1", o.ID).QueryRow(func(row pgx.Row) error {
			old, oldErr = scanOrg(row)
			if errors.Is(oldErr, pgx.ErrNoRows) {
				return nil
			}
			return oldErr
		})
		batch.Queue("SELECT count(*) FROM gov_positions WHERE org_id = $1 AND NOT ended", o.ID).QueryRow(scanRow(&open))
		readOrgRefs(batch, o, &refs)
		if err := tx.SendBatch(ctx, batch).Close(); err != nil {
			return err
		}
		if oldErr != nil {
			return notFound(entOrganisation, o.ID)
		}
		if o.Version != old.Version {
			return conflict(entOrganisation, o.ID, o.Version, old.Version)
		}
		verr := &gridgov.ValidationError{}
		checkOrgRefs(verr, o, refs)
		switch {
		case old.Dissolved && !o.Dissolved:
			verr.Add("Dissolved", "final",
				fmt.Sprintf("organisation %q is dissolved; dissolution is final", o.ID),
				fmt.Sprintf("组织“%s”已撤销，撤销不可恢复", o.ID))
		case !old.Dissolved && o.Dissolved && open > 0:
			verr.Add("Dissolved", "no_open_position",
				fmt.Sprintf("organisation %q still has %d position(s) that have not ended", o.ID, open),
				fmt.Sprintf("组织“%s”仍有%d个未离任的任职", o.ID, open))
		}
		if err := verr.Err(); err != nil {
			return err
		}
		o.NodeID, o.Kind, o.CreatedAt = old.NodeID, old.Kind, old.CreatedAt
		o.Version = old.Version + 1
		dissolved, dissolvedNs := optTime(o.DissolvedAt)
		updated, updatedNs := optTime(o.UpdatedAt)
		if _, err := tx.Exec(ctx, `UPDATE gov_organisations SET name = $2, host_id = $3, serves = $4, dissolved = $5,
			dissolved_at = $6, dissolved_at_ns = $7, version = $8, updated_at = $9, updated_at_ns = $10 WHERE id = $1`,
			o.ID, o.Name, nullable(o.HostID), textArray(o.Serves), o.Dissolved, dissolved, dissolvedNs, o.Version,
			updated, updatedNs); err != nil {
			return err
		}
		if !slices.Equal(distinct(o.Serves), distinct(old.Serves)) {
			if _, err := tx.Exec(ctx, "DELETE FROM gov_org_serves WHERE org_id = $1", o.ID); err != nil {
				return err
			}
			if err := insertServes(ctx, tx, o.ID, o.Serves); err != nil {
				return err
			}
		}
		out = o
		return nil
	})
	if err != nil {
		return governance.Organisation{}, err
	}
	return out.Clone(), nil
}

// GetOrganisation returns the organisation with id. See governance.OrganisationStore.
func (s *GovernanceStore) GetOrganisation(ctx context.Context, id string) (governance.Organisation, error) {
	return get(s, ctx, "GetOrganisation", entOrganisation, id,
		"SELECT "+orgCols+" FROM gov_organisations o WHERE o.id = $1", scanOrg)
}

// subtreeCTE walks down from the node $1 (itself included) through the index on
// (parent_id, id), O(subtree), with fenced LATERAL subqueries (see ancestorsSQL).
const subtreeCTE = `WITH RECURSIVE sub (id) AS (
	SELECT id FROM gov_nodes WHERE id = $1
	UNION ALL
	SELECT c.id FROM sub CROSS JOIN LATERAL (SELECT n.id FROM gov_nodes n WHERE n.parent_id = sub.id OFFSET 0) c
) `

// orgsAtSubtreeSQL returns the organisations at any node of $1's subtree, each node's from
// the index on (node_id, id).
const orgsAtSubtreeSQL = subtreeCTE + "SELECT " + orgCols + ` FROM sub CROSS JOIN LATERAL (
	SELECT * FROM gov_organisations o WHERE o.node_id = sub.id OFFSET 0) o ORDER BY o.id`

// orgList returns the organisations a query returns; when it returns none, it checks that
// the node (or, with entity entOrganisation, the organisation) id exists.
func (s *GovernanceStore) orgList(ctx context.Context, op string, e entity, table, id, sql string) ([]governance.Organisation, error) {
	if !storableString(id) {
		return nil, notFound(e, id)
	}
	out, err := list(s, ctx, op, sql, []any{id}, scanOrg)
	if err != nil || len(out) > 0 {
		return out, err
	}
	ok, err := s.exists(ctx, table, id)
	if err != nil {
		return nil, wrapErr(op, err)
	}
	if !ok {
		return nil, notFound(e, id)
	}
	return out, nil
}

// OrganisationsAt returns the organisations at nodeID or, with subtree, anywhere in its
// subtree, in ascending ID order: O(subtree + result) through the indexes on
// gov_nodes (parent_id, id) and gov_organisations (node_id, id). See
// governance.OrganisationStore.
func (s *GovernanceStore) OrganisationsAt(ctx context.Context, nodeID string, subtree bool) ([]governance.Organisation, error) {
	sql := "SELECT " + orgCols + " FROM gov_organisations o WHERE o.node_id = $1 ORDER BY o.id"
	if subtree {
		sql = orgsAtSubtreeSQL
	}
	return s.orgList(ctx, "OrganisationsAt", entNode, "gov_nodes", nodeID, sql)
}

// OrganisationsServing returns the organisations whose Serves lists nodeID or, with
// subtree, any node of its subtree, each once, in ascending ID order. See
// governance.OrganisationStore.
func (s *GovernanceStore) OrganisationsServing(ctx context.Context, nodeID string, subtree bool) ([]governance.Organisation, error) {
	sql := "SELECT " + orgCols + ` FROM gov_org_serves s JOIN gov_organisations o ON o.id = s.org_id
		WHERE s.node_id = $1 ORDER BY o.id`
	if subtree {
		sql = subtreeCTE + "SELECT DISTINCT ON (o.id) " + orgCols + ` FROM sub CROSS JOIN LATERAL (
			SELECT o.* FROM gov_org_serves s JOIN gov_organisations o ON o.id = s.org_id
			WHERE s.node_id = sub.id OFFSET 0) o ORDER BY o.id`
	}
	return s.orgList(ctx, "OrganisationsServing", entNode, "gov_nodes", nodeID, sql)
}

// HostedBy returns the organisations whose HostID is orgID, in ascending ID order. See
// governance.OrganisationStore.
func (s *GovernanceStore) HostedBy(ctx context.Context, orgID string) ([]governance.Organisation, error) {
	return s.orgList(ctx, "HostedBy", entOrganisation, "gov_organisations", orgID,
		"SELECT "+orgCols+" FROM gov_organisations o WHERE o.host_id = $1 ORDER BY o.id")
}
