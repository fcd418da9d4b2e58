package atomicfile

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"testing"
	"time"
)

func TestWriteIsReadableByAll(t *testing.T) {
	p := filepath.Join(t.TempDir(), "out.png")
	if err := Write(p, func(w io.Writer) error { _, err := io.WriteString(w, "data"); return err }); err != nil {
		t.Fatal(err)
	}
	fi, err := os.Stat(p)
	if err != nil || fi.Mode().Perm() != 0o644 {
		t.Fatalf("mode %v, %v", fi.Mode(), err)
	}
	if b, _ := os.ReadFile(p); string(b) != "data" {
		t.Fatalf("content %q", b)
	}
}

// A failed write leaves the destination as it was and nothing beside it.
func TestFailedWriteLeavesTheFile(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "out.txt")
	if err := os.WriteFile(p, []byte("old"), 0o644); err != nil {
		t.Fatal(err)
	}
	boom := errors.New("boom")
	err := Write(p, func(w io.Writer) error {
		io.WriteString(w, "half")
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatalf("error %v", err)
	}
	if b, _ := os.ReadFile(p); string(b) != "old" {
		t.Fatalf("destination now %q", b)
	}
	if ents, _ := os.ReadDir(dir); len(ents) != 1 {
		t.Fatalf("left behind: %v", ents)
	}
}

func TestWriteRemovesStaleTemporaries(t *testing.T) {
	dir := t.TempDir()
	stale := filepath.Join(dir, prefix+"out.jsonl.123"+suffix)
	fresh := filepath.Join(dir, prefix+"out.jsonl.456"+suffix)
	other := filepath.Join(dir, ".other.tmp")
	for _, p := range []string{stale, fresh, other} {
		os.WriteFile(p, []byte("x"), 0o644)
	}
	old := time.Now().Add(-time.Hour)
	os.Chtimes(stale, old, old)
	os.Chtimes(other, old, old)
	if err := Write(filepath.Join(dir, "b.jsonl"), func(w io.Writer) error { return nil }); err != nil {
		t.Fatal(err)
	}
	for p, want := range map[string]bool{stale: false, fresh: true, other: true} {
		if _, err := os.Stat(p); (err == nil) != want {
			t.Errorf("%s present = %v, want %v", p, err == nil, want)
		}
	}
}

func TestWriteNamesAMissingFolderOrAFolder(t *testing.T) {
	dir := t.TempDir()
	err := Write(filepath.Join(dir, "no", "x.jsonl"), func(w io.Writer) error { return nil })
	if err == nil || err.Error() != "folder "+filepath.Join(dir, "no")+" does not exist" {
		t.Fatalf("missing folder: %v", err)
	}
	if err := Write(dir, func(w io.Writer) error { return nil }); err == nil || err.Error() != dir+" is a folder: name a file to write" {
		t.Fatalf("a folder: %v", err)
	}
}
