package deliberation

import (
	"context"

	"github.com/gridgov/gridgov"
	"github.com/gridgov/gridgov/governance"
)

// Item returns the item. The names of participants and objectors are returned as stored
// only to system actors and holders of governance.PermViewPersonalData at the item's node or
// above; anyone else gets them masked.
func (f *Forum) Item(ctx context.Context, actor gridgov.Actor, id string) (Item, error) {
	it, err := f.store.GetItem(ctx, id)
	if err != nil {
		return Item{}, err
	}
	return f.view(ctx, actor, it)
}

// Items returns the items matching q (see [Store.ListItems]) and the cursor of the next
// page, names masked as in [Forum.Item].
func (f *Forum) Items(ctx context.Context, actor gridgov.Actor, q Query) ([]Item, string, error) {
	items, next, err := f.store.ListItems(ctx, q)
	if err != nil {
		return nil, "", err
	}
	for i := range items {
		if items[i], err = f.view(ctx, actor, items[i]); err != nil {
			return nil, "", err
		}
	}
	return items, next, nil
}

// History returns the item's history, oldest first; disclosure requesters are masked
// unless actor may see personal data at the item's node.
func (f *Forum) History(ctx context.Context, actor gridgov.Actor, id string) ([]Event, error) {
	it, err := f.store.GetItem(ctx, id)
	if err != nil {
		return nil, err
	}
	evs, err := f.store.History(ctx, id)
	if err != nil {
		return nil, err
	}
	ok, err := f.mayViewPersonal(ctx, actor, it)
	if err != nil || ok {
		return evs, err
	}
	for i := range evs {
		if d := evs[i].Disclosure; d != nil {
			d.Requester = gridgov.PersonName(d.Requester.Masked())
		}
	}
	return evs, nil
}

// Disclosures returns the disclosure log (信息公开记录) matching q (see [Store.Disclosures]).
// It is a public record: requesters' names are masked.
func (f *Forum) Disclosures(ctx context.Context, q DisclosureQuery) ([]Disclosure, error) {
	ds, err := f.store.Disclosures(ctx, q)
	if err != nil {
		return nil, err
	}
	for i := range ds {
		ds[i].Requester = gridgov.PersonName(ds[i].Requester.Masked())
	}
	return ds, nil
}

// DisclosureReport counts the disclosures matching q (q.Kind and q.Limit ignored) by kind
// (proactive, on request), subject and channel.
func (f *Forum) DisclosureReport(ctx context.Context, q DisclosureQuery) (DisclosureSummary, error) {
	q.Kind, q.Limit = "", 0
	ds, err := f.store.Disclosures(ctx, q)
	if err != nil {
		return DisclosureSummary{}, err
	}
	return Summarise(ds), nil
}

// view masks personal data unless actor may see it.
func (f *Forum) view(ctx context.Context, actor gridgov.Actor, it Item) (Item, error) {
	ok, err := f.mayViewPersonal(ctx, actor, it)
	if err != nil {
		return Item{}, err
	}
	if ok {
		return it, nil
	}
	return it.masked(), nil
}

func (f *Forum) mayViewPersonal(ctx context.Context, actor gridgov.Actor, it Item) (bool, error) {
	if actor.IsSystem() {
		return true, nil
	}
	return f.reg.Can(ctx, actor, it.NodeID, governance.PermViewPersonalData)
}

// masked returns it with every name masked (the slices are copied, so it is unchanged).
func (it Item) masked() Item {
	it = it.Clone()
	for i := range it.FirstRound.Participants {
		p := &it.FirstRound.Participants[i]
		p.Name = gridgov.PersonName(p.Name.Masked())
	}
	for i := range it.Meeting.Participants {
		p := &it.Meeting.Participants[i]
		p.Name = gridgov.PersonName(p.Name.Masked())
	}
	for i := range it.Notices {
		for j := range it.Notices[i].Objections {
			o := &it.Notices[i].Objections[j]
			o.Name = gridgov.PersonName(o.Name.Masked())
		}
	}
	return it
}
