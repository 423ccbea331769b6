package postgres

import (
	"math"
	"reflect"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgtype"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gridgov/gridgov"
	"github.com/gridgov/gridgov/escalation"
)

// docSample exercises every kind the document codec supports.
type docSample struct {
	S     string
	Name  gridgov.PersonName // masks itself in String and MarshalJSON: stored raw
	B     bool
	I     int
	I8    int8
	I64   int64
	U     uint32
	F     float64
	T     time.Time
	Ts    []time.Time
	Ss    []string
	M     map[string]int
	P     *string
	Inner struct{ A, B string }
	Arr   [2]int
}

func TestDocRoundTrip(t *testing.T) {
	shanghai := time.FixedZone("CST", 8*3600)
	p := "pointer"
	in := docSample{
		S: "文本 \"quoted\" \\ \n", Name: "张三丰", B: true, I: -7, I8: -128, I64: math.MaxInt64, U: math.MaxUint32,
		F: math.Inf(-1), T: time.Date(2024, 3, 1, 9, 30, 0, 123456789, shanghai),
		Ts: []time.Time{{}, time.Date(10000, 1, 1, 0, 0, 0, 1, time.UTC), time.Date(-5, 1, 1, 0, 0, 0, 0, time.UTC)},
		Ss: []string{"", "a"}, M: map[string]int{"k": 1}, P: &p, Arr: [2]int{1, 2},
	}
	in.Inner.A = "inner"
	doc, err := encodeDoc(in)
	require.NoError(t, err)
	assert.Contains(t, string(doc), `"张三丰"`, "personal data is stored raw, not masked")
	assert.NotContains(t, string(doc), `"Inner":{"A":"inner","B"`, "zero fields are left out")

	var out docSample
	require.NoError(t, decodeDoc(doc, &out))
	assert.True(t, in.T.Equal(out.T))
	for i := range in.Ts {
		assert.True(t, in.Ts[i].Equal(out.Ts[i]), "time %d", i)
	}
	in.T, out.T, in.Ts, out.Ts = time.Time{}, time.Time{}, nil, nil
	assert.True(t, math.IsInf(out.F, -1))
	in.F, out.F = 0, 0
	assert.Equal(t, in, out)

	// An empty document decodes to the zero value, overwriting what was there.
	require.NoError(t, decodeDoc([]byte(`{}`), &out))
	assert.Equal(t, docSample{}, out)
}

// Every field of a complaint, found by reflection, survives the codec: a field added to
// escalation.Complaint is stored without code written for it.
func TestDocComplaintEveryField(t *testing.T) {
	var c escalation.Complaint
	n := 0
	fill(reflect.ValueOf(&c).Elem(), &n)
	doc, err := encodeDoc(c)
	require.NoError(t, err)
	var out escalation.Complaint
	require.NoError(t, decodeDoc(doc, &out))
	assert.Equal(t, utc(reflect.ValueOf(c)).Interface(), utc(reflect.ValueOf(out)).Interface())
}

// fill sets every field of v to a non-zero value.
func fill(v reflect.Value, n *int) {
	*n++
	switch {
	case v.Type() == timeType:
		v.Set(reflect.ValueOf(time.Date(2024, 1, 1, 0, 0, 0, *n, time.FixedZone("X", 3600)).Add(time.Duration(*n) * time.Hour)))
	case v.Kind() == reflect.Struct:
		for i := range v.NumField() {
			if v.Type().Field(i).IsExported() {
				fill(v.Field(i), n)
			}
		}
	case v.Kind() == reflect.String:
		v.SetString("v" + string(rune('a'+*n%26)))
	case v.CanInt():
		v.SetInt(int64(*n))
	case v.Kind() == reflect.Bool:
		v.SetBool(true)
	case v.Kind() == reflect.Slice:
		s := reflect.MakeSlice(v.Type(), 2, 2)
		fill(s.Index(0), n)
		fill(s.Index(1), n)
		v.Set(s)
	}
}

// utc returns a copy of v with every time in UTC.
func utc(v reflect.Value) reflect.Value {
	out := reflect.New(v.Type()).Elem()
	out.Set(v)
	var walk func(reflect.Value)
	walk = func(v reflect.Value) {
		switch {
		case v.Type() == timeType:
			v.Set(reflect.ValueOf(v.Interface().(time.Time).UTC()))
		case v.Kind() == reflect.Struct:
			for i := range v.NumField() {
				if v.Type().Field(i).IsExported() {
					walk(v.Field(i))
				}
			}
		case v.Kind() == reflect.Slice:
			c := reflect.MakeSlice(v.Type(), v.Len(), v.Len())
			reflect.Copy(c, v)
			for i := range c.Len() {
				walk(c.Index(i))
			}
			v.Set(c)
		}
	}
	walk(out)
	return out
}

func TestDocUnsupported(t *testing.T) {
	_, err := encodeDoc(struct{ C chan int }{C: make(chan int)})
	require.Error(t, err)
	_, err = encodeDoc(struct{ M map[int]string }{M: map[int]string{1: "x"}})
	require.Error(t, err)
	var out docSample
	require.Error(t, decodeDoc([]byte(`{"I":"not a number"}`), &out))
	require.Error(t, decodeDoc([]byte(`{"T":"yesterday"}`), &out))
	require.Error(t, decodeDoc([]byte(`not json`), &out))
}

// Times split into a timestamptz (microseconds) and the nanoseconds below, and join back
// to the same instant.
func TestTimeSplit(t *testing.T) {
	for _, tm := range []time.Time{
		time.Date(2024, 3, 1, 9, 30, 0, 123456789, time.UTC),
		time.Date(1969, 12, 31, 23, 59, 59, 999999999, time.UTC), // before the epoch
		time.Date(1, 1, 1, 0, 0, 0, 1, time.UTC),
	} {
		at, ns := optTime(tm)
		micro := tm.Truncate(time.Microsecond)
		require.Equal(t, tm, at)
		got := joinTime(pgtype.Timestamptz{Time: micro, Valid: true}, ns)
		assert.True(t, tm.Equal(got), "%v → %v", tm, got)
	}
	at, ns := optTime(time.Time{})
	assert.Nil(t, at)
	assert.Zero(t, ns)
	assert.True(t, joinTime(pgtype.Timestamptz{}, 0).IsZero())
}

func TestNumeric(t *testing.T) {
	for _, s := range []string{"0", "1200.50", "-0.01", "123456789012345.99", "1e-30", "7e20"} {
		d := decimal.RequireFromString(s)
		n, err := num(d).NumericValue()
		require.NoError(t, err)
		got, err := numeric(n)
		require.NoError(t, err)
		assert.True(t, d.Equal(got), s)
	}
	_, err := numeric(pgtype.Numeric{NaN: true, Valid: true})
	require.Error(t, err)
	_, err = numeric(pgtype.Numeric{})
	require.Error(t, err)
}

func TestCheckStorable(t *testing.T) {
	type inner struct{ X string }
	v := struct {
		A  string
		B  []string
		M  map[string]string
		In inner
		T  time.Time
		D  decimal.Decimal
		P  *inner
	}{A: "ok", B: []string{"fine", "nul\x00"}, M: map[string]string{"k": "\xff"}, In: inner{X: "x\x00"},
		T: time.Date(300000, 1, 1, 0, 0, 0, 0, time.UTC), D: decimal.New(1, 100), P: &inner{X: "\xfe"}}
	verr := &gridgov.ValidationError{}
	checkStorable(verr, "", v)
	assert.ElementsMatch(t, []string{"B[1]", "M[k]", "In.X", "T", "P.X"}, verr.FieldNames())
	for _, f := range verr.Fields {
		assert.NotEmpty(t, f.EN)
		assert.NotEmpty(t, f.ZH)
	}
	ok := &gridgov.ValidationError{}
	checkStorable(ok, "", struct{ S string }{S: "正常的文本"})
	assert.NoError(t, ok.Err())
}

func TestBackoff(t *testing.T) {
	r := runner{cfg: config{baseDelay: 2 * time.Millisecond, maxDelay: 50 * time.Millisecond}}
	for attempt := 1; attempt <= 40; attempt++ {
		for range 20 {
			d := r.backoff(attempt)
			ceiling := min(r.cfg.baseDelay<<min(attempt-1, 20), r.cfg.maxDelay)
			assert.Positive(t, d)
			assert.LessOrEqual(t, d, ceiling, "attempt %d", attempt)
		}
	}
}

// FuzzDecodeDoc: any bytes decode into a complaint or fail with an error, never a panic; a
// complaint that decodes encodes again to a document that decodes to the same complaint.
func FuzzDecodeDoc(f *testing.F) {
	var c escalation.Complaint
	n := 0
	fill(reflect.ValueOf(&c).Elem(), &n)
	seed, err := encodeDoc(c)
	require.NoError(f, err)
	f.Add(seed)
	f.Add([]byte(`{}`))
	f.Add([]byte(`{"Tier":1e400,"Summons":[{"Due":"@-62135596800.000000000"}]}`))
	f.Add([]byte(`{"State":["x"],"Attachments":{"a":1}}`))
	f.Add([]byte(`{"Escalations":99999999999999999999}`))
	f.Add([]byte("{\"ID\":\"\xc9\"}"))
	f.Add([]byte(`{"Description":"\ud83d\ude00 \u00e9\n","Unknown":{"a":[1,{"b":null}]}}`))
	f.Fuzz(func(t *testing.T, doc []byte) {
		var got escalation.Complaint
		if decodeDoc(doc, &got) != nil {
			return
		}
		again, err := encodeDoc(got)
		require.NoError(t, err)
		var back escalation.Complaint
		require.NoError(t, decodeDoc(again, &back))
		assert.Equal(t, utc(reflect.ValueOf(got)).Interface(), utc(reflect.ValueOf(back)).Interface())
	})
}

// FuzzTimeSplit: every time in timestamptz's range round-trips through its two columns.
func FuzzTimeSplit(f *testing.F) {
	f.Add(int64(0), int64(0))
	f.Add(int64(-62135596800), int64(1))
	f.Add(int64(1709285400), int64(999999999))
	f.Fuzz(func(t *testing.T, sec, nsec int64) {
		tm := time.Unix(sec, nsec%1_000_000_000).UTC()
		if tm.Before(minTime) || tm.After(maxTime) || tm.IsZero() {
			return
		}
		at, ns := optTime(tm)
		require.NotNil(t, at)
		got := joinTime(pgtype.Timestamptz{Time: tm.Truncate(time.Microsecond), Valid: true}, ns)
		require.True(t, tm.Equal(got), "%v → %v", tm, got)
		s := formatDocTime(tm)
		back, err := parseDocTime(s)
		require.NoError(t, err)
		require.True(t, tm.Equal(back), "%v → %q → %v", tm, s, back)
	})
}
