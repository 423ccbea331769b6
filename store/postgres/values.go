package postgres

import (
	"errors"
	"fmt"
	"reflect"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/jackc/pgx/v5/pgtype"
	"github.com/shopspring/decimal"

	"github.com/gridgov/gridgov"
)

// Times are stored as a timestamptz, which keeps microseconds, and a smallint with the
// nanoseconds below the microsecond, so that a time.Time comes back as the same instant
// (in UTC). Optional times store the zero time as NULL; range columns store it as the
// instant it is (0001-01-01 00:00:00 UTC).

// optTime returns the arguments storing t in an optional time column: NULL for the zero time.
func optTime(t time.Time) (any, int16) {
	if t.IsZero() {
		return nil, 0
	}
	return t, subMicro(t)
}

// subMicro returns t's nanoseconds below the microsecond.
func subMicro(t time.Time) int16 { return int16(t.Nanosecond() % 1000) }

// joinTime rebuilds a time from its columns (the zero time for NULL), in UTC.
func joinTime(at pgtype.Timestamptz, ns int16) time.Time {
	if !at.Valid {
		return time.Time{}
	}
	return at.Time.Add(time.Duration(ns)).UTC()
}

// The range of timestamptz: 4713 BC to 294276 AD. Go times outside it (which Go allows)
// are refused with gridgov.ErrInvalid instead of being sent.
var (
	minTime = time.Date(-4712, time.January, 2, 0, 0, 0, 0, time.UTC)
	maxTime = time.Date(294276, time.December, 30, 0, 0, 0, 0, time.UTC)
)

// num is a decimal sent as NUMERIC: exactly, as its coefficient and exponent.
type num decimal.Decimal

// NumericValue implements pgtype.NumericValuer.
func (n num) NumericValue() (pgtype.Numeric, error) {
	d := decimal.Decimal(n)
	return pgtype.Numeric{Int: d.Coefficient(), Exp: d.Exponent(), Valid: true}, nil
}

// numeric returns the decimal a NUMERIC column holds.
func numeric(n pgtype.Numeric) (decimal.Decimal, error) {
	if !n.Valid || n.NaN || n.InfinityModifier != pgtype.Finite || n.Int == nil {
		return decimal.Decimal{}, errors.New("postgres: a numeric column holds NULL, NaN or infinity")
	}
	return decimal.NewFromBigInt(n.Int, n.Exp), nil
}

var timeType = reflect.TypeFor[time.Time]()

// checkStorable records on verr every value inside v that PostgreSQL cannot store: strings
// with a NUL byte or invalid UTF-8 (text and jsonb refuse them) and times outside
// timestamptz's range. Each is named by its path under field (for example
// "Reporter.Name" or "Summons[1].OrgID"); v is walked by reflection, so fields added to a
// type are checked too.
func checkStorable(verr *gridgov.ValidationError, field string, v any) {
	checkValue(verr, field, reflect.ValueOf(v))
}

func checkValue(verr *gridgov.ValidationError, field string, v reflect.Value) {
	switch {
	case !v.IsValid():
	case v.Type() == timeType:
		t := v.Interface().(time.Time)
		if !t.IsZero() && (t.Before(minTime) || t.After(maxTime)) {
			verr.Add(field, "time_range",
				fmt.Sprintf("%s is outside the range the database can store (4713 BC to 294276 AD)", field),
				fmt.Sprintf("%s超出数据库可存储的时间范围（公元前4713年至公元294276年）", field))
		}
	case v.Kind() == reflect.String:
		checkString(verr, field, v.String())
	case v.Kind() == reflect.Struct:
		if v.Type() == reflect.TypeFor[decimal.Decimal]() {
			return
		}
		for i := range v.NumField() {
			f := v.Type().Field(i)
			if f.IsExported() {
				checkValue(verr, join(field, f.Name), v.Field(i))
			}
		}
	case v.Kind() == reflect.Slice || v.Kind() == reflect.Array:
		for i := range v.Len() {
			checkValue(verr, fmt.Sprintf("%s[%d]", field, i), v.Index(i))
		}
	case v.Kind() == reflect.Map:
		iter := v.MapRange()
		for iter.Next() {
			k := iter.Key()
			name := fmt.Sprintf("%s[%v]", field, k.Interface())
			if k.Kind() == reflect.String && !storableString(k.String()) {
				name = fmt.Sprintf("%s[%q]", field, k.String())
			}
			checkValue(verr, name, k)
			checkValue(verr, name, iter.Value())
		}
	case v.Kind() == reflect.Pointer || v.Kind() == reflect.Interface:
		if !v.IsNil() {
			checkValue(verr, field, v.Elem())
		}
	}
}

// join names a field of a struct at path.
func join(path, name string) string {
	if path == "" {
		return name
	}
	return path + "." + name
}

// checkString records on verr that s cannot be stored in a text column.
func checkString(verr *gridgov.ValidationError, field, s string) {
	switch {
	case strings.IndexByte(s, 0) >= 0:
		verr.Add(field, "no_nul",
			fmt.Sprintf("%s contains a NUL byte, which the database cannot store", field),
			fmt.Sprintf("%s含有数据库无法存储的NUL字符", field))
	case !utf8.ValidString(s):
		verr.Add(field, "utf8",
			fmt.Sprintf("%s is not valid UTF-8 text", field),
			fmt.Sprintf("%s不是有效的UTF-8文本", field))
	}
}

// storableString reports whether s can be stored in a text column.
func storableString(s string) bool {
	return strings.IndexByte(s, 0) < 0 && utf8.ValidString(s)
}

// timestamptz is a time read from its two columns.
type timestamptz struct {
	at pgtype.Timestamptz
	ns int16
}

// time returns the time (the zero time for NULL), in UTC.
func (t timestamptz) time() time.Time { return joinTime(t.at, t.ns) }

// allStorable reports whether checkStorable would find nothing to refuse in v: the same
// walk and the same rules (strings without NUL bytes and in UTF-8, times within
// timestamptz's range), without building every field's path, and without copying values
// out of v when it is addressable.
func allStorable(v reflect.Value) bool {
	switch {
	case !v.IsValid():
		return true
	case v.Type() == timeType:
		var t time.Time
		if v.CanAddr() {
			t = *v.Addr().Interface().(*time.Time)
		} else {
			t = v.Interface().(time.Time)
		}
		return t.IsZero() || !(t.Before(minTime) || t.After(maxTime))
	case v.Kind() == reflect.String:
		return storableString(v.String())
	case v.Type() == decimalType:
		return true
	case v.Kind() == reflect.Struct:
		for i := range v.NumField() {
			if v.Type().Field(i).IsExported() && !allStorable(v.Field(i)) {
				return false
			}
		}
	case v.Kind() == reflect.Slice || v.Kind() == reflect.Array:
		for i := range v.Len() {
			if !allStorable(v.Index(i)) {
				return false
			}
		}
	case v.Kind() == reflect.Map:
		iter := v.MapRange()
		for iter.Next() {
			if !allStorable(iter.Key()) || !allStorable(iter.Value()) {
				return false
			}
		}
	case v.Kind() == reflect.Pointer || v.Kind() == reflect.Interface:
		return v.IsNil() || allStorable(v.Elem())
	}
	return true
}
