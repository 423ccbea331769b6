package escalation

import "time"

// ChinaMainland is a stand-in until the calendar branch lands.
func ChinaMainland() *Calendar { return WeekendsOnly(time.FixedZone("CST", 8*3600)) }
