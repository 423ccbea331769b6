package evaluation

import (
	"testing"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
)

func TestConditionBottom(t *testing.T) {
	pct := func(v string) Condition {
		return Condition{Kind: CondBottomPercent, Value: decimal.RequireFromString(v)}
	}
	for _, c := range []struct {
		name string
		c    Condition
		n    int
		want int
	}{
		{"20% of 81 rounds up", pct("20"), 81, 17},
		{"20% of 80 is exact", pct("20"), 80, 16},
		{"10% of 5 is at least one", pct("10"), 5, 1},
		{"100% is everyone", pct("100"), 7, 7},
		{"percent of nobody", pct("20"), 0, 0},
		{"bottom 3", Condition{Kind: CondBottomN, N: 3}, 81, 3},
		{"bottom 3 of 2 is both", Condition{Kind: CondBottomN, N: 3}, 2, 2},
		{"not a ranking condition", Condition{Kind: CondVetoed}, 81, 0},
	} {
		assert.Equal(t, c.want, c.c.Bottom(c.n), c.name)
	}
}
