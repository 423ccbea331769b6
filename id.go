package gridgov

import (
	"crypto/rand"
	"encoding/binary"
	"fmt"
	"io"
	"sync"
)

// IDGenerator makes identifiers for the entities a service creates when the caller supplies
// none. Identifiers are unique and sort in creation order. Implementations are safe for
// concurrent use.
type IDGenerator interface {
	NewID() string
}

// crockford is Crockford's base-32 alphabet: digits and upper-case letters without I, L, O, U.
const crockford = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"

// NewULIDs returns a generator of ULIDs (26 characters of Crockford base 32: 48 bits of
// millisecond time from clock, 80 bits of randomness from entropy). Within one millisecond the
// random part is incremented, so identifiers from one generator are strictly increasing even
// when the clock stands still or steps back. A nil clock means [SystemClock]; a nil entropy
// means crypto/rand. Pass a seeded reader for reproducible simulations.
func NewULIDs(clock Clock, entropy io.Reader) IDGenerator {
	if clock == nil {
		clock = SystemClock()
	}
	if entropy == nil {
		entropy = rand.Reader
	}
	return &ulidGen{clock: clock, entropy: entropy}
}

type ulidGen struct {
	mu      sync.Mutex
	clock   Clock
	entropy io.Reader
	started bool
	lastMS  uint64
	hi      uint16 // top 16 bits of the 80-bit random part
	lo      uint64 // low 64 bits
}

func (g *ulidGen) NewID() string {
	g.mu.Lock()
	defer g.mu.Unlock()
	var ms uint64
	if t := g.clock.Now().UnixMilli(); t > 0 {
		ms = uint64(t)
	}
	if ms > g.lastMS || !g.started {
		g.started = true
		var b [10]byte
		if _, err := io.ReadFull(g.entropy, b[:]); err != nil {
			// An exhausted entropy source must not produce duplicates: fall back to
			// incrementing, which stays unique.
			g.increment()
		} else {
			g.hi = binary.BigEndian.Uint16(b[:2])
			g.lo = binary.BigEndian.Uint64(b[2:])
		}
		if ms > g.lastMS {
			g.lastMS = ms
		}
	} else {
		g.increment()
	}
	return encodeULID(g.lastMS, g.hi, g.lo)
}

// increment adds one to the 80-bit random part, carrying into the time part on overflow so
// that order and uniqueness survive.
func (g *ulidGen) increment() {
	g.lo++
	if g.lo == 0 {
		g.hi++
		if g.hi == 0 {
			g.lastMS++
		}
	}
}

func encodeULID(ms uint64, hi uint16, lo uint64) string {
	var out [26]byte
	// 48 bits of time: 10 characters (the first holds 3 bits).
	for i := 9; i >= 0; i-- {
		out[i] = crockford[ms&31]
		ms >>= 5
	}
	// 80 bits of randomness: 16 characters.
	for i := 25; i >= 10; i-- {
		out[i] = crockford[lo&31]
		lo = lo>>5 | uint64(hi&31)<<59
		hi >>= 5
	}
	return string(out[:])
}

// NewSequence returns a deterministic generator of identifiers prefix-000001, prefix-000002,
// … (zero-padded to at least six digits so that they sort in creation order up to a million
// and stay unique beyond). It suits examples, fixtures and tests.
func NewSequence(prefix string) IDGenerator { return &sequence{prefix: prefix} }

type sequence struct {
	mu     sync.Mutex
	prefix string
	n      uint64
}

func (s *sequence) NewID() string {
	s.mu.Lock()
	s.n++
	n := s.n
	s.mu.Unlock()
	return fmt.Sprintf("%s-%06d", s.prefix, n)
}

// MaxIDLength is the longest identifier the library accepts.
const MaxIDLength = 64

// ValidID reports whether s can be used as an identifier: 1 to [MaxIDLength] bytes of ASCII
// letters, digits and the punctuation '-', '_', '.', ':'. Callers that supply their own
// identifiers must respect it; validation tag "gridid" checks it.
func ValidID(s string) bool {
	if len(s) == 0 || len(s) > MaxIDLength {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9':
		case c == '-', c == '_', c == '.', c == ':':
		default:
			return false
		}
	}
	return true
}
