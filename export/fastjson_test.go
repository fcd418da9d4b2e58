package export

import (
	"encoding/json"
	"reflect"
	"testing"
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
	`{"text":"x"}`,
	`{}`,
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
}

func TestFastParserMatchesEncodingJSON(t *testing.T) {
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
