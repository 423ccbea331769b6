package main

import (
	"context"
	"fmt"
	"math/rand/v2"

	"github.com/shopspring/decimal"

	"github.com/gridgov/gridgov"
	"github.com/gridgov/gridgov/escalation"
	"github.com/gridgov/gridgov/examples/internal/sim"
	"github.com/gridgov/gridgov/governance"
	"github.com/gridgov/gridgov/governance/deliberation"
	"github.com/gridgov/gridgov/store/memory"
)

// Published Beiyuan figures per unit of -scale (北园街道亲邻议事).
const (
	compoundsPerScale   = 68  // 小区
	branchesPerScale    = 29  // 小区党支部
	communitiesPerScale = 8   // 社区 (assumed: the sources give no count)
	meetingsPerScale    = 117 // 亲邻议事会
	settledPerScale     = 52  // 经议事会解决的问题
)

// setup is the system actor that builds the world.
var setup = gridgov.SystemActor("beiyuan-setup")

// scheme is Beiyuan's tree: street → community → compound → building.
func scheme() governance.Scheme {
	return governance.Scheme{Name: "beiyuan", Levels: []governance.Level{
		{Key: "street", Kind: governance.KindStreet, NameZH: "街道", NameEN: "street"},
		{Key: "community", Kind: governance.KindCommunity, NameZH: "社区", NameEN: "community"},
		{Key: "compound", Kind: governance.KindCompound, NameZH: "小区", NameEN: "compound"},
		{Key: "building", Kind: governance.KindBuilding, NameZH: "楼栋", NameEN: "building"},
	}}
}

// community is one community (社区) and the actor who leads its Party committee.
type community struct {
	ID, Name  string
	Secretary gridgov.Actor
}

// compound is one compound (小区) with the people who act in it.
type compound struct {
	ID, Name    string
	Community   *community
	HasBranch   bool          // 小区党支部
	Red         bool          // owners' committee (true) or property management committee acting in its place
	Chair       gridgov.Actor // chair of the owners' (or management) committee
	FirmManager gridgov.Actor // manager of the property firm
	FirmID      string
	Buildings   []*building
}

// building is one building (楼栋) with its vote roll (业主名册).
type building struct {
	ID, Name string
	Compound *compound
	Roll     deliberation.Roll
}

// world is Beiyuan street on the memory store.
type world struct {
	clock       *gridgov.FakeClock
	reg         *governance.Registry
	engine      *escalation.Engine
	forum       *deliberation.Forum
	communities []*community
	compounds   []*compound
	buildings   []*building
}

// buildWorld builds the street at the given scale: communities, 68×scale compounds of
// which 29×scale have their own Party branch, buildings with their vote rolls, the
// organisations and the people who act, the escalation engine and the forum.
func buildWorld(ctx context.Context, r *rand.Rand, scale, year int) (*world, error) {
	w := &world{clock: gridgov.NewFakeClock(sim.YearStart(year))}
	reg, err := governance.NewRegistry(memory.NewGovernanceStore(), governance.WithScheme(scheme()),
		governance.WithClock(w.clock), governance.WithIDs(gridgov.NewSequence("gov")))
	if err != nil {
		return nil, err
	}
	w.reg = reg
	w.engine, err = escalation.NewEngine(memory.NewEscalationStore(), reg, escalation.LadderPolicy(scheme()),
		escalation.WithCalendar(escalation.ChinaMainland()), escalation.WithClock(w.clock),
		escalation.WithIDs(gridgov.NewSequence("cp")))
	if err != nil {
		return nil, err
	}
	w.forum, err = deliberation.NewForum(memory.NewDeliberationStore(), reg, deliberation.WithClock(w.clock),
		deliberation.WithIDs(gridgov.NewSequence("item")), deliberation.WithComplaints(w.engine))
	if err != nil {
		return nil, err
	}
	b := builder{sim.Builder{Ctx: ctx, Reg: reg, Actor: setup}}
	b.Node(governance.NodeInput{ID: "st", Level: "street", Name: "北园街道"})
	b.Org(governance.OrganisationInput{ID: "stc", NodeID: "st", Kind: governance.OrgPartyWorkingCommittee, Name: "北园街道党工委"})

	nc := communitiesPerScale * scale
	for i := range nc {
		c := &community{ID: fmt.Sprintf("c%03d", i+1), Name: fmt.Sprintf("亲邻%d社区", i+1)}
		b.Node(governance.NodeInput{ID: c.ID, ParentID: "st", Level: "community", Name: c.Name})
		b.Org(governance.OrganisationInput{ID: c.ID + "-pc", NodeID: c.ID, Kind: governance.OrgPartyCommittee, Name: c.Name + "党委"})
		c.Secretary = b.person(c.ID+"-sec", c.ID, c.ID+"-pc", governance.RoleSecretary, governance.PartyResident, r)
		w.communities = append(w.communities, c)
	}

	n := compoundsPerScale * scale
	// 29 of every 68 compounds have their own Party branch; which ones is drawn.
	withBranch := make([]bool, n)
	for i := range branchesPerScale * scale {
		withBranch[i] = true
	}
	r.Shuffle(n, func(i, j int) { withBranch[i], withBranch[j] = withBranch[j], withBranch[i] })
	for i := range n {
		c := w.communities[i*nc/n]
		k := &compound{ID: fmt.Sprintf("k%04d", i+1), Name: sim.CompoundName(i), Community: c,
			HasBranch: withBranch[i], Red: r.IntN(10) < 8}
		b.Node(governance.NodeInput{ID: k.ID, ParentID: c.ID, Level: "compound", Name: k.Name})
		kind, cname := governance.OrgOwnersCommittee, "业委会"
		if !k.Red {
			kind, cname = governance.OrgManagementCommittee, "物管会"
		}
		b.Org(governance.OrganisationInput{ID: k.ID + "-oc", NodeID: k.ID, Kind: kind, Name: k.Name + cname})
		k.FirmID = k.ID + "-firm"
		b.Org(governance.OrganisationInput{ID: k.FirmID, NodeID: k.ID, Kind: governance.OrgPropertyFirm,
			Name: k.Name + "物业服务中心", Serves: []string{k.ID}})
		if k.HasBranch {
			b.Org(governance.OrganisationInput{ID: k.ID + "-pb", NodeID: k.ID, Kind: governance.OrgPartyBranch, Name: k.Name + "党支部"})
		}
		k.Chair = b.person(k.ID+"-chair", k.ID, k.ID+"-oc", governance.RoleChair, governance.PartyRetired, r)
		k.FirmManager = b.person(k.ID+"-fm", k.ID, k.FirmID, governance.RoleManager, governance.NotPartyMember, r)
		for j := range 3 + r.IntN(5) {
			bd := &building{ID: fmt.Sprintf("%s-b%d", k.ID, j+1), Name: fmt.Sprintf("%d号楼", j+1), Compound: k}
			bd.Roll = drawRoll(r, bd.ID, 2+r.IntN(2), 5+r.IntN(4))
			b.Node(governance.NodeInput{ID: bd.ID, ParentID: k.ID, Level: "building", Name: bd.Name})
			k.Buildings = append(k.Buildings, bd)
			w.buildings = append(w.buildings, bd)
		}
		w.compounds = append(w.compounds, k)
	}
	return w, b.Err()
}

// drawRoll draws a building's vote roll: units × floors × two flats, areas 60–140 m² to the
// hundredth; about one owner in twenty also owns the flat next door, so headcount and
// household count differ as they do on real rolls.
func drawRoll(r *rand.Rand, id string, units, floors int) deliberation.Roll {
	var roll deliberation.Roll
	owners := map[string]bool{}
	for u := 1; u <= units; u++ {
		for f := 1; f <= floors; f++ {
			for d := 1; d <= 2; d++ {
				hid := fmt.Sprintf("%s-%d-%d%02d", id, u, f, d)
				owner := "o-" + hid
				if d == 2 && r.IntN(20) == 0 {
					owner = roll.Households[len(roll.Households)-1].OwnerID // both flats of the floor
				}
				area := decimal.New(int64(6000+r.IntN(8000)), -2)
				roll.Households = append(roll.Households, deliberation.Household{ID: hid, OwnerID: owner, Area: area})
				roll.TotalArea = roll.TotalArea.Add(area)
				owners[owner] = true
			}
		}
	}
	roll.TotalOwners = len(owners)
	return roll
}

// builder adds nodes, organisations and people as the setup actor, keeping the first
// error (sim.Builder).
type builder struct{ sim.Builder }

// person adds a person living at home and appoints them to org with role; it returns
// their actor.
func (b *builder) person(id, home, org string, role governance.Role, party governance.PartyCategory, r *rand.Rand) gridgov.Actor {
	name, phone := sim.PersonName(r), sim.Phone(r)
	b.Person(governance.PersonInput{ID: id, Name: name, Phone: phone, HomeNodeID: home, Party: party})
	b.Appoint(governance.AppointInput{PersonID: id, OrgID: org, Role: role})
	return gridgov.PersonActor(id)
}
