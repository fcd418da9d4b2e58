// Package atomicfile writes a file so that readers see the old content or
// the whole new one, never a part: the data goes to a temporary file beside
// the destination, renamed over it only when everything was written.
package atomicfile

import (
	"bufio"
	"io"
	"os"
	"path/filepath"
)

// Write writes path with fn, through a buffer. If fn or any write fails,
// the temporary file is removed and path stays as it was. The file is
// readable by all (0644), as os.Create would make it under the usual umask;
// os.CreateTemp alone would leave it 0600.
func Write(path string, fn func(w io.Writer) error) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*.tmp")
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
