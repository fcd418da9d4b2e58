package export

import (
	"bytes"
	"encoding/json"
	"io"
	"iter"
	"sort"
	"strings"

	"tawsim/annotate"
	"tawsim/annotate/tokens"
)

// spacy: spaCy/Prodigy JSONL (ner_manual / spans_manual output), one
// document per line, code-point offsets:
//
//	{"text":…,"meta":{"id":…,"title":…[,"meta":{…}]},
//	 "tokens":[{"text","start","end","id","ws"}],
//	 "spans":[{"start","end","label","token_start","token_end"}],
//	 "answer":"accept"[,"_annotator_id":…]}
//
// token_end is inclusive, as in Prodigy. Tokens come from annotate/tokens,
// split at every span boundary; nested spans are all kept.

func init() {
	register(singleFile("spacy", "spaCy/Prodigy JSONL with tokens and spans (ner_manual), code-point offsets", ".jsonl", true, encodeSpacy, decodeSpacy))
}

func encodeSpacy(w io.Writer, recs iter.Seq[annotate.Record], opts Options) (Stats, error) {
	var st Stats
	bw := newBufWriter(w)
	var b []byte
	var toks []tokens.Token
	var cuts []int
	for rec := range recs {
		layer, err := pickLayer(&rec, &opts)
		if err != nil {
			return st, err
		}
		if err := checkLayer(&rec.Doc, layer); err != nil {
			return st, err
		}
		spans, rels := layerParts(layer)
		st.RelationsDropped += len(rels)
		cuts = spanCuts(cuts, spans)
		toks = tokens.Tokenize(toks[:0], rec.Doc.Text, cuts)
		b = append(b[:0], `{"text":`...)
		b = appendString(b, rec.Doc.Text)
		b = append(b, `,"meta":{"id":`...)
		b = appendString(b, rec.Doc.ID)
		b = append(b, `,"title":`...)
		b = appendString(b, rec.Doc.Title)
		if len(rec.Doc.Meta) > 0 {
			var c bytes.Buffer
			if err := json.Compact(&c, rec.Doc.Meta); err != nil {
				return st, err
			}
			b = append(b, `,"meta":`...)
			b = append(b, c.Bytes()...)
		}
		b = append(b, `},"tokens":[`...)
		for i, t := range toks {
			if i > 0 {
				b = append(b, ',')
			}
			b = append(b, `{"text":`...)
			b = appendString(b, t.Text)
			b = append(b, `,"start":`...)
			b = appendInt(b, t.Start)
			b = append(b, `,"end":`...)
			b = appendInt(b, t.End)
			b = append(b, `,"id":`...)
			b = appendInt(b, i)
			if t.WS {
				b = append(b, `,"ws":true}`...)
			} else {
				b = append(b, `,"ws":false}`...)
			}
		}
		b = append(b, `],"spans":[`...)
		for i, sp := range spans {
			if i > 0 {
				b = append(b, ',')
			}
			b = append(b, `{"start":`...)
			b = appendInt(b, sp.Start)
			b = append(b, `,"end":`...)
			b = appendInt(b, sp.End)
			b = append(b, `,"label":`...)
			b = appendString(b, sp.Label)
			ts := sort.Search(len(toks), func(k int) bool { return toks[k].Start >= sp.Start })
			te := sort.Search(len(toks), func(k int) bool { return toks[k].End > sp.End }) - 1
			if ts <= te {
				b = append(b, `,"token_start":`...)
				b = appendInt(b, ts)
				b = append(b, `,"token_end":`...)
				b = appendInt(b, te)
			}
			b = append(b, '}')
		}
		b = append(b, `],"answer":"accept"`...)
		if layer != nil && layer.Annotator != "" {
			b = append(b, `,"_annotator_id":`...)
			b = appendString(b, layer.Annotator)
		}
		b = append(b, "}\n"...)
		if _, err := bw.Write(b); err != nil {
			return st, err
		}
		st.Documents++
		st.Spans += len(spans)
	}
	if st.RelationsDropped > 0 {
		st.Warnings = append(st.Warnings, "relations dropped: the spaCy span format has none")
	}
	return st, bw.Flush()
}

type spacyLine struct {
	Text      *string      `json:"text"`
	Meta      spacyMeta    `json:"meta"`
	Tokens    []spacyToken `json:"tokens"`
	Spans     []spacySpan  `json:"spans"`
	Answer    string       `json:"answer"`
	Annotator string       `json:"_annotator_id"`
}

type spacyMeta struct {
	ID    json.RawMessage `json:"id"`
	Title string          `json:"title"`
	Meta  json.RawMessage `json:"meta"`
}

type spacyToken struct {
	Text  string `json:"text"`
	Start *int   `json:"start"`
	End   *int   `json:"end"`
	WS    bool   `json:"ws"`
}

type spacySpan struct {
	Start      *int   `json:"start"`
	End        *int   `json:"end"`
	Label      string `json:"label"`
	TokenStart *int   `json:"token_start"`
	TokenEnd   *int   `json:"token_end"`
}

func decodeSpacy(r io.Reader, name string) ([]annotate.Record, []string, error) {
	var out []annotate.Record
	var warns []string
	err := scanLines(r, name, func(lineNo int, line []byte) error {
		if err := annotate.ValidUTF8(line); err != nil {
			return lineErr(name, lineNo, "invalid UTF-8: %v", err)
		}
		if line[0] != '{' {
			return lineErr(name, lineNo, "not a JSON object")
		}
		var sl spacyLine
		if err := json.Unmarshal(line, &sl); err != nil {
			return lineErr(name, lineNo, "not a spaCy/Prodigy JSON object: %v", jsonReason(err))
		}
		id, err := idOf(sl.Meta.ID, name, lineNo)
		if err != nil {
			return err
		}
		switch sl.Answer {
		case "", "accept":
		case "reject", "ignore":
			warns = append(warns, warnf(name, lineNo, "document %q: answer %q: skipped (not gold)", id, sl.Answer))
			return nil
		default:
			return lineErr(name, lineNo, "document %q: unknown answer %q", id, sl.Answer)
		}
		var text string
		if sl.Text != nil {
			text = *sl.Text
		} else {
			if sl.Tokens == nil {
				return lineErr(name, lineNo, `document %q: neither "text" nor "tokens"`, id)
			}
			var sb strings.Builder
			for _, t := range sl.Tokens {
				sb.WriteString(t.Text)
				if t.WS {
					sb.WriteByte(' ')
				}
			}
			text = sb.String()
		}
		raw := []rune(text)
		// Tokens must agree with the text.
		pos := 0
		for i := range sl.Tokens {
			t := &sl.Tokens[i]
			if t.Start == nil || t.End == nil {
				if sl.Text != nil {
					return lineErr(name, lineNo, "document %q: token %d has no start or end", id, i)
				}
				n := len([]rune(t.Text))
				s, e := pos, pos+n
				t.Start, t.End = &s, &e
			}
			if *t.Start < 0 || *t.End > len(raw) || *t.Start > *t.End || string(raw[*t.Start:*t.End]) != t.Text {
				return lineErr(name, lineNo, "document %q: token %d %q [%d,%d) does not match the text", id, i, t.Text, *t.Start, *t.End)
			}
			pos = *t.End
			if t.WS {
				pos++
			}
		}
		spans := make([]annotate.Span, 0, len(sl.Spans))
		for i, s := range sl.Spans {
			sp := annotate.Span{Label: s.Label}
			switch {
			case s.Start != nil && s.End != nil:
				sp.Start, sp.End = *s.Start, *s.End
			case s.TokenStart != nil && s.TokenEnd != nil:
				ts, te := *s.TokenStart, *s.TokenEnd
				if ts < 0 || te >= len(sl.Tokens) || ts > te {
					return lineErr(name, lineNo, "document %q: span %d: tokens %d..%d are not tokens of this line", id, i, ts, te)
				}
				sp.Start, sp.End = *sl.Tokens[ts].Start, *sl.Tokens[te].End
			default:
				return lineErr(name, lineNo, "document %q: span %d has no start/end", id, i)
			}
			spans = append(spans, sp)
		}
		var meta json.RawMessage
		if m := bytes.TrimSpace(sl.Meta.Meta); len(m) > 0 && !bytes.Equal(m, []byte("null")) {
			if m[0] != '{' {
				return lineErr(name, lineNo, `document %q: "meta.meta" must be an object`, id)
			}
			meta = m
		}
		rec, err := BuildRecord(id, text, sl.Meta.Title, meta, sl.Annotator, spans, nil)
		if err != nil {
			return lineErr(name, lineNo, "%v", err)
		}
		rec.Line = lineNo
		out = append(out, rec)
		return nil
	})
	if err != nil {
		return nil, nil, err
	}
	return out, warns, nil
}
