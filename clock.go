package gridgov

import (
	"sync"
	"time"
)

// Clock tells the time. Services take a Clock through their options so that tests and
// simulations run on a [FakeClock]; nothing in the library calls time.Now directly.
type Clock interface {
	// Now returns the current time.
	Now() time.Time
}

// SystemClock returns the real clock, the default of every service.
func SystemClock() Clock { return systemClock{} }

type systemClock struct{}

func (systemClock) Now() time.Time { return time.Now() }

// FakeClock is a manually driven [Clock] for tests and simulations. It is safe for
// concurrent use. The zero value reads the zero time; build one with [NewFakeClock] to start
// anywhere else.
type FakeClock struct {
	mu  sync.Mutex
	now time.Time
}

// NewFakeClock returns a FakeClock that reads start until it is moved.
func NewFakeClock(start time.Time) *FakeClock { return &FakeClock{now: start} }

// Now returns the fake current time.
func (c *FakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

// Set moves the clock to t (backwards too).
func (c *FakeClock) Set(t time.Time) {
	c.mu.Lock()
	c.now = t
	c.mu.Unlock()
}

// Advance moves the clock forward by d (backwards when d is negative) and returns the new
// time.
func (c *FakeClock) Advance(d time.Duration) time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
	return c.now
}
