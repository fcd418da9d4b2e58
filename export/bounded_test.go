package export

import (
	"io"
	"runtime"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"tawsim/annotate"
)

// The token formats stream a document: exporting one of 20 MB allocates
// a small part of its text, not the tokens of it (held whole, the tokens
// of a 200 MB document peaked at 3.8 GB for conll and 4.7 GB for hf). What
// is allocated bounds what the export can add to the peak, without
// sampling it.
func TestTokenFormatsStream(t *testing.T) {
	const size = 20 << 20
	para := strings.Repeat("قالَ وزيرُ الخارجية الأردني أيمن الصفدي إنّ والأردن سيواصل جهوده مع مصر، وأضاف في مؤتمر صحفي عام 2024 أن الأمم المتحدة مطالبة بالتحرك.\n", 64)
	text := strings.Repeat(para, size/len(para))
	each := []annotate.Span{ // in reading order, as stored
		span(t, para, "الأردني أيمن", 0, "STATE"),
		span(t, para, "أيمن الصفدي", 0, "PERSON"),         // overlaps a longer one: dropped
		span(t, para, "الأمم المتحدة", 0, "ORGANIZATION"), // nests: wins
		span(t, para, "الأمم", 0, "ORGANIZATION"),
	}
	var spans []annotate.Span
	n, total := utf8.RuneCountInString(para), utf8.RuneCountInString(text)
	for off := 0; off < total; off += n {
		for _, sp := range each {
			sp.Start += off
			sp.End += off
			spans = append(spans, sp)
		}
	}
	recs := []annotate.Record{{Doc: doc("big", text), Layers: []annotate.Layer{{Annotator: "salma", Spans: spans}}}}
	for _, c := range []struct {
		name, format string
		opts         Options
	}{{"conll", "conll", Options{}}, {"conll bioes", "conll", Options{Scheme: "bioes"}}, {"hf", "hf", Options{}}} {
		f, _ := Lookup(c.format)
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		st, err := f.Encode(io.Discard, slices.Values(recs), c.opts)
		runtime.ReadMemStats(&after)
		if err != nil || st.Spans != len(spans)/2 || st.Dropped != len(spans)/2 {
			t.Fatalf("%s: %+v, %v", c.name, st, err)
		}
		alloc := after.TotalAlloc - before.TotalAlloc
		t.Logf("%s: %d KB allocated for a text of %d MB and %d spans", c.name, alloc>>10, len(text)>>20, len(spans))
		if alloc > size/8 {
			t.Errorf("%s allocated %d MB exporting a document of %d MB", c.name, alloc>>20, len(text)>>20)
		}
	}
}
