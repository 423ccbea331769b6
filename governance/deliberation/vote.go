package deliberation

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/shopspring/decimal"

	"github.com/gridgov/gridgov"
	"github.com/gridgov/gridgov/funding"
)

// Propose puts two or more costed options on the table (提出方案), for example the Beiyuan
// unit door: pay from the public maintenance fund, or the residents' own money with a
// property-firm subsidy. Each option's cost is positive and whole fen; a subsidy (rate or
// amount, with its payer) belongs only to a residents-funded option and is checked as
// funding.SplitCost would check it. Needs a member of the community Party committee.
func (f *Forum) Propose(ctx context.Context, actor gridgov.Actor, in ProposalsInput) (Item, error) {
	return f.run(ctx, actor, in.Step, command{ev: EventPropose, who: byCommittee, in: &in,
		update: func(_ context.Context, it *Item, _ *step) (*Disclosure, error) {
			ps, err := buildProposals(in.Proposals)
			if err != nil {
				return nil, err
			}
			it.Proposals = ps
			return nil, nil
		}})
}

// buildProposals checks the option inputs and builds the options.
func buildProposals(in []ProposalInput) ([]Proposal, error) {
	var verr gridgov.ValidationError
	out := make([]Proposal, len(in))
	for i, p := range in {
		field := fmt.Sprintf("Proposals[%d]", i)
		id := p.ID
		if id == "" && i < 26 {
			id = string(rune('A' + i))
		}
		out[i] = Proposal{ID: id, Title: p.Title, Description: p.Description, Cost: p.Cost,
			Funding: p.Funding, SubsidyRate: p.SubsidyRate, SubsidyAmount: p.SubsidyAmount,
			SubsidyFrom: p.SubsidyFrom, Basis: p.Basis, Matter: p.Matter}
		if out[i].Matter == "" {
			out[i].Matter = MatterOther
		}
		invalidText(&verr, field+".Description", p.Description)
		if err := checkPositive(field+".Cost", p.Cost); err != nil {
			verr.Merge(err)
			continue
		}
		subsidy := p.SubsidyRate.Sign() != 0 || p.SubsidyAmount.Sign() != 0 || p.SubsidyFrom != ""
		if p.Funding != FundResidents {
			if subsidy || p.Basis != "" {
				verr.Add(field+".Funding", "subsidy",
					fmt.Sprintf("%s: a subsidy and a sharing basis belong only to a residents-funded option", field),
					fmt.Sprintf("%s：补贴和分摊方式只适用于居民自筹方案", field))
			}
			continue
		}
		if out[i].Basis == "" {
			out[i].Basis = funding.CostByArea
		}
		// Check the subsidy as SplitCost will, on a one-household split of the cost.
		_, err := funding.SplitCost(funding.CostShare{Bill: p.Cost, SubsidyAmount: p.SubsidyAmount,
			SubsidyRate: p.SubsidyRate, SubsidyFrom: p.SubsidyFrom, Basis: out[i].Basis,
			Households: []funding.Household{{ID: "h", Area: decimal.NewFromInt(1)}}})
		var fe *gridgov.ValidationError
		if errors.As(err, &fe) {
			for _, x := range fe.Fields {
				verr.Add(field+"."+x.Field, x.Tag, field+": "+x.EN, field+"："+x.ZH)
			}
		} else if err != nil {
			return nil, err
		}
	}
	checkProposalIDs(&verr, out, "Proposals")
	return out, verr.Err()
}

// OpenVote opens the vote under a rule (启动表决): a meeting rule counts the meeting's voting
// participants (no roll); an owners' rule, such as [CivilCode278], needs the vote roll
// (业主名册) of the item's node, whose totals must match the households and the node's labels
// [LabelArea], [LabelOwners] and [LabelHouseholds] where set. Needs a member of the
// community Party committee.
func (f *Forum) OpenVote(ctx context.Context, actor gridgov.Actor, in OpenVoteInput) (Item, error) {
	return f.run(ctx, actor, in.Step, command{ev: EventOpenVote, who: byCommittee, in: &in.Step,
		update: func(ctx context.Context, it *Item, s *step) (*Disclosure, error) {
			var verr gridgov.ValidationError
			in.Rule.validate(&verr, "Rule.")
			switch in.Rule.Kind {
			case RuleOwners:
				if in.Roll.validate(&verr, "Roll.") {
					node, err := f.reg.Node(ctx, it.NodeID)
					if err != nil {
						return nil, err
					}
					in.Roll.checkLabels(&verr, "Roll.", node.Labels)
				}
			case RuleMeeting:
				if len(in.Roll.Households) > 0 || !in.Roll.TotalArea.IsZero() || in.Roll.TotalOwners != 0 {
					verr.Add("Roll", "excluded", "a meeting vote takes no roll", "会议表决不使用业主名册")
				}
			}
			if err := verr.Err(); err != nil {
				return nil, err
			}
			it.Vote = Vote{Rule: in.Rule.Clone(), Roll: in.Roll.Clone(), OpenedAt: s.now}
			return nil, nil
		}})
}

// Cast records ballots (记录表决票): an owner's or attendee's own, or a canvasser's sheet of
// households collected door to door (逐户征求意见), with who collected each and when. The
// batch is recorded whole or not at all.
//
// Refusals: gridgov.ErrInvalid for a household not on the roll or a participant not invited,
// a second ballot for a household or participant (in the batch or before), an unknown
// choice, an owner of several households choosing differently, or a collection time in the
// future or before the vote opened; gridgov.ErrForbidden for a voter who is not an owner or
// co-owner of the household, an attendee who does not vote or did not attend, or a
// canvasser without PermEscalate, PermDeliberate or PermHandleComplaints at the item's node
// recording ballots that are not their own; gridgov.ErrInvalidTransition when the item is
// not voting. Retried on a version conflict when the step names no version.
func (f *Forum) Cast(ctx context.Context, actor gridgov.Actor, in CastInput) (Item, error) {
	return f.run(ctx, actor, in.Step, command{ev: EventBallot, who: byVoters, in: &in, retry: true,
		update: func(ctx context.Context, it *Item, s *step) (*Disclosure, error) {
			ballots, err := f.ballots(ctx, it, s, in.Ballots)
			if err != nil {
				return nil, err
			}
			it.Vote.Ballots = append(it.Vote.Ballots, ballots...)
			return nil, nil
		}})
}

// ballots builds, checks and authorises the ballots of a Cast.
func (f *Forum) ballots(ctx context.Context, it *Item, s *step, in []BallotInput) ([]Ballot, error) {
	v := &it.Vote
	var verr gridgov.ValidationError
	out := make([]Ballot, len(in))
	for i, b := range in {
		field := fmt.Sprintf("Ballots[%d]", i)
		at := b.CollectedAt
		switch {
		case at.IsZero():
			at = s.now
		case at.After(s.now):
			verr.Add(field+".CollectedAt", "future", fmt.Sprintf("%s.CollectedAt lies in the future", field),
				fmt.Sprintf("%s.CollectedAt（征求时间）不能晚于当前时间", field))
		case at.Before(v.OpenedAt):
			verr.Add(field+".CollectedAt", "opened", fmt.Sprintf("%s.CollectedAt is before the vote opened", field),
				fmt.Sprintf("%s.CollectedAt（征求时间）早于表决开始时间", field))
		}
		method := b.Method
		if method == "" {
			method = MethodDoorToDoor
			if v.Rule.Kind == RuleMeeting {
				method = MethodMeeting
			}
		}
		out[i] = Ballot{HouseholdID: b.HouseholdID, ParticipantID: b.ParticipantID, VoterID: b.VoterID,
			Choice: b.Choice, CollectedBy: s.actor.ID, CollectedAt: at, Method: method}
		if v.Rule.Kind == RuleMeeting && b.VoterID == "" {
			for _, p := range it.Meeting.Participants {
				if p.ID == b.ParticipantID {
					out[i].VoterID = p.PersonID
				}
			}
		}
	}
	if err := verr.Err(); err != nil {
		return nil, err
	}
	bk := newBook(v.Rule.Kind, v.Roll, it.Meeting.Participants, it.Proposals)
	bk.seed(v.Ballots)
	if err := bk.check(out, "Ballots"); err != nil {
		return nil, err
	}
	// Anyone recording a ballot that is not their own must be a canvasser.
	if !s.actor.IsSystem() {
		for _, b := range out {
			if s.actor.Kind != gridgov.ActorPerson || s.actor.ID == "" || b.VoterID != s.actor.ID {
				if err := f.authorizeAny(ctx, s.actor, it.NodeID, canvasserPerms); err != nil {
					return nil, err
				}
				break
			}
		}
	}
	return out, nil
}

// CloseVote closes the vote and counts it ([CountVotes]): an option that passes is decided
// (已决定); otherwise the item is rejected (未通过) and a linked complaint resumes. Needs a
// member of the community Party committee.
func (f *Forum) CloseVote(ctx context.Context, actor gridgov.Actor, in Step) (Item, error) {
	return f.run(ctx, actor, in, command{who: byCommittee,
		pick: func(_ context.Context, it *Item, s *step) (EventKind, error) {
			if it.State != StateVoting {
				return EventDecide, nil // the state machine refuses it
			}
			t, err := CountVotes(TallyInput{Rule: it.Vote.Rule, Roll: it.Vote.Roll,
				Participants: it.Meeting.Participants, Proposals: it.Proposals, Ballots: it.Vote.Ballots})
			if err != nil {
				return "", err
			}
			it.Vote.Tally, it.Vote.ClosedAt = t, s.now
			if t.Outcome == OutcomeDecided {
				it.Decision = t.WinnerID
				return EventDecide, nil
			}
			return EventReject, nil
		}})
}

// decisionTitle returns the decided option's ID and title, for notes.
func (it Item) decisionTitle() string {
	p, ok := it.Proposal(it.Decision)
	if !ok {
		return ""
	}
	return strings.TrimSpace(p.ID + " " + p.Title)
}
