package postgres

import (
	"reflect"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gridgov/gridgov"
	"github.com/gridgov/gridgov/evaluation"
)

// allStorable agrees with checkStorable: on a cycle with every field set, and with each of
// its strings and times in turn made unstorable (a NUL byte, invalid UTF-8, a time outside
// timestamptz's range), checkCycle names exactly the field that checkStorable names.
func TestAllStorableAgrees(t *testing.T) {
	var c evaluation.Cycle
	n := 0
	fillDec(reflect.ValueOf(&c).Elem(), &n)
	ev := evaluation.CycleEvent{CycleID: "y1", Step: evaluation.StepOpen, At: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}
	require.True(t, allStorable(reflect.ValueOf(&c).Elem()))
	require.True(t, allStorable(reflect.ValueOf(c)), "unaddressable values too")

	var leaves []reflect.Value
	var collect func(v reflect.Value)
	collect = func(v reflect.Value) {
		switch {
		case v.Type() == timeType || v.Kind() == reflect.String:
			leaves = append(leaves, v)
		case v.Type() == decimalType:
		case v.Kind() == reflect.Struct:
			for i := range v.NumField() {
				if v.Type().Field(i).IsExported() {
					collect(v.Field(i))
				}
			}
		case v.Kind() == reflect.Slice:
			for i := range v.Len() {
				collect(v.Index(i))
			}
		case v.Kind() == reflect.Pointer:
			if !v.IsNil() {
				collect(v.Elem())
			}
		}
	}
	collect(reflect.ValueOf(&c).Elem())
	require.Greater(t, len(leaves), 50)
	for i, leaf := range leaves {
		saved := reflect.ValueOf(leaf.Interface())
		bads := []any{"nul\x00", "bad\xff"}
		if leaf.Type() == timeType {
			bads = []any{time.Date(300000, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(-5000, 1, 1, 0, 0, 0, 0, time.UTC)}
		}
		for _, bad := range bads {
			leaf.Set(reflect.ValueOf(bad).Convert(leaf.Type()))
			assert.False(t, allStorable(reflect.ValueOf(&c).Elem()), "leaf %d", i)
			want, got := &gridgov.ValidationError{}, &gridgov.ValidationError{}
			checkStorable(want, "", c)
			checkCycle(got, c, ev)
			require.Len(t, want.FieldNames(), 1, "leaf %d", i)
			assert.Equal(t, want.FieldNames(), got.FieldNames(), "leaf %d", i)
		}
		leaf.Set(saved)
	}
	ok := &gridgov.ValidationError{}
	checkCycle(ok, c, ev)
	require.NoError(t, ok.Err())

	// The event, maps and interfaces follow the same rules.
	ev.Note = "\x00"
	bad := &gridgov.ValidationError{}
	checkCycle(bad, c, ev)
	assert.Equal(t, []string{"Event.Note"}, bad.FieldNames())
	nul := "\x00"
	for _, v := range []any{
		map[string]string{"k\x00": "v"}, map[string]string{"k": "\xff"}, []any{"fine", "\x00"},
		struct{ P *string }{P: &nul}, [2]time.Time{{}, time.Date(300000, 1, 1, 0, 0, 0, 0, time.UTC)},
	} {
		assert.False(t, allStorable(reflect.ValueOf(v)), "%#v", v)
		verr := &gridgov.ValidationError{}
		checkStorable(verr, "", v)
		assert.Error(t, verr.Err(), "%#v", v)
	}
	assert.True(t, allStorable(reflect.ValueOf(map[string]any{"k": "v", "n": nil})))
}
