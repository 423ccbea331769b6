package main

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strconv"
	"time"

	"github.com/gridgov/gridgov"
	"github.com/gridgov/gridgov/examples/internal/sim"
	"github.com/gridgov/gridgov/governance"
	"github.com/gridgov/gridgov/store/memory"
)

// The Jiaocheng figures for one unit of -scale (DESIGN.md §2).
const (
	streetsPerUnit     = 4  // street (township) management centres, the first "1" of 1+1+N
	communitiesPerUnit = 48 // communities (villages), 12 per street, each with its property service centre
	pilotsPerStreet    = 5  // pilot communities per street that receive start-up grants
	newCompounds       = 23 // new compounds, one per red property firm
	oldCompounds       = 34 // "three-no" old compounds (三无小区) the red firms took over
	redFirms           = 23 // Party-led "red" property firms (红色物业)
	membersPerComm     = 2  // in-service Party members registered per community (双报到)
	retiredCommittee   = 5  // committee members of the retired-members' branch
)

// admin sets the district up (an importer): it passes every authority check.
var admin = gridgov.SystemActor("setup")

// compound is a compound (小区) and who answers for it.
type compound struct {
	id, name    string
	community   int  // index into world.communities
	three       bool // a "three-no" old compound
	firm        int  // index into world.firms
	stationHead string
}

// community is a community (社区) and who answers for it.
type community struct {
	id, name     string
	street       int
	pilot        bool
	households   int
	centreHead   string   // manager of the community property service centre (物业服务中心)
	secretary    string   // secretary of the community Party committee
	members      []string // in-service Party members registered here (双报到)
	compounds    []int
	retiredGroup bool // has the retired-members' Party branch
}

// street is a street (街道) with its management centre.
type street struct {
	id, name    string
	secretary   string // secretary of the street Party working committee: signs and whistles
	deputy      string // deputy secretary: verifies what the secretary resolved
	communities []int
}

// firm is a red property firm with its own Party branch.
type firm struct {
	id, name, manager string
	serves            []int // compound indices
}

// world is the district as built: the registry and the indices the simulation and the
// report use.
type world struct {
	reg         *governance.Registry
	clock       *gridgov.FakeClock
	root        string
	streets     []street
	communities []community
	compounds   []compound
	firms       []firm
	approver    string // district Party committee secretary: approves the special fund
	department  string // manager of the district housing department (区住建局), reports when summoned
	orgHead     map[string]string
}

// buildWorld builds Jiaocheng at scale on the memory store: for each unit of scale 4
// streets, 48 communities, 57 compounds (23 new, 34 three-no) and 23 red firms, with the
// 1+1+N service matrix, compound Party branches and their secretaries (one appointed on 1
// June, one replaced on 1 October), one retired-members' branch and in-service members
// registered in every community.
func buildWorld(ctx context.Context, r *rand.Rand, scale, year int) (*world, error) {
	start := sim.YearStart(year)
	clock := gridgov.NewFakeClock(start)
	reg, err := governance.NewRegistry(memory.NewGovernanceStore(), governance.WithScheme(scheme()),
		governance.WithClock(clock), governance.WithIDs(gridgov.NewSequence("jc")))
	if err != nil {
		return nil, err
	}
	w := &world{reg: reg, clock: clock, root: "jc", orgHead: map[string]string{}}
	b := &builder{Builder: sim.Builder{Ctx: ctx, Reg: reg, Actor: admin}, r: r, w: w}
	b.Node(governance.NodeInput{ID: "jc", Level: "district", Name: "蕉城区"})
	b.Org(governance.OrganisationInput{ID: "dpc-jc", NodeID: "jc", Kind: governance.OrgPartyCommittee, Name: "蕉城区委"})
	w.approver = b.person("p-approver", "jc", governance.PartyInService, "dpc-jc", governance.RoleSecretary, time.Time{})
	b.Org(governance.OrganisationInput{ID: "dept-housing", NodeID: "jc", Kind: governance.OrgDistrictDepartment, Name: "区住建局"})
	w.department = b.person("p-housing", "jc", governance.PartyInService, "dept-housing", governance.RoleManager, time.Time{})

	for range scale {
		b.unit(start)
	}
	return w, b.Err()
}

// scheme is district → street → community → compound: the levels the 1+1+N matrix and the
// rapid-response tiers use.
func scheme() governance.Scheme {
	return governance.Scheme{Name: "jiaocheng", Levels: []governance.Level{
		{Key: "district", Kind: governance.KindDistrict, NameZH: "区", NameEN: "district"},
		{Key: "street", Kind: governance.KindStreet, NameZH: "街道（乡镇）", NameEN: "street"},
		{Key: "community", Kind: governance.KindCommunity, NameZH: "社区（村）", NameEN: "community"},
		{Key: "compound", Kind: governance.KindCompound, NameZH: "小区", NameEN: "compound"},
	}}
}

// builder adds entities as the admin actor, keeping the first error (sim.Builder) so that
// building reads as a list.
type builder struct {
	sim.Builder
	r *rand.Rand
	w *world
	n int // persons added, for IDs
}

// person adds a person living at home and appoints them to org in role from since (zero:
// now); it returns the person's ID and records the first head of each organisation.
func (b *builder) person(id, home string, party governance.PartyCategory, org string, role governance.Role, since time.Time) string {
	if b.Err() != nil {
		return id
	}
	if id == "" {
		b.n++
		id = fmt.Sprintf("p%06d", b.n)
	}
	b.Person(governance.PersonInput{ID: id, Name: sim.PersonName(b.r), Phone: sim.Phone(b.r), Party: party, HomeNodeID: home})
	if org != "" {
		b.Appoint(governance.AppointInput{ID: "pos-" + id, PersonID: id, OrgID: org, Role: role, Since: since})
		if _, ok := b.w.orgHead[org]; !ok && b.Err() == nil {
			b.w.orgHead[org] = id
		}
	}
	return id
}

// unit builds one unit of scale: 4 streets, 48 communities, 57 compounds, 23 firms.
func (b *builder) unit(start time.Time) {
	w := b.w
	year := start.Year()
	firstStreet, firstComm, firstCompound := len(w.streets), len(w.communities), len(w.compounds)
	for s := 0; s < streetsPerUnit; s++ {
		i := len(w.streets)
		id := fmt.Sprintf("s%03d", i+1)
		st := street{id: id, name: streetName(i)}
		b.Node(governance.NodeInput{ID: id, ParentID: "jc", Level: "street", Name: st.name})
		b.Org(governance.OrganisationInput{ID: "pwc-" + id, NodeID: id, Kind: governance.OrgPartyWorkingCommittee, Name: st.name + "党工委"})
		b.Org(governance.OrganisationInput{ID: "mc-" + id, NodeID: id, Kind: governance.OrgServiceCentre, Name: st.name + "物业管理中心"})
		st.secretary = b.person("", id, governance.PartyInService, "pwc-"+id, governance.RoleSecretary, time.Time{})
		st.deputy = b.person("", id, governance.PartyInService, "pwc-"+id, governance.RoleDeputySecretary, time.Time{})
		w.streets = append(w.streets, st)
	}
	// Pilots: pilotsPerStreet of the 12 communities of each street, drawn.
	perStreet := communitiesPerUnit / streetsPerUnit
	for s := 0; s < streetsPerUnit; s++ {
		pilots := map[int]bool{}
		for _, k := range b.r.Perm(perStreet)[:pilotsPerStreet] {
			pilots[k] = true
		}
		for k := 0; k < perStreet; k++ {
			i := len(w.communities)
			id := fmt.Sprintf("c%04d", i+1)
			c := community{id: id, name: fmt.Sprintf("%s第%d社区", w.streets[firstStreet+s].name, k+1), street: firstStreet + s,
				pilot: pilots[k], households: 200 + 10*b.r.IntN(101)}
			labels := map[string]string{"households": strconv.Itoa(c.households)}
			if c.pilot {
				labels["pilot"] = "true"
			}
			b.Node(governance.NodeInput{ID: id, ParentID: w.streets[c.street].id, Level: "community", Name: c.name, Labels: labels})
			b.Org(governance.OrganisationInput{ID: "pc-" + id, NodeID: id, Kind: governance.OrgPartyCommittee, Name: c.name + "党委"})
			b.Org(governance.OrganisationInput{ID: "psc-" + id, NodeID: id, Kind: governance.OrgServiceCentre, Name: c.name + "物业服务中心"})
			c.secretary = b.person("", id, governance.PartyResident, "pc-"+id, governance.RoleSecretary, time.Time{})
			c.centreHead = b.person("", id, governance.NotPartyMember, "psc-"+id, governance.RoleManager, time.Time{})
			for m := 0; m < membersPerComm; m++ {
				pid := b.person("", id, governance.PartyInService, "", "", time.Time{})
				b.Register(governance.RegistrationInput{CommunityID: id, PersonID: pid})
				c.members = append(c.members, pid)
			}
			w.communities = append(w.communities, c)
			w.streets[c.street].communities = append(w.streets[c.street].communities, i)
		}
	}
	// The retired-members' Party branch (离退休党员支部) of the unit's first community, with a
	// committee of five.
	rc := &w.communities[firstComm]
	rc.retiredGroup = true
	rb := "rb-" + rc.id
	b.Org(governance.OrganisationInput{ID: rb, NodeID: rc.id, Kind: governance.OrgPartyBranch, Name: rc.name + "离退休党员支部"})
	for _, role := range []governance.Role{governance.RoleSecretary, governance.RoleDeputySecretary,
		governance.RoleMember, governance.RoleMember, governance.RoleMember}[:retiredCommittee] {
		b.person("", rc.id, governance.PartyRetired, rb, role, time.Time{})
	}

	// Compounds: 23 new then 34 three-no, dealt round the streets (compound i in street
	// i mod 4, its (i/4)-th community), each with a Party branch, its secretary and a
	// service station (the N of 1+1+N).
	for i := 0; i < newCompounds+oldCompounds; i++ {
		k := len(w.compounds)
		id := fmt.Sprintf("k%04d", k+1)
		ci := firstComm + (i%streetsPerUnit)*perStreet + (i/streetsPerUnit)%perStreet
		cp := compound{id: id, name: sim.CompoundName(k), community: ci, three: i >= newCompounds}
		kind := "new"
		if cp.three {
			kind = "three-no"
		}
		b.Node(governance.NodeInput{ID: id, ParentID: w.communities[ci].id, Level: "compound", Name: cp.name,
			Labels: map[string]string{"type": kind}})
		b.Org(governance.OrganisationInput{ID: "br-" + id, NodeID: id, Kind: governance.OrgPartyBranch, Name: cp.name + "党支部"})
		b.Org(governance.OrganisationInput{ID: "ss-" + id, NodeID: id, Kind: governance.OrgServiceStation, Name: cp.name + "服务站"})
		since := time.Time{}
		if i == 0 {
			since = time.Date(year, time.June, 1, 0, 0, 0, 0, sim.CST) // appointed mid-year
		}
		sec := b.person("", id, governance.PartyResident, "br-"+id, governance.RoleSecretary, since)
		if i == 1 && b.Err() == nil {
			// Replaced on 1 October: the stipend is paid for the months each held the post.
			_, err := b.Reg.EndPosition(b.Ctx, admin, governance.EndInput{PositionID: "pos-" + sec,
				Until: time.Date(year, time.October, 1, 0, 0, 0, 0, sim.CST)})
			b.Fail(err)
			b.person("", id, governance.PartyResident, "br-"+id, governance.RoleSecretary, time.Date(year, time.October, 1, 0, 0, 0, 0, sim.CST))
		}
		cp.stationHead = b.person("", id, governance.NotPartyMember, "ss-"+id, governance.RoleManager, time.Time{})
		w.compounds = append(w.compounds, cp)
		w.communities[ci].compounds = append(w.communities[ci].compounds, k)
	}

	// Red firms: firm f serves new compound f and every 23rd three-no compound from f.
	for f := 0; f < redFirms; f++ {
		id := fmt.Sprintf("firm%04d", len(w.firms)+1)
		fm := firm{id: id, name: fmt.Sprintf("红色物业%d号", len(w.firms)+1)}
		fm.serves = append(fm.serves, firstCompound+f)
		for o := f; o < oldCompounds; o += redFirms {
			fm.serves = append(fm.serves, firstCompound+newCompounds+o)
		}
		var serves []string
		for _, k := range fm.serves {
			serves = append(serves, w.compounds[k].id)
			w.compounds[k].firm = len(w.firms)
		}
		home := w.communities[w.compounds[firstCompound+f].community].id
		b.Org(governance.OrganisationInput{ID: id, NodeID: home, Kind: governance.OrgPropertyFirm, Name: fm.name, Serves: serves})
		b.Org(governance.OrganisationInput{ID: "fb-" + id, NodeID: home, Kind: governance.OrgPartyBranch, HostID: id, Name: fm.name + "党支部"})
		fm.manager = b.person("", home, governance.PartyInService, id, governance.RoleManager, time.Time{})
		w.firms = append(w.firms, fm)
	}
}

// streetName names the i-th street after Jiaocheng's own for the first unit.
func streetName(i int) string {
	names := []string{"蕉南街道", "蕉北街道", "城南镇", "漳湾镇"}
	if i < len(names) {
		return names[i]
	}
	return fmt.Sprintf("%s%d", names[i%len(names)], i/len(names)+1)
}
