package agree

import (
	"cmp"
	"fmt"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"

	"tawsim/annotate"
	"tawsim/annotate/relmatch"
)

// sp is a span of one layer with its label as a category index (1..).
type sp struct {
	s, e int32
	lab  int32
	idx  int32 // index in the caller's layer
}

func cmpPos(x, y sp) int { // reading order; label indices follow label order
	return annotate.CompareReading(x.s, x.e, x.lab, y.s, y.e, y.lab)
}

func cmpPrio(x, y sp) int { // (length, start, label): the category rule
	if lx, ly := x.e-x.s, y.e-y.s; lx != ly {
		return cmp.Compare(lx, ly)
	}
	if x.s != y.s {
		return cmp.Compare(x.s, y.s)
	}
	return cmp.Compare(x.lab, y.lab)
}

func cmpLab(x, y sp) int { // (label, start, end)
	if x.lab != y.lab {
		return cmp.Compare(x.lab, y.lab)
	}
	if x.s != y.s {
		return cmp.Compare(x.s, y.s)
	}
	return cmp.Compare(x.e, y.e)
}

type pairIdx struct{ a, b int }

// state is one worker's running tally and reusable per-document buffers.
type state struct {
	m, k   int
	pairs  []pairIdx
	names  []string // category names: "O", labels (sorted)
	ann    []string
	layers [][]annotate.Span // the current document's layers, by annotator

	conf      []int64 // per pair k×k, rows A, columns B
	spanCount []int64 // per annotator × category
	strictLab []int64 // per pair × category: strict matches
	ovRef     []int64 // per pair: reference spans with an overlapping same-label candidate
	ovCand    []int64 // per pair: candidate spans with an overlapping same-label reference
	bound     []int64 // per pair: same-boundary matches, label ignored, one-to-one
	pairDis   []DisagreementCounts

	// relations, per pair: key matches, overlap matches, claims paired
	// and those with the same sources
	rel        []relmatch.Tally
	relOvRef   []int64
	relOvCand  []int64
	claimPairs []int64
	sameSource []int64
	claim      int32 // the category of ClaimLabel, 0 if no span has it

	// buffers
	byteOff   []int32
	units     []int32
	cats      []uint16
	next      []int32
	pos       [][]sp // per annotator, by (start, end, label)
	lab       [][]sp // per annotator, by (label, start, end)
	pmax      [][]int32
	prio      []sp
	usedA     []bool
	usedB     []bool
	items     []rawItem
	order     []int32
	relKeys   [][]relmatch.Key // per annotator
	srcs      [][]srcTail      // per annotator
	claimsA   []sp
	claimsB   []sp
	claimUsed []bool

	// α_u: Σ δ² per pair × category, spans merged, and buffers
	uObs    []int64
	uMerged int64
	useg    []useg
	uFrom   []int // per annotator: its first unit in useg, then len(useg)
	uCur    []int
	uGroups [][]useg
	uSecs   []sections
	uTerms  expectedTerms
}

// rawItem is a disagreement before it is turned into a Disagreement.
type rawItem struct {
	pair       int32
	kind       Kind
	cause      string
	a, b       sp
	hasA, hasB bool
}

func newState(m int, names, annotators []string, pairs []pairIdx) *state {
	k, np := len(names), len(pairs)
	return &state{
		m: m, k: k, names: names, ann: annotators, pairs: pairs,
		layers:    make([][]annotate.Span, m),
		conf:      make([]int64, np*k*k),
		spanCount: make([]int64, m*k),
		strictLab: make([]int64, np*k),
		ovRef:     make([]int64, np),
		ovCand:    make([]int64, np),
		bound:     make([]int64, np),
		pairDis:   make([]DisagreementCounts, np),
		pos:       make([][]sp, m),
		lab:       make([][]sp, m),
		pmax:      make([][]int32, m),
		uObs:      make([]int64, np*k),

		rel:        make([]relmatch.Tally, np),
		relOvRef:   make([]int64, np),
		relOvCand:  make([]int64, np),
		claimPairs: make([]int64, np),
		sameSource: make([]int64, np),
		claim:      int32(max(0, slices.Index(names, ClaimLabel))),
		relKeys:    make([][]relmatch.Key, m),
		srcs:       make([][]srcTail, m),
	}
}

// merge adds o's tallies to st's.
func (st *state) merge(o *state) {
	addInts(st.conf, o.conf)
	addInts(st.spanCount, o.spanCount)
	addInts(st.strictLab, o.strictLab)
	addInts(st.ovRef, o.ovRef)
	addInts(st.ovCand, o.ovCand)
	addInts(st.bound, o.bound)
	addInts(st.uObs, o.uObs)
	addInts(st.relOvRef, o.relOvRef)
	addInts(st.relOvCand, o.relOvCand)
	addInts(st.claimPairs, o.claimPairs)
	addInts(st.sameSource, o.sameSource)
	for i := range st.rel {
		st.rel[i].Merge(&o.rel[i])
	}
	st.uMerged += o.uMerged
	for i := range st.pairDis {
		st.pairDis[i].plus(o.pairDis[i])
	}
}

func addInts(dst, src []int64) {
	for i, v := range src {
		dst[i] += v
	}
}

// labelSet collects distinct labels: a short list, a map when it grows.
type labelSet struct {
	list []string
	set  map[string]struct{}
}

func (l *labelSet) add(s string) {
	if l.set == nil {
		for _, x := range l.list {
			if x == s {
				return
			}
		}
		l.list = append(l.list, s)
		if len(l.list) > 16 {
			l.set = map[string]struct{}{}
			for _, x := range l.list {
				l.set[x] = struct{}{}
			}
		}
		return
	}
	if _, ok := l.set[s]; !ok {
		l.set[s] = struct{}{}
		l.list = append(l.list, s)
	}
}

// docsPerBlock is how many documents a worker takes at a time.
const docsPerBlock = 64

// Compute measures the agreement of annotators (at least two, distinct, in
// output order) over docs. It fails on a span outside its text or empty, on
// a relation whose head or tail is not one of its layer's spans, on
// an empty label or one named "O", and on more than 65,534 labels.
// Documents are tallied in parallel (GOMAXPROCS workers); the result does
// not depend on the number of workers.
func Compute(docs []Doc, annotators []string, opts Options) (*Report, error) {
	if err := checkAnnotators(annotators); err != nil {
		return nil, err
	}
	// Labels → categories 1.. in string order.
	var ls labelSet
	for _, d := range docs {
		for _, a := range annotators {
			for i, s := range d.Layers[a] {
				if s.Label == "" || s.Label == Outside {
					return nil, labelErr(&d, a, i, s.Label)
				}
				ls.add(s.Label)
			}
		}
	}
	t, err := NewTally(annotators, ls.list, opts)
	if err != nil {
		return nil, err
	}
	if err := t.Add(docs); err != nil {
		return nil, err
	}
	return t.Report(), nil
}

func labelErr(d *Doc, a string, i int, label string) error {
	return fmt.Errorf("document %q, annotator %q, span %d: label %q is not allowed", d.ID, a, i, label)
}

func checkAnnotators(annotators []string) error {
	if len(annotators) < 2 {
		return errFewAnnotators
	}
	for i, a := range annotators {
		if a == "" {
			return fmt.Errorf("annotator %d has no name", i+1)
		}
		if slices.Index(annotators[:i], a) >= 0 {
			return fmt.Errorf("annotator %q is given twice", a)
		}
	}
	return nil
}

// Tally is Compute over documents given a batch at a time: only a batch's
// texts and spans are held, the report keeps each document's DocReport
// (counts, and the disagreements with Options.NoItems unset). The labels
// are given first, every one the documents use; one that no span has is a
// category of its own in the report.
type Tally struct {
	annotators []string
	opts       Options
	states     []*state // one per worker, kept from batch to batch
	rep        *Report
	udocs      []unitDoc
}

// NewTally starts a tally of annotators' agreement over documents labelled
// with labels.
func NewTally(annotators, labels []string, opts Options) (*Tally, error) {
	if opts.Unit != "" && opts.Unit != UnitChar {
		return nil, fmt.Errorf("unit %q is not supported (only %q)", opts.Unit, UnitChar)
	}
	if err := checkAnnotators(annotators); err != nil {
		return nil, err
	}
	if len(labels) >= 1<<16-1 {
		return nil, fmt.Errorf("%d labels: too many", len(labels))
	}
	names := append([]string{Outside}, labels...)
	slices.Sort(names[1:])
	names = slices.Compact(names)
	if slices.Contains(names[1:], "") || slices.Contains(names[1:], Outside) {
		return nil, fmt.Errorf("labels: %q and %q are not allowed", "", Outside)
	}
	m := len(annotators)
	var pairs []pairIdx
	for a := 0; a < m; a++ {
		for b := a + 1; b < m; b++ {
			pairs = append(pairs, pairIdx{a, b})
		}
	}
	t := &Tally{annotators: slices.Clone(annotators), opts: opts,
		rep: &Report{Unit: UnitChar, Annotators: slices.Clone(annotators), Categories: names, Docs: []DocReport{}}}
	t.states = make([]*state, runtime.GOMAXPROCS(0))
	for w := range t.states {
		t.states[w] = newState(m, names, t.annotators, pairs)
	}
	return t, nil
}

// Add tallies a batch of documents, which may be dropped afterwards. On
// an error (the first document's in the batch that has one) the tally is
// not to be used further.
func (t *Tally) Add(docs []Doc) error {
	base := len(t.rep.Docs)
	t.rep.Documents += len(docs)
	t.rep.Docs = append(t.rep.Docs, make([]DocReport, len(docs))...)
	t.udocs = append(t.udocs, make([]unitDoc, len(docs))...)
	workers := max(1, min(len(t.states), (len(docs)+docsPerBlock-1)/docsPerBlock))
	errAt := make([]int, workers) // document of the worker's error
	errs := make([]error, workers)
	var nextBlock atomic.Int64
	var wg sync.WaitGroup
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			st := t.states[w]
			for {
				lo := int(nextBlock.Add(docsPerBlock)) - docsPerBlock
				if lo >= len(docs) {
					return
				}
				for di := lo; di < min(lo+docsPerBlock, len(docs)); di++ {
					dr, ud, err := st.doc(&docs[di], !t.opts.NoItems)
					if err != nil {
						errAt[w], errs[w] = di, err
						return
					}
					dr.Index = base + di
					t.rep.Docs[base+di] = dr
					t.udocs[base+di] = ud
				}
			}
		}()
	}
	wg.Wait()
	var first error
	firstAt := len(docs)
	for w, err := range errs {
		if err != nil && errAt[w] < firstAt {
			first, firstAt = err, errAt[w]
		}
	}
	return first
}

// Report finishes the tally; call it once, after the last Add.
func (t *Tally) Report() *Report {
	rep := t.rep
	for _, o := range t.states[1:] {
		t.states[0].merge(o)
	}
	for i := range rep.Docs {
		rep.Units += rep.Docs[i].Units
	}
	t.states[0].finish(rep, t.annotators)
	t.states[0].finishUnitizing(rep, t.udocs)
	return rep
}

// doc tallies one document.
func (st *state) doc(d *Doc, withItems bool) (DocReport, unitDoc, error) {
	m, k := st.m, st.k
	// Code-point offsets → byte offsets, and the units.
	st.byteOff = st.byteOff[:0]
	st.units = st.units[:0]
	n := int32(0)
	for bi, r := range d.Text {
		st.byteOff = append(st.byteOff, int32(bi))
		if !annotate.IsSpace(r) {
			st.units = append(st.units, n)
		}
		n++
	}
	st.byteOff = append(st.byteOff, int32(len(d.Text)))

	// Spans, validated and sorted; categories painted shortest first.
	if cap(st.cats) < m*int(n) {
		st.cats = make([]uint16, m*int(n))
	}
	cats := st.cats[:m*int(n)]
	clear(cats)
	if cap(st.next) < int(n)+1 {
		st.next = make([]int32, int(n)+1)
	}
	next := st.next[:n+1]
	for a, name := range st.ann {
		spans := d.Layers[name]
		st.layers[a] = spans
		pos := st.pos[a][:0]
		for i, s := range spans {
			if s.Start < 0 || s.End > int(n) || s.Start >= s.End {
				return DocReport{}, unitDoc{}, fmt.Errorf("document %q, annotator %q, span %d [%d,%d) %s: outside the text (length %d) or empty", d.ID, name, i, s.Start, s.End, s.Label, n)
			}
			l, found := slices.BinarySearch(st.names[1:], s.Label)
			if !found {
				if s.Label == "" || s.Label == Outside {
					return DocReport{}, unitDoc{}, labelErr(d, name, i, s.Label)
				}
				return DocReport{}, unitDoc{}, fmt.Errorf("document %q, annotator %q, span %d: label %q is not among the labels given", d.ID, name, i, s.Label)
			}
			lab := int32(l + 1)
			pos = append(pos, sp{s: int32(s.Start), e: int32(s.End), lab: lab, idx: int32(i)})
			st.spanCount[a*k+int(lab)]++
		}
		slices.SortFunc(pos, cmpPos)
		st.pos[a] = pos
		st.prio = append(st.prio[:0], pos...)
		slices.SortFunc(st.prio, cmpPrio)
		st.lab[a] = append(st.lab[a][:0], pos...)
		slices.SortFunc(st.lab[a], cmpLab)
		st.pmax[a] = prefixMax(st.pmax[a][:0], st.lab[a])

		// Each position takes the first span (in priority order) covering
		// it; next[i] skips to the first position ≥ i still unpainted.
		for i := range next {
			next[i] = int32(i)
		}
		c := cats[a*int(n) : (a+1)*int(n)]
		for _, s := range st.prio {
			for i := find(next, s.s); i < s.e; i = find(next, i+1) {
				c[i] = uint16(s.lab)
				next[i] = i + 1
			}
		}
	}

	if err := st.docRelations(d); err != nil {
		return DocReport{}, unitDoc{}, err
	}

	dr := DocReport{ID: d.ID, Units: len(st.units)}
	// The units.
	kk := k * k
	var cv [64]uint16
	if m <= len(cv) {
		for _, i := range st.units {
			same := true
			for a := 0; a < m; a++ {
				cv[a] = cats[a*int(n)+int(i)]
				if cv[a] != cv[0] {
					same = false
				}
			}
			if !same {
				dr.UnitDisagreements++
			}
			for p, pr := range st.pairs {
				st.conf[p*kk+int(cv[pr.a])*k+int(cv[pr.b])]++
			}
		}
	} else {
		for _, i := range st.units {
			same := true
			for a := 1; a < m; a++ {
				if cats[a*int(n)+int(i)] != cats[int(i)] {
					same = false
				}
			}
			if !same {
				dr.UnitDisagreements++
			}
			for p, pr := range st.pairs {
				st.conf[p*kk+int(cats[pr.a*int(n)+int(i)])*k+int(cats[pr.b*int(n)+int(i)])]++
			}
		}
	}

	// The spans, pair by pair.
	st.items = st.items[:0]
	for p, pr := range st.pairs {
		st.pairSpans(p, pr, d, &dr)
		st.pairRelations(p, pr)
	}
	if withItems && len(st.items) > 0 {
		dr.Items = st.materialize(d)
	}
	return dr, st.unitizing(n), nil
}

// materialize turns the document's raw items, ordered by position (then
// pair), into Disagreements; their spans share one allocation.
func (st *state) materialize(d *Doc) []Disagreement {
	st.order = st.order[:0]
	n := 0
	for i := range st.items {
		st.order = append(st.order, int32(i))
		if st.items[i].hasA {
			n++
		}
		if st.items[i].hasB {
			n++
		}
	}
	slices.SortStableFunc(st.order, func(x, y int32) int {
		return cmp.Compare(st.items[x].start(), st.items[y].start())
	})
	slab := make([]annotate.Span, 0, n)
	out := make([]Disagreement, len(st.items))
	for i, j := range st.order {
		it := &st.items[j]
		pr := st.pairs[it.pair]
		o := &out[i]
		*o = Disagreement{Doc: d.ID, A: st.ann[pr.a], B: st.ann[pr.b], Kind: it.kind, Cause: it.cause}
		if it.hasA {
			slab = append(slab, st.span(d, pr.a, it.a))
			o.SpanA = &slab[len(slab)-1]
		}
		if it.hasB {
			slab = append(slab, st.span(d, pr.b, it.b))
			o.SpanB = &slab[len(slab)-1]
		}
	}
	return out
}

func (it *rawItem) start() int32 {
	switch {
	case !it.hasA:
		return it.b.s
	case !it.hasB:
		return it.a.s
	}
	return min(it.a.s, it.b.s)
}

// find returns the first unpainted position ≥ i, halving paths.
func find(next []int32, i int32) int32 {
	for next[i] != i {
		next[i] = next[next[i]]
		i = next[i]
	}
	return i
}

// prefixMax gives, for spans sorted by (label, start, end), the largest end
// among the spans of the same label up to and including each one.
func prefixMax(dst []int32, spans []sp) []int32 {
	for i, s := range spans {
		v := s.e
		if i > 0 && spans[i-1].lab == s.lab && dst[i-1] > v {
			v = dst[i-1]
		}
		dst = append(dst, v)
	}
	return dst
}

// overlapMatched counts the spans of xs (sorted by label, start, end) that
// share a code point with a same-label span of ys (sorted likewise, with
// prefix maxima ymax).
func overlapMatched(xs, ys []sp, ymax []int32) int64 {
	var cnt int64
	j := 0 // start of the current label group of ys
	for _, x := range xs {
		for j < len(ys) && ys[j].lab < x.lab {
			j++
		}
		if j == len(ys) {
			break
		}
		if ys[j].lab != x.lab {
			continue
		}
		// group [j, hi): first index with start ≥ x.e
		lo, hi := j, len(ys)
		for lo < hi {
			mid := int(uint(lo+hi) >> 1)
			if ys[mid].lab == x.lab && ys[mid].s < x.e {
				lo = mid + 1
			} else {
				hi = mid
			}
		}
		if lo > j && ymax[lo-1] > x.s {
			cnt++
		}
	}
	return cnt
}

func overlaps(x, y sp) bool { return x.s < y.e && y.s < x.e }

// pairSpans compares the spans of one pair on one document: F1 counts and
// the disagreements, in the phases the package doc lists.
func (st *state) pairSpans(p int, pr pairIdx, d *Doc, dr *DocReport) {
	st.ovRef[p] += overlapMatched(st.lab[pr.a], st.lab[pr.b], st.pmax[pr.b])
	st.ovCand[p] += overlapMatched(st.lab[pr.b], st.lab[pr.a], st.pmax[pr.a])
	A, B := st.pos[pr.a], st.pos[pr.b]
	c := pairCmp{st: st, p: p, d: d, dr: dr, A: A, B: B,
		usedA: resetBools(&st.usedA, len(A)), usedB: resetBools(&st.usedB, len(B))}
	c.exact()
	if len(A) == 0 && len(B) == 0 {
		return
	}
	c.sameBoundaries()
	c.overlapping(true)
	c.overlapping(false)
	c.leftOver()
}

// pairCmp is one pair's comparison of one document's spans: A and B are
// the two layers by position, usedA and usedB mark the spans paired so far.
type pairCmp struct {
	st           *state
	p            int
	d            *Doc
	dr           *DocReport
	A, B         []sp
	usedA, usedB []bool
}

// emit records a disagreement of A[x] and B[y]; −1 is a missing side.
func (c *pairCmp) emit(kind Kind, x, y int) {
	it := rawItem{pair: int32(c.p), kind: kind, hasA: x >= 0, hasB: y >= 0}
	if it.hasA {
		it.a = c.A[x]
	}
	if it.hasB {
		it.b = c.B[y]
	}
	if kind == KindBoundary {
		it.cause = boundaryCause(c.d.Text, c.st.byteOff, it.a, it.b)
	}
	c.st.pairDis[c.p].add(&it)
	c.dr.Disagreements.add(&it)
	c.st.items = append(c.st.items, it)
}

// exact pairs the exact matches one-to-one (phase 1).
func (c *pairCmp) exact() {
	A, B, st := c.A, c.B, c.st
	for i, j := 0, 0; i < len(A) && j < len(B); {
		switch r := cmpPos(A[i], B[j]); {
		case r < 0:
			i++
		case r > 0:
			j++
		default:
			c.usedA[i], c.usedB[j] = true, true
			st.strictLab[c.p*st.k+int(A[i].lab)]++
			st.bound[c.p]++
			i++
			j++
		}
	}
}

// sameBoundaries pairs spans with the same boundaries and different labels
// (phase 2).
func (c *pairCmp) sameBoundaries() {
	sameOffsets(c.A, c.B, func(i, ie, j, je int) {
		x, y := i, j
		for {
			for x < ie && c.usedA[x] {
				x++
			}
			for y < je && c.usedB[y] {
				y++
			}
			if x == ie || y == je {
				break
			}
			c.usedA[x], c.usedB[y] = true, true
			c.st.bound[c.p]++
			c.emit(KindLabel, x, y)
		}
	})
}

// sameOffsets calls run for every start and end that spans of both A and
// B (sorted by position) have: A[i:ie] and B[j:je] are those spans.
func sameOffsets(A, B []sp, run func(i, ie, j, je int)) {
	for i, j := 0, 0; i < len(A) && j < len(B); {
		if c := annotate.CompareReading(A[i].s, A[i].e, 0, B[j].s, B[j].e, 0); c != 0 {
			if c < 0 {
				i++
			} else {
				j++
			}
			continue
		}
		ie, je := i, j
		for ie < len(A) && A[ie].s == A[i].s && A[ie].e == A[i].e {
			ie++
		}
		for je < len(B) && B[je].s == B[j].s && B[je].e == B[j].e {
			je++
		}
		run(i, ie, j, je)
		i, j = ie, je
	}
}

// overlapping pairs overlapping spans of the same label (phase 3) or of
// different labels (phase 4), each span of A with the first free one of B.
func (c *pairCmp) overlapping(sameLabel bool) {
	A, B := c.A, c.B
	for x := range A {
		if c.usedA[x] {
			continue
		}
		for y := 0; y < len(B) && B[y].s < A[x].e; y++ {
			if c.usedB[y] || !overlaps(A[x], B[y]) || (A[x].lab == B[y].lab) != sameLabel {
				continue
			}
			c.usedA[x], c.usedB[y] = true, true
			if sameLabel {
				c.emit(KindBoundary, x, y)
			} else {
				c.emit(KindCrossing, x, y)
			}
			break
		}
	}
}

// leftOver reports each span still unpaired against the first span of the
// other side it overlaps, else as missing there (phase 5).
func (c *pairCmp) leftOver() {
	A, B := c.A, c.B
	for x := range A {
		if c.usedA[x] {
			continue
		}
		if y := firstOverlap(B, A[x]); y >= 0 {
			if kind := kindOf(A[x], B[y]); kind != KindMissing {
				c.emit(kind, x, y)
				continue
			}
		}
		c.emit(KindMissing, x, -1)
	}
	for y := range B {
		if c.usedB[y] {
			continue
		}
		if x := firstOverlap(A, B[y]); x >= 0 {
			if kind := kindOf(A[x], B[y]); kind != KindMissing {
				c.emit(kind, x, y)
				continue
			}
		}
		c.emit(KindMissing, -1, y)
	}
}

// firstOverlap is the index of the first span of ys (sorted by position)
// that overlaps x, or −1.
func firstOverlap(ys []sp, x sp) int {
	for y := 0; y < len(ys) && ys[y].s < x.e; y++ {
		if overlaps(x, ys[y]) {
			return y
		}
	}
	return -1
}

// kindOf classifies two overlapping spans; identical spans (a duplicate on
// one side) give KindMissing.
func kindOf(x, y sp) Kind {
	sameB := x.s == y.s && x.e == y.e
	switch {
	case sameB && x.lab == y.lab:
		return KindMissing
	case sameB:
		return KindLabel
	case x.lab == y.lab:
		return KindBoundary
	}
	return KindCrossing
}

func resetBools(buf *[]bool, n int) []bool {
	if cap(*buf) < n {
		*buf = make([]bool, n)
	}
	b := (*buf)[:n]
	clear(b)
	return b
}

// span is the caller's span with the document's text.
func (st *state) span(d *Doc, a int, s sp) annotate.Span {
	orig := st.layers[a][s.idx]
	orig.Text = d.Text[st.byteOff[s.s]:st.byteOff[s.e]]
	return orig
}

// finish turns the tallies into the report.
func (st *state) finish(rep *Report, annotators []string) {
	unitCount := st.unitCounts()
	// ordered sums C + Cᵀ over the pairs: the ordered value pairs of all
	// annotators, for the all-annotator alpha.
	ordered := make([]int64, st.k*st.k)
	for p, pr := range st.pairs {
		rep.Pairs = append(rep.Pairs, st.pair(p, pr, annotators, ordered))
	}
	st.allAnnotators(rep, unitCount, ordered)
	for l := 1; l < st.k; l++ {
		ls := LabelStats{Label: st.names[l], Spans: map[string]int{}, Units: map[string]int{}}
		for a, name := range annotators {
			ls.Spans[name] = int(st.spanCount[a*st.k+l])
			ls.Units[name] = int(unitCount[a*st.k+l])
		}
		rep.Labels = append(rep.Labels, ls)
	}
}

// unitCounts gives the per-annotator unit counts per category, read from
// the confusion matrix of a pair the annotator is in.
func (st *state) unitCounts() []int64 {
	k, m := st.k, st.m
	kk := k * k
	unitCount := make([]int64, m*k)
	for a := 0; a < m; a++ {
		for p, pr := range st.pairs {
			if pr.a != a && pr.b != a {
				continue
			}
			c := st.conf[p*kk : (p+1)*kk]
			for i := 0; i < k; i++ {
				for j := 0; j < k; j++ {
					if pr.a == a {
						unitCount[a*k+i] += c[i*k+j]
					} else {
						unitCount[a*k+j] += c[i*k+j]
					}
				}
			}
			break
		}
	}
	return unitCount
}

// pair reports pair p: coefficients, confusion matrix and span F1. It adds
// the pair's C + Cᵀ to ordered.
func (st *state) pair(p int, pr pairIdx, annotators []string, ordered []int64) Pair {
	k := st.k
	kk := k * k
	c := st.conf[p*kk : (p+1)*kk]
	out := Pair{A: annotators[pr.a], B: annotators[pr.b], Disagreements: st.pairDis[p]}
	po, pe, kappa, note := cohen(c, k)
	if note != noteNoUnits {
		out.ObservedAgreement, out.ExpectedAgreement = f64(po), f64(pe)
	}
	if note == "" {
		out.CohenKappa = f64(kappa)
	} else {
		out.CohenKappaNote = note
	}
	// Pair alpha: every unit has two values; o = C + Cᵀ.
	pc := newCoincidences(k)
	sym := make([]int64, kk)
	for i := 0; i < k; i++ {
		for j := 0; j < k; j++ {
			sym[i*k+j] = c[i*k+j] + c[j*k+i]
		}
	}
	pc.addPairs(2, sym)
	for i, v := range sym {
		ordered[i] += v
	}
	if alpha, _, note := alphaNominal(pc.matrix(), k); note == "" {
		out.KrippendorffAlpha = f64(alpha)
	} else {
		out.KrippendorffAlphaNote = unitsNote(note)
	}
	out.Confusion = make([][]int64, k)
	for i := range out.Confusion {
		out.Confusion[i] = slices.Clone(c[i*k : (i+1)*k])
	}
	out.SpanF1 = st.spanF1(p, pr)
	out.RelationF1 = st.relationF1(p)
	out.Attribution = st.attributionOf(p)
	return out
}

// spanF1 is the span comparison of pair p.
func (st *state) spanF1(p int, pr pairIdx) SpanF1 {
	k := st.k
	var ref, cand, strict int
	for l := 1; l < k; l++ {
		ref += int(st.spanCount[pr.a*k+l])
		cand += int(st.spanCount[pr.b*k+l])
		strict += int(st.strictLab[p*k+l])
	}
	f := SpanF1{
		Strict:   match(strict, ref, cand),
		Boundary: match(int(st.bound[p]), ref, cand),
		Overlap: OverlapMatch{MatchedReference: int(st.ovRef[p]), MatchedCandidate: int(st.ovCand[p]),
			Scores: scores(int(st.ovCand[p]), int(st.ovRef[p]), ref, cand)},
		PerLabel: map[string]Match{},
	}
	for l := 1; l < k; l++ {
		r, c := int(st.spanCount[pr.a*k+l]), int(st.spanCount[pr.b*k+l])
		if r == 0 && c == 0 {
			continue
		}
		f.PerLabel[st.names[l]] = match(int(st.strictLab[p*k+l]), r, c)
	}
	return f
}

// allAnnotators fills rep.All: Krippendorff's alpha from the ordered pairs
// of every unit (the sum over coder pairs of C + Cᵀ) and Fleiss' kappa.
func (st *state) allAnnotators(rep *Report, unitCount, ordered []int64) {
	k, m := st.k, st.m
	all := newCoincidences(k)
	all.addPairs(m, ordered)
	if alpha, _, note := alphaNominal(all.matrix(), k); note == "" {
		rep.All.KrippendorffAlpha = f64(alpha)
	} else {
		rep.All.KrippendorffAlphaNote = unitsNote(note)
	}
	totals := make([]int64, k)
	for a := 0; a < m; a++ {
		for c := 0; c < k; c++ {
			totals[c] += unitCount[a*k+c]
		}
	}
	var agree int64
	for c := 0; c < k; c++ {
		agree += ordered[c*k+c]
	}
	pbar, pe, kappa, note := fleiss(int64(rep.Units), m, totals, agree)
	if note != noteNoUnits {
		rep.All.ObservedAgreement, rep.All.ExpectedAgreement = f64(pbar), f64(pe)
	}
	if note == "" {
		rep.All.FleissKappa = f64(kappa)
	} else {
		rep.All.FleissKappaNote = note
	}
}

// unitsNote words "no pairable values" as "no units" for Compute, where
// every unit has a value from every annotator.
func unitsNote(note string) string {
	if note == noteNoPairable {
		return noteNoUnits
	}
	return note
}

const noteNoSpans = "undefined: neither annotator has spans"

func match(matches, ref, cand int) Match {
	return Match{Matches: matches, Scores: scores(matches, matches, ref, cand)}
}

// scores: P = candMatched/cand, R = refMatched/ref (0 on a zero
// denominator), F1 = 2PR/(P+R) (0 when P+R = 0); all nil when both sides
// are empty.
func scores(candMatched, refMatched, ref, cand int) Scores {
	sc := Scores{Reference: ref, Candidate: cand}
	if ref == 0 && cand == 0 {
		sc.Note = noteNoSpans
		return sc
	}
	pv, rv, fv := relmatch.PRF(candMatched, refMatched, ref, cand)
	sc.Precision, sc.Recall, sc.F1 = f64(pv), f64(rv), f64(fv)
	return sc
}
