//go:build !(linux || darwin || freebsd || netbsd || openbsd || dragonfly || windows)

package filelock

import (
	"errors"
	"os"
)

// lock fails where there is no file lock to take: the caller goes on
// without it, and says so.
func lock(*os.File) error { return errors.ErrUnsupported }

func unlockFile(*os.File) {}
