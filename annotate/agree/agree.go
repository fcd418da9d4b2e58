// Package agree measures inter-annotator agreement on span annotations,
// pooled over all documents: one table of units and one sum of counts for
// the whole set (never an average of per-document figures, except the one
// α_u mean labelled as such).
//
// # Units and categories
//
// A unit is a code point of a document's text that is not white space
// (unicode.IsSpace; so U+00A0 NO-BREAK SPACE is not a unit). A unit's
// category for one annotator is the label of the covering span with the
// smallest (end − start, start, label) — the shortest covering span, ties to
// the earlier start, then to the label in string order — or "O" (Outside)
// when no span covers it. Every annotator is taken to have labelled every
// unit of every document given: a missing layer counts as a layer without
// spans, so callers exclude incomplete documents first (see Complete).
//
// # Coefficients
//
// For every pair of annotators (in the order given: a–b, a–c, b–c): Cohen's
// kappa with observed and expected agreement (each annotator's own
// marginals) and Krippendorff's alpha (nominal). Over all annotators:
// Fleiss' (1971) kappa and Krippendorff's alpha (nominal, coincidence-matrix
// form). A coefficient whose expected agreement is 1 (alpha: expected
// disagreement 0) or that has no units is undefined: it is nil, and a note
// gives the reason; it is never reported as 1 or NaN.
//
// # Span F1
//
// For every pair the first annotator is the reference and the second the
// candidate.
//   - strict: a match is a candidate span with the same start, end and label
//     as a reference span, counted one-to-one (multiset intersection);
//     P = matches/|candidate|, R = matches/|reference|.
//   - boundary: the same with the label ignored (same start and end).
//   - overlap: a span is matched when a span of the same label on the other
//     side shares at least one code point (touching spans do not overlap);
//     P = matched candidate spans/|candidate|, R = matched reference
//     spans/|reference|, each side counted separately.
//   - per label: strict, restricted to one label. A label that neither side
//     uses is left out.
//
// F1 = 2PR/(P+R), and 0 when P+R = 0. A precision with no candidate spans is
// 0, a recall with no reference spans is 0; when both sides have no spans
// at all, P, R and F1 are all nil (JSON null) with a note, since nothing was
// there to agree or disagree on.
//
// # Disagreements
//
// Span disagreements of a pair are found per document, spans paired
// one-to-one in this order: exact matches (not disagreements); "label" —
// same start and end, different label; "boundary" — same label, overlapping,
// different boundaries; "crossing" — overlapping, different label, different
// boundaries. A span left over that still overlaps a span of the other side
// (already paired, e.g. one long span against two short ones) is reported
// against the first such span with the kind those two spans give; a span
// overlapping nothing on the other side is "missing" there. Boundary
// disagreements carry a cause when the two spans share their end and the
// longer one only adds, at the start, an Arabic clitic prefix ("clitic":
// و ف, then ب ك ل or لل, then ال, e.g. والأردن/الأردن, بتركيا/تركيا), a title
// word ("title": الرئيس, الوزير, السيد, الشيخ, الدكتور, …) or quotation marks
// ("quote": « " “ …; the ends may then differ by closing quotes).
//
// # Unitizing alpha
//
// Krippendorff's α_u (1995; 2004, §12.4), as INCEpTION reports it through
// DKPro Agreement, works on the continuum rather than on cut units: the
// documents concatenated in input order, each occupying its length in code
// points (white space included). Units are each annotator's spans, the
// category is the label. Per label c each annotator's continuum is cut
// into c-units and gaps (units of other labels are invisible for c); two
// overlapping c-units disagree by (Δbegin)² + (Δend)², a c-unit inside a
// gap of the other annotator by its length squared. D_o(c) sums that over
// ordered annotator pairs and divides by R(R−1)L²; D_e(c) is Krippendorff's
// 2004 expected disagreement (see unitizing.go); α_u(c) = 1 − D_o/D_e and
// the overall α_u = 1 − Σ_c D_o(c)/Σ_c D_e(c). Pairs get α_u of the two
// alone. Overlapping spans of one annotator and label break α_u's
// precondition: they are merged into their union and counted. A value whose
// D_e is 0 is nil with a note. All also gives the mean of the documents'
// own α_u over the documents with spans, the figure INCEpTION shows.
//
// # Relations
//
// A relation is (head span, tail span, label) within one annotator's layer.
// For every pair (first annotator the reference, summed over documents):
//   - strict: relations match one-to-one on (head start, head end, head
//     label, tail start, tail end, tail label, relation label); matches =
//     Σ over those keys of min(count in A, count in B); P = matches/|B|,
//     R = matches/|A|.
//   - boundary: the same without the two span labels.
//   - overlap: a relation is matched when the other side has one with the
//     same relation label whose head has the same span label and shares at
//     least one code point with its head, and whose tail likewise with its
//     tail; each side counted separately, as for spans.
//   - per label: strict, per relation label present in either layer.
//
// Unlike span F1, a ratio whose denominator is 0 is 0 (never nil).
// Attribution pairs the CLAIM spans of A and B with the same start and end
// (repeated ones one-to-one, equal source sets first) and counts the pairs
// whose source sets agree: the set of (start, end, label) of the tails of
// the claim's SOURCE relations, both empty counting as the same. Its
// agreement, same_source/claims_matched, is nil when no claim is paired.
//
// # Later
//
// Report.Unit names the unit ("char"); token units would be a further Unit
// value with its own fields in All and Pair.
package agree

import (
	"errors"
	"fmt"
	"slices"

	"tawsim/annotate"
)

// Outside is the category of a unit no span covers.
const Outside = "O"

// Unit names what one unit of agreement is.
type Unit string

// UnitChar is the only unit implemented: one non-space code point.
const UnitChar Unit = "char"

// Doc is one document with every annotator's spans. Offsets are code points
// into Text, end exclusive. Layers is keyed by annotator name; layers of
// annotators not asked for are ignored, a missing layer means no spans.
//
// Relations holds each annotator's relations, whose Head and Tail index
// that annotator's spans in Layers.
type Doc struct {
	ID        string
	Text      string
	Layers    map[string][]annotate.Span
	Relations map[string][]annotate.Relation
}

// Options tunes Compute. The zero value is the default.
type Options struct {
	Unit    Unit // "" or UnitChar
	NoItems bool // leave DocReport.Items empty (counts are still given)
}

// Report is the result of Compute. Its JSON form is the agreement report.
type Report struct {
	Unit       Unit     `json:"unit"`
	Documents  int      `json:"documents"`
	Units      int      `json:"units"`
	Annotators []string `json:"annotators"`
	// Categories are the unit categories: "O", then the labels in string
	// order. Confusion matrices are indexed in this order.
	Categories []string     `json:"categories"`
	Pairs      []Pair       `json:"pairs"`
	All        All          `json:"all"`
	Labels     []LabelStats `json:"labels"`
	// Docs has one entry per input document, in input order; see
	// DocsByDisagreement for the review order.
	Docs []DocReport `json:"by_document"`
}

// Pair is the agreement of two annotators; A is the reference for span F1.
type Pair struct {
	A                     string   `json:"a"`
	B                     string   `json:"b"`
	CohenKappa            *float64 `json:"cohen_kappa"`
	CohenKappaNote        string   `json:"cohen_kappa_note,omitempty"`
	ObservedAgreement     *float64 `json:"observed_agreement"` // nil only without units
	ExpectedAgreement     *float64 `json:"expected_agreement"` // nil only without units
	KrippendorffAlpha     *float64 `json:"krippendorff_alpha"`
	KrippendorffAlphaNote string   `json:"krippendorff_alpha_note,omitempty"`
	SpanF1                SpanF1   `json:"span_f1"`
	// Confusion[i][j] counts units A put in category i and B in category j.
	Confusion     [][]int64          `json:"confusion"`
	Disagreements DisagreementCounts `json:"disagreements"`
	// UnitizingAlpha is α_u of the pair alone (R = 2).
	UnitizingAlpha
	RelationF1  RelationF1  `json:"relation_f1"`
	Attribution Attribution `json:"attribution"`
}

// All holds the coefficients over all annotators at once.
type All struct {
	FleissKappa           *float64 `json:"fleiss_kappa"`
	FleissKappaNote       string   `json:"fleiss_kappa_note,omitempty"`
	KrippendorffAlpha     *float64 `json:"krippendorff_alpha"`
	KrippendorffAlphaNote string   `json:"krippendorff_alpha_note,omitempty"`
	// ObservedAgreement is Fleiss' P̄: the share of agreeing ordered pairs
	// of annotators over all units (equal to alpha's observed agreement).
	ObservedAgreement *float64 `json:"observed_agreement"`
	// ExpectedAgreement is Fleiss' P̄e = Σ_j p_j².
	ExpectedAgreement *float64 `json:"expected_agreement"`
	UnitizingAlpha
	// AlphaUMergedOverlaps counts the spans merged into an overlapping span
	// of the same annotator and label for α_u.
	AlphaUMergedOverlaps int `json:"alpha_u_merged_overlaps"`
	// AlphaUDocumentMean is the mean of the documents' own α_u (each
	// document its own continuum, all annotators) over the AlphaUDocuments
	// documents with spans: the figure INCEpTION shows, not a pooled one.
	AlphaUDocumentMean     *float64 `json:"alpha_u_document_mean"`
	AlphaUDocumentMeanNote string   `json:"alpha_u_document_mean_note,omitempty"`
	AlphaUDocuments        int      `json:"alpha_u_documents"`
}

// UnitizingAlpha is Krippendorff's unitizing alpha, overall and per label
// (the labels the annotators compared use). A value whose expected
// disagreement is 0 is nil with a note.
type UnitizingAlpha struct {
	AlphaU              *float64            `json:"alpha_u"`
	AlphaUNote          string              `json:"alpha_u_note,omitempty"`
	AlphaUPerLabel      map[string]*float64 `json:"alpha_u_per_label"`
	AlphaUPerLabelNotes map[string]string   `json:"alpha_u_per_label_notes,omitempty"`
}

// SpanF1 is the span-level comparison of a pair (A reference, B candidate).
type SpanF1 struct {
	Strict   Match            `json:"strict"`
	Boundary Match            `json:"boundary"`
	Overlap  OverlapMatch     `json:"overlap"`
	PerLabel map[string]Match `json:"per_label"`
}

// Scores are the sizes of the two sides of a span comparison with its
// precision, recall and F1; the three are nil (with Note) only when both
// sides have no spans.
type Scores struct {
	Reference int      `json:"reference"`
	Candidate int      `json:"candidate"`
	Precision *float64 `json:"precision"`
	Recall    *float64 `json:"recall"`
	F1        *float64 `json:"f1"`
	Note      string   `json:"note,omitempty"`
}

// Match is a one-to-one span match count with its scores.
type Match struct {
	Matches int `json:"matches"`
	Scores
}

// OverlapMatch counts matched spans on each side separately.
type OverlapMatch struct {
	MatchedReference int `json:"matched_reference"`
	MatchedCandidate int `json:"matched_candidate"`
	Scores
}

// LabelStats counts, for one label, spans and units per annotator.
type LabelStats struct {
	Label string         `json:"label"`
	Spans map[string]int `json:"spans"`
	Units map[string]int `json:"units"`
}

// Kind is the kind of a span disagreement.
type Kind string

const (
	KindBoundary Kind = "boundary" // same label, overlapping, different boundaries
	KindLabel    Kind = "label"    // same boundaries, different label
	KindCrossing Kind = "crossing" // overlapping, different label and boundaries
	KindMissing  Kind = "missing"  // the span has no overlapping span on the other side
)

// Causes of boundary disagreements.
const (
	CauseClitic = "clitic" // the longer span adds an Arabic clitic prefix
	CauseTitle  = "title"  // the longer span adds a title word (and quotes)
	CauseQuote  = "quote"  // the longer span adds quotation marks only
)

// Disagreement is one span disagreement between annotators A and B of
// document Doc. SpanA or SpanB is nil for a span missing on that side.
// Span texts are the document's text; span IDs are the callers'.
type Disagreement struct {
	Doc   string         `json:"doc"`
	A     string         `json:"a"`
	B     string         `json:"b"`
	Kind  Kind           `json:"kind"`
	Cause string         `json:"cause,omitempty"` // boundary only: CauseClitic, CauseTitle, CauseQuote or ""
	SpanA *annotate.Span `json:"span_a"`
	SpanB *annotate.Span `json:"span_b"`
}

// DisagreementCounts counts span disagreements by kind.
type DisagreementCounts struct {
	Total              int `json:"total"`
	Boundary           int `json:"boundary"`
	BoundaryClitic     int `json:"boundary_clitic"`
	BoundaryTitleQuote int `json:"boundary_title_quote"`
	Label              int `json:"label"`
	Crossing           int `json:"crossing"`
	MissingInA         int `json:"missing_in_a"` // B has a span A lacks
	MissingInB         int `json:"missing_in_b"` // A has a span B lacks
}

func (c *DisagreementCounts) add(d *rawItem) {
	c.Total++
	switch d.kind {
	case KindBoundary:
		c.Boundary++
		switch d.cause {
		case CauseClitic:
			c.BoundaryClitic++
		case CauseTitle, CauseQuote:
			c.BoundaryTitleQuote++
		}
	case KindLabel:
		c.Label++
	case KindCrossing:
		c.Crossing++
	case KindMissing:
		if !d.hasA {
			c.MissingInA++
		} else {
			c.MissingInB++
		}
	}
}

func (c *DisagreementCounts) plus(o DisagreementCounts) {
	c.Total += o.Total
	c.Boundary += o.Boundary
	c.BoundaryClitic += o.BoundaryClitic
	c.BoundaryTitleQuote += o.BoundaryTitleQuote
	c.Label += o.Label
	c.Crossing += o.Crossing
	c.MissingInA += o.MissingInA
	c.MissingInB += o.MissingInB
}

// DocReport is the disagreement of one document, summed over all pairs.
type DocReport struct {
	Index int    `json:"index"` // position in the input
	ID    string `json:"id"`
	Units int    `json:"units"`
	// UnitDisagreements counts units whose category is not the same for
	// all annotators.
	UnitDisagreements int                `json:"unit_disagreements"`
	Disagreements     DisagreementCounts `json:"disagreements"`
	// Items lists the span disagreements of every pair, by position.
	Items []Disagreement `json:"items,omitempty"`
}

// DocsByDisagreement returns the documents most disagreed on first: by span
// disagreements, then unit disagreements, then input order.
func (r *Report) DocsByDisagreement() []*DocReport {
	out := make([]*DocReport, len(r.Docs))
	for i := range r.Docs {
		out[i] = &r.Docs[i]
	}
	slices.SortStableFunc(out, func(x, y *DocReport) int {
		if x.Disagreements.Total != y.Disagreements.Total {
			return y.Disagreements.Total - x.Disagreements.Total
		}
		if x.UnitDisagreements != y.UnitDisagreements {
			return y.UnitDisagreements - x.UnitDisagreements
		}
		return x.Index - y.Index
	})
	return out
}

// Complete keeps the documents that have a layer (possibly empty) for every
// annotator and returns the IDs of the others.
func Complete(docs []Doc, annotators []string) (kept []Doc, excluded []string) {
	for _, d := range docs {
		ok := true
		for _, a := range annotators {
			if _, has := d.Layers[a]; !has {
				ok = false
				break
			}
		}
		if ok {
			kept = append(kept, d)
		} else {
			excluded = append(excluded, d.ID)
		}
	}
	return kept, excluded
}

// DocsFromRecords groups records (e.g. one JSONL line per document and
// annotator) into Docs by document ID, in order of first appearance. Records
// of one ID must have the same text; one annotator may have only one layer
// per document, and every layer must name its annotator.
func DocsFromRecords(recs []annotate.Record) ([]Doc, error) {
	var docs []Doc
	idx := map[string]int{}
	for _, rec := range recs {
		i, seen := idx[rec.Doc.ID]
		if !seen {
			i = len(docs)
			idx[rec.Doc.ID] = i
			docs = append(docs, Doc{ID: rec.Doc.ID, Text: rec.Doc.Text, Layers: map[string][]annotate.Span{}, Relations: map[string][]annotate.Relation{}})
		} else if docs[i].Text != rec.Doc.Text {
			return nil, fmt.Errorf("document %q (line %d): text differs from an earlier record of the same document", rec.Doc.ID, rec.Line)
		}
		for _, l := range rec.Layers {
			if l.Annotator == "" {
				return nil, fmt.Errorf("document %q (line %d): a layer names no annotator", rec.Doc.ID, rec.Line)
			}
			if _, dup := docs[i].Layers[l.Annotator]; dup {
				return nil, fmt.Errorf("document %q (line %d): annotator %q has two layers", rec.Doc.ID, rec.Line, l.Annotator)
			}
			docs[i].Layers[l.Annotator] = l.Spans
			if len(l.Relations) > 0 {
				docs[i].Relations[l.Annotator] = l.Relations
			}
		}
	}
	return docs, nil
}

// Annotators is the sorted set of annotator names of docs.
func Annotators(docs []Doc) []string {
	set := map[string]bool{}
	for _, d := range docs {
		for a := range d.Layers {
			set[a] = true
		}
	}
	out := make([]string, 0, len(set))
	for a := range set {
		out = append(out, a)
	}
	slices.Sort(out)
	return out
}

var errFewAnnotators = errors.New("agreement needs at least two annotators")

func f64(v float64) *float64 { return &v }
