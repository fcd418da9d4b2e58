package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"tawsim/app"
)

// opensApp says whether the command line (without the program name) opens
// the app: no arguments, or flags first (tawsim --db FILE). A first word
// that is not a flag is a command; -h lists the commands.
func opensApp(args []string) bool {
	if len(args) == 0 {
		return true
	}
	switch a := args[0]; a {
	case "-h", "-help", "--help":
		return false
	default:
		return strings.HasPrefix(a, "-")
	}
}

// appArgs reads the app's command line: at most --db FILE (or a
// postgres:// DSN). Errors are usage errors; flag parsing has already
// printed its own.
func appArgs(args []string, stderr io.Writer) (db string, err error) {
	fs := flag.NewFlagSet("tawsim", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&db, "db", "", "open the app on the project `FILE` (or the PostgreSQL database a postgres:// DSN names), created as a new project when missing")
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), "Usage: tawsim [--db FILE]\n\nOpens the annotation app on FILE (default: the default project), or on a project on a\nPostgreSQL server: tawsim --db 'postgres://user@host:5432/dbname?sslmode=require' (the password\nin the DSN, or in PGPASSWORD or ~/.pgpass). tawsim -h lists the commands.")
	}
	if err := fs.Parse(args); err != nil {
		return "", err
	}
	if fs.NArg() > 0 {
		err = fmt.Errorf("unexpected argument %q: the app takes only --db FILE (a command comes first: tawsim CMD …)", fs.Arg(0))
	} else if db == "" && len(args) > 0 {
		err = errors.New("--db needs a file name or a postgres:// DSN")
	}
	if err != nil {
		fmt.Fprintln(stderr, "tawsim:", err)
		fs.Usage()
	}
	return db, err
}

// runGUI opens the app as the command line says and returns the exit
// status: 1 when the project cannot be opened, 2 for a usage error.
func runGUI(args []string) int {
	db, err := appArgs(args, os.Stderr)
	if errors.Is(err, flag.ErrHelp) {
		return 0
	}
	if err != nil {
		return 2
	}
	if err := app.Run(db); err != nil {
		fmt.Fprintln(os.Stderr, "tawsim:", err)
		return 1
	}
	return 0
}
