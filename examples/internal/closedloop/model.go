package closedloop

import (
	"math/rand/v2"
	"time"

	"github.com/gridgov/gridgov"
	"github.com/gridgov/gridgov/escalation"
)

// Config is what a run needs besides the [Model]: the engine, its clock, the random
// source, the year's intake and the rates of the loop.
type Config struct {
	// Engine takes the matters in; Clock is the fake clock it reads, set by the run.
	Engine *escalation.Engine
	Clock  *gridgov.FakeClock
	// Rand is the run's one random source (sim.Rand); the model draws from it too.
	Rand *rand.Rand
	// Count matters arrive, each a drawn whole number of days after From (and before To),
	// plus 7 to 22 hours.
	Count    int
	From, To time.Time
	// SweepFrom is the sweeper's first run (zero: From); it then runs every SweepEvery.
	SweepFrom  time.Time
	SweepEvery time.Duration
	// Beyond[k] is the share of matters beyond the means of tier k, non-increasing; it has
	// one entry fewer than the engine's policy has tiers (the top tier settles everything).
	Beyond []float64
	// ManualEscalate is the share of matters beyond a tier's means that its handler
	// escalates at once; the rest wait for the sweeper to escalate them on a breach.
	ManualEscalate float64
	// LateSign is the share of signatures that come after the 2-hour response limit.
	LateSign float64
}

// Model is a program's world as the loop sees it. The loop calls it in a fixed order, and
// a method that draws must draw from [Config.Rand] in a fixed order of its own.
type Model[T any] interface {
	// Arrive draws what a new matter is about. It is called once for each matter, in
	// arrival order, before the loop starts.
	Arrive() T
	// Submit says who submits matter c, what is taken in and which unit of the first tier
	// is referred the matter.
	Submit(c Case[T]) Submission
	// Handler is who acts on matter c at its tier c.Tier: accepts and refers it (at the
	// first tier), signs for it, escalates it, blows the whistle and resolves it.
	Handler(c Case[T]) gridgov.Actor
	// Verifier is who verifies the resolution of matter c at tier c.Tier (not the handler).
	Verifier(c Case[T]) gridgov.Actor
	// Handle draws how long tier c.Tier takes to resolve matter c, after signing for it
	// or, at a whistle tier, after the lead parties have reported.
	Handle(c Case[T]) time.Duration
	// Rate draws the reporter's rating of matter c: satisfaction and whether it is solved.
	Rate(c Case[T]) (escalation.Satisfaction, bool)
	// Reporter is who reports (报到) for party when the whistle is blown on matter c.
	Reporter(c Case[T], party escalation.PartyKind) gridgov.Actor
}

// Submission is how a matter enters the engine.
type Submission struct {
	By     gridgov.Actor     // who submits it
	Intake escalation.Intake // what is taken in
	Unit   string            // the organisation of the first tier the handler refers it to
}

// Case is what the loop knows of one matter, with the program's own data.
type Case[T any] struct {
	Seq    int    // place in arrival order, from 0
	ID     string // the complaint's ID in the engine, once submitted
	Data   T      // what the model drew for it in Arrive
	Settle int    // the lowest tier that can settle it
	// Tier is the tier that holds it now; MaxTier the highest it reached.
	Tier, MaxTier int
	// Whistled is whether the whistle was blown on it.
	Whistled bool
	gen      int // counts escalations: steps scheduled before one are stale
}

// Result is what a run leaves: every matter, in arrival order, and the sweeper's totals.
type Result[T any] struct {
	Cases  []Case[T]
	Sweeps escalation.SweepReport
}
