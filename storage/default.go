package storage

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"tawsim/annotate"
)

// DefaultPath is the default database: tawsim/default.db in the OS user
// config directory (XDG_CONFIG_HOME on Linux).
func DefaultPath() (string, error) {
	dir, err := os.UserConfigDir()
	if err != nil {
		return "", fmt.Errorf("no user config directory: %w", err)
	}
	return filepath.Join(dir, "tawsim", "default.db"), nil
}

// OpenDefault opens the default database, filling it with the sample corpus
// the first time it is created.
func OpenDefault() (*Store, error) { return OpenDefaultWith(Options{}) }

// OpenDefaultWith is OpenDefault with options; the file is always created
// when missing.
func OpenDefaultWith(o Options) (*Store, error) {
	path, err := DefaultPath()
	if err != nil {
		return nil, err
	}
	o.Create = true
	s, err := OpenWith(path, o)
	if err != nil {
		return nil, err
	}
	if err := s.seedOnce(); err != nil {
		s.Close()
		return nil, fmt.Errorf("filling %s with the sample corpus: %w", path, err)
	}
	return s, nil
}

// OpenEmpty opens a database named by the user: it gets the default label
// set when new, and no documents.
func OpenEmpty(path string) (*Store, error) { return OpenProject(path, Options{Create: true}) }

// OpenProject opens a database named by the user with options, giving a
// new one the default label set.
func OpenProject(path string, o Options) (*Store, error) {
	s, err := OpenWith(path, o)
	if err != nil {
		return nil, err
	}
	if err := s.defaultLabelsOnce(); err != nil {
		s.Close()
		return nil, err
	}
	return s, nil
}

// defaultLabelsOnce gives a new project the default labels. It reads
// before it writes: opening an initialised project takes no write lock, so
// reading commands run beside an import.
func (s *Store) defaultLabelsOnce() error {
	if done, err := flag(s.db, "labels_initialized"); err != nil || done || s.readOnly {
		return err
	}
	return s.write(func(tx *gorm.DB) error {
		if done, err := flag(tx, "labels_initialized"); err != nil || done {
			return err
		}
		for _, l := range annotate.DefaultLabels() {
			if _, err := ensureLabel(tx, l); err != nil {
				return err
			}
		}
		return setFlag(tx, "labels_initialized")
	})
}

func (s *Store) seedOnce() error {
	if err := s.defaultLabelsOnce(); err != nil {
		return err
	}
	done, err := flag(s.db, "sample_seeded")
	if err != nil || done || s.readOnly {
		return err
	}
	if err := s.Seed(); err != nil {
		return err
	}
	return s.write(func(tx *gorm.DB) error { return setFlag(tx, "sample_seeded") })
}

func flag(tx *gorm.DB, key string) (bool, error) {
	var row metaRow
	err := tx.Where("key = ?", key).Take(&row).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return false, nil
	}
	return err == nil, err
}

func setFlag(tx *gorm.DB, key string) error {
	// An upsert: two processes may set the flag at once (PostgreSQL).
	return tx.Clauses(clause.OnConflict{UpdateAll: true}).Create(&metaRow{Key: key, Value: time.Now().UTC().Format(time.RFC3339)}).Error
}
