package escalation_test

import (
	"errors"
	"testing"

	"github.com/gridgov/gridgov"
	"github.com/gridgov/gridgov/escalation"
)

// FuzzIntake feeds arbitrary intakes to Submit: it never panics, refuses bad input with
// ErrInvalid naming fields and storing nothing, and stores what it accepts as given.
func FuzzIntake(f *testing.F) {
	f.Add("chat_group", "property", "单元门禁损坏", "b1", "res", "李小明", "13912345678", "normal", "photo-1", "k1")
	f.Add("pigeon", " ", "", "nowhere", "bad id", "\x00", "call me", "later", "", "")
	f.Add("hotline", "utilities", "停水", "st", "", "", "+86 139-1234-5678", "urgent", "", "")
	fx := newFixture(f)
	keyed := map[string]string{} // idempotency key → first complaint ID
	f.Fuzz(func(t *testing.T, channel, category, desc, node, reporterID, name, phone, urgency, attachment, key string) {
		in := escalation.Intake{Key: key, Channel: escalation.Channel(channel), Category: category,
			Description: desc, NodeID: node, ReporterID: reporterID, ReporterName: name,
			ReporterPhone: phone, Urgency: escalation.Urgency(urgency)}
		if attachment != "" {
			in.Attachments = []string{attachment}
		}
		before, err := fx.eng.Events(ctx, 0, 0)
		if err != nil {
			t.Fatal(err)
		}
		c, err := fx.eng.Submit(ctx, resident, in)
		if err != nil {
			var verr *gridgov.ValidationError
			if !errors.Is(err, gridgov.ErrInvalid) || !errors.As(err, &verr) || len(verr.Fields) == 0 {
				t.Fatalf("want a ValidationError naming fields, got %v", err)
			}
			after, _ := fx.eng.Events(ctx, 0, 0)
			if len(after) != len(before) {
				t.Fatal("a refused intake stored something")
			}
			return
		}
		if key != "" {
			if first, ok := keyed[key]; ok {
				if c.ID != first {
					t.Fatalf("key %q returned %s, first %s", key, c.ID, first)
				}
				return // a retry returns the first complaint, whatever it holds
			}
			keyed[key] = c.ID
		}
		if c.Description != desc || c.NodeID != node || c.State != escalation.StateSubmitted {
			t.Fatalf("stored %+v for %+v", c, in)
		}
	})
}
