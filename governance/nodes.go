package governance

import (
	"context"
	"fmt"
	"maps"

	"github.com/gridgov/gridgov"
)

// NodeInput describes a node to add.
type NodeInput struct {
	// ID is optional: empty means the registry generates one.
	ID string `validate:"omitempty,gridid" zh:"节点编号"`
	// ParentID is empty for a root (only a system actor may add a root).
	ParentID string `validate:"omitempty,gridid" zh:"上级节点"`
	// Level is the key of the node's level in the scheme.
	Level string `validate:"required,gridid" zh:"层级"`
	Name  string `validate:"required,notblank,printable,max=128" zh:"名称"`
	// Labels are optional facts, for example "pilot": "true".
	Labels map[string]string `validate:"max=64,dive,keys,required,gridid,endkeys,printable,max=256" zh:"标签"`
	// Note is recorded in the node's history.
	Note string `validate:"printable,max=512" zh:"备注"`
}

// RenameInput renames a node (更名).
type RenameInput struct {
	ID   string `validate:"required,gridid" zh:"节点编号"`
	Name string `validate:"required,notblank,printable,max=128" zh:"名称"`
	// Version is the version the caller read; 0 means the current one.
	Version int64  `validate:"gte=0" zh:"版本"`
	Note    string `validate:"printable,max=512" zh:"备注"`
}

// MoveInput moves a node and its whole subtree under a new parent (区划调整).
type MoveInput struct {
	ID          string `validate:"required,gridid" zh:"节点编号"`
	NewParentID string `validate:"required,gridid" zh:"新上级节点"`
	// Version is the version the caller read; 0 means the current one.
	Version int64  `validate:"gte=0" zh:"版本"`
	Note    string `validate:"printable,max=512" zh:"备注"`
}

// RetireInput retires a node (撤销). The node must have no active children and no
// organisation that is not dissolved.
type RetireInput struct {
	ID string `validate:"required,gridid" zh:"节点编号"`
	// Version is the version the caller read; 0 means the current one.
	Version int64  `validate:"gte=0" zh:"版本"`
	Note    string `validate:"printable,max=512" zh:"备注"`
}

// LabelInput sets and removes labels on a node.
type LabelInput struct {
	ID string `validate:"required,gridid" zh:"节点编号"`
	// Set adds or replaces labels; Remove deletes them (after Set is applied).
	Set    map[string]string `validate:"max=64,dive,keys,required,gridid,endkeys,printable,max=256" zh:"设置标签"`
	Remove []string          `validate:"max=64,dive,required" zh:"删除标签"`
	// Version is the version the caller read; 0 means the current one.
	Version int64 `validate:"gte=0" zh:"版本"`
}

// AddNode adds a node under in.ParentID (or a root when ParentID is empty). The level must
// fit under the parent's level (see [Scheme.Fits]). The actor needs [PermManageTree] at the
// parent; only a system actor may add a root.
//
// Errors: a [*gridgov.ValidationError] (gridgov.ErrInvalid) naming every bad field (empty
// name, unknown level or parent, a level that does not fit, a retired parent);
// gridgov.ErrAlreadyExists naming ID when the identifier is taken; gridgov.ErrForbidden.
func (r *Registry) AddNode(ctx context.Context, actor gridgov.Actor, in NodeInput) (Node, error) {
	verr := &gridgov.ValidationError{}
	if err := verr.Merge(r.check(in)); err != nil {
		return Node{}, err
	}
	levelIdx, levelOK := r.scheme.Index(in.Level)
	if in.Level != "" && !levelOK {
		verr.Add("Level", "level",
			fmt.Sprintf("level %q is not in scheme %q", in.Level, r.scheme.Name),
			fmt.Sprintf("层级“%s”不在层级方案“%s”中", in.Level, r.scheme.Name))
	}
	if in.ParentID != "" {
		parent, err := r.store.GetNode(ctx, in.ParentID)
		switch {
		case err != nil:
			if err := verr.Merge(notFoundAs(err, "ParentID", in.ParentID)); err != nil {
				return Node{}, err
			}
		case parent.Retired:
			verr.Add("ParentID", "active",
				fmt.Sprintf("parent %q is retired", in.ParentID),
				fmt.Sprintf("上级节点“%s”已撤销", in.ParentID))
		case levelOK && !r.scheme.Fits(parent.Level, in.Level):
			verr.Add("Level", "level_fit", r.levelFitEN(parent.Level, levelIdx), r.levelFitZH(parent.Level, levelIdx))
		}
	}
	if err := verr.Err(); err != nil {
		return Node{}, err
	}
	if in.ParentID == "" {
		if err := requireSystem(actor, "adding a root node", PermManageTree); err != nil {
			return Node{}, err
		}
	} else if err := r.Authorize(ctx, actor, in.ParentID, PermManageTree); err != nil {
		return Node{}, err
	}
	now := r.clock.Now()
	n := Node{
		ID:        r.newID(in.ID),
		ParentID:  in.ParentID,
		Level:     in.Level,
		Name:      in.Name,
		Labels:    maps.Clone(in.Labels),
		CreatedAt: now,
		UpdatedAt: now,
	}
	created, err := r.store.CreateNode(ctx, n, NodeChange{
		NodeID: n.ID, Version: 1, Kind: ChangeCreated, Actor: actor.String(), At: now,
		To: in.ParentID, Note: in.Note,
	})
	if err != nil {
		return Node{}, err
	}
	r.log.InfoContext(ctx, "node added", "node", created.ID, "level", created.Level, "parent", created.ParentID, "actor", actor.String())
	return created, nil
}

func (r *Registry) levelFitEN(parentLevel string, childIdx int) string {
	want := "exactly one level below"
	if r.scheme.AllowSkip {
		want = "below"
	}
	return fmt.Sprintf("level %q does not fit under a %q node: a child must sit %s its parent",
		r.scheme.Levels[childIdx].Key, parentLevel, want)
}

func (r *Registry) levelFitZH(parentLevel string, childIdx int) string {
	want := "正好低一级"
	if r.scheme.AllowSkip {
		want = "低于上级"
	}
	return fmt.Sprintf("层级“%s”不能设在“%s”层级节点之下：下级节点必须%s", r.scheme.Levels[childIdx].Key, parentLevel, want)
}

// RenameNode renames a node (更名); the old name stays in its history. The actor needs
// [PermManageTree] at the node's parent (a root can only be renamed by a system actor).
func (r *Registry) RenameNode(ctx context.Context, actor gridgov.Actor, in RenameInput) (Node, error) {
	if err := r.check(in); err != nil {
		return Node{}, err
	}
	n, err := r.nodeForUpdate(ctx, actor, in.ID, in.Version, "renaming a root node")
	if err != nil {
		return Node{}, err
	}
	old := n.Name
	n.Name = in.Name
	return r.updateNode(ctx, n, NodeChange{Kind: ChangeRenamed, Actor: actor.String(), From: old, To: in.Name, Note: in.Note})
}

// MoveNode moves a node with its whole subtree under a new parent (区划调整, for example
// when 26 communities are re-drawn into 45). The new parent must be active, outside the
// node's subtree and at a level the node fits under. The actor needs [PermManageTree] at
// both the old and the new parent. The move is atomic: readers see the subtree either
// entirely under the old parent or entirely under the new one.
func (r *Registry) MoveNode(ctx context.Context, actor gridgov.Actor, in MoveInput) (Node, error) {
	if err := r.check(in); err != nil {
		return Node{}, err
	}
	n, err := r.nodeForUpdate(ctx, actor, in.ID, in.Version, "moving a root node")
	if err != nil {
		return Node{}, err
	}
	parent, err := r.store.GetNode(ctx, in.NewParentID)
	if err != nil {
		return Node{}, notFoundAs(err, "NewParentID", in.NewParentID)
	}
	verr := &gridgov.ValidationError{}
	switch {
	case parent.Retired:
		verr.Add("NewParentID", "active",
			fmt.Sprintf("new parent %q is retired", parent.ID),
			fmt.Sprintf("新上级节点“%s”已撤销", parent.ID))
	case n.Retired:
		verr.Add("ID", "active",
			fmt.Sprintf("node %q is retired and cannot move", n.ID),
			fmt.Sprintf("节点“%s”已撤销，不能调整", n.ID))
	case !r.scheme.Fits(parent.Level, n.Level):
		idx, _ := r.scheme.Index(n.Level)
		verr.Add("NewParentID", "level_fit", r.levelFitEN(parent.Level, idx), r.levelFitZH(parent.Level, idx))
	}
	if err := verr.Err(); err != nil {
		return Node{}, err
	}
	inside, err := r.IsInside(ctx, parent.ID, n.ID)
	if err != nil {
		return Node{}, err
	}
	if inside {
		return Node{}, gridgov.Invalid("NewParentID", "acyclic",
			fmt.Sprintf("cannot move node %q under %q, which lies inside its own subtree", n.ID, parent.ID),
			fmt.Sprintf("不能把节点“%s”调整到其下级节点“%s”之下", n.ID, parent.ID))
	}
	if err := r.Authorize(ctx, actor, parent.ID, PermManageTree); err != nil {
		return Node{}, err
	}
	if n.ParentID == parent.ID {
		return n, nil // already there: nothing to record
	}
	old := n.ParentID
	n.ParentID = parent.ID
	return r.updateNode(ctx, n, NodeChange{Kind: ChangeMoved, Actor: actor.String(), From: old, To: parent.ID, Note: in.Note})
}

// RetireNode retires a node (撤销). It stays resolvable with its history; it can no longer
// receive children, organisations or moves. The node must have no active children and no
// organisation that is not dissolved. The actor needs [PermManageTree] at the node's parent.
func (r *Registry) RetireNode(ctx context.Context, actor gridgov.Actor, in RetireInput) (Node, error) {
	if err := r.check(in); err != nil {
		return Node{}, err
	}
	n, err := r.nodeForUpdate(ctx, actor, in.ID, in.Version, "retiring a root node")
	if err != nil {
		return Node{}, err
	}
	if n.Retired {
		return n, nil // retiring twice changes nothing
	}
	now := r.clock.Now()
	n.Retired, n.RetiredAt = true, now
	return r.updateNode(ctx, n, NodeChange{Kind: ChangeRetired, Actor: actor.String(), Note: in.Note})
}

// LabelNode sets and removes labels of a node. The actor needs [PermManageTree] at the
// node's parent.
func (r *Registry) LabelNode(ctx context.Context, actor gridgov.Actor, in LabelInput) (Node, error) {
	if err := r.check(in); err != nil {
		return Node{}, err
	}
	n, err := r.nodeForUpdate(ctx, actor, in.ID, in.Version, "labelling a root node")
	if err != nil {
		return Node{}, err
	}
	labels := maps.Clone(n.Labels)
	if labels == nil {
		labels = map[string]string{}
	}
	maps.Copy(labels, in.Set)
	for _, k := range in.Remove {
		delete(labels, k)
	}
	if len(labels) > 64 {
		return Node{}, gridgov.Invalid("Set", "max", "a node carries at most 64 labels", "一个节点最多64个标签")
	}
	n.Labels = labels
	return r.updateNode(ctx, n, NodeChange{Kind: ChangeLabeled, Actor: actor.String()})
}

// nodeForUpdate reads the node, checks the caller's version and authority at its parent
// (system only for a root).
func (r *Registry) nodeForUpdate(ctx context.Context, actor gridgov.Actor, id string, version int64, rootWhat string) (Node, error) {
	n, err := r.store.GetNode(ctx, id)
	if err != nil {
		return Node{}, err
	}
	if err := checkVersion("node", id, n.Version, version); err != nil {
		return Node{}, err
	}
	if n.ParentID == "" {
		return n, requireSystem(actor, rootWhat, PermManageTree)
	}
	return n, r.Authorize(ctx, actor, n.ParentID, PermManageTree)
}

func (r *Registry) updateNode(ctx context.Context, n Node, change NodeChange) (Node, error) {
	now := r.clock.Now()
	n.UpdatedAt = now
	change.NodeID, change.Version, change.At = n.ID, n.Version+1, now
	updated, err := r.store.UpdateNode(ctx, n, change)
	if err != nil {
		return Node{}, err
	}
	r.log.InfoContext(ctx, "node changed", "node", updated.ID, "change", string(change.Kind), "version", updated.Version, "actor", change.Actor)
	return updated, nil
}
