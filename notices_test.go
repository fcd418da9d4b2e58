package main

import (
	"os"
	"os/exec"
	"strings"
	"testing"
)

// TestNoticesListEveryModule holds THIRD_PARTY_NOTICES.md to what the
// binary links: a dependency added without regenerating the notices
// (scripts/notices.sh) fails here.
func TestNoticesListEveryModule(t *testing.T) {
	notices, err := os.ReadFile("THIRD_PARTY_NOTICES.md")
	if err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("go", "list", "-deps", "-f",
		"{{with .Module}}{{if not (or .Main .Replace)}}{{.Path}} {{.Version}}{{end}}{{end}}", ".").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	seen := map[string]bool{}
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		if line == "" || seen[line] {
			continue
		}
		seen[line] = true
		path, version, _ := strings.Cut(line, " ")
		if !strings.Contains(string(notices), "| "+path+" | "+version+" |") {
			t.Errorf("THIRD_PARTY_NOTICES.md lacks %s %s: run scripts/notices.sh", path, version)
		}
	}
	if len(seen) < 10 {
		t.Fatalf("go list found only %d modules", len(seen))
	}
	for _, want := range []string{"LGPL-2.1", "OFL-1.1", "GNU LESSER GENERAL PUBLIC LICENSE", "SIL OPEN FONT LICENSE"} {
		if !strings.Contains(string(notices), want) {
			t.Errorf("THIRD_PARTY_NOTICES.md lacks %q", want)
		}
	}
}
