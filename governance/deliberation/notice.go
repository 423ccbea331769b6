package deliberation

import (
	"context"
	"fmt"

	"github.com/shopspring/decimal"

	"github.com/gridgov/gridgov"
	"github.com/gridgov/gridgov/funding"
)

// Publicise posts a public notice (公示) for Days days (the forum's default when zero): of
// the decision when the item is decided, of the tender result when it is awarded. The same
// store call logs the notice as a proactive disclosure. Needs a member of the community
// Party committee.
func (f *Forum) Publicise(ctx context.Context, actor gridgov.Actor, in NoticeInput) (Item, error) {
	return f.run(ctx, actor, in.Step, command{ev: EventPublicise, who: byCommittee, in: &in,
		update: func(_ context.Context, it *Item, s *step) (*Disclosure, error) {
			var verr gridgov.ValidationError
			invalidText(&verr, "Content", in.Content)
			if err := verr.Err(); err != nil {
				return nil, err
			}
			kind, subject := NoticeDecision, SubjectDecision
			if it.State == StateAwardPublicised {
				kind, subject = NoticeAward, SubjectAward
			}
			days := in.Days
			if days == 0 {
				days = f.noticeDays
			}
			it.Notices = append(it.Notices, Notice{Kind: kind, Content: in.Content, Channel: in.Channel,
				Start: s.now, End: s.now.AddDate(0, 0, days)})
			return &Disclosure{NodeID: it.NodeID, Kind: DisclosureProactive, Subject: subject,
				Channel: in.Channel, Date: s.now, Summary: in.Content, RecordedBy: s.actor}, nil
		}})
}

// Object records a resident's objection to the current notice (提出异议), during its period
// only (gridgov.ErrInvalidTransition otherwise). Any person may object. Retried on a
// version conflict when the step names no version.
func (f *Forum) Object(ctx context.Context, actor gridgov.Actor, in ObjectionInput) (Item, error) {
	return f.run(ctx, actor, in.Step, command{ev: EventObject, who: byAnyone, in: &in, retry: true,
		update: func(_ context.Context, it *Item, s *step) (*Disclosure, error) {
			var verr gridgov.ValidationError
			invalidText(&verr, "Content", in.Content)
			if err := verr.Err(); err != nil {
				return nil, err
			}
			n := 0
			for _, nt := range it.Notices {
				n += len(nt.Objections)
			}
			last := &it.Notices[len(it.Notices)-1]
			last.Objections = append(last.Objections, Objection{ID: fmt.Sprintf("o%d", n+1), By: s.actor.ID,
				Name: gridgov.PersonName(in.Name), Content: in.Content, At: s.now})
			return nil, nil
		}})
}

// Answer answers an objection (答复异议). gridgov.ErrInvalid for an unknown or already
// answered objection. Needs a member of the community Party committee; retried on a
// version conflict when the step names no version.
func (f *Forum) Answer(ctx context.Context, actor gridgov.Actor, in AnswerInput) (Item, error) {
	return f.run(ctx, actor, in.Step, command{ev: EventAnswer, who: byCommittee, in: &in, retry: true,
		update: func(_ context.Context, it *Item, s *step) (*Disclosure, error) {
			var verr gridgov.ValidationError
			invalidText(&verr, "Answer", in.Answer)
			if err := verr.Err(); err != nil {
				return nil, err
			}
			for i := range it.Notices {
				for j := range it.Notices[i].Objections {
					o := &it.Notices[i].Objections[j]
					if o.ID != in.ObjectionID {
						continue
					}
					if o.Answered() {
						return nil, gridgov.Invalid("ObjectionID", "answered",
							fmt.Sprintf("objection %q has already been answered", o.ID),
							fmt.Sprintf("异议“%s”已经答复", o.ID))
					}
					o.Answer, o.AnsweredBy, o.AnsweredAt = in.Answer, s.actor.ID, s.now
					return nil, nil
				}
			}
			return nil, gridgov.Invalid("ObjectionID", "exists",
				fmt.Sprintf("objection %q does not exist", in.ObjectionID),
				fmt.Sprintf("异议“%s”不存在", in.ObjectionID))
		}})
}

// Award records the tender result (定标): vendor, price (positive, whole fen) and model. It
// is refused (gridgov.ErrInvalidTransition) until the decision's notice period has ended
// with every objection answered. Post its notice with [Forum.Publicise]. Needs a member of
// the community Party committee.
func (f *Forum) Award(ctx context.Context, actor gridgov.Actor, in AwardInput) (Item, error) {
	return f.run(ctx, actor, in.Step, command{ev: EventAward, who: byCommittee, in: &in,
		update: func(_ context.Context, it *Item, s *step) (*Disclosure, error) {
			if err := checkPositive("Price", in.Price); err != nil {
				return nil, err
			}
			it.Award = Award{Vendor: in.Vendor, Price: in.Price, Model: in.Model, Method: in.Method, AwardedAt: s.now}
			return nil, nil
		}})
}

// checkPositive checks a positive amount of whole fen (funding.CheckAmount).
func checkPositive(field string, d decimal.Decimal) error {
	if d.Sign() <= 0 {
		return gridgov.Invalid(field, "gt", field+" must be a positive amount in yuan", field+"必须为正数金额（元）")
	}
	return funding.CheckAmount(field, d)
}
