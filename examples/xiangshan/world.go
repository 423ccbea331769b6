package main

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"time"

	"github.com/gridgov/gridgov"
	"github.com/gridgov/gridgov/examples/internal/sim"
	"github.com/gridgov/gridgov/governance"
	"github.com/gridgov/gridgov/store/memory"
)

// The Xiangshan figures at -scale 1 (DESIGN.md §2); every one is multiplied by -scale.
const (
	baseCompounds   = 292 // compound/grid Party organisations (小区（网格）党组织)
	baseRed         = 249 // red owners' committees (红色业委会); the other 43 have a management committee
	baseFirms       = 81  // property firms (物业企业)
	baseFirmBranch  = 34  // firms with their own Party branch; the other 47 have an instructor
	basePoorFirms   = 16  // firms run badly enough to be cleared (the published 16)
	baseStreets     = 4   // streets (街道)
	commsPerStreet  = 5   // communities per street (社区)
	residentsPerCpd = 4   // residents per compound who file complaints
)

// scheme is the Xiangshan three-level Party organisation (community → compound/grid →
// building, governance.ThreeLevelXiangshan) with the district and the street on top, so
// that the same tree carries the building → grid → community → street ladder: the
// compound level is the grid (小区即网格).
func scheme() governance.Scheme {
	s := governance.ThreeLevelXiangshan()
	s.Name = "xiangshan-district"
	s.Levels = append([]governance.Level{
		{Key: "district", Kind: governance.KindDistrict, NameZH: "区", NameEN: "district"},
		{Key: "street", Kind: governance.KindStreet, NameZH: "街道", NameEN: "street"},
	}, s.Levels...)
	return s
}

// quality is how well a property firm runs its compounds; it drives the marks, the surveys
// and the residents' ratings the simulation draws.
type quality int

// The qualities of a firm (and, in the evaluation, of a committee).
const (
	good quality = iota
	fair
	poor
)

// compound is one compound (grid) and the people who act for it.
type compound struct {
	id, name   string
	community  int      // index into world.communities
	buildings  []string // building node IDs
	branch     string   // compound Party branch
	committee  string   // owners' committee or property management committee
	red        bool     // owners' committee (red) rather than management committee
	secretary  string   // branch secretary (网格召集人)
	chair      string   // committee chair
	gridWorker string   // grid worker of the compound's service station
	members    []string // branch and committee members who earn grid points
	residents  []string // residents who file complaints
	firm       int      // index into world.firms
}

// community is one community and its office holders.
type community struct {
	id, name  string
	street    int
	party     string // community Party committee
	secretary string // its secretary (evaluates committees; verifies community matters)
	chair     string // residents' committee chair (handles community-tier matters)
}

// street is one street office and its office holders.
type street struct {
	id, name  string
	secretary string // Party working committee secretary (handles, whistles)
	deputy    string // deputy secretary (verifies)
}

// firm is a property firm.
type firm struct {
	id, name string
	branch   bool // its own Party branch (else an instructor)
	quality  quality
}

// world is the built district.
type world struct {
	reg         *governance.Registry
	root        string
	authority   string // the district housing bureau (物业主管部门)
	streets     []street
	communities []community
	compounds   []compound
	firms       []firm
}

// admin builds the world.
var admin = gridgov.SystemActor("xiangshan-setup")

// buildWorld builds the district on the memory store: streets, communities, compounds with
// buildings, Party organisations, committees, firms and the people in them. The tree is
// dated the June before the simulated year.
func buildWorld(ctx context.Context, rng *rand.Rand, year, scale int) (*world, error) {
	clock := gridgov.NewFakeClock(time.Date(year-1, 6, 1, 9, 0, 0, 0, sim.CST))
	reg, err := governance.NewRegistry(memory.NewGovernanceStore(), governance.WithScheme(scheme()),
		governance.WithClock(clock), governance.WithIDs(gridgov.NewSequence("x")))
	if err != nil {
		return nil, err
	}
	w := &world{reg: reg, root: "xs", authority: "xs-housing"}
	b := &builder{Builder: sim.Builder{Ctx: ctx, Reg: reg, Actor: admin}, rng: rng}
	b.node("xs", "", "district", "相山区")
	b.org(w.authority, "xs", governance.OrgDistrictDepartment, "区住房和城乡建设局")

	for i := 0; i < baseStreets*scale; i++ {
		st := street{id: fmt.Sprintf("st%02d", i), name: fmt.Sprintf("相山第%d街道", i+1)}
		b.node(st.id, "xs", "street", st.name)
		pwc := b.org(st.id+"-pwc", st.id, governance.OrgPartyWorkingCommittee, st.name+"党工委")
		st.secretary = b.person(st.id+"-sec", st.id, governance.PartyInService)
		b.appoint(st.secretary, pwc, governance.RoleSecretary)
		st.deputy = b.person(st.id+"-dep", st.id, governance.PartyInService)
		b.appoint(st.deputy, pwc, governance.RoleDeputySecretary)
		w.streets = append(w.streets, st)
		for j := 0; j < commsPerStreet; j++ {
			c := community{id: fmt.Sprintf("%s-c%d", st.id, j), name: fmt.Sprintf("%s第%d社区", st.name, j+1), street: i}
			b.node(c.id, st.id, "community", c.name)
			c.party = b.org(c.id+"-pc", c.id, governance.OrgPartyCommittee, c.name+"党委")
			rc := b.org(c.id+"-rc", c.id, governance.OrgResidentsCommittee, c.name+"居委会")
			c.secretary = b.person(c.id+"-sec", c.id, governance.PartyInService)
			b.appoint(c.secretary, c.party, governance.RoleSecretary)
			c.chair = b.person(c.id+"-chair", c.id, governance.PartyInService)
			b.appoint(c.chair, rc, governance.RoleChair)
			w.communities = append(w.communities, c)
		}
	}

	// Compounds, spread over the communities (each community gets at least one), each with
	// buildings led by a building Party group (楼栋党小组), a compound Party branch, a service
	// station with a grid worker, and either a red owners' committee or a property
	// management committee acting in its place.
	w.compounds = make([]compound, baseCompounds*scale)
	for k := range w.compounds {
		ci := rng.IntN(len(w.communities))
		if k < len(w.communities) {
			ci = k
		}
		comm := w.communities[ci]
		cp := compound{id: fmt.Sprintf("%s-k%04d", comm.id, k), name: sim.CompoundName(k), community: ci}
		b.node(cp.id, comm.id, "compound", cp.name)
		for u := 0; u < 3+rng.IntN(6); u++ {
			bid := fmt.Sprintf("%s-b%d", cp.id, u)
			b.node(bid, cp.id, "building", fmt.Sprintf("%s%d号楼", cp.name, u+1))
			group := b.org(bid+"-pg", bid, governance.OrgPartyGroup, fmt.Sprintf("%d号楼党小组", u+1))
			b.appoint(b.person(bid+"-lead", bid, governance.PartyRetired), group, governance.RoleBuildingLeader)
			cp.buildings = append(cp.buildings, bid)
		}
		station := b.org(cp.id+"-ss", cp.id, governance.OrgServiceStation, cp.name+"网格服务站")
		cp.gridWorker = b.person(cp.id+"-gw", cp.id, governance.NotPartyMember)
		b.appoint(cp.gridWorker, station, governance.RoleGridWorker)
		for r := 0; r < residentsPerCpd; r++ {
			cp.residents = append(cp.residents, b.person(fmt.Sprintf("%s-r%d", cp.id, r), cp.buildings[r%len(cp.buildings)], governance.NotPartyMember))
		}
		w.compounds[k] = cp
	}
	// Which compounds have a red owners' committee is drawn; the count is exact.
	order := rng.Perm(len(w.compounds))
	for rank, k := range order {
		cp := &w.compounds[k]
		cp.red = rank < baseRed*scale
		cp.branch = b.org(cp.id+"-pb", cp.id, governance.OrgPartyBranch, cp.name+"党支部")
		kind, name := governance.OrgOwnersCommittee, "业主委员会"
		if !cp.red {
			kind, name = governance.OrgManagementCommittee, "物业管理委员会"
		}
		cp.committee = b.org(cp.id+"-cm", cp.id, kind, cp.name+name)
		cp.secretary = b.person(cp.id+"-sec", cp.id, governance.PartyRetired)
		b.appoint(cp.secretary, cp.branch, governance.RoleSecretary)
		// The chair of a red owners' committee is a Party member; in about a third of the
		// compounds the branch secretary chairs the committee himself (一肩挑).
		switch {
		case rng.IntN(3) == 0:
			cp.chair = cp.secretary
		case cp.red:
			cp.chair = b.person(cp.id+"-chair", cp.id, governance.PartyResident)
		default:
			cp.chair = b.person(cp.id+"-chair", cp.id, governance.NotPartyMember)
		}
		b.appoint(cp.chair, cp.committee, governance.RoleChair)
		cp.members = append(cp.members, cp.secretary)
		if cp.chair != cp.secretary {
			cp.members = append(cp.members, cp.chair)
		}
		// Two-way entry, cross-appointment (双向进入、交叉任职): about two in five branch
		// members also sit on the committee.
		for m := 0; m < 2+rng.IntN(3); m++ {
			member := b.person(fmt.Sprintf("%s-m%d", cp.id, m), cp.id, governance.PartyRetired)
			b.appoint(member, cp.branch, governance.RoleMember)
			if rng.IntN(5) < 2 {
				b.appoint(member, cp.committee, governance.RoleMember)
			}
			cp.members = append(cp.members, member)
		}
	}

	// Property firms registered at streets, each serving every 81st compound of a shuffled
	// list; 34 with their own Party branch, the rest covered by an instructor the street
	// appoints (党建指导员). 16 are run badly (they will be flagged for clearance), about a
	// third fairly, the rest well.
	served := rng.Perm(len(w.compounds))
	firmQuality := rng.Perm(baseFirms * scale)
	for f := 0; f < baseFirms*scale; f++ {
		st := w.streets[f%len(w.streets)]
		fm := firm{id: fmt.Sprintf("firm%03d", f), name: fmt.Sprintf("物业公司%03d", f+1), branch: f < baseFirmBranch*scale}
		switch q := firmQuality[f]; {
		case q < basePoorFirms*scale:
			fm.quality = poor
		case q < (basePoorFirms+27)*scale:
			fm.quality = fair
		}
		var serves []string
		for i := f; i < len(served); i += baseFirms * scale {
			w.compounds[served[i]].firm = f
			serves = append(serves, w.compounds[served[i]].id)
		}
		slices.Sort(serves)
		b.orgIn(governance.OrganisationInput{ID: fm.id, NodeID: st.id, Kind: governance.OrgPropertyFirm, Name: fm.name, Serves: serves})
		if fm.branch {
			b.orgIn(governance.OrganisationInput{ID: fm.id + "-pb", NodeID: st.id, Kind: governance.OrgPartyBranch, Name: fm.name + "党支部", HostID: fm.id})
		} else {
			b.appoint(b.person(fm.id+"-ins", st.id, governance.PartyInService), fm.id, governance.RoleInstructor)
		}
		w.firms = append(w.firms, fm)
	}
	return w, b.Err()
}

// builder adds entities as the admin actor, keeping the first error (sim.Builder) so the
// build reads as a script, with shorthand for what Xiangshan adds most.
type builder struct {
	sim.Builder
	rng *rand.Rand
}

// node adds a node.
func (b *builder) node(id, parent, level, name string) {
	b.Node(governance.NodeInput{ID: id, ParentID: parent, Level: level, Name: name})
}

// org adds an organisation and returns its ID.
func (b *builder) org(id, node string, kind governance.OrgKind, name string) string {
	return b.orgIn(governance.OrganisationInput{ID: id, NodeID: node, Kind: kind, Name: name})
}

// orgIn adds the organisation in and returns its ID.
func (b *builder) orgIn(in governance.OrganisationInput) string {
	b.Org(in)
	return in.ID
}

// person adds a person with a generated name and phone; the names are drawn even after an
// error so that the sequence of draws does not depend on it.
func (b *builder) person(id, home string, party governance.PartyCategory) string {
	name, phone := sim.PersonName(b.rng), sim.Phone(b.rng)
	b.Person(governance.PersonInput{ID: id, Name: name, Phone: phone, Party: party, HomeNodeID: home})
	return id
}

// appoint gives person a role in org.
func (b *builder) appoint(person, org string, role governance.Role) {
	b.Appoint(governance.AppointInput{PersonID: person, OrgID: org, Role: role})
}
