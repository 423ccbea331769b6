package storetest

import (
	"github.com/stretchr/testify/require"

	"github.com/gridgov/gridgov"
	"github.com/gridgov/gridgov/governance"
)

// References that only some write paths check: an organisation hosting itself, a person
// updated to an unknown home, a registration naming both or neither of a person and a unit,
// a project created with claims by unknown registrations. Each is gridgov.ErrInvalid and
// stores nothing.
func testReferenceChecks(f fx) {
	t := f.t
	f.orgTree()

	self := newOrg("selfish", "c1", governance.OrgPartyBranch)
	self.HostID = "selfish"
	_, err := f.st.CreateOrganisation(f.ctx, self)
	require.ErrorIs(t, err, gridgov.ErrInvalid, "an organisation cannot host itself")
	_, err = f.st.GetOrganisation(f.ctx, "selfish")
	require.ErrorIs(t, err, gridgov.ErrNotFound)

	p := f.person("p1")
	p.HomeNodeID = "no-such-node"
	_, err = f.st.UpdatePerson(f.ctx, p)
	require.ErrorIs(t, err, gridgov.ErrInvalid, "UpdatePerson checks HomeNodeID")
	read, err := f.st.GetPerson(f.ctx, "p1")
	require.NoError(t, err)
	require.EqualValues(t, 1, read.Version)

	unit := f.org("unit", "c1", governance.OrgResidentUnit)
	both := newRegistration("both", "c1", "p1", false)
	both.OrgID = unit.ID
	neither := newRegistration("neither", "c1", "", false)
	for _, r := range []governance.Registration{both, neither} {
		_, err := f.st.CreateRegistration(f.ctx, r)
		require.ErrorIs(t, err, gridgov.ErrInvalid, "registration %q", r.ID)
		_, err = f.st.GetRegistration(f.ctx, r.ID)
		require.ErrorIs(t, err, gridgov.ErrNotFound)
	}

	claimed := newProject("proj", "c1")
	claimed.ClaimedBy = []string{"no-such-registration"}
	_, err = f.st.CreateProject(f.ctx, claimed)
	require.ErrorIs(t, err, gridgov.ErrInvalid, "CreateProject checks ClaimedBy")
	_, err = f.st.GetProject(f.ctx, "proj")
	require.ErrorIs(t, err, gridgov.ErrNotFound)
}
