package export

import (
	"bytes"
	"errors"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"tawsim/annotate"
)

// at returns the code-point range of the nth (0-based) occurrence of sub.
func at(t testing.TB, text, sub string, nth int) (int, int) {
	t.Helper()
	off := 0
	for {
		i := strings.Index(text[off:], sub)
		if i < 0 {
			t.Fatalf("%q not in text", sub)
		}
		if nth == 0 {
			s := utf8.RuneCountInString(text[:off+i])
			return s, s + utf8.RuneCountInString(sub)
		}
		nth--
		off += i + len(sub)
	}
}

func span(t testing.TB, text, sub string, nth int, label string) annotate.Span {
	s, e := at(t, text, sub, nth)
	return annotate.Span{Start: s, End: e, Label: label, Text: sub}
}

// arText covers clitics (والأردن), harakat, tatweel, digits, Latin, an emoji
// before a span, sentence punctuation and a line break.
const arText = "قالَ الملكُ عبدُالله إنّ والأردن بلدٌ آمن. 😀 التقى وزيـــر الخارجية في عمّان عام 2024 مع وكالة Reuters؟\nسطر ثانٍ!"

func doc(id, text string) annotate.Document {
	return annotate.Document{ID: id, Title: annotate.Title(text), Text: text}
}

// sampleRecords: one layer per record at most.
func sampleRecords(t testing.TB) []annotate.Record {
	claim := span(t, arText, "والأردن بلدٌ آمن", 0, "CLAIM")
	state := span(t, arText, "الأردن", 0, "STATE") // nested in CLAIM, inside والأردن
	person := span(t, arText, "عبدُالله", 0, "PERSON")
	minister := span(t, arText, "وزيـــر الخارجية", 0, "PERSON")
	reuters := span(t, arText, "Reuters", 0, "ORGANIZATION")
	amman := span(t, arText, "عمّان", 0, "STATE")
	year := span(t, arText, "2024", 0, "DATE")
	return []annotate.Record{
		{Doc: doc("ar-1", arText), Layers: []annotate.Layer{{Annotator: "salma",
			Spans:     []annotate.Span{person, claim, state, minister, amman, year, reuters},
			Relations: []annotate.Relation{{Head: 1, Tail: 0, Label: "SAID_BY"}}}}},
		{Doc: doc("empty", "")},
		{Doc: doc("no-spans", "نص بلا تسميات.\nسطر آخر")},
		{Doc: doc("latin/1", "Obama met Abbas in Ramallah."), Layers: []annotate.Layer{{Annotator: "salma",
			Spans: []annotate.Span{span(t, "Obama met Abbas in Ramallah.", "Obama", 0, "PERSON"), span(t, "Obama met Abbas in Ramallah.", "Ramallah", 0, "STATE")}}}},
	}
}

// exportBytes writes recs in format f to a temporary path and returns the
// bytes (for brat: the .txt/.ann contents concatenated; for hf: the JSONL
// plus labels.json).
func exportBytes(t *testing.T, f *Format, recs []annotate.Record, opts Options) ([]byte, string, Stats) {
	t.Helper()
	dir := t.TempDir()
	dest := filepath.Join(dir, "out"+f.Ext)
	if f.Name == "brat" {
		dest = filepath.Join(dir, "brat")
	}
	st, err := f.Write(dest, slices.Values(recs), opts)
	if err != nil {
		t.Fatalf("%s: export: %v", f.Name, err)
	}
	var all []byte
	switch f.Name {
	case "brat":
		ents, _ := os.ReadDir(dest)
		for _, e := range ents {
			b, _ := os.ReadFile(filepath.Join(dest, e.Name()))
			all = append(append(all, "== "+e.Name()+"\n"...), b...)
		}
	case "hf":
		b, _ := os.ReadFile(dest)
		l, err := os.ReadFile(filepath.Join(dir, LabelsFile))
		if err != nil {
			t.Fatal(err)
		}
		all = append(b, l...)
	default:
		all, _ = os.ReadFile(dest)
	}
	return all, dest, st
}

func TestRoundTripEveryFormat(t *testing.T) {
	for _, f := range Formats() {
		for _, opts := range []Options{{}, {Scheme: "bioes"}, {DoccanoRelations: true}} {
			if opts.Scheme != "" && !strings.HasPrefix(f.Name, "conll") && f.Name != "hf" || opts.DoccanoRelations && f.Name != "doccano" {
				continue
			}
			t.Run(f.Name+opts.Scheme, func(t *testing.T) {
				recs := sampleRecords(t)
				if f.Name == "conll-doccano" { // it cannot hold a document without tokens (TestCoNLLDoccano)
					recs = slices.DeleteFunc(recs, func(r annotate.Record) bool { return r.Doc.ID == "empty" })
				}
				first, dest, st := exportBytes(t, f, recs, opts)
				if st.Documents != len(recs) {
					t.Fatalf("stats %+v", st)
				}
				back, _, err := f.Read(dest)
				if err != nil {
					t.Fatalf("import of own export: %v", err)
				}
				if len(back) != len(recs) {
					t.Fatalf("%d records back, want %d", len(back), len(recs))
				}
				second, _, _ := exportBytes(t, f, back, opts)
				if !bytes.Equal(first, second) {
					t.Fatalf("export → import → export differs:\n%s\n----\n%s", first, second)
				}
				// The lossless formats keep every span, nested ones too.
				if f.Lossless {
					ar := findRec(t, back, "ar-1")
					if got := len(ar.Layers[0].Spans); got != 7 {
						t.Fatalf("lossless format kept %d of 7 spans", got)
					}
					if !(f.Name == "doccano" && !opts.DoccanoRelations) && (len(ar.Layers[0].Relations) != 1 || st.Relations != 1 || st.RelationsDropped != 0) {
						t.Fatalf("relation lost: %+v, stats %+v", ar.Layers[0], st)
					}
				} else if st.Dropped != 1 || st.Spans != 8 || st.RelationsDropped != 1 {
					t.Fatalf("BIO export should drop the nested STATE only, and count the relation it cannot hold: %+v", st)
				}
			})
		}
	}
}

func findRec(t testing.TB, recs []annotate.Record, id string) annotate.Record {
	t.Helper()
	for _, r := range recs {
		if r.Doc.ID == id {
			return r
		}
	}
	t.Fatalf("no record %q in %d", id, len(recs))
	return annotate.Record{}
}

func TestSpanTextsSurviveLosslessFormats(t *testing.T) {
	for _, name := range []string{"jsonl", "doccano", "labelstudio", "spacy", "brat"} {
		f, _ := Lookup(name)
		recs := sampleRecords(t)
		_, dest, _ := exportBytes(t, f, recs, Options{})
		back, _, err := f.Read(dest)
		if err != nil {
			t.Fatal(name, err)
		}
		got := findRec(t, back, "ar-1").Layers[0].Spans
		want := recs[0].Layers[0].Spans
		for i := range want {
			if got[i].Start != want[i].Start || got[i].End != want[i].End || got[i].Label != want[i].Label || got[i].Text != want[i].Text {
				t.Fatalf("%s: span %d = %+v, want %+v", name, i, got[i], want[i])
			}
		}
		if d := findRec(t, back, "empty"); d.Doc.Text != "" {
			t.Fatalf("%s: empty document came back as %q", name, d.Doc.Text)
		}
	}
}

func TestCoNLLClitcsAndTags(t *testing.T) {
	f, _ := Lookup("conll")
	var buf bytes.Buffer
	recs := sampleRecords(t)
	// Without the CLAIM, STATE on الأردن is kept and splits والأردن.
	recs[0].Layers[0].Spans = slices.Delete(recs[0].Layers[0].Spans, 1, 2)
	recs[0].Layers[0].Relations = nil
	st, err := f.Encode(&buf, slices.Values(recs), Options{})
	if err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	// Every document opens with the CoNLL-2003 line, which carries no id.
	if n := strings.Count(out, "-DOCSTART- -X- O O\n\n"); n != len(recs) || strings.Count(out, "-DOCSTART-") != n || !strings.HasPrefix(out, "-DOCSTART- -X- O O\n\nقالَ\tO\n") {
		t.Fatalf("CoNLL output has %d document lines for %d documents:\n%s", n, len(recs), out)
	}
	for _, want := range []string{
		"إنّ\tO\nو\tO\nالأردن\tB-STATE\nبلدٌ\tO\n",
		"وزيـــر\tB-PERSON\nالخارجية\tI-PERSON\n",
		"2024\tB-DATE\n",
		"آمن\tO\n.\tO\n\n😀\tO\n",
		"Reuters\tB-ORGANIZATION\n؟\tO\n\nسطر\tO\n",
		"-DOCSTART- -X- O O\n\n-DOCSTART- -X- O O\n\n", // the empty document
	} {
		if !strings.Contains(out, want) {
			t.Fatalf("CoNLL output lacks %q:\n%s", want, out)
		}
	}
	if st.Dropped != 0 || st.RelationsDropped != 0 {
		t.Fatalf("stats %+v", st)
	}
	buf.Reset()
	if _, err := f.Encode(&buf, slices.Values(recs), Options{Scheme: "bioes"}); err != nil {
		t.Fatal(err)
	}
	if out := buf.String(); !strings.Contains(out, "وزيـــر\tB-PERSON\nالخارجية\tE-PERSON\n") || !strings.Contains(out, "الأردن\tS-STATE\n") {
		t.Fatalf("BIOES output wrong:\n%s", out)
	}
}

func TestOverlapRule(t *testing.T) {
	text := "a b c d e"
	spans := []annotate.Span{
		{Start: 0, End: 3, Label: "X", Text: "a b"},
		{Start: 2, End: 7, Label: "LONG", Text: "b c d"},
		{Start: 6, End: 9, Label: "Y", Text: "d e"},
		{Start: 8, End: 9, Label: "Z", Text: "e"},
	}
	kept, dropped := resolveOverlaps(spans)
	if dropped != 2 || len(kept) != 2 || kept[0].Label != "LONG" || kept[1].Label != "Z" {
		t.Fatalf("kept %+v dropped %d", kept, dropped)
	}
	// Equal length: earliest start wins.
	kept, dropped = resolveOverlaps([]annotate.Span{{Start: 2, End: 5, Label: "B"}, {Start: 0, End: 3, Label: "A"}})
	if dropped != 1 || kept[0].Label != "A" {
		t.Fatalf("kept %+v", kept)
	}
	_ = text
}

func TestLabelStudioCodePoints(t *testing.T) {
	f, _ := Lookup("labelstudio")
	recs := sampleRecords(t)
	// Two annotators on one record: two annotations.
	second := annotate.Layer{Annotator: "omar", Spans: []annotate.Span{span(t, arText, "Reuters", 0, "ORGANIZATION")}}
	recs[0].Layers = append(recs[0].Layers, second)
	var buf bytes.Buffer
	st, err := f.Encode(&buf, slices.Values(recs), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if st.Spans != 10 {
		t.Fatalf("stats %+v", st)
	}
	s, e := at(t, arText, "Reuters", 0)
	// One astral character (😀) precedes Reuters: code points, as Label
	// Studio counts them, not UTF-16 units (which would be one more).
	want := `"value":{"start":` + itoa(s) + `,"end":` + itoa(e) + `,"text":"Reuters"`
	if !strings.Contains(buf.String(), want) {
		t.Fatalf("Label Studio output lacks %s:\n%s", want, buf.String())
	}
	// Spans before the emoji keep their code-point offsets.
	ps, pe := at(t, arText, "عبدُالله", 0)
	if !strings.Contains(buf.String(), `"value":{"start":`+itoa(ps)+`,"end":`+itoa(pe)+`,`) {
		t.Fatal("span before the emoji moved")
	}
	back, _, err := f.Decode(bytes.NewReader(buf.Bytes()), "ls.json")
	if err != nil {
		t.Fatal(err)
	}
	ar := back[0]
	if len(ar.Layers) != 2 || ar.Layers[0].Annotator != "salma" || ar.Layers[1].Annotator != "omar" {
		t.Fatalf("layers %+v", ar.Layers)
	}
	if sp := ar.Layers[1].Spans[0]; sp.Start != s || sp.End != e || sp.Text != "Reuters" {
		t.Fatalf("span back %+v want [%d,%d)", sp, s, e)
	}
	// Choosing one annotator writes one annotation.
	buf.Reset()
	if st, err := f.Encode(&buf, slices.Values(recs), Options{Annotator: "omar"}); err != nil || st.Spans != 1 {
		t.Fatalf("%+v %v", st, err)
	}
}

func itoa(n int) string { return string(appendInt(nil, n)) }

func TestWritersRefuseInconsistentSpans(t *testing.T) {
	for _, f := range Formats() {
		recs := sampleRecords(t)
		recs[0].Layers[0].Spans[0].Text = "غلط"
		dir := t.TempDir()
		dest := filepath.Join(dir, "out")
		_, err := f.Write(dest, slices.Values(recs), Options{})
		if err == nil || !strings.Contains(err.Error(), "export stopped") {
			t.Fatalf("%s: wrong span written, err=%v", f.Name, err)
		}
		if ents, _ := os.ReadDir(dir); len(ents) != 0 {
			t.Fatalf("%s: failed export left %v behind", f.Name, ents)
		}
		recs = sampleRecords(t)
		recs[0].Layers[0].Spans[0].End = 10000
		if _, err := f.Write(dest, slices.Values(recs), Options{}); err == nil {
			t.Fatalf("%s: span outside the text written", f.Name)
		}
	}
}

func TestSeveralLayersNeedAChoice(t *testing.T) {
	recs := sampleRecords(t)
	recs[0].Layers = append(recs[0].Layers, annotate.Layer{Annotator: "omar"})
	for _, name := range []string{"doccano", "spacy", "conll", "hf", "brat"} {
		f, _ := Lookup(name)
		if _, err := f.Write(filepath.Join(t.TempDir(), "x"), slices.Values(recs), Options{}); err == nil || !strings.Contains(err.Error(), "choose one annotator") {
			t.Fatalf("%s: err %v", name, err)
		}
		if st, err := f.Write(filepath.Join(t.TempDir(), "x"), slices.Values(recs), Options{Annotator: "omar"}); err != nil || st.Spans != 0 || st.Documents != 4 {
			t.Fatalf("%s: %+v %v", name, st, err)
		}
	}
}

func TestStdoutRefusedForFolders(t *testing.T) {
	for _, name := range []string{"brat", "hf"} {
		f, _ := Lookup(name)
		if !f.Folder {
			t.Fatal(name, "not marked Folder")
		}
		if _, err := f.Write("-", slices.Values(sampleRecords(t)), Options{}); err == nil {
			t.Fatal(name, "wrote to stdout")
		}
	}
}

// --- fixtures from each ecosystem's documentation ---

func spansOf(r annotate.Record) []string {
	var out []string
	if len(r.Layers) == 0 {
		return nil
	}
	for _, s := range r.Layers[0].Spans {
		out = append(out, s.Label+":"+s.Text)
	}
	return out
}

func mustRead(t *testing.T, name, path string) ([]annotate.Record, []string) {
	t.Helper()
	f, err := Lookup(name)
	if err != nil {
		t.Fatal(err)
	}
	recs, warns, err := f.Read(path)
	if err != nil {
		t.Fatal(err)
	}
	return recs, warns
}

// reexport writes recs and reads them back with the same format.
func reexport(t *testing.T, name string, recs []annotate.Record) []annotate.Record {
	t.Helper()
	f, _ := Lookup(name)
	_, dest, _ := exportBytes(t, f, recs, Options{DoccanoRelations: name == "doccano"})
	back, _, err := f.Read(dest)
	if err != nil {
		t.Fatal(err)
	}
	return back
}

func sameData(t *testing.T, a, b []annotate.Record) {
	t.Helper()
	if len(a) != len(b) {
		t.Fatalf("%d records vs %d", len(a), len(b))
	}
	for i := range a {
		if a[i].Doc.Text != b[i].Doc.Text || !reflect.DeepEqual(spansOf(a[i]), spansOf(b[i])) {
			t.Fatalf("record %d differs: %q %v vs %q %v", i, a[i].Doc.Text, spansOf(a[i]), b[i].Doc.Text, spansOf(b[i]))
		}
		if len(a[i].Layers) > 0 && !reflect.DeepEqual(a[i].Layers[0].Relations, b[i].Layers[0].Relations) {
			t.Fatalf("record %d relations differ", i)
		}
	}
}

func TestDoccanoFixture(t *testing.T) {
	recs, _ := mustRead(t, "doccano", "testdata/doccano.jsonl")
	if len(recs) != 4 || recs[0].Doc.ID != "doccano.jsonl:1" || recs[3].Doc.ID != "7" {
		t.Fatalf("ids: %+v", recs)
	}
	if got := spansOf(recs[0]); !reflect.DeepEqual(got, []string{"ORG:EU", "MISC:German", "MISC:British"}) {
		t.Fatal(got)
	}
	if got := spansOf(recs[2]); !reflect.DeepEqual(got, []string{"PERSON:Obama"}) {
		t.Fatal(got)
	}
	g := recs[3].Layers[0]
	if !reflect.DeepEqual(spansOf(recs[3]), []string{"ORG:Google", "DATE:September 4, 1998", "PERSON:Larry Page", "PERSON:Sergey Brin"}) ||
		!reflect.DeepEqual(g.Relations, []annotate.Relation{{Head: 0, Tail: 1, Label: "foundedAt"}, {Head: 0, Tail: 2, Label: "foundedBy"}, {Head: 0, Tail: 3, Label: "foundedBy"}}) {
		t.Fatalf("%+v", g)
	}
	sameData(t, recs, reexport(t, "doccano", recs))
}

func TestLabelStudioFixture(t *testing.T) {
	recs, warns := mustRead(t, "labelstudio", "testdata/labelstudio.json")
	if len(recs) != 2 || recs[0].Doc.ID != "1" || recs[0].Line != 2 {
		t.Fatalf("%+v", recs)
	}
	if got := spansOf(recs[0]); !reflect.DeepEqual(got, []string{"Animal:Opossums", "Plant:trees"}) || recs[0].Layers[0].Annotator != "1" ||
		!reflect.DeepEqual(recs[0].Layers[0].Relations, []annotate.Relation{{Head: 0, Tail: 1, Label: "lives_in"}}) {
		t.Fatalf("%+v", recs[0])
	}
	r := recs[1]
	if len(r.Layers) != 2 || r.Layers[0].Annotator != "salma@example.org" || r.Layers[1].Annotator != "4" {
		t.Fatalf("%+v", r.Layers)
	}
	s, _ := at(t, r.Doc.Text, "Reuters", 0)
	if sp := r.Layers[0].Spans[0]; sp.Start != s || sp.Text != "Reuters" {
		t.Fatalf("%+v (want start %d)", sp, s)
	}
	if len(warns) != 1 || !strings.Contains(warns[0], `"choices"`) {
		t.Fatalf("warnings %q", warns)
	}
	back := reexport(t, "labelstudio", recs)
	sameData(t, recs, back)
	if len(back[1].Layers) != 2 || back[1].Layers[1].Annotator != "4" {
		t.Fatalf("%+v", back[1].Layers)
	}
}

// Label Studio's own emoji case (its frontend test "Should calculate
// offsets by code points in text"): "test" starts at 21, not 22.
func TestLabelStudioEmojiTask(t *testing.T) {
	f, _ := Lookup("labelstudio")
	task := `[{"id":7,"data":{"text":"🐱 Warning: This is a test text"},"annotations":[{"completed_by":1,"result":[` +
		`{"id":"e1","from_name":"label","to_name":"text","type":"labels","value":{"start":21,"end":25,"text":"test","labels":["Word"]}}]}]}]`
	recs, warns, err := f.Decode(strings.NewReader(task), "ls.json")
	if err != nil || len(warns) != 0 {
		t.Fatalf("%v %q", err, warns)
	}
	if sp := recs[0].Layers[0].Spans[0]; sp.Start != 21 || sp.End != 25 || sp.Text != "test" {
		t.Fatalf("%+v", sp)
	}
	// Without value.text the offsets are code points too.
	noText := strings.Replace(task, `"text":"test",`, "", 1)
	if recs, _, err = f.Decode(strings.NewReader(noText), "ls.json"); err != nil || recs[0].Layers[0].Spans[0].Text != "test" {
		t.Fatalf("%v %+v", err, recs)
	}
	var buf bytes.Buffer
	if _, err := f.Encode(&buf, slices.Values(recs), Options{}); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(buf.String(), `"value":{"start":21,"end":25,"text":"test"`) {
		t.Fatalf("%s", buf.String())
	}
}

// An older export (UTF-16 units) reads to the same spans, with a warning.
func TestLabelStudioOlderUTF16(t *testing.T) {
	want, _ := mustRead(t, "labelstudio", "testdata/labelstudio.json")
	recs, warns := mustRead(t, "labelstudio", "testdata/labelstudio-utf16.json")
	sameData(t, want, recs)
	if len(warns) != 2 || !strings.Contains(warns[0], `labelstudio-utf16.json:66: document "2": offsets count UTF-16 units`) {
		t.Fatalf("warnings %q", warns)
	}
}

func TestProdigyFixture(t *testing.T) {
	recs, warns := mustRead(t, "spacy", "testdata/prodigy.jsonl")
	if len(recs) != 1 || len(warns) != 1 || !strings.Contains(warns[0], "prodigy.jsonl:2") {
		t.Fatalf("%+v %q", recs, warns)
	}
	if recs[0].Doc.ID != "prodigy.jsonl:1" || !reflect.DeepEqual(spansOf(recs[0]), []string{"ORG:Apple"}) {
		t.Fatalf("%+v", recs[0])
	}
	// Our tokens for this text are the fixture's tokens.
	var buf bytes.Buffer
	f, _ := Lookup("spacy")
	if _, err := f.Encode(&buf, slices.Values(recs), Options{}); err != nil {
		t.Fatal(err)
	}
	fix, _ := os.ReadFile("testdata/prodigy.jsonl")
	wantToks := fix[bytes.Index(fix, []byte(`"tokens": [`))+len(`"tokens": [`):]
	wantToks = wantToks[:bytes.IndexByte(wantToks, ']')]
	gotToks := buf.Bytes()[bytes.Index(buf.Bytes(), []byte(`"tokens":[`))+len(`"tokens":[`):]
	gotToks = gotToks[:bytes.IndexByte(gotToks, ']')]
	if string(bytes.ReplaceAll(wantToks, []byte(" "), nil)) != string(gotToks) {
		t.Fatalf("tokens\n%s\nwant\n%s", gotToks, wantToks)
	}
	if !strings.Contains(buf.String(), `"spans":[{"start":0,"end":5,"label":"ORG","token_start":0,"token_end":0}]`) {
		t.Fatal(buf.String())
	}
	sameData(t, recs, reexport(t, "spacy", recs))
}

func TestCoNLL2003Fixture(t *testing.T) {
	recs, warns := mustRead(t, "conll", "testdata/conll2003.txt")
	if len(recs) != 2 || recs[0].Doc.ID != "conll2003.txt:1" || recs[1].Doc.ID != "conll2003.txt:16" {
		t.Fatalf("%+v", recs)
	}
	if recs[0].Doc.Text != "EU rejects German call to boycott British lamb .\nPeter Blackburn" {
		t.Fatalf("%q", recs[0].Doc.Text)
	}
	if got := spansOf(recs[0]); !reflect.DeepEqual(got, []string{"ORG:EU", "MISC:German", "MISC:British", "PER:Peter Blackburn"}) {
		t.Fatal(got)
	}
	if got := spansOf(recs[1]); !reflect.DeepEqual(got, []string{"LOC:BRUSSELS"}) {
		t.Fatal(got)
	}
	// IOB1: every I- that opens a chunk is reported, naming file and line.
	if len(warns) != 5 || !strings.HasPrefix(warns[0], "testdata/conll2003.txt:3: I-ORG without a preceding B-ORG") {
		t.Fatalf("%q", warns)
	}
	// Tokens with inner punctuation are split by Tawsim's tokenizer on the
	// way out, so the dates come back spaced; the spans are the same.
	back := reexport(t, "conll", recs)
	if back[1].Doc.Text != "BRUSSELS 1996 - 08 - 22" || !reflect.DeepEqual(spansOf(back[1]), spansOf(recs[1])) {
		t.Fatalf("%q %v", back[1].Doc.Text, spansOf(back[1]))
	}
	sameData(t, recs[:1], back[:1])
	// Our export of it is IOB2.
	var buf bytes.Buffer
	f, _ := Lookup("conll")
	f.Encode(&buf, slices.Values(recs[:1]), Options{})
	if !strings.Contains(buf.String(), "EU\tB-ORG\n") || !strings.Contains(buf.String(), "Peter\tB-PER\nBlackburn\tI-PER\n") {
		t.Fatal(buf.String())
	}
}

func TestHFFixture(t *testing.T) {
	recs, warns := mustRead(t, "hf", "testdata/hf/train.jsonl")
	if len(recs) != 2 || len(warns) != 0 || recs[0].Doc.ID != "0" {
		t.Fatalf("%+v %q", recs, warns)
	}
	if got := spansOf(recs[0]); !reflect.DeepEqual(got, []string{"ORG:EU", "MISC:German", "MISC:British"}) {
		t.Fatal(got)
	}
	if got := spansOf(recs[1]); !reflect.DeepEqual(got, []string{"PER:Peter Blackburn"}) {
		t.Fatal(got)
	}
	sameData(t, recs, reexport(t, "hf", recs))
	f, _ := Lookup("hf")
	dir := t.TempDir()
	if _, err := f.Write(dir, slices.Values(recs), Options{Labels: []string{"PER", "ORG", "LOC", "MISC"}}); err != nil {
		t.Fatal(err)
	}
	l, _ := os.ReadFile(filepath.Join(dir, LabelsFile))
	var want = `["O","B-PER","I-PER","B-ORG","I-ORG","B-LOC","I-LOC","B-MISC","I-MISC"]`
	if got := strings.Join(strings.Fields(string(l)), ""); got != want {
		t.Fatalf("labels.json %s", l)
	}
	if _, err := os.Stat(filepath.Join(dir, "data.jsonl")); err != nil {
		t.Fatal(err)
	}
}

func TestBratFixture(t *testing.T) {
	recs, warns := mustRead(t, "brat", "testdata/brat")
	if len(recs) != 1 || recs[0].Doc.ID != "news-1" {
		t.Fatalf("%+v", recs)
	}
	l := recs[0].Layers[0]
	if got := spansOf(recs[0]); !reflect.DeepEqual(got, []string{"Organization:Sony", "Organization:Ericsson", "Country:Sweden", "MERGE-ORG:joint venture", "Location:North", "Location:America"}) {
		t.Fatal(got)
	}
	if !reflect.DeepEqual(l.Relations, []annotate.Relation{{Head: 1, Tail: 2, Label: "Origin"}}) {
		t.Fatalf("%+v", l.Relations)
	}
	joined := strings.Join(warns, "\n")
	if !strings.Contains(joined, "news-1.ann:7: T5 Location is discontinuous") || !strings.Contains(joined, `"E" annotations skipped`) || !strings.Contains(joined, `"#" annotations skipped`) {
		t.Fatalf("%q", warns)
	}
	sameData(t, recs, reexport(t, "brat", recs))
}

func TestBratFileNames(t *testing.T) {
	for _, id := range []string{"a/b", "..x", "100%", "خبر:1", "C:\\x"} {
		if got := idFromStem(fileStem(id)); got != id || strings.ContainsAny(fileStem(id), `/\:`) {
			t.Fatalf("%q → %q → %q", id, fileStem(id), got)
		}
	}
}

// --- reader errors ---

func TestReaderErrors(t *testing.T) {
	bad := []struct{ format, data, want string }{
		{"doccano", "{\"text\":\"abc\",\"label\":[[0,9,\"X\"]]}\n", "x:1: document \"x:1\": span 0"},
		{"doccano", "\n{\"text\":\"abc\",\"label\":[[0,2,\"X\"]]}\n{\"text\":\"a\xffb\"}\n", "x:3: invalid UTF-8"},
		{"doccano", `{"text":"abc","label":["POS"]}`, "x:1: document \"x:1\": label 0 is not [start, end, \"LABEL\"]"},
		{"labelstudio", "[\n{\"data\":{\"text\":\"a😀b\"},\"annotations\":[{\"result\":[{\"id\":\"x\",\"type\":\"labels\",\"value\":{\"start\":1,\"end\":4,\"labels\":[\"E\"]}}]}]}\n]", "x:2: annotation 1: document \"x:2\": span 0"},
		{"labelstudio", "[\n{\"data\":{\"text\":\"ab\"}},\n{\"data\":{\"text\":\"ab\"},\"annotations\":[{\"result\":[{\"type\":\"labels\",\"value\":{\"start\":0,\"end\":1,\"text\":\"b\",\"labels\":[\"E\"]}}]}]}\n]", "x:3: annotation 1: document \"x:3\": span 0"},
		{"labelstudio", `{"data":{}}`, "x:1: not a Label Studio export"},
		{"spacy", `{"text":"ab","tokens":[{"text":"b","start":0,"end":1}],"spans":[]}`, "x:1: document \"x:1\": token 0 \"b\" [0,1) does not match the text"},
		{"hf", `{"tokens":["a","b"],"ner_tags":["O"]}`, "x:1: document \"x:1\": 2 tokens but 1 ner_tags"},
		{"hf", `{"tokens":["a"],"ner_tags":["Q-X"]}`, "has an unknown prefix"},
		{"hf", `{"tokens":["a"],"ner_tags":[3]}`, "there is no labels.json"},
		{"conll", "-DOCSTART- d\n\na\tO\nb\n", "x:4: expected TOKEN<TAB>TAG"},
		{"conll", "a\tB-X\nb\tB-\xff\n", "x:2: invalid UTF-8"},
		{"jsonl", `{"id":"a","text":"ab","spans":[{"start":0,"end":3,"label":"X"}]}`, "x:1:"},
	}
	for _, c := range bad {
		f, _ := Lookup(c.format)
		recs, _, err := f.Decode(strings.NewReader(c.data), "x")
		var le *LineError
		if err == nil || !errors.As(err, &le) || le.Line == 0 || recs != nil {
			t.Fatalf("%s %q: err %v, recs %v", c.format, c.data, err, recs)
		}
		if !strings.Contains(err.Error(), c.want) {
			t.Fatalf("%s: error %q lacks %q", c.format, err, c.want)
		}
	}
}

func TestBratErrors(t *testing.T) {
	txt := []byte("abc def")
	cases := []struct{ ann, want string }{
		{"T1\tX 0 3\tabc\nT2\tX 4 9\tdef\n", "d.ann:2: T2 fragment 1: span [4,9)"},
		{"T1\tX 0 3\tabd\n", "d.ann:1: T1 X 0 3: text \"abd\""},
		{"T1\tX 0 3\tabc\nR1\tR Arg1:T1 Arg2:T9\n", "d.ann:2: relation arguments T1, T9"},
		{"T1\tX 0 x\tabc\n", "d.ann:1: T1: offsets"},
		{"Q1\tfoo\n", "d.ann:1: unknown annotation"},
	}
	for _, c := range cases {
		_, _, err := parseBrat("d", "d.txt", txt, "d.ann", []byte(c.ann))
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Fatalf("%q: err %v, want %q", c.ann, err, c.want)
		}
	}
	if _, _, err := parseBrat("d", "d.txt", []byte("a\n\xff"), "d.ann", nil); err == nil || !strings.Contains(err.Error(), "d.txt:2: invalid UTF-8") {
		t.Fatal(err)
	}
}

// --- detection ---

func TestDetect(t *testing.T) {
	dir := t.TempDir()
	write := func(name, data string) string {
		p := filepath.Join(dir, name)
		os.WriteFile(p, []byte(data), 0o644)
		return p
	}
	cases := map[string]string{
		write("a.json", "\ufeff  [\n{}]"):                              "labelstudio",
		write("b.jsonl", `{"id":"1","tokens":["a"],"ner_tags":["O"]}`): "hf",
		write("c.jsonl", `{"text":"a","tokens":[],"spans":[]}`):        "spacy",
		write("d.jsonl", `{"text":"a","label":[[0,1,"X"]]}`):           "doccano",
		write("e.jsonl", `{"text":"a","entities":[],"relations":[]}`):  "doccano",
		write("f.jsonl", "\n{\"id\":\"1\",\"text\":\"a\"}\n"):          "jsonl",
		write("g.txt", "-DOCSTART- x\n\na\tO\n"):                       "conll",
		write("h.txt", "EU NNP I-NP I-ORG\n"):                          "conll",
		write("i.conll", "anything"):                                   "conll",
		"testdata/brat":                                                "brat",
		"testdata/labelstudio.json":                                    "labelstudio",
		"testdata/hf/train.jsonl":                                      "hf",
		"testdata/prodigy.jsonl":                                       "spacy",
		"testdata/doccano.jsonl":                                       "doccano",
		"testdata/conll2003.txt":                                       "conll",
	}
	for p, want := range cases {
		if got, err := Detect(p); got != want || err != nil {
			t.Errorf("Detect(%s) = %q, %v; want %q", p, got, err, want)
		}
	}
	for _, p := range []string{write("x.txt", "just some prose"), write("y.jsonl", `{"foo":1}`), write("z.txt", ""), dir + "/nothing"} {
		if got, err := Detect(p); err == nil {
			t.Errorf("Detect(%s) = %q, want an error", p, got)
		}
	}
}

// --- splits ---

func TestSplits(t *testing.T) {
	sp, err := ParseSplits("train=0.8, dev=0.1,test=0.1")
	if err != nil || len(sp) != 3 || sp[1].Name != "dev" {
		t.Fatal(sp, err)
	}
	for _, bad := range []string{"train=0.8,dev=0.1", "train=0.5,train=0.5", "a=x,b=1", "=1", "a=1.5,b=-0.5", "a"} {
		if _, err := ParseSplits(bad); err == nil {
			t.Errorf("ParseSplits(%q) accepted", bad)
		}
	}
	count := map[string]int{}
	first := map[string]string{}
	for i := 0; i < 20000; i++ {
		id := "doc-" + itoa(i)
		s := SplitOf(id, 42, sp)
		first[id] = s
		count[s]++
	}
	if count["train"] < 15600 || count["train"] > 16400 || count["dev"] < 1800 || count["dev"] > 2200 {
		t.Fatalf("skewed: %v", count)
	}
	// Stable: same answer again, and independent of other documents.
	for id, s := range first {
		if SplitOf(id, 42, sp) != s {
			t.Fatal("not stable")
		}
	}
	moved := 0
	for id, s := range first {
		if SplitOf(id, 43, sp) != s {
			moved++
		}
	}
	if moved == 0 {
		t.Fatal("seed has no effect")
	}
	if SplitOf("x", 1, nil) != "" {
		t.Fatal("no splits should give \"\"")
	}
}

func TestRegistry(t *testing.T) {
	want := []string{"brat", "conll", "conll-doccano", "doccano", "hf", "jsonl", "labelstudio", "spacy"}
	if got := Names(); !reflect.DeepEqual(got, want) {
		t.Fatal(got)
	}
	if _, err := Lookup("nope"); err == nil {
		t.Fatal("unknown format found")
	}
	if f, err := Lookup(" CoNLL "); err != nil || f.Name != "conll" {
		t.Fatal(f, err)
	}
	if _, err := Lookup("conll"); err != nil {
		t.Fatal(err)
	}
	f, _ := Lookup("conll")
	if _, err := f.Encode(&bytes.Buffer{}, slices.Values(sampleRecords(t)), Options{Scheme: "iobx"}); err == nil {
		t.Fatal("bad scheme accepted")
	}
}

// Bad UTF-8 names the file's own line, for every JSONL reader.
func TestBadUTF8NamesTheFileLine(t *testing.T) {
	dir := t.TempDir()
	for format, lines := range map[string][3]string{
		"doccano": {`{"text":"abc","label":[]}`, `{"text":"abd","label":[[0,1,"X"]]}`, "{\"text\":\"a\xffb\",\"label\":[]}"},
		"hf":      {`{"tokens":["a"],"ner_tags":["O"]}`, `{"tokens":["b"],"ner_tags":["B-X"]}`, "{\"tokens\":[\"\xff\"],\"ner_tags\":[\"O\"]}"},
		"spacy":   {`{"text":"a","tokens":[],"spans":[]}`, `{"text":"b","tokens":[],"spans":[]}`, "{\"text\":\"\xed\xa0\x80\",\"tokens\":[],\"spans\":[]}"},
	} {
		path := filepath.Join(dir, format, "d3.jsonl")
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(strings.Join(lines[:], "\r\n")+"\r\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		f, _ := Lookup(format)
		_, _, err := f.Read(path)
		if err == nil || !strings.HasPrefix(err.Error(), path+":3: invalid UTF-8 byte") {
			t.Fatalf("%s: %v", format, err)
		}
	}
}

// doccano's web UI counts UTF-16 units: --offsets utf16 writes them, code
// points stay the default.
func TestDoccanoUTF16Offsets(t *testing.T) {
	f, _ := Lookup("doccano")
	recs := sampleRecords(t)[:1]
	s, e := at(t, arText, "Reuters", 0)
	ps, pe := at(t, arText, "عبدُالله", 0)
	for _, c := range []struct {
		opts  Options
		shift int
	}{{Options{}, 0}, {Options{Offsets: "codepoints"}, 0}, {Options{Offsets: "utf16"}, 1}, {Options{Offsets: "utf16", DoccanoRelations: true}, 1}} {
		var buf bytes.Buffer
		if _, err := f.Encode(&buf, slices.Values(recs), c.opts); err != nil {
			t.Fatal(err)
		}
		want := "[" + itoa(s+c.shift) + "," + itoa(e+c.shift) + `,"ORGANIZATION"]`
		before := "[" + itoa(ps) + "," + itoa(pe) + `,"PERSON"]` // before the emoji: unchanged
		if c.opts.DoccanoRelations {
			want = `"start_offset":` + itoa(s+c.shift) + `,"end_offset":` + itoa(e+c.shift) + "}"
			before = `"start_offset":` + itoa(ps) + `,"end_offset":` + itoa(pe) + "}"
		}
		if !strings.Contains(buf.String(), want) || !strings.Contains(buf.String(), before) {
			t.Fatalf("%+v: lacks %s or %s:\n%s", c.opts, want, before, buf.String())
		}
	}
	if _, err := f.Encode(io.Discard, slices.Values(recs), Options{Offsets: "bytes"}); err == nil {
		t.Fatal("offsets bytes accepted")
	}
}

// CoNLL files shaped like spaCy's converter input (CoNLL-2003 document
// lines, space-separated columns) and doccano's (TOKEN<TAB>TAG, no
// document lines) read; Tawsim's own CoNLL keeps its ids in FILE.ids.
func TestCoNLLDocumentLinesAndIDs(t *testing.T) {
	recs, _ := mustRead(t, "conll", "testdata/spacy.conll")
	if len(recs) != 2 || recs[0].Doc.ID != "spacy.conll:1" || recs[1].Doc.ID != "spacy.conll:14" ||
		!reflect.DeepEqual(spansOf(recs[0]), []string{"STATE:عمّان", "PERSON:هاكان فيدان"}) || !reflect.DeepEqual(spansOf(recs[1]), []string{"STATE:بيروت"}) {
		t.Fatalf("%+v", recs)
	}
	recs, _ = mustRead(t, "conll", "testdata/doccano.conll")
	if len(recs) != 1 || recs[0].Doc.Text != "وصل الوفد إلى عمّان\nقال هاكان فيدان" || len(recs[0].Layers[0].Spans) != 2 {
		t.Fatalf("%+v", recs)
	}

	f, _ := Lookup("conll")
	want := sampleRecords(t)
	for i := range want {
		for j := range want[i].Layers {
			want[i].Layers[j].Relations = nil
		}
	}
	want = want[1:] // the first has nested spans
	dir := t.TempDir()
	dest := filepath.Join(dir, "train.conll")
	if _, err := f.Write(dest, slices.Values(want), Options{}); err != nil {
		t.Fatal(err)
	}
	ids, err := os.ReadFile(dest + ".ids")
	if err != nil {
		t.Fatal(err)
	}
	var wantIDs string
	for _, r := range want {
		wantIDs += r.Doc.ID + "\n"
	}
	if string(ids) != wantIDs {
		t.Fatalf("ids file %q, want %q", ids, wantIDs)
	}
	back, _, err := f.Read(dest)
	if err != nil {
		t.Fatal(err)
	}
	for i := range back {
		if back[i].Doc.ID != want[i].Doc.ID || !reflect.DeepEqual(spansOf(back[i]), spansOf(want[i])) {
			t.Fatalf("doc %d back as %q %v, want %q %v", i, back[i].Doc.ID, spansOf(back[i]), want[i].Doc.ID, spansOf(want[i]))
		}
	}
	// An ids file that does not fit is not used, with a warning.
	os.WriteFile(dest+".ids", []byte("a\nb\n"), 0o644)
	back, warns, err := f.Read(dest)
	if err != nil || back[0].Doc.ID != "train.conll:1" || len(warns) == 0 || !strings.Contains(warns[len(warns)-1], "train.conll.ids:1: 2 ids for") {
		t.Fatalf("%v %q %q", err, back[0].Doc.ID, warns)
	}
	// The shape Tawsim wrote before, -DOCSTART- ID, still gives the ids.
	old := "-DOCSTART- ar-1\n\nقال\tO\nعمّان\tB-STATE\n\n-DOCSTART- d 2\n\nb\tO\n"
	back, _, err = f.Decode(strings.NewReader(old), "old.conll")
	if err != nil || len(back) != 2 || back[0].Doc.ID != "ar-1" || back[1].Doc.ID != "d 2" {
		t.Fatalf("%v %+v", err, back)
	}
}

// Gold relations keep their provenance in native JSONL, on the relation as
// on spans, and come back exactly.
func TestNativeGoldRelationProvenance(t *testing.T) {
	recs := sampleRecords(t)[:1]
	l := &recs[0].Layers[0]
	l.Annotator = "gold"
	for i := range l.Spans {
		l.Spans[i].Votes, l.Spans[i].Decision = []string{"salma"}, annotate.DecisionAutomatic
	}
	l.Relations[0].Votes, l.Relations[0].Decision, l.Relations[0].DecidedBy = []string{"a", "b"}, annotate.DecisionChosen, "lead"
	l.Relations = append(l.Relations, annotate.Relation{Head: 1, Tail: 2, Label: "ABOUT", Decision: annotate.DecisionAdded})
	f, _ := Lookup("jsonl")
	first, dest, _ := exportBytes(t, f, recs, Options{})
	if !strings.Contains(string(first), `"relations":[{"head":1,"tail":0,"label":"SAID_BY","votes":["a","b"],"decision":"chosen","decided_by":"lead"},{"head":1,"tail":2,"label":"ABOUT","votes":[],"decision":"added"}]`) {
		t.Fatalf("native line:\n%s", first)
	}
	back, _, err := f.Read(dest)
	if err != nil {
		t.Fatal(err)
	}
	want := slices.Clone(l.Relations)
	want[1].Votes = []string{}
	if !reflect.DeepEqual(back[0].Layers[0].Relations, want) {
		t.Fatalf("relations back %+v", back[0].Layers[0].Relations)
	}
}

// TestCoNLLDoccano: doccano's CoNLL import reads every non-blank line as
// exactly two tab-separated columns and makes an example of each
// blank-line block; conll-doccano reads and writes that shape.
func TestCoNLLDoccano(t *testing.T) {
	recs, _ := mustRead(t, "conll-doccano", "testdata/doccano.conll")
	if len(recs) != 2 || recs[0].Doc.Text != "وصل الوفد إلى عمّان" || recs[1].Doc.Text != "قال هاكان فيدان" {
		t.Fatalf("%+v", recs)
	}
	if got := spansOf(recs[1]); !reflect.DeepEqual(got, []string{"PERSON:هاكان فيدان"}) {
		t.Fatal(got)
	}
	// Sentences of one document stay one block; a document without tokens
	// is left out with a warning (a lone blank line is an empty example).
	in := []annotate.Record{
		{Doc: annotate.Document{ID: "a", Text: "قال الصفدي.\nوأضاف أن عمان"}, Layers: []annotate.Layer{{Spans: []annotate.Span{{Start: 4, End: 10, Label: "PERSON", Text: "الصفدي"}}}}},
		{Doc: annotate.Document{ID: "blank", Text: "  \n"}},
		{Doc: annotate.Document{ID: "b", Text: "عمان"}},
	}
	f, _ := Lookup("conll-doccano")
	var buf bytes.Buffer
	st, err := f.Encode(&buf, slices.Values(in), Options{})
	if err != nil {
		t.Fatal(err)
	}
	want := "قال\tO\nالصفدي\tB-PERSON\n.\tO\nوأضاف\tO\nأن\tO\nعمان\tO\n\nعمان\tO\n\n"
	if buf.String() != want || st.Documents != 2 || len(st.Warnings) != 1 || !strings.Contains(st.Warnings[0], `"blank" has no tokens`) {
		t.Fatalf("%q\n%+v", buf.String(), st)
	}
	for i, line := range strings.Split(strings.TrimSuffix(buf.String(), "\n"), "\n") {
		if line != "" && len(strings.Split(line, "\t")) != 2 {
			t.Fatalf("line %d %q is not two tab-separated columns", i+1, line)
		}
	}
	// Written with ids beside, read back with them.
	dest := filepath.Join(t.TempDir(), "x.conll")
	if _, err := f.Write(dest, slices.Values(in), Options{}); err != nil {
		t.Fatal(err)
	}
	back, _, err := f.Read(dest)
	if err != nil || len(back) != 2 || back[0].Doc.ID != "a" || back[1].Doc.ID != "b" || !reflect.DeepEqual(spansOf(back[0]), []string{"PERSON:الصفدي"}) {
		t.Fatalf("%+v %v", back, err)
	}
}
