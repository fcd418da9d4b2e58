package app

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"tawsim/annotate"
	"tawsim/storage"
)

// overlay is the top dialog of w.
func overlay(t *testing.T, w fyne.Window) fyne.CanvasObject {
	t.Helper()
	o := w.Canvas().Overlays().Top()
	if o == nil {
		t.Fatal("no dialog is open")
	}
	return o
}

// editorRow is the label editor's row of label name.
func editorRow(t *testing.T, e *labelEditor, name string) fyne.CanvasObject {
	t.Helper()
	for _, r := range e.labels.Objects {
		if _, ok := findObject(r, func(l *widget.Label) bool { return l.Text == name }); ok {
			return r
		}
	}
	t.Fatalf("no row for label %s", name)
	return nil
}

func paletteHas(u *UI, text string) bool {
	for _, o := range u.palette.Objects {
		if _, ok := findObject(o, func(b *widget.Button) bool { return strings.Contains(b.Text, text) }); ok {
			return true
		}
	}
	return false
}

func TestLabelEditorRenameRecolourDeleteMerge(t *testing.T) {
	u, _, st := newTestUI(t)
	u.view.Select(0, 4)
	test.Type(u.view, "1") // PERSON
	u.view.Select(5, 10)
	test.Type(u.view, "2") // STATE
	e := openLabelEditor(u)

	// Rename STATE: the span keeps its label, the palette shows the name.
	tapButton(t, editorRow(t, e, "STATE"), "Rename…")
	entry, _ := findObject(overlay(t, e.win), func(*widget.Entry) bool { return true })
	entry.SetText("COUNTRY")
	tapButton(t, overlay(t, e.win), "OK")
	if spans := spansOf(t, u); len(spans) != 2 || spans[1].Label != "COUNTRY" || u.spans[1].Label != "COUNTRY" {
		t.Fatalf("spans after the rename %+v (window %+v)", spans, u.spans)
	}
	if !paletteHas(u, "COUNTRY  (1)") || paletteHas(u, "STATE") {
		t.Fatal("the palette did not follow the rename")
	}

	// Recolour through the colour picker.
	tapButton(t, editorRow(t, e, "COUNTRY"), "")
	if e.picker == nil {
		t.Fatal("no colour picker")
	}
	capture(t, e.win, "label-colour.png")
	e.picker.SetColor(parseColor("#123456"))
	tapButton(t, overlay(t, e.win), "Confirm")
	if ls, _ := st.Labels(); ls[1].Color != "#123456" || colorHex(u.colors["COUNTRY"]) != "#123456" {
		t.Fatalf("colour %s in the store, %s in the window", ls[1].Color, colorHex(u.colors["COUNTRY"]))
	}
	if sw, ok := findObject(editorRow(t, e, "COUNTRY"), func(r *canvas.Rectangle) bool { return r.MinSize() == fyne.NewSize(28, 20) }); !ok || colorHex(sw.FillColor) != "#123456" {
		t.Fatal("the editor's swatch did not take the colour")
	}

	// Delete refused with its counts.
	tapButton(t, editorRow(t, e, "COUNTRY"), "Delete")
	if msg := e.message.Text; !strings.Contains(msg, "1 span in 1 document carries it") || !strings.Contains(msg, "SOURCE") {
		t.Fatalf("refusal %q", msg)
	}

	// Hotkeys: PERSON loses its key; the status line's hint follows.
	hk, _ := findObject(editorRow(t, e, "PERSON"), func(*widget.Select) bool { return true })
	hk.SetSelected(noHotkey)
	u.view.Select(12, 14)
	if msg := u.message.text; !strings.Contains(msg, "press 2–5 to label") {
		t.Fatalf("hint %q", msg)
	}
	test.Type(u.view, "1")
	if len(spansOf(t, u)) != 2 || !strings.Contains(u.message.text, "No label has the hotkey 1") {
		t.Fatalf("key 1 without a label: %q", u.message.text)
	}

	// Merge COUNTRY into PERSON: every span kept.
	tapButton(t, editorRow(t, e, "COUNTRY"), "Merge into…")
	sel, _ := findObject(overlay(t, e.win), func(*widget.Select) bool { return true })
	sel.SetSelected("PERSON")
	tapButton(t, overlay(t, e.win), "Merge")
	tapButton(t, overlay(t, e.win), "Yes")
	if spans := spansOf(t, u); len(spans) != 2 || spans[0].Label != "PERSON" || spans[1].Label != "PERSON" {
		t.Fatalf("spans after the merge %+v", spans)
	}
	if !strings.Contains(e.message.Text, "1 span relabelled") || paletteHas(u, "COUNTRY") || len(e.labels.Objects) != 4 {
		t.Fatalf("after the merge: %q, %d rows", e.message.Text, len(e.labels.Objects))
	}
	types, _ := st.RelationTypes()
	if strings.Join(types[0].Tails, ",") != "PERSON,ORGANIZATION" {
		t.Fatalf("SOURCE's tails %v", types[0].Tails)
	}
	e.win.Resize(fyne.NewSize(1000, 560))
	capture(t, e.win, "label-editor.png")
}

// A merge asks first, naming how many spans (in how many documents, of
// every annotator) move: No changes nothing, Yes merges.
func TestLabelMergeConfirms(t *testing.T) {
	u, _, st := newTestUI(t)
	for i, info := range u.docs[:3] {
		for _, who := range []string{"amina", "chadi"}[:1+i%2] {
			if _, err := st.AddSpan(info.ID, who, annotate.Span{Start: 0, End: 3, Label: "STATE"}); err != nil {
				t.Fatal(err)
			}
		}
	}
	e := openLabelEditor(u)
	merge := func(answer string) {
		tapButton(t, editorRow(t, e, "STATE"), "Merge into…")
		sel, _ := findObject(overlay(t, e.win), func(*widget.Select) bool { return true })
		sel.SetSelected("PERSON")
		tapButton(t, overlay(t, e.win), "Merge")
		want := "Merge STATE (4 spans in 3 documents) into PERSON? This cannot be undone."
		if _, ok := findObject(overlay(t, e.win), func(l *widget.Label) bool { return l.Text == want }); !ok {
			t.Fatalf("no confirmation %q", want)
		}
		capture(t, e.win, "label-merge-confirm.png")
		tapButton(t, overlay(t, e.win), answer)
	}
	merge("No")
	if use, _ := st.LabelUsage(); use["STATE"].Spans != 4 || use["PERSON"].Spans != 0 || e.win.Canvas().Overlays().Top() != nil {
		t.Fatalf("after No: %+v", use)
	}
	merge("Yes")
	if use, _ := st.LabelUsage(); use["STATE"].Spans != 0 || use["PERSON"].Spans != 4 || !strings.Contains(e.message.Text, "4 spans relabelled") {
		t.Fatalf("after Yes: %+v, %q", use, e.message.Text)
	}
	if ls, _ := st.Labels(); len(ls) != 4 || paletteHas(u, "STATE") {
		t.Fatalf("STATE is still a label: %+v", ls)
	}
}

func TestHotkeyHint(t *testing.T) {
	keys := func(ks ...string) []annotate.Label {
		var ls []annotate.Label
		for _, k := range ks {
			ls = append(ls, annotate.Label{Hotkey: k})
		}
		return ls
	}
	for _, c := range []struct {
		labels []annotate.Label
		want   string
	}{
		{keys("1", "2", "3", "4", "6"), "press 1–4, 6 to label"},
		{keys("2", "1", ""), "press 1, 2 to label"},
		{keys("9", "3", "4", "5", "7"), "press 3–5, 7, 9 to label"},
		{keys("", ""), "click a label in the palette to label it"},
	} {
		if got := hotkeyHint(c.labels); got != c.want {
			t.Errorf("%v: %q, want %q", c.labels, got, c.want)
		}
	}
}

func TestGuidelinesPane(t *testing.T) {
	u, w, st := newTestUI(t)
	md := "# تعليمات التوسيم\n\nضع **شخص** على أسماء الناس، و**دولة** على أسماء الدول.\n\n## English\n\nMark *people* with PERSON.\n"
	if err := st.SetGuidelines(storage.Guidelines{Text: md, Format: storage.GuidelinesMarkdown}); err != nil {
		t.Fatal(err)
	}
	u.toggleGuidelines()
	if len(u.textPane.Objects) != 1 || u.textPane.Objects[0] != u.guide.split {
		t.Fatal("the guidelines are not beside the text")
	}
	g := u.guide.text
	var arabic, english = -1, -1
	for i, b := range g.blocks {
		if strings.HasPrefix(b.text, "ضع شخص") && strings.Contains(b.text, "، ودولة على") { // no space put into و**دولة**
			arabic = i
		}
		if b.text == "English" {
			english = i
		}
	}
	if arabic < 0 || !proseRightAligned(t, g, arabic) || english < 0 || proseRightAligned(t, g, english) || proseLine(t, g, english).X0 != 0 {
		t.Fatalf("blocks %+v", g.blocks)
	}
	if g.blocks[0].heading != 1 || !proseRightAligned(t, g, 0) || g.docs[0].Metrics().Size < g.Theme().Size(theme.SizeNameText)*headingScale[1] {
		t.Fatalf("heading %+v", g.blocks[0])
	}
	capture(t, w, "guidelines.png")

	// Edit… sets them, as plain text.
	tapButton(t, u.guide.split.Trailing, "Edit…")
	entry, _ := findObject(overlay(t, w), func(x *widget.Entry) bool { return x.MultiLine })
	entry.SetText("سطر أول\nLine two")
	radio, _ := findObject(overlay(t, w), func(*widget.RadioGroup) bool { return true })
	radio.SetSelected(storage.GuidelinesText)
	// The preview beside the entry follows it, laid out like the pane.
	preview, ok := findObject(overlay(t, w), func(*Prose) bool { return true })
	if !ok || len(preview.blocks) != 2 || preview.blocks[1].text != "Line two" || !proseRightAligned(t, preview, 0) {
		t.Fatalf("preview %+v", preview)
	}
	entry.SetText("سطر أول (PERSON) 12\nLine two")
	if preview.blocks[0].text != "سطر أول (PERSON) 12" {
		t.Fatalf("the preview did not follow the entry: %+v", preview.blocks)
	}
	capture(t, w, "guidelines-edit.png")
	entry.SetText("سطر أول\nLine two")
	tapButton(t, overlay(t, w), "Save")
	if g, _ := st.Guidelines(); g.Text != "سطر أول\nLine two" || g.Format != storage.GuidelinesText {
		t.Fatalf("stored %+v", g)
	}
	if g := u.guide.text; len(g.blocks) != 2 || !proseRightAligned(t, g, 0) || proseRightAligned(t, g, 1) {
		t.Fatalf("shown %+v", g.blocks)
	}
	u.toggleGuidelines()
	if u.textPane.Objects[0] != u.scroll {
		t.Fatal("the guidelines stayed")
	}
}

// Project ▸ Labels opens as wide as a label's row of buttons, so that its
// last button ("Delete…") is not cut off by the window's edge (at 900 px
// it was).
func TestLabelEditorFitsItsRows(t *testing.T) {
	u, _, _ := newTestUI(t)
	e := openLabelEditor(u)
	t.Cleanup(e.win.Close)
	if got, need := e.win.Canvas().Size().Width, e.labels.MinSize().Width; got < need {
		t.Fatalf("the window is %g px wide, its label rows need %g", got, need)
	}
}
