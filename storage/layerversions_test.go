package storage

import (
	"slices"
	"strings"
	"testing"
	"time"

	"tawsim/annotate"
)

// keepByConflict makes amal's layer of d1 lose a conflict to a layer of
// spans changed elsewhere (later), and returns the version that keeps the
// layer as it was.
func keepByConflict(t *testing.T, s *Store, spans ...annotate.Span) int64 {
	t.Helper()
	rec := layerOfStore(t, s, "amal")
	l := annotate.Layer{Annotator: "amal", Spans: spans, Clock: map[string]int64{"elsewhere-" + time.Now().Format("150405.000000"): 1},
		Revision: 1, Modified: time.Now().UTC().Add(time.Hour)}
	rec.Layers = []annotate.Layer{l}
	r := importOne(t, s, rec, ImportOptions{})
	if len(r.Conflicts) != 1 || !r.Conflicts[0].KeptIncoming {
		t.Fatalf("no conflict: %+v", r)
	}
	return r.Conflicts[0].Version
}

func versionCount(t *testing.T, s *Store) int {
	t.Helper()
	vs, err := s.LayerVersions("", "")
	if err != nil {
		t.Fatal(err)
	}
	return len(vs)
}

// A version whose spans no longer match the document's text (replaced
// since) is refused, naming the version, the span and the text there now,
// and nothing changes.
func TestRestoreRefusesSpansOffTheText(t *testing.T) {
	s, _ := tempStore(t)
	importOne(t, s, annotate.Record{Doc: annotate.Document{ID: "d1", Text: newestText},
		Layers: []annotate.Layer{{Annotator: "amal", Spans: []annotate.Span{sp(t, "أيمن الصفدي", "PERSON")}}}}, ImportOptions{})
	v := keepByConflict(t, s, sp(t, "أنقرة", "STATE"))
	other := strings.Replace(newestText, "أيمن الصفدي", "أحمد الخطيب", 1)
	if _, err := s.Import([]annotate.Record{{Doc: annotate.Document{ID: "d1", Text: other}}}, ImportOptions{Replace: true}); err != nil {
		t.Fatal(err)
	}
	before, n := spanWords(t, s, "amal"), versionCount(t, s)
	_, err := s.RestoreVersion(v)
	if err == nil || !strings.Contains(err.Error(), "version 1 (document d1) cannot be restored") ||
		!strings.Contains(err.Error(), `PERSON is "أيمن الصفدي", the text there is "أحمد الخطيب" now`) || !strings.Contains(err.Error(), "nothing was changed") {
		t.Fatalf("restore onto a new text: %v", err)
	}
	if after := spanWords(t, s, "amal"); !slices.Equal(after, before) || versionCount(t, s) != n {
		t.Fatalf("a refused restore changed the layer (%v → %v) or kept a version", before, after)
	}
	// A text now too short for the span.
	if _, err := s.Import([]annotate.Record{{Doc: annotate.Document{ID: "d1", Text: "نص"}}}, ImportOptions{Replace: true}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.RestoreVersion(v); err == nil || !strings.Contains(err.Error(), "outside the text now (2 characters)") {
		t.Fatalf("restore onto a short text: %v", err)
	}
}

// A version finds its labels after a rename (by uid) and a merge (the
// label merged into); a label gone is never made again: the restore is
// refused, naming it.
func TestRestoreFollowsLabelRenamesAndMerges(t *testing.T) {
	s, _ := tempStore(t)
	importOne(t, s, annotate.Record{Doc: annotate.Document{ID: "d1", Text: newestText},
		Layers: []annotate.Layer{{Annotator: "amal", Spans: []annotate.Span{sp(t, "أيمن الصفدي", "PERSON"), sp(t, "أنقرة", "STATE")}}}}, ImportOptions{})
	v := keepByConflict(t, s, sp(t, "وزير الخارجية", "CLAIM"))
	if err := s.RenameLabel("PERSON", "PER"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.MergeLabel("STATE", "ORGANIZATION"); err != nil {
		t.Fatal(err)
	}
	if err := s.RenameLabel("ORGANIZATION", "ORG"); err != nil { // a rename after the merge
		t.Fatal(err)
	}
	before := labelNames(t, s)
	if vs, _ := s.LayerVersions("d1", "amal"); vs[0].Layer.Spans[0].Label != "PER" || vs[0].Layer.Spans[1].Label != "ORG" {
		t.Fatalf("the version lists its spans as %+v", vs[0].Layer.Spans)
	}
	if _, err := s.RestoreVersion(v); err != nil {
		t.Fatal(err)
	}
	wantWords(t, s, "amal", "أيمن الصفدي/PER", "أنقرة/ORG")
	if got := labelNames(t, s); !slices.Equal(got, before) {
		t.Fatalf("the restore changed the labels: %v → %v", before, got)
	}
	// The state the restore replaced (with CLAIM) keeps its labels too.
	if err := s.AddLabel(annotate.Label{Name: "EVENT"}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.AddSpan("d1", "amal", sp(t, "أمس", "EVENT")); err != nil {
		t.Fatal(err)
	}
	w := keepByConflict(t, s, sp(t, "أنقرة", "ORG"))
	if err := s.DeleteLabel("EVENT"); err != nil {
		t.Fatal(err)
	}
	before, n := spanWords(t, s, "amal"), versionCount(t, s)
	_, err := s.RestoreVersion(w)
	if err == nil || !strings.Contains(err.Error(), "carry label EVENT, which the project no longer has") || !strings.Contains(err.Error(), "nothing was changed") {
		t.Fatalf("restore with a label deleted: %v", err)
	}
	if slices.Contains(labelNames(t, s), "EVENT") || !slices.Equal(spanWords(t, s, "amal"), before) || versionCount(t, s) != n {
		t.Fatal("a refused restore changed the project")
	}
	if err := s.AddLabel(annotate.Label{Name: "EVENT"}); err != nil { // the way out the refusal names
		t.Fatal(err)
	}
	if _, err := s.RestoreVersion(w); err != nil {
		t.Fatal(err)
	}
	wantWords(t, s, "amal", "أيمن الصفدي/PER", "أنقرة/ORG", "أمس/EVENT")
}
