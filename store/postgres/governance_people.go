package postgres

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/gridgov/gridgov"
	"github.com/gridgov/gridgov/governance"
)

// checkHome records on verr a HomeNodeID that is set and names no node.
func checkHome(ctx context.Context, tx pgx.Tx, verr *gridgov.ValidationError, id string) error {
	if id == "" {
		return nil
	}
	ok, err := txExists(ctx, tx, "gov_nodes", id)
	if err == nil && !ok {
		missingRef(verr, "HomeNodeID", entNode, id)
	}
	return err
}

// CreatePerson stores p with Version 1. See governance.PeopleStore.
func (s *GovernanceStore) CreatePerson(ctx context.Context, p governance.Person) (governance.Person, error) {
	verr := &gridgov.ValidationError{}
	requireID(verr, "ID", p.ID)
	checkStorable(verr, "", p)
	if err := verr.Err(); err != nil {
		return governance.Person{}, err
	}
	p.Version = 1
	err := s.write(ctx, "CreatePerson", func(tx pgx.Tx) error {
		taken, err := txExists(ctx, tx, "gov_people", p.ID)
		if err != nil {
			return err
		}
		if taken {
			return gridgov.AlreadyExists("ID", p.ID)
		}
		verr := &gridgov.ValidationError{}
		if err := checkHome(ctx, tx, verr, p.HomeNodeID); err != nil {
			return err
		}
		if err := verr.Err(); err != nil {
			return err
		}
		created, createdNs := optTime(p.CreatedAt)
		updated, updatedNs := optTime(p.UpdatedAt)
		_, err = tx.Exec(ctx, `INSERT INTO gov_people (id, name, phone, party, home_node_id, version, created_at,
			created_at_ns, updated_at, updated_at_ns) VALUES ($1, $2, $3, $4, $5, 1, $6, $7, $8, $9)`,
			p.ID, string(p.Name), string(p.Phone), string(p.Party), nullable(p.HomeNodeID), created, createdNs, updated, updatedNs)
		return err
	})
	if err != nil {
		return governance.Person{}, err
	}
	return p, nil
}

// UpdatePerson replaces the person p.ID with p under the version rule, keeping CreatedAt.
// Like CreatePerson it refuses a HomeNodeID that names no node. See governance.PeopleStore.
func (s *GovernanceStore) UpdatePerson(ctx context.Context, p governance.Person) (governance.Person, error) {
	if err := storable("", p); err != nil {
		return governance.Person{}, err
	}
	in := p
	var out = in // the stored value, set by the attempt that commits
	err := s.write(ctx, "UpdatePerson", func(tx pgx.Tx) error {
		p := in // each attempt starts from the argument
		old, err := scanPerson(tx.QueryRow(ctx, "SELECT "+personCols+" FROM gov_people p WHERE p.id = $1", p.ID))
		if errors.Is(err, pgx.ErrNoRows) {
			return notFound(entPerson, p.ID)
		}
		if err != nil {
			return err
		}
		if p.Version != old.Version {
			return conflict(entPerson, p.ID, p.Version, old.Version)
		}
		verr := &gridgov.ValidationError{}
		if err := checkHome(ctx, tx, verr, p.HomeNodeID); err != nil {
			return err
		}
		if err := verr.Err(); err != nil {
			return err
		}
		p.CreatedAt = old.CreatedAt
		p.Version = old.Version + 1
		updated, updatedNs := optTime(p.UpdatedAt)
		_, err = tx.Exec(ctx, `UPDATE gov_people SET name = $2, phone = $3, party = $4, home_node_id = $5, version = $6,
			updated_at = $7, updated_at_ns = $8 WHERE id = $1`,
			p.ID, string(p.Name), string(p.Phone), string(p.Party), nullable(p.HomeNodeID), p.Version, updated, updatedNs)
		out = p
		return err
	})
	if err != nil {
		return governance.Person{}, err
	}
	return out, nil
}

// GetPerson returns the person with id. See governance.PeopleStore.
func (s *GovernanceStore) GetPerson(ctx context.Context, id string) (governance.Person, error) {
	return get(s, ctx, "GetPerson", entPerson, id, "SELECT "+personCols+" FROM gov_people p WHERE p.id = $1", scanPerson)
}

// CreatePosition stores p with Version 1 after checking it against its person and
// organisation. See governance.PeopleStore.
func (s *GovernanceStore) CreatePosition(ctx context.Context, p governance.Position) (governance.Position, error) {
	verr := &gridgov.ValidationError{}
	requireID(verr, "ID", p.ID)
	checkStorable(verr, "", p)
	if err := verr.Err(); err != nil {
		return governance.Position{}, err
	}
	p.Version = 1
	err := s.write(ctx, "CreatePosition", func(tx pgx.Tx) error {
		var (
			taken, personFound, orgFound, dissolved bool
			orgNode, orgKind                        string
		)
		batch := &pgx.Batch{}
		batch.Queue("SELECT EXISTS (SELECT 1 FROM gov_positions WHERE id = $1)", p.ID).QueryRow(scanRow(&taken))
		batch.Queue("SELECT EXISTS (SELECT 1 FROM gov_people WHERE id = $1)", p.PersonID).QueryRow(scanRow(&personFound))
		batch.Queue("SELECT true, node_id, kind, dissolved FROM gov_organisations WHERE id = $1", p.OrgID).
			QueryRow(func(row pgx.Row) error {
				err := row.Scan(&orgFound, &orgNode, &orgKind, &dissolved)
				if errors.Is(err, pgx.ErrNoRows) {
					return nil
				}
				return err
			})
		if err := tx.SendBatch(ctx, batch).Close(); err != nil {
			return err
		}
		if taken {
			return gridgov.AlreadyExists("ID", p.ID)
		}
		verr := &gridgov.ValidationError{}
		if !personFound {
			missingRef(verr, "PersonID", entPerson, p.PersonID)
		}
		if !orgFound {
			missingRef(verr, "OrgID", entOrganisation, p.OrgID)
		} else {
			if dissolved {
				verr.Add("OrgID", "active",
					fmt.Sprintf("organisation %q is dissolved", p.OrgID),
					fmt.Sprintf("组织“%s”已撤销", p.OrgID))
			}
			if p.NodeID != orgNode {
				verr.Add("NodeID", "eq_org",
					fmt.Sprintf("NodeID %q differs from the organisation's node %q", p.NodeID, orgNode),
					fmt.Sprintf("所在节点“%s”与组织所在节点“%s”不一致", p.NodeID, orgNode))
			}
			if string(p.OrgKind) != orgKind {
				verr.Add("OrgKind", "eq_org",
					fmt.Sprintf("OrgKind %q differs from the organisation's kind %q", p.OrgKind, orgKind),
					fmt.Sprintf("组织类型“%s”与组织的类型“%s”不一致", p.OrgKind, orgKind))
			}
		}
		if err := verr.Err(); err != nil {
			return err
		}
		since, sinceNs := optTime(p.Since)
		until, untilNs := optTime(p.Until)
		created, createdNs := optTime(p.CreatedAt)
		updated, updatedNs := optTime(p.UpdatedAt)
		_, err := tx.Exec(ctx, `INSERT INTO gov_positions (id, person_id, org_id, node_id, org_kind, role, since, since_ns,
			ended, until, until_ns, version, created_at, created_at_ns, updated_at, updated_at_ns)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, 1, $12, $13, $14, $15)`,
			p.ID, p.PersonID, p.OrgID, p.NodeID, string(p.OrgKind), string(p.Role), since, sinceNs, p.Ended, until, untilNs,
			created, createdNs, updated, updatedNs)
		return err
	})
	if err != nil {
		return governance.Position{}, err
	}
	return p, nil
}

// UpdatePosition replaces the position p.ID with p under the version rule, keeping
// PersonID, OrgID, NodeID, OrgKind, Role and CreatedAt. See governance.PeopleStore.
func (s *GovernanceStore) UpdatePosition(ctx context.Context, p governance.Position) (governance.Position, error) {
	if err := storable("", p); err != nil {
		return governance.Position{}, err
	}
	in := p
	var out = in // the stored value, set by the attempt that commits
	err := s.write(ctx, "UpdatePosition", func(tx pgx.Tx) error {
		p := in // each attempt starts from the argument
		old, err := scanPosition(tx.QueryRow(ctx, "SELECT "+positionCols+" FROM gov_positions p WHERE p.id = $1", p.ID))
		if errors.Is(err, pgx.ErrNoRows) {
			return notFound(entPosition, p.ID)
		}
		if err != nil {
			return err
		}
		if p.Version != old.Version {
			return conflict(entPosition, p.ID, p.Version, old.Version)
		}
		if old.Ended && !p.Ended {
			return gridgov.Invalid("Ended", "final",
				fmt.Sprintf("position %q has ended; it cannot be reopened", p.ID),
				fmt.Sprintf("任职“%s”已离任，不能恢复", p.ID))
		}
		p.PersonID, p.OrgID, p.NodeID, p.OrgKind, p.Role = old.PersonID, old.OrgID, old.NodeID, old.OrgKind, old.Role
		p.CreatedAt = old.CreatedAt
		p.Version = old.Version + 1
		since, sinceNs := optTime(p.Since)
		until, untilNs := optTime(p.Until)
		updated, updatedNs := optTime(p.UpdatedAt)
		_, err = tx.Exec(ctx, `UPDATE gov_positions SET since = $2, since_ns = $3, ended = $4, until = $5, until_ns = $6,
			version = $7, updated_at = $8, updated_at_ns = $9 WHERE id = $1`,
			p.ID, since, sinceNs, p.Ended, until, untilNs, p.Version, updated, updatedNs)
		out = p
		return err
	})
	if err != nil {
		return governance.Position{}, err
	}
	return out, nil
}

// GetPosition returns the position with id. See governance.PeopleStore.
func (s *GovernanceStore) GetPosition(ctx context.Context, id string) (governance.Position, error) {
	return get(s, ctx, "GetPosition", entPosition, id, "SELECT "+positionCols+" FROM gov_positions p WHERE p.id = $1", scanPosition)
}

// PositionsOfPerson returns every position the person has held, in ascending ID order,
// from the index on (person_id, id). See governance.PeopleStore.
func (s *GovernanceStore) PositionsOfPerson(ctx context.Context, personID string) ([]governance.Position, error) {
	if !storableString(personID) {
		return []governance.Position{}, live(ctx)
	}
	return list(s, ctx, "PositionsOfPerson", "SELECT "+positionCols+" FROM gov_positions p WHERE p.person_id = $1 ORDER BY p.id",
		[]any{personID}, scanPosition)
}

// PositionsIn returns every position in the organisation, in ascending ID order, from the
// index on (org_id, id). See governance.PeopleStore.
func (s *GovernanceStore) PositionsIn(ctx context.Context, orgID string) ([]governance.Position, error) {
	if !storableString(orgID) {
		return []governance.Position{}, live(ctx)
	}
	return list(s, ctx, "PositionsIn", "SELECT "+positionCols+" FROM gov_positions p WHERE p.org_id = $1 ORDER BY p.id",
		[]any{orgID}, scanPosition)
}
