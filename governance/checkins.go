package governance

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/gridgov/gridgov"
	"github.com/shopspring/decimal"
)

// RegistrationInput registers an in-service Party member (PersonID) or a unit (OrgID) in a
// community (双报到). Exactly one of the two is set.
type RegistrationInput struct {
	// ID is optional: empty means the registry generates one.
	ID          string `validate:"omitempty,gridid" zh:"报到编号"`
	CommunityID string `validate:"required,gridid" zh:"社区"`
	PersonID    string `validate:"required_without=OrgID,excluded_with=OrgID,omitempty,gridid" zh:"党员"`
	OrgID       string `validate:"required_without=PersonID,omitempty,gridid" zh:"单位"`
}

// ProjectInput adds a service project offered by a community.
type ProjectInput struct {
	// ID is optional: empty means the registry generates one.
	ID          string `validate:"omitempty,gridid" zh:"项目编号"`
	CommunityID string `validate:"required,gridid" zh:"社区"`
	Title       string `validate:"required,notblank,printable,max=128" zh:"项目名称"`
}

// ClaimInput has a registered member or unit claim a project of its community (认领).
type ClaimInput struct {
	ProjectID      string `validate:"required,gridid" zh:"项目编号"`
	RegistrationID string `validate:"required,gridid" zh:"报到编号"`
}

// ServiceInput records hours served on a claimed project.
type ServiceInput struct {
	// ID is optional: empty means the registry generates one. Supply one to make retries
	// idempotent.
	ID             string    `validate:"omitempty,gridid" zh:"记录编号"`
	ProjectID      string    `validate:"required,gridid" zh:"项目编号"`
	RegistrationID string    `validate:"required,gridid" zh:"报到编号"`
	Date           time.Time `validate:"required" zh:"服务日期"`
	// Hours: more than 0, at most 24, at most two decimal places.
	Hours decimal.Decimal `zh:"服务时长"`
	Note  string          `validate:"printable,max=512" zh:"备注"`
}

// unitKinds may register as units.
var unitKinds = []OrgKind{OrgResidentUnit, OrgDistrictDepartment, OrgPropertyFirm, OrgVolunteerTeam}

// Register registers an in-service Party member or a unit in a community (双报到). The
// community is a node of kind [KindCommunity]; a person must be an in-service Party member;
// a unit must be a resident unit, a district department, a property firm or a volunteer
// team. The member themself may register; otherwise the actor needs [PermManageCheckIns] at
// the community.
func (r *Registry) Register(ctx context.Context, actor gridgov.Actor, in RegistrationInput) (Registration, error) {
	verr := &gridgov.ValidationError{}
	if err := verr.Merge(r.check(in)); err != nil {
		return Registration{}, err
	}
	if err := verr.Merge(r.checkCommunity(ctx, in.CommunityID)); err != nil {
		return Registration{}, err
	}
	if in.PersonID != "" {
		p, err := r.store.GetPerson(ctx, in.PersonID)
		switch {
		case err != nil:
			if err := verr.Merge(notFoundAs(err, "PersonID", in.PersonID)); err != nil {
				return Registration{}, err
			}
		case p.Party != PartyInService:
			verr.Add("PersonID", "in_service",
				fmt.Sprintf("person %q is not an in-service Party member", p.ID),
				fmt.Sprintf("人员“%s”不是在职党员", p.ID))
		}
	}
	if in.OrgID != "" {
		o, err := r.store.GetOrganisation(ctx, in.OrgID)
		switch {
		case err != nil:
			if err := verr.Merge(notFoundAs(err, "OrgID", in.OrgID)); err != nil {
				return Registration{}, err
			}
		case o.Dissolved || !slices.Contains(unitKinds, o.Kind):
			verr.Add("OrgID", "unit",
				fmt.Sprintf("organisation %q (%s) cannot register as a unit", o.ID, o.Kind),
				fmt.Sprintf("组织“%s”（%s）不能作为单位报到", o.ID, o.Kind))
		}
	}
	if err := verr.Err(); err != nil {
		return Registration{}, err
	}
	self := in.PersonID != "" && actor.Kind == gridgov.ActorPerson && actor.ID == in.PersonID
	if !self {
		if err := r.Authorize(ctx, actor, in.CommunityID, PermManageCheckIns); err != nil {
			return Registration{}, err
		}
	}
	return r.store.CreateRegistration(ctx, Registration{
		ID: r.newID(in.ID), CommunityID: in.CommunityID, PersonID: in.PersonID, OrgID: in.OrgID,
		RegisteredAt: r.clock.Now(),
	})
}

func (r *Registry) checkCommunity(ctx context.Context, id string) error {
	if id == "" {
		return nil
	}
	n, err := r.store.GetNode(ctx, id)
	if err != nil {
		return notFoundAs(err, "CommunityID", id)
	}
	l, _ := r.scheme.Level(n.Level)
	if n.Retired || l.Kind != KindCommunity {
		return gridgov.Invalid("CommunityID", "community",
			fmt.Sprintf("node %q is not an active community", id), fmt.Sprintf("节点“%s”不是有效的社区", id))
	}
	return nil
}

// AddProject adds a service project to a community. The actor needs [PermManageCheckIns]
// at the community.
func (r *Registry) AddProject(ctx context.Context, actor gridgov.Actor, in ProjectInput) (ServiceProject, error) {
	verr := &gridgov.ValidationError{}
	if err := verr.Merge(r.check(in)); err != nil {
		return ServiceProject{}, err
	}
	if err := verr.Merge(r.checkCommunity(ctx, in.CommunityID)); err != nil {
		return ServiceProject{}, err
	}
	if err := verr.Err(); err != nil {
		return ServiceProject{}, err
	}
	if err := r.Authorize(ctx, actor, in.CommunityID, PermManageCheckIns); err != nil {
		return ServiceProject{}, err
	}
	return r.store.CreateProject(ctx, ServiceProject{
		ID: r.newID(in.ID), CommunityID: in.CommunityID, Title: in.Title, CreatedAt: r.clock.Now(),
	})
}

// Claim has a registration claim a project of the same community; claiming twice changes
// nothing. The registered member themself may claim; otherwise the actor needs
// [PermManageCheckIns] at the community.
func (r *Registry) Claim(ctx context.Context, actor gridgov.Actor, in ClaimInput) (ServiceProject, error) {
	if err := r.check(in); err != nil {
		return ServiceProject{}, err
	}
	p, reg, err := r.projectAndRegistration(ctx, actor, in.ProjectID, in.RegistrationID)
	if err != nil {
		return ServiceProject{}, err
	}
	if slices.Contains(p.ClaimedBy, reg.ID) {
		return p, nil
	}
	p.ClaimedBy = append(p.ClaimedBy, reg.ID)
	return r.store.UpdateProject(ctx, p)
}

func (r *Registry) projectAndRegistration(ctx context.Context, actor gridgov.Actor, projectID, regID string) (ServiceProject, Registration, error) {
	p, err := r.store.GetProject(ctx, projectID)
	if err != nil {
		return ServiceProject{}, Registration{}, notFoundAs(err, "ProjectID", projectID)
	}
	reg, err := r.store.GetRegistration(ctx, regID)
	if err != nil {
		return ServiceProject{}, Registration{}, notFoundAs(err, "RegistrationID", regID)
	}
	if reg.CommunityID != p.CommunityID {
		return ServiceProject{}, Registration{}, gridgov.Invalid("RegistrationID", "community",
			fmt.Sprintf("registration %q is in community %q, project %q in %q", reg.ID, reg.CommunityID, p.ID, p.CommunityID),
			fmt.Sprintf("报到“%s”属于社区“%s”，项目“%s”属于社区“%s”", reg.ID, reg.CommunityID, p.ID, p.CommunityID))
	}
	self := reg.PersonID != "" && actor.Kind == gridgov.ActorPerson && actor.ID == reg.PersonID
	if !self {
		if err := r.Authorize(ctx, actor, p.CommunityID, PermManageCheckIns); err != nil {
			return ServiceProject{}, Registration{}, err
		}
	}
	return p, reg, nil
}

// RecordService records hours served on a project the registration has claimed. With an
// ID, a retry of the same record returns the first one. The registered member themself may
// record; otherwise the actor needs [PermManageCheckIns] at the community.
func (r *Registry) RecordService(ctx context.Context, actor gridgov.Actor, in ServiceInput) (ServiceRecord, error) {
	verr := &gridgov.ValidationError{}
	if err := verr.Merge(r.check(in)); err != nil {
		return ServiceRecord{}, err
	}
	if err := verr.Merge(checkHours(in.Hours)); err != nil {
		return ServiceRecord{}, err
	}
	if err := verr.Err(); err != nil {
		return ServiceRecord{}, err
	}
	p, reg, err := r.projectAndRegistration(ctx, actor, in.ProjectID, in.RegistrationID)
	if err != nil {
		return ServiceRecord{}, err
	}
	if !slices.Contains(p.ClaimedBy, reg.ID) {
		return ServiceRecord{}, gridgov.Invalid("ProjectID", "claimed",
			fmt.Sprintf("registration %q has not claimed project %q", reg.ID, p.ID),
			fmt.Sprintf("报到“%s”未认领项目“%s”", reg.ID, p.ID))
	}
	return r.store.AddServiceRecord(ctx, ServiceRecord{
		ID: r.newID(in.ID), ProjectID: p.ID, RegistrationID: reg.ID, Date: in.Date,
		Hours: in.Hours, Note: in.Note, RecordedAt: r.clock.Now(),
	})
}

var maxHours = decimal.NewFromInt(24)

func checkHours(h decimal.Decimal) error {
	switch {
	case !h.IsPositive() || h.GreaterThan(maxHours):
		return gridgov.Invalid("Hours", "range",
			fmt.Sprintf("hours must be more than 0 and at most 24, not %s", h), fmt.Sprintf("服务时长必须大于0且不超过24小时，而不是%s", h))
	case !h.Equal(h.Truncate(2)):
		return gridgov.Invalid("Hours", "precision",
			fmt.Sprintf("hours take at most two decimal places, not %s", h), fmt.Sprintf("服务时长最多两位小数，而不是%s", h))
	}
	return nil
}

// ServiceSummary is what one registration has done in its community.
type ServiceSummary struct {
	Registration Registration
	// Claimed lists the projects the registration has claimed, in ID order.
	Claimed []string
	// Hours is the total served; Records counts the records.
	Hours   decimal.Decimal
	Records int
}

// ServiceSummaries returns, for each registration of the community in ID order, the
// projects it claimed and the hours it served (双报到 ledger).
func (r *Registry) ServiceSummaries(ctx context.Context, communityID string) ([]ServiceSummary, error) {
	if _, err := r.store.GetNode(ctx, communityID); err != nil {
		return nil, err
	}
	regs, err := r.store.RegistrationsIn(ctx, communityID)
	if err != nil {
		return nil, err
	}
	projects, err := r.store.ProjectsIn(ctx, communityID)
	if err != nil {
		return nil, err
	}
	out := make([]ServiceSummary, len(regs))
	for i, reg := range regs {
		s := ServiceSummary{Registration: reg, Hours: decimal.Zero}
		for _, p := range projects {
			if slices.Contains(p.ClaimedBy, reg.ID) {
				s.Claimed = append(s.Claimed, p.ID)
			}
		}
		records, err := r.store.ServiceRecordsOf(ctx, reg.ID)
		if err != nil {
			return nil, err
		}
		for _, rec := range records {
			s.Hours = s.Hours.Add(rec.Hours)
		}
		s.Records = len(records)
		out[i] = s
	}
	return out, nil
}
