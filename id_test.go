package gridgov_test

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gridgov/gridgov"
)

const crockford = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"

// decodeULID is an independent decoder: it returns the 48-bit time and the 80 random bits
// (as 10 big-endian bytes) of a ULID.
func decodeULID(t testing.TB, id string) (ms uint64, random [10]byte) {
	t.Helper()
	require.Len(t, id, 26, "ULID %q", id)
	var bits [130]bool // 26 × 5 bits; the top 2 are always zero
	for i := range 26 {
		v := strings.IndexByte(crockford, id[i])
		require.GreaterOrEqual(t, v, 0, "ULID %q has %q, not Crockford base 32", id, id[i])
		for b := range 5 {
			bits[i*5+b] = v&(1<<(4-b)) != 0
		}
	}
	require.False(t, bits[0] || bits[1], "ULID %q overflows 128 bits", id)
	for i := 2; i < 50; i++ {
		ms <<= 1
		if bits[i] {
			ms |= 1
		}
	}
	for i := range 80 {
		if bits[50+i] {
			random[i/8] |= 1 << (7 - i%8)
		}
	}
	return ms, random
}

// fixedReader serves the same bytes on every read.
type fixedReader []byte

func (r fixedReader) Read(p []byte) (int, error) {
	n := 0
	for n < len(p) {
		n += copy(p[n:], r)
	}
	return n, nil
}

// failingReader fails every read, after serving good bytes for the first ok reads.
type failingReader struct {
	mu sync.Mutex
	ok int
	r  io.Reader
}

var errEntropy = errors.New("entropy exhausted")

func (f *failingReader) Read(p []byte) (int, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.ok > 0 {
		f.ok--
		return f.r.Read(p)
	}
	// A short read followed by an error.
	if len(p) > 3 {
		return 3, errEntropy
	}
	return 0, errEntropy
}

var epoch = time.Date(2025, 3, 1, 8, 0, 0, 0, time.UTC)

func TestULIDFormat(t *testing.T) {
	t.Parallel()
	for _, g := range []gridgov.IDGenerator{
		gridgov.NewULIDs(nil, nil),
		gridgov.NewULIDs(gridgov.NewFakeClock(epoch), rand.NewChaCha8([32]byte{1})),
	} {
		for range 1000 {
			id := g.NewID()
			require.Len(t, id, 26)
			for _, c := range id {
				require.Contains(t, crockford, string(c))
			}
			require.True(t, gridgov.ValidID(id))
			require.LessOrEqual(t, id[0], byte('7'), "the first character holds 3 bits")
		}
	}
}

func TestULIDSystemClockTime(t *testing.T) {
	t.Parallel()
	// No timing assertion: only that the time part is the real clock's, within a day.
	before := time.Now().Add(-24 * time.Hour).UnixMilli()
	ms, _ := decodeULID(t, gridgov.NewULIDs(nil, nil).NewID())
	after := time.Now().Add(24 * time.Hour).UnixMilli()
	assert.Greater(t, int64(ms), before)
	assert.Less(t, int64(ms), after)
}

func TestULIDStrictlyIncreasing(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		move func(c *gridgov.FakeClock, i int)
	}{
		{"clock stands still", func(*gridgov.FakeClock, int) {}},
		{"clock steps back every id", func(c *gridgov.FakeClock, _ int) { c.Advance(-time.Millisecond) }},
		{"clock jumps back an hour", func(c *gridgov.FakeClock, i int) {
			if i == 500 {
				c.Advance(-time.Hour)
			}
		}},
		{"clock moves forward", func(c *gridgov.FakeClock, _ int) { c.Advance(time.Millisecond) }},
		{"clock wobbles", func(c *gridgov.FakeClock, i int) {
			c.Advance(time.Duration(i%7-3) * time.Millisecond)
		}},
		{"clock before the Unix epoch", func(c *gridgov.FakeClock, i int) {
			if i == 0 {
				c.Set(time.Date(1960, 1, 1, 0, 0, 0, 0, time.UTC))
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			clock := gridgov.NewFakeClock(epoch)
			g := gridgov.NewULIDs(clock, rand.NewChaCha8([32]byte{7}))
			prev := ""
			for i := range 10_000 {
				tt.move(clock, i)
				id := g.NewID()
				require.Greater(t, id, prev, "id %d", i)
				prev = id
			}
		})
	}
}

func TestULIDStandingClockKeepsTimeAndIncrements(t *testing.T) {
	t.Parallel()
	clock := gridgov.NewFakeClock(epoch)
	g := gridgov.NewULIDs(clock, rand.NewChaCha8([32]byte{3}))
	ms0, r0 := decodeULID(t, g.NewID())
	ms1, r1 := decodeULID(t, g.NewID())
	assert.Equal(t, uint64(epoch.UnixMilli()), ms0)
	assert.Equal(t, ms0, ms1)
	// The random part is incremented by one within a millisecond.
	assert.Equal(t, addOne(r0), r1)

	// Stepping back keeps the last time and keeps incrementing.
	clock.Advance(-time.Minute)
	ms2, r2 := decodeULID(t, g.NewID())
	assert.Equal(t, ms0, ms2)
	assert.Equal(t, addOne(r1), r2)
}

func addOne(r [10]byte) [10]byte {
	for i := 9; i >= 0; i-- {
		r[i]++
		if r[i] != 0 {
			break
		}
	}
	return r
}

func TestULIDRandomOverflowCarriesIntoTime(t *testing.T) {
	t.Parallel()
	clock := gridgov.NewFakeClock(epoch)
	g := gridgov.NewULIDs(clock, fixedReader(bytes.Repeat([]byte{0xFF}, 10)))
	first := g.NewID()
	ms0, r0 := decodeULID(t, first)
	assert.Equal(t, [10]byte(bytes.Repeat([]byte{0xFF}, 10)), r0)
	second := g.NewID() // same millisecond: the random part overflows into the time part
	ms1, r1 := decodeULID(t, second)
	assert.Greater(t, second, first)
	assert.Equal(t, ms0+1, ms1)
	assert.Equal(t, [10]byte{}, r1)
	third := g.NewID()
	assert.Greater(t, third, second)
}

func TestULIDUniqueAcrossGoroutines(t *testing.T) {
	t.Parallel()
	const goroutines, perGoroutine = 8, 10_000
	clock := gridgov.NewFakeClock(epoch)
	g := gridgov.NewULIDs(clock, nil)
	ids := make([][]string, goroutines)
	var wg sync.WaitGroup
	for w := range goroutines {
		wg.Add(1)
		go func() {
			defer wg.Done()
			out := make([]string, 0, perGoroutine)
			for i := range perGoroutine {
				if w == 0 && i%100 == 0 {
					clock.Advance(time.Millisecond)
				}
				out = append(out, g.NewID())
			}
			ids[w] = out
		}()
	}
	wg.Wait()
	seen := make(map[string]struct{}, goroutines*perGoroutine)
	for w, out := range ids {
		require.True(t, slices.IsSorted(out), "goroutine %d sees increasing ids", w)
		for _, id := range out {
			seen[id] = struct{}{}
		}
	}
	assert.Len(t, seen, goroutines*perGoroutine)
}

func TestULIDTimePrefixFollowsClock(t *testing.T) {
	t.Parallel()
	clock := gridgov.NewFakeClock(epoch)
	g := gridgov.NewULIDs(clock, rand.NewChaCha8([32]byte{9}))
	steps := rand.New(rand.NewPCG(1, 2))
	prev := ""
	for i := range 2000 {
		now := clock.Advance(time.Duration(1+steps.IntN(10_000)) * time.Millisecond)
		id := g.NewID()
		ms, _ := decodeULID(t, id)
		require.Equal(t, uint64(now.UnixMilli()), ms, "id %d", i)
		require.Greater(t, id[:10], prev, "the time prefix alone sorts with the clock")
		prev = id[:10]
	}
}

func TestULIDDeterministic(t *testing.T) {
	t.Parallel()
	run := func(seed byte) []string {
		clock := gridgov.NewFakeClock(epoch)
		g := gridgov.NewULIDs(clock, rand.NewChaCha8([32]byte{seed}))
		out := make([]string, 0, 300)
		for i := range 300 {
			if i%3 == 0 {
				clock.Advance(time.Second)
			}
			out = append(out, g.NewID())
		}
		return out
	}
	a, b, c := run(42), run(42), run(43)
	assert.Equal(t, a, b, "same seed and clock: same ids")
	assert.NotEqual(t, a, c, "another seed: other ids")
	for i := range a {
		assert.Equal(t, a[i][:10], c[i][:10], "the time part depends on the clock only")
	}
}

func TestULIDEntropyErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		ok   int // good reads before the reader fails
		move func(c *gridgov.FakeClock, i int)
	}{
		{"fails at once, clock stands still", 0, func(*gridgov.FakeClock, int) {}},
		{"fails at once, clock advances", 0, func(c *gridgov.FakeClock, _ int) { c.Advance(time.Millisecond) }},
		{"fails later, clock advances every other id", 5, func(c *gridgov.FakeClock, i int) {
			if i%2 == 0 {
				c.Advance(time.Millisecond)
			}
		}},
		{"fails later, clock steps back", 5, func(c *gridgov.FakeClock, i int) {
			c.Advance(time.Duration(i%3-1) * time.Millisecond)
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			clock := gridgov.NewFakeClock(epoch)
			g := gridgov.NewULIDs(clock, &failingReader{ok: tt.ok, r: rand.NewChaCha8([32]byte{5})})
			seen := make(map[string]struct{})
			prev := ""
			for i := range 1000 {
				tt.move(clock, i)
				var id string
				require.NotPanics(t, func() { id = g.NewID() })
				decodeULID(t, id)
				require.Greater(t, id, prev, "id %d", i)
				seen[id] = struct{}{}
				prev = id
			}
			assert.Len(t, seen, 1000)
		})
	}
}

// TestULIDEncodingProperty checks that the time and the entropy bytes of the first id of a
// generator decode back exactly, for random times across the whole 48-bit range.
func TestULIDEncodingProperty(t *testing.T) {
	t.Parallel()
	r := rand.New(rand.NewPCG(2025, 3))
	cases := [][2]uint64{{1, 0}, {1<<48 - 1, 0}, {1 << 47, 0}}
	for range 5000 {
		cases = append(cases, [2]uint64{1 + r.Uint64N(1<<48-1), r.Uint64()})
	}
	for _, c := range cases {
		ms := c[0]
		var entropy [10]byte
		for i := range entropy {
			entropy[i] = byte(r.Uint32())
		}
		switch c[1] % 4 { // sprinkle the extremes
		case 0:
			entropy = [10]byte{}
		case 1:
			entropy = [10]byte(bytes.Repeat([]byte{0xFF}, 10))
		}
		g := gridgov.NewULIDs(gridgov.NewFakeClock(time.UnixMilli(int64(ms))), fixedReader(entropy[:]))
		id := g.NewID()
		gotMS, gotRandom := decodeULID(t, id)
		require.Equal(t, ms, gotMS, "id %s", id)
		require.Equal(t, entropy, gotRandom, "id %s", id)
	}
}

func TestULIDOrderMatchesNumericOrder(t *testing.T) {
	t.Parallel()
	// Two first ids from generators at different times sort like their times.
	r := rand.New(rand.NewPCG(11, 12))
	for range 2000 {
		a, b := 1+r.Int64N(1<<48-1), 1+r.Int64N(1<<48-1)
		ida := gridgov.NewULIDs(gridgov.NewFakeClock(time.UnixMilli(a)), rand.NewChaCha8([32]byte{1})).NewID()
		idb := gridgov.NewULIDs(gridgov.NewFakeClock(time.UnixMilli(b)), rand.NewChaCha8([32]byte{2})).NewID()
		switch {
		case a < b:
			require.Less(t, ida, idb)
		case a > b:
			require.Greater(t, ida, idb)
		}
	}
}

func TestNewSequence(t *testing.T) {
	t.Parallel()
	g := gridgov.NewSequence("node")
	assert.Equal(t, "node-000001", g.NewID())
	assert.Equal(t, "node-000002", g.NewID())
	assert.Equal(t, "node-000003", g.NewID())

	assert.Equal(t, "-000001", gridgov.NewSequence("").NewID())

	// Order holds up to a million; beyond, ids stay unique and get a seventh digit.
	big := gridgov.NewSequence("c")
	ids := make([]string, 0, 1_000_001)
	for range 1_000_001 {
		ids = append(ids, big.NewID())
	}
	assert.True(t, slices.IsSorted(ids[:999_999]))
	assert.Equal(t, "c-999999", ids[999_998])
	assert.Equal(t, "c-1000000", ids[999_999])
	assert.Equal(t, "c-1000001", ids[1_000_000])
	for _, id := range ids[:10] {
		assert.True(t, gridgov.ValidID(id))
	}
}

func TestNewSequenceConcurrent(t *testing.T) {
	t.Parallel()
	g := gridgov.NewSequence("p")
	const goroutines, perGoroutine = 8, 2000
	var mu sync.Mutex
	seen := make(map[string]struct{})
	var wg sync.WaitGroup
	for range goroutines {
		wg.Add(1)
		go func() {
			defer wg.Done()
			local := make([]string, 0, perGoroutine)
			for range perGoroutine {
				local = append(local, g.NewID())
			}
			mu.Lock()
			defer mu.Unlock()
			for _, id := range local {
				seen[id] = struct{}{}
			}
		}()
	}
	wg.Wait()
	assert.Len(t, seen, goroutines*perGoroutine)
	assert.Contains(t, seen, fmt.Sprintf("p-%06d", goroutines*perGoroutine))
}

func TestValidID(t *testing.T) {
	t.Parallel()
	tests := []struct {
		id string
		ok bool
	}{
		{"", false},
		{"a", true},
		{"Z", true},
		{"0", true},
		{strings.Repeat("a", 64), true},
		{strings.Repeat("a", 65), false},
		{strings.Repeat("a", 63) + "é", false}, // 65 bytes and not ASCII
		{"street-1", true},
		{"community_2", true},
		{"grid.3", true},
		{"ns:node:4", true},
		{"-_.:", true},
		{"01J8ZQ4R5X8Y9ZABCDEFGHJKMN", true},
		{"a b", false},
		{" a", false},
		{"a ", false},
		{"a\tb", false},
		{"a\nb", false},
		{"a\x00b", false},
		{"a/b", false},
		{"a@b", false},
		{"a+b", false},
		{"a#b", false},
		{"网格", false},
		{"café", false},
		{"ａ", false}, // full-width a
		{"\xff", false},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%q", tt.id), func(t *testing.T) {
			t.Parallel()
			assert.Equal(t, tt.ok, gridgov.ValidID(tt.id))
		})
	}
	assert.Equal(t, 64, gridgov.MaxIDLength)
}

func BenchmarkULID(b *testing.B) {
	b.Run("system-clock/crypto-rand", func(b *testing.B) {
		g := gridgov.NewULIDs(nil, nil)
		b.ReportAllocs()
		for b.Loop() {
			_ = g.NewID()
		}
	})
	b.Run("fake-clock/chacha8", func(b *testing.B) {
		clock := gridgov.NewFakeClock(epoch)
		g := gridgov.NewULIDs(clock, rand.NewChaCha8([32]byte{1}))
		b.ReportAllocs()
		i := 0
		for b.Loop() {
			if i++; i%64 == 0 {
				clock.Advance(time.Millisecond)
			}
			_ = g.NewID()
		}
	})
	b.Run("parallel", func(b *testing.B) {
		g := gridgov.NewULIDs(nil, nil)
		b.ReportAllocs()
		b.RunParallel(func(pb *testing.PB) {
			for pb.Next() {
				_ = g.NewID()
			}
		})
	})
}

func BenchmarkSequence(b *testing.B) {
	g := gridgov.NewSequence("bench")
	b.ReportAllocs()
	for b.Loop() {
		_ = g.NewID()
	}
}
