package governance_test

import (
	"testing"
	"time"

	"github.com/gridgov/gridgov"
	"github.com/gridgov/gridgov/governance"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestAuthorize(t *testing.T) {
	f := newFixture(t)
	f.duyun()
	f.org("st-pwc", "st", governance.OrgPartyWorkingCommittee, "街道党工委")
	f.org("c1-rc", "c1", governance.OrgResidentsCommittee, "居委会")
	f.org("k1-oc", "k1", governance.OrgOwnersCommittee, "业委会")
	f.org("g1-grp", "g1", governance.OrgPartyGroup, "网格党小组")
	f.person("street-sec", "st", governance.PartyInService)
	f.person("rc-chair", "c1", governance.PartyInService)
	f.person("oc-chair", "k1", governance.PartyRetired)
	f.person("worker", "g1", governance.NotPartyMember)
	f.person("member", "k1", governance.PartyRetired)
	f.appoint("street-sec", "st-pwc", governance.RoleSecretary)
	f.appoint("rc-chair", "c1-rc", governance.RoleChair)
	f.appoint("oc-chair", "k1-oc", governance.RoleChair)
	f.appoint("worker", "g1-grp", governance.RoleGridWorker)
	f.appoint("member", "k1-oc", governance.RoleMember)

	tests := []struct {
		actor string
		node  string
		perm  governance.Permission
		want  bool
	}{
		{"street-sec", "st", governance.PermManageTree, true},
		{"street-sec", "h1", governance.PermManageTree, true}, // a position covers its subtree
		{"street-sec", "k3", governance.PermApproveFunds, true},
		{"rc-chair", "c1", governance.PermHandleComplaints, true},
		{"rc-chair", "k2", governance.PermHandleComplaints, true},
		{"rc-chair", "c2", governance.PermHandleComplaints, false}, // a sibling subtree
		{"rc-chair", "st", governance.PermHandleComplaints, false}, // above the position
		{"rc-chair", "c1", governance.PermManageTree, false},       // the role lacks it
		{"oc-chair", "k1", governance.PermDeliberate, true},
		{"oc-chair", "k2", governance.PermDeliberate, false},
		{"oc-chair", "k1", governance.PermManageFunds, false},
		{"worker", "h1", governance.PermHandleComplaints, true},
		{"worker", "k1", governance.PermHandleComplaints, false},
		{"member", "k1", governance.PermHandleComplaints, false}, // members carry nothing
		{"stranger", "k1", governance.PermHandleComplaints, false},
	}
	for _, tt := range tests {
		err := f.reg.Authorize(ctx, gridgov.PersonActor(tt.actor), tt.node, tt.perm)
		if tt.want {
			assert.NoError(t, err, "%s %s at %s", tt.actor, tt.perm, tt.node)
		} else {
			assert.ErrorIs(t, err, gridgov.ErrForbidden, "%s %s at %s", tt.actor, tt.perm, tt.node)
		}
		ok, err := f.reg.Can(ctx, gridgov.PersonActor(tt.actor), tt.node, tt.perm)
		require.NoError(t, err)
		assert.Equal(t, tt.want, ok)
	}

	require.NoError(t, f.reg.Authorize(ctx, system, "h1", governance.PermManageTree))
	require.ErrorIs(t, f.reg.Authorize(ctx, system, "nope", governance.PermManageTree), gridgov.ErrNotFound)
	require.ErrorIs(t, f.reg.Authorize(ctx, gridgov.PersonActor("street-sec"), "nope", governance.PermManageTree), gridgov.ErrNotFound)
	require.ErrorIs(t, f.reg.Authorize(ctx, gridgov.Actor{}, "k1", governance.PermManageTree), gridgov.ErrForbidden)
}

func TestAuthorityFollowsPositionsOverTime(t *testing.T) {
	f := newFixture(t)
	f.duyun()
	f.org("c1-pc", "c1", governance.OrgPartyCommittee, "社区党委")
	f.person("sec", "c1", governance.PartyInService)
	// Appointed from next week.
	p, err := f.reg.Appoint(ctx, system, governance.AppointInput{PersonID: "sec", OrgID: "c1-pc", Role: governance.RoleSecretary, Since: start.Add(7 * 24 * time.Hour)})
	require.NoError(t, err)
	actor := gridgov.PersonActor("sec")
	require.ErrorIs(t, f.reg.Authorize(ctx, actor, "k1", governance.PermManageTree), gridgov.ErrForbidden)
	f.clock.Advance(7 * 24 * time.Hour)
	require.NoError(t, f.reg.Authorize(ctx, actor, "k1", governance.PermManageTree))
	// A community secretary may add under the community but not rename the community itself.
	_, err = f.reg.AddNode(ctx, actor, governance.NodeInput{ParentID: "c1", Level: "compound", Name: "新小区"})
	require.NoError(t, err)
	_, err = f.reg.RenameNode(ctx, actor, governance.RenameInput{ID: "c1", Name: "x"})
	require.ErrorIs(t, err, gridgov.ErrForbidden)
	// Moving needs authority at the destination too.
	_, err = f.reg.MoveNode(ctx, actor, governance.MoveInput{ID: "k2", NewParentID: "c2"})
	require.ErrorIs(t, err, gridgov.ErrForbidden)

	_, err = f.reg.EndPosition(ctx, system, governance.EndInput{PositionID: p.ID})
	require.NoError(t, err)
	require.ErrorIs(t, f.reg.Authorize(ctx, actor, "k1", governance.PermManageTree), gridgov.ErrForbidden)
}

func TestCustomGrants(t *testing.T) {
	grants := governance.Grants{{Role: governance.RoleVolunteer, Permissions: []governance.Permission{"patrol.report"}}}
	f := newFixture(t, governance.WithGrants(grants))
	f.duyun()
	f.org("team", "c1", governance.OrgVolunteerTeam, "志愿服务队")
	f.person("v", "c1", governance.NotPartyMember)
	f.appoint("v", "team", governance.RoleVolunteer)
	require.NoError(t, f.reg.Authorize(ctx, gridgov.PersonActor("v"), "h1", "patrol.report"))
	require.ErrorIs(t, f.reg.Authorize(ctx, gridgov.PersonActor("v"), "h1", governance.PermManageTree), gridgov.ErrForbidden)
	assert.True(t, governance.DefaultGrants().Allows(governance.RoleSecretary, governance.OrgPartyBranch, governance.PermManageTree))
	assert.False(t, governance.DefaultGrants().Allows(governance.RoleSecretary, governance.OrgPartyBranch, governance.PermApproveFunds))
}

// AuthorizeMember counts only positions in the organisation itself: a street secretary
// whose authority covers the compound is still not a member of the compound's branch.
func TestAuthorizeMember(t *testing.T) {
	f := newFixture(t)
	f.duyun()
	f.org("st-pwc", "st", governance.OrgPartyWorkingCommittee, "街道党工委")
	f.org("k1-pb", "k1", governance.OrgPartyBranch, "小区党支部")
	f.org("k2-pb", "k2", governance.OrgPartyBranch, "小区党支部")
	f.person("street-sec", "st", governance.PartyInService)
	f.person("branch-sec", "k1", governance.PartyRetired)
	f.person("branch-member", "k1", governance.PartyRetired)
	f.appoint("street-sec", "st-pwc", governance.RoleSecretary)
	f.appoint("branch-sec", "k1-pb", governance.RoleSecretary)
	f.appoint("branch-member", "k1-pb", governance.RoleMember)

	tests := []struct {
		actor, org string
		want       bool
	}{
		{"branch-sec", "k1-pb", true},
		{"branch-sec", "k2-pb", false},    // another branch
		{"street-sec", "k1-pb", false},    // authority above is not membership
		{"branch-member", "k1-pb", false}, // a member's role carries nothing by default
		{"stranger", "k1-pb", false},
	}
	for _, tt := range tests {
		err := f.reg.AuthorizeMember(ctx, gridgov.PersonActor(tt.actor), tt.org, governance.PermEvaluate)
		if tt.want {
			assert.NoError(t, err, "%s in %s", tt.actor, tt.org)
		} else {
			assert.ErrorIs(t, err, gridgov.ErrForbidden, "%s in %s", tt.actor, tt.org)
		}
	}
	require.NoError(t, f.reg.AuthorizeMember(ctx, system, "k1-pb", governance.PermEvaluate))
	require.ErrorIs(t, f.reg.AuthorizeMember(ctx, system, "nope", governance.PermEvaluate), gridgov.ErrNotFound)
	require.ErrorIs(t, f.reg.AuthorizeMember(ctx, gridgov.PersonActor("branch-sec"), "nope", governance.PermEvaluate), gridgov.ErrNotFound)
}
