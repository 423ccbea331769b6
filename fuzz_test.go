package gridgov_test

import (
	"errors"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/gridgov/gridgov"
)

func FuzzValidID(f *testing.F) {
	for _, s := range []string{
		"", "a", "street-1", "ns:node:4", "a b", "网格", "\xff", "01J8ZQ4R5X8Y9ZABCDEFGHJKMN",
		strings.Repeat("a", 64), strings.Repeat("a", 65), "-_.:", "a/b", "\x00",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if !gridgov.ValidID(s) {
			return
		}
		if len(s) == 0 || len(s) > gridgov.MaxIDLength {
			t.Fatalf("ValidID(%q) accepted a length of %d", s, len(s))
		}
		for i := 0; i < len(s); i++ {
			c := s[i]
			ok := c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' ||
				strings.IndexByte("-_.:", c) >= 0
			if !ok {
				t.Fatalf("ValidID(%q) accepted byte %q", s, c)
			}
		}
	})
}

// hiddenAllStars reports whether every rune of s outside [keepHead, n-keepTail) is already
// '*', in which case a correct mask may legitimately equal its input.
func hiddenAllStars(r []rune, keepHead, keepTail int) bool {
	for i := keepHead; i < len(r)-keepTail; i++ {
		if r[i] != '*' {
			return false
		}
	}
	return true
}

func FuzzMasking(f *testing.F) {
	for _, s := range []string{
		"", " ", "张", "张三", "张三丰", "John Smith", "13812345678", "+8613812345678",
		"+86 138 1234 5678", "12345", "\xff\xfe\xfd", " a ", "a**", "\u3000王五",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		trimmed := []rune(strings.TrimSpace(s))
		n := len(trimmed)

		name := gridgov.PersonName(s).Masked()
		if got := utf8.RuneCountInString(name); got != n {
			t.Fatalf("PersonName(%q).Masked() = %q: %d runes, want %d", s, name, got, n)
		}
		if name != gridgov.PersonName(s).String() {
			t.Fatalf("PersonName(%q): String differs from Masked", s)
		}
		// Only the first rune may show; the rest is stars.
		for i, r := range []rune(name) {
			if i > 0 && r != '*' {
				t.Fatalf("PersonName(%q).Masked() = %q shows rune %d", s, name, i)
			}
		}
		if n == 1 && name != "*" {
			t.Fatalf("PersonName(%q).Masked() = %q reveals a one-character name", s, name)
		}
		if n >= 3 && name == string(trimmed) && !hiddenAllStars(trimmed, 1, 0) {
			t.Fatalf("PersonName(%q).Masked() returned the full name", s)
		}

		phone := gridgov.Phone(s).Masked()
		if got := utf8.RuneCountInString(phone); got != n {
			t.Fatalf("Phone(%q).Masked() = %q: %d runes, want %d", s, phone, got, n)
		}
		if phone != gridgov.Phone(s).String() {
			t.Fatalf("Phone(%q): String differs from Masked", s)
		}
		head, tail := 3, 4
		switch {
		case n <= 2:
			head, tail = 0, 0
		case n <= 7:
			head, tail = 0, 2
		}
		pr := []rune(phone)
		for i := head; i < n-tail; i++ {
			if pr[i] != '*' {
				t.Fatalf("Phone(%q).Masked() = %q shows rune %d", s, phone, i)
			}
		}
		if n >= 8 && phone == string(trimmed) && !hiddenAllStars(trimmed, 3, 4) {
			t.Fatalf("Phone(%q).Masked() returned the full number", s)
		}
	})
}

type fuzzLevel struct {
	Key  string `validate:"required,gridid" zh:"标识"`
	Name string `validate:"required,max=16" zh:"名称"`
}

type fuzzInput struct {
	ID     string      `validate:"omitempty,gridid" zh:"编号"`
	Name   string      `validate:"required,min=2,max=32" zh:"名称"`
	Email  string      `validate:"omitempty,email" zh:"邮箱"`
	Tags   []string    `validate:"max=3,dive,required,alphanum" zh:"标签"`
	Levels []fuzzLevel `validate:"dive"`
	Count  int         `validate:"gte=0,lte=100" zh:"数量"`
}

func FuzzValidatorStruct(f *testing.F) {
	f.Add("n-1", "都匀市", "a@example.com", "a b c", "street:街道;community:社区", 3)
	f.Add("", "", "", "", "", 0)
	f.Add("bad id", "x", "not-an-email", "a b c d", ":;x:;:y", -1)
	f.Add("\xff", "\xff\xfe", "@", "\x00", ";;;", 101)
	v := gridgov.NewValidator()
	f.Fuzz(func(t *testing.T, id, name, email, tags, levels string, count int) {
		in := fuzzInput{ID: id, Name: name, Email: email, Tags: strings.Fields(tags), Count: count}
		for _, l := range strings.Split(levels, ";") {
			key, label, _ := strings.Cut(l, ":")
			in.Levels = append(in.Levels, fuzzLevel{Key: key, Name: label})
		}
		for _, s := range []any{in, &in} {
			err := v.Struct(s)
			if err == nil {
				if id != "" && !gridgov.ValidID(id) {
					t.Fatalf("accepted invalid ID %q", id)
				}
				for _, l := range in.Levels {
					if !gridgov.ValidID(l.Key) {
						t.Fatalf("accepted invalid level key %q", l.Key)
					}
				}
				continue
			}
			if !errors.Is(err, gridgov.ErrInvalid) {
				t.Fatalf("error does not match ErrInvalid: %v", err)
			}
			var verr *gridgov.ValidationError
			if !errors.As(err, &verr) || len(verr.Fields) == 0 {
				t.Fatalf("not a ValidationError with fields: %v", err)
			}
			for _, fe := range verr.Fields {
				if fe.Field == "" || fe.Tag == "" || fe.EN == "" || fe.ZH == "" {
					t.Fatalf("incomplete field error %+v", fe)
				}
				if strings.HasPrefix(fe.Field, "fuzzInput") {
					t.Fatalf("field path %q keeps the struct name", fe.Field)
				}
			}
			if id != "" && !gridgov.ValidID(id) && verr.FieldNames()[0] != "ID" {
				t.Fatalf("invalid ID %q not reported first: %v", id, verr.FieldNames())
			}
		}
	})
}
