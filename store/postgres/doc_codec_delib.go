package postgres

import (
	"fmt"
	"reflect"
	"strconv"

	"github.com/shopspring/decimal"
)

// Decimals in documents (added with the deliberation store, whose items hold amounts,
// areas and rates). A decimal.Decimal keeps its value in unexported fields, which the
// reflective codec would otherwise skip (storing every decimal as {}), so the codec treats
// it as a value of its own: a JSON string holding the exact number with its scale —
// "6800.00", "-0.005", "0" — or, for a positive exponent or more than maxDocDecimalPlaces
// places, the coefficient and the exponent ("5e3", "1e-80"). Both read back with
// decimal.NewFromString as the same coefficient and exponent.

var decimalType = reflect.TypeFor[decimal.Decimal]()

// maxDocDecimalPlaces is the most decimal places written out in full; beyond it a
// decimal is written as coefficient e exponent, so that a tiny exponent cannot make a huge
// document.
const maxDocDecimalPlaces = 64

// appendDocDecimal appends d as a document string.
func appendDocDecimal(b []byte, d decimal.Decimal) []byte {
	b = append(b, '"')
	switch exp := d.Exponent(); {
	case exp == 0:
		b = d.Coefficient().Append(b, 10)
	case exp < 0 && exp >= -maxDocDecimalPlaces:
		b = append(b, d.StringFixed(-exp)...)
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
		return decimal.Decimal{}, fmt.Errorf("decoding a decimal: %w", err)
	}
	return d, nil
}
