package export

import (
	"fmt"
	"sort"
	"strings"

	"tawsim/annotate"
	"tawsim/annotate/tokens"
)

// Tag schemes of the token formats.
const (
	SchemeBIO   = "bio"
	SchemeBIOES = "bioes"
)

func normScheme(s string) (string, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "", SchemeBIO, "iob2":
		return SchemeBIO, nil
	case SchemeBIOES, "iobes":
		return SchemeBIOES, nil
	}
	return "", fmt.Errorf("unknown tag scheme %q (bio or bioes)", s)
}

// resolveOverlaps returns the spans BIO can hold, sorted by start, and how
// many were dropped. Rule: when spans overlap (or nest), the longest wins;
// among equally long ones the earliest start wins; then the first in the
// layer. Exact duplicates count as dropped too.
func resolveOverlaps(spans []annotate.Span) ([]annotate.Span, int) {
	kept := make([]annotate.Span, len(spans))
	copy(kept, spans)
	sort.SliceStable(kept, func(i, j int) bool { return kept[i].Start < kept[j].Start })
	ok := true
	for i := 1; i < len(kept); i++ {
		if kept[i].Start < kept[i-1].End {
			ok = false
			break
		}
	}
	if ok {
		return kept, 0
	}
	order := make([]int, len(spans))
	for i := range order {
		order[i] = i
	}
	sort.SliceStable(order, func(a, b int) bool {
		sa, sb := spans[order[a]], spans[order[b]]
		la, lb := sa.End-sa.Start, sb.End-sb.Start
		if la != lb {
			return la > lb
		}
		return sa.Start < sb.Start
	})
	kept = kept[:0]
	for _, i := range order {
		sp := spans[i]
		clash := false
		for _, k := range kept {
			if sp.Start < k.End && k.Start < sp.End {
				clash = true
				break
			}
		}
		if !clash {
			kept = append(kept, sp)
		}
	}
	sort.Slice(kept, func(i, j int) bool { return kept[i].Start < kept[j].Start })
	return kept, len(spans) - len(kept)
}

// spanCuts lists the starts and ends of spans, ascending.
func spanCuts(dst []int, spans []annotate.Span) []int {
	dst = dst[:0]
	for _, sp := range spans {
		dst = append(dst, sp.Start, sp.End)
	}
	sort.Ints(dst)
	return dst
}

// tagger tags the tokens of a document with non-overlapping spans as it
// scans them, reusing its buffers between documents: it holds the token
// being tagged and the one after it, never the document's tokens.
type tagger struct {
	scheme string
	cuts   []int
	cache  map[string]*[4]string // label -> B, I, E, S tags
}

func newTagger(scheme string) *tagger {
	return &tagger{scheme: scheme, cache: map[string]*[4]string{}}
}

func (t *tagger) tagsOf(label string) *[4]string {
	if c, ok := t.cache[label]; ok {
		return c
	}
	if strings.TrimSpace(label) == "" || strings.ContainsAny(label, " \t\n\r\v\f\u0085\u00a0\u2028\u2029") {
		return nil
	}
	c := &[4]string{"B-" + label, "I-" + label, "E-" + label, "S-" + label}
	t.cache[label] = c
	return c
}

// tagFunc receives each token in order with its tag; brk is set when a
// sentence ends after it (never inside a span).
type tagFunc func(tok *tokens.Token, tag string, brk bool) error

// run tokenizes text split at the kept spans (sorted by start) and hands
// each token with its tag to emit (nil: only check). It returns how many of
// the kept spans got at least one token (a span over spaces only gets
// none), or an error for a label that cannot be a tag.
func (t *tagger) run(text string, kept []annotate.Span, emit tagFunc) (int, error) {
	t.cuts = spanCuts(t.cuts, kept)
	var sc tokens.Scanner
	sc.Reset(text, t.cuts)
	cur, ok := sc.Next()
	si, written := 0, 0 // si: the first kept span not ending before cur
	prevSpan := -1
	for ok {
		next, more := sc.Next()
		for si < len(kept) && kept[si].End <= cur.Start {
			si++
		}
		tag, brk := "O", !more || cur.SentEnd
		if si < len(kept) && kept[si].Start <= cur.Start && cur.End <= kept[si].End {
			c := t.tagsOf(kept[si].Label)
			if c == nil {
				return 0, fmt.Errorf("label %q cannot be written as a tag (empty or contains white space)", kept[si].Label)
			}
			first := prevSpan != si
			last := !more || next.Start >= kept[si].End
			tag = c[1]
			switch {
			case first && last && t.scheme == SchemeBIOES:
				tag = c[3]
			case first:
				tag = c[0]
			case last && t.scheme == SchemeBIOES:
				tag = c[2]
			}
			if first {
				written++
			}
			brk = brk && last
			prevSpan = si
		} else {
			prevSpan = -1
		}
		if emit != nil {
			if err := emit(&cur, tag, brk); err != nil {
				return 0, err
			}
		}
		cur, ok = next, more
	}
	return written, nil
}

// tagDecoder rebuilds spans from token tags as conlleval does: B-X and S-X
// start a chunk, I-X and E-X continue a chunk of type X (E-X and S-X end
// it), and an I-X or E-X that does not continue a chunk of type X starts
// one (reported as a warning). L- and U- (BILOU) are read as E- and S-.
type tagDecoder struct {
	spans   []annotate.Span
	open    int // index into spans of the open chunk, -1 if none
	warns   []string
	orphans int
}

func newTagDecoder() *tagDecoder { return &tagDecoder{open: -1} }

// parseTag splits a tag into its prefix (O, B, I, E, S) and label.
func parseTag(tag string) (byte, string, error) {
	if tag == "O" {
		return 'O', "", nil
	}
	if len(tag) < 3 || (tag[1] != '-' && tag[1] != '_') {
		return 0, "", fmt.Errorf("tag %q is not O or B-/I-/E-/S-LABEL", tag)
	}
	p := tag[0]
	switch p {
	case 'B', 'I', 'E', 'S':
	case 'L':
		p = 'E'
	case 'U':
		p = 'S'
	default:
		return 0, "", fmt.Errorf("tag %q has an unknown prefix %q (O, B-, I-, E-, S-)", tag, tag[:1])
	}
	label := tag[2:]
	if strings.TrimSpace(label) == "" || strings.ContainsAny(label, " \t\n") {
		return 0, "", fmt.Errorf("tag %q has no usable label", tag)
	}
	return p, label, nil
}

// add feeds one token [start,end) with its tag. where names the token for
// warnings (e.g. "file:12").
func (d *tagDecoder) add(start, end int, tag string, where func() string) error {
	p, label, err := parseTag(tag)
	if err != nil {
		return err
	}
	cont := d.open >= 0 && d.spans[d.open].Label == label
	switch p {
	case 'O':
		d.open = -1
		return nil
	case 'I', 'E':
		if cont {
			d.spans[d.open].End = end
			if p == 'E' {
				d.open = -1
			}
			return nil
		}
		d.orphans++
		d.warns = append(d.warns, fmt.Sprintf("%s: %s without a preceding B-%s: starts a new span (as conlleval does)", where(), tag, label))
	}
	d.spans = append(d.spans, annotate.Span{Start: start, End: end, Label: label})
	d.open = len(d.spans) - 1
	if p == 'S' || p == 'E' {
		d.open = -1
	}
	return nil
}

// boundary closes the open chunk (sentence or document end).
func (d *tagDecoder) boundary() { d.open = -1 }

func (d *tagDecoder) reset() {
	d.spans, d.open, d.warns = nil, -1, nil
}
