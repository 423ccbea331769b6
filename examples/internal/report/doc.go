// Package report is the output machinery the example programs share (报表输出): the flags
// every program takes (-seed -scale -year -lang -format -out), bilingual labels, key-figure
// lists, tables written as aligned text, CSV or JSON, and charts written as SVG through
// gonum/plot.
//
// A program builds a [Report] — its key figures ([Figure]), its tables ([Table]) and its
// charts ([Chart]) — from the library's results, then calls [Report.Write] for standard
// output and, when -out is set, [Report.WriteFiles] for one file per table and per chart.
// Cells hold typed values (int, decimal.Decimal, string, [Text], …) and are formatted at
// the end, in the language the flags chose, so a JSON reader sees numbers and exact decimal
// strings while a reader of the text table sees aligned columns.
//
// The package is internal to the examples: it is presentation, not library API.
package report
