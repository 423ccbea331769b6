package main

import (
	"context"
	"math/rand/v2"
	"sort"
	"time"

	"github.com/gridgov/gridgov/examples/internal/sim"
	"github.com/gridgov/gridgov/governance"
)

// How an unmanaged compound was brought under management (无物业小区纳入管理).
const (
	formStateFirm     = iota // 国企物业托管: the district's state-owned property firm takes it over
	formServiceCentre        // 社区物业服务中心: the community runs a property service centre for it
	formCommittee            // 物管会选聘: a property management committee hires a firm
	formCount
)

// formLabels are the forms' labels, English and Chinese.
var formLabels = [formCount][2]string{
	{"state-owned firm takes over", "国企物业托管"},
	{"community property service centre", "社区物业服务中心"},
	{"management committee hires a firm", "物管会选聘物业"},
}

// takeover is one compound brought under management.
type takeover struct {
	compound *compound
	form     int
	at       time.Time
}

// unmanagedCount counts the compounds that no organisation serves (the coverage report's
// Unserved: no property firm or service centre lists them).
func (w *world) unmanagedCount(ctx context.Context) (int, error) {
	cov, err := w.reg.Coverage(ctx, "dx")
	return len(cov.Unserved), err
}

// manage brings every unmanaged compound under management during the year, in date
// order: about half taken over by the district's state-owned firm, a third by their
// community's service centre, the rest by a property management committee that hires a
// firm.
func (w *world) manage(ctx context.Context, r *rand.Rand, year int) ([]takeover, error) {
	var ts []takeover
	start := sim.YearStart(year)
	for _, cp := range w.compounds {
		if !cp.Unmanaged {
			continue
		}
		u, form := r.IntN(100), formCommittee
		switch {
		case u < 50:
			form = formStateFirm
		case u < 80:
			form = formServiceCentre
		}
		ts = append(ts, takeover{compound: cp, form: form, at: start.AddDate(0, 0, 15+r.IntN(300)).Add(10 * time.Hour)})
	}
	sort.SliceStable(ts, func(i, j int) bool { return ts[i].at.Before(ts[j].at) })
	b := builder{Builder: sim.Builder{Ctx: ctx, Reg: w.reg, Actor: setup}, r: r}
	w.clock.Set(start)
	b.Org(governance.OrganisationInput{ID: "dx-soe-firm", NodeID: "dx", Kind: governance.OrgPropertyFirm, Name: "大兴区国有物业服务公司"})
	var soe []string
	centres := map[string][]string{}
	for _, t := range ts {
		w.clock.Set(t.at)
		cp, c := t.compound, t.compound.Community
		switch t.form {
		case formStateFirm:
			soe = append(soe, cp.ID)
			if b.Err() == nil {
				_, err := w.reg.SetServes(ctx, setup, governance.ServesInput{OrgID: "dx-soe-firm", Serves: soe})
				b.Fail(err)
			}
		case formServiceCentre:
			id := c.ID + "-psc"
			if centres[c.ID] == nil {
				b.Org(governance.OrganisationInput{ID: id, NodeID: c.ID, Kind: governance.OrgServiceCentre,
					Name: c.Name + "物业服务中心", Serves: []string{cp.ID}})
			} else if b.Err() == nil {
				_, err := w.reg.SetServes(ctx, setup, governance.ServesInput{OrgID: id, Serves: append(centres[c.ID], cp.ID)})
				b.Fail(err)
			}
			centres[c.ID] = append(centres[c.ID], cp.ID)
		case formCommittee:
			b.Org(governance.OrganisationInput{ID: cp.ID + "-pmc", NodeID: cp.ID, Kind: governance.OrgManagementCommittee, Name: cp.Name + "物管会"})
			b.Org(governance.OrganisationInput{ID: cp.ID + "-firm", NodeID: cp.ID, Kind: governance.OrgPropertyFirm,
				Name: cp.Name + "物业", Serves: []string{cp.ID}})
		}
	}
	return ts, b.Err()
}
