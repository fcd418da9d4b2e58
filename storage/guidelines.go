package storage

import (
	"encoding/json"
	"errors"
	"fmt"
	"time"

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
	g, _, err := readGuidelines(s.db)
	return g, err
}

// SetGuidelines replaces the project's guidelines.
func (s *Store) SetGuidelines(g Guidelines) error {
	if g.Format != GuidelinesMarkdown && g.Format != GuidelinesText {
		return fmt.Errorf("guidelines format %q: it is %s or %s", g.Format, GuidelinesMarkdown, GuidelinesText)
	}
	return s.definitionWrite(func(tx *gorm.DB) error {
		_, rev, err := readGuidelines(tx)
		if err == nil {
			rev, err = rev.ticked(tx)
		}
		if err == nil {
			err = saveGuidelines(tx, g)
		}
		if err != nil {
			return err
		}
		return saveMetaRev(tx, metaGuidelinesClock, metaGuidelinesModified, rev)
	})
}

func saveGuidelines(tx *gorm.DB, g Guidelines) error {
	if err := tx.Save(&metaRow{Key: metaGuidelines, Value: g.Text}).Error; err != nil {
		return err
	}
	return tx.Save(&metaRow{Key: metaGuidelinesFormat, Value: g.Format}).Error
}

// The guidelines' own revision, and the text a merge set aside.
const (
	metaGuidelinesClock    = "guidelines_clock"
	metaGuidelinesModified = "guidelines_modified"
	metaGuidelinesKept     = "guidelines_kept"
)

// KeptGuidelines is the text of guidelines that a merge set aside: both
// sides had changed them, and the other side's change was the later.
type KeptGuidelines struct {
	Guidelines
	From     string    `json:"from"`     // the file (or "this project") it came from
	Modified time.Time `json:"modified"` // when it was last changed there
}

// KeptGuidelines reads the guidelines the last conflicting merge set
// aside (ok false when none).
func (s *Store) KeptGuidelines() (k KeptGuidelines, ok bool, err error) {
	var row metaRow
	err = s.db.Where("key = ?", metaGuidelinesKept).Take(&row).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return k, false, nil
	}
	if err == nil {
		err = json.Unmarshal([]byte(row.Value), &k)
	}
	return k, err == nil, err
}

// readGuidelines reads the guidelines and their revision.
func readGuidelines(db *gorm.DB) (Guidelines, itemRev, error) {
	var rows []metaRow
	if err := db.Where("key IN ?", []string{metaGuidelines, metaGuidelinesFormat}).Find(&rows).Error; err != nil {
		return Guidelines{}, itemRev{}, err
	}
	g := Guidelines{Format: GuidelinesMarkdown}
	for _, r := range rows {
		if r.Key == metaGuidelines {
			g.Text = r.Value
		} else {
			g.Format = r.Value
		}
	}
	rev, err := metaRev(db, metaGuidelinesClock, metaGuidelinesModified)
	return g, rev, err
}

// mergeGuidelines is the guidelines' part of a definition merge, by their
// own clock. Changed on both sides, the later change is kept and the
// other text is set aside (KeptGuidelines, tawsim guidelines --kept; the
// last such conflict's), and the report says so.
func mergeGuidelines(m *defMerge) error {
	here, mine, err := readGuidelines(m.tx)
	if err != nil {
		return err
	}
	there, theirs, err := readGuidelines(m.from)
	if err != nil {
		return err
	}
	v, err := decide(mine, theirs, m.force)
	if err != nil || sameRev(v.rev, mine) {
		return err
	}
	if v.concurrent && here != there {
		kept := KeptGuidelines{Guidelines: here, From: "this project", Modified: mine.when()}
		if !v.take {
			kept = KeptGuidelines{Guidelines: there, From: m.fromName, Modified: theirs.when()}
		}
		b, _ := json.Marshal(kept)
		if err := m.tx.Save(&metaRow{Key: metaGuidelinesKept, Value: string(b)}).Error; err != nil {
			return err
		}
		m.conflictf("guidelines: changed on both sides; %s; the other text is set aside (tawsim guidelines --kept)", v.sideWord(m.fromName))
	}
	if v.take {
		if err := saveGuidelines(m.tx, there); err != nil {
			return err
		}
	}
	return saveMetaRev(m.tx, metaGuidelinesClock, metaGuidelinesModified, v.rev)
}
