package postgres

import (
	"reflect"
	"time"
)

// storableValue reports whether PostgreSQL can store everything inside v, as checkStorable
// judges it, without naming anything: it builds no field names, so an item of thousands of
// ballots is checked in a fraction of what checkStorable takes, and checkStorable runs only
// to name the fields of a value this refuses.
func storableValue(v reflect.Value) bool {
	switch {
	case !v.IsValid():
		return true
	case v.Type() == timeType:
		t := v.Interface().(time.Time)
		return t.IsZero() || !(t.Before(minTime) || t.After(maxTime))
	case v.Type() == decimalType:
		return true
	}
	switch v.Kind() {
	case reflect.String:
		return storableString(v.String())
	case reflect.Struct:
		for i := range v.NumField() {
			if v.Type().Field(i).IsExported() && !storableValue(v.Field(i)) {
				return false
			}
		}
	case reflect.Slice, reflect.Array:
		for i := range v.Len() {
			if !storableValue(v.Index(i)) {
				return false
			}
		}
	case reflect.Map:
		iter := v.MapRange()
		for iter.Next() {
			if !storableValue(iter.Key()) || !storableValue(iter.Value()) {
				return false
			}
		}
	case reflect.Pointer, reflect.Interface:
		if !v.IsNil() {
			return storableValue(v.Elem())
		}
	}
	return true
}
