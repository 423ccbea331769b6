package escalation_test

import (
	"fmt"
	"time"

	"github.com/gridgov/gridgov"
	"github.com/gridgov/gridgov/escalation"
	"github.com/gridgov/gridgov/governance"
	"github.com/gridgov/gridgov/store/memory"
)

// demo builds a street with one community, grid and building, a grid worker, a community
// chair, the street secretary and deputy, and an engine with the Xiangshan ladder.
func demo() (*escalation.Engine, *gridgov.FakeClock) {
	clock := gridgov.NewFakeClock(time.Date(2026, 3, 2, 9, 0, 0, 0, time.FixedZone("CST", 8*3600)))
	reg, _ := governance.NewRegistry(memory.NewGovernanceStore(),
		governance.WithScheme(governance.FourLevelLadder()), governance.WithClock(clock))
	sys := gridgov.SystemActor("setup")
	for _, n := range []governance.NodeInput{
		{ID: "st", Level: "street", Name: "北园街道"},
		{ID: "c1", ParentID: "st", Level: "community", Name: "幸福社区"},
		{ID: "g1", ParentID: "c1", Level: "grid", Name: "一网格"},
		{ID: "b1", ParentID: "g1", Level: "building", Name: "1号楼"},
	} {
		_, _ = reg.AddNode(ctx, sys, n)
	}
	for _, o := range []governance.OrganisationInput{
		{ID: "stc", NodeID: "st", Kind: governance.OrgPartyWorkingCommittee, Name: "街道党工委"},
		{ID: "rc1", NodeID: "c1", Kind: governance.OrgResidentsCommittee, Name: "居委会"},
		{ID: "ss1", NodeID: "g1", Kind: governance.OrgServiceStation, Name: "服务站"},
	} {
		_, _ = reg.AddOrganisation(ctx, sys, o)
	}
	for _, p := range []struct {
		id, org string
		role    governance.Role
	}{
		{"gw1", "ss1", governance.RoleGridWorker}, {"cm1", "rc1", governance.RoleChair},
		{"st1", "stc", governance.RoleSecretary}, {"sv1", "stc", governance.RoleDeputySecretary},
	} {
		_, _ = reg.AddPerson(ctx, sys, governance.PersonInput{ID: p.id, Name: "王" + p.id, HomeNodeID: "st"})
		_, _ = reg.Appoint(ctx, sys, governance.AppointInput{PersonID: p.id, OrgID: p.org, Role: p.role})
	}
	_, _ = reg.AddPerson(ctx, sys, governance.PersonInput{ID: "res", Name: "李小明", HomeNodeID: "b1"})
	eng, _ := escalation.NewEngine(memory.NewEscalationStore(), reg,
		escalation.LadderPolicy(governance.FourLevelLadder()), escalation.WithClock(clock),
		escalation.WithIDs(gridgov.NewSequence("cp")))
	return eng, clock
}

// The closed loop: a resident's complaint is taken in at the building, escalated to the
// street, which blows the whistle; the parties report, the matter is resolved, verified,
// rated and archived.
func Example() {
	eng, clock := demo()
	gw, st, cm := gridgov.PersonActor("gw1"), gridgov.PersonActor("st1"), gridgov.PersonActor("cm1")
	res := gridgov.PersonActor("res")

	c, _ := eng.Submit(ctx, res, escalation.Intake{Key: "wx-001", Channel: escalation.ChannelChatGroup,
		Category: "parking", Description: "消防通道被占用", NodeID: "b1", ReporterID: "res",
		ReporterName: "李小明", ReporterPhone: "13912345678"})
	fmt.Println(c.ID, c.State, c.TierLevel, c.Reporter.Phone)

	s := escalation.Step{ID: c.ID}
	c, _ = eng.Accept(ctx, gw, s)
	c, _ = eng.Refer(ctx, gw, escalation.Referral{Step: s})
	c, _ = eng.Sign(ctx, gw, s)
	// building → grid → community: the grid worker escalates; the community chair takes it
	// on to the street.
	for _, by := range []gridgov.Actor{gw, gw, cm} {
		c, _ = eng.Escalate(ctx, by, escalation.Step{ID: c.ID, Note: "涉及多方，超出处置权限"})
	}
	fmt.Println(c.State, c.TierLevel, c.Escalations)

	c, _ = eng.Sign(ctx, st, s)
	c, _ = eng.Whistle(ctx, st, escalation.Step{ID: c.ID, Note: "街道吹哨"})
	fmt.Println("summoned:", len(c.Summons))
	clock.Advance(20 * time.Minute)
	c, _ = eng.Report(ctx, st, escalation.ReportInput{Step: s, Party: escalation.PartyStreet})
	c, _ = eng.Report(ctx, cm, escalation.ReportInput{Step: s, Party: escalation.PartyCommunity})
	c, err := eng.Resolve(ctx, st, escalation.Step{ID: c.ID, Note: "清理占道车辆，施划禁停线"})
	fmt.Println(c.State, err)
	c, _ = eng.Verify(ctx, gridgov.PersonActor("sv1"), s) // not the handler
	c, _ = eng.Rate(ctx, res, escalation.RatingInput{Step: s, Satisfaction: escalation.Satisfied, Resolved: true})
	c, _ = eng.Archive(ctx, st, s)
	h, _ := eng.History(ctx, c.ID)
	fmt.Println(c.State, "after", len(h), "events")
	// Output:
	// cp-000001 submitted building 139****5678
	// referred street 3
	// summoned: 5
	// resolved <nil>
	// archived after 15 events
}

// A complaint not signed for in time is escalated by the sweeper.
func ExampleEngine_Sweep() {
	eng, clock := demo()
	c, _ := eng.Submit(ctx, gridgov.PersonActor("res"), escalation.Intake{Channel: escalation.ChannelPatrol,
		Category: "property", Description: "楼道灯不亮", NodeID: "b1"})
	gw := gridgov.PersonActor("gw1")
	_, _ = eng.Accept(ctx, gw, escalation.Step{ID: c.ID})
	c, _ = eng.Refer(ctx, gw, escalation.Referral{Step: escalation.Step{ID: c.ID}})
	fmt.Println("respond by", c.ResponseDue.Format("Mon 15:04"))

	clock.Advance(3*time.Hour + 30*time.Minute)
	rep, _ := eng.Sweep(ctx)
	fmt.Printf("%+v\n", rep)
	clock.Advance(time.Hour)
	rep, _ = eng.Sweep(ctx)
	fmt.Printf("%+v\n", rep)
	c, _ = eng.Complaint(ctx, gw, c.ID)
	fmt.Println(c.TierLevel, c.State)
	// Output:
	// respond by Mon 13:00
	// {Warnings:1 Breaches:0 Escalations:0 Escalated:[] Conflicts:0}
	// {Warnings:0 Breaches:1 Escalations:1 Escalated:[cp-000001] Conflicts:0}
	// grid referred
}

// The transition table as a Mermaid diagram.
func ExampleDiagram() {
	fmt.Println(escalation.Diagram()[:39])
	// Output:
	// stateDiagram-v2
	//     [*] --> submitted
}
