package memory

import (
	"encoding/binary"
	"time"
	"unsafe"

	"github.com/gridgov/gridgov"
	"github.com/gridgov/gridgov/escalation"
)

// The escalation store is laid out for memory and for the garbage collector, since a
// district keeps hundreds of thousands of complaints open and the collector marks the live
// heap on every cycle:
//
//   - Values drawn from small sets (states, channels, categories, levels) and identifiers of
//     the organisation tree, its organisations and people (node IDs, handlers, actors) are
//     symbols: numbered once in a symbol table and stored as int32.
//   - A complaint's Path is stored once per distinct path (a path table), not per complaint.
//   - Everything else of a complaint is encoded into one byte slice (its blob) with varints,
//     zero times left out, by a plan derived from the Complaint type (escalation_plan.go),
//     so a field added to the type is stored without a change here. An update encodes a
//     new blob and the old one becomes garbage. Strings read back point into the blob,
//     which is never written again.
//   - Events are encoded into append-only byte chunks, located by an 8-byte reference each;
//     the reporter, the one actor who differs from complaint to complaint, is not stored
//     in the event but read back from the complaint.
//   - The records that hold the rest (blob, version, path, state, category, history links)
//     are allocated in slabs and hold one pointer each; every index (the ID and key hash
//     tables, the B-trees) holds int32 record numbers, not pointers or strings.
//
// Byte slices and int32 tables hold no pointers, so the collector only marks them. See
// BenchmarkEscalationBytesPerComplaint for the cost per complaint (about a third of keeping
// the same complaints in plain maps).

// symbols numbers strings; symbol 0 is "". The strings live in the store's arena.
type symbols struct {
	ids   map[string]int32
	names []string
	strs  *stringArena
}

func newSymbols(strs *stringArena) symbols {
	return symbols{ids: map[string]int32{"": 0}, names: []string{""}, strs: strs}
}

// intern returns the symbol of s, numbering it if it is new (writers only).
func (y *symbols) intern(s string) int32 {
	if s == "" {
		return 0
	}
	if id, ok := y.ids[s]; ok {
		return id
	}
	s = y.strs.intern(s)
	id := int32(len(y.names))
	y.names = append(y.names, s)
	y.ids[s] = id
	return id
}

// lookup returns the symbol of s, if s has one.
func (y *symbols) lookup(s string) (int32, bool) {
	id, ok := y.ids[s]
	return id, ok
}

// name returns the string of a symbol.
func (y *symbols) name(id int32) string { return y.names[id] }

// encoder appends varint-encoded fields to a buffer.
type encoder struct {
	b     []byte
	zones *zoneTable
}

func (e *encoder) uint(v uint64) { e.b = binary.AppendUvarint(e.b, v) }
func (e *encoder) int(v int64)   { e.b = binary.AppendVarint(e.b, v) }
func (e *encoder) sym(v int32)   { e.uint(uint64(v)) }
func (e *encoder) str(s string) {
	e.uint(uint64(len(s)))
	e.b = append(e.b, s...)
}

// time writes t as seconds relative to base, nanoseconds and zone.
func (e *encoder) time(t time.Time, base int64) { e.stamp(e.zones.stamp(t), base) }

// decoder reads what an encoder wrote. Its input was written by the store itself, so it
// does no bounds checking beyond the runtime's.
type decoder struct {
	b     []byte
	zones *zoneTable
}

func (d *decoder) uint() uint64 {
	if len(d.b) > 0 && d.b[0] < 0x80 { // one byte: most values
		v := d.b[0]
		d.b = d.b[1:]
		return uint64(v)
	}
	v, n := binary.Uvarint(d.b)
	d.b = d.b[n:]
	return v
}

func (d *decoder) int() int64 {
	v, n := binary.Varint(d.b)
	d.b = d.b[n:]
	return v
}

func (d *decoder) sym() int32 { return int32(d.uint()) }

// str returns the next string without copying: it points into the buffer, which the store
// never writes again once encoded.
func (d *decoder) str() string {
	n := int(d.uint())
	if n == 0 {
		return ""
	}
	s := unsafe.String(&d.b[0], n)
	d.b = d.b[n:]
	return s
}

// skip passes over the next string.
func (d *decoder) skip() {
	n := d.uint()
	d.b = d.b[n:]
}

// time reads what encoder.time wrote.
func (d *decoder) time(base int64) time.Time { return d.zones.time(d.stamp(base)) }

// zeroSec is the Unix time of the zero time.Time.
var zeroSec = time.Time{}.Unix()

// isZero reports whether st encodes the zero instant.
func (st stamp) isZero() bool { return st.sec == zeroSec && st.nsec == 0 }

// timeOf decodes st, returning the zero time.Time for the zero instant.
func (z *zoneTable) timeOf(st stamp) time.Time {
	if st.isZero() {
		return time.Time{}
	}
	return z.time(st)
}

// The blob of a complaint has two parts:
//
//	intake: its length; ID, idempotency key, reporter's person ID, SubmittedAt; the rest
//	        of the reporter (reporterPlan)
//	body:   every field the record does not hold (complaintPlan), DueAt first among the
//	        times
//
// The intake part never changes after creation: an update copies it into the new blob.
// Times are written as seconds relative to SubmittedAt (short varints), nanoseconds and
// zone; zero times are left out (see plan).

// intake is what the intake part of a blob holds.
type intake struct {
	id, key, reporterID string
	submitted           stamp
	len                 int // bytes, the whole part
}

// writeIntake writes the intake part of a new blob into e, which must be empty.
func (s *EscalationStore) writeIntake(e *encoder, id, key string, c *escalation.Complaint) {
	// The part is encoded after a one-byte placeholder for its length, which is then
	// written in front of it.
	e.b = append(e.b, 0)
	e.str(id)
	e.str(key)
	e.str(c.Reporter.PersonID)
	submitted := e.zones.stamp(c.SubmittedAt)
	e.stamp(submitted, 0)
	s.encode(e, reporterPlan, unsafe.Pointer(&c.Reporter), submitted.sec)
	n := len(e.b) - 1
	var prefix [binary.MaxVarintLen64]byte
	k := binary.PutUvarint(prefix[:], uint64(n))
	if k > 1 {
		e.b = append(e.b, prefix[1:k]...) // room for the longer prefix
		copy(e.b[k:], e.b[1:1+n])
	}
	copy(e.b, prefix[:k])
}

// readIntake reads the intake part of blob (not the reporter's other fields).
func readIntake(blob []byte) intake {
	d := decoder{b: blob}
	n := int(d.uint())
	in := intake{len: len(blob) - len(d.b) + n}
	in.id, in.key, in.reporterID = d.str(), d.str(), d.str()
	in.submitted = d.stamp(0)
	return in
}

// blobID returns the complaint ID held in blob.
func blobID(blob []byte) string {
	d := decoder{b: blob}
	d.uint()
	return d.str()
}

// blobKey returns the idempotency key held in blob.
func blobKey(blob []byte) string {
	d := decoder{b: blob}
	d.uint()
	d.skip()
	return d.str()
}

// blobDue returns the DueAt stamp held in blob (the zero stamp when there is none): the
// first time of the body, present when bit 0 of the body's first mask word is set.
func blobDue(blob []byte) stamp {
	in := readIntake(blob)
	d := decoder{b: blob[in.len:]}
	if d.uint()&1 == 0 {
		return zeroStamp
	}
	for range maskWords(len(complaintPlan.times)) - 1 {
		d.uint()
	}
	return d.stamp(in.submitted.sec)
}

// zeroStamp is the stamp of the zero time (in the zone table's first zone).
var zeroStamp = stamp{sec: zeroSec}

// stamp writes st with its seconds relative to base.
func (e *encoder) stamp(st stamp, base int64) {
	e.int(st.sec - base)
	e.uint(uint64(st.nsec))
	e.uint(uint64(st.zone))
}

// stamp reads what encoder.stamp wrote.
func (d *decoder) stamp(base int64) stamp {
	sec := d.int() + base
	nsec := int32(d.uint())
	return stamp{sec: sec, nsec: nsec, zone: int32(d.uint())}
}

// writeBody writes the body of c's blob.
func (s *EscalationStore) writeBody(e *encoder, c *escalation.Complaint, submitted int64) {
	s.encode(e, complaintPlan, unsafe.Pointer(c), submitted)
}

// readBlob fills c, which must be zero but for the fields the record holds, from a blob.
func (s *EscalationStore) readBlob(blob []byte, c *escalation.Complaint) {
	d := decoder{b: blob, zones: &s.zones}
	d.uint() // the intake part's length
	c.ID = d.str()
	d.skip() // the idempotency key
	c.Reporter.PersonID = d.str()
	submitted := d.stamp(0)
	c.SubmittedAt = s.zones.timeOf(submitted)
	s.decode(&d, reporterPlan, unsafe.Pointer(&c.Reporter), submitted.sec)
	s.decode(&d, complaintPlan, unsafe.Pointer(c), submitted.sec)
}

// pathRec is one distinct Path: its node symbols and the complaints filed with it, in ID
// order.
type pathRec struct {
	nodes      []int32
	complaints btree[int32]
}

// eventLog is the store's event feed and every complaint's history: events encoded into
// append-only byte chunks, event Seq n located by refs[n-1]. Each encoded event starts
// with a fixed four-byte link to the complaint's next event (its Seq, 0 until there is
// one), set when that event is appended; nothing else is ever written again.
type eventLog struct {
	chunks [][]byte
	refs   []eventRef
}

// eventRef locates one encoded event.
type eventRef struct {
	chunk, off int32
}

// eventChunk is the size of one event chunk.
const eventChunk = 64 << 10

// appendEvent encodes ev for the complaint of record rec, links it after the complaint's
// last event, and returns its Seq. Its ComplaintID is the record's; its time is written
// relative to the complaint's SubmittedAt, and its actor, when it is the complaint's
// reporter (the one actor who differs from complaint to complaint), as 0 and read back
// from the complaint; any other actor is its symbol + 1.
func (s *EscalationStore) appendEvent(ev escalation.Event, rec int32) int64 {
	r := s.rec(rec)
	in := readIntake(r.blob)
	e := encoder{b: append(s.scratch[:0], 0, 0, 0, 0), zones: &s.zones}
	e.uint(uint64(rec))
	e.int(ev.Version)
	e.sym(s.syms.intern(string(ev.Kind)))
	e.sym(s.syms.intern(string(ev.From)))
	e.sym(s.syms.intern(string(ev.To)))
	e.int(int64(ev.Tier))
	e.int(int64(ev.Actor.Kind))
	if ev.Actor.ID != "" && ev.Actor.ID == in.reporterID {
		e.uint(0)
	} else {
		e.uint(uint64(s.syms.intern(ev.Actor.ID)) + 1)
	}
	e.time(ev.At, in.submitted.sec)
	e.str(ev.Note)
	s.scratch = e.b

	log := &s.events
	if n := len(log.chunks); n == 0 || cap(log.chunks[n-1])-len(log.chunks[n-1]) < len(e.b) {
		log.chunks = append(log.chunks, make([]byte, 0, max(eventChunk, len(e.b))))
	}
	last := len(log.chunks) - 1
	log.refs = append(log.refs, eventRef{chunk: int32(last), off: int32(len(log.chunks[last]))})
	log.chunks[last] = append(log.chunks[last], e.b...)
	seq := int32(len(log.refs))
	if r.histTail != 0 {
		binary.LittleEndian.PutUint32(s.eventBytes(r.histTail), uint32(seq))
	} else {
		r.histHead = seq
	}
	r.histTail = seq
	return int64(seq)
}

// eventBytes returns the encoding of event seq and what follows it in its chunk.
func (s *EscalationStore) eventBytes(seq int32) []byte {
	ref := s.events.refs[seq-1]
	return s.events.chunks[ref.chunk][ref.off:]
}

// event decodes the event with the given Seq and returns the Seq of the complaint's next
// event (0 for none).
func (s *EscalationStore) event(seq int32) (escalation.Event, int32) {
	b := s.eventBytes(seq)
	next := int32(binary.LittleEndian.Uint32(b))
	d := decoder{b: b[4:], zones: &s.zones}
	ev := escalation.Event{Seq: int64(seq)}
	in := readIntake(s.rec(int32(d.uint())).blob)
	ev.ComplaintID = in.id
	ev.Version = d.int()
	ev.Kind = escalation.EventKind(s.syms.name(d.sym()))
	ev.From = escalation.State(s.syms.name(d.sym()))
	ev.To = escalation.State(s.syms.name(d.sym()))
	ev.Tier = int(d.int())
	ev.Actor.Kind = gridgov.ActorKind(d.int())
	if a := d.uint(); a == 0 {
		ev.Actor.ID = in.reporterID
	} else {
		ev.Actor.ID = s.syms.name(int32(a - 1))
	}
	ev.At = d.time(in.submitted.sec)
	ev.Note = d.str()
	return ev, next
}
