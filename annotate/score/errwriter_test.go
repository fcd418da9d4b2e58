package score

import (
	"bytes"
	"errors"
	"math/rand/v2"
	"os"
	"runtime"
	"slices"
	"strings"
	"testing"

	"tawsim/annotate"
)

// streamErrors scores docs a batch of random size at a time, the errors
// written by an ErrorWriter with its scratch files in dir.
func streamErrors(t *testing.T, rng *rand.Rand, docs []Doc, dir string) ([]byte, *Report) {
	t.Helper()
	var out bytes.Buffer
	ew := NewErrorWriter(&out, dir)
	sc := NewScorer()
	sc.WriteErrorsTo(ew)
	for len(docs) > 0 {
		n := min(len(docs), 1+rng.IntN(40))
		sc.Add(docs[:n])
		docs = docs[n:]
	}
	rep := sc.Report()
	if err := ew.Close(); err != nil {
		t.Fatal(err)
	}
	return out.Bytes(), rep
}

// The errors written as the documents are scored are byte for byte the
// list WriteErrors writes from the whole report, whatever order the
// documents come in (in id order, shuffled, reversed, ids twice), and the
// report counts them without listing them.
func TestErrorWriterWritesWhatWriteErrorsWrites(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 5))
	twice := randomDocs(rng, 300)
	for i := range twice {
		twice[i].ID = twice[i].ID[:2] // "d0"…"d9": every id many times
	}
	fixtures := map[string][]Doc{
		"synthetic":      synthCorpus(400),
		"random":         randomDocs(rng, 3000),
		"ids twice":      twice,
		"mixed":          {mixedDoc()},
		"relations":      relationDocs(),
		"no predictions": {doc("a", []annotate.Span{sp(0, 3, "X")}, nil), doc("b", nil, nil)},
		"none":           nil,
	}
	dir := t.TempDir()
	for name, docs := range fixtures {
		for _, order := range []string{"as made", "shuffled", "reversed"} {
			docs := slices.Clone(docs)
			switch order {
			case "shuffled":
				rng.Shuffle(len(docs), func(a, b int) { docs[a], docs[b] = docs[b], docs[a] })
			case "reversed":
				slices.Reverse(docs)
			}
			want := Score(docs)
			var wantOut bytes.Buffer
			if err := WriteErrors(&wantOut, want); err != nil {
				t.Fatal(err)
			}
			got, rep := streamErrors(t, rng, docs, dir)
			if !bytes.Equal(got, wantOut.Bytes()) {
				t.Fatalf("%s, %s: streamed errors differ:\n%.2000s\nwant\n%.2000s", name, order, got, wantOut.Bytes())
			}
			if len(rep.Errors)+len(rep.RelationErrors) != 0 {
				t.Errorf("%s: the report lists %d errors it wrote", name, len(rep.Errors)+len(rep.RelationErrors))
			}
			if rep.ErrorCount != len(want.Errors) || rep.RelationErrorCount != len(want.RelationErrors) || want.ErrorCount != len(want.Errors) {
				t.Errorf("%s: counts %d, %d; want %d, %d", name, rep.ErrorCount, rep.RelationErrorCount, len(want.Errors), len(want.RelationErrors))
			}
			var text, wantText bytes.Buffer
			rep.WriteText(&text)
			want.WriteText(&wantText)
			if text.String() != wantText.String() {
				t.Errorf("%s: text report\n%s\nwant\n%s", name, text.String(), wantText.String())
			}
		}
	}
	if left, _ := os.ReadDir(dir); len(left) > 0 {
		t.Errorf("scratch files left: %v", left)
	}
}

// relationDocs are the documents of TestRelationsReport's kind: relations
// missed and spurious on two documents.
func relationDocs() []Doc {
	text := "قال الصفدي إن الأردن يرفض الخطة"
	gold := []annotate.Span{rsp(0, 3, "CUE"), rsp(4, 10, "PERSON"), rsp(14, 31, "CLAIM")}
	pred := []annotate.Span{rsp(0, 3, "CUE"), rsp(14, 20, "STATE"), rsp(14, 31, "CLAIM")}
	return []Doc{
		{ID: "r2", Text: text, Gold: gold, Pred: pred, GoldRel: []annotate.Relation{rl(2, 1, "SOURCE"), rl(2, 0, "CUE")}, PredRel: []annotate.Relation{rl(2, 1, "SOURCE")}},
		{ID: "r1", Text: text, Gold: gold, Pred: pred, GoldRel: []annotate.Relation{rl(2, 1, "SOURCE")}, PredRel: []annotate.Relation{rl(2, 0, "CUE"), rl(2, 1, "SOURCE")}},
	}
}

// A scorer that starts on an ErrorWriter drops what an earlier one wrote
// (the whole reading after a streamed one gave up); Discard writes nothing.
func TestErrorWriterStartsOver(t *testing.T) {
	var out bytes.Buffer
	ew := NewErrorWriter(&out, t.TempDir())
	first := NewScorer()
	first.WriteErrorsTo(ew)
	first.Add([]Doc{doc("z", []annotate.Span{sp(0, 3, "X")}, nil)})
	rep := ScoreTo([]Doc{doc("a", nil, []annotate.Span{sp(1, 2, "Y")})}, ew)
	if err := ew.Close(); err != nil {
		t.Fatal(err)
	}
	if got := out.String(); strings.Count(got, "\n") != 1 || !strings.Contains(got, `"document":"a","kind":"spurious"`) || rep.ErrorCount != 1 {
		t.Fatalf("errors %q, count %d", got, rep.ErrorCount)
	}
	out.Reset()
	ScoreTo([]Doc{doc("a", nil, []annotate.Span{sp(1, 2, "Y")})}, ew)
	ew.Discard()
	if out.Len() != 0 {
		t.Fatalf("discarded, wrote %q", out.String())
	}
}

type failWriter struct{}

var errFull = errors.New("disk full")

func (failWriter) Write([]byte) (int, error) { return 0, errFull }

// A failed write is Close's error.
func TestErrorWriterFails(t *testing.T) {
	ew := NewErrorWriter(failWriter{}, t.TempDir())
	ScoreTo([]Doc{doc("a", []annotate.Span{sp(0, 3, "X")}, nil)}, ew)
	if err := ew.Close(); !errors.Is(err, errFull) {
		t.Fatalf("Close: %v", err)
	}
	if err := NewErrorWriter(&bytes.Buffer{}, "/nonexistent/folder").Close(); err != nil {
		t.Fatalf("no errors, no scratch file: %v", err)
	}
	ew = NewErrorWriter(&bytes.Buffer{}, "/nonexistent/folder")
	ScoreTo([]Doc{doc("a", []annotate.Span{sp(0, 3, "X")}, nil)}, ew)
	if err := ew.Close(); err == nil || !strings.Contains(err.Error(), "/nonexistent/folder") {
		t.Fatalf("scratch file in a missing folder: %v", err)
	}
}

// errorDocs makes batch k of documents whose every word is a gold span
// the predictions miss but the first, which a prediction of another label
// overlaps: a batch of 50 documents of 500 words has 25,000 errors.
func errorDocs(k int) []Doc {
	const word = "الأردن " // 6 code points and a space
	docs := make([]Doc, 50)
	for i := range docs {
		gold := make([]annotate.Span, 500)
		for j := range gold {
			gold[j] = annotate.Span{Start: 7 * j, End: 7*j + 6, Label: []string{"PERSON", "STATE"}[(i+j)%2]}
		}
		docs[i] = Doc{ID: "d" + itoa(k*len(docs)+i), Text: strings.Repeat(word, len(gold)), Gold: gold, Pred: []annotate.Span{{Start: 0, End: 1, Label: "CUE"}}}
	}
	return docs
}

// Scoring with an ErrorWriter holds no error: after 400 documents with
// 200,000 errors what stays live is a few hundred KB (an entry per
// document, the buffers), where the report listing them holds about 60 MB
// (an error, its span and text, and the list's copy: 300 bytes). What is
// live after a collection is what the errors add to the peak.
func TestErrorsStreamInBoundedMemory(t *testing.T) {
	live := func(ew *ErrorWriter) (uint64, *Report) {
		var before, after runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&before)
		sc := NewScorer()
		if ew != nil {
			sc.WriteErrorsTo(ew)
		}
		for k := range 8 {
			sc.Add(errorDocs(k))
		}
		rep := sc.Report()
		runtime.GC()
		runtime.ReadMemStats(&after)
		runtime.KeepAlive(sc)
		if after.HeapAlloc < before.HeapAlloc {
			return 0, rep
		}
		return after.HeapAlloc - before.HeapAlloc, rep
	}
	var out countWriter
	ew := NewErrorWriter(&out, t.TempDir())
	streamed, rep := live(ew)
	if err := ew.Close(); err != nil {
		t.Fatal(err)
	}
	listed, all := live(nil)
	t.Logf("%d errors (%d MB written): %d KB live streamed, %d MB listed", rep.ErrorCount, out.n>>20, streamed>>10, listed>>20)
	if rep.ErrorCount != 200000 || all.ErrorCount != rep.ErrorCount || out.lines != rep.ErrorCount {
		t.Fatalf("errors %d, listed %d, written %d", rep.ErrorCount, all.ErrorCount, out.lines)
	}
	if streamed > 2<<20 {
		t.Errorf("scoring with the errors written holds %d MB after %d errors", streamed>>20, rep.ErrorCount)
	}
	if listed < 8*streamed {
		t.Errorf("the listed errors hold %d KB, streamed %d KB: the test measures nothing", listed>>10, streamed>>10)
	}
}

type countWriter struct{ n, lines int }

func (w *countWriter) Write(p []byte) (int, error) {
	w.n += len(p)
	w.lines += bytes.Count(p, []byte{'\n'})
	return len(p), nil
}
