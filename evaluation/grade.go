package evaluation

import (
	"fmt"

	"github.com/shopspring/decimal"

	"github.com/gridgov/gridgov"
)

// Band is one grade band (等级): scores at or above Min (above Min when Exclusive is set)
// and below the previous band's bound get this grade.
type Band struct {
	// Grade is the grade's code, e.g. "AAA" or "优秀".
	Grade string
	// Name is the display name, e.g. "优秀" or "AAA级".
	Name string
	// Min is the band's lower bound; the lowest band's Min is ignored (it takes every score
	// below the band above it).
	Min decimal.Decimal
	// Exclusive makes Min itself fall into the band below (score > Min instead of ≥ Min).
	Exclusive bool
}

// Bands are grade bands from the best to the worst (等级划分). They are data: build them in
// code, or start from [QualityBands] or [CreditBands].
type Bands []Band

// QualityBands are the usual evaluation grades: 优秀 ≥ 90, 良好 ≥ 80, 合格 ≥ 60, 不合格
// below 60.
func QualityBands() Bands {
	return Bands{
		{Grade: "优秀", Name: "优秀 excellent", Min: decimal.NewFromInt(90)},
		{Grade: "良好", Name: "良好 good", Min: decimal.NewFromInt(80)},
		{Grade: "合格", Name: "合格 pass", Min: decimal.NewFromInt(60)},
		{Grade: "不合格", Name: "不合格 fail"},
	}
}

// CreditBands are the property-firm credit grades seen in local rules (信用等级): AAA ≥ 85,
// AA 80–85, A 70–80, B 60–70, C below 60, each lower bound inclusive (85 is AAA, 84.99 is
// AA).
func CreditBands() Bands {
	return Bands{
		{Grade: "AAA", Name: "AAA 信用优秀", Min: decimal.NewFromInt(85)},
		{Grade: "AA", Name: "AA 信用良好", Min: decimal.NewFromInt(80)},
		{Grade: "A", Name: "A 信用较好", Min: decimal.NewFromInt(70)},
		{Grade: "B", Name: "B 信用一般", Min: decimal.NewFromInt(60)},
		{Grade: "C", Name: "C 信用较差"},
	}
}

// Validate checks the bands: at least one, grades present and unique, and bounds strictly
// decreasing (equal bounds are allowed only where the upper band is exclusive and the lower
// inclusive, which leaves the lower band just the bound itself).
func (b Bands) Validate() error {
	var verr gridgov.ValidationError
	if len(b) == 0 {
		verr.Add("Bands", "required", "at least one grade band is required", "至少需要一个等级")
	}
	seen := map[string]bool{}
	for i, band := range b {
		checkKey(&verr, fmt.Sprintf("Bands[%d].Grade", i), band.Grade, seen)
		if i == len(b)-1 {
			continue
		}
		if !sane(band.Min) {
			verr.Add(fmt.Sprintf("Bands[%d].Min", i), "number", "the bound has too many digits", "等级下限位数过多")
		}
		if i == 0 {
			continue
		}
		prev := b[i-1]
		c := band.Min.Cmp(prev.Min)
		if c > 0 || (c == 0 && !(prev.Exclusive && !band.Exclusive)) {
			verr.Add(fmt.Sprintf("Bands[%d].Min", i), "order",
				fmt.Sprintf("band %q starts at %s, not below band %q (%s)", band.Grade, band.Min, prev.Grade, prev.Min),
				fmt.Sprintf("等级“%s”的下限 %s 应低于等级“%s”的下限 %s", band.Grade, band.Min, prev.Grade, prev.Min))
		}
	}
	return verr.Err()
}

// Grade returns the band a score falls in. The bands must be valid ([Bands.Validate]).
func (b Bands) Grade(score decimal.Decimal) Band {
	for i, band := range b {
		if i == len(b)-1 {
			return band
		}
		c := score.Cmp(band.Min)
		if c > 0 || (c == 0 && !band.Exclusive) {
			return band
		}
	}
	return Band{}
}

// Lowest returns the worst band (the grade of a vetoed subject).
func (b Bands) Lowest() Band {
	if len(b) == 0 {
		return Band{}
	}
	return b[len(b)-1]
}

// Index returns the position of grade in b (0 is the best), or -1.
func (b Bands) Index(grade string) int {
	for i, band := range b {
		if band.Grade == grade {
			return i
		}
	}
	return -1
}
