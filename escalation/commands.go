package escalation

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/gridgov/gridgov"
	"github.com/gridgov/gridgov/governance"
)

// Step names a complaint for a command, with the version the caller read (0: whatever is
// current) and a note for the history. Commands that need a reason (reject, pause,
// escalate, send back, reopen, withdraw) and resolve (what was done) require the note.
type Step struct {
	ID      string `validate:"required,gridid" zh:"诉求编号"`
	Version int64  `validate:"gte=0" zh:"版本"`
	Note    string `validate:"max=2000" zh:"说明"`
}

// Referral refers an accepted complaint to a tier (转办).
type Referral struct {
	Step
	// Level is the tier's level key; empty means the complaint's current tier (the lowest
	// tier at or above its place, set at intake). A referral may skip tiers upward ("big
	// matters stay in the community").
	Level string `validate:"max=64" zh:"层级"`
	// UnitID names the organisation the complaint is referred to (optional).
	UnitID string `validate:"omitempty,gridid" zh:"承办单位"`
}

// RatingInput is the reporter's rating (评价).
type RatingInput struct {
	Step
	Satisfaction Satisfaction `validate:"required,oneof=satisfied basic_satisfied unsatisfied" zh:"满意度"`
	// Resolved is whether the reporter considers the matter solved.
	Resolved bool
}

// DuplicateInput marks a complaint as a duplicate of another (重复件).
type DuplicateInput struct {
	Step
	Of string `validate:"required,gridid" zh:"原诉求编号"`
}

// command is one state-machine command: its event, who may run it, and what it changes
// after the event has been accepted.
type command struct {
	ev   EventKind
	perm governance.Permission // "" means reporter only
	// needNote makes the step's note required (a reason).
	needNote bool
	in       any
	// update changes the complaint after the event; it may return an error (nothing stored).
	update func(ctx context.Context, c *Complaint, s *step, now time.Time) error
}

// run executes a command: read, authorise, fire the event, update, schedule, store with one
// history event in one store call.
func (e *Engine) run(ctx context.Context, actor gridgov.Actor, in Step, cmd command) (Complaint, error) {
	if err := e.checkStep(in, cmd.needNote, cmd.in); err != nil {
		return Complaint{}, err
	}
	c, err := e.store.GetComplaint(ctx, in.ID)
	if err != nil {
		return Complaint{}, err
	}
	if in.Version != 0 && in.Version != c.Version {
		return Complaint{}, conflict(c, in.Version)
	}
	if err := e.authorize(ctx, actor, &c, cmd.perm); err != nil {
		return Complaint{}, err
	}
	from, now := c.State, e.clock.Now()
	s := &step{c: &c, actor: actor, eng: e, in: cmd.in, now: now}
	to, err := fire(ctx, cmd.ev, s)
	if err != nil {
		return Complaint{}, err
	}
	c.State = to
	if cmd.update != nil {
		if err := cmd.update(ctx, &c, s, now); err != nil {
			return Complaint{}, err
		}
	}
	e.schedule(&c)
	return e.save(ctx, c, Event{Kind: cmd.ev, From: from, To: to, Actor: actor, At: now,
		Note: in.Note})
}

// save stores c with one event and logs it.
func (e *Engine) save(ctx context.Context, c Complaint, ev Event) (Complaint, error) {
	ev.ComplaintID, ev.Tier = c.ID, c.Tier
	stored, err := e.store.UpdateComplaint(ctx, c, ev)
	if err != nil {
		return Complaint{}, err
	}
	e.log.LogAttrs(ctx, slog.LevelInfo, "complaint "+string(ev.Kind),
		slog.String("id", c.ID), slog.String("from", string(ev.From)), slog.String("to", string(ev.To)),
		slog.String("tier", c.TierLevel), slog.String("actor", ev.Actor.String()))
	return stored, nil
}

// checkStep validates a command's input: the step, and the command's own input struct.
func (e *Engine) checkStep(in Step, needNote bool, extra any) error {
	var verr gridgov.ValidationError
	if extra != nil {
		verr.Merge(e.valid.Struct(extra))
	} else {
		verr.Merge(e.valid.Struct(in))
	}
	if needNote && strings.TrimSpace(in.Note) == "" {
		verr.Add("Note", "required", "a reason is required for this command", "此操作必须说明理由")
	}
	if !utf8.ValidString(in.Note) {
		verr.Add("Note", "utf8", "the note must be valid UTF-8 text", "说明必须是有效的UTF-8文本")
	}
	return verr.Err()
}

func conflict(c Complaint, want int64) error {
	return fmt.Errorf("%w: complaint %q is at version %d, not %d (诉求“%s”当前版本为%d，不是%d)",
		gridgov.ErrConflict, c.ID, c.Version, want, c.ID, c.Version, want)
}

// authorize checks that actor may act on c: the reporter (or a system actor) when perm is
// empty, otherwise a position carrying perm at the complaint's tier node or above.
func (e *Engine) authorize(ctx context.Context, actor gridgov.Actor, c *Complaint, perm governance.Permission) error {
	if actor.IsSystem() {
		return nil
	}
	if perm == "" {
		if actor.Kind == gridgov.ActorPerson && actor.ID != "" && actor.ID == c.Reporter.PersonID {
			return nil
		}
		return fmt.Errorf("%w: only the reporter may do this to complaint %q (只有诉求人本人可以执行此操作)",
			gridgov.ErrForbidden, c.ID)
	}
	return e.reg.Authorize(ctx, actor, c.TierNodeID, perm)
}

// Accept accepts a submitted complaint (受理). Needs PermHandleComplaints at the complaint's
// tier node or above.
func (e *Engine) Accept(ctx context.Context, actor gridgov.Actor, in Step) (Complaint, error) {
	return e.run(ctx, actor, in, command{ev: EventAccept, perm: governance.PermHandleComplaints,
		update: func(_ context.Context, c *Complaint, _ *step, now time.Time) error {
			c.AcceptedAt = now
			return nil
		}})
}

// Reject refuses a submitted complaint (不予受理) with a reason in the note.
func (e *Engine) Reject(ctx context.Context, actor gridgov.Actor, in Step) (Complaint, error) {
	return e.run(ctx, actor, in, command{ev: EventReject, perm: governance.PermHandleComplaints,
		needNote: true, update: closeAt})
}

// MarkDuplicate marks a submitted or accepted complaint as a duplicate of another (重复件).
func (e *Engine) MarkDuplicate(ctx context.Context, actor gridgov.Actor, in DuplicateInput) (Complaint, error) {
	return e.run(ctx, actor, in.Step, command{ev: EventDuplicate, perm: governance.PermHandleComplaints,
		in: &in, update: func(ctx context.Context, c *Complaint, _ *step, now time.Time) error {
			if _, err := e.store.GetComplaint(ctx, in.Of); err != nil {
				if errors.Is(err, gridgov.ErrNotFound) {
					return gridgov.Invalid("Of", "exists",
						fmt.Sprintf("complaint %q does not exist", in.Of),
						fmt.Sprintf("诉求“%s”不存在", in.Of))
				}
				return err
			}
			c.DuplicateOf = in.Of
			return closeAt(ctx, c, nil, now)
		}})
}

func closeAt(_ context.Context, c *Complaint, _ *step, now time.Time) error {
	c.ClosedAt = now
	return nil
}

// Refer refers an accepted complaint to a tier, optionally naming the unit (转办): the
// response and resolution clocks start. Needs PermHandleComplaints at the current tier node
// or above.
func (e *Engine) Refer(ctx context.Context, actor gridgov.Actor, in Referral) (Complaint, error) {
	return e.run(ctx, actor, in.Step, command{ev: EventRefer, perm: governance.PermHandleComplaints,
		in: &in, update: func(ctx context.Context, c *Complaint, _ *step, now time.Time) error {
			t := c.Tier
			if in.Level != "" {
				t = e.tierOfLevel(in.Level)
				if t < 0 || t < c.Tier {
					return gridgov.Invalid("Level", "tier",
						fmt.Sprintf("%q is not a tier at or above the complaint's tier %q", in.Level, c.TierLevel),
						fmt.Sprintf("“%s”不是不低于诉求当前层级“%s”的层级", in.Level, c.TierLevel))
				}
			}
			if in.UnitID != "" {
				if _, err := e.reg.Organisation(ctx, in.UnitID); err != nil {
					if errors.Is(err, gridgov.ErrNotFound) {
						return gridgov.Invalid("UnitID", "exists",
							fmt.Sprintf("organisation %q does not exist", in.UnitID),
							fmt.Sprintf("组织“%s”不存在", in.UnitID))
					}
					return err
				}
			}
			if err := e.moveTo(ctx, c, t, now); err != nil {
				return err
			}
			c.UnitID = in.UnitID
			return nil
		}})
}

// Sign records that the handling unit has signed for the complaint (签收): the response.
// A signature at or after the tier's response deadline is a late response (LateResponses,
// Breaches) whether or not a sweep ran in between, so the response rate does not depend on
// how often the sweeper runs.
func (e *Engine) Sign(ctx context.Context, actor gridgov.Actor, in Step) (Complaint, error) {
	return e.run(ctx, actor, in, command{ev: EventSign, perm: governance.PermHandleComplaints,
		update: func(_ context.Context, c *Complaint, s *step, now time.Time) error {
			c.RespondedAt, c.Handler = now, s.actor.ID
			if !c.BreachedResponse && !c.ResponseDue.IsZero() && !now.Before(c.ResponseDue) {
				c.BreachedResponse, c.WarnedResponse = true, true
				c.LateResponses++
				c.Breaches++
			}
			return nil
		}})
}

// Start records that handling has begun (开始处置).
func (e *Engine) Start(ctx context.Context, actor gridgov.Actor, in Step) (Complaint, error) {
	return e.run(ctx, actor, in, command{ev: EventStart, perm: governance.PermHandleComplaints})
}

// Pause suspends handling while waiting on the resident or a deliberation (挂起), with the
// reason in the note: the complaint's clocks stop until [Engine.Resume].
func (e *Engine) Pause(ctx context.Context, actor gridgov.Actor, in Step) (Complaint, error) {
	return e.run(ctx, actor, in, command{ev: EventPause, perm: governance.PermHandleComplaints,
		needNote: true, update: func(_ context.Context, c *Complaint, _ *step, now time.Time) error {
			c.PausedAt = now
			return nil
		}})
}

// Resume resumes a paused complaint (恢复办理): every pending deadline moves later by the
// time the pause took (business time for business limits).
func (e *Engine) Resume(ctx context.Context, actor gridgov.Actor, in Step) (Complaint, error) {
	return e.run(ctx, actor, in, command{ev: EventResume, perm: governance.PermHandleComplaints,
		update: func(_ context.Context, c *Complaint, _ *step, now time.Time) error {
			resp, res := e.limits(c, c.Tier)
			p := c.PausedAt
			c.ResponseDue = e.shift(c.ResponseDue, resp, p, now)
			c.ResponseWarnAt = e.shift(c.ResponseWarnAt, resp, p, now)
			c.ResolutionDue = e.shift(c.ResolutionDue, res, p, now)
			c.ResolutionWarnAt = e.shift(c.ResolutionWarnAt, res, p, now)
			c.FirstResolutionDue = e.shift(c.FirstResolutionDue, res, p, now)
			c.PausedAt = time.Time{}
			return nil
		}})
}

// Escalate moves the complaint up to the next tier (逐级上报, "beyond my authority"), with
// the reason in the note; it must be signed for again there. Needs PermEscalate.
func (e *Engine) Escalate(ctx context.Context, actor gridgov.Actor, in Step) (Complaint, error) {
	return e.run(ctx, actor, in, command{ev: EventEscalate, perm: governance.PermEscalate,
		needNote: true, update: e.escalateUpdate})
}

func (e *Engine) escalateUpdate(ctx context.Context, c *Complaint, _ *step, now time.Time) error {
	next, err := e.nextTier(ctx, c)
	if err != nil {
		return err
	}
	c.Escalations++
	c.UnitID = ""
	return e.moveTo(ctx, c, next, now)
}

// Resolve records that the matter is handled (办结), with what was done in the note. It is
// refused while a summoned lead party has not reported.
func (e *Engine) Resolve(ctx context.Context, actor gridgov.Actor, in Step) (Complaint, error) {
	return e.run(ctx, actor, in, command{ev: EventResolve, perm: governance.PermHandleComplaints,
		needNote: true, update: func(_ context.Context, c *Complaint, s *step, now time.Time) error {
			c.ResolvedAt, c.Handler = now, s.actor.ID
			return nil
		}})
}

// Verify confirms the resolution (核查通过). Needs PermVerify, and the verifier must not be
// the handler.
func (e *Engine) Verify(ctx context.Context, actor gridgov.Actor, in Step) (Complaint, error) {
	return e.run(ctx, actor, in, command{ev: EventVerify, perm: governance.PermVerify,
		update: func(_ context.Context, c *Complaint, _ *step, now time.Time) error {
			c.VerifiedAt = now
			return nil
		}})
}

// SendBack returns a resolved complaint for rework (退回重办), with the reason in the note.
// Needs PermVerify; the verifier must not be the handler.
func (e *Engine) SendBack(ctx context.Context, actor gridgov.Actor, in Step) (Complaint, error) {
	return e.run(ctx, actor, in, command{ev: EventSendBack, perm: governance.PermVerify,
		needNote: true, update: e.rework})
}

// rework reopens handling at the current tier with a fresh resolution deadline.
func (e *Engine) rework(_ context.Context, c *Complaint, _ *step, now time.Time) error {
	c.Reworks++
	c.ResolvedAt, c.VerifiedAt, c.RatedAt = time.Time{}, time.Time{}, time.Time{}
	c.Rating = Rating{}
	_, res := e.limits(c, c.Tier)
	c.ResolutionDue = e.after(now, res)
	c.ResolutionWarnAt = e.warnAfter(now, res, e.tiers[c.Tier].WarnAt)
	c.WarnedResolution, c.BreachedResolution = false, false
	return nil
}

// Rate records the reporter's rating (评价). Only the reporter (or a system actor, e.g. a
// call-back centre) may rate.
func (e *Engine) Rate(ctx context.Context, actor gridgov.Actor, in RatingInput) (Complaint, error) {
	return e.run(ctx, actor, in.Step, command{ev: EventRate, in: &in,
		update: func(_ context.Context, c *Complaint, _ *step, now time.Time) error {
			c.Rating = Rating{Satisfaction: in.Satisfaction, Resolved: in.Resolved, Comment: in.Note}
			c.RatedAt = now
			return nil
		}})
}

// Reopen takes a complaint rated unsatisfied back into handling (重新办理), with the reason
// in the note.
func (e *Engine) Reopen(ctx context.Context, actor gridgov.Actor, in Step) (Complaint, error) {
	return e.run(ctx, actor, in, command{ev: EventReopen, perm: governance.PermHandleComplaints,
		needNote: true, update: e.rework})
}

// Archive closes a rated complaint, or a verified one whose rating window has passed (归档).
func (e *Engine) Archive(ctx context.Context, actor gridgov.Actor, in Step) (Complaint, error) {
	return e.run(ctx, actor, in, command{ev: EventArchive, perm: governance.PermHandleComplaints,
		update: closeAt})
}

// Withdraw withdraws the complaint (撤回), with the reason in the note. Only the reporter (or
// a system actor) may withdraw.
func (e *Engine) Withdraw(ctx context.Context, actor gridgov.Actor, in Step) (Complaint, error) {
	return e.run(ctx, actor, in, command{ev: EventWithdraw, needNote: true,
		update: func(ctx context.Context, c *Complaint, s *step, now time.Time) error {
			c.PausedAt = time.Time{}
			return closeAt(ctx, c, s, now)
		}})
}

// The guards: pure checks on the complaint as read and the command's input.

func guardResolve(s *step) error {
	for _, sm := range s.c.Summons {
		if sm.Lead && !sm.Reported() {
			return refuse(fmt.Sprintf("lead party %s has not reported", sm.Party),
				fmt.Sprintf("牵头单位“%s”尚未报到", sm.Party.NameZH()))
		}
	}
	return nil
}

func guardVerify(s *step) error {
	if !s.actor.IsSystem() && s.actor.ID == s.c.Handler {
		return fmt.Errorf("%w: the handler may not verify their own work (办理人不能核查自己办理的诉求)",
			gridgov.ErrForbidden)
	}
	return nil
}

func guardReopen(s *step) error {
	if s.c.Rating.Satisfaction != Unsatisfied {
		return refuse("only a complaint rated unsatisfied can be reopened", "只有评价为不满意的诉求才能重新办理")
	}
	return nil
}

func guardEscalate(s *step) error {
	if s.c.Tier >= len(s.eng.tiers)-1 {
		return refuse("the complaint is already at the top tier", "诉求已在最高层级")
	}
	return nil
}

func guardArchive(s *step) error {
	if s.c.State == StateVerified && s.eng.policy.RatingWindow > 0 &&
		s.now.Before(s.c.VerifiedAt.Add(s.eng.policy.RatingWindow)) {
		return refuse("the reporter's rating window has not passed", "诉求人评价期限未满")
	}
	return nil
}

func guardDuplicate(s *step) error {
	if in, ok := s.in.(*DuplicateInput); ok && in.Of == s.c.ID {
		return gridgov.Invalid("Of", "self", "a complaint cannot duplicate itself", "诉求不能与自身重复")
	}
	return nil
}
