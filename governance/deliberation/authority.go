package deliberation

import (
	"context"
	"fmt"

	"github.com/gridgov/gridgov"
	"github.com/gridgov/gridgov/governance"
)

// authority says who may run a command.
type authority int

const (
	// byRaiser: PermEscalate, PermDeliberate or PermHandleComplaints at the item's node.
	byRaiser authority = iota
	// byLocal: PermDeliberate or PermHandleComplaints at the item's node (the first round:
	// firm, owners' committee, building leaders through their Party group or committee).
	byLocal
	// byCommittee: a member of the item's community Party committee holding PermDeliberate
	// at the community.
	byCommittee
	// byLocalOrCommittee: byLocal before the referral, byCommittee after it.
	byLocalOrCommittee
	// byAnyone: any person (an objection to a notice).
	byAnyone
	// byVoters: checked ballot by ballot (see Forum.authorizeBallots).
	byVoters
)

var (
	raisePerms     = []governance.Permission{governance.PermEscalate, governance.PermDeliberate, governance.PermHandleComplaints}
	localPerms     = []governance.Permission{governance.PermDeliberate, governance.PermHandleComplaints}
	canvasserPerms = raisePerms
)

// authorize checks that actor may act on it as who says.
func (f *Forum) authorize(ctx context.Context, actor gridgov.Actor, it *Item, who authority) error {
	if actor.IsSystem() {
		return nil
	}
	switch who {
	case byRaiser:
		return f.authorizeAny(ctx, actor, it.NodeID, raisePerms)
	case byLocal:
		return f.authorizeAny(ctx, actor, it.NodeID, localPerms)
	case byCommittee:
		return f.authorizeCommittee(ctx, actor, it)
	case byLocalOrCommittee:
		if it.Referral.CommitteeID == "" {
			return f.authorizeAny(ctx, actor, it.NodeID, localPerms)
		}
		return f.authorizeCommittee(ctx, actor, it)
	case byAnyone:
		if actor.Kind == gridgov.ActorPerson && actor.ID != "" {
			return nil
		}
		return fmt.Errorf("%w: %s is not a person (操作人不是自然人)", gridgov.ErrForbidden, actor)
	case byVoters:
		return nil // checked per ballot
	}
	return fmt.Errorf("%w: unknown authority %d", gridgov.ErrForbidden, who)
}

// authorizeAny passes when actor holds any of perms at nodeID (or above).
func (f *Forum) authorizeAny(ctx context.Context, actor gridgov.Actor, nodeID string, perms []governance.Permission) error {
	for _, p := range perms {
		ok, err := f.reg.Can(ctx, actor, nodeID, p)
		if err != nil {
			return err
		}
		if ok {
			return nil
		}
	}
	return fmt.Errorf("%w: %s holds none of %v at node %q (%s在节点“%s”无相应权限)",
		gridgov.ErrForbidden, actor, perms, nodeID, actor, nodeID)
}

// authorizeCommittee passes when actor holds an active position in the item's community
// Party committee and PermDeliberate at the community.
func (f *Forum) authorizeCommittee(ctx context.Context, actor gridgov.Actor, it *Item) error {
	ref := it.Referral
	if ref.CommitteeID == "" {
		return fmt.Errorf("%w: item %q has not been referred to a community Party committee (议题尚未提交社区党委)",
			gridgov.ErrForbidden, it.ID)
	}
	if err := f.reg.Authorize(ctx, actor, ref.CommunityID, governance.PermDeliberate); err != nil {
		return err
	}
	positions, err := f.reg.PositionsOf(ctx, actor.ID)
	if err != nil {
		return err
	}
	for _, p := range positions {
		if p.OrgID == ref.CommitteeID {
			return nil
		}
	}
	return fmt.Errorf("%w: %s is not a member of the community Party committee %q (不是社区党委成员)",
		gridgov.ErrForbidden, actor, ref.CommitteeID)
}
