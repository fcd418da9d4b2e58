// Tawsim (توسيم): span annotation of Arabic news articles. With no
// arguments (or --db FILE) it opens the annotation app; with a command it
// works headless.
package main

import (
	"os"

	_ "a.tawsim/localefix" // before Fyne reads the locale: see the package

	"tawsim/cli"
	"tawsim/cli/rendercmd"
	"tawsim/internal/winconsole"
)

// commands are the commands of `tawsim NAME`, in the order `tawsim -h`
// lists them.
var commands = []*cli.Command{
	cli.Adjudicate,
	cli.Agree,
	cli.Assign,
	cli.Copy,
	cli.Docs,
	cli.Export,
	cli.Guidelines,
	cli.HandOut,
	cli.Import,
	cli.Labels,
	cli.Merge,
	cli.Progress,
	rendercmd.Render,
	cli.Score,
	cli.Search,
	cli.Suggest,
	cli.Version,
	cli.Versions,
}

func main() {
	if !opensApp(os.Args[1:]) {
		winconsole.Attach()
		os.Exit(cli.Run(commands, os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
	}
	os.Exit(runGUI(os.Args[1:]))
}
