package gridgov_test

import (
	"errors"
	"fmt"
	"reflect"
	"strconv"
	"sync"
	"testing"

	"github.com/go-playground/validator/v10"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gridgov/gridgov"
)

// ---------------------------------------------------------------------------
// ValidationError
// ---------------------------------------------------------------------------

func TestValidationErrorIsAs(t *testing.T) {
	t.Parallel()
	sentinels := []error{
		gridgov.ErrNotFound, gridgov.ErrConflict, gridgov.ErrAlreadyExists, gridgov.ErrInvalid,
		gridgov.ErrForbidden, gridgov.ErrInvalidTransition, gridgov.ErrBudgetExceeded,
	}
	tests := []struct {
		name string
		err  error
		kind error
	}{
		{"Invalid", gridgov.Invalid("Name", "required", "Name is required", "名称为必填字段"), gridgov.ErrInvalid},
		{"zero kind", &gridgov.ValidationError{Fields: []gridgov.FieldError{{Field: "X"}}}, gridgov.ErrInvalid},
		{"AlreadyExists", gridgov.AlreadyExists("ID", "n-1"), gridgov.ErrAlreadyExists},
		{"explicit kind", &gridgov.ValidationError{Kind: gridgov.ErrForbidden}, gridgov.ErrForbidden},
		{"wrapped Invalid", fmt.Errorf("create node: %w", gridgov.Invalid("Name", "required", "en", "zh")), gridgov.ErrInvalid},
		{"wrapped AlreadyExists", fmt.Errorf("create node: %w", gridgov.AlreadyExists("ID", "n-1")), gridgov.ErrAlreadyExists},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			for _, s := range sentinels {
				assert.Equal(t, s == tt.kind, errors.Is(tt.err, s), "errors.Is(err, %v)", s)
			}
			var verr *gridgov.ValidationError
			require.True(t, errors.As(tt.err, &verr))
			assert.NotNil(t, verr)
		})
	}
}

func TestValidationErrorKindWrapsFurther(t *testing.T) {
	t.Parallel()
	// A Kind that itself wraps a sentinel is followed by errors.Is.
	kind := fmt.Errorf("stale node: %w", gridgov.ErrConflict)
	err := &gridgov.ValidationError{Kind: kind}
	assert.ErrorIs(t, err, kind)
	assert.ErrorIs(t, err, gridgov.ErrConflict)
	assert.NotErrorIs(t, err, gridgov.ErrInvalid)
}

func TestValidationErrorError(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		err  *gridgov.ValidationError
		want string
	}{
		{
			name: "one field",
			err:  gridgov.Invalid("Name", "required", "Name is a required field", "名称为必填字段"),
			want: "gridgov: invalid input (输入无效): Name is a required field (名称为必填字段)",
		},
		{
			name: "two fields",
			err: gridgov.Invalid("Name", "required", "Name is a required field", "名称为必填字段").
				Add("Code", "gridid", "Code is bad", "编码无效"),
			want: "gridgov: invalid input (输入无效): Name is a required field (名称为必填字段); Code is bad (编码无效)",
		},
		{
			name: "no Chinese",
			err:  gridgov.Invalid("Name", "required", "Name is a required field", ""),
			want: "gridgov: invalid input (输入无效): Name is a required field",
		},
		{
			name: "already exists",
			err:  gridgov.AlreadyExists("ID", "n-1"),
			want: `gridgov: already exists (已存在): ID "n-1" already exists (ID“n-1”已存在)`,
		},
		{
			name: "no fields",
			err:  &gridgov.ValidationError{},
			want: "gridgov: invalid input (输入无效)",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got := tt.err.Error()
			assert.Equal(t, tt.want, got)
			for _, f := range tt.err.Fields {
				assert.Contains(t, got, f.EN)
				assert.Contains(t, got, f.ZH)
			}
		})
	}
}

func TestValidationErrorMessage(t *testing.T) {
	t.Parallel()
	err := gridgov.Invalid("Name", "required", "Name is a required field", "名称为必填字段").
		Add("Levels[1].Key", "required", "Key is a required field", "标识为必填字段")
	tests := []struct {
		lang gridgov.Lang
		want string
	}{
		{gridgov.English, "Name is a required field\nKey is a required field"},
		{gridgov.Chinese, "名称为必填字段\n标识为必填字段"},
		{"", "Name is a required field\nKey is a required field"},      // anything but Chinese is English
		{"fr", "Name is a required field\nKey is a required field"},    // likewise
		{"zh-CN", "Name is a required field\nKey is a required field"}, // only the exact constant selects Chinese
	}
	for _, tt := range tests {
		t.Run(string(tt.lang), func(t *testing.T) {
			t.Parallel()
			assert.Equal(t, tt.want, err.Message(tt.lang))
		})
	}
	assert.Equal(t, "标识为必填字段", err.Fields[1].Message(gridgov.Chinese))
	assert.Equal(t, "Key is a required field", err.Fields[1].Message(gridgov.English))
	assert.Empty(t, (&gridgov.ValidationError{}).Message(gridgov.English))
}

func TestValidationErrorMerge(t *testing.T) {
	t.Parallel()
	other := errors.New("store unavailable")
	tests := []struct {
		name       string
		merge      error
		wantReturn error // nil: Merge returns nil
		wantFields []string
	}{
		{"nil", nil, nil, []string{"A"}},
		{"validation error", gridgov.Invalid("B", "required", "B", "B"), nil, []string{"A", "B"}},
		{"two fields", gridgov.Invalid("B", "required", "B", "B").Add("C", "max", "C", "C"), nil, []string{"A", "B", "C"}},
		{"wrapped validation error", fmt.Errorf("level: %w", gridgov.Invalid("B", "required", "B", "B")), nil, []string{"A", "B"}},
		{"already exists keeps receiver kind", gridgov.AlreadyExists("ID", "x"), nil, []string{"A", "ID"}},
		{"typed nil validation error", (*gridgov.ValidationError)(nil), nil, []string{"A"}},
		{"other error", other, other, []string{"A"}},
		{"wrapped sentinel", fmt.Errorf("x: %w", gridgov.ErrNotFound), gridgov.ErrNotFound, []string{"A"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			verr := gridgov.Invalid("A", "required", "A", "A")
			got := verr.Merge(tt.merge)
			if tt.wantReturn == nil {
				assert.NoError(t, got)
			} else {
				assert.ErrorIs(t, got, tt.wantReturn)
				assert.Same(t, tt.merge, got, "a foreign error is returned unchanged")
			}
			assert.Equal(t, tt.wantFields, verr.FieldNames())
			assert.ErrorIs(t, verr, gridgov.ErrInvalid)
		})
	}
}

func TestValidationErrorMergeSelf(t *testing.T) {
	t.Parallel()
	verr := gridgov.Invalid("A", "required", "A", "A")
	assert.NoError(t, verr.Merge(verr))
	assert.Equal(t, []string{"A"}, verr.FieldNames(), "merging into itself adds nothing")
}

func TestValidationErrorErr(t *testing.T) {
	t.Parallel()
	var nilErr *gridgov.ValidationError
	assert.NoError(t, nilErr.Err())
	assert.NoError(t, (&gridgov.ValidationError{}).Err())
	assert.NoError(t, (&gridgov.ValidationError{Kind: gridgov.ErrAlreadyExists}).Err())
	// Err returns an untyped nil, so "err != nil" is false.
	err := (&gridgov.ValidationError{}).Err()
	assert.True(t, err == nil)

	verr := gridgov.Invalid("A", "required", "A", "A")
	assert.Same(t, verr, verr.Err())
}

func TestValidationErrorFieldNames(t *testing.T) {
	t.Parallel()
	assert.Empty(t, (&gridgov.ValidationError{}).FieldNames())
	verr := (&gridgov.ValidationError{}).
		Add("Name", "required", "", "").
		Add("Levels[1].Key", "gridid", "", "").
		Add("Name", "max", "", "")
	assert.Equal(t, []string{"Name", "Levels[1].Key", "Name"}, verr.FieldNames())
	assert.Equal(t, "gridid", verr.Fields[1].Tag)
}

// ---------------------------------------------------------------------------
// Validator
// ---------------------------------------------------------------------------

type testLevel struct {
	Key  string `validate:"required,gridid" zh:"标识"`
	Name string `validate:"required,max=8" zh:"名称"`
}

type testScheme struct {
	Name   string      `validate:"required" zh:"名称"`
	Code   string      `validate:"gridid" zh:"编码"`
	Size   int         `validate:"gte=1,lte=10" zh:"规模"`
	Note   string      `validate:"max=4"` // no zh label: the Go name is used in Chinese too
	Email  string      `validate:"omitempty,email" zh:"邮箱"`
	Levels []testLevel `validate:"min=1,dive" zh:"层级"`
}

func badScheme() testScheme {
	return testScheme{
		Name:  "",
		Code:  "bad code",
		Size:  0,
		Note:  "too long",
		Email: "not-an-email",
		Levels: []testLevel{
			{Key: "street", Name: "街道"},
			{Key: "", Name: "very long level name"},
		},
	}
}

var badSchemeWant = []gridgov.FieldError{
	{Field: "Name", Tag: "required", EN: "Name is a required field", ZH: "名称为必填字段"},
	{Field: "Code", Tag: "gridid", EN: "Code must be 1 to 64 letters, digits or - _ . :", ZH: "编码必须是1到64个字母、数字或 - _ . : 字符"},
	{Field: "Size", Tag: "gte", Param: "1", EN: "Size must be 1 or greater", ZH: "规模必须大于或等于1"},
	{Field: "Note", Tag: "max", Param: "4", EN: "Note must be a maximum of 4 characters in length", ZH: "Note长度不能超过4个字符"},
	{Field: "Email", Tag: "email", EN: "Email must be a valid email address", ZH: "邮箱必须是一个有效的邮箱"},
	{Field: "Levels[1].Key", Tag: "required", EN: "Key is a required field", ZH: "标识为必填字段"},
	{Field: "Levels[1].Name", Tag: "max", Param: "8", EN: "Name must be a maximum of 8 characters in length", ZH: "名称长度不能超过8个字符"},
}

func TestValidatorStructEveryField(t *testing.T) {
	t.Parallel()
	v := gridgov.NewValidator()
	for _, in := range []any{badScheme(), ptr(badScheme())} {
		err := v.Struct(in)
		require.Error(t, err)
		assert.ErrorIs(t, err, gridgov.ErrInvalid)
		var verr *gridgov.ValidationError
		require.ErrorAs(t, err, &verr)
		assert.Equal(t, badSchemeWant, verr.Fields)
		assert.Equal(t, []string{"Name", "Code", "Size", "Note", "Email", "Levels[1].Key", "Levels[1].Name"}, verr.FieldNames())
	}
}

func TestValidatorStructValid(t *testing.T) {
	t.Parallel()
	v := gridgov.NewValidator()
	ok := testScheme{Name: "都匀", Code: "duyun-01", Size: 5, Levels: []testLevel{{Key: "street", Name: "街道"}}}
	assert.NoError(t, v.Struct(ok))
	assert.NoError(t, v.Struct(&ok))
	err := v.Struct(ok)
	assert.True(t, err == nil, "a valid struct gives an untyped nil")
}

func TestValidatorFieldPaths(t *testing.T) {
	t.Parallel()
	v := gridgov.NewValidator()

	type Base struct {
		ID string `validate:"required" zh:"编号"`
	}
	type withEmbedded struct {
		Base
		Tags []string          `validate:"dive,gridid" zh:"标签"`
		Attr map[string]string `validate:"dive,required" zh:"属性"`
	}

	tests := []struct {
		name   string
		in     any
		fields []string
		zh     []string
	}{
		{
			name: "anonymous struct",
			in: struct {
				Name   string      `validate:"required" zh:"名称"`
				Levels []testLevel `validate:"dive"`
			}{Levels: []testLevel{{Key: "a", Name: "a"}, {Name: "b"}}},
			fields: []string{"Name", "Levels[1].Key"},
			zh:     []string{"名称为必填字段", "标识为必填字段"},
		},
		{
			name:   "generic struct",
			in:     page[fmt.Stringer]{Items: []testLevel{{Key: "a", Name: "a"}, {Name: "b"}}},
			fields: []string{"Title", "Items[1].Key"},
			zh:     []string{"标题为必填字段", "标识为必填字段"},
		},
		{
			name:   "pointer to generic struct",
			in:     &page[int]{Title: "t", Items: []testLevel{{Key: "a b", Name: "a"}}},
			fields: []string{"Items[0].Key"},
			zh:     []string{"标识必须是1到64个字母、数字或 - _ . : 字符"},
		},
		{
			name:   "embedded struct, slice and map dive",
			in:     withEmbedded{Tags: []string{"ok", "not ok"}, Attr: map[string]string{"k": ""}},
			fields: []string{"Base.ID", "Tags[1]", "Attr[k]"},
			zh:     []string{"编号为必填字段", "标签[1]必须是1到64个字母、数字或 - _ . : 字符", "属性[k]为必填字段"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var verr *gridgov.ValidationError
			require.ErrorAs(t, v.Struct(tt.in), &verr)
			assert.Equal(t, tt.fields, verr.FieldNames())
			var zh []string
			for _, f := range verr.Fields {
				zh = append(zh, f.ZH)
			}
			assert.Equal(t, tt.zh, zh)
		})
	}
}

type page[T any] struct {
	Title string      `validate:"required" zh:"标题"`
	Items []testLevel `validate:"dive"`
	Extra T
}

func TestValidatorGridID(t *testing.T) {
	t.Parallel()
	v := gridgov.NewValidator()
	type node struct {
		ID string `validate:"gridid" zh:"节点编号"`
	}
	type optional struct {
		ID string `validate:"omitempty,gridid"`
	}
	type named struct {
		ID gridID `validate:"gridid"`
	}
	type pointer struct {
		ID *string `validate:"omitempty,gridid"`
	}
	type notString struct {
		ID int `validate:"gridid"`
	}
	long := string(make([]byte, 65))
	tests := []struct {
		name string
		in   any
		ok   bool
	}{
		{"ulid", node{"01J8ZQ4R5X8Y9ZABCDEFGHJKMN"}, true},
		{"punctuation", node{"street-1.community_2:grid"}, true},
		{"64 chars", node{repeat('a', 64)}, true},
		{"65 chars", node{repeat('a', 65)}, false},
		{"empty", node{""}, false},
		{"space", node{"a b"}, false},
		{"slash", node{"a/b"}, false},
		{"chinese", node{"网格1"}, false},
		{"nul bytes", node{long}, false},
		{"omitempty empty", optional{""}, true},
		{"omitempty bad", optional{"a b"}, false},
		{"named string type", named{"n-1"}, true},
		{"named string type bad", named{"n 1"}, false},
		{"pointer", pointer{ptr("p-1")}, true},
		{"pointer bad", pointer{ptr("p 1")}, false},
		{"nil pointer omitempty", pointer{}, true},
		{"not a string", notString{1}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			err := v.Struct(tt.in)
			if tt.ok {
				assert.NoError(t, err)
				return
			}
			var verr *gridgov.ValidationError
			require.ErrorAs(t, err, &verr)
			require.Len(t, verr.Fields, 1)
			f := verr.Fields[0]
			assert.Equal(t, "ID", f.Field)
			assert.Equal(t, "gridid", f.Tag)
			assert.Equal(t, "ID must be 1 to 64 letters, digits or - _ . :", f.EN)
			if _, isNode := tt.in.(node); isNode {
				assert.Equal(t, "节点编号必须是1到64个字母、数字或 - _ . : 字符", f.ZH)
			} else {
				assert.Equal(t, "ID必须是1到64个字母、数字或 - _ . : 字符", f.ZH)
			}
		})
	}
}

type gridID string

func TestValidatorRegisterRule(t *testing.T) {
	t.Parallel()
	v := gridgov.NewValidator()
	multipleOf := func(fl validator.FieldLevel) bool {
		n, err := strconv.ParseInt(fl.Param(), 10, 64)
		if err != nil || n == 0 {
			return false
		}
		return fl.Field().Int()%n == 0
	}
	require.NoError(t, v.RegisterRule("multipleof", multipleOf, "{0} must be a multiple of {1}", "{0}必须是{1}的倍数"))
	require.NoError(t, v.RegisterRule("even", func(fl validator.FieldLevel) bool { return fl.Field().Int()%2 == 0 },
		"{0} must be even", "{0}必须是偶数"))

	type plot struct {
		Area  int `validate:"multipleof=5" zh:"面积"`
		Units int `validate:"even,multipleof=3" zh:"户数"`
	}
	assert.NoError(t, v.Struct(plot{Area: 10, Units: 6}))

	var verr *gridgov.ValidationError
	require.ErrorAs(t, v.Struct(plot{Area: 7, Units: 3}), &verr)
	assert.Equal(t, []gridgov.FieldError{
		{Field: "Area", Tag: "multipleof", Param: "5", EN: "Area must be a multiple of 5", ZH: "面积必须是5的倍数"},
		{Field: "Units", Tag: "even", EN: "Units must be even", ZH: "户数必须是偶数"},
	}, verr.Fields)

	// Registering again replaces the messages.
	require.NoError(t, v.RegisterRule("even", func(fl validator.FieldLevel) bool { return fl.Field().Int()%2 == 0 },
		"{0} must be divisible by two", "{0}必须能被二整除"))
	require.ErrorAs(t, v.Struct(plot{Area: 5, Units: 9}), &verr)
	assert.Equal(t, "Units must be divisible by two", verr.Fields[0].EN)
	assert.Equal(t, "户数必须能被二整除", verr.Fields[0].ZH)

	// Rules belong to one Validator.
	other := gridgov.NewValidator()
	assert.Panics(t, func() { _ = other.Struct(plot{}) }, "an unknown tag is a programming error upstream")
}

func TestValidatorRegisterRuleBadArgs(t *testing.T) {
	t.Parallel()
	fn := func(validator.FieldLevel) bool { return false }
	tests := []struct {
		name, tag string
		fn        validator.Func
		en, zh    string
	}{
		{"empty tag", "", fn, "{0} bad", "{0}无效"},
		{"nil func", "rule", nil, "{0} bad", "{0}无效"},
		{"empty English", "rule", fn, "", "{0}无效"},
		{"empty Chinese", "rule", fn, "{0} bad", ""},
		{"reserved tag dive", "dive", fn, "{0} bad", "{0}无效"},
		{"reserved tag omitempty", "omitempty", fn, "{0} bad", "{0}无效"},
		{"reserved char comma", "a,b", fn, "{0} bad", "{0}无效"},
		{"reserved char pipe", "a|b", fn, "{0} bad", "{0}无效"},
		{"reserved char equals", "a=b", fn, "{0} bad", "{0}无效"},
		{"bad English template", "rule", fn, "{0} bad {", "{0}无效"},
		{"bad Chinese template", "rule", fn, "{0} bad", "{0}无效}"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			v := gridgov.NewValidator()
			var err error
			require.NotPanics(t, func() { err = v.RegisterRule(tt.tag, tt.fn, tt.en, tt.zh) })
			require.Error(t, err)
			assert.ErrorIs(t, err, gridgov.ErrInvalid)
		})
	}
}

func TestValidatorRegisterRuleFailureLeavesNoTrace(t *testing.T) {
	t.Parallel()
	v := gridgov.NewValidator()
	fn := func(validator.FieldLevel) bool { return false }
	// The Chinese template is bad: nothing may be registered, in either language.
	require.ErrorIs(t, v.RegisterRule("rule", fn, "{0} is bad", "{0}无效{"), gridgov.ErrInvalid)
	type in struct {
		X string `validate:"rule"`
	}
	assert.Panics(t, func() { _ = v.Struct(in{}) }, "the tag is still unknown")

	require.NoError(t, v.RegisterRule("rule", fn, "{0} is bad", "{0}无效"))
	var verr *gridgov.ValidationError
	require.ErrorAs(t, v.Struct(in{}), &verr)
	assert.Equal(t, "X is bad", verr.Fields[0].EN)
	assert.Equal(t, "X无效", verr.Fields[0].ZH)
}

func TestValidatorStructNotAStruct(t *testing.T) {
	t.Parallel()
	v := gridgov.NewValidator()
	tests := []struct {
		name string
		in   any
	}{
		{"nil", nil},
		{"int", 42},
		{"string", "scheme"},
		{"slice", []testLevel{{}}},
		{"map", map[string]int{}},
		{"nil pointer", (*testScheme)(nil)},
		{"pointer to int", ptr(3)},
		{"func", func() {}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var err error
			require.NotPanics(t, func() { err = v.Struct(tt.in) })
			require.ErrorIs(t, err, gridgov.ErrInvalid)
			var verr *gridgov.ValidationError
			require.ErrorAs(t, err, &verr)
			require.Len(t, verr.Fields, 1)
			f := verr.Fields[0]
			assert.Equal(t, "struct", f.Tag)
			assert.Contains(t, f.EN, "must be a struct")
			assert.Contains(t, f.ZH, "必须是结构体")
			assert.Contains(t, f.EN, fmt.Sprintf("%T", tt.in))
		})
	}
}

func TestValidatorConcurrent(t *testing.T) {
	t.Parallel()
	v := gridgov.NewValidator()
	require.NoError(t, v.RegisterRule("even", func(fl validator.FieldLevel) bool { return fl.Field().Int()%2 == 0 },
		"{0} must be even", "{0}必须是偶数"))
	type counted struct {
		N int `validate:"even" zh:"数量"`
	}
	const goroutines, rounds = 16, 200
	var wg sync.WaitGroup
	errs := make(chan error, goroutines)
	for g := range goroutines {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range rounds {
				var verr *gridgov.ValidationError
				if !errors.As(v.Struct(badScheme()), &verr) || !reflect.DeepEqual(verr.Fields, badSchemeWant) {
					errs <- fmt.Errorf("goroutine %d round %d: unexpected %v", g, i, verr)
					return
				}
				err := v.Struct(counted{N: g*rounds + i})
				if (g*rounds+i)%2 == 0 {
					if err != nil {
						errs <- err
						return
					}
				} else if !errors.As(err, &verr) || verr.Fields[0].ZH != "数量必须是偶数" {
					errs <- fmt.Errorf("goroutine %d round %d: unexpected %v", g, i, err)
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}

func ptr[T any](v T) *T { return &v }

func repeat(c byte, n int) string {
	b := make([]byte, n)
	for i := range b {
		b[i] = c
	}
	return string(b)
}
