package deliberation_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"

	"github.com/gridgov/gridgov"
	"github.com/gridgov/gridgov/escalation"
	"github.com/gridgov/gridgov/governance"
	"github.com/gridgov/gridgov/governance/deliberation"
	"github.com/gridgov/gridgov/store/memory"
)

var (
	ctx    = context.Background()
	system = gridgov.SystemActor("test")
	cst    = time.FixedZone("CST", 8*3600)
	// start is Monday 2 March 2026, 09:00 in Beijing.
	start = time.Date(2026, 3, 2, 9, 0, 0, 0, cst)
)

// People of the fixture.
var (
	secretary    = gridgov.PersonActor("sec")    // secretary of the community Party committee pc1
	member       = gridgov.PersonActor("mem")    // member of pc1 (no permission of their own)
	chairRC      = gridgov.PersonActor("rcc")    // chair of the residents' committee (deliberates, not in pc1)
	ownersChair  = gridgov.PersonActor("occ")    // chair of the owners' committee of compound k1
	firmManager  = gridgov.PersonActor("fm")     // manager of the property firm serving k1
	leader       = gridgov.PersonActor("bl3")    // building leader of building b3
	reporter     = gridgov.PersonActor("res")    // the resident who complained (owner of 3-2-501)
	spouse       = gridgov.PersonActor("res-sp") // co-owner of 3-2-501
	stranger     = gridgov.PersonActor("nobody") // holds no position
	otherLeader  = gridgov.PersonActor("bl9")    // building leader in another community
	otherCompany = gridgov.PersonActor("fm9")    // firm manager in another community
)

// scheme is Beiyuan's tree: street → community → compound → building.
func scheme() governance.Scheme {
	return governance.Scheme{Name: "beiyuan", Levels: []governance.Level{
		{Key: "street", Kind: governance.KindStreet, NameZH: "街道", NameEN: "street"},
		{Key: "community", Kind: governance.KindCommunity, NameZH: "社区", NameEN: "community"},
		{Key: "compound", Kind: governance.KindCompound, NameZH: "小区", NameEN: "compound"},
		{Key: "building", Kind: governance.KindBuilding, NameZH: "楼栋", NameEN: "building"},
	}}
}

type fixture struct {
	t     testing.TB
	clock *gridgov.FakeClock
	reg   *governance.Registry
	store *memory.DeliberationStore
	cs    *memory.EscalationStore
	eng   *escalation.Engine
	forum *deliberation.Forum
}

// newFixture builds the Beiyuan tree, its organisations and people, an escalation engine
// and a forum linked to it:
//
//	st 北园街道 (stc: street Party working committee)
//	├── c1 亲邻社区 (pc1: community Party committee, sec secretary, mem member; rc1: rcc chair)
//	│   └── k1 幸福小区 (oc1: owners' committee, occ chair; firm: property firm, fm manager)
//	│       ├── b3 3号楼 (pg3: Party group, bl3 building leader; labels area 1287.50, owners 11, households 12)
//	│       └── b4 4号楼
//	└── c2 和平社区 ── k2 ── b9 (bl9 building leader; firm9 with fm9; no Party committee)
func newFixture(t testing.TB, opts ...deliberation.Option) *fixture {
	t.Helper()
	f := &fixture{t: t, clock: gridgov.NewFakeClock(start), store: memory.NewDeliberationStore(),
		cs: memory.NewEscalationStore()}
	reg, err := governance.NewRegistry(memory.NewGovernanceStore(), governance.WithScheme(scheme()),
		governance.WithClock(f.clock), governance.WithIDs(gridgov.NewSequence("gov")))
	require.NoError(t, err)
	f.reg = reg
	for _, n := range []governance.NodeInput{
		{ID: "st", Level: "street", Name: "北园街道"},
		{ID: "c1", ParentID: "st", Level: "community", Name: "亲邻社区"},
		{ID: "k1", ParentID: "c1", Level: "compound", Name: "幸福小区"},
		{ID: "b3", ParentID: "k1", Level: "building", Name: "3号楼",
			Labels: map[string]string{"area": "1287.50", "owners": "11", "households": "12"}},
		{ID: "b4", ParentID: "k1", Level: "building", Name: "4号楼"},
		{ID: "c2", ParentID: "st", Level: "community", Name: "和平社区"},
		{ID: "k2", ParentID: "c2", Level: "compound", Name: "和平小区"},
		{ID: "b9", ParentID: "k2", Level: "building", Name: "9号楼"},
	} {
		_, err := reg.AddNode(ctx, system, n)
		require.NoError(t, err)
	}
	for _, o := range []governance.OrganisationInput{
		{ID: "stc", NodeID: "st", Kind: governance.OrgPartyWorkingCommittee, Name: "北园街道党工委"},
		{ID: "pc1", NodeID: "c1", Kind: governance.OrgPartyCommittee, Name: "亲邻社区党委"},
		{ID: "rc1", NodeID: "c1", Kind: governance.OrgResidentsCommittee, Name: "亲邻社区居委会"},
		{ID: "oc1", NodeID: "k1", Kind: governance.OrgOwnersCommittee, Name: "幸福小区业委会"},
		{ID: "firm", NodeID: "k1", Kind: governance.OrgPropertyFirm, Name: "红心物业", Serves: []string{"k1"}},
		{ID: "pg3", NodeID: "b3", Kind: governance.OrgPartyGroup, Name: "3号楼党小组"},
		{ID: "pg9", NodeID: "b9", Kind: governance.OrgPartyGroup, Name: "9号楼党小组"},
		{ID: "firm9", NodeID: "k2", Kind: governance.OrgPropertyFirm, Name: "和平物业"},
	} {
		_, err := reg.AddOrganisation(ctx, system, o)
		require.NoError(t, err)
	}
	for _, p := range []struct {
		id, home, org string
		role          governance.Role
		party         governance.PartyCategory
	}{
		{"sec", "c1", "pc1", governance.RoleSecretary, governance.PartyResident},
		{"mem", "c1", "pc1", governance.RoleMember, governance.PartyResident},
		{"rcc", "c1", "rc1", governance.RoleChair, ""},
		{"occ", "k1", "oc1", governance.RoleChair, governance.PartyRetired},
		{"fm", "k1", "firm", governance.RoleManager, ""},
		{"bl3", "b3", "pg3", governance.RoleBuildingLeader, governance.PartyRetired},
		{"bl9", "b9", "pg9", governance.RoleBuildingLeader, ""},
		{"fm9", "k2", "firm9", governance.RoleManager, ""},
		{"res", "b3", "", "", ""},
		{"nobody", "b4", "", "", ""},
	} {
		_, err := reg.AddPerson(ctx, system, governance.PersonInput{ID: p.id, Name: "王" + p.id,
			Phone: "13800138000", HomeNodeID: p.home, Party: p.party})
		require.NoError(t, err)
		if p.org != "" {
			_, err = reg.Appoint(ctx, system, governance.AppointInput{PersonID: p.id, OrgID: p.org, Role: p.role})
			require.NoError(t, err)
		}
	}
	eng, err := escalation.NewEngine(f.cs, reg, escalation.LadderPolicy(scheme()),
		escalation.WithCalendar(escalation.WeekendsOnly(cst)), escalation.WithClock(f.clock),
		escalation.WithIDs(gridgov.NewSequence("cp")))
	require.NoError(t, err)
	f.eng = eng
	opts = append([]deliberation.Option{deliberation.WithClock(f.clock),
		deliberation.WithIDs(gridgov.NewSequence("item")), deliberation.WithComplaints(eng)}, opts...)
	forum, err := deliberation.NewForum(f.store, reg, opts...)
	require.NoError(t, err)
	f.forum = forum
	return f
}

// dec parses a decimal.
func dec(s string) decimal.Decimal { return decimal.RequireFromString(s) }

// unitRoll is the vote roll of unit 2 of building 3: twelve flats, eleven owners (o601 owns
// both flats on the sixth floor), 1287.50 m² in all. The reporter owns 3-2-501 with a
// co-owner.
func unitRoll() deliberation.Roll {
	hs := []deliberation.Household{
		{ID: "3-2-101", OwnerID: "o101", Area: dec("89.50")},
		{ID: "3-2-102", OwnerID: "o102", Area: dec("112.30")},
		{ID: "3-2-201", OwnerID: "o201", Area: dec("89.50")},
		{ID: "3-2-202", OwnerID: "o202", Area: dec("112.30")},
		{ID: "3-2-301", OwnerID: "o301", Area: dec("95.20")},
		{ID: "3-2-302", OwnerID: "o302", Area: dec("118.60")},
		{ID: "3-2-401", OwnerID: "o401", Area: dec("95.20")},
		{ID: "3-2-402", OwnerID: "o402", Area: dec("118.60")},
		{ID: "3-2-501", OwnerID: "res", CoOwners: []string{"res-sp"}, Area: dec("101.75")},
		{ID: "3-2-502", OwnerID: "o502", Area: dec("126.40")},
		{ID: "3-2-601", OwnerID: "o601", Area: dec("101.75")},
		{ID: "3-2-602", OwnerID: "o601", Area: dec("126.40")},
	}
	return deliberation.Roll{TotalArea: dec("1287.50"), TotalOwners: 11, Households: hs}
}

// unitDoorOptions are Beiyuan's two options for the broken unit door.
func unitDoorOptions() []deliberation.ProposalInput {
	return []deliberation.ProposalInput{
		{ID: "fund", Title: "动用公共维修资金更换单元门", Cost: dec("6800.00"),
			Funding: deliberation.FundMaintenance, Matter: deliberation.MatterUseFund},
		{ID: "self", Title: "居民自筹，物业补贴30%", Cost: dec("6800.00"),
			Funding: deliberation.FundResidents, SubsidyRate: dec("0.3"), SubsidyFrom: "firm",
			Basis: "area", Matter: deliberation.MatterOther},
	}
}

// complaint submits the reporter's complaint about the unit door of building 3 and has the
// property firm accept, refer and sign for it.
func (f *fixture) complaint() escalation.Complaint {
	f.t.Helper()
	c, err := f.eng.Submit(ctx, reporter, escalation.Intake{Channel: escalation.ChannelChatGroup,
		Category: deliberation.CategoryUnitDoor, Description: "3号楼2单元单元门损坏，无法关闭",
		NodeID: "b3", ReporterID: "res", ReporterName: "李小明", ReporterPhone: "13912345678"})
	require.NoError(f.t, err)
	s := escalation.Step{ID: c.ID}
	_, err = f.eng.Accept(ctx, firmManager, s)
	require.NoError(f.t, err)
	_, err = f.eng.Refer(ctx, firmManager, escalation.Referral{Step: s})
	require.NoError(f.t, err)
	c, err = f.eng.Sign(ctx, firmManager, s)
	require.NoError(f.t, err)
	return c
}

// raise raises a direct item at building b3 and returns it.
func (f *fixture) raise() deliberation.Item {
	f.t.Helper()
	it, err := f.forum.Raise(ctx, leader, deliberation.RaiseInput{Source: deliberation.SourceBuildingMeeting,
		NodeID: "b3", Title: "3号楼2单元单元门更换", Category: deliberation.CategoryUnitDoor})
	require.NoError(f.t, err)
	return it
}

// firstRound are the first round's participants.
func firstRound() []deliberation.ParticipantInput {
	return []deliberation.ParticipantInput{
		{Kind: deliberation.KindPropertyFirm, PersonID: "fm", OrgID: "firm", Name: "王经理"},
		{Kind: deliberation.KindOwnersCommittee, PersonID: "occ", OrgID: "oc1", Name: "赵主任"},
		{Kind: deliberation.KindBuildingLeader, PersonID: "bl3", Name: "孙楼长"},
		{Kind: deliberation.KindResidentActivist, Name: "周阿姨"},
	}
}

// meeting are the consultation meeting's invited participants: p1…p8; p6 (legal adviser)
// and p8 (third party) advise without voting.
func meeting() []deliberation.ParticipantInput {
	return []deliberation.ParticipantInput{
		{Kind: deliberation.KindPartyMember, PersonID: "sec", Name: "刘书记"},
		{Kind: deliberation.KindResidentRep, PersonID: "res", Name: "李小明"},
		{Kind: deliberation.KindResidentRep, Name: "陈大爷"},
		{Kind: deliberation.KindDeputy, Name: "吴代表"},
		{Kind: deliberation.KindCommitteeMember, PersonID: "occ", Name: "赵主任"},
		{Kind: deliberation.KindLegalAdviser, Name: "郑律师"},
		{Kind: deliberation.KindStakeholder, PersonID: "fm", OrgID: "firm", Name: "王经理"},
		{Kind: deliberation.KindThirdParty, Name: "潍坊社工中心"},
	}
}

// toProposed takes a fresh direct item through the first round, referral, review, meeting
// (all but p4 attend) and options; it returns the item in StateProposed.
func (f *fixture) toProposed() deliberation.Item {
	f.t.Helper()
	it := f.raise()
	s := deliberation.Step{ID: it.ID}
	f.must(f.forum.StartFirstRound(ctx, ownersChair, deliberation.FirstRoundInput{Step: s, Participants: firstRound()}))
	f.must(f.forum.Refer(ctx, ownersChair, deliberation.Step{ID: it.ID, Note: "资金来源意见分歧，首轮协商未能达成一致"}))
	f.must(f.forum.Review(ctx, secretary, deliberation.Step{ID: it.ID, Note: "属公共事务，受理"}))
	f.must(f.forum.Convene(ctx, secretary, deliberation.MeetingInput{Step: s, Title: "单元门更换协商会",
		Place: "社区议事厅", ScheduledAt: start.Add(72 * time.Hour), Participants: meeting()}))
	f.must(f.forum.HoldMeeting(ctx, secretary, deliberation.AttendanceInput{Step: s,
		Attended: []string{"p1", "p2", "p3", "p5", "p6", "p7", "p8"}, Minutes: "形成两个方案，逐户征求意见"}))
	return f.must(f.forum.Propose(ctx, secretary, deliberation.ProposalsInput{Step: s, Proposals: unitDoorOptions()}))
}

// toVoting opens an owners' vote under art. 278 with the unit's roll.
func (f *fixture) toVoting() deliberation.Item {
	f.t.Helper()
	it := f.toProposed()
	return f.must(f.forum.OpenVote(ctx, secretary, deliberation.OpenVoteInput{Step: deliberation.Step{ID: it.ID},
		Rule: deliberation.CivilCode278(), Roll: unitRoll()}))
}

// canvass records the Beiyuan canvass: nine households for "self", one for "fund", one
// abstains, 3-2-602 is not reached. The building leader collects all but 3-2-501, whose
// co-owner votes herself.
func (f *fixture) canvass(id string) deliberation.Item {
	f.t.Helper()
	sheet := []deliberation.BallotInput{
		{HouseholdID: "3-2-101", VoterID: "o101", Choice: "fund"},
		{HouseholdID: "3-2-102", VoterID: "o102", Choice: "self"},
		{HouseholdID: "3-2-201", VoterID: "o201", Choice: "self"},
		{HouseholdID: "3-2-202", VoterID: "o202", Choice: "self"},
		{HouseholdID: "3-2-301", VoterID: "o301", Choice: "self"},
		{HouseholdID: "3-2-302", VoterID: "o302", Choice: deliberation.ChoiceAbstain},
		{HouseholdID: "3-2-401", VoterID: "o401", Choice: "self"},
		{HouseholdID: "3-2-402", VoterID: "o402", Choice: "self"},
		{HouseholdID: "3-2-502", VoterID: "o502", Choice: "self"},
		{HouseholdID: "3-2-601", VoterID: "o601", Choice: "self"},
	}
	f.must(f.forum.Cast(ctx, leader, deliberation.CastInput{Step: deliberation.Step{ID: id}, Ballots: sheet}))
	return f.must(f.forum.Cast(ctx, spouse, deliberation.CastInput{Step: deliberation.Step{ID: id},
		Ballots: []deliberation.BallotInput{{HouseholdID: "3-2-501", VoterID: "res-sp", Choice: "self",
			Method: deliberation.MethodWritten}}}))
}

func (f *fixture) must(it deliberation.Item, err error) deliberation.Item {
	f.t.Helper()
	require.NoError(f.t, err)
	return it
}

// snapshot is everything the deliberation store holds, as its queries show it.
type snapshot struct {
	Items       []deliberation.Item
	Histories   map[string][]deliberation.Event
	Disclosures []deliberation.Disclosure
}

func (f *fixture) snapshot() snapshot {
	f.t.Helper()
	items, _, err := f.store.ListItems(ctx, deliberation.Query{})
	require.NoError(f.t, err)
	snap := snapshot{Items: items, Histories: map[string][]deliberation.Event{}}
	for _, it := range items {
		h, err := f.store.History(ctx, it.ID)
		require.NoError(f.t, err)
		snap.Histories[it.ID] = h
	}
	snap.Disclosures, err = f.store.Disclosures(ctx, deliberation.DisclosureQuery{})
	require.NoError(f.t, err)
	return snap
}

// requireRefused checks that err wraps kind and that the store is unchanged since before.
func (f *fixture) requireRefused(before snapshot, err error, kind error, msgAndArgs ...any) {
	f.t.Helper()
	require.ErrorIs(f.t, err, kind, msgAndArgs...)
	var verr *gridgov.ValidationError
	if errors.As(err, &verr) {
		for _, fe := range verr.Fields {
			require.NotEmpty(f.t, fe.EN, "English message for %s", fe.Field)
			require.NotEmpty(f.t, fe.ZH, "Chinese message for %s", fe.Field)
		}
	}
	require.Equal(f.t, before, f.snapshot(), msgAndArgs...)
}

// requireFields asserts err is a ValidationError of kind naming exactly fields, each with
// an English and a Chinese message.
func requireFields(t testing.TB, err error, kind error, fields ...string) {
	t.Helper()
	require.ErrorIs(t, err, kind)
	var verr *gridgov.ValidationError
	require.True(t, errors.As(err, &verr), "want a *gridgov.ValidationError, got %T: %v", err, err)
	require.ElementsMatch(t, fields, verr.FieldNames(), "fields of %v", err)
	for _, fe := range verr.Fields {
		require.NotEmpty(t, fe.EN, "English message for %s", fe.Field)
		require.NotEmpty(t, fe.ZH, "Chinese message for %s", fe.Field)
	}
}

var errInvalidTransition = gridgov.ErrInvalidTransition

func errorsIs(err, target error) bool { return errors.Is(err, target) }
