package gridgov

import (
	"encoding/json"
	"log/slog"
	"strings"
	"unicode/utf8"
)

// PersonName is a person's name, personal data (个人信息). It prints masked: String, %v,
// slog and JSON all show only the first character ("张**"). Call Reveal for the full name
// (and only hand it to callers with authority). Storage adapters store Reveal().
type PersonName string

// Reveal returns the unmasked name.
func (n PersonName) Reveal() string { return string(n) }

// Masked returns the name with every character after the first replaced by '*'.
func (n PersonName) Masked() string {
	s := strings.TrimSpace(string(n))
	if s == "" {
		return ""
	}
	r, size := utf8.DecodeRuneInString(s)
	rest := utf8.RuneCountInString(s[size:])
	if rest == 0 {
		return string(r) + "*"
	}
	return string(r) + strings.Repeat("*", rest)
}

// String returns the masked name.
func (n PersonName) String() string { return n.Masked() }

// LogValue keeps the name masked in structured logs.
func (n PersonName) LogValue() slog.Value { return slog.StringValue(n.Masked()) }

// MarshalJSON writes the masked name, so that exports never leak it.
func (n PersonName) MarshalJSON() ([]byte, error) { return json.Marshal(n.Masked()) }

// Phone is a telephone number, personal data (个人信息). It prints masked: String, %v, slog
// and JSON show only the first three and last four digits ("138****5678"). Call Reveal for
// the full number (and only hand it to callers with authority). Storage adapters store
// Reveal().
type Phone string

// Reveal returns the unmasked number.
func (p Phone) Reveal() string { return string(p) }

// Masked returns the number with all but the first three and the last four characters
// replaced by '*'; numbers of seven characters or fewer keep only their last two.
func (p Phone) Masked() string {
	r := []rune(strings.TrimSpace(string(p)))
	switch n := len(r); {
	case n == 0:
		return ""
	case n <= 2:
		return strings.Repeat("*", n)
	case n <= 7:
		return strings.Repeat("*", n-2) + string(r[n-2:])
	default:
		return string(r[:3]) + strings.Repeat("*", n-7) + string(r[n-4:])
	}
}

// String returns the masked number.
func (p Phone) String() string { return p.Masked() }

// LogValue keeps the number masked in structured logs.
func (p Phone) LogValue() slog.Value { return slog.StringValue(p.Masked()) }

// MarshalJSON writes the masked number, so that exports never leak it.
func (p Phone) MarshalJSON() ([]byte, error) { return json.Marshal(p.Masked()) }
