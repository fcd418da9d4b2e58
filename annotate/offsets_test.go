package annotate

import (
	"strings"
	"testing"
	"unicode/utf16"
	"unicode/utf8"

	"tawsim/assets"
)

// TestOffsetsRoundTripSampleCorpus converts every offset of every sample
// article to bytes and UTF-16 and back.
func TestOffsetsRoundTripSampleCorpus(t *testing.T) {
	texts := []string{"", "abc", "😀a😀", "و😀الأردن\U0001F1F8\U0001F1FE"}
	for _, f := range assets.SampleCorpus() {
		s, err := NormalizeText(f.Data)
		if err != nil {
			t.Fatal(f.Name, err)
		}
		texts = append(texts, s, s+"🙂 emoji \u200e end")
	}
	for _, s := range texts {
		o := NewOffsets(s)
		runes := []rune(s)
		if o.Len() != len(runes) || o.ByteLen() != len(s) || o.UTF16Len() != len(utf16.Encode(runes)) {
			t.Fatalf("lengths %d/%d/%d for %q", o.Len(), o.ByteLen(), o.UTF16Len(), s)
		}
		for cp := 0; cp <= len(runes); cp++ {
			b, err := o.ToByte(cp)
			if err != nil || b != len(string(runes[:cp])) {
				t.Fatalf("ToByte(%d)=%d,%v", cp, b, err)
			}
			if back, err := o.FromByte(b); err != nil || back != cp {
				t.Fatalf("FromByte(%d)=%d,%v want %d", b, back, err, cp)
			}
			u, err := o.ToUTF16(cp)
			if err != nil || u != len(utf16.Encode(runes[:cp])) {
				t.Fatalf("ToUTF16(%d)=%d,%v", cp, u, err)
			}
			if back, err := o.FromUTF16(u); err != nil || back != cp {
				t.Fatalf("FromUTF16(%d)=%d,%v want %d", u, back, err, cp)
			}
			if cp < len(runes) && runes[cp] > 0xFFFF {
				if _, err := o.FromUTF16(u + 1); err == nil {
					t.Fatalf("FromUTF16(%d) inside a surrogate pair gave no error", u+1)
				}
			}
			if cp < len(runes) && utf8.RuneLen(runes[cp]) > 1 {
				if _, err := o.FromByte(b + 1); err == nil {
					t.Fatalf("FromByte(%d) inside a character gave no error", b+1)
				}
			}
		}
		if _, err := o.ToByte(len(runes) + 1); err == nil {
			t.Fatal("ToByte past the end gave no error")
		}
		if _, err := o.FromUTF16(-1); err == nil {
			t.Fatal("FromUTF16(-1) gave no error")
		}
	}
}

func TestSlice(t *testing.T) {
	s := "والأردن 😀 Türkiye"
	o := NewOffsets(s)
	got, err := o.Slice(s, 1, 7)
	if err != nil || got != "الأردن" {
		t.Fatalf("Slice = %q, %v", got, err)
	}
	if got, _ := o.Slice(s, 8, 9); got != "😀" {
		t.Fatalf("Slice emoji = %q", got)
	}
	if _, err := o.Slice(s, 5, 4); err == nil {
		t.Fatal("reversed range accepted")
	}
}

func TestNormalizeText(t *testing.T) {
	cases := []struct{ in, want string }{
		{"\uFEFFabc", "abc"},
		{"a\r\nb\rc\n", "a\nb\nc\n"},
		{"\uFEFF\uFEFFx", "\uFEFFx"}, // only one leading BOM is dropped
		{"a\u00a0b\u200fc  ", "a\u00a0b\u200fc  "},
		{"", ""},
	}
	for _, c := range cases {
		got, err := NormalizeText([]byte(c.in))
		if err != nil || got != c.want {
			t.Errorf("NormalizeText(%q) = %q, %v; want %q", c.in, got, err, c.want)
		}
	}
	_, err := NormalizeText([]byte("ok\nsecond \xff line"))
	if err == nil || !strings.Contains(err.Error(), "line 2") || !strings.Contains(err.Error(), "0xff") {
		t.Fatalf("invalid UTF-8 error = %v", err)
	}
}

func TestCheckSpan(t *testing.T) {
	text := []rune("في والأردن اليوم")
	sp := Span{Start: 4, End: 10, Label: "STATE"}
	if err := CheckSpan(text, &sp); err != nil || sp.Text != "الأردن" {
		t.Fatalf("CheckSpan = %v, text %q", err, sp.Text)
	}
	bad := Span{Start: 3, End: 10, Label: "STATE", Text: "الأردن"}
	if err := CheckSpan(text, &bad); err == nil {
		t.Fatal("mismatching text accepted")
	}
	for _, r := range [][2]int{{-1, 2}, {5, 5}, {6, 4}, {0, 17}} {
		sp := Span{Start: r[0], End: r[1], Label: "X"}
		if err := CheckSpan(text, &sp); err == nil {
			t.Fatalf("range %v accepted", r)
		}
	}
}

func TestTitle(t *testing.T) {
	cases := map[string]string{
		"أخبار سوريا\n\nفيدان يلتقي الصفدي والشيباني.. تعاون جديد\n": "فيدان يلتقي الصفدي والشيباني.. تعاون جديد",
		"\n  عنوان قصير  \n":     "عنوان قصير",
		"":                       "",
		strings.Repeat("ب", 130): strings.Repeat("ب", 120) + "…",
	}
	for in, want := range cases {
		if got := Title(in); got != want {
			t.Errorf("Title(%q) = %q, want %q", in, got, want)
		}
	}
}
