package main

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"time"

	"github.com/gridgov/gridgov"
	"github.com/gridgov/gridgov/governance"
	"github.com/gridgov/gridgov/store/memory"
	"github.com/shopspring/decimal"
)

// The Xiangshan figures at scale 1.
const (
	baseCompounds = 292 // compound/grid Party organisations
	baseRed       = 249 // red owners' committees
	baseFirms     = 81  // property firms
	baseBranch    = 34  // firms with their own Party branch (the other 47 have an instructor)
	baseStreets   = 4
	baseComms     = 5 // communities per street
	baseMembers   = 200
)

// scheme is the district and street levels on top of the Xiangshan three levels: users
// compose their own schemes from the presets.
func scheme() governance.Scheme {
	s := governance.ThreeLevelXiangshan()
	s.Name = "xiangshan-district"
	s.Levels = append([]governance.Level{
		{Key: "district", Kind: governance.KindDistrict, NameZH: "区", NameEN: "district"},
		{Key: "street", Kind: governance.KindStreet, NameZH: "街道", NameEN: "street"},
	}, s.Levels...)
	return s
}

// district is the built tree and what the report needs to know about how it was built.
type district struct {
	reg         *governance.Registry
	root        string
	communities []string // in creation order, including the re-drawn ones
	moved       int      // compounds moved in the re-districting
	newComms    int
}

var admin = gridgov.SystemActor("orgtree")

func buildDistrict(ctx context.Context, cfg config) (*district, error) {
	rng := rand.New(rand.NewPCG(cfg.seed, 0x9e3779b97f4a7c15))
	clock := gridgov.NewFakeClock(time.Date(2026, 1, 5, 9, 0, 0, 0, time.FixedZone("CST", 8*3600)))
	reg, err := governance.NewRegistry(memory.NewGovernanceStore(),
		governance.WithScheme(scheme()), governance.WithClock(clock), governance.WithIDs(gridgov.NewSequence("x")))
	if err != nil {
		return nil, err
	}
	d := &district{reg: reg, root: "xs"}
	b := builder{ctx: ctx, reg: reg}
	b.node("xs", "", "district", "相山区")

	s := cfg.scale
	var streets []string
	for i := 0; i < baseStreets*s; i++ {
		id := fmt.Sprintf("st%03d", i)
		b.node(id, "xs", "street", fmt.Sprintf("第%d街道", i+1))
		streets = append(streets, id)
		for j := 0; j < baseComms; j++ {
			cid := fmt.Sprintf("%s-c%d", id, j)
			b.node(cid, id, "community", fmt.Sprintf("第%d街道%d社区", i+1, j+1))
			d.communities = append(d.communities, cid)
		}
	}

	// Compounds, spread over the communities at random, each with a few buildings, a Party
	// branch and either a red owners' committee or a management committee.
	compounds := make([]string, baseCompounds*s)
	for k := range compounds {
		comm := d.communities[rng.IntN(len(d.communities))]
		if k < len(d.communities) {
			comm = d.communities[k] // every community gets at least one
		}
		id := fmt.Sprintf("%s-k%03d", comm, k)
		compounds[k] = id
		b.node(id, comm, "compound", fmt.Sprintf("小区%03d", k+1))
		for u := 0; u < 3+rng.IntN(6); u++ {
			b.node(fmt.Sprintf("%s-b%d", id, u), id, "building", fmt.Sprintf("%d号楼", u+1))
		}
	}
	order := rng.Perm(len(compounds))
	for rank, k := range order {
		id := compounds[k]
		branch := b.org(id+"-pb", id, governance.OrgPartyBranch, "小区党支部")
		kind, name := governance.OrgOwnersCommittee, "业主委员会"
		if rank >= baseRed*s {
			kind, name = governance.OrgManagementCommittee, "物业管理委员会"
		}
		committee := b.org(id+"-cm", id, kind, name)
		sec := b.person(id+"-sec", id, governance.PartyRetired)
		b.appoint(sec, branch, governance.RoleSecretary)
		chair := sec // one shoulder (一肩挑) in about a third of compounds
		if rng.IntN(3) != 0 {
			chair = b.person(id+"-chair", id, governance.PartyResident)
		}
		b.appoint(chair, committee, governance.RoleChair)
		for m := 0; m < 2+rng.IntN(3); m++ {
			member := b.person(fmt.Sprintf("%s-m%d", id, m), id, governance.PartyRetired)
			b.appoint(member, branch, governance.RoleMember)
			if rng.IntN(5) < 2 { // cross-appointment (交叉任职)
				b.appoint(member, committee, governance.RoleMember)
			}
		}
	}

	// Property firms registered at streets, serving compounds; 34 with a branch, the rest
	// covered by an instructor appointed by the street.
	served := rng.Perm(len(compounds))
	firms := baseFirms * s
	for f := 0; f < firms; f++ {
		street := streets[f%len(streets)]
		var serves []string
		for i := f; i < len(served); i += firms {
			serves = append(serves, compounds[served[i]])
		}
		slices.Sort(serves)
		id := fmt.Sprintf("firm%03d", f)
		b.orgIn(governance.OrganisationInput{ID: id, NodeID: street, Kind: governance.OrgPropertyFirm, Name: fmt.Sprintf("物业公司%03d", f+1), Serves: serves})
		if f < baseBranch*s {
			b.orgIn(governance.OrganisationInput{ID: id + "-pb", NodeID: street, Kind: governance.OrgPartyBranch, Name: "物业企业党支部", HostID: id})
		} else {
			instructor := b.person(id+"-ins", street, governance.PartyInService)
			b.appoint(instructor, id, governance.RoleInstructor)
		}
	}

	// Re-districting: the two largest communities each give half their compounds to a new
	// community in the same street (区划调整); every move stays in the history.
	if err := b.err; err != nil {
		return nil, err
	}
	if err := d.redraw(ctx, &b, 2); err != nil {
		return nil, err
	}

	// In-service members register in their communities (双报到), claim a project and serve.
	for i := 0; i < baseMembers*s && b.err == nil; i++ {
		comm := d.communities[rng.IntN(len(d.communities))]
		p := b.person(fmt.Sprintf("cadre%04d", i), comm, governance.PartyInService)
		reg := b.register(comm, p)
		project := fmt.Sprintf("%s-proj%d", comm, rng.IntN(3))
		b.project(project, comm)
		b.claim(project, reg)
		for v := 0; v < 1+rng.IntN(4); v++ {
			hours := decimal.New(int64(1+rng.IntN(8)), 0).Add(decimal.New(int64(rng.IntN(4))*25, -2))
			b.serve(project, reg, clock.Now().AddDate(0, 0, v*7), hours)
		}
	}
	return d, b.err
}

// redraw moves half the compounds of the n largest communities into new communities.
func (d *district) redraw(ctx context.Context, b *builder, n int) error {
	type sized struct {
		id   string
		kids []governance.Node
	}
	var all []sized
	for _, c := range d.communities {
		kids, err := d.reg.Children(ctx, c)
		if err != nil {
			return err
		}
		all = append(all, sized{c, kids})
	}
	slices.SortStableFunc(all, func(a, b sized) int { return len(b.kids) - len(a.kids) })
	for i := 0; i < n && i < len(all); i++ {
		c, err := d.reg.Node(ctx, all[i].id)
		if err != nil {
			return err
		}
		nid := c.ID + "-new"
		b.node(nid, c.ParentID, "community", c.Name+"（新设）")
		for _, k := range all[i].kids[len(all[i].kids)/2:] {
			if _, err := d.reg.MoveNode(ctx, admin, governance.MoveInput{ID: k.ID, NewParentID: nid, Note: "区划调整"}); err != nil {
				return err
			}
			d.moved++
		}
		d.communities = append(d.communities, nid)
		d.newComms++
	}
	return b.err
}

// builder adds entities and keeps the first error, so the build reads as a script.
type builder struct {
	ctx      context.Context
	reg      *governance.Registry
	projects map[string]bool // projects already added
	err      error
}

func (b *builder) node(id, parent, level, name string) {
	if b.err == nil {
		_, b.err = b.reg.AddNode(b.ctx, admin, governance.NodeInput{ID: id, ParentID: parent, Level: level, Name: name})
	}
}

func (b *builder) org(id, node string, kind governance.OrgKind, name string) string {
	return b.orgIn(governance.OrganisationInput{ID: id, NodeID: node, Kind: kind, Name: name})
}

func (b *builder) orgIn(in governance.OrganisationInput) string {
	if b.err == nil {
		_, b.err = b.reg.AddOrganisation(b.ctx, admin, in)
	}
	return in.ID
}

func (b *builder) person(id, home string, party governance.PartyCategory) string {
	if b.err == nil {
		_, b.err = b.reg.AddPerson(b.ctx, admin, governance.PersonInput{ID: id, Name: "居民" + id, Party: party, HomeNodeID: home})
	}
	return id
}

func (b *builder) appoint(person, org string, role governance.Role) {
	if b.err == nil {
		_, b.err = b.reg.Appoint(b.ctx, admin, governance.AppointInput{PersonID: person, OrgID: org, Role: role})
	}
}

func (b *builder) register(community, person string) string {
	if b.err != nil {
		return ""
	}
	r, err := b.reg.Register(b.ctx, gridgov.PersonActor(person), governance.RegistrationInput{CommunityID: community, PersonID: person})
	b.err = err
	return r.ID
}

func (b *builder) project(id, community string) {
	if b.err != nil {
		return
	}
	if b.projects[id] {
		return
	}
	if b.projects == nil {
		b.projects = map[string]bool{}
	}
	b.projects[id] = true
	_, b.err = b.reg.AddProject(b.ctx, admin, governance.ProjectInput{ID: id, CommunityID: community, Title: "服务项目" + id})
}

func (b *builder) claim(project, reg string) {
	if b.err == nil {
		_, b.err = b.reg.Claim(b.ctx, admin, governance.ClaimInput{ProjectID: project, RegistrationID: reg})
	}
}

func (b *builder) serve(project, reg string, day time.Time, hours decimal.Decimal) {
	if b.err == nil {
		_, b.err = b.reg.RecordService(b.ctx, admin, governance.ServiceInput{ProjectID: project, RegistrationID: reg, Date: day, Hours: hours})
	}
}
