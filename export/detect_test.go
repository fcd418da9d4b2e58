package export

import (
	"strings"
	"testing"
)

// A first line longer than longLine is detected by its keys, read as it
// goes, with the keys after a long text seen too.
func TestDetectLongFirstLine(t *testing.T) {
	text := strings.Repeat("نص \\\"طويل\\\" ", longLine/10)
	for in, want := range map[string]string{
		`{"text":"` + text + `","label":[[0,2,"PER"]]}`:                     "doccano",
		`{"id":"a","text":"` + text + `","meta":{"k":[1,{"x":"}"}]},"n":1}`: "jsonl",
		`{"tokens":["` + text + `"],"ner_tags":[0]}`:                        "hf",
		`{"text":"` + text + `","label":"x"}`:                               "",
		`{"text":"` + text + `"`:                                            "",
	} {
		got, err := DetectReader(strings.NewReader(in+"\n{}\n"), "f.jsonl")
		if got != want || (want == "") != (err != nil) {
			t.Fatalf("%.40s…: %q %v, want %q", in, got, err, want)
		}
	}
}
