package memory

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/gridgov/gridgov"
	"github.com/gridgov/gridgov/governance"
)

// CreateRegistration stores r with Version 1; a person (or unit) registers at most once in
// a community. See governance.CheckInStore.
func (s *GovernanceStore) CreateRegistration(ctx context.Context, r governance.Registration) (governance.Registration, error) {
	unlock, err := s.lockWrite(ctx)
	if err != nil {
		return governance.Registration{}, err
	}
	defer unlock()
	verr := &gridgov.ValidationError{}
	requireID(verr, "ID", r.ID)
	if err := verr.Err(); err != nil {
		return governance.Registration{}, err
	}
	if _, ok := s.regs[r.ID]; ok {
		return governance.Registration{}, gridgov.AlreadyExists("ID", r.ID)
	}
	if s.nodes[r.CommunityID] == nil {
		missingRef(verr, "CommunityID", entNode, r.CommunityID)
	}
	key := regKey{community: r.CommunityID}
	switch {
	case r.PersonID != "" && r.OrgID != "":
		verr.Add("OrgID", "excluded_with",
			"a registration names either PersonID or OrgID, not both",
			"报到登记只能填写人员或单位之一")
	case r.PersonID != "":
		key.id = r.PersonID
		if s.people[r.PersonID] == nil {
			missingRef(verr, "PersonID", entPerson, r.PersonID)
		}
	case r.OrgID != "":
		key.unit, key.id = true, r.OrgID
		if s.orgs[r.OrgID] == nil {
			missingRef(verr, "OrgID", entOrganisation, r.OrgID)
		}
	default:
		verr.Add("PersonID", "required_without",
			"a registration names a PersonID or an OrgID",
			"报到登记须填写人员或单位")
	}
	if err := verr.Err(); err != nil {
		return governance.Registration{}, err
	}
	if other, ok := s.regKeys[key]; ok {
		field := "PersonID"
		if key.unit {
			field = "OrgID"
		}
		return governance.Registration{}, (&gridgov.ValidationError{Kind: gridgov.ErrAlreadyExists}).Add(field, "unique",
			fmt.Sprintf("%s %q is already registered in community %q (registration %q)", field, key.id, r.CommunityID, other),
			fmt.Sprintf("%s“%s”已在社区“%s”报到（登记“%s”）", field, key.id, r.CommunityID, other))
	}
	r.Version = 1
	rec := &regRec{reg: r}
	s.regs[r.ID] = rec
	s.regKeys[key] = r.ID
	s.regsIn[r.CommunityID] = insertByID(s.regsIn[r.CommunityID], rec, (*regRec).id)
	return r, nil
}

// GetRegistration returns the registration with id. See governance.CheckInStore.
func (s *GovernanceStore) GetRegistration(ctx context.Context, id string) (governance.Registration, error) {
	unlock, err := s.lockRead(ctx)
	if err != nil {
		return governance.Registration{}, err
	}
	defer unlock()
	rec := s.regs[id]
	if rec == nil {
		return governance.Registration{}, notFound(entRegistration, id)
	}
	return rec.reg, nil
}

// RegistrationsIn returns the registrations of the community, in ascending ID order. See
// governance.CheckInStore.
func (s *GovernanceStore) RegistrationsIn(ctx context.Context, communityID string) ([]governance.Registration, error) {
	unlock, err := s.lockRead(ctx)
	if err != nil {
		return nil, err
	}
	defer unlock()
	list := s.regsIn[communityID]
	out := make([]governance.Registration, len(list))
	for i, r := range list {
		out[i] = r.reg
	}
	return out, nil
}

// CreateProject stores p with Version 1. Like UpdateProject it refuses a ClaimedBy entry
// that names no registration. See governance.CheckInStore.
func (s *GovernanceStore) CreateProject(ctx context.Context, p governance.ServiceProject) (governance.ServiceProject, error) {
	unlock, err := s.lockWrite(ctx)
	if err != nil {
		return governance.ServiceProject{}, err
	}
	defer unlock()
	verr := &gridgov.ValidationError{}
	requireID(verr, "ID", p.ID)
	if err := verr.Err(); err != nil {
		return governance.ServiceProject{}, err
	}
	if _, ok := s.projects[p.ID]; ok {
		return governance.ServiceProject{}, gridgov.AlreadyExists("ID", p.ID)
	}
	if s.nodes[p.CommunityID] == nil {
		missingRef(verr, "CommunityID", entNode, p.CommunityID)
	}
	s.checkClaims(verr, p.ClaimedBy)
	if err := verr.Err(); err != nil {
		return governance.ServiceProject{}, err
	}
	p = p.Clone()
	p.Version = 1
	stored := &p
	s.projects[p.ID] = stored
	s.projectsIn[p.CommunityID] = insertByID(s.projectsIn[p.CommunityID], stored, projectID)
	return p.Clone(), nil
}

// UpdateProject replaces the project p.ID with p under the version rule, keeping
// CommunityID and CreatedAt. See governance.CheckInStore.
func (s *GovernanceStore) UpdateProject(ctx context.Context, p governance.ServiceProject) (governance.ServiceProject, error) {
	unlock, err := s.lockWrite(ctx)
	if err != nil {
		return governance.ServiceProject{}, err
	}
	defer unlock()
	stored := s.projects[p.ID]
	if stored == nil {
		return governance.ServiceProject{}, notFound(entProject, p.ID)
	}
	if p.Version != stored.Version {
		return governance.ServiceProject{}, conflict(entProject, p.ID, p.Version, stored.Version)
	}
	verr := &gridgov.ValidationError{}
	s.checkClaims(verr, p.ClaimedBy)
	if err := verr.Err(); err != nil {
		return governance.ServiceProject{}, err
	}
	p = p.Clone()
	p.CommunityID, p.CreatedAt = stored.CommunityID, stored.CreatedAt
	p.Version = stored.Version + 1
	*stored = p
	return p.Clone(), nil
}

// GetProject returns the project with id. See governance.CheckInStore.
func (s *GovernanceStore) GetProject(ctx context.Context, id string) (governance.ServiceProject, error) {
	unlock, err := s.lockRead(ctx)
	if err != nil {
		return governance.ServiceProject{}, err
	}
	defer unlock()
	p := s.projects[id]
	if p == nil {
		return governance.ServiceProject{}, notFound(entProject, id)
	}
	return p.Clone(), nil
}

// ProjectsIn returns the projects of the community, in ascending ID order. See
// governance.CheckInStore.
func (s *GovernanceStore) ProjectsIn(ctx context.Context, communityID string) ([]governance.ServiceProject, error) {
	unlock, err := s.lockRead(ctx)
	if err != nil {
		return nil, err
	}
	defer unlock()
	list := s.projectsIn[communityID]
	out := make([]governance.ServiceProject, len(list))
	for i, p := range list {
		out[i] = p.Clone()
	}
	return out, nil
}

// AddServiceRecord appends r; repeating a record with the same ID and the same content
// returns the stored record. Content is everything but RecordedAt, which a retry stamps
// anew; Date is compared with time.Time.Equal and Hours with decimal.Decimal.Equal. See
// governance.CheckInStore.
func (s *GovernanceStore) AddServiceRecord(ctx context.Context, r governance.ServiceRecord) (governance.ServiceRecord, error) {
	unlock, err := s.lockWrite(ctx)
	if err != nil {
		return governance.ServiceRecord{}, err
	}
	defer unlock()
	verr := &gridgov.ValidationError{}
	requireID(verr, "ID", r.ID)
	if err := verr.Err(); err != nil {
		return governance.ServiceRecord{}, err
	}
	if stored, ok := s.records[r.ID]; ok {
		if sameRecord(*stored, r) {
			return copyRecord(*stored), nil
		}
		return governance.ServiceRecord{}, (&gridgov.ValidationError{Kind: gridgov.ErrAlreadyExists}).Add("ID", "unique",
			fmt.Sprintf("service record %q already exists with different content", r.ID),
			fmt.Sprintf("服务记录“%s”已存在且内容不同", r.ID))
	}
	if s.projects[r.ProjectID] == nil {
		missingRef(verr, "ProjectID", entProject, r.ProjectID)
	}
	reg := s.regs[r.RegistrationID]
	if reg == nil {
		missingRef(verr, "RegistrationID", entRegistration, r.RegistrationID)
	}
	if err := verr.Err(); err != nil {
		return governance.ServiceRecord{}, err
	}
	stored := copyRecord(r)
	s.records[r.ID] = &stored
	i, _ := slices.BinarySearchFunc(reg.records, &stored, compareRecords)
	reg.records = slices.Insert(reg.records, i, &stored)
	return copyRecord(stored), nil
}

// ServiceRecordsOf returns the records of the registration in ascending (Date, ID) order.
// See governance.CheckInStore.
func (s *GovernanceStore) ServiceRecordsOf(ctx context.Context, registrationID string) ([]governance.ServiceRecord, error) {
	unlock, err := s.lockRead(ctx)
	if err != nil {
		return nil, err
	}
	defer unlock()
	var list []*governance.ServiceRecord
	if rec := s.regs[registrationID]; rec != nil {
		list = rec.records
	}
	out := make([]governance.ServiceRecord, len(list))
	for i, r := range list {
		out[i] = copyRecord(*r)
	}
	return out, nil
}

// checkClaims records on verr every ClaimedBy entry that names no registration.
func (s *GovernanceStore) checkClaims(verr *gridgov.ValidationError, claimedBy []string) {
	for i, id := range claimedBy {
		if s.regs[id] == nil {
			missingRef(verr, fmt.Sprintf("ClaimedBy[%d]", i), entRegistration, id)
		}
	}
}

// sameRecord reports whether b repeats a: the same content, RecordedAt aside.
func sameRecord(a, b governance.ServiceRecord) bool {
	return a.ProjectID == b.ProjectID && a.RegistrationID == b.RegistrationID &&
		a.Date.Equal(b.Date) && a.Hours.Equal(b.Hours) && a.Note == b.Note
}

func compareRecords(a, b *governance.ServiceRecord) int {
	return cmp.Or(a.Date.Compare(b.Date), strings.Compare(a.ID, b.ID))
}

// copyRecord returns r with its own copy of Hours, so that no big.Int is shared with the
// caller.
func copyRecord(r governance.ServiceRecord) governance.ServiceRecord {
	r.Hours = r.Hours.Copy()
	return r
}
