package governance

import (
	"context"
	"errors"
	"fmt"

	"github.com/gridgov/gridgov"
)

// Authorize returns nil when actor may exercise permission p at the node with nodeID: the
// actor is a system actor, or holds an active position (now, on the registry's clock) whose
// role carries p under the registry's [Grants], at that node or any of its ancestors. It
// returns an error wrapping gridgov.ErrForbidden otherwise, gridgov.ErrNotFound when the
// node does not exist. Its cost is O(depth + positions held by the actor).
func (r *Registry) Authorize(ctx context.Context, actor gridgov.Actor, nodeID string, p Permission) error {
	if actor.IsSystem() {
		if _, err := r.store.GetNode(ctx, nodeID); err != nil {
			return err
		}
		return nil
	}
	ok, err := r.allowed(ctx, actor, nodeID, p)
	if err != nil {
		return err
	}
	if !ok {
		return forbidden(actor, nodeID, p)
	}
	return nil
}

// Can reports whether actor may exercise p at nodeID; it is [Registry.Authorize] without
// the error for a refusal.
func (r *Registry) Can(ctx context.Context, actor gridgov.Actor, nodeID string, p Permission) (bool, error) {
	err := r.Authorize(ctx, actor, nodeID, p)
	switch {
	case err == nil:
		return true, nil
	case errors.Is(err, gridgov.ErrForbidden):
		return false, nil
	}
	return false, err
}

// AuthorizeMember returns nil when actor may exercise permission p as a member of the
// organisation orgID: the actor is a system actor, or holds an active position in that very
// organisation whose role carries p under the registry's [Grants]. Positions elsewhere —
// even above the organisation's node — do not count, which is what a step reserved to one
// body needs (the community Party organisation evaluates the owners' committee; the
// compound Party branch evaluates the firm). It returns an error wrapping
// gridgov.ErrForbidden otherwise, gridgov.ErrNotFound when the organisation does not exist.
func (r *Registry) AuthorizeMember(ctx context.Context, actor gridgov.Actor, orgID string, p Permission) error {
	org, err := r.store.GetOrganisation(ctx, orgID)
	if err != nil {
		return err
	}
	if actor.IsSystem() {
		return nil
	}
	grants, err := r.grantsOf(ctx, actor, p)
	if err != nil {
		return err
	}
	for _, pos := range grants {
		if pos.OrgID == org.ID {
			return nil
		}
	}
	return fmt.Errorf("%w: %s holds no position in %q carrying %s (%s在组织“%s”中没有具有“%s”权限的职务)",
		gridgov.ErrForbidden, actor, org.ID, p, actor, org.ID, p)
}

func (r *Registry) allowed(ctx context.Context, actor gridgov.Actor, nodeID string, p Permission) (bool, error) {
	node, err := r.store.GetNode(ctx, nodeID)
	if err != nil {
		return false, err
	}
	grants, err := r.grantsOf(ctx, actor, p)
	if err != nil || len(grants) == 0 {
		return false, err
	}
	return r.covers(ctx, grants, node)
}

// grantsOf returns the actor's positions that are active now and carry p.
func (r *Registry) grantsOf(ctx context.Context, actor gridgov.Actor, p Permission) ([]Position, error) {
	if actor.ID == "" || actor.Kind != gridgov.ActorPerson {
		return nil, nil
	}
	positions, err := r.store.PositionsOfPerson(ctx, actor.ID)
	if err != nil {
		return nil, err
	}
	now := r.clock.Now()
	out := positions[:0]
	for _, pos := range positions {
		if pos.Active(now) && r.grants.Allows(pos.Role, pos.OrgKind, p) {
			out = append(out, pos)
		}
	}
	return out, nil
}

// covers reports whether one of the positions sits at node or one of its ancestors:
// O(depth), and no ancestor look-up at all when a position sits at the node itself.
func (r *Registry) covers(ctx context.Context, positions []Position, node Node) (bool, error) {
	for _, pos := range positions {
		if pos.NodeID == node.ID {
			return true, nil
		}
	}
	if node.ParentID == "" {
		return false, nil
	}
	ancestors, err := r.store.Ancestors(ctx, node.ID)
	if err != nil {
		return false, err
	}
	for _, a := range ancestors {
		for _, pos := range positions {
			if pos.NodeID == a.ID {
				return true, nil
			}
		}
	}
	return false, nil
}

// requireSystem allows only system actors: creating a root (or changing one) is beyond any
// position in the tree.
func requireSystem(actor gridgov.Actor, what string, p Permission) error {
	if actor.IsSystem() {
		return nil
	}
	return fmt.Errorf("%w: %s needs a system actor (%s); %s lacks %s", gridgov.ErrForbidden, what, "需要系统操作人", actor, p)
}

func forbidden(actor gridgov.Actor, nodeID string, p Permission) error {
	return fmt.Errorf("%w: %s lacks %s at node %q (%s在节点“%s”无“%s”权限)",
		gridgov.ErrForbidden, actor, p, nodeID, actor, nodeID, p)
}
