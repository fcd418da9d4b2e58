package app

import (
	"slices"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"tawsim/internal/pgtest"
	"tawsim/storage"
)

// waitJobs waits for the window's background jobs (a connection to a
// server among them).
func waitJobs(u *UI) {
	for _, j := range u.jobs {
		j.wait()
	}
}

// serverDialog fills the server dialog on top of w with dsn and password
// and submits it.
func serverDialog(t *testing.T, w fyne.Window, dsn, password string) {
	t.Helper()
	o := overlay(t, w)
	addr, ok := findObject(o, func(e *widget.Entry) bool { return !e.Password })
	pw, ok2 := findObject(o, func(e *widget.Entry) bool { return e.Password })
	if !ok || !ok2 {
		t.Fatal("the server dialog has no DSN or password entry")
	}
	addr.SetText(dsn)
	pw.SetText(password)
	tapButton(t, o, "Open")
}

// A server project is named "dbname on host" and kept in the preferences
// by its DSN without the password, however the password was given.
func TestServerProjectNamesKeepNoPassword(t *testing.T) {
	for _, c := range []struct{ dsn, name, key string }{
		{"postgres://amina:s3cret@db.office.lan:5433/team?sslmode=require", "team on db.office.lan:5433", "postgres://amina@db.office.lan:5433/team?sslmode=require"},
		{"postgres://amina@db.office.lan/team?password=s3cret&sslmode=require", "team on db.office.lan", "postgres://amina@db.office.lan/team?sslmode=require"},
		{"postgresql://amina:xxxxx@db/team", "team on db", "postgresql://amina@db/team"}, // a store's Path
		{"postgres:///team?host=/run/postgresql&user=amina", "team on /run/postgresql", "postgres:///team?host=/run/postgresql&user=amina"},
		{"postgres://amina@db", "amina on db", "postgres://amina@db"}, // the server's default database
	} {
		if got := projectName(c.dsn); got != c.name {
			t.Errorf("projectName(%s) = %q, want %q", c.dsn, got, c.name)
		}
		if got := projectKey(c.dsn); got != c.key {
			t.Errorf("projectKey(%s) = %q, want %q", c.dsn, got, c.key)
		}
	}
	// withPassword puts back what splitPassword took, where it was.
	for _, dsn := range []string{"postgres://amina:s3cret@db/team", "postgres:///team?host=%2Frun%2Fpostgresql&password=s3cret"} {
		bare, pw := splitPassword(dsn)
		if pw != "s3cret" || strings.Contains(bare, "s3cret") || withPassword(bare, pw) != dsn {
			t.Errorf("%s: split %q %q, joined %q", dsn, bare, pw, withPassword(bare, pw))
		}
	}

	u, _, _ := newTestUI(t)
	p := u.app.Preferences()
	dsn := "postgres://amina:s3cret@db.office.lan/team"
	rememberProject(p, dsn)
	rememberAnnotator(p, dsn, "badr")
	if recent := p.StringList(prefRecent); recent[0] != "postgres://amina@db.office.lan/team" {
		t.Fatalf("recent %v", recent)
	}
	if got := lastAnnotator(p, "postgres://amina@db.office.lan/team", ""); got != "badr" {
		t.Fatalf("the annotator of the project without its password: %q", got)
	}
	it := u.recentMenu().ChildMenu.Items[0]
	if it.Label != "team on db.office.lan — postgres://amina@db.office.lan/team" || it.Disabled {
		t.Fatalf("recent menu item %q (disabled %v)", it.Label, it.Disabled)
	}
}

// File ▸ Open server project… shows a refusal in the dialog again, with
// the password hidden and what was typed kept; the window stays on its
// project. A recent server project that fails opens the same dialog.
func TestServerDialogShowsRefusalsWithoutPassword(t *testing.T) {
	u, w, st := newTestUI(t)
	menu := u.mainMenu().Items[0]
	i := slices.IndexFunc(menu.Items, func(it *fyne.MenuItem) bool { return it.Label == "Open server project…" })
	if i < 0 {
		t.Fatal("no File ▸ Open server project…")
	}
	menu.Items[i].Action()
	// Nothing listens on port 1: refused at once.
	dsn := "postgres://amina:s3cret@127.0.0.1:1/team?sslmode=disable&connect_timeout=5"
	serverDialog(t, w, dsn, "")
	waitJobs(u)
	o := overlay(t, w)
	if !hasLabel(o, "⚠ cannot open the project: open postgres://amina:xxxxx@127.0.0.1:1/team") {
		t.Fatal("the refusal is not shown in the dialog, or shows the password")
	}
	if _, found := findObject(o, func(l *widget.Label) bool { return strings.Contains(l.Text, "s3cret") }); found {
		t.Fatal("the refusal shows the password")
	}
	addr, _ := findObject(o, func(e *widget.Entry) bool { return !e.Password })
	pw, _ := findObject(o, func(e *widget.Entry) bool { return e.Password })
	if addr.Text != "postgres://amina@127.0.0.1:1/team?sslmode=disable&connect_timeout=5" || pw.Text != "s3cret" {
		t.Fatalf("the dialog again with %q and password %q", addr.Text, pw.Text)
	}
	if u.store != st || w.Title() != "Tawsim — t.db — amina" || slices.ContainsFunc(u.app.Preferences().StringList(prefRecent), storage.IsDSN) {
		t.Fatalf("after a refusal: title %q, recent %v", w.Title(), u.app.Preferences().StringList(prefRecent))
	}
	tapButton(t, o, "Cancel")

	// From the recent list: no password given (none stored), refused, asked.
	u.openChosen("postgres://amina@127.0.0.1:1/team?sslmode=disable")
	waitJobs(u)
	o = overlay(t, w)
	pw, _ = findObject(o, func(e *widget.Entry) bool { return e.Password })
	if !hasLabel(o, "⚠ cannot open the project") || pw.Text != "" {
		t.Fatalf("a refused recent server project: password entry %q", pw.Text)
	}
	w.Canvas().Focus(pw)
	test.Type(pw, "s3cret")
	if pw.Text != "s3cret" {
		t.Fatalf("typed %q", pw.Text)
	}
}

// The app on a project on the PostgreSQL server: opened from a file
// project through the server dialog (the password given there is never
// stored or shown), titled "dbname on host", remembered, and its windows
// follow another connection's writes.
func TestPostgresProjectInTheApp(t *testing.T) {
	if !pgtest.Postgres() {
		t.Skip("PostgreSQL only (scripts/pg-test.sh)")
	}
	dsn := pgtest.Database(t)
	seededProject(t, dsn, map[string]int{"badr": 2})
	u, w, _ := newTestUI(t)
	cur := u
	u.onSwitch = func(n *UI) { cur = n }
	u.askServer("", "", nil)
	// The test server trusts local connections: the password is sent
	// nowhere, but must still never be kept.
	serverDialog(t, w, dsn, "s3cret")
	waitJobs(u)
	if cur == u {
		t.Fatalf("the window stayed on its file: %s", u.message.text)
	}
	t.Cleanup(func() { cur.store.Close() })
	want := "Tawsim — " + projectName(dsn) + " — amina"
	if !strings.Contains(want, " on /") || w.Title() != want || len(cur.docs) != 5 {
		t.Fatalf("title %q (want %q), %d documents", w.Title(), want, len(cur.docs))
	}
	recent := cur.app.Preferences().StringList(prefRecent)
	if recent[0] != projectKey(dsn) || strings.Contains(strings.Join(recent, " "), "s3cret") {
		t.Fatalf("recent %v", recent)
	}
	// Choosing it again is the open project.
	cur.openChosen(recent[0])
	if cur.message.text != projectName(dsn)+" is the open project" {
		t.Fatalf("message %q", cur.message.text)
	}

	b := openProgress(cur)
	b.loads.wait()
	s := openAgreement(cur)
	s.wait()
	other, err := storage.OpenWith(dsn, storage.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	addWord(t, other, cur.docs[0].ID, "chadi", "تركيا", 0, 0, "STATE")
	b.checkChanges()
	b.loads.wait()
	s.checkChanges()
	s.wait()
	if rows, _ := b.anns.Length(); rows != 3 || !slices.Contains(s.pick.Options, "chadi") { // header, badr, chadi
		t.Fatalf("after chadi's span elsewhere: %d board rows, agreement options %v", rows, s.pick.Options)
	}
}

// File ▸ New project… with a DSN makes the project in an empty database
// on the server, and refuses one that holds a project.
func TestPostgresNewProjectOnTheServer(t *testing.T) {
	if !pgtest.Postgres() {
		t.Skip("PostgreSQL only (scripts/pg-test.sh)")
	}
	dsn := pgtest.Database(t)
	u, w, _ := newTestUI(t)
	nu, err := u.newProject(dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { nu.store.Close() })
	if len(nu.docs) != 0 || w.Title() != "Tawsim — "+projectName(dsn)+" — amina" {
		t.Fatalf("%d documents, title %q", len(nu.docs), w.Title())
	}
	if again, err := nu.newProject(dsn); err == nil || !strings.Contains(err.Error(), "already holds a project") || again != nu {
		t.Fatalf("a new project over the server's: %v", err)
	}
}
