package memory

import (
	"math"
	"reflect"
	"time"
	"unsafe"

	"github.com/gridgov/gridgov/escalation"
)

// A plan encodes the fields of a struct type generically. It is derived once, by
// reflection, from the type itself, so a field added to escalation.Complaint (or to a
// struct it holds) is stored without any change here: nothing is dropped silently. Each
// field becomes an operation on its offset in the struct, so encoding and decoding cost no
// reflection per field (only slices of structs, such as Summons, use reflect to make the
// slice).
//
// A plan writes, for a struct value:
//
//	a bit mask of the time.Time fields that are set, then those times
//	a bit mask of the bool fields that are true
//	every other field in declaration order
//
// Strings named in escSymbolFields are written as symbols, other strings inline.
type plan struct {
	times []uintptr // offsets of the time.Time fields
	bools []uintptr // offsets of the bool fields
	ops   []fieldOp
	// unsupported names the fields of kinds no operation handles (maps, pointers...); none
	// of escalation.Complaint's are (TestEscalationPlanCoversComplaint checks).
	unsupported []string
}

// fieldOp encodes one field.
type fieldOp struct {
	off  uintptr
	kind opKind
	size uintptr      // of an integer, or of a slice element
	typ  reflect.Type // of a slice of structs
	elem *plan        // of a slice of structs
}

type opKind uint8

const (
	opSym     opKind = iota // a string written as a symbol
	opStr                   // a string written inline
	opInt                   // a signed integer of any size
	opUint                  // an unsigned integer of any size
	opFloat                 // a float64 or float32
	opStrings               // a slice of strings
	opStructs               // a slice of structs, each with its own plan
)

// escSymbolFields are the string fields of a complaint stored as symbols: values from small
// sets and identifiers of the organisation tree, its organisations and people.
var escSymbolFields = map[string]bool{
	"Channel": true, "NodeID": true, "Urgency": true, "TierLevel": true, "TierNodeID": true,
	"UnitID": true, "Handler": true, "Rating.Satisfaction": true,
	"Summons.Party": true, "Summons.OrgID": true, "Summons.ReportedBy": true,
}

// The plans of the escalation store. complaintPlan leaves out the fields the store keeps
// elsewhere (see escalation_codec.go) and puts DueAt first among the times, so the
// deadline index can read it quickly; reporterPlan covers the reporter but its person ID.
var (
	complaintPlan = newPlan(reflect.TypeFor[escalation.Complaint](),
		[]string{"ID", "Path", "State", "Category", "Version", "SubmittedAt", "Reporter"}, "DueAt")
	reporterPlan = newPlan(reflect.TypeFor[escalation.Reporter](), []string{"PersonID"}, "")
)

// newPlan returns the plan of struct type t without the fields named in skip; the time
// field named first, if any, comes first among the times.
func newPlan(t reflect.Type, skip []string, first string) *plan {
	p := &plan{}
	skipped := map[string]bool{}
	for _, name := range skip {
		skipped[name] = true
	}
	p.add(t, 0, "", skipped)
	if first != "" {
		if f, ok := t.FieldByName(first); ok {
			for i, off := range p.times {
				if off == f.Offset {
					copy(p.times[1:i+1], p.times[:i])
					p.times[0] = off
				}
			}
		}
	}
	return p
}

var timeType = reflect.TypeFor[time.Time]()

// add appends the operations for the fields of struct type t at offset base.
func (p *plan) add(t reflect.Type, base uintptr, prefix string, skip map[string]bool) {
	for i := range t.NumField() {
		f := t.Field(i)
		name := prefix + f.Name
		if skip[name] || f.Name == "_" {
			continue
		}
		off := base + f.Offset
		switch k := f.Type.Kind(); {
		case f.Type == timeType:
			p.times = append(p.times, off)
		case k == reflect.Bool:
			p.bools = append(p.bools, off)
		case k == reflect.String && escSymbolFields[name]:
			p.ops = append(p.ops, fieldOp{off: off, kind: opSym})
		case k == reflect.String:
			p.ops = append(p.ops, fieldOp{off: off, kind: opStr})
		case k >= reflect.Int && k <= reflect.Int64:
			p.ops = append(p.ops, fieldOp{off: off, kind: opInt, size: f.Type.Size()})
		case k >= reflect.Uint && k <= reflect.Uintptr:
			p.ops = append(p.ops, fieldOp{off: off, kind: opUint, size: f.Type.Size()})
		case k == reflect.Float32 || k == reflect.Float64:
			p.ops = append(p.ops, fieldOp{off: off, kind: opFloat, size: f.Type.Size()})
		case k == reflect.Struct:
			p.add(f.Type, off, name+".", skip)
		case k == reflect.Slice && f.Type.Elem().Kind() == reflect.String:
			p.ops = append(p.ops, fieldOp{off: off, kind: opStrings})
		case k == reflect.Slice && f.Type.Elem().Kind() == reflect.Struct && f.Type.Elem() != timeType:
			elem := &plan{}
			elem.add(f.Type.Elem(), 0, name+".", skip)
			p.unsupported = append(p.unsupported, elem.unsupported...)
			p.ops = append(p.ops, fieldOp{off: off, kind: opStructs, size: f.Type.Elem().Size(), typ: f.Type, elem: elem})
		default:
			p.unsupported = append(p.unsupported, name)
		}
	}
}

// maskWords is how many 64-bit words a mask of n bits takes.
func maskWords(n int) int { return max(1, (n+63)/64) }

// encode writes the struct at ptr, with times relative to base.
func (s *EscalationStore) encode(e *encoder, p *plan, ptr unsafe.Pointer, base int64) {
	for w := range maskWords(len(p.times)) {
		var mask uint64
		for i := w * 64; i < min(len(p.times), (w+1)*64); i++ {
			if !(*time.Time)(unsafe.Add(ptr, p.times[i])).IsZero() {
				mask |= 1 << (i - w*64)
			}
		}
		e.uint(mask)
	}
	for _, off := range p.times {
		if t := (*time.Time)(unsafe.Add(ptr, off)); !t.IsZero() {
			e.time(*t, base)
		}
	}
	for w := range maskWords(len(p.bools)) {
		var mask uint64
		for i := w * 64; i < min(len(p.bools), (w+1)*64); i++ {
			if *(*bool)(unsafe.Add(ptr, p.bools[i])) {
				mask |= 1 << (i - w*64)
			}
		}
		e.uint(mask)
	}
	for _, op := range p.ops {
		at := unsafe.Add(ptr, op.off)
		switch op.kind {
		case opSym:
			e.sym(s.syms.intern(*(*string)(at)))
		case opStr:
			e.str(*(*string)(at))
		case opInt:
			e.int(readInt(at, op.size))
		case opUint:
			e.uint(readUint(at, op.size))
		case opFloat:
			if op.size == 4 {
				e.uint(uint64(math.Float32bits(*(*float32)(at))))
			} else {
				e.uint(math.Float64bits(*(*float64)(at)))
			}
		case opStrings:
			list := *(*[]string)(at)
			e.uint(uint64(len(list)))
			for _, v := range list {
				e.str(v)
			}
		case opStructs:
			h := (*sliceHeader)(at)
			e.uint(uint64(h.len))
			for i := range h.len {
				s.encode(e, op.elem, unsafe.Add(h.data, uintptr(i)*op.size), base)
			}
		}
	}
}

// decode reads into the struct at ptr, which must be zero, what encode wrote.
func (s *EscalationStore) decode(d *decoder, p *plan, ptr unsafe.Pointer, base int64) {
	var masks [1]uint64
	timeMasks := masks[:0]
	for range maskWords(len(p.times)) {
		timeMasks = append(timeMasks, d.uint())
	}
	for i, off := range p.times {
		if timeMasks[i/64]&(1<<(i%64)) != 0 {
			*(*time.Time)(unsafe.Add(ptr, off)) = d.time(base)
		}
	}
	for w := range maskWords(len(p.bools)) {
		mask := d.uint()
		for i := w * 64; i < min(len(p.bools), (w+1)*64); i++ {
			*(*bool)(unsafe.Add(ptr, p.bools[i])) = mask&(1<<(i-w*64)) != 0
		}
	}
	for _, op := range p.ops {
		at := unsafe.Add(ptr, op.off)
		switch op.kind {
		case opSym:
			*(*string)(at) = s.syms.name(d.sym())
		case opStr:
			*(*string)(at) = d.str()
		case opInt:
			writeInt(at, op.size, d.int())
		case opUint:
			writeUint(at, op.size, d.uint())
		case opFloat:
			if op.size == 4 {
				*(*float32)(at) = math.Float32frombits(uint32(d.uint()))
			} else {
				*(*float64)(at) = math.Float64frombits(d.uint())
			}
		case opStrings:
			if n := d.uint(); n > 0 {
				list := make([]string, n)
				for i := range list {
					list[i] = d.str()
				}
				*(*[]string)(at) = list
			}
		case opStructs:
			if n := int(d.uint()); n > 0 {
				data := reflect.MakeSlice(op.typ, n, n).UnsafePointer()
				for i := range n {
					s.decode(d, op.elem, unsafe.Add(data, uintptr(i)*op.size), base)
				}
				*(*sliceHeader)(at) = sliceHeader{data: data, len: n, cap: n}
			}
		}
	}
}

// sliceHeader is the layout of a slice; the plan reads and writes slices of structs of
// any type through it, so that no pointer to the struct being coded escapes (through
// reflect) and the struct can stay on the stack.
type sliceHeader struct {
	data     unsafe.Pointer
	len, cap int
}

func readInt(at unsafe.Pointer, size uintptr) int64 {
	switch size {
	case 1:
		return int64(*(*int8)(at))
	case 2:
		return int64(*(*int16)(at))
	case 4:
		return int64(*(*int32)(at))
	}
	return *(*int64)(at)
}

func writeInt(at unsafe.Pointer, size uintptr, v int64) {
	switch size {
	case 1:
		*(*int8)(at) = int8(v)
	case 2:
		*(*int16)(at) = int16(v)
	case 4:
		*(*int32)(at) = int32(v)
	default:
		*(*int64)(at) = v
	}
}

func readUint(at unsafe.Pointer, size uintptr) uint64 {
	switch size {
	case 1:
		return uint64(*(*uint8)(at))
	case 2:
		return uint64(*(*uint16)(at))
	case 4:
		return uint64(*(*uint32)(at))
	}
	return *(*uint64)(at)
}

func writeUint(at unsafe.Pointer, size uintptr, v uint64) {
	switch size {
	case 1:
		*(*uint8)(at) = uint8(v)
	case 2:
		*(*uint16)(at) = uint16(v)
	case 4:
		*(*uint32)(at) = uint32(v)
	default:
		*(*uint64)(at) = v
	}
}
