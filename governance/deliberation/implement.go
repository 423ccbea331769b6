package deliberation

import (
	"context"
	"errors"
	"fmt"

	"github.com/shopspring/decimal"

	"github.com/gridgov/gridgov"
	"github.com/gridgov/gridgov/funding"
)

// Implement starts carrying out the decision (组织实施). It is refused
// (gridgov.ErrInvalidTransition) until the latest notice (the tender result's after an award,
// else the decision's) has ended with every objection answered. The bill is in.Bill, or the
// award's price, or the decided option's cost; for a residents-funded option it is split
// with funding.SplitCost (the subsidy share first, then the residents' part by area or
// equally to the fen) among in.Households or, by default, the vote roll's households with
// their areas. Needs a member of the community Party committee.
func (f *Forum) Implement(ctx context.Context, actor gridgov.Actor, in ImplementInput) (Item, error) {
	return f.run(ctx, actor, in.Step, command{ev: EventImplement, who: byCommittee, in: &in.Step,
		update: func(_ context.Context, it *Item, s *step) (*Disclosure, error) {
			p, ok := it.Proposal(it.Decision)
			if !ok {
				return nil, refuse("the item has no decided option", "议题没有已决定的方案")
			}
			bill := in.Bill
			switch {
			case !bill.IsZero():
				if err := checkPositive("Bill", bill); err != nil {
					return nil, err
				}
			case !it.Award.AwardedAt.IsZero():
				bill = it.Award.Price
			default:
				bill = p.Cost
			}
			im := Implementation{StartedAt: s.now, Bill: bill}
			if p.Funding == FundResidents {
				split, err := splitCost(it, p, bill, in.Households)
				if err != nil {
					return nil, err
				}
				im.Split = split
			} else if len(in.Households) > 0 {
				return nil, gridgov.Invalid("Households", "excluded",
					fmt.Sprintf("option %s is not funded by the residents; no households share its cost", p.ID),
					fmt.Sprintf("方案%s不由居民自筹，无需分摊", p.ID))
			}
			it.Implementation = im
			return nil, nil
		}})
}

// splitCost splits a residents-funded option's bill among the households.
func splitCost(it *Item, p Proposal, bill decimal.Decimal, households []funding.Household) (funding.CostSplit, error) {
	if len(households) == 0 {
		for _, h := range it.Vote.Roll.Households {
			households = append(households, funding.Household{ID: h.ID, Area: h.Area})
		}
	}
	if len(households) == 0 {
		return funding.CostSplit{}, gridgov.Invalid("Households", "required",
			"the vote had no roll: name the households that share the cost",
			"表决未使用业主名册：请填写分摊费用的住户")
	}
	return funding.SplitCost(funding.CostShare{Bill: bill, SubsidyAmount: p.SubsidyAmount,
		SubsidyRate: p.SubsidyRate, SubsidyFrom: p.SubsidyFrom, Basis: p.Basis, Households: households})
}

// Progress reports implementation progress (实施进度) in percent, never going down; 100 means
// done. Needs PermDeliberate or PermHandleComplaints at the item's node (the property firm
// reports); retried on a version conflict when the step names no version.
func (f *Forum) Progress(ctx context.Context, actor gridgov.Actor, in ProgressInput) (Item, error) {
	return f.run(ctx, actor, in.Step, command{ev: EventProgress, who: byLocal, in: &in, retry: true,
		update: func(_ context.Context, it *Item, s *step) (*Disclosure, error) {
			ps := it.Implementation.Progress
			if n := len(ps); n > 0 && in.Percent < ps[n-1].Percent {
				return nil, gridgov.Invalid("Percent", "gte",
					fmt.Sprintf("progress may not go down from %d%% to %d%%", ps[n-1].Percent, in.Percent),
					fmt.Sprintf("进度不能从%d%%下降到%d%%", ps[n-1].Percent, in.Percent))
			}
			it.Implementation.Progress = append(ps, Progress{At: s.now, Percent: in.Percent, Note: in.Note, By: s.actor.ID})
			return nil, nil
		}})
}

// Audit records the satisfaction assessment (效果评估) by resident representatives, experts or
// a third party, once implementation has reached 100% (gridgov.ErrInvalidTransition before).
// Needs a member of the community Party committee.
func (f *Forum) Audit(ctx context.Context, actor gridgov.Actor, in AuditInput) (Item, error) {
	return f.run(ctx, actor, in.Step, command{ev: EventAudit, who: byCommittee, in: &in,
		update: func(_ context.Context, it *Item, s *step) (*Disclosure, error) {
			a := Audit{AssessorKind: in.AssessorKind, Assessor: in.Assessor, Satisfied: in.Satisfied,
				BasicSatisfied: in.BasicSatisfied, Unsatisfied: in.Unsatisfied, Note: in.Note, At: s.now}
			if a.Responses() == 0 {
				return nil, gridgov.Invalid("Satisfied", "responses", "the assessment needs at least one response",
					"评估至少需要一份反馈")
			}
			it.Audit = a
			return nil, nil
		}})
}

// Close closes an audited item (办结); a linked complaint resumes and is resolved with the
// decision in its note, ready for verification and the reporter's rating. Needs a member of
// the community Party committee.
func (f *Forum) Close(ctx context.Context, actor gridgov.Actor, in Step) (Item, error) {
	return f.run(ctx, actor, in, command{ev: EventClose, who: byCommittee})
}

// Withdraw withdraws an item before its vote opens (撤回), with the reason in the note; a
// linked complaint resumes. Before the referral it needs PermDeliberate or
// PermHandleComplaints at the item's node, after it a member of the community Party
// committee.
func (f *Forum) Withdraw(ctx context.Context, actor gridgov.Actor, in Step) (Item, error) {
	return f.run(ctx, actor, in, command{ev: EventWithdraw, who: byLocalOrCommittee, needNote: true})
}

// Disclose records a disclosure of the item (信息公开): proactive, or on a resident's request
// (with the requester's name), with its subject, channel and date (not in the future; the
// request not after it). Allowed in every state; the state is kept. Needs PermDeliberate or
// PermHandleComplaints at the item's node; retried on a version conflict when the step
// names no version.
func (f *Forum) Disclose(ctx context.Context, actor gridgov.Actor, in DiscloseInput) (Item, error) {
	if err := f.checkStep(in.Step, false, &in); err != nil {
		return Item{}, err
	}
	var verr gridgov.ValidationError
	invalidText(&verr, "Summary", in.Summary)
	if in.Kind == DisclosureOnRequest && in.RequesterName == "" {
		verr.Add("RequesterName", "required_if", "an on-request disclosure names the requester",
			"依申请公开必须填写申请人")
	}
	if err := verr.Err(); err != nil {
		return Item{}, err
	}
	for attempt := 0; ; attempt++ {
		it, err := f.disclose(ctx, actor, in)
		if errors.Is(err, gridgov.ErrConflict) && in.Version == 0 && attempt < maxRetries {
			continue
		}
		return it, err
	}
}

func (f *Forum) disclose(ctx context.Context, actor gridgov.Actor, in DiscloseInput) (Item, error) {
	it, err := f.store.GetItem(ctx, in.ID)
	if err != nil {
		return Item{}, err
	}
	if in.Version != 0 && in.Version != it.Version {
		return Item{}, conflict(it, in.Version)
	}
	if err := f.authorize(ctx, actor, &it, byLocal); err != nil {
		return Item{}, err
	}
	now := f.clock.Now()
	d := Disclosure{NodeID: it.NodeID, Kind: in.Kind, Subject: in.Subject, Channel: in.Channel,
		Date: in.Date, Summary: in.Summary, RecordedBy: actor}
	if d.Date.IsZero() {
		d.Date = now
	}
	var verr gridgov.ValidationError
	if d.Date.After(now) {
		verr.Add("Date", "future", "the disclosure date lies in the future", "公开日期不能晚于当前时间")
	}
	if in.Kind == DisclosureOnRequest {
		d.Requester, d.RequestedAt = gridgov.PersonName(in.RequesterName), in.RequestedAt
		if d.RequestedAt.IsZero() {
			d.RequestedAt = d.Date
		} else if d.RequestedAt.After(d.Date) {
			verr.Add("RequestedAt", "ltefield", "the request comes after the disclosure", "申请时间晚于公开日期")
		}
	} else if in.RequesterName != "" || !in.RequestedAt.IsZero() {
		verr.Add("RequesterName", "excluded_unless", "only an on-request disclosure names a requester",
			"只有依申请公开才填写申请人")
	}
	if err := verr.Err(); err != nil {
		return Item{}, err
	}
	it.UpdatedAt = now
	return f.save(ctx, actor, it, Event{Kind: EventDisclose, From: it.State, To: it.State, Actor: actor,
		At: now, Note: in.Note, Disclosure: &d})
}
