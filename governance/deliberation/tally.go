package deliberation

import (
	"fmt"
	"slices"
	"strings"

	"github.com/shopspring/decimal"

	"github.com/gridgov/gridgov"
)

// TallyInput is what [CountVotes] counts.
type TallyInput struct {
	Rule Rule
	// Roll is the vote roll (owners' vote).
	Roll Roll
	// Participants are the meeting's participants (meeting vote): those who vote and
	// attended may cast a ballot.
	Participants []Participant
	// Proposals are the options on the table; an empty Matter counts as MatterOther.
	Proposals []Proposal
	Ballots   []Ballot
}

// CountVotes checks the ballots and counts them under the rule (计票), exactly: areas are
// summed as decimals and every threshold is compared by cross-multiplication.
//
// Owners' vote: participation is every household with a ballot (abstentions included), its
// area and its distinct owners; it must meet ParticipationArea of the roll's TotalArea and
// ParticipationOwners of its TotalOwners. An option needs its matter's thresholds (see
// [Rule.For]) of the participating area and of the participating owners.
//
// Meeting vote: the quorum compares the voting participants who attended with those
// invited; an option needs Majority of the voting participants who attended (abstaining or
// not voting counts against it).
//
// Bad input returns a *gridgov.ValidationError naming every failing field: of kind
// gridgov.ErrInvalid for an invalid rule, roll or option, a ballot for a household or
// participant that is not on the roll or meeting, a second ballot for the same household
// or participant, an unknown choice, or an owner of several households choosing
// differently; of kind gridgov.ErrForbidden (when nothing else is wrong) for a voter who is
// not an owner or co-owner of the household, or a participant who did not attend or does
// not vote.
func CountVotes(in TallyInput) (Tally, error) {
	var verr gridgov.ValidationError
	in.Rule.validate(&verr, "Rule.")
	if in.Rule.Kind == RuleOwners {
		in.Roll.validate(&verr, "Roll.")
	}
	checkProposalIDs(&verr, in.Proposals, "Proposals")
	if err := verr.Err(); err != nil {
		return Tally{}, err
	}
	b := newBook(in.Rule.Kind, in.Roll, in.Participants, in.Proposals)
	if err := b.check(in.Ballots, "Ballots"); err != nil {
		return Tally{}, err
	}
	return b.count(in.Rule, in.Ballots), nil
}

// checkProposalIDs records invalid, repeated or reserved option IDs.
func checkProposalIDs(verr *gridgov.ValidationError, ps []Proposal, field string) {
	seen := make(map[string]int, len(ps))
	for i, p := range ps {
		f := fmt.Sprintf("%s[%d].ID", field, i)
		switch {
		case !gridgov.ValidID(p.ID):
			badID(verr, f, p.ID)
		case p.ID == ChoiceAbstain || p.ID == ChoiceAgainst:
			verr.Add(f, "reserved", fmt.Sprintf("%s %q is reserved for a ballot choice", f, p.ID),
				fmt.Sprintf("%s“%s”为表决选项保留字", f, p.ID))
		default:
			if j, dup := seen[p.ID]; dup {
				verr.Add(f, "unique", fmt.Sprintf("%s %q repeats %s[%d]", f, p.ID, field, j),
					fmt.Sprintf("%s“%s”与%s[%d]重复", f, p.ID, field, j))
			} else {
				seen[p.ID] = i
			}
		}
	}
}

// book is the state a ballot is checked against: who may vote, what they may choose, and
// who has voted.
type book struct {
	kind         RuleKind
	roll         Roll
	households   map[string]int // household ID → index in roll
	parts        []Participant
	participants map[string]int // participant ID → index in parts
	proposals    []Proposal
	choices      map[string]bool
	voted        map[string]bool   // household or participant IDs with a ballot
	ownerChoice  map[string]string // owners' vote: owner ID → choice
}

func newBook(kind RuleKind, roll Roll, parts []Participant, ps []Proposal) *book {
	n := len(roll.Households) + len(parts)
	b := &book{kind: kind, roll: roll, parts: parts, proposals: ps, choices: map[string]bool{
		ChoiceAbstain: true, ChoiceAgainst: true}, voted: make(map[string]bool, n), ownerChoice: make(map[string]string, n)}
	for _, p := range ps {
		b.choices[p.ID] = true
	}
	if kind == RuleOwners {
		b.households = make(map[string]int, len(roll.Households))
		for i, h := range roll.Households {
			b.households[h.ID] = i
		}
	} else {
		b.participants = make(map[string]int, len(parts))
		for i, p := range parts {
			b.participants[p.ID] = i
		}
	}
	return b
}

// seed records ballots accepted earlier, without checking them.
func (b *book) seed(ballots []Ballot) {
	for _, bl := range ballots {
		if b.kind == RuleOwners {
			b.voted[bl.HouseholdID] = true
			if i, ok := b.households[bl.HouseholdID]; ok {
				b.ownerChoice[b.roll.Households[i].OwnerID] = bl.Choice
			}
		} else {
			b.voted[bl.ParticipantID] = true
		}
	}
}

// check checks new ballots against the book and records them: every invalid field as
// gridgov.ErrInvalid; failing that, every voter without the right to vote as
// gridgov.ErrForbidden. On error the book is left in an undefined state.
func (b *book) check(ballots []Ballot, field string) error {
	var bad, forbidden gridgov.ValidationError
	forbidden.Kind = gridgov.ErrForbidden
	for i, bl := range ballots {
		f := lazyField{field, i}
		choiceOK := b.choices[bl.Choice]
		if !choiceOK {
			f := f.String()
			bad.Add(f+".Choice", "oneof",
				fmt.Sprintf("%s.Choice %q is neither an option nor %q or %q", f, bl.Choice, ChoiceAgainst, ChoiceAbstain),
				fmt.Sprintf("%s.Choice“%s”既不是方案编号，也不是“%s”（反对）或“%s”（弃权）", f, bl.Choice, ChoiceAgainst, ChoiceAbstain))
		}
		if b.kind == RuleOwners {
			b.checkHousehold(&bad, &forbidden, f, bl, choiceOK)
		} else {
			b.checkParticipant(&bad, &forbidden, f, bl)
		}
	}
	if err := bad.Err(); err != nil {
		return err
	}
	return forbidden.Err()
}

// lazyField names element i of a list field, built only when a message needs it.
type lazyField struct {
	list string
	i    int
}

func (l lazyField) String() string { return fmt.Sprintf("%s[%d]", l.list, l.i) }

func (b *book) checkHousehold(bad, forbidden *gridgov.ValidationError, lf lazyField, bl Ballot, choiceOK bool) {
	f := ""
	if bl.ParticipantID != "" || bl.HouseholdID == "" || b.voted[bl.HouseholdID] || bl.VoterID == "" {
		f = lf.String()
	}
	if bl.ParticipantID != "" {
		bad.Add(f+".ParticipantID", "excluded", f+".ParticipantID must be empty in an owners' vote",
			f+".ParticipantID在业主表决中必须为空")
	}
	i, ok := b.households[bl.HouseholdID]
	switch {
	case bl.HouseholdID == "":
		bad.Add(f+".HouseholdID", "required", f+".HouseholdID is required in an owners' vote",
			f+".HouseholdID（户号）在业主表决中必填")
		return
	case !ok:
		f = lf.String()
		bad.Add(f+".HouseholdID", "roll", fmt.Sprintf("%s.HouseholdID %q is not on the roll", f, bl.HouseholdID),
			fmt.Sprintf("%s.HouseholdID“%s”不在业主名册中", f, bl.HouseholdID))
		return
	case b.voted[bl.HouseholdID]:
		bad.Add(f+".HouseholdID", "unique", fmt.Sprintf("%s: household %q has already voted", f, bl.HouseholdID),
			fmt.Sprintf("%s：户“%s”已经表决", f, bl.HouseholdID))
		return
	}
	h := b.roll.Households[i]
	b.voted[h.ID] = true
	switch {
	case bl.VoterID == "":
		bad.Add(f+".VoterID", "required", f+".VoterID is required in an owners' vote",
			f+".VoterID（表决人）在业主表决中必填")
	case bl.VoterID != h.OwnerID && !slices.Contains(h.CoOwners, bl.VoterID):
		f = lf.String()
		forbidden.Add(f+".VoterID", "owner",
			fmt.Sprintf("%s: %q is not an owner of household %q", f, bl.VoterID, h.ID),
			fmt.Sprintf("%s：“%s”不是户“%s”的业主", f, bl.VoterID, h.ID))
	}
	if !choiceOK {
		return
	}
	if prev, ok := b.ownerChoice[h.OwnerID]; ok && prev != bl.Choice {
		f = lf.String()
		bad.Add(f+".Choice", "consistent",
			fmt.Sprintf("%s: owner %q of several households chose %q elsewhere, not %q", f, h.OwnerID, prev, bl.Choice),
			fmt.Sprintf("%s：拥有多户的业主“%s”在其他户选择了“%s”，不能选择“%s”", f, h.OwnerID, prev, bl.Choice))
		return
	}
	b.ownerChoice[h.OwnerID] = bl.Choice
}

func (b *book) checkParticipant(bad, forbidden *gridgov.ValidationError, lf lazyField, bl Ballot) {
	f := lf.String() // meetings are small
	if bl.HouseholdID != "" {
		bad.Add(f+".HouseholdID", "excluded", f+".HouseholdID must be empty in a meeting vote",
			f+".HouseholdID在会议表决中必须为空")
	}
	i, ok := b.participants[bl.ParticipantID]
	switch {
	case bl.ParticipantID == "":
		bad.Add(f+".ParticipantID", "required", f+".ParticipantID is required in a meeting vote",
			f+".ParticipantID（参会人员）在会议表决中必填")
		return
	case !ok:
		bad.Add(f+".ParticipantID", "meeting", fmt.Sprintf("%s.ParticipantID %q is not a participant of the meeting", f, bl.ParticipantID),
			fmt.Sprintf("%s.ParticipantID“%s”不是本次会议的参会人员", f, bl.ParticipantID))
		return
	case b.voted[bl.ParticipantID]:
		bad.Add(f+".ParticipantID", "unique", fmt.Sprintf("%s: participant %q has already voted", f, bl.ParticipantID),
			fmt.Sprintf("%s：参会人员“%s”已经表决", f, bl.ParticipantID))
		return
	}
	b.voted[bl.ParticipantID] = true
	p := b.parts[i]
	switch {
	case !p.Voting:
		forbidden.Add(f+".ParticipantID", "voting", fmt.Sprintf("%s: participant %q advises and does not vote", f, p.ID),
			fmt.Sprintf("%s：参会人员“%s”列席，无表决权", f, p.ID))
	case !p.Attended:
		forbidden.Add(f+".ParticipantID", "attended", fmt.Sprintf("%s: participant %q did not attend", f, p.ID),
			fmt.Sprintf("%s：参会人员“%s”未出席", f, p.ID))
	case bl.VoterID != "" && p.PersonID != "" && bl.VoterID != p.PersonID:
		forbidden.Add(f+".VoterID", "voter", fmt.Sprintf("%s: %q is not participant %q", f, bl.VoterID, p.ID),
			fmt.Sprintf("%s：“%s”不是参会人员“%s”本人", f, bl.VoterID, p.ID))
	}
}

// count counts checked ballots (the book holds every one of them).
func (b *book) count(r Rule, ballots []Ballot) Tally {
	t := Tally{Rule: r.Name, Kind: r.Kind}
	zero := Count{Area: decimal.Zero}
	buckets := make(map[string]*Count, len(b.choices))
	for c := range b.choices {
		z := zero
		buckets[c] = &z
	}
	part := zero
	if b.kind == RuleOwners {
		t.Electorate = Count{Area: b.roll.TotalArea, Voters: b.roll.TotalOwners, Ballots: len(b.roll.Households)}
		for _, bl := range ballots {
			h := b.roll.Households[b.households[bl.HouseholdID]]
			c := buckets[bl.Choice]
			c.Area = c.Area.Add(h.Area)
			c.Ballots++
			part.Area = part.Area.Add(h.Area)
			part.Ballots++
		}
		for _, choice := range b.ownerChoice {
			buckets[choice].Voters++
		}
		part.Voters = len(b.ownerChoice)
		t.ParticipationMet = r.ParticipationArea.Met(part.Area, t.Electorate.Area) &&
			r.ParticipationOwners.MetCount(part.Voters, t.Electorate.Voters)
	} else {
		for _, p := range b.parts {
			if p.Voting {
				t.Electorate.Voters++
				if p.Attended {
					part.Voters++
				}
			}
		}
		t.Electorate.Ballots, t.Electorate.Area = t.Electorate.Voters, decimal.Zero
		for _, bl := range ballots {
			c := buckets[bl.Choice]
			c.Voters++
			c.Ballots++
			part.Ballots++
		}
		t.ParticipationMet = r.Quorum.MetCount(part.Voters, t.Electorate.Voters)
	}
	t.Participation = part
	t.Against, t.Abstain = *buckets[ChoiceAgainst], *buckets[ChoiceAbstain]

	t.Proposals = make([]ProposalCount, len(b.proposals))
	for i, p := range b.proposals {
		c := *buckets[p.ID]
		pc := ProposalCount{ProposalID: p.ID, Matter: p.Matter, For: c}
		if pc.Matter == "" {
			pc.Matter = MatterOther
		}
		if b.kind == RuleOwners {
			mr := r.For(pc.Matter)
			pc.AreaThreshold, pc.VoterThreshold = mr.Area, mr.Owners
			pc.AreaMet = mr.Area.Met(c.Area, part.Area)
			pc.VotersMet = mr.Owners.MetCount(c.Voters, part.Voters)
		} else {
			pc.VoterThreshold = r.Majority
			pc.AreaMet = true
			pc.VotersMet = r.Majority.MetCount(c.Voters, part.Voters)
		}
		pc.Passed = t.ParticipationMet && pc.AreaMet && pc.VotersMet && c.Ballots > 0
		t.Proposals[i] = pc
	}
	t.Outcome, t.WinnerID = decide(t)
	t.ExplanationEN, t.ExplanationZH = explain(r, t)
	return t
}

// decide picks the outcome: no quorum, no option passed, a tie between the best passing
// options (by area, then voters), or the winner.
func decide(t Tally) (Outcome, string) {
	if !t.ParticipationMet {
		return OutcomeNoQuorum, ""
	}
	best, tie := -1, false
	for i, p := range t.Proposals {
		if !p.Passed {
			continue
		}
		if best < 0 {
			best = i
			continue
		}
		b := t.Proposals[best].For
		switch c := p.For.Area.Cmp(b.Area); {
		case c > 0 || c == 0 && p.For.Voters > b.Voters:
			best, tie = i, false
		case c == 0 && p.For.Voters == b.Voters:
			tie = true
		}
	}
	switch {
	case best < 0:
		return OutcomeNotPassed, ""
	case tie:
		return OutcomeTie, ""
	}
	return OutcomeDecided, t.Proposals[best].ProposalID
}

// explain writes the tally's explanations in English and Chinese.
func explain(r Rule, t Tally) (string, string) {
	var en, zh strings.Builder
	met := func(ok bool) (string, string) {
		if ok {
			return "met", "达到"
		}
		return "not met", "未达到"
	}
	if t.Kind == RuleOwners {
		ae, az := met(r.ParticipationArea.Met(t.Participation.Area, t.Electorate.Area))
		oe, oz := met(r.ParticipationOwners.MetCount(t.Participation.Voters, t.Electorate.Voters))
		fmt.Fprintf(&en, "Participation: %s of %s m² (%s: %s) and %d of %d owners (%s: %s).",
			t.Participation.Area, t.Electorate.Area, r.ParticipationArea, ae,
			t.Participation.Voters, t.Electorate.Voters, r.ParticipationOwners, oe)
		fmt.Fprintf(&zh, "参与表决：专有部分面积%s/%s平方米（%s：%s），人数%d/%d人（%s：%s）。",
			t.Participation.Area, t.Electorate.Area, r.ParticipationArea.NameZH(), az,
			t.Participation.Voters, t.Electorate.Voters, r.ParticipationOwners.NameZH(), oz)
		for _, p := range t.Proposals {
			ae, az := met(p.AreaMet)
			oe, oz := met(p.VotersMet)
			fmt.Fprintf(&en, " Option %s (%s): %s of %s m² (%s: %s) and %d of %d owners (%s: %s).",
				p.ProposalID, p.Matter, p.For.Area, t.Participation.Area, p.AreaThreshold, ae,
				p.For.Voters, t.Participation.Voters, p.VoterThreshold, oe)
			fmt.Fprintf(&zh, "方案%s（%s）：同意面积%s/%s平方米（%s：%s），同意人数%d/%d人（%s：%s）。",
				p.ProposalID, p.Matter, p.For.Area, t.Participation.Area, p.AreaThreshold.NameZH(), az,
				p.For.Voters, t.Participation.Voters, p.VoterThreshold.NameZH(), oz)
		}
	} else {
		qe, qz := met(t.ParticipationMet)
		fmt.Fprintf(&en, "Quorum: %d of %d voting participants attended (%s: %s).",
			t.Participation.Voters, t.Electorate.Voters, r.Quorum, qe)
		fmt.Fprintf(&zh, "出席：有表决权的参会人员%d/%d人（%s：%s）。",
			t.Participation.Voters, t.Electorate.Voters, r.Quorum.NameZH(), qz)
		for _, p := range t.Proposals {
			ve, vz := met(p.VotersMet)
			fmt.Fprintf(&en, " Option %s: %d of %d attending (%s: %s).", p.ProposalID, p.For.Voters,
				t.Participation.Voters, p.VoterThreshold, ve)
			fmt.Fprintf(&zh, "方案%s：同意%d/%d人（%s：%s）。", p.ProposalID, p.For.Voters,
				t.Participation.Voters, p.VoterThreshold.NameZH(), vz)
		}
	}
	switch t.Outcome {
	case OutcomeDecided:
		fmt.Fprintf(&en, " Decided: option %s.", t.WinnerID)
		fmt.Fprintf(&zh, "表决结果：通过方案%s。", t.WinnerID)
	case OutcomeNoQuorum:
		en.WriteString(" Not decided: participation not reached.")
		zh.WriteString("表决结果：参与表决未达到规定比例，未形成决定。")
	case OutcomeTie:
		en.WriteString(" Not decided: options tied.")
		zh.WriteString("表决结果：方案得票相同，未形成决定。")
	default:
		en.WriteString(" Not decided: no option reached its thresholds.")
		zh.WriteString("表决结果：没有方案达到规定比例，未形成决定。")
	}
	return en.String(), zh.String()
}
