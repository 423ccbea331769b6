package storetest

import (
	"math/big"
	"reflect"
	"time"

	"github.com/shopspring/decimal"
)

var (
	timeType    = reflect.TypeFor[time.Time]()
	decimalType = reflect.TypeFor[decimal.Decimal]()
)

// normalised returns a normalised deep copy of v for comparison, for every domain's tests:
// times as UTC instants, decimals in their shortest form (adapters may return another
// scale), empty slices and maps as nil — found by reflection, so new fields are covered too.
func normalised[T any](v T) T {
	out := reflect.New(reflect.TypeOf(&v).Elem()).Elem()
	out.Set(normalisedValue(reflect.ValueOf(&v).Elem()))
	return out.Interface().(T)
}

// normalisedValue returns a normalised deep copy of v.
func normalisedValue(v reflect.Value) reflect.Value {
	out := reflect.New(v.Type()).Elem()
	switch {
	case v.Type() == timeType:
		out.Set(reflect.ValueOf(at(v.Interface().(time.Time))))
	case v.Type() == decimalType:
		out.Set(reflect.ValueOf(canonicalDecimal(v.Interface().(decimal.Decimal))))
	case v.Kind() == reflect.Struct:
		out.Set(v)
		for i := range v.NumField() {
			if v.Type().Field(i).IsExported() {
				out.Field(i).Set(normalisedValue(v.Field(i)))
			}
		}
	case v.Kind() == reflect.Slice:
		if v.Len() == 0 {
			return out
		}
		s := reflect.MakeSlice(v.Type(), v.Len(), v.Len())
		for i := range v.Len() {
			s.Index(i).Set(normalisedValue(v.Index(i)))
		}
		out.Set(s)
	case v.Kind() == reflect.Map:
		if v.Len() == 0 {
			return out
		}
		m := reflect.MakeMapWithSize(v.Type(), v.Len())
		for _, k := range v.MapKeys() {
			m.SetMapIndex(k, normalisedValue(v.MapIndex(k)))
		}
		out.Set(m)
	case v.Kind() == reflect.Pointer:
		if v.IsNil() {
			return out
		}
		p := reflect.New(v.Type().Elem())
		p.Elem().Set(normalisedValue(v.Elem()))
		out.Set(p)
	default:
		out.Set(v)
	}
	return out
}

// canonicalDecimal returns d in its shortest form (no trailing zeros; zero as the zero
// value), so that equal numbers at different scales compare equal.
func canonicalDecimal(d decimal.Decimal) decimal.Decimal {
	if d.IsZero() {
		return decimal.Decimal{}
	}
	coef, exp := d.Coefficient(), d.Exponent()
	ten, q, r := big.NewInt(10), new(big.Int), new(big.Int)
	for {
		q.QuoRem(coef, ten, r)
		if r.Sign() != 0 {
			break
		}
		coef, exp = new(big.Int).Set(q), exp+1
	}
	return decimal.NewFromBigInt(coef, exp)
}
