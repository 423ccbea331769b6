package main

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"strconv"

	"github.com/gridgov/gridgov"
	"github.com/gridgov/gridgov/examples/internal/sim"
	"github.com/gridgov/gridgov/governance"
	"github.com/gridgov/gridgov/store/memory"
)

// size is the district's population and its special fund: -scale multiplies them.
type size struct {
	Streets, Communities, Compounds, Firms, Complaints int
	Budget                                             int64 // yuan
}

// sizeFor returns the population at scale: at scale 1 about 6 streets, 42 communities,
// 300 compounds, 70 property firms, 7,000 complaints a year and the ¥4,000,000 special
// fund of Jiaocheng.
func sizeFor(scale int) size {
	return size{Streets: 6 * scale, Communities: 42 * scale, Compounds: 300 * scale, Firms: 70 * scale, Complaints: 7000 * scale,
		Budget: 4_000_000 * int64(scale)}
}

// scheme is the district on top of the street → community → compound → grid → building
// ladder: the four-level ladder of the presets with the compound (小区) between community
// and grid, so that compounds hold their grids and the ladder has five rungs.
func scheme() governance.Scheme {
	l := governance.FourLevelLadder()
	return governance.Scheme{Name: "district-ladder", Levels: []governance.Level{
		{Key: "district", Kind: governance.KindDistrict, NameZH: "区", NameEN: "district"},
		l.Levels[0], l.Levels[1],
		{Key: "compound", Kind: governance.KindCompound, NameZH: "小区", NameEN: "compound"},
		l.Levels[2], l.Levels[3],
	}}
}

// compound is one residential compound (小区) and what the simulation needs to know of it.
type compound struct {
	ID, Community, Street string
	Households            int
	Grids                 []grid
	Buildings             []string // every building, for drawing where a matter is
	Firm                  int      // index into world.Firms
	Branch, Secretary     string   // the compound Party branch (党支部) and its secretary
	Committee, Chair      string   // the owners' or management committee and its chair
	Managed               bool     // a property management committee acts in place of an owners' committee
	CommitteeQuality      float64  // how well the committee works, 0..1 (drives its evaluation)
	comm, st              int      // indices of its community and street
}

// grid is one grid (网格) with its service station's grid worker (网格员).
type grid struct{ ID, Worker string }

// community is one community (社区) with its Party committee secretary and residents'
// committee chair.
type community struct {
	ID, Street, Name string
	Secretary, Chair string
	Compounds        []int
	Households       int
	Pilot            bool
}

// street is one street office (街道) with its Party working committee.
type street struct {
	ID, Name, Secretary, Deputy string
}

// firm is one property firm (物业企业), registered at a street.
type firm struct {
	ID, Street, Name string
	Quality          float64 // service quality 0..1: drives lateness, ratings and surveys
	Branch           bool    // has its own Party branch (else an instructor)
}

// world is the district's organisation tree and the cast of the year.
type world struct {
	size                size
	clock               *gridgov.FakeClock
	reg                 *governance.Registry
	District            string
	Approver            string // the district Party committee secretary, who approves funds
	Authority           string // the district housing bureau (区住建局), the property authority
	Streets             []street
	Communities         []community
	Compounds           []compound
	Firms               []firm
	nodes, orgs, people int
}

// admin is the system actor that sets the district up.
var admin = gridgov.SystemActor("district-setup")

// buildWorld builds the district on the memory store, drawing from r.
func buildWorld(ctx context.Context, sz size, year int, r *rand.Rand) (*world, error) {
	clock := gridgov.NewFakeClock(sim.YearStart(year).AddDate(0, -1, 0))
	reg, err := governance.NewRegistry(memory.NewGovernanceStore(), governance.WithScheme(scheme()),
		governance.WithClock(clock), governance.WithIDs(gridgov.NewSequence("gv")))
	if err != nil {
		return nil, err
	}
	w := &world{size: sz, clock: clock, reg: reg, District: "d", Approver: "d-sec", Authority: "housing"}
	b := &builder{Builder: sim.Builder{Ctx: ctx, Reg: reg, Actor: admin}, w: w}
	b.node("d", "", "district", "示范区")
	b.org("d-pc", "d", governance.OrgPartyCommittee, "区委")
	b.hold("d-sec", "d", "d-pc", governance.RoleSecretary, governance.PartyInService)
	b.org(w.Authority, "d", governance.OrgDistrictDepartment, "区住房和城乡建设局")

	for s := range sz.Streets {
		st := street{ID: fmt.Sprintf("s%02d", s+1), Name: fmt.Sprintf("第%d街道", s+1)}
		st.Secretary, st.Deputy = st.ID+"-sec", st.ID+"-dep"
		b.node(st.ID, "d", "street", st.Name)
		b.org(st.ID+"-pw", st.ID, governance.OrgPartyWorkingCommittee, st.Name+"党工委")
		b.hold(st.Secretary, st.ID, st.ID+"-pw", governance.RoleSecretary, governance.PartyInService)
		b.hold(st.Deputy, st.ID, st.ID+"-pw", governance.RoleDeputySecretary, governance.PartyInService)
		// A retired members' Party branch (离退休党员支部) whose committee of five shares a
		// capped allowance.
		b.org(st.ID+"-rb", st.ID, governance.OrgPartyBranch, st.Name+"离退休党员支部")
		for i, role := range []governance.Role{governance.RoleSecretary, governance.RoleDeputySecretary,
			governance.RoleMember, governance.RoleMember, governance.RoleMember} {
			b.hold(fmt.Sprintf("%s-rb%d", st.ID, i+1), st.ID, st.ID+"-rb", role, governance.PartyRetired)
		}
		w.Streets = append(w.Streets, st)
	}
	for c := range sz.Communities {
		s := c * sz.Streets / sz.Communities
		cm := community{ID: fmt.Sprintf("%sc%02d", w.Streets[s].ID, c+1), Street: w.Streets[s].ID,
			Name: fmt.Sprintf("第%d社区", c+1), Pilot: c%3 == 0}
		cm.Secretary, cm.Chair = cm.ID+"-sec", cm.ID+"-chair"
		w.Communities = append(w.Communities, cm)
	}
	// Compounds over communities: every community one, the rest at random.
	for k := range sz.Compounds {
		c := k
		if k >= sz.Communities {
			c = r.IntN(sz.Communities)
		}
		households := 200 + r.IntN(1300)
		w.Compounds = append(w.Compounds, compound{ID: fmt.Sprintf("k%04d", k+1), Community: w.Communities[c].ID,
			Street: w.Communities[c].Street, comm: c, st: c * sz.Streets / sz.Communities, Households: households, Managed: r.IntN(100) < 15,
			CommitteeQuality: 0.3 + 0.7*r.Float64()})
		w.Communities[c].Compounds = append(w.Communities[c].Compounds, k)
		w.Communities[c].Households += households
	}
	for c := range w.Communities {
		cm := &w.Communities[c]
		labels := map[string]string{"households": strconv.Itoa(cm.Households)}
		if cm.Pilot {
			labels["pilot"] = "true"
		}
		b.nodeLabels(cm.ID, cm.Street, "community", cm.Name, labels)
		b.org(cm.ID+"-pc", cm.ID, governance.OrgPartyCommittee, cm.Name+"党委")
		b.hold(cm.Secretary, cm.ID, cm.ID+"-pc", governance.RoleSecretary, governance.PartyInService)
		b.org(cm.ID+"-rc", cm.ID, governance.OrgResidentsCommittee, cm.Name+"居委会")
		b.hold(cm.Chair, cm.ID, cm.ID+"-rc", governance.RoleChair, governance.PartyInService)
	}
	for k := range w.Compounds {
		b.compound(k, r)
	}
	b.firms(r)
	return w, b.Err()
}

// compound adds compound k with its grids, buildings, Party branch and committee.
func (b *builder) compound(k int, r *rand.Rand) {
	w := b.w
	kp := &w.Compounds[k]
	b.node(kp.ID, kp.Community, "compound", sim.CompoundName(k))
	kp.Branch, kp.Secretary = kp.ID+"-pb", kp.ID+"-sec"
	b.org(kp.Branch, kp.ID, governance.OrgPartyBranch, "小区党支部")
	b.hold(kp.Secretary, kp.ID, kp.Branch, governance.RoleSecretary, governance.PartyRetired)
	kind, name := governance.OrgOwnersCommittee, "业主委员会"
	if kp.Managed {
		kind, name = governance.OrgManagementCommittee, "物业管理委员会"
	}
	kp.Committee, kp.Chair = kp.ID+"-cm", kp.ID+"-chair"
	b.org(kp.Committee, kp.ID, kind, name)
	b.hold(kp.Chair, kp.ID, kp.Committee, governance.RoleChair, governance.PartyResident)
	grids := 1 + kp.Households/600
	for g := range grids {
		gd := grid{ID: fmt.Sprintf("%sg%d", kp.ID, g+1)}
		gd.Worker = gd.ID + "-gw"
		b.node(gd.ID, kp.ID, "grid", fmt.Sprintf("%d网格", g+1))
		b.org(gd.ID+"-ss", gd.ID, governance.OrgServiceStation, "网格服务站")
		b.hold(gd.Worker, gd.ID, gd.ID+"-ss", governance.RoleGridWorker, governance.NotPartyMember)
		for u := range 3 + r.IntN(4) {
			id := fmt.Sprintf("%sb%d", gd.ID, u+1)
			b.node(id, gd.ID, "building", fmt.Sprintf("%d-%d号楼", g+1, u+1))
			kp.Buildings = append(kp.Buildings, id)
		}
		kp.Grids = append(kp.Grids, gd)
	}
}

// firms registers the property firms at the streets and shares each street's compounds
// among its firms: every firm serves at least one compound. About one firm in seven is
// weak (poor service), the rest fair to good.
func (b *builder) firms(r *rand.Rand) {
	w := b.w
	byStreet := map[string][]int{}
	for k, c := range w.Compounds {
		byStreet[c.Street] = append(byStreet[c.Street], k)
	}
	for f := range w.size.Firms {
		st := w.Streets[f*w.size.Streets/w.size.Firms]
		q := 0.55 + 0.45*r.Float64()
		if r.IntN(7) == 0 {
			q = 0.1 + 0.35*r.Float64()
		}
		w.Firms = append(w.Firms, firm{ID: fmt.Sprintf("f%03d", f+1), Street: st.ID, Name: fmt.Sprintf("物业公司%03d", f+1),
			Quality: q, Branch: r.IntN(100) < 42})
	}
	serves := make([][]string, len(w.Firms))
	for _, st := range w.Streets {
		var firms []int
		for f := range w.Firms {
			if w.Firms[f].Street == st.ID {
				firms = append(firms, f)
			}
		}
		for i, k := range byStreet[st.ID] {
			f := firms[r.IntN(len(firms))]
			if i < len(firms) {
				f = firms[i]
			}
			w.Compounds[k].Firm = f
			serves[f] = append(serves[f], w.Compounds[k].ID)
		}
	}
	for f, fm := range w.Firms {
		slices.Sort(serves[f])
		b.orgIn(governance.OrganisationInput{ID: fm.ID, NodeID: fm.Street, Kind: governance.OrgPropertyFirm, Name: fm.Name, Serves: serves[f]})
		b.hold(fm.ID+"-mgr", fm.Street, fm.ID, governance.RoleManager, governance.NotPartyMember)
		if fm.Branch {
			b.orgIn(governance.OrganisationInput{ID: fm.ID + "-pb", NodeID: fm.Street, Kind: governance.OrgPartyBranch, Name: "物业企业党支部", HostID: fm.ID})
		} else {
			b.hold(fm.ID+"-ins", fm.Street, fm.ID, governance.RoleInstructor, governance.PartyInService)
		}
	}
}

// builder adds entities as the admin actor, keeping the first error (sim.Builder) so the
// build reads as a script, and counts what it adds for the report.
type builder struct {
	sim.Builder
	w *world
}

// node adds a node; nodeLabels adds one with labels.
func (b *builder) node(id, parent, level, name string) { b.nodeLabels(id, parent, level, name, nil) }

func (b *builder) nodeLabels(id, parent, level, name string, labels map[string]string) {
	b.Node(governance.NodeInput{ID: id, ParentID: parent, Level: level, Name: name, Labels: labels})
	b.w.nodes++
}

// org adds an organisation at a node; orgIn adds one from a full input.
func (b *builder) org(id, node string, kind governance.OrgKind, name string) {
	b.orgIn(governance.OrganisationInput{ID: id, NodeID: node, Kind: kind, Name: name})
}

func (b *builder) orgIn(in governance.OrganisationInput) {
	b.Org(in)
	b.w.orgs++
}

// hold adds a person living at home and appoints them to org in role.
func (b *builder) hold(person, home, org string, role governance.Role, party governance.PartyCategory) {
	b.Person(governance.PersonInput{ID: person, Name: "干部" + person, Party: party, HomeNodeID: home})
	b.w.people++
	b.Appoint(governance.AppointInput{PersonID: person, OrgID: org, Role: role})
}
