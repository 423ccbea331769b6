package evaluation_test

import (
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gridgov/gridgov"
	"github.com/gridgov/gridgov/evaluation"
)

// A whole cycle: open, report, both evaluations, publication, sending, close; the bodies
// come from the tree and the history has one event per accepted step.
func TestCycleWhole(t *testing.T) {
	f := newFixture(t)
	c := f.open("k1")
	assert.Equal(t, evaluation.StateOpen, c.State)
	assert.Equal(t, "k1-oc", c.CommitteeID)
	assert.Equal(t, "k1-pb", c.BranchID)
	assert.Equal(t, "c1-pc", c.CommunityPartyID)
	assert.Equal(t, "c1", c.CommunityID)
	assert.Equal(t, []string{"f1", "f2"}, c.FirmIDs)

	c = f.report(c)
	assert.Equal(t, evaluation.StateReported, c.State)
	require.NotNil(t, c.Report)
	assert.False(t, c.Report.Late)
	assert.Equal(t, []string{"c1-pc", "k1-pb"}, c.Report.Recipients)

	c = f.evaluateCommittee(c, "9")
	assert.Equal(t, evaluation.StateEvaluating, c.State)
	assert.True(t, dec("90").Equal(c.Committee.Card.Score), c.Committee.Card.Explain())
	assert.Equal(t, "优秀", c.Committee.Card.Grade)

	c = f.evaluateFirm(c, "pb-sec", "f1", "8", evaluation.Survey{Satisfied: 90, Basic: 10})
	fe, ok := c.Firm("f1")
	require.True(t, ok)
	require.NotNil(t, fe.Complaints)
	assert.True(t, rate(38, 40).Value().Equal(fe.Complaints.Resolution.Value()))
	require.Len(t, f.metrics.queries, 1)
	q := f.metrics.queries[0]
	assert.Equal(t, "k1", q.NodeID)
	assert.True(t, q.From.Equal(time.Date(2026, 1, 1, 0, 0, 0, 0, evaluation.ChinaStandardTime)))
	assert.True(t, q.To.Equal(time.Date(2027, 1, 1, 0, 0, 0, 0, evaluation.ChinaStandardTime)))

	c = f.evaluateFirm(c, "pb-sec", "f2", "6", evaluation.Survey{Satisfied: 50, Basic: 20, Dissatisfied: 30})
	c, err := f.ev.Publish(ctx, person("pc-sec"), evaluation.PublishInput{Target: target(c), Channel: "小区公告栏"})
	require.NoError(t, err)
	assert.Equal(t, evaluation.StateEvaluating, c.State, "firms are not sent yet")
	assert.Contains(t, c.Publication.Text, "90.00")
	assert.NotContains(t, c.Publication.Text, "pc-sec")
	for _, firm := range []string{"f1", "f2"} {
		c, err = f.ev.Send(ctx, person("pb-sec"), evaluation.SendInput{Target: target(c), FirmID: firm, AuthorityID: "housing"})
		require.NoError(t, err)
	}
	assert.Equal(t, evaluation.StatePublished, c.State)
	c, err = f.ev.Close(ctx, person("pc-sec"), evaluation.StepInput{Target: target(c), Note: "归档"})
	require.NoError(t, err)
	assert.Equal(t, evaluation.StateClosed, c.State)

	h, err := f.ev.History(ctx, c.ID)
	require.NoError(t, err)
	require.Len(t, h, int(c.Version), "one event per accepted step")
	var steps []evaluation.Step
	for _, e := range h {
		steps = append(steps, e.Step)
	}
	assert.Equal(t, []evaluation.Step{"open", "file_report", "evaluate_committee", "evaluate_firm", "evaluate_firm",
		"publish", "send", "send", "close"}, steps)
	assert.Equal(t, "f2", h[4].Subject)

	// The authority's assessment sees both firms, graded with the credit bands.
	as, err := f.ev.Assess(ctx, 2026)
	require.NoError(t, err)
	require.Len(t, as, 2)
	assert.Equal(t, "f1", as[0].SubjectID)
	assert.Equal(t, "AAA", as[0].Grade, "%s", as[0].Score)
}

// A compound with a property management committee in place of an owners' committee is
// evaluated through it; the chair of that committee reports.
func TestCycleManagementCommittee(t *testing.T) {
	f := newFixture(t)
	c := f.open("k2")
	assert.Equal(t, "k2-mc", c.CommitteeID)
	_, err := f.ev.FileReport(ctx, person("oc-chair"), evaluation.ReportInput{Target: target(c), Duties: "x"})
	require.ErrorIs(t, err, gridgov.ErrForbidden, "another committee's chair")
	c, err = f.ev.FileReport(ctx, person("mc-chair"), evaluation.ReportInput{Target: target(c), Duties: "代行业委会职责"})
	require.NoError(t, err)
	assert.Equal(t, evaluation.StateReported, c.State)
}

// Steps out of order are ErrInvalidTransition; steps by the wrong body are ErrForbidden;
// stale versions are ErrConflict; bad input is ErrInvalid; none changes the store.
func TestCycleRefusals(t *testing.T) {
	f := newFixture(t)
	c := f.open("k1")
	_, err := f.ev.Open(ctx, person("pc-sec"), evaluation.OpenInput{CompoundID: "k1", Year: 2026, ReportDue: due})
	require.ErrorIs(t, err, gridgov.ErrAlreadyExists)
	_, err = f.ev.Open(ctx, person("pb-sec"), evaluation.OpenInput{CompoundID: "k2", Year: 2026, ReportDue: due})
	require.ErrorIs(t, err, gridgov.ErrForbidden, "a compound branch does not open cycles")
	_, err = f.ev.Open(ctx, person("pc-sec"), evaluation.OpenInput{CompoundID: "c1", Year: 2026, ReportDue: due})
	require.ErrorIs(t, err, gridgov.ErrInvalid, "a community is not a compound")

	before := snapshot(t, f, c.ID)
	committee := evaluation.CommitteeInput{Target: target(c), Sheets: sheets(f.ev.CommitteeScheme(), flat("9")), Opinion: "x"}
	_, err = f.ev.EvaluateCommittee(ctx, person("pc-sec"), committee)
	require.ErrorIs(t, err, gridgov.ErrInvalidTransition, "evaluation before the report")
	_, err = f.ev.Publish(ctx, person("pc-sec"), evaluation.PublishInput{Target: target(c), Channel: "公告栏"})
	require.ErrorIs(t, err, gridgov.ErrInvalidTransition)
	_, err = f.ev.Close(ctx, person("pc-sec"), evaluation.StepInput{Target: target(c)})
	require.ErrorIs(t, err, gridgov.ErrInvalidTransition)
	_, err = f.ev.FileReport(ctx, person("pb-sec"), evaluation.ReportInput{Target: target(c), Duties: "x"})
	require.ErrorIs(t, err, gridgov.ErrForbidden, "only the committee's chair reports")
	_, err = f.ev.FileReport(ctx, person("oc-chair"), evaluation.ReportInput{Target: evaluation.Target{CycleID: c.ID, Version: 7}, Duties: "x"})
	require.ErrorIs(t, err, gridgov.ErrConflict)
	_, err = f.ev.FileReport(ctx, person("oc-chair"), evaluation.ReportInput{Target: target(c), Duties: " ",
		MoneyHandled: dec("10.001"), MoneyDisclosed: dec("20"), Matters: 1, Settled: 2})
	requireFields(t, err, "Duties", "Settled", "MoneyHandled", "MoneyDisclosed")
	_, err = f.ev.RecordMissingReport(ctx, person("pc-sec"), evaluation.StepInput{Target: target(c)})
	require.ErrorIs(t, err, gridgov.ErrInvalid, "the report is not due yet")
	require.Equal(t, before, snapshot(t, f, c.ID))

	c = f.report(c)
	committee.Target = target(c)
	_, err = f.ev.EvaluateCommittee(ctx, person("pb-sec"), committee)
	require.ErrorIs(t, err, gridgov.ErrForbidden, "the branch does not evaluate the committee")
	_, err = f.ev.EvaluateCommittee(ctx, person("street-sec"), committee)
	require.ErrorIs(t, err, gridgov.ErrForbidden, "a plain member's role carries no evaluation")
	firm := evaluation.FirmInput{Target: target(c), FirmID: "f1", Sheets: sheets(f.ev.FirmScheme(), flat("8")),
		Survey: &evaluation.Survey{Satisfied: 9}, Quarterly: []decimalT{dec("90")}, Opinion: "x"}
	_, err = f.ev.EvaluateFirm(ctx, person("pc-sec"), firm)
	require.ErrorIs(t, err, gridgov.ErrForbidden, "the community does not evaluate the firm")
	_, err = f.ev.EvaluateFirm(ctx, person("pb2-sec"), firm)
	require.ErrorIs(t, err, gridgov.ErrForbidden, "another compound's branch")
	firm.FirmID = "nobody"
	_, err = f.ev.EvaluateFirm(ctx, person("pb-sec"), firm)
	require.ErrorIs(t, err, gridgov.ErrInvalid, "a firm that does not serve the compound")
	firm.FirmID = "f1"
	firm.Sheets[0].Marks[0].Points = dec("11")
	_, err = f.ev.EvaluateFirm(ctx, person("pb-sec"), firm)
	requireFields(t, err, "Sheets[0].Marks[0].Points")

	c = f.evaluateFirm(c, "pb-sec", "f1", "8", evaluation.Survey{Satisfied: 9})
	_, err = f.ev.Send(ctx, person("pb-sec"), evaluation.SendInput{Target: target(c), FirmID: "f2", AuthorityID: "housing"})
	require.ErrorIs(t, err, gridgov.ErrInvalidTransition, "f2 is not evaluated")
	_, err = f.ev.Send(ctx, person("pb-sec"), evaluation.SendInput{Target: target(c), FirmID: "f1", AuthorityID: "c1-pc"})
	require.ErrorIs(t, err, gridgov.ErrInvalid, "the authority must be a district department")
	_, err = f.ev.EvaluateFirm(ctx, person("pb-sec"), evaluation.FirmInput{Target: target(c), FirmID: "f1",
		Sheets: sheets(f.ev.FirmScheme(), flat("8")), Survey: &evaluation.Survey{Satisfied: 9}, Quarterly: []decimalT{dec("90")}, Opinion: "x"})
	require.ErrorIs(t, err, gridgov.ErrInvalidTransition, "a firm is evaluated once")
	before = snapshot(t, f, c.ID)
	c = f.evaluateCommittee(c, "8")
	_, err = f.ev.Publish(ctx, person("pc-sec"), evaluation.PublishInput{Target: target(c), Channel: "业主群",
		Text: "经李pc-sec等评议，业委会得分 80 分"})
	requireFields(t, err, "Text")
	_, err = f.ev.Publish(ctx, person("pc-sec"), evaluation.PublishInput{Target: target(c), Channel: "业主群",
		Text: "评议人 street-sec 意见"})
	requireFields(t, err, "Text")
	assert.NotEqual(t, before, snapshot(t, f, c.ID))
}

type decimalT = decimal.Decimal

// snapshot captures a cycle and its history as text, to prove a refusal changed nothing.
func snapshot(t *testing.T, f *fixture, id string) string {
	t.Helper()
	c, err := f.ev.Cycle(ctx, id)
	require.NoError(t, err)
	h, err := f.ev.History(ctx, id)
	require.NoError(t, err)
	var b strings.Builder
	b.WriteString(string(c.State))
	for _, e := range h {
		b.WriteString("|" + string(e.Step))
	}
	if c.Report != nil {
		b.WriteString("|report")
	}
	return b.String() + "|" + time.Duration(c.Version).String()
}

// requireFields checks an ErrInvalid naming exactly these fields, with messages in both
// languages.
func requireFields(t *testing.T, err error, fields ...string) {
	t.Helper()
	require.ErrorIs(t, err, gridgov.ErrInvalid)
	var verr *gridgov.ValidationError
	require.ErrorAs(t, err, &verr)
	assert.ElementsMatch(t, fields, verr.FieldNames(), err.Error())
	for _, fe := range verr.Fields {
		assert.NotEmpty(t, fe.EN)
		assert.NotEmpty(t, fe.ZH)
	}
}

// A late report is marked; a missing one is recorded after the due date and shown by
// Reports; evaluations go ahead either way.
func TestLateAndMissingReports(t *testing.T) {
	f := newFixture(t)
	k1 := f.open("k1")
	k2 := f.open("k2")
	f.clock.Set(due.Add(time.Hour))
	reps, err := f.ev.Reports(ctx, 2026, "c1")
	require.NoError(t, err)
	require.Len(t, reps, 2)
	assert.True(t, reps[0].Missing && reps[1].Missing, "both are overdue")

	k1 = f.report(k1)
	assert.True(t, k1.Report.Late)
	_, err = f.ev.RecordMissingReport(ctx, person("oc-chair"), evaluation.StepInput{Target: target(k2)})
	require.ErrorIs(t, err, gridgov.ErrForbidden)
	k2, err = f.ev.RecordMissingReport(ctx, person("pc-sec"), evaluation.StepInput{Target: target(k2), Note: "逾期未述职"})
	require.NoError(t, err)
	assert.Equal(t, evaluation.StateReported, k2.State)

	reps, err = f.ev.Reports(ctx, 2026, "")
	require.NoError(t, err)
	assert.Equal(t, "k1", reps[0].CompoundID)
	assert.True(t, reps[0].Filed && reps[0].Late && !reps[0].Missing)
	assert.True(t, reps[1].Missing && !reps[1].Filed)

	hist, err := f.ev.CommitteeHistory(ctx, "k2-mc")
	require.NoError(t, err)
	require.Len(t, hist, 1)
	assert.False(t, hist[0].Reported)
}
