package app

import (
	"os"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/lang"

	"tawsim/assets"
)

// prefLanguage keeps the interface language chosen in View ▸ Language: a
// code of languages, or "" (or missing) to follow the system locale.
const prefLanguage = "language"

// languages are the interface languages, each named in itself (so a name
// is never translated).
var languages = []struct{ code, name string }{
	{"en", "English"},
	{"ar", "العربية"},
}

// systemLanguage is $LANGUAGE as the process started with it: useLanguage
// sets the variable, and "" (the system's language) puts it back.
var systemLanguage, systemLanguageSet = os.LookupEnv("LANGUAGE")

// useLanguage makes the interface speak code ("" the system's language).
// Fyne's lang package picks its translation from the locale variables
// whenever translations are added (it has no other way in), and
// $LANGUAGE comes first of them (localefix has mapped a C locale, which
// would hide it, to en_US.UTF-8); so the variable is set and the files are
// loaded again. What is already on screen keeps its language: the window
// is rebuilt (setLanguage).
func useLanguage(code string) {
	switch {
	case code != "":
		os.Setenv("LANGUAGE", code)
	case systemLanguageSet:
		os.Setenv("LANGUAGE", systemLanguage)
	default:
		os.Unsetenv("LANGUAGE")
	}
	if err := lang.AddTranslationsFS(assets.Translations, "translations"); err != nil {
		fyne.LogError("loading the translations", err)
	}
	translateChoices()
}

// In ar.json the key hints of menu items, buttons and tabs come first
// ("Ctrl+Z — تراجع"): Fyne draws those texts itself and lays a mixed
// string's runs out left to right, so the words end up at the right, as
// an Arabic reader expects; a hint in parentheses after them would come
// out garbled.

// rtl tells whether the interface reads right to left: each translation
// file says its direction under the key "direction".
func rtl() bool { return lang.X("direction", "ltr") == "rtl" }

// languageMenu is View ▸ Language: the system's language or one of
// languages, the current choice ticked.
func (u *UI) languageMenu() *fyne.MenuItem {
	cur := u.app.Preferences().String(prefLanguage)
	pick := func(code, name string) *fyne.MenuItem {
		it := fyne.NewMenuItem(name, func() { u.setLanguage(code) })
		it.Checked = code == cur
		return it
	}
	items := []*fyne.MenuItem{pick("", lang.L("System language")), fyne.NewMenuItemSeparator()}
	for _, l := range languages {
		items = append(items, pick(l.code, l.name))
	}
	m := fyne.NewMenuItem(lang.L("Language"), nil)
	m.ChildMenu = fyne.NewMenu("", items...)
	return m
}

// setLanguage keeps code as the interface language and rebuilds the window
// in it; not while an import or export runs (its dialog would close).
func (u *UI) setLanguage(code string) {
	if err := u.busy(); err != nil {
		u.fail(err)
		return
	}
	u.app.Preferences().SetString(prefLanguage, code)
	useLanguage(code)
	doc := ""
	if u.doc != nil {
		doc = u.doc.ID
	}
	nu, err := u.useProject(u.store)
	if err != nil {
		u.fail(err)
		return
	}
	for i, d := range nu.docs {
		if d.ID == doc && i != nu.cur {
			nu.Open(i)
		}
	}
}

// counted is n (written shown) of a noun: one or many in English. many is
// the translation key; its plural forms in the files (Arabic has six:
// zero, one, two, few, many, other) hold the number as {{.N}}.
func counted(n int, shown, one, many string) string {
	return lang.N(many, n, map[string]string{"N": shown})
}

// The translations are there from the start (the system's language) for
// whatever runs before Run picks the preferred one, tests included.
func init() { useLanguage("") }

// translateChoices puts the options that code compares with what is
// selected (a Select's, a radio group's) in the interface language.
func translateChoices() {
	filterAll = lang.L("All documents")
	filterTodo = lang.L("To do")
	filterInProgress = lang.L("In progress")
	filterFinished = lang.L("Finished")
	filterNotFinished = lang.L("Not finished")
	docsAnyStatus = lang.L("Any status")
	docsMineTodo = lang.L("Mine: to do")
	docsMineWorking = lang.L("Mine: in progress")
	docsMineDone = lang.L("Mine: done")
	docsAllDone = lang.L("Everyone's: all done")
	docsNotAllDone = lang.L("Everyone's: not all done")
	docsAll = lang.L("All documents")
	docsAssignedMe = lang.L("Assigned to me")
	docsAnyLabel = lang.L("Any label")
	sortByID = lang.L("Sort by id")
	sortByTitle = lang.L("Sort by title")
	sortByStatus = lang.L("Sort by status")
	handOutAll = lang.L("All documents")
	handOutAssigned = lang.L("The documents assigned to the annotator")
	handOutThese = lang.L("These documents:")
}
