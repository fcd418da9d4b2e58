package storage

import (
	"database/sql"
	"fmt"
	"strings"
	"unicode/utf8"

	"gorm.io/gorm"
)

// A document's text longer than textPartBytes (schema version 7) is
// stored in rows of text_parts, each at most that long and cut before a
// character, while its documents row holds textInParts. A value is copied
// whole by the SQLite driver and again into SQLite's record, on writing
// and reading alike: one 60 MB text held 180 MB beside the program's own
// copy. In parts those copies are a part's.
//
// A test may lower it to store every text in parts.
var textPartBytes = 1 << 20

// textInParts is the text column of a document stored in parts. A text
// that is the marker itself is stored in parts too, so no text held in a
// row is ever taken for it.
const textInParts = "\uFFFF"

type textPart struct {
	ID         uint      `gorm:"primaryKey"`
	DocumentID uint      `gorm:"not null;uniqueIndex:ux_text_part,priority:1"`
	N          int       `gorm:"not null;uniqueIndex:ux_text_part,priority:2"`
	Size       int       `gorm:"not null"` // bytes, so a reader allocates the text once
	Text       string    `gorm:"not null"`
	Document   *document `gorm:"constraint:OnDelete:CASCADE"`
}

// inParts says whether text is stored in parts.
func inParts(text string) bool {
	return len(text) > textPartBytes || text == textInParts
}

// columnText is what the documents row of text holds.
func columnText(text string) string {
	if inParts(text) {
		return textInParts
	}
	return text
}

// writeText stores the parts of document docID's text (none when it fits
// its row), replacing the ones it had. The row's text is columnText(text).
func writeText(tx *gorm.DB, docID uint, text string) error {
	if err := tx.Where("document_id = ?", docID).Delete(&textPart{}).Error; err != nil {
		return err
	}
	if !inParts(text) {
		return nil
	}
	for n := 0; text != ""; n++ {
		cut := min(textPartBytes, len(text))
		for cut < len(text) && !utf8.RuneStart(text[cut]) {
			cut--
		}
		if cut == 0 { // a part shorter than one character
			_, cut = utf8.DecodeRuneInString(text)
		}
		if err := tx.Create(&textPart{DocumentID: docID, N: n, Size: cut, Text: text[:cut]}).Error; err != nil {
			return fmt.Errorf("storing the text: %w", err)
		}
		text = text[cut:]
	}
	return nil
}

// AfterFind reads the text of a document stored in parts into d (GORM
// calls it on every document row a query finds).
func (d *document) AfterFind(tx *gorm.DB) error { return readText(tx, d) }

// readText replaces d's text by its parts when it holds textInParts. One
// statement reads them with the row, so that a text replaced meanwhile
// by another connection is read whole, the old or the new, never a mix;
// the row's other columns are set from the same statement, so d describes
// the text it holds.
func readText(tx *gorm.DB, d *document) error {
	if d.Text != textInParts {
		return nil
	}
	if d.ID == 0 {
		return fmt.Errorf("the text of a document stored in parts was read without the document's id")
	}
	rows, err := tx.Raw(`SELECT d.ext_id, d.title, d.source, d.text, d.length, d.sha256, d.meta, COALESCE(SUM(p.size) OVER (), 0), p.text
		FROM documents d LEFT JOIN text_parts p ON p.document_id = d.id WHERE d.id = ? ORDER BY p.n`, d.ID).Rows()
	if err != nil {
		return err
	}
	defer rows.Close()
	var row document
	var b strings.Builder
	for first := true; rows.Next(); first = false {
		var size int64
		var part sql.NullString
		if err := rows.Scan(&row.ExtID, &row.Title, &row.Source, &row.Text, &row.Length, &row.SHA256, &row.Meta, &size, &part); err != nil {
			return err
		}
		if first {
			b.Grow(int(size))
		}
		b.WriteString(part.String)
	}
	if err := rows.Err(); err != nil {
		return err
	}
	switch {
	case row.ExtID == "":
		return fmt.Errorf("document %d was deleted while read", d.ID)
	case row.Text != textInParts: // replaced meanwhile by a text its row holds
	case b.Len() == 0:
		return fmt.Errorf("document %d is stored in parts, and they are missing", d.ID)
	default:
		row.Text = b.String()
	}
	row.ID, row.CreatedAt = d.ID, d.CreatedAt
	*d = row
	return nil
}

// createDocuments inserts rows, each text in its row or in parts.
func createDocuments(tx *gorm.DB, rows []*document) error {
	texts := make([]string, len(rows))
	for i, r := range rows {
		texts[i], r.Text = r.Text, columnText(r.Text)
	}
	err := tx.CreateInBatches(rows, 100).Error
	for i, r := range rows {
		if err == nil && r.Text == textInParts {
			err = writeText(tx, r.ID, texts[i])
		}
		r.Text = texts[i]
	}
	return err
}

// migrateMarkerText stores in parts a text of an older schema that is
// textInParts itself, which its row could not hold from version 7 on.
func migrateMarkerText(tx *gorm.DB) error {
	var ids []uint
	if err := tx.Model(&document{}).Where("text = ?", textInParts).Pluck("id", &ids).Error; err != nil {
		return err
	}
	for _, id := range ids {
		if err := writeText(tx, id, textInParts); err != nil {
			return err
		}
	}
	return nil
}
