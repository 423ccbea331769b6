package escalation

import (
	"testing"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
)

func TestIntakeEnumsHaveChineseNames(t *testing.T) {
	chinese := func(s string) bool { return utf8.RuneCountInString(s) != len(s) }
	for _, c := range []Channel{ChannelBuildingMeeting, ChannelChatGroup, ChannelHotline,
		ChannelPatrol, ChannelWalkIn, ChannelApp} {
		assert.True(t, chinese(c.NameZH()), "%s", c)
	}
	for _, u := range []Urgency{UrgencyNormal, UrgencyUrgent, UrgencyMajor} {
		assert.True(t, chinese(u.NameZH()), "%s", u)
	}
	for _, s := range []Satisfaction{Satisfied, BasicSatisfied, Unsatisfied} {
		assert.True(t, chinese(s.NameZH()), "%s", s)
	}
	assert.Equal(t, "wechat", Channel("wechat").NameZH(), "a custom channel names itself")
	assert.Equal(t, "x", Urgency("x").NameZH())
	assert.Equal(t, "x", Satisfaction("x").NameZH())
}
