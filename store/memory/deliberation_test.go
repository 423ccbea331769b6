package memory_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gridgov/gridgov"
	"github.com/gridgov/gridgov/governance/deliberation"
	"github.com/gridgov/gridgov/store/memory"
)

// delT0 is the fixed time of the memory store's own deliberation tests.
var delT0 = time.Date(2026, time.March, 2, 9, 0, 0, 0, time.UTC)

// The memory store's refusals are *gridgov.ValidationError values naming the field in
// English and Chinese.
func TestDeliberationErrorsNameTheField(t *testing.T) {
	ctx := t.Context()
	st := memory.NewDeliberationStore()
	ev := deliberation.Event{Kind: deliberation.EventRaise, At: delT0}
	_, _, err := st.CreateItem(ctx, deliberation.Item{ID: "i-1"}, "", ev)
	require.NoError(t, err)
	for _, tc := range []struct {
		name   string
		err    error
		kind   error
		fields []string
	}{
		{"empty ID", func() error {
			_, _, err := st.CreateItem(ctx, deliberation.Item{}, "", ev)
			return err
		}(), gridgov.ErrInvalid, []string{"ID"}},
		{"duplicate ID", func() error {
			_, _, err := st.CreateItem(ctx, deliberation.Item{ID: "i-1"}, "", ev)
			return err
		}(), gridgov.ErrAlreadyExists, []string{"ID"}},
		{"negative page limit", func() error {
			_, _, err := st.ListItems(ctx, deliberation.Query{Limit: -1})
			return err
		}(), gridgov.ErrInvalid, []string{"Limit"}},
		{"negative disclosure limit", func() error {
			_, err := st.Disclosures(ctx, deliberation.DisclosureQuery{Limit: -2})
			return err
		}(), gridgov.ErrInvalid, []string{"Limit"}},
	} {
		require.ErrorIs(t, tc.err, tc.kind, tc.name)
		var verr *gridgov.ValidationError
		require.ErrorAs(t, tc.err, &verr, tc.name)
		assert.Equal(t, tc.fields, verr.FieldNames(), tc.name)
		for _, f := range verr.Fields {
			assert.NotEmpty(t, f.EN, tc.name)
			assert.NotEmpty(t, f.ZH, tc.name)
		}
	}
}
