package escalation

import (
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/gridgov/gridgov"
	"github.com/gridgov/gridgov/governance"
)

// Engine is the entry point of the package (诉求办理引擎): it takes complaints in, runs them
// through the closed loop, escalates them tier by tier, sweeps deadlines and reports
// metrics. It holds no complaint state of its own, so several engines (in one process or
// several) may share a store. It is safe for concurrent use.
type Engine struct {
	store  Store
	reg    *governance.Registry
	policy Policy
	tiers  []tier // the policy's tiers resolved against the registry's scheme
	cal    *Calendar
	clock  gridgov.Clock
	ids    gridgov.IDGenerator
	log    *slog.Logger
	valid  *gridgov.Validator
	sweep  int         // sweeper batch size
	defs   Definitions // metrics definitions
}

// tier is a policy tier with its level resolved.
type tier struct {
	Tier
	index int // index of the level in the scheme (0 is the top)
}

// Option configures an [Engine].
type Option func(*Engine)

// WithCalendar sets the business calendar (default [ChinaMainland]).
func WithCalendar(c *Calendar) Option { return func(e *Engine) { e.cal = c } }

// WithClock sets the clock (default: the registry's clock).
func WithClock(c gridgov.Clock) Option { return func(e *Engine) { e.clock = c } }

// WithIDs sets the generator of complaint identifiers (default: ULIDs on the engine's
// clock).
func WithIDs(g gridgov.IDGenerator) Option { return func(e *Engine) { e.ids = g } }

// WithLogger sets a logger for accepted commands (default: silent). Reporter data is never
// logged unmasked.
func WithLogger(l *slog.Logger) Option { return func(e *Engine) { e.log = l } }

// WithSweepBatch sets how many due complaints the sweeper reads per store call (default
// 256).
func WithSweepBatch(n int) Option { return func(e *Engine) { e.sweep = n } }

// WithDefinitions sets how metrics are counted (default [DefaultDefinitions]).
func WithDefinitions(d Definitions) Option { return func(e *Engine) { e.defs = d } }

// NewEngine returns an engine over store, using reg for the organisation tree and the
// actors' authority, and policy for tiers and limits. It returns a *gridgov.ValidationError
// (gridgov.ErrInvalid) naming every problem: a nil store or registry, a policy without tiers,
// a tier whose level is not in the registry's scheme, tiers not ordered from the lowest level
// up, negative limits, a warning threshold outside 0..100.
func NewEngine(store Store, reg *governance.Registry, policy Policy, opts ...Option) (*Engine, error) {
	var verr gridgov.ValidationError
	if store == nil {
		verr.Add("store", "required", "store is required", "必须提供存储")
	}
	if reg == nil {
		verr.Add("registry", "required", "registry is required", "必须提供组织架构登记簿")
	}
	if err := verr.Err(); err != nil {
		return nil, err
	}
	e := &Engine{store: store, reg: reg, sweep: 256, defs: DefaultDefinitions()}
	for _, o := range opts {
		o(e)
	}
	if e.clock == nil {
		e.clock = reg.Clock()
	}
	if e.cal == nil {
		e.cal = ChinaMainland()
	}
	if e.ids == nil {
		e.ids = gridgov.NewULIDs(e.clock, nil)
	}
	if e.log == nil {
		e.log = slog.New(slog.DiscardHandler)
	}
	if e.sweep <= 0 {
		verr.Add("WithSweepBatch", "gt", "the sweep batch must be positive", "巡检批量必须为正数")
	}
	tiers, err := resolveTiers(policy, reg.Scheme())
	verr.Merge(err)
	verr.Merge(e.defs.Validate())
	if err := verr.Err(); err != nil {
		return nil, err
	}
	e.policy, e.tiers = clonePolicy(policy), tiers
	e.valid = sharedValidator()
	return e, nil
}

// sharedValidator is built once and shared by every engine.
var sharedValidator = sync.OnceValue(gridgov.NewValidator)

// Policy returns the engine's policy.
func (e *Engine) Policy() Policy { return clonePolicy(e.policy) }

// Store returns the engine's store.
func (e *Engine) Store() Store { return e.store }

// Calendar returns the engine's business calendar.
func (e *Engine) Calendar() *Calendar { return e.cal }

// resolveTiers checks the policy against the scheme and finds each tier's level.
func resolveTiers(p Policy, s governance.Scheme) ([]tier, error) {
	var verr gridgov.ValidationError
	if len(p.Tiers) == 0 {
		verr.Add("Tiers", "min", "a policy needs at least one tier", "策略至少需要一个层级")
	}
	out := make([]tier, 0, len(p.Tiers))
	for i, t := range p.Tiers {
		field := fmt.Sprintf("Tiers[%d]", i)
		key := t.Level
		if key == "" && t.Kind != "" {
			if l, ok := s.LevelOfKind(t.Kind); ok {
				key = l.Key
			}
		}
		idx, ok := s.Index(key)
		if !ok {
			verr.Add(field+".Level", "level",
				fmt.Sprintf("tier %d: level %q (kind %q) is not in scheme %q", i, t.Level, t.Kind, s.Name),
				fmt.Sprintf("第%d个层级：层级“%s”（类型“%s”）不在层级方案“%s”中", i, t.Level, t.Kind, s.Name))
			continue
		}
		if n := len(out); n > 0 && idx >= out[n-1].index {
			verr.Add(field+".Level", "order",
				fmt.Sprintf("tier %d (%s) must sit above tier %d (%s)", i, key, i-1, out[n-1].Level),
				fmt.Sprintf("第%d个层级（%s）必须高于第%d个层级（%s）", i, key, i-1, out[n-1].Level))
		}
		checkLimit(&verr, field+".ResponseLimit", t.ResponseLimit)
		checkLimit(&verr, field+".ResolutionLimit", t.ResolutionLimit)
		if t.WarnAt < 0 || t.WarnAt > 100 {
			verr.Add(field+".WarnAt", "range",
				fmt.Sprintf("tier %d: the warning threshold must be 0 to 100 percent, not %d", i, t.WarnAt),
				fmt.Sprintf("第%d个层级：预警阈值必须在0到100%%之间，而不是%d", i, t.WarnAt))
		}
		t.Level = key
		if t.NameEN == "" || t.NameZH == "" {
			if l, ok := s.Level(key); ok {
				t.NameEN, t.NameZH = orDefault(t.NameEN, l.NameEN), orDefault(t.NameZH, l.NameZH)
			}
		}
		out = append(out, tier{Tier: t, index: idx})
	}
	for i, o := range p.Overrides {
		field := fmt.Sprintf("Overrides[%d]", i)
		checkLimit(&verr, field+".ResponseLimit", o.ResponseLimit)
		checkLimit(&verr, field+".ResolutionLimit", o.ResolutionLimit)
		if o.Level != "" {
			if _, ok := s.Index(o.Level); !ok {
				verr.Add(field+".Level", "level",
					fmt.Sprintf("override %d: level %q is not in scheme %q", i, o.Level, s.Name),
					fmt.Sprintf("第%d个例外规则：层级“%s”不在层级方案“%s”中", i, o.Level, s.Name))
			}
		}
	}
	for cat, parties := range p.Responsibilities {
		for i, pt := range parties {
			checkLimit(&verr, fmt.Sprintf("Responsibilities[%s][%d].ReportLimit", cat, i), pt.ReportLimit)
		}
	}
	if p.RatingWindow < 0 {
		verr.Add("RatingWindow", "gte", "the rating window must not be negative", "评价期限不能为负数")
	}
	return out, verr.Err()
}

func checkLimit(verr *gridgov.ValidationError, field string, l Limit) {
	if l.Duration < 0 {
		verr.Add(field, "gte", fmt.Sprintf("%s must not be negative", field),
			fmt.Sprintf("%s不能为负数", field))
	}
	if l.Basis != Business && l.Basis != Elapsed {
		verr.Add(field+".Basis", "oneof", fmt.Sprintf("%s has an unknown basis %d", field, l.Basis),
			fmt.Sprintf("%s的计时方式%d未知", field, l.Basis))
	}
}

func orDefault(s, def string) string {
	if s != "" {
		return s
	}
	return def
}

func clonePolicy(p Policy) Policy {
	p.Tiers = append([]Tier(nil), p.Tiers...)
	p.Overrides = append([]Override(nil), p.Overrides...)
	if p.Responsibilities != nil {
		m := make(map[string][]Party, len(p.Responsibilities))
		for k, v := range p.Responsibilities {
			m[k] = append([]Party(nil), v...)
		}
		p.Responsibilities = m
	}
	return p
}

// limits returns the response and resolution limits for c at tier t, overrides applied.
func (e *Engine) limits(c *Complaint, t int) (response, resolution Limit) {
	tr := e.tiers[t]
	response, resolution = tr.ResponseLimit, tr.ResolutionLimit
	for _, o := range e.policy.Overrides {
		if (o.Category != "" && o.Category != c.Category) || (o.Urgency != "" && o.Urgency != c.Urgency) ||
			(o.Level != "" && o.Level != tr.Level) {
			continue
		}
		if o.ResponseLimit.Duration > 0 {
			response = o.ResponseLimit
		}
		if o.ResolutionLimit.Duration > 0 {
			resolution = o.ResolutionLimit
		}
	}
	return response, resolution
}

// after returns the instant limit l after t (zero when l has no duration).
func (e *Engine) after(t time.Time, l Limit) time.Time {
	if l.Duration <= 0 {
		return time.Time{}
	}
	if l.Basis == Elapsed {
		return t.Add(l.Duration)
	}
	return e.cal.Add(t, l.Duration)
}

// warnAfter returns when the warning for limit l started at t falls (zero: none).
func (e *Engine) warnAfter(t time.Time, l Limit, pct int) time.Time {
	if pct <= 0 || pct >= 100 || l.Duration <= 0 {
		return time.Time{}
	}
	return e.after(t, Limit{Duration: l.Duration * time.Duration(pct) / 100, Basis: l.Basis})
}

// shift moves instant t later by the time a pause took, counted on l's basis.
func (e *Engine) shift(t time.Time, l Limit, pausedAt, now time.Time) time.Time {
	if t.IsZero() {
		return t
	}
	if l.Basis == Elapsed {
		return t.Add(now.Sub(pausedAt))
	}
	return e.cal.Add(t, e.cal.Between(pausedAt, now))
}
