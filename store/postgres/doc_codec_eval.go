package postgres

import (
	"fmt"
	"reflect"
	"strconv"

	"github.com/shopspring/decimal"
)

// Decimals in documents (the scores, points and amounts of an evaluation cycle). A
// decimal.Decimal has no exported fields, so the codec writes it as a JSON string that
// holds it exactly, coefficient and exponent both: "123.50" for 12350×10⁻², so that money
// keeps its fen and a score its places; a decimal whose exponent is positive or below
// −maxFixedPlaces is written in scientific form ("5e-60", "12e3"), which keeps documents
// small whatever the exponent. decimal.NewFromString reads both forms back to the same
// coefficient and exponent.

var decimalType = reflect.TypeFor[decimal.Decimal]()

// maxFixedPlaces is the largest number of decimal places written in fixed form.
const maxFixedPlaces = 40

// appendDocDecimal appends d as a JSON string.
func appendDocDecimal(b []byte, d decimal.Decimal) []byte {
	b = append(b, '"')
	switch exp := d.Exponent(); {
	case exp < 0 && exp >= -maxFixedPlaces:
		b = append(b, d.StringFixed(-exp)...)
	case exp == 0:
		b = d.Coefficient().Append(b, 10)
	default:
		b = d.Coefficient().Append(b, 10)
		b = append(b, 'e')
		b = strconv.AppendInt(b, int64(exp), 10)
	}
	return append(b, '"')
}

// parseDocDecimal reads a decimal appendDocDecimal wrote.
func parseDocDecimal(s string) (decimal.Decimal, error) {
	d, err := decimal.NewFromString(s)
	if err != nil {
		return decimal.Decimal{}, fmt.Errorf("postgres: decoding a decimal: %w", err)
	}
	return d, nil
}
