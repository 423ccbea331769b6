package memory

import (
	"encoding/binary"
	"strings"
	"time"
	"unsafe"

	"github.com/gridgov/gridgov/governance"
)

// The node side of the store is laid out for the garbage collector. A tree of a million
// nodes is a live heap the collector marks on every cycle, and its marking time grows with
// the objects and pointers it must reach; every allocation a caller makes (a subtree
// listing, say) pays for those cycles. So node strings are copied into large append-only
// byte chunks (one object per 64 KiB instead of one or two per node), times are stored as
// pointer-free stamps, and history is encoded into byte chunks linked by index (no pointers
// at all) instead of one slice of structs per node. Against the plain layout this cut the
// collector's CPU per cycle on a 1,000,000-node tree by about a third and brought a 1,000-node
// listing inside that tree to within 1.3x of the same listing inside a 10,000-node tree (see
// BENCHMARKS.md).

// arenaChunk is the size of one string chunk.
const arenaChunk = 64 << 10

// stringArena stores immutable copies of strings in append-only chunks. A chunk's bytes are
// never written again once a string refers to them, so the strings it hands out are as
// immutable as any Go string.
type stringArena struct {
	chunk []byte
}

// intern returns a copy of s that lives in the arena (s itself when it is empty).
func (a *stringArena) intern(s string) string {
	switch {
	case s == "":
		return ""
	case len(s) > arenaChunk/8:
		return strings.Clone(s) // large strings get their own object
	}
	if cap(a.chunk)-len(a.chunk) < len(s) {
		a.chunk = make([]byte, 0, arenaChunk)
	}
	start := len(a.chunk)
	a.chunk = append(a.chunk, s...)
	return unsafe.String(&a.chunk[start], len(s))
}

// historyLog holds every node's history without a single pointer per entry: each entry is
// encoded into append-only byte chunks and the link from one entry to the next is a plain
// index, so the collector never scans them. History is written once per accepted change and
// read rarely (NodeHistory), so the encoding costs little.
type historyLog struct {
	chunks [][]byte  // encoded entries
	refs   []histRef // entry i starts at chunks[refs[i].chunk][refs[i].off]
	zones  zoneTable // the time zones of the entries' times
}

// histRef locates one encoded entry and links it to the node's next entry (-1 ends).
type histRef struct {
	chunk, off, next int32
}

// strings lists the string fields of c in encoding order.
func changeStrings(c *governance.NodeChange) [6]*string {
	return [6]*string{&c.NodeID, (*string)(&c.Kind), &c.Actor, &c.From, &c.To, &c.Note}
}

// add encodes c, appends it and returns its index.
func (h *historyLog) add(c governance.NodeChange) int32 {
	rec := make([]byte, 0, 64)
	rec = binary.AppendVarint(rec, c.Version)
	at := h.zones.stamp(c.At)
	rec = binary.AppendVarint(rec, at.sec)
	rec = binary.AppendVarint(rec, int64(at.nsec))
	rec = binary.AppendVarint(rec, int64(at.zone))
	for _, p := range changeStrings(&c) {
		rec = binary.AppendUvarint(rec, uint64(len(*p)))
		rec = append(rec, *p...)
	}
	if len(h.chunks) == 0 || cap(h.chunks[len(h.chunks)-1])-len(h.chunks[len(h.chunks)-1]) < len(rec) {
		h.chunks = append(h.chunks, make([]byte, 0, max(arenaChunk, len(rec))))
	}
	last := len(h.chunks) - 1
	h.refs = append(h.refs, histRef{chunk: int32(last), off: int32(len(h.chunks[last])), next: -1})
	h.chunks[last] = append(h.chunks[last], rec...)
	return int32(len(h.refs) - 1)
}

// get decodes entry i.
func (h *historyLog) get(i int32) governance.NodeChange {
	ref := h.refs[i]
	buf := h.chunks[ref.chunk][ref.off:]
	next := func() int64 {
		v, n := binary.Varint(buf)
		buf = buf[n:]
		return v
	}
	var c governance.NodeChange
	c.Version = next()
	sec, nsec, zone := next(), next(), next()
	c.At = h.zones.time(stamp{sec: sec, nsec: int32(nsec), zone: int32(zone)})
	for _, p := range changeStrings(&c) {
		n, k := binary.Uvarint(buf)
		*p = string(buf[k : k+int(n)])
		buf = buf[k+int(n):]
	}
	return c
}

// appendTo links c after the entry at tail and returns c's index.
func (h *historyLog) appendTo(tail int32, c governance.NodeChange) int32 {
	i := h.add(c)
	h.refs[tail].next = i
	return i
}

// list returns the chain that starts at head, oldest first.
func (h *historyLog) list(head int32) []governance.NodeChange {
	var out []governance.NodeChange
	for i := head; i >= 0; i = h.refs[i].next {
		out = append(out, h.get(i))
	}
	return out
}

// stamp is a time.Time without pointers: seconds and nanoseconds since the Unix epoch and
// the index of its time zone in a zoneTable. Monotonic clock readings are dropped, as they
// are by any store.
type stamp struct {
	sec  int64
	nsec int32
	zone int32
}

// zoneTable numbers the time zones of stored times (a handful in practice).
type zoneTable struct {
	locs []*time.Location
}

// stamp encodes t, adding its zone to the table if need be.
func (z *zoneTable) stamp(t time.Time) stamp {
	loc := t.Location()
	i := -1
	for j, l := range z.locs {
		if l == loc {
			i = j
			break
		}
	}
	if i < 0 {
		z.locs = append(z.locs, loc)
		i = len(z.locs) - 1
	}
	return stamp{sec: t.Unix(), nsec: int32(t.Nanosecond()), zone: int32(i)}
}

// time decodes s; the zero stamp of the zero time decodes to the zero time.
func (z *zoneTable) time(s stamp) time.Time {
	return time.Unix(s.sec, int64(s.nsec)).In(z.locs[s.zone])
}
