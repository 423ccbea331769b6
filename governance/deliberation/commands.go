package deliberation

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"unicode/utf8"

	"github.com/gridgov/gridgov"
)

// maxRetries is how often a command that keeps the state (a ballot, an objection, an
// answer, progress, a disclosure) is retried after a version conflict when the caller
// named no version: such commands commute with each other, so a re-read and re-check is
// safe.
const maxRetries = 16

// command is one state-machine command: its event, who may run it, and what it changes
// after the event has been accepted.
type command struct {
	ev       EventKind
	who      authority
	needNote bool
	// in is the command's input struct, validated in place of the Step when set.
	in any
	// retry retries the command after a version conflict when the caller named no version.
	retry bool
	// pick chooses the event from the item as read (before the state machine runs); it may
	// change the item.
	pick func(ctx context.Context, it *Item, s *step) (EventKind, error)
	// update changes the item after the event; it may refuse (nothing is stored) and may
	// return a disclosure for the event.
	update func(ctx context.Context, it *Item, s *step) (*Disclosure, error)
}

// run executes a command: validate, read, authorise, fire the event, update, and store the
// item with one history event in one store call; then bring a linked complaint in line.
func (f *Forum) run(ctx context.Context, actor gridgov.Actor, in Step, cmd command) (Item, error) {
	if err := f.checkStep(in, cmd.needNote, cmd.in); err != nil {
		return Item{}, err
	}
	for attempt := 0; ; attempt++ {
		it, err := f.apply(ctx, actor, in, cmd)
		if errors.Is(err, gridgov.ErrConflict) && cmd.retry && in.Version == 0 && attempt < maxRetries {
			continue
		}
		return it, err
	}
}

func (f *Forum) apply(ctx context.Context, actor gridgov.Actor, in Step, cmd command) (Item, error) {
	it, err := f.store.GetItem(ctx, in.ID)
	if err != nil {
		return Item{}, err
	}
	if in.Version != 0 && in.Version != it.Version {
		return Item{}, conflict(it, in.Version)
	}
	if err := f.authorize(ctx, actor, &it, cmd.who); err != nil {
		return Item{}, err
	}
	from, now := it.State, f.clock.Now()
	s := &step{it: &it, actor: actor, in: cmd.in, now: now}
	ev := cmd.ev
	if cmd.pick != nil {
		if ev, err = cmd.pick(ctx, &it, s); err != nil {
			return Item{}, err
		}
	}
	to, err := fire(ctx, ev, s)
	if err != nil {
		return Item{}, err
	}
	it.State = to
	var d *Disclosure
	if cmd.update != nil {
		if d, err = cmd.update(ctx, &it, s); err != nil {
			return Item{}, err
		}
	}
	if to.Final() && !from.Final() {
		it.ClosedAt = now
	}
	it.UpdatedAt = now
	return f.save(ctx, actor, it, Event{Kind: ev, From: from, To: to, Actor: actor, At: now, Note: in.Note,
		Disclosure: d})
}

// save stores it with one event, logs it, and brings a linked complaint in line when the
// state changed.
func (f *Forum) save(ctx context.Context, actor gridgov.Actor, it Item, ev Event) (Item, error) {
	ev.ItemID = it.ID
	stored, err := f.store.UpdateItem(ctx, it, ev)
	if err != nil {
		return Item{}, err
	}
	f.log.LogAttrs(ctx, slog.LevelInfo, "item "+string(ev.Kind),
		slog.String("id", it.ID), slog.String("from", string(ev.From)), slog.String("to", string(ev.To)),
		slog.String("actor", actor.String()))
	var syncErr error
	if ev.From != ev.To {
		syncErr = f.syncComplaint(ctx, stored)
	}
	view, err := f.view(ctx, actor, stored)
	if err != nil {
		view = stored.masked()
	}
	return view, syncErr
}

// checkStep validates a command's input: the step, or the command's own input struct.
func (f *Forum) checkStep(in Step, needNote bool, extra any) error {
	var verr gridgov.ValidationError
	if extra != nil {
		verr.Merge(f.valid.Struct(extra))
	} else {
		verr.Merge(f.valid.Struct(in))
	}
	if needNote && strings.TrimSpace(in.Note) == "" {
		verr.Add("Note", "required", "a note (the outcome or the reason) is required for this command",
			"此操作必须填写说明（结果或理由）")
	}
	if !utf8.ValidString(in.Note) {
		verr.Add("Note", "utf8", "the note must be valid UTF-8 text", "说明必须是有效的UTF-8文本")
	}
	return verr.Err()
}

func conflict(it Item, want int64) error {
	return fmt.Errorf("%w: item %q is at version %d, not %d (议题“%s”当前版本为%d，不是%d)",
		gridgov.ErrConflict, it.ID, it.Version, want, it.ID, it.Version, want)
}

// invalidText records a field that is not valid UTF-8 text.
func invalidText(verr *gridgov.ValidationError, field, value string) {
	if !utf8.ValidString(value) {
		verr.Add(field, "utf8", field+" must be valid UTF-8 text", field+"必须是有效的UTF-8文本")
	}
}
