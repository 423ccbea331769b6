package postgres

import (
	"reflect"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gridgov/gridgov"
	"github.com/gridgov/gridgov/governance/deliberation"
)

// Decimals go into documents as exact strings, keep their coefficient and exponent, and
// read back; the zero value is left out like any zero field.
func TestDocDecimalInDocuments(t *testing.T) {
	type sample struct {
		D  decimal.Decimal
		Ds []decimal.Decimal
		P  *decimal.Decimal
	}
	p := decimal.RequireFromString("-0.005")
	for _, tc := range []struct {
		in   decimal.Decimal
		want string
	}{
		{decimal.RequireFromString("6800.00"), `"6800.00"`},
		{decimal.RequireFromString("-0.30"), `"-0.30"`},
		{decimal.New(0, -2), `"0.00"`},
		{decimal.New(42, 0), `"42"`},
		{decimal.New(5, 3), `"5e3"`},
		{decimal.New(-7, -80), `"-7e-80"`},
		{decimal.RequireFromString("123456789012345678901234567890.123456789"), `"123456789012345678901234567890.123456789"`},
	} {
		in := sample{D: tc.in, Ds: []decimal.Decimal{tc.in, {}}, P: &p}
		doc, err := encodeDoc(in)
		require.NoError(t, err)
		assert.Contains(t, string(doc), `"D":`+tc.want, tc.in.String())
		var out sample
		require.NoError(t, decodeDoc(doc, &out))
		for _, got := range []decimal.Decimal{out.D, out.Ds[0]} {
			assert.Equal(t, tc.in.Coefficient().String(), got.Coefficient().String(), tc.want)
			assert.Equal(t, tc.in.Exponent(), got.Exponent(), tc.want)
		}
		assert.True(t, out.Ds[1].IsZero())
		require.NotNil(t, out.P)
		assert.True(t, p.Equal(*out.P))
	}
	doc, err := encodeDoc(sample{})
	require.NoError(t, err)
	assert.Equal(t, `{}`, string(doc), "a zero decimal is left out")

	var out sample
	for _, bad := range []string{`{"D":"six"}`, `{"D":12}`, `{"D":"1e"}`, `{"Ds":["1",true]}`} {
		require.Error(t, decodeDoc([]byte(bad), &out), bad)
	}
}

// fillAll sets every field reachable from v (decimals, pointers and maps included) to a
// value other than its zero value.
func fillAll(v reflect.Value, n *int) {
	*n++
	switch {
	case v.Type() == timeType:
		v.Set(reflect.ValueOf(time.Date(2024, 1, 1, 0, 0, 0, *n, time.FixedZone("CST", 8*3600)).Add(time.Duration(*n) * time.Hour)))
	case v.Type() == decimalType:
		v.Set(reflect.ValueOf(decimal.New(int64(*n)*100+1, -2)))
	case v.Kind() == reflect.Struct:
		for i := range v.NumField() {
			if v.Type().Field(i).IsExported() {
				fillAll(v.Field(i), n)
			}
		}
	case v.Kind() == reflect.String:
		v.SetString("值" + string(rune('a'+*n%26)))
	case v.CanInt():
		v.SetInt(int64(*n))
	case v.CanUint():
		v.SetUint(uint64(*n))
	case v.Kind() == reflect.Bool:
		v.SetBool(true)
	case v.Kind() == reflect.Slice:
		s := reflect.MakeSlice(v.Type(), 2, 2)
		fillAll(s.Index(0), n)
		fillAll(s.Index(1), n)
		v.Set(s)
	case v.Kind() == reflect.Pointer:
		p := reflect.New(v.Type().Elem())
		fillAll(p.Elem(), n)
		v.Set(p)
	case v.Kind() == reflect.Map:
		m := reflect.MakeMap(v.Type())
		k, e := reflect.New(v.Type().Key()).Elem(), reflect.New(v.Type().Elem()).Elem()
		fillAll(k, n)
		fillAll(e, n)
		m.SetMapIndex(k, e)
		v.Set(m)
	}
}

// Every field of an item, found by reflection, survives the document codec (times as the
// same instant, decimals with the same coefficient and exponent): a field added to
// deliberation.Item is stored without code written for it.
func TestDocItemEveryField(t *testing.T) {
	var it deliberation.Item
	n := 0
	fillAll(reflect.ValueOf(&it).Elem(), &n)
	doc, err := encodeDoc(it)
	require.NoError(t, err)
	var out deliberation.Item
	require.NoError(t, decodeDoc(doc, &out))
	assert.Equal(t, utc(reflect.ValueOf(it)).Interface(), utc(reflect.ValueOf(out)).Interface())
}

// The event and disclosure columns cover every field of deliberation.Event and
// deliberation.Disclosure: a field added to either fails here until it has a column (a new
// migration) and its place in delibEventArgs and the scans.
func TestDelibEventColumns(t *testing.T) {
	fields := func(typ reflect.Type) []string {
		var out []string
		for i := range typ.NumField() {
			out = append(out, typ.Field(i).Name)
		}
		return out
	}
	assert.Equal(t, []string{"ItemID", "Version", "Kind", "From", "To", "Actor", "At", "Note", "Disclosure"},
		fields(reflect.TypeFor[deliberation.Event]()))
	assert.Equal(t, []string{"ItemID", "Version", "NodeID", "Kind", "Subject", "Channel", "Date", "Summary",
		"Requester", "RequestedAt", "RecordedBy"}, fields(reflect.TypeFor[deliberation.Disclosure]()))
	assert.Len(t, delibEventArgs(deliberation.Event{}), 21, "8 event columns, the flag, 12 disclosure columns")
}

// allStorable accepts exactly what checkStorable accepts, wherever the bad value is.
func TestAllStorableAgreesOnItems(t *testing.T) {
	agree := func(name string, v any) {
		t.Helper()
		verr := &gridgov.ValidationError{}
		checkStorable(verr, "", v)
		assert.Equal(t, verr.Err() == nil, allStorable(reflect.ValueOf(v)), name)
	}
	var it deliberation.Item
	n := 0
	fillAll(reflect.ValueOf(&it).Elem(), &n)
	agree("a filled item", it)
	agree("the zero item", deliberation.Item{})
	far := time.Date(300000, 1, 1, 0, 0, 0, 0, time.UTC)
	for name, spoil := range map[string]func(it *deliberation.Item){
		"Title NUL":             func(it *deliberation.Item) { it.Title = "a\x00" },
		"Path[1] UTF-8":         func(it *deliberation.Item) { it.Path[1] = "\xff" },
		"ballot voter":          func(it *deliberation.Item) { it.Vote.Ballots[1].VoterID = "\x00" },
		"co-owner":              func(it *deliberation.Item) { it.Vote.Roll.Households[0].CoOwners[1] = "\xc3" },
		"objection time":        func(it *deliberation.Item) { it.Notices[1].Objections[0].AnsweredAt = far },
		"ancient time":          func(it *deliberation.Item) { it.CreatedAt = time.Date(-5000, 1, 1, 0, 0, 0, 0, time.UTC) },
		"rule name":             func(it *deliberation.Item) { it.Vote.Rule.Matters[1].Matter = "\x00" },
		"tally explanation":     func(it *deliberation.Item) { it.Vote.Tally.ExplanationZH = "\xe4\xb8" },
		"split share household": func(it *deliberation.Item) { it.Implementation.Split.Shares[1].HouseholdID = "\x00" },
	} {
		bad := it.Clone()
		spoil(&bad)
		agree(name, bad)
		require.False(t, allStorable(reflect.ValueOf(bad)), name)
	}
	agree("map key", map[string]int{"\xff": 1})
	agree("map value", map[string]string{"k": "\x00"})
	agree("pointer", struct{ P *deliberation.Disclosure }{&deliberation.Disclosure{Summary: "\x00"}})
	agree("nil pointer", struct{ P *deliberation.Disclosure }{})
	agree("decimal", struct{ D decimal.Decimal }{decimal.New(1, 100)})
}

// FuzzAllStorable: for any string and time, allStorable and checkStorable agree.
func FuzzAllStorable(f *testing.F) {
	f.Add("ok", int64(0))
	f.Add("nul\x00", int64(1_700_000_000))
	f.Add("\xff", int64(-300_000_000_000))
	f.Add("文本", int64(9_300_000_000_000))
	f.Fuzz(func(t *testing.T, s string, sec int64) {
		v := deliberation.Event{Note: s, At: time.Unix(sec, 0), Disclosure: &deliberation.Disclosure{Summary: s}}
		verr := &gridgov.ValidationError{}
		checkStorable(verr, "", v)
		require.Equal(t, verr.Err() == nil, allStorable(reflect.ValueOf(v)))
	})
}
