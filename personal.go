package gridgov

import (
	"encoding/json"
	"fmt"
	"log/slog"
	"strings"
	"unicode/utf8"
)

// PersonName is a person's name, personal data (个人信息). It prints masked: String, every fmt
// verb, slog and JSON all show only the first character ("张**"). Call Reveal for the full
// name (and only hand it to callers with authority). Storage adapters store Reveal().
//
// fmt cannot call methods on unexported struct fields, so keep personal data in exported
// fields (or print it through Masked) wherever a struct may be printed.
type PersonName string

// Reveal returns the unmasked name.
func (n PersonName) Reveal() string { return string(n) }

// Masked returns the name, without surrounding space, with every character after the first
// replaced by '*' ("张三丰" → "张**"). A name of a single character is masked whole ("*"), since
// keeping its first character would reveal it. The result has as many characters as the
// trimmed name.
func (n PersonName) Masked() string {
	s := strings.TrimSpace(string(n))
	if s == "" {
		return ""
	}
	_, size := utf8.DecodeRuneInString(s)
	rest := utf8.RuneCountInString(s[size:])
	if rest == 0 {
		return "*"
	}
	return s[:size] + strings.Repeat("*", rest)
}

// String returns the masked name.
func (n PersonName) String() string { return n.Masked() }

// Format prints the masked name whatever the verb and flags (%v, %s, %q, %x, %#v, …), so
// that no fmt directive reveals it.
func (n PersonName) Format(f fmt.State, verb rune) { formatMasked(f, verb, n.Masked()) }

// LogValue keeps the name masked in structured logs.
func (n PersonName) LogValue() slog.Value { return slog.StringValue(n.Masked()) }

// MarshalJSON writes the masked name, so that exports never leak it.
func (n PersonName) MarshalJSON() ([]byte, error) { return json.Marshal(n.Masked()) }

// Phone is a telephone number, personal data (个人信息). It prints masked: String, every fmt
// verb, slog and JSON show only the first three and last four characters ("138****5678"). Call
// Reveal for the full number (and only hand it to callers with authority). Storage adapters
// store Reveal(). As with [PersonName], keep it in exported fields of printable structs.
type Phone string

// Reveal returns the unmasked number.
func (p Phone) Reveal() string { return string(p) }

// Masked returns the number, without surrounding space, with all but the first three and the
// last four characters replaced by '*' ("13812345678" → "138****5678"); numbers of three to
// seven characters keep only their last two ("***45") and shorter ones are masked whole. The
// result has as many characters as the trimmed number.
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

// Format prints the masked number whatever the verb and flags (%v, %s, %q, %x, %#v, …), so
// that no fmt directive reveals it.
func (p Phone) Format(f fmt.State, verb rune) { formatMasked(f, verb, p.Masked()) }

// LogValue keeps the number masked in structured logs.
func (p Phone) LogValue() slog.Value { return slog.StringValue(p.Masked()) }

// MarshalJSON writes the masked number, so that exports never leak it.
func (p Phone) MarshalJSON() ([]byte, error) { return json.Marshal(p.Masked()) }

// formatMasked prints masked as a plain string under the caller's directive.
func formatMasked(f fmt.State, verb rune, masked string) {
	fmt.Fprintf(f, fmt.FormatString(f, verb), masked)
}
