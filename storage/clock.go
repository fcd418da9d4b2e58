package storage

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"path/filepath"
	"time"

	"gorm.io/gorm"
)

// clock is a version vector: for each copy of the project (replica) the
// number of changes it made to one layer, or to the definition. Two copies
// of a project edit apart and are merged later; comparing clocks says
// whether one side's state already contains the other's (nothing to do, or
// take it) or both changed since they last met (a conflict), which
// revision numbers or times alone cannot tell.
type clock map[string]int64

// clockOrder is how two clocks compare.
type clockOrder int

const (
	clockEqual      clockOrder = iota
	clockBefore                // the other clock has seen everything this one has, and more
	clockAfter                 // this clock has seen everything the other one has, and more
	clockConcurrent            // each has changes the other has not seen
)

func decodeClock(s string) (clock, error) {
	c := clock{}
	if s == "" || s == "{}" {
		return c, nil
	}
	if err := json.Unmarshal([]byte(s), &c); err != nil {
		return nil, fmt.Errorf("a revision clock %q is not a JSON object of counts: %w", s, err)
	}
	for k, n := range c {
		if k == "" || n < 0 {
			return nil, fmt.Errorf("a revision clock %q has an empty replica or a negative count", s)
		}
	}
	return c, nil
}

// encode writes c as JSON with sorted keys (encoding/json sorts map keys),
// so equal clocks are equal strings.
func (c clock) encode() string {
	if len(c) == 0 {
		return "{}"
	}
	b, _ := json.Marshal(map[string]int64(c))
	return string(b)
}

// revision is the number shown to users: every change advances it.
func (c clock) revision() int64 {
	var n int64
	for _, v := range c {
		n += v
	}
	return n
}

func (c clock) compare(o clock) clockOrder {
	less, more := false, false
	for k, v := range c {
		if v > o[k] {
			more = true
		} else if v < o[k] {
			less = true
		}
	}
	for k, v := range o {
		if _, ok := c[k]; !ok && v > 0 {
			less = true
		}
	}
	switch {
	case less && more:
		return clockConcurrent
	case less:
		return clockBefore
	case more:
		return clockAfter
	}
	return clockEqual
}

// merged is the clock that has seen both c and o.
func (c clock) merged(o clock) clock {
	out := make(clock, len(c)+len(o))
	for k, v := range c {
		out[k] = v
	}
	for k, v := range o {
		if v > out[k] {
			out[k] = v
		}
	}
	return out
}

// ticked is c after one more change made by replica.
func (c clock) ticked(replica string) clock {
	out := c.merged(nil)
	out[replica]++
	return out
}

const metaReplica = "replica_id"

// newUID is a fresh random id: of a copy of a project, of a label.
func newUID() string {
	b := make([]byte, 8)
	if _, err := rand.Read(b); err != nil {
		panic(err) // crypto/rand does not fail on supported systems
	}
	return hex.EncodeToString(b)
}

// replicaID is this project copy's id, made by the migration to schema 6.
func replicaID(tx *gorm.DB) (string, error) {
	var row metaRow
	err := tx.Where("key = ?", metaReplica).Take(&row).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return "", errors.New("the project has no replica id (schema older than 6?)")
	}
	return row.Value, err
}

// ensureReplicaID gives the project a replica id if it has none.
func ensureReplicaID(tx *gorm.DB) error {
	return tx.Where(metaRow{Key: metaReplica}).Attrs(metaRow{Value: newUID()}).FirstOrCreate(&metaRow{}).Error
}

// metaReplicaPath is the file the replica id belongs to.
const metaReplicaPath = "replica_path"

// bindReplica gives a project file opened for writing at another path
// than its replica id was made for a replica id of its own. A copy of a
// file (cp, a backup, a second laptop) is another copy of the project:
// with the same id, its changes and the original's would count as one
// history, and a merge could take one side's later changes for newer than
// the other's without seeing a conflict.
//
// A PostgreSQL project is one copy, whoever connects: it keeps its id.
func (s *Store) bindReplica() error {
	if s.readOnly || isPostgres(s.db) {
		return nil
	}
	abs, err := filepath.Abs(s.path)
	if err != nil {
		return err
	}
	var row metaRow
	err = s.db.Where("key = ?", metaReplicaPath).Take(&row).Error
	if err == nil && row.Value == abs {
		return nil
	}
	if err != nil && !errors.Is(err, gorm.ErrRecordNotFound) {
		return err
	}
	return s.write(func(tx *gorm.DB) error {
		if err == nil { // made for another file: this is a copy
			if err := tx.Save(&metaRow{Key: metaReplica, Value: newUID()}).Error; err != nil {
				return err
			}
		}
		return tx.Save(&metaRow{Key: metaReplicaPath, Value: abs}).Error
	})
}

// now is the time a change is recorded with: UTC, to the microsecond (what
// every backend keeps).
func now() time.Time { return time.Now().UTC().Truncate(time.Microsecond) }
