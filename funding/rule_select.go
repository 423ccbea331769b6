package funding

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"sort"
	"strings"

	"github.com/gridgov/gridgov"
	"github.com/gridgov/gridgov/governance"
)

// planRecipient is one recipient a selector found (kept small: it is sorted and copied
// once per recipient).
type planRecipient struct {
	kind    RecipientKind
	id      string            // node, organisation or person ID
	node    string            // the node the recipient's lines are counted under
	labels  map[string]string // that node's labels (shared with the scope, read only)
	orgID   string            // organisations and persons
	orgName string
	posID   string // persons
	held    Period // the part of the plan's period held (the whole period for nodes and organisations)
}

// nodeID is the node the recipient's lines are counted under.
func (r planRecipient) nodeID() string { return r.node }

// planScope reads governance data for one plan, once per subtree and organisation.
type planScope struct {
	ctx       context.Context
	reg       *governance.Registry
	store     governance.Store
	period    Period
	levelKind map[string]governance.LevelKind
	nodes     map[string]governance.Node           // every node read, by ID
	subtrees  map[string][]string                  // root ("" for all) → node IDs, pre-order
	orgsIn    map[string][]governance.Organisation // root → organisations in the subtree
	positions map[string][]governance.Position     // organisation → positions
	persons   map[string]governance.Person         // read only for Party filters
}

func newPlanScope(ctx context.Context, reg *governance.Registry, period Period) *planScope {
	sc := &planScope{
		ctx: ctx, reg: reg, store: reg.Store(), period: period,
		levelKind: map[string]governance.LevelKind{},
		nodes:     map[string]governance.Node{}, subtrees: map[string][]string{},
		orgsIn:    map[string][]governance.Organisation{},
		positions: map[string][]governance.Position{}, persons: map[string]governance.Person{},
	}
	for _, l := range reg.Scheme().Levels {
		sc.levelKind[l.Key] = l.Kind
	}
	return sc
}

// checkSelector records on verr what the registry says is wrong with s: an unknown level,
// level kind or subtree root.
func (sc *planScope) checkSelector(verr *gridgov.ValidationError, prefix string, s Selector) error {
	f := prefix + "Recipients."
	if s.Level != "" {
		if _, ok := sc.levelKind[s.Level]; !ok {
			verr.Add(f+"Level", "level", fmt.Sprintf("%sLevel %q is not a level of the registry's scheme", f, s.Level),
				fmt.Sprintf("%sLevel“%s”不是登记簿层级方案中的层级", f, s.Level))
		}
	}
	if s.LevelKind != "" {
		found := false
		for _, k := range sc.levelKind {
			found = found || k == s.LevelKind
		}
		if !found {
			verr.Add(f+"LevelKind", "level", fmt.Sprintf("%sLevelKind %q is the kind of no level of the registry's scheme", f, s.LevelKind),
				fmt.Sprintf("%sLevelKind“%s”不是登记簿层级方案中任何层级的类型", f, s.LevelKind))
		}
	}
	if s.Within != "" && gridgov.ValidID(s.Within) {
		if _, err := sc.node(s.Within); err != nil {
			if !errors.Is(err, gridgov.ErrNotFound) {
				return err
			}
			verr.Add(f+"Within", "exists", fmt.Sprintf("%sWithin: node %q does not exist", f, s.Within),
				fmt.Sprintf("%sWithin：节点“%s”不存在", f, s.Within))
		}
	}
	return nil
}

func (sc *planScope) node(id string) (governance.Node, error) {
	if n, ok := sc.nodes[id]; ok {
		return n, nil
	}
	n, err := sc.store.GetNode(sc.ctx, id)
	if err != nil {
		return governance.Node{}, err
	}
	sc.nodes[id] = n
	return n, nil
}

// roots returns the subtree roots of a selector: Within, or every root.
func (sc *planScope) roots(within string) ([]string, error) {
	if within != "" {
		return []string{within}, nil
	}
	roots, err := sc.store.Children(sc.ctx, "")
	if err != nil {
		return nil, err
	}
	ids := make([]string, len(roots))
	for i, r := range roots {
		sc.nodes[r.ID] = r
		ids[i] = r.ID
	}
	return ids, nil
}

// subtree returns the node IDs of within's subtree (itself first), or of every tree.
func (sc *planScope) subtree(within string) ([]string, error) {
	if ids, ok := sc.subtrees[within]; ok {
		return ids, nil
	}
	roots, err := sc.roots(within)
	if err != nil {
		return nil, err
	}
	var ids []string
	for _, root := range roots {
		n, err := sc.node(root)
		if err != nil {
			return nil, err
		}
		desc, err := sc.store.Descendants(sc.ctx, root)
		if err != nil {
			return nil, err
		}
		if len(sc.nodes) < len(desc) {
			grown := make(map[string]governance.Node, len(sc.nodes)+len(desc)+1)
			maps.Copy(grown, sc.nodes)
			sc.nodes = grown
		}
		ids = slices.Grow(ids, len(desc)+1)
		ids = append(ids, n.ID)
		for _, d := range desc {
			sc.nodes[d.ID] = d
			ids = append(ids, d.ID)
		}
	}
	sc.subtrees[within] = ids
	return ids, nil
}

// orgs returns the organisations of within's subtree (dissolved ones included), by ID.
func (sc *planScope) orgs(within string) ([]governance.Organisation, error) {
	if orgs, ok := sc.orgsIn[within]; ok {
		return orgs, nil
	}
	if _, err := sc.subtree(within); err != nil { // reads the nodes the filters look at
		return nil, err
	}
	roots, err := sc.roots(within)
	if err != nil {
		return nil, err
	}
	var orgs []governance.Organisation
	for _, root := range roots {
		o, err := sc.store.OrganisationsAt(sc.ctx, root, true)
		if err != nil {
			return nil, err
		}
		orgs = append(orgs, o...)
	}
	if len(roots) > 1 {
		sort.Slice(orgs, func(i, j int) bool { return orgs[i].ID < orgs[j].ID })
	}
	if len(sc.positions) == 0 && len(orgs) > 0 {
		sc.positions = make(map[string][]governance.Position, len(orgs))
	}
	sc.orgsIn[within] = orgs
	return orgs, nil
}

func (sc *planScope) positionsIn(orgID string) ([]governance.Position, error) {
	if ps, ok := sc.positions[orgID]; ok {
		return ps, nil
	}
	ps, err := sc.store.PositionsIn(sc.ctx, orgID)
	if err != nil {
		return nil, err
	}
	sc.positions[orgID] = ps
	return ps, nil
}

func (sc *planScope) person(id string) (governance.Person, error) {
	if p, ok := sc.persons[id]; ok {
		return p, nil
	}
	p, err := sc.store.GetPerson(sc.ctx, id)
	if err != nil {
		return governance.Person{}, err
	}
	sc.persons[id] = p
	return p, nil
}

// nodeMatches applies the node filters of s to n.
func (sc *planScope) nodeMatches(s Selector, n governance.Node) bool {
	if s.Level != "" && n.Level != s.Level {
		return false
	}
	if s.LevelKind != "" && sc.levelKind[n.Level] != s.LevelKind {
		return false
	}
	for k, v := range s.Labels {
		if got, ok := n.Labels[k]; !ok || got != v {
			return false
		}
	}
	return true
}

// orgMatches applies the organisation filters of s to o.
func orgMatches(s Selector, o governance.Organisation) bool {
	if len(s.OrgKinds) > 0 && !slices.Contains(s.OrgKinds, o.Kind) {
		return false
	}
	if len(s.OrgNameContains) > 0 && !slices.ContainsFunc(s.OrgNameContains, func(part string) bool {
		return strings.Contains(o.Name, part)
	}) {
		return false
	}
	return true
}

// selectRecipients returns the recipients of s for the plan's period, ordered by node ID,
// recipient ID and position ID.
func (sc *planScope) selectRecipients(s Selector) ([]planRecipient, error) {
	var out []planRecipient
	switch s.Kind {
	case RecipientNode:
		ids, err := sc.subtree(s.Within)
		if err != nil {
			return nil, err
		}
		out = make([]planRecipient, 0, len(ids)/4)
		for _, id := range ids {
			n := sc.nodes[id]
			if !n.Retired && sc.nodeMatches(s, n) {
				out = append(out, planRecipient{kind: RecipientNode, id: n.ID, node: n.ID, labels: n.Labels, held: sc.period})
			}
		}
	case RecipientOrganisation, RecipientPerson:
		orgs, err := sc.orgs(s.Within)
		if err != nil {
			return nil, err
		}
		out = make([]planRecipient, 0, len(orgs))
		for i, o := range orgs {
			if i%1024 == 0 {
				if err := sc.ctx.Err(); err != nil {
					return nil, err
				}
			}
			if !orgMatches(s, o) {
				continue
			}
			n, err := sc.node(o.NodeID)
			if err != nil {
				return nil, err
			}
			if n.Retired || !sc.nodeMatches(s, n) {
				continue
			}
			if s.Kind == RecipientOrganisation {
				if !o.Dissolved {
					out = append(out, planRecipient{kind: RecipientOrganisation, id: o.ID, node: n.ID, labels: n.Labels,
						orgID: o.ID, orgName: o.Name, held: sc.period})
				}
				continue
			}
			found, err := sc.positionsOf(s, o, n)
			if err != nil {
				return nil, err
			}
			out = append(out, found...)
		}
	}
	slices.SortStableFunc(out, func(a, b planRecipient) int {
		if c := strings.Compare(a.node, b.node); c != 0 {
			return c
		}
		if c := strings.Compare(a.id, b.id); c != 0 {
			return c
		}
		return strings.Compare(a.posID, b.posID)
	})
	return out, nil
}

// positionsOf returns the recipients holding positions in o that s selects and that were
// held at some time in the plan's period.
func (sc *planScope) positionsOf(s Selector, o governance.Organisation, n governance.Node) ([]planRecipient, error) {
	ps, err := sc.positionsIn(o.ID)
	if err != nil {
		return nil, err
	}
	var out []planRecipient
	for _, p := range ps {
		if len(s.Roles) > 0 && !slices.Contains(s.Roles, p.Role) {
			continue
		}
		held := heldPeriod(sc.period, p.Since, p.Ended, p.Until)
		if !held.Valid() {
			continue
		}
		if len(s.Party) > 0 {
			person, err := sc.person(p.PersonID)
			if err != nil {
				return nil, err
			}
			if !slices.Contains(s.Party, person.Party) {
				continue
			}
		}
		out = append(out, planRecipient{kind: RecipientPerson, id: p.PersonID, node: n.ID, labels: n.Labels,
			orgID: o.ID, orgName: o.Name, posID: p.ID, held: held})
	}
	return out, nil
}
