// Package storage keeps a Tawsim project in one SQLite file through GORM
// (github.com/glebarez/sqlite, pure Go), or in a PostgreSQL database
// (gorm.io/driver/postgres) named by a postgres:// DSN. No GORM type leaves
// the package: the Store speaks annotate types. Every write runs in a
// transaction.
package storage

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/glebarez/sqlite"
	"gorm.io/gorm"
	"gorm.io/gorm/clause"
	"gorm.io/gorm/logger"

	"tawsim/annotate"
)

// Store is an open project database.
type Store struct {
	db       *gorm.DB
	path     string
	readOnly bool
	wait     func()      // Options.Wait
	version  versionConn // see DataVersion
}

// ErrNewerSchema is returned (wrapped) when the database was written by a
// newer Tawsim.
var ErrNewerSchema = errors.New("database written by a newer version of Tawsim")

// Options steer OpenWith.
type Options struct {
	// Create makes a missing or zero-byte file a new project. Without it
	// such a path is an error: a reading command must not leave an empty
	// project behind a mistyped or truncated path.
	Create bool
	// ReadOnly opens the project read-only even when the file may be
	// written (as a file the user may not write is opened).
	ReadOnly bool
	// Wait, if set, is called once when a write finds another connection
	// or process writing and waits for it to finish.
	Wait func()
}

// Open opens (creating if needed) the database at path, in WAL mode with
// foreign keys on, and migrates it to SchemaVersion.
func Open(path string) (*Store, error) { return OpenWith(path, Options{Create: true}) }

// OpenWith opens the database at path. A file the user may not write is
// opened read-only (ReadOnly); its writes fail with ErrReadOnly. Opening
// writes nothing unless the schema needs migrating.
func OpenWith(path string, o Options) (*Store, error) {
	if IsDSN(path) {
		return openPostgres(path, o)
	}
	readOnly, err := checkPath(path, o.Create)
	if err != nil {
		return nil, err
	}
	readOnly = readOnly || o.ReadOnly
	if dir := filepath.Dir(path); !readOnly && dir != "" {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return nil, fmt.Errorf("open %s: %w", path, err)
		}
	}
	// busy_timeout is short: a write that meets another writer waits in
	// Store.write, which can say so, instead of failing after the timeout.
	// Readers do not wait for writers in WAL mode.
	dsn := "file:" + path + "?_pragma=foreign_keys(1)&_pragma=busy_timeout(1000)&_txlock=immediate"
	if readOnly {
		dsn += "&mode=ro"
	} else {
		dsn += "&_pragma=journal_mode(WAL)&_pragma=synchronous(NORMAL)"
	}
	db, err := connect(dsn)
	// Connecting sets WAL mode, which fails at once, not after the busy
	// timeout, while another process is creating the file or opening its
	// WAL: try again for a while.
	for tries := 0; err != nil && isBusy(err) && tries < 100; tries++ {
		if tries == 0 && o.Wait != nil {
			o.Wait()
		}
		time.Sleep(50 * time.Millisecond)
		db, err = connect(dsn)
	}
	if err == nil && readOnly && db.Exec("SELECT count(*) FROM sqlite_master").Error != nil {
		// A WAL database in a folder this user may not write has no
		// shared-memory file to read through: read the file as it is.
		closeDB(db)
		db, err = connect(dsn + "&immutable=1")
	}
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	sqlDB, err := db.DB()
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	// _txlock=immediate: every transaction here writes, and one that takes
	// the write lock at BEGIN waits its turn instead of failing when it
	// would upgrade from reading while another writes.
	// One connection while migrating: the foreign-key pragma it switches is
	// per connection. Then a few: in WAL mode readers do not wait for a
	// writer, so the app can open and show documents while an import
	// transaction runs; writers take turns.
	sqlDB.SetMaxOpenConns(1)
	s := &Store{db: db, path: path, readOnly: readOnly, wait: o.Wait}
	if err := s.migrate(); err != nil {
		sqlDB.Close()
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	// A file copied to another path becomes a copy of its own.
	if err := s.bindReplica(); err != nil {
		sqlDB.Close()
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	sqlDB.SetMaxOpenConns(4)
	return s, nil
}

func connect(dsn string) (*gorm.DB, error) { return gorm.Open(sqlite.Open(dsn), gormConfig()) }

func gormConfig() *gorm.Config {
	return &gorm.Config{
		Logger:                 logger.Default.LogMode(logger.Silent),
		SkipDefaultTransaction: true, // we open our own transactions
		PrepareStmt:            true,
		NowFunc:                now, // times as both backends keep them
	}
}

func closeDB(db *gorm.DB) {
	if sqlDB, err := db.DB(); err == nil {
		sqlDB.Close()
	}
}

// ReadOnly says whether the project was opened read-only because its file
// may not be written.
func (s *Store) ReadOnly() bool { return s.readOnly }

// Close closes the database.
func (s *Store) Close() error {
	s.version.close()
	sqlDB, err := s.db.DB()
	if err != nil {
		return err
	}
	return sqlDB.Close()
}

// Path is the database file, or the DSN of a PostgreSQL project without
// its password.
func (s *Store) Path() string { return s.path }

// Version reads the recorded schema version (0 for a new file).
func (s *Store) Version() (int, error) { return readVersion(s.db) }

func readVersion(db *gorm.DB) (int, error) {
	if !db.Migrator().HasTable(&metaRow{}) {
		return 0, nil
	}
	var row metaRow
	err := db.Where("key = ?", "schema_version").Take(&row).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return 0, nil
	}
	if err != nil {
		return 0, err
	}
	v, err := strconv.Atoi(row.Value)
	if err != nil {
		return 0, fmt.Errorf("schema version %q is not a number", row.Value)
	}
	return v, nil
}

// migrate brings the schema to SchemaVersion. AutoMigrate creates missing
// tables, columns and indexes; version-specific data steps follow it.
func (s *Store) migrate() error {
	v, err := readVersion(s.db)
	if current, err := s.checkVersion(v, err); current || err != nil {
		return err
	}
	pg := isPostgres(s.db)
	if !pg {
		// GORM's SQLite migrator alters a column by rebuilding its table;
		// with foreign keys on, dropping the old table would cascade into
		// the spans. So migrate with them off (the pragma is a no-op
		// inside a transaction) and check the references before
		// committing. PostgreSQL alters tables in place.
		if err := s.db.Exec("PRAGMA foreign_keys = OFF").Error; err != nil {
			return err
		}
		defer s.db.Exec("PRAGMA foreign_keys = ON")
	}
	return s.write(func(tx *gorm.DB) error {
		if pg {
			if err := lockMigration(tx); err != nil {
				return err
			}
		}
		// Another process may have migrated while this one waited for
		// the write lock (SQLite) or the advisory lock (PostgreSQL).
		v, err = readVersion(tx)
		if current, err := s.checkVersion(v, err); current || err != nil {
			return err
		}
		if err := tx.AutoMigrate(allModels...); err != nil {
			return fmt.Errorf("migrating schema from version %d: %w", v, err)
		}
		if pg {
			if err := migratePostgres(tx); err != nil {
				return fmt.Errorf("migrating schema from version %d: %w", v, err)
			}
		} else {
			var broken []map[string]any
			if err := tx.Raw("PRAGMA foreign_key_check").Scan(&broken).Error; err != nil {
				return err
			}
			if len(broken) > 0 {
				return fmt.Errorf("migrating schema from version %d: %d rows would break references; nothing was changed", v, len(broken))
			}
		}
		// Version 2 added gold provenance columns (votes, decision,
		// decided_by); their defaults are right for existing rows.
		// Version 3 added the gold_rejections table, empty at first. An
		// annotator named "gold" created as a human by an older version is
		// the gold layer.
		if err := tx.Model(&annotator{}).Where("name = ?", GoldLayer).Update("kind", kindGold).Error; err != nil {
			return err
		}
		// Every change of the definition from here on is recorded by this
		// copy (schema 6), the older steps' too.
		if err := ensureReplicaID(tx); err != nil {
			return err
		}
		if v < 4 {
			if err := migrateGoldStatus(tx); err != nil {
				return fmt.Errorf("migrating schema from version %d: %w", v, err)
			}
		}
		// Version 5 stores the relation types (the defaults, for a new
		// project too), gold provenance on relations and the rejected
		// gold relations.
		if v < 5 {
			if err := seedRelationTypes(tx); err != nil {
				return fmt.Errorf("migrating schema from version %d: %w", v, err)
			}
			if err := migrateCueLabel(tx); err != nil {
				return fmt.Errorf("migrating schema from version %d: %w", v, err)
			}
		}
		// Version 6 gives the project copy its replica id, layers their
		// revisions and labels and relation types their uids.
		if v < 6 {
			if err := migrateLayerRevisions(tx); err != nil {
				return fmt.Errorf("migrating schema from version %d: %w", v, err)
			}
			if err := fillUIDs(tx, &labelType{}); err != nil {
				return fmt.Errorf("migrating schema from version %d: %w", v, err)
			}
			if err := fillUIDs(tx, &relationType{}); err != nil {
				return fmt.Errorf("migrating schema from version %d: %w", v, err)
			}
		}
		// Version 7 stores long texts in parts (textparts.go); the texts
		// of older versions stay in their rows, but for one that is the
		// marker itself.
		if v < 7 {
			if err := migrateMarkerText(tx); err != nil {
				return fmt.Errorf("migrating schema from version %d: %w", v, err)
			}
		}
		return tx.Save(&metaRow{Key: "schema_version", Value: strconv.Itoa(SchemaVersion)}).Error
	})
}

// checkVersion says whether schema version v (read with error err) is
// current, refusing a newer one and one that needs migrating when the
// project may not be written.
func (s *Store) checkVersion(v int, err error) (current bool, _ error) {
	switch {
	case err != nil:
		return false, fmt.Errorf("reading schema version: %w", err)
	case v > SchemaVersion:
		return false, fmt.Errorf("%w: its schema version is %d and this program knows versions up to %d; use a newer Tawsim", ErrNewerSchema, v, SchemaVersion)
	case v == SchemaVersion:
		return true, nil
	case s.readOnly:
		return false, fmt.Errorf("%w, and its schema (version %d) needs migrating to version %d", ErrReadOnly, v, SchemaVersion)
	}
	return false, nil
}

// Labels returns the project's label types in display order.
func (s *Store) Labels() ([]annotate.Label, error) {
	var rows []labelType
	if err := s.db.Order("sort_order, name").Find(&rows).Error; err != nil {
		return nil, err
	}
	out := make([]annotate.Label, len(rows))
	for i, r := range rows {
		out[i] = annotate.Label{Name: r.Name, Arabic: r.Arabic, Color: r.Color, Hotkey: r.Hotkey, Order: r.Order, UID: r.UID}
	}
	return out, nil
}

// SaveLabel creates or updates a label type by name.
func (s *Store) SaveLabel(l annotate.Label) error {
	if err := CheckLabelName(l.Name); err != nil {
		return err
	}
	return s.write(func(tx *gorm.DB) error {
		if _, err := ensureLabel(tx, l); err != nil {
			return err
		}
		return bumpDefinition(tx)
	})
}

func ensureLabel(tx *gorm.DB, l annotate.Label) (uint, error) {
	var row labelType
	err := tx.Where("name = ?", l.Name).Take(&row).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		row = labelType{Name: l.Name, Arabic: l.Arabic, Color: l.Color, Hotkey: l.Hotkey, Order: l.Order, UID: orNewUID(l.UID)}
		if row.Color == "" {
			row.Color = fallbackColor(l.Name)
		}
		if row.Rev, err = row.Rev.ticked(tx); err != nil {
			return 0, err
		}
		return createOnce(tx, &row, &row.ID, "name = ?", l.Name)
	}
	if err != nil {
		return 0, err
	}
	if l.Arabic != "" || l.Color != "" || l.Hotkey != "" || l.Order != 0 {
		row.Arabic, row.Color, row.Hotkey, row.Order = l.Arabic, l.Color, l.Hotkey, l.Order
		if row.Rev, err = row.Rev.ticked(tx); err != nil {
			return 0, err
		}
		return row.ID, tx.Save(&row).Error
	}
	return row.ID, nil
}

// fallbackColor gives a label created by an import a stable colour.
func fallbackColor(name string) string {
	palette := []string{"#911eb4", "#46f0f0", "#f032e6", "#bcf60c", "#008080", "#9a6324", "#800000", "#808000", "#000075", "#e6beff"}
	h := 0
	for _, r := range name {
		h = h*31 + int(r)
	}
	if h < 0 {
		h = -h
	}
	return palette[h%len(palette)]
}

// Annotators lists the human annotators by name.
func (s *Store) Annotators() ([]string, error) {
	var names []string
	err := s.db.Model(&annotator{}).Where("kind = ?", kindHuman).Order("name").Pluck("name", &names).Error
	return names, err
}

// EnsureAnnotator creates the annotator if it does not exist.
func (s *Store) EnsureAnnotator(name string) error {
	if err := checkHumanName(name); err != nil {
		return err
	}
	return s.write(func(tx *gorm.DB) error {
		_, err := ensureAnnotator(tx, name)
		return err
	})
}

// GoldLayer is the name of the project's gold layer.
const GoldLayer = "gold"

func checkAnnotatorName(name string) error {
	if strings.TrimSpace(name) == "" || name != strings.TrimSpace(name) {
		return fmt.Errorf("annotator name %q is empty or has surrounding spaces", name)
	}
	return nil
}

func ensureAnnotator(tx *gorm.DB, name string) (uint, error) {
	var row annotator
	err := tx.Where("name = ?", name).Take(&row).Error
	if err == nil {
		return row.ID, nil
	}
	if !errors.Is(err, gorm.ErrRecordNotFound) {
		return 0, err
	}
	row = annotator{Name: name, Kind: kindHuman}
	if name == GoldLayer {
		row.Kind = kindGold
	}
	return createOnce(tx, &row, &row.ID, "name = ?", name)
}

// createOnce creates row, which the caller found missing, and returns its
// id. On PostgreSQL another transaction may create the same row meanwhile
// (SQLite lets one writer at a time): the insert then waits for it and
// does nothing, and the row it committed is read instead.
func createOnce(tx *gorm.DB, row any, id *uint, where string, args ...any) (uint, error) {
	if err := tx.Clauses(clause.OnConflict{DoNothing: true}).Create(row).Error; err != nil || *id != 0 {
		return *id, err
	}
	err := tx.Where(where, args...).Take(row).Error
	return *id, err
}

func annotatorID(tx *gorm.DB, name string) (uint, error) {
	var row annotator
	err := tx.Where("name = ?", name).Take(&row).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return 0, fmt.Errorf("no annotator %q", name)
	}
	return row.ID, err
}

func documentRow(tx *gorm.DB, extID string) (*document, error) {
	var row document
	err := tx.Where("ext_id = ?", extID).Take(&row).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, fmt.Errorf("no document %q", extID)
	}
	if err != nil {
		return nil, err
	}
	return &row, nil
}
