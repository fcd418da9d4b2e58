package storage

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"gorm.io/gorm"

	"tawsim/annotate"
)

// partsOf is the stored parts of document extID and what its row holds.
func partsOf(t *testing.T, s *Store, extID string) (column string, parts []textPart) {
	t.Helper()
	var d document
	if err := s.db.Session(&gorm.Session{SkipHooks: true}).Where("ext_id = ?", extID).Take(&d).Error; err != nil {
		t.Fatal(err)
	}
	if err := s.db.Where("document_id = ?", d.ID).Order("n").Find(&parts).Error; err != nil {
		t.Fatal(err)
	}
	return d.Text, parts
}

// Texts longer than a part (every text of this suite: see TestMain), and
// any that begins with the marker, are stored in parts cut before a
// character and read whole by every read; a replaced text replaces its
// parts.
func TestTextInParts(t *testing.T) {
	s, _ := tempStore(t)
	texts := map[string]string{
		"long":   sampleText + "\n🔴 عاجل",
		"marker": textInParts,
		"begins": textInParts + "x",
		"short":  "نص",
	}
	var recs []annotate.Record
	for id, text := range texts {
		recs = append(recs, annotate.Record{Doc: annotate.Document{ID: id, Text: text}})
	}
	if _, err := s.Import(recs, ImportOptions{}); err != nil {
		t.Fatal(err)
	}
	check := func() {
		t.Helper()
		for id, text := range texts {
			col, parts := partsOf(t, s, id)
			if !inParts(text) {
				if col != text || len(parts) != 0 {
					t.Errorf("%s: row %q, %d parts; want the text in its row", id, col, len(parts))
				}
				continue
			}
			var b strings.Builder
			for i, p := range parts {
				if p.N != i || p.Size != len(p.Text) || len(p.Text) > textPartBytes || !utf8.ValidString(p.Text) || p.Text == "" {
					t.Errorf("%s: part %d %+v", id, i, p)
				}
				b.WriteString(p.Text)
			}
			if col != textInParts || b.String() != text {
				t.Errorf("%s: row %q, parts %q; want the marker and %q", id, col, b.String(), text)
			}
			d, err := s.Document(id)
			if err != nil || d.Text != text {
				t.Errorf("%s: Document %q %v", id, d.Text, err)
			}
		}
		got := map[string]string{}
		if err := s.EachRecord("", false, func(rec *annotate.Record) error {
			got[rec.Doc.ID] = rec.Doc.Text
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		for id, text := range texts {
			if got[id] != text {
				t.Errorf("%s: EachRecord read %q", id, got[id])
			}
		}
	}
	check()
	if len(texts["long"]) <= 3*textPartBytes {
		t.Fatalf("the long text is %d bytes: not several parts", len(texts["long"]))
	}
	texts["long"] = "نص آخر أقصر"
	if _, err := s.Import([]annotate.Record{{Doc: annotate.Document{ID: "long", Text: texts["long"]}}}, ImportOptions{Replace: true}); err != nil {
		t.Fatal(err)
	}
	check()
	var n, want int64
	s.db.Model(&textPart{}).Count(&n)
	for id := range texts {
		_, parts := partsOf(t, s, id)
		want += int64(len(parts))
	}
	if n != want {
		t.Errorf("%d parts stored, %d of the documents: the replaced text's are left", n, want)
	}
}

// A document of an older schema whose text is the marker itself is stored
// in parts by the migration, and read as it was.
func TestMigrationStoresTheMarkerInParts(t *testing.T) {
	s, path := tempStore(t)
	if _, err := s.Import([]annotate.Record{{Doc: annotate.Document{ID: "d", Text: "نص"}}}, ImportOptions{}); err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{"DELETE FROM text_parts", "UPDATE documents SET text = '" + textInParts + "'",
		"UPDATE tawsim_meta SET value = '6' WHERE key = 'schema_version'"} {
		if err := s.db.Exec(q).Error; err != nil {
			t.Fatal(err)
		}
	}
	s.Close()
	s = openAt(t, path)
	if v, _ := s.Version(); v != SchemaVersion {
		t.Fatalf("version %d", v)
	}
	if d, err := s.Document("d"); err != nil || d.Text != textInParts {
		t.Fatalf("%+v %v", d, err)
	}
}

// A document read while another connection replaces its text, again and
// again, between a text in parts and one in its row, reads one of the
// texts whole every time (reading the row and then its parts in separate
// statements failed within 300 reads: found by review).
func TestReadWhileTheTextIsReplaced(t *testing.T) {
	s, _ := tempStore(t)
	texts := []string{strings.Repeat("نص طويل ", 40), "قصير", strings.Repeat("x", 500)}
	if _, err := s.Import([]annotate.Record{{Doc: annotate.Document{ID: "d", Text: texts[0]}}}, ImportOptions{}); err != nil {
		t.Fatal(err)
	}
	stop, done := make(chan struct{}), make(chan error)
	go func() {
		for i := 1; ; i++ {
			select {
			case <-stop:
				done <- nil
				return
			default:
			}
			if _, err := s.Import([]annotate.Record{{Doc: annotate.Document{ID: "d", Text: texts[i%3]}}}, ImportOptions{Replace: true}); err != nil {
				done <- err
				return
			}
		}
	}()
	for i := range 2000 {
		d, err := s.Document("d")
		if err == nil && !slices.Contains(texts, d.Text) {
			err = fmt.Errorf("a text of %d bytes, none of those stored", len(d.Text))
		}
		if err != nil {
			close(stop)
			<-done
			t.Fatalf("read %d: %v", i, err)
		}
	}
	close(stop)
	if err := <-done; err != nil {
		t.Fatal(err)
	}
}
