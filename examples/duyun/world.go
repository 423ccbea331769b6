package main

import (
	"cmp"
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

// The Duyun figures for one unit of -scale (DESIGN.md §2) and the assumed sizes around them.
const (
	streetsPerUnit  = 3  // street Party working committees
	oldCommunities  = 26 // communities before the re-districting
	newCommunities  = 45 // communities after it
	mergedAway      = 2  // small communities merged into a neighbour and retired
	gridsPerCompd   = 2  // grids per compound, each with a grid Party group
	liaisonsPerGrid = 3  // Party-member household liaisons (联户长) per grid, ten households each
	membersPerComm  = 3  // in-service members registered per community (双报到)
)

// firmSize is how many compounds a property firm serves.
const firmSize = 4

// admin sets the city up (an importer): it passes every authority check.
var admin = gridgov.SystemActor("setup")

// compound is a compound (小区) with its grids and who answers for it.
type compound struct {
	id, name  string
	street    int
	community int // index into world.communities, after the re-districting
	grids     []grid
	firm      int // index into world.firms
}

// grid is a grid (网格) with its Party group leader and household liaison nodes.
type grid struct {
	id, leader string
	households []string
}

// community is a community (社区) and who answers for it.
type community struct {
	id, name  string
	street    int
	chair     string // residents' committee chair: collects and handles at the community
	secretary string // community Party committee secretary: verifies
	members   []string
	compounds []int
	created   bool // created by the re-districting
	retired   bool // merged away by the re-districting
}

// street is a street with its Party working committee.
type street struct {
	id, name, secretary, deputy string
	communities                 []int
}

// firm is a property firm and what the year makes of it.
type firm struct {
	id, name, manager string
	serves            []int
	quality           float64 // latent service quality in [0, 1] (an assumption of the model)
}

// world is the city as built and re-districted.
type world struct {
	reg         *governance.Registry
	clock       *gridgov.FakeClock
	root        string
	streets     []street
	communities []community
	compounds   []compound
	firms       []firm
	department  string
	party       map[governance.PartyCategory]int // Party members by category
	people      int                              // persons added, for IDs
	redistrict  redistricting
}

// redistricting records what the re-districting (区划调整) did.
type redistricting struct {
	before, after, created, retired, moved int
	at                                     time.Time
}

// scheme is the Duyun five-level chain (governance.FiveLevelChain) under the city: street
// Party working committee → community Party committee → compound Party branch → grid
// Party group → Party-member household liaison.
func scheme() governance.Scheme {
	s := governance.FiveLevelChain()
	s.Name = "duyun-city"
	s.Levels = append([]governance.Level{{Key: "city", Kind: governance.KindDistrict, NameZH: "市", NameEN: "city"}}, s.Levels...)
	return s
}

// builder adds entities as the admin actor, keeping the first error (sim.Builder).
type builder struct {
	sim.Builder
	r *rand.Rand
	w *world
}

// person adds a Party member (or not) of category party living at home, appointed to org
// in role when org is set, and counts the category.
func (b *builder) person(home string, party governance.PartyCategory, org string, role governance.Role) string {
	b.w.people++
	id := fmt.Sprintf("p%06d", b.w.people)
	if b.Err() != nil {
		return id
	}
	b.Person(governance.PersonInput{ID: id, Name: sim.PersonName(b.r), Phone: sim.Phone(b.r), Party: party, HomeNodeID: home})
	if b.Err() != nil {
		return id
	}
	if party.IsMember() {
		b.w.party[party]++
	}
	if org != "" {
		b.Appoint(governance.AppointInput{ID: "pos-" + id, PersonID: id, OrgID: org, Role: role})
	}
	return id
}

// buildWorld builds the city as it was before the re-districting: for each unit of scale 3
// streets and 26 communities with 6–10 compounds each, every compound with its branch, 2
// grids with their Party groups and 3 household-liaison nodes per grid; property firms
// serving 4 compounds each.
func buildWorld(ctx context.Context, r *rand.Rand, scale, year int) (*world, error) {
	clock := gridgov.NewFakeClock(sim.YearStart(year))
	reg, err := governance.NewRegistry(memory.NewGovernanceStore(), governance.WithScheme(scheme()),
		governance.WithClock(clock), governance.WithIDs(gridgov.NewSequence("dy")))
	if err != nil {
		return nil, err
	}
	w := &world{reg: reg, clock: clock, root: "dy", party: map[governance.PartyCategory]int{}}
	b := &builder{Builder: sim.Builder{Ctx: ctx, Reg: reg, Actor: admin}, r: r, w: w}
	b.Node(governance.NodeInput{ID: "dy", Level: "city", Name: "都匀市"})
	b.Org(governance.OrganisationInput{ID: "dept-housing", NodeID: "dy", Kind: governance.OrgDistrictDepartment, Name: "市住建局"})
	w.department = b.person("dy", governance.PartyInService, "dept-housing", governance.RoleManager)
	for range scale {
		b.unit()
	}
	return w, b.Err()
}

// streetNames are Duyun's street offices.
var streetNames = []string{"广惠路街道", "文峰街道", "沙包堡街道"}

func (b *builder) unit() {
	w := b.w
	first := len(w.streets)
	for s := range streetsPerUnit {
		i := len(w.streets)
		id := fmt.Sprintf("s%03d", i+1)
		name := streetNames[s]
		if i >= streetsPerUnit {
			name = fmt.Sprintf("%s%d", name, i/streetsPerUnit+1)
		}
		b.Node(governance.NodeInput{ID: id, ParentID: "dy", Level: "street", Name: name})
		b.Org(governance.OrganisationInput{ID: "pwc-" + id, NodeID: id, Kind: governance.OrgPartyWorkingCommittee, Name: name + "党工委"})
		w.streets = append(w.streets, street{id: id, name: name,
			secretary: b.person(id, governance.PartyInService, "pwc-"+id, governance.RoleSecretary),
			deputy:    b.person(id, governance.PartyInService, "pwc-"+id, governance.RoleDeputySecretary)})
	}
	for c := range oldCommunities {
		st := first + c%streetsPerUnit
		ci := b.community(st, fmt.Sprintf("%s第%d社区", w.streets[st].name, len(w.streets[st].communities)+1), false)
		for range 6 + b.r.IntN(5) {
			b.compound(ci)
		}
	}
	// Firms serve firmSize compounds of one street each, in order.
	for s := first; s < len(w.streets); s++ {
		var ks []int
		for _, ci := range w.streets[s].communities {
			ks = append(ks, w.communities[ci].compounds...)
		}
		for len(ks) > 0 {
			n := min(firmSize, len(ks))
			b.firm(ks[:n])
			ks = ks[n:]
		}
	}
}

// community adds a community with its Party committee, residents' committee and their
// heads; it returns the community's index.
func (b *builder) community(st int, name string, created bool) int {
	w := b.w
	i := len(w.communities)
	id := fmt.Sprintf("c%04d", i+1)
	note := ""
	if created {
		note = "区划调整新设"
	}
	b.Node(governance.NodeInput{ID: id, ParentID: w.streets[st].id, Level: "community", Name: name, Note: note})
	b.Org(governance.OrganisationInput{ID: "pc-" + id, NodeID: id, Kind: governance.OrgPartyCommittee, Name: name + "党委"})
	b.Org(governance.OrganisationInput{ID: "rc-" + id, NodeID: id, Kind: governance.OrgResidentsCommittee, Name: name + "居委会"})
	c := community{id: id, name: name, street: st, created: created,
		secretary: b.person(id, governance.PartyInService, "pc-"+id, governance.RoleSecretary),
		chair:     b.person(id, governance.PartyResident, "rc-"+id, governance.RoleChair)}
	w.communities = append(w.communities, c)
	w.streets[st].communities = append(w.streets[st].communities, i)
	return i
}

// compound adds a compound to community ci with its Party branch, grids, grid Party groups
// and household liaisons, drawing the liaisons' Party categories.
func (b *builder) compound(ci int) {
	w := b.w
	k := len(w.compounds)
	id := fmt.Sprintf("k%05d", k+1)
	cp := compound{id: id, name: sim.CompoundName(k), street: w.communities[ci].street, community: ci}
	b.Node(governance.NodeInput{ID: id, ParentID: w.communities[ci].id, Level: "compound", Name: cp.name})
	b.Org(governance.OrganisationInput{ID: "br-" + id, NodeID: id, Kind: governance.OrgPartyBranch, Name: cp.name + "党支部"})
	b.person(id, governance.PartyRetired, "br-"+id, governance.RoleSecretary)
	for g := range gridsPerCompd {
		gid := fmt.Sprintf("%s-g%d", id, g+1)
		b.Node(governance.NodeInput{ID: gid, ParentID: id, Level: "grid", Name: fmt.Sprintf("%s第%d网格", cp.name, g+1)})
		b.Org(governance.OrganisationInput{ID: "pg-" + gid, NodeID: gid, Kind: governance.OrgPartyGroup, Name: fmt.Sprintf("%s第%d网格党小组", cp.name, g+1)})
		gr := grid{id: gid, leader: b.person(gid, governance.PartyResident, "pg-"+gid, governance.RoleSecretary)}
		for h := range liaisonsPerGrid {
			hid := fmt.Sprintf("%s-h%d", gid, h+1)
			b.Node(governance.NodeInput{ID: hid, ParentID: gid, Level: "household", Name: fmt.Sprintf("%s第%d联户", cp.name, g*liaisonsPerGrid+h+1)})
			// Liaisons are retired, resident, mobile or SOE-socialised members (the in-service
			// ones register in the community instead, 双报到).
			cat := []governance.PartyCategory{governance.PartyRetired, governance.PartyResident, governance.PartyResident,
				governance.PartyMobile, governance.PartySOESocial}[b.r.IntN(5)]
			b.person(hid, cat, "pg-"+gid, governance.RoleHouseholdLiaison)
			gr.households = append(gr.households, hid)
		}
		cp.grids = append(cp.grids, gr)
	}
	w.compounds = append(w.compounds, cp)
	w.communities[ci].compounds = append(w.communities[ci].compounds, k)
}

// firm adds a property firm serving the compounds ks, registered at their street (firms
// outlive the re-drawing of communities).
func (b *builder) firm(ks []int) {
	w := b.w
	i := len(w.firms)
	id := fmt.Sprintf("firm%04d", i+1)
	f := firm{id: id, name: fmt.Sprintf("物业公司%d号", i+1), serves: ks, quality: b.r.Float64()}
	var serves []string
	for _, k := range ks {
		serves = append(serves, w.compounds[k].id)
		w.compounds[k].firm = i
	}
	home := w.streets[w.compounds[ks[0]].street].id
	b.Org(governance.OrganisationInput{ID: id, NodeID: home, Kind: governance.OrgPropertyFirm, Name: f.name, Serves: serves})
	f.manager = b.person(home, governance.NotPartyMember, id, governance.RoleManager)
	w.firms = append(w.firms, f)
}

// redistrictAll re-draws each unit's 26 communities into 45 (区划调整) on the first working
// Monday of the year: the 2 smallest communities are merged into the smallest neighbour of
// their street and retired, then the 21 largest left are split, half of their compounds
// moving to a new community. Every move and retirement stays in the nodes' history (沿革).
// In-service members then register (双报到) in every community as it now stands.
func redistrictAll(ctx context.Context, w *world, r *rand.Rand, scale int) error {
	w.redistrict.at = time.Date(w.clock.Now().Year(), time.January, 5, 9, 0, 0, 0, sim.CST)
	w.clock.Set(w.redistrict.at)
	b := &builder{Builder: sim.Builder{Ctx: ctx, Reg: w.reg, Actor: admin}, r: r, w: w}
	note := fmt.Sprintf("%d年区划调整：%d个社区调整为%d个", w.redistrict.at.Year(), oldCommunities, newCommunities)
	for u := range scale {
		comms := make([]int, 0, oldCommunities)
		for i := u * oldCommunities; i < (u+1)*oldCommunities; i++ {
			comms = append(comms, i)
		}
		bySize := func(a, c int) int {
			return cmp.Or(cmp.Compare(len(w.communities[a].compounds), len(w.communities[c].compounds)),
				cmp.Compare(w.communities[a].id, w.communities[c].id))
		}
		slices.SortFunc(comms, bySize)
		for _, gone := range comms[:mergedAway] {
			into := -1
			for _, c := range comms[mergedAway:] {
				if w.communities[c].street == w.communities[gone].street {
					into = c
					break
				}
			}
			if err := b.move(slices.Clone(w.communities[gone].compounds), into, note); err != nil {
				return err
			}
			g := &w.communities[gone]
			if err := dissolve(ctx, w, []string{g.secretary, g.chair}, "pc-"+g.id, "rc-"+g.id); err != nil {
				return err
			}
			if _, err := w.reg.RetireNode(ctx, admin, governance.RetireInput{ID: g.id, Note: note}); err != nil {
				return err
			}
			g.retired = true
			w.redistrict.retired++
		}
		rest := slices.Clone(comms[mergedAway:])
		slices.SortFunc(rest, func(a, c int) int { return bySize(c, a) })
		for _, big := range rest[:newCommunities-oldCommunities+mergedAway] {
			from := w.communities[big]
			st := &w.streets[from.street]
			ci := b.community(from.street, fmt.Sprintf("%s第%d社区", st.name, len(st.communities)+1), true)
			if b.Err() != nil {
				return b.Err()
			}
			half := from.compounds[len(from.compounds)/2:]
			if err := b.move(slices.Clone(half), ci, note); err != nil {
				return err
			}
			w.redistrict.created++
		}
	}
	for i := range w.communities {
		c := &w.communities[i]
		if c.retired {
			continue
		}
		for range membersPerComm {
			pid := b.person(c.id, governance.PartyInService, "", "")
			b.Register(governance.RegistrationInput{CommunityID: c.id, PersonID: pid})
			c.members = append(c.members, pid)
		}
	}
	w.redistrict.before = oldCommunities * scale
	w.redistrict.after = len(w.communities) - w.redistrict.retired
	return b.Err()
}

// move moves compounds ks (with their grids and households) under community to.
func (b *builder) move(ks []int, to int, note string) error {
	w := b.w
	for _, k := range ks {
		cp := &w.compounds[k]
		if _, err := w.reg.MoveNode(b.Ctx, admin, governance.MoveInput{ID: cp.id, NewParentID: w.communities[to].id, Note: note}); err != nil {
			return err
		}
		old := &w.communities[cp.community]
		old.compounds = slices.DeleteFunc(old.compounds, func(x int) bool { return x == k })
		cp.community = to
		w.communities[to].compounds = append(w.communities[to].compounds, k)
		w.redistrict.moved++
	}
	return nil
}

// dissolve ends the positions of heads (each holds one position, "pos-" + ID) and dissolves
// the organisations orgs.
func dissolve(ctx context.Context, w *world, heads []string, orgs ...string) error {
	for _, p := range heads {
		if _, err := w.reg.EndPosition(ctx, admin, governance.EndInput{PositionID: "pos-" + p}); err != nil {
			return err
		}
	}
	for _, org := range orgs {
		if _, err := w.reg.DissolveOrganisation(ctx, admin, governance.DissolveInput{OrgID: org}); err != nil {
			return err
		}
	}
	return nil
}
