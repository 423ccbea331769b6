package evaluation

// NameZH returns the Chinese name of the cycle state (待述职, 已述职, 评议中, 已公示、已报送,
// 已归档), or the state itself when it is not one of them.
func (s State) NameZH() string {
	switch s {
	case StateOpen:
		return "待述职"
	case StateReported:
		return "已述职"
	case StateEvaluating:
		return "评议中"
	case StatePublished:
		return "已公示、已报送"
	case StateClosed:
		return "已归档"
	}
	return string(s)
}

// NameZH returns the Chinese name of the subject (业主委员会, 物业服务企业), or the subject
// itself when it is not one of them.
func (s Subject) NameZH() string {
	switch s {
	case SubjectCommittee:
		return "业主委员会"
	case SubjectFirm:
		return "物业服务企业"
	}
	return string(s)
}
