package storage

import (
	"slices"
	"strings"
	"testing"
	"time"

	"tawsim/annotate"
)

const newestText = "زار وزير الخارجية الأردني أيمن الصفدي أنقرة أمس"

// sp is the span of the first occurrence of word in newestText.
func sp(t *testing.T, word, label string) annotate.Span {
	t.Helper()
	i := strings.Index(newestText, word)
	if i < 0 {
		t.Fatalf("%q not in the text", word)
	}
	start := len([]rune(newestText[:i]))
	return annotate.Span{Start: start, End: start + len([]rune(word)), Label: label, Text: word}
}

// layerOfStore reads the record of doc d1 with its layer of who, revision
// and all, as an export would write it.
func layerOfStore(t *testing.T, s *Store, who string) annotate.Record {
	t.Helper()
	var out annotate.Record
	if err := s.EachRecord(who, false, func(rec *annotate.Record) error {
		if rec.Doc.ID == "d1" {
			out = *rec
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	for i := range out.Layers[0].Spans {
		out.Layers[0].Spans[i].ID = 0
	}
	return out
}

func spanWords(t *testing.T, s *Store, who string) []string {
	t.Helper()
	l, err := s.Layer("d1", who)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, sp := range l.Spans {
		out = append(out, sp.Text+"/"+sp.Label)
	}
	return out
}

func importOne(t *testing.T, s *Store, rec annotate.Record, opt ImportOptions) *ImportResult {
	t.Helper()
	rec.Line = 7
	opt.File = "in.jsonl"
	res, err := s.Import([]annotate.Record{rec}, opt)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

func wantWords(t *testing.T, s *Store, who string, want ...string) {
	t.Helper()
	if got := spanWords(t, s, who); !slices.Equal(got, want) {
		t.Fatalf("layer %s: %v, want %v", who, got, want)
	}
}

// An import of layers that carry revisions follows newest-wins: the same
// or an older revision changes nothing, a newer one replaces the layer
// (deletions included), one changed on both sides keeps the later and
// keeps the other as a version the user can restore.
func TestImportNewestWins(t *testing.T) {
	s, _ := tempStore(t)
	base := annotate.Record{Doc: annotate.Document{ID: "d1", Text: newestText},
		Layers: []annotate.Layer{{Annotator: "amal", Spans: []annotate.Span{sp(t, "أيمن الصفدي", "PERSON"), sp(t, "أنقرة", "STATE")}}}}
	importOne(t, s, base, ImportOptions{})
	v1 := layerOfStore(t, s, "amal")
	if v1.Layers[0].Revision != 1 || len(v1.Layers[0].Clock) != 1 || v1.Layers[0].Status != annotate.StatusTodo {
		t.Fatalf("exported layer %+v", v1.Layers[0])
	}
	// Equal: nothing.
	if r := importOne(t, s, v1, ImportOptions{}); r.LayersUnchanged != 1 || r.LayersReplaced != 0 {
		t.Fatalf("same revision: %+v", r)
	}
	// Newer (a laptop deleted أنقرة, moved the person's boundary, marked it done).
	newer := v1
	l := v1.Layers[0]
	l.Spans = []annotate.Span{sp(t, "الصفدي", "PERSON")}
	l.Clock = map[string]int64{}
	for k, n := range v1.Layers[0].Clock {
		l.Clock[k] = n
	}
	l.Clock["laptop"] = 1
	l.Revision, l.Modified, l.Status, l.Seconds = 2, time.Now().UTC().Add(time.Minute), annotate.StatusDone, 30
	newer.Layers = []annotate.Layer{l}
	if r := importOne(t, s, newer, ImportOptions{}); r.LayersReplaced != 1 {
		t.Fatalf("newer: %+v", r)
	}
	wantWords(t, s, "amal", "الصفدي/PERSON")
	got := layerOfStore(t, s, "amal").Layers[0]
	if got.Revision != 2 || got.Status != annotate.StatusDone || got.Seconds != 30 || !got.Modified.Equal(l.Modified.Truncate(time.Microsecond)) {
		t.Fatalf("after the newer import: %+v", got)
	}
	// Older: nothing, the deletion stays.
	if r := importOne(t, s, v1, ImportOptions{}); r.LayersUnchanged != 1 || r.LayersReplaced != 0 {
		t.Fatalf("older: %+v", r)
	}
	wantWords(t, s, "amal", "الصفدي/PERSON")

	// Concurrent: a local change here, another there later: theirs wins,
	// ours is kept.
	if _, err := s.AddSpan("d1", "amal", sp(t, "أنقرة", "STATE")); err != nil {
		t.Fatal(err)
	}
	theirs := newer
	lt := l
	lt.Clock = map[string]int64{}
	for k, n := range l.Clock {
		lt.Clock[k] = n
	}
	lt.Clock["laptop"]++
	lt.Spans = []annotate.Span{sp(t, "وزير الخارجية", "PERSON")}
	lt.Revision, lt.Modified = 3, time.Now().UTC().Add(time.Hour)
	theirs.Layers = []annotate.Layer{lt}
	r := importOne(t, s, theirs, ImportOptions{})
	if r.LayersReplaced != 1 || len(r.Conflicts) != 1 || !r.Conflicts[0].KeptIncoming || r.Conflicts[0].Doc != "d1" || r.Conflicts[0].Annotator != "amal" {
		t.Fatalf("concurrent: %+v", r)
	}
	wantWords(t, s, "amal", "وزير الخارجية/PERSON")
	vs, err := s.LayerVersions("d1", "amal")
	if err != nil || len(vs) != 1 || vs[0].ID != r.Conflicts[0].Version || !strings.Contains(vs[0].Reason, "in.jsonl:7") {
		t.Fatalf("versions %+v %v", vs, err)
	}
	if len(vs[0].Layer.Spans) != 2 {
		t.Fatalf("kept version %+v", vs[0].Layer)
	}
	merged := layerOfStore(t, s, "amal").Layers[0]
	if merged.Clock["laptop"] != 2 || merged.Revision != merged.Clock["laptop"]+v1.Layers[0].Clock[firstKey(v1.Layers[0].Clock)]+1 {
		t.Fatalf("merged clock %v revision %d", merged.Clock, merged.Revision)
	}
	// Restore: the kept state is back, the replaced one is a version too.
	kept, err := s.RestoreVersion(vs[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	wantWords(t, s, "amal", "الصفدي/PERSON", "أنقرة/STATE")
	vs, _ = s.LayerVersions("", "")
	if len(vs) != 2 || vs[0].ID != kept || vs[0].Layer.Spans[0].Text != "وزير الخارجية" {
		t.Fatalf("after restore: %+v", vs)
	}
	if after := layerOfStore(t, s, "amal").Layers[0]; after.Revision != merged.Revision+1 {
		t.Fatalf("a restore is a change: revision %d after %d", after.Revision, merged.Revision)
	}
	if _, err := s.RestoreVersion(999); err == nil {
		t.Fatal("restoring a missing version")
	}

	// Concurrent, ours later: ours stays, theirs is kept.
	old := theirs
	lo := lt
	lo.Clock = map[string]int64{"other": 1}
	lo.Modified = time.Now().UTC().Add(-time.Hour)
	old.Layers = []annotate.Layer{lo}
	r = importOne(t, s, old, ImportOptions{})
	if r.LayersUnchanged != 1 || len(r.Conflicts) != 1 || r.Conflicts[0].KeptIncoming {
		t.Fatalf("concurrent, ours newer: %+v", r)
	}
	wantWords(t, s, "amal", "الصفدي/PERSON", "أنقرة/STATE")
	if vs, _ := s.LayerVersions("d1", ""); len(vs) != 3 || vs[0].Layer.Spans[0].Text != "وزير الخارجية" {
		t.Fatalf("versions %+v", vs)
	}
}

func firstKey(c map[string]int64) string {
	for k := range c {
		if k != "laptop" {
			return k
		}
	}
	return ""
}

// Without revisions an import adds to the layer; --replace-layers makes it
// exactly the file's, a change that advances the revision; again, nothing.
func TestImportReplaceLayers(t *testing.T) {
	s, _ := tempStore(t)
	rec := func(spans ...annotate.Span) annotate.Record {
		return annotate.Record{Doc: annotate.Document{ID: "d1", Text: newestText}, Layers: []annotate.Layer{{Annotator: "amal", Spans: spans}}}
	}
	importOne(t, s, rec(sp(t, "أيمن الصفدي", "PERSON"), sp(t, "أنقرة", "STATE")), ImportOptions{})
	importOne(t, s, rec(sp(t, "الصفدي", "PERSON")), ImportOptions{})
	wantWords(t, s, "amal", "أيمن الصفدي/PERSON", "الصفدي/PERSON", "أنقرة/STATE") // the union of today
	before, _ := s.LayerRevision("d1", "amal")
	r := importOne(t, s, rec(sp(t, "الصفدي", "PERSON")), ImportOptions{ReplaceLayers: true})
	if r.LayersReplaced != 1 {
		t.Fatalf("replace: %+v", r)
	}
	wantWords(t, s, "amal", "الصفدي/PERSON")
	after, _ := s.LayerRevision("d1", "amal")
	if after.Revision != before.Revision+1 {
		t.Fatalf("revision %d → %d", before.Revision, after.Revision)
	}
	if r := importOne(t, s, rec(sp(t, "الصفدي", "PERSON")), ImportOptions{ReplaceLayers: true}); r.LayersUnchanged != 1 || r.LayersReplaced != 0 {
		t.Fatalf("same again: %+v", r)
	}
	if again, _ := s.LayerRevision("d1", "amal"); again.Revision != after.Revision {
		t.Fatal("an unchanged layer advanced")
	}
	// An empty layer named by the file empties it.
	if r := importOne(t, s, rec(), ImportOptions{ReplaceLayers: true}); r.LayersReplaced != 1 {
		t.Fatalf("empty: %+v", r)
	}
	wantWords(t, s, "amal")
	// A file naming a layer twice is refused.
	_, err := s.Import([]annotate.Record{rec(), rec()}, ImportOptions{ReplaceLayers: true, File: "x.jsonl"})
	if err == nil || !strings.Contains(err.Error(), "twice") {
		t.Fatalf("a layer twice: %v", err)
	}
}
