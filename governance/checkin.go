package governance

import (
	"time"

	"github.com/shopspring/decimal"
)

// Registration is an in-service Party member or a unit registering in the community where
// it lives or is based (双报到): members report to the community where they live, units to
// the community where they sit, and both claim service projects there.
type Registration struct {
	ID string
	// CommunityID is the community node registered with.
	CommunityID string
	// Exactly one of PersonID (an in-service Party member) and OrgID (a unit, usually a
	// resident unit or a district department) is set.
	PersonID     string
	OrgID        string
	RegisteredAt time.Time
	Version      int64
}

// ServiceProject is a service project a community offers for registered members and units
// to claim (服务项目认领), for example "elderly meal delivery" or "stairwell clean-up".
type ServiceProject struct {
	ID          string
	CommunityID string
	Title       string
	// ClaimedBy lists the registrations that have claimed the project, in claim order.
	ClaimedBy []string
	CreatedAt time.Time
	Version   int64
}

// Clone returns a deep copy of p.
func (p ServiceProject) Clone() ServiceProject {
	if p.ClaimedBy != nil {
		p.ClaimedBy = append([]string(nil), p.ClaimedBy...)
	}
	return p
}

// ServiceRecord is time a registered member or unit served on a claimed project (服务时长).
// Records are append-only.
type ServiceRecord struct {
	ID             string
	ProjectID      string
	RegistrationID string
	// Date is the day served.
	Date time.Time
	// Hours served: more than 0, at most 24, with at most two decimal places.
	Hours decimal.Decimal
	Note  string
	// RecordedAt is when the record was written.
	RecordedAt time.Time
}
