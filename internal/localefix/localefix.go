// Package localefix maps the C/POSIX locale to en_US.UTF-8 before Fyne
// reads it. Fyne's translations parse the locale in their package init and
// log "Error parsing user locale C" on every run where LANG=C.UTF-8 (most
// CI machines and containers), command-line runs included; English is what
// Fyne then falls back to anyway.
//
// It is a module of its own so that its import path sorts before
// "fyne.io/...": Go initialises, among the packages whose imports are
// ready, the one with the smallest import path first, so this init runs
// before Fyne's.
package localefix

import (
	"os"
	"strings"
)

func init() {
	for _, v := range []string{"LC_ALL", "LC_MESSAGES", "LANG"} {
		val, ok := os.LookupEnv(v)
		if !ok || val == "" {
			continue
		}
		if isC(val) {
			os.Setenv(v, "en_US.UTF-8")
		}
		// The first set variable is the one a locale lookup uses.
		return
	}
}

func isC(v string) bool {
	base, _, _ := strings.Cut(v, ".")
	return base == "C" || base == "POSIX"
}
