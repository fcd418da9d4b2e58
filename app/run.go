// Package app is Tawsim's desktop interface (Fyne). It is the only package
// that imports Fyne.
package app

import (
	"errors"
	"fmt"
	"os"
	"runtime"

	"fyne.io/fyne/v2"
	fyneapp "fyne.io/fyne/v2/app"
	"fyne.io/fyne/v2/lang"

	"tawsim/annotate/layout"
	"tawsim/storage"
)

// AppID is the application id (also in FyneApp.toml); Fyne keeps the
// preferences under it.
const AppID = "org.tawsim.app"

// Run opens the annotation window on the default database (filled with the
// sample corpus the first time) or on dbPath (a new project when missing),
// and returns when it closes. The store is opened before the window: a
// path that is no project fails without one.
func Run(dbPath string) error {
	var st *storage.Store
	var err error
	if dbPath == "" {
		st, err = storage.OpenDefault()
	} else {
		st, err = storage.OpenEmpty(dbPath)
	}
	if err != nil {
		return err
	}
	defer st.Close()
	fonts, err := layout.DefaultFonts()
	if err != nil {
		return fmt.Errorf(lang.L("loading the embedded fonts: %w"), err)
	}
	if err := haveDisplay(); err != nil {
		return err
	}
	a := fyneapp.NewWithID(AppID)
	if path, err := prefsPath(); err == nil { // see prefs.go
		usePrefs(a, openPrefs(path, fynePrefsPath()))
	}
	a.SetIcon(appIcon)
	useLanguage(a.Preferences().String(prefLanguage))
	w := a.NewWindow(lang.L("Tawsim — توسيم"))
	if size, ok := monitorSize(a); ok {
		screenSize = size
	}
	// Never larger than the screen, whatever FYNE_SCALE.
	w.Resize(fitSize(screenSize, fyne.NewSize(1280, 800)))
	u, err := newUI(a, w, st, fonts, fyne.Do) // the list comes after the first text
	if err != nil {
		return err
	}
	// File ▸ Open project… replaces the UI (and its store) in the window.
	u.onSwitch = func(n *UI) { u = n }
	w.SetOnClosed(func() { u.Close() })
	w.ShowAndRun()
	return u.store.Close()
}

// haveDisplay says plainly when there is no screen to open a window on
// (an X11 or Wayland desktop), where the window system would panic.
func haveDisplay() error {
	switch runtime.GOOS {
	case "windows", "darwin", "android", "ios":
		return nil
	}
	if os.Getenv("DISPLAY") == "" && os.Getenv("WAYLAND_DISPLAY") == "" {
		return errors.New(lang.L("no display to open the app on (neither DISPLAY nor WAYLAND_DISPLAY is set); the commands work without one: tawsim -h lists them"))
	}
	return nil
}
