package governance

import "time"

// Node is a place in the organisation tree (网格化治理体系的节点): a street, a community, a
// compound, a grid, a building or a household group, at one level of the registry's
// [Scheme]. Nodes are never deleted: retiring keeps them resolvable, so history that names
// them (complaints, plans, evaluations) still reads.
type Node struct {
	// ID is unique in the registry and never changes.
	ID string
	// ParentID is empty for a root.
	ParentID string
	// Level is the key of the node's level in the scheme; it never changes.
	Level string
	// Name is the display name, for example "幸福里小区".
	Name string
	// Labels carry free-form facts other packages select on, for example "pilot": "true"
	// (试点) or "households": "420".
	Labels map[string]string
	// Retired is set when the node has been retired (撤销); RetiredAt says when.
	Retired   bool
	RetiredAt time.Time
	// Version increases by one with every accepted change; a write that names a stale
	// version fails with gridgov.ErrConflict.
	Version   int64
	CreatedAt time.Time
	UpdatedAt time.Time
}

// Clone returns a deep copy of n (Labels are copied).
func (n Node) Clone() Node {
	if n.Labels != nil {
		labels := make(map[string]string, len(n.Labels))
		for k, v := range n.Labels {
			labels[k] = v
		}
		n.Labels = labels
	}
	return n
}

// ChangeKind names what happened to a node in its history.
type ChangeKind string

// The kinds of node change.
const (
	ChangeCreated ChangeKind = "created" // 设立
	ChangeRenamed ChangeKind = "renamed" // 更名
	ChangeMoved   ChangeKind = "moved"   // 调整隶属（区划调整）
	ChangeRetired ChangeKind = "retired" // 撤销
	ChangeLabeled ChangeKind = "labeled" // 标签变更
)

// NodeChange is one entry of a node's append-only history (沿革): who changed what and
// when. A move records the old and the new parent, a rename the old and the new name.
type NodeChange struct {
	NodeID string
	// Version is the node's version after the change (1 for creation).
	Version int64
	Kind    ChangeKind
	// Actor is the gridgov.Actor's String() form, for example "person:p-17".
	Actor string
	At    time.Time
	// From and To hold the old and the new value: names for a rename, parent IDs for a move.
	From, To string
	// Note is the reason given, for example "2024 re-districting (区划调整)".
	Note string
}
