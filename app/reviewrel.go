package app

import (
	"fmt"
	"slices"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"

	"tawsim/annotate"
	"tawsim/annotate/agree"
	"tawsim/annotate/relmatch"
	"tawsim/annotate/score"
)

// Relations in the review windows: how a relation is named in their lists,
// the relation disagreements of two layers, and the relation tables of
// Agreement and Evaluate.

// shortText cuts a span's text to n code points, with an ellipsis.
func shortText(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n]) + "…"
}

// relText names a relation by its ends' texts, cut to nh and nt code
// points: "SOURCE: «claim…» → فيدان".
// Left-to-right marks (first, and around the arrow) keep the two Arabic
// texts apart, in that order from the left, instead of one right-to-left
// run with the arrow pointing back. A nil
// relation is "—".
func relText(r *relArc, nh, nt int) string {
	if r == nil {
		return "—"
	}
	return r.Label + ": " + relEnds(r, nh, nt)
}

// relEnds is relText without the relation's label.
func relEnds(r *relArc, nh, nt int) string {
	return fmt.Sprintf("\u200e«%s» \u200e→\u200e %s", shortText(r.Head.Text, nh), shortText(r.Tail.Text, nt))
}

// relDiff is one relation disagreement of two layers: A's and B's relation
// of one label from the same head with different tails (both set), or a
// relation only one side drew (the other nil).
type relDiff struct {
	Kind  string
	A, B  *relArc
	Label string
}

// relDisagreements compares two layers' relations by strict key (see
// annotate/relmatch) and pairs what is left without a match: relations of
// one label from the same head (offsets and label) are a different tail
// ("different source"), the rest is missing on one side ("cue missing in
// B"). Relations whose ends are not spans are left out.
func relDisagreements(spansA []annotate.Span, relsA []annotate.Relation, spansB []annotate.Span, relsB []annotate.Relation) []relDiff {
	ka, _ := relmatch.Keys(nil, spansA, relsA)
	kb, _ := relmatch.Keys(nil, spansB, relsB)
	var onlyA, onlyB []relmatch.Key
	var t relmatch.Tally
	t.Add(ka, kb, func(ref bool, k *relmatch.Key) {
		if ref {
			onlyA = append(onlyA, *k)
		} else {
			onlyB = append(onlyB, *k)
		}
	})
	arc := func(spans []annotate.Span, rels []annotate.Relation, k relmatch.Key) *relArc {
		r := rels[k.Rel]
		return &relArc{Head: spans[r.Head], Tail: spans[r.Tail], Label: r.Label}
	}
	sameHead := func(x, y relmatch.Key) bool {
		return x.Label == y.Label && x.HeadL == y.HeadL && x.HS == y.HS && x.HE == y.HE
	}
	var out []relDiff
	usedB := make([]bool, len(onlyB))
	for _, x := range onlyA {
		d := relDiff{Label: x.Label, A: arc(spansA, relsA, x), Kind: strings.ToLower(x.Label) + " missing in B"}
		for j, y := range onlyB {
			if !usedB[j] && sameHead(x, y) {
				usedB[j] = true
				d.B, d.Kind = arc(spansB, relsB, y), "different "+strings.ToLower(x.Label)
				break
			}
		}
		out = append(out, d)
	}
	for j, y := range onlyB {
		if !usedB[j] {
			out = append(out, relDiff{Label: y.Label, B: arc(spansB, relsB, y), Kind: strings.ToLower(y.Label) + " missing in A"})
		}
	}
	return out
}

// arcIndex is the index in arcs of the relation r (same ends and label),
// -1 when r is nil or not there.
func arcIndex(arcs []relArc, r *relArc) int {
	if r == nil {
		return -1
	}
	for i, a := range arcs {
		if a.Label == r.Label && annotate.CompareSpans(a.Head, r.Head) == 0 && annotate.CompareSpans(a.Tail, r.Tail) == 0 {
			return i
		}
	}
	return -1
}

// relationTables are the summary's relation figures: per pair the strict,
// boundary and overlap relation F1 and the attribution agreement, and the
// strict F1 per relation label.
func relationTables(r *agree.Report) []fyne.CanvasObject {
	bold := fyne.TextStyle{Bold: true}
	var labels []string
	some := false
	for _, p := range r.Pairs {
		f := p.RelationF1
		some = some || f.Strict.Reference+f.Strict.Candidate > 0 || p.Attribution.ClaimsMatched > 0
		for l := range f.PerLabel {
			if !slices.Contains(labels, l) {
				labels = append(labels, l)
			}
		}
	}
	title := widget.NewLabelWithStyle(lang.L("Relations per pair (A the reference): F1 strict, boundary, overlap; attribution: same source / claims paired"), fyne.TextAlignLeading, bold)
	if !some {
		return []fyne.CanvasObject{title, widget.NewLabel(lang.L("No relation drawn, and no claim marked by both annotators of a pair."))}
	}
	slices.Sort(labels)
	cells := []fyne.CanvasObject{gridText(lang.L("pair"), true), gridText(lang.L("relations A / B"), true), gridText("strict P", true), gridText("strict R", true),
		gridText(lang.L("strict F1"), true), gridText(lang.L("boundary F1"), true), gridText(lang.L("overlap F1"), true), gridText(lang.L("attribution"), true), gridText(lang.L("same / claims"), true)}
	for _, p := range r.Pairs {
		f, at := p.RelationF1, p.Attribution
		cells = append(cells, gridText(p.A+"–"+p.B, true), gridText(fmt.Sprintf("%d / %d", f.Strict.Reference, f.Strict.Candidate), false),
			coefCell(&f.Strict.Precision), coefCell(&f.Strict.Recall), coefCell(&f.Strict.F1), coefCell(&f.Boundary.F1), coefCell(&f.Overlap.F1),
			coefCell(at.Agreement), gridText(fmt.Sprintf("%d / %d", at.SameSource, at.ClaimsMatched), false))
	}
	objs := []fyne.CanvasObject{title, container.NewHBox(container.NewGridWithColumns(9, cells...))}
	if len(labels) == 0 {
		return objs
	}
	per := []fyne.CanvasObject{gridText(lang.L("relation"), true)}
	for _, p := range r.Pairs {
		per = append(per, gridText("F1 "+p.A+"–"+p.B, true), gridText(lang.L("matches / A / B"), true))
	}
	for _, l := range labels {
		per = append(per, gridText(l, true))
		for _, p := range r.Pairs {
			m, ok := p.RelationF1.PerLabel[l]
			if !ok {
				per = append(per, gridText("—", false), gridText("—", false))
				continue
			}
			per = append(per, coefCell(&m.F1), gridText(fmt.Sprintf("%d / %d / %d", m.Matches, m.Reference, m.Candidate), false))
		}
	}
	return append(objs, widget.NewLabelWithStyle(lang.L("Per relation label: strict F1 per pair"), fyne.TextAlignLeading, bold),
		container.NewHBox(container.NewGridWithColumns(1+2*len(r.Pairs), per...)))
}

// relScoreTables are the relation scores: strict and boundary over all
// relations, strict per relation label; nothing when neither side has one.
func relScoreTables(r *score.RelResult) []fyne.CanvasObject {
	if r.Strict.Possible+r.Strict.Actual == 0 {
		return nil
	}
	bold := fyne.TextStyle{Bold: true}
	header := func(first string) []fyne.CanvasObject {
		return headerRow(first, "COR", "MIS", "SPU", "POS", "ACT", lang.L("precision"), lang.L("recall"), "F1")
	}
	row := func(name string, c score.RelCounts) []fyne.CanvasObject {
		return scoreRow(name, []int{c.Cor, c.Mis, c.Spu, c.Possible, c.Actual}, c.Precision, c.Recall, c.F1)
	}
	all := append(header("relations"), row("strict", r.Strict)...)
	all = append(all, row("boundary", r.Boundary)...)
	per := header("relation")
	labels := make([]string, 0, len(r.PerLabel))
	for l := range r.PerLabel {
		labels = append(labels, l)
	}
	slices.Sort(labels)
	for _, l := range labels {
		per = append(per, row(l, r.PerLabel[l])...)
	}
	return []fyne.CanvasObject{
		widget.NewLabelWithStyle(fmt.Sprintf(lang.L("Relations: %d gold, %d predicted (boundary: without the ends' span labels)"), r.Strict.Possible, r.Strict.Actual), fyne.TextAlignLeading, bold),
		container.NewHBox(container.NewGridWithColumns(9, all...)),
		widget.NewLabelWithStyle(lang.L("Per relation label, strict"), fyne.TextAlignLeading, bold),
		container.NewHBox(container.NewGridWithColumns(9, per...)),
	}
}
