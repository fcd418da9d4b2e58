// Package app is Tawsim's desktop interface (Fyne). It is the only package
// that imports Fyne.
package app

import (
	"fmt"

	"fyne.io/fyne/v2"
	fyneapp "fyne.io/fyne/v2/app"

	"tawsim/annotate/layout"
	"tawsim/storage"
)

// AppID is the application id (also in FyneApp.toml); Fyne keeps the
// preferences under it.
const AppID = "org.tawsim.app"

// Run opens the annotation window on the default database (filled with the
// sample corpus the first time) or on dbPath, and returns when it closes.
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
		return fmt.Errorf("loading the embedded fonts: %w", err)
	}
	a := fyneapp.NewWithID(AppID)
	a.SetIcon(appIcon)
	w := a.NewWindow("Tawsim — توسيم")
	w.Resize(fyne.NewSize(1280, 800))
	u, err := NewUI(a, w, st, fonts)
	if err != nil {
		return err
	}
	w.SetOnClosed(u.Close)
	w.ShowAndRun()
	return nil
}
