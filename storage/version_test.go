package storage

import (
	"testing"

	"tawsim/annotate"
)

// DataVersion changes when this store or another one (another process)
// commits, and only then.
func TestDataVersion(t *testing.T) {
	a, b := twoStores(t, "نص قصير هنا")
	v0, err := a.DataVersion()
	if err != nil {
		t.Fatal(err)
	}
	if v, _ := a.DataVersion(); v != v0 {
		t.Fatalf("unchanged database: version %d then %d", v0, v)
	}
	if _, err := b.AddSpan("d1", "amina", annotate.Span{Start: 0, End: 2, Label: "PERSON"}); err != nil {
		t.Fatal(err)
	}
	v1, _ := a.DataVersion()
	if v1 == v0 {
		t.Fatal("another store's commit left the version as it was")
	}
	if _, err := a.AddSpan("d1", "amina", annotate.Span{Start: 4, End: 7, Label: "PERSON"}); err != nil {
		t.Fatal(err)
	}
	if v2, _ := a.DataVersion(); v2 == v1 {
		t.Fatal("this store's own commit left the version as it was")
	}
}

// twoStores opens a new project with document d1 of text twice, as two
// processes would.
func twoStores(t *testing.T, text string) (a, b *Store) {
	t.Helper()
	a, path := tempStore(t)
	if _, err := a.Import([]annotate.Record{{Doc: annotate.Document{ID: "d1", Text: text}}}, ImportOptions{}); err != nil {
		t.Fatal(err)
	}
	b, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { b.Close() })
	return a, b
}
