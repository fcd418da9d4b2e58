package export

import (
	"bufio"
	"bytes"
	"encoding/json"
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

// A native JSONL line is written with its text escaped straight to the
// output, byte for byte what encoding/json writes, without the line held
// in memory (json.Encoder builds a whole line first).
func TestNativeTextStreams(t *testing.T) {
	odd := "قال \"الصفدي\" \\ <b>&\u2028\u2029\x00\x01\x1f\x7f\b\f\n\r\t 🔴 \xff\xc3 end"
	for _, s := range []string{"", "a", odd, strings.Repeat(odd, 40)} {
		var want bytes.Buffer
		newEncoder(&want).Encode(s)
		var got bytes.Buffer
		bw := bufio.NewWriter(&got)
		writeJSONString(bw, s)
		bw.WriteByte('\n')
		bw.Flush()
		if got.String() != want.String() {
			t.Fatalf("%q:\n got %s\nwant %s", s, got.String(), want.String())
		}
	}
	rec := annotate.Record{Doc: doc(`id "1"`, strings.Repeat("أيمن الصفدي\n", 4)+odd), Layers: []annotate.Layer{{Annotator: "salma", Spans: []annotate.Span{span(t, "أيمن الصفدي", "الصفدي", 0, "PERSON")}}}}
	line := func(limit int) string {
		defer func(old int) { streamText = old }(streamText)
		streamText = limit
		var b bytes.Buffer
		if _, err := nativeEncode(&b, slices.Values([]annotate.Record{rec}), Options{}); err != nil {
			t.Fatal(err)
		}
		return b.String()
	}
	if streamed, whole := line(0), line(1<<30); streamed != whole {
		t.Fatalf("streamed:\n%s\nwhole:\n%s", streamed, whole)
	}

	const size = 20 << 20
	big := annotate.Record{Doc: doc("big", strings.Repeat("قالَ وزيرُ الخارجية الأردني أيمن الصفدي \"إنّ\"\n", size/80))}
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	if _, err := nativeEncode(io.Discard, slices.Values([]annotate.Record{big}), Options{}); err != nil {
		t.Fatal(err)
	}
	runtime.ReadMemStats(&after)
	if alloc := after.TotalAlloc - before.TotalAlloc; alloc > size/8 {
		t.Errorf("native export of a %d MB document allocated %d MB", len(big.Doc.Text)>>20, alloc>>20)
	}
}

// Every JSON format writes a long text (and spaCy its tokens) straight to
// the output, byte for byte what encoding the whole line gives: spaCy's
// export of a 105 MB document peaked at 4 GB, doccano's at 780 MB and
// Label Studio's at 880 MB when each line was built in memory.
func TestJSONFormatsStreamLongTexts(t *testing.T) {
	odd := "قال \"الصفدي\" \\ <b>&\u2028\u2029\x01\x1f\x7f\b\f\r\t 🔴  عاجل\u00a0📍 العقبة\t\tend "
	text := "  أيمن الصفدي\n\n" + odd + "\n" + strings.Repeat("قال وزير الخارجية أيمن الصفدي \n", 3)
	d := doc("1", text)
	d.Meta = json.RawMessage(`{"x": 1, "tokens": [], "spans": [], "text": ""}`)
	p1, p2 := span(t, text, "أيمن الصفدي", 0, "PERSON"), span(t, text, "الصفدي", 0, "PERSON")
	c := span(t, text, "عاجل", 0, "CLAIM")
	part := annotate.Span{Start: p1.Start + 1, End: p1.Start + 3, Label: "CUE"} // inside a token: no token_start
	part.Text = string([]rune(text)[part.Start:part.End])
	rec := annotate.Record{Doc: d, Layers: []annotate.Layer{
		{Annotator: "salma", Spans: []annotate.Span{p1, p2, c, part}, Relations: []annotate.Relation{{Head: 2, Tail: 0, Label: "SOURCE"}}},
		{Annotator: "badr", Spans: []annotate.Span{p2}}}}
	for _, name := range []string{"jsonl", "doccano", "labelstudio", "spacy"} {
		f, err := Lookup(name)
		if err != nil {
			t.Fatal(err)
		}
		opts := Options{}
		if name != "labelstudio" && name != "jsonl" {
			opts.Annotator = "salma"
		}
		out := func(limit int) string {
			defer func(old int) { streamText = old }(streamText)
			streamText = limit
			var b bytes.Buffer
			if _, err := f.Encode(&b, slices.Values([]annotate.Record{rec, rec}), opts); err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			return b.String()
		}
		if streamed, whole := out(0), out(1<<30); streamed != whole {
			t.Fatalf("%s streamed:\n%s\nwhole:\n%s", name, streamed, whole)
		}
	}

	const size = 20 << 20
	bigText := strings.Repeat("قالَ وزيرُ الخارجية الأردني أيمن الصفدي \"إنّ\"\n", size/80)
	big := annotate.Record{Doc: doc("big", bigText), Layers: []annotate.Layer{{Annotator: "salma",
		Spans: []annotate.Span{span(t, bigText, "أيمن الصفدي", 0, "PERSON")}}}}
	for _, name := range []string{"doccano", "labelstudio", "spacy"} {
		f, _ := Lookup(name)
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		if _, err := f.Encode(io.Discard, slices.Values([]annotate.Record{big}), Options{}); err != nil {
			t.Fatal(err)
		}
		runtime.ReadMemStats(&after)
		if alloc := after.TotalAlloc - before.TotalAlloc; alloc > size/8 {
			t.Errorf("%s export of a %d MB document allocated %d MB", name, len(bigText)>>20, alloc>>20)
		}
	}
}
