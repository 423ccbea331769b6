package governance

// NameZH returns the Chinese name of the organisation kind (e.g. 业主委员会), or the kind
// itself when it is not a built-in one.
func (k OrgKind) NameZH() string {
	switch k {
	case OrgPartyWorkingCommittee:
		return "党工委"
	case OrgPartyCommittee:
		return "党委"
	case OrgPartyBranch:
		return "党支部"
	case OrgPartyGroup:
		return "党小组"
	case OrgResidentsCommittee:
		return "居民委员会"
	case OrgOwnersCommittee:
		return "业主委员会"
	case OrgManagementCommittee:
		return "物业管理委员会"
	case OrgPropertyFirm:
		return "物业服务企业"
	case OrgServiceCentre:
		return "物业服务中心"
	case OrgServiceStation:
		return "服务站"
	case OrgResidentUnit:
		return "驻区单位"
	case OrgVolunteerTeam:
		return "志愿服务队"
	case OrgDistrictDepartment:
		return "区职能部门"
	}
	return string(k)
}

// NameZH returns the Chinese name of the Party-member category (e.g. 在职党员); 群众 for
// NotPartyMember, or the category itself when it is not a built-in one.
func (c PartyCategory) NameZH() string {
	switch c {
	case NotPartyMember:
		return "群众"
	case PartyInService:
		return "在职党员"
	case PartyRetired:
		return "离退休党员"
	case PartyMobile:
		return "流动党员"
	case PartyResident:
		return "居民党员"
	case PartySOESocial:
		return "国企退休社会化管理党员"
	}
	return string(c)
}

// NameZH returns the Chinese name of the role (e.g. 书记, 楼栋长), or the role itself when it
// is not a built-in one.
func (r Role) NameZH() string {
	switch r {
	case RoleSecretary:
		return "书记"
	case RoleDeputySecretary:
		return "副书记"
	case RoleChair:
		return "主任"
	case RoleViceChair:
		return "副主任"
	case RoleMember:
		return "委员"
	case RoleGridWorker:
		return "网格员"
	case RoleBuildingLeader:
		return "楼栋长"
	case RoleHouseholdLiaison:
		return "联户长"
	case RoleInstructor:
		return "党建指导员"
	case RoleSupervisor:
		return "居民监督员"
	case RoleVolunteer:
		return "志愿者"
	case RoleManager:
		return "负责人"
	}
	return string(r)
}
