package gridgov_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"log/slog"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gridgov/gridgov"
)

func TestPersonNameMasked(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name gridgov.PersonName
		want string
	}{
		{"", ""},
		{"   ", ""},
		{"张", "*"}, // a single character is masked whole
		{"张三", "张*"},
		{"张三丰", "张**"},
		{"欧阳娜娜", "欧***"},
		{" 李四 ", "李*"},
		{"王\u3000五", "王**"}, // an inner ideographic space is masked like any character
		{"\u3000王五\u3000", "王*"},
		{"A", "*"},
		{"Al", "A*"},
		{"Ann", "A**"},
		{"John Smith", "J*********"},
		{"Zoë Müller", "Z*********"},
		{"玛丽·居里", "玛****"},
		{"\xff\xfe", "\xff*"}, // invalid UTF-8 keeps its first byte and one star per byte
	}
	for _, tt := range tests {
		t.Run(string(tt.name), func(t *testing.T) {
			t.Parallel()
			assert.Equal(t, tt.want, tt.name.Masked())
			assert.Equal(t, tt.want, tt.name.String())
			assert.Equal(t, string(tt.name), tt.name.Reveal())
		})
	}
}

func TestPhoneMasked(t *testing.T) {
	t.Parallel()
	tests := []struct {
		phone gridgov.Phone
		want  string
	}{
		{"", ""},
		{"  ", ""},
		{"1", "*"},
		{"12", "**"},
		{"123", "*23"},
		{"12345", "***45"},
		{"1234567", "*****67"},
		{"12345678", "123*5678"},
		{"13812345678", "138****5678"},
		{" 13812345678 ", "138****5678"},
		{"+8613812345678", "+86*******5678"},
		{"+86 138 1234 5678", "+86**********5678"},
		{"0851-12345678", "085******5678"},
		{"１３８１２３４５６７８", "１３８****５６７８"}, // full-width digits count as characters
	}
	for _, tt := range tests {
		t.Run(string(tt.phone), func(t *testing.T) {
			t.Parallel()
			assert.Equal(t, tt.want, tt.phone.Masked())
			assert.Equal(t, tt.want, tt.phone.String())
			assert.Equal(t, string(tt.phone), tt.phone.Reveal())
		})
	}
}

type reporter struct {
	Name  gridgov.PersonName
	Phone gridgov.Phone
	Node  string
}

const (
	fullName  = "张三丰"
	fullPhone = "13812345678"
)

func sampleReporter() reporter {
	return reporter{Name: fullName, Phone: fullPhone, Node: "grid-7"}
}

func TestPersonalDataFmt(t *testing.T) {
	t.Parallel()
	r := sampleReporter()
	tests := []struct {
		format string
		arg    any
		want   string
	}{
		{"%v", r, "{张** 138****5678 grid-7}"},
		{"%+v", r, "{Name:张** Phone:138****5678 Node:grid-7}"},
		{"%v", &r, "&{张** 138****5678 grid-7}"},
		{"%+v", &r, "&{Name:张** Phone:138****5678 Node:grid-7}"},
		{"%#v", r, `gridgov_test.reporter{Name:"张**", Phone:"138****5678", Node:"grid-7"}`},
		{"%#v", r.Name, `"张**"`},
		{"%#v", r.Phone, `"138****5678"`},
		{"%s", r.Name, "张**"},
		{"%q", r.Name, `"张**"`},
		{"%v", r.Phone, "138****5678"},
		{"%s", r.Phone, "138****5678"},
		{"%q", r.Phone, `"138****5678"`},
		{"%v", []gridgov.PersonName{"张三", "李四"}, "[张* 李*]"},
		{"%v", map[string]gridgov.Phone{"home": fullPhone}, "map[home:138****5678]"},
		{"%d", r.Phone, "%!d(string=138****5678)"},
		{"%x", r.Phone, "3133382a2a2a2a35363738"},
		{"%10.3s|", r.Name, "       张**|"},
		{"%-6v|", r.Phone, "138****5678|"},
	}
	for _, tt := range tests {
		t.Run(tt.format+fmt.Sprintf("%T", tt.arg), func(t *testing.T) {
			t.Parallel()
			got := fmt.Sprintf(tt.format, tt.arg)
			assert.Equal(t, tt.want, got)
			assert.NotContains(t, got, fullName)
			assert.NotContains(t, got, fullPhone)
		})
	}
}

func TestPersonalDataSlog(t *testing.T) {
	t.Parallel()
	r := sampleReporter()
	for name, newHandler := range map[string]func(*bytes.Buffer) slog.Handler{
		"json": func(b *bytes.Buffer) slog.Handler { return slog.NewJSONHandler(b, nil) },
		"text": func(b *bytes.Buffer) slog.Handler { return slog.NewTextHandler(b, nil) },
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			var buf bytes.Buffer
			log := slog.New(newHandler(&buf))
			log.Info("complaint received",
				"name", r.Name,
				slog.Any("phone", r.Phone),
				slog.Group("reporter", "name", r.Name, "phone", r.Phone),
				"struct", r,
				"pointer", &r,
			)
			log.With("caller", r.Name).Info("again")
			out := buf.String()
			assert.NotContains(t, out, fullName)
			assert.NotContains(t, out, fullPhone)
			assert.Contains(t, out, "张**")
			assert.Contains(t, out, "138****5678")
		})
	}
}

func TestPersonalDataSlogJSONShape(t *testing.T) {
	t.Parallel()
	var buf bytes.Buffer
	r := sampleReporter()
	slog.New(slog.NewJSONHandler(&buf, nil)).Info("intake", "name", r.Name, "phone", r.Phone)
	var rec map[string]any
	require.NoError(t, json.Unmarshal(buf.Bytes(), &rec))
	assert.Equal(t, "张**", rec["name"])
	assert.Equal(t, "138****5678", rec["phone"])
}

func TestPersonalDataJSON(t *testing.T) {
	t.Parallel()
	r := sampleReporter()
	out, err := json.Marshal(r)
	require.NoError(t, err)
	assert.JSONEq(t, `{"Name":"张**","Phone":"138****5678","Node":"grid-7"}`, string(out))

	out, err = json.Marshal(&r)
	require.NoError(t, err)
	assert.NotContains(t, string(out), fullName)

	out, err = json.Marshal([]gridgov.Phone{"", "12", fullPhone})
	require.NoError(t, err)
	assert.Equal(t, `["","**","138****5678"]`, string(out))

	// Characters JSON must escape stay escaped after masking.
	out, err = json.Marshal(gridgov.PersonName(`"<x>`))
	require.NoError(t, err)
	assert.Equal(t, `"\"***"`, string(out))

	// Reveal is the only way to the full value.
	assert.Equal(t, fullName, r.Name.Reveal())
	assert.Equal(t, fullPhone, r.Phone.Reveal())
}
