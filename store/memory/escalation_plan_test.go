package memory

import (
	"reflect"
	"testing"
	"time"
	"unsafe"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gridgov/gridgov/escalation"
)

// Every field of a complaint and of its reporter has an operation: none is dropped. A
// field of a kind the plan cannot store would be listed here; extend newPlan for it.
func TestEscalationPlanCoversComplaint(t *testing.T) {
	assert.Empty(t, complaintPlan.unsupported)
	assert.Empty(t, reporterPlan.unsupported)
	due, ok := reflect.TypeFor[escalation.Complaint]().FieldByName("DueAt")
	require.True(t, ok)
	assert.Equal(t, due.Offset, complaintPlan.times[0], "DueAt is the first time")
}

// planned is a struct with a field of every kind a plan handles, and more than 64 times
// and bools, so that the masks take two words.
type planned struct {
	I8    int8
	I16   int16
	I32   int32
	I     int
	U8    uint8
	U16   uint16
	U32   uint32
	U     uint
	F32   float32
	F64   float64
	S     string
	Named namedString
	List  []namedString
	Inner struct {
		B bool
		T time.Time
		S string
	}
	Items  []plannedItem
	Times  [70]time.Time // arrays are not supported: listed, not stored
	Many   manyFlags
	Skip   string
	Nested struct{ Deep struct{ X int64 } }
}

type namedString string

type plannedItem struct {
	Name string
	At   time.Time
	On   bool
}

// manyFlags has 66 bools and 66 times.
type manyFlags struct {
	B0, B1, B2, B3, B4, B5, B6, B7, B8, B9, B10, B11, B12, B13, B14, B15, B16, B17, B18, B19,
	B20, B21, B22, B23, B24, B25, B26, B27, B28, B29, B30, B31, B32, B33, B34, B35, B36, B37,
	B38, B39, B40, B41, B42, B43, B44, B45, B46, B47, B48, B49, B50, B51, B52, B53, B54, B55,
	B56, B57, B58, B59, B60, B61, B62, B63, B64, B65 bool
	T0, T1, T2, T3, T4, T5, T6, T7, T8, T9, T10, T11, T12, T13, T14, T15, T16, T17, T18, T19,
	T20, T21, T22, T23, T24, T25, T26, T27, T28, T29, T30, T31, T32, T33, T34, T35, T36, T37,
	T38, T39, T40, T41, T42, T43, T44, T45, T46, T47, T48, T49, T50, T51, T52, T53, T54, T55,
	T56, T57, T58, T59, T60, T61, T62, T63, T64, T65 time.Time
}

// A plan stores every kind it supports, lists what it does not, and skips what it is told.
func TestPlanRoundTrip(t *testing.T) {
	p := newPlan(reflect.TypeFor[planned](), []string{"Skip"}, "Inner.T")
	assert.Equal(t, []string{"Times"}, p.unsupported)
	in, _ := reflect.TypeFor[planned]().FieldByName("Inner")
	assert.Equal(t, in.Offset+in.Type.Field(1).Offset, p.times[0], "the time named first comes first")

	st := NewEscalationStore()
	at := time.Date(2024, 3, 1, 9, 0, 0, 5, time.FixedZone("CST", 8*3600))
	var v planned
	v.I8, v.I16, v.I32, v.I = -8, -16, -32, -64
	v.U8, v.U16, v.U32, v.U = 8, 16, 32, 64
	v.F32, v.F64 = 1.5, -2.25
	v.S, v.Named, v.List = "s", "named", []namedString{"a", "", "b"}
	v.Inner.B, v.Inner.T, v.Inner.S = true, at, "inner"
	v.Items = []plannedItem{{Name: "x", At: at.Add(time.Hour), On: true}, {Name: "y"}}
	v.Many.B0, v.Many.B63, v.Many.B64, v.Many.B65 = true, true, true, false
	v.Many.T1, v.Many.T64, v.Many.T65 = at, at.Add(-time.Hour), at.AddDate(1, 0, 0)
	v.Nested.Deep.X = 1 << 40
	v.Skip = "dropped"

	e := encoder{zones: &st.zones}
	st.encode(&e, p, unsafe.Pointer(&v), at.Unix())
	var got planned
	d := decoder{b: e.b, zones: &st.zones}
	st.decode(&d, p, unsafe.Pointer(&got), at.Unix())
	assert.Empty(t, d.b, "everything written is read")
	want := v
	want.Skip = ""
	assert.Equal(t, want, got)
}
