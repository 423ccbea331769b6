package escalation

import (
	"context"
	"errors"
	"fmt"
	"log/slog"

	"github.com/gridgov/gridgov"
	"github.com/gridgov/gridgov/governance"
)

// Intake is a complaint as taken in (诉求登记).
type Intake struct {
	// Key is the client's idempotency key: a retried submission with the same key returns
	// the first complaint and creates nothing (optional, but set it wherever a retry could
	// happen).
	Key string `validate:"max=128,printable" zh:"幂等键"`
	// ID is the complaint's ID; empty means generated.
	ID          string  `validate:"omitempty,gridid" zh:"诉求编号"`
	Channel     Channel `validate:"required,oneof=building_meeting chat_group hotline patrol walk_in app" zh:"来源渠道"`
	Category    string  `validate:"required,notblank,max=64,printable" zh:"类别"`
	Description string  `validate:"required,notblank,max=4000" zh:"诉求内容"`
	// NodeID is where the matter is: a building, compound, grid or any node of the tree.
	NodeID string `validate:"required,gridid" zh:"地点"`
	// ReporterID is the reporter's person ID in the registry, when known.
	ReporterID    string   `validate:"omitempty,gridid" zh:"诉求人编号"`
	ReporterName  string   `validate:"max=64,printable" zh:"诉求人姓名"`
	ReporterPhone string   `validate:"omitempty,phone" zh:"联系电话"`
	Urgency       Urgency  `validate:"omitempty,oneof=normal urgent major" zh:"紧急程度"`
	Attachments   []string `validate:"max=20,dive,required,max=512,printable" zh:"附件"`
}

// Submit takes a complaint in (登记): it validates the intake (every bad field named, in
// English and Chinese), finds the place's path and the lowest tier that handles it, and
// stores the complaint in the submitted state with its first history event. A retry with
// the same Key returns the first complaint. Any actor may submit: a resident through an
// app, a grid worker on patrol, a hotline system.
func (e *Engine) Submit(ctx context.Context, actor gridgov.Actor, in Intake) (Complaint, error) {
	if err := e.valid.Struct(in); err != nil {
		return Complaint{}, err
	}
	path, err := e.reg.Path(ctx, in.NodeID)
	if errors.Is(err, gridgov.ErrNotFound) {
		return Complaint{}, gridgov.Invalid("NodeID", "exists",
			fmt.Sprintf("node %q does not exist", in.NodeID), fmt.Sprintf("节点“%s”不存在", in.NodeID))
	} else if err != nil {
		return Complaint{}, err
	}
	if path[len(path)-1].Retired {
		return Complaint{}, gridgov.Invalid("NodeID", "active",
			fmt.Sprintf("node %q is retired", in.NodeID), fmt.Sprintf("节点“%s”已撤销", in.NodeID))
	}
	t, node, err := e.startTier(path)
	if err != nil {
		return Complaint{}, err
	}
	now := e.clock.Now()
	c := Complaint{
		ID: in.ID, Channel: in.Channel, Category: in.Category, Description: in.Description,
		NodeID: in.NodeID, Path: pathIDs(path), Urgency: in.Urgency,
		Reporter: Reporter{PersonID: in.ReporterID, Name: gridgov.PersonName(in.ReporterName),
			Phone: gridgov.Phone(in.ReporterPhone)},
		Attachments: append([]string(nil), in.Attachments...),
		State:       StateSubmitted, Tier: t, TierLevel: e.tiers[t].Level, TierNodeID: node,
		SubmittedAt: now,
	}
	if c.ID == "" {
		c.ID = e.ids.NewID()
	}
	if c.Urgency == "" {
		c.Urgency = UrgencyNormal
	}
	ev := Event{ComplaintID: c.ID, Kind: EventSubmit, To: StateSubmitted, Tier: t, Actor: actor, At: now}
	stored, created, err := e.store.CreateComplaint(ctx, c, in.Key, ev)
	if err != nil {
		return Complaint{}, err
	}
	if created {
		e.log.LogAttrs(ctx, slog.LevelInfo, "complaint submitted", slog.String("id", c.ID),
			slog.String("node", c.NodeID), slog.String("category", c.Category),
			slog.String("actor", actor.String()))
	}
	return stored, nil
}

func pathIDs(path []governance.Node) []string {
	ids := make([]string, len(path))
	for i, n := range path {
		ids[i] = n.ID
	}
	return ids
}

// Complaint returns the complaint. The reporter's name and phone are returned as stored only
// to the reporter, system actors and holders of governance.PermViewPersonalData at the
// complaint's tier node or above; anyone else gets them masked.
func (e *Engine) Complaint(ctx context.Context, actor gridgov.Actor, id string) (Complaint, error) {
	c, err := e.store.GetComplaint(ctx, id)
	if err != nil {
		return Complaint{}, err
	}
	return e.view(ctx, actor, c)
}

// view masks the reporter unless actor may see personal data.
func (e *Engine) view(ctx context.Context, actor gridgov.Actor, c Complaint) (Complaint, error) {
	if actor.IsSystem() || (actor.ID != "" && actor.Kind == gridgov.ActorPerson && actor.ID == c.Reporter.PersonID) {
		return c, nil
	}
	ok, err := e.reg.Can(ctx, actor, c.TierNodeID, governance.PermViewPersonalData)
	if err != nil {
		return Complaint{}, err
	}
	if !ok {
		c.Reporter.Name = gridgov.PersonName(c.Reporter.Name.Masked())
		c.Reporter.Phone = gridgov.Phone(c.Reporter.Phone.Masked())
	}
	return c, nil
}

// History returns the complaint's history, oldest first.
func (e *Engine) History(ctx context.Context, id string) ([]Event, error) {
	return e.store.History(ctx, id)
}

// Events returns the event feed after sequence number after (at most limit events; 0: all).
// An app follows changes by calling it with the last Seq it has seen.
func (e *Engine) Events(ctx context.Context, after int64, limit int) ([]Event, error) {
	return e.store.Events(ctx, after, limit)
}
