package deliberation

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"

	"github.com/gridgov/gridgov"
	"github.com/gridgov/gridgov/escalation"
	"github.com/gridgov/gridgov/governance"
)

// Raise raises an agenda item (提出议题) at a compound or building node: from a complaint
// (SourceComplaint, needs [WithComplaints]; the complaint must be in handling: signed, in
// progress or paused) or directly from a building meeting, a chat group or a committee. A
// retry with the same Key (for a complaint, by default "complaint:" and its ID) returns the
// first item. An item from a complaint then pauses the complaint (see [ComplaintSyncError]
// when that fails).
//
// The actor needs governance.PermEscalate, PermDeliberate or PermHandleComplaints at the
// node. Bad input is gridgov.ErrInvalid naming every failing field; a complaint that is not
// in handling is gridgov.ErrInvalidTransition.
func (f *Forum) Raise(ctx context.Context, actor gridgov.Actor, in RaiseInput) (Item, error) {
	var verr gridgov.ValidationError
	if err := verr.Merge(f.valid.Struct(in)); err != nil {
		return Item{}, err
	}
	complaint := in.Source == SourceComplaint
	switch {
	case complaint && in.ComplaintID == "":
		verr.Add("ComplaintID", "required_if", "ComplaintID is required for an item raised from a complaint",
			"由诉求转来的议题必须填写诉求编号（ComplaintID）")
	case !complaint && in.ComplaintID != "":
		verr.Add("ComplaintID", "excluded_unless", "ComplaintID is only for an item raised from a complaint",
			"只有由诉求转来的议题才能填写诉求编号（ComplaintID）")
	}
	if !complaint && in.NodeID == "" {
		verr.Add("NodeID", "required", "NodeID (the compound or building) is required", "必须填写所属节点（NodeID）")
	}
	if !complaint && in.Category == "" {
		verr.Add("Category", "required", "Category is required", "必须填写类别（Category）")
	}
	if complaint && f.complaints == nil {
		verr.Add("ComplaintID", "engine", "no complaint engine is linked to the forum (WithComplaints)",
			"议事会未关联诉求办理引擎（WithComplaints）")
	}
	invalidText(&verr, "Description", in.Description)
	if err := verr.Err(); err != nil {
		return Item{}, err
	}

	it := Item{ID: in.ID, Title: in.Title, Description: in.Description, Category: in.Category,
		Source: in.Source, ComplaintID: in.ComplaintID, RaisedBy: actor, State: StateRaised}
	key, nodeID := in.Key, in.NodeID
	if complaint {
		c, err := f.complaints.Store().GetComplaint(ctx, in.ComplaintID)
		if errors.Is(err, gridgov.ErrNotFound) {
			return Item{}, gridgov.Invalid("ComplaintID", "exists",
				fmt.Sprintf("complaint %q does not exist", in.ComplaintID),
				fmt.Sprintf("诉求“%s”不存在", in.ComplaintID))
		} else if err != nil {
			return Item{}, err
		}
		switch c.State {
		case escalation.StateSigned, escalation.StateInProgress, escalation.StatePaused:
		default:
			return Item{}, fmt.Errorf("%w: complaint %q is %s; only a complaint in handling becomes an agenda item (诉求处于“%s”状态，只有办理中的诉求才能转为议题)",
				gridgov.ErrInvalidTransition, c.ID, c.State, c.State.NameZH())
		}
		if it.Description == "" {
			it.Description = c.Description
		}
		if it.Category == "" {
			it.Category = c.Category
		}
		if nodeID, err = f.complaintNode(ctx, c, nodeID); err != nil {
			return Item{}, err
		}
		if key == "" {
			key = "complaint:" + c.ID
		}
	}
	path, err := f.itemPath(ctx, nodeID)
	if err != nil {
		return Item{}, err
	}
	it.NodeID, it.Path = nodeID, path
	if err := f.authorize(ctx, actor, &it, byRaiser); err != nil {
		return Item{}, err
	}
	now := f.clock.Now()
	it.CreatedAt, it.UpdatedAt = now, now
	if it.ID == "" {
		it.ID = f.ids.NewID()
	}
	ev := Event{ItemID: it.ID, Kind: EventRaise, To: StateRaised, Actor: actor, At: now, Note: in.Title}
	stored, created, err := f.store.CreateItem(ctx, it, key, ev)
	if err != nil {
		return Item{}, err
	}
	if created {
		f.log.LogAttrs(ctx, slog.LevelInfo, "item raised", slog.String("id", stored.ID),
			slog.String("node", stored.NodeID), slog.String("source", string(stored.Source)),
			slog.String("actor", actor.String()))
	}
	syncErr := f.syncComplaint(ctx, stored)
	view, err := f.view(ctx, actor, stored)
	if err != nil {
		view = stored.masked()
	}
	return view, syncErr
}

// complaintNode returns the item's node for complaint c: nodeID when it is on the
// complaint's path, or (when nodeID is empty) the nearest node on the path, from the
// complaint's node up, that is a compound or building.
func (f *Forum) complaintNode(ctx context.Context, c escalation.Complaint, nodeID string) (string, error) {
	if nodeID != "" {
		if !slices.Contains(c.Path, nodeID) {
			return "", gridgov.Invalid("NodeID", "path",
				fmt.Sprintf("node %q does not contain the complaint's node %q", nodeID, c.NodeID),
				fmt.Sprintf("节点“%s”不包含诉求所在节点“%s”", nodeID, c.NodeID))
		}
		return nodeID, nil
	}
	path, err := f.reg.Path(ctx, c.NodeID)
	if err != nil {
		return "", err
	}
	for i := len(path) - 1; i >= 0; i-- {
		if f.qualifies(path[i]) {
			return path[i].ID, nil
		}
	}
	return "", gridgov.Invalid("NodeID", "level",
		fmt.Sprintf("the complaint's node %q lies in no compound or building; name the item's node", c.NodeID),
		fmt.Sprintf("诉求所在节点“%s”不属于任何小区或楼栋，请指定议题所属节点", c.NodeID))
}

// itemPath checks that nodeID names an active compound or building node and returns its
// path of IDs, root first.
func (f *Forum) itemPath(ctx context.Context, nodeID string) ([]string, error) {
	path, err := f.reg.Path(ctx, nodeID)
	if errors.Is(err, gridgov.ErrNotFound) {
		return nil, gridgov.Invalid("NodeID", "exists", fmt.Sprintf("node %q does not exist", nodeID),
			fmt.Sprintf("节点“%s”不存在", nodeID))
	} else if err != nil {
		return nil, err
	}
	n := path[len(path)-1]
	switch {
	case n.Retired:
		return nil, gridgov.Invalid("NodeID", "active", fmt.Sprintf("node %q is retired", nodeID),
			fmt.Sprintf("节点“%s”已撤销", nodeID))
	case !f.qualifies(n):
		return nil, gridgov.Invalid("NodeID", "level",
			fmt.Sprintf("node %q (level %q) is neither a compound nor a building", nodeID, n.Level),
			fmt.Sprintf("节点“%s”（层级“%s”）既不是小区也不是楼栋", nodeID, n.Level))
	}
	ids := make([]string, len(path))
	for i, p := range path {
		ids[i] = p.ID
	}
	return ids, nil
}

// qualifies reports whether agenda items may belong to n: it sits at the scheme's compound
// level or at a level of kind compound or building.
func (f *Forum) qualifies(n governance.Node) bool {
	s := f.reg.Scheme()
	if key, ok := s.Compound(); ok && key == n.Level {
		return true
	}
	l, ok := s.Level(n.Level)
	return ok && (l.Kind == governance.KindCompound || l.Kind == governance.KindBuilding)
}

// StartFirstRound starts the first round (首轮协商) with its participants: the property firm,
// the owners' committee, building leaders and resident activists. Needs PermDeliberate or
// PermHandleComplaints at the item's node.
func (f *Forum) StartFirstRound(ctx context.Context, actor gridgov.Actor, in FirstRoundInput) (Item, error) {
	return f.run(ctx, actor, in.Step, command{ev: EventStart, who: byLocal, in: &in,
		update: func(ctx context.Context, it *Item, s *step) (*Disclosure, error) {
			ps, err := f.participants(ctx, in.Participants, FirstRoundKinds(), false)
			if err != nil {
				return nil, err
			}
			it.FirstRound = FirstRound{Participants: ps, StartedAt: s.now}
			return nil, nil
		}})
}

// Settle records that the first round settled the matter (首轮化解), with the settlement in
// the note; the item is done and a linked complaint resumes toward resolution.
func (f *Forum) Settle(ctx context.Context, actor gridgov.Actor, in Step) (Item, error) {
	return f.run(ctx, actor, in, command{ev: EventSettle, who: byLocal, needNote: true,
		update: func(_ context.Context, it *Item, s *step) (*Disclosure, error) {
			it.FirstRound.Outcome, it.FirstRound.EndedAt, it.FirstRound.Settled = in.Note, s.now, true
			return nil, nil
		}})
}

// Refer refers what the first round could not settle to the community Party committee
// (提交社区党委), with the reason in the note. The committee is the active organisation of
// kind governance.OrgPartyCommittee at the item's community (the first by ID when there are
// several); gridgov.ErrInvalid when there is none.
func (f *Forum) Refer(ctx context.Context, actor gridgov.Actor, in Step) (Item, error) {
	return f.run(ctx, actor, in, command{ev: EventRefer, who: byLocal, needNote: true,
		update: func(ctx context.Context, it *Item, s *step) (*Disclosure, error) {
			community, committee, err := f.committeeOf(ctx, it)
			if err != nil {
				return nil, err
			}
			it.FirstRound.Outcome, it.FirstRound.EndedAt = in.Note, s.now
			it.Referral = Referral{CommunityID: community, CommitteeID: committee, Reason: in.Note, ReferredAt: s.now}
			return nil, nil
		}})
}

// committeeOf finds the item's community and its Party committee.
func (f *Forum) committeeOf(ctx context.Context, it *Item) (community, committee string, err error) {
	level, ok := f.reg.Scheme().LevelOfKind(governance.KindCommunity)
	if !ok {
		return "", "", gridgov.Invalid("NodeID", "community", "the scheme has no community level",
			"层级方案没有社区层级")
	}
	node, err := f.reg.AncestorAt(ctx, it.NodeID, level.Key)
	if errors.Is(err, gridgov.ErrNotFound) {
		return "", "", gridgov.Invalid("NodeID", "community",
			fmt.Sprintf("node %q lies in no community", it.NodeID), fmt.Sprintf("节点“%s”不属于任何社区", it.NodeID))
	} else if err != nil {
		return "", "", err
	}
	orgs, err := f.reg.OrganisationsAt(ctx, node.ID)
	if err != nil {
		return "", "", err
	}
	for _, o := range orgs {
		if o.Kind == governance.OrgPartyCommittee {
			return node.ID, o.ID, nil
		}
	}
	return "", "", gridgov.Invalid("NodeID", "committee",
		fmt.Sprintf("community %q has no Party committee to refer the item to", node.ID),
		fmt.Sprintf("社区“%s”没有可提交的社区党委", node.ID))
}

// Review accepts a referred item for consultation (审核受理), with the committee's view in
// the note. Needs a member of the community Party committee with PermDeliberate.
func (f *Forum) Review(ctx context.Context, actor gridgov.Actor, in Step) (Item, error) {
	return f.run(ctx, actor, in, command{ev: EventReview, who: byCommittee,
		update: func(_ context.Context, it *Item, s *step) (*Disclosure, error) {
			it.Referral.ReviewedAt, it.Referral.ReviewedBy, it.Referral.ReviewNote = s.now, s.actor.ID, in.Note
			return nil, nil
		}})
}

// Dismiss refuses a referred item (不予议事), with the reason in the note; a linked complaint
// resumes. Needs a member of the community Party committee.
func (f *Forum) Dismiss(ctx context.Context, actor gridgov.Actor, in Step) (Item, error) {
	return f.run(ctx, actor, in, command{ev: EventDismiss, who: byCommittee, needNote: true,
		update: func(_ context.Context, it *Item, s *step) (*Disclosure, error) {
			it.Referral.ReviewedAt, it.Referral.ReviewedBy, it.Referral.ReviewNote = s.now, s.actor.ID, in.Note
			it.Referral.Dismissed = true
			return nil, nil
		}})
}

// Convene convenes the consultation meeting (召集协商会) with its invited participants:
// Party members, resident representatives, deputies and committee members, a legal adviser,
// stakeholders and third-party organisations; at least one votes. Needs a member of the
// community Party committee.
func (f *Forum) Convene(ctx context.Context, actor gridgov.Actor, in MeetingInput) (Item, error) {
	return f.run(ctx, actor, in.Step, command{ev: EventConvene, who: byCommittee, in: &in,
		update: func(ctx context.Context, it *Item, s *step) (*Disclosure, error) {
			ps, err := f.participants(ctx, in.Participants, MeetingKinds(), true)
			if err != nil {
				return nil, err
			}
			it.Meeting = Meeting{Title: in.Title, Place: in.Place, ScheduledAt: in.ScheduledAt,
				ConvenedAt: s.now, Participants: ps}
			return nil, nil
		}})
}

// HoldMeeting records that the meeting was held: who attended (by participant ID) and the
// minutes. Needs a member of the community Party committee.
func (f *Forum) HoldMeeting(ctx context.Context, actor gridgov.Actor, in AttendanceInput) (Item, error) {
	return f.run(ctx, actor, in.Step, command{ev: EventHold, who: byCommittee, in: &in,
		update: func(_ context.Context, it *Item, s *step) (*Disclosure, error) {
			var verr gridgov.ValidationError
			index := make(map[string]int, len(it.Meeting.Participants))
			for i, p := range it.Meeting.Participants {
				index[p.ID] = i
			}
			seen := make(map[string]bool, len(in.Attended))
			for i, id := range in.Attended {
				field := fmt.Sprintf("Attended[%d]", i)
				j, ok := index[id]
				switch {
				case !ok:
					verr.Add(field, "meeting", fmt.Sprintf("%s %q is not an invited participant", field, id),
						fmt.Sprintf("%s“%s”不是受邀参会人员", field, id))
				case seen[id]:
					verr.Add(field, "unique", fmt.Sprintf("%s %q is listed twice", field, id),
						fmt.Sprintf("%s“%s”重复列出", field, id))
				default:
					it.Meeting.Participants[j].Attended = true
				}
				seen[id] = true
			}
			invalidText(&verr, "Minutes", in.Minutes)
			if err := verr.Err(); err != nil {
				return nil, err
			}
			it.Meeting.HeldAt, it.Meeting.Minutes = s.now, in.Minutes
			return nil, nil
		}})
}

// participants checks participant inputs (kinds among allowed; IDs unique; persons and
// organisations known to the registry) and builds them; for a meeting, at least one votes.
func (f *Forum) participants(ctx context.Context, in []ParticipantInput, allowed []ParticipantKind, meeting bool) ([]Participant, error) {
	var verr gridgov.ValidationError
	out := make([]Participant, len(in))
	ids := make(map[string]int, len(in))
	voters := 0
	for i, p := range in {
		field := fmt.Sprintf("Participants[%d]", i)
		id := p.ID
		if id == "" {
			id = fmt.Sprintf("p%d", i+1)
		}
		if j, dup := ids[id]; dup {
			verr.Add(field+".ID", "unique", fmt.Sprintf("%s.ID %q repeats Participants[%d]", field, id, j),
				fmt.Sprintf("%s.ID“%s”与Participants[%d]重复", field, id, j))
		}
		ids[id] = i
		if !slices.Contains(allowed, p.Kind) {
			verr.Add(field+".Kind", "oneof", fmt.Sprintf("%s.Kind %q is not one of %v", field, p.Kind, allowed),
				fmt.Sprintf("%s.Kind“%s”不在%v之中", field, p.Kind, allowed))
		}
		if p.PersonID != "" {
			if _, err := f.reg.Store().GetPerson(ctx, p.PersonID); errors.Is(err, gridgov.ErrNotFound) {
				verr.Add(field+".PersonID", "exists", fmt.Sprintf("%s.PersonID %q names no person", field, p.PersonID),
					fmt.Sprintf("%s.PersonID“%s”对应的人员不存在", field, p.PersonID))
			} else if err != nil {
				return nil, err
			}
		}
		if p.OrgID != "" {
			if _, err := f.reg.Organisation(ctx, p.OrgID); errors.Is(err, gridgov.ErrNotFound) {
				verr.Add(field+".OrgID", "exists", fmt.Sprintf("%s.OrgID %q names no organisation", field, p.OrgID),
					fmt.Sprintf("%s.OrgID“%s”对应的组织不存在", field, p.OrgID))
			} else if err != nil {
				return nil, err
			}
		}
		out[i] = Participant{ID: id, Kind: p.Kind, PersonID: p.PersonID, OrgID: p.OrgID,
			Name: gridgov.PersonName(p.Name), Voting: meeting && p.Kind.VotesByDefault() && !p.NonVoting}
		if out[i].Voting {
			voters++
		}
	}
	if meeting && voters == 0 && len(verr.Fields) == 0 {
		verr.Add("Participants", "voters", "at least one participant must vote", "至少需要一名有表决权的参会人员")
	}
	return out, verr.Err()
}
