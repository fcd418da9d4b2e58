package storage

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"strings"
	"time"

	"gorm.io/gorm"
)

// ErrReadOnly is returned (wrapped, naming the file) by a write to a
// project opened read-only.
var ErrReadOnly = errors.New("the project is read-only")

// ErrNotProject is returned (wrapped) when a path names no project: a
// folder, a device or pipe, or (without Options.Create) a missing or empty
// file.
var ErrNotProject = errors.New("not a project database")

// checkPath says what is at path before SQLite sees it (SQLite reports a
// folder as "out of memory"), and whether it may only be read.
func checkPath(path string, create bool) (readOnly bool, err error) {
	fi, err := os.Stat(path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		if !create {
			return false, fmt.Errorf("%s: %w: no such file", path, ErrNotProject)
		}
		return false, nil
	case err != nil:
		return false, fmt.Errorf("%s: %w", path, errors.Unwrap(err))
	case fi.IsDir():
		return false, fmt.Errorf("%s is a folder: %w (name the .db file inside it)", path, ErrNotProject)
	case !fi.Mode().IsRegular():
		return false, fmt.Errorf("%s is %s, not a file: %w", path, describeMode(fi.Mode()), ErrNotProject)
	case fi.Size() == 0 && !create:
		return false, fmt.Errorf("%s is an empty file: %w (tawsim import --db %s … makes it one)", path, ErrNotProject, path)
	case fi.Size() > 0:
		// SQLite would take a file shorter than its header for a new
		// database and write over it: check the header first.
		if err := checkHeader(path); err != nil {
			return false, err
		}
	}
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err == nil {
		f.Close()
		return false, nil
	}
	if f, rerr := os.Open(path); rerr == nil {
		f.Close()
		return true, nil
	}
	return false, fmt.Errorf("cannot read %s: %w", path, errors.Unwrap(err))
}

// sqliteHeader starts every SQLite database file.
const sqliteHeader = "SQLite format 3\x00"

// checkHeader refuses a file that is not an SQLite database.
func checkHeader(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("cannot read %s: %w", path, errors.Unwrap(err))
	}
	defer f.Close()
	head := make([]byte, len(sqliteHeader))
	if _, err := io.ReadFull(f, head); err != nil || string(head) != sqliteHeader {
		return fmt.Errorf("%s: %w: the file is not a database (it does not start as SQLite's files do)", path, ErrNotProject)
	}
	return nil
}

func describeMode(m fs.FileMode) string {
	switch {
	case m&fs.ModeNamedPipe != 0:
		return "a named pipe (FIFO)"
	case m&fs.ModeSocket != 0:
		return "a socket"
	case m&fs.ModeDevice != 0:
		return "a device"
	}
	return "a special file"
}

// write runs fn in a transaction. BEGIN IMMEDIATE takes the write lock at
// once; while another connection or process holds it, write waits, telling
// Options.Wait once, rather than failing after the busy timeout. Errors of
// locking name the database. PostgreSQL lets writers run at once (a row
// another transaction changes waits for it by itself).
func (s *Store) write(fn func(tx *gorm.DB) error) (err error) {
	if s.readOnly {
		why := "because the file may not be written"
		if IsDSN(s.path) {
			why = "as asked, or because the role may only read"
		}
		return fmt.Errorf("%s: %w (it opened read-only %s)", s.path, ErrReadOnly, why)
	}
	var tx *gorm.DB
	for told := false; ; {
		tx = s.db.Begin()
		if tx.Error == nil {
			break
		}
		if !isBusy(tx.Error) {
			return s.lockErr(tx.Error)
		}
		if !told && s.wait != nil {
			s.wait()
			told = true
		}
		time.Sleep(50 * time.Millisecond) // the busy timeout already waited
	}
	defer func() {
		if r := recover(); r != nil {
			tx.Rollback()
			panic(r)
		}
	}()
	if err := fn(tx); err != nil {
		tx.Rollback()
		return s.lockErr(err)
	}
	pg := isPostgres(tx)
	if pg {
		if err := bumpChanges(tx); err != nil {
			tx.Rollback()
			return err
		}
	}
	if err := tx.Commit().Error; err != nil {
		return s.lockErr(err)
	}
	if pg {
		bumpChanges(s.db) // the commit stands: a poller misses it at worst until the next write
	}
	return nil
}

func isBusy(err error) bool {
	m := err.Error()
	return strings.Contains(m, "SQLITE_BUSY") || strings.Contains(m, "SQLITE_LOCKED") || strings.Contains(m, "database is locked")
}

// lockErr names the database in an error of locking or of a read-only
// file, which SQLite reports without it.
func (s *Store) lockErr(err error) error {
	switch {
	case err == nil:
		return nil
	case strings.Contains(err.Error(), "SQLITE_READONLY") || strings.Contains(err.Error(), "readonly database"),
		pgCode(err) == "25006", pgCode(err) == "42501": // read-only transaction, insufficient privilege
		return fmt.Errorf("%s: %w: %v", s.path, ErrReadOnly, err)
	case isBusy(err):
		return fmt.Errorf("%s: %w", s.path, err)
	}
	return err
}
