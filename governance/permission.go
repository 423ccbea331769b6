package governance

import "slices"

// Permission is something an actor may do at a node and below (权限). Permissions are data:
// a [Grants] table says which roles carry which permissions, and a registry built with
// [WithGrants] uses it instead of [DefaultGrants]. Other packages define their own
// permissions as values of this type.
type Permission string

// The permissions the library itself checks. Packages built on governance (escalation,
// funding, evaluation, deliberation) declare theirs next to the commands that check them.
const (
	PermManageTree          Permission = "tree.manage"           // 管理组织架构：设立、更名、调整、撤销节点
	PermManageOrganisations Permission = "organisations.manage"  // 管理组织
	PermManagePeople        Permission = "people.manage"         // 管理人员与任职
	PermViewPersonalData    Permission = "people.view_personal"  // 查看个人信息
	PermManageCheckIns      Permission = "checkins.manage"       // 管理双报到与服务项目
	PermHandleComplaints    Permission = "complaints.handle"     // 受理、处置诉求
	PermEscalate            Permission = "complaints.escalate"   // 逐级上报
	PermWhistle             Permission = "complaints.whistle"    // 吹哨
	PermVerify              Permission = "complaints.verify"     // 核查反馈
	PermManageFunds         Permission = "funds.manage"          // 管理资金
	PermApproveFunds        Permission = "funds.approve"         // 审批资金
	PermEvaluate            Permission = "evaluation.evaluate"   // 评议
	PermDeliberate          Permission = "deliberation.convene"  // 召集议事协商
	PermSupervise           Permission = "supervision.supervise" // 监督
)

// Grant gives a role the listed permissions, in organisations of OrgKind (or of any kind
// when OrgKind is empty). A position at a node carries its permissions at that node and
// every node below it.
type Grant struct {
	Role        Role
	OrgKind     OrgKind
	Permissions []Permission
}

// Grants is a permission table: the union of its grants decides what a position carries.
type Grants []Grant

// Allows reports whether a position with role in an organisation of kind carries p.
func (g Grants) Allows(role Role, kind OrgKind, p Permission) bool {
	for _, gr := range g {
		if gr.Role != role || (gr.OrgKind != "" && gr.OrgKind != kind) {
			continue
		}
		for _, q := range gr.Permissions {
			if q == p {
				return true
			}
		}
	}
	return false
}

// DefaultGrants returns the default table, modelled on how grid governance divides work:
//
//   - Party secretaries and deputy secretaries (any Party organisation) lead: they manage the
//     tree, organisations, people and check-ins, handle, escalate, verify and whistle
//     complaints, manage funds, evaluate and convene deliberation, and see personal data.
//   - Chairs of residents' committees run daily affairs: organisations, people, check-ins,
//     complaints (handle, escalate, verify), funds, deliberation, personal data.
//   - Chairs and vice chairs of owners' and property management committees handle and
//     escalate complaints and convene deliberation in their compound.
//   - Managers of property firms, service centres and stations, and district departments
//     handle complaints and escalate them.
//   - Grid workers handle and escalate complaints and see personal data of their grid;
//     building leaders and household liaisons escalate.
//   - Supervisors supervise; chairs of Party working committees and Party committees (as
//     secretaries) approve funds.
//
// Members, volunteers and instructors carry nothing by default.
func DefaultGrants() Grants {
	lead := []Permission{
		PermManageTree, PermManageOrganisations, PermManagePeople, PermViewPersonalData,
		PermManageCheckIns, PermHandleComplaints, PermEscalate, PermVerify, PermWhistle,
		PermManageFunds, PermEvaluate, PermDeliberate, PermSupervise,
	}
	withApprove := slices.Concat(lead, []Permission{PermApproveFunds})
	grants := Grants{
		{Role: RoleSecretary, OrgKind: OrgPartyWorkingCommittee, Permissions: withApprove},
		{Role: RoleSecretary, OrgKind: OrgPartyCommittee, Permissions: withApprove},
		{Role: RoleSecretary, OrgKind: OrgPartyBranch, Permissions: lead},
		{Role: RoleSecretary, OrgKind: OrgPartyGroup, Permissions: []Permission{PermHandleComplaints, PermEscalate, PermDeliberate}},
		{Role: RoleDeputySecretary, OrgKind: OrgPartyWorkingCommittee, Permissions: lead},
		{Role: RoleDeputySecretary, OrgKind: OrgPartyCommittee, Permissions: lead},
		{Role: RoleDeputySecretary, OrgKind: OrgPartyBranch, Permissions: lead},
		{Role: RoleChair, OrgKind: OrgResidentsCommittee, Permissions: []Permission{
			PermManageOrganisations, PermManagePeople, PermViewPersonalData, PermManageCheckIns,
			PermHandleComplaints, PermEscalate, PermVerify, PermManageFunds, PermDeliberate,
		}},
		{Role: RoleChair, OrgKind: OrgOwnersCommittee, Permissions: []Permission{PermHandleComplaints, PermEscalate, PermDeliberate}},
		{Role: RoleViceChair, OrgKind: OrgOwnersCommittee, Permissions: []Permission{PermHandleComplaints, PermEscalate}},
		{Role: RoleChair, OrgKind: OrgManagementCommittee, Permissions: []Permission{PermHandleComplaints, PermEscalate, PermDeliberate}},
		{Role: RoleManager, OrgKind: OrgPropertyFirm, Permissions: []Permission{PermHandleComplaints, PermEscalate}},
		{Role: RoleManager, OrgKind: OrgServiceCentre, Permissions: []Permission{PermHandleComplaints, PermEscalate, PermVerify}},
		{Role: RoleManager, OrgKind: OrgServiceStation, Permissions: []Permission{PermHandleComplaints, PermEscalate}},
		{Role: RoleManager, OrgKind: OrgDistrictDepartment, Permissions: []Permission{PermHandleComplaints, PermEscalate}},
		{Role: RoleGridWorker, Permissions: []Permission{PermHandleComplaints, PermEscalate, PermViewPersonalData}},
		{Role: RoleBuildingLeader, Permissions: []Permission{PermEscalate}},
		{Role: RoleHouseholdLiaison, Permissions: []Permission{PermEscalate}},
		{Role: RoleSupervisor, Permissions: []Permission{PermSupervise}},
	}
	return grants
}
