package escalation_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gridgov/gridgov"
	"github.com/gridgov/gridgov/escalation"
)

func TestWhistleAndReport(t *testing.T) {
	f := newFixture(t, func(p *escalation.Policy) {
		p.Responsibilities = map[string][]escalation.Party{"": {
			{Kind: escalation.PartyStreet, Lead: true, ReportLimit: escalation.Limit{Duration: 30 * time.Minute, Basis: escalation.Elapsed}},
			{Kind: escalation.PartyCommunity, Lead: true, ReportLimit: escalation.Limit{Duration: 30 * time.Minute, Basis: escalation.Elapsed}},
			{Kind: escalation.PartyDepartment, OrgID: "dept", ReportLimit: escalation.Limit{Duration: 30 * time.Minute, Basis: escalation.Elapsed}},
		}}
	})
	c := f.must(f.eng.Sign(ctx, gridWorker, escalation.Step{ID: f.referred().ID}))

	_, err := f.eng.Whistle(ctx, secretary, escalation.Step{ID: c.ID})
	require.ErrorIs(t, err, gridgov.ErrInvalidTransition, "only at a whistle tier")
	for range 3 {
		c = f.must(f.eng.Escalate(ctx, secretary, escalation.Step{ID: c.ID, Note: "街道吹哨"}))
	}
	c = f.must(f.eng.Sign(ctx, secretary, escalation.Step{ID: c.ID}))
	c = f.must(f.eng.Whistle(ctx, secretary, escalation.Step{ID: c.ID, Note: "召集各方"}))
	require.Len(t, c.Summons, 3)
	assert.Equal(t, "stc", c.Summons[0].OrgID, "the street's Party working committee")
	assert.Equal(t, "rc1", c.Summons[1].OrgID, "the community's residents' committee")
	assert.Equal(t, "dept", c.Summons[2].OrgID)
	assert.Equal(t, f.clock.Now().Add(30*time.Minute), c.Summons[0].Due)
	_, err = f.eng.Whistle(ctx, secretary, escalation.Step{ID: c.ID})
	require.ErrorIs(t, err, gridgov.ErrInvalidTransition, "once")

	_, err = f.eng.Resolve(ctx, secretary, escalation.Step{ID: c.ID, Note: "已解决"})
	require.ErrorIs(t, err, gridgov.ErrInvalidTransition, "lead parties have not reported")

	f.clock.Advance(10 * time.Minute)
	c = f.must(f.eng.Report(ctx, secretary, escalation.ReportInput{Step: escalation.Step{ID: c.ID}, Party: escalation.PartyStreet}))
	_, err = f.eng.Report(ctx, secretary, escalation.ReportInput{Step: escalation.Step{ID: c.ID}, Party: escalation.PartyStreet})
	require.ErrorIs(t, err, gridgov.ErrInvalidTransition, "reports once")
	_, err = f.eng.Report(ctx, secretary, escalation.ReportInput{Step: escalation.Step{ID: c.ID}, Party: escalation.PartyFirm})
	require.ErrorIs(t, err, gridgov.ErrInvalidTransition, "the firm was not summoned")
	_, err = f.eng.Report(ctx, secretary, escalation.ReportInput{Step: escalation.Step{ID: c.ID}, Party: "aliens"})
	requireFields(t, err, gridgov.ErrInvalid, "Party")
	_, err = f.eng.Report(ctx, secretary, escalation.ReportInput{Step: escalation.Step{ID: c.ID}, Party: escalation.PartyCommunity})
	require.ErrorIs(t, err, gridgov.ErrForbidden, "the street secretary is not in the residents' committee")

	f.clock.Advance(40 * time.Minute) // 50 minutes after the whistle: late
	c = f.must(f.eng.Report(ctx, chair, escalation.ReportInput{Step: escalation.Step{ID: c.ID}, Party: escalation.PartyCommunity}))
	assert.Equal(t, 1, c.LateReports)
	assert.True(t, c.Summons[1].Late(f.clock.Now()))
	assert.False(t, c.Summons[0].Late(f.clock.Now()))

	// The department has not reported, but it is not a lead party.
	c = f.must(f.eng.Resolve(ctx, secretary, escalation.Step{ID: c.ID, Note: "多方协同解决"}))
	assert.Equal(t, escalation.StateResolved, c.State)
	kinds := map[escalation.EventKind]int{}
	for _, ev := range f.history(c.ID) {
		kinds[ev.Kind]++
	}
	assert.Equal(t, 1, kinds[escalation.EventWhistle])
	assert.Equal(t, 2, kinds[escalation.EventReport])
}
