package governance

import (
	"context"
	"fmt"
	"slices"

	"github.com/gridgov/gridgov"
)

// OrganisationInput describes an organisation to add at a node.
type OrganisationInput struct {
	// ID is optional: empty means the registry generates one.
	ID     string  `validate:"omitempty,gridid" zh:"组织编号"`
	NodeID string  `validate:"required,gridid" zh:"所在节点"`
	Kind   OrgKind `validate:"required" zh:"组织类型"`
	Name   string  `validate:"required,notblank,printable,max=128" zh:"名称"`
	// HostID names the organisation this one is set up inside (a property firm for a
	// firm's Party branch).
	HostID string `validate:"omitempty,gridid" zh:"所属组织"`
	// Serves lists the compounds a property firm or service centre serves.
	Serves []string `validate:"max=1000,dive,gridid" zh:"服务范围"`
}

// ServesInput replaces the nodes a property firm or service centre serves.
type ServesInput struct {
	OrgID  string   `validate:"required,gridid" zh:"组织编号"`
	Serves []string `validate:"max=1000,dive,gridid" zh:"服务范围"`
	// Version is the version the caller read; 0 means the current one.
	Version int64 `validate:"gte=0" zh:"版本"`
}

// DissolveInput dissolves an organisation (撤销). Its positions must have ended.
type DissolveInput struct {
	OrgID string `validate:"required,gridid" zh:"组织编号"`
	// Version is the version the caller read; 0 means the current one.
	Version int64 `validate:"gte=0" zh:"版本"`
}

// kindsThatServe may list served nodes.
var kindsThatServe = []OrgKind{OrgPropertyFirm, OrgServiceCentre, OrgServiceStation}

// AddOrganisation adds an organisation at a node. Rules: the kind is known; owners'
// committees and property management committees sit at the compound level when the scheme
// has one; a HostID names an active organisation (a Party branch hosted by a property firm,
// for example); only property firms, service centres and stations list served nodes, each an
// active node. The actor needs [PermManageOrganisations] at the node.
func (r *Registry) AddOrganisation(ctx context.Context, actor gridgov.Actor, in OrganisationInput) (Organisation, error) {
	verr := &gridgov.ValidationError{}
	if err := verr.Merge(r.check(in)); err != nil {
		return Organisation{}, err
	}
	if in.Kind != "" && !slices.Contains(OrgKinds(), in.Kind) {
		verr.Add("Kind", "oneof", fmt.Sprintf("organisation kind %q is unknown", in.Kind), fmt.Sprintf("组织类型“%s”未定义", in.Kind))
	}
	if in.NodeID != "" {
		node, err := r.store.GetNode(ctx, in.NodeID)
		switch {
		case err != nil:
			if err := verr.Merge(notFoundAs(err, "NodeID", in.NodeID)); err != nil {
				return Organisation{}, err
			}
		case node.Retired:
			verr.Add("NodeID", "active", fmt.Sprintf("node %q is retired", node.ID), fmt.Sprintf("节点“%s”已撤销", node.ID))
		case in.Kind == OrgOwnersCommittee || in.Kind == OrgManagementCommittee:
			if compound, ok := r.scheme.Compound(); ok && node.Level != compound {
				verr.Add("NodeID", "compound",
					fmt.Sprintf("an owners' or property management committee sits at a %q node, not at %q", compound, node.Level),
					fmt.Sprintf("业主委员会或物业管理委员会必须设在“%s”层级节点，不能设在“%s”层级", compound, node.Level))
			}
		}
	}
	if in.HostID != "" {
		host, err := r.store.GetOrganisation(ctx, in.HostID)
		switch {
		case err != nil:
			if err := verr.Merge(notFoundAs(err, "HostID", in.HostID)); err != nil {
				return Organisation{}, err
			}
		case host.Dissolved:
			verr.Add("HostID", "active", fmt.Sprintf("host organisation %q is dissolved", host.ID), fmt.Sprintf("所属组织“%s”已撤销", host.ID))
		}
	}
	if err := verr.Merge(r.checkServes(ctx, in.Kind, in.Serves)); err != nil {
		return Organisation{}, err
	}
	if err := verr.Err(); err != nil {
		return Organisation{}, err
	}
	if err := r.Authorize(ctx, actor, in.NodeID, PermManageOrganisations); err != nil {
		return Organisation{}, err
	}
	now := r.clock.Now()
	o, err := r.store.CreateOrganisation(ctx, Organisation{
		ID: r.newID(in.ID), NodeID: in.NodeID, Kind: in.Kind, Name: in.Name, HostID: in.HostID,
		Serves: slices.Clone(in.Serves), CreatedAt: now, UpdatedAt: now,
	})
	if err != nil {
		return Organisation{}, err
	}
	r.log.InfoContext(ctx, "organisation added", "org", o.ID, "kind", string(o.Kind), "node", o.NodeID, "actor", actor.String())
	return o, nil
}

func (r *Registry) checkServes(ctx context.Context, kind OrgKind, serves []string) error {
	if len(serves) == 0 {
		return nil
	}
	verr := &gridgov.ValidationError{}
	if !slices.Contains(kindsThatServe, kind) {
		verr.Add("Serves", "serves",
			fmt.Sprintf("only property firms and service centres or stations serve nodes, not %q", kind),
			fmt.Sprintf("只有物业企业和服务中心（站）可以设置服务范围，“%s”不可以", kind))
		return verr
	}
	seen := make(map[string]bool, len(serves))
	for i, id := range serves {
		field := fmt.Sprintf("Serves[%d]", i)
		if seen[id] {
			verr.Add(field, "unique", fmt.Sprintf("node %q is listed twice", id), fmt.Sprintf("节点“%s”重复", id))
			continue
		}
		seen[id] = true
		n, err := r.store.GetNode(ctx, id)
		switch {
		case err != nil:
			if err := verr.Merge(notFoundAs(err, field, id)); err != nil {
				return err
			}
		case n.Retired:
			verr.Add(field, "active", fmt.Sprintf("node %q is retired", id), fmt.Sprintf("节点“%s”已撤销", id))
		}
	}
	return verr.Err()
}

// SetServes replaces the nodes a property firm or service centre serves (for example when a
// firm takes over a compound, 接管). The actor needs [PermManageOrganisations] at the
// organisation's node.
func (r *Registry) SetServes(ctx context.Context, actor gridgov.Actor, in ServesInput) (Organisation, error) {
	if err := r.check(in); err != nil {
		return Organisation{}, err
	}
	o, err := r.orgForUpdate(ctx, actor, in.OrgID, in.Version)
	if err != nil {
		return Organisation{}, err
	}
	if err := r.checkServes(ctx, o.Kind, in.Serves); err != nil {
		return Organisation{}, err
	}
	o.Serves = slices.Clone(in.Serves)
	return r.updateOrg(ctx, actor, o, "serves changed")
}

// DissolveOrganisation dissolves an organisation; it stays resolvable. Every position in it
// must have ended first. The actor needs [PermManageOrganisations] at its node.
func (r *Registry) DissolveOrganisation(ctx context.Context, actor gridgov.Actor, in DissolveInput) (Organisation, error) {
	if err := r.check(in); err != nil {
		return Organisation{}, err
	}
	o, err := r.orgForUpdate(ctx, actor, in.OrgID, in.Version)
	if err != nil {
		return Organisation{}, err
	}
	if o.Dissolved {
		return o, nil
	}
	o.Dissolved, o.DissolvedAt = true, r.clock.Now()
	return r.updateOrg(ctx, actor, o, "organisation dissolved")
}

func (r *Registry) orgForUpdate(ctx context.Context, actor gridgov.Actor, id string, version int64) (Organisation, error) {
	o, err := r.store.GetOrganisation(ctx, id)
	if err != nil {
		return Organisation{}, err
	}
	if err := checkVersion("organisation", id, o.Version, version); err != nil {
		return Organisation{}, err
	}
	return o, r.Authorize(ctx, actor, o.NodeID, PermManageOrganisations)
}

func (r *Registry) updateOrg(ctx context.Context, actor gridgov.Actor, o Organisation, msg string) (Organisation, error) {
	o.UpdatedAt = r.clock.Now()
	updated, err := r.store.UpdateOrganisation(ctx, o)
	if err != nil {
		return Organisation{}, err
	}
	r.log.InfoContext(ctx, msg, "org", updated.ID, "version", updated.Version, "actor", actor.String())
	return updated, nil
}

// Organisation returns the organisation with id.
func (r *Registry) Organisation(ctx context.Context, id string) (Organisation, error) {
	return r.store.GetOrganisation(ctx, id)
}

// OrganisationsAt returns the organisations at the node (active ones unless
// [IncludeRetired]), in ID order.
func (r *Registry) OrganisationsAt(ctx context.Context, nodeID string, opts ...ListOption) ([]Organisation, error) {
	orgs, err := r.store.OrganisationsAt(ctx, nodeID, false)
	if err != nil {
		return nil, err
	}
	return activeOrgs(orgs, listOpts(opts)), nil
}

// OrganisationsIn returns the organisations anywhere in the node's subtree (active ones
// unless [IncludeRetired]), in ID order.
func (r *Registry) OrganisationsIn(ctx context.Context, nodeID string, opts ...ListOption) ([]Organisation, error) {
	orgs, err := r.store.OrganisationsAt(ctx, nodeID, true)
	if err != nil {
		return nil, err
	}
	return activeOrgs(orgs, listOpts(opts)), nil
}

// ServedBy returns the organisations (property firms, service centres) that serve the node.
func (r *Registry) ServedBy(ctx context.Context, nodeID string, opts ...ListOption) ([]Organisation, error) {
	orgs, err := r.store.OrganisationsServing(ctx, nodeID, false)
	if err != nil {
		return nil, err
	}
	return activeOrgs(orgs, listOpts(opts)), nil
}

func activeOrgs(orgs []Organisation, o listOptions) []Organisation {
	if o.includeRetired {
		return orgs
	}
	out := orgs[:0]
	for _, org := range orgs {
		if !org.Dissolved {
			out = append(out, org)
		}
	}
	return out
}

// IsRed reports whether an owners' committee or property management committee is "red"
// (红色业委会): its active chair is a Party member. A committee without an active chair is
// not red. gridgov.ErrInvalid for any other kind of organisation.
func (r *Registry) IsRed(ctx context.Context, orgID string) (bool, error) {
	o, err := r.store.GetOrganisation(ctx, orgID)
	if err != nil {
		return false, err
	}
	if o.Kind != OrgOwnersCommittee && o.Kind != OrgManagementCommittee {
		return false, gridgov.Invalid("orgID", "kind",
			fmt.Sprintf("organisation %q is a %s, not an owners' or management committee", orgID, o.Kind),
			fmt.Sprintf("组织“%s”不是业主委员会或物业管理委员会", orgID))
	}
	positions, err := r.store.PositionsIn(ctx, orgID)
	if err != nil {
		return false, err
	}
	return r.redChair(ctx, positions)
}

func (r *Registry) redChair(ctx context.Context, positions []Position) (bool, error) {
	now := r.clock.Now()
	for _, p := range positions {
		if p.Role != RoleChair || !p.Active(now) {
			continue
		}
		person, err := r.store.GetPerson(ctx, p.PersonID)
		if err != nil {
			return false, err
		}
		if person.Party.IsMember() {
			return true, nil
		}
	}
	return false, nil
}
