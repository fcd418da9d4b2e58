package match

import (
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"

	"tawsim/annotate"
	"tawsim/assets"
)

// covered is the text of each match of query in text.
func covered(t *testing.T, query, text string) []string {
	t.Helper()
	m, err := Compile(query)
	if err != nil {
		t.Fatal(err)
	}
	runes := []rune(text)
	var out []string
	for _, x := range m.All(nil, text) {
		if got := x.Text(text); got != string(runes[x.Start:x.End]) {
			t.Errorf("%q in %q: Text %q at %v", query, text, got, x)
		}
		out = append(out, string(runes[x.Start:x.End]))
	}
	return out
}

func TestForms(t *testing.T) {
	cases := []struct {
		query, text string
		want        []string // the covered texts, in order
	}{
		{"الأردن", "الأردن", []string{"الأردن"}},
		{"الأردن", "والأردن", []string{"الأردن"}},
		{"الأردن", "فالأردن", []string{"الأردن"}},
		{"الأردن", "بالأردن", []string{"الأردن"}},
		{"الأردن", "كالأردن", []string{"الأردن"}},
		{"الأردن", "وبالأردن", []string{"الأردن"}},
		{"الأردن", "للأردن", []string{"لأردن"}},
		{"الأردن", "وللأردن", []string{"لأردن"}},
		{"الأردن", "الاردن", []string{"الاردن"}},
		{"الاردن", "الأردن", []string{"الأردن"}},
		{"الأردن", "الأُردن", []string{"الأُردن"}}, // harakat
		{"الأُردن", "الأردن", []string{"الأردن"}},
		{"الأردن", "وَالأردن", []string{"الأردن"}}, // the clitic's haraka goes with it
		{"الأردن", "الـأردن", []string{"الـأردن"}}, // tatweel
		{"الأردن", "الأردنّ", []string{"الأردنّ"}},
		{"الأردن", "الأردنية", nil}, // suffixes stay
		{"الأردن", "الأردني", nil},
		{"الأردن", "سالأردن", nil},
		{"الأردن", "تركيا والأردن وسوريا", []string{"الأردن"}},
		{"الأردن", "الأردن، الأردن.", []string{"الأردن", "الأردن"}},
		{"آسيا", "اسيا", []string{"اسيا"}},
		{"إسرائيل", "اسرائيل", []string{"اسرائيل"}},
		{"ٱلله", "الله", []string{"الله"}},
		{"مصطفى", "مصطفي", []string{"مصطفي"}}, // ى/ي
		{"مصطفي", "مصطفى", []string{"مصطفى"}},
		{"القاهرة", "القاهره", []string{"القاهره"}}, // ة/ه
		{"nato", "NATO, Nato and nato", []string{"NATO", "Nato", "nato"}},
		{"Élysée", "élysée", []string{"élysée"}},
		{"2024", "عام ٢٠٢٤ و۲۰۲۴ و2024", []string{"٢٠٢٤", "۲۰۲۴", "2024"}},
		{"الأمم المتحدة", "للأمم المتحدة", []string{"لأمم المتحدة"}},
		{"الأمم", "للأمم", []string{"لأمم"}},
		{"أيمن الصفدي", "التقى أيمن\nالصفدي أمس", []string{"أيمن\nالصفدي"}},
		{"أيمن الصفدي", "وأيمن  الصفدي", []string{"أيمن  الصفدي"}},
		{"أيمن الصفدي", "أيمن والصفدي", nil}, // proclitics on the first word only
		{"أيمن الصفدي", "أيمن، الصفدي", nil}, // white space only between the words
		{"أيمن الصفدي", "أيمن الصفديين", nil},
		{"أيمن، الصفدي!", "أيمن الصفدي", []string{"أيمن الصفدي"}},
		{"أيمن الصفدي", "أيمن أيمن الصفدي", []string{"أيمن الصفدي"}},
		{"ab ab", "ab ab ab ab", []string{"ab ab", "ab ab"}}, // no overlaps
	}
	for _, c := range cases {
		if got := covered(t, c.query, c.text); !reflect.DeepEqual(got, c.want) {
			t.Errorf("%q in %q: %q, want %q", c.query, c.text, got, c.want)
		}
	}
}

func TestSpanIsTheCliticStrip(t *testing.T) {
	// The match starts where StripClitics cuts the word.
	for _, w := range []string{"والأردن", "بالأردن", "للأردن", "وللأردن", "وَبِالأردن"} {
		m, _ := Compile("الأردن")
		got := m.All(nil, "في "+w)
		cut := annotate.StripClitics([]rune(w), annotate.CliticOptions{})
		if len(got) != 1 || got[0].Start != 3+cut || got[0].End != 3+len([]rune(w)) {
			t.Errorf("%s: %v, want [%d,%d)", w, got, 3+cut, 3+len([]rune(w)))
		}
	}
}

func TestWhole(t *testing.T) {
	m, _ := Compile("أيمن الصفدي")
	for text, want := range map[string]bool{
		"أيمن الصفدي": true, "وأيمن\nالصفدي": true, "أيمن": false, "الصفدي": false,
		"أيمن الصفدي الوزير": false, "السيد أيمن الصفدي": false, "أيمن، الصفدي": false,
	} {
		if got := m.Whole(text); got != want {
			t.Errorf("Whole(%q) = %v", text, got)
		}
	}
	if _, err := Compile(" ،. "); err != ErrNoWords {
		t.Fatalf("a query without words: %v", err)
	}
}

func TestNormalize(t *testing.T) {
	if got := Normalize("الأُردـنّ ٢٠ Éى ة"); got != "الاردن 20 éي ه" {
		t.Fatalf("Normalize = %q", got)
	}
}

// corpus is the sample articles, one after the other.
func corpus(tb testing.TB) string {
	var b strings.Builder
	for _, f := range assets.SampleCorpus() {
		b.Write(f.Data)
	}
	if b.Len() == 0 {
		tb.Fatal("no sample corpus")
	}
	return b.String()
}

func TestFindAllocatesNothing(t *testing.T) {
	text := corpus(t)
	for _, q := range []string{"الأردن", "أيمن الصفدي", "الأمم المتحدة"} {
		m, _ := Compile(q)
		m.Find(text, func(Match) bool { return true }) // grow the buffers
		if n := testing.AllocsPerRun(10, func() { m.Find(text, func(Match) bool { return true }) }); n != 0 {
			t.Errorf("%s: %v allocations per scan", q, n)
		}
	}
}

func BenchmarkFind(b *testing.B) {
	text := corpus(b)
	m, _ := Compile("الأردن")
	b.SetBytes(int64(len(text)))
	for b.Loop() {
		m.Find(text, func(Match) bool { return true })
	}
}

// reference finds m's matches in text the slow way: every run of words,
// read from the start, checked as Whole checks a span.
func reference(m *Matcher, text string) []Match {
	var ws []word
	for it := (words{s: text}); ; {
		w, ok := it.next()
		if !ok {
			break
		}
		ws = append(ws, w)
	}
	var out []Match
	after := 0
	for i := 0; i+len(m.words) <= len(ws); i++ {
		run := ws[i : i+len(m.words)]
		cut, ok := m.first(text[run[0].b:run[0].e])
		for k := 1; ok && k < len(run); k++ {
			ok = run[k].spaced && equal(text[run[k].b:run[k].e], m.words[k])
		}
		if !ok || run[0].b < after {
			continue
		}
		start := utf8.RuneCountInString(text[:run[0].b]) + cut
		e := run[len(run)-1].e
		out = append(out, Match{Start: start, End: utf8.RuneCountInString(text[:e])})
		after = e
	}
	return out
}

// TestFindAgreesWithReference compares Find's byte search with the slow
// reading on random texts of names with clitics, marks and punctuation.
func TestFindAgreesWithReference(t *testing.T) {
	pieces := []string{"الأردن", "والأردن", "للأردن", "الاردن", "الأردنية", "أيمن", "الصفدي", "وأيمن", "الأُردن", "الـأردن", "NATO", "nato", "٢٠٢٤", "2024",
		"الأمم", "للأمم", "المتحدة", "مصطفى", "مصطفي", "ن", "ا", " ", " ", "\n", "، ", ".", "ً", "ـ", "x"}
	queries := []string{"الأردن", "أيمن الصفدي", "الأمم المتحدة", "nato", "2024", "مصطفي", "ن", "ا", "الأردن الأردن"}
	rng := rand.New(rand.NewPCG(1, 2))
	for range 3000 {
		var b strings.Builder
		for range rng.IntN(30) {
			b.WriteString(pieces[rng.IntN(len(pieces))])
		}
		text := b.String()
		for _, q := range queries {
			m, _ := Compile(q)
			var got []Match
			for _, x := range m.All(nil, text) {
				got = append(got, Match{Start: x.Start, End: x.End})
			}
			if want := reference(m, text); !reflect.DeepEqual(got, want) {
				t.Fatalf("%q in %q:\n got %v\nwant %v", q, text, got, want)
			}
		}
	}
}
