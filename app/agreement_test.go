package app

import (
	"slices"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"tawsim/annotate"
	"tawsim/annotate/agree"
	"tawsim/storage"
)

// textsIn lists the texts of the labels and canvas texts under o.
func textsIn(o fyne.CanvasObject) []string {
	var out []string
	switch x := o.(type) {
	case *canvas.Text:
		out = append(out, x.Text)
	case *widget.Label:
		out = append(out, x.Text)
	case *fyne.Container:
		for _, c := range x.Objects {
			out = append(out, textsIn(c)...)
		}
	case *container.AppTabs: // every tab, shown or not
		for _, it := range x.Items {
			out = append(out, it.Text)
			out = append(out, textsIn(it.Content)...)
		}
	}
	return out
}

// addWord stores a span over the nth occurrence of word (cut to [from:])
// in document id for annotator ann.
func addWord(t *testing.T, st *storage.Store, id, ann, word string, nth, from int, label string) annotate.Span {
	t.Helper()
	doc, err := st.Document(id)
	if err != nil {
		t.Fatal(err)
	}
	s := findIn(t, doc.Text, word, nth)
	want := annotate.Span{Start: s + from, End: s + len([]rune(word)), Label: label}
	var sp annotate.Span
	if ann == storage.GoldLayer { // the gold layer is written by adjudication
		sp, err = st.GoldAccept(id, want, annotate.DecisionAdded, "lead", nil)
	} else {
		sp, err = st.AddSpan(id, ann, want)
	}
	if err != nil {
		t.Fatal(err)
	}
	return sp
}

func twoAnnotators(t *testing.T, st *storage.Store, ids []string) {
	t.Helper()
	d0, d1 := ids[0], ids[1]
	addWord(t, st, d0, "amina", "هاكان فيدان", 0, 0, "PERSON")
	addWord(t, st, d0, "omar", "هاكان فيدان", 0, 0, "PERSON")
	addWord(t, st, d0, "amina", "تركيا", 0, 0, "STATE")
	addWord(t, st, d0, "omar", "تركيا", 0, 0, "ORGANIZATION")
	addWord(t, st, d0, "amina", "والأردن", 0, 1, "STATE")
	addWord(t, st, d0, "omar", "والأردن", 0, 0, "STATE")
	addWord(t, st, d0, "amina", "أيمن الصفدي", 0, 0, "PERSON")
	addWord(t, st, d1, "amina", "تركيا", 0, 0, "STATE")
	addWord(t, st, d1, "omar", "تركيا", 0, 0, "STATE")
	addWord(t, st, d1, "amina", "سوريا", 0, 0, "STATE")
	addWord(t, st, d1, "omar", "سوريا", 0, 0, "STATE")
}

func init() { agreePoll = 0 } // the tests call checkChanges

// twoAnnotatorsScreen is the Agreement window, computed, on a project
// where amina and omar marked the first two documents (twoAnnotators).
func twoAnnotatorsScreen(t *testing.T) (*storage.Store, []string, *agreementScreen) {
	t.Helper()
	u, _, st := newTestUI(t)
	ids := []string{u.docs[0].ID, u.docs[1].ID}
	twoAnnotators(t, st, ids)
	s := openAgreement(u)
	s.wait()
	return st, ids, s
}

// Another process's spans reach an open Agreement window at its next look,
// the chosen pair and document staying; someone new can be chosen.
func TestAgreementFollowsOtherProcesses(t *testing.T) {
	st, ids, s := twoAnnotatorsScreen(t)
	s.shortcut(scTab2)
	if s.order[0].ID != ids[0] || len(s.items) != 3 {
		t.Fatalf("first document %s with %d disagreements", s.order[0].ID, len(s.items))
	}
	s.checkChanges() // nothing changed: nothing computed
	if s.bg.running() {
		t.Fatal("computing again with nothing changed")
	}
	other, err := storage.OpenWith(st.Path(), storage.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	// omar marks the PERSON only amina had: a missing span less.
	addWord(t, other, ids[0], "omar", "أيمن الصفدي", 0, 0, "PERSON")
	addWord(t, other, ids[1], "chadi", "تركيا", 0, 0, "STATE")
	s.checkChanges()
	s.wait()
	if s.doc < 0 || s.order[s.doc].ID != ids[0] || len(s.items) != 2 {
		t.Fatalf("after omar's span elsewhere: document %d, %d disagreements %+v", s.doc, len(s.items), s.items)
	}
	for _, it := range s.items {
		if it.span.Kind == agree.KindMissing {
			t.Fatalf("still missing: %+v", it.span)
		}
	}
	if got := s.pick.Options; !slices.Equal(got, []string{"amina", "chadi", "omar"}) || len(s.pick.Selected) != 2 {
		t.Fatalf("options %v, chosen %v", got, s.pick.Selected)
	}
	// Closed, the window stops looking.
	s.win.Close()
	select {
	case <-s.stop:
	default:
		t.Fatal("the closed window still polls")
	}
}

func TestAgreementScreenShowsKappa(t *testing.T) {
	st, ids, s := twoAnnotatorsScreen(t)
	s.win.Resize(fyne.NewSize(1280, 860))
	if got := s.pick.Selected; len(got) != 2 || got[0] != "amina" || got[1] != "omar" {
		t.Fatalf("default annotators %v", got)
	}
	// By default every document counts, as in `tawsim agree --db`.
	if !strings.HasPrefix(s.status.Text, "5 documents") {
		t.Fatalf("default status %q", s.status.Text)
	}
	s.worked.SetChecked(true)
	s.compute()
	s.wait()
	if !strings.HasPrefix(s.status.Text, "2 documents") || !strings.Contains(s.status.Text, "3 documents left out") {
		t.Fatalf("status %q", s.status.Text)
	}
	// The expected kappa, computed from the same spans outside the UI.
	var docs []agree.Doc
	for _, id := range ids {
		doc, _ := st.Document(id)
		d := agree.Doc{ID: id, Text: doc.Text, Layers: map[string][]annotate.Span{}}
		for _, a := range []string{"amina", "omar"} {
			d.Layers[a], _ = st.Spans(id, a)
		}
		docs = append(docs, d)
	}
	want, err := agree.Compute(docs, []string{"amina", "omar"}, agree.Options{})
	if err != nil {
		t.Fatal(err)
	}
	kappa := coefText(want.Pairs[0].CohenKappa)
	if kappa == "—" || kappa == "1.000" {
		t.Fatalf("test data gives kappa %s", kappa)
	}
	texts := strings.Join(textsIn(s.sumBox), "|")
	for _, w := range []string{"Cohen's κ", kappa, coefText(want.All.FleissKappa), coefText(want.Pairs[0].SpanF1.Strict.F1)} {
		if !strings.Contains(texts, w) {
			t.Errorf("summary lacks %q: %s", w, texts)
		}
	}
	capture(t, s.win, "agreement-summary.png")

	// The pair matrices' α_u tab: the pair's value, per label, and the
	// overall and per-document values beside Fleiss' κ.
	s.pairTabs.SelectIndex(1)
	if s.pairTabs.Selected().Text != "Unitizing α_u" {
		t.Fatalf("tab %q", s.pairTabs.Selected().Text)
	}
	au := want.Pairs[0].AlphaU
	if au == nil || *au == 1 || *want.All.AlphaUPerLabel["STATE"] == 1 {
		t.Fatalf("test data gives α_u %v, per label %v", au, want.All.AlphaUPerLabel)
	}
	tab := strings.Join(textsIn(s.pairTabs.Selected().Content), "|")
	for _, w := range []string{"Krippendorff's α_u", coefText(au), "α_u per label", "STATE", coefText(want.All.AlphaUPerLabel["STATE"]),
		"PERSON", coefText(want.All.AlphaUPerLabel["PERSON"]), "ORGANIZATION", "amina–omar",
		"Document mean (the figure INCEpTION shows): " + coefText(want.All.AlphaUDocumentMean) + " over 2 documents"} {
		if !strings.Contains(tab, w) {
			t.Errorf("α_u tab lacks %q: %s", w, tab)
		}
	}
	for _, w := range []string{"Unitizing α_u", coefText(want.All.AlphaU), "α_u document mean"} {
		if !strings.Contains(texts, w) {
			t.Errorf("summary lacks %q: %s", w, texts)
		}
	}
	capture(t, s.win, "agreement-alpha-u.png")
	// A new computation keeps the chosen tab.
	s.compute()
	s.wait()
	if s.pairTabs.SelectedIndex() != 1 {
		t.Errorf("after recomputing, tab %d", s.pairTabs.SelectedIndex())
	}

	// Documents: the first has the disagreements; its items select spans.
	s.shortcut(scTab2)
	if s.order[0].ID != ids[0] || s.doc != 0 {
		t.Fatalf("first document %s, open %d", s.order[0].ID, s.doc)
	}
	if len(s.items) != 3 {
		t.Fatalf("%d disagreements: %+v", len(s.items), s.items)
	}
	kinds := map[agree.Kind]bool{}
	for _, it := range s.items {
		kinds[it.span.Kind] = true
	}
	if !kinds[agree.KindLabel] || !kinds[agree.KindBoundary] || !kinds[agree.KindMissing] {
		t.Fatalf("kinds %v", kinds)
	}
	// Ctrl+PgDn from a span view selects the first disagreement in both views.
	s.viewA.TypedShortcut(scNextItem)
	it := s.items[0].span
	if a, b := s.viewA.Selection(); a != it.SpanA.Start || b != it.SpanA.End {
		t.Fatalf("view A selects [%d,%d), want %+v", a, b, it.SpanA)
	}
	s.itemList.Select(1)
	it = s.items[1].span
	if a, b := s.viewB.Selection(); it.SpanB != nil && (a != it.SpanB.Start || b != it.SpanB.End) {
		t.Fatalf("view B selects [%d,%d), want %+v", a, b, it.SpanB)
	}
	if sp, ok := s.viewA.ActiveSpan(); !ok || sp.Text != it.SpanA.Text {
		t.Fatalf("view A active span %+v", sp)
	}
	capture(t, s.win, "agreement-docs.png")
	// Stepping past the last disagreement goes on to no further document
	// (the second has none) and stays on the last.
	s.step(+1)
	s.step(+1)
	s.step(+1)
	if s.doc != 0 || s.item != 2 {
		t.Fatalf("after stepping: doc %d item %d", s.doc, s.item)
	}
}

// claimWithSources marks, for annotator who in document id, the claim after
// أفادت, the cue أفادت and the source span src (label lab), and links
// the claim to its source and, with cue, to the cue.
func claimWithSources(t *testing.T, st *storage.Store, id, who, src, lab string, cue bool) {
	t.Helper()
	claim := addWord(t, st, id, who, "العاصمة أنقرة تشهد", 0, 0, "CLAIM")
	s := addWord(t, st, id, who, src, 0, 0, lab)
	if err := st.AddRelation(claim.ID, s.ID, "SOURCE"); err != nil {
		t.Fatal(err)
	}
	if cue {
		c := addWord(t, st, id, who, "أفادت", 0, 0, "CUE")
		if err := st.AddRelation(claim.ID, c.ID, "CUE"); err != nil {
			t.Fatal(err)
		}
	}
}

// twoClaims marks the claim of the first document for amina, with the
// source «وسائل إعلام تركية» and the cue, and for other with the source src
// and no cue.
func twoClaims(t *testing.T, other, src string) (*UI, *storage.Store, string) {
	t.Helper()
	u, _, st := newTestUI(t)
	id := u.docs[0].ID
	claimWithSources(t, st, id, "amina", "وسائل إعلام تركية", "ORGANIZATION", true)
	claimWithSources(t, st, id, other, src, "ORGANIZATION", false)
	return u, st, id
}

func TestAgreementScreenShowsRelations(t *testing.T) {
	// omar: «وسائل إعلام», another source, and no cue.
	u, _, id := twoClaims(t, "omar", "وسائل إعلام")
	s := openAgreement(u)
	s.wait()
	s.win.Resize(fyne.NewSize(1280, 800))
	p := s.rep.Pairs[0]
	f := p.RelationF1
	if f.Strict.Reference != 2 || f.Strict.Candidate != 1 || f.Strict.Matches != 0 || f.Overlap.F1 == 0 {
		t.Fatalf("relation F1 %+v", f)
	}
	if a := p.Attribution; a.ClaimsMatched != 1 || a.SameSource != 0 {
		t.Fatalf("attribution %+v", a)
	}
	texts := strings.Join(textsIn(s.sumBox), "|")
	for _, w := range []string{"Relations per pair", "strict F1", "boundary F1", "overlap F1", "attribution", "0 / 1", "2 / 1",
		coefText(&f.Overlap.F1), "Per relation label", "SOURCE", "CUE", "0 / 1 / 0"} {
		if !strings.Contains(texts, w) {
			t.Errorf("summary lacks %q: %s", w, texts)
		}
	}
	s.sumScr.ScrollToBottom()
	capture(t, s.win, "agreement-relations-summary.png")

	// The document: both views draw their layer's relations; the list
	// ends with a different source and a missing cue.
	s.shortcut(scTab2)
	if s.order[0].ID != id {
		t.Fatalf("first document %s", s.order[0].ID)
	}
	if len(s.viewA.rel.arcs) != 2 || len(s.viewB.rel.arcs) != 1 {
		t.Fatalf("arcs A %d, B %d", len(s.viewA.rel.arcs), len(s.viewB.rel.arcs))
	}
	var rels []*relDiff
	first := -1
	for i, it := range s.items {
		if it.rel != nil {
			if first < 0 {
				first = i
			}
			rels = append(rels, it.rel)
		}
	}
	if len(rels) != 2 || rels[0].Kind != "cue missing in B" || rels[1].Kind != "different source" {
		t.Fatalf("relation disagreements %+v", rels)
	}
	if rels[1].A.Tail.Text != "وسائل إعلام تركية" || rels[1].B.Tail.Text != "وسائل إعلام" || rels[0].B != nil {
		t.Fatalf("different source %+v / %+v", rels[1].A, rels[1].B)
	}
	// Selecting one focuses each side's relation; B has no cue and selects
	// the claim A's cue starts from.
	s.itemList.Select(first)
	if s.viewA.rel.focus < 0 || s.viewA.rel.arcs[s.viewA.rel.focus].Label != "CUE" || s.viewB.rel.focus != -1 {
		t.Fatalf("focus A %d, B %d", s.viewA.rel.focus, s.viewB.rel.focus)
	}
	if a, b := s.viewB.Selection(); a != rels[0].A.Head.Start || b != rels[0].A.Head.End {
		t.Fatalf("view B selects [%d,%d)", a, b)
	}
	s.step(+1)
	if s.viewB.rel.focus < 0 || s.viewB.rel.arcs[s.viewB.rel.focus].Tail.Text != "وسائل إعلام" {
		t.Fatalf("after step, focus B %d", s.viewB.rel.focus)
	}
	capture(t, s.win, "agreement-relations-docs.png")
}
