package evaluation

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/shopspring/decimal"

	"github.com/gridgov/gridgov"
	"github.com/gridgov/gridgov/escalation"
	"github.com/gridgov/gridgov/governance"
)

// OpenInput opens a compound's cycle for a year.
type OpenInput struct {
	CompoundID string `validate:"required,gridid" zh:"小区"`
	Year       int    `validate:"gte=2000,lte=2200" zh:"年度"`
	// ReportDue is when the committee's annual report is due (required).
	ReportDue time.Time `validate:"required" zh:"述职截止时间"`
}

// Target names a cycle and the version the caller read (stale → gridgov.ErrConflict).
type Target struct {
	CycleID string `validate:"required,max=128" zh:"周期编号"`
	Version int64  `validate:"gte=1" zh:"版本"`
}

// StepInput is a step with only a note (recording a missing report, closing).
type StepInput struct {
	Target
	Note string `validate:"max=2000" zh:"备注"`
}

// ReportInput is the committee head's annual report.
type ReportInput struct {
	Target
	Duties string `validate:"required,notblank,max=4000" zh:"履职情况"`
	// MoneyHandled and MoneyDisclosed are yuan with at most two decimal places;
	// MoneyDisclosed is at most MoneyHandled.
	MoneyHandled   decimal.Decimal `zh:"经手资金"`
	MoneyDisclosed decimal.Decimal `zh:"公开资金"`
	Disclosures    int             `validate:"gte=0" zh:"公开次数"`
	Matters        int             `validate:"gte=0" zh:"办理事项"`
	Settled        int             `validate:"gte=0,ltefield=Matters" zh:"办结事项"`
	Text           string          `validate:"max=20000" zh:"述职报告"`
}

// CommitteeInput is the community Party organisation's evaluation of the committee.
type CommitteeInput struct {
	Target
	Sheets  []Sheet
	Survey  *Survey
	Records []Record
	Vetoes  []VetoHit
	Opinion string `validate:"required,notblank,max=4000" zh:"评议意见"`
}

// FirmInput is the compound Party branch's year-end evaluation of one firm.
type FirmInput struct {
	Target
	FirmID    string `validate:"required,max=128" zh:"物业企业"`
	Sheets    []Sheet
	Survey    *Survey
	Quarterly []decimal.Decimal
	// Complaints overrides the complaint metrics (default: read from [WithMetrics] for the
	// compound and the cycle's year).
	Complaints *escalation.Report
	Records    []Record
	Vetoes     []VetoHit
	Opinion    string `validate:"required,notblank,max=4000" zh:"综合评价意见"`
}

// PublishInput publishes the committee's result to all owners.
type PublishInput struct {
	Target
	Channel string `validate:"required,notblank,max=128" zh:"公示渠道"`
	// Text is the notice; empty means [PublicationText]. It must not name any individual
	// evaluator.
	Text string `validate:"max=20000" zh:"公示内容"`
}

// SendInput sends a firm's evaluation to the property authority.
type SendInput struct {
	Target
	FirmID string `validate:"required,max=128" zh:"物业企业"`
	// AuthorityID is the property authority (a district department organisation).
	AuthorityID string `validate:"required,max=128" zh:"物业主管部门"`
}

// Open opens the compound's cycle for a year. It resolves the bodies from the organisation
// tree: the compound's owners' committee (or its property management committee when there
// is no owners' committee), its Party branch, the community Party organisation (the Party
// committee or branch at the nearest community-level ancestor) and the property firms
// serving the compound. Only the community Party organisation (or a system actor) opens a
// cycle; one cycle per compound and year (gridgov.ErrAlreadyExists).
func (e *Evaluator) Open(ctx context.Context, actor gridgov.Actor, in OpenInput) (Cycle, error) {
	if err := e.valid.Struct(in); err != nil {
		return Cycle{}, err
	}
	c, err := e.resolve(ctx, in.CompoundID)
	if err != nil {
		return Cycle{}, err
	}
	if err := e.reg.AuthorizeMember(ctx, actor, c.CommunityPartyID, governance.PermEvaluate); err != nil {
		return Cycle{}, err
	}
	now := e.clock.Now()
	c.ID, c.Year, c.State, c.ReportDue = e.ids.NewID(), in.Year, StateOpen, in.ReportDue
	c.Version, c.CreatedAt, c.UpdatedAt = 1, now, now
	ev := CycleEvent{CycleID: c.ID, Version: 1, Step: StepOpen, To: StateOpen, Actor: actor.String(), At: now}
	out, err := e.store.CreateCycle(ctx, c, ev)
	if err != nil {
		return Cycle{}, err
	}
	e.log.InfoContext(ctx, "evaluation cycle opened", "cycle", out.ID, "compound", out.CompoundID, "year", out.Year)
	return out, nil
}

// resolve finds the compound's bodies.
func (e *Evaluator) resolve(ctx context.Context, compoundID string) (Cycle, error) {
	scheme := e.reg.Scheme()
	compound, err := e.reg.Node(ctx, compoundID)
	if err != nil {
		return Cycle{}, err
	}
	if key, ok := scheme.Compound(); !ok || compound.Level != key {
		return Cycle{}, gridgov.Invalid("CompoundID", "level", fmt.Sprintf("node %q is not a compound", compoundID),
			fmt.Sprintf("节点“%s”不是小区", compoundID))
	}
	c := Cycle{CompoundID: compoundID}
	var verr gridgov.ValidationError
	orgs, err := e.reg.OrganisationsAt(ctx, compoundID)
	if err != nil {
		return Cycle{}, err
	}
	for _, kind := range []governance.OrgKind{governance.OrgOwnersCommittee, governance.OrgManagementCommittee} {
		if c.CommitteeID != "" {
			break
		}
		for _, o := range orgs {
			if o.Kind == kind {
				c.CommitteeID, c.CommitteeKind = o.ID, kind
				break
			}
		}
	}
	for _, o := range orgs {
		if o.Kind == governance.OrgPartyBranch && o.HostID == "" {
			c.BranchID = o.ID
			break
		}
	}
	if c.CommitteeID == "" {
		verr.Add("CompoundID", "committee", fmt.Sprintf("compound %q has neither an owners' committee nor a property management committee", compoundID),
			fmt.Sprintf("小区“%s”既无业主委员会也无物业管理委员会", compoundID))
	}
	if c.BranchID == "" {
		verr.Add("CompoundID", "branch", fmt.Sprintf("compound %q has no Party branch", compoundID),
			fmt.Sprintf("小区“%s”没有党支部", compoundID))
	}
	path, err := e.reg.Path(ctx, compoundID)
	if err != nil {
		return Cycle{}, err
	}
	for i := len(path) - 2; i >= 0 && c.CommunityPartyID == ""; i-- {
		lvl, ok := scheme.Level(path[i].Level)
		if !ok || lvl.Kind != governance.KindCommunity {
			continue
		}
		above, err := e.reg.OrganisationsAt(ctx, path[i].ID)
		if err != nil {
			return Cycle{}, err
		}
		for _, o := range above {
			if (o.Kind == governance.OrgPartyCommittee || o.Kind == governance.OrgPartyBranch) && o.HostID == "" {
				c.CommunityID, c.CommunityPartyID = path[i].ID, o.ID
				break
			}
		}
	}
	if c.CommunityPartyID == "" {
		verr.Add("CompoundID", "community", fmt.Sprintf("compound %q has no community Party organisation above it", compoundID),
			fmt.Sprintf("小区“%s”上级没有社区党组织", compoundID))
	}
	if err := verr.Err(); err != nil {
		return Cycle{}, err
	}
	firms, err := e.reg.ServedBy(ctx, compoundID)
	if err != nil {
		return Cycle{}, err
	}
	for _, f := range firms {
		if f.Kind == governance.OrgPropertyFirm {
			c.FirmIDs = append(c.FirmIDs, f.ID)
		}
	}
	slices.Sort(c.FirmIDs)
	return c, nil
}

// FileReport files the committee head's annual report; it goes to the community Party
// organisation and to the compound Party branch. Only the committee's chair (or a system
// actor) files it; a report after ReportDue is marked Late.
func (e *Evaluator) FileReport(ctx context.Context, actor gridgov.Actor, in ReportInput) (Cycle, error) {
	var verr gridgov.ValidationError
	verr.Merge(e.valid.Struct(in))
	checkYuan(&verr, "MoneyHandled", in.MoneyHandled)
	checkYuan(&verr, "MoneyDisclosed", in.MoneyDisclosed)
	if in.MoneyDisclosed.Cmp(in.MoneyHandled) > 0 {
		verr.Add("MoneyDisclosed", "ltefield", "money disclosed cannot exceed money handled", "公开资金不能超过经手资金")
	}
	if err := verr.Err(); err != nil {
		return Cycle{}, err
	}
	return e.step(ctx, actor, in.Target, StepFileReport, "", func(c *Cycle, now time.Time) error {
		if err := e.authorizeChair(ctx, actor, c.CommitteeID); err != nil {
			return err
		}
		c.Report = &AnnualReport{FiledBy: actor.ID, FiledAt: now, Late: now.After(c.ReportDue),
			Recipients: []string{c.CommunityPartyID, c.BranchID}, Duties: in.Duties,
			MoneyHandled: in.MoneyHandled, MoneyDisclosed: in.MoneyDisclosed, Disclosures: in.Disclosures,
			Matters: in.Matters, Settled: in.Settled, Text: in.Text}
		c.State = StateReported
		return nil
	})
}

// authorizeChair allows system actors and the committee's current chair.
func (e *Evaluator) authorizeChair(ctx context.Context, actor gridgov.Actor, committeeID string) error {
	if actor.IsSystem() {
		return nil
	}
	members, err := e.reg.Members(ctx, committeeID)
	if err != nil {
		return err
	}
	for _, p := range members {
		if p.PersonID == actor.ID && p.Role == governance.RoleChair {
			return nil
		}
	}
	return fmt.Errorf("%w: only the chair of %q files its annual report (只有“%s”的主任可以述职); %s is not",
		gridgov.ErrForbidden, committeeID, committeeID, actor)
}

// RecordMissingReport records that the committee did not report by ReportDue (未述职), so
// the evaluations can go ahead; the missing report stays visible. Only the community Party
// organisation records it, and only after ReportDue.
func (e *Evaluator) RecordMissingReport(ctx context.Context, actor gridgov.Actor, in StepInput) (Cycle, error) {
	if err := e.valid.Struct(in); err != nil {
		return Cycle{}, err
	}
	return e.step(ctx, actor, in.Target, StepMissingReport, "", func(c *Cycle, now time.Time) error {
		if err := e.reg.AuthorizeMember(ctx, actor, c.CommunityPartyID, governance.PermEvaluate); err != nil {
			return err
		}
		if !now.After(c.ReportDue) {
			return gridgov.Invalid("CycleID", "due", fmt.Sprintf("the report is not due until %s", c.ReportDue.Format(time.DateTime)),
				fmt.Sprintf("述职截止时间 %s 未到", c.ReportDue.Format(time.DateTime)))
		}
		c.Report = &AnnualReport{FiledBy: actor.ID, FiledAt: now, Late: true, Missing: true}
		c.State = StateReported
		return nil
	}, in.Note)
}

// EvaluateCommittee records the community Party organisation's evaluation of the committee,
// scored on the evaluator's committee scheme. Only the community Party organisation
// evaluates; a committee is evaluated once per cycle.
func (e *Evaluator) EvaluateCommittee(ctx context.Context, actor gridgov.Actor, in CommitteeInput) (Cycle, error) {
	if err := e.valid.Struct(in); err != nil {
		return Cycle{}, err
	}
	return e.step(ctx, actor, in.Target, StepEvaluateCommittee, "", func(c *Cycle, now time.Time) error {
		if err := e.reg.AuthorizeMember(ctx, actor, c.CommunityPartyID, governance.PermEvaluate); err != nil {
			return err
		}
		if c.Committee != nil {
			return transitionError(StepEvaluateCommittee, c.State, "the committee is already evaluated", "业委会已评议")
		}
		card, err := e.committeeScorer.Score(ScoreInput{SubjectID: c.CommitteeID, Sheets: in.Sheets,
			Facts: Facts{Survey: in.Survey}, Records: in.Records, Vetoes: in.Vetoes})
		if err != nil {
			return err
		}
		c.Committee = &Evaluation{Card: card, Opinion: in.Opinion, By: actor.ID, At: now}
		c.State = StateEvaluating
		return nil
	})
}

// EvaluateFirm records the compound Party branch's year-end comprehensive evaluation of a
// firm serving the compound: its sheets, the resident survey, the community's quarterly
// scores, and the complaint metrics of the compound for the cycle's year (from
// [WithMetrics] unless given). Only the compound Party branch evaluates; each firm once.
func (e *Evaluator) EvaluateFirm(ctx context.Context, actor gridgov.Actor, in FirmInput) (Cycle, error) {
	if err := e.valid.Struct(in); err != nil {
		return Cycle{}, err
	}
	return e.step(ctx, actor, in.Target, StepEvaluateFirm, in.FirmID, func(c *Cycle, now time.Time) error {
		if err := e.reg.AuthorizeMember(ctx, actor, c.BranchID, governance.PermEvaluate); err != nil {
			return err
		}
		if !slices.Contains(c.FirmIDs, in.FirmID) {
			return gridgov.Invalid("FirmID", "oneof", fmt.Sprintf("firm %q does not serve compound %q", in.FirmID, c.CompoundID),
				fmt.Sprintf("物业企业“%s”不服务小区“%s”", in.FirmID, c.CompoundID))
		}
		if _, done := c.Firm(in.FirmID); done {
			return transitionError(StepEvaluateFirm, c.State, fmt.Sprintf("firm %q is already evaluated", in.FirmID),
				fmt.Sprintf("物业企业“%s”已评价", in.FirmID))
		}
		report := in.Complaints
		if report == nil && e.metrics != nil && needsComplaints(e.firm) {
			from, to := e.yearBounds(c.Year)
			r, err := e.metrics.Metrics(ctx, escalation.MetricsQuery{NodeID: c.CompoundID, From: from, To: to})
			if err != nil {
				return err
			}
			report = &r
		}
		card, err := e.firmScorer.Score(ScoreInput{SubjectID: in.FirmID, Sheets: in.Sheets,
			Facts: Facts{Survey: in.Survey, Complaints: report, Quarterly: in.Quarterly}, Records: in.Records, Vetoes: in.Vetoes})
		if err != nil {
			return err
		}
		fe := FirmEvaluation{FirmID: in.FirmID, Evaluation: Evaluation{Card: card, Opinion: in.Opinion, By: actor.ID, At: now},
			Quarterly: slices.Clone(in.Quarterly)}
		if in.Survey != nil {
			fe.Survey = *in.Survey
		}
		if report != nil {
			s := summarise(*report)
			fe.Complaints = &s
		}
		c.Firms = append(c.Firms, fe)
		slices.SortFunc(c.Firms, func(a, b FirmEvaluation) int { return strings.Compare(a.FirmID, b.FirmID) })
		c.State = StateEvaluating
		return nil
	})
}

func needsComplaints(s Scheme) bool {
	for _, c := range s.Categories {
		for _, ind := range c.Indicators {
			if ind.Source == SourceComplaints {
				return true
			}
		}
	}
	return false
}

// Publish publishes the committee's result to all owners (公示) through a channel, with a
// text that names no individual evaluator (default: [PublicationText]). Only the community
// Party organisation publishes, after evaluating the committee, once.
func (e *Evaluator) Publish(ctx context.Context, actor gridgov.Actor, in PublishInput) (Cycle, error) {
	if err := e.valid.Struct(in); err != nil {
		return Cycle{}, err
	}
	return e.step(ctx, actor, in.Target, StepPublish, "", func(c *Cycle, now time.Time) error {
		if err := e.reg.AuthorizeMember(ctx, actor, c.CommunityPartyID, governance.PermEvaluate); err != nil {
			return err
		}
		if c.Committee == nil || c.Publication != nil {
			return transitionError(StepPublish, c.State, "publishing needs an evaluated, unpublished committee",
				"公示需要已评议且尚未公示的业委会结果")
		}
		text := in.Text
		if text == "" {
			text = PublicationText(*c)
		} else if err := e.checkAnonymous(ctx, *c, text); err != nil {
			return err
		}
		c.Publication = &Publication{At: now, Channel: in.Channel, Text: text, By: actor.ID}
		if c.concluded() {
			c.State = StatePublished
		}
		return nil
	})
}

// checkAnonymous refuses a text that names an evaluator: the person who recorded the
// evaluation or any current member of the community Party organisation, by name or ID.
func (e *Evaluator) checkAnonymous(ctx context.Context, c Cycle, text string) error {
	ids := []string{c.Committee.By}
	members, err := e.reg.Members(ctx, c.CommunityPartyID)
	if err != nil {
		return err
	}
	for _, m := range members {
		ids = append(ids, m.PersonID)
	}
	system := gridgov.SystemActor("evaluation")
	for _, id := range ids {
		if id == "" {
			continue
		}
		names := []string{id}
		if p, err := e.reg.Person(ctx, system, id); err == nil {
			names = append(names, p.Name.Reveal())
		}
		for _, n := range names {
			if n != "" && strings.Contains(text, n) {
				return gridgov.Invalid("Text", "anonymous", "the notice must not name an individual evaluator",
					"公示内容不得出现评议人个人信息")
			}
		}
	}
	return nil
}

// PublicationText is the default notice of a committee's result: the committee, the year,
// the score, the grade and the category subtotals, naming no evaluator.
func PublicationText(c Cycle) string {
	if c.Committee == nil {
		return ""
	}
	card := c.Committee.Card
	var b strings.Builder
	fmt.Fprintf(&b, "%d年度业主委员会评议结果公示 / %d committee evaluation result\n", c.Year, c.Year)
	fmt.Fprintf(&b, "小区 compound: %s；委员会 committee: %s\n", c.CompoundID, c.CommitteeID)
	fmt.Fprintf(&b, "得分 score: %s；等级 grade: %s\n", card.Score.StringFixed(2), card.Grade)
	for _, cs := range card.Categories {
		fmt.Fprintf(&b, "  %s: %s / %s\n", cs.Key, cs.Points.StringFixed(2), cs.Max)
	}
	if card.Vetoed() {
		b.WriteString("一票否决 veto: ")
		for i, v := range card.Vetoes {
			if i > 0 {
				b.WriteString(", ")
			}
			b.WriteString(v.Key)
		}
		b.WriteByte('\n')
	}
	fmt.Fprintf(&b, "评议意见 opinion: %s\n", c.Committee.Opinion)
	return b.String()
}

// Send sends a firm's evaluation to the property authority (报送物业主管部门), where it counts
// in the firm's yearly assessment ([Evaluator.Assess]). Only the compound Party branch
// sends, after evaluating the firm, once.
func (e *Evaluator) Send(ctx context.Context, actor gridgov.Actor, in SendInput) (Cycle, error) {
	if err := e.valid.Struct(in); err != nil {
		return Cycle{}, err
	}
	return e.step(ctx, actor, in.Target, StepSend, in.FirmID, func(c *Cycle, now time.Time) error {
		if err := e.reg.AuthorizeMember(ctx, actor, c.BranchID, governance.PermEvaluate); err != nil {
			return err
		}
		authority, err := e.reg.Organisation(ctx, in.AuthorityID)
		if err != nil {
			return err
		}
		if authority.Kind != governance.OrgDistrictDepartment {
			return gridgov.Invalid("AuthorityID", "kind", fmt.Sprintf("%q is not a district department", in.AuthorityID),
				fmt.Sprintf("“%s”不是区职能部门", in.AuthorityID))
		}
		i := slices.IndexFunc(c.Firms, func(f FirmEvaluation) bool { return f.FirmID == in.FirmID })
		if i < 0 || !c.Firms[i].SentAt.IsZero() {
			return transitionError(StepSend, c.State, fmt.Sprintf("firm %q is not evaluated or already sent", in.FirmID),
				fmt.Sprintf("物业企业“%s”尚未评价或已报送", in.FirmID))
		}
		c.Firms[i].SentTo, c.Firms[i].SentAt = in.AuthorityID, now
		if c.concluded() {
			c.State = StatePublished
		}
		return nil
	})
}

// Close archives a published cycle. Only the community Party organisation closes it.
func (e *Evaluator) Close(ctx context.Context, actor gridgov.Actor, in StepInput) (Cycle, error) {
	if err := e.valid.Struct(in); err != nil {
		return Cycle{}, err
	}
	return e.step(ctx, actor, in.Target, StepClose, "", func(c *Cycle, now time.Time) error {
		if err := e.reg.AuthorizeMember(ctx, actor, c.CommunityPartyID, governance.PermEvaluate); err != nil {
			return err
		}
		c.State = StateClosed
		return nil
	}, in.Note)
}

// step loads the cycle, checks its version and the transition table, applies change and
// stores the result with one event in one store call. Nothing is written when any check or
// change fails.
func (e *Evaluator) step(ctx context.Context, actor gridgov.Actor, t Target, s Step, subject string,
	change func(c *Cycle, now time.Time) error, note ...string) (Cycle, error) {
	c, err := e.store.GetCycle(ctx, t.CycleID)
	if err != nil {
		return Cycle{}, err
	}
	if c.Version != t.Version {
		return Cycle{}, fmt.Errorf("%w: cycle %q is at version %d, not %d (周期已被修改)", gridgov.ErrConflict, c.ID, c.Version, t.Version)
	}
	if !slices.Contains(transitions[s], c.State) {
		return Cycle{}, transitionError(s, c.State, "", "")
	}
	from := c.State
	now := e.clock.Now()
	if err := change(&c, now); err != nil {
		return Cycle{}, err
	}
	ev := CycleEvent{CycleID: c.ID, Version: c.Version + 1, Step: s, From: from, To: c.State, Actor: actor.String(),
		At: now, Subject: subject}
	if len(note) > 0 {
		ev.Note = note[0]
	}
	c.UpdatedAt = now
	out, err := e.store.UpdateCycle(ctx, c, ev)
	if err != nil {
		return Cycle{}, err
	}
	e.log.InfoContext(ctx, "evaluation step", "cycle", out.ID, "step", s, "state", out.State, "version", out.Version)
	return out, nil
}

func transitionError(s Step, st State, en, zh string) error {
	if en != "" {
		return fmt.Errorf("%w: %s in state %s: %s (%s)", gridgov.ErrInvalidTransition, s, st, en, zh)
	}
	return fmt.Errorf("%w: %s is not allowed in state %s (当前状态“%s”不允许此操作)", gridgov.ErrInvalidTransition, s, st, st)
}

// maxYuan bounds report money: below 10^15 yuan.
var maxYuan = decimal.New(1, 15)

func checkYuan(verr *gridgov.ValidationError, field string, v decimal.Decimal) {
	if v.Sign() < 0 || v.Cmp(maxYuan) >= 0 || !v.Equal(v.Truncate(2)) {
		verr.Add(field, "yuan", fmt.Sprintf("%s must be an amount of yuan from 0 to below 10^15 with at most two decimal places", field),
			fmt.Sprintf("%s必须是 0 到 10^15 元之间、最多两位小数的金额", field))
	}
}
