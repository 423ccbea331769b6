package memory_test

import (
	"testing"

	"github.com/gridgov/gridgov/store/memory"
	"github.com/gridgov/gridgov/store/storetest"
)

func TestEscalationConformance(t *testing.T) {
	storetest.Run(t, func(t *testing.T) storetest.Stores {
		return storetest.Stores{Escalation: memory.NewEscalationStore()}
	})
}
