package project

import (
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"tawsim/annotate"
	"tawsim/export"
	"tawsim/storage"
)

func TestLoneSurrogateEscapes(t *testing.T) {
	for in, want := range map[string]bool{
		`"\ud800"`:              true,
		`"\uD800x"`:             true,
		`"\udc00"`:              true,
		`"\ud83d\ude00"`:        false,
		`"\uD83D\uDE00 \u0627"`: false,
		`"\\ud800"`:             false,
		`"\\\ud800"`:            true,
		`"\ud800\n"`:            true,
		`"\ud800\u0627"`:        true,
		`"\ud83d\ud83d\ude00"`:  true,
		`"a\u0627b"`:            false,
	} {
		var e escState
		if got := e.scan([]byte(in)); got != want {
			t.Errorf("%s: lone = %v, want %v", in, got, want)
		}
		// The same across reads of one byte.
		var e2 escState
		got := false
		for i := range len(in) {
			got = e2.scan([]byte{in[i]}) || got
		}
		if got != want {
			t.Errorf("%s byte by byte: lone = %v, want %v", in, got, want)
		}
	}
}

// A folder holding an hf export imports as its data: labels.json beside
// the JSONL is the tag list the hf reader takes, not a file of its own.
func TestFolderWithAnHFExport(t *testing.T) {
	dir := t.TempDir()
	f, _ := export.Lookup("hf")
	recs := []annotate.Record{{Doc: annotate.Document{ID: "a", Text: "زار الصفدي عمّان"},
		Layers: []annotate.Layer{{Spans: []annotate.Span{{Start: 4, End: 10, Label: "PERSON", Text: "الصفدي"}}}}}}
	if _, err := f.Write(filepath.Join(dir, "train.jsonl"), slices.Values(recs), export.Options{}); err != nil {
		t.Fatal(err)
	}
	st, err := storage.OpenEmpty(filepath.Join(t.TempDir(), "p.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	res, err := Import(st, []string{dir}, ImportOptions{Annotator: "amina"}, nil)
	if err != nil || len(res) != 1 || res[0].Err != nil || !strings.HasSuffix(res[0].File, "train.jsonl") {
		t.Fatalf("%+v %v", res, err)
	}
}
