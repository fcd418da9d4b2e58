package app

import (
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

func TestAgreementScreenShowsKappa(t *testing.T) {
	u, _, st := newTestUI(t)
	ids := []string{u.docs[0].ID, u.docs[1].ID}
	twoAnnotators(t, st, ids)
	s := openAgreement(u)
	s.wait()
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
		kinds[it.Kind] = true
	}
	if !kinds[agree.KindLabel] || !kinds[agree.KindBoundary] || !kinds[agree.KindMissing] {
		t.Fatalf("kinds %v", kinds)
	}
	// Ctrl+PgDn from a span view selects the first disagreement in both views.
	s.viewA.TypedShortcut(scNextItem)
	it := s.items[0]
	if a, b := s.viewA.Selection(); a != it.SpanA.Start || b != it.SpanA.End {
		t.Fatalf("view A selects [%d,%d), want %+v", a, b, it.SpanA)
	}
	s.itemList.Select(1)
	it = s.items[1]
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
