package storage

import (
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

// textInParts is the text column of a document stored in parts. Every text
// that begins with it is stored in parts, whatever its length, so no text
// held in the column is ever taken for the marker.
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
	return len(text) > textPartBytes || strings.HasPrefix(text, textInParts)
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

// readText replaces d's text by its parts when it holds textInParts.
func readText(tx *gorm.DB, d *document) error {
	if d.Text != textInParts {
		return nil
	}
	if d.ID == 0 {
		return fmt.Errorf("the text of a document stored in parts was read without the document's id")
	}
	var size int
	if err := tx.Model(&textPart{}).Where("document_id = ?", d.ID).Select("COALESCE(SUM(size), 0)").Scan(&size).Error; err != nil {
		return err
	}
	rows, err := tx.Model(&textPart{}).Where("document_id = ?", d.ID).Order("n").Select("text").Rows()
	if err != nil {
		return err
	}
	defer rows.Close()
	var b strings.Builder
	b.Grow(size)
	for rows.Next() {
		var part string
		if err := rows.Scan(&part); err != nil {
			return err
		}
		b.WriteString(part)
	}
	if err := rows.Err(); err != nil {
		return err
	}
	if size == 0 || b.Len() != size {
		return fmt.Errorf("document %d is stored in parts, and they are missing or changed while read", d.ID)
	}
	d.Text = b.String()
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
