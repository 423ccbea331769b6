package main

import (
	"context"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/shopspring/decimal"

	"github.com/gridgov/gridgov"
	"github.com/gridgov/gridgov/escalation"
	"github.com/gridgov/gridgov/examples/internal/sim"
	"github.com/gridgov/gridgov/governance/deliberation"
)

// record is one agenda item as the year left it, with what the report needs besides the
// item itself.
type record struct {
	Item   deliberation.Item
	Fate   fate
	Matter matter
	// Tally is the count of the owners' vote, or of the canvass so far (fateVoting).
	Tally deliberation.Tally
	Voted bool
}

// year runs one agenda item per dealt fate through the forum on a simulated clock and
// returns their records, in raising order.
func (w *world) year(ctx context.Context, r *rand.Rand, fates []fate, yr int) ([]record, error) {
	ms := matters()
	start := sim.YearStart(yr)
	var out []record
	for i, f := range fates {
		bd := w.buildings[r.IntN(len(w.buildings))]
		m := drawMatter(r, ms)
		day := 3 + r.IntN(270)
		if f.late() {
			day = 300 + r.IntN(25)
		}
		s := &itemSim{w: w, r: r, f: f, bd: bd, m: m, t0: start.AddDate(0, 0, day).Add(9 * time.Hour), n: i}
		rec, err := s.run(ctx)
		if err != nil {
			return nil, fmt.Errorf("item %d (%s, %s): %w", i+1, m.Category, bd.ID, err)
		}
		rec.Item = s.it
		out = append(out, rec)
	}
	return out, nil
}

// itemSim runs one item.
type itemSim struct {
	w  *world
	r  *rand.Rand
	f  fate
	bd *building
	m  matter
	t0 time.Time
	n  int
	it deliberation.Item
}

// at sets the clock to day days and hours hours after the item was raised.
func (s *itemSim) at(day int, hours int) {
	s.w.clock.Set(s.t0.AddDate(0, 0, day).Add(time.Duration(hours) * time.Hour))
}

// do keeps the item a forum command returned, or returns its error.
func (s *itemSim) do(it deliberation.Item, err error) error {
	if err != nil {
		return err
	}
	s.it = it
	return nil
}

// step names the item for a command, with a note for its history.
func (s *itemSim) step(note string) deliberation.Step {
	return deliberation.Step{ID: s.it.ID, Note: note}
}

// run takes the item from raising to its fate.
func (s *itemSim) run(ctx context.Context) (record, error) {
	w, r, f, k := s.w, s.r, s.f, s.bd.Compound
	fo, sec := w.forum, k.Community.Secretary
	rec := record{Fate: f, Matter: s.m}
	s.at(0, 0)
	title := k.Name + s.bd.Name + s.m.TitleZH

	// 1. Raised: from a resident's complaint (诉求转议题), a building meeting or a chat group.
	in := deliberation.RaiseInput{NodeID: s.bd.ID, Title: title, Category: s.m.Category}
	switch u := r.IntN(10); {
	case u < 4:
		c, err := w.complaint(ctx, r, s.bd, s.m, fmt.Sprintf("beiyuan-%d", s.n))
		if err != nil {
			return rec, err
		}
		in.Source, in.ComplaintID, in.NodeID = deliberation.SourceComplaint, c.ID, ""
	case u < 8:
		in.Source = deliberation.SourceBuildingMeeting
	default:
		in.Source = deliberation.SourceChatGroup
	}
	if err := s.do(fo.Raise(ctx, k.Chair, in)); err != nil {
		return rec, err
	}

	// 2. First round in the compound (首轮协商).
	s.at(1, 0)
	if err := s.do(fo.StartFirstRound(ctx, k.Chair, deliberation.FirstRoundInput{Step: s.step(""),
		Participants: []deliberation.ParticipantInput{
			{Kind: deliberation.KindPropertyFirm, OrgID: k.FirmID, Name: sim.PersonName(r)},
			{Kind: deliberation.KindOwnersCommittee, PersonID: k.Chair.ID, Name: sim.PersonName(r)},
			{Kind: deliberation.KindBuildingLeader, Name: sim.PersonName(r)},
			{Kind: deliberation.KindResidentActivist, Name: sim.PersonName(r)},
		}})); err != nil {
		return rec, err
	}
	s.at(2+r.IntN(4), 0)
	if f == fateFirstRound {
		if err := s.do(fo.Settle(ctx, k.Chair, s.step("物业与业委会协商解决，居民认可"))); err != nil {
			return rec, err
		}
		if s.it.ComplaintID != "" {
			if _, err := w.engine.Resolve(ctx, k.FirmManager, escalation.Step{ID: s.it.ComplaintID, Note: "首轮协商化解"}); err != nil {
				return rec, err
			}
		}
		return rec, nil
	}
	if err := s.do(fo.Refer(ctx, k.Chair, s.step("涉及费用分担，意见分歧，提交社区党委"))); err != nil {
		return rec, err
	}

	// 3. The community Party committee reviews and convenes (社区党委审核、召集).
	s.at(7, 0)
	switch f {
	case fateDismissed:
		return rec, s.do(fo.Dismiss(ctx, sec, s.step("属物业合同约定事项，由物业按合同处理")))
	case fateWithdrawnBefore:
		return rec, s.do(fo.Withdraw(ctx, sec, s.step("提出人撤回")))
	}
	if err := s.do(fo.Review(ctx, sec, s.step("涉及全体业主共同利益，受理协商"))); err != nil {
		return rec, err
	}
	s.at(8, 0)
	parts := []deliberation.ParticipantInput{
		{Kind: deliberation.KindPartyMember, Name: sim.PersonName(r)},
		{Kind: deliberation.KindPartyMember, Name: sim.PersonName(r)},
		{Kind: deliberation.KindResidentRep, Name: sim.PersonName(r)},
		{Kind: deliberation.KindResidentRep, Name: sim.PersonName(r)},
		{Kind: deliberation.KindDeputy, Name: sim.PersonName(r)},
		{Kind: deliberation.KindCommitteeMember, Name: sim.PersonName(r)},
		{Kind: deliberation.KindStakeholder, OrgID: k.FirmID, Name: sim.PersonName(r)},
		{Kind: deliberation.KindLegalAdviser, Name: sim.PersonName(r)},
		{Kind: deliberation.KindThirdParty, Name: sim.PersonName(r)},
	}
	if err := s.do(fo.Convene(ctx, sec, deliberation.MeetingInput{Step: s.step(""), Title: title + "协商议事会",
		Place: k.Community.Name + "党群服务中心", ScheduledAt: s.t0.AddDate(0, 0, 14), Participants: parts})); err != nil {
		return rec, err
	}
	if f == fateAwaiting {
		return rec, nil
	}
	s.at(14, 0)
	var attended []string
	for _, p := range s.it.Meeting.Participants {
		if r.IntN(12) > 0 || !p.Voting {
			attended = append(attended, p.ID)
		}
	}
	if err := s.do(fo.HoldMeeting(ctx, sec, deliberation.AttendanceInput{Step: s.step(""), Attended: attended,
		Minutes: "议定两套方案，按《民法典》第二百七十八条逐户征求意见"})); err != nil {
		return rec, err
	}
	s.at(14, 6)
	if err := s.do(fo.Disclose(ctx, k.Chair, deliberation.DiscloseInput{Step: s.step(""), Kind: deliberation.DisclosureProactive,
		Subject: deliberation.SubjectMinutes, Channel: deliberation.ChannelChatGroup, Summary: "协商议事会纪要"})); err != nil {
		return rec, err
	}
	if f == fateWithdrawnAfter {
		s.at(16, 0)
		return rec, s.do(fo.Withdraw(ctx, sec, s.step("协商后提出人同意由物业先行维修，撤回议题")))
	}

	// 4. Costed options (方案).
	s.at(15, 0)
	a, b := s.m.A, s.m.B
	a.Cost = drawCost(r, s.m.MinCost, s.m.MaxCost)
	b.Cost = a.Cost
	if err := s.do(fo.Propose(ctx, sec, deliberation.ProposalsInput{Step: s.step(""),
		Proposals: []deliberation.ProposalInput{a, b}})); err != nil {
		return rec, fmt.Errorf("options %s/%s: %w", a.ID, b.ID, err)
	}
	if !s.m.AFirstChoice {
		a, b = b, a // owners lean to the option the canvass must decide
	}
	pa, _ := s.it.Proposal(a.ID)
	pb, _ := s.it.Proposal(b.ID)

	// 5. The owners' vote under Civil Code art. 278, by household canvass (逐户征求意见).
	s.at(16, 0)
	if err := s.do(fo.OpenVote(ctx, sec, deliberation.OpenVoteInput{Step: s.step(""),
		Rule: deliberation.CivilCode278(), Roll: s.bd.Roll})); err != nil {
		return rec, err
	}
	opened := s.w.clock.Now()
	ballots, tally, err := drawCanvass(r, s.bd.Roll, pa, pb, f, opened, opened.AddDate(0, 0, 6))
	if err != nil {
		return rec, err
	}
	s.at(23, 0)
	if err := s.do(fo.Cast(ctx, k.Chair, deliberation.CastInput{Step: s.step("逐户征求意见"), Ballots: ballots})); err != nil {
		return rec, err
	}
	rec.Voted, rec.Tally = true, tally
	if f == fateVoting {
		return rec, nil
	}
	if err := s.do(fo.CloseVote(ctx, sec, s.step(""))); err != nil {
		return rec, err
	}
	rec.Tally = s.it.Vote.Tally
	if !f.decided() {
		return rec, nil
	}

	// 6. Public notice of the decision, objections answered, tender, notice of the result.
	if err := s.do(fo.Publicise(ctx, sec, deliberation.NoticeInput{Step: s.step(""),
		Content: "表决通过：" + pa.Title, Channel: deliberation.ChannelNoticeBoard})); err != nil {
		return rec, err
	}
	if err := s.objections(ctx, 24); err != nil {
		return rec, err
	}
	s.at(31, 0)
	method, price := "三家比价", a.Cost.Mul(decimal.NewFromInt(int64(85+r.IntN(16)))).Div(decimal.NewFromInt(100)).Round(2)
	if a.Cost.GreaterThanOrEqual(decimal.NewFromInt(100000)) {
		method = "公开招标"
	}
	if err := s.do(fo.Award(ctx, sec, deliberation.AwardInput{Step: s.step(""), Vendor: fmt.Sprintf("潍坊%s工程有限公司", vendors[r.IntN(len(vendors))]),
		Price: price, Model: fmt.Sprintf("BY-%03d", r.IntN(1000)), Method: method})); err != nil {
		return rec, err
	}
	if err := s.do(fo.Publicise(ctx, sec, deliberation.NoticeInput{Step: s.step(""),
		Content: "中标结果：厂家、价格、型号", Channel: deliberation.ChannelNoticeBoard})); err != nil {
		return rec, err
	}
	if err := s.objections(ctx, 32); err != nil {
		return rec, err
	}

	// 7. Implementation with the cost split, progress, audit, close.
	s.at(39, 0)
	if err := s.do(fo.Implement(ctx, sec, deliberation.ImplementInput{Step: s.step("")})); err != nil {
		return rec, err
	}
	if err := s.do(fo.Disclose(ctx, k.Chair, deliberation.DiscloseInput{Step: s.step(""), Kind: deliberation.DisclosureProactive,
		Subject: deliberation.SubjectAccounts, Channel: deliberation.ChannelNoticeBoard, Summary: "费用与分摊明细"})); err != nil {
		return rec, err
	}
	s.at(45, 0)
	if err := s.do(fo.Progress(ctx, k.FirmManager, deliberation.ProgressInput{Step: s.step(""), Percent: 50})); err != nil {
		return rec, err
	}
	if r.IntN(4) == 0 {
		s.at(46, 0)
		if err := s.do(fo.Disclose(ctx, k.Chair, deliberation.DiscloseInput{Step: s.step(""), Kind: deliberation.DisclosureOnRequest,
			Subject: deliberation.SubjectAccounts, Channel: deliberation.ChannelLetter, Summary: "答复业主关于分摊金额的申请",
			RequesterName: sim.PersonName(r), RequestedAt: s.w.clock.Now().Add(-48 * time.Hour)})); err != nil {
			return rec, err
		}
	}
	if f == fateImplementing {
		return rec, nil
	}
	s.at(52, 0)
	if err := s.do(fo.Progress(ctx, k.FirmManager, deliberation.ProgressInput{Step: s.step("完工"), Percent: 100})); err != nil {
		return rec, err
	}
	s.at(56, 0)
	n := len(s.bd.Roll.Households)
	unsat := r.IntN(max(1, n/8))
	basic := r.IntN(max(1, n/4))
	if err := s.do(fo.Audit(ctx, sec, deliberation.AuditInput{Step: s.step(""), AssessorKind: deliberation.AssessorRepresentatives,
		Assessor: "居民代表评议组", Satisfied: n - unsat - basic, BasicSatisfied: basic, Unsatisfied: unsat})); err != nil {
		return rec, err
	}
	if err := s.do(fo.Disclose(ctx, k.Chair, deliberation.DiscloseInput{Step: s.step(""), Kind: deliberation.DisclosureProactive,
		Subject: deliberation.SubjectAudit, Channel: deliberation.ChannelApp, Summary: "效果评估结果"})); err != nil {
		return rec, err
	}
	s.at(57, 0)
	return rec, s.do(fo.Close(ctx, sec, s.step("办结")))
}

// vendors are the tender's bidders.
var vendors = []string{"安居", "鸢都", "宏达", "新华", "恒信", "华安"}

// objections has a resident object to the current notice now and then, and the committee
// answer, from day on.
func (s *itemSim) objections(ctx context.Context, day int) error {
	if s.r.IntN(5) > 0 {
		return nil
	}
	s.at(day, 0)
	objector := gridgov.PersonActor("o-" + s.bd.Roll.Households[s.r.IntN(len(s.bd.Roll.Households))].ID)
	if err := s.do(s.w.forum.Object(ctx, objector, deliberation.ObjectionInput{Step: s.step(""), Name: sim.PersonName(s.r),
		Content: "对费用分摊比例有疑问"})); err != nil {
		return err
	}
	s.at(day+1, 0)
	obj := s.it.Notices[len(s.it.Notices)-1].Objections
	return s.do(s.w.forum.Answer(ctx, s.bd.Compound.Community.Secretary, deliberation.AnswerInput{Step: s.step(""),
		ObjectionID: obj[len(obj)-1].ID, Answer: "分摊按专有部分面积计算，明细已张贴"}))
}

// complaint takes in a resident's complaint at the building and has the property firm
// accept, refer and sign for it, ready to become an agenda item.
func (w *world) complaint(ctx context.Context, r *rand.Rand, bd *building, m matter, key string) (escalation.Complaint, error) {
	fm := bd.Compound.FirmManager
	c, err := w.engine.Submit(ctx, fm, escalation.Intake{Key: key, Channel: escalation.ChannelChatGroup, Category: m.Category,
		Description: bd.Name + m.TitleZH + "问题", NodeID: bd.ID, ReporterName: sim.PersonName(r), ReporterPhone: sim.Phone(r)})
	if err != nil {
		return c, err
	}
	st := escalation.Step{ID: c.ID}
	if _, err := w.engine.Accept(ctx, fm, st); err != nil {
		return c, err
	}
	if _, err := w.engine.Refer(ctx, fm, escalation.Referral{Step: st}); err != nil {
		return c, err
	}
	return w.engine.Sign(ctx, fm, st)
}
