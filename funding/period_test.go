package funding_test

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/gridgov/gridgov/funding"
)

func TestPeriods(t *testing.T) {
	y := funding.Year(2026, nil)
	assert.True(t, y.Valid())
	assert.Equal(t, "2026-01-01..2027-01-01", y.String())
	m := funding.Month(2026, 12, nil)
	assert.Equal(t, "2026-12-01..2027-01-01", m.String())
	assert.True(t, y.Contains(m.Start))
	assert.False(t, y.Contains(y.End))
	assert.Equal(t, m, y.Overlap(m))
	assert.False(t, funding.Year(2025, nil).Overlap(y).Valid())
}
