package storage

import (
	"encoding/json"
	"errors"
	"fmt"

	"gorm.io/gorm"
)

// PrefillSettings are the annotators and threshold of the project's last
// automatic pre-fill. A later pre-fill with other settings would undo its
// work (an automatic span accepted at 2 of 3 is dropped at 3 of 3), so the
// app's adjudication screen reuses them.
type PrefillSettings struct {
	Annotators []string `json:"annotators"`
	MinAgree   int      `json:"min_agree"` // 0: all of them
}

// SavePrefillSettings records the settings of a pre-fill.
func (s *Store) SavePrefillSettings(p PrefillSettings) error {
	b, err := json.Marshal(p)
	if err != nil {
		return err
	}
	return s.write(func(tx *gorm.DB) error {
		return tx.Save(&metaRow{Key: "prefill", Value: string(b)}).Error
	})
}

// LastPrefillSettings returns the recorded settings; ok is false when the
// project was never pre-filled.
func (s *Store) LastPrefillSettings() (p PrefillSettings, ok bool, err error) {
	return prefillSettings(s.db)
}

func prefillSettings(db *gorm.DB) (p PrefillSettings, ok bool, err error) {
	var row metaRow
	err = db.Where("key = ?", "prefill").Take(&row).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return p, false, nil
	}
	if err != nil {
		return p, false, err
	}
	if err := json.Unmarshal([]byte(row.Value), &p); err != nil {
		return p, false, fmt.Errorf("recorded pre-fill settings: %w", err)
	}
	return p, true, nil
}
