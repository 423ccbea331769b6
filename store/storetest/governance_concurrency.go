package storetest

import (
	"fmt"
	"slices"
	"sync"
	"sync/atomic"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gridgov/gridgov"
	"github.com/gridgov/gridgov/governance"
)

// iterations is how often each race is repeated; the races are decided by scheduling, so
// repetition (not sleeping) is what makes them likely to overlap.
const iterations = 50

// race runs the writers at once (released together by closing a channel) and returns
// their errors.
func race(writers ...func() error) []error {
	errs := make([]error, len(writers))
	start := make(chan struct{})
	var wg sync.WaitGroup
	for i, w := range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			errs[i] = w()
		}()
	}
	close(start)
	wg.Wait()
	return errs
}

// requireOneWinner checks that exactly one writer succeeded and every other one failed
// with ErrConflict.
func (f fx) requireOneWinner(errs []error, msgAndArgs ...any) int {
	f.t.Helper()
	winner := -1
	for i, err := range errs {
		if err == nil {
			require.Equal(f.t, -1, winner, "two writers with one version both succeeded: %s", message(msgAndArgs))
			winner = i
			continue
		}
		require.ErrorIs(f.t, err, gridgov.ErrConflict, msgAndArgs...)
	}
	require.NotEqual(f.t, -1, winner, "no writer succeeded: %s", message(msgAndArgs))
	return winner
}

// Two writers holding the same version: exactly one wins, the other gets ErrConflict, for
// every entity that has a version.
func testConcurrentSameVersion(f fx) {
	t := f.t
	f.node("root", "")
	f.person("p")
	names := []string{"writer 0", "writer 1"}
	for i := range iterations {
		// Nodes.
		id := fmt.Sprintf("n-%02d", i)
		n := f.node(id, "root")
		w := f.requireOneWinner(raceWriters(func(w int) error { return renameNode(f, n, names[w]) }),
			"UpdateNode, iteration %d", i)
		got := f.get(id)
		assert.EqualValues(t, 2, got.Version)
		assert.Equal(t, names[w], got.Name, "the winner's write is the one stored")
		hist, err := f.st.NodeHistory(f.ctx, id)
		require.NoError(t, err)
		assert.Len(t, hist, 2, "the loser appended no history")

		// Organisations.
		o := f.org("o-"+id, id, governance.OrgPropertyFirm)
		w = f.requireOneWinner(raceWriters(func(w int) error {
			c := o.Clone()
			c.Name = names[w]
			_, err := f.st.UpdateOrganisation(f.ctx, c)
			return err
		}), "UpdateOrganisation, iteration %d", i)
		gotOrg := f.getOrg(o.ID)
		assert.Equal(t, names[w], gotOrg.Name)
		assert.EqualValues(t, 2, gotOrg.Version)

		// People.
		p := f.person("p-" + id)
		w = f.requireOneWinner(raceWriters(func(w int) error {
			c := p
			c.Name = gridgov.PersonName(names[w])
			_, err := f.st.UpdatePerson(f.ctx, c)
			return err
		}), "UpdatePerson, iteration %d", i)
		gotPerson, err := f.st.GetPerson(f.ctx, p.ID)
		require.NoError(t, err)
		assert.Equal(t, names[w], gotPerson.Name.Reveal())

		// Positions.
		pos := f.position("pos-"+id, "p", o)
		w = f.requireOneWinner(raceWriters(func(w int) error {
			c := pos
			c.Since = day(10 * (w + 1))
			_, err := f.st.UpdatePosition(f.ctx, c)
			return err
		}), "UpdatePosition, iteration %d", i)
		gotPos, err := f.st.GetPosition(f.ctx, pos.ID)
		require.NoError(t, err)
		assert.True(t, gotPos.Since.Equal(day(10*(w+1))))

		// Projects.
		pr := f.project("pr-"+id, "root")
		w = f.requireOneWinner(raceWriters(func(w int) error {
			c := pr.Clone()
			c.Title = names[w]
			_, err := f.st.UpdateProject(f.ctx, c)
			return err
		}), "UpdateProject, iteration %d", i)
		gotPr, err := f.st.GetProject(f.ctx, pr.ID)
		require.NoError(t, err)
		assert.Equal(t, names[w], gotPr.Title)
	}
}

// raceWriters runs write(0) and write(1) at once and returns their errors.
func raceWriters(write func(w int) error) []error {
	return race(func() error { return write(0) }, func() error { return write(1) })
}

func renameNode(f fx, n governance.Node, name string) error {
	n = n.Clone()
	from := n.Name
	n.Name = name
	_, err := f.st.UpdateNode(f.ctx, n, governance.NodeChange{Kind: governance.ChangeRenamed, Actor: actor, At: day(1), From: from, To: name})
	return err
}

// Two concurrent moves that together would form a cycle (A under B, B under A): at most
// one applies and the tree stays acyclic and consistent.
func testConcurrentCycleMoves(f fx) {
	t := f.t
	for i := range iterations {
		r, a, b := fmt.Sprintf("r%02d", i), fmt.Sprintf("r%02d.a", i), fmt.Sprintf("r%02d.b", i)
		f.node(r, "")
		na := f.node(a, r)
		nb := f.node(b, r)
		f.node(a+".1", a)
		f.node(b+".1", b)

		errs := race(
			func() error { return moveNode(f, na, b) },
			func() error { return moveNode(f, nb, a) },
		)
		applied := 0
		for _, err := range errs {
			if err == nil {
				applied++
				continue
			}
			require.ErrorIs(t, err, gridgov.ErrInvalid, "iteration %d: the refused move would close a cycle", i)
		}
		require.LessOrEqual(t, applied, 1, "iteration %d: both moves applied, so A and B are each other's ancestor", i)

		// Every node's parent chain ends at the root, without repeating a node.
		for _, id := range []string{a, b, a + ".1", b + ".1"} {
			chain := f.parentChain(id, 10)
			require.Equal(t, r, chain[len(chain)-1], "iteration %d: %s's parent chain ends at the root", i, id)
			anc, err := f.st.Ancestors(f.ctx, id)
			require.NoError(t, err)
			want := slices.Clone(chain)
			slices.Reverse(want)
			f.requireIDs(want, anc, "iteration %d: Ancestors(%s) follows the parent links", i, id)
		}
		desc, err := f.st.Descendants(f.ctx, r)
		require.NoError(t, err)
		require.Empty(t, checkPreOrder(r, desc), "iteration %d", i)
		require.ElementsMatch(t, []string{a, b, a + ".1", b + ".1"}, ids(desc), "iteration %d: each node once", i)
	}
}

func moveNode(f fx, n governance.Node, parent string) error {
	n = n.Clone()
	from := n.ParentID
	n.ParentID = parent
	_, err := f.st.UpdateNode(f.ctx, n, governance.NodeChange{Kind: governance.ChangeMoved, Actor: actor, At: day(1), From: from, To: parent})
	return err
}

// parentChain follows ParentID links up from id with GetNode, at most limit steps, and
// returns the IDs passed (id's parent first, the root last); it fails the test on a cycle
// instead of looping.
func (f fx) parentChain(id string, limit int) []string {
	f.t.Helper()
	var chain []string
	seen := map[string]bool{id: true}
	for n := f.get(id); n.ParentID != ""; n = f.get(n.ParentID) {
		require.False(f.t, seen[n.ParentID], "cycle through %s: %v", n.ParentID, chain)
		seen[n.ParentID] = true
		chain = append(chain, n.ParentID)
		require.LessOrEqual(f.t, len(chain), limit, "parent chain of %s too long: %v", id, chain)
	}
	return chain
}

// While one goroutine moves a subtree back and forth between two parents, readers always
// see it whole under one parent: Ancestors of its deepest node ends at one of the two
// parents, never a mixture, and each listing holds the subtree once or not at all.
func testConcurrentSubtreeMoveAtomic(f fx) {
	t := f.t
	f.node("r", "")
	f.node("p1", "r")
	f.node("p2", "r")
	f.node("p1.x", "p1")
	f.node("p2.x", "p2")
	f.node("s", "p1")
	f.node("s.1", "s")
	f.node("s.1.a", "s.1")
	f.node("s.1.a.d", "s.1.a")
	f.node("s.2", "s")
	subtree := []string{"s", "s.1", "s.1.a", "s.1.a.d", "s.2"}
	deep := "s.1.a.d"
	chainVia := func(p string) []string { return []string{"r", p, "s", "s.1", "s.1.a"} }

	const moves = 200
	var done atomic.Bool
	var mu sync.Mutex
	var problems []string
	report := func(format string, args ...any) {
		mu.Lock()
		defer mu.Unlock()
		if len(problems) < 10 {
			problems = append(problems, fmt.Sprintf(format, args...))
		}
	}

	// holdsSubtree checks one listing and reports whether it holds the moved subtree.
	holdsSubtree := func(who string, list []governance.Node) bool {
		got := ids(list)
		i := slices.Index(got, "s")
		if i < 0 {
			for _, id := range subtree {
				if slices.Contains(got, id) {
					report("%s lists %s without s: %v", who, id, got)
				}
			}
			return false
		}
		if len(got) < i+len(subtree) || !slices.Equal(got[i:i+len(subtree)], subtree) {
			report("%s does not list the subtree whole, in pre-order: %v", who, got)
		}
		return true
	}

	var readers, ready sync.WaitGroup
	for range 2 {
		readers.Add(1)
		ready.Add(1)
		go func() {
			defer readers.Done()
			ready.Done() // the mover starts once every reader is running
			for reads := 0; !done.Load() || reads < 20; reads++ {
				anc, err := f.st.Ancestors(f.ctx, deep)
				if err != nil {
					report("Ancestors: %v", err)
					return
				}
				if got := ids(anc); !slices.Equal(got, chainVia("p1")) && !slices.Equal(got, chainVia("p2")) {
					report("Ancestors(%s) mixes two states: %v", deep, got)
				}
				all, err := f.st.Descendants(f.ctx, "r")
				if err != nil {
					report("Descendants: %v", err)
					return
				}
				if msg := checkPreOrder("r", all); msg != "" {
					report("Descendants(r) is not a consistent pre-order: %s", msg)
				}
				holdsSubtree("Descendants(r)", all)
				// The two parents are read one after the other: each listing holds the
				// subtree whole or not at all, and unless s moved between the reads (its
				// version says so) exactly one of them holds it.
				before, err := f.st.GetNode(f.ctx, "s")
				if err != nil {
					report("GetNode(s): %v", err)
					return
				}
				holders := 0
				for _, p := range []string{"p1", "p2"} {
					list, err := f.st.Descendants(f.ctx, p)
					if err != nil {
						report("Descendants(%s): %v", p, err)
						return
					}
					if holdsSubtree("Descendants("+p+")", list) {
						holders++
					}
				}
				after, err := f.st.GetNode(f.ctx, "s")
				if err != nil {
					report("GetNode(s): %v", err)
					return
				}
				if before.Version == after.Version && holders != 1 {
					report("with s at version %d, %d of the two parents list the subtree", after.Version, holders)
				}
			}
		}()
	}

	ready.Wait()
	var moveErr error
	for i := range moves {
		to := "p2"
		if i%2 == 1 {
			to = "p1"
		}
		if _, moveErr = f.move("s", to); moveErr != nil {
			break
		}
	}
	done.Store(true)
	readers.Wait()
	require.NoError(t, moveErr)
	require.Empty(t, problems)

	// Within one snapshot (Descendants of the common root) the subtree sits under exactly
	// one of the parents.
	all, err := f.st.Descendants(f.ctx, "r")
	require.NoError(t, err)
	f.requireIDs([]string{"p1", "p1.x", "s", "s.1", "s.1.a", "s.1.a.d", "s.2", "p2", "p2.x"}, all,
		"after an even number of moves the subtree is back under p1")
}
