// Package score scores an extractor's predicted spans against gold spans
// with the four schemes of SemEval-2013 task 9.1, named as the Python library
// nervaluate names them:
//
//   - strict: exact boundaries and the same label;
//   - exact: exact boundaries, label ignored;
//   - partial: boundaries, with half credit for an overlap;
//   - type: the same label, with any overlap.
//
// Every gold and predicted span ends as one outcome per scheme: COR
// (correct), INC (incorrect), PAR (partial), MIS (missing: a gold span with no
// pair) or SPU (spurious: a prediction with no pair). A gold span and a
// prediction can be paired only when they share at least one code point:
// touching spans such as [0,3) and [3,5) do not overlap. A pair's outcome:
//
//	                                 strict  exact  partial  type
//	same boundaries, same label      COR     COR    COR      COR
//	same boundaries, other label     INC     COR    COR      INC
//	overlap, same label              INC     INC    PAR      COR
//	overlap, other label             INC     INC    PAR      INC
//	gold span with no pair           MIS     MIS    MIS      MIS
//	prediction with no pair          SPU     SPU    SPU      SPU
//
// Pairing is one-to-one, per document and per scheme, and does not depend on
// the order of the input spans. Among all overlapping (gold, prediction)
// pairs, those that are correct under the scheme come first, then those with
// the same boundaries, then those with the same label, then larger overlap
// (in code points), then smaller boundary distance |gs−ps|+|ge−pe|, then the
// earlier spans (gold start, end, label, prediction start, end, label); the
// pairs are taken greedily in that order, skipping any whose gold span or
// prediction is already taken. Unlike nervaluate's first-come pairing, a
// prediction equal to the inner one of two nested gold spans is COR for the
// inner one, and the outer one is MIS, in every scheme.
//
// POS = COR+INC+PAR+MIS and ACT = COR+INC+PAR+SPU. Precision is
// (COR+½PAR)/ACT and recall (COR+½PAR)/POS for partial and type, COR/ACT and
// COR/POS for strict and exact; F1 = 2PR/(P+R); each is 0 where its
// denominator is 0. Micro scores count all spans; per-label scores restrict
// both gold and predictions to one label before pairing; macro scores are the
// unweighted means of the per-label precision, recall and F1 over the labels
// that occur in gold or predictions.
package score

import (
	"cmp"
	"maps"
	"slices"
	"strings"

	"tawsim/annotate"
	"tawsim/annotate/relmatch"
)

// Scheme is one of the four SemEval-2013 task 9.1 schemes.
type Scheme int

const (
	Strict Scheme = iota
	Exact
	Partial
	Type
)

// AllSchemes lists the schemes in report order.
var AllSchemes = [...]Scheme{Strict, Exact, Partial, Type}

var schemeNames = [...]string{"strict", "exact", "partial", "type"}

// String is the scheme's name in reports: strict, exact, partial or type.
func (s Scheme) String() string {
	if s < 0 || int(s) >= len(schemeNames) {
		return "scheme?"
	}
	return schemeNames[s]
}

// Outcome indexes.
const (
	cor = iota
	inc
	par
	mis
	spu
	nOutcomes
)

// Doc is one document to score: its gold spans and an extractor's predicted
// spans over the same text. Score reads only Start, End and Label of the
// spans (and Text, which it copies into error items, filling it from the
// document text when empty). Spans with End <= Start overlap nothing.
// GoldRel and PredRel are the relations of each side, indexing its spans.
type Doc struct {
	ID      string
	Text    string
	Gold    []annotate.Span
	Pred    []annotate.Span
	GoldRel []annotate.Relation
	PredRel []annotate.Relation
}

// Counts are one scheme's outcome counts and scores.
type Counts struct {
	Cor       int     `json:"cor"`
	Inc       int     `json:"inc"`
	Par       int     `json:"par"`
	Mis       int     `json:"mis"`
	Spu       int     `json:"spu"`
	Possible  int     `json:"possible"` // COR+INC+PAR+MIS
	Actual    int     `json:"actual"`   // COR+INC+PAR+SPU
	Precision float64 `json:"precision"`
	Recall    float64 `json:"recall"`
	F1        float64 `json:"f1"`
}

// Result holds the counts of the four schemes.
type Result struct {
	Strict  Counts `json:"strict"`
	Exact   Counts `json:"exact"`
	Partial Counts `json:"partial"`
	Type    Counts `json:"type"`
}

// Get returns the counts of scheme s.
func (r *Result) Get(s Scheme) *Counts { return ofScheme(s, &r.Strict, &r.Exact, &r.Partial, &r.Type) }

// ofScheme picks the one of a scheme's four fields that belongs to s.
func ofScheme[T any](s Scheme, strict, exact, partial, typ *T) *T {
	switch s {
	case Strict:
		return strict
	case Exact:
		return exact
	case Partial:
		return partial
	case Type:
		return typ
	}
	panic("score: unknown scheme")
}

// Averages are macro-averaged scores.
type Averages struct {
	Precision float64 `json:"precision"`
	Recall    float64 `json:"recall"`
	F1        float64 `json:"f1"`
}

// MacroResult holds the macro averages of the four schemes.
type MacroResult struct {
	Strict  Averages `json:"strict"`
	Exact   Averages `json:"exact"`
	Partial Averages `json:"partial"`
	Type    Averages `json:"type"`
}

// Get returns the averages of scheme s.
func (m *MacroResult) Get(s Scheme) *Averages {
	return ofScheme(s, &m.Strict, &m.Exact, &m.Partial, &m.Type)
}

// Error kinds: every outcome that is not COR under the strict scheme.
const (
	KindLabel         = "label"          // same boundaries, other label
	KindBoundary      = "boundary"       // overlap, other boundaries, same label
	KindBoundaryLabel = "boundary+label" // overlap, other boundaries and label
	KindMissing       = "missing"        // gold span with no pair
	KindSpurious      = "spurious"       // prediction with no pair
)

// ErrorItem is one non-COR outcome under the strict scheme. Gold is nil for
// a spurious prediction, Pred is nil for a missing gold span.
type ErrorItem struct {
	Document string         `json:"document"`
	Kind     string         `json:"kind"`
	Gold     *annotate.Span `json:"gold"`
	Pred     *annotate.Span `json:"pred"`
}

// Report is the result of Score. Its JSON form is
// {"documents","gold_spans","pred_spans","labels","micro","per_label","macro","relations"};
// Errors and RelationErrors are written separately, as JSONL, by
// WriteErrors, or by an ErrorWriter as they are found (the report then
// only counts them).
type Report struct {
	Documents int               `json:"documents"`
	GoldSpans int               `json:"gold_spans"`
	PredSpans int               `json:"pred_spans"`
	Labels    []string          `json:"labels"` // union of gold and predicted labels, sorted
	Micro     Result            `json:"micro"`
	PerLabel  map[string]Result `json:"per_label"`
	Macro     MacroResult       `json:"macro"`
	Relations RelResult         `json:"relations"`
	// Errors lists every non-COR outcome under the strict scheme, sorted by
	// document id (then input order for equal ids), then by offset.
	Errors []ErrorItem `json:"-"`
	// RelationErrors lists the relations without a strict match, in the
	// same document order, then by head, tail and label.
	RelationErrors []RelationError `json:"-"`
	// ErrorCount and RelationErrorCount count the errors, listed or
	// written.
	ErrorCount         int `json:"-"`
	RelationErrorCount int `json:"-"`
}

// tally is outcome counts per scheme.
type tally [4][nOutcomes]int

// result turns raw counts into a Result with scores.
func (t *tally) result() Result {
	var r Result
	for _, s := range AllSchemes {
		c := r.Get(s)
		c.Cor, c.Inc, c.Par, c.Mis, c.Spu = t[s][cor], t[s][inc], t[s][par], t[s][mis], t[s][spu]
		c.Possible = c.Cor + c.Inc + c.Par + c.Mis
		c.Actual = c.Cor + c.Inc + c.Par + c.Spu
		num := float64(c.Cor)
		if s == Partial || s == Type {
			num += 0.5 * float64(c.Par)
		}
		if c.Actual > 0 {
			c.Precision = num / float64(c.Actual)
		}
		if c.Possible > 0 {
			c.Recall = num / float64(c.Possible)
		}
		if c.Precision+c.Recall > 0 {
			c.F1 = 2 * c.Precision * c.Recall / (c.Precision + c.Recall)
		}
	}
	return r
}

// item is a span reduced to what pairing needs.
type item struct {
	start int
	end   int
	label int32 // rank of the label among the document's labels by name
	idx   int32 // index in Doc.Gold or Doc.Pred
}

// cand is an overlapping (gold, prediction) pair; g and p index the sorted
// gold and prediction items, so comparing them compares the spans by
// (start, end, label).
//
// key packs the boundary-first preference, smallest first:
// bit 63 = not same boundaries, bit 62 = not same label, bits 31..61 =
// maxKey − overlap, bits 0..30 = boundary distance.
type cand struct {
	key  uint64
	g, p int32
}

const (
	bitNotSameB = 1 << 63
	bitNotSameL = 1 << 62
	maxKey      = 1<<31 - 1
)

func candKey(sameB, sameL bool, ov, dist int) uint64 {
	var k uint64
	if !sameB {
		k |= bitNotSameB
	}
	if !sameL {
		k |= bitNotSameL
	}
	return k | uint64(maxKey-min(ov, maxKey))<<31 | uint64(min(dist, maxKey))
}

// labelFirst turns a boundary-first key into the label-first one by
// swapping its two top bits.
func labelFirst(k uint64) uint64 {
	return k&^(bitNotSameB|bitNotSameL) | (k&bitNotSameB)>>1 | (k&bitNotSameL)<<1
}

func boolFirst(a, b bool) int {
	if a == b {
		return 0
	}
	if a {
		return -1
	}
	return 1
}

func tieBreak(a, b cand) int {
	if c := cmp.Compare(a.g, b.g); c != 0 {
		return c
	}
	return cmp.Compare(a.p, b.p)
}

// byBoundary is the preference order of the strict, exact and partial
// schemes: (sameB, sameL, larger overlap, smaller distance, earlier gold,
// earlier prediction). For strict the first key "correct" is sameB && sameL,
// for exact and partial it is sameB; followed by (sameB, sameL) both give
// this same total order, so one pairing serves all three schemes.
func byBoundary(a, b cand) int {
	if c := cmp.Compare(a.key, b.key); c != 0 {
		return c
	}
	return tieBreak(a, b)
}

// byLabel is the preference order of the type scheme: correct = sameL, then
// sameB, then as byBoundary.
//
// It also gives every per-label pairing: restricted to one label, all four
// schemes order pairs by (sameB, overlap, distance, earlier), which is this
// order on same-label pairs. Same-label pairs all come before other-label
// pairs here, and pairs of different labels share no span, so the
// same-label pairs this greedy pass takes are exactly the pairs of the
// per-label passes.
func byLabel(a, b cand) int {
	if c := cmp.Compare(labelFirst(a.key), labelFirst(b.key)); c != 0 {
		return c
	}
	return tieBreak(a, b)
}

// scratch holds per-document buffers reused across documents.
type scratch struct {
	gold, pred []item
	cands      []cand
	conflict   []cand  // candidates sharing a span with another candidate
	gdeg, pdeg []int32 // candidates per gold span, per prediction
	slab       []annotate.Span
	stream     bool    // the errors are written as each document is scored
	gp, pg     []int32 // pairing: gold → pred, pred → gold (-1 = none)
	gpT, pgT   []int32
	errs       []ErrorItem
	micro      tally
	perLabel   []tally
	global     []int32 // the current document's label ranks → perLabel
	rel        relmatch.Tally
	gk, pk     []relmatch.Key
	relErrs    []RelationError

	doc *Doc              // the document being counted
	off *annotate.Offsets // its offsets, made on the first error that needs them
}

// Score scores the predictions of every document against its gold spans.
// It does not modify docs.
func Score(docs []Doc) *Report { return ScoreTo(docs, nil) }

// ScoreTo is Score with the errors written to ew, nil to list them in
// the report.
func ScoreTo(docs []Doc, ew *ErrorWriter) *Report {
	// Documents by id, so that the error list comes out sorted.
	sorted := slices.Clone(docs)
	slices.SortStableFunc(sorted, func(a, b Doc) int { return strings.Compare(a.ID, b.ID) })
	sc := NewScorer()
	if ew != nil {
		sc.WriteErrorsTo(ew)
	}
	sc.Add(sorted)
	return sc.Report()
}

// Scorer is Score over documents given a batch at a time: only a batch's
// texts and spans are held, and the report's errors unless an
// ErrorWriter takes them.
type Scorer struct {
	rep    *Report
	ids    map[string]int32 // label → its tally in sc.perLabel
	names  []string         // by tally
	sc     *scratch
	lab    []int32
	doc    []string      // the labels of one document
	chunks [][]ErrorItem // errors gather in fixed-size chunks, copied once at the end
	out    *ErrorWriter  // takes the errors instead
}

// NewScorer starts a score.
func NewScorer() *Scorer {
	return &Scorer{rep: &Report{PerLabel: map[string]Result{}}, ids: map[string]int32{}, sc: &scratch{}}
}

// WriteErrorsTo gives the errors to ew as each document is scored,
// instead of listing them in the report; what an earlier score wrote to
// ew is dropped. Call it before the first Add.
func (s *Scorer) WriteErrorsTo(ew *ErrorWriter) {
	ew.reset()
	s.out, s.sc.stream = ew, true
}

// DropErrors makes the report count the errors without listing them,
// for a caller that does not read them.
func (s *Scorer) DropErrors() { s.sc.stream = true }

// Add scores a batch of documents, which may be dropped afterwards.
func (s *Scorer) Add(docs []Doc) {
	rep, sc := s.rep, s.sc
	rep.Documents += len(docs)
	for i := range docs {
		d := &docs[i]
		rep.GoldSpans += len(d.Gold)
		rep.PredSpans += len(d.Pred)
		s.labels(d)
		sc.document(d, s.lab[:len(d.Gold)], s.lab[len(d.Gold):])
		sc.relations(d)
		rep.ErrorCount += len(sc.errs)
		rep.RelationErrorCount += len(sc.relErrs)
		if s.out != nil {
			s.out.document(d.ID, sc.errs, sc.relErrs)
		}
		if sc.stream {
			continue
		}
		for _, e := range sc.errs {
			if n := len(s.chunks); n == 0 || len(s.chunks[n-1]) == cap(s.chunks[n-1]) {
				s.chunks = append(s.chunks, make([]ErrorItem, 0, 4096))
			}
			s.chunks[len(s.chunks)-1] = append(s.chunks[len(s.chunks)-1], e)
		}
		rep.RelationErrors = append(rep.RelationErrors, sc.relErrs...)
	}
	// Keep nothing that points into the batch.
	sc.doc, sc.off = nil, nil
	clear(sc.errs[:cap(sc.errs)])
	clear(sc.relErrs[:cap(sc.relErrs)])
	if sc.stream {
		clear(sc.slab[:cap(sc.slab)])
	}
}

// labels ranks the labels of d by name into s.lab, gold spans then
// predictions: comparing ranks compares names. sc.global maps a rank to
// the label's tally.
func (s *Scorer) labels(d *Doc) {
	s.doc = s.doc[:0]
	for _, side := range [2][]annotate.Span{d.Gold, d.Pred} {
		for j := range side {
			// Projects have a handful of labels: a scan beats hashing.
			if l := side[j].Label; !slices.Contains(s.doc, l) {
				s.doc = append(s.doc, l)
			}
		}
	}
	slices.Sort(s.doc)
	s.sc.global = s.sc.global[:0]
	for _, l := range s.doc {
		id, ok := s.ids[l]
		if !ok {
			id = int32(len(s.names))
			s.ids[l] = id
			s.names = append(s.names, l)
			s.sc.perLabel = append(s.sc.perLabel, tally{})
		}
		s.sc.global = append(s.sc.global, id)
	}
	s.lab = s.lab[:0]
	for _, side := range [2][]annotate.Span{d.Gold, d.Pred} {
		for j := range side {
			r, _ := slices.BinarySearch(s.doc, side[j].Label)
			s.lab = append(s.lab, int32(r))
		}
	}
}

// Report finishes the score; call it once, after the last Add. The errors
// come sorted by document id (stably: as added within one document).
func (s *Scorer) Report() *Report {
	rep, sc := s.rep, s.sc
	sorted := slices.Sorted(maps.Keys(s.ids))
	if sorted == nil {
		sorted = []string{}
	}
	rep.Labels = sorted
	if len(s.chunks) > 0 {
		rep.Errors = make([]ErrorItem, 0, rep.ErrorCount)
		for _, c := range s.chunks {
			rep.Errors = append(rep.Errors, c...)
		}
	}
	slices.SortStableFunc(rep.Errors, func(a, b ErrorItem) int { return strings.Compare(a.Document, b.Document) })
	slices.SortStableFunc(rep.RelationErrors, func(a, b RelationError) int { return strings.Compare(a.Document, b.Document) })
	rep.Micro = sc.micro.result()
	rep.Relations = relResult(&sc.rel)
	var sum [4]Averages
	for _, name := range sorted {
		res := sc.perLabel[s.ids[name]].result()
		rep.PerLabel[name] = res
		for _, s := range AllSchemes {
			c := res.Get(s)
			sum[s].Precision += c.Precision
			sum[s].Recall += c.Recall
			sum[s].F1 += c.F1
		}
	}
	if n := float64(len(sorted)); n > 0 {
		for _, s := range AllSchemes {
			m := rep.Macro.Get(s)
			m.Precision, m.Recall, m.F1 = sum[s].Precision/n, sum[s].Recall/n, sum[s].F1/n
		}
	}
	return rep
}

// items fills buf with the spans as items sorted by (start, end, label,
// text); labels holds the label rank of each span.
func items(buf []item, spans []annotate.Span, labels []int32) []item {
	buf = buf[:0]
	for i := range spans {
		sp := &spans[i]
		buf = append(buf, item{start: sp.Start, end: sp.End, label: labels[i], idx: int32(i)})
	}
	slices.SortFunc(buf, func(a, b item) int {
		if c := annotate.CompareReading(a.start, a.end, a.label, b.start, b.end, b.label); c != 0 {
			return c
		}
		return strings.Compare(spans[a.idx].Text, spans[b.idx].Text)
	})
	return buf
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

// overlaps lists every overlapping (gold, prediction) pair with a sweep over
// the two start-sorted lists: a prediction that ends before a gold span
// starts can overlap no later gold span either.
func overlaps(buf []cand, gold, pred []item) []cand {
	buf = buf[:0]
	lo := 0
	for gi := range gold {
		g := &gold[gi]
		for lo < len(pred) && pred[lo].end <= g.start {
			lo++
		}
		for pi := lo; pi < len(pred) && pred[pi].start < g.end; pi++ {
			p := &pred[pi]
			ov := min(g.end, p.end) - max(g.start, p.start)
			if ov <= 0 {
				continue
			}
			buf = append(buf, cand{
				key: candKey(g.start == p.start && g.end == p.end, g.label == p.label,
					ov, abs(g.start-p.start)+abs(g.end-p.end)),
				g: int32(gi), p: int32(pi),
			})
		}
	}
	return buf
}

// greedy pairs the candidates in order, one-to-one, skipping taken spans.
func greedy(cands []cand, gp, pg []int32) {
	for _, c := range cands {
		if gp[c.g] < 0 && pg[c.p] < 0 {
			gp[c.g], pg[c.p] = c.p, c.g
		}
	}
}

func grow(s []int32, n int) []int32 {
	if cap(s) < n {
		return make([]int32, n, n+n/2)
	}
	return s[:n]
}

// pairAll computes both pairings of the current candidates. A candidate
// whose gold span and prediction are in no other candidate is taken by any
// greedy order, so only the others need sorting.
func (sc *scratch) pairAll(ng, np int) {
	sc.gp, sc.pg = fill(sc.gp, ng), fill(sc.pg, np)
	sc.gpT, sc.pgT = fill(sc.gpT, ng), fill(sc.pgT, np)
	sc.gdeg, sc.pdeg = grow(sc.gdeg, ng), grow(sc.pdeg, np)
	clear(sc.gdeg)
	clear(sc.pdeg)
	for _, c := range sc.cands {
		sc.gdeg[c.g]++
		sc.pdeg[c.p]++
	}
	sc.conflict = sc.conflict[:0]
	for _, c := range sc.cands {
		if sc.gdeg[c.g] == 1 && sc.pdeg[c.p] == 1 {
			sc.gp[c.g], sc.pg[c.p] = c.p, c.g
			sc.gpT[c.g], sc.pgT[c.p] = c.p, c.g
		} else {
			sc.conflict = append(sc.conflict, c)
		}
	}
	if len(sc.conflict) == 0 {
		return
	}
	slices.SortFunc(sc.conflict, byBoundary)
	greedy(sc.conflict, sc.gp, sc.pg)
	slices.SortFunc(sc.conflict, byLabel)
	greedy(sc.conflict, sc.gpT, sc.pgT)
}

// fill returns s resized to n and set to -1.
func fill(s []int32, n int) []int32 {
	s = grow(s, n)
	for i := range s {
		s[i] = -1
	}
	return s
}

// newSpan returns a copy of sp allocated from a slab.
func (sc *scratch) newSpan(sp annotate.Span) *annotate.Span {
	if len(sc.slab) == cap(sc.slab) {
		sc.slab = make([]annotate.Span, 0, 1024)
	}
	sc.slab = append(sc.slab, sp)
	return &sc.slab[len(sc.slab)-1]
}

// document pairs and counts one document, leaving its strict errors, sorted,
// in sc.errs.
func (sc *scratch) document(d *Doc, goldLab, predLab []int32) {
	sc.gold = items(sc.gold, d.Gold, goldLab)
	sc.pred = items(sc.pred, d.Pred, predLab)
	sc.cands = overlaps(sc.cands, sc.gold, sc.pred)
	sc.pairAll(len(sc.gold), len(sc.pred))
	sc.doc, sc.off = d, nil
	sc.errs = sc.errs[:0]
	if sc.stream { // the last document's errors are written: reuse their spans
		sc.slab = sc.slab[:0]
	}
	sc.countBoundaryFirst()
	sc.countLabelFirst()
	slices.SortFunc(sc.errs, compareErrors)
}

// countBoundaryFirst counts strict, exact and partial, which share the
// boundary-first pairing, and lists the strict errors.
func (sc *scratch) countBoundaryFirst() {
	gold, pred, t := sc.gold, sc.pred, &sc.micro
	for gi := range gold {
		g := &gold[gi]
		pi := sc.gp[gi]
		if pi < 0 {
			t[Strict][mis]++
			t[Exact][mis]++
			t[Partial][mis]++
			sc.addErr(KindMissing, g, nil)
			continue
		}
		p := &pred[pi]
		sameB, sameL := g.start == p.start && g.end == p.end, g.label == p.label
		switch {
		case sameB && sameL:
			t[Strict][cor]++
			t[Exact][cor]++
			t[Partial][cor]++
		case sameB:
			t[Strict][inc]++
			t[Exact][cor]++
			t[Partial][cor]++
			sc.addErr(KindLabel, g, p)
		default:
			t[Strict][inc]++
			t[Exact][inc]++
			t[Partial][par]++
			if sameL {
				sc.addErr(KindBoundary, g, p)
			} else {
				sc.addErr(KindBoundaryLabel, g, p)
			}
		}
	}
	for pi := range pred {
		if sc.pg[pi] < 0 {
			t[Strict][spu]++
			t[Exact][spu]++
			t[Partial][spu]++
			sc.addErr(KindSpurious, nil, &pred[pi])
		}
	}
}

// countLabelFirst counts type and every label's own scoring, which share
// the label-first pairing.
func (sc *scratch) countLabelFirst() {
	gold, pred, t := sc.gold, sc.pred, &sc.micro
	for gi := range gold {
		g := &gold[gi]
		lt := &sc.perLabel[sc.global[g.label]]
		pi := sc.gpT[gi]
		if pi < 0 {
			t[Type][mis]++
		} else if p := &pred[pi]; p.label == g.label {
			t[Type][cor]++
			if g.start == p.start && g.end == p.end {
				lt[Strict][cor]++
				lt[Exact][cor]++
				lt[Partial][cor]++
			} else {
				lt[Strict][inc]++
				lt[Exact][inc]++
				lt[Partial][par]++
			}
			lt[Type][cor]++
			continue
		} else {
			t[Type][inc]++
		}
		// No same-label pair: missing in its label's own scoring.
		for _, s := range AllSchemes {
			lt[s][mis]++
		}
	}
	for pi := range pred {
		p := &pred[pi]
		gi := sc.pgT[pi]
		if gi < 0 {
			t[Type][spu]++
		}
		if gi < 0 || gold[gi].label != p.label {
			lt := &sc.perLabel[sc.global[p.label]]
			for _, s := range AllSchemes {
				lt[s][spu]++
			}
		}
	}
}

// addErr lists a strict error of the current document; g or p is nil for
// a missing side.
func (sc *scratch) addErr(kind string, g, p *item) {
	e := ErrorItem{Document: sc.doc.ID, Kind: kind}
	if g != nil {
		e.Gold = sc.errSpan(sc.doc.Gold[g.idx])
	}
	if p != nil {
		e.Pred = sc.errSpan(sc.doc.Pred[p.idx])
	}
	sc.errs = append(sc.errs, e)
}

// errSpan copies sp for an error item, with its text filled from the
// document's when empty.
func (sc *scratch) errSpan(sp annotate.Span) *annotate.Span {
	if sp.Text == "" && sp.Start < sp.End {
		if sc.off == nil {
			sc.off = annotate.NewOffsets(sc.doc.Text)
		}
		sp.Text, _ = sc.off.Slice(sc.doc.Text, sp.Start, sp.End)
	}
	if !sc.stream {
		// The report outlives the documents: its spans must not keep a
		// document's text alive through a substring of it.
		sp.Text = strings.Clone(sp.Text)
	}
	return sc.newSpan(sp)
}

func spanCmp(a, b *annotate.Span) int {
	if a == nil || b == nil {
		return boolFirst(a != nil, b != nil)
	}
	if c := annotate.CompareSpans(*a, *b); c != 0 {
		return c
	}
	return strings.Compare(a.Text, b.Text)
}

// compareErrors orders the errors of one document by offset: the earlier
// start of the two spans, then the gold span, then the prediction (a
// missing side sorts last).
func compareErrors(a, b ErrorItem) int {
	if c := cmp.Compare(errStart(a), errStart(b)); c != 0 {
		return c
	}
	if c := spanCmp(a.Gold, b.Gold); c != 0 {
		return c
	}
	return spanCmp(a.Pred, b.Pred)
}

func errStart(e ErrorItem) int {
	switch {
	case e.Gold == nil:
		return e.Pred.Start
	case e.Pred == nil:
		return e.Gold.Start
	}
	return min(e.Gold.Start, e.Pred.Start)
}
