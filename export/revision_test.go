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

// A gold line's "gold_status" is read by both JSON readers (the fast one,
// and encoding/json for a line it gives up, here by a key in capitals), and
// an unknown value is an error naming the line.
func TestNativeGoldStatusIn(t *testing.T) {
	for _, id := range []string{`"id"`, `"ID"`} {
		line := `{` + id + `:"d1","text":"abc","annotator":"gold","spans":[],"gold_status":"in_progress"}`
		if _, ok := fastNative([]byte(line)); ok == (id == `"ID"`) {
			t.Fatalf("%s: the fast reader took it %v", line, ok)
		}
		recs, err := ReadJSONL(strings.NewReader(line), "g.jsonl")
		if err != nil {
			t.Fatal(err)
		}
		if got := recs[0].Layers[0].GoldStatus; got != annotate.GoldInProgress {
			t.Fatalf("%s: gold status %q", line, got)
		}
		bad := "\n" + strings.Replace(line, "in_progress", "done", 1)
		if _, err := ReadJSONL(strings.NewReader(bad), "g.jsonl"); err == nil || !strings.HasPrefix(err.Error(), "g.jsonl:2: ") || !strings.Contains(err.Error(), `"gold_status" "done"`) {
			t.Errorf("%s: error %v, want one naming g.jsonl:2 and the status", bad, err)
		}
	}
}

// An accepted suggestion's origin is written and read back; a span made by
// hand has none.
func TestNativeOriginRoundTrip(t *testing.T) {
	doc := annotate.Document{ID: "a", Text: "زار الأردن"}
	layer := annotate.Layer{Annotator: "b", Spans: []annotate.Span{
		{Start: 0, End: 3, Label: "CLAIM", Text: "زار"},
		{Start: 4, End: 10, Label: "STATE", Text: "الأردن", Origin: annotate.OriginPropagated},
	}}
	var buf bytes.Buffer
	jw := NewJSONLWriter(&buf)
	if err := jw.Write(&doc, &layer); err != nil {
		t.Fatal(err)
	}
	jw.Flush()
	if n := strings.Count(buf.String(), `"origin"`); n != 1 || !strings.Contains(buf.String(), `"origin":"propagated"`) {
		t.Fatalf("written: %s", buf.String())
	}
	sameAsUnmarshal(t, bytes.TrimSpace(buf.Bytes()))
	recs, err := ReadJSONL(&buf, "f.jsonl")
	if err != nil || len(recs) != 1 {
		t.Fatal(err)
	}
	if sp := recs[0].Layers[0].Spans; sp[0].Origin != "" || sp[1].Origin != annotate.OriginPropagated {
		t.Fatalf("read back: %+v", sp)
	}
}
