package evaluation_test

import (
	"strings"
	"testing"

	"github.com/shopspring/decimal"

	"github.com/gridgov/gridgov"
	"github.com/gridgov/gridgov/evaluation"
)

// FuzzScore feeds score input built from text — "evaluator indicator points" per line,
// plus survey counts and a record — to Score on the small scheme. Whatever the input,
// Score returns either ErrInvalid naming at least one field, or a scorecard whose lines add
// up to its base and whose score lies within [0, 100].
func FuzzScore(f *testing.F) {
	f.Add("a clean 8\na repair 6\nb clean 10\nb repair 10", int64(90), int64(10), "3")
	f.Add("a clean 10.5\nb repair -1", int64(-1), int64(0), "-2")
	f.Add("a clean 1e400\nz survey 3", int64(1), int64(1), "0.0000001")
	f.Add("a clean 1.000000\na clean 2\nb repair 0", int64(0), int64(0), "1E-7")
	f.Fuzz(func(t *testing.T, text string, satisfied, basic int64, record string) {
		in := evaluation.ScoreInput{Facts: evaluation.Facts{Survey: &evaluation.Survey{Satisfied: satisfied, Basic: basic}}}
		sheets := map[string]int{}
		for _, line := range strings.Split(text, "\n") {
			parts := strings.Fields(line)
			if len(parts) != 3 {
				continue
			}
			p, err := decimal.NewFromString(parts[2])
			if err != nil {
				continue
			}
			i, ok := sheets[parts[0]]
			if !ok {
				i = len(in.Sheets)
				sheets[parts[0]] = i
				in.Sheets = append(in.Sheets, evaluation.Sheet{Evaluator: parts[0]})
			}
			in.Sheets[i].Marks = append(in.Sheets[i].Marks, evaluation.Mark{Indicator: parts[1], Points: p})
		}
		if r, err := decimal.NewFromString(record); err == nil {
			in.Records = []evaluation.Record{{Kind: evaluation.Merit, Points: r, Reason: "fuzz"}}
		}
		card, err := evaluation.Score(smallScheme(), evaluation.CreditBands(), in)
		if err != nil {
			verr, ok := err.(*gridgov.ValidationError)
			if !ok || len(verr.Fields) == 0 {
				t.Fatalf("want a ValidationError naming fields, got %v", err)
			}
			return
		}
		sum := decimal.Zero
		for _, l := range card.Lines {
			sum = sum.Add(l.Contribution)
		}
		if !sum.Equal(card.Base) {
			t.Fatalf("lines %s != base %s", sum, card.Base)
		}
		if card.Score.Sign() < 0 || card.Score.GreaterThan(decimal.NewFromInt(100)) {
			t.Fatalf("score %s out of range", card.Score)
		}
	})
}
