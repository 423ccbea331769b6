package storetest

import (
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gridgov/gridgov"
	"github.com/gridgov/gridgov/governance"
)

// registration creates a registration of a person (or, with unit set, an organisation) in
// a community and returns the stored value.
func (f fx) registration(id, community, who string, unit bool) governance.Registration {
	f.t.Helper()
	r, err := f.st.CreateRegistration(f.ctx, newRegistration(id, community, who, unit))
	require.NoError(f.t, err, "CreateRegistration(%q)", id)
	return r
}

func newRegistration(id, community, who string, unit bool) governance.Registration {
	r := governance.Registration{ID: id, CommunityID: community, RegisteredAt: t0}
	if unit {
		r.OrgID = who
	} else {
		r.PersonID = who
	}
	return r
}

func newProject(id, community string) governance.ServiceProject {
	return governance.ServiceProject{ID: id, CommunityID: community, Title: "助老送餐 " + id, CreatedAt: t0}
}

// project creates a service project and returns the stored value.
func (f fx) project(id, community string) governance.ServiceProject {
	f.t.Helper()
	p, err := f.st.CreateProject(f.ctx, newProject(id, community))
	require.NoError(f.t, err, "CreateProject(%q)", id)
	return p
}

func newRecord(id, projectID, registrationID string, date int, hours string) governance.ServiceRecord {
	return governance.ServiceRecord{
		ID: id, ProjectID: projectID, RegistrationID: registrationID,
		Date: day(date), Hours: decimal.RequireFromString(hours), Note: "stairwell clean-up",
		RecordedAt: day(date).Add(20 * 3600e9),
	}
}

func registrationIDs(list []governance.Registration) []string {
	out := make([]string, len(list))
	for i, r := range list {
		out[i] = r.ID
	}
	return out
}

// Registrations: round trip, one per person (or unit) and community, references checked,
// listed by community in ID order.
func testRegistrations(f fx) {
	t := f.t
	f.node("st", "")
	f.node("c1", "st")
	f.node("c2", "st")
	f.person("p")
	f.person("q")
	f.org("unit", "c1", governance.OrgResidentUnit)

	in := newRegistration("reg-p-c1", "c1", "p", false)
	in.Version = 4
	got, err := f.st.CreateRegistration(f.ctx, in)
	require.NoError(t, err)
	want := in
	want.Version = 1
	assert.Equal(t, normRegistration(want), normRegistration(got))
	read, err := f.st.GetRegistration(f.ctx, "reg-p-c1")
	require.NoError(t, err)
	assert.Equal(t, normRegistration(want), normRegistration(read))

	f.registration("reg-unit-c1", "c1", "unit", true)
	f.registration("reg-p-c2", "c2", "p", false) // the same person in another community
	f.registration("reg-q-c1", "c1", "q", false)
	f.registration("reg-unit-c2", "c2", "unit", true)

	for _, tc := range []struct {
		reg  governance.Registration
		want error
		why  string
	}{
		{newRegistration("reg-p-c1", "c2", "q", false), gridgov.ErrAlreadyExists, "a taken ID"},
		{newRegistration("reg-p-c1-again", "c1", "p", false), gridgov.ErrAlreadyExists, "p is already registered in c1"},
		{newRegistration("reg-unit-c1-again", "c1", "unit", true), gridgov.ErrAlreadyExists, "the unit is already registered in c1"},
		{newRegistration("reg-bad-community", "no-such-node", "q", false), gridgov.ErrInvalid, "unknown community"},
		{newRegistration("reg-bad-person", "c2", "nobody", false), gridgov.ErrInvalid, "unknown person"},
		{newRegistration("reg-bad-unit", "c2", "no-such-org", true), gridgov.ErrInvalid, "unknown organisation"},
	} {
		_, err := f.st.CreateRegistration(f.ctx, tc.reg)
		require.ErrorIs(t, err, tc.want, tc.why)
		if tc.reg.ID != "reg-p-c1" {
			_, err = f.st.GetRegistration(f.ctx, tc.reg.ID)
			require.ErrorIs(t, err, gridgov.ErrNotFound, "%s: nothing stored", tc.why)
		}
	}
	read, err = f.st.GetRegistration(f.ctx, "reg-p-c1")
	require.NoError(t, err)
	assert.Equal(t, normRegistration(want), normRegistration(read), "the first registration is untouched")

	list, err := f.st.RegistrationsIn(f.ctx, "c1")
	require.NoError(t, err)
	assert.Equal(t, []string{"reg-p-c1", "reg-q-c1", "reg-unit-c1"}, registrationIDs(list))
	list, err = f.st.RegistrationsIn(f.ctx, "c2")
	require.NoError(t, err)
	assert.Equal(t, []string{"reg-p-c2", "reg-unit-c2"}, registrationIDs(list))
	list, err = f.st.RegistrationsIn(f.ctx, "st")
	require.NoError(t, err)
	assert.Empty(t, list)
	_, err = f.st.GetRegistration(f.ctx, "nope")
	require.ErrorIs(t, err, gridgov.ErrNotFound)
}

// Projects: round trip with copies, the version rule, CommunityID and CreatedAt kept,
// ClaimedBy naming registrations, listed by community in ID order.
func testProjects(f fx) {
	t := f.t
	f.node("st", "")
	f.node("c1", "st")
	f.node("c2", "st")
	f.person("p")
	f.person("q")
	f.registration("reg-p", "c1", "p", false)
	f.registration("reg-q", "c1", "q", false)

	in := newProject("pr-b", "c1")
	in.Version = 3
	got, err := f.st.CreateProject(f.ctx, in)
	require.NoError(t, err)
	want := newProject("pr-b", "c1")
	want.Version = 1
	assert.Equal(t, normProject(want), normProject(got))
	read, err := f.st.GetProject(f.ctx, "pr-b")
	require.NoError(t, err)
	assert.Equal(t, normProject(want), normProject(read))
	f.project("pr-a", "c1")
	f.project("pr-c", "c2")

	_, err = f.st.CreateProject(f.ctx, newProject("pr-b", "c2"))
	require.ErrorIs(t, err, gridgov.ErrAlreadyExists)
	_, err = f.st.CreateProject(f.ctx, newProject("pr-x", "no-such-node"))
	require.ErrorIs(t, err, gridgov.ErrInvalid)
	_, err = f.st.GetProject(f.ctx, "pr-x")
	require.ErrorIs(t, err, gridgov.ErrNotFound)

	// Claims, in claim order; CommunityID and CreatedAt are kept.
	upd := read.Clone()
	upd.ClaimedBy = []string{"reg-q", "reg-p"}
	upd.Title = "楼道清洁"
	upd.CommunityID = "c2"
	upd.CreatedAt = day(8)
	stored, err := f.st.UpdateProject(f.ctx, upd)
	require.NoError(t, err)
	want = read.Clone()
	want.ClaimedBy = []string{"reg-q", "reg-p"}
	want.Title = "楼道清洁"
	want.Version = 2
	assert.Equal(t, normProject(want), normProject(stored))
	upd.ClaimedBy[0] = "changed input"
	stored.ClaimedBy[1] = "changed output"
	read, err = f.st.GetProject(f.ctx, "pr-b")
	require.NoError(t, err)
	assert.Equal(t, normProject(want), normProject(read), "neither the input nor the result aliases the store")
	read.ClaimedBy[0] = "changed read"
	list, err := f.st.ProjectsIn(f.ctx, "c1")
	require.NoError(t, err)
	list[1].ClaimedBy[0] = "changed list"
	read, err = f.st.GetProject(f.ctx, "pr-b")
	require.NoError(t, err)
	assert.Equal(t, []string{"reg-q", "reg-p"}, read.ClaimedBy)

	bad := read.Clone()
	bad.ClaimedBy = append(bad.ClaimedBy, "no-such-registration")
	_, err = f.st.UpdateProject(f.ctx, bad)
	require.ErrorIs(t, err, gridgov.ErrInvalid, "a claim naming no registration")
	stale := read.Clone()
	stale.Version = 1
	_, err = f.st.UpdateProject(f.ctx, stale)
	require.ErrorIs(t, err, gridgov.ErrConflict)
	missing := newProject("nope", "c1")
	missing.Version = 1
	_, err = f.st.UpdateProject(f.ctx, missing)
	require.ErrorIs(t, err, gridgov.ErrNotFound)
	again, err := f.st.GetProject(f.ctx, "pr-b")
	require.NoError(t, err)
	assert.Equal(t, normProject(want), normProject(again), "refused updates change nothing")

	list, err = f.st.ProjectsIn(f.ctx, "c1")
	require.NoError(t, err)
	require.Len(t, list, 2)
	assert.Equal(t, "pr-a", list[0].ID)
	assert.Equal(t, "pr-b", list[1].ID)
	list, err = f.st.ProjectsIn(f.ctx, "c2")
	require.NoError(t, err)
	require.Len(t, list, 1)
	assert.Equal(t, "pr-c", list[0].ID, "a project stays in its community")
	list, err = f.st.ProjectsIn(f.ctx, "st")
	require.NoError(t, err)
	assert.Empty(t, list)
	_, err = f.st.GetProject(f.ctx, "nope")
	require.ErrorIs(t, err, gridgov.ErrNotFound)
}

// Service records: appended, listed per registration in (Date, ID) order; repeating a
// record is idempotent, a different record under the same ID is ErrAlreadyExists; the
// project and the registration must exist.
func testServiceRecords(f fx) {
	t := f.t
	f.node("c1", "")
	f.person("p")
	f.person("q")
	f.registration("reg-p", "c1", "p", false)
	f.registration("reg-q", "c1", "q", false)
	pr := f.project("pr", "c1")
	pr.ClaimedBy = []string{"reg-p", "reg-q"}
	_, err := f.st.UpdateProject(f.ctx, pr)
	require.NoError(t, err)

	first := newRecord("rec-2", "pr", "reg-p", 3, "1.5")
	got, err := f.st.AddServiceRecord(f.ctx, first)
	require.NoError(t, err)
	f.requireRecord(first, got)
	for _, r := range []governance.ServiceRecord{
		newRecord("rec-1", "pr", "reg-p", 3, "2"),
		newRecord("rec-0", "pr", "reg-p", 5, "0.25"),
		newRecord("rec-9", "pr", "reg-p", 1, "24"),
		newRecord("rec-q", "pr", "reg-q", 2, "3"),
	} {
		_, err := f.st.AddServiceRecord(f.ctx, r)
		require.NoError(t, err, r.ID)
	}

	// An identical retry returns the stored record: Hours compare as numbers, and
	// RecordedAt (stamped anew by a retry) is not part of the content.
	retry := newRecord("rec-2", "pr", "reg-p", 3, "1.50")
	retry.RecordedAt = day(30)
	again, err := f.st.AddServiceRecord(f.ctx, retry)
	require.NoError(t, err, "an identical retry is idempotent")
	f.requireRecord(first, again, "the retry returns the stored record")

	moreHours := newRecord("rec-2", "pr", "reg-p", 3, "2.5")
	otherDate := newRecord("rec-2", "pr", "reg-p", 4, "1.5")
	otherNote := newRecord("rec-2", "pr", "reg-p", 3, "1.5")
	otherNote.Note = "elderly meal delivery"
	otherReg := newRecord("rec-2", "pr", "reg-q", 3, "1.5")
	for _, r := range []governance.ServiceRecord{moreHours, otherDate, otherNote, otherReg} {
		_, err := f.st.AddServiceRecord(f.ctx, r)
		require.ErrorIs(t, err, gridgov.ErrAlreadyExists, "same ID, different content")
	}

	_, err = f.st.AddServiceRecord(f.ctx, newRecord("rec-x", "no-such-project", "reg-p", 2, "1"))
	require.ErrorIs(t, err, gridgov.ErrInvalid, "unknown project")
	_, err = f.st.AddServiceRecord(f.ctx, newRecord("rec-y", "pr", "no-such-registration", 2, "1"))
	require.ErrorIs(t, err, gridgov.ErrInvalid, "unknown registration")

	list, err := f.st.ServiceRecordsOf(f.ctx, "reg-p")
	require.NoError(t, err)
	gotIDs := make([]string, len(list))
	for i, r := range list {
		gotIDs[i] = r.ID
	}
	assert.Equal(t, []string{"rec-9", "rec-1", "rec-2", "rec-0"}, gotIDs, "(Date, ID) order; refused records are not stored")
	f.requireRecord(first, list[2])
	list, err = f.st.ServiceRecordsOf(f.ctx, "reg-q")
	require.NoError(t, err)
	require.Len(t, list, 1)
	assert.Equal(t, "rec-q", list[0].ID)
	list, err = f.st.ServiceRecordsOf(f.ctx, "nope")
	require.NoError(t, err)
	assert.Empty(t, list)

	// A refused ID was not taken.
	_, err = f.st.AddServiceRecord(f.ctx, newRecord("rec-x", "pr", "reg-q", 2, "1"))
	require.NoError(t, err)
}
