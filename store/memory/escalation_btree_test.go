package memory

import (
	"cmp"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// checkBtree verifies the B-tree invariants: items in order across the whole tree, every
// node holding between 1 and btreeMaxItems items (nodes below btreeMinItems are allowed,
// see splitAt), inner nodes one child more than items, all leaves at one depth, and the
// count right. It returns the items in order.
func checkBtree(t *testing.T, tr *btree[int]) []int {
	t.Helper()
	var out []int
	leafDepth := -1
	var walk func(n *bnode[int], depth int)
	walk = func(n *bnode[int], depth int) {
		require.LessOrEqual(t, len(n.items), btreeMaxItems)
		require.NotEmpty(t, n.items, "no empty nodes")
		if n.children == nil {
			if leafDepth < 0 {
				leafDepth = depth
			}
			require.Equal(t, leafDepth, depth, "leaves at one depth")
			out = append(out, n.items...)
			return
		}
		require.Len(t, n.children, len(n.items)+1)
		for i, c := range n.children {
			walk(c, depth+1)
			if i < len(n.items) {
				out = append(out, n.items[i])
			}
		}
	}
	if tr.root != nil {
		walk(tr.root, 0)
	}
	require.True(t, slices.IsSorted(out))
	require.Len(t, out, tr.Len())
	for i := 1; i < len(out); i++ {
		require.NotEqual(t, out[i-1], out[i], "no duplicates")
	}
	return out
}

// collect walks it to the end.
func collect(it btreeIter[int]) []int {
	var out []int
	for v, ok := it.next(); ok; v, ok = it.next() {
		out = append(out, v)
	}
	return out
}

// Random inserts and deletes against a sorted-slice model: the tree keeps its invariants
// and every seek yields exactly the model's items from that point on.
func TestBtreeAgainstModel(t *testing.T) {
	for _, seed := range []uint64{1, 2, 3} {
		r := rand.New(rand.NewPCG(seed, 99))
		tr := newBtree(cmp.Compare[int])
		var model []int
		const keys = 6000
		for op := range 40_000 {
			k := r.IntN(keys)
			i, found := slices.BinarySearch(model, k)
			// Grow for the first half, then shrink, so that splits, steals and merges all
			// happen at every depth.
			insert := r.IntN(100) < 70
			if op > 20_000 {
				insert = r.IntN(100) < 30
			}
			if insert {
				require.Equal(t, !found, tr.insert(k))
				if !found {
					model = slices.Insert(model, i, k)
				}
			} else {
				require.Equal(t, found, tr.delete(k))
				if found {
					model = slices.Delete(model, i, i+1)
				}
			}
			if op%2000 == 0 || op == 39_999 {
				require.Equal(t, model, append([]int(nil), checkBtree(t, tr)...), "seed %d op %d", seed, op)
				if len(model) == 0 {
					require.Empty(t, collect(tr.first()))
					continue
				}
				require.Equal(t, model, collect(tr.first()))
				for range 20 {
					p := r.IntN(keys+2) - 1
					j, _ := slices.BinarySearch(model, p+1) // items > p
					want := model[j:]
					got := collect(tr.seek(func(v int) bool { return v > p }))
					if len(want) == 0 {
						require.Empty(t, got)
					} else {
						require.Equal(t, want, got, "seek > %d", p)
					}
				}
			}
		}
		// Empty it completely.
		for _, k := range slices.Clone(model) {
			require.True(t, tr.delete(k))
		}
		require.Zero(t, tr.Len())
		require.Nil(t, tr.root)
		require.False(t, tr.delete(1))
	}
}

// Ascending inserts (the common case: IDs and deadlines mostly arrive in order) build a
// valid tree with full nodes, and a full tree can be emptied from the front (deadlines met
// in order) or at random.
func TestBtreeAscending(t *testing.T) {
	tr := newBtree(cmp.Compare[int])
	for i := range 10_000 {
		require.True(t, tr.insert(i))
	}
	checkBtree(t, tr)
	nodes := 0
	var count func(n *bnode[int])
	count = func(n *bnode[int]) {
		nodes++
		for _, c := range n.children {
			count(c)
		}
	}
	count(tr.root)
	assert.Less(t, nodes, 10_000/(btreeMaxItems-3)+5, "ascending inserts fill the nodes")

	r := rand.New(rand.NewPCG(5, 5))
	shuffled := newBtree(cmp.Compare[int])
	for i := range 5000 {
		shuffled.insert(i)
	}
	for k, i := range r.Perm(5000) {
		require.True(t, shuffled.delete(i))
		if k%499 == 0 {
			checkBtree(t, shuffled)
		}
	}
	require.Nil(t, shuffled.root)
	for i := range 9_990 {
		require.True(t, tr.delete(i))
		if i%997 == 0 {
			checkBtree(t, tr)
		}
	}
	require.Equal(t, []int{9990, 9991, 9992, 9993, 9994, 9995, 9996, 9997, 9998, 9999}, checkBtree(t, tr))
}
