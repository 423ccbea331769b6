package evaluation

import (
	"context"
	"errors"
	"log/slog"
	"sync"
	"time"

	"github.com/gridgov/gridgov"
	"github.com/gridgov/gridgov/escalation"
	"github.com/gridgov/gridgov/governance"
)

// ComplaintMetrics is where firm evaluations take their complaint metrics from:
// *escalation.Engine satisfies it.
type ComplaintMetrics interface {
	Metrics(ctx context.Context, q escalation.MetricsQuery) (escalation.Report, error)
}

// Evaluator runs the yearly cycles (一述双评) over a [Store] and a governance registry; it
// is the package's entry type. It is safe for concurrent use: every step is one versioned
// store call.
type Evaluator struct {
	store   Store
	reg     *governance.Registry
	clock   gridgov.Clock
	ids     gridgov.IDGenerator
	log     *slog.Logger
	metrics ComplaintMetrics
	loc     *time.Location
	valid   *gridgov.Validator

	committee, firm           Scheme
	committeeBands, firmBands Bands
	committeeScorer           *Scorer
	firmScorer                *Scorer
}

// Option configures an [Evaluator].
type Option func(*Evaluator)

// WithClock sets the clock (default: the registry's).
func WithClock(c gridgov.Clock) Option { return func(e *Evaluator) { e.clock = c } }

// WithIDs sets the ID generator for cycles (default: ULIDs on the clock).
func WithIDs(g gridgov.IDGenerator) Option { return func(e *Evaluator) { e.ids = g } }

// WithLogger sets the logger (default: discard). Logs carry IDs, never personal data.
func WithLogger(l *slog.Logger) Option { return func(e *Evaluator) { e.log = l } }

// WithMetrics sets where firm evaluations read complaint metrics (usually the
// *escalation.Engine). Without it, complaint indicators need the metrics given in the input.
func WithMetrics(m ComplaintMetrics) Option { return func(e *Evaluator) { e.metrics = m } }

// WithLocation sets the time zone whose calendar years bound the complaint metrics
// (default: China Standard Time, UTC+8).
func WithLocation(loc *time.Location) Option { return func(e *Evaluator) { e.loc = loc } }

// WithCommitteeScheme sets the scheme and bands of committee evaluations (default:
// [CommitteeScheme] and [QualityBands]).
func WithCommitteeScheme(s Scheme, b Bands) Option {
	return func(e *Evaluator) { e.committee, e.committeeBands = s, b }
}

// WithFirmScheme sets the scheme and bands of firm evaluations (default: [FirmScheme] and
// [CreditBands]).
func WithFirmScheme(s Scheme, b Bands) Option {
	return func(e *Evaluator) { e.firm, e.firmBands = s, b }
}

// ChinaStandardTime is UTC+8, the default location of the evaluation year.
var ChinaStandardTime = time.FixedZone("CST", 8*60*60)

// NewEvaluator returns an evaluator over store and reg. It returns a
// *gridgov.ValidationError (gridgov.ErrInvalid) for a nil store or registry, or schemes and
// bands that do not validate, or schemes of the wrong subject.
func NewEvaluator(store Store, reg *governance.Registry, opts ...Option) (*Evaluator, error) {
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
	e := &Evaluator{store: store, reg: reg, committee: CommitteeScheme(), firm: FirmScheme(),
		committeeBands: QualityBands(), firmBands: CreditBands(), loc: ChinaStandardTime}
	for _, o := range opts {
		o(e)
	}
	if e.clock == nil {
		e.clock = reg.Clock()
	}
	if e.ids == nil {
		e.ids = gridgov.NewULIDs(e.clock, nil)
	}
	if e.log == nil {
		e.log = slog.New(slog.DiscardHandler)
	}
	if e.loc == nil {
		e.loc = ChinaStandardTime
	}
	prefix := func(p string, err error) {
		var v *gridgov.ValidationError
		if err == nil {
			return
		}
		if errors.As(err, &v) {
			for _, f := range v.Fields {
				verr.Add(p+"."+f.Field, f.Tag, f.EN, f.ZH)
			}
			return
		}
		verr.Merge(err)
	}
	prefix("CommitteeScheme", e.committee.Validate())
	prefix("FirmScheme", e.firm.Validate())
	prefix("CommitteeBands", e.committeeBands.Validate())
	prefix("FirmBands", e.firmBands.Validate())
	if e.committee.Subject != SubjectCommittee {
		verr.Add("CommitteeScheme.Subject", "eq", "the committee scheme must have subject committee", "业委会评议指标体系的对象必须是 committee")
	}
	if e.firm.Subject != SubjectFirm {
		verr.Add("FirmScheme.Subject", "eq", "the firm scheme must have subject firm", "物业企业评价指标体系的对象必须是 firm")
	}
	if err := verr.Err(); err != nil {
		return nil, err
	}
	e.committeeScorer, _ = NewScorer(e.committee, e.committeeBands) // checked above
	e.firmScorer, _ = NewScorer(e.firm, e.firmBands)
	e.valid = sharedValidator()
	return e, nil
}

// CommitteeScheme returns the evaluator's committee scheme (a copy).
func (e *Evaluator) CommitteeScheme() Scheme { return cloneScheme(e.committee) }

// FirmScheme returns the evaluator's firm scheme (a copy).
func (e *Evaluator) FirmScheme() Scheme { return cloneScheme(e.firm) }

// FirmBands returns the bands firm evaluations and assessments are graded with.
func (e *Evaluator) FirmBands() Bands { return append(Bands(nil), e.firmBands...) }

// CommitteeBands returns the bands committee evaluations are graded with.
func (e *Evaluator) CommitteeBands() Bands { return append(Bands(nil), e.committeeBands...) }

func cloneScheme(s Scheme) Scheme {
	cats := make([]Category, len(s.Categories))
	for i, c := range s.Categories {
		inds := make([]Indicator, len(c.Indicators))
		for j, ind := range c.Indicators {
			ind.Evaluators = append([]string(nil), ind.Evaluators...)
			inds[j] = ind
		}
		c.Indicators = inds
		cats[i] = c
	}
	s.Categories = cats
	s.Evaluators = append([]EvaluatorRole(nil), s.Evaluators...)
	s.Vetoes = append([]Veto(nil), s.Vetoes...)
	return s
}

// yearBounds returns [1 Jan year, 1 Jan year+1) in the evaluator's location.
func (e *Evaluator) yearBounds(year int) (time.Time, time.Time) {
	return time.Date(year, time.January, 1, 0, 0, 0, 0, e.loc), time.Date(year+1, time.January, 1, 0, 0, 0, 0, e.loc)
}

var (
	validOnce sync.Once
	validator *gridgov.Validator
)

// sharedValidator returns the package's validator (built once; it is safe for concurrent
// use and holds no mutable state after construction).
func sharedValidator() *gridgov.Validator {
	validOnce.Do(func() { validator = gridgov.NewValidator() })
	return validator
}
