package governance

import (
	"fmt"
	"time"

	"github.com/gridgov/gridgov"
)

// PartyCategory is a Party member's category (党员类别); members of each category are
// managed differently. The zero value means the person is not a Party member.
type PartyCategory string

// The Party-member categories.
const (
	NotPartyMember PartyCategory = ""               // 群众 / 非党员
	PartyInService PartyCategory = "in_service"     // 在职党员
	PartyRetired   PartyCategory = "retired"        // 离退休党员
	PartyMobile    PartyCategory = "mobile"         // 流动党员
	PartyResident  PartyCategory = "resident"       // 居民党员
	PartySOESocial PartyCategory = "soe_socialised" // 国企退休社会化管理党员
)

// PartyCategories lists the categories of Party members (NotPartyMember excluded).
func PartyCategories() []PartyCategory {
	return []PartyCategory{PartyInService, PartyRetired, PartyMobile, PartyResident, PartySOESocial}
}

// IsMember reports whether c is a Party-member category.
func (c PartyCategory) IsMember() bool { return c != NotPartyMember }

// Person is somebody who holds positions in the tree or serves in it (人员). Name and Phone
// are personal data: they print masked and the registry only reveals them to callers with
// [PermViewPersonalData].
type Person struct {
	ID    string
	Name  gridgov.PersonName
	Phone gridgov.Phone
	// Party is the person's Party-member category; empty for non-members.
	Party PartyCategory
	// HomeNodeID is where the person lives or is registered (optional); authority to see
	// the person's personal data is checked there and at the nodes of their positions.
	HomeNodeID string
	Version    int64
	CreatedAt  time.Time
	UpdatedAt  time.Time
}

// String renders the person with personal data masked.
func (p Person) String() string {
	return fmt.Sprintf("Person{%s %s %s party=%q}", p.ID, p.Name.Masked(), p.Phone.Masked(), p.Party)
}

// Role is what a person does in an organisation (职务).
type Role string

// The built-in roles.
const (
	RoleSecretary        Role = "secretary"         // 书记
	RoleDeputySecretary  Role = "deputy_secretary"  // 副书记
	RoleChair            Role = "chair"             // 主任 / 主席
	RoleViceChair        Role = "vice_chair"        // 副主任
	RoleMember           Role = "member"            // 委员 / 成员
	RoleGridWorker       Role = "grid_worker"       // 网格员
	RoleBuildingLeader   Role = "building_leader"   // 楼栋长
	RoleHouseholdLiaison Role = "household_liaison" // 联户长
	RoleInstructor       Role = "instructor"        // 党建指导员
	RoleSupervisor       Role = "supervisor"        // 居民监督员
	RoleVolunteer        Role = "volunteer"         // 志愿者
	RoleManager          Role = "manager"           // 负责人 / 项目经理
)

// Position is a person's role in an organisation (任职). A person may hold several at once,
// across organisations: a compound Party-branch secretary who also chairs the owners'
// committee is "one shoulder" (一肩挑). Ending a position keeps it as history.
type Position struct {
	ID       string
	PersonID string
	OrgID    string
	// NodeID is the organisation's node, kept with the position so that authority checks
	// need no extra look-up.
	NodeID string
	// OrgKind is the organisation's kind, kept with the position for the same reason.
	OrgKind OrgKind
	Role    Role
	Since   time.Time
	// Ended is set when the position has ended (离任); Until says when.
	Ended     bool
	Until     time.Time
	Version   int64
	CreatedAt time.Time
	UpdatedAt time.Time
}

// Active reports whether the position is held at time t: it has started and not ended.
func (p Position) Active(t time.Time) bool {
	if t.Before(p.Since) {
		return false
	}
	return !p.Ended || t.Before(p.Until)
}
