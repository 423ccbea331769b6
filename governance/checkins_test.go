package governance_test

import (
	"testing"

	"github.com/gridgov/gridgov"
	"github.com/gridgov/gridgov/governance"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestCheckIns(t *testing.T) {
	f := newFixture(t)
	f.duyun()
	f.person("cadre", "k1", governance.PartyInService)
	f.person("pensioner", "k1", governance.PartyRetired)
	f.org("bureau", "st", governance.OrgDistrictDepartment, "区住建局")

	// An in-service member registers themself (双报到); a retired member cannot.
	reg, err := f.reg.Register(ctx, gridgov.PersonActor("cadre"), governance.RegistrationInput{ID: "r1", CommunityID: "c1", PersonID: "cadre"})
	require.NoError(t, err)
	assert.Equal(t, start, reg.RegisteredAt)
	_, err = f.reg.Register(ctx, system, governance.RegistrationInput{CommunityID: "c1", PersonID: "pensioner"})
	requireFields(t, err, gridgov.ErrInvalid, "PersonID")
	_, err = f.reg.Register(ctx, system, governance.RegistrationInput{CommunityID: "c1", PersonID: "cadre"})
	require.ErrorIs(t, err, gridgov.ErrAlreadyExists)
	_, err = f.reg.Register(ctx, system, governance.RegistrationInput{CommunityID: "k1", PersonID: "cadre", OrgID: "bureau"})
	requireFields(t, err, gridgov.ErrInvalid, "CommunityID", "PersonID")
	_, err = f.reg.Register(ctx, system, governance.RegistrationInput{CommunityID: "c1"})
	requireFields(t, err, gridgov.ErrInvalid, "PersonID", "OrgID")
	// A unit needs someone with authority.
	_, err = f.reg.Register(ctx, gridgov.PersonActor("cadre"), governance.RegistrationInput{CommunityID: "c1", OrgID: "bureau"})
	require.ErrorIs(t, err, gridgov.ErrForbidden)
	unit, err := f.reg.Register(ctx, system, governance.RegistrationInput{ID: "r2", CommunityID: "c1", OrgID: "bureau"})
	require.NoError(t, err)

	_, err = f.reg.AddProject(ctx, gridgov.PersonActor("cadre"), governance.ProjectInput{CommunityID: "c1", Title: "助老送餐"})
	require.ErrorIs(t, err, gridgov.ErrForbidden)
	meals, err := f.reg.AddProject(ctx, system, governance.ProjectInput{ID: "meals", CommunityID: "c1", Title: "助老送餐"})
	require.NoError(t, err)
	other, err := f.reg.AddProject(ctx, system, governance.ProjectInput{ID: "far", CommunityID: "c2", Title: "楼道清理"})
	require.NoError(t, err)

	_, err = f.reg.RecordService(ctx, gridgov.PersonActor("cadre"), governance.ServiceInput{ProjectID: meals.ID, RegistrationID: reg.ID, Date: start, Hours: mustDec("2")})
	requireFields(t, err, gridgov.ErrInvalid, "ProjectID") // not claimed yet

	p, err := f.reg.Claim(ctx, gridgov.PersonActor("cadre"), governance.ClaimInput{ProjectID: meals.ID, RegistrationID: reg.ID})
	require.NoError(t, err)
	assert.Equal(t, []string{"r1"}, p.ClaimedBy)
	p, err = f.reg.Claim(ctx, gridgov.PersonActor("cadre"), governance.ClaimInput{ProjectID: meals.ID, RegistrationID: reg.ID})
	require.NoError(t, err)
	assert.Equal(t, []string{"r1"}, p.ClaimedBy, "claiming twice changes nothing")
	_, err = f.reg.Claim(ctx, system, governance.ClaimInput{ProjectID: other.ID, RegistrationID: reg.ID})
	requireFields(t, err, gridgov.ErrInvalid, "RegistrationID")
	_, err = f.reg.Claim(ctx, system, governance.ClaimInput{ProjectID: meals.ID, RegistrationID: unit.ID})
	require.NoError(t, err)

	for _, bad := range []string{"0", "-1", "24.01", "1.005"} {
		_, err := f.reg.RecordService(ctx, system, governance.ServiceInput{ProjectID: meals.ID, RegistrationID: reg.ID, Date: start, Hours: mustDec(bad)})
		requireFields(t, err, gridgov.ErrInvalid, "Hours")
	}
	in := governance.ServiceInput{ID: "s1", ProjectID: meals.ID, RegistrationID: reg.ID, Date: start, Hours: mustDec("2.5")}
	first, err := f.reg.RecordService(ctx, gridgov.PersonActor("cadre"), in)
	require.NoError(t, err)
	retry, err := f.reg.RecordService(ctx, gridgov.PersonActor("cadre"), in)
	require.NoError(t, err, "a retried record is idempotent")
	assert.Equal(t, first.ID, retry.ID)
	_, err = f.reg.RecordService(ctx, gridgov.PersonActor("cadre"), governance.ServiceInput{ProjectID: meals.ID, RegistrationID: reg.ID, Date: start.AddDate(0, 0, 1), Hours: mustDec("1.25")})
	require.NoError(t, err)
	_, err = f.reg.RecordService(ctx, system, governance.ServiceInput{ProjectID: meals.ID, RegistrationID: unit.ID, Date: start, Hours: mustDec("8")})
	require.NoError(t, err)

	sums, err := f.reg.ServiceSummaries(ctx, "c1")
	require.NoError(t, err)
	require.Len(t, sums, 2)
	assert.Equal(t, "r1", sums[0].Registration.ID)
	assert.True(t, sums[0].Hours.Equal(mustDec("3.75")), sums[0].Hours.String())
	assert.Equal(t, 2, sums[0].Records)
	assert.Equal(t, []string{"meals"}, sums[0].Claimed)
	assert.True(t, sums[1].Hours.Equal(mustDec("8")), sums[1].Hours.String())
}
