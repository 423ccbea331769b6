package governance

import (
	"fmt"

	"github.com/gridgov/gridgov"
)

// LevelKind says what a level of the tree stands for in the domain, so that other packages
// (coverage, escalation tiers, funding rules) can find "the community level" or "the
// compound level" whatever the scheme calls them.
type LevelKind string

// The kinds of level the presets use. Users may define their own.
const (
	KindDistrict  LevelKind = "district"  // 区 / 县
	KindStreet    LevelKind = "street"    // 街道 / 乡镇
	KindCommunity LevelKind = "community" // 社区 / 村
	KindCompound  LevelKind = "compound"  // 小区 / 院落
	KindGrid      LevelKind = "grid"      // 网格
	KindBuilding  LevelKind = "building"  // 楼栋 / 单元
	KindHousehold LevelKind = "household" // 联户 / 十户
)

// Level is one level of a [Scheme] (层级).
type Level struct {
	// Key identifies the level within its scheme, for example "community".
	Key string `validate:"required,gridid" zh:"层级标识"`
	// Kind is the domain meaning of the level.
	Kind LevelKind `validate:"required,max=32" zh:"层级类型"`
	// NameZH and NameEN name the level, for example "社区党委" and "community Party committee".
	NameZH string `validate:"required,max=64" zh:"中文名称"`
	NameEN string `validate:"required,max=64" zh:"英文名称"`
}

// Scheme is an ordered list of levels from the top of the tree (index 0) to the bottom
// (层级方案). A node's children sit exactly one level below it, unless AllowSkip lets them
// sit any number of levels below. Roots may sit at any level, so a registry can hold a single
// community as well as a whole district.
type Scheme struct {
	// Name identifies the scheme, for example "duyun-five-level".
	Name string `validate:"required,max=64" zh:"方案名称"`
	// Levels from top to bottom; keys must be unique.
	Levels []Level `validate:"required,min=1,max=16,dive" zh:"层级"`
	// AllowSkip lets a child sit more than one level below its parent (for example a
	// building directly under a community where no grid is drawn).
	AllowSkip bool
	// CompoundLevel is the key of the level whose nodes are compounds (小区) for coverage
	// reports: where owners' committees, property management committees and compound Party
	// branches sit. Empty means the first level of kind [KindCompound].
	CompoundLevel string `validate:"omitempty,gridid" zh:"小区层级"`
}

// Validate checks the scheme: every level complete, keys unique, CompoundLevel (if set)
// naming a level. It returns a [*gridgov.ValidationError] naming every failing field.
func (s Scheme) Validate() error {
	return s.validate(sharedValidator())
}

func (s Scheme) validate(v *gridgov.Validator) error {
	verr := &gridgov.ValidationError{}
	if err := verr.Merge(v.Struct(s)); err != nil {
		return err
	}
	seen := make(map[string]int, len(s.Levels))
	for i, l := range s.Levels {
		if j, dup := seen[l.Key]; dup && l.Key != "" {
			verr.Add(fmt.Sprintf("Levels[%d].Key", i), "unique",
				fmt.Sprintf("level key %q is used by levels %d and %d", l.Key, j, i),
				fmt.Sprintf("层级标识“%s”被第%d层和第%d层重复使用", l.Key, j, i))
		}
		seen[l.Key] = i
	}
	if s.CompoundLevel != "" {
		if _, ok := seen[s.CompoundLevel]; !ok {
			verr.Add("CompoundLevel", "level",
				fmt.Sprintf("compound level %q is not a level of the scheme", s.CompoundLevel),
				fmt.Sprintf("小区层级“%s”不在层级方案中", s.CompoundLevel))
		}
	}
	return verr.Err()
}

// Index returns the position of the level with key (0 is the top) and whether it exists.
func (s Scheme) Index(key string) (int, bool) {
	for i, l := range s.Levels {
		if l.Key == key {
			return i, true
		}
	}
	return 0, false
}

// Level returns the level with key.
func (s Scheme) Level(key string) (Level, bool) {
	i, ok := s.Index(key)
	if !ok {
		return Level{}, false
	}
	return s.Levels[i], true
}

// LevelOfKind returns the first (highest) level of the given kind.
func (s Scheme) LevelOfKind(kind LevelKind) (Level, bool) {
	for _, l := range s.Levels {
		if l.Kind == kind {
			return l, true
		}
	}
	return Level{}, false
}

// Compound returns the key of the compound level (see CompoundLevel) and whether the scheme
// has one.
func (s Scheme) Compound() (string, bool) {
	if s.CompoundLevel != "" {
		_, ok := s.Index(s.CompoundLevel)
		return s.CompoundLevel, ok
	}
	l, ok := s.LevelOfKind(KindCompound)
	return l.Key, ok
}

// Fits reports whether a node at level child may sit directly under a node at level parent:
// exactly one level below, or any number of levels below when AllowSkip is set. Unknown keys
// never fit.
func (s Scheme) Fits(parent, child string) bool {
	pi, ok1 := s.Index(parent)
	ci, ok2 := s.Index(child)
	if !ok1 || !ok2 {
		return false
	}
	if s.AllowSkip {
		return ci > pi
	}
	return ci == pi+1
}

// FiveLevelChain is the Duyun five-level Party chain (五级组织链): street Party working
// committee → community Party committee → compound Party branch → grid Party group →
// Party-member household liaison ("ten households").
func FiveLevelChain() Scheme {
	return Scheme{
		Name: "five-level-chain",
		Levels: []Level{
			{Key: "street", Kind: KindStreet, NameZH: "街道党工委", NameEN: "street Party working committee"},
			{Key: "community", Kind: KindCommunity, NameZH: "社区党委", NameEN: "community Party committee"},
			{Key: "compound", Kind: KindCompound, NameZH: "小区党支部", NameEN: "compound Party branch"},
			{Key: "grid", Kind: KindGrid, NameZH: "网格党小组", NameEN: "grid Party group"},
			{Key: "household", Kind: KindHousehold, NameZH: "党员联户长", NameEN: "Party-member household liaison"},
		},
	}
}

// FourLevelLadder is the building → grid → community → street ladder (楼栋—网格—社区—街道)
// along which disputes rise: "隐患消解在网格、小事化解在社区、大事解决在街道". Grids stand
// for compounds in coverage reports.
func FourLevelLadder() Scheme {
	return Scheme{
		Name: "four-level-ladder",
		Levels: []Level{
			{Key: "street", Kind: KindStreet, NameZH: "街道", NameEN: "street"},
			{Key: "community", Kind: KindCommunity, NameZH: "社区", NameEN: "community"},
			{Key: "grid", Kind: KindGrid, NameZH: "网格", NameEN: "grid"},
			{Key: "building", Kind: KindBuilding, NameZH: "楼栋", NameEN: "building"},
		},
		CompoundLevel: "grid",
	}
}

// ThreeLevelXiangshan is the Xiangshan three-level Party organisation (三级组织体系):
// community Party organisation → compound/grid Party branch → Party group led by a building
// leader.
func ThreeLevelXiangshan() Scheme {
	return Scheme{
		Name: "three-level-xiangshan",
		Levels: []Level{
			{Key: "community", Kind: KindCommunity, NameZH: "社区党组织", NameEN: "community Party organisation"},
			{Key: "compound", Kind: KindCompound, NameZH: "小区（网格）党支部", NameEN: "compound/grid Party branch"},
			{Key: "building", Kind: KindBuilding, NameZH: "楼栋党小组", NameEN: "building Party group"},
		},
	}
}
