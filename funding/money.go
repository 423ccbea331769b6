package funding

import (
	"fmt"
	"math/big"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/shopspring/decimal"

	"github.com/gridgov/gridgov"
)

// MaxYuanDigits is the number of integer digits an amount may have: every amount is less
// than 10^15 yuan in absolute value (at most 999,999,999,999,999.99), so that any amount in
// fen fits an int64 with room to spare. [ParseMoney] and [CheckAmount] refuse larger ones.
const MaxYuanDigits = 15

// MaxMoneyInputLength is the longest string, in bytes, that [ParseMoney] reads.
const MaxMoneyInputLength = 64

// MaxMoney returns the largest amount [ParseMoney] and [CheckAmount] accept,
// 999,999,999,999,999.99 yuan.
func MaxMoney() decimal.Decimal { return decimal.New(1, MaxYuanDigits).Sub(fen) }

// MustMoney is [ParseMoney] for amounts known to be valid, such as literals in examples,
// tests and presets: it panics when s is not a valid amount.
func MustMoney(s string) decimal.Decimal {
	d, err := ParseMoney(s)
	if err != nil {
		panic(err)
	}
	return d
}

// ParseMoney reads an amount of money in yuan (金额), as people and spreadsheets write it:
//
//	"4000000"  "4,000,000.00"  "¥4,000,000.00"  "￥12.5"  "RMB 1,000"  "CNY100"
//	"2000元"   "400万"  "1.5万"  "1.5万元"  "¥400万"  "3亿"  "-¥1,234.50"
//
// The grammar, after leading and trailing white space is removed:
//
//   - an optional "-" (negative amounts are read, for corrections and reversals; use
//     [CheckAmount] where an amount must not be negative); it may come before or after
//     the currency sign ("-¥5" and "¥-5"), never twice; "+" is refused;
//   - an optional currency sign "¥" or "￥", or code "RMB" or "CNY" (any case), which may be
//     followed by spaces;
//   - ASCII digits, optionally in groups of three separated by "," ("1,234,567"; the first
//     group has one to three digits and, when there are separators, no leading zero); without
//     separators leading zeros are allowed ("007" is 7);
//   - an optional "." followed by at least one digit;
//   - an optional unit, which may follow spaces: "元" (yuan), "万" (×10,000), "亿"
//     (×100,000,000), "万元" or "亿元". "元" does not go with a currency sign or code.
//
// The value, after scaling by the unit, must be whole fen: "1.234元" is refused but
// "1.23456万" (12,345.60 yuan) and "1.230" are read. It must be less than 10^15 yuan (see
// [MaxYuanDigits]) and the input at most [MaxMoneyInputLength] bytes. Exponents ("1e5"),
// "NaN", "Inf", hexadecimal, full-width digits ("１２"), a leading or trailing "." and
// misplaced separators are refused. The result always has exponent −2 (two decimal places).
//
// A refusal is a *gridgov.ValidationError (matching gridgov.ErrInvalid) for the field
// "amount", with English and Chinese messages quoting the input. [ParseMoneyField] names
// another field.
func ParseMoney(s string) (decimal.Decimal, error) { return ParseMoneyField("amount", s) }

// ParseMoneyField is [ParseMoney] with field as the name of the input in the error.
func ParseMoneyField(field, s string) (decimal.Decimal, error) {
	if len(s) > MaxMoneyInputLength {
		return decimal.Decimal{}, gridgov.Invalid(field, "max",
			fmt.Sprintf("%s %s is longer than %d bytes", field, quoteMoneyInput(s), MaxMoneyInputLength),
			fmt.Sprintf("%s%s超过%d字节", field, quoteMoneyInputZH(s), MaxMoneyInputLength))
	}
	t := strings.TrimSpace(s)
	if t == "" {
		return decimal.Decimal{}, gridgov.Invalid(field, "required",
			fmt.Sprintf("%s is empty: an amount of money is required", field),
			fmt.Sprintf("%s为空：必须填写金额", field))
	}
	fen, reason := parseFen(t)
	switch reason {
	case moneyOK:
		return decimal.New(fen, -2), nil
	case moneySubFen:
		return decimal.Decimal{}, gridgov.Invalid(field, "fen",
			fmt.Sprintf("%s %s has more than two decimal places: amounts are whole fen (0.01 yuan)", field, quoteMoneyInput(s)),
			fmt.Sprintf("%s%s超过两位小数：金额须精确到分", field, quoteMoneyInputZH(s)))
	case moneyTooLarge:
		return decimal.Decimal{}, gridgov.Invalid(field, "max",
			fmt.Sprintf("%s %s is too large: amounts are below 10^15 yuan (at most 999,999,999,999,999.99)", field, quoteMoneyInput(s)),
			fmt.Sprintf("%s%s过大：金额须小于10^15元（最多999,999,999,999,999.99元）", field, quoteMoneyInputZH(s)))
	default:
		return decimal.Decimal{}, gridgov.Invalid(field, "money",
			fmt.Sprintf(`%s %s is not an amount of money: write digits with an optional "." and "," between groups of three, `+
				`optionally with "¥", "RMB" or "CNY" before or "元", "万" or "亿" after (e.g. "¥4,000,000.00", "1.5万")`, field, quoteMoneyInput(s)),
			fmt.Sprintf(`%s%s不是有效金额：请写数字，可带小数点和千分位逗号，前面可加“¥”“RMB”“CNY”，后面可加“元”“万”“亿”（如“¥4,000,000.00”“1.5万”）`,
				field, quoteMoneyInputZH(s)))
	}
}

// moneyReason says why parseFen refused its input.
type moneyReason int

const (
	moneyOK moneyReason = iota
	moneyMalformed
	moneySubFen
	moneyTooLarge
)

// parseFen parses a trimmed, non-empty amount (grammar of ParseMoney) into fen.
func parseFen(t string) (int64, moneyReason) {
	neg := false
	if strings.HasPrefix(t, "-") {
		neg, t = true, t[1:]
	}
	sign := false
	for _, p := range [...]string{"¥", "￥", "RMB", "CNY"} {
		if len(t) >= len(p) && strings.EqualFold(t[:len(p)], p) {
			sign, t = true, strings.TrimLeft(t[len(p):], " \t")
			break
		}
	}
	if sign && !neg && strings.HasPrefix(t, "-") {
		neg, t = true, t[1:]
	}
	scale := 0 // the unit's power of ten
	for _, u := range [...]struct {
		suffix string
		scale  int
		yuan   bool
	}{{"万元", 4, true}, {"亿元", 8, true}, {"万", 4, false}, {"亿", 8, false}, {"元", 0, true}} {
		if strings.HasSuffix(t, u.suffix) {
			if u.yuan && sign {
				return 0, moneyMalformed // "¥100元": the currency twice
			}
			scale, t = u.scale, strings.TrimRight(t[:len(t)-len(u.suffix)], " \t")
			break
		}
	}
	intPart, frac, hasDot := strings.Cut(t, ".")
	if intPart == "" || hasDot && frac == "" || !asciiDigits(frac) {
		return 0, moneyMalformed
	}
	var digits strings.Builder
	digits.Grow(len(t))
	if strings.Contains(intPart, ",") {
		groups := strings.Split(intPart, ",")
		if first := groups[0]; len(first) == 0 || len(first) > 3 || first[0] == '0' {
			return 0, moneyMalformed
		}
		for i, g := range groups {
			if i > 0 && len(g) != 3 || !asciiDigits(g) {
				return 0, moneyMalformed
			}
			digits.WriteString(g)
		}
	} else {
		if !asciiDigits(intPart) {
			return 0, moneyMalformed
		}
		digits.WriteString(intPart)
	}
	digits.WriteString(frac)
	// The value is D × 10^exp with D the digit string.
	d := strings.TrimLeft(digits.String(), "0")
	exp := scale - len(frac)
	if trimmed := strings.TrimRight(d, "0"); len(trimmed) < len(d) {
		exp += len(d) - len(trimmed)
		d = trimmed
	}
	if d == "" {
		return 0, moneyOK // zero, whatever its sign
	}
	if exp < -2 {
		return 0, moneySubFen
	}
	if len(d)+exp > MaxYuanDigits {
		return 0, moneyTooLarge
	}
	// Now D × 10^(exp+2) < 10^17 fen.
	fen, err := strconv.ParseInt(d+strings.Repeat("0", exp+2), 10, 64)
	if err != nil {
		return 0, moneyMalformed // unreachable: the digits are checked and bounded
	}
	if neg {
		fen = -fen
	}
	return fen, moneyOK
}

// asciiDigits reports whether s consists of ASCII digits only ("" counts).
func asciiDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// quoteMoneyInput quotes s for an English message, shortened to 40 runes.
func quoteMoneyInput(s string) string { return strconv.Quote(shortMoneyInput(s)) }

// quoteMoneyInputZH quotes s for a Chinese message, shortened to 40 runes.
func quoteMoneyInputZH(s string) string { return "“" + shortMoneyInput(s) + "”" }

func shortMoneyInput(s string) string {
	if !utf8.ValidString(s) {
		s = strings.ToValidUTF8(s, "\uFFFD")
	}
	if utf8.RuneCountInString(s) <= 40 {
		return s
	}
	r := []rune(s)
	return string(r[:40]) + "…"
}

// FormatYuan writes d for reports in yuan with the currency sign, separators between groups
// of three and two decimal places: "¥4,000,000.00", "¥0.50", "-¥1,234.50". It never rounds:
// a value finer than a fen shows all its decimal places ("¥0.005"), which [ParseMoney]
// refuses. For every valid amount, ParseMoney(FormatYuan(d)) equals d.
func FormatYuan(d decimal.Decimal) string {
	sign, intPart, frac := moneyParts(d)
	for len(frac) < 2 {
		frac += "0"
	}
	return sign + "¥" + groupThousands(intPart) + "." + frac
}

// FormatWan writes d for reports in the Chinese style: amounts of 10,000 yuan or more in 万
// (ten thousands) with as many decimal places as needed and no more — "400万", "1.5万",
// "12,000万", "1.234567万" (12,345.67 yuan) — so that nothing is rounded away; smaller amounts
// in 元, whole yuan without decimals and others with two decimal places ("2,000元",
// "200.50元", "0元"). Negative amounts start with "-". Like [FormatYuan] it never rounds, and
// for every valid amount ParseMoney(FormatWan(d)) equals d.
func FormatWan(d decimal.Decimal) string {
	sign, intPart, frac := moneyParts(d)
	if len(intPart) > 4 {
		// Move the decimal point four places left.
		frac = strings.TrimRight(intPart[len(intPart)-4:]+frac, "0")
		intPart = intPart[:len(intPart)-4]
		if frac != "" {
			frac = "." + frac
		}
		return sign + groupThousands(intPart) + frac + "万"
	}
	if frac != "" {
		for len(frac) < 2 {
			frac += "0"
		}
		frac = "." + frac
	}
	return sign + groupThousands(intPart) + frac + "元"
}

// moneyParts splits d into its sign ("-" or ""), integer digits and fraction digits without
// trailing zeros.
func moneyParts(d decimal.Decimal) (sign, intPart, frac string) {
	if d.Sign() < 0 {
		sign = "-"
	}
	intPart, frac, _ = strings.Cut(d.Abs().String(), ".")
	return sign, intPart, frac
}

// groupThousands puts "," between groups of three digits of an integer's digits.
func groupThousands(digits string) string {
	if len(digits) <= 3 {
		return digits
	}
	var b strings.Builder
	b.Grow(len(digits) + len(digits)/3)
	head := len(digits) % 3
	if head == 0 {
		head = 3
	}
	b.WriteString(digits[:head])
	for i := head; i < len(digits); i += 3 {
		b.WriteByte(',')
		b.WriteString(digits[i : i+3])
	}
	return b.String()
}

// formatPlain writes a non-money decimal (an area, a count) with separators between groups
// of three and no trailing zeros: "1,929.5".
func formatPlain(d decimal.Decimal) string {
	sign, intPart, frac := moneyParts(d)
	if frac != "" {
		frac = "." + frac
	}
	return sign + groupThousands(intPart) + frac
}

// coefDigits returns the number of decimal digits of d's coefficient (1 for zero) without
// rescaling d, so that values with extreme exponents can be checked cheaply: a non-zero d
// satisfies 10^(e−1) ≤ |d| < 10^e with e = coefDigits(d) + d.Exponent().
func coefDigits(d decimal.Decimal) int64 {
	if u, ok := coefUint64(d); ok {
		return int64(digits64(u))
	}
	c := d.Coefficient()
	return int64(len(c.Abs(c).String()))
}

// coefUint64 returns |coefficient of d| when it has at most 18 digits, without allocating.
func coefUint64(d decimal.Decimal) (uint64, bool) {
	// NumDigits is exact beyond 2^53 and cheap below it; at most 18 digits fit an int64.
	if d.NumDigits() > 18 {
		return 0, false
	}
	c := d.CoefficientInt64()
	if c < 0 {
		return uint64(-c), true
	}
	return uint64(c), true
}

// magnitude returns e such that 10^(e−1) ≤ |d| < 10^e for a non-zero d: the number of
// integer digits of |d| when |d| ≥ 1.
func magnitude(d decimal.Decimal) int64 { return coefDigits(d) + int64(d.Exponent()) }

// placesAtMost reports whether d has at most p decimal places (trailing zeros aside),
// without rescaling it.
func placesAtMost(d decimal.Decimal, p int64) bool {
	exp := int64(d.Exponent())
	if d.Sign() == 0 || exp >= -p {
		return true
	}
	need := -p - exp // the coefficient must end in this many zeros
	if need >= coefDigits(d) {
		return false // a non-zero coefficient has fewer trailing zeros than digits
	}
	if u, ok := coefUint64(d); ok {
		return u%pow10u64(need) == 0
	}
	var r big.Int
	r.Exp(big.NewInt(10), big.NewInt(need), nil)
	return r.Rem(d.Coefficient(), &r).Sign() == 0
}

// pow10u64 returns 10^n for 0 ≤ n ≤ 19.
func pow10u64(n int64) uint64 { return pow10Table[n] }

// safeDecimalString writes d for an error message: in full when its exponent is moderate,
// as coefficient "e" exponent otherwise (so that a value such as 1e2000000000 is not
// expanded), and shortened to 40 runes.
func safeDecimalString(d decimal.Decimal) string {
	if exp := d.Exponent(); exp < -64 || exp > 64 {
		return shortMoneyInput(d.Coefficient().String() + "e" + strconv.Itoa(int(exp)))
	}
	return shortMoneyInput(d.String())
}

// digits64 returns the number of decimal digits of u (1 for 0).
func digits64(u uint64) int {
	n := 1
	for u >= 10 {
		u /= 10
		n++
	}
	return n
}

// CheckAmount returns nil when d is a valid amount of money for field: whole fen (at most
// two decimal places), not negative, and less than 10^15 yuan (see [MaxYuanDigits]);
// otherwise a *gridgov.ValidationError naming field. It never rescales d, so values with
// extreme exponents are refused quickly.
func CheckAmount(field string, d decimal.Decimal) error {
	if d.Sign() == 0 {
		return nil
	}
	var verr gridgov.ValidationError
	if d.IsNegative() {
		verr.Add(field, "gte", fmt.Sprintf("%s must not be negative, not %s", field, safeDecimalString(d)),
			fmt.Sprintf("%s不能为负数（%s）", field, safeDecimalString(d)))
	}
	if !placesAtMost(d, 2) {
		verr.Add(field, "fen", fmt.Sprintf("%s must be whole fen (at most 2 decimal places), not %s", field, safeDecimalString(d)),
			fmt.Sprintf("%s必须精确到分（最多两位小数），而不是%s", field, safeDecimalString(d)))
	}
	if magnitude(d) > MaxYuanDigits {
		verr.Add(field, "max", fmt.Sprintf("%s must be less than 10^15 yuan (at most 999,999,999,999,999.99), not %s", field, safeDecimalString(d)),
			fmt.Sprintf("%s必须小于10^15元（最多999,999,999,999,999.99元），而不是%s", field, safeDecimalString(d)))
	}
	return verr.Err()
}
