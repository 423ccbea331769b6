package governance_test

import (
	"fmt"
	"testing"

	"github.com/gridgov/gridgov"
	"github.com/gridgov/gridgov/governance"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// xiangshanScheme puts a district on top of the Xiangshan three levels, so that the whole
// district is one subtree.
func xiangshanScheme() governance.Scheme {
	s := governance.ThreeLevelXiangshan()
	s.Name = "xiangshan-district"
	s.Levels = append([]governance.Level{{Key: "district", Kind: governance.KindDistrict, NameZH: "相山区", NameEN: "Xiangshan district"}}, s.Levels...)
	return s
}

// TestCoverageXiangshan reproduces the Xiangshan figures: 292 compound/grid Party
// organisations; 249 red owners' committees and 43 property management committees acting in
// their place (full coverage); of 81 property firms 34 have their own Party branch and 47 an
// appointed Party-building instructor (full coverage).
func TestCoverageXiangshan(t *testing.T) {
	f := newFixture(t, governance.WithScheme(xiangshanScheme()))
	f.node("xs", "", "district", "相山区")
	const communities, compounds, red, mgmt, firms, withBranch = 12, 292, 249, 43, 81, 34
	for c := 0; c < communities; c++ {
		f.node(fmt.Sprintf("c%02d", c), "xs", "community", fmt.Sprintf("社区%02d", c))
	}
	for k := 0; k < compounds; k++ {
		id := fmt.Sprintf("k%03d", k)
		f.node(id, fmt.Sprintf("c%02d", k%communities), "compound", "小区"+id)
		f.org(id+"-pb", id, governance.OrgPartyBranch, "小区党支部")
		if k < red {
			f.org(id+"-oc", id, governance.OrgOwnersCommittee, "业主委员会")
			f.person(id+"-chair", id, governance.PartyRetired)
			f.appoint(id+"-chair", id+"-oc", governance.RoleChair)
		} else {
			f.org(id+"-mc", id, governance.OrgManagementCommittee, "物业管理委员会")
		}
	}
	f.person("instructor", "xs", governance.PartyInService)
	for i := 0; i < firms; i++ {
		id := fmt.Sprintf("firm%02d", i)
		o, err := f.reg.AddOrganisation(ctx, system, governance.OrganisationInput{
			ID: id, NodeID: "xs", Kind: governance.OrgPropertyFirm, Name: "物业公司" + id,
			Serves: []string{fmt.Sprintf("k%03d", i), fmt.Sprintf("k%03d", i+firms)},
		})
		require.NoError(t, err)
		if i < withBranch {
			_, err := f.reg.AddOrganisation(ctx, system, governance.OrganisationInput{
				ID: id + "-pb", NodeID: "xs", Kind: governance.OrgPartyBranch, Name: "物业企业党支部", HostID: o.ID,
			})
			require.NoError(t, err)
		} else {
			f.appoint("instructor", id, governance.RoleInstructor)
		}
	}

	rep, err := f.reg.Coverage(ctx, "xs")
	require.NoError(t, err)
	assert.Equal(t, compounds, rep.Compounds)
	assert.Equal(t, red, rep.WithOwnersCommittee)
	assert.Equal(t, red, rep.RedOwnersCommittees)
	assert.Equal(t, mgmt, rep.WithManagementCommittee)
	assert.Equal(t, compounds, rep.WithOwnersCommittee+rep.WithManagementCommittee)
	assert.Empty(t, rep.WithNeither)
	assert.True(t, rep.CommitteeCoverage())
	assert.Equal(t, compounds, rep.WithPartyBranch)
	assert.Equal(t, firms, rep.Firms)
	assert.Equal(t, withBranch, rep.FirmsWithBranch)
	assert.Equal(t, firms-withBranch, rep.FirmsWithInstructor)
	assert.Empty(t, rep.FirmsWithNeither)
	assert.True(t, rep.FirmCoverage())
	assert.Len(t, rep.Unserved, compounds-2*firms, "each firm serves two compounds")

	// One community's subtree: its compounds only, and the firms serving them.
	sub, err := f.reg.Coverage(ctx, "c00")
	require.NoError(t, err)
	assert.Equal(t, 25, sub.Compounds) // k000, k012, …, k288
	assert.Equal(t, 25, sub.WithOwnersCommittee+sub.WithManagementCommittee)
	assert.Positive(t, sub.Firms)
	assert.Less(t, sub.Firms, firms)
}

func TestCoverageGapsAndCrossAppointment(t *testing.T) {
	f := newFixture(t)
	f.duyun()
	// k1: branch + owners' committee; the secretary chairs the committee (one shoulder) and
	// one of two other branch members sits on it.
	f.org("k1-pb", "k1", governance.OrgPartyBranch, "支部")
	f.org("k1-oc", "k1", governance.OrgOwnersCommittee, "业委会")
	f.person("sec", "k1", governance.PartyRetired)
	f.person("m1", "k1", governance.PartyResident)
	f.person("m2", "k1", governance.PartyInService)
	f.appoint("sec", "k1-pb", governance.RoleSecretary)
	f.appoint("m1", "k1-pb", governance.RoleMember)
	f.appoint("m2", "k1-pb", governance.RoleMember)
	f.appoint("sec", "k1-oc", governance.RoleChair)
	f.appoint("m1", "k1-oc", governance.RoleMember)
	// k2: an owners' committee whose chair is not a Party member; no branch.
	f.org("k2-oc", "k2", governance.OrgOwnersCommittee, "业委会")
	f.person("plain", "k2", governance.NotPartyMember)
	f.appoint("plain", "k2-oc", governance.RoleChair)
	// k3: nothing at all. A firm with neither branch nor instructor serves k3.
	_, err := f.reg.AddOrganisation(ctx, system, governance.OrganisationInput{
		ID: "f1", NodeID: "c2", Kind: governance.OrgPropertyFirm, Name: "安居物业", Serves: []string{"k3"},
	})
	require.NoError(t, err)

	rep, err := f.reg.Coverage(ctx, "st")
	require.NoError(t, err)
	assert.Equal(t, 3, rep.Compounds)
	assert.Equal(t, 2, rep.WithOwnersCommittee)
	assert.Equal(t, 1, rep.RedOwnersCommittees)
	assert.Equal(t, []governance.Ref{{ID: "k3", Name: "安居小区"}}, rep.WithNeither)
	assert.False(t, rep.CommitteeCoverage())
	assert.Equal(t, 1, rep.WithPartyBranch)
	assert.Equal(t, []governance.Ref{{ID: "k2", Name: "和平小区"}, {ID: "k3", Name: "安居小区"}}, rep.WithoutPartyBranch)
	assert.Equal(t, []governance.Ref{{ID: "f1", Name: "安居物业"}}, rep.FirmsWithNeither)
	assert.Equal(t, []governance.Ref{{ID: "k1", Name: "幸福里小区"}, {ID: "k2", Name: "和平小区"}}, rep.Unserved,
		"only k3 is served")
	assert.Equal(t, 3, rep.BranchMembers)
	assert.Equal(t, 2, rep.CrossAppointed)
	assert.True(t, rep.CrossAppointmentRate().Equal(mustDec("0.6667")), rep.CrossAppointmentRate().String())
	assert.Equal(t, 1, rep.OneShoulder)

	red, err := f.reg.IsRed(ctx, "k1-oc")
	require.NoError(t, err)
	assert.True(t, red)
	red, err = f.reg.IsRed(ctx, "k2-oc")
	require.NoError(t, err)
	assert.False(t, red)
	_, err = f.reg.IsRed(ctx, "k1-pb")
	require.ErrorIs(t, err, gridgov.ErrInvalid)

	// The chair of k1 steps down: the committee is no longer red, and no longer one shoulder.
	pos, err := f.reg.PositionsOf(ctx, "sec")
	require.NoError(t, err)
	for _, p := range pos {
		if p.OrgID == "k1-oc" {
			_, err := f.reg.EndPosition(ctx, system, governance.EndInput{PositionID: p.ID})
			require.NoError(t, err)
		}
	}
	f.clock.Advance(1)
	rep, err = f.reg.Coverage(ctx, "st")
	require.NoError(t, err)
	assert.Equal(t, 0, rep.RedOwnersCommittees)
	assert.Equal(t, 0, rep.OneShoulder)
	assert.Equal(t, 1, rep.CrossAppointed)

	// The firm leaves: k3 has no property management any more.
	_, err = f.reg.DissolveOrganisation(ctx, system, governance.DissolveInput{OrgID: "f1"})
	require.NoError(t, err)
	f.clock.Advance(1)
	rep, err = f.reg.Coverage(ctx, "st")
	require.NoError(t, err)
	assert.Len(t, rep.Unserved, 3)
	assert.Empty(t, rep.FirmsWithNeither, "a dissolved firm is not counted")
}

func TestCoverageNeedsCompoundLevel(t *testing.T) {
	s := governance.Scheme{Name: "flat", Levels: []governance.Level{{Key: "street", Kind: governance.KindStreet, NameZH: "街道", NameEN: "street"}}}
	f := newFixture(t, governance.WithScheme(s))
	f.node("s", "", "street", "街道")
	_, err := f.reg.Coverage(ctx, "s")
	require.ErrorIs(t, err, gridgov.ErrInvalid)
}
