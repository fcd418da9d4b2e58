package export

import (
	"bytes"
	"reflect"
	"strings"
	"testing"
	"time"

	"tawsim/annotate"
)

// A layer's revision goes out and comes back as it was; a layer never
// changed writes none of it.
func TestNativeRevisionRoundTrip(t *testing.T) {
	doc := annotate.Document{ID: "d1", Title: "t", Text: "نص قصير"}
	when := time.Date(2026, 1, 2, 3, 4, 5, 6000, time.UTC)
	layer := annotate.Layer{Annotator: "amal", Spans: []annotate.Span{{Start: 0, End: 2, Label: "PERSON", Text: "نص"}},
		Status: annotate.StatusDone, Seconds: 12.5, Revision: 3, Modified: when, Clock: map[string]int64{"r1": 2, "r2": 1}}
	var buf bytes.Buffer
	jw := NewJSONLWriter(&buf)
	if err := jw.Write(&doc, &layer); err != nil {
		t.Fatal(err)
	}
	if err := jw.Write(&doc, &annotate.Layer{Annotator: "badr"}); err != nil {
		t.Fatal(err)
	}
	jw.Flush()
	lines := strings.Split(strings.TrimSpace(buf.String()), "\n")
	if !strings.Contains(lines[0], `"modified":"2026-01-02T03:04:05.000006Z"`) || !strings.Contains(lines[0], `"clock":{"r1":2,"r2":1}`) {
		t.Fatalf("revision not written: %s", lines[0])
	}
	for _, k := range []string{"status", "seconds", "revision", "modified", "clock"} {
		if strings.Contains(lines[1], `"`+k+`"`) {
			t.Fatalf("a layer never changed writes %q: %s", k, lines[1])
		}
	}
	recs, err := ReadJSONL(strings.NewReader(buf.String()), "r.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	got := recs[0].Layers[0]
	if got.Status != layer.Status || got.Seconds != layer.Seconds || got.Revision != layer.Revision ||
		!got.Modified.Equal(when) || !reflect.DeepEqual(got.Clock, layer.Clock) {
		t.Fatalf("read back %+v, want %+v", got, layer)
	}
	if l := recs[1].Layers[0]; l.Revision != 0 || l.Clock != nil || !l.Modified.IsZero() {
		t.Fatalf("a layer without revision read as %+v", l)
	}
	for _, bad := range []string{
		`{"id":"a","text":"x","annotator":"b","modified":"yesterday"}`,
		`{"id":"a","text":"x","annotator":"b","status":"finished"}`,
		`{"id":"a","text":"x","annotator":"b","clock":{"r":-1}}`,
		`{"id":"a","text":"x","revision":2}`,
	} {
		if _, err := ReadJSONL(strings.NewReader(bad), "b.jsonl"); err == nil || !strings.HasPrefix(err.Error(), "b.jsonl:1: ") {
			t.Errorf("%s: error %v, want one naming b.jsonl:1", bad, err)
		}
	}
}
