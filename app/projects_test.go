package app

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"tawsim/annotate"
	"tawsim/storage"
)

// seededProject makes a project file with the sample corpus and, for each
// name, a span on the first n documents.
func seededProject(t *testing.T, path string, spans map[string]int) {
	t.Helper()
	st, err := storage.OpenEmpty(path)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if err := st.Seed(); err != nil {
		t.Fatal(err)
	}
	docs, err := st.Documents()
	if err != nil {
		t.Fatal(err)
	}
	for name, n := range spans {
		for _, d := range docs[:n] {
			if _, err := st.AddSpan(d.ID, name, annotate.Span{Start: 0, End: 3, Label: "PERSON"}); err != nil {
				t.Fatal(err)
			}
		}
	}
}

// submitName types name in the annotator prompt and presses Enter.
func submitName(t *testing.T, w fyne.Window, name string) {
	t.Helper()
	entry, ok := w.Canvas().Focused().(interface { // the entry
		SetText(string)
		TypedKey(*fyne.KeyEvent)
	})
	if !ok {
		t.Fatalf("focus is on %T, not the name entry", w.Canvas().Focused())
	}
	entry.SetText(name)
	entry.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
}

func TestNewProjectReplacesTheWindowsProject(t *testing.T) {
	u, w, st := newTestUI(t)
	old := st.Path()
	if got := w.Title(); got != "Tawsim — t.db — amina" {
		t.Fatalf("title %q", got)
	}
	if u.who.Text != "Annotator: amina" {
		t.Fatalf("annotator button %q", u.who.Text)
	}
	tool := openAgreement(u).win
	if !isOpen(u.app, tool) {
		t.Fatal("the agreement window is not open")
	}
	path := filepath.Join(t.TempDir(), "fresh") // ".db" is added
	nu, err := u.newProject(path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { nu.store.Close() })
	if nu == u || nu.store.Path() != path+".db" {
		t.Fatalf("window on %s", nu.store.Path())
	}
	if len(nu.docs) != 0 || len(nu.labels) != len(annotate.DefaultLabels()) || nu.doc != nil {
		t.Fatalf("new project: %d documents, %d labels, open %v", len(nu.docs), len(nu.labels), nu.doc)
	}
	if w.Content() != nu.Content() || w.Title() != "Tawsim — fresh.db — amina" {
		t.Fatalf("window shows the old view or title %q", w.Title())
	}
	if _, err := st.Documents(); err == nil {
		t.Fatal("the old project's store is still open")
	}
	if isOpen(u.app, tool) || !isOpen(u.app, w) {
		t.Fatal("after the switch the tool window stayed open, or the main window closed")
	}
	recent := u.app.Preferences().StringList(prefRecent)
	if len(recent) != 2 || recent[0] != path+".db" || recent[1] != old {
		t.Fatalf("recent %v", recent)
	}
	w.Content().Refresh() // the test canvas lays out again only when told
	capture(t, w, "new-project.png")

	// An existing project is never overwritten.
	if again, err := nu.newProject(old); err == nil || !strings.Contains(err.Error(), "already exists") || again != nu {
		t.Fatalf("new project over an existing one: %v", err)
	}
	if n, err := storage.OpenProject(old, storage.Options{}); err != nil {
		t.Fatal(err)
	} else {
		docs, _ := n.Documents()
		n.Close()
		if len(docs) != 5 {
			t.Fatalf("the existing project has %d documents", len(docs))
		}
	}
}

func TestOpenProjectAndRefusals(t *testing.T) {
	u, w, _ := newTestUI(t)
	dir := t.TempDir()
	empty := filepath.Join(dir, "empty.db")
	garbage := filepath.Join(dir, "notes.db")
	os.WriteFile(empty, nil, 0o644)
	os.WriteFile(garbage, []byte("not a database, only notes\n"), 0o644)
	for _, c := range []struct{ path, want string }{
		{dir, "is a folder"},
		{empty, "is an empty file"},
		{garbage, "not a database"},
		{filepath.Join(dir, "gone.db"), "no such file"},
	} {
		got, err := u.openProject(c.path)
		if err == nil || !strings.Contains(err.Error(), c.want) || got != u {
			t.Fatalf("open %s: %v (want %q)", c.path, err, c.want)
		}
		if u.store.Path() == c.path || w.Content() != u.Content() {
			t.Fatalf("refused %s but the window changed", c.path)
		}
	}
	if fi, _ := os.Stat(empty); fi.Size() != 0 {
		t.Fatal("opening an empty file made it a project")
	}
	// The menu's way shows the refusal in a dialog.
	u.openChosen(empty)
	if top := w.Canvas().Overlays().Top(); top == nil || !hasLabel(top, "Cannot open the project") {
		t.Fatal("no dialog says the project cannot be opened")
	}
	capture(t, w, "open-refused.png")
	w.Canvas().Overlays().Remove(w.Canvas().Overlays().Top())

	other := filepath.Join(dir, "other.db")
	seededProject(t, other, map[string]int{"badr": 2})
	// Not while an import runs on the open project.
	done, _ := showImport(u).bg.start()
	if _, err := u.openProject(other); err == nil || !strings.Contains(err.Error(), "still running") {
		t.Fatalf("switched during an import: %v", err)
	}
	if _, err := u.newProject(filepath.Join(dir, "during.db")); err == nil {
		t.Fatal("switched to a new project during an import")
	}
	if _, err := os.Stat(filepath.Join(dir, "during.db")); err == nil {
		t.Fatal("created a project file during an import")
	}
	close(done)
	nu, err := u.openProject(other)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { nu.store.Close() })
	if nu.store.Path() != other || len(nu.docs) != 5 || nu.doc == nil || w.Title() != "Tawsim — other.db — amina" {
		t.Fatalf("window on %s, %d documents, title %q", nu.store.Path(), len(nu.docs), w.Title())
	}
	if again, err := nu.openProject(other); err != nil || again != nu {
		t.Fatalf("opening the open project again: %v", err)
	}
}

func TestRecentProjectsMostRecentFirst(t *testing.T) {
	u, _, st := newTestUI(t)
	dir := t.TempDir()
	var paths []string
	for i := range 10 {
		p := filepath.Join(dir, "p"+string(rune('a'+i))+".db")
		if i != 3 { // pd.db is gone
			os.WriteFile(p, []byte("not a database, only notes\n"), 0o644)
		}
		paths = append(paths, p)
		rememberProject(u.app.Preferences(), p)
	}
	rememberProject(u.app.Preferences(), paths[8]) // opened again: first
	items := u.recentMenu().ChildMenu.Items
	var got []string
	for _, it := range items {
		got = append(got, filepath.Base(it.Label))
	}
	want := []string{"pi.db", "pj.db", "ph.db", "pg.db", "pf.db", "pe.db", "pd.db (missing)", "pc.db"}
	if !slices.Equal(got, want) {
		t.Fatalf("recent\n got %v\nwant %v", got, want)
	}
	if !items[6].Disabled || items[0].Disabled {
		t.Fatal("a missing project is not disabled, or a present one is")
	}
	// The window's own project was dropped (the list keeps 8), and
	// choosing one in the menu opens it (here: refused, it is no project).
	if slices.Contains(u.app.Preferences().StringList(prefRecent), st.Path()) {
		t.Fatal("the list keeps more than 8")
	}
	items[0].Action()
	if top := u.win.Canvas().Overlays().Top(); top == nil || !hasLabel(top, "Cannot open the project") {
		t.Fatal("choosing a recent non-project shows no refusal")
	}
}

// badrHasWork is a window as amina on a project where badr has 3 spans
// in 3 documents.
func badrHasWork(t *testing.T) (*UI, fyne.Window) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "team.db")
	seededProject(t, path, map[string]int{"badr": 3})
	a := test.NewTempApp(t)
	a.Preferences().SetString(prefAnnotator, "amina")
	st, err := storage.OpenProject(path, storage.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	w := test.NewWindow(nil)
	t.Cleanup(w.Close)
	w.Resize(fyne.NewSize(1280, 800))
	u, err := NewUI(a, w, st, testFonts)
	if err != nil {
		t.Fatal(err)
	}
	return u, w
}

func TestSwitchToAnnotatorWithWorkAsks(t *testing.T) {
	u, w := badrHasWork(t)
	const msg = "“badr” already has 3 spans in 3 documents in this project;"
	u.askAnnotator(false)
	submitName(t, w, "badr")
	top := w.Canvas().Overlays().Top()
	if top == nil || !hasLabel(top, msg) {
		t.Fatalf("no confirmation saying %q", msg)
	}
	w.Content().Refresh() // the test canvas lays out again only when told
	capture(t, w, "switch-annotator-confirm.png")
	tapButton(t, top, "No")
	if u.annotator != "amina" || w.Title() != "Tawsim — team.db — amina" {
		t.Fatalf("after No: annotator %q, title %q", u.annotator, w.Title())
	}
	// No asks for the name again; Yes takes it.
	submitName(t, w, "badr")
	tapButton(t, w.Canvas().Overlays().Top(), "Yes")
	if u.annotator != "badr" || w.Title() != "Tawsim — team.db — badr" || u.who.Text != "Annotator: badr" {
		t.Fatalf("after Yes: annotator %q, title %q, button %q", u.annotator, w.Title(), u.who.Text)
	}
	if len(u.spans) != 1 {
		t.Fatalf("badr's layer shows %d spans", len(u.spans))
	}
	// A new name is taken without a question.
	u.askAnnotator(false)
	submitName(t, w, "chen")
	if u.annotator != "chen" || w.Canvas().Overlays().Top() != nil {
		t.Fatalf("a new name: annotator %q, dialog %v", u.annotator, w.Canvas().Overlays().Top())
	}
}

func TestGoldIsNeverAnAnnotator(t *testing.T) {
	u, w, st := newTestUI(t)
	u.askAnnotator(false)
	submitName(t, w, storage.GoldLayer)
	top := w.Canvas().Overlays().Top()
	if top == nil || !hasLabel(top, `"gold" is the project's gold layer`) {
		t.Fatal("no refusal of the gold layer")
	}
	capture(t, w, "gold-refused.png")
	if u.annotator != "amina" {
		t.Fatalf("annotator %q", u.annotator)
	}
	if names, _ := st.Annotators(); slices.Contains(names, storage.GoldLayer) {
		t.Fatalf("annotators %v", names)
	}
	// Closing the refusal asks for a name again.
	tapButton(t, top, "OK")
	if top := w.Canvas().Overlays().Top(); top == nil || !hasLabel(top, "Switch annotator") || w.Canvas().Focused() == nil {
		t.Fatal("the name is not asked again")
	}
}

// "Gold" in any case is refused; a name that differs from an existing
// annotator's only in case asks which one is meant.
func TestAnnotatorNamesByCase(t *testing.T) {
	u, w, st := newTestUI(t)
	u.askAnnotator(false)
	submitName(t, w, " Gold ")
	if top := w.Canvas().Overlays().Top(); top == nil || !hasLabel(top, `"gold" is the project's gold layer`) {
		t.Fatal("no refusal of Gold")
	}
	tapButton(t, w.Canvas().Overlays().Top(), "OK")
	submitName(t, w, "Amina")
	if top := w.Canvas().Overlays().Top(); top == nil || !hasLabel(top, "This project has an annotator “amina”. Did you mean “amina”") {
		t.Fatal("no question about Amina and amina")
	}
	tapButton(t, w.Canvas().Overlays().Top(), "A new annotator “Amina”")
	if u.annotator != "Amina" {
		t.Fatalf("annotator %q after choosing a new one", u.annotator)
	}
	u.askAnnotator(false)
	submitName(t, w, "AMINA")
	tapButton(t, w.Canvas().Overlays().Top(), "Continue as Amina")
	if u.annotator != "Amina" {
		t.Fatalf("annotator %q after choosing the existing one", u.annotator)
	}
	if names, _ := st.Annotators(); slices.Contains(names, "AMINA") {
		t.Fatalf("annotators %v", names)
	}
}

// Each project opens with its own last annotator.
func TestAnnotatorRememberedPerProject(t *testing.T) {
	u, w, st := newTestUI(t)
	first := st.Path()
	other := filepath.Join(t.TempDir(), "other.db")
	seededProject(t, other, nil)
	u.askAnnotator(false)
	submitName(t, w, "badr") // badr has no work yet: no question
	u, err := u.openProject(other)
	if err != nil {
		t.Fatal(err)
	}
	if u.annotator != "badr" { // never opened here: the last one anywhere
		t.Fatalf("other project opens as %q", u.annotator)
	}
	u.askAnnotator(false)
	submitName(t, w, "chen")
	if u, err = u.openProject(first); err != nil || u.annotator != "badr" {
		t.Fatalf("first project opens as %q (%v)", u.annotator, err)
	}
	if u, err = u.openProject(other); err != nil || u.annotator != "chen" {
		t.Fatalf("other project opens as %q (%v)", u.annotator, err)
	}
	u.store.Close()
}

// A laptop's hand-out opens as the annotator it was made for, whoever
// used the app last.
func TestHandOutOpensAsItsAnnotator(t *testing.T) {
	u, _, st := newTestUI(t) // amina is the app's last annotator
	if err := st.EnsureAnnotator("dalia"); err != nil {
		t.Fatal(err)
	}
	laptop := filepath.Join(t.TempDir(), "dalia.db")
	if _, err := st.HandOut(laptop, storage.HandOutOptions{Annotator: "dalia"}); err != nil {
		t.Fatal(err)
	}
	u, err := u.openProject(laptop)
	if err != nil || u.annotator != "dalia" {
		t.Fatalf("the hand-out opens as %q (%v)", u.annotator, err)
	}
	u.store.Close()
}

func TestThousands(t *testing.T) {
	for n, want := range map[int]string{0: "0", 999: "999", 1204: "1,204", 37: "37", 1234567: "1,234,567", -1000: "-1,000"} {
		if got := thousands(n); got != want {
			t.Errorf("thousands(%d) = %q, want %q", n, got, want)
		}
	}
	if got := plural(1, "span") + " in " + plural(1204, "document"); got != "1 span in 1,204 documents" {
		t.Errorf("plural: %q", got)
	}
}
