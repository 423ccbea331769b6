package storetest

import (
	"context"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gridgov/gridgov"
	"github.com/gridgov/gridgov/governance"
)

// Every method returns the context's error (possibly wrapped) for a cancelled context,
// and no write changes anything.
func testCancelledContext(f fx) {
	t := f.t
	f.node("r", "")
	f.node("p2", "r")
	n := f.node("n", "r")
	o := f.org("o", "n", governance.OrgOwnersCommittee)
	p := f.person("p")
	pos := f.position("pos", "p", o)
	reg := f.registration("reg", "r", "p", false)
	pr := f.project("pr", "r")
	before := f.snapshot()

	ctx, cancel := context.WithCancel(f.ctx)
	cancel()
	renamed := n.Clone()
	renamed.Name = "renamed"
	moved := n.Clone()
	moved.ParentID = "p2"
	o2 := o.Clone()
	o2.Name = "renamed"
	p2 := p
	p2.Party = governance.PartyRetired
	pos2 := pos
	pos2.Ended = true
	pr2 := pr.Clone()
	pr2.ClaimedBy = []string{"reg"}
	change := governance.NodeChange{Kind: governance.ChangeRenamed, Actor: actor, At: day(1)}

	calls := map[string]func() error{
		"CreateNode": func() error {
			_, err := f.st.CreateNode(ctx, newNode("new", "r"), createdChange("new"))
			return err
		},
		"UpdateNode rename": func() error { _, err := f.st.UpdateNode(ctx, renamed, change); return err },
		"UpdateNode move":   func() error { _, err := f.st.UpdateNode(ctx, moved, change); return err },
		"GetNode":           func() error { _, err := f.st.GetNode(ctx, "n"); return err },
		"Children":          func() error { _, err := f.st.Children(ctx, "r"); return err },
		"Ancestors":         func() error { _, err := f.st.Ancestors(ctx, "n"); return err },
		"Descendants":       func() error { _, err := f.st.Descendants(ctx, "r"); return err },
		"NodeHistory":       func() error { _, err := f.st.NodeHistory(ctx, "n"); return err },
		"CreateOrganisation": func() error {
			_, err := f.st.CreateOrganisation(ctx, newOrg("o-new", "r", governance.OrgPartyCommittee))
			return err
		},
		"UpdateOrganisation":   func() error { _, err := f.st.UpdateOrganisation(ctx, o2); return err },
		"GetOrganisation":      func() error { _, err := f.st.GetOrganisation(ctx, "o"); return err },
		"OrganisationsAt":      func() error { _, err := f.st.OrganisationsAt(ctx, "r", true); return err },
		"OrganisationsServing": func() error { _, err := f.st.OrganisationsServing(ctx, "r", true); return err },
		"HostedBy":             func() error { _, err := f.st.HostedBy(ctx, "o"); return err },
		"CreatePerson":         func() error { _, err := f.st.CreatePerson(ctx, newPerson("p-new")); return err },
		"UpdatePerson":         func() error { _, err := f.st.UpdatePerson(ctx, p2); return err },
		"GetPerson":            func() error { _, err := f.st.GetPerson(ctx, "p"); return err },
		"CreatePosition": func() error {
			_, err := f.st.CreatePosition(ctx, newPosition("pos-new", "p", o))
			return err
		},
		"UpdatePosition":    func() error { _, err := f.st.UpdatePosition(ctx, pos2); return err },
		"GetPosition":       func() error { _, err := f.st.GetPosition(ctx, "pos"); return err },
		"PositionsOfPerson": func() error { _, err := f.st.PositionsOfPerson(ctx, "p"); return err },
		"PositionsIn":       func() error { _, err := f.st.PositionsIn(ctx, "o"); return err },
		"CreateRegistration": func() error {
			_, err := f.st.CreateRegistration(ctx, newRegistration("reg-new", "p2", "p", false))
			return err
		},
		"GetRegistration": func() error { _, err := f.st.GetRegistration(ctx, "reg"); return err },
		"RegistrationsIn": func() error { _, err := f.st.RegistrationsIn(ctx, "r"); return err },
		"CreateProject":   func() error { _, err := f.st.CreateProject(ctx, newProject("pr-new", "r")); return err },
		"UpdateProject":   func() error { _, err := f.st.UpdateProject(ctx, pr2); return err },
		"GetProject":      func() error { _, err := f.st.GetProject(ctx, "pr"); return err },
		"ProjectsIn":      func() error { _, err := f.st.ProjectsIn(ctx, "r"); return err },
		"AddServiceRecord": func() error {
			_, err := f.st.AddServiceRecord(ctx, newRecord("rec", "pr", "reg", 1, "1"))
			return err
		},
		"ServiceRecordsOf": func() error { _, err := f.st.ServiceRecordsOf(ctx, "reg"); return err },
	}
	for name, call := range calls {
		assert.ErrorIs(t, call(), context.Canceled, name)
	}

	// Nothing changed.
	f.requireUnchanged(before)
	f.requireOrg(o, f.getOrg("o"))
	gotP, err := f.st.GetPerson(f.ctx, "p")
	require.NoError(t, err)
	assert.Equal(t, normPerson(p), normPerson(gotP))
	gotPos, err := f.st.GetPosition(f.ctx, "pos")
	require.NoError(t, err)
	assert.Equal(t, normPosition(pos), normPosition(gotPos))
	gotPr, err := f.st.GetProject(f.ctx, "pr")
	require.NoError(t, err)
	assert.Equal(t, normProject(pr), normProject(gotPr))
	regs, err := f.st.RegistrationsIn(f.ctx, "p2")
	require.NoError(t, err)
	assert.Empty(t, regs)
	gotReg, err := f.st.GetRegistration(f.ctx, "reg")
	require.NoError(t, err)
	assert.Equal(t, normRegistration(reg), normRegistration(gotReg))
	for _, check := range []func() error{
		func() error { _, err := f.st.GetOrganisation(f.ctx, "o-new"); return err },
		func() error { _, err := f.st.GetPerson(f.ctx, "p-new"); return err },
		func() error { _, err := f.st.GetPosition(f.ctx, "pos-new"); return err },
		func() error { _, err := f.st.GetRegistration(f.ctx, "reg-new"); return err },
		func() error { _, err := f.st.GetProject(f.ctx, "pr-new"); return err },
	} {
		assert.ErrorIs(t, check(), gridgov.ErrNotFound, "nothing was created")
	}
	records, err := f.st.ServiceRecordsOf(f.ctx, "reg")
	require.NoError(t, err)
	assert.Empty(t, records)
}
