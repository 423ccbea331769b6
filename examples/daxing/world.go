package main

import (
	"context"
	"fmt"
	"math/rand/v2"

	"github.com/gridgov/gridgov"
	"github.com/gridgov/gridgov/escalation"
	"github.com/gridgov/gridgov/examples/internal/sim"
	"github.com/gridgov/gridgov/governance"
	"github.com/gridgov/gridgov/store/memory"
)

// Daxing's figures and the assumed sizes, per unit of -scale.
const (
	streetsPerScale       = 5  // 街道/镇 (assumed)
	communitiesPerStreet  = 3  // 社区 per street (assumed); the first of each street is a pilot
	compoundsPerCommunity = 8  // managed compounds per community (assumed)
	unmanagedPerScale     = 56 // 无物业管理小区, all in the pilot communities (published)
)

// volume is how many complaints a community takes in a year: in a pilot community, the
// rated call-backs and the complaints the call-back centre could not rate; elsewhere, all
// complaints.
type volume struct {
	callbacksPerPilot, unratedPerPilot, perOther int
}

// fullVolume is the year's volume: five pilots' 5,000 call-backs make the published rates
// come out to the hundredth of a percent.
var fullVolume = volume{callbacksPerPilot: 1000, unratedPerPilot: 60, perOther: 200}

// The published three rates of the pilot communities (试点社区"三率").
const (
	targetResponse     = "1"
	targetResolution   = "0.9502"
	targetSatisfaction = "0.9447"
)

// setup is the system actor that builds the world.
var setup = gridgov.SystemActor("daxing-setup")

// scheme is Daxing's tree: district → street (or town) → community → compound → building.
func scheme() governance.Scheme {
	return governance.Scheme{Name: "daxing", Levels: []governance.Level{
		{Key: "district", Kind: governance.KindDistrict, NameZH: "区", NameEN: "district"},
		{Key: "street", Kind: governance.KindStreet, NameZH: "街道（镇）", NameEN: "street"},
		{Key: "community", Kind: governance.KindCommunity, NameZH: "社区", NameEN: "community"},
		{Key: "compound", Kind: governance.KindCompound, NameZH: "小区", NameEN: "compound"},
		{Key: "building", Kind: governance.KindBuilding, NameZH: "楼栋", NameEN: "building"},
	}}
}

// policy is the 接诉即办 preset (escalation.HotlinePolicy: respond within 2 hours, general
// matters resolved in 7 working days, utilities in 24 hours, complex ones in 15 working
// days; whistle at the street, parties report within 30 minutes) with a building tier put
// under it, for Daxing's "small matters stay in the building" (小事不出楼).
func policy() escalation.Policy {
	p := escalation.HotlinePolicy(scheme())
	building := escalation.Tier{Level: "building", NameEN: "building", NameZH: "楼栋",
		ResponseLimit: escalation.ElapsedHours(2), ResolutionLimit: escalation.Workdays(2), WarnAt: 80}
	p.Name = "daxing-whistle"
	p.Tiers = append([]escalation.Tier{building}, p.Tiers...)
	return p
}

// street is a street office or town (街道/镇) with its Party working committee.
type street struct {
	ID, Name          string
	Secretary, Deputy gridgov.Actor
}

// community is one community (社区) with the people who handle complaints in it.
type community struct {
	ID, Name   string
	Street     *street
	Pilot      bool
	Secretary  gridgov.Actor // community Party committee (verifies)
	Chair      gridgov.Actor // residents' committee (community tier)
	GridWorker gridgov.Actor // grid worker (building tier)
	Compounds  []*compound
}

// compound is one compound (小区); Unmanaged ones have no property management yet.
type compound struct {
	ID, Name  string
	Community *community
	Unmanaged bool
	Buildings []string
}

// world is the district on the memory store.
type world struct {
	vol         volume
	clock       *gridgov.FakeClock
	reg         *governance.Registry
	engine      *escalation.Engine
	department  gridgov.Actor // manager of the district housing bureau (district tier)
	districtSec gridgov.Actor // district hotline office (verifies district-tier matters)
	streets     []*street
	communities []*community
	compounds   []*compound
}

// buildWorld builds the district at the given scale, to take vol complaints.
func buildWorld(ctx context.Context, r *rand.Rand, scale, year int, vol volume) (*world, error) {
	w := &world{vol: vol, clock: gridgov.NewFakeClock(sim.YearStart(year))}
	reg, err := governance.NewRegistry(memory.NewGovernanceStore(), governance.WithScheme(scheme()),
		governance.WithClock(w.clock), governance.WithIDs(gridgov.NewSequence("gov")))
	if err != nil {
		return nil, err
	}
	w.reg = reg
	w.engine, err = escalation.NewEngine(memory.NewEscalationStore(), reg, policy(),
		escalation.WithCalendar(escalation.ChinaMainland()), escalation.WithClock(w.clock),
		escalation.WithIDs(gridgov.NewSequence("cp")))
	if err != nil {
		return nil, err
	}
	b := builder{Builder: sim.Builder{Ctx: ctx, Reg: reg, Actor: setup}, r: r}
	b.Node(governance.NodeInput{ID: "dx", Level: "district", Name: "大兴区"})
	b.Org(governance.OrganisationInput{ID: "dx-office", NodeID: "dx", Kind: governance.OrgPartyCommittee, Name: "区接诉即办工作专班"})
	w.districtSec = b.person("dx-sec", "dx", "dx-office", governance.RoleSecretary, governance.PartyInService)
	b.Org(governance.OrganisationInput{ID: "dx-housing", NodeID: "dx", Kind: governance.OrgDistrictDepartment, Name: "区住房和城乡建设委员会"})
	w.department = b.person("dx-housing-mgr", "dx", "dx-housing", governance.RoleManager, governance.PartyInService)

	unmanaged := unmanagedPerScale * scale
	pilots := streetsPerScale * scale
	for i := range streetsPerScale * scale {
		s := &street{ID: fmt.Sprintf("s%02d", i+1), Name: fmt.Sprintf("兴%s街道", cnNum(i+1))}
		b.Node(governance.NodeInput{ID: s.ID, ParentID: "dx", Level: "street", Name: s.Name})
		b.Org(governance.OrganisationInput{ID: s.ID + "-pwc", NodeID: s.ID, Kind: governance.OrgPartyWorkingCommittee, Name: s.Name + "党工委"})
		s.Secretary = b.person(s.ID+"-sec", s.ID, s.ID+"-pwc", governance.RoleSecretary, governance.PartyInService)
		s.Deputy = b.person(s.ID+"-dep", s.ID, s.ID+"-pwc", governance.RoleDeputySecretary, governance.PartyInService)
		w.streets = append(w.streets, s)
		for j := range communitiesPerStreet {
			c := &community{ID: fmt.Sprintf("%s-c%d", s.ID, j+1), Street: s, Pilot: j == 0,
				Name: fmt.Sprintf("%s%s社区", s.Name[:len(s.Name)-len("街道")], []string{"东", "西", "南", "北"}[j%4])}
			labels := map[string]string{}
			if c.Pilot {
				labels["pilot"] = "true"
			}
			b.Node(governance.NodeInput{ID: c.ID, ParentID: s.ID, Level: "community", Name: c.Name, Labels: labels})
			b.Org(governance.OrganisationInput{ID: c.ID + "-pc", NodeID: c.ID, Kind: governance.OrgPartyCommittee, Name: c.Name + "党委"})
			b.Org(governance.OrganisationInput{ID: c.ID + "-rc", NodeID: c.ID, Kind: governance.OrgResidentsCommittee, Name: c.Name + "居委会"})
			c.Secretary = b.person(c.ID+"-sec", c.ID, c.ID+"-pc", governance.RoleSecretary, governance.PartyResident)
			c.Chair = b.person(c.ID+"-chair", c.ID, c.ID+"-rc", governance.RoleChair, governance.PartyResident)
			c.GridWorker = b.person(c.ID+"-grid", c.ID, c.ID+"-rc", governance.RoleGridWorker, governance.NotPartyMember)
			n := compoundsPerCommunity
			if c.Pilot {
				// The unmanaged compounds are spread over the pilot communities.
				n += unmanaged / pilots
				if i < unmanaged%pilots {
					n++
				}
			}
			for k := range n {
				cp := &compound{ID: fmt.Sprintf("%s-k%02d", c.ID, k+1), Name: sim.CompoundName(len(w.compounds)),
					Community: c, Unmanaged: k >= compoundsPerCommunity}
				b.Node(governance.NodeInput{ID: cp.ID, ParentID: c.ID, Level: "compound", Name: cp.Name})
				if !cp.Unmanaged {
					b.Org(governance.OrganisationInput{ID: cp.ID + "-firm", NodeID: cp.ID, Kind: governance.OrgPropertyFirm,
						Name: cp.Name + "物业", Serves: []string{cp.ID}})
				}
				for m := range 2 + r.IntN(4) {
					id := fmt.Sprintf("%s-b%d", cp.ID, m+1)
					b.Node(governance.NodeInput{ID: id, ParentID: cp.ID, Level: "building", Name: fmt.Sprintf("%d号楼", m+1)})
					cp.Buildings = append(cp.Buildings, id)
				}
				c.Compounds = append(c.Compounds, cp)
				w.compounds = append(w.compounds, cp)
			}
			w.communities = append(w.communities, c)
		}
	}
	return w, b.Err()
}

// cnNum returns 1–10 as a Chinese numeral and larger numbers in digits.
func cnNum(n int) string {
	if n >= 1 && n <= 10 {
		return []string{"一", "二", "三", "四", "五", "六", "七", "八", "九", "十"}[n-1]
	}
	return fmt.Sprint(n)
}

// builder adds nodes, organisations and people as the setup actor, keeping the first
// error (sim.Builder), and draws people's names from r.
type builder struct {
	sim.Builder
	r *rand.Rand
}

// person adds a person living at home and appoints them to org with role; it returns
// their actor.
func (b *builder) person(id, home, org string, role governance.Role, party governance.PartyCategory) gridgov.Actor {
	name, phone := sim.PersonName(b.r), sim.Phone(b.r)
	b.Person(governance.PersonInput{ID: id, Name: name, Phone: phone, HomeNodeID: home, Party: party})
	b.Appoint(governance.AppointInput{PersonID: id, OrgID: org, Role: role})
	return gridgov.PersonActor(id)
}
