//go:build !windows

package winconsole

// Attach does nothing outside Windows: the standard handles are there.
func Attach() {}
