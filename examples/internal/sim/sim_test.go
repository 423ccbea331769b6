package sim

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestCalendar2026(t *testing.T) {
	cal, official, err := Calendar(2026)
	require.NoError(t, err)
	assert.True(t, official)
	day := func(m time.Month, d int) time.Time { return time.Date(2026, m, d, 10, 0, 0, 0, CST) }
	assert.False(t, cal.IsWorkday(day(2, 16)), "Spring Festival")
	assert.True(t, cal.IsWorkday(day(2, 14)), "Saturday worked instead (调休上班)")
	assert.False(t, cal.IsWorkday(day(10, 7)), "National Day")
	assert.True(t, cal.IsWorkday(day(10, 10)), "Saturday worked instead")
	assert.True(t, cal.IsWorkday(day(3, 2)), "an ordinary Monday")
}

func TestCalendarOtherYears(t *testing.T) {
	cal, official, err := Calendar(2025)
	require.NoError(t, err)
	assert.True(t, official)
	assert.False(t, cal.IsWorkday(time.Date(2025, 10, 2, 10, 0, 0, 0, CST)), "National Day")
	_, official, err = Calendar(2030)
	require.NoError(t, err)
	assert.False(t, official, "no notice embedded for 2030")
}

func TestNamesAreDeterministicAndUnique(t *testing.T) {
	a, b := Rand(3), Rand(3)
	for range 20 {
		assert.Equal(t, PersonName(a), PersonName(b))
	}
	seen := map[string]bool{}
	for i := range 2000 {
		n := CompoundName(i)
		assert.False(t, seen[n], n)
		seen[n] = true
	}
}
