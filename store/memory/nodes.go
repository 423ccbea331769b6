package memory

import (
	"context"
	"fmt"

	"github.com/gridgov/gridgov"
	"github.com/gridgov/gridgov/governance"
)

// CreateNode stores n with Version 1 and starts its history with change (whose NodeID and
// Version are set from the stored node). See governance.NodeStore.
func (s *GovernanceStore) CreateNode(ctx context.Context, n governance.Node, change governance.NodeChange) (governance.Node, error) {
	unlock, err := s.lockWrite(ctx)
	if err != nil {
		return governance.Node{}, err
	}
	defer unlock()
	verr := &gridgov.ValidationError{}
	requireID(verr, "ID", n.ID)
	if err := verr.Err(); err != nil {
		return governance.Node{}, err
	}
	if _, ok := s.nodes[n.ID]; ok {
		return governance.Node{}, gridgov.AlreadyExists("ID", n.ID)
	}
	var parent *nodeRec
	if n.ParentID != "" {
		parent = s.nodes[n.ParentID]
		switch {
		case parent == nil:
			missingRef(verr, "ParentID", entNode, n.ParentID)
		case parent.retired:
			retiredParent(verr, n.ParentID)
		}
	}
	if err := verr.Err(); err != nil {
		return governance.Node{}, err
	}

	n.Version = 1
	change.NodeID, change.Version = n.ID, n.Version
	rec := s.newNodeRec()
	rec.size = 1
	rec.histHead = s.history.add(change)
	rec.histTail = rec.histHead
	s.setNode(rec, n)
	s.nodes[rec.id] = rec
	s.link(rec, parent)
	return s.nodeValue(rec), nil
}

// UpdateNode replaces the node n.ID with n under the version rule and appends change to its
// history (NodeID and Version set from the stored node); a new ParentID moves the whole
// subtree. See governance.NodeStore.
func (s *GovernanceStore) UpdateNode(ctx context.Context, n governance.Node, change governance.NodeChange) (governance.Node, error) {
	unlock, err := s.lockWrite(ctx)
	if err != nil {
		return governance.Node{}, err
	}
	defer unlock()
	rec := s.nodes[n.ID]
	if rec == nil {
		return governance.Node{}, notFound(entNode, n.ID)
	}
	old := s.nodeValue(rec)
	if n.Version != old.Version {
		return governance.Node{}, conflict(entNode, n.ID, n.Version, old.Version)
	}

	verr := &gridgov.ValidationError{}
	// A move: the new parent must exist, be active and lie outside the node's subtree.
	var newParent *nodeRec
	moved := n.ParentID != old.ParentID
	if moved && n.ParentID != "" {
		newParent = s.nodes[n.ParentID]
		switch {
		case newParent == nil:
			missingRef(verr, "ParentID", entNode, n.ParentID)
		case newParent == rec:
			verr.Add("ParentID", "not_self",
				fmt.Sprintf("node %q cannot be its own parent", n.ID),
				fmt.Sprintf("节点“%s”不能成为自己的上级", n.ID))
		case newParent.retired:
			retiredParent(verr, n.ParentID)
		case inSubtree(newParent, rec): // O(depth): walk up from the new parent
			verr.Add("ParentID", "acyclic",
				fmt.Sprintf("node %q cannot move under %q, which lies inside its own subtree", n.ID, n.ParentID),
				fmt.Sprintf("节点“%s”不能调整到其下级节点“%s”之下", n.ID, n.ParentID))
		}
	}
	switch {
	case old.Retired && !n.Retired:
		verr.Add("Retired", "final",
			fmt.Sprintf("node %q is retired; retirement is final", n.ID),
			fmt.Sprintf("节点“%s”已撤销，撤销不可恢复", n.ID))
	case !old.Retired && n.Retired:
		for _, c := range rec.children {
			if !c.retired {
				verr.Add("Retired", "no_active_child",
					fmt.Sprintf("node %q still has the active child %q", n.ID, c.id),
					fmt.Sprintf("节点“%s”仍有未撤销的下级节点“%s”", n.ID, c.id))
				break
			}
		}
		for _, o := range rec.orgsAt() {
			if !o.org.Dissolved {
				verr.Add("Retired", "no_active_org",
					fmt.Sprintf("node %q still has the organisation %q, which is not dissolved", n.ID, o.org.ID),
					fmt.Sprintf("节点“%s”仍有未撤销的组织“%s”", n.ID, o.org.ID))
				break
			}
		}
	}
	if err := verr.Err(); err != nil {
		return governance.Node{}, err
	}

	n.Level, n.CreatedAt = old.Level, old.CreatedAt
	n.Version = old.Version + 1
	if moved {
		s.unlink(rec)
		s.link(rec, newParent)
	}
	s.setNode(rec, n)
	change.NodeID, change.Version = n.ID, n.Version
	rec.histTail = s.history.appendTo(rec.histTail, change)
	return s.nodeValue(rec), nil
}

// GetNode returns the node with id. See governance.NodeStore.
func (s *GovernanceStore) GetNode(ctx context.Context, id string) (governance.Node, error) {
	unlock, err := s.lockRead(ctx)
	if err != nil {
		return governance.Node{}, err
	}
	defer unlock()
	rec := s.nodes[id]
	if rec == nil {
		return governance.Node{}, notFound(entNode, id)
	}
	return s.nodeValue(rec), nil
}

// Children returns the direct children of the node with id, or the roots for id "", in
// ascending ID order. See governance.NodeStore.
func (s *GovernanceStore) Children(ctx context.Context, id string) ([]governance.Node, error) {
	unlock, err := s.lockRead(ctx)
	if err != nil {
		return nil, err
	}
	defer unlock()
	list := s.roots
	if id != "" {
		rec := s.nodes[id]
		if rec == nil {
			return nil, notFound(entNode, id)
		}
		list = rec.children
	}
	out := make([]governance.Node, len(list))
	for i, c := range list {
		out[i] = s.nodeValue(c)
	}
	return out, nil
}

// Ancestors returns the ancestors of the node with id, root first, walking parent links:
// O(depth). See governance.NodeStore.
func (s *GovernanceStore) Ancestors(ctx context.Context, id string) ([]governance.Node, error) {
	unlock, err := s.lockRead(ctx)
	if err != nil {
		return nil, err
	}
	defer unlock()
	rec := s.nodes[id]
	if rec == nil {
		return nil, notFound(entNode, id)
	}
	depth := 0
	for p := rec.parent; p != nil; p = p.parent {
		depth++
	}
	out := make([]governance.Node, depth)
	for p := rec.parent; p != nil; p = p.parent {
		depth--
		out[depth] = s.nodeValue(p)
	}
	return out, nil
}

// Descendants returns the subtree below the node with id in pre-order, siblings in
// ascending ID order, following child links only: O(size of the subtree). See
// governance.NodeStore.
func (s *GovernanceStore) Descendants(ctx context.Context, id string) ([]governance.Node, error) {
	unlock, err := s.lockRead(ctx)
	if err != nil {
		return nil, err
	}
	defer unlock()
	rec := s.nodes[id]
	if rec == nil {
		return nil, notFound(entNode, id)
	}
	out := make([]governance.Node, 0, rec.size-1)
	walkBelow(rec, func(r *nodeRec) { out = append(out, s.nodeValue(r)) })
	return out, nil
}

// NodeHistory returns the node's history, oldest first. See governance.NodeStore.
func (s *GovernanceStore) NodeHistory(ctx context.Context, id string) ([]governance.NodeChange, error) {
	unlock, err := s.lockRead(ctx)
	if err != nil {
		return nil, err
	}
	defer unlock()
	rec := s.nodes[id]
	if rec == nil {
		return nil, notFound(entNode, id)
	}
	return s.history.list(rec.histHead), nil
}

// walkBelow calls visit for every node below rec in pre-order, siblings in ascending ID
// order. It follows child links with an explicit stack, so deep trees cannot exhaust the
// goroutine stack, and it never consults the ID map.
func walkBelow(rec *nodeRec, visit func(*nodeRec)) {
	if len(rec.children) == 0 {
		return
	}
	stack := make([]*nodeRec, 0, 64)
	pushChildren := func(r *nodeRec) {
		for i := len(r.children) - 1; i >= 0; i-- {
			stack = append(stack, r.children[i])
		}
	}
	pushChildren(rec)
	for len(stack) > 0 {
		r := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		visit(r)
		pushChildren(r)
	}
}

// walkSubtree calls visit for rec and then for every node below it, in pre-order.
func walkSubtree(rec *nodeRec, visit func(*nodeRec)) {
	visit(rec)
	walkBelow(rec, visit)
}

// inSubtree reports whether r lies in the subtree of root (root itself included), walking
// up from r: O(depth).
func inSubtree(r, root *nodeRec) bool {
	for ; r != nil; r = r.parent {
		if r == root {
			return true
		}
	}
	return false
}

// link attaches rec (a detached subtree) under parent, or among the roots when parent is
// nil, and adds its size to every ancestor: O(depth + log siblings).
func (s *GovernanceStore) link(rec, parent *nodeRec) {
	rec.parent = parent
	if parent == nil {
		s.roots = insertByID(s.roots, rec, (*nodeRec).key)
		return
	}
	parent.children = insertByID(parent.children, rec, (*nodeRec).key)
	for p := parent; p != nil; p = p.parent {
		p.size += rec.size
	}
}

// unlink detaches rec (with its subtree) from its parent or from the roots.
func (s *GovernanceStore) unlink(rec *nodeRec) {
	parent := rec.parent
	if parent == nil {
		s.roots = removeByID(s.roots, rec, (*nodeRec).key)
		return
	}
	parent.children = removeByID(parent.children, rec, (*nodeRec).key)
	for p := parent; p != nil; p = p.parent {
		p.size -= rec.size
	}
	rec.parent = nil
}

// retiredParent records on verr that the ParentID names a retired node.
func retiredParent(verr *gridgov.ValidationError, id string) {
	verr.Add("ParentID", "active",
		fmt.Sprintf("ParentID %q names a retired node", id),
		fmt.Sprintf("上级节点“%s”已撤销", id))
}
