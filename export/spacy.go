package export

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"iter"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"tawsim/annotate"
	"tawsim/annotate/tokens"
)

// spacy: spaCy/Prodigy JSONL (ner_manual / spans_manual output), one
// document per line, code-point offsets:
//
//	{"text":…,"meta":{"id":…,"title":…[,"meta":{…}]},
//	 "tokens":[{"text","start","end","id","ws"}],
//	 "spans":[{"start","end","label","token_start","token_end"}],
//	 ["relations":[{"head","child","head_span":{…},"child_span":{…},"label"}],]
//	 "answer":"accept"[,"_annotator_id":…]}
//
// token_end is inclusive, as in Prodigy. Relations are written as Prodigy's
// rel.manual writes them: "head" and "child" are the token indices of the
// last token of each end, "head_span" and "child_span" the ends as in
// "spans". Reading takes the ends from "head_span" and "child_span" (they
// tell nested spans apart), or else from the one span of "spans" ending
// at token "head" or "child". Tokens come from annotate/tokens,
// split at every span boundary; nested spans are all kept. "ws" is true
// exactly when one U+0020 follows (spaCy's Doc(words, spaces)); any other
// white space between two tokens (a newline, a tab, a no-break space, a
// second space) is a token of its own, as spaCy's tokenizer makes them, so
// joining every token's text and its space gives the text back.

// spacyLine is the shape of one spaCy/Prodigy line.
type spacyLine struct {
	Text      *string      `json:"text"`
	Meta      spacyMeta    `json:"meta"`
	Tokens    []spacyToken `json:"tokens"`
	Spans     []spacySpan  `json:"spans"`
	Relations []spacyRel   `json:"relations,omitempty"`
	Answer    string       `json:"answer"`
	Annotator string       `json:"_annotator_id,omitempty"`
}

type spacyMeta struct {
	ID    docID           `json:"id"`
	Title string          `json:"title"`
	Meta  json.RawMessage `json:"meta,omitempty"` // the document's own metadata
}

type spacyToken struct {
	Text  string     `json:"text"`
	Start *int       `json:"start"`
	End   *int       `json:"end"`
	ID    tokenIndex `json:"id"`
	WS    bool       `json:"ws"`
}

// spacyRel is a relation in Prodigy's rel.manual shape.
type spacyRel struct {
	Head      *int       `json:"head"`
	Child     *int       `json:"child"`
	HeadSpan  *spacySpan `json:"head_span,omitempty"`
	ChildSpan *spacySpan `json:"child_span,omitempty"`
	Label     string     `json:"label"`
}

// tokenIndex is a token's "id": written as its index, not read (the
// position in "tokens" is what counts).
type tokenIndex int

func (*tokenIndex) UnmarshalJSON([]byte) error { return nil }

type spacySpan struct {
	Start      *int   `json:"start"`
	End        *int   `json:"end"`
	Label      string `json:"label"`
	TokenStart *int   `json:"token_start,omitempty"`
	TokenEnd   *int   `json:"token_end,omitempty"`
}

func encodeSpacy(w io.Writer, recs iter.Seq[annotate.Record], opts Options) (Stats, error) {
	var st Stats
	bw := newBufWriter(w)
	lines := newLineEncoder(bw)
	var cuts, tokIdx []int
	var toks []spacyTok
	line := spacyLine{Tokens: []spacyToken{}, Spans: []spacySpan{}, Answer: "accept"}
	for rec := range recs {
		layer, err := chosenLayer(&rec, &opts)
		if err != nil {
			return st, err
		}
		spans, rels := layerParts(layer)
		text := rec.Doc.Text
		cuts = spanCuts(cuts, spans)
		// A long text's tokens are not held: they are counted once to
		// find the spans' tokens, and written as they come (writeStreamed).
		long := len(text) >= streamText
		toks, line.Tokens = toks[:0], line.Tokens[:0]
		if long {
			tokIdx = spanTokens(tokIdx, spans, spacyToks(text, cuts))
		} else {
			for t := range spacyToks(text, cuts) {
				toks = append(toks, t)
			}
			for i := range toks {
				t := &toks[i]
				line.Tokens = append(line.Tokens, spacyToken{Text: t.text, Start: &t.start, End: &t.end, ID: tokenIndex(i), WS: t.ws})
			}
			tokIdx = spanTokens(tokIdx, spans, slices.Values(toks))
		}
		line.Text = &rec.Doc.Text
		line.Meta = spacyMeta{ID: docID(rec.Doc.ID), Title: rec.Doc.Title}
		if line.Meta.Meta, err = storedMeta(&rec.Doc); err != nil {
			return st, err
		}
		line.Spans = line.Spans[:0]
		for i := range spans {
			sp := &spans[i]
			s := spacySpan{Start: &sp.Start, End: &sp.End, Label: sp.Label}
			if tokIdx[2*i] <= tokIdx[2*i+1] {
				s.TokenStart, s.TokenEnd = &tokIdx[2*i], &tokIdx[2*i+1]
			}
			line.Spans = append(line.Spans, s)
		}
		line.Relations = line.Relations[:0]
		for i := range rels {
			r := &rels[i]
			if r.Head < 0 || r.Head >= len(spans) || r.Tail < 0 || r.Tail >= len(spans) {
				return st, fmt.Errorf("document %q: relation %d points outside the layer's spans", rec.Doc.ID, i)
			}
			h, c := &line.Spans[r.Head], &line.Spans[r.Tail]
			line.Relations = append(line.Relations, spacyRel{Head: h.TokenEnd, Child: c.TokenEnd, HeadSpan: h, ChildSpan: c, Label: r.Label})
		}
		st.Relations += len(rels)
		line.Annotator = ""
		if layer != nil {
			line.Annotator = layer.Annotator
		}
		if long {
			err = writeSpacyStreamed(lines, &line, cuts)
		} else {
			err = lines.write(&line, &line.Text, true)
		}
		if err != nil {
			return st, err
		}
		st.Documents++
		st.Spans += len(spans)
	}
	return st, bw.Flush()
}

// writeSpacyStreamed writes line, whose Tokens are left empty, as
// encoding/json would with the tokens of its text (cuts as for spacyToks)
// in them, holding neither the tokens nor the escaped text: the line is
// encoded with an empty text and an empty token list, and the text and the
// tokens are written where those are.
func writeSpacyStreamed(le *lineEncoder, line *spacyLine, cuts []int) error {
	text, empty := line.Text, ""
	line.Text = &empty
	le.buf.Reset()
	err := le.enc.Encode(&line.Meta)
	metaLen := le.buf.Len() - 1 // less Encode's newline
	if err == nil {
		le.buf.Reset()
		err = le.enc.Encode(line)
	}
	line.Text = text
	if err != nil {
		return err
	}
	skel := le.buf.Bytes()
	const open, list = `{"text":""`, `,"tokens":[`
	at := len(open) + len(`,"meta":`) + metaLen + len(list) // where the tokens go
	if !bytes.HasPrefix(skel, []byte(open)) || !bytes.HasPrefix(skel[at-len(list):], []byte(list+"]")) {
		return fmt.Errorf("document %q: spaCy line of an unexpected shape", string(line.Meta.ID))
	}
	w := le.w
	w.WriteString(`{"text":`)
	writeJSONString(w, *text)
	w.Write(skel[len(open):at])
	k := 0
	var num []byte
	for t := range spacyToks(*text, cuts) {
		if k > 0 {
			w.WriteByte(',')
		}
		w.WriteString(`{"text":`)
		writeJSONString(w, t.text)
		num = strconv.AppendInt(append(num[:0], `,"start":`...), int64(t.start), 10)
		num = strconv.AppendInt(append(num, `,"end":`...), int64(t.end), 10)
		num = strconv.AppendInt(append(num, `,"id":`...), int64(k), 10)
		num = strconv.AppendBool(append(num, `,"ws":`...), t.ws)
		w.Write(append(num, '}'))
		k++
	}
	_, err = w.Write(skel[at:])
	return err
}

// spacyTok is a spaCy token: its text, offsets and whether one U+0020
// follows.
type spacyTok struct {
	text       string
	start, end int
	ws         bool
}

// spacyToks yields the spaCy tokens of text, holding one at a time: the
// tokens of annotate/tokens (split at cuts), and between them a token for
// every gap of white space that is not one U+0020 (a gap that starts with
// U+0020 gives it to the token before as "ws").
func spacyToks(text string, cuts []int) iter.Seq[spacyTok] {
	return func(yield func(spacyTok) bool) {
		var sc tokens.Scanner
		sc.Reset(text, cuts)
		var pend spacyTok // the last token, not yet yielded: its ws may change
		has := false
		b, cp := 0, 0 // byte and code point reached in text
		// gap takes the white space from cp to end: yields the pending
		// token and makes the gap (less a leading U+0020) the pending one.
		gap := func(end int) bool {
			from := b
			for ; cp < end; cp++ {
				_, n := utf8.DecodeRuneInString(text[b:])
				b += n
			}
			g := text[from:b]
			start := cp - utf8.RuneCountInString(g)
			if has && g != "" && g[0] == ' ' {
				pend.ws = true
				g, start = g[1:], start+1
			}
			if has && !yield(pend) {
				return false
			}
			pend, has = spacyTok{text: g, start: start, end: cp}, g != ""
			return true
		}
		for t, ok := sc.Next(); ok; t, ok = sc.Next() {
			if !gap(t.Start) || has && !yield(pend) {
				return
			}
			pend, has = spacyTok{text: t.Text, start: t.Start, end: t.End}, true
			b += len(t.Text)
			cp = t.End
		}
		if gap(utf8.RuneCountInString(text[b:])+cp) && has {
			yield(pend)
		}
	}
}

// spanTokens returns, for span i at 2i and 2i+1 of dst (reused), its
// token_start and token_end: the first token that starts at or after the
// span's start and the last that ends at or before its end (token_start >
// token_end when the span covers no whole token). toks come in text order,
// their starts and ends ascending, so one pass finds them all.
func spanTokens(dst []int, spans []annotate.Span, toks iter.Seq[spacyTok]) []int {
	n := len(spans)
	dst = slices.Grow(dst[:0], 2*n)[:2*n]
	byStart, byEnd := make([]int, n), make([]int, n)
	for i := range n {
		byStart[i], byEnd[i] = i, i
	}
	slices.SortFunc(byStart, func(a, b int) int { return spans[a].Start - spans[b].Start })
	slices.SortFunc(byEnd, func(a, b int) int { return spans[a].End - spans[b].End })
	si, ei, k := 0, 0, 0
	for t := range toks {
		for ; si < n && spans[byStart[si]].Start <= t.start; si++ {
			dst[2*byStart[si]] = k
		}
		for ; ei < n && spans[byEnd[ei]].End < t.end; ei++ {
			dst[2*byEnd[ei]+1] = k - 1
		}
		k++
	}
	for ; si < n; si++ {
		dst[2*byStart[si]] = k
	}
	for ; ei < n; ei++ {
		dst[2*byEnd[ei]+1] = k - 1
	}
	return dst
}

func decodeSpacy(r io.Reader, name string) ([]annotate.Record, []string, error) {
	return decodeJSONL(r, name, func(line []byte, lineNo int) (*annotate.Record, []string, error) {
		if line[0] != '{' {
			return nil, nil, lineErr(name, lineNo, "not a JSON object")
		}
		var sl spacyLine
		if err := json.Unmarshal(line, &sl); err != nil {
			return nil, nil, lineErr(name, lineNo, "not a spaCy/Prodigy JSON object: %v", jsonReason(err))
		}
		id := sl.Meta.ID.or(name, lineNo)
		switch sl.Answer {
		case "", "accept":
		case "reject", "ignore":
			return nil, []string{warnf(name, lineNo, "document %q: answer %q: skipped (not gold)", id, sl.Answer)}, nil
		default:
			return nil, nil, lineErr(name, lineNo, "document %q: unknown answer %q", id, sl.Answer)
		}
		var text string
		if sl.Text != nil {
			text = *sl.Text
		} else {
			if sl.Tokens == nil {
				return nil, nil, lineErr(name, lineNo, `document %q: neither "text" nor "tokens"`, id)
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
					return nil, nil, lineErr(name, lineNo, "document %q: token %d has no start or end", id, i)
				}
				n := len([]rune(t.Text))
				s, e := pos, pos+n
				t.Start, t.End = &s, &e
			}
			if *t.Start < 0 || *t.End > len(raw) || *t.Start > *t.End || string(raw[*t.Start:*t.End]) != t.Text {
				return nil, nil, lineErr(name, lineNo, "document %q: token %d %q [%d,%d) does not match the text", id, i, t.Text, *t.Start, *t.End)
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
				if ts, te := s.TokenStart, s.TokenEnd; ts != nil && te != nil && !tokensCover(sl.Tokens, *ts, *te, sp) {
					return nil, nil, lineErr(name, lineNo, "document %q: span %d: token_start %d and token_end %d disagree with start %d and end %d", id, i, *ts, *te, sp.Start, sp.End)
				}
			case s.TokenStart != nil && s.TokenEnd != nil:
				ts, te := *s.TokenStart, *s.TokenEnd
				if ts < 0 || te >= len(sl.Tokens) || ts > te {
					return nil, nil, lineErr(name, lineNo, "document %q: span %d: tokens %d..%d are not tokens of this line", id, i, ts, te)
				}
				sp.Start, sp.End = *sl.Tokens[ts].Start, *sl.Tokens[te].End
			default:
				return nil, nil, lineErr(name, lineNo, "document %q: span %d has no start/end", id, i)
			}
			spans = append(spans, sp)
		}
		var meta json.RawMessage
		if m := bytes.TrimSpace(sl.Meta.Meta); len(m) > 0 && !bytes.Equal(m, []byte("null")) {
			if m[0] != '{' {
				return nil, nil, lineErr(name, lineNo, `document %q: "meta.meta" must be an object`, id)
			}
			meta = m
		}
		var rels []annotate.Relation
		for i, r := range sl.Relations {
			h, err := spacyEnd(sl.Spans, r.HeadSpan, r.Head)
			if err != nil {
				return nil, nil, lineErr(name, lineNo, "document %q: relation %d: head: %v", id, i, err)
			}
			c, err := spacyEnd(sl.Spans, r.ChildSpan, r.Child)
			if err != nil {
				return nil, nil, lineErr(name, lineNo, "document %q: relation %d: child: %v", id, i, err)
			}
			if r.Label == "" {
				return nil, nil, lineErr(name, lineNo, "document %q: relation %d has no label", id, i)
			}
			rels = append(rels, annotate.Relation{Head: h, Tail: c, Label: r.Label})
		}
		rec, err := BuildRecord(id, text, sl.Meta.Title, meta, sl.Annotator, spans, rels)
		return &rec, nil, err
	})
}

// tokensCover says whether tokens ts..te are those the characters of sp
// touch: ts the first token ending after sp.Start, te the last starting
// before sp.End (a span may cut a token, at a clitic).
func tokensCover(toks []spacyToken, ts, te int, sp annotate.Span) bool {
	if ts < 0 || te >= len(toks) || ts > te {
		return false
	}
	return *toks[ts].End > sp.Start && (ts == 0 || *toks[ts-1].End <= sp.Start) &&
		*toks[te].Start < sp.End && (te == len(toks)-1 || *toks[te+1].Start >= sp.End)
}

// spacyEnd finds the span of spans that a relation end names: the one
// equal to sp (start, end, label) when given, else the only one whose last
// token is tok.
func spacyEnd(spans []spacySpan, sp *spacySpan, tok *int) (int, error) {
	found := -1
	for i, s := range spans {
		var same bool
		switch {
		case sp != nil:
			same = s.Start != nil && sp.Start != nil && s.End != nil && sp.End != nil && *s.Start == *sp.Start && *s.End == *sp.End && s.Label == sp.Label
		case tok != nil:
			same = s.TokenEnd != nil && *s.TokenEnd == *tok
		default:
			return 0, fmt.Errorf("neither a span nor a token index")
		}
		if same && found >= 0 && sp == nil {
			return 0, fmt.Errorf("token %d ends more than one span: give the span", *tok)
		}
		if same && found < 0 {
			found = i
		}
	}
	if found < 0 {
		return 0, fmt.Errorf("not a span of this line")
	}
	return found, nil
}
