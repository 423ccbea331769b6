package postgres

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"reflect"
	"strconv"
	"strings"
	"time"
)

// The document codec turns a Go value into a jsonb document and back, by reflection, so
// that every exported field of a type is stored without code written for it (a field added
// to escalation.Complaint is stored with no change here and no migration):
//
//   - a struct is an object keyed by field name; fields holding their zero value are left
//     out, which keeps documents small and reads old documents into new types;
//   - strings are stored as they are: the raw value, not a String or MarshalJSON method's
//     (personal data such as gridgov.PersonName masks itself in both);
//   - a time.Time is an RFC 3339 string in UTC with nanoseconds (a year outside 0–9999,
//     which RFC 3339 cannot write, is "@seconds.nanoseconds" since the Unix epoch);
//   - integers are JSON numbers (jsonb keeps them exactly), floats are strings (so NaN and
//     infinities survive), slices are arrays and maps with string keys are objects.
//
// Channels, functions and interfaces are not supported: encodeDoc returns an error.

// encodeDoc returns the document for v.
func encodeDoc(v any) ([]byte, error) {
	tree, err := docValue(reflect.ValueOf(v))
	if err != nil {
		return nil, err
	}
	return json.Marshal(tree)
}

// docValue returns the JSON tree of v.
func docValue(v reflect.Value) (any, error) {
	if v.Type() == timeType {
		return formatDocTime(v.Interface().(time.Time)), nil
	}
	switch v.Kind() {
	case reflect.Struct:
		obj := make(map[string]any, v.NumField())
		for i := range v.NumField() {
			f := v.Type().Field(i)
			if !f.IsExported() || v.Field(i).IsZero() {
				continue
			}
			val, err := docValue(v.Field(i))
			if err != nil {
				return nil, fmt.Errorf("%s: %w", f.Name, err)
			}
			obj[f.Name] = val
		}
		return obj, nil
	case reflect.String:
		return v.String(), nil
	case reflect.Bool:
		return v.Bool(), nil
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return json.Number(strconv.FormatInt(v.Int(), 10)), nil
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		return json.Number(strconv.FormatUint(v.Uint(), 10)), nil
	case reflect.Float32, reflect.Float64:
		return strconv.FormatFloat(v.Float(), 'g', -1, v.Type().Bits()), nil
	case reflect.Slice, reflect.Array:
		if v.Kind() == reflect.Slice && v.IsNil() {
			return nil, nil
		}
		arr := make([]any, v.Len())
		for i := range v.Len() {
			val, err := docValue(v.Index(i))
			if err != nil {
				return nil, err
			}
			arr[i] = val
		}
		return arr, nil
	case reflect.Map:
		if v.Type().Key().Kind() != reflect.String {
			return nil, fmt.Errorf("postgres: cannot store a map keyed by %s", v.Type().Key())
		}
		if v.IsNil() {
			return nil, nil
		}
		obj := make(map[string]any, v.Len())
		iter := v.MapRange()
		for iter.Next() {
			val, err := docValue(iter.Value())
			if err != nil {
				return nil, err
			}
			obj[iter.Key().String()] = val
		}
		return obj, nil
	case reflect.Pointer:
		if v.IsNil() {
			return nil, nil
		}
		return docValue(v.Elem())
	}
	return nil, fmt.Errorf("postgres: cannot store a value of type %s", v.Type())
}

// decodeDoc fills *dst (a pointer to a struct) from a document encodeDoc wrote. Fields the
// document leaves out keep their zero values; keys naming no field are ignored.
func decodeDoc(doc []byte, dst any) error {
	dec := json.NewDecoder(bytes.NewReader(doc))
	dec.UseNumber()
	var tree any
	if err := dec.Decode(&tree); err != nil {
		return fmt.Errorf("postgres: decoding a document: %w", err)
	}
	return setDoc(reflect.ValueOf(dst).Elem(), tree)
}

// setDoc sets v from the JSON tree val.
func setDoc(v reflect.Value, val any) error {
	if val == nil {
		v.SetZero()
		return nil
	}
	bad := func() error { return fmt.Errorf("postgres: a document holds %T for a %s", val, v.Type()) }
	if v.Type() == timeType {
		s, ok := val.(string)
		if !ok {
			return bad()
		}
		t, err := parseDocTime(s)
		if err != nil {
			return err
		}
		v.Set(reflect.ValueOf(t))
		return nil
	}
	switch v.Kind() {
	case reflect.Struct:
		obj, ok := val.(map[string]any)
		if !ok {
			return bad()
		}
		for i := range v.NumField() {
			f := v.Type().Field(i)
			if !f.IsExported() {
				continue
			}
			if fv, ok := obj[f.Name]; ok {
				if err := setDoc(v.Field(i), fv); err != nil {
					return fmt.Errorf("%s: %w", f.Name, err)
				}
			} else {
				v.Field(i).SetZero()
			}
		}
	case reflect.String:
		s, ok := val.(string)
		if !ok {
			return bad()
		}
		v.SetString(s)
	case reflect.Bool:
		b, ok := val.(bool)
		if !ok {
			return bad()
		}
		v.SetBool(b)
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		n, ok := val.(json.Number)
		if !ok {
			return bad()
		}
		i, err := strconv.ParseInt(string(n), 10, v.Type().Bits())
		if err != nil {
			return fmt.Errorf("postgres: decoding a %s: %w", v.Type(), err)
		}
		v.SetInt(i)
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		n, ok := val.(json.Number)
		if !ok {
			return bad()
		}
		u, err := strconv.ParseUint(string(n), 10, v.Type().Bits())
		if err != nil {
			return fmt.Errorf("postgres: decoding a %s: %w", v.Type(), err)
		}
		v.SetUint(u)
	case reflect.Float32, reflect.Float64:
		s, ok := val.(string)
		if !ok {
			return bad()
		}
		f, err := strconv.ParseFloat(s, v.Type().Bits())
		if err != nil && !math.IsInf(f, 0) {
			return fmt.Errorf("postgres: decoding a %s: %w", v.Type(), err)
		}
		v.SetFloat(f)
	case reflect.Slice, reflect.Array:
		arr, ok := val.([]any)
		if !ok {
			return bad()
		}
		if v.Kind() == reflect.Array {
			if len(arr) != v.Len() {
				return bad()
			}
		} else {
			v.Set(reflect.MakeSlice(v.Type(), len(arr), len(arr)))
		}
		for i, e := range arr {
			if err := setDoc(v.Index(i), e); err != nil {
				return err
			}
		}
	case reflect.Map:
		obj, ok := val.(map[string]any)
		if !ok || v.Type().Key().Kind() != reflect.String {
			return bad()
		}
		m := reflect.MakeMapWithSize(v.Type(), len(obj))
		for k, e := range obj {
			ev := reflect.New(v.Type().Elem()).Elem()
			if err := setDoc(ev, e); err != nil {
				return err
			}
			m.SetMapIndex(reflect.ValueOf(k).Convert(v.Type().Key()), ev)
		}
		v.Set(m)
	case reflect.Pointer:
		p := reflect.New(v.Type().Elem())
		if err := setDoc(p.Elem(), val); err != nil {
			return err
		}
		v.Set(p)
	default:
		return bad()
	}
	return nil
}

// formatDocTime writes t for a document.
func formatDocTime(t time.Time) string {
	t = t.UTC()
	if y := t.Year(); y < 0 || y > 9999 {
		return fmt.Sprintf("@%d.%09d", t.Unix(), t.Nanosecond())
	}
	return t.Format(time.RFC3339Nano)
}

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
