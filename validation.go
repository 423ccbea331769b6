package gridgov

import (
	"errors"
	"fmt"
	"strings"
)

// Lang selects the language of a message.
type Lang string

// The two languages every message is written in.
const (
	English Lang = "en"
	Chinese Lang = "zh"
)

// FieldError is one failing field of a [ValidationError], with its message in both
// languages.
type FieldError struct {
	// Field is the path of the field in the input, in Go names, for example "Name" or
	// "Levels[2].Key".
	Field string
	// Tag names the rule that failed, for example "required", "gridid" or "level_fit".
	Tag string
	// Param is the rule's parameter, if any (for example "64" for max=64).
	Param string
	// EN and ZH are the complete messages in English and Chinese.
	EN, ZH string
}

// Message returns the message in lang (English for anything but [Chinese]).
func (f FieldError) Message(lang Lang) string {
	if lang == Chinese {
		return f.ZH
	}
	return f.EN
}

// ValidationError reports bad input: every failing field, each with an English and a Chinese
// message. It matches its Kind with [errors.Is] ([ErrInvalid] unless stated otherwise, for
// example [ErrAlreadyExists] for a duplicate identifier), so callers can branch on the
// sentinel and still reach the fields with [errors.As].
type ValidationError struct {
	// Kind is the sentinel the error matches; nil means [ErrInvalid].
	Kind error
	// Fields lists every failing field in input order.
	Fields []FieldError
}

// Invalid returns a ValidationError of kind [ErrInvalid] for one field with a message in each
// language. Use [ValidationError.Add] to name more fields.
func Invalid(field, tag, en, zh string) *ValidationError {
	return (&ValidationError{}).Add(field, tag, en, zh)
}

// AlreadyExists returns a ValidationError of kind [ErrAlreadyExists] naming the field whose
// value is already taken.
func AlreadyExists(field, value string) *ValidationError {
	e := &ValidationError{Kind: ErrAlreadyExists}
	return e.Add(field, "unique",
		fmt.Sprintf("%s %q already exists", field, value),
		fmt.Sprintf("%s“%s”已存在", field, value))
}

// Add appends a failing field and returns e, so calls can be chained.
func (e *ValidationError) Add(field, tag, en, zh string) *ValidationError {
	e.Fields = append(e.Fields, FieldError{Field: field, Tag: tag, EN: en, ZH: zh})
	return e
}

// Merge folds err into e. When err is (or wraps) a ValidationError, its fields are appended
// to e (they take e's Kind) and Merge returns nil, so that validation can go on and end with
// [ValidationError.Err]; any other non-nil error is returned unchanged so that it is not
// lost:
//
//	verr := &ValidationError{}
//	if err := verr.Merge(v.Struct(in)); err != nil {
//		return err // not a validation failure
//	}
//	// … more checks that call verr.Add …
//	return verr.Err()
//
// A nil err, a nil *ValidationError and e itself add nothing.
func (e *ValidationError) Merge(err error) error {
	if err == nil {
		return nil
	}
	var other *ValidationError
	if errors.As(err, &other) {
		if other != nil && other != e {
			e.Fields = append(e.Fields, other.Fields...)
		}
		return nil
	}
	return err
}

// Err returns e when it names at least one field and nil otherwise, so a validation pass can
// end with "return verr.Err()".
func (e *ValidationError) Err() error {
	if e == nil || len(e.Fields) == 0 {
		return nil
	}
	return e
}

func (e *ValidationError) kind() error {
	if e.Kind == nil {
		return ErrInvalid
	}
	return e.Kind
}

// Is reports whether target is the error's Kind.
func (e *ValidationError) Is(target error) bool { return target == e.kind() }

// Unwrap returns the error's Kind.
func (e *ValidationError) Unwrap() error { return e.kind() }

// Error renders the kind and every field in English with the Chinese wording in brackets.
func (e *ValidationError) Error() string {
	var b strings.Builder
	b.WriteString(e.kind().Error())
	for i, f := range e.Fields {
		if i == 0 {
			b.WriteString(": ")
		} else {
			b.WriteString("; ")
		}
		b.WriteString(f.EN)
		if f.ZH != "" {
			b.WriteString(" (")
			b.WriteString(f.ZH)
			b.WriteString(")")
		}
	}
	return b.String()
}

// Message renders every field's message in one language, one per line.
func (e *ValidationError) Message(lang Lang) string {
	lines := make([]string, len(e.Fields))
	for i, f := range e.Fields {
		lines[i] = f.Message(lang)
	}
	return strings.Join(lines, "\n")
}

// FieldNames returns the failing fields' paths in order.
func (e *ValidationError) FieldNames() []string {
	names := make([]string, len(e.Fields))
	for i, f := range e.Fields {
		names[i] = f.Field
	}
	return names
}
