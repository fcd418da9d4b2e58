package tokens

import (
	"reflect"
	"testing"
)

func texts(toks []Token) []string {
	var out []string
	for _, t := range toks {
		out = append(out, t.Text)
	}
	return out
}

func TestTokenize(t *testing.T) {
	cases := []struct {
		text string
		cuts []int
		want []string
	}{
		{"", nil, nil},
		{"   ", nil, nil},
		{"والأردن", nil, []string{"والأردن"}},
		{"والأردن", []int{1, 7}, []string{"و", "الأردن"}},
		{"قالَ الملكُ", nil, []string{"قالَ", "الملكُ"}},           // harakat stay in the word
		{"وزيـــر الخارجية", nil, []string{"وزيـــر", "الخارجية"}}, // tatweel joins
		{"عام 2024م، Reuters!", nil, []string{"عام", "2024م", "،", "Reuters", "!"}},
		{"a😀b", nil, []string{"a", "😀", "b"}},
		{"(x)", nil, []string{"(", "x", ")"}},
		{"١٢٣ ٤", nil, []string{"١٢٣", "٤"}},
	}
	for _, c := range cases {
		got := texts(Tokenize(nil, c.text, c.cuts))
		if !reflect.DeepEqual(got, c.want) {
			t.Errorf("Tokenize(%q, %v) = %q, want %q", c.text, c.cuts, got, c.want)
		}
	}
}

func TestOffsetsAndSentences(t *testing.T) {
	text := "قال: نعم. 😀 لا؟\nسطر ثانٍ"
	toks := Tokenize(nil, text, nil)
	r := []rune(text)
	for _, tk := range toks {
		if string(r[tk.Start:tk.End]) != tk.Text {
			t.Fatalf("token %q has offsets [%d,%d) covering %q", tk.Text, tk.Start, tk.End, string(r[tk.Start:tk.End]))
		}
	}
	var sents [][]string
	for _, s := range Sentences(toks) {
		sents = append(sents, texts(toks[s[0]:s[1]]))
	}
	want := [][]string{{"قال", ":", "نعم", "."}, {"😀", "لا", "؟"}, {"سطر", "ثانٍ"}}
	if !reflect.DeepEqual(sents, want) {
		t.Fatalf("sentences %q, want %q", sents, want)
	}
	if toks[0].WS || !toks[1].WS || toks[len(toks)-1].WS {
		t.Fatalf("ws flags wrong: %+v", toks)
	}
}

func TestLineEndEndsSentence(t *testing.T) {
	toks := Tokenize(nil, "a\nb\n\nc", nil)
	if len(Sentences(toks)) != 3 {
		t.Fatalf("want 3 sentences, got %+v", toks)
	}
}
