package gridgov

import (
	"errors"
	"fmt"
	"reflect"
	"strings"

	"github.com/go-playground/locales/en"
	"github.com/go-playground/locales/zh"
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
// are registered. The rule "gridid" (a valid identifier, see [ValidID]) is built in.
type Validator struct {
	en, zh         *validator.Validate
	enTran, zhTran ut.Translator
}

// NewValidator returns a Validator with the built-in English and Chinese translations and the
// library's own rules registered.
func NewValidator() *Validator {
	enLoc, zhLoc := en.New(), zh.New()
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
func (v *Validator) RegisterRule(tag string, fn validator.Func, en, zh string) error {
	if tag == "" || fn == nil || en == "" || zh == "" {
		return Invalid("tag", "required", "a rule needs a tag, a function and both messages",
			"规则需要标签、校验函数和中英文提示")
	}
	for _, p := range []struct {
		v    *validator.Validate
		tran ut.Translator
		text string
	}{{v.en, v.enTran, en}, {v.zh, v.zhTran, zh}} {
		if err := p.v.RegisterValidation(tag, fn); err != nil {
			return fmt.Errorf("%w: register rule %q: %v", ErrInvalid, tag, err)
		}
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

// Struct validates s (a struct or a pointer to one). It returns nil when every rule holds and
// a [*ValidationError] naming every failing field otherwise.
func (v *Validator) Struct(s any) error {
	err := v.en.Struct(s)
	if err == nil {
		return nil
	}
	var enErrs validator.ValidationErrors
	if !errors.As(err, &enErrs) {
		return Invalid("", "struct", "input must be a struct: "+err.Error(), "输入必须是结构体："+err.Error())
	}
	var zhErrs validator.ValidationErrors
	_ = errors.As(v.zh.Struct(s), &zhErrs)
	out := &ValidationError{Fields: make([]FieldError, len(enErrs))}
	for i, fe := range enErrs {
		f := FieldError{
			Field: trimNamespace(fe.StructNamespace()),
			Tag:   fe.Tag(),
			Param: fe.Param(),
			EN:    fe.Translate(v.enTran),
		}
		// Both validators walk the struct in the same order; fall back to the English
		// field name should they ever disagree.
		if i < len(zhErrs) && zhErrs[i].StructNamespace() == fe.StructNamespace() && zhErrs[i].Tag() == fe.Tag() {
			f.ZH = zhErrs[i].Translate(v.zhTran)
		} else {
			f.ZH = fe.Translate(v.zhTran)
		}
		out.Fields[i] = f
	}
	return out
}

// trimNamespace drops the top-level struct name: "NodeInput.Levels[1].Key" → "Levels[1].Key".
func trimNamespace(ns string) string {
	if i := strings.IndexByte(ns, '.'); i >= 0 {
		return ns[i+1:]
	}
	return ns
}
