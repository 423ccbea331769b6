package evaluation

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestStatesAndSubjectsHaveChineseNames(t *testing.T) {
	want := map[State]string{StateOpen: "待述职", StateReported: "已述职", StateEvaluating: "评议中",
		StatePublished: "已公示、已报送", StateClosed: "已归档", State("x"): "x"}
	for s, zh := range want {
		assert.Equal(t, zh, s.NameZH(), "%s", s)
	}
	assert.Equal(t, "业主委员会", SubjectCommittee.NameZH())
	assert.Equal(t, "物业服务企业", SubjectFirm.NameZH())
	assert.Equal(t, "x", Subject("x").NameZH())
}
