package governance

import (
	"context"
	"fmt"

	"slices"

	"github.com/gridgov/gridgov"
	"github.com/shopspring/decimal"
)

// Ref names an entity in a report: its identifier and its display name.
type Ref struct {
	ID   string
	Name string
}

// CoverageReport says how completely a subtree is organised (覆盖情况): which compounds have
// an owners' committee, a property management committee or neither; which property firms
// have their own Party branch, an appointed Party-building instructor or neither; which
// compounds have a Party branch; and how far branch and committee members are
// cross-appointed. Lists are in ID order; gaps are listed by name so they can be chased.
type CoverageReport struct {
	// Root is the subtree the report covers.
	Root Ref
	// CompoundLevel is the level key counted as compounds.
	CompoundLevel string

	// Compounds is the number of active compound nodes in the subtree.
	Compounds int
	// WithOwnersCommittee counts compounds with an active owners' committee; Red counts
	// those whose chair is a Party member (红色业委会).
	WithOwnersCommittee int
	RedOwnersCommittees int
	// WithManagementCommittee counts compounds without an owners' committee where a property
	// management committee acts in its place.
	WithManagementCommittee int
	// WithNeither lists the compounds with neither committee.
	WithNeither []Ref

	// Unserved lists the compounds that no active organisation serves (no property firm,
	// service centre or other provider lists them in Serves: [Registry.ServedBy] is empty),
	// the compounds without property management (无物业管理小区) that a district brings
	// under management.
	Unserved []Ref

	// WithPartyBranch counts compounds with an active Party branch of their own (one not
	// hosted by a firm); WithoutPartyBranch lists the others.
	WithPartyBranch    int
	WithoutPartyBranch []Ref

	// Firms is the number of active property firms at or serving nodes of the subtree.
	Firms int
	// FirmsWithBranch counts firms with their own active Party branch; FirmsWithInstructor
	// counts firms without one but with an active Party-building instructor; FirmsWithNeither
	// lists the rest.
	FirmsWithBranch     int
	FirmsWithInstructor int
	FirmsWithNeither    []Ref

	// BranchMembers counts people holding an active position in a compound Party branch;
	// CrossAppointed counts those who also hold one in the same compound's owners' or
	// management committee (双向进入、交叉任职).
	BranchMembers  int
	CrossAppointed int
	// OneShoulder counts compounds whose branch secretary also chairs the committee (一肩挑).
	OneShoulder int
}

// CommitteeCoverage reports whether every compound has an owners' or a management committee.
func (c CoverageReport) CommitteeCoverage() bool { return len(c.WithNeither) == 0 }

// FirmCoverage reports whether every firm has a Party branch or an instructor.
func (c CoverageReport) FirmCoverage() bool { return len(c.FirmsWithNeither) == 0 }

// CrossAppointmentRate is CrossAppointed / BranchMembers rounded half-up to four decimal
// places (0.6250 is 62.5%); zero when there are no branch members.
func (c CoverageReport) CrossAppointmentRate() decimal.Decimal {
	if c.BranchMembers == 0 {
		return decimal.Zero
	}
	return decimal.NewFromInt(int64(c.CrossAppointed)).DivRound(decimal.NewFromInt(int64(c.BranchMembers)), 4)
}

// Coverage builds the [CoverageReport] for the subtree rooted at rootID (the root included).
// Its cost grows with the subtree and what it holds, not with the whole tree. Returns
// gridgov.ErrInvalid when the scheme has no compound level.
func (r *Registry) Coverage(ctx context.Context, rootID string) (CoverageReport, error) {
	compoundLevel, ok := r.scheme.Compound()
	if !ok {
		return CoverageReport{}, gridgov.Invalid("Scheme.CompoundLevel", "compound",
			fmt.Sprintf("scheme %q has no compound level", r.scheme.Name), fmt.Sprintf("层级方案“%s”没有小区层级", r.scheme.Name))
	}
	root, err := r.store.GetNode(ctx, rootID)
	if err != nil {
		return CoverageReport{}, err
	}
	desc, err := r.store.Descendants(ctx, rootID)
	if err != nil {
		return CoverageReport{}, err
	}
	orgs, err := r.store.OrganisationsAt(ctx, rootID, true)
	if err != nil {
		return CoverageReport{}, err
	}
	serving, err := r.store.OrganisationsServing(ctx, rootID, true)
	if err != nil {
		return CoverageReport{}, err
	}
	rep := CoverageReport{Root: Ref{root.ID, root.Name}, CompoundLevel: compoundLevel}

	// Index active organisations of the subtree by node and by host.
	byNode := map[string][]Organisation{}
	hosted := map[string]bool{} // firm ID → has an active hosted Party branch
	firms := map[string]Organisation{}
	for _, list := range [][]Organisation{orgs, serving} {
		for _, o := range list {
			if o.Kind == OrgPropertyFirm && !o.Dissolved {
				firms[o.ID] = o
			}
		}
	}
	for _, o := range orgs {
		if o.Dissolved {
			continue
		}
		byNode[o.NodeID] = append(byNode[o.NodeID], o)
		if o.Kind == OrgPartyBranch && o.HostID != "" {
			hosted[o.HostID] = true
		}
	}
	// A firm at a node outside the subtree may host its branch outside it too.
	for id := range firms {
		if hosted[id] {
			continue
		}
		hs, err := r.store.HostedBy(ctx, id)
		if err != nil {
			return CoverageReport{}, err
		}
		for _, h := range hs {
			if h.Kind == OrgPartyBranch && !h.Dissolved {
				hosted[id] = true
			}
		}
	}

	served := map[string]bool{}
	for _, o := range serving {
		if !o.Dissolved {
			for _, id := range o.Serves {
				served[id] = true
			}
		}
	}
	nodes := append([]Node{root}, desc...)
	for _, n := range nodes {
		if n.Retired || n.Level != compoundLevel {
			continue
		}
		if !served[n.ID] {
			rep.Unserved = append(rep.Unserved, Ref{n.ID, n.Name})
		}
		if err := r.coverCompound(ctx, &rep, n, byNode[n.ID]); err != nil {
			return CoverageReport{}, err
		}
	}
	if err := r.coverFirms(ctx, &rep, firms, hosted); err != nil {
		return CoverageReport{}, err
	}
	return rep, nil
}

func (r *Registry) coverCompound(ctx context.Context, rep *CoverageReport, n Node, orgs []Organisation) error {
	rep.Compounds++
	var owners, mgmt, branch *Organisation
	for i := range orgs {
		o := &orgs[i]
		switch {
		case o.Kind == OrgOwnersCommittee && owners == nil:
			owners = o
		case o.Kind == OrgManagementCommittee && mgmt == nil:
			mgmt = o
		case o.Kind == OrgPartyBranch && o.HostID == "" && branch == nil:
			branch = o
		}
	}
	committee := owners
	switch {
	case owners != nil:
		rep.WithOwnersCommittee++
	case mgmt != nil:
		rep.WithManagementCommittee++
		committee = mgmt
	default:
		rep.WithNeither = append(rep.WithNeither, Ref{n.ID, n.Name})
	}
	var committeePositions []Position
	if committee != nil {
		ps, err := r.store.PositionsIn(ctx, committee.ID)
		if err != nil {
			return err
		}
		committeePositions = r.activePositions(ps, listOptions{})
		if owners != nil {
			red, err := r.redChair(ctx, committeePositions)
			if err != nil {
				return err
			}
			if red {
				rep.RedOwnersCommittees++
			}
		}
	}
	if branch == nil {
		rep.WithoutPartyBranch = append(rep.WithoutPartyBranch, Ref{n.ID, n.Name})
		return nil
	}
	rep.WithPartyBranch++
	ps, err := r.store.PositionsIn(ctx, branch.ID)
	if err != nil {
		return err
	}
	onCommittee := map[string]bool{}
	chairs := map[string]bool{}
	for _, p := range committeePositions {
		onCommittee[p.PersonID] = true
		if p.Role == RoleChair {
			chairs[p.PersonID] = true
		}
	}
	members := map[string]bool{}
	oneShoulder := false
	for _, p := range r.activePositions(ps, listOptions{}) {
		if !members[p.PersonID] {
			members[p.PersonID] = true
			rep.BranchMembers++
			if onCommittee[p.PersonID] {
				rep.CrossAppointed++
			}
		}
		if p.Role == RoleSecretary && chairs[p.PersonID] {
			oneShoulder = true
		}
	}
	if oneShoulder {
		rep.OneShoulder++
	}
	return nil
}

func (r *Registry) coverFirms(ctx context.Context, rep *CoverageReport, firms map[string]Organisation, hosted map[string]bool) error {
	ids := make([]string, 0, len(firms))
	for id := range firms {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	for _, id := range ids {
		rep.Firms++
		if hosted[id] {
			rep.FirmsWithBranch++
			continue
		}
		ps, err := r.store.PositionsIn(ctx, id)
		if err != nil {
			return err
		}
		instructed := false
		for _, p := range r.activePositions(ps, listOptions{}) {
			if p.Role == RoleInstructor {
				instructed = true
				break
			}
		}
		if instructed {
			rep.FirmsWithInstructor++
		} else {
			rep.FirmsWithNeither = append(rep.FirmsWithNeither, Ref{id, firms[id].Name})
		}
	}
	return nil
}
