package sim

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
)

func TestYearStartIsMidnightCST(t *testing.T) {
	y := YearStart(2026)
	assert.Equal(t, "2026-01-01T00:00:00+08:00", y.Format(time.RFC3339))
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
