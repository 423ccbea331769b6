package memory

import (
	"context"
	"fmt"

	"github.com/gridgov/gridgov"
	"github.com/gridgov/gridgov/governance"
)

// CreatePerson stores p with Version 1. See governance.PeopleStore.
func (s *GovernanceStore) CreatePerson(ctx context.Context, p governance.Person) (governance.Person, error) {
	unlock, err := s.lockWrite(ctx)
	if err != nil {
		return governance.Person{}, err
	}
	defer unlock()
	verr := &gridgov.ValidationError{}
	requireID(verr, "ID", p.ID)
	if err := verr.Err(); err != nil {
		return governance.Person{}, err
	}
	if _, ok := s.people[p.ID]; ok {
		return governance.Person{}, gridgov.AlreadyExists("ID", p.ID)
	}
	s.checkHome(verr, p.HomeNodeID)
	if err := verr.Err(); err != nil {
		return governance.Person{}, err
	}
	p.Version = 1
	s.people[p.ID] = &personRec{person: p}
	return p, nil
}

// UpdatePerson replaces the person p.ID with p under the version rule, keeping CreatedAt.
// Like CreatePerson it refuses a HomeNodeID that names no node. See governance.PeopleStore.
func (s *GovernanceStore) UpdatePerson(ctx context.Context, p governance.Person) (governance.Person, error) {
	unlock, err := s.lockWrite(ctx)
	if err != nil {
		return governance.Person{}, err
	}
	defer unlock()
	rec := s.people[p.ID]
	if rec == nil {
		return governance.Person{}, notFound(entPerson, p.ID)
	}
	old := rec.person
	if p.Version != old.Version {
		return governance.Person{}, conflict(entPerson, p.ID, p.Version, old.Version)
	}
	verr := &gridgov.ValidationError{}
	s.checkHome(verr, p.HomeNodeID)
	if err := verr.Err(); err != nil {
		return governance.Person{}, err
	}
	p.CreatedAt = old.CreatedAt
	p.Version = old.Version + 1
	rec.person = p
	return p, nil
}

// GetPerson returns the person with id. See governance.PeopleStore.
func (s *GovernanceStore) GetPerson(ctx context.Context, id string) (governance.Person, error) {
	unlock, err := s.lockRead(ctx)
	if err != nil {
		return governance.Person{}, err
	}
	defer unlock()
	rec := s.people[id]
	if rec == nil {
		return governance.Person{}, notFound(entPerson, id)
	}
	return rec.person, nil
}

// CreatePosition stores p with Version 1 after checking it against its person and
// organisation. See governance.PeopleStore.
func (s *GovernanceStore) CreatePosition(ctx context.Context, p governance.Position) (governance.Position, error) {
	unlock, err := s.lockWrite(ctx)
	if err != nil {
		return governance.Position{}, err
	}
	defer unlock()
	verr := &gridgov.ValidationError{}
	requireID(verr, "ID", p.ID)
	if err := verr.Err(); err != nil {
		return governance.Position{}, err
	}
	if _, ok := s.positions[p.ID]; ok {
		return governance.Position{}, gridgov.AlreadyExists("ID", p.ID)
	}
	person := s.people[p.PersonID]
	if person == nil {
		missingRef(verr, "PersonID", entPerson, p.PersonID)
	}
	org := s.orgs[p.OrgID]
	if org == nil {
		missingRef(verr, "OrgID", entOrganisation, p.OrgID)
	} else {
		if org.org.Dissolved {
			verr.Add("OrgID", "active",
				fmt.Sprintf("organisation %q is dissolved", p.OrgID),
				fmt.Sprintf("组织“%s”已撤销", p.OrgID))
		}
		if p.NodeID != org.org.NodeID {
			verr.Add("NodeID", "eq_org",
				fmt.Sprintf("NodeID %q differs from the organisation's node %q", p.NodeID, org.org.NodeID),
				fmt.Sprintf("所在节点“%s”与组织所在节点“%s”不一致", p.NodeID, org.org.NodeID))
		}
		if p.OrgKind != org.org.Kind {
			verr.Add("OrgKind", "eq_org",
				fmt.Sprintf("OrgKind %q differs from the organisation's kind %q", p.OrgKind, org.org.Kind),
				fmt.Sprintf("组织类型“%s”与组织的类型“%s”不一致", p.OrgKind, org.org.Kind))
		}
	}
	if err := verr.Err(); err != nil {
		return governance.Position{}, err
	}
	p.Version = 1
	stored := &p
	s.positions[p.ID] = stored
	person.positions = insertByID(person.positions, stored, positionID)
	org.positions = insertByID(org.positions, stored, positionID)
	if !p.Ended {
		org.open++
	}
	return p, nil
}

// UpdatePosition replaces the position p.ID with p under the version rule, keeping
// PersonID, OrgID, NodeID, OrgKind, Role and CreatedAt. See governance.PeopleStore.
func (s *GovernanceStore) UpdatePosition(ctx context.Context, p governance.Position) (governance.Position, error) {
	unlock, err := s.lockWrite(ctx)
	if err != nil {
		return governance.Position{}, err
	}
	defer unlock()
	stored := s.positions[p.ID]
	if stored == nil {
		return governance.Position{}, notFound(entPosition, p.ID)
	}
	old := *stored
	if p.Version != old.Version {
		return governance.Position{}, conflict(entPosition, p.ID, p.Version, old.Version)
	}
	if old.Ended && !p.Ended {
		return governance.Position{}, gridgov.Invalid("Ended", "final",
			fmt.Sprintf("position %q has ended; it cannot be reopened", p.ID),
			fmt.Sprintf("任职“%s”已离任，不能恢复", p.ID))
	}
	p.PersonID, p.OrgID, p.NodeID, p.OrgKind, p.Role = old.PersonID, old.OrgID, old.NodeID, old.OrgKind, old.Role
	p.CreatedAt = old.CreatedAt
	p.Version = old.Version + 1
	if !old.Ended && p.Ended {
		s.orgs[p.OrgID].open--
	}
	*stored = p
	return p, nil
}

// GetPosition returns the position with id. See governance.PeopleStore.
func (s *GovernanceStore) GetPosition(ctx context.Context, id string) (governance.Position, error) {
	unlock, err := s.lockRead(ctx)
	if err != nil {
		return governance.Position{}, err
	}
	defer unlock()
	p := s.positions[id]
	if p == nil {
		return governance.Position{}, notFound(entPosition, id)
	}
	return *p, nil
}

// PositionsOfPerson returns every position the person has held, in ascending ID order.
// See governance.PeopleStore.
func (s *GovernanceStore) PositionsOfPerson(ctx context.Context, personID string) ([]governance.Position, error) {
	unlock, err := s.lockRead(ctx)
	if err != nil {
		return nil, err
	}
	defer unlock()
	var list []*governance.Position
	if rec := s.people[personID]; rec != nil {
		list = rec.positions
	}
	return copyPositions(list), nil
}

// PositionsIn returns every position in the organisation, in ascending ID order. See
// governance.PeopleStore.
func (s *GovernanceStore) PositionsIn(ctx context.Context, orgID string) ([]governance.Position, error) {
	unlock, err := s.lockRead(ctx)
	if err != nil {
		return nil, err
	}
	defer unlock()
	var list []*governance.Position
	if rec := s.orgs[orgID]; rec != nil {
		list = rec.positions
	}
	return copyPositions(list), nil
}

// checkHome records on verr a HomeNodeID that is set and names no node.
func (s *GovernanceStore) checkHome(verr *gridgov.ValidationError, id string) {
	if id != "" && s.nodes[id] == nil {
		missingRef(verr, "HomeNodeID", entNode, id)
	}
}

func copyPositions(list []*governance.Position) []governance.Position {
	out := make([]governance.Position, len(list))
	for i, p := range list {
		out[i] = *p
	}
	return out
}
