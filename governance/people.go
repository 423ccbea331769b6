package governance

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/gridgov/gridgov"
)

// PersonInput describes a person to add.
type PersonInput struct {
	// ID is optional: empty means the registry generates one.
	ID    string        `validate:"omitempty,gridid" zh:"人员编号"`
	Name  string        `validate:"required,notblank,printable,max=64" zh:"姓名"`
	Phone string        `validate:"omitempty,phone" zh:"电话"`
	Party PartyCategory `zh:"党员类别"`
	// HomeNodeID is where the person lives or is registered. The actor needs
	// [PermManagePeople] there; only a system actor may add a person without one.
	HomeNodeID string `validate:"omitempty,gridid" zh:"所在节点"`
}

// PartyInput changes a person's Party-member category (for example a member who retires
// moves from in-service to retired).
type PartyInput struct {
	PersonID string        `validate:"required,gridid" zh:"人员编号"`
	Party    PartyCategory `zh:"党员类别"`
	// Version is the version the caller read; 0 means the current one.
	Version int64 `validate:"gte=0" zh:"版本"`
}

// AppointInput gives a person a position in an organisation (任职).
type AppointInput struct {
	// ID is optional: empty means the registry generates one.
	ID       string `validate:"omitempty,gridid" zh:"任职编号"`
	PersonID string `validate:"required,gridid" zh:"人员编号"`
	OrgID    string `validate:"required,gridid" zh:"组织编号"`
	Role     Role   `validate:"required,gridid" zh:"职务"`
	// Since is when the position starts; zero means now.
	Since time.Time `zh:"任职时间"`
}

// EndInput ends a position (离任).
type EndInput struct {
	PositionID string `validate:"required,gridid" zh:"任职编号"`
	// Until is when the position ends; zero means now. It may not precede the start.
	Until time.Time `zh:"离任时间"`
	// Version is the version the caller read; 0 means the current one.
	Version int64 `validate:"gte=0" zh:"版本"`
}

func checkParty(c PartyCategory, field string) error {
	if c == NotPartyMember || slices.Contains(PartyCategories(), c) {
		return nil
	}
	return gridgov.Invalid(field, "oneof",
		fmt.Sprintf("Party category %q is unknown", c), fmt.Sprintf("党员类别“%s”未定义", c))
}

// AddPerson adds a person. The actor needs [PermManagePeople] at the person's home node;
// only a system actor may add a person without one.
func (r *Registry) AddPerson(ctx context.Context, actor gridgov.Actor, in PersonInput) (Person, error) {
	verr := &gridgov.ValidationError{}
	if err := verr.Merge(r.check(in)); err != nil {
		return Person{}, err
	}
	if err := verr.Merge(checkParty(in.Party, "Party")); err != nil {
		return Person{}, err
	}
	if in.HomeNodeID != "" {
		if _, err := r.store.GetNode(ctx, in.HomeNodeID); err != nil {
			if err := verr.Merge(notFoundAs(err, "HomeNodeID", in.HomeNodeID)); err != nil {
				return Person{}, err
			}
		}
	}
	if err := verr.Err(); err != nil {
		return Person{}, err
	}
	if in.HomeNodeID == "" {
		if err := requireSystem(actor, "adding a person without a home node", PermManagePeople); err != nil {
			return Person{}, err
		}
	} else if err := r.Authorize(ctx, actor, in.HomeNodeID, PermManagePeople); err != nil {
		return Person{}, err
	}
	now := r.clock.Now()
	p, err := r.store.CreatePerson(ctx, Person{
		ID: r.newID(in.ID), Name: gridgov.PersonName(in.Name), Phone: gridgov.Phone(in.Phone),
		Party: in.Party, HomeNodeID: in.HomeNodeID, CreatedAt: now, UpdatedAt: now,
	})
	if err != nil {
		return Person{}, err
	}
	r.log.InfoContext(ctx, "person added", "person", p.ID, "name", p.Name, "actor", actor.String())
	return p, nil
}

// SetParty changes a person's Party-member category. The actor needs [PermManagePeople] at
// the person's home node (system only when there is none).
func (r *Registry) SetParty(ctx context.Context, actor gridgov.Actor, in PartyInput) (Person, error) {
	if err := r.check(in); err != nil {
		return Person{}, err
	}
	if err := checkParty(in.Party, "Party"); err != nil {
		return Person{}, err
	}
	p, err := r.store.GetPerson(ctx, in.PersonID)
	if err != nil {
		return Person{}, err
	}
	if err := checkVersion("person", p.ID, p.Version, in.Version); err != nil {
		return Person{}, err
	}
	if p.HomeNodeID == "" {
		err = requireSystem(actor, "changing a person without a home node", PermManagePeople)
	} else {
		err = r.Authorize(ctx, actor, p.HomeNodeID, PermManagePeople)
	}
	if err != nil {
		return Person{}, err
	}
	p.Party, p.UpdatedAt = in.Party, r.clock.Now()
	return r.store.UpdatePerson(ctx, p)
}

// Person returns the person with id. Name and phone are revealed only to the person
// themself, to system actors and to actors with [PermViewPersonalData] at the person's home
// node or at the node of one of their positions (or above); everyone else gets them masked.
func (r *Registry) Person(ctx context.Context, actor gridgov.Actor, id string) (Person, error) {
	p, err := r.store.GetPerson(ctx, id)
	if err != nil {
		return Person{}, err
	}
	ok, err := r.mayViewPersonal(ctx, actor, p)
	if err != nil {
		return Person{}, err
	}
	if !ok {
		p.Name = gridgov.PersonName(p.Name.Masked())
		p.Phone = gridgov.Phone(p.Phone.Masked())
	}
	return p, nil
}

func (r *Registry) mayViewPersonal(ctx context.Context, actor gridgov.Actor, p Person) (bool, error) {
	if actor.IsSystem() || (actor.Kind == gridgov.ActorPerson && actor.ID == p.ID) {
		return true, nil
	}
	grants, err := r.grantsOf(ctx, actor, PermViewPersonalData)
	if err != nil || len(grants) == 0 {
		return false, err
	}
	nodes := []string{}
	if p.HomeNodeID != "" {
		nodes = append(nodes, p.HomeNodeID)
	}
	positions, err := r.store.PositionsOfPerson(ctx, p.ID)
	if err != nil {
		return false, err
	}
	for _, pos := range positions {
		if !slices.Contains(nodes, pos.NodeID) {
			nodes = append(nodes, pos.NodeID)
		}
	}
	for _, id := range nodes {
		node, err := r.store.GetNode(ctx, id)
		if err != nil {
			return false, err
		}
		if ok, err := r.covers(ctx, grants, node); err != nil || ok {
			return ok, err
		}
	}
	return false, nil
}

// Appoint gives a person a position in an active organisation. The actor needs
// [PermManagePeople] at the organisation's node. A person may hold many positions, but not
// the same role twice at once in one organisation.
func (r *Registry) Appoint(ctx context.Context, actor gridgov.Actor, in AppointInput) (Position, error) {
	verr := &gridgov.ValidationError{}
	if err := verr.Merge(r.check(in)); err != nil {
		return Position{}, err
	}
	var org Organisation
	if in.OrgID != "" {
		var err error
		org, err = r.store.GetOrganisation(ctx, in.OrgID)
		switch {
		case err != nil:
			if err := verr.Merge(notFoundAs(err, "OrgID", in.OrgID)); err != nil {
				return Position{}, err
			}
		case org.Dissolved:
			verr.Add("OrgID", "active", fmt.Sprintf("organisation %q is dissolved", org.ID), fmt.Sprintf("组织“%s”已撤销", org.ID))
		}
	}
	now := r.clock.Now()
	since := in.Since
	if since.IsZero() {
		since = now
	}
	if in.PersonID != "" {
		if _, err := r.store.GetPerson(ctx, in.PersonID); err != nil {
			if err := verr.Merge(notFoundAs(err, "PersonID", in.PersonID)); err != nil {
				return Position{}, err
			}
		} else if org.ID != "" {
			held, err := r.store.PositionsOfPerson(ctx, in.PersonID)
			if err != nil {
				return Position{}, err
			}
			for _, p := range held {
				if p.OrgID == org.ID && p.Role == in.Role && !p.Ended {
					verr.Add("Role", "unique",
						fmt.Sprintf("person %q already holds %q in %q (position %q)", in.PersonID, in.Role, org.ID, p.ID),
						fmt.Sprintf("人员“%s”已在“%s”担任“%s”（任职“%s”）", in.PersonID, org.ID, in.Role, p.ID))
				}
			}
		}
	}
	if err := verr.Err(); err != nil {
		return Position{}, err
	}
	if err := r.Authorize(ctx, actor, org.NodeID, PermManagePeople); err != nil {
		return Position{}, err
	}
	p, err := r.store.CreatePosition(ctx, Position{
		ID: r.newID(in.ID), PersonID: in.PersonID, OrgID: org.ID, NodeID: org.NodeID, OrgKind: org.Kind,
		Role: in.Role, Since: since, CreatedAt: now, UpdatedAt: now,
	})
	if err != nil {
		return Position{}, err
	}
	r.log.InfoContext(ctx, "position added", "position", p.ID, "person", p.PersonID, "org", p.OrgID, "role", string(p.Role), "actor", actor.String())
	return p, nil
}

// EndPosition ends a position; it stays in the person's history. The actor needs
// [PermManagePeople] at the organisation's node.
func (r *Registry) EndPosition(ctx context.Context, actor gridgov.Actor, in EndInput) (Position, error) {
	if err := r.check(in); err != nil {
		return Position{}, err
	}
	p, err := r.store.GetPosition(ctx, in.PositionID)
	if err != nil {
		return Position{}, err
	}
	if err := checkVersion("position", p.ID, p.Version, in.Version); err != nil {
		return Position{}, err
	}
	if err := r.Authorize(ctx, actor, p.NodeID, PermManagePeople); err != nil {
		return Position{}, err
	}
	if p.Ended {
		return p, nil
	}
	now := r.clock.Now()
	until := in.Until
	if until.IsZero() {
		until = now
	}
	if until.Before(p.Since) {
		return Position{}, gridgov.Invalid("Until", "gtefield",
			fmt.Sprintf("a position cannot end (%s) before it starts (%s)", until.Format(time.DateOnly), p.Since.Format(time.DateOnly)),
			fmt.Sprintf("离任时间（%s）不能早于任职时间（%s）", until.Format(time.DateOnly), p.Since.Format(time.DateOnly)))
	}
	p.Ended, p.Until, p.UpdatedAt = true, until, now
	return r.store.UpdatePosition(ctx, p)
}

// PositionsOf returns the positions the person holds now (all they ever held with
// [IncludeRetired]).
func (r *Registry) PositionsOf(ctx context.Context, personID string, opts ...ListOption) ([]Position, error) {
	ps, err := r.store.PositionsOfPerson(ctx, personID)
	if err != nil {
		return nil, err
	}
	return r.activePositions(ps, listOpts(opts)), nil
}

// Members returns the positions held now in the organisation (all with [IncludeRetired]).
func (r *Registry) Members(ctx context.Context, orgID string, opts ...ListOption) ([]Position, error) {
	if _, err := r.store.GetOrganisation(ctx, orgID); err != nil {
		return nil, err
	}
	ps, err := r.store.PositionsIn(ctx, orgID)
	if err != nil {
		return nil, err
	}
	return r.activePositions(ps, listOpts(opts)), nil
}

func (r *Registry) activePositions(ps []Position, o listOptions) []Position {
	if o.includeRetired {
		return ps
	}
	now := r.clock.Now()
	out := ps[:0]
	for _, p := range ps {
		if p.Active(now) {
			out = append(out, p)
		}
	}
	return out
}
