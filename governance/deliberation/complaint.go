package deliberation

import (
	"context"
	"errors"
	"fmt"

	"github.com/gridgov/gridgov"
	"github.com/gridgov/gridgov/escalation"
)

// SyncComplaint brings the item's linked complaint in line with the item's state and
// returns the complaint: while the item is deliberated a complaint being handled (signed or
// in progress) is paused; once the item is settled, dismissed, rejected or withdrawn a
// paused complaint resumes; once the item is closed the complaint resumes and is resolved.
// Each step checks the complaint's state first, so calling it again changes nothing: use it
// to retry after a [*ComplaintSyncError]. gridgov.ErrInvalid when the item has no linked
// complaint or the forum no engine.
func (f *Forum) SyncComplaint(ctx context.Context, itemID string) (escalation.Complaint, error) {
	it, err := f.store.GetItem(ctx, itemID)
	if err != nil {
		return escalation.Complaint{}, err
	}
	if it.ComplaintID == "" || f.complaints == nil {
		return escalation.Complaint{}, gridgov.Invalid("ID", "complaint",
			fmt.Sprintf("item %q has no linked complaint to follow it", itemID),
			fmt.Sprintf("议题“%s”没有可同步的关联诉求", itemID))
	}
	if err := f.syncComplaint(ctx, it); err != nil {
		return escalation.Complaint{}, err
	}
	return f.complaints.Store().GetComplaint(ctx, it.ComplaintID)
}

// syncComplaint runs the complaint steps the item's state calls for, re-reading the
// complaint after a version conflict (another writer moved it).
func (f *Forum) syncComplaint(ctx context.Context, it Item) error {
	if it.ComplaintID == "" || f.complaints == nil {
		return nil
	}
	var err error
	for range maxRetries {
		if err = f.syncOnce(ctx, it); !errors.Is(err, gridgov.ErrConflict) {
			break
		}
	}
	if err != nil {
		return &ComplaintSyncError{ItemID: it.ID, ComplaintID: it.ComplaintID, Err: err}
	}
	return nil
}

// syncOnce takes one pass: each complaint step names the version it read.
func (f *Forum) syncOnce(ctx context.Context, it Item) error {
	eng := f.complaints
	c, err := eng.Store().GetComplaint(ctx, it.ComplaintID)
	if err != nil {
		return err
	}
	handling := c.State == escalation.StateSigned || c.State == escalation.StateInProgress
	switch {
	case !it.State.Final():
		if handling {
			_, err = eng.Pause(ctx, complaintActor, escalation.Step{ID: c.ID, Version: c.Version,
				Note: fmt.Sprintf("deliberation item %s: %s (议事协商中：%s)", it.ID, it.Title, it.Title)})
		}
		return err
	case c.State == escalation.StatePaused:
		if c, err = eng.Resume(ctx, complaintActor, escalation.Step{ID: c.ID, Version: c.Version,
			Note: fmt.Sprintf("deliberation item %s is %s (议题%s)", it.ID, it.State, it.State.NameZH())}); err != nil {
			return err
		}
		handling = true
	}
	if it.State == StateClosed && handling {
		_, err = eng.Resolve(ctx, complaintActor, escalation.Step{ID: c.ID, Version: c.Version,
			Note: resolutionNote(it)})
	}
	return err
}

// resolutionNote says how the deliberation settled the complaint.
func resolutionNote(it Item) string {
	en := fmt.Sprintf("settled by deliberation item %s: option %s decided", it.ID, it.decisionTitle())
	zh := fmt.Sprintf("经议事协商（议题%s）决定采用方案%s", it.ID, it.decisionTitle())
	if it.Award.Vendor != "" {
		en += fmt.Sprintf(", carried out by %s at %s", it.Award.Vendor, it.Award.Price)
		zh += fmt.Sprintf("，由%s实施，价格%s元", it.Award.Vendor, it.Award.Price)
	}
	if n := it.Audit.Responses(); n > 0 {
		en += fmt.Sprintf(", satisfaction %s of %d responses", it.Audit.SatisfactionRate(), n)
		zh += fmt.Sprintf("，满意度%s（%d份反馈）", it.Audit.SatisfactionRate(), n)
	}
	return en + " (" + zh + ")"
}
