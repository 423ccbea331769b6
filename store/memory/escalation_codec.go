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
//     zero times left out; an update encodes a new blob and the old one becomes garbage.
//     Strings read back point into the blob, which is never written again.
//   - Events are encoded into append-only byte chunks; each is located by a small record
//     that also links it to the complaint's next event.
//
// Byte slices hold no pointers, so the collector only marks them. See
// BenchmarkEscalationBytesPerComplaint for the cost per complaint.

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

// time encodes a non-zero time as seconds relative to base, nanoseconds and zone.
func (e *encoder) time(t time.Time, base int64) {
	st := e.zones.stamp(t)
	e.int(st.sec - base)
	e.uint(uint64(st.nsec))
	e.uint(uint64(st.zone))
}

// decoder reads what an encoder wrote. Its input was written by the store itself, so it
// does no bounds checking beyond the runtime's.
type decoder struct {
	b     []byte
	zones *zoneTable
}

func (d *decoder) uint() uint64 {
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

func (d *decoder) time(base int64) time.Time {
	sec := d.int() + base
	nsec := int32(d.uint())
	zone := int32(d.uint())
	return d.zones.time(stamp{sec: sec, nsec: nsec, zone: zone})
}

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

// The optional times of a complaint, in encoding order; a bit mask says which are set.
func optionalTimes(c *escalation.Complaint) [11]*time.Time {
	return [11]*time.Time{&c.AcceptedAt, &c.ReferredAt, &c.RespondedAt, &c.ResolvedAt,
		&c.VerifiedAt, &c.RatedAt, &c.ClosedAt, &c.PausedAt, &c.ResponseDue, &c.ResolutionDue,
		&c.FirstResolutionDue}
}

// The flags of a complaint's blob.
const (
	flagWarnedResponse = 1 << iota
	flagWarnedResolution
	flagRatingResolved
)

// The flags of a summons.
const (
	flagLead = 1 << iota
	flagSummoned
	flagDue
	flagReported
)

// encodeReporter writes the reporter, the first part of every blob: it never changes after
// creation, so an update copies it from the stored blob.
func (e *encoder) reporter(r escalation.Reporter) {
	e.str(r.PersonID)
	e.str(r.Name.Reveal())
	e.str(r.Phone.Reveal())
}

// reporterLen returns the length of the reporter part at the start of blob.
func reporterLen(blob []byte) int {
	d := decoder{b: blob}
	d.str()
	d.str()
	d.str()
	return len(blob) - len(d.b)
}

// encodeBody writes every field of c that is not kept in the complaint's record (ID,
// Path, State, Category, SubmittedAt, DueAt, Version) nor in the reporter part, with
// times relative to base (the submission time, so they encode short).
func (s *EscalationStore) encodeBody(e *encoder, c *escalation.Complaint, base int64) {
	e.sym(s.syms.intern(string(c.Channel)))
	e.str(c.Description)
	e.sym(s.syms.intern(c.NodeID))
	e.sym(s.syms.intern(string(c.Urgency)))
	e.uint(uint64(len(c.Attachments)))
	for _, a := range c.Attachments {
		e.str(a)
	}
	e.int(int64(c.Tier))
	e.sym(s.syms.intern(c.TierLevel))
	e.sym(s.syms.intern(c.TierNodeID))
	e.sym(s.syms.intern(c.UnitID))
	e.sym(s.syms.intern(c.Handler))

	times := optionalTimes(c)
	var mask uint64
	for i, t := range times {
		if !t.IsZero() {
			mask |= 1 << i
		}
	}
	e.uint(mask)
	for _, t := range times {
		if !t.IsZero() {
			e.time(*t, base)
		}
	}

	var flags uint64
	if c.WarnedResponse {
		flags |= flagWarnedResponse
	}
	if c.WarnedResolution {
		flags |= flagWarnedResolution
	}
	if c.Rating.Resolved {
		flags |= flagRatingResolved
	}
	e.uint(flags)
	e.sym(s.syms.intern(string(c.Rating.Satisfaction)))
	e.str(c.Rating.Comment)
	e.str(c.DuplicateOf)

	e.uint(uint64(len(c.Summons)))
	for _, sm := range c.Summons {
		e.sym(s.syms.intern(string(sm.Party)))
		e.sym(s.syms.intern(sm.OrgID))
		e.sym(s.syms.intern(sm.ReportedBy))
		var f uint64
		if sm.Lead {
			f |= flagLead
		}
		if !sm.SummonedAt.IsZero() {
			f |= flagSummoned
		}
		if !sm.Due.IsZero() {
			f |= flagDue
		}
		if !sm.ReportedAt.IsZero() {
			f |= flagReported
		}
		e.uint(f)
		for _, t := range []time.Time{sm.SummonedAt, sm.Due, sm.ReportedAt} {
			if !t.IsZero() {
				e.time(t, base)
			}
		}
	}

	for _, n := range []int{c.Escalations, c.Reworks, c.LateResponses, c.LateReports, c.Breaches} {
		e.int(int64(n))
	}
}

// decodeBlob fills c from a blob (reporter part and body) with times relative to base.
func (s *EscalationStore) decodeBlob(d *decoder, c *escalation.Complaint, base int64) {
	c.Reporter.PersonID = d.str()
	c.Reporter.Name = gridgov.PersonName(d.str())
	c.Reporter.Phone = gridgov.Phone(d.str())

	c.Channel = escalation.Channel(s.syms.name(d.sym()))
	c.Description = d.str()
	c.NodeID = s.syms.name(d.sym())
	c.Urgency = escalation.Urgency(s.syms.name(d.sym()))
	if n := d.uint(); n > 0 {
		c.Attachments = make([]string, n)
		for i := range c.Attachments {
			c.Attachments[i] = d.str()
		}
	}
	c.Tier = int(d.int())
	c.TierLevel = s.syms.name(d.sym())
	c.TierNodeID = s.syms.name(d.sym())
	c.UnitID = s.syms.name(d.sym())
	c.Handler = s.syms.name(d.sym())

	mask := d.uint()
	for i, t := range optionalTimes(c) {
		if mask&(1<<i) != 0 {
			*t = d.time(base)
		}
	}

	flags := d.uint()
	c.WarnedResponse = flags&flagWarnedResponse != 0
	c.WarnedResolution = flags&flagWarnedResolution != 0
	c.Rating.Resolved = flags&flagRatingResolved != 0
	c.Rating.Satisfaction = escalation.Satisfaction(s.syms.name(d.sym()))
	c.Rating.Comment = d.str()
	c.DuplicateOf = d.str()

	if n := d.uint(); n > 0 {
		c.Summons = make([]escalation.Summons, n)
		for i := range c.Summons {
			sm := &c.Summons[i]
			sm.Party = escalation.PartyKind(s.syms.name(d.sym()))
			sm.OrgID = s.syms.name(d.sym())
			sm.ReportedBy = s.syms.name(d.sym())
			f := d.uint()
			sm.Lead = f&flagLead != 0
			if f&flagSummoned != 0 {
				sm.SummonedAt = d.time(base)
			}
			if f&flagDue != 0 {
				sm.Due = d.time(base)
			}
			if f&flagReported != 0 {
				sm.ReportedAt = d.time(base)
			}
		}
	}

	for _, n := range []*int{&c.Escalations, &c.Reworks, &c.LateResponses, &c.LateReports, &c.Breaches} {
		*n = int(d.int())
	}
}

// pathRec is one distinct Path: its node symbols and the complaints filed with it, in ID
// order.
type pathRec struct {
	nodes      []int32
	complaints *btree[int32]
}

// eventLog is the store's event feed and every complaint's history: events encoded into
// append-only byte chunks, event Seq n located by refs[n-1], which also links it to the
// complaint's next event.
type eventLog struct {
	chunks [][]byte
	refs   []eventRef
}

// eventRef locates one encoded event and links it to the complaint's next one (0 ends;
// event indexes start at 1, their Seq).
type eventRef struct {
	chunk, off int32
	next       int32
}

// eventChunk is the size of one event chunk.
const eventChunk = 64 << 10

// appendEvent encodes ev (its ComplaintID given as the complaint's record index) and
// returns its Seq.
func (s *EscalationStore) appendEvent(ev escalation.Event, rec int32) int64 {
	e := encoder{b: s.scratch[:0], zones: &s.zones}
	e.uint(uint64(rec))
	e.int(ev.Version)
	e.sym(s.syms.intern(string(ev.Kind)))
	e.sym(s.syms.intern(string(ev.From)))
	e.sym(s.syms.intern(string(ev.To)))
	e.int(int64(ev.Tier))
	e.int(int64(ev.Actor.Kind))
	e.sym(s.syms.intern(ev.Actor.ID))
	e.time(ev.At, 0)
	e.str(ev.Note)
	s.scratch = e.b

	log := &s.events
	if n := len(log.chunks); n == 0 || cap(log.chunks[n-1])-len(log.chunks[n-1]) < len(e.b) {
		log.chunks = append(log.chunks, make([]byte, 0, max(eventChunk, len(e.b))))
	}
	last := len(log.chunks) - 1
	log.refs = append(log.refs, eventRef{chunk: int32(last), off: int32(len(log.chunks[last]))})
	log.chunks[last] = append(log.chunks[last], e.b...)
	return int64(len(log.refs))
}

// event decodes the event with the given Seq.
func (s *EscalationStore) event(seq int64) escalation.Event {
	ref := s.events.refs[seq-1]
	d := decoder{b: s.events.chunks[ref.chunk][ref.off:], zones: &s.zones}
	ev := escalation.Event{Seq: seq}
	ev.ComplaintID = s.rec(int32(d.uint())).id
	ev.Version = d.int()
	ev.Kind = escalation.EventKind(s.syms.name(d.sym()))
	ev.From = escalation.State(s.syms.name(d.sym()))
	ev.To = escalation.State(s.syms.name(d.sym()))
	ev.Tier = int(d.int())
	ev.Actor.Kind = gridgov.ActorKind(d.int())
	ev.Actor.ID = s.syms.name(d.sym())
	ev.At = d.time(0)
	ev.Note = d.str()
	return ev
}
