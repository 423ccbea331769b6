package storetest

import (
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gridgov/gridgov"
	"github.com/gridgov/gridgov/governance"
)

// newPerson returns an unsaved person.
func newPerson(id string) governance.Person {
	return governance.Person{
		ID: id, Name: gridgov.PersonName("张三 " + id), Phone: "13800138000",
		Party: governance.PartyInService, CreatedAt: t0, UpdatedAt: t0,
	}
}

// person creates a person and returns the stored value.
func (f fx) person(id string) governance.Person {
	f.t.Helper()
	p, err := f.st.CreatePerson(f.ctx, newPerson(id))
	require.NoError(f.t, err, "CreatePerson(%q)", id)
	return p
}

// newPosition returns an unsaved position of person in org, consistent with org.
func newPosition(id, personID string, org governance.Organisation) governance.Position {
	return governance.Position{
		ID: id, PersonID: personID, OrgID: org.ID, NodeID: org.NodeID, OrgKind: org.Kind,
		Role: governance.RoleMember, Since: t0, CreatedAt: t0, UpdatedAt: t0,
	}
}

// position creates a position and returns the stored value.
func (f fx) position(id, personID string, org governance.Organisation) governance.Position {
	f.t.Helper()
	p, err := f.st.CreatePosition(f.ctx, newPosition(id, personID, org))
	require.NoError(f.t, err, "CreatePosition(%q)", id)
	return p
}

func positionIDs(list []governance.Position) []string {
	out := make([]string, len(list))
	for i, p := range list {
		out[i] = p.ID
	}
	return out
}

// Person round trip, version rule, CreatedAt kept, HomeNodeID checked.
func testPersonCreateGetUpdate(f fx) {
	t := f.t
	f.node("home", "")
	in := newPerson("p1")
	in.HomeNodeID = "home"
	in.Version = 5
	got, err := f.st.CreatePerson(f.ctx, in)
	require.NoError(t, err)
	want := in
	want.Version = 1
	assert.Equal(t, normPerson(want), normPerson(got))
	read, err := f.st.GetPerson(f.ctx, "p1")
	require.NoError(t, err)
	assert.Equal(t, normPerson(want), normPerson(read))
	assert.Equal(t, "张三 p1", read.Name.Reveal(), "the store keeps the full name")

	_, err = f.st.CreatePerson(f.ctx, newPerson("p1"))
	require.ErrorIs(t, err, gridgov.ErrAlreadyExists)
	homeless := newPerson("p2")
	homeless.HomeNodeID = "no-such-node"
	_, err = f.st.CreatePerson(f.ctx, homeless)
	require.ErrorIs(t, err, gridgov.ErrInvalid)
	_, err = f.st.GetPerson(f.ctx, "p2")
	require.ErrorIs(t, err, gridgov.ErrNotFound)
	_, err = f.st.CreatePerson(f.ctx, newPerson("p3")) // no home node: fine
	require.NoError(t, err)

	upd := read
	upd.Party = governance.PartyRetired
	upd.Phone = "13900139000"
	upd.CreatedAt = day(40)
	upd.UpdatedAt = day(1)
	stored, err := f.st.UpdatePerson(f.ctx, upd)
	require.NoError(t, err)
	want = upd
	want.CreatedAt = t0
	want.Version = 2
	assert.Equal(t, normPerson(want), normPerson(stored), "CreatedAt is kept")
	read, err = f.st.GetPerson(f.ctx, "p1")
	require.NoError(t, err)
	assert.Equal(t, normPerson(want), normPerson(read))

	_, err = f.st.UpdatePerson(f.ctx, upd) // still version 1
	require.ErrorIs(t, err, gridgov.ErrConflict)
	missing := newPerson("nope")
	missing.Version = 1
	_, err = f.st.UpdatePerson(f.ctx, missing)
	require.ErrorIs(t, err, gridgov.ErrNotFound)
	_, err = f.st.GetPerson(f.ctx, "nope")
	require.ErrorIs(t, err, gridgov.ErrNotFound)
	read, err = f.st.GetPerson(f.ctx, "p1")
	require.NoError(t, err)
	assert.EqualValues(t, 2, read.Version, "refused updates change nothing")
}

// CreatePosition checks the person and the organisation: both exist, the organisation is
// not dissolved, NodeID and OrgKind are the organisation's.
func testPositionCreateChecks(f fx) {
	t := f.t
	f.node("st", "")
	f.node("k1", "st")
	f.person("p")
	org := f.org("oc", "k1", governance.OrgOwnersCommittee)

	in := newPosition("pos", "p", org)
	in.Role = governance.RoleChair
	in.Version = 3
	got, err := f.st.CreatePosition(f.ctx, in)
	require.NoError(t, err)
	want := in
	want.Version = 1
	assert.Equal(t, normPosition(want), normPosition(got))
	read, err := f.st.GetPosition(f.ctx, "pos")
	require.NoError(t, err)
	assert.Equal(t, normPosition(want), normPosition(read))

	_, err = f.st.CreatePosition(f.ctx, newPosition("pos", "p", org))
	require.ErrorIs(t, err, gridgov.ErrAlreadyExists)

	wrongNode := newPosition("bad-node", "p", org)
	wrongNode.NodeID = "st"
	wrongKind := newPosition("bad-kind", "p", org)
	wrongKind.OrgKind = governance.OrgPartyBranch
	for _, tc := range []struct {
		pos governance.Position
		why string
	}{
		{newPosition("no-person", "nobody", org), "unknown person"},
		{newPosition("no-org", "p", newOrg("no-such-org", "k1", governance.OrgOwnersCommittee)), "unknown organisation"},
		{wrongNode, "NodeID differs from the organisation's"},
		{wrongKind, "OrgKind differs from the organisation's"},
	} {
		_, err := f.st.CreatePosition(f.ctx, tc.pos)
		require.ErrorIs(t, err, gridgov.ErrInvalid, tc.why)
		_, err = f.st.GetPosition(f.ctx, tc.pos.ID)
		require.ErrorIs(t, err, gridgov.ErrNotFound, "%s: nothing stored", tc.why)
	}
	in, err = f.st.GetPosition(f.ctx, "pos")
	require.NoError(t, err)
	list, err := f.st.PositionsIn(f.ctx, "oc")
	require.NoError(t, err)
	assert.Equal(t, []string{"pos"}, positionIDs(list))
	list, err = f.st.PositionsOfPerson(f.ctx, "p")
	require.NoError(t, err)
	assert.Equal(t, []string{"pos"}, positionIDs(list))
	_, err = f.st.GetPosition(f.ctx, "nope")
	require.ErrorIs(t, err, gridgov.ErrNotFound)
}

// UpdatePosition keeps PersonID, OrgID, NodeID, OrgKind, Role and CreatedAt; ending is
// final; the version rule holds.
func testPositionUpdate(f fx) {
	t := f.t
	f.node("st", "")
	f.node("k1", "st")
	f.person("p")
	f.person("q")
	org := f.org("oc", "k1", governance.OrgOwnersCommittee)
	f.org("other", "st", governance.OrgPartyWorkingCommittee)
	pos := f.position("pos", "p", org)

	upd := pos
	upd.PersonID = "q"
	upd.OrgID = "other"
	upd.NodeID = "st"
	upd.OrgKind = governance.OrgPartyWorkingCommittee
	upd.Role = governance.RoleSecretary
	upd.CreatedAt = day(9)
	upd.Since = day(1)
	upd.Ended, upd.Until = true, day(5)
	upd.UpdatedAt = day(5)
	got, err := f.st.UpdatePosition(f.ctx, upd)
	require.NoError(t, err)
	want := pos
	want.Since = day(1)
	want.Ended, want.Until = true, day(5)
	want.UpdatedAt = day(5)
	want.Version = 2
	assert.Equal(t, normPosition(want), normPosition(got), "identity fields and CreatedAt are kept")
	read, err := f.st.GetPosition(f.ctx, "pos")
	require.NoError(t, err)
	assert.Equal(t, normPosition(want), normPosition(read))
	list, err := f.st.PositionsOfPerson(f.ctx, "q")
	require.NoError(t, err)
	assert.Empty(t, list, "the position did not move to another person")
	list, err = f.st.PositionsIn(f.ctx, "other")
	require.NoError(t, err)
	assert.Empty(t, list, "the position did not move to another organisation")

	reopen := got
	reopen.Ended, reopen.Until = false, day(0)
	_, err = f.st.UpdatePosition(f.ctx, reopen)
	require.ErrorIs(t, err, gridgov.ErrInvalid, "ending is final")
	_, err = f.st.UpdatePosition(f.ctx, pos)
	require.ErrorIs(t, err, gridgov.ErrConflict, "version 1 is stale")
	missing := newPosition("nope", "p", org)
	missing.Version = 1
	_, err = f.st.UpdatePosition(f.ctx, missing)
	require.ErrorIs(t, err, gridgov.ErrNotFound)
	read, err = f.st.GetPosition(f.ctx, "pos")
	require.NoError(t, err)
	assert.Equal(t, normPosition(want), normPosition(read), "refused updates change nothing")

	// An ended position may still be corrected (for example its end date).
	fix := read
	fix.Until = day(6)
	_, err = f.st.UpdatePosition(f.ctx, fix)
	require.NoError(t, err)
}

// PositionsOfPerson and PositionsIn list every position, ended ones included, in ID order;
// unknown people and organisations have none.
func testPositionLists(f fx) {
	t := f.t
	f.node("st", "")
	f.node("k1", "st")
	f.person("p")
	f.person("q")
	branch := f.org("branch", "k1", governance.OrgPartyBranch)
	oc := f.org("oc", "k1", governance.OrgOwnersCommittee)
	// One shoulder (一肩挑): p is branch secretary and committee chair.
	f.position("pos-3", "p", oc)
	f.position("pos-1", "p", branch)
	f.position("pos-2", "q", oc)
	ended := f.position("pos-0", "q", branch)
	ended.Ended, ended.Until = true, day(1)
	_, err := f.st.UpdatePosition(f.ctx, ended)
	require.NoError(t, err)

	for _, tc := range []struct {
		name string
		list func() ([]governance.Position, error)
		want []string
	}{
		{"PositionsOfPerson(p)", func() ([]governance.Position, error) { return f.st.PositionsOfPerson(f.ctx, "p") }, []string{"pos-1", "pos-3"}},
		{"PositionsOfPerson(q)", func() ([]governance.Position, error) { return f.st.PositionsOfPerson(f.ctx, "q") }, []string{"pos-0", "pos-2"}},
		{"PositionsIn(branch)", func() ([]governance.Position, error) { return f.st.PositionsIn(f.ctx, "branch") }, []string{"pos-0", "pos-1"}},
		{"PositionsIn(oc)", func() ([]governance.Position, error) { return f.st.PositionsIn(f.ctx, "oc") }, []string{"pos-2", "pos-3"}},
		{"PositionsOfPerson(unknown)", func() ([]governance.Position, error) { return f.st.PositionsOfPerson(f.ctx, "nobody") }, []string{}},
		{"PositionsIn(unknown)", func() ([]governance.Position, error) { return f.st.PositionsIn(f.ctx, "no-org") }, []string{}},
	} {
		got, err := tc.list()
		require.NoError(t, err, tc.name)
		assert.Equal(t, tc.want, positionIDs(got), tc.name)
	}
	list, err := f.st.PositionsIn(f.ctx, "branch")
	require.NoError(t, err)
	assert.True(t, list[0].Ended, "ended positions are listed")
	read, err := f.st.GetPosition(f.ctx, "pos-1")
	require.NoError(t, err)
	assert.Equal(t, normPosition(read), normPosition(list[1]))
}
