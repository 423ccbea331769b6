package governance

import (
	"testing"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
)

// hasChinese reports whether s holds a character outside ASCII, the sign that a name was
// translated rather than passed through.
func hasChinese(s string) bool { return utf8.RuneCountInString(s) != len(s) }

func TestEveryBuiltInKindHasAChineseName(t *testing.T) {
	for _, k := range OrgKinds() {
		assert.True(t, hasChinese(k.NameZH()), "%s", k)
	}
	for _, c := range append(PartyCategories(), NotPartyMember) {
		assert.True(t, hasChinese(c.NameZH()), "%q", c)
	}
	roles := []Role{RoleSecretary, RoleDeputySecretary, RoleChair, RoleViceChair, RoleMember,
		RoleGridWorker, RoleBuildingLeader, RoleHouseholdLiaison, RoleInstructor, RoleSupervisor,
		RoleVolunteer, RoleManager}
	seen := map[string]Role{}
	for _, r := range roles {
		assert.True(t, hasChinese(r.NameZH()), "%s", r)
		assert.NotContains(t, seen, r.NameZH(), "two roles share a Chinese name")
		seen[r.NameZH()] = r
	}
	assert.Equal(t, "custom", OrgKind("custom").NameZH(), "a custom kind names itself")
	assert.Equal(t, "custom", Role("custom").NameZH())
	assert.Equal(t, "custom", PartyCategory("custom").NameZH())
}
