package gridgov_test

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/gridgov/gridgov"
)

func TestActor(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		actor    gridgov.Actor
		kind     gridgov.ActorKind
		system   bool
		str      string
		kindName string
	}{
		{"person", gridgov.PersonActor("p-17"), gridgov.ActorPerson, false, "person:p-17", "person"},
		{"system", gridgov.SystemActor("importer"), gridgov.ActorSystem, true, "system:importer", "system"},
		{"zero value is an anonymous person", gridgov.Actor{}, gridgov.ActorPerson, false, "person:", "person"},
		{"unknown kind", gridgov.Actor{ID: "x", Kind: 7}, 7, false, "ActorKind(7):x", "ActorKind(7)"},
		{"negative kind", gridgov.Actor{ID: "y", Kind: -1}, -1, false, "ActorKind(-1):y", "ActorKind(-1)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			assert.Equal(t, tt.kind, tt.actor.Kind)
			assert.Equal(t, tt.system, tt.actor.IsSystem())
			assert.Equal(t, tt.str, tt.actor.String())
			assert.Equal(t, tt.str, fmt.Sprint(tt.actor))
			assert.Equal(t, tt.kindName, tt.actor.Kind.String())
		})
	}
	assert.Equal(t, "p-17", gridgov.PersonActor("p-17").ID)
	assert.Equal(t, gridgov.PersonActor("p-1"), gridgov.PersonActor("p-1"), "actors compare by value")
	assert.NotEqual(t, gridgov.PersonActor("sweeper"), gridgov.SystemActor("sweeper"))
}
