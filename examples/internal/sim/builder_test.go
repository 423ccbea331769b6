package sim

import (
	"context"
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gridgov/gridgov"
	"github.com/gridgov/gridgov/governance"
	"github.com/gridgov/gridgov/store/memory"
)

func TestBuilderKeepsTheFirstError(t *testing.T) {
	reg, err := governance.NewRegistry(memory.NewGovernanceStore(), governance.WithScheme(governance.FourLevelLadder()))
	require.NoError(t, err)
	ctx := context.Background()
	b := &Builder{Ctx: ctx, Reg: reg, Actor: gridgov.SystemActor("setup")}
	b.Node(governance.NodeInput{ID: "st", Level: "street", Name: "街道"})
	b.Org(governance.OrganisationInput{ID: "pc", NodeID: "st", Kind: governance.OrgPartyWorkingCommittee, Name: "党工委"})
	b.Person(governance.PersonInput{ID: "p1", Name: "王芳", HomeNodeID: "st"})
	b.Appoint(governance.AppointInput{PersonID: "p1", OrgID: "pc", Role: governance.RoleSecretary})
	b.Node(governance.NodeInput{ID: "c0", ParentID: "st", Level: "community", Name: "社区"})
	b.Person(governance.PersonInput{ID: "p2", Name: "李强", Party: governance.PartyInService, HomeNodeID: "st"})
	b.Register(governance.RegistrationInput{CommunityID: "c0", PersonID: "p2"})
	b.Fail(nil)
	require.NoError(t, b.Err())
	pos, err := reg.PositionsOf(ctx, "p1")
	require.NoError(t, err)
	assert.Len(t, pos, 1)
	regs, err := reg.Store().RegistrationsIn(ctx, "c0")
	require.NoError(t, err)
	assert.Len(t, regs, 1)

	b.Node(governance.NodeInput{ID: "g1", ParentID: "st", Level: "grid", Name: "网格"}) // a grid under a street: refused
	first := b.Err()
	require.ErrorIs(t, first, gridgov.ErrInvalid)
	b.Node(governance.NodeInput{ID: "c1", ParentID: "st", Level: "community", Name: "社区"})
	b.Fail(errors.New("later"))
	assert.Equal(t, first, b.Err(), "the first error is kept")
	_, err = reg.Node(ctx, "c1")
	assert.ErrorIs(t, err, gridgov.ErrNotFound, "nothing is added after a failure")
}
