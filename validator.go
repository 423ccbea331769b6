package gridgov

import (
	"errors"
	"fmt"
	"reflect"
	"strings"
	"unicode/utf8"

	"github.com/go-playground/locales"
	enlocale "github.com/go-playground/locales/en"
	zhlocale "github.com/go-playground/locales/zh"
	ut "github.com/go-playground/universal-translator"
	"github.com/go-playground/validator/v10"
	en_translations "github.com/go-playground/validator/v10/translations/en"
	zh_translations "github.com/go-playground/validator/v10/translations/zh"
)

// Validator checks input structs against their `validate` tags (go-playground/validator/v10)
// and reports every failing field in English and Chinese as a [*ValidationError]. In Chinese
// messages a field is named by its `zh` struct tag when it has one (for example
// `zh:"名称"`), and by its Go name otherwise.
//
// Build one per service with [NewValidator]; it is safe for concurrent use once its rules
// are registered. Four rules are built in: "gridid" (a valid identifier, see [ValidID]),
// "notblank" (a string that is not only white space), "printable" (valid UTF-8 without
// control characters) and "phone" (5 to 20 digits, optionally with + - and spaces).
type Validator struct {
	en, zh         *validator.Validate
	enTran, zhTran ut.Translator
}

// NewValidator returns a Validator with the built-in English and Chinese translations and the
// library's own rules registered.
func NewValidator() *Validator {
	enLoc, zhLoc := enlocale.New(), zhlocale.New()
	uni := ut.New(enLoc, enLoc, zhLoc)
	enTran, _ := uni.GetTranslator("en")
	zhTran, _ := uni.GetTranslator("zh")
	v := &Validator{
		en:     validator.New(validator.WithRequiredStructEnabled()),
		zh:     validator.New(validator.WithRequiredStructEnabled()),
		enTran: enTran,
		zhTran: zhTran,
	}
	v.zh.RegisterTagNameFunc(func(f reflect.StructField) string {
		if label := f.Tag.Get("zh"); label != "" {
			return label
		}
		return f.Name
	})
	// Both registrations only fail on a programming error in the upstream tables.
	if err := en_translations.RegisterDefaultTranslations(v.en, enTran); err != nil {
		panic(err)
	}
	if err := zh_translations.RegisterDefaultTranslations(v.zh, zhTran); err != nil {
		panic(err)
	}
	v.mustRegister("gridid", func(fl validator.FieldLevel) bool {
		return fl.Field().Kind() == reflect.String && ValidID(fl.Field().String())
	}, "{0} must be 1 to 64 letters, digits or - _ . :", "{0}必须是1到64个字母、数字或 - _ . : 字符")
	v.mustRegister("notblank", func(fl validator.FieldLevel) bool {
		f := fl.Field()
		return f.Kind() != reflect.String || strings.TrimSpace(f.String()) != ""
	}, "{0} must not be blank", "{0}不能为空白")
	v.mustRegister("printable", func(fl validator.FieldLevel) bool {
		f := fl.Field()
		if f.Kind() != reflect.String {
			return true
		}
		s := f.String()
		if !utf8.ValidString(s) {
			return false
		}
		for _, c := range s {
			if c < 0x20 || c == 0x7f {
				return false
			}
		}
		return true
	}, "{0} must be valid text without control characters", "{0}必须是不含控制字符的有效文本")
	v.mustRegister("phone", func(fl validator.FieldLevel) bool {
		f := fl.Field()
		if f.Kind() != reflect.String {
			return false
		}
		digits := 0
		for i, c := range f.String() {
			switch {
			case c >= '0' && c <= '9':
				digits++
			case c == '+' && i == 0, c == '-', c == ' ':
			default:
				return false
			}
		}
		return digits >= 5 && digits <= 20
	}, "{0} must be a telephone number (5 to 20 digits, optionally with + - and spaces)",
		"{0}必须是电话号码（5到20位数字，可含 + - 和空格）")
	return v
}

func (v *Validator) mustRegister(tag string, fn validator.Func, en, zh string) {
	if err := v.RegisterRule(tag, fn, en, zh); err != nil {
		panic(err)
	}
}

// RegisterRule adds a custom validation tag with its English and Chinese message templates,
// in which {0} stands for the field's name and {1} for the tag's parameter. Register rules
// before the Validator is shared between goroutines.
//
// It returns an error wrapping [ErrInvalid], and leaves the Validator unchanged, when an
// argument is missing, when the tag is one the validator reserves (such as "dive" or
// "omitempty") or contains a character it reserves (such as ',', '|' or '='), or when a
// template is malformed (an unbalanced brace).
func (v *Validator) RegisterRule(tag string, fn validator.Func, en, zh string) error {
	if tag == "" || fn == nil || en == "" || zh == "" {
		return Invalid("tag", "required", "a rule needs a tag, a function and both messages",
			"规则需要标签、校验函数和中英文提示")
	}
	// Check both templates on scratch translators first so that a bad one leaves no
	// half-registered rule behind.
	for _, p := range []struct {
		loc  locales.Translator
		text string
	}{{enlocale.New(), en}, {zhlocale.New(), zh}} {
		scratch, _ := ut.New(p.loc, p.loc).GetTranslator(p.loc.Locale())
		if err := scratch.Add(tag, p.text, false); err != nil {
			return fmt.Errorf("%w: register rule %q: %v", ErrInvalid, tag, err)
		}
	}
	// The validator panics (before changing anything) on a reserved tag; both instances
	// have the same reserved tags, so the first call decides.
	for _, val := range []*validator.Validate{v.en, v.zh} {
		if err := registerValidation(val, tag, fn); err != nil {
			return fmt.Errorf("%w: register rule %q: %v", ErrInvalid, tag, err)
		}
	}
	for _, p := range []struct {
		v    *validator.Validate
		tran ut.Translator
		text string
	}{{v.en, v.enTran, en}, {v.zh, v.zhTran, zh}} {
		text := p.text
		if err := p.v.RegisterTranslation(tag, p.tran,
			func(ut ut.Translator) error { return ut.Add(tag, text, true) },
			func(ut ut.Translator, fe validator.FieldError) string {
				msg, err := ut.T(tag, fe.Field(), fe.Param())
				if err != nil {
					return fe.Error()
				}
				return msg
			}); err != nil {
			return fmt.Errorf("%w: register rule %q: %v", ErrInvalid, tag, err)
		}
	}
	return nil
}

// registerValidation calls RegisterValidation and turns its panic on a reserved tag into an
// error.
func registerValidation(val *validator.Validate, tag string, fn validator.Func) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("%v", r)
		}
	}()
	return val.RegisterValidation(tag, fn)
}

// Struct validates s (a struct or a pointer to one). It returns nil when every rule holds and
// a [*ValidationError] naming every failing field otherwise, in the order of the struct's
// fields. Field paths are relative to s, for example "Name" or "Levels[1].Key". Input that is
// not a struct (or is a nil pointer) is reported as [ErrInvalid] too, never as a panic.
func (v *Validator) Struct(s any) error {
	err := v.en.Struct(s)
	if err == nil {
		return nil
	}
	var enErrs validator.ValidationErrors
	if !errors.As(err, &enErrs) {
		return Invalid("", "struct",
			fmt.Sprintf("input must be a struct or a non-nil pointer to one, not %T", s),
			fmt.Sprintf("输入必须是结构体或指向结构体的非空指针，而不是 %T", s))
	}
	var zhErrs validator.ValidationErrors
	_ = errors.As(v.zh.Struct(s), &zhErrs)
	prefix := topName(s)
	out := &ValidationError{Fields: make([]FieldError, len(enErrs))}
	for i, fe := range enErrs {
		f := FieldError{
			Field: trimNamespace(fe.StructNamespace(), prefix),
			Tag:   fe.Tag(),
			Param: fe.Param(),
			EN:    fe.Translate(v.enTran),
		}
		// Both validators walk the struct in the same order; look further should they
		// ever disagree, and fall back to the English message.
		f.ZH = f.EN
		for j := range zhErrs {
			k := (i + j) % len(zhErrs)
			if zhErrs[k].StructNamespace() == fe.StructNamespace() && zhErrs[k].Tag() == fe.Tag() {
				f.ZH = zhErrs[k].Translate(v.zhTran)
				break
			}
		}
		out.Fields[i] = f
	}
	return out
}

// topName returns the name the validator puts in front of every namespace: the name of the
// struct type behind s, which is empty for an anonymous struct and holds dots for an
// instance of a generic type ("Page[example.com/x.Item]").
func topName(s any) string {
	t := reflect.TypeOf(s)
	for t != nil && t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t == nil {
		return ""
	}
	return t.Name()
}

// trimNamespace drops the top-level struct name: "NodeInput.Levels[1].Key" → "Levels[1].Key".
func trimNamespace(ns, top string) string {
	if top == "" {
		return ns
	}
	return strings.TrimPrefix(ns, top+".")
}
