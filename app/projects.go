package app

import (
	"cmp"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	fstorage "fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"tawsim/storage"
)

// Projects: File ▸ New project…, Open project…, Open server project… and
// Open recent, the window's switch from one project to another, and what
// the preferences remember per project. A project is a file, or a database
// on a PostgreSQL server named by a postgres:// DSN.

const (
	prefRecent = "recent_projects" // projectKey of each, most recent first
	maxRecent  = 8
)

func absPath(p string) string {
	if a, err := filepath.Abs(p); err == nil {
		return a
	}
	return p
}

// projectKey is how the preferences name the project at name: a file by
// its absolute path, a server project by its DSN without the password (a
// password is never stored), so that the same database reached with or
// without one is the same project.
func projectKey(name string) string {
	if storage.IsDSN(name) {
		bare, _ := splitPassword(name)
		return bare
	}
	return absPath(name)
}

// splitPassword is dsn without its password (in the user part or the
// password parameter) and that password.
func splitPassword(dsn string) (bare, password string) {
	u, err := url.Parse(dsn)
	if err != nil {
		return storage.RedactDSN(dsn), ""
	}
	if u.User != nil {
		password, _ = u.User.Password()
		u.User = url.User(u.User.Username())
	}
	if q := u.Query(); q.Has("password") {
		password = q.Get("password")
		q.Del("password")
		u.RawQuery = q.Encode()
	}
	return u.String(), password
}

// withPassword is dsn with password (none: dsn as it is, and the driver
// looks in PGPASSWORD and ~/.pgpass as psql does).
func withPassword(dsn, password string) string {
	u, err := url.Parse(dsn)
	if err != nil || password == "" {
		return dsn
	}
	if u.User != nil && u.User.Username() != "" {
		u.User = url.UserPassword(u.User.Username(), password)
	} else {
		q := u.Query()
		q.Set("password", password)
		u.RawQuery = q.Encode()
	}
	return u.String()
}

// projectName is the project at name as the title shows it: a file's
// name, a server project as "dbname on host" (the server's defaults where
// the DSN names none), never with the password.
func projectName(name string) string {
	if !storage.IsDSN(name) {
		return filepath.Base(name)
	}
	u, err := url.Parse(name)
	if err != nil {
		return storage.RedactDSN(name)
	}
	q := u.Query()
	db := cmp.Or(strings.TrimPrefix(u.Path, "/"), q.Get("dbname"), q.Get("user"), u.User.Username(), lang.L("the default database"))
	return db + lang.L(" on ") + cmp.Or(u.Host, q.Get("host"), "localhost")
}

// projectDir is the folder a file dialog starts in: the project file's,
// or for a server project the home folder.
func (u *UI) projectDir() string {
	if storage.IsDSN(u.store.Path()) {
		if home, err := os.UserHomeDir(); err == nil {
			return home
		}
		return absPath(".")
	}
	return filepath.Dir(absPath(u.store.Path()))
}

// projectPref is the key of a per-project preference: key and the
// project's projectKey.
func projectPref(key, path string) string { return key + "@" + projectKey(path) }

// lastAnnotator is who last annotated the project at path in this app,
// else the annotator it was handed out to (handedTo, if any), else who
// last annotated any project (on a laptop, the same person).
func lastAnnotator(p fyne.Preferences, path, handedTo string) string {
	if name := p.String(projectPref(prefAnnotator, path)); name != "" {
		return name
	}
	if handedTo != "" {
		return handedTo
	}
	return p.String(prefAnnotator)
}

// rememberAnnotator records name as the last annotator of the project at
// path, and of the app.
func rememberAnnotator(p fyne.Preferences, path, name string) {
	p.SetString(projectPref(prefAnnotator, path), name)
	p.SetString(prefAnnotator, name)
}

// rememberProject puts path first among the recent projects.
func rememberProject(p fyne.Preferences, path string) {
	path = projectKey(path)
	list := []string{path}
	for _, q := range p.StringList(prefRecent) {
		if q != path && len(list) < maxRecent {
			list = append(list, q)
		}
	}
	p.SetStringList(prefRecent, list)
}

// recentMenu is File ▸ Open recent: the last projects, most recent first;
// one whose file is gone stays listed, disabled, as missing. A server
// project is listed by its DSN without the password.
func (u *UI) recentMenu() *fyne.MenuItem {
	var items []*fyne.MenuItem
	for _, p := range u.app.Preferences().StringList(prefRecent) {
		it := fyne.NewMenuItem(p, func() { u.openChosen(p) })
		if storage.IsDSN(p) {
			it.Label = projectName(p) + " — " + p
		} else if _, err := os.Stat(p); err != nil {
			it.Label += lang.L(" (missing)")
			it.Disabled = true
		}
		items = append(items, it)
	}
	if len(items) == 0 {
		none := fyne.NewMenuItem(lang.L("No recent projects"), nil)
		none.Disabled = true
		items = append(items, none)
	}
	m := fyne.NewMenuItem(lang.L("Open recent"), nil)
	m.ChildMenu = fyne.NewMenu("", items...)
	return m
}

// updateTitle shows the project and the annotator in the window title and
// on the annotator button.
func (u *UI) updateTitle() {
	title := lang.L("Tawsim — ") + projectName(u.store.Path())
	if u.store.ReadOnly() {
		title += lang.L(" (read-only)")
	}
	who := lang.L("Who is annotating?")
	if u.annotator != "" {
		title += " — " + u.annotator
		who = lang.L("Annotator: ") + u.annotator
		if rtl() { // Fyne's button would put the Latin name before the Arabic word
			who = u.annotator
		}
	}
	u.win.SetTitle(title)
	if u.who != nil {
		u.who.SetText(who)
	}
}

// folderButton is "Folder…" beside a file name entry: the chosen folder
// replaces the name's folder (the name stays, or is name when none).
func folderButton(w fyne.Window, path *widget.Entry, name string) *widget.Button {
	return widget.NewButtonWithIcon(lang.L("Folder…"), theme.FolderOpenIcon(), func() {
		fd := dialog.NewFolderOpen(func(l fyne.ListableURI, err error) {
			if err == nil && l != nil {
				base := filepath.Base(strings.TrimSpace(path.Text))
				if base == "." || base == string(filepath.Separator) {
					base = name
				}
				path.SetText(filepath.Join(l.Path(), base))
			}
		}, w)
		fd.Show()
	})
}

// askNewProject is File ▸ New project…: the file to create, typed or in a
// chosen folder. The file picker is not used: saving through it would
// empty an existing file the user confirmed, which may be a project.
func (u *UI) askNewProject() {
	path := widget.NewEntry()
	path.SetPlaceHolder(lang.L("/path/to/project.db, or postgres://… of an empty database"))
	path.Validator = required(lang.L("a file name"))
	folder := folderButton(u.win, path, "project.db")
	var d *dialog.FormDialog
	path.OnSubmitted = func(string) { d.Submit() }
	d = dialog.NewForm(lang.L("New project"), lang.L("Create"), lang.L("Cancel"),
		[]*widget.FormItem{widget.NewFormItem(lang.L("Project file"), container.NewBorder(nil, nil, nil, folder, path))},
		func(ok bool) {
			if ok {
				if _, err := u.newProject(path.Text); err != nil {
					dialog.ShowError(err, u.win)
				}
			}
		}, u.win)
	d.Resize(fyne.NewSize(560, 180))
	d.Show()
	u.win.Canvas().Focus(path)
}

// newProject creates the project file at path (".db" added when it has no
// extension), or the project in the empty database a DSN names, with the
// default labels and no documents, and opens it. An existing project is
// never overwritten.
func (u *UI) newProject(path string) (*UI, error) {
	if err := u.busy(); err != nil {
		return u, err
	}
	path = strings.TrimSpace(path)
	if storage.IsDSN(path) { // an empty database on a server
		if st, err := storage.OpenWith(path, storage.Options{ReadOnly: true}); err == nil {
			st.Close()
			return u, fmt.Errorf(lang.L("%s already holds a project: File ▸ Open server project… opens it"), storage.RedactDSN(path))
		}
	} else if filepath.Ext(path) == "" {
		path += ".db"
	}
	if fi, err := os.Stat(path); err == nil && fi.Mode().IsRegular() && fi.Size() > 0 {
		return u, fmt.Errorf(lang.L("%s already exists: File ▸ Open project… opens it"), path)
	}
	st, err := storage.OpenEmpty(path)
	if err != nil {
		return u, fmt.Errorf(lang.L("cannot create the project: %w"), err)
	}
	return u.useProject(st)
}

// askOpenProject is File ▸ Open project…: a .db file chosen in the picker.
func (u *UI) askOpenProject() {
	fd := dialog.NewFileOpen(func(r fyne.URIReadCloser, err error) {
		if err != nil {
			dialog.ShowError(err, u.win)
			return
		}
		if r != nil {
			r.Close()
			u.openChosen(r.URI().Path())
		}
	}, u.win)
	fd.SetFilter(fstorage.NewExtensionFileFilter([]string{".db"}))
	if dir, err := fstorage.ListerForURI(fstorage.NewFileURI(u.projectDir())); err == nil {
		fd.SetLocation(dir)
	}
	fd.Resize(pickerSize(u.win))
	fd.Show()
}

// openChosen opens the project at path, showing a refusal in a dialog. A
// server project connects without a password first (PGPASSWORD or
// ~/.pgpass may give one); refused, it asks in the server dialog.
func (u *UI) openChosen(path string) {
	if storage.IsDSN(path) {
		u.openServer(path, "")
		return
	}
	if _, err := u.openProject(path); err != nil {
		dialog.ShowError(err, u.win)
	}
}

// askServer is File ▸ Open server project…: the DSN of a project on a
// PostgreSQL server and, when the DSN and the environment give none, the
// password. After a refusal it shows again with the refusal in it (its
// password hidden) and what was typed.
func (u *UI) askServer(dsn, password string, refusal error) {
	addr := widget.NewEntry()
	addr.SetPlaceHolder("postgres://user@host:5432/dbname?sslmode=require")
	addr.Validator = func(s string) error {
		if !storage.IsDSN(strings.TrimSpace(s)) {
			return errors.New(lang.L("a DSN starting postgres:// is needed"))
		}
		return nil
	}
	bare, inDSN := splitPassword(dsn)
	if dsn != "" {
		addr.SetText(bare)
	}
	pw := widget.NewPasswordEntry()
	pw.SetPlaceHolder(lang.L("none: PGPASSWORD or ~/.pgpass, as psql"))
	pw.SetText(cmp.Or(password, inDSN))
	items := []*widget.FormItem{widget.NewFormItem(lang.L("Server DSN"), addr), widget.NewFormItem(lang.L("Password"), pw)}
	if refusal != nil {
		msg := refusal.Error()
		if p := pw.Text; p != "" {
			msg = strings.ReplaceAll(msg, p, "xxxxx")
		}
		l := widget.NewLabel("⚠ " + msg)
		l.Wrapping = fyne.TextWrapWord
		l.Importance = widget.DangerImportance
		items = append(items, widget.NewFormItem("", l))
	}
	var d *dialog.FormDialog
	addr.OnSubmitted = func(string) { d.Submit() }
	pw.OnSubmitted = addr.OnSubmitted
	d = dialog.NewForm(lang.L("Open a project on a server (PostgreSQL)"), lang.L("Open"), lang.L("Cancel"), items, func(ok bool) {
		if ok {
			u.openServer(strings.TrimSpace(addr.Text), pw.Text)
		}
	}, u.win)
	d.Resize(fyne.NewSize(640, 260))
	d.Show()
	u.win.Canvas().Focus(addr)
}

// openServer opens the project in the database dsn names, with password
// if one is given, in this window. Connecting runs in the background (a
// server may be slow to answer), the window staying on its project until
// the new one is open; a refusal shows the server dialog again.
func (u *UI) openServer(dsn, password string) {
	if projectKey(dsn) == projectKey(u.store.Path()) {
		u.say(projectName(dsn) + lang.L(" is the open project"))
		return
	}
	if err := u.busy(); err != nil {
		dialog.ShowError(err, u.win)
		return
	}
	b := &bgRun{}
	u.track(b)
	u.say(lang.L("Connecting to ") + projectName(dsn) + "…")
	b.run(fyne.Do, func() func() {
		st, err := storage.OpenProject(withPassword(dsn, password), storage.Options{})
		return func() {
			if err == nil {
				_, err = u.useProject(st)
			}
			if err != nil {
				u.say("")
				u.askServer(dsn, password, fmt.Errorf(lang.L("cannot open the project: %w"), err))
			}
		}
	})
}

// openProject opens the existing project at path in this window. Storage
// refuses what is not a project (a folder, an empty file, a newer schema)
// and the window stays on its project.
func (u *UI) openProject(path string) (*UI, error) {
	if projectKey(path) == projectKey(u.store.Path()) {
		u.say(path + lang.L(" is the open project"))
		return u, nil
	}
	if err := u.busy(); err != nil {
		return u, err
	}
	st, err := storage.OpenProject(path, storage.Options{})
	if err != nil {
		return u, fmt.Errorf(lang.L("cannot open the project: %w"), err)
	}
	return u.useProject(st)
}

// track keeps job b of a dialog of this window: the window does not leave
// its project while a job writes to or reads from it.
func (u *UI) track(b *bgRun) {
	u.jobs = append(slices.DeleteFunc(u.jobs, func(j *bgRun) bool { return !j.running() }), b)
}

// busy says why the window cannot leave its project now.
func (u *UI) busy() error {
	for _, j := range u.jobs {
		if j.running() {
			return errors.New(lang.L("an import or export is still running on this project: wait for it to finish"))
		}
	}
	return nil
}

// useProject shows st in this window instead of u's project and returns
// the UI now in the window. The tool windows and dialogs of the old
// project close, the time on its open document is recorded, its store
// closes (unless it is st: a rebuild in another language). If the new view
// cannot be built the window stays as it was.
func (u *UI) useProject(st *storage.Store) (*UI, error) {
	same := st == u.store
	for _, w := range u.tools {
		if isOpen(u.app, w) {
			w.Close()
		}
	}
	c := u.win.Canvas()
	for c.Overlays().Top() != nil {
		c.Overlays().Remove(c.Overlays().Top())
	}
	u.Close()
	nu, err := NewUI(u.app, u.win, st, u.fonts)
	if err != nil {
		if !same {
			st.Close()
		}
		u.win.SetContent(u.content)
		u.win.SetMainMenu(u.mainMenu())
		u.registerShortcuts()
		u.updateTitle()
		u.Open(max(u.cur, 0))
		return u, fmt.Errorf(lang.L("opening %s: %w"), st.Path(), err)
	}
	if !same {
		if err := u.store.Close(); err != nil {
			nu.fail(err)
		}
	}
	nu.onSwitch = u.onSwitch
	if nu.onSwitch != nil {
		nu.onSwitch(nu)
	}
	return nu, nil
}

// required refuses an empty or blank entry: what is needed.
func required(what string) fyne.StringValidator {
	return func(s string) error {
		if strings.TrimSpace(s) == "" {
			return errors.New(what + lang.L(" is needed"))
		}
		return nil
	}
}

// isOpen says whether w is still one of a's windows.
func isOpen(a fyne.App, w fyne.Window) bool { return slices.Contains(a.Driver().AllWindows(), w) }

// thousands formats n with a comma between groups of three digits.
func thousands(n int) string {
	s := strconv.Itoa(n)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	if neg {
		s = "-" + s
	}
	return s
}

// plural is "1 span", "1,204 spans".
func plural(n int, noun string) string {
	return counted(n, thousands(n), noun, noun+"s")
}
