package postgres

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgtype"

	"github.com/gridgov/gridgov"
	"github.com/gridgov/gridgov/governance"
)

// registrationCols are the columns a registration is read from.
const registrationCols = `r.id, r.community_id, r.person_id, r.org_id, r.registered_at, r.registered_at_ns, r.version`

// scanRegistration reads a registration from a row of registrationCols.
func scanRegistration(row rowScanner) (governance.Registration, error) {
	var r governance.Registration
	var person, org pgtype.Text
	var at timestamptz
	err := row.Scan(&r.ID, &r.CommunityID, &person, &org, &at.at, &at.ns, &r.Version)
	r.PersonID, r.OrgID, r.RegisteredAt = person.String, org.String, at.time()
	return r, err
}

// projectCols are the columns a service project is read from.
const projectCols = `p.id, p.community_id, p.title, p.claimed_by, p.created_at, p.created_at_ns, p.version`

// scanProject reads a service project from a row of projectCols.
func scanProject(row rowScanner) (governance.ServiceProject, error) {
	var p governance.ServiceProject
	var at timestamptz
	err := row.Scan(&p.ID, &p.CommunityID, &p.Title, &p.ClaimedBy, &at.at, &at.ns, &p.Version)
	p.CreatedAt = at.time()
	return p, err
}

// recordCols are the columns a service record is read from.
const recordCols = `r.id, r.project_id, r.registration_id, r.date, r.date_ns, r.hours, r.note, r.recorded_at, r.recorded_at_ns`

// scanRecord reads a service record from a row of recordCols.
func scanRecord(row rowScanner) (governance.ServiceRecord, error) {
	var r governance.ServiceRecord
	var date, recorded timestamptz
	var hours pgtype.Numeric
	if err := row.Scan(&r.ID, &r.ProjectID, &r.RegistrationID, &date.at, &date.ns, &hours, &r.Note, &recorded.at, &recorded.ns); err != nil {
		return governance.ServiceRecord{}, err
	}
	r.Date, r.RecordedAt = date.time(), recorded.time()
	var err error
	r.Hours, err = numeric(hours)
	return r, err
}

// CreateRegistration stores r with Version 1; a person (or unit) registers at most once in
// a community. See governance.CheckInStore.
func (s *GovernanceStore) CreateRegistration(ctx context.Context, r governance.Registration) (governance.Registration, error) {
	verr := &gridgov.ValidationError{}
	requireID(verr, "ID", r.ID)
	checkStorable(verr, "", r)
	if err := verr.Err(); err != nil {
		return governance.Registration{}, err
	}
	r.Version = 1
	err := s.write(ctx, "CreateRegistration", func(tx pgx.Tx) error {
		var (
			taken, communityFound, refFound bool
			other                           string
		)
		unit := r.PersonID == "" && r.OrgID != ""
		refTable, refID := "gov_people", r.PersonID
		if unit {
			refTable, refID = "gov_organisations", r.OrgID
		}
		batch := &pgx.Batch{}
		batch.Queue("SELECT EXISTS (SELECT 1 FROM gov_registrations WHERE id = $1)", r.ID).QueryRow(scanRow(&taken))
		batch.Queue("SELECT EXISTS (SELECT 1 FROM gov_nodes WHERE id = $1)", r.CommunityID).QueryRow(scanRow(&communityFound))
		batch.Queue("SELECT EXISTS (SELECT 1 FROM "+refTable+" WHERE id = $1)", refID).QueryRow(scanRow(&refFound))
		dupSQL := "SELECT coalesce(min(id), '') FROM gov_registrations WHERE community_id = $1 AND person_id = $2"
		if unit {
			dupSQL = "SELECT coalesce(min(id), '') FROM gov_registrations WHERE community_id = $1 AND org_id = $2"
		}
		batch.Queue(dupSQL, r.CommunityID, refID).QueryRow(scanRow(&other))
		if err := tx.SendBatch(ctx, batch).Close(); err != nil {
			return err
		}
		if taken {
			return gridgov.AlreadyExists("ID", r.ID)
		}
		verr := &gridgov.ValidationError{}
		if !communityFound {
			missingRef(verr, "CommunityID", entNode, r.CommunityID)
		}
		switch {
		case r.PersonID != "" && r.OrgID != "":
			verr.Add("OrgID", "excluded_with",
				"a registration names either PersonID or OrgID, not both",
				"报到登记只能填写人员或单位之一")
		case r.PersonID != "" && !refFound:
			missingRef(verr, "PersonID", entPerson, r.PersonID)
		case r.OrgID != "" && !refFound:
			missingRef(verr, "OrgID", entOrganisation, r.OrgID)
		case r.PersonID == "" && r.OrgID == "":
			verr.Add("PersonID", "required_without",
				"a registration names a PersonID or an OrgID",
				"报到登记须填写人员或单位")
		}
		if err := verr.Err(); err != nil {
			return err
		}
		if other != "" {
			field := "PersonID"
			if unit {
				field = "OrgID"
			}
			return (&gridgov.ValidationError{Kind: gridgov.ErrAlreadyExists}).Add(field, "unique",
				fmt.Sprintf("%s %q is already registered in community %q (registration %q)", field, refID, r.CommunityID, other),
				fmt.Sprintf("%s“%s”已在社区“%s”报到（登记“%s”）", field, refID, r.CommunityID, other))
		}
		at, atNs := optTime(r.RegisteredAt)
		_, err := tx.Exec(ctx, `INSERT INTO gov_registrations (id, community_id, person_id, org_id, registered_at,
			registered_at_ns, version) VALUES ($1, $2, $3, $4, $5, $6, 1)`,
			r.ID, r.CommunityID, nullable(r.PersonID), nullable(r.OrgID), at, atNs)
		return err
	})
	if err != nil {
		return governance.Registration{}, err
	}
	return r, nil
}

// GetRegistration returns the registration with id. See governance.CheckInStore.
func (s *GovernanceStore) GetRegistration(ctx context.Context, id string) (governance.Registration, error) {
	return get(s, ctx, "GetRegistration", entRegistration, id,
		"SELECT "+registrationCols+" FROM gov_registrations r WHERE r.id = $1", scanRegistration)
}

// RegistrationsIn returns the registrations of the community, in ascending ID order. See
// governance.CheckInStore.
func (s *GovernanceStore) RegistrationsIn(ctx context.Context, communityID string) ([]governance.Registration, error) {
	if !storableString(communityID) {
		return []governance.Registration{}, live(ctx)
	}
	return list(s, ctx, "RegistrationsIn", "SELECT "+registrationCols+
		" FROM gov_registrations r WHERE r.community_id = $1 ORDER BY r.id", []any{communityID}, scanRegistration)
}

// checkClaims records on verr every ClaimedBy entry that names no registration.
func checkClaims(ctx context.Context, tx pgx.Tx, verr *gridgov.ValidationError, claimedBy []string) error {
	if len(claimedBy) == 0 {
		return nil
	}
	found, err := query(ctx, tx, "SELECT id FROM gov_registrations WHERE id = ANY($1)", []any{claimedBy},
		func(row rowScanner) (string, error) {
			var id string
			return id, row.Scan(&id)
		})
	if err != nil {
		return err
	}
	known := make(map[string]bool, len(found))
	for _, id := range found {
		known[id] = true
	}
	for i, id := range claimedBy {
		if !known[id] {
			missingRef(verr, fmt.Sprintf("ClaimedBy[%d]", i), entRegistration, id)
		}
	}
	return nil
}

// CreateProject stores p with Version 1. Like UpdateProject it refuses a ClaimedBy entry
// that names no registration. See governance.CheckInStore.
func (s *GovernanceStore) CreateProject(ctx context.Context, p governance.ServiceProject) (governance.ServiceProject, error) {
	verr := &gridgov.ValidationError{}
	requireID(verr, "ID", p.ID)
	checkStorable(verr, "", p)
	if err := verr.Err(); err != nil {
		return governance.ServiceProject{}, err
	}
	p = p.Clone()
	p.Version = 1
	err := s.write(ctx, "CreateProject", func(tx pgx.Tx) error {
		taken, err := txExists(ctx, tx, "gov_projects", p.ID)
		if err != nil {
			return err
		}
		if taken {
			return gridgov.AlreadyExists("ID", p.ID)
		}
		verr := &gridgov.ValidationError{}
		found, err := txExists(ctx, tx, "gov_nodes", p.CommunityID)
		if err != nil {
			return err
		}
		if !found {
			missingRef(verr, "CommunityID", entNode, p.CommunityID)
		}
		if err := checkClaims(ctx, tx, verr, p.ClaimedBy); err != nil {
			return err
		}
		if err := verr.Err(); err != nil {
			return err
		}
		at, atNs := optTime(p.CreatedAt)
		_, err = tx.Exec(ctx, `INSERT INTO gov_projects (id, community_id, title, claimed_by, created_at, created_at_ns, version)
			VALUES ($1, $2, $3, $4, $5, $6, 1)`, p.ID, p.CommunityID, p.Title, textArray(p.ClaimedBy), at, atNs)
		return err
	})
	if err != nil {
		return governance.ServiceProject{}, err
	}
	return p.Clone(), nil
}

// UpdateProject replaces the project p.ID with p under the version rule, keeping
// CommunityID and CreatedAt. See governance.CheckInStore.
func (s *GovernanceStore) UpdateProject(ctx context.Context, p governance.ServiceProject) (governance.ServiceProject, error) {
	if err := storable("", p); err != nil {
		return governance.ServiceProject{}, err
	}
	in := p.Clone()
	var out = in // the stored value, set by the attempt that commits
	err := s.write(ctx, "UpdateProject", func(tx pgx.Tx) error {
		p := in.Clone() // each attempt starts from the argument
		old, err := scanProject(tx.QueryRow(ctx, "SELECT "+projectCols+" FROM gov_projects p WHERE p.id = $1", p.ID))
		if errors.Is(err, pgx.ErrNoRows) {
			return notFound(entProject, p.ID)
		}
		if err != nil {
			return err
		}
		if p.Version != old.Version {
			return conflict(entProject, p.ID, p.Version, old.Version)
		}
		verr := &gridgov.ValidationError{}
		if err := checkClaims(ctx, tx, verr, p.ClaimedBy); err != nil {
			return err
		}
		if err := verr.Err(); err != nil {
			return err
		}
		p.CommunityID, p.CreatedAt = old.CommunityID, old.CreatedAt
		p.Version = old.Version + 1
		_, err = tx.Exec(ctx, "UPDATE gov_projects SET title = $2, claimed_by = $3, version = $4 WHERE id = $1",
			p.ID, p.Title, textArray(p.ClaimedBy), p.Version)
		out = p
		return err
	})
	if err != nil {
		return governance.ServiceProject{}, err
	}
	return out.Clone(), nil
}

// GetProject returns the project with id. See governance.CheckInStore.
func (s *GovernanceStore) GetProject(ctx context.Context, id string) (governance.ServiceProject, error) {
	return get(s, ctx, "GetProject", entProject, id, "SELECT "+projectCols+" FROM gov_projects p WHERE p.id = $1", scanProject)
}

// ProjectsIn returns the projects of the community, in ascending ID order. See
// governance.CheckInStore.
func (s *GovernanceStore) ProjectsIn(ctx context.Context, communityID string) ([]governance.ServiceProject, error) {
	if !storableString(communityID) {
		return []governance.ServiceProject{}, live(ctx)
	}
	return list(s, ctx, "ProjectsIn", "SELECT "+projectCols+" FROM gov_projects p WHERE p.community_id = $1 ORDER BY p.id",
		[]any{communityID}, scanProject)
}

// sameRecord reports whether b repeats a: the same content, RecordedAt aside.
func sameRecord(a, b governance.ServiceRecord) bool {
	return a.ProjectID == b.ProjectID && a.RegistrationID == b.RegistrationID &&
		a.Date.Equal(b.Date) && a.Hours.Equal(b.Hours) && a.Note == b.Note
}

// AddServiceRecord appends r; repeating a record with the same ID and the same content
// returns the stored record. Content is everything but RecordedAt, which a retry stamps
// anew; Date is compared with time.Time.Equal and Hours with decimal.Decimal.Equal. See
// governance.CheckInStore.
func (s *GovernanceStore) AddServiceRecord(ctx context.Context, r governance.ServiceRecord) (governance.ServiceRecord, error) {
	verr := &gridgov.ValidationError{}
	requireID(verr, "ID", r.ID)
	checkStorable(verr, "", r)
	if err := verr.Err(); err != nil {
		return governance.ServiceRecord{}, err
	}
	r.Hours = r.Hours.Copy()
	stored := r
	err := s.write(ctx, "AddServiceRecord", func(tx pgx.Tx) error {
		old, err := scanRecord(tx.QueryRow(ctx, "SELECT "+recordCols+" FROM gov_service_records r WHERE r.id = $1", r.ID))
		switch {
		case err == nil:
			if sameRecord(old, r) {
				stored = old
				return nil
			}
			return (&gridgov.ValidationError{Kind: gridgov.ErrAlreadyExists}).Add("ID", "unique",
				fmt.Sprintf("service record %q already exists with different content", r.ID),
				fmt.Sprintf("服务记录“%s”已存在且内容不同", r.ID))
		case !errors.Is(err, pgx.ErrNoRows):
			return err
		}
		var projectFound, regFound bool
		batch := &pgx.Batch{}
		batch.Queue("SELECT EXISTS (SELECT 1 FROM gov_projects WHERE id = $1)", r.ProjectID).QueryRow(scanRow(&projectFound))
		batch.Queue("SELECT EXISTS (SELECT 1 FROM gov_registrations WHERE id = $1)", r.RegistrationID).QueryRow(scanRow(&regFound))
		if err := tx.SendBatch(ctx, batch).Close(); err != nil {
			return err
		}
		verr := &gridgov.ValidationError{}
		if !projectFound {
			missingRef(verr, "ProjectID", entProject, r.ProjectID)
		}
		if !regFound {
			missingRef(verr, "RegistrationID", entRegistration, r.RegistrationID)
		}
		if err := verr.Err(); err != nil {
			return err
		}
		recorded, recordedNs := optTime(r.RecordedAt)
		_, err = tx.Exec(ctx, `INSERT INTO gov_service_records (id, project_id, registration_id, date, date_ns, hours, note,
			recorded_at, recorded_at_ns) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
			r.ID, r.ProjectID, r.RegistrationID, r.Date, subMicro(r.Date), num(r.Hours), r.Note, recorded, recordedNs)
		stored = r
		return err
	})
	if err != nil {
		return governance.ServiceRecord{}, err
	}
	return stored, nil
}

// ServiceRecordsOf returns the records of the registration in ascending (Date, ID) order,
// from the index on (registration_id, date, date_ns, id). See governance.CheckInStore.
func (s *GovernanceStore) ServiceRecordsOf(ctx context.Context, registrationID string) ([]governance.ServiceRecord, error) {
	if !storableString(registrationID) {
		return []governance.ServiceRecord{}, live(ctx)
	}
	return list(s, ctx, "ServiceRecordsOf", "SELECT "+recordCols+
		" FROM gov_service_records r WHERE r.registration_id = $1 ORDER BY r.date, r.date_ns, r.id",
		[]any{registrationID}, scanRecord)
}
