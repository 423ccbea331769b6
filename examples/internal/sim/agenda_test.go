package sim

import (
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestAgendaEarliestFirstTiesInScheduleOrder(t *testing.T) {
	var a Agenda[string]
	_, ok := a.NextAt()
	assert.False(t, ok)
	_, _, ok = a.Next()
	assert.False(t, ok, "the zero value is empty")

	t0 := YearStart(2026)
	a.Schedule(t0.Add(2*time.Hour), "late")
	a.Schedule(t0.Add(time.Hour), "first at 1h")
	a.Schedule(t0.Add(time.Hour), "second at 1h")
	a.Schedule(t0, "early")
	require.Equal(t, 4, a.Len())
	at, ok := a.NextAt()
	require.True(t, ok)
	assert.True(t, at.Equal(t0))

	var got []string
	for a.Len() > 0 {
		_, v, ok := a.Next()
		require.True(t, ok)
		got = append(got, v)
	}
	assert.Equal(t, []string{"early", "first at 1h", "second at 1h", "late"}, got)
}

// TestAgendaMatchesAStableSort is the property: whatever is scheduled comes out as a stable
// sort by time of the scheduling order.
func TestAgendaMatchesAStableSort(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for range 50 {
		var a Agenda[int]
		type item struct {
			at time.Time
			i  int
		}
		var want []item
		for i := range r.IntN(200) {
			at := YearStart(2026).Add(time.Duration(r.IntN(20)) * time.Minute)
			a.Schedule(at, i)
			want = append(want, item{at, i})
		}
		slices.SortStableFunc(want, func(x, y item) int { return x.at.Compare(y.at) })
		for _, w := range want {
			at, v, ok := a.Next()
			require.True(t, ok)
			assert.Equal(t, w.i, v)
			assert.True(t, at.Equal(w.at))
		}
		assert.Zero(t, a.Len())
	}
}
