package memory

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/gridgov/gridgov"
	"github.com/gridgov/gridgov/governance"
)

// CreateOrganisation stores o with Version 1. See governance.OrganisationStore.
func (s *GovernanceStore) CreateOrganisation(ctx context.Context, o governance.Organisation) (governance.Organisation, error) {
	unlock, err := s.lockWrite(ctx)
	if err != nil {
		return governance.Organisation{}, err
	}
	defer unlock()
	verr := &gridgov.ValidationError{}
	requireID(verr, "ID", o.ID)
	if err := verr.Err(); err != nil {
		return governance.Organisation{}, err
	}
	if _, ok := s.orgs[o.ID]; ok {
		return governance.Organisation{}, gridgov.AlreadyExists("ID", o.ID)
	}
	node := s.nodes[o.NodeID]
	switch {
	case node == nil:
		missingRef(verr, "NodeID", entNode, o.NodeID)
	case node.retired:
		verr.Add("NodeID", "active",
			fmt.Sprintf("NodeID %q names a retired node", o.NodeID),
			fmt.Sprintf("所在节点“%s”已撤销", o.NodeID))
	}
	host := s.checkHost(verr, o)
	served := s.checkServes(verr, o.Serves)
	if err := verr.Err(); err != nil {
		return governance.Organisation{}, err
	}

	o = o.Clone()
	o.Version = 1
	rec := &orgRec{org: o}
	s.orgs[o.ID] = rec
	idx := node.orgIndex()
	idx.at = insertByID(idx.at, rec, (*orgRec).id)
	if host != nil {
		host.hosted = insertByID(host.hosted, rec, (*orgRec).id)
	}
	for _, n := range served {
		idx := n.orgIndex()
		idx.servedBy = insertByID(idx.servedBy, rec, (*orgRec).id)
	}
	return o.Clone(), nil
}

// UpdateOrganisation replaces the organisation o.ID with o under the version rule, keeping
// NodeID, Kind and CreatedAt. See governance.OrganisationStore.
func (s *GovernanceStore) UpdateOrganisation(ctx context.Context, o governance.Organisation) (governance.Organisation, error) {
	unlock, err := s.lockWrite(ctx)
	if err != nil {
		return governance.Organisation{}, err
	}
	defer unlock()
	rec := s.orgs[o.ID]
	if rec == nil {
		return governance.Organisation{}, notFound(entOrganisation, o.ID)
	}
	old := rec.org
	if o.Version != old.Version {
		return governance.Organisation{}, conflict(entOrganisation, o.ID, o.Version, old.Version)
	}
	verr := &gridgov.ValidationError{}
	host := s.checkHost(verr, o)
	served := s.checkServes(verr, o.Serves)
	switch {
	case old.Dissolved && !o.Dissolved:
		verr.Add("Dissolved", "final",
			fmt.Sprintf("organisation %q is dissolved; dissolution is final", o.ID),
			fmt.Sprintf("组织“%s”已撤销，撤销不可恢复", o.ID))
	case !old.Dissolved && o.Dissolved && rec.open > 0:
		verr.Add("Dissolved", "no_open_position",
			fmt.Sprintf("organisation %q still has %d position(s) that have not ended", o.ID, rec.open),
			fmt.Sprintf("组织“%s”仍有%d个未离任的任职", o.ID, rec.open))
	}
	if err := verr.Err(); err != nil {
		return governance.Organisation{}, err
	}

	o = o.Clone()
	o.NodeID, o.Kind, o.CreatedAt = old.NodeID, old.Kind, old.CreatedAt
	o.Version = old.Version + 1
	if o.HostID != old.HostID {
		if oldHost := s.orgs[old.HostID]; oldHost != nil {
			oldHost.hosted = removeByID(oldHost.hosted, rec, (*orgRec).id)
		}
		if host != nil {
			host.hosted = insertByID(host.hosted, rec, (*orgRec).id)
		}
	}
	if !slices.Equal(o.Serves, old.Serves) {
		for _, n := range s.servedNodes(old.Serves) {
			idx := n.orgIndex()
			idx.servedBy = removeByID(idx.servedBy, rec, (*orgRec).id)
		}
		for _, n := range served {
			idx := n.orgIndex()
			idx.servedBy = insertByID(idx.servedBy, rec, (*orgRec).id)
		}
	}
	rec.org = o
	return o.Clone(), nil
}

// GetOrganisation returns the organisation with id. See governance.OrganisationStore.
func (s *GovernanceStore) GetOrganisation(ctx context.Context, id string) (governance.Organisation, error) {
	unlock, err := s.lockRead(ctx)
	if err != nil {
		return governance.Organisation{}, err
	}
	defer unlock()
	rec := s.orgs[id]
	if rec == nil {
		return governance.Organisation{}, notFound(entOrganisation, id)
	}
	return rec.org.Clone(), nil
}

// OrganisationsAt returns the organisations at nodeID or, with subtree, anywhere in its
// subtree, in ascending ID order: O(subtree + result). See governance.OrganisationStore.
func (s *GovernanceStore) OrganisationsAt(ctx context.Context, nodeID string, subtree bool) ([]governance.Organisation, error) {
	unlock, err := s.lockRead(ctx)
	if err != nil {
		return nil, err
	}
	defer unlock()
	rec := s.nodes[nodeID]
	if rec == nil {
		return nil, notFound(entNode, nodeID)
	}
	if !subtree {
		return cloneOrgs(rec.orgsAt()), nil
	}
	var found []*orgRec
	walkSubtree(rec, func(r *nodeRec) { found = append(found, r.orgsAt()...) })
	sortOrgs(found)
	return cloneOrgs(found), nil
}

// OrganisationsServing returns the organisations whose Serves lists nodeID or, with
// subtree, any node of its subtree, each once, in ascending ID order: O(subtree + result).
// See governance.OrganisationStore.
func (s *GovernanceStore) OrganisationsServing(ctx context.Context, nodeID string, subtree bool) ([]governance.Organisation, error) {
	unlock, err := s.lockRead(ctx)
	if err != nil {
		return nil, err
	}
	defer unlock()
	rec := s.nodes[nodeID]
	if rec == nil {
		return nil, notFound(entNode, nodeID)
	}
	if !subtree {
		return cloneOrgs(rec.servedBy()), nil
	}
	var found []*orgRec
	walkSubtree(rec, func(r *nodeRec) { found = append(found, r.servedBy()...) })
	sortOrgs(found)
	found = slices.Compact(found) // an organisation serving several nodes of the subtree
	return cloneOrgs(found), nil
}

// HostedBy returns the organisations whose HostID is orgID, in ascending ID order. See
// governance.OrganisationStore.
func (s *GovernanceStore) HostedBy(ctx context.Context, orgID string) ([]governance.Organisation, error) {
	unlock, err := s.lockRead(ctx)
	if err != nil {
		return nil, err
	}
	defer unlock()
	rec := s.orgs[orgID]
	if rec == nil {
		return nil, notFound(entOrganisation, orgID)
	}
	return cloneOrgs(rec.hosted), nil
}

// checkHost records on verr a HostID that names no organisation (or the organisation
// itself) and returns the host's record otherwise (nil for no host).
func (s *GovernanceStore) checkHost(verr *gridgov.ValidationError, o governance.Organisation) *orgRec {
	if o.HostID == "" {
		return nil
	}
	if o.HostID == o.ID {
		verr.Add("HostID", "not_self",
			fmt.Sprintf("organisation %q cannot host itself", o.ID),
			fmt.Sprintf("组织“%s”不能设立在自身之内", o.ID))
		return nil
	}
	host := s.orgs[o.HostID]
	if host == nil {
		missingRef(verr, "HostID", entOrganisation, o.HostID)
	}
	return host
}

// checkServes records on verr every entry of serves that names no node and returns the
// records of the nodes served, each once.
func (s *GovernanceStore) checkServes(verr *gridgov.ValidationError, serves []string) []*nodeRec {
	out := make([]*nodeRec, 0, len(serves))
	for i, id := range serves {
		n := s.nodes[id]
		if n == nil {
			missingRef(verr, fmt.Sprintf("Serves[%d]", i), entNode, id)
			continue
		}
		if !slices.Contains(out, n) {
			out = append(out, n)
		}
	}
	return out
}

// servedNodes returns the records of the nodes serves names, each once (every entry of a
// stored Serves names a node).
func (s *GovernanceStore) servedNodes(serves []string) []*nodeRec {
	return s.checkServes(&gridgov.ValidationError{}, serves)
}

func sortOrgs(list []*orgRec) {
	slices.SortFunc(list, func(a, b *orgRec) int { return strings.Compare(a.org.ID, b.org.ID) })
}

func cloneOrgs(list []*orgRec) []governance.Organisation {
	out := make([]governance.Organisation, len(list))
	for i, r := range list {
		out[i] = r.org.Clone()
	}
	return out
}
