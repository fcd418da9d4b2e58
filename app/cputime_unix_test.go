//go:build unix

package app

import (
	"syscall"
	"testing"
	"time"
)

// cpuTime is the process's user and system CPU time, every thread's (the
// garbage collector's too): steadier than wall time on a loaded machine.
func cpuTime(tb testing.TB) time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		tb.Fatal(err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
