package export

import (
	"bytes"
	"encoding/json"
	"reflect"
	"slices"
	"strings"
	"testing"

	"tawsim/annotate"
	"tawsim/assets"
)

// spaCy's Doc(words, spaces): "ws" means exactly one U+0020 follows, and
// the words with their spaces give the text back. Any other white space is
// a token of its own.
func TestSpacyTokensRebuildTheText(t *testing.T) {
	texts := []string{"a\nb", "a\tb", "a\u00a0b", "a  b", " lead", "trail ", "a \n b", "\n\n", " ", "", "x. \ny", "وصل 😀\u00a0وفد\n\nعمّان ", arText}
	for _, f := range assets.SampleCorpus() {
		text, err := annotate.NormalizeString(string(f.Data))
		if err != nil {
			t.Fatal(err)
		}
		texts = append(texts, text)
	}
	var recs []annotate.Record
	for i, text := range texts {
		recs = append(recs, annotate.Record{Doc: doc(itoa(i), text)})
	}
	withSpans := sampleRecords(t)[0]    // token_start/token_end still point right
	withSpans.Layers[0].Relations = nil // the format has none
	recs = append(recs, withSpans)
	f, _ := Lookup("spacy")
	var buf bytes.Buffer
	if _, err := f.Encode(&buf, slices.Values(recs), Options{}); err != nil {
		t.Fatal(err)
	}
	for i, line := range strings.Split(strings.TrimSuffix(buf.String(), "\n"), "\n") {
		var sl spacyLine
		if err := json.Unmarshal([]byte(line), &sl); err != nil {
			t.Fatal(err)
		}
		text := []rune(*sl.Text)
		var sb strings.Builder
		for k, tok := range sl.Tokens {
			if string(text[*tok.Start:*tok.End]) != tok.Text {
				t.Fatalf("doc %d: token %d %q [%d,%d)", i, k, tok.Text, *tok.Start, *tok.End)
			}
			sb.WriteString(tok.Text)
			if tok.WS {
				if *tok.End >= len(text) || text[*tok.End] != ' ' {
					t.Fatalf("doc %d: token %d %q has ws but no space follows", i, k, tok.Text)
				}
				sb.WriteByte(' ')
			}
		}
		if sb.String() != *sl.Text {
			t.Fatalf("doc %d: tokens rebuild %q, text is %q", i, sb.String(), *sl.Text)
		}
		for _, sp := range sl.Spans {
			if *sl.Tokens[*sp.TokenStart].Start != *sp.Start || *sl.Tokens[*sp.TokenEnd].End != *sp.End {
				t.Fatalf("doc %d: span %+v", i, sp)
			}
		}
	}
	if !strings.Contains(buf.String(), `{"text":"a","start":0,"end":1,"id":0,"ws":false},{"text":"\n","start":1,"end":2,"id":1,"ws":false},{"text":"b"`) ||
		!strings.Contains(buf.String(), `{"text":"a","start":0,"end":1,"id":0,"ws":true},{"text":" ","start":2,"end":3,"id":1,"ws":false},{"text":"b"`) {
		t.Fatalf("white-space tokens:\n%s", buf.String())
	}
	// Prodigy lines without "text" rebuild it from the tokens.
	tokensOnly := `{"tokens":[{"text":"a","ws":true},{"text":"\n"},{"text":"b","ws":false},{"text":"\t"},{"text":"c"}],"spans":[{"token_start":4,"token_end":4,"label":"X"}]}`
	back, _, err := f.Decode(strings.NewReader(tokensOnly), "p.jsonl")
	if err != nil || back[0].Doc.Text != "a \nb\tc" || back[0].Layers[0].Spans[0].Text != "c" {
		t.Fatalf("%v %+v", err, back)
	}
	sameData(t, recs, reexport(t, "spacy", recs))
}

// A rel.manual line: relations by their spans (head_span, child_span) or,
// without them, by the token ending each end.
func TestProdigyRelationsFixture(t *testing.T) {
	recs, _ := mustRead(t, "spacy", "testdata/prodigy-rel.jsonl")
	l := recs[0].Layers[0]
	want := []annotate.Relation{{Head: 2, Tail: 1, Label: "SOURCE"}, {Head: 2, Tail: 0, Label: "CUE"}}
	if !reflect.DeepEqual(l.Relations, want) || l.Spans[2].Label != "CLAIM" {
		t.Fatalf("relations %+v of %+v", l.Relations, l.Spans)
	}
	var buf bytes.Buffer
	f, _ := Lookup("spacy")
	st, err := f.Encode(&buf, slices.Values(recs), Options{})
	if err != nil || st.Relations != 2 || st.RelationsDropped != 0 {
		t.Fatalf("%v %+v", err, st)
	}
	if !strings.Contains(buf.String(), `"relations":[{"head":5,"child":1,"head_span":{"start":14,"end":31,"label":"CLAIM","token_start":3,"token_end":5},"child_span":{"start":4,"end":10,"label":"PERSON","token_start":1,"token_end":1},"label":"SOURCE"},{"head":5,"child":0,"head_span":{"start":14,"end":31,"label":"CLAIM","token_start":3,"token_end":5},"child_span":{"start":0,"end":3,"label":"CUE","token_start":0,"token_end":0},"label":"CUE"}]`) {
		t.Fatal(buf.String())
	}
	sameData(t, recs, reexport(t, "spacy", recs))
	// A token that ends two spans does not say which.
	bad := `{"text":"ab","tokens":[{"text":"ab","start":0,"end":2}],"spans":[{"start":0,"end":2,"label":"A","token_start":0,"token_end":0},{"start":1,"end":2,"label":"B","token_start":0,"token_end":0}],"relations":[{"head":0,"child":0,"label":"R"}]}`
	if _, _, err := f.Decode(strings.NewReader(bad), "x.jsonl"); err == nil || !strings.Contains(err.Error(), "x.jsonl:1: ") || !strings.Contains(err.Error(), "token 0 ends more than one span") {
		t.Fatalf("ambiguous token: %v", err)
	}
}
