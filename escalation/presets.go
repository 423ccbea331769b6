package escalation

import (
	"time"

	"github.com/gridgov/gridgov/governance"
)

// tierSpec is a preset's limits for a kind of level.
type tierSpec struct {
	response, resolution Limit
	whistle              bool
}

// tiersFor builds tiers from the scheme's levels, bottom to top, keeping those whose kind
// the preset has limits for.
func tiersFor(s governance.Scheme, specs map[governance.LevelKind]tierSpec, warnAt int, auto bool) []Tier {
	var tiers []Tier
	for i := len(s.Levels) - 1; i >= 0; i-- {
		l := s.Levels[i]
		sp, ok := specs[l.Kind]
		if !ok {
			continue
		}
		tiers = append(tiers, Tier{Level: l.Key, NameEN: l.NameEN, NameZH: l.NameZH,
			ResponseLimit: sp.response, ResolutionLimit: sp.resolution, WarnAt: warnAt,
			AutoEscalate: auto, Whistle: sp.whistle})
	}
	return tiers
}

// RapidResponsePolicy is Jiaocheng's rapid response to property problems (物业问题快速响应):
// the target is 85% resolved within 2 days. Grid, compound and building tiers (the service
// stations) must respond within 2 working hours and resolve within 2 working days; the
// community (property service centre) and the street (management centre) tiers within 2
// working days more each; a breach escalates automatically, with a warning at 80% of a limit.
// At the street the whistle summons the five parties ([FiveParties]), each to report within
// 30 minutes. The reporter has 7 days to rate. Tiers are the scheme's levels of those kinds,
// bottom to top.
func RapidResponsePolicy(s governance.Scheme) Policy {
	station := tierSpec{response: Hours(2), resolution: Workdays(2)}
	return Policy{
		Name: "rapid-response-2d",
		Tiers: tiersFor(s, map[governance.LevelKind]tierSpec{
			governance.KindBuilding:  station,
			governance.KindGrid:      station,
			governance.KindCompound:  station,
			governance.KindCommunity: {response: Hours(2), resolution: Workdays(2)},
			governance.KindStreet:    {response: Hours(1), resolution: Workdays(2), whistle: true},
		}, 80, true),
		Responsibilities: map[string][]Party{"": FiveParties(Limit{Duration: 30 * time.Minute, Basis: Elapsed})},
		RatingWindow:     7 * 24 * time.Hour,
	}
}

// HotlinePolicy is an example of a 接诉即办-style hotline policy (configurable; the limits
// are ones published in practice, not a statute): respond within 2 hours; resolve general
// matters within 7 working days, utilities within 24 hours, complex matters within 15
// working days, urgent ones within 2 hours. Community, street and district tiers; no
// automatic escalation (the hotline ranks units instead); the whistle at the street, with
// departments reporting within 30 minutes. Categories "utilities" and "complex" carry the
// overrides.
func HotlinePolicy(s governance.Scheme) Policy {
	return Policy{
		Name: "hotline-example",
		Tiers: tiersFor(s, map[governance.LevelKind]tierSpec{
			governance.KindCommunity: {response: ElapsedHours(2), resolution: Workdays(7)},
			governance.KindStreet:    {response: ElapsedHours(2), resolution: Workdays(7), whistle: true},
			governance.KindDistrict:  {response: ElapsedHours(2), resolution: Workdays(7)},
		}, 80, false),
		Overrides: []Override{
			{Category: "utilities", ResolutionLimit: ElapsedHours(24)},
			{Category: "complex", ResolutionLimit: Workdays(15)},
			{Urgency: UrgencyUrgent, ResolutionLimit: ElapsedHours(2)},
			{Urgency: UrgencyMajor, ResolutionLimit: ElapsedHours(2)},
		},
		Responsibilities: map[string][]Party{"": FiveParties(Limit{Duration: 30 * time.Minute, Basis: Elapsed})},
		RatingWindow:     7 * 24 * time.Hour,
	}
}

// LadderPolicy is Xiangshan's ladder (隐患消解在网格、小事化解在社区、大事解决在街道): building
// (1 working day), grid or compound (2), community (5) and street (10 working days), each
// to respond within 4 working hours, escalating automatically on a breach with a warning
// at 80%; the whistle at the street.
func LadderPolicy(s governance.Scheme) Policy {
	return Policy{
		Name: "xiangshan-ladder",
		Tiers: tiersFor(s, map[governance.LevelKind]tierSpec{
			governance.KindBuilding:  {response: Hours(4), resolution: Workdays(1)},
			governance.KindGrid:      {response: Hours(4), resolution: Workdays(2)},
			governance.KindCompound:  {response: Hours(4), resolution: Workdays(2)},
			governance.KindCommunity: {response: Hours(4), resolution: Workdays(5)},
			governance.KindStreet:    {response: Hours(4), resolution: Workdays(10), whistle: true},
		}, 80, true),
		Responsibilities: map[string][]Party{"": FiveParties(Limit{Duration: 30 * time.Minute, Basis: Elapsed})},
		RatingWindow:     7 * 24 * time.Hour,
	}
}
