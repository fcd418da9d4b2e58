// Package atomicfile writes a file so that readers see the old content or
// the whole new one, never a part: the data goes to a temporary file beside
// the destination, renamed over it only when everything was written.
package atomicfile

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// prefix and suffix frame the temporary names (os.CreateTemp puts a random
// number between), so a later Write can find those a killed process left.
const prefix, suffix = ".tawsim-", ".tmp"

// StaleAfter is how long a temporary file of ours goes unmodified before a
// Write into its folder takes it for the leftover of a killed process.
var StaleAfter = 10 * time.Minute

// Write writes path with fn, through a buffer. If fn or any write fails,
// the temporary file is removed and path stays as it was. The file is
// readable by all (0644), as os.Create would make it under the usual umask;
// os.CreateTemp alone would leave it 0600.
func Write(path string, fn func(w io.Writer) error) error {
	dir := filepath.Dir(path)
	if fi, err := os.Stat(path); err == nil && fi.IsDir() {
		return fmt.Errorf("%s is a folder: name a file to write", path)
	}
	if fi, err := os.Stat(dir); errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("folder %s does not exist", dir)
	} else if err == nil && !fi.IsDir() {
		return fmt.Errorf("%s is not a folder", dir)
	}
	removeStale(dir)
	tmp, err := os.CreateTemp(dir, prefix+filepath.Base(path)+".*"+suffix)
	if err != nil {
		return err
	}
	bw := bufio.NewWriterSize(tmp, 1<<16)
	err = fn(bw)
	if err == nil {
		err = bw.Flush()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Chmod(tmp.Name(), 0o644)
	}
	if err == nil {
		err = os.Rename(tmp.Name(), path)
	}
	if err != nil {
		os.Remove(tmp.Name())
	}
	return err
}

// removeStale removes the temporary files of ours in dir that no process
// has written for StaleAfter.
func removeStale(dir string) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return
	}
	for _, e := range entries {
		if !e.Type().IsRegular() || !strings.HasPrefix(e.Name(), prefix) || !strings.HasSuffix(e.Name(), suffix) {
			continue
		}
		if fi, err := e.Info(); err == nil && time.Since(fi.ModTime()) > StaleAfter {
			os.Remove(filepath.Join(dir, e.Name()))
		}
	}
}

// Scratch creates a scratch file in dir, named as Write names its
// temporary files, for data too large to hold in memory. Where the system
// allows it the name goes at once (the file lives until closed: a killed
// process leaves nothing); elsewhere done removes it, and a later Write
// into dir removes what a killed process left. done closes the file.
func Scratch(dir, name string) (f *os.File, done func(), err error) {
	if f, err = os.CreateTemp(dir, prefix+name+".*"+suffix); err != nil {
		return nil, nil, err
	}
	gone := os.Remove(f.Name()) == nil
	return f, func() {
		f.Close()
		if !gone {
			os.Remove(f.Name())
		}
	}, nil
}
