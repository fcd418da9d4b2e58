package app

import (
	"bytes"
	"image/png"
	"path/filepath"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"tawsim/annotate"
	"tawsim/internal/golden"
)

// mixedDoc is a mixed-direction paragraph: Latin words, digits, brackets,
// guillemets, a sub-word span (الأردن in والأردن, تركيا in بتركيا) and
// nested spans (فيدان in هاكان فيدان, تركيا in the CLAIM).
func mixedDoc(t *testing.T) (*annotate.Document, []annotate.Span) {
	t.Helper()
	text := "بحسب صحيفة Türkiye Gazetesi التركية، زار وزير الخارجية هاكان فيدان والأردن في 10 مارس 2025 (سانا)، وقال إن «التعاون» مستمر بتركيا."
	doc := &annotate.Document{ID: "mix", Title: "نص مختلط الاتجاه", Text: text}
	runes := []rune(text)
	var spans []annotate.Span
	for _, s := range []struct {
		start, end int
		label      string
	}{{11, 27, "ORGANIZATION"}, {61, 66, "PERSON"}, {55, 66, "PERSON"}, {68, 74, "STATE"}, {92, 96, "ORGANIZATION"}, {124, 129, "STATE"}, {107, 129, "CLAIM"}} {
		spans = append(spans, annotate.Span{Start: s.start, End: s.end, Label: s.label, Text: string(runes[s.start:s.end])})
	}
	if spans[3].Text != "الأردن" || spans[5].Text != "تركيا" {
		t.Fatalf("fixture offsets are off: %q %q", spans[3].Text, spans[5].Text)
	}
	return doc, spans
}

// TestRenderGolden compares the headless render of the mixed paragraph
// with the checked-in image (looked at before it was checked in). Set
// TAWSIM_UPDATE_GOLDEN=1 to write it anew.
func TestRenderGolden(t *testing.T) {
	doc, spans := mixedDoc(t)
	var buf bytes.Buffer
	if err := Render(&buf, doc, spans, annotate.DefaultLabels(), "amina", RenderOptions{Width: 700}); err != nil {
		t.Fatal(err)
	}
	got, err := png.Decode(&buf)
	if err != nil {
		t.Fatal(err)
	}
	golden.Check(t, got, filepath.Join("testdata", "render-mixed.png"))
}

// mixedRelations are the mixed paragraph's attribution: the CLAIM with a
// source on another line (صحيفة Türkiye Gazetesi, an ORGANIZATION), a
// source on its own line (سانا) and a cue (وقال, added here as a CUE span).
func mixedRelations(t *testing.T) ([]annotate.Span, []annotate.Relation) {
	t.Helper()
	_, spans := mixedDoc(t)
	doc, _ := mixedDoc(t)
	runes := []rune(doc.Text)
	cue := findIn(t, doc.Text, "وقال", 0)
	spans = append(spans, annotate.Span{Start: cue, End: cue + 4, Label: "CUE", Text: string(runes[cue : cue+4])})
	rels := []annotate.Relation{{Head: 6, Tail: 0, Label: "SOURCE"}, {Head: 6, Tail: 4, Label: "SOURCE"}, {Head: 6, Tail: 7, Label: "CUE"}}
	return spans, rels
}

// TestRenderRelationsGolden draws the mixed paragraph's relations: arcs
// must start and end over their spans, across the line break too.
func TestRenderRelationsGolden(t *testing.T) {
	doc, _ := mixedDoc(t)
	spans, rels := mixedRelations(t)
	var buf bytes.Buffer
	if err := Render(&buf, doc, spans, annotate.DefaultLabels(), "amina", RenderOptions{Width: 700, Relations: rels}); err != nil {
		t.Fatal(err)
	}
	got, err := png.Decode(&buf)
	if err != nil {
		t.Fatal(err)
	}
	golden.Check(t, got, filepath.Join("testdata", "render-relations.png"))
}

// The arcs of the mixed paragraph start over the CLAIM and end over each
// tail, also across the line break.
func TestArcsEndOverTheirSpans(t *testing.T) {
	doc, _ := mixedDoc(t)
	spans, rels := mixedRelations(t)
	v := NewSpanView(testFonts, 20)
	w := test.NewWindow(v)
	defer w.Close()
	w.Resize(fyne.NewSize(700, 300))
	v.SetText(doc.Text)
	v.SetSpans(spans, nil)
	v.SetRelations(arcsOf(spans, rels), -1)
	inside := func(sp annotate.Span, p fyne.Position) bool {
		for _, r := range v.doc.Rects(sp.Start, sp.End) {
			if p.X > r.X0 && p.X < r.X1 && p.Y >= r.Y0 && p.Y < r.Y1 {
				return true
			}
		}
		return false
	}
	lines := map[int]bool{}
	for i, a := range arcsOf(spans, rels) {
		pts, ok := v.arcPath(a, 0, i)
		if !ok {
			t.Fatalf("arc %d not drawn", i)
		}
		if !inside(a.Head, pts[0]) || !inside(a.Tail, pts[len(pts)-1]) {
			t.Errorf("arc %d (%s → %s) runs %v", i, a.Head.Text, a.Tail.Text, pts)
		}
		if len(pts) > 4 { // across lines: the run is in the margin
			lines[i] = true
			if x := pts[2].X; x <= v.wrapPx || x >= v.wrapPx+viewPad*v.scale {
				t.Errorf("arc %d's margin run at x=%g (text width %g)", i, x, v.wrapPx)
			}
		}
	}
	if !lines[0] || lines[2] {
		t.Fatalf("arcs across lines: %v (want the one to Türkiye Gazetesi only)", lines)
	}
}
