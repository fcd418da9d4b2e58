package agree

import (
	"fmt"
	"slices"
)

// Krippendorff's unitizing alpha (α_u; Krippendorff 1995, Sociological
// Methodology 25; 2004, Content Analysis, 2nd ed., §12.4), with the expected
// disagreement of the 2004 formula as DKPro Agreement computes it.
//
// Per label c, each annotator's continuum is cut into sections: its c-units
// and the gaps between them. D_o(c) = Σ δ² over ordered annotator pairs /
// (R(R−1)L²). D_e(c) = (2/L) · Σ_u [(N_c−1)·l_u(l_u−1)(2l_u−1)/3 +
// l_u² Σ_{gaps g ≥ l_u} (g − l_u + 1)] / (RL(RL−1) − Σ_u l_u(l_u−1)), where u
// runs over the c-units of all R annotators (N_c of them) and g over the
// gaps of all R annotators. α_u(c) = 1 − D_o(c)/D_e(c); overall
// α_u = 1 − Σ_c D_o(c) / Σ_c D_e(c).
//
// δ² is local — two overlapping c-units, or a c-unit inside a gap, that is
// overlapping no c-unit of the other annotator — so D_o is tallied per
// document and pair; D_e needs the gaps of the whole continuum (the
// documents in input order) and is computed once all documents are read.

// useg is a c-unit of one annotator after merging: [s, e) in code points of
// its document, lab a category index (1..).
type useg struct {
	a    int32 // annotator
	lab  int32
	s, e int32
}

const (
	noteUNoSpans    = "undefined: no spans"
	noteUNoExpected = "undefined: the expected disagreement is 0"
)

// mergeUnits appends to dst the units of annotator a: its spans, sorted by
// (label, start, end), with overlapping spans of one label merged into
// their union (α_u requires one annotator's units of one label not to
// overlap). It returns dst and how many spans were merged into others.
func mergeUnits(dst []useg, a int, spans []sp) ([]useg, int) {
	merged := 0
	first := len(dst)
	for _, s := range spans {
		if n := len(dst); n > first && dst[n-1].lab == s.lab && s.s < dst[n-1].e {
			dst[n-1].e = max(dst[n-1].e, s.e)
			merged++
			continue
		}
		dst = append(dst, useg{a: int32(a), lab: s.lab, s: s.s, e: s.e})
	}
	return dst, merged
}

// sqDiff is Σ δ² between two annotators' units of one label (each sorted by
// start, non-overlapping), counted once per unordered pair: every
// overlapping pair adds (Δbegin)² + (Δend)², every unit overlapping no unit
// of the other side (it lies inside a gap there) adds its length squared.
func sqDiff(xs, ys []useg) int64 {
	return oneWay(xs, ys, true) + oneWay(ys, xs, false)
}

// oneWay walks the units of xs against ys: it sums the squared lengths of
// those overlapping no unit of ys and, with pairs, δ² of every overlapping
// pair.
func oneWay(xs, ys []useg, pairs bool) int64 {
	var sum int64
	j := 0
	for _, x := range xs {
		for j < len(ys) && ys[j].e <= x.s {
			j++
		}
		if j == len(ys) || ys[j].s >= x.e {
			l := int64(x.e - x.s)
			sum += l * l
			continue
		}
		for t := j; pairs && t < len(ys) && ys[t].s < x.e; t++ {
			db, de := int64(x.s-ys[t].s), int64(x.e-ys[t].e)
			sum += db*db + de*de
		}
	}
	return sum
}

// sections are one annotator's unit lengths and gap lengths for one label
// on a continuum, each sorted ascending once complete.
type sections struct {
	units, gaps []int64
}

func (s *sections) sort() {
	slices.Sort(s.units)
	slices.Sort(s.gaps)
}

// expectedTerms are the per-annotator parts of D_e for one label, from
// which D_e of any set of annotators follows (see expected).
type expectedTerms struct {
	m     int
	n     []int64   // units per annotator
	cubic []float64 // Σ_u l(l−1)(2l−1)/3
	sq    []float64 // Σ_u l(l−1)
	// cross[x*m+y] = Σ_{u of x} l_u² Σ_{gaps g of y, g ≥ l_u} (g − l_u + 1)
	cross []float64
}

// set computes the terms from sorted sections of m annotators, reusing
// t's buffers.
func (t *expectedTerms) set(secs []sections) *expectedTerms {
	m := len(secs)
	t.m = m
	t.n = resize(t.n, m)
	t.cubic, t.sq, t.cross = resize(t.cubic, m), resize(t.sq, m), resize(t.cross, m*m)
	for x, s := range secs {
		t.n[x] = int64(len(s.units))
		for _, l := range s.units {
			// In float64: exact while l(l−1)(2l−1) < 2⁵³, and no overflow.
			lf := float64(l)
			t.cubic[x] += lf * (lf - 1) * (2*lf - 1) / 3
			t.sq[x] += lf * (lf - 1)
		}
	}
	for y, s := range secs {
		// Walking the units upwards, the gaps ≥ l are a shrinking suffix.
		var total int64
		for _, g := range s.gaps {
			total += g
		}
		for x, u := range secs {
			i, below := 0, int64(0) // gaps[:i] < l, below is their sum
			var sum float64
			for _, l := range u.units {
				for i < len(s.gaps) && s.gaps[i] < l {
					below += s.gaps[i]
					i++
				}
				cnt := int64(len(s.gaps) - i)
				sum += float64(l*l) * float64(total-below-(l-1)*cnt)
			}
			t.cross[x*m+y] = sum
		}
	}
	return t
}

// resize returns buf with length n, zeroed.
func resize[T int64 | float64](buf []T, n int) []T {
	if cap(buf) < n {
		return make([]T, n)
	}
	buf = buf[:n]
	clear(buf)
	return buf
}

// expected is D_e for the annotators of set (nil: all of them) over a
// continuum of length L; it returns the number of their units too (0: the
// label is unused).
func (t *expectedTerms) expected(set []int, L int64) (de float64, units int64) {
	r := len(set)
	if set == nil {
		r = t.m
	}
	at := func(i int) int {
		if set == nil {
			return i
		}
		return set[i]
	}
	var cubic, sq, cross float64
	for i := range r {
		x := at(i)
		units += t.n[x]
		cubic += t.cubic[x]
		sq += t.sq[x]
		for j := range r {
			cross += t.cross[x*t.m+at(j)]
		}
	}
	if units == 0 {
		return 0, 0
	}
	rf, l := float64(r), float64(L)
	num := float64(units-1)*cubic + cross
	return 2 / l * num / (rf*l*(rf*l-1) - sq), units
}

// observed is D_o from Σ δ² over unordered pairs (sum) for R annotators
// over a continuum of length L: ordered pairs count each twice.
func observed(sum int64, r int, L int64) float64 {
	l := float64(L)
	return 2 * float64(sum) / (float64(r*(r-1)) * l * l)
}

// unitizingTally accumulates per-label D_o and D_e into α_u.
type unitizingTally struct {
	do, de   float64
	perLabel map[string]*float64
	notes    map[string]string
}

// add records label name with its D_o and D_e; a label no annotator of the
// set used (units = 0) is left out.
func (u *unitizingTally) add(name string, do, de float64, units int64) {
	if units == 0 {
		return
	}
	if u.perLabel == nil {
		u.perLabel = map[string]*float64{}
	}
	u.do += do
	u.de += de
	if de > 0 {
		u.perLabel[name] = f64(1 - do/de)
	} else {
		u.perLabel[name] = nil
		if u.notes == nil {
			u.notes = map[string]string{}
		}
		u.notes[name] = noteUNoExpected
	}
}

// result is the overall α_u with the per-label values.
func (u *unitizingTally) result() UnitizingAlpha {
	out := UnitizingAlpha{AlphaUPerLabel: u.perLabel, AlphaUPerLabelNotes: u.notes}
	if out.AlphaUPerLabel == nil {
		out.AlphaUPerLabel = map[string]*float64{}
	}
	switch {
	case len(u.perLabel) == 0:
		out.AlphaUNote = noteUNoSpans
	case u.de > 0:
		out.AlphaU = f64(1 - u.do/u.de)
	default:
		out.AlphaUNote = noteUNoExpected
	}
	return out
}

// unitDoc is what α_u keeps of one document: its length, its units (by
// annotator, then label, then start) and its own α_u over all annotators.
type unitDoc struct {
	n        int32
	units    []useg
	alpha    float64
	defined  bool // alpha is defined
	hasSpans bool
}

// unitizing tallies α_u for the current document: it merges each
// annotator's spans (st.lab) into units, adds Σ δ² per pair and label to
// st.uObs and returns the document's units and its own α_u.
func (st *state) unitizing(n int32) unitDoc {
	m, k := st.m, st.k
	st.useg = st.useg[:0]
	st.uFrom = st.uFrom[:0]
	for a := range m {
		st.uFrom = append(st.uFrom, len(st.useg))
		var merged int
		st.useg, merged = mergeUnits(st.useg, a, st.lab[a])
		st.uMerged += int64(merged)
	}
	st.uFrom = append(st.uFrom, len(st.useg))
	ud := unitDoc{n: n, units: slices.Clone(st.useg), hasSpans: len(st.useg) > 0}
	if !ud.hasSpans {
		return ud
	}
	// Label by label (each annotator's units are sorted by label), walk
	// every annotator's group of that label.
	cur := st.uCur[:0]
	for a := range m {
		cur = append(cur, st.uFrom[a])
	}
	st.uCur = cur
	if len(st.uSecs) < m {
		st.uGroups, st.uSecs = make([][]useg, m), make([]sections, m)
	}
	groups, secs := st.uGroups, st.uSecs
	var sumDo, sumDe float64
	for {
		lab := int32(k)
		for a := range m {
			if cur[a] < st.uFrom[a+1] {
				lab = min(lab, st.useg[cur[a]].lab)
			}
		}
		if lab == int32(k) {
			break
		}
		for a := range m {
			lo := cur[a]
			for cur[a] < st.uFrom[a+1] && st.useg[cur[a]].lab == lab {
				cur[a]++
			}
			groups[a] = st.useg[lo:cur[a]]
			secs[a] = docSections(secs[a], groups[a], n)
		}
		var sum int64
		for p, pr := range st.pairs {
			d := sqDiff(groups[pr.a], groups[pr.b])
			st.uObs[p*k+int(lab)] += d
			sum += d
		}
		de, _ := st.uTerms.set(secs).expected(nil, int64(n))
		sumDo += observed(sum, m, int64(n))
		sumDe += de
	}
	if sumDe > 0 {
		ud.alpha, ud.defined = 1-sumDo/sumDe, true
	}
	return ud
}

// docSections are the sorted sections of units (one annotator and label,
// sorted by start) on a document of length n, reusing s's buffers.
func docSections(s sections, units []useg, n int32) sections {
	s.units, s.gaps = s.units[:0], s.gaps[:0]
	end := int32(0)
	for _, u := range units {
		if u.s > end {
			s.gaps = append(s.gaps, int64(u.s-end))
		}
		s.units = append(s.units, int64(u.e-u.s))
		end = u.e
	}
	if n > end {
		s.gaps = append(s.gaps, int64(n-end))
	}
	s.sort()
	return s
}

// finishUnitizing computes α_u over the continuum of all documents in
// input order (udocs) and fills rep.All and rep.Pairs; st holds the Σ δ²
// of every document.
func (st *state) finishUnitizing(rep *Report, udocs []unitDoc) {
	m, k := st.m, st.k
	// Sections per label and annotator on the whole continuum: a gap may
	// run on over document boundaries.
	secs := make([]sections, k*m)
	last := make([]int64, k*m) // end of the last unit so far
	var off int64
	for _, d := range udocs {
		for _, u := range d.units {
			i := int(u.lab)*m + int(u.a)
			s, e := off+int64(u.s), off+int64(u.e)
			if s > last[i] {
				secs[i].gaps = append(secs[i].gaps, s-last[i])
			}
			secs[i].units = append(secs[i].units, e-s)
			last[i] = e
		}
		off += int64(d.n)
	}
	L := off
	var tallyAll unitizingTally
	tallyPair := make([]unitizingTally, len(st.pairs))
	for lab := 1; lab < k; lab++ {
		ls := secs[lab*m : (lab+1)*m]
		for a := range ls {
			if L > last[lab*m+a] {
				ls[a].gaps = append(ls[a].gaps, L-last[lab*m+a])
			}
			ls[a].sort()
		}
		terms := st.uTerms.set(ls)
		var sum int64
		for p, pr := range st.pairs {
			d := st.uObs[p*k+lab]
			sum += d
			de, units := terms.expected([]int{pr.a, pr.b}, L)
			tallyPair[p].add(st.names[lab], observed(d, 2, L), de, units)
		}
		de, units := terms.expected(nil, L)
		tallyAll.add(st.names[lab], observed(sum, m, L), de, units)
	}
	rep.All.UnitizingAlpha = tallyAll.result()
	rep.All.AlphaUMergedOverlaps = int(st.uMerged)
	for p := range rep.Pairs {
		rep.Pairs[p].UnitizingAlpha = tallyPair[p].result()
	}

	// The mean of the documents' own α_u, as INCEpTION shows it.
	var sum float64
	var withSpans, undefined int
	for _, d := range udocs {
		if !d.hasSpans {
			continue
		}
		withSpans++
		if !d.defined {
			undefined++
			continue
		}
		sum += d.alpha
	}
	rep.All.AlphaUDocuments = withSpans - undefined
	switch {
	case withSpans == 0:
		rep.All.AlphaUDocumentMeanNote = noteUNoSpans
	case undefined == withSpans:
		rep.All.AlphaUDocumentMeanNote = "undefined: no document with spans has an expected disagreement above 0"
	default:
		rep.All.AlphaUDocumentMean = f64(sum / float64(withSpans-undefined))
		if undefined > 0 {
			rep.All.AlphaUDocumentMeanNote = fmt.Sprintf("%d documents with spans left out: their expected disagreement is 0", undefined)
		}
	}
}
