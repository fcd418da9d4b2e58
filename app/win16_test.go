package app

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"tawsim/annotate/layout"
)

// Issue 16 items 2–4: help on screen, interface size, windows within the
// screen, import per path, cut texts.

func init() { tipDelay = 0 } // tips show at once in tests

// hover moves the mouse onto the middle of o.
func hover(w fyne.Window, o fyne.CanvasObject) {
	p := fyne.CurrentApp().Driver().AbsolutePositionForObject(o)
	test.MoveMouse(w.Canvas(), p.Add(fyne.NewPos(o.Size().Width/2, o.Size().Height/2)))
}

// shownTip is the tip over w's content, "" when none shows (its text is
// the tip's hoverTip's; the layer only holds the picture).
func shownTip(w fyne.Window) bool {
	l := tipLayers[w.Canvas()]
	return l != nil && w.Canvas().Content() == l.root && len(l.layer.Objects) > 0
}

// Every toolbar button says, hovered, what it does and its key; leaving
// it takes the tip away.
func TestToolbarButtonsHaveTooltips(t *testing.T) {
	u, w, _ := newTestUI(t)
	bar, ok := findObject(u.content, func(*widget.Toolbar) bool { return true })
	if !ok {
		t.Fatal("no toolbar")
	}
	var tips []string
	for _, it := range bar.Items {
		if _, sep := it.(*widget.ToolbarSeparator); sep {
			continue
		}
		b, ok := it.ToolbarObject().(*tipButton)
		if !ok || b.tip == "" {
			t.Fatalf("toolbar item %T has no tooltip", it.ToolbarObject())
		}
		hover(w, b)
		if !shownTip(w) {
			t.Errorf("hovering %q shows no tip", b.tip)
		}
		test.MoveMouse(w.Canvas(), fyne.NewPos(1, 1))
		if shownTip(w) {
			t.Errorf("the tip %q stays after the mouse left", b.tip)
		}
		tips = append(tips, b.tip)
	}
	want := []string{"Previous document (Ctrl+PgUp)", "Next document (Ctrl+PgDn)", "Mark the document done and open the next (Ctrl+Enter)",
		"Undo (Ctrl+Z)", "Redo (Ctrl+Shift+Z)", "Smaller text (Ctrl+-)", "Larger text (Ctrl+=)", "Light or dark theme"}
	if strings.Join(tips, "|") != strings.Join(want, "|") {
		t.Errorf("tips\n%q\nwant\n%q", tips, want)
	}
	hover(w, bar.Items[0].ToolbarObject())
	capture(t, w, "toolbar-tip.png")
}

// The list of keys is made from the keymaps: every bound shortcut has a
// description, F1 and ? open it, and it names the labels' keys.
func TestKeyboardShortcutsListEveryKey(t *testing.T) {
	u, w, _ := newTestUI(t)
	maps := []keymap{u.keys, u.viewKeys, reviewKeys(func(int) {}, container.NewAppTabs(), w)}
	for _, m := range maps {
		for _, r := range keymapRows(m) {
			if r.what == "" {
				t.Errorf("%s is bound but not described", r.keys)
			}
		}
	}
	rows := u.keyRows()
	text := ""
	for _, r := range rows {
		text += r.keys + " = " + r.what + "\n"
	}
	for _, want := range []string{"Ctrl+Z = Undo", "Ctrl+Shift+Z, Ctrl+Y = Redo", "Ctrl+F = Find", "Alt+Shift+←, Alt+Shift+→ = Move the end", "Alt+Shift+↑, Alt+Shift+↓ = Move the start",
		"1 = Label the selection PERSON", "F1, ? = "} {
		if !strings.Contains(text, want) {
			t.Errorf("the list lacks %q:\n%s", want, text)
		}
	}
	if !strings.Contains(u.message.Text(), "F1 lists every key") {
		t.Errorf("the status line does not hint at the keys: %q", u.message.Text())
	}
	for _, open := range []func(){
		func() { u.view.TypedKey(&fyne.KeyEvent{Name: fyne.KeyF1}) },
		func() { u.view.TypedRune('?') },
	} {
		w.Canvas().Focus(u.view)
		open()
		top := w.Canvas().Overlays().Top()
		_, listed := findObject(top, func(l *TextLine) bool { return l.Text() == "Label the selection PERSON" })
		if top == nil || !hasLabel(top, "Keyboard shortcuts") || !listed {
			t.Fatal("F1 / ? shows no list of keys")
		}
		capture(t, w, "keys.png")
		w.Canvas().Overlays().Remove(top)
	}
}

// View ▸ Interface size scales every theme size, not only the text, and
// is kept in the preferences.
func TestInterfaceSizeScalesTheWholeInterface(t *testing.T) {
	bothLanguages(t, testInterfaceSizeScalesTheWholeInterface)
}

func testInterfaceSizeScalesTheWholeInterface(t *testing.T) {
	u, w, _ := newTestUI(t)
	th := fyne.CurrentApp().Settings().Theme()
	pad, icon, text := th.Size(theme.SizeNamePadding), th.Size(theme.SizeNameInlineIcon), th.Size(theme.SizeNameText)
	var item *fyne.MenuItem
	for _, m := range u.mainMenu().Items {
		for _, it := range m.Items {
			if it.Label == lang.L("Interface size") {
				item = it
			}
		}
	}
	if item == nil || item.ChildMenu == nil {
		t.Fatal("View ▸ Interface size missing")
	}
	for _, it := range item.ChildMenu.Items {
		if it.Label == "150 %" {
			it.Action()
		}
	}
	th = fyne.CurrentApp().Settings().Theme()
	if th.Size(theme.SizeNamePadding) != pad*1.5 || th.Size(theme.SizeNameInlineIcon) != icon*1.5 || th.Size(theme.SizeNameText) != text*1.5 {
		t.Errorf("150 %%: padding %v icon %v text %v (at 100 %%: %v %v %v)", th.Size(theme.SizeNamePadding), th.Size(theme.SizeNameInlineIcon), th.Size(theme.SizeNameText), pad, icon, text)
	}
	if got := u.view.TextSize(); got != 30 {
		t.Errorf("the document's text is %v at 150 %%, want 30", got)
	}
	u.zoom(+2)
	if got, kept := u.view.TextSize(), u.app.Preferences().Float(prefTextSize); got != 33 || kept != 22 {
		t.Errorf("zoomed at 150 %%: text %v, kept %v", got, kept)
	}
	if got := u.app.Preferences().Float(prefUIScale); got != 1.5 {
		t.Errorf("kept %v", got)
	}
	capture(t, w, "ui-150.png")
	u.applyTheme() // a new window (next start) reads it
	if got := fyne.CurrentApp().Settings().Theme().Size(theme.SizeNamePadding); got != pad*1.5 {
		t.Errorf("after restart padding %v", got)
	}
}

// At 640×480 the window's content fits: nothing asks for more room (the
// side panels scroll), so no control is drawn over another.
func TestMainWindowFitsSmallScreens(t *testing.T) { bothLanguages(t, testMainWindowFitsSmallScreens) }

func testMainWindowFitsSmallScreens(t *testing.T) {
	u, w, _ := newTestUI(t)
	for _, size := range []fyne.Size{fyne.NewSize(640, 480), fyne.NewSize(800, 600), fyne.NewSize(1024, 700)} {
		if min := u.content.MinSize(); min.Width > size.Width-16 || min.Height > size.Height-64 {
			t.Errorf("at %v the content needs %v", size, min)
		}
	}
	w.Resize(fyne.NewSize(624, 416))
	capture(t, w, "main-640.png")
	// The job dialogs too scroll inside.
	for _, show := range []func(){func() { showImport(u) }, func() { showExport(u) }, func() { showMerge(u) }, func() { showHandOut(u) }} {
		show()
		top := w.Canvas().Overlays().Top()
		if min := top.MinSize(); min.Width > 624 || min.Height > 416 {
			t.Errorf("a dialog needs %v in a 624×416 window", min)
		}
		w.Canvas().Overlays().Remove(top)
	}
}

// A tool window never opens wider than the screen: the Agreement window,
// whose tables are 2,000 px wide, scrolls inside.
func TestToolWindowsFitTheScreen(t *testing.T) { bothLanguages(t, testToolWindowsFitTheScreen) }

func testToolWindowsFitTheScreen(t *testing.T) {
	old := screenSize
	screenSize = fyne.NewSize(1000, 640)
	t.Cleanup(func() { screenSize = old })
	_, _, s := twoAnnotatorsScreen(t)
	for _, w := range []fyne.Window{s.win, openEvaluate(s.u).win, openProgress(s.u).win, openVersions(s.u).win, openLabelEditor(s.u).win, s.u.openAdjudication().win} {
		if sz := w.Canvas().Size(); sz.Width > screenSize.Width || sz.Height > screenSize.Height {
			t.Errorf("%s opens %v on a %v screen", w.Title(), sz, screenSize)
		}
		if min := w.Content().MinSize(); min.Width > screenSize.Width || min.Height > screenSize.Height {
			t.Errorf("%s needs %v on a %v screen", w.Title(), min, screenSize)
		}
	}
}

// "N documents left out" says which, as `tawsim agree` does.
func TestAgreementNamesTheDocumentsLeftOut(t *testing.T) {
	bothLanguages(t, testAgreementNamesTheDocumentsLeftOut)
}

func testAgreementNamesTheDocumentsLeftOut(t *testing.T) {
	_, ids, s := twoAnnotatorsScreen(t)
	s.worked.SetChecked(true)
	s.compute()
	s.wait()
	for _, d := range s.u.docs {
		if d.ID != ids[0] && d.ID != ids[1] && !strings.Contains(s.status.Text, d.ID) {
			t.Errorf("status does not name %s: %q", d.ID, s.status.Text)
		}
	}
}

// One missing path among four: the other three are imported, the missing
// one is named with its reason, and the bar is not at 100 %; before any
// import the bar is not shown at 0 %; the next result starts at the top.
func TestImportEachPathOnItsOwn(t *testing.T) {
	u, _, _ := newTestUI(t)
	dir := t.TempDir()
	var paths []string
	for i, name := range []string{"a.txt", "b.txt", "missing.txt", "c.txt"} {
		p := filepath.Join(dir, name)
		paths = append(paths, p)
		if name != "missing.txt" {
			if err := os.WriteFile(p, []byte(strings.Repeat("نص تجريبي ", i+1)), 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
	d := showImport(u)
	if d.bar.Visible() {
		t.Error("the bar shows before anything started")
	}
	d.paths.SetText(strings.Join(paths, "\n"))
	d.sumBox.Offset = fyne.NewPos(0, 300) // as if the last report was scrolled
	test.Tap(d.run)
	d.wait()
	sum := d.summary.Text
	for _, want := range []string{"4 files: 3 imported, 1 refused", "missing.txt"} {
		if !strings.Contains(sum, want) {
			t.Errorf("summary lacks %q:\n%s", want, sum)
		}
	}
	if n := len(u.docs); n != 8 {
		t.Errorf("%d documents, want 5 + 3", n)
	}
	if d.bar.Value >= 1 {
		t.Errorf("a failed import shows %v", d.bar.Value)
	}
	if d.sumBox.Offset.Y != 0 {
		t.Errorf("the result starts scrolled by %v", d.sumBox.Offset)
	}
}

// A title too long for its row is cut in reading order, ending in "…",
// and shown whole on hover; a Latin-first title keeps the start of its
// Arabic part.
func TestCutTitlesEndInEllipsisWithTooltip(t *testing.T) {
	bothLanguages(t, testCutTitlesEndInEllipsisWithTooltip)
}

func testCutTitlesEndInEllipsisWithTooltip(t *testing.T) {
	u, w, _ := newTestUI(t)
	title := "Reuters: الرئيس الأردني يلتقي وزير الخارجية الأمريكي في عمان لبحث العلاقات الثنائية والتطورات الإقليمية"
	line := NewTextLine(u.fonts, title)
	w.SetContent(container.NewStack(line))
	w.Resize(fyne.NewSize(260, 40))
	if !line.Cut() {
		t.Fatal("the title is not cut at 260 px")
	}
	doc := fitLine([]rune(title), u.fonts, layout.Options{Size: line.textSize(), Scale: w.Canvas().Scale()}, line.Size().Width*w.Canvas().Scale())
	shown := string(doc.Text())
	if !strings.HasSuffix(shown, "…") || !strings.HasPrefix(title, strings.TrimSuffix(shown, "…")) || !strings.Contains(shown, "الرئيس") {
		t.Errorf("shown %q", shown)
	}
	hover(w, line)
	if !shownTip(w) {
		t.Error("hovering a cut title shows nothing")
	}
	capture(t, w, "title-tip.png")
	// The status line too: its beginning stays, the whole in the tip.
	w.SetContent(u.content)
	w.Resize(fyne.NewSize(1024, 700))
	u.say("⚠ " + strings.Repeat("a long message that the status line cannot hold whole ", 6) + "END")
	if !u.message.Cut() {
		t.Fatal("long status not cut")
	}
	hover(w, u.message)
	if !shownTip(w) {
		t.Error("hovering the cut status shows nothing")
	}
}

// The gold layer's refusal is above every other dialog: Enter pressed
// again (the hidden prompt's entry kept the focus) answers no prompt a
// second time, so closing the refusal never leaves another one behind the
// prompt that comes back.
func TestErrorDialogsOnTop(t *testing.T) {
	u, w, _ := newTestUI(t)
	u.askAnnotator(false)
	submitName(t, w, "gold")
	if f := w.Canvas().Focused(); f != nil {
		f.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn}) // the user presses Enter to dismiss
	}
	refusals := 0
	for _, o := range w.Canvas().Overlays().List() {
		if hasLabel(o, `"gold" is the project's gold layer`) {
			refusals++
		}
	}
	if refusals != 1 {
		t.Fatalf("%d refusals shown", refusals)
	}
	top := w.Canvas().Overlays().Top()
	if !hasLabel(top, `"gold" is the project's gold layer`) {
		t.Fatal("the refusal is not on top")
	}
	tapButton(t, top, "OK")
	top = w.Canvas().Overlays().Top()
	if top == nil || !hasLabel(top, "Switch annotator") {
		t.Fatal("the prompt did not come back")
	}
	for _, o := range w.Canvas().Overlays().List() {
		if hasLabel(o, `"gold" is the project's gold layer`) {
			t.Fatal("a refusal is left behind the prompt")
		}
	}
}

// Two copies of the app change their preferences while a third reads the
// file over and over: it never finds it empty or half written (Fyne's
// in-place writes gave "Preferences load error: Cause: EOF"), and each
// copy's change survives the other's next write.
func TestPreferencesNeverHalfWritten(t *testing.T) {
	path := filepath.Join(t.TempDir(), "tawsim", "preferences.json")
	old := filepath.Join(t.TempDir(), "fyne.json")
	if err := os.WriteFile(old, []byte(`{"annotator":"amina","recent_projects":["/a.db","/b.db"],"text_size":22}`), 0o644); err != nil {
		t.Fatal(err)
	}
	a, b := openPrefs(path, old), openPrefs(path, old)
	if a.String(prefAnnotator) != "amina" || len(a.StringList(prefRecent)) != 2 || a.Float(prefTextSize) != 22 {
		t.Fatalf("Fyne's old preferences not taken: %v", a.values)
	}
	stop := make(chan struct{})
	bad := make(chan error, 1)
	go func() {
		for {
			select {
			case <-stop:
				close(bad)
				return
			default:
			}
			if _, err := readPrefs(path); err != nil && !os.IsNotExist(err) {
				bad <- err
				close(bad)
				return
			}
		}
	}()
	done := make(chan bool)
	for _, p := range []*filePrefs{a, b} {
		go func() {
			for i := range 150 {
				p.SetString(prefAnnotator, strings.Repeat("x", i))
				p.SetStringList(prefRecent, []string{"/p/" + strings.Repeat("y", i)})
			}
			done <- true
		}()
	}
	<-done
	<-done
	close(stop)
	if err := <-bad; err != nil {
		t.Fatalf("a reader found the file half written: %v", err)
	}
	a.SetBool(prefDark, true)
	b.SetFloat(prefUIScale, 1.25)
	c := openPrefs(path, old)
	if !c.Bool(prefDark) || c.Float(prefUIScale) != 1.25 {
		t.Errorf("a change of one copy was lost: %v", c.values)
	}
	c.RemoveValue(prefDark)
	if openPrefs(path, old).Bool(prefDark) {
		t.Error("RemoveValue kept the value")
	}
}

// F1 in the review windows lists their keys, each described.
func TestToolWindowsListTheirKeys(t *testing.T) {
	_, _, s := twoAnnotatorsScreen(t)
	e, a := openEvaluate(s.u), s.u.openAdjudication()
	for _, c := range []struct {
		w    fyne.Window
		rows []keyRow
		want string
	}{
		{s.win, keymapRows(s.keys), "Ctrl+Enter = Compute"},
		{e.win, keymapRows(e.keys), "Ctrl+W = Close the window"},
		{a.win, a.keyRows(), "N = Next group or relation needing work"},
	} {
		var lines []string
		for _, r := range c.rows {
			if r.what == "" {
				t.Errorf("%s: %s undescribed", c.w.Title(), r.keys)
			}
			lines = append(lines, r.keys+" = "+r.what)
		}
		if !strings.Contains(strings.Join(lines, "\n"), c.want) {
			t.Errorf("%s: keys lack %q:\n%s", c.w.Title(), c.want, strings.Join(lines, "\n"))
		}
		c.w.Canvas().Unfocus()
		c.w.Canvas().OnTypedKey()(&fyne.KeyEvent{Name: fyne.KeyF1})
		if top := c.w.Canvas().Overlays().Top(); top == nil || !hasLabel(top, "Keyboard shortcuts") {
			t.Errorf("%s: F1 shows no keys", c.w.Title())
		}
	}
}
