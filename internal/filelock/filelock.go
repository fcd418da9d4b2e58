// Package filelock holds an advisory lock on a file, between processes and
// between the separate opens of one process: the writers of a shared file
// take it around a read-modify-write, on a sibling file that is never
// renamed over (a lock on the data file would go with the inode a rename
// replaces).
package filelock

import "os"

// Lock blocks until it holds the exclusive lock on path (created when
// missing) and returns its release.
func Lock(path string) (unlock func(), err error) {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, err
	}
	if err := lock(f); err != nil {
		f.Close()
		return nil, err
	}
	return func() {
		unlockFile(f)
		f.Close()
	}, nil
}
