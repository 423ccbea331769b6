package governance_test

import (
	"fmt"
	"testing"

	"github.com/gridgov/gridgov"
	"github.com/gridgov/gridgov/governance"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestAddPersonRejectsBadInput(t *testing.T) {
	tests := []struct {
		name   string
		in     governance.PersonInput
		fields []string
	}{
		{"no name", governance.PersonInput{HomeNodeID: "k1"}, []string{"Name"}},
		{"bad phone", governance.PersonInput{Name: "李四", Phone: "call me", HomeNodeID: "k1"}, []string{"Phone"}},
		{"unknown party category", governance.PersonInput{Name: "李四", Party: "honorary", HomeNodeID: "k1"}, []string{"Party"}},
		{"unknown home", governance.PersonInput{Name: "李四", HomeNodeID: "nope"}, []string{"HomeNodeID"}},
		{"everything", governance.PersonInput{Phone: "x", Party: "?", HomeNodeID: "nope"}, []string{"Name", "Phone", "Party", "HomeNodeID"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t)
			f.duyun()
			_, err := f.reg.AddPerson(ctx, system, tt.in)
			requireFields(t, err, gridgov.ErrInvalid, tt.fields...)
			_, err = f.reg.Person(ctx, system, "id-000001")
			require.ErrorIs(t, err, gridgov.ErrNotFound, "nothing stored")
		})
	}
	f := newFixture(t)
	f.duyun()
	f.person("p1", "k1", governance.PartyRetired)
	_, err := f.reg.AddPerson(ctx, system, governance.PersonInput{ID: "p1", Name: "重复", HomeNodeID: "k1"})
	require.ErrorIs(t, err, gridgov.ErrAlreadyExists)
	_, err = f.reg.AddPerson(ctx, gridgov.PersonActor("p1"), governance.PersonInput{Name: "无家", HomeNodeID: ""})
	require.ErrorIs(t, err, gridgov.ErrForbidden)
}

func TestPersonalDataOnlyWithAuthority(t *testing.T) {
	f := newFixture(t)
	f.duyun()
	f.org("g1-grp", "g1", governance.OrgPartyGroup, "网格党小组")
	f.org("k3-oc", "k3", governance.OrgOwnersCommittee, "业委会")
	f.person("worker", "g1", governance.NotPartyMember)
	f.appoint("worker", "g1-grp", governance.RoleGridWorker)
	f.person("other", "k3", governance.NotPartyMember)
	f.appoint("other", "k3-oc", governance.RoleChair)
	_, err := f.reg.AddPerson(ctx, system, governance.PersonInput{ID: "resident", Name: "王小明", Phone: "13912345678", HomeNodeID: "h1"})
	require.NoError(t, err)

	for _, tt := range []struct {
		actor    gridgov.Actor
		revealed bool
	}{
		{system, true},
		{gridgov.PersonActor("resident"), true},
		{gridgov.PersonActor("worker"), true}, // grid worker of the resident's grid
		{gridgov.PersonActor("other"), false}, // a committee chair elsewhere
		{gridgov.PersonActor("nobody"), false},
	} {
		p, err := f.reg.Person(ctx, tt.actor, "resident")
		require.NoError(t, err)
		if tt.revealed {
			assert.Equal(t, "王小明", p.Name.Reveal(), tt.actor.String())
			assert.Equal(t, "13912345678", p.Phone.Reveal(), tt.actor.String())
		} else {
			assert.Equal(t, "王**", p.Name.Reveal(), tt.actor.String())
			assert.Equal(t, "139****5678", p.Phone.Reveal(), tt.actor.String())
		}
		assert.NotContains(t, fmt.Sprint(p), "王小明", "String masks")
		assert.NotContains(t, fmt.Sprint(p), "13912345678", "String masks")
	}
}

func TestPositions(t *testing.T) {
	f := newFixture(t)
	f.duyun()
	f.org("k1-pb", "k1", governance.OrgPartyBranch, "支部")
	f.org("k1-oc", "k1", governance.OrgOwnersCommittee, "业委会")
	f.person("p", "k1", governance.PartyRetired)
	sec := f.appoint("p", "k1-pb", governance.RoleSecretary)
	f.appoint("p", "k1-oc", governance.RoleChair) // one shoulder: two positions at once
	assert.Equal(t, "k1", sec.NodeID)
	assert.Equal(t, governance.OrgPartyBranch, sec.OrgKind)

	_, err := f.reg.Appoint(ctx, system, governance.AppointInput{PersonID: "p", OrgID: "k1-pb", Role: governance.RoleSecretary})
	requireFields(t, err, gridgov.ErrInvalid, "Role")
	_, err = f.reg.Appoint(ctx, system, governance.AppointInput{PersonID: "ghost", OrgID: "nope", Role: ""})
	requireFields(t, err, gridgov.ErrInvalid, "PersonID", "OrgID", "Role")

	held, err := f.reg.PositionsOf(ctx, "p")
	require.NoError(t, err)
	assert.Len(t, held, 2)

	f.clock.Advance(3600e9)
	_, err = f.reg.EndPosition(ctx, system, governance.EndInput{PositionID: sec.ID, Until: start.Add(-1)})
	requireFields(t, err, gridgov.ErrInvalid, "Until")
	ended, err := f.reg.EndPosition(ctx, system, governance.EndInput{PositionID: sec.ID})
	require.NoError(t, err)
	assert.True(t, ended.Ended)
	_, err = f.reg.EndPosition(ctx, system, governance.EndInput{PositionID: sec.ID, Version: 1})
	require.ErrorIs(t, err, gridgov.ErrConflict)

	held, err = f.reg.PositionsOf(ctx, "p")
	require.NoError(t, err)
	assert.Len(t, held, 1)
	all, err := f.reg.PositionsOf(ctx, "p", governance.IncludeRetired())
	require.NoError(t, err)
	assert.Len(t, all, 2)
	members, err := f.reg.Members(ctx, "k1-pb")
	require.NoError(t, err)
	assert.Empty(t, members)

	// Re-appointment after the end is allowed; the old position stays as history.
	f.appoint("p", "k1-pb", governance.RoleSecretary)

	// A dissolved organisation takes no appointments, and cannot dissolve with members.
	_, err = f.reg.DissolveOrganisation(ctx, system, governance.DissolveInput{OrgID: "k1-oc"})
	require.ErrorIs(t, err, gridgov.ErrInvalid)

	p, err := f.reg.SetParty(ctx, system, governance.PartyInput{PersonID: "p", Party: governance.PartyMobile})
	require.NoError(t, err)
	assert.Equal(t, governance.PartyMobile, p.Party)
	_, err = f.reg.SetParty(ctx, system, governance.PartyInput{PersonID: "p", Party: "x"})
	requireFields(t, err, gridgov.ErrInvalid, "Party")
}

func TestOrganisationRules(t *testing.T) {
	f := newFixture(t)
	f.duyun()
	tests := []struct {
		name   string
		in     governance.OrganisationInput
		fields []string
	}{
		{"unknown kind", governance.OrganisationInput{NodeID: "k1", Kind: "club", Name: "x"}, []string{"Kind"}},
		{"committee off the compound level", governance.OrganisationInput{NodeID: "c1", Kind: governance.OrgOwnersCommittee, Name: "x"}, []string{"NodeID"}},
		{"unknown node", governance.OrganisationInput{NodeID: "nope", Kind: governance.OrgPartyBranch, Name: "x"}, []string{"NodeID"}},
		{"unknown host", governance.OrganisationInput{NodeID: "k1", Kind: governance.OrgPartyBranch, Name: "x", HostID: "nope"}, []string{"HostID"}},
		{"only firms serve", governance.OrganisationInput{NodeID: "k1", Kind: governance.OrgPartyBranch, Name: "x", Serves: []string{"k1"}}, []string{"Serves"}},
		{"serves unknown and twice", governance.OrganisationInput{NodeID: "c1", Kind: governance.OrgPropertyFirm, Name: "x", Serves: []string{"k1", "nope", "k1"}}, []string{"Serves[1]", "Serves[2]"}},
		{"all missing", governance.OrganisationInput{}, []string{"NodeID", "Kind", "Name"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := f.reg.AddOrganisation(ctx, system, tt.in)
			requireFields(t, err, gridgov.ErrInvalid, tt.fields...)
		})
	}
	f.org("firm", "c1", governance.OrgPropertyFirm, "物业")
	_, err := f.reg.AddOrganisation(ctx, system, governance.OrganisationInput{ID: "firm", NodeID: "c1", Kind: governance.OrgPropertyFirm, Name: "x"})
	requireFields(t, err, gridgov.ErrAlreadyExists, "ID")

	o, err := f.reg.SetServes(ctx, system, governance.ServesInput{OrgID: "firm", Serves: []string{"k1", "k3"}})
	require.NoError(t, err)
	assert.Equal(t, []string{"k1", "k3"}, o.Serves)
	served, err := f.reg.ServedBy(ctx, "k3")
	require.NoError(t, err)
	require.Len(t, served, 1)
	assert.Equal(t, "firm", served[0].ID)
	in, err := f.reg.OrganisationsIn(ctx, "st")
	require.NoError(t, err)
	assert.Len(t, in, 1)
	at, err := f.reg.OrganisationsAt(ctx, "k1")
	require.NoError(t, err)
	assert.Empty(t, at)
}
