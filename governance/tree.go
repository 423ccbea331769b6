package governance

import (
	"context"
	"fmt"
	"strings"

	"github.com/gridgov/gridgov"
)

// ListOption adjusts a listing.
type ListOption func(*listOptions)

type listOptions struct {
	includeRetired bool
}

// IncludeRetired makes a listing include retired nodes (or dissolved organisations, or
// ended positions).
func IncludeRetired() ListOption { return func(o *listOptions) { o.includeRetired = true } }

func listOpts(opts []ListOption) listOptions {
	var o listOptions
	for _, f := range opts {
		f(&o)
	}
	return o
}

func activeNodes(nodes []Node, o listOptions) []Node {
	if o.includeRetired {
		return nodes
	}
	out := nodes[:0]
	for _, n := range nodes {
		if !n.Retired {
			out = append(out, n)
		}
	}
	return out
}

// Node returns the node with id, retired or not.
func (r *Registry) Node(ctx context.Context, id string) (Node, error) {
	return r.store.GetNode(ctx, id)
}

// Roots returns the root nodes (active ones unless [IncludeRetired]) in ID order.
func (r *Registry) Roots(ctx context.Context, opts ...ListOption) ([]Node, error) {
	nodes, err := r.store.Children(ctx, "")
	if err != nil {
		return nil, err
	}
	return activeNodes(nodes, listOpts(opts)), nil
}

// Children returns the direct children of the node (active ones unless [IncludeRetired]) in
// ID order.
func (r *Registry) Children(ctx context.Context, id string, opts ...ListOption) ([]Node, error) {
	if id == "" {
		return nil, gridgov.Invalid("id", "required", "node id is required", "必须提供节点编号")
	}
	nodes, err := r.store.Children(ctx, id)
	if err != nil {
		return nil, err
	}
	return activeNodes(nodes, listOpts(opts)), nil
}

// Ancestors returns the node's ancestors from the root down to its parent. Cost O(depth).
func (r *Registry) Ancestors(ctx context.Context, id string) ([]Node, error) {
	return r.store.Ancestors(ctx, id)
}

// Descendants returns every node below the node, in pre-order with siblings in ID order
// (active ones unless [IncludeRetired]; a retired node's subtree is itself retired). Cost
// O(size of the subtree).
func (r *Registry) Descendants(ctx context.Context, id string, opts ...ListOption) ([]Node, error) {
	nodes, err := r.store.Descendants(ctx, id)
	if err != nil {
		return nil, err
	}
	return activeNodes(nodes, listOpts(opts)), nil
}

// Path returns the nodes from the root down to the node itself. Cost O(depth).
func (r *Registry) Path(ctx context.Context, id string) ([]Node, error) {
	n, err := r.store.GetNode(ctx, id)
	if err != nil {
		return nil, err
	}
	anc, err := r.store.Ancestors(ctx, id)
	if err != nil {
		return nil, err
	}
	return append(anc, n), nil
}

// PathName renders the node's path as names joined by sep, for example
// "北园街道 / 幸福社区 / 幸福里小区".
func (r *Registry) PathName(ctx context.Context, id, sep string) (string, error) {
	path, err := r.Path(ctx, id)
	if err != nil {
		return "", err
	}
	names := make([]string, len(path))
	for i, n := range path {
		names[i] = n.Name
	}
	return strings.Join(names, sep), nil
}

// LevelOf returns the scheme level of the node.
func (r *Registry) LevelOf(ctx context.Context, id string) (Level, error) {
	n, err := r.store.GetNode(ctx, id)
	if err != nil {
		return Level{}, err
	}
	l, ok := r.scheme.Level(n.Level)
	if !ok {
		return Level{}, fmt.Errorf("%w: node %q has level %q, which scheme %q lacks", gridgov.ErrInvalid, id, n.Level, r.scheme.Name)
	}
	return l, nil
}

// AncestorAt returns the node itself or its nearest ancestor at the level with key level,
// for example the community of a building. gridgov.ErrNotFound when the path has no node at
// that level. Cost O(depth).
func (r *Registry) AncestorAt(ctx context.Context, id, level string) (Node, error) {
	path, err := r.Path(ctx, id)
	if err != nil {
		return Node{}, err
	}
	for i := len(path) - 1; i >= 0; i-- {
		if path[i].Level == level {
			return path[i], nil
		}
	}
	return Node{}, fmt.Errorf("%w: node %q has no ancestor at level %q (节点没有该层级的上级)", gridgov.ErrNotFound, id, level)
}

// IsInside reports whether node x lies inside the subtree of node y: x is y or one of its
// descendants. Cost O(depth of x).
func (r *Registry) IsInside(ctx context.Context, x, y string) (bool, error) {
	if _, err := r.store.GetNode(ctx, y); err != nil {
		return false, err
	}
	if x == y {
		return true, nil
	}
	anc, err := r.store.Ancestors(ctx, x)
	if err != nil {
		return false, err
	}
	for _, a := range anc {
		if a.ID == y {
			return true, nil
		}
	}
	return false, nil
}

// LowestCommonAncestor returns the deepest node whose subtree holds both a and b (a itself
// when b lies inside a). gridgov.ErrNotFound when they are in different trees. Cost
// O(depth).
func (r *Registry) LowestCommonAncestor(ctx context.Context, a, b string) (Node, error) {
	pa, err := r.Path(ctx, a)
	if err != nil {
		return Node{}, err
	}
	pb, err := r.Path(ctx, b)
	if err != nil {
		return Node{}, err
	}
	var lca Node
	found := false
	for i := 0; i < len(pa) && i < len(pb) && pa[i].ID == pb[i].ID; i++ {
		lca, found = pa[i], true
	}
	if !found {
		return Node{}, fmt.Errorf("%w: nodes %q and %q are in different trees (两个节点不在同一棵树中)", gridgov.ErrNotFound, a, b)
	}
	return lca, nil
}

// History returns the node's change history, oldest first: creation, renames, moves,
// label changes and retirement, each with its actor, time and note.
func (r *Registry) History(ctx context.Context, id string) ([]NodeChange, error) {
	return r.store.NodeHistory(ctx, id)
}
