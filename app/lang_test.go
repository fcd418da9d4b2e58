package app

import (
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"tawsim/internal/golden"
)

// inArabic makes the interface Arabic for the test; it ends in English.
func inArabic(t *testing.T) {
	t.Helper()
	useLanguage("ar")
	t.Cleanup(func() { useLanguage("en") })
}

// bothLanguages runs fn with the interface in English, then in Arabic.
func bothLanguages(t *testing.T, fn func(t *testing.T)) {
	t.Run("en", fn)
	t.Run("ar", func(t *testing.T) { inArabic(t); fn(t) })
}

// menuItem is the item called label in the window's menu top.
func menuItem(t *testing.T, w fyne.Window, top, label string) *fyne.MenuItem {
	t.Helper()
	for _, m := range w.MainMenu().Items {
		if m.Label != top {
			continue
		}
		for _, it := range m.Items {
			if it.Label == label {
				return it
			}
		}
	}
	t.Fatalf("no menu item %s ▸ %s", top, label)
	return nil
}

// The system locale chooses the language: LANG=ar_SA.UTF-8 is Arabic,
// right to left, Fyne's own dialog buttons included; en_US is English.
func TestSystemLocaleChoosesLanguage(t *testing.T) {
	defer useLanguage("en")
	set := systemLanguageSet
	systemLanguageSet = false // as if LANGUAGE was never set
	defer func() { systemLanguageSet = set }()
	t.Setenv("LC_ALL", "")
	t.Setenv("LC_MESSAGES", "")
	t.Setenv("LANGUAGE", "")
	for _, c := range []struct{ env, labels, cancel string }{
		{"ar_SA.UTF-8", "التسميات", "إلغاء"},
		{"en_US.UTF-8", "Labels", "Cancel"},
	} {
		t.Setenv("LANG", c.env)
		useLanguage("")
		if got, cancel := lang.L("Labels"), lang.L("Cancel"); got != c.labels || cancel != c.cancel || rtl() != (c.env[:2] == "ar") {
			t.Errorf("LANG=%s: %q, %q, rtl %v", c.env, got, cancel, rtl())
		}
	}
}

// The Arabic main window: its menus, side panel and counts in Arabic, the
// document list on the right and the labels on the left, the arrows in
// the reading direction (the left one goes on to the next document).
func TestArabicMainWindow(t *testing.T) {
	inArabic(t)
	u, w, _ := newTestUI(t)
	if u.progress.Text != "أُنجز 0 من 5" {
		t.Errorf("progress = %q", u.progress.Text)
	}
	var tops []string
	for _, m := range w.MainMenu().Items {
		tops = append(tops, m.Label)
	}
	if want := []string{"ملف", "تحرير", "المستند", "عرض", "مراجعة", "المشروع", "مساعدة"}; !slices.Equal(tops, want) {
		t.Errorf("menus = %q", tops)
	}
	split := u.content.(*fyne.Container).Objects[0].(*container.Split) // under the tips layer (withTips)
	if split.Trailing.(*fyne.Container).Objects[0] != u.docList {
		t.Error("the document list is not the right-hand panel")
	}
	if side := split.Leading.(*container.Split).Leading; side.Position().X > u.textPane.Position().X {
		t.Error("the side panel is not left of the text")
	}
	before := u.cur
	bar := findToolbar(t, u.content)
	test.Tap(bar.Items[0].ToolbarObject().(*tipButton))
	if u.cur != before+1 {
		t.Errorf("the left arrow went from %d to %d, not to the next document", before, u.cur)
	}
	test.Tap(bar.Items[1].ToolbarObject().(*tipButton))
	if u.cur != before {
		t.Errorf("the right arrow went to %d, not back to %d", u.cur, before)
	}
	w.Resize(fyne.NewSize(1280, 800))
	golden.Check(t, w.Canvas().Capture(), filepath.Join("testdata", "main-arabic.png"))
	capture(t, w, "main-arabic.png")
}

// The same window in English keeps the list on the left and the arrows as
// they were.
func TestEnglishMainWindowLeftToRight(t *testing.T) {
	u, _, _ := newTestUI(t)
	split := u.content.(*fyne.Container).Objects[0].(*container.Split) // under the tips layer (withTips)
	if split.Leading.(*fyne.Container).Objects[0] != u.docList || rtl() {
		t.Fatal("the document list is not the left-hand panel")
	}
	before := u.cur
	test.Tap(findToolbar(t, u.content).Items[1].ToolbarObject().(*tipButton))
	if u.cur != before+1 {
		t.Errorf("the right arrow went from %d to %d", before, u.cur)
	}
}

// View ▸ Language ▸ العربية rebuilds the window in Arabic at once, on the
// same project and document, and keeps the choice; English goes back.
func TestLanguageMenuRebuildsLive(t *testing.T) {
	defer useLanguage("en")
	u, w, st := newTestUI(t)
	u.Open(2)
	doc := u.doc.ID
	nu := u
	u.onSwitch = func(n *UI) { nu = n }
	menuItem(t, w, "View", "Language").ChildMenu.Items[3].Action() // العربية
	if got := u.app.Preferences().String(prefLanguage); got != "ar" {
		t.Fatalf("preference = %q", got)
	}
	if w.MainMenu().Items[0].Label != "ملف" || !rtl() {
		t.Fatalf("menus after the switch: %q", w.MainMenu().Items[0].Label)
	}
	if _, err := st.Labels(); err != nil || nu == u || nu.store != st || nu.doc == nil || nu.doc.ID != doc {
		t.Fatalf("after the switch: a new UI %v, the store open (%v), the document %+v, not %s", nu != u, err, nu.doc, doc)
	}
	lang := menuItem(t, w, "عرض", "اللغة")
	if !lang.ChildMenu.Items[3].Checked {
		t.Error("العربية is not ticked")
	}
	lang.ChildMenu.Items[2].Action() // English
	if w.MainMenu().Items[0].Label != "File" || rtl() {
		t.Fatalf("menus after switching back: %q", w.MainMenu().Items[0].Label)
	}
}

// findToolbar is the main window's toolbar.
func findToolbar(t *testing.T, o fyne.CanvasObject) *widget.Toolbar {
	t.Helper()
	var bar *widget.Toolbar
	var walk func(fyne.CanvasObject)
	walk = func(o fyne.CanvasObject) {
		switch v := o.(type) {
		case *widget.Toolbar:
			bar = v
		case *fyne.Container:
			for _, c := range v.Objects {
				walk(c)
			}
		case *container.Split:
			walk(v.Leading)
			walk(v.Trailing)
		}
	}
	walk(o)
	if bar == nil {
		t.Fatal("no toolbar")
	}
	return bar
}

// hasBidiLine tells whether o shows a BidiLabel starting with prefix.
func hasBidiLine(o fyne.CanvasObject, prefix string) bool {
	switch o := o.(type) {
	case *BidiLabel:
		return strings.HasPrefix(o.Text, prefix)
	case *fyne.Container:
		for _, c := range o.Objects {
			if hasBidiLine(c, prefix) {
				return true
			}
		}
	case fyne.Widget:
		for _, c := range test.WidgetRenderer(o).Objects() {
			if hasBidiLine(c, prefix) {
				return true
			}
		}
	}
	return false
}

// In Arabic, switching to an annotator with work asks in Arabic, the
// message drawn bidi-correct line by line, with Fyne's buttons in Arabic
// (نعم / لا); لا keeps the annotator.
func TestArabicConfirmationIsBidi(t *testing.T) {
	inArabic(t)
	u, w := badrHasWork(t)
	u.askAnnotator(false)
	submitName(t, w, "badr")
	top := w.Canvas().Overlays().Top()
	const msg = "لدى «badr» من قبل 3 مقاطع في 3 مستندات في هذا المشروع؛"
	if top == nil || !hasBidiLine(top, msg) || hasLabel(top, "لدى") {
		t.Fatalf("no bidi line %q (or a stock label with it)", msg)
	}
	w.Content().Refresh()
	capture(t, w, "switch-annotator-confirm-ar.png")
	tapButton(t, top, "لا")
	if u.annotator != "amina" {
		t.Fatalf("after لا: annotator %q", u.annotator)
	}
}
