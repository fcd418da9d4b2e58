package export

import (
	"bytes"
	"encoding/json"
	"errors"
	"reflect"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"
)

// The fast parser must read what encoding/json reads, the same way.
var nativeCases = []string{
	`{"id":"a","text":"نص"}`,
	`{"id":"a","text":"نص \"مقتبس\" \\ \/ \n\t\u0041\u00e9\ud83d\ude00 \ud800 x","title":null,"meta":{"k":[1,2.5e3,{"x":null}],"s":"\u0627"}}`,
	` { "id" : "a" , "text" : "x" , "spans" : [ { "start" : 0 , "end" : 1 , "label" : "L" , "extra" : [true,false,null] } ] , "relations" : [ {"head":0,"tail":0,"label":"R"} ] , "annotator" : "b" } `,
	`{"id":"a","text":"x","spans":null,"relations":[]}`,
	`{"id":"a","text":"x","spans":[{"start":null,"end":1,"label":"L"}]}`,
	`{"id":"a","text":"x","spans":[{"start":-3,"end":1,"label":"L","text":"y"}]}`,
	`{"id":"a","id":"b","text":"x"}`,
	`{"id":"a","text":"xy","annotator":"gold","spans":[{"start":0,"end":1,"label":"L","votes":["a","c"],"decision":"chosen","decided_by":"lead"}]}`,
	`{"id":"a","text":"xy","annotator":"b","spans":[{"start":0,"end":1,"label":"L","origin":"gazetteer"},{"start":1,"end":2,"label":"L","origin":null}]}`,
	`{"text":"x"}`,
	`{}`,
	`{"id":"a","text":"x","annotator":"b","gold_status":"finished","status":"done","seconds":12.5,"revision":3,"modified":"2026-01-02T03:04:05.000006Z","clock":{"r1":2,"r2":1}}`,
	`{"id":"a","text":"x","annotator":"b","seconds":null,"revision":null,"clock":null}`,
	`{"id":"a","text":"x","annotator":"b","clock":{},"seconds":1e2,"revision":-0}`,
	`{"id":"a","text":"x","clock":{"r":1,"r":2}}`,
	`{"id":"a","text":"x","clock":{"r":null}}`,
}

var badNative = []string{
	`{"id":"a","text":"x"`,
	`{"id":"a","text":"x"} extra`,
	`{"id":"a","text":"x","spans":[{"start":1.5,"end":2,"label":"L"}]}`,
	`{"id":"a","text":"x","spans":[{"start":"1","end":2,"label":"L"}]}`,
	`{"id":1,"text":"x"}`,
	`{"id":"a","text":["x"]}`,
	`{"id":"a","text":"x\u12"}`,
	`{"id":"a","text":"x","meta":{"k":tru}}`,
	`{"id":"a","text":"x",}`,
	"{\"id\":\"a\",\"text\":\"tab\there\"}",
	`[1,2]`,
	``,
	`{"id":"a","text":"x","revision":1.5}`,
	`{"id":"a","text":"x","revision":"1"}`,
	`{"id":"a","text":"x","clock":[1]}`,
	`{"id":"a","text":"x","seconds":1e999}`,
}

func TestFastParserMatchesEncodingJSON(t *testing.T) {
	for _, c := range append(append(append([]string{}, nativeCases...), badNative...), badMeta...) {
		sameAsUnmarshal(t, []byte(c))
	}
	for _, c := range nativeCases {
		var want nativeLine
		if err := json.Unmarshal([]byte(c), &want); err != nil {
			t.Fatalf("encoding/json rejects %s: %v", c, err)
		}
		got, err := parseNative([]byte(c))
		if err != nil {
			t.Fatalf("parseNative(%s): %v", c, err)
		}
		if len(want.Meta) > 0 {
			var a, b any
			json.Unmarshal(want.Meta, &a)
			json.Unmarshal(got.Meta, &b)
			if !reflect.DeepEqual(a, b) {
				t.Fatalf("meta %s vs %s", got.Meta, want.Meta)
			}
			want.Meta, got.Meta = nil, nil
		}
		if len(want.Spans) == 0 {
			want.Spans = nil
		}
		if len(got.Spans) == 0 {
			got.Spans = nil
		}
		if len(want.Relations) == 0 {
			want.Relations = nil
		}
		if len(got.Relations) == 0 {
			got.Relations = nil
		}
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("%s:\n got %+v\nwant %+v", c, got, want)
		}
	}
	for _, c := range badNative {
		var v nativeLine
		if json.Unmarshal([]byte(c), &v) == nil {
			t.Fatalf("encoding/json accepts %s", c)
		}
		if _, err := parseNative([]byte(c)); err == nil {
			t.Fatalf("parseNative accepts %s", c)
		}
	}
}

// sameAsUnmarshal fails t unless parseNative and its fast reader give what
// json.Unmarshal gives for data: the same accept/reject, the same values.
func sameAsUnmarshal(t *testing.T, data []byte) {
	t.Helper()
	want, werr := unmarshalNative(data)
	if fast, ok := fastNative(data); ok {
		if werr != nil {
			t.Fatalf("fast reader accepts %q, encoding/json refuses it: %v", data, werr)
		}
		if !reflect.DeepEqual(fast, want) {
			t.Fatalf("%q:\n fast %+v\n json %+v", data, fast, want)
		}
	}
	got, gerr := parseNative(data)
	if (gerr == nil) != (werr == nil) || gerr == nil && !reflect.DeepEqual(got, want) {
		t.Fatalf("%q: parseNative %+v, %v; json.Unmarshal %+v, %v", data, got, gerr, want, werr)
	}
	if utf8.Valid(data) {
		got, gerr := parseValidNative(data)
		if (gerr == nil) != (werr == nil) || gerr == nil && !reflect.DeepEqual(got, want) {
			t.Fatalf("%q: parseValidNative %+v, %v; json.Unmarshal %+v, %v", data, got, gerr, want, werr)
		}
	}
}

func FuzzNativeParser(f *testing.F) {
	for _, c := range append(append([]string{}, nativeCases...), badNative...) {
		f.Add([]byte(c))
	}
	for _, c := range badMeta {
		f.Add([]byte(c))
	}
	var buf bytes.Buffer
	jsonl, _ := Lookup("jsonl")
	jsonl.Encode(&buf, slices.Values(sampleRecords(f)), Options{})
	for _, l := range bytes.Split(buf.Bytes(), []byte("\n")) {
		f.Add(l)
	}
	f.Add([]byte(`{"ID":"a","Text":"x","ſpans":[]}`))
	f.Add([]byte(`{"id":"a","text":"x","spans":[{"start":0,"end":1,"label":"L"}],"spans":[{"label":"M"}]}`))
	f.Add([]byte(`{"id":"a","text":"\ud83d\ude00\ud83d\u0041\udc00","title":null,"annotator":null}`))
	f.Add([]byte(`{"id":"a","text":"x","spans":[{"start":-0,"end":1e0,"label":"L","votes":[null,"b"],"decision":null}]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		sameAsUnmarshal(t, data)
		if !utf8.Valid(data) {
			// The line reader refuses invalid UTF-8 before any parser.
			if _, err := parseNativeLine(data, "f.jsonl", 1, parseNative); err == nil {
				t.Fatalf("invalid UTF-8 accepted: %q", data)
			}
		}
	})
}

// badMeta are lines that encoding/json refuses inside "meta" and that the
// reader once stored verbatim.
var badMeta = []string{
	`{"id":"a","text":"x","meta":{"n":+1}}`,
	`{"id":"a","text":"x","meta":{"n":01}}`,
	`{"id":"a","text":"x","meta":{"n":.5}}`,
	`{"id":"a","text":"x","meta":{"n":[1.]}}`,
	`{"id":"a","text":"x","meta":{"n":1e}}`,
	`{"id":"a","text":"x","meta":{"n":-}}`,
}

func deepMeta(depth int) string {
	return `{"id":"a","text":"x","meta":{"k":` + strings.Repeat("[", depth) + strings.Repeat("]", depth) + `}}`
}

// TestBadMetaRefused: numbers outside the JSON grammar and nesting deeper
// than encoding/json allows are refused at import, naming file, line and
// reason, instead of being stored and breaking every later export.
func TestBadMetaRefused(t *testing.T) {
	cases := map[string]string{
		badMeta[0]:      "invalid character '+' looking for beginning of value",
		badMeta[1]:      "invalid character '1' after object key:value pair",
		badMeta[2]:      "invalid character '.' looking for beginning of value",
		badMeta[3]:      "invalid character ']' after decimal point in numeric literal",
		deepMeta(20000): "exceeded max depth",
		deepMeta(9998):  "", // 10,000 levels with the line and meta objects: allowed
		deepMeta(9999):  "exceeded max depth",
	}
	for line, want := range cases {
		in := `{"id":"ok","text":"y"}` + "\n" + line + "\n"
		recs, err := ReadJSONL(strings.NewReader(in), "bad.jsonl")
		if want == "" {
			if err != nil {
				t.Fatalf("%.60s…: %v", line, err)
			}
			continue
		}
		var le *LineError
		if err == nil || !errors.As(err, &le) || le.File != "bad.jsonl" || le.Line != 2 || recs != nil {
			t.Fatalf("%.60s…: err %v, %d records", line, err, len(recs))
		}
		if !strings.HasPrefix(err.Error(), "bad.jsonl:2: not a JSON object of the native shape: ") || !strings.Contains(err.Error(), want) {
			t.Fatalf("%.60s…: error %q lacks %q", line, err, want)
		}
	}
}

// TestFastPathTaken: our own exports never leave the fast reader, so what
// BenchmarkReadJSONL measures is what imports get.
func TestFastPathTaken(t *testing.T) {
	var buf bytes.Buffer
	jsonl, _ := Lookup("jsonl")
	recs := sampleRecords(t)
	recs[0].Doc.Meta = json.RawMessage(`{"source":"x","n":[1,-2.5e3,true,null,{"k":"\u0627"}]}`)
	recs[0].Layers[0].Spans[0].Votes = []string{"a", "b"}
	recs[0].Layers[0].Spans[0].Decision = "chosen"
	recs = append(recs, benchRecords(t, 3)...)
	if _, err := jsonl.Encode(&buf, slices.Values(recs), Options{}); err != nil {
		t.Fatal(err)
	}
	for _, l := range bytes.Split(bytes.TrimSpace(buf.Bytes()), []byte("\n")) {
		if _, ok := fastNative(l); !ok {
			t.Fatalf("fast reader gave up on our own line %.80s…", l)
		}
		sameAsUnmarshal(t, l)
	}
}

// A relation index outside the line's spans is refused with both indices
// and the spans there are.
func TestRelationIndexOutOfRange(t *testing.T) {
	line := `{"id":"d","text":"قال فيدان","spans":[{"start":0,"end":3,"label":"CUE"},{"start":4,"end":9,"label":"PERSON"}],"relations":[{"head":1,"tail":9,"label":"SOURCE"}]}`
	_, err := ReadJSONL(strings.NewReader(line+"\n"), "r.jsonl")
	if err == nil || !strings.Contains(err.Error(), `r.jsonl:1: document "d": relation 0 joins spans 1 and 9, but the line has spans 0 to 1`) {
		t.Fatalf("err = %v", err)
	}
}
