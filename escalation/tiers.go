package escalation

import (
	"context"
	"fmt"
	"time"

	"github.com/gridgov/gridgov"
	"github.com/gridgov/gridgov/governance"
)

// tierOfLevel returns the index of the tier at level key, or -1.
func (e *Engine) tierOfLevel(key string) int {
	for i, t := range e.tiers {
		if t.Level == key {
			return i
		}
	}
	return -1
}

// startTier returns the lowest tier at or above the level of the node at the end of path
// that has a node on the path, with that node.
func (e *Engine) startTier(path []governance.Node) (int, string, error) {
	return e.tierFrom(path, 0)
}

// tierFrom returns the first tier from index t up whose level has a node on path, and the
// node. Tiers below the place's own level are skipped: a complaint about a community is
// handled at the community tier or above.
func (e *Engine) tierFrom(path []governance.Node, t int) (int, string, error) {
	scheme := e.reg.Scheme()
	placeIdx := len(scheme.Levels)
	if n := len(path); n > 0 {
		if i, ok := scheme.Index(path[n-1].Level); ok {
			placeIdx = i
		}
	}
	for ; t < len(e.tiers); t++ {
		if e.tiers[t].index > placeIdx {
			continue
		}
		for i := len(path) - 1; i >= 0; i-- {
			if path[i].Level == e.tiers[t].Level {
				return t, path[i].ID, nil
			}
		}
	}
	return -1, "", gridgov.Invalid("NodeID", "tier",
		"no tier of the policy has a node on the place's path", "诉求地点的上级节点中没有策略所列层级的节点")
}

// nextTier returns the next tier above the complaint's that has a node on its path.
func (e *Engine) nextTier(ctx context.Context, c *Complaint) (int, error) {
	if c.Tier+1 >= len(e.tiers) {
		return 0, refuse("the complaint is already at the top tier", "诉求已在最高层级")
	}
	path, err := e.reg.Path(ctx, c.NodeID)
	if err != nil {
		return 0, err
	}
	t, _, err := e.tierFrom(path, c.Tier+1)
	if err != nil {
		return 0, refuse("no higher tier has a node above the complaint's place", "诉求地点之上没有更高层级的节点")
	}
	return t, nil
}

// moveTo refers the complaint to tier t from now: new tier node, fresh deadlines and
// warnings, a new signature needed.
func (e *Engine) moveTo(ctx context.Context, c *Complaint, t int, now time.Time) error {
	path, err := e.reg.Path(ctx, c.NodeID)
	if err != nil {
		return err
	}
	got, node, err := e.tierFrom(path, t)
	if err != nil {
		return err
	}
	if got != t {
		return gridgov.Invalid("Level", "tier",
			fmt.Sprintf("the complaint's place has no node at level %q", e.tiers[t].Level),
			fmt.Sprintf("诉求地点没有“%s”层级的上级节点", e.tiers[t].Level))
	}
	tr := e.tiers[t]
	c.Tier, c.TierLevel, c.TierNodeID = t, tr.Level, node
	c.ReferredAt, c.RespondedAt, c.Handler = now, time.Time{}, ""
	resp, res := e.limits(c, t)
	c.ResponseDue, c.ResponseWarnAt = e.after(now, resp), e.warnAfter(now, resp, tr.WarnAt)
	c.ResolutionDue, c.ResolutionWarnAt = e.after(now, res), e.warnAfter(now, res, tr.WarnAt)
	if c.FirstResolutionDue.IsZero() {
		c.FirstResolutionDue = c.ResolutionDue
	}
	c.WarnedResponse, c.WarnedResolution = false, false
	c.BreachedResponse, c.BreachedResolution = false, false
	return nil
}

// schedule sets c.DueAt to the earliest pending warning or deadline: response ones until
// the complaint is signed for, resolution ones until it is resolved; none while paused or
// outside handling.
func (e *Engine) schedule(c *Complaint) {
	c.DueAt = time.Time{}
	consider := func(t time.Time, done bool) {
		if !done && !t.IsZero() && (c.DueAt.IsZero() || t.Before(c.DueAt)) {
			c.DueAt = t
		}
	}
	switch c.State {
	case StateReferred:
		consider(c.ResponseWarnAt, c.WarnedResponse)
		consider(c.ResponseDue, c.BreachedResponse)
		fallthrough
	case StateSigned, StateInProgress:
		consider(c.ResolutionWarnAt, c.WarnedResolution)
		consider(c.ResolutionDue, c.BreachedResolution)
	}
}
