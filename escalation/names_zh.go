package escalation

// NameZH returns the Chinese name of the channel (e.g. 热线), or the channel itself when it
// is not a built-in one.
func (c Channel) NameZH() string {
	switch c {
	case ChannelBuildingMeeting:
		return "楼栋会"
	case ChannelChatGroup:
		return "楼栋微信群"
	case ChannelHotline:
		return "热线"
	case ChannelPatrol:
		return "网格员巡查"
	case ChannelWalkIn:
		return "窗口来访"
	case ChannelApp:
		return "小程序"
	}
	return string(c)
}

// NameZH returns the Chinese name of the urgency (一般, 紧急, 急难愁盼), or the urgency
// itself when it is not a built-in one.
func (u Urgency) NameZH() string {
	switch u {
	case UrgencyNormal:
		return "一般"
	case UrgencyUrgent:
		return "紧急"
	case UrgencyMajor:
		return "急难愁盼"
	}
	return string(u)
}

// NameZH returns the Chinese name of the rating (满意, 基本满意, 不满意), or the rating itself
// when it is not a built-in one.
func (s Satisfaction) NameZH() string {
	switch s {
	case Satisfied:
		return "满意"
	case BasicSatisfied:
		return "基本满意"
	case Unsatisfied:
		return "不满意"
	}
	return string(s)
}
