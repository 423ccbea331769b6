package report

// Text is a label in English and Chinese (双语文本).
type Text struct {
	EN string `json:"en"`
	ZH string `json:"zh"`
}

// T returns the Text with the English en and the Chinese zh.
func T(en, zh string) Text { return Text{EN: en, ZH: zh} }

// In returns the text in lang ("zh" or "en"); a missing translation falls back to the other.
func (t Text) In(lang string) string {
	if lang == LangEN {
		if t.EN != "" {
			return t.EN
		}
		return t.ZH
	}
	if t.ZH != "" {
		return t.ZH
	}
	return t.EN
}
