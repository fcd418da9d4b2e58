package storage

import (
	"fmt"

	"gorm.io/gorm"
)

// The annotation guidelines are part of the project's definition: they
// travel with it (hand-outs, merges) and a change of them is a change of
// the definition. They live in tawsim_meta.
const (
	metaGuidelines       = "guidelines"
	metaGuidelinesFormat = "guidelines_format"
)

// Guideline formats.
const (
	GuidelinesMarkdown = "markdown"
	GuidelinesText     = "text"
)

// Guidelines are the project's annotation guidelines.
type Guidelines struct {
	Text   string
	Format string // GuidelinesMarkdown or GuidelinesText
}

// Guidelines reads the project's guidelines (empty Markdown when none were
// set).
func (s *Store) Guidelines() (Guidelines, error) {
	var rows []metaRow
	if err := s.db.Where("key IN ?", []string{metaGuidelines, metaGuidelinesFormat}).Find(&rows).Error; err != nil {
		return Guidelines{}, err
	}
	g := Guidelines{Format: GuidelinesMarkdown}
	for _, r := range rows {
		if r.Key == metaGuidelines {
			g.Text = r.Value
		} else {
			g.Format = r.Value
		}
	}
	return g, nil
}

// SetGuidelines replaces the project's guidelines.
func (s *Store) SetGuidelines(g Guidelines) error {
	if g.Format != GuidelinesMarkdown && g.Format != GuidelinesText {
		return fmt.Errorf("guidelines format %q: it is %s or %s", g.Format, GuidelinesMarkdown, GuidelinesText)
	}
	return s.definitionWrite(func(tx *gorm.DB) error {
		if err := tx.Save(&metaRow{Key: metaGuidelines, Value: g.Text}).Error; err != nil {
			return err
		}
		return tx.Save(&metaRow{Key: metaGuidelinesFormat, Value: g.Format}).Error
	})
}

// mergeGuidelines is the guidelines' part of a definition merge: the
// incoming ones replace these when its side's attributes win.
func mergeGuidelines(m *defMerge) error {
	if !m.takeAttrs {
		return nil
	}
	var theirs []metaRow
	if err := m.from.Where("key IN ?", []string{metaGuidelines, metaGuidelinesFormat}).Find(&theirs).Error; err != nil {
		return err
	}
	for _, r := range theirs {
		if err := m.tx.Save(&metaRow{Key: r.Key, Value: r.Value}).Error; err != nil {
			return err
		}
	}
	return nil
}
