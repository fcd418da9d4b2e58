// Tawsim (توسيم): span annotation of Arabic news articles. With no
// arguments it opens the annotation app; with a command it works headless.
package main

import (
	"os"

	_ "a.tawsim/localefix" // before Fyne reads the locale: see the package

	"tawsim/cli"
)

func main() {
	if len(os.Args) > 1 {
		os.Exit(cli.Run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
	}
	runGUI()
}
