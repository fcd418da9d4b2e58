package export

import (
	"bytes"
	"errors"
	"os"
	"slices"
	"testing"

	"tawsim/annotate"
)

// checkRead asserts the contract of every reader: an error is a *LineError
// naming a line and comes with no records; records have consistent spans.
func checkRead(t *testing.T, recs []annotate.Record, err error) {
	t.Helper()
	if err != nil {
		var le *LineError
		if !errors.As(err, &le) || le.Line <= 0 || le.File == "" {
			t.Fatalf("error %q (%T) does not name a file and line", err, err)
		}
		if recs != nil {
			t.Fatal("records returned with an error")
		}
		return
	}
	for _, r := range recs {
		for i := range r.Layers {
			if err := checkLayer(&r.Doc, &r.Layers[i]); err != nil {
				t.Fatalf("reader produced an inconsistent record: %v", err)
			}
		}
	}
}

// seedFormat adds our own export of the sample records and a fixture.
func seedFormat(f *testing.F, name, fixture string) *Format {
	fm, _ := Lookup(name)
	var buf bytes.Buffer
	if _, err := fm.Encode(&buf, slices.Values(sampleRecords(f)), Options{DoccanoRelations: true}); err != nil {
		f.Fatal(err)
	}
	f.Add(buf.Bytes())
	if fixture != "" {
		b, err := os.ReadFile(fixture)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add([]byte{})
	f.Add([]byte("\xff\n"))
	return fm
}

func fuzzDecoder(f *testing.F, name, fixture string, extra ...string) {
	fm := seedFormat(f, name, fixture)
	for _, e := range extra {
		f.Add([]byte(e))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		recs, _, err := fm.Decode(bytes.NewReader(data), "fuzz."+name)
		checkRead(t, recs, err)
	})
}

func FuzzReadDoccano(f *testing.F) {
	fuzzDecoder(f, "doccano", "testdata/doccano.jsonl", `{"text":"a😀b","label":[[1,2,"X"],[0,3,"Y"]]}`, `{"text":"ab","entities":[{"id":1,"start_offset":0,"end_offset":1,"label":"A"}],"relations":[{"from_id":1,"to_id":1,"type":"r"}]}`)
}

func FuzzReadLabelStudio(f *testing.F) {
	fuzzDecoder(f, "labelstudio", "testdata/labelstudio.json", `[{"text":"x😀y","annotations":[{"completed_by":{"id":2},"result":[{"id":"a","type":"labels","value":{"start":1,"end":3,"labels":["E"]}}]}]}]`)
}

func FuzzReadSpacy(f *testing.F) {
	fuzzDecoder(f, "spacy", "testdata/prodigy.jsonl", `{"tokens":[{"text":"a","ws":true},{"text":"b"}],"spans":[{"token_start":0,"token_end":1,"label":"X"}]}`)
}

func FuzzReadHF(f *testing.F) {
	fuzzDecoder(f, "hf", "", `{"id":1,"tokens":["و","الأردن"],"ner_tags":["O","I-STATE"]}`, `{"tokens":[""],"ner_tags":["B-X"]}`)
}

func FuzzReadCoNLL(f *testing.F) {
	fuzzDecoder(f, "conll", "testdata/conll2003.txt", "a\tE-X\nb\tS-X\n\nc\tU-Y\nd\tL-Y\n", "-DOCSTART-\n\ta\tO\n")
}

func FuzzReadJSONL(f *testing.F) {
	fuzzDecoder(f, "jsonl", "", `{"id":"a","text":"\r\nab","spans":[{"start":0,"end":2,"label":"X"}]}`)
}

func FuzzReadBrat(f *testing.F) {
	txt, _ := os.ReadFile("testdata/brat/news-1.txt")
	ann, _ := os.ReadFile("testdata/brat/news-1.ann")
	f.Add(txt, ann)
	f.Add([]byte("a😀b\r\nc"), []byte("T1\tX 1 2\t😀\nT2\tY 0 1;2 3\ta b\nR1\tR Arg1:T1 Arg2:T2\n"))
	f.Add([]byte(""), []byte(""))
	f.Fuzz(func(t *testing.T, txt, ann []byte) {
		rec, _, err := parseBrat("d", "d.txt", txt, "d.ann", ann)
		if err != nil {
			var le *LineError
			if !errors.As(err, &le) || le.Line <= 0 || (le.File != "d.ann" && le.File != "d.txt") {
				t.Fatalf("error %q does not name the .ann/.txt file and line", err)
			}
			return
		}
		checkRead(t, []annotate.Record{rec}, nil)
	})
}
