package storetest

import (
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gridgov/gridgov"
	"github.com/gridgov/gridgov/governance"
)

// newOrg returns an unsaved organisation.
func newOrg(id, nodeID string, kind governance.OrgKind) governance.Organisation {
	return governance.Organisation{ID: id, NodeID: nodeID, Kind: kind, Name: "org " + id, CreatedAt: t0, UpdatedAt: t0}
}

// org creates an organisation and returns the stored value.
func (f fx) org(id, nodeID string, kind governance.OrgKind) governance.Organisation {
	f.t.Helper()
	return f.createOrg(newOrg(id, nodeID, kind))
}

// createOrg stores o and fails the test if the store refuses.
func (f fx) createOrg(o governance.Organisation) governance.Organisation {
	f.t.Helper()
	got, err := f.st.CreateOrganisation(f.ctx, o)
	require.NoError(f.t, err, "CreateOrganisation(%q)", o.ID)
	return got
}

// getOrg returns the stored organisation id.
func (f fx) getOrg(id string) governance.Organisation {
	f.t.Helper()
	o, err := f.st.GetOrganisation(f.ctx, id)
	require.NoError(f.t, err, "GetOrganisation(%q)", id)
	return o
}

// requireOrg checks that got is want (times as instants, empty Serves as nil).
func (f fx) requireOrg(want, got governance.Organisation, msgAndArgs ...any) {
	f.t.Helper()
	require.Equal(f.t, normOrg(want), normOrg(got), msgAndArgs...)
}

func orgIDs(list []governance.Organisation) []string {
	out := make([]string, len(list))
	for i, o := range list {
		out[i] = o.ID
	}
	return out
}

// requireOrgIDs checks that list holds exactly want, in order.
func (f fx) requireOrgIDs(want []string, list []governance.Organisation, msgAndArgs ...any) {
	f.t.Helper()
	if want == nil {
		want = []string{}
	}
	require.Equal(f.t, want, orgIDs(list), msgAndArgs...)
}

// orgTree builds a street with two communities and three compounds:
//
//	st ─┬─ c1 ─┬─ k1
//	    │      └─ k2
//	    └─ c2 ─── k3
func (f fx) orgTree() {
	f.t.Helper()
	f.node("st", "")
	f.node("c1", "st")
	f.node("c2", "st")
	f.node("k1", "c1")
	f.node("k2", "c1")
	f.node("k3", "c2")
}

// CreateOrganisation stores Version 1; GetOrganisation returns it; values are copies.
func testOrgCreateGet(f fx) {
	t := f.t
	f.orgTree()
	in := newOrg("firm", "st", governance.OrgPropertyFirm)
	in.Serves = []string{"k1", "k3"}
	in.Version = 9
	got, err := f.st.CreateOrganisation(f.ctx, in)
	require.NoError(t, err)
	want := newOrg("firm", "st", governance.OrgPropertyFirm)
	want.Serves = []string{"k1", "k3"}
	want.Version = 1
	f.requireOrg(want, got, "CreateOrganisation returns the stored value with Version 1")
	f.requireOrg(want, f.getOrg("firm"))

	branch := newOrg("firm-branch", "st", governance.OrgPartyBranch)
	branch.HostID = "firm"
	f.requireOrg(func() governance.Organisation { b := branch; b.Version = 1; return b }(), f.createOrg(branch))

	// Copies: neither the input nor any result aliases the store.
	in.Serves[0] = "changed input"
	got.Serves[1] = "changed output"
	read := f.getOrg("firm")
	read.Serves[0] = "changed read"
	at, err := f.st.OrganisationsAt(f.ctx, "st", false)
	require.NoError(t, err)
	at[0].Serves[0] = "changed list"
	serving, err := f.st.OrganisationsServing(f.ctx, "k1", false)
	require.NoError(t, err)
	serving[0].Serves[0] = "changed list"
	assert.Equal(t, []string{"k1", "k3"}, f.getOrg("firm").Serves)

	upd := f.getOrg("firm")
	upd.Serves = []string{"k2"}
	stored, err := f.st.UpdateOrganisation(f.ctx, upd)
	require.NoError(t, err)
	upd.Serves[0] = "changed input"
	stored.Serves[0] = "changed output"
	assert.Equal(t, []string{"k2"}, f.getOrg("firm").Serves)

	_, err = f.st.GetOrganisation(f.ctx, "nope")
	assert.ErrorIs(t, err, gridgov.ErrNotFound)
}

// A taken ID is ErrAlreadyExists; a node that is unknown or retired, an unknown host or an
// unknown served node is ErrInvalid; nothing is stored.
func testOrgCreateRefusals(f fx) {
	t := f.t
	f.orgTree()
	f.node("gone", "st")
	f.mustRetire("gone")
	first := f.org("o", "c1", governance.OrgResidentsCommittee)

	_, err := f.st.CreateOrganisation(f.ctx, newOrg("o", "c2", governance.OrgPartyCommittee))
	require.ErrorIs(t, err, gridgov.ErrAlreadyExists)
	f.requireOrg(first, f.getOrg("o"), "the stored organisation is untouched")

	withHost := newOrg("bad-host", "c1", governance.OrgPartyBranch)
	withHost.HostID = "no-such-org"
	withServes := newOrg("bad-serves", "st", governance.OrgPropertyFirm)
	withServes.Serves = []string{"k1", "no-such-node"}
	for _, tc := range []struct {
		org governance.Organisation
		why string
	}{
		{newOrg("bad-node", "no-such-node", governance.OrgOwnersCommittee), "unknown node"},
		{newOrg("at-retired", "gone", governance.OrgOwnersCommittee), "retired node"},
		{withHost, "unknown host"},
		{withServes, "unknown served node"},
	} {
		_, err := f.st.CreateOrganisation(f.ctx, tc.org)
		require.ErrorIs(t, err, gridgov.ErrInvalid, tc.why)
		_, err = f.st.GetOrganisation(f.ctx, tc.org.ID)
		require.ErrorIs(t, err, gridgov.ErrNotFound, "%s: nothing stored", tc.why)
	}
	all, err := f.st.OrganisationsAt(f.ctx, "st", true)
	require.NoError(t, err)
	f.requireOrgIDs([]string{"o"}, all)
	serving, err := f.st.OrganisationsServing(f.ctx, "k1", false)
	require.NoError(t, err)
	assert.Empty(t, serving, "a refused organisation serves nothing")
}

// UpdateOrganisation applies a current version, keeps NodeID, Kind and CreatedAt, and
// refuses stale versions, unknown organisations and references naming nothing.
func testOrgUpdate(f fx) {
	t := f.t
	f.orgTree()
	f.org("host", "st", governance.OrgPropertyFirm)
	o := f.org("o", "c1", governance.OrgResidentsCommittee)

	upd := o.Clone()
	upd.Name = "幸福里居委会"
	upd.NodeID = "c2"
	upd.Kind = governance.OrgOwnersCommittee
	upd.CreatedAt = day(50)
	upd.UpdatedAt = day(1)
	upd.HostID = "host"
	upd.Serves = []string{"k1"}
	got, err := f.st.UpdateOrganisation(f.ctx, upd)
	require.NoError(t, err)
	want := o.Clone()
	want.Name = "幸福里居委会"
	want.UpdatedAt = day(1)
	want.HostID = "host"
	want.Serves = []string{"k1"}
	want.Version = 2
	f.requireOrg(want, got, "NodeID, Kind and CreatedAt are kept")
	f.requireOrg(want, f.getOrg("o"))
	at, err := f.st.OrganisationsAt(f.ctx, "c1", false)
	require.NoError(t, err)
	f.requireOrgIDs([]string{"o"}, at, "the organisation stays at its node")

	_, err = f.st.UpdateOrganisation(f.ctx, o)
	require.ErrorIs(t, err, gridgov.ErrConflict, "version 1 is stale")
	missing := newOrg("nope", "c1", governance.OrgResidentsCommittee)
	missing.Version = 1
	_, err = f.st.UpdateOrganisation(f.ctx, missing)
	require.ErrorIs(t, err, gridgov.ErrNotFound)

	badServes := got.Clone()
	badServes.Serves = []string{"k2", "no-such-node"}
	_, err = f.st.UpdateOrganisation(f.ctx, badServes)
	require.ErrorIs(t, err, gridgov.ErrInvalid, "a Serves entry naming no node")
	badHost := got.Clone()
	badHost.HostID = "no-such-org"
	_, err = f.st.UpdateOrganisation(f.ctx, badHost)
	require.ErrorIs(t, err, gridgov.ErrInvalid, "a HostID naming no organisation")
	f.requireOrg(want, f.getOrg("o"), "refused updates change nothing")
	serving, err := f.st.OrganisationsServing(f.ctx, "k2", false)
	require.NoError(t, err)
	assert.Empty(t, serving, "a refused update does not index the new Serves")
}

// OrganisationsAt lists the organisations at a node or in its subtree, in ID order,
// dissolved ones included.
func testOrgsAt(f fx) {
	t := f.t
	f.orgTree()
	f.org("o-rc", "c1", governance.OrgResidentsCommittee)
	f.org("o-pc", "c1", governance.OrgPartyCommittee)
	f.org("o-oc1", "k1", governance.OrgOwnersCommittee)
	f.org("o-firm2", "c1", governance.OrgPropertyFirm)
	f.org("o-mc3", "k3", governance.OrgManagementCommittee)
	f.org("o-pwc", "st", governance.OrgPartyWorkingCommittee)
	rc := f.getOrg("o-rc")
	rc.Dissolved, rc.DissolvedAt = true, day(1)
	_, err := f.st.UpdateOrganisation(f.ctx, rc)
	require.NoError(t, err)

	for _, tc := range []struct {
		node    string
		subtree bool
		want    []string
	}{
		{"c1", false, []string{"o-firm2", "o-pc", "o-rc"}},
		{"c1", true, []string{"o-firm2", "o-oc1", "o-pc", "o-rc"}},
		{"k1", true, []string{"o-oc1"}},
		{"k2", false, nil},
		{"k2", true, nil},
		{"c2", false, nil},
		{"c2", true, []string{"o-mc3"}},
		{"st", false, []string{"o-pwc"}},
		{"st", true, []string{"o-firm2", "o-mc3", "o-oc1", "o-pc", "o-pwc", "o-rc"}},
	} {
		got, err := f.st.OrganisationsAt(f.ctx, tc.node, tc.subtree)
		require.NoError(t, err)
		f.requireOrgIDs(tc.want, got, "OrganisationsAt(%s, subtree=%v)", tc.node, tc.subtree)
	}
	got, err := f.st.OrganisationsAt(f.ctx, "c1", false)
	require.NoError(t, err)
	assert.True(t, got[2].Dissolved, "dissolved organisations are listed")
	f.requireOrg(f.getOrg("o-firm2"), got[0])

	// The subtree query follows a move.
	_, err = f.move("k1", "c2")
	require.NoError(t, err)
	got, err = f.st.OrganisationsAt(f.ctx, "c2", true)
	require.NoError(t, err)
	f.requireOrgIDs([]string{"o-mc3", "o-oc1"}, got)
	got, err = f.st.OrganisationsAt(f.ctx, "c1", true)
	require.NoError(t, err)
	f.requireOrgIDs([]string{"o-firm2", "o-pc", "o-rc"}, got)

	_, err = f.st.OrganisationsAt(f.ctx, "nope", false)
	assert.ErrorIs(t, err, gridgov.ErrNotFound)
	_, err = f.st.OrganisationsAt(f.ctx, "nope", true)
	assert.ErrorIs(t, err, gridgov.ErrNotFound)
}

// OrganisationsServing lists the organisations whose Serves names the node (or a node of
// its subtree), each once, in ID order, and follows updates of Serves.
func testOrgsServing(f fx) {
	t := f.t
	f.orgTree()
	firm := newOrg("o-firm", "st", governance.OrgPropertyFirm)
	firm.Serves = []string{"k1", "k3"}
	f.createOrg(firm)
	firm2 := newOrg("o-firm2", "c1", governance.OrgPropertyFirm)
	firm2.Serves = []string{"k2", "k1"}
	f.createOrg(firm2)
	centre := newOrg("o-centre", "c2", governance.OrgServiceCentre)
	centre.Serves = []string{"c2"}
	f.createOrg(centre)
	f.org("o-idle", "st", governance.OrgVolunteerTeam)

	check := func(node string, subtree bool, want []string, msg string) {
		t.Helper()
		got, err := f.st.OrganisationsServing(f.ctx, node, subtree)
		require.NoError(t, err)
		f.requireOrgIDs(want, got, "OrganisationsServing(%s, subtree=%v): %s", node, subtree, msg)
	}
	check("k1", false, []string{"o-firm", "o-firm2"}, "two firms serve k1")
	check("k2", false, []string{"o-firm2"}, "")
	check("c1", false, nil, "nobody serves c1 itself")
	check("c1", true, []string{"o-firm", "o-firm2"}, "each organisation once, though o-firm2 serves two compounds of c1")
	check("c2", false, []string{"o-centre"}, "")
	check("c2", true, []string{"o-centre", "o-firm"}, "")
	check("st", false, nil, "")
	check("st", true, []string{"o-centre", "o-firm", "o-firm2"}, "")

	// Updating Serves re-indexes; dissolving keeps the organisation listed.
	u := f.getOrg("o-firm")
	u.Serves = []string{"k2"}
	u.Dissolved, u.DissolvedAt = true, day(1)
	_, err := f.st.UpdateOrganisation(f.ctx, u)
	require.NoError(t, err)
	check("k3", false, nil, "o-firm no longer serves k3")
	check("c2", true, []string{"o-centre"}, "")
	check("k2", false, []string{"o-firm", "o-firm2"}, "dissolved organisations are listed")
	check("k1", false, []string{"o-firm2"}, "")

	_, err = f.st.OrganisationsServing(f.ctx, "nope", false)
	assert.ErrorIs(t, err, gridgov.ErrNotFound)
	_, err = f.st.OrganisationsServing(f.ctx, "nope", true)
	assert.ErrorIs(t, err, gridgov.ErrNotFound)
}

// HostedBy lists the organisations whose HostID names the organisation, in ID order, and
// follows updates of HostID.
func testOrgHostedBy(f fx) {
	t := f.t
	f.orgTree()
	f.org("firm", "st", governance.OrgPropertyFirm)
	f.org("other", "st", governance.OrgPropertyFirm)
	for _, id := range []string{"firm-branch-b", "firm-branch-a"} {
		b := newOrg(id, "st", governance.OrgPartyBranch)
		b.HostID = "firm"
		f.createOrg(b)
	}

	hosted, err := f.st.HostedBy(f.ctx, "firm")
	require.NoError(t, err)
	f.requireOrgIDs([]string{"firm-branch-a", "firm-branch-b"}, hosted)
	f.requireOrg(f.getOrg("firm-branch-a"), hosted[0])
	hosted, err = f.st.HostedBy(f.ctx, "other")
	require.NoError(t, err)
	assert.Empty(t, hosted)

	b := f.getOrg("firm-branch-b")
	b.HostID = "other"
	_, err = f.st.UpdateOrganisation(f.ctx, b)
	require.NoError(t, err)
	a := f.getOrg("firm-branch-a")
	a.HostID = ""
	_, err = f.st.UpdateOrganisation(f.ctx, a)
	require.NoError(t, err)
	hosted, err = f.st.HostedBy(f.ctx, "firm")
	require.NoError(t, err)
	assert.Empty(t, hosted)
	hosted, err = f.st.HostedBy(f.ctx, "other")
	require.NoError(t, err)
	f.requireOrgIDs([]string{"firm-branch-b"}, hosted)

	_, err = f.st.HostedBy(f.ctx, "nope")
	assert.ErrorIs(t, err, gridgov.ErrNotFound)
}

// Dissolving is refused while a position has not ended, and is final; a dissolved
// organisation takes no new positions.
func testOrgDissolve(f fx) {
	t := f.t
	f.orgTree()
	o := f.org("oc", "k1", governance.OrgOwnersCommittee)
	f.person("chair")
	f.person("member")
	chair := f.position("pos-chair", "chair", o)
	member := f.position("pos-member", "member", o)
	member.Ended, member.Until = true, day(1)
	_, err := f.st.UpdatePosition(f.ctx, member)
	require.NoError(t, err)

	dissolve := f.getOrg("oc")
	dissolve.Dissolved, dissolve.DissolvedAt = true, day(3)
	_, err = f.st.UpdateOrganisation(f.ctx, dissolve)
	require.ErrorIs(t, err, gridgov.ErrInvalid, "pos-chair has not ended")
	f.requireOrg(o, f.getOrg("oc"), "the refusal changes nothing")

	chair.Ended, chair.Until = true, day(2)
	_, err = f.st.UpdatePosition(f.ctx, chair)
	require.NoError(t, err)
	got, err := f.st.UpdateOrganisation(f.ctx, dissolve)
	require.NoError(t, err)
	assert.True(t, got.Dissolved)
	assert.EqualValues(t, 2, got.Version)

	_, err = f.st.CreatePosition(f.ctx, newPosition("pos-late", "chair", o))
	require.ErrorIs(t, err, gridgov.ErrInvalid, "no positions in a dissolved organisation")
	_, err = f.st.GetPosition(f.ctx, "pos-late")
	require.ErrorIs(t, err, gridgov.ErrNotFound)

	undo := got.Clone()
	undo.Dissolved = false
	_, err = f.st.UpdateOrganisation(f.ctx, undo)
	require.ErrorIs(t, err, gridgov.ErrInvalid, "dissolution is final")
	f.requireOrg(got, f.getOrg("oc"))

	// The node may now retire.
	f.mustRetire("k1")
}
