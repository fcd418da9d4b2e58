package main

import (
	"bytes"
	"errors"
	"flag"
	"strings"
	"testing"
)

func TestAppArguments(t *testing.T) {
	for args, want := range map[string]bool{"": true, "--db p.db": true, "-db p.db": true, "--db=p.db": true,
		"--bogus": true, "import --db p.db": false, "-h": false, "--help": false, "help": false, "docs": false} {
		if got := opensApp(strings.Fields(args)); got != want {
			t.Errorf("opensApp(%q) = %v", args, got)
		}
	}
	var stderr bytes.Buffer
	for args, want := range map[string]string{"": "", "--db p.db": "p.db", "-db=a/b.db": "a/b.db"} {
		if db, err := appArgs(strings.Fields(args), &stderr); err != nil || db != want {
			t.Errorf("appArgs(%q) = %q, %v; want %q", args, db, err, want)
		}
	}
	if _, err := appArgs([]string{"--db", "p.db", "-h"}, &stderr); !errors.Is(err, flag.ErrHelp) {
		t.Errorf("-h after --db: %v", err)
	}
	for _, args := range []string{"--db", "--db p.db q.db", "--x"} {
		if _, err := appArgs(strings.Fields(args), &stderr); err == nil {
			t.Errorf("appArgs(%q) accepted", args)
		}
	}
}
