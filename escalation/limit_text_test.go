package escalation_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

	"github.com/gridgov/gridgov/escalation"
	"github.com/gridgov/gridgov/governance"
)

func TestLimitText(t *testing.T) {
	for _, c := range []struct {
		l      escalation.Limit
		en, zh string
	}{
		{escalation.Hours(4), "4 working hours", "4 个工作小时"},
		{escalation.Hours(1), "1 working hour", "1 个工作小时"},
		{escalation.Workdays(2), "2 working days", "2 个工作日"},
		{escalation.Workdays(1), "1 working day", "1 个工作日"},
		{escalation.Hours(36), "36 working hours", "36 个工作小时"},
		{escalation.ElapsedHours(2), "2 hours", "2 小时"},
		{escalation.ElapsedHours(48), "2 days", "2 天"},
		{escalation.Limit{Duration: 30 * time.Minute, Basis: escalation.Elapsed}, "30 minutes", "30 分钟"},
		{escalation.Limit{Duration: 90 * time.Minute}, "90 working minutes", "90 分钟（工作时间）"},
		{escalation.Limit{Duration: 1500 * time.Millisecond, Basis: escalation.Elapsed}, "2 seconds", "2 秒"},
		{escalation.Limit{}, "no limit", "不限时"},
	} {
		assert.Equal(t, c.en, c.l.String(), "%#v", c.l)
		assert.Equal(t, c.zh, c.l.NameZH(), "%#v", c.l)
	}
}

func ExampleLimit_String() {
	for _, tier := range escalation.LadderPolicy(governance.FourLevelLadder()).Tiers {
		fmt.Printf("%s: respond within %s (%s), resolve within %s (%s)\n", tier.Level,
			tier.ResponseLimit, tier.ResponseLimit.NameZH(), tier.ResolutionLimit, tier.ResolutionLimit.NameZH())
	}
	// Output:
	// building: respond within 4 working hours (4 个工作小时), resolve within 1 working day (1 个工作日)
	// grid: respond within 4 working hours (4 个工作小时), resolve within 2 working days (2 个工作日)
	// community: respond within 4 working hours (4 个工作小时), resolve within 5 working days (5 个工作日)
	// street: respond within 4 working hours (4 个工作小时), resolve within 10 working days (10 个工作日)
}
