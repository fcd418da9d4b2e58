package main

import (
	"path/filepath"
	"strings"
	"testing"
)

// The definition merges item by item through the built binary: the lead's
// rename and ali's later new label both stay; two labels given one hotkey
// leave it to the later; the guidelines changed on both sides keep the
// later and set the other aside (guidelines --kept); merging again
// changes nothing.
func TestMergeDefinitionPerItem(t *testing.T) {
	config, dir, lead := newProject(t)
	mustRun(t, config, "import", "--db", lead, write(t, dir, "a.txt", []byte("نص")))
	ali := filepath.Join(dir, "ali.db")
	mustRun(t, config, "handout", "--db", lead, "--annotator", "ali", "--out", ali)
	mustRun(t, config, "guidelines", "--db", lead, "--set", write(t, dir, "lead.md", []byte("the lead's\n")))
	mustRun(t, config, "labels", "--db", lead, "rename", "PERSON", "PER")
	mustRun(t, config, "labels", "--db", ali, "add", "MINISTER", "--hotkey", "6")
	mustRun(t, config, "labels", "--db", lead, "add", "EVENT", "--hotkey", "6")
	mustRun(t, config, "guidelines", "--db", ali, "--set", write(t, dir, "ali.md", []byte("ali's\n")))

	r := mustRun(t, config, "merge", "--db", lead, ali)
	for _, want := range []string{"labels added: MINISTER", "hotkeys: MINISTER lost hotkey 6 to EVENT",
		"definition conflict: guidelines: changed on both sides; kept ali.db's (changed later)"} {
		if !strings.Contains(r.stdout, want) {
			t.Fatalf("merge report lacks %q:\n%s", want, r.stdout)
		}
	}
	ls := labelsJSON(t, config, lead)
	if _, ok := ls["PERSON"]; ok || ls["PER"].Hotkey != "1" || ls["EVENT"].Hotkey != "6" || ls["MINISTER"].Hotkey != "" {
		t.Fatalf("labels after the merge %+v", ls)
	}
	if g := mustRun(t, config, "guidelines", "--db", lead).stdout; g != "ali's\n" {
		t.Fatalf("guidelines %q", g)
	}
	k := mustRun(t, config, "guidelines", "--db", lead, "--kept")
	if k.stdout != "the lead's\n" || !strings.Contains(k.stderr, "this project") {
		t.Fatalf("guidelines --kept %+v", k)
	}
	mustRun(t, config, "labels", "--db", lead, "set", "MINISTER", "--color", "#102030")
	if r := mustRun(t, config, "merge", "--db", lead, ali); strings.Contains(r.stdout, "\n  ") {
		t.Fatalf("merge again:\n%s", r.stdout)
	}
	// ali takes it all from the lead.
	mustRun(t, config, "merge", "--db", ali, lead)
	if ls := labelsJSON(t, config, ali); ls["PER"].Hotkey != "1" || ls["EVENT"].Hotkey != "6" || ls["MINISTER"].Hotkey != "" || ls["MINISTER"].Color != "#102030" {
		t.Fatalf("ali's labels %+v", ls)
	}
}
