package postgres

import (
	"fmt"
	"reflect"
	"strconv"

	"github.com/shopspring/decimal"
)

// Decimals in documents (scores, points, amounts, areas and rates). A
// decimal.Decimal has no exported fields, so the codec writes it as a JSON string that
// holds it exactly, coefficient and exponent both: "123.50" for 12350×10⁻², so that money
// keeps its fen and a score its places; a decimal whose exponent is positive or below
// −maxFixedPlaces is written in scientific form ("5e-60", "12e3"), which keeps documents
// small whatever the exponent. Reading gives back the same coefficient and exponent
// (decimal.NewFromString's reading; the common case, at most 18 digits and no exponent,
// is read without its temporary strings).

var decimalType = reflect.TypeFor[decimal.Decimal]()

// maxFixedPlaces is the largest number of decimal places written in fixed form.
const maxFixedPlaces = 40

// appendDocDecimal appends the decimal v holds as a JSON string.
func appendDocDecimal(b []byte, v reflect.Value) []byte {
	var d decimal.Decimal
	if v.CanAddr() {
		d = *v.Addr().Interface().(*decimal.Decimal)
	} else {
		d = v.Interface().(decimal.Decimal)
	}
	b = append(b, '"')
	exp := d.Exponent()
	if exp > 0 || exp < -maxFixedPlaces {
		b = d.Coefficient().Append(b, 10)
		b = append(b, 'e')
		b = strconv.AppendInt(b, int64(exp), 10)
		return append(b, '"')
	}
	// The coefficient's digits, then the point moved in from the right.
	if d.NumDigits() <= 18 { // fits an int64: no big.Int copy
		b = strconv.AppendInt(b, d.CoefficientInt64(), 10)
	} else {
		b = d.Coefficient().Append(b, 10)
	}
	if places := int(-exp); places > 0 {
		start := len(b) - 1
		for start >= 0 && b[start] >= '0' && b[start] <= '9' {
			start--
		}
		start++ // the first digit
		if n := len(b) - start; n <= places {
			// 0.00ddd: zeros in front of the digits, so that one is left of the point.
			z := places - n + 1
			b = append(b, make([]byte, z)...)
			copy(b[start+z:], b[start:start+n])
			for i := range z {
				b[start+i] = '0'
			}
		}
		point := len(b) - places
		b = append(b, 0)
		copy(b[point+1:], b[point:])
		b[point] = '.'
	}
	return append(b, '"')
}

// setDocDecimal reads s into the decimal.Decimal v.
func setDocDecimal(v reflect.Value, s string) error {
	d, err := parseDocDecimal(s)
	if err != nil {
		return err
	}
	if v.CanAddr() {
		*v.Addr().Interface().(*decimal.Decimal) = d // no boxing
	} else {
		v.Set(reflect.ValueOf(d))
	}
	return nil
}

// parseDocDecimal reads a decimal appendDocDecimal wrote.
func parseDocDecimal(s string) (decimal.Decimal, error) {
	if coef, exp, ok := parseSmallDecimal(s); ok {
		return decimal.New(coef, exp), nil
	}
	d, err := decimal.NewFromString(s)
	if err != nil {
		return decimal.Decimal{}, fmt.Errorf("postgres: decoding a decimal: %w", err)
	}
	return d, nil
}

// parseSmallDecimal reads [-]digits[.digits] with at most 18 digits in all (so the
// coefficient fits an int64) as decimal.NewFromString would; ok is false for anything else.
func parseSmallDecimal(s string) (coef int64, exp int32, ok bool) {
	i, neg := 0, false
	if i < len(s) && s[i] == '-' {
		neg, i = true, i+1
	}
	digits, point := 0, -1
	for ; i < len(s); i++ {
		switch c := s[i]; {
		case c >= '0' && c <= '9':
			coef = coef*10 + int64(c-'0')
			digits++
		case c == '.' && point < 0 && digits > 0:
			point = digits
		default:
			return 0, 0, false
		}
	}
	if digits == 0 || digits > 18 || point == digits {
		return 0, 0, false
	}
	if neg {
		coef = -coef
	}
	if point >= 0 {
		exp = int32(point - digits)
	}
	return coef, exp, true
}
