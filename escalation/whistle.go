package escalation

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/gridgov/gridgov"
	"github.com/gridgov/gridgov/governance"
)

// FiveParties returns the five-party responsibility list (五方责任清单) of the Jiaocheng
// rapid-response mechanism: street (lead), community (lead), property firm, district
// department and the in-service Party members registered in the community, each to report
// within reportLimit (30 minutes in the original whistle practice).
func FiveParties(reportLimit Limit) []Party {
	return []Party{
		{Kind: PartyStreet, Lead: true, ReportLimit: reportLimit},
		{Kind: PartyCommunity, Lead: true, ReportLimit: reportLimit},
		{Kind: PartyFirm, ReportLimit: reportLimit},
		{Kind: PartyDepartment, ReportLimit: reportLimit},
		{Kind: PartyMembers, ReportLimit: reportLimit},
	}
}

// NameZH returns the Chinese name of the party kind.
func (k PartyKind) NameZH() string {
	switch k {
	case PartyStreet:
		return "街道（乡镇）"
	case PartyCommunity:
		return "社区"
	case PartyFirm:
		return "物业企业"
	case PartyDepartment:
		return "区直部门"
	case PartyMembers:
		return "在职党员"
	}
	return string(k)
}

// ReportInput records that a summoned party has reported (报到).
type ReportInput struct {
	Step
	Party PartyKind `validate:"required,oneof=street community firm department party_members" zh:"责任方"`
}

// Whistle blows the whistle (吹哨) on a complaint at a whistle tier: it summons the parties
// of the responsibility list for the complaint's category (the policy's "" list, or
// [FiveParties] with a 30-minute limit when the policy has none), each with its report
// deadline. Needs governance.PermWhistle; the complaint must be referred, signed for or in
// progress, at a tier marked Whistle, and not already whistled.
func (e *Engine) Whistle(ctx context.Context, actor gridgov.Actor, in Step) (Complaint, error) {
	return e.modify(ctx, actor, in, governance.PermWhistle, EventWhistle,
		func(c *Complaint, now time.Time) error {
			if !e.tiers[c.Tier].Whistle {
				return refuse(fmt.Sprintf("the whistle cannot be blown at tier %s", c.TierLevel),
					fmt.Sprintf("“%s”层级不能吹哨", c.TierLevel))
			}
			if len(c.Summons) > 0 {
				return refuse("the whistle has already been blown", "已经吹过哨")
			}
			parties := e.responsibilities(c.Category)
			path, err := e.reg.Path(ctx, c.NodeID)
			if err != nil {
				return err
			}
			for _, p := range parties {
				org := p.OrgID
				if org == "" {
					if org, err = e.partyOrg(ctx, p.Kind, path); err != nil {
						return err
					}
				}
				c.Summons = append(c.Summons, Summons{Party: p.Kind, OrgID: org, Lead: p.Lead,
					SummonedAt: now, Due: e.after(now, p.ReportLimit)})
			}
			return nil
		})
}

// responsibilities returns the responsibility list for a category.
func (e *Engine) responsibilities(category string) []Party {
	if ps, ok := e.policy.Responsibilities[category]; ok {
		return ps
	}
	if ps, ok := e.policy.Responsibilities[""]; ok {
		return ps
	}
	return FiveParties(Limit{Duration: 30 * time.Minute, Basis: Elapsed})
}

// partyOrg finds the organisation that answers for a party kind at the complaint's place:
// the street's Party working committee, the community's residents' or Party committee, the
// property firm serving the nearest node on the path. Departments must be named in the
// list; Party members report one by one. "" when none is found.
func (e *Engine) partyOrg(ctx context.Context, kind PartyKind, path []governance.Node) (string, error) {
	var levelKind governance.LevelKind
	var orgKinds []governance.OrgKind
	switch kind {
	case PartyStreet:
		levelKind, orgKinds = governance.KindStreet, []governance.OrgKind{governance.OrgPartyWorkingCommittee}
	case PartyCommunity:
		levelKind, orgKinds = governance.KindCommunity,
			[]governance.OrgKind{governance.OrgResidentsCommittee, governance.OrgPartyCommittee}
	case PartyFirm:
		for i := len(path) - 1; i >= 0; i-- {
			orgs, err := e.reg.ServedBy(ctx, path[i].ID)
			if err != nil {
				return "", err
			}
			for _, o := range orgs {
				if o.Kind == governance.OrgPropertyFirm {
					return o.ID, nil
				}
			}
		}
		return "", nil
	default:
		return "", nil
	}
	scheme := e.reg.Scheme()
	for i := len(path) - 1; i >= 0; i-- {
		if l, ok := scheme.Level(path[i].Level); !ok || l.Kind != levelKind {
			continue
		}
		orgs, err := e.reg.OrganisationsAt(ctx, path[i].ID)
		if err != nil {
			return "", err
		}
		for _, k := range orgKinds {
			for _, o := range orgs {
				if o.Kind == k {
					return o.ID, nil
				}
			}
		}
	}
	return "", nil
}

// Report records that a summoned party has reported (报到); a report after its deadline is
// recorded and counted in LateReports. The actor must hold a position in the summoned
// organisation; for Party members, be registered (双报到) in the complaint's community; for
// a party without an organisation, hold PermHandleComplaints at the tier node. System actors
// may report for any party.
func (e *Engine) Report(ctx context.Context, actor gridgov.Actor, in ReportInput) (Complaint, error) {
	if err := e.checkStep(in.Step, false, &in); err != nil {
		return Complaint{}, err
	}
	return e.modify(ctx, actor, in.Step, "", EventReport, func(c *Complaint, now time.Time) error {
		i := slices.IndexFunc(c.Summons, func(s Summons) bool { return s.Party == in.Party })
		if i < 0 {
			return refuse(fmt.Sprintf("party %s was not summoned", in.Party),
				fmt.Sprintf("未召集“%s”", in.Party.NameZH()))
		}
		sm := &c.Summons[i]
		if sm.Reported() {
			return refuse(fmt.Sprintf("party %s has already reported", in.Party),
				fmt.Sprintf("“%s”已经报到", in.Party.NameZH()))
		}
		if err := e.mayReport(ctx, actor, c, *sm); err != nil {
			return err
		}
		sm.ReportedAt, sm.ReportedBy = now, actor.ID
		if now.After(sm.Due) && !sm.Due.IsZero() {
			c.LateReports++
		}
		return nil
	})
}

func (e *Engine) mayReport(ctx context.Context, actor gridgov.Actor, c *Complaint, sm Summons) error {
	if actor.IsSystem() {
		return nil
	}
	forbidden := fmt.Errorf("%w: %s may not report for %s on complaint %q (无权代表“%s”报到)",
		gridgov.ErrForbidden, actor, sm.Party, c.ID, sm.Party.NameZH())
	switch {
	case sm.OrgID != "":
		members, err := e.reg.Members(ctx, sm.OrgID)
		if err != nil {
			return err
		}
		if slices.ContainsFunc(members, func(p governance.Position) bool { return p.PersonID == actor.ID }) {
			return nil
		}
		return forbidden
	case sm.Party == PartyMembers:
		ok, err := e.registeredIn(ctx, actor, c)
		if err != nil || ok {
			return err
		}
		return forbidden
	}
	return e.reg.Authorize(ctx, actor, c.TierNodeID, governance.PermHandleComplaints)
}

// registeredIn reports whether actor is registered (双报到) in a community on the
// complaint's path.
func (e *Engine) registeredIn(ctx context.Context, actor gridgov.Actor, c *Complaint) (bool, error) {
	path, err := e.reg.Path(ctx, c.NodeID)
	if err != nil {
		return false, err
	}
	scheme := e.reg.Scheme()
	for _, n := range path {
		if l, ok := scheme.Level(n.Level); !ok || l.Kind != governance.KindCommunity {
			continue
		}
		regs, err := e.reg.Store().RegistrationsIn(ctx, n.ID)
		if err != nil {
			return false, err
		}
		if slices.ContainsFunc(regs, func(r governance.Registration) bool { return r.PersonID == actor.ID }) {
			return true, nil
		}
	}
	return false, nil
}

// modify runs a command that keeps the state (whistle, report): read, version check,
// authority (perm "" skips the check, left to fn), change, schedule, store with one event.
func (e *Engine) modify(ctx context.Context, actor gridgov.Actor, in Step, perm governance.Permission,
	kind EventKind, fn func(c *Complaint, now time.Time) error) (Complaint, error) {
	if err := e.checkStep(in, false, nil); err != nil {
		return Complaint{}, err
	}
	c, err := e.store.GetComplaint(ctx, in.ID)
	if err != nil {
		return Complaint{}, err
	}
	if in.Version != 0 && in.Version != c.Version {
		return Complaint{}, conflict(c, in.Version)
	}
	if perm != "" {
		if err := e.authorize(ctx, actor, &c, perm); err != nil {
			return Complaint{}, err
		}
	}
	switch c.State {
	case StateReferred, StateSigned, StateInProgress, StatePaused:
	default:
		return Complaint{}, invalidTransition(kind, c.State)
	}
	now := e.clock.Now()
	if err := fn(&c, now); err != nil {
		return Complaint{}, err
	}
	e.schedule(&c)
	return e.save(ctx, c, Event{Kind: kind, From: c.State, To: c.State, Actor: actor, At: now, Note: in.Note})
}
