package governance

import "time"

// OrgKind is the type of an organisation at a node.
type OrgKind string

// The kinds of organisation.
const (
	// Party organisations (党组织), from the street down.
	OrgPartyWorkingCommittee OrgKind = "party_working_committee" // 党工委
	OrgPartyCommittee        OrgKind = "party_committee"         // 党委
	OrgPartyBranch           OrgKind = "party_branch"            // 党支部
	OrgPartyGroup            OrgKind = "party_group"             // 党小组

	OrgResidentsCommittee  OrgKind = "residents_committee"  // 居民委员会
	OrgOwnersCommittee     OrgKind = "owners_committee"     // 业主委员会
	OrgManagementCommittee OrgKind = "management_committee" // 物业管理委员会 (acts in place of an owners' committee)
	OrgPropertyFirm        OrgKind = "property_firm"        // 物业服务企业
	OrgServiceCentre       OrgKind = "service_centre"       // 物业服务中心 / 管理中心
	OrgServiceStation      OrgKind = "service_station"      // 服务站
	OrgResidentUnit        OrgKind = "resident_unit"        // 驻区单位
	OrgVolunteerTeam       OrgKind = "volunteer_team"       // 志愿服务队
	OrgDistrictDepartment  OrgKind = "district_department"  // 区职能部门
)

// OrgKinds lists every built-in kind, in declaration order.
func OrgKinds() []OrgKind {
	return []OrgKind{
		OrgPartyWorkingCommittee, OrgPartyCommittee, OrgPartyBranch, OrgPartyGroup,
		OrgResidentsCommittee, OrgOwnersCommittee, OrgManagementCommittee, OrgPropertyFirm,
		OrgServiceCentre, OrgServiceStation, OrgResidentUnit, OrgVolunteerTeam,
		OrgDistrictDepartment,
	}
}

// IsParty reports whether k is a Party organisation.
func (k OrgKind) IsParty() bool {
	switch k {
	case OrgPartyWorkingCommittee, OrgPartyCommittee, OrgPartyBranch, OrgPartyGroup:
		return true
	}
	return false
}

// Organisation is a body attached to a node (组织): a Party organisation, a residents'
// committee, an owners' committee, a property firm and so on.
//
// A Party branch set up inside a property firm (物业企业党支部) names the firm in HostID. A
// property firm's Party-building instructor (党建指导员) is a [Position] with
// [RoleInstructor] in the firm. Whether an owners' committee is "red" (红色业委会) is not
// stored: it is derived from its chair's Party membership.
type Organisation struct {
	ID     string
	NodeID string
	Kind   OrgKind
	Name   string
	// HostID names the organisation this one is set up inside, for example the property firm
	// of a firm's Party branch. Empty for most.
	HostID string
	// Serves lists the nodes (compounds) a property firm or a service centre serves; a firm
	// registered at a street may serve compounds across several communities.
	Serves []string
	// Dissolved is set when the organisation has been dissolved (撤销); it stays resolvable.
	Dissolved   bool
	DissolvedAt time.Time
	Version     int64
	CreatedAt   time.Time
	UpdatedAt   time.Time
}

// Clone returns a deep copy of o.
func (o Organisation) Clone() Organisation {
	if o.Serves != nil {
		o.Serves = append([]string(nil), o.Serves...)
	}
	return o
}
