package escalation_test

import (
	"flag"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gridgov/gridgov"
	"github.com/gridgov/gridgov/escalation"
	"github.com/gridgov/gridgov/governance"
	"github.com/gridgov/gridgov/store/memory"
)

func TestClosedLoop(t *testing.T) {
	f := newFixture(t)
	c := f.submit()
	assert.Equal(t, escalation.StateSubmitted, c.State)
	assert.Equal(t, []string{"st", "c1", "g1", "b1"}, c.Path)
	assert.Equal(t, "building", c.TierLevel, "the lowest tier at or above the place")
	assert.Equal(t, "b1", c.TierNodeID)
	assert.Equal(t, escalation.UrgencyNormal, c.Urgency)

	c = f.must(f.eng.Accept(ctx, gridWorker, escalation.Step{ID: c.ID, Version: c.Version, Note: "网格召集"}))
	c = f.must(f.eng.Refer(ctx, gridWorker, escalation.Referral{Step: escalation.Step{ID: c.ID}, UnitID: "ss1"}))
	assert.Equal(t, escalation.StateReferred, c.State)
	assert.Equal(t, start.Add(4*time.Hour), c.ResponseDue, "4 working hours")
	assert.Equal(t, start.Add(24*time.Hour), c.ResolutionDue, "1 working day at the building tier")
	assert.Equal(t, c.ResolutionDue, c.FirstResolutionDue)
	assert.Equal(t, start.Add(192*time.Minute), c.DueAt, "the response warning at 80% comes first")

	f.clock.Advance(time.Hour)
	c = f.must(f.eng.Sign(ctx, gridWorker, escalation.Step{ID: c.ID}))
	assert.Equal(t, "gw1", c.Handler)
	assert.Equal(t, start.Add(time.Hour), c.RespondedAt)
	c = f.must(f.eng.Start(ctx, gridWorker, escalation.Step{ID: c.ID}))
	c = f.must(f.eng.Resolve(ctx, gridWorker, escalation.Step{ID: c.ID, Note: "更换门禁"}))
	assert.True(t, c.DueAt.IsZero(), "nothing is due once resolved")

	_, err := f.eng.Verify(ctx, gridWorker, escalation.Step{ID: c.ID})
	require.ErrorIs(t, err, gridgov.ErrForbidden, "the grid worker lacks PermVerify")
	c = f.must(f.eng.Verify(ctx, chair, escalation.Step{ID: c.ID, Note: "现场核查"}))
	_, err = f.eng.Rate(ctx, chair, escalation.RatingInput{Step: escalation.Step{ID: c.ID}, Satisfaction: escalation.Satisfied})
	require.ErrorIs(t, err, gridgov.ErrForbidden, "only the reporter rates")
	c = f.must(f.eng.Rate(ctx, resident, escalation.RatingInput{Step: escalation.Step{ID: c.ID, Note: "很快"},
		Satisfaction: escalation.Satisfied, Resolved: true}))
	c = f.must(f.eng.Archive(ctx, gridWorker, escalation.Step{ID: c.ID}))
	assert.Equal(t, escalation.StateArchived, c.State)
	assert.False(t, c.ClosedAt.IsZero())

	h := f.history(c.ID)
	var kinds []escalation.EventKind
	for i, ev := range h {
		kinds = append(kinds, ev.Kind)
		assert.Equal(t, int64(i+1), ev.Version, "event %d", i)
		if i > 0 {
			assert.Equal(t, h[i-1].To, ev.From, "event %d starts where the previous ended", i)
		}
	}
	assert.Equal(t, []escalation.EventKind{"submit", "accept", "refer", "sign", "start", "resolve",
		"verify", "rate", "archive"}, kinds)
	assert.Equal(t, int64(len(h)), c.Version, "history length equals accepted commands")
	assert.Equal(t, "更换门禁", h[5].Note)
}

func TestInvalidTransitions(t *testing.T) {
	f := newFixture(t)
	c := f.submit()
	for name, run := range map[string]func() error{
		"sign before referral": func() error { _, err := f.eng.Sign(ctx, gridWorker, escalation.Step{ID: c.ID}); return err },
		"resolve at intake": func() error {
			_, err := f.eng.Resolve(ctx, gridWorker, escalation.Step{ID: c.ID, Note: "x"})
			return err
		},
		"rate at intake": func() error {
			_, err := f.eng.Rate(ctx, resident, escalation.RatingInput{Step: escalation.Step{ID: c.ID}, Satisfaction: escalation.Satisfied})
			return err
		},
		"archive at intake": func() error { _, err := f.eng.Archive(ctx, gridWorker, escalation.Step{ID: c.ID}); return err },
		"whistle at intake": func() error { _, err := f.eng.Whistle(ctx, secretary, escalation.Step{ID: c.ID}); return err },
	} {
		err := run()
		require.ErrorIs(t, err, gridgov.ErrInvalidTransition, name)
		assert.Contains(t, err.Error(), "诉求", name)
	}
	got, err := f.eng.Complaint(ctx, system, c.ID)
	require.NoError(t, err)
	assert.Equal(t, int64(1), got.Version, "refused commands change nothing")
	assert.Len(t, f.history(c.ID), 1)
}

func TestRejectDuplicateWithdraw(t *testing.T) {
	f := newFixture(t)
	a, b, c := f.submit(), f.submit(), f.submit()

	_, err := f.eng.Reject(ctx, gridWorker, escalation.Step{ID: a.ID})
	requireFields(t, err, gridgov.ErrInvalid, "Note")
	a = f.must(f.eng.Reject(ctx, gridWorker, escalation.Step{ID: a.ID, Note: "不属于受理范围"}))
	assert.Equal(t, escalation.StateRejected, a.State)
	assert.True(t, a.State.Final())

	_, err = f.eng.MarkDuplicate(ctx, gridWorker, escalation.DuplicateInput{Step: escalation.Step{ID: b.ID}, Of: b.ID})
	requireFields(t, err, gridgov.ErrInvalid, "Of")
	_, err = f.eng.MarkDuplicate(ctx, gridWorker, escalation.DuplicateInput{Step: escalation.Step{ID: b.ID}, Of: "missing"})
	requireFields(t, err, gridgov.ErrInvalid, "Of")
	b = f.must(f.eng.MarkDuplicate(ctx, gridWorker, escalation.DuplicateInput{Step: escalation.Step{ID: b.ID}, Of: c.ID}))
	assert.Equal(t, escalation.StateDuplicate, b.State)
	assert.Equal(t, c.ID, b.DuplicateOf)

	_, err = f.eng.Withdraw(ctx, gridWorker, escalation.Step{ID: c.ID, Note: "不需要了"})
	require.ErrorIs(t, err, gridgov.ErrForbidden, "only the reporter withdraws")
	c = f.must(f.eng.Withdraw(ctx, resident, escalation.Step{ID: c.ID, Note: "已自行解决"}))
	assert.Equal(t, escalation.StateWithdrawn, c.State)
}

func TestEscalationLadder(t *testing.T) {
	f := newFixture(t)
	c := f.referred()
	// The grid worker's position at g1 covers the building tier node b1.
	c = f.must(f.eng.Sign(ctx, gridWorker, escalation.Step{ID: c.ID}))
	_, err := f.eng.Escalate(ctx, gridWorker, escalation.Step{ID: c.ID})
	requireFields(t, err, gridgov.ErrInvalid, "Note")

	wantLevels := []string{"grid", "community", "street"}
	wantNodes := []string{"g1", "c1", "st"}
	for i := range wantLevels {
		c = f.must(f.eng.Escalate(ctx, secretary, escalation.Step{ID: c.ID, Note: "超出处置权限"}))
		assert.Equal(t, wantLevels[i], c.TierLevel)
		assert.Equal(t, wantNodes[i], c.TierNodeID)
		assert.Equal(t, escalation.StateReferred, c.State, "signed for again at the new tier")
		assert.True(t, c.RespondedAt.IsZero())
		assert.Equal(t, i+1, c.Escalations)
	}
	_, err = f.eng.Escalate(ctx, secretary, escalation.Step{ID: c.ID, Note: "再上报"})
	require.ErrorIs(t, err, gridgov.ErrInvalidTransition, "no tier above the street")

	// Now at the street: the grid worker no longer covers the complaint.
	_, err = f.eng.Sign(ctx, gridWorker, escalation.Step{ID: c.ID})
	require.ErrorIs(t, err, gridgov.ErrForbidden)
	c = f.must(f.eng.Sign(ctx, secretary, escalation.Step{ID: c.ID}))
	assert.Equal(t, start.Add(24*time.Hour), c.FirstResolutionDue, "the first target stays")
}

func TestReferSkipsTiers(t *testing.T) {
	f := newFixture(t)
	c := f.submit()
	c = f.must(f.eng.Accept(ctx, gridWorker, escalation.Step{ID: c.ID}))
	_, err := f.eng.Refer(ctx, gridWorker, escalation.Referral{Step: escalation.Step{ID: c.ID}, Level: "nowhere"})
	requireFields(t, err, gridgov.ErrInvalid, "Level")
	_, err = f.eng.Refer(ctx, gridWorker, escalation.Referral{Step: escalation.Step{ID: c.ID}, UnitID: "nounit"})
	requireFields(t, err, gridgov.ErrInvalid, "UnitID")
	c = f.must(f.eng.Refer(ctx, gridWorker, escalation.Referral{Step: escalation.Step{ID: c.ID}, Level: "community"}))
	assert.Equal(t, "c1", c.TierNodeID)
	assert.Equal(t, time.Date(2026, 1, 12, 9, 0, 0, 0, cst), c.ResolutionDue.In(cst),
		"5 working days from Monday 09:00, over the weekend")
}

func TestReworkAndReopen(t *testing.T) {
	f := newFixture(t)
	c := f.referred()
	c = f.must(f.eng.Sign(ctx, gridWorker, escalation.Step{ID: c.ID}))
	c = f.must(f.eng.Resolve(ctx, gridWorker, escalation.Step{ID: c.ID, Note: "已处理"}))
	c = f.must(f.eng.SendBack(ctx, chair, escalation.Step{ID: c.ID, Note: "门禁仍无法使用"}))
	assert.Equal(t, escalation.StateInProgress, c.State)
	assert.Equal(t, 1, c.Reworks)
	assert.True(t, c.ResolvedAt.IsZero())

	c = f.must(f.eng.Resolve(ctx, gridWorker, escalation.Step{ID: c.ID, Note: "更换主板"}))
	c = f.must(f.eng.Verify(ctx, chair, escalation.Step{ID: c.ID}))
	c = f.must(f.eng.Rate(ctx, resident, escalation.RatingInput{Step: escalation.Step{ID: c.ID}, Satisfaction: escalation.BasicSatisfied}))
	_, err := f.eng.Reopen(ctx, chair, escalation.Step{ID: c.ID, Note: "再办"})
	require.ErrorIs(t, err, gridgov.ErrInvalidTransition, "only an unsatisfied rating reopens")

	c2 := f.referred()
	c2 = f.must(f.eng.Sign(ctx, gridWorker, escalation.Step{ID: c2.ID}))
	c2 = f.must(f.eng.Resolve(ctx, gridWorker, escalation.Step{ID: c2.ID, Note: "已处理"}))
	c2 = f.must(f.eng.Verify(ctx, chair, escalation.Step{ID: c2.ID}))
	c2 = f.must(f.eng.Rate(ctx, resident, escalation.RatingInput{Step: escalation.Step{ID: c2.ID}, Satisfaction: escalation.Unsatisfied}))
	c2 = f.must(f.eng.Reopen(ctx, chair, escalation.Step{ID: c2.ID, Note: "居民不满意"}))
	assert.Equal(t, escalation.StateInProgress, c2.State)
	assert.Equal(t, escalation.Satisfaction(""), c2.Rating.Satisfaction, "the old rating is cleared")
	assert.Equal(t, 1, c2.Reworks)
}

func TestVerifierIsNotTheHandler(t *testing.T) {
	f := newFixture(t)
	c := f.referred()
	c = f.must(f.eng.Sign(ctx, chair, escalation.Step{ID: c.ID}))
	c = f.must(f.eng.Resolve(ctx, chair, escalation.Step{ID: c.ID, Note: "已处理"}))
	_, err := f.eng.Verify(ctx, chair, escalation.Step{ID: c.ID})
	require.ErrorIs(t, err, gridgov.ErrForbidden)
	_, err = f.eng.SendBack(ctx, chair, escalation.Step{ID: c.ID, Note: "x"})
	require.ErrorIs(t, err, gridgov.ErrForbidden)
	f.must(f.eng.Verify(ctx, secretary, escalation.Step{ID: c.ID}))
}

func TestArchiveWaitsForTheRatingWindow(t *testing.T) {
	f := newFixture(t)
	c := f.referred()
	c = f.must(f.eng.Sign(ctx, gridWorker, escalation.Step{ID: c.ID}))
	c = f.must(f.eng.Resolve(ctx, gridWorker, escalation.Step{ID: c.ID, Note: "已处理"}))
	c = f.must(f.eng.Verify(ctx, chair, escalation.Step{ID: c.ID}))
	_, err := f.eng.Archive(ctx, gridWorker, escalation.Step{ID: c.ID})
	require.ErrorIs(t, err, gridgov.ErrInvalidTransition)
	f.clock.Advance(7 * 24 * time.Hour)
	c = f.must(f.eng.Archive(ctx, gridWorker, escalation.Step{ID: c.ID}))
	assert.Equal(t, escalation.StateArchived, c.State)
	assert.True(t, c.RatedAt.IsZero(), "archived unrated")
}

func TestPauseStopsTheClock(t *testing.T) {
	f := newFixture(t)
	c := f.referred()
	c = f.must(f.eng.Sign(ctx, gridWorker, escalation.Step{ID: c.ID}))
	due := c.ResolutionDue // Tuesday 09:00
	_, err := f.eng.Pause(ctx, gridWorker, escalation.Step{ID: c.ID})
	requireFields(t, err, gridgov.ErrInvalid, "Note")
	c = f.must(f.eng.Pause(ctx, gridWorker, escalation.Step{ID: c.ID, Note: "等待居民在家"}))
	assert.Equal(t, escalation.StatePaused, c.State)
	assert.True(t, c.DueAt.IsZero(), "a paused complaint is never due")

	// Paused from Monday 09:00 to Friday 09:00 then over the weekend to Monday 09:00:
	// four working days pass, so the deadline moves four working days later.
	f.clock.Set(time.Date(2026, 1, 12, 9, 0, 0, 0, cst))
	c = f.must(f.eng.Resume(ctx, gridWorker, escalation.Step{ID: c.ID}))
	assert.Equal(t, escalation.StateInProgress, c.State)
	assert.Equal(t, time.Date(2026, 1, 13, 9, 0, 0, 0, cst), c.ResolutionDue.In(cst))
	assert.True(t, c.ResolutionDue.After(due))
	assert.Equal(t, c.ResolutionDue, c.FirstResolutionDue)
	assert.True(t, c.PausedAt.IsZero())
}

func TestStaleVersion(t *testing.T) {
	f := newFixture(t)
	c := f.submit()
	f.must(f.eng.Accept(ctx, gridWorker, escalation.Step{ID: c.ID, Version: 1}))
	_, err := f.eng.Refer(ctx, gridWorker, escalation.Referral{Step: escalation.Step{ID: c.ID, Version: 1}})
	require.ErrorIs(t, err, gridgov.ErrConflict)
	_, err = f.eng.Accept(ctx, gridWorker, escalation.Step{ID: "missing"})
	require.ErrorIs(t, err, gridgov.ErrNotFound)
}

func TestIntakeValidation(t *testing.T) {
	f := newFixture(t)
	_, err := f.eng.Submit(ctx, resident, escalation.Intake{})
	requireFields(t, err, gridgov.ErrInvalid, "Channel", "Category", "Description", "NodeID")

	bad := intake()
	bad.Channel = "pigeon"
	bad.Category = "   "
	bad.ReporterPhone = "call me"
	bad.Urgency = "whenever"
	bad.Attachments = []string{""}
	bad.ID = "has space"
	_, err = f.eng.Submit(ctx, resident, bad)
	requireFields(t, err, gridgov.ErrInvalid, "Channel", "Category", "ReporterPhone", "Urgency",
		"Attachments[0]", "ID")
	var verr *gridgov.ValidationError
	require.ErrorAs(t, err, &verr)
	assert.Contains(t, verr.Message(gridgov.Chinese), "联系电话")

	unknown := intake()
	unknown.NodeID = "nowhere"
	_, err = f.eng.Submit(ctx, resident, unknown)
	requireFields(t, err, gridgov.ErrInvalid, "NodeID")

	list, _, err := f.store.ListComplaints(ctx, escalation.Query{})
	require.NoError(t, err)
	assert.Empty(t, list, "refused intakes store nothing")
}

func TestIntakeIsIdempotent(t *testing.T) {
	f := newFixture(t)
	in := intake()
	in.Key = "app-req-42"
	a, err := f.eng.Submit(ctx, resident, in)
	require.NoError(t, err)
	in.Description = "retried with other text"
	b, err := f.eng.Submit(ctx, resident, in)
	require.NoError(t, err)
	assert.Equal(t, a.ID, b.ID)
	assert.Equal(t, "单元门禁损坏", b.Description)
	events, err := f.eng.Events(ctx, 0, 0)
	require.NoError(t, err)
	assert.Len(t, events, 1)
}

func TestReporterPrivacy(t *testing.T) {
	f := newFixture(t)
	c := f.submit()
	assert.NotContains(t, fmt.Sprint(c), "13912345678")
	assert.NotContains(t, fmt.Sprintf("%+v %#v", c, c.Reporter), "李小明")

	for _, tc := range []struct {
		actor gridgov.Actor
		plain bool
	}{
		{resident, true}, {system, true}, {gridWorker, true}, {chair, true}, // their grants include it
		{otherWorker, false}, {stranger, false}, // another subtree; no position
	} {
		got, err := f.eng.Complaint(ctx, tc.actor, c.ID)
		require.NoError(t, err)
		assert.Equal(t, tc.plain, got.Reporter.Phone.Reveal() == "13912345678", "%s", tc.actor)
		assert.Equal(t, tc.plain, got.Reporter.Name.Reveal() == "李小明", "%s", tc.actor)
	}
	pub := c.Public()
	assert.NotContains(t, fmt.Sprintf("%+v", pub), "139")
	assert.Equal(t, c.ID, pub.ID)
}

var update = flag.Bool("update", false, "rewrite the diagram in doc.go")

// TestDiagramIsCurrent fails when the Mermaid diagram in doc.go differs from the one
// generated from the transition table; -update rewrites it.
func TestDiagramIsCurrent(t *testing.T) {
	raw, err := os.ReadFile("doc.go")
	require.NoError(t, err)
	src := string(raw)
	var b strings.Builder
	for _, line := range strings.Split(strings.TrimRight(escalation.Diagram(), "\n"), "\n") {
		b.WriteString("//\t" + line + "\n")
	}
	begin := strings.Index(src, "//\tstateDiagram-v2\n")
	require.GreaterOrEqual(t, begin, 0, "doc.go has no diagram")
	end := begin
	for end < len(src) && strings.HasPrefix(src[end:], "//\t") {
		end += strings.Index(src[end:], "\n") + 1
	}
	if *update {
		require.NoError(t, os.WriteFile("doc.go", []byte(src[:begin]+b.String()+src[end:]), 0o644))
		return
	}
	require.Equal(t, b.String(), src[begin:end],
		"doc.go's diagram is stale: run go test ./escalation -run TestDiagramIsCurrent -update")
}

func TestNewEngineValidation(t *testing.T) {
	f := newFixture(t)
	_, err := escalation.NewEngine(nil, nil, escalation.Policy{})
	requireFields(t, err, gridgov.ErrInvalid, "store", "registry")

	bad := escalation.Policy{Tiers: []escalation.Tier{
		{Level: "grid", WarnAt: 120},
		{Level: "building", ResponseLimit: escalation.Limit{Duration: -time.Hour}},
		{Level: "moon"},
		{Kind: governance.KindStreet, ResolutionLimit: escalation.Limit{Duration: time.Hour, Basis: 7}},
	}, RatingWindow: -1}
	_, err = escalation.NewEngine(f.store, f.reg, bad)
	requireFields(t, err, gridgov.ErrInvalid, "Tiers[0].WarnAt", "Tiers[1].Level", "Tiers[1].ResponseLimit",
		"Tiers[2].Level", "Tiers[3].ResolutionLimit.Basis", "RatingWindow")
	_, err = escalation.NewEngine(f.store, f.reg, escalation.Policy{})
	requireFields(t, err, gridgov.ErrInvalid, "Tiers")
}

func TestPresetsFitEveryScheme(t *testing.T) {
	for _, s := range []governance.Scheme{governance.FiveLevelChain(), governance.FourLevelLadder(), governance.ThreeLevelXiangshan()} {
		reg, err := governance.NewRegistry(memory.NewGovernanceStore(), governance.WithScheme(s))
		require.NoError(t, err)
		for _, p := range []escalation.Policy{escalation.RapidResponsePolicy(s), escalation.HotlinePolicy(s), escalation.LadderPolicy(s)} {
			_, err := escalation.NewEngine(memory.NewEscalationStore(), reg, p)
			require.NoError(t, err, "%s on %s", p.Name, s.Name)
		}
	}
	levels := func(p escalation.Policy) []string {
		var out []string
		for _, t := range p.Tiers {
			out = append(out, t.Level)
		}
		return out
	}
	assert.Equal(t, []string{"building", "compound", "community"}, levels(escalation.LadderPolicy(governance.ThreeLevelXiangshan())))
	assert.Equal(t, []string{"building", "grid", "community", "street"}, levels(escalation.LadderPolicy(governance.FourLevelLadder())))
	assert.Equal(t, []string{"grid", "compound", "community", "street"}, levels(escalation.RapidResponsePolicy(governance.FiveLevelChain())))
}
