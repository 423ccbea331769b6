// Package sim holds what the example programs share to simulate a year (模拟): a seeded
// random source, China Standard Time and generated Chinese names (the working calendar is
// escalation.ChinaMainland). It
// is internal to the examples.
package sim

import (
	"math/rand/v2"
	"time"
)

// CST is China Standard Time (UTC+8), the zone every program simulates in.
var CST = time.FixedZone("CST", 8*3600)

// Rand returns the random source of a run: the same seed gives the same sequence. Programs
// draw from one source in a fixed order so that their output is stable for a seed.
func Rand(seed uint64) *rand.Rand { return rand.New(rand.NewPCG(seed, 0x9e3779b97f4a7c15)) }

// YearStart returns 00:00 CST on 1 January of year.
func YearStart(year int) time.Time { return time.Date(year, time.January, 1, 0, 0, 0, 0, CST) }
