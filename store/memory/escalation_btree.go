package memory

import "slices"

// btree is an ordered set of T: a B-tree (items in every node, as in CLRS) whose order is
// given by cmp. Insert and delete cost O(log n); an iterator seeks in O(log n) and then
// yields each following item in amortised O(1), so a range of k items costs O(log n + k)
// whatever the size of the tree. The escalation store keeps its ID order, its path buckets
// and its deadline index in btrees of small pointer-free items (record indexes and
// deadline keys), which the garbage collector never needs to scan.
//
// A tree grows from a single leaf whose slice is grown by append, so a small tree costs
// little more than a sorted slice. It is not safe for concurrent mutation; the store's lock
// serialises writers and lets readers iterate together.
type btree[T any] struct {
	root *bnode[T]
	n    int
	cmp  func(a, b T) int
}

// bnode is one node: items sorted by the tree's cmp, and for an inner node one more child
// than items (children[i] holds the items between items[i-1] and items[i]).
type bnode[T any] struct {
	items    []T
	children []*bnode[T] // nil for a leaf
}

// The node size: a node holds at most btreeMaxItems items and, unless it is the root, at
// least btreeMinItems.
const (
	btreeDegree   = 32
	btreeMaxItems = 2*btreeDegree - 1
	btreeMinItems = btreeDegree - 1
)

func newBtree[T any](cmp func(a, b T) int) *btree[T] { return &btree[T]{cmp: cmp} }

// Len returns the number of items.
func (t *btree[T]) Len() int { return t.n }

// find returns the index of the first item of n not less than v, and whether it equals v.
func (t *btree[T]) find(n *bnode[T], v T) (int, bool) {
	return slices.BinarySearchFunc(n.items, v, t.cmp)
}

// insert adds v and reports whether it was absent (an equal item is left in place).
func (t *btree[T]) insert(v T) bool {
	if t.root == nil {
		t.root = &bnode[T]{items: []T{v}}
		t.n = 1
		return true
	}
	if len(t.root.items) >= btreeMaxItems {
		mid, right := t.root.split(t.splitAt(t.root, v))
		t.root = &bnode[T]{items: []T{mid}, children: []*bnode[T]{t.root, right}}
	}
	if !t.insertInto(t.root, v) {
		return false
	}
	t.n++
	return true
}

// insertInto adds v below n, which is not full, splitting full children on the way down.
func (t *btree[T]) insertInto(n *bnode[T], v T) bool {
	for {
		var i int
		var found bool
		if last := len(n.items) - 1; last >= 0 && t.cmp(v, n.items[last]) > 0 {
			i = last + 1 // after every item: the common case of ascending inserts
		} else if i, found = t.find(n, v); found {
			return false
		}
		if n.children == nil {
			n.items = slices.Insert(n.items, i, v)
			return true
		}
		if len(n.children[i].items) >= btreeMaxItems {
			mid, right := n.children[i].split(t.splitAt(n.children[i], v))
			n.items = slices.Insert(n.items, i, mid)
			n.children = slices.Insert(n.children, i+1, right)
			switch c := t.cmp(v, mid); {
			case c == 0:
				return false
			case c > 0:
				i++
			}
		}
		n = n.children[i]
	}
}

// splitAt returns where to split the full node n before inserting v: in the middle, or,
// when v goes after every item of n, near the end, so that the left node stays full. Items
// that arrive in ascending order (complaint IDs, deadlines, as they mostly do) then fill
// the nodes instead of leaving every one half empty. The small right node this leaves is
// allowed: removal copes with nodes below the minimum (see remove).
func (t *btree[T]) splitAt(n *bnode[T], v T) int {
	if t.cmp(v, n.items[len(n.items)-1]) > 0 {
		return len(n.items) - 2
	}
	return btreeMaxItems / 2
}

// split cuts n after its item i: n keeps the items before it, the returned node the items
// after it, and the item itself is returned to go up to the parent.
func (n *bnode[T]) split(i int) (T, *bnode[T]) {
	mid := n.items[i]
	right := &bnode[T]{items: append(make([]T, 0, btreeMaxItems), n.items[i+1:]...)}
	clear(n.items[i:])
	n.items = n.items[:i]
	if n.children != nil {
		right.children = append(make([]*bnode[T], 0, btreeMaxItems+1), n.children[i+1:]...)
		clear(n.children[i+1:])
		n.children = n.children[:i+1]
	}
	return mid, right
}

// delete removes the item equal to v and reports whether there was one.
func (t *btree[T]) delete(v T) bool {
	if t.root == nil {
		return false
	}
	_, removed := t.remove(t.root, v, false)
	if len(t.root.items) == 0 {
		if t.root.children == nil {
			t.root = nil
		} else {
			t.root = t.root.children[0]
		}
	}
	if removed {
		t.n--
	}
	return removed
}

// remove deletes v (or, when max is set, the largest item) from the subtree of n, which
// holds more than btreeMinItems items unless it is the root, and returns the item removed.
// On the way down it makes sure every child it enters can lose an item, by stealing from a
// sibling or merging with one, so no node it enters ever empties. A node left small by
// an ascending split is grown the same way (one steal at a time, or a merge, which fits
// since both nodes hold at most btreeMinItems).
func (t *btree[T]) remove(n *bnode[T], v T, max bool) (T, bool) {
	for {
		var i int
		var found bool
		if max {
			if n.children == nil {
				last := n.items[len(n.items)-1]
				var zero T
				n.items[len(n.items)-1] = zero
				n.items = n.items[:len(n.items)-1]
				return last, true
			}
			i = len(n.items)
		} else {
			i, found = t.find(n, v)
			if n.children == nil {
				if !found {
					var zero T
					return zero, false
				}
				out := n.items[i]
				n.items = slices.Delete(n.items, i, i+1)
				return out, true
			}
		}
		if len(n.children[i].items) <= btreeMinItems {
			n.growChild(i)
			continue // the items of n moved: search n again
		}
		child := n.children[i]
		if found {
			// Replace the item by its predecessor, the largest item of the left child,
			// which can spare one.
			out := n.items[i]
			n.items[i], _ = t.remove(child, v, true)
			return out, true
		}
		n = child
	}
}

// growChild gives n.children[i], which holds btreeMinItems items, one more: it steals one
// through n from a sibling that can spare it, or merges the child with a sibling and the
// item of n between them.
func (n *bnode[T]) growChild(i int) {
	switch {
	case i > 0 && len(n.children[i-1].items) > btreeMinItems:
		child, left := n.children[i], n.children[i-1]
		child.items = slices.Insert(child.items, 0, n.items[i-1])
		n.items[i-1] = left.items[len(left.items)-1]
		var zero T
		left.items[len(left.items)-1] = zero
		left.items = left.items[:len(left.items)-1]
		if left.children != nil {
			child.children = slices.Insert(child.children, 0, left.children[len(left.children)-1])
			left.children[len(left.children)-1] = nil
			left.children = left.children[:len(left.children)-1]
		}
	case i < len(n.items) && len(n.children[i+1].items) > btreeMinItems:
		child, right := n.children[i], n.children[i+1]
		child.items = append(child.items, n.items[i])
		n.items[i] = right.items[0]
		right.items = slices.Delete(right.items, 0, 1)
		if right.children != nil {
			child.children = append(child.children, right.children[0])
			right.children = slices.Delete(right.children, 0, 1)
		}
	default:
		if i >= len(n.items) {
			i--
		}
		child, right := n.children[i], n.children[i+1]
		child.items = append(child.items, n.items[i])
		child.items = append(child.items, right.items...)
		if child.children != nil {
			child.children = append(child.children, right.children...)
		}
		n.items = slices.Delete(n.items, i, i+1)
		n.children = slices.Delete(n.children, i+1, i+2)
	}
}

// btreeIter walks a btree in ascending order from where seek put it. It is a stack of
// frames, one per level: in a leaf, the index of the next item; in an inner node, the index
// of the item to yield once the subtree below it (the frames above on the stack) is done.
type btreeIter[T any] struct {
	stack []btreeFrame[T]
}

type btreeFrame[T any] struct {
	n *bnode[T]
	i int
}

// seek returns an iterator at the first item for which above is true; above must be false
// for a prefix of the order and true for the rest (for example "item > cursor").
func (t *btree[T]) seek(above func(T) bool) btreeIter[T] {
	var it btreeIter[T]
	for n := t.root; n != nil; {
		i, _ := slices.BinarySearchFunc(n.items, true, func(item T, _ bool) int {
			if above(item) {
				return 1
			}
			return -1
		})
		it.stack = append(it.stack, btreeFrame[T]{n, i})
		if n.children == nil {
			break
		}
		n = n.children[i]
	}
	return it
}

// first returns an iterator at the smallest item.
func (t *btree[T]) first() btreeIter[T] {
	return t.seek(func(T) bool { return true })
}

// next returns the next item, or false when the walk is over.
func (it *btreeIter[T]) next() (T, bool) {
	for len(it.stack) > 0 {
		top := len(it.stack) - 1
		f := it.stack[top]
		if f.i >= len(f.n.items) {
			it.stack = it.stack[:top]
			continue
		}
		v := f.n.items[f.i]
		it.stack[top].i++
		if f.n.children != nil {
			// The next items are those of the subtree right of v, leftmost first.
			for n := f.n.children[f.i+1]; n != nil; {
				it.stack = append(it.stack, btreeFrame[T]{n, 0})
				if n.children == nil {
					break
				}
				n = n.children[0]
			}
		}
		return v, true
	}
	var zero T
	return zero, false
}
