package postgres

import (
	"errors"
	"fmt"
	"math"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf16"
	"unicode/utf8"
)

// The document codec turns a Go value into a JSON document and back, by reflection, so
// that every exported field of a type is stored without code written for it (a field added
// to escalation.Complaint is stored with no change here and no migration):
//
//   - a struct is an object keyed by field name; fields holding their zero value are left
//     out, which keeps documents small and reads old documents into new types;
//   - strings are stored as they are: the raw value, not a String or MarshalJSON method's
//     (personal data such as gridgov.PersonName masks itself in both);
//   - a time.Time is an RFC 3339 string in UTC with nanoseconds (a year outside 0–9999,
//     which RFC 3339 cannot write, is "@seconds.nanoseconds" since the Unix epoch);
//   - integers are JSON numbers, floats are strings (so NaN and infinities survive), slices
//     and arrays are arrays, maps with string keys are objects (keys sorted);
//   - a decimal.Decimal is a string holding it exactly, trailing zeros and all (see
//     doc_codec_decimal.go).
//
// Channels, functions and interfaces are not supported: encodeDoc returns an error. The
// struct layout of each type is worked out once and cached, and encoding appends to one
// buffer, so a complaint costs a few microseconds each way.

// structPlan is the cached layout of a struct type.
type structPlan struct {
	fields []planField
	byName map[string]int // field name → index in fields
}

type planField struct {
	index int
	name  string
	key   []byte // `"Name":`
}

var plans sync.Map // reflect.Type → *structPlan

// planOf returns the plan of the struct type t.
func planOf(t reflect.Type) *structPlan {
	if p, ok := plans.Load(t); ok {
		return p.(*structPlan)
	}
	p := &structPlan{byName: map[string]int{}}
	for i := range t.NumField() {
		f := t.Field(i)
		if !f.IsExported() {
			continue
		}
		p.byName[f.Name] = len(p.fields)
		p.fields = append(p.fields, planField{index: i, name: f.Name, key: appendString(nil, f.Name+":")})
	}
	for i := range p.fields { // `"Name:"` → `"Name":`
		k := p.fields[i].key
		k[len(k)-2], k[len(k)-1] = '"', ':'
	}
	actual, _ := plans.LoadOrStore(t, p)
	return actual.(*structPlan)
}

// encodeDoc returns the document for v.
func encodeDoc(v any) ([]byte, error) {
	return appendDoc(make([]byte, 0, 512), reflect.ValueOf(v))
}

// appendDoc appends the JSON of v to b.
func appendDoc(b []byte, v reflect.Value) ([]byte, error) {
	if v.Type() == decimalType {
		return appendDocDecimal(b, v), nil
	}
	if v.Type() == timeType {
		b = append(b, '"')
		b = appendDocTime(b, v.Interface().(time.Time))
		return append(b, '"'), nil
	}
	var err error
	switch v.Kind() {
	case reflect.Struct:
		b = append(b, '{')
		first := true
		for _, f := range planOf(v.Type()).fields {
			fv := v.Field(f.index)
			if fv.IsZero() {
				continue
			}
			if !first {
				b = append(b, ',')
			}
			first = false
			b = append(b, f.key...)
			if b, err = appendDoc(b, fv); err != nil {
				return nil, fmt.Errorf("%s: %w", f.name, err)
			}
		}
		return append(b, '}'), nil
	case reflect.String:
		return appendString(b, v.String()), nil
	case reflect.Bool:
		return strconv.AppendBool(b, v.Bool()), nil
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return strconv.AppendInt(b, v.Int(), 10), nil
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		return strconv.AppendUint(b, v.Uint(), 10), nil
	case reflect.Float32, reflect.Float64:
		b = append(b, '"')
		b = strconv.AppendFloat(b, v.Float(), 'g', -1, v.Type().Bits())
		return append(b, '"'), nil
	case reflect.Slice, reflect.Array:
		if v.Kind() == reflect.Slice && v.IsNil() {
			return append(b, "null"...), nil
		}
		b = append(b, '[')
		for i := range v.Len() {
			if i > 0 {
				b = append(b, ',')
			}
			if b, err = appendDoc(b, v.Index(i)); err != nil {
				return nil, err
			}
		}
		return append(b, ']'), nil
	case reflect.Map:
		if v.Type().Key().Kind() != reflect.String {
			return nil, fmt.Errorf("postgres: cannot store a map keyed by %s", v.Type().Key())
		}
		if v.IsNil() {
			return append(b, "null"...), nil
		}
		keys := v.MapKeys()
		slices.SortFunc(keys, func(x, y reflect.Value) int { return strings.Compare(x.String(), y.String()) })
		b = append(b, '{')
		for i, k := range keys {
			if i > 0 {
				b = append(b, ',')
			}
			b = append(appendString(b, k.String()), ':')
			if b, err = appendDoc(b, v.MapIndex(k)); err != nil {
				return nil, err
			}
		}
		return append(b, '}'), nil
	case reflect.Pointer:
		if v.IsNil() {
			return append(b, "null"...), nil
		}
		return appendDoc(b, v.Elem())
	}
	return nil, fmt.Errorf("postgres: cannot store a value of type %s", v.Type())
}

// appendString appends s as a JSON string. Invalid UTF-8 is written as U+FFFD (the stores
// refuse it before they encode).
func appendString(b []byte, s string) []byte {
	const hex = "0123456789abcdef"
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c >= 0x20 && c != '"' && c != '\\' && c < utf8.RuneSelf {
			i++
			continue
		}
		if c < utf8.RuneSelf {
			b = append(b, s[start:i]...)
			switch c {
			case '"', '\\':
				b = append(b, '\\', c)
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			default:
				b = append(b, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xf])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b = append(b, s[start:i]...)
			b = append(b, `\ufffd`...)
			i++
			start = i
			continue
		}
		i += size
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}

// appendDocTime writes t for a document.
func appendDocTime(b []byte, t time.Time) []byte {
	t = t.UTC()
	if y := t.Year(); y < 0 || y > 9999 {
		return fmt.Appendf(b, "@%d.%09d", t.Unix(), t.Nanosecond())
	}
	return t.AppendFormat(b, time.RFC3339Nano)
}

// formatDocTime writes t for a document.
func formatDocTime(t time.Time) string { return string(appendDocTime(nil, t)) }

// parseDocTime reads a time formatDocTime wrote, in UTC.
func parseDocTime(s string) (time.Time, error) {
	if rest, ok := strings.CutPrefix(s, "@"); ok {
		secs, nanos, _ := strings.Cut(rest, ".")
		sec, err1 := strconv.ParseInt(secs, 10, 64)
		nsec, err2 := strconv.ParseInt(nanos, 10, 64)
		if err1 != nil || err2 != nil || nsec < 0 || nsec > 999_999_999 {
			return time.Time{}, fmt.Errorf("postgres: decoding the time %q", s)
		}
		return time.Unix(sec, nsec).UTC(), nil
	}
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return time.Time{}, fmt.Errorf("postgres: decoding a time: %w", err)
	}
	return t.UTC(), nil
}

// decodeDoc fills *dst (a pointer to a struct) from a document encodeDoc wrote. Fields the
// document leaves out are set to their zero values; keys naming no field are ignored.
func decodeDoc(doc []byte, dst any) error {
	d := docDecoder{b: doc}
	if err := d.value(reflect.ValueOf(dst).Elem(), 0); err != nil {
		return fmt.Errorf("postgres: decoding a document: %w", err)
	}
	d.space()
	if d.i != len(d.b) {
		return errors.New("postgres: decoding a document: data after the value")
	}
	return nil
}

// docDecoder parses JSON straight into Go values.
type docDecoder struct {
	b   []byte
	i   int
	tmp []byte
}

// maxDocDepth bounds nesting, so a hostile document cannot exhaust the stack.
const maxDocDepth = 100

var errSyntax = errors.New("invalid JSON")

func (d *docDecoder) space() {
	for d.i < len(d.b) {
		switch d.b[d.i] {
		case ' ', '\t', '\n', '\r':
			d.i++
		default:
			return
		}
	}
}

// literal consumes word (null, true, false).
func (d *docDecoder) literal(word string) error {
	if d.i+len(word) > len(d.b) || string(d.b[d.i:d.i+len(word)]) != word {
		return errSyntax
	}
	d.i += len(word)
	return nil
}

// value decodes the next value into v.
func (d *docDecoder) value(v reflect.Value, depth int) error {
	if depth > maxDocDepth {
		return errors.New("document nested too deeply")
	}
	d.space()
	if d.i >= len(d.b) {
		return errSyntax
	}
	if v.Kind() == reflect.Pointer && d.b[d.i] != 'n' {
		p := reflect.New(v.Type().Elem())
		if err := d.value(p.Elem(), depth+1); err != nil {
			return err
		}
		v.Set(p)
		return nil
	}
	bad := func(what string) error { return fmt.Errorf("a document holds %s for a %s", what, v.Type()) }
	switch c := d.b[d.i]; {
	case c == 'n':
		if err := d.literal("null"); err != nil {
			return err
		}
		v.SetZero()
		return nil
	case c == 't' || c == 'f':
		word := "true"
		if c == 'f' {
			word = "false"
		}
		if err := d.literal(word); err != nil {
			return err
		}
		if v.Kind() != reflect.Bool {
			return bad("a boolean")
		}
		v.SetBool(c == 't')
		return nil
	case c == '"':
		s, err := d.str()
		if err != nil {
			return err
		}
		switch {
		case v.Type() == decimalType:
			return setDocDecimal(v, s)
		case v.Type() == timeType:
			t, err := parseDocTime(s)
			if err != nil {
				return err
			}
			v.Set(reflect.ValueOf(t))
		case v.Kind() == reflect.String:
			v.SetString(s)
		case v.Kind() == reflect.Float32 || v.Kind() == reflect.Float64:
			f, err := strconv.ParseFloat(s, v.Type().Bits())
			if err != nil && !math.IsInf(f, 0) {
				return fmt.Errorf("decoding a %s: %w", v.Type(), err)
			}
			v.SetFloat(f)
		default:
			return bad("a string")
		}
		return nil
	case c == '{':
		return d.object(v, depth)
	case c == '[':
		return d.array(v, depth)
	case c == '-' || (c >= '0' && c <= '9'):
		start := d.i
		for d.i < len(d.b) && strings.IndexByte("+-.eE0123456789", d.b[d.i]) >= 0 {
			d.i++
		}
		tok := string(d.b[start:d.i])
		switch v.Kind() {
		case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
			n, err := strconv.ParseInt(tok, 10, v.Type().Bits())
			if err != nil {
				return fmt.Errorf("decoding a %s: %w", v.Type(), err)
			}
			v.SetInt(n)
		case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
			n, err := strconv.ParseUint(tok, 10, v.Type().Bits())
			if err != nil {
				return fmt.Errorf("decoding a %s: %w", v.Type(), err)
			}
			v.SetUint(n)
		default:
			return bad("a number")
		}
		return nil
	}
	return errSyntax
}

// object decodes an object into a struct or a map with string keys.
func (d *docDecoder) object(v reflect.Value, depth int) error {
	var plan *structPlan
	switch {
	case v.Kind() == reflect.Struct && v.Type() != timeType:
		plan = planOf(v.Type())
		v.SetZero()
	case v.Kind() == reflect.Map && v.Type().Key().Kind() == reflect.String:
		v.Set(reflect.MakeMap(v.Type()))
	default:
		return fmt.Errorf("a document holds an object for a %s", v.Type())
	}
	d.i++ // {
	d.space()
	if d.i < len(d.b) && d.b[d.i] == '}' {
		d.i++
		return nil
	}
	for {
		d.space()
		if d.i >= len(d.b) || d.b[d.i] != '"' {
			return errSyntax
		}
		key, err := d.str()
		if err != nil {
			return err
		}
		d.space()
		if d.i >= len(d.b) || d.b[d.i] != ':' {
			return errSyntax
		}
		d.i++
		if plan != nil {
			if k, ok := plan.byName[key]; ok {
				f := plan.fields[k]
				if err := d.value(v.Field(f.index), depth+1); err != nil {
					return fmt.Errorf("%s: %w", f.name, err)
				}
			} else if err := d.skip(depth + 1); err != nil {
				return err
			}
		} else {
			ev := reflect.New(v.Type().Elem()).Elem()
			if err := d.value(ev, depth+1); err != nil {
				return err
			}
			v.SetMapIndex(reflect.ValueOf(key).Convert(v.Type().Key()), ev)
		}
		d.space()
		if d.i >= len(d.b) {
			return errSyntax
		}
		switch d.b[d.i] {
		case ',':
			d.i++
		case '}':
			d.i++
			return nil
		default:
			return errSyntax
		}
	}
}

// array decodes an array into a slice or an array.
func (d *docDecoder) array(v reflect.Value, depth int) error {
	switch v.Kind() {
	case reflect.Slice, reflect.Array:
	default:
		return fmt.Errorf("a document holds an array for a %s", v.Type())
	}
	d.i++ // [
	n := 0
	if v.Kind() == reflect.Slice {
		v.Set(reflect.MakeSlice(v.Type(), 0, 4))
	}
	d.space()
	if d.i < len(d.b) && d.b[d.i] == ']' {
		d.i++
		if v.Kind() == reflect.Array && v.Len() != 0 {
			return fmt.Errorf("a document holds 0 elements for a %s", v.Type())
		}
		return nil
	}
	for {
		if v.Kind() == reflect.Slice {
			v.Set(reflect.Append(v, reflect.New(v.Type().Elem()).Elem()))
		} else if n >= v.Len() {
			return fmt.Errorf("a document holds too many elements for a %s", v.Type())
		}
		if err := d.value(v.Index(n), depth+1); err != nil {
			return err
		}
		n++
		d.space()
		if d.i >= len(d.b) {
			return errSyntax
		}
		switch d.b[d.i] {
		case ',':
			d.i++
		case ']':
			d.i++
			if v.Kind() == reflect.Array && n != v.Len() {
				return fmt.Errorf("a document holds %d elements for a %s", n, v.Type())
			}
			return nil
		default:
			return errSyntax
		}
	}
}

// skip consumes the next value, of any kind, without storing it.
func (d *docDecoder) skip(depth int) error {
	if depth > maxDocDepth {
		return errors.New("document nested too deeply")
	}
	d.space()
	if d.i >= len(d.b) {
		return errSyntax
	}
	switch c := d.b[d.i]; {
	case c == 'n':
		return d.literal("null")
	case c == 't':
		return d.literal("true")
	case c == 'f':
		return d.literal("false")
	case c == '"':
		_, err := d.str()
		return err
	case c == '-' || (c >= '0' && c <= '9'):
		for d.i < len(d.b) && strings.IndexByte("+-.eE0123456789", d.b[d.i]) >= 0 {
			d.i++
		}
		return nil
	case c == '{' || c == '[':
		closer := byte('}')
		if c == '[' {
			closer = ']'
		}
		d.i++
		d.space()
		if d.i < len(d.b) && d.b[d.i] == closer {
			d.i++
			return nil
		}
		for {
			if c == '{' {
				d.space()
				if d.i >= len(d.b) || d.b[d.i] != '"' {
					return errSyntax
				}
				if _, err := d.str(); err != nil {
					return err
				}
				d.space()
				if d.i >= len(d.b) || d.b[d.i] != ':' {
					return errSyntax
				}
				d.i++
			}
			if err := d.skip(depth + 1); err != nil {
				return err
			}
			d.space()
			if d.i >= len(d.b) {
				return errSyntax
			}
			switch d.b[d.i] {
			case ',':
				d.i++
			case closer:
				d.i++
				return nil
			default:
				return errSyntax
			}
		}
	}
	return errSyntax
}

// str consumes a JSON string and returns its value.
func (d *docDecoder) str() (string, error) {
	d.i++ // "
	start := d.i
	for d.i < len(d.b) {
		c := d.b[d.i]
		if c == '"' {
			raw := d.b[start:d.i]
			if !utf8.Valid(raw) {
				return "", errors.New("a document string is not valid UTF-8")
			}
			d.i++
			return string(raw), nil
		}
		if c == '\\' || c < 0x20 {
			break
		}
		d.i++
	}
	// Slow path: escapes.
	d.tmp = append(d.tmp[:0], d.b[start:d.i]...)
	for d.i < len(d.b) {
		c := d.b[d.i]
		switch {
		case c == '"':
			d.i++
			if !utf8.Valid(d.tmp) {
				return "", errors.New("a document string is not valid UTF-8")
			}
			return string(d.tmp), nil
		case c < 0x20:
			return "", errSyntax
		case c != '\\':
			d.tmp = append(d.tmp, c)
			d.i++
			continue
		}
		if d.i+1 >= len(d.b) {
			return "", errSyntax
		}
		e := d.b[d.i+1]
		d.i += 2
		switch e {
		case '"', '\\', '/':
			d.tmp = append(d.tmp, e)
		case 'b':
			d.tmp = append(d.tmp, '\b')
		case 'f':
			d.tmp = append(d.tmp, '\f')
		case 'n':
			d.tmp = append(d.tmp, '\n')
		case 'r':
			d.tmp = append(d.tmp, '\r')
		case 't':
			d.tmp = append(d.tmp, '\t')
		case 'u':
			r, ok := d.hex4()
			if !ok {
				return "", errSyntax
			}
			if utf16.IsSurrogate(r) {
				r2 := utf8.RuneError
				if d.i+1 < len(d.b) && d.b[d.i] == '\\' && d.b[d.i+1] == 'u' {
					save := d.i
					d.i += 2
					if lo, ok := d.hex4(); ok && utf16.DecodeRune(r, lo) != utf8.RuneError {
						r2 = utf16.DecodeRune(r, lo)
					} else {
						d.i = save
					}
				}
				r = r2
			}
			d.tmp = utf8.AppendRune(d.tmp, r)
		default:
			return "", errSyntax
		}
	}
	return "", errSyntax
}

// hex4 reads four hex digits.
func (d *docDecoder) hex4() (rune, bool) {
	if d.i+4 > len(d.b) {
		return 0, false
	}
	n, err := strconv.ParseUint(string(d.b[d.i:d.i+4]), 16, 32)
	if err != nil {
		return 0, false
	}
	d.i += 4
	return rune(n), true
}
