package gridgov_test

import (
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

	"github.com/gridgov/gridgov"
)

func TestSystemClock(t *testing.T) {
	t.Parallel()
	var c gridgov.Clock = gridgov.SystemClock()
	// No timing assertion: only that it reads the real calendar.
	assert.True(t, c.Now().After(time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)))
}

func TestFakeClock(t *testing.T) {
	t.Parallel()
	start := time.Date(2025, 1, 28, 9, 0, 0, 0, time.FixedZone("CST", 8*3600))
	c := gridgov.NewFakeClock(start)
	var _ gridgov.Clock = c

	assert.True(t, c.Now().Equal(start))
	assert.True(t, c.Now().Equal(start), "reading does not move the clock")

	got := c.Advance(90 * time.Minute)
	assert.True(t, got.Equal(start.Add(90*time.Minute)))
	assert.True(t, c.Now().Equal(got))
	assert.Equal(t, start.Location(), c.Now().Location(), "the location is kept")

	got = c.Advance(-2 * time.Hour)
	assert.True(t, got.Equal(start.Add(-30*time.Minute)), "a negative duration moves back")

	c.Set(start.AddDate(-1, 0, 0))
	assert.True(t, c.Now().Equal(start.AddDate(-1, 0, 0)), "Set moves back too")

	c.Advance(0)
	assert.True(t, c.Now().Equal(start.AddDate(-1, 0, 0)))
}

func TestFakeClockZeroValue(t *testing.T) {
	t.Parallel()
	var c gridgov.FakeClock
	assert.True(t, c.Now().IsZero())
	assert.Equal(t, time.Time{}.Add(time.Hour), c.Advance(time.Hour))
}

func TestFakeClockConcurrent(t *testing.T) {
	t.Parallel()
	start := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	c := gridgov.NewFakeClock(start)
	const goroutines, steps = 8, 1000
	var wg sync.WaitGroup
	for range goroutines {
		wg.Add(2)
		go func() {
			defer wg.Done()
			for range steps {
				c.Advance(time.Second)
			}
		}()
		go func() { // readers race with the writers
			defer wg.Done()
			prev := start
			for range steps {
				now := c.Now()
				if now.Before(prev) {
					t.Errorf("clock went back from %v to %v with only Advance(+1s)", prev, now)
					return
				}
				prev = now
			}
		}()
	}
	wg.Wait()
	assert.True(t, c.Now().Equal(start.Add(goroutines*steps*time.Second)), "every Advance counted: %v", c.Now())

	// Set and Advance interleave without losing the lock discipline.
	target := start.Add(-time.Hour)
	for range goroutines {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range steps {
				c.Set(target)
				c.Advance(time.Minute)
				_ = c.Now()
			}
		}()
	}
	wg.Wait()
	now := c.Now()
	assert.False(t, now.Before(target))
	assert.False(t, now.After(target.Add(goroutines*time.Minute)))
}
