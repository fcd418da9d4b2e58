package winconsole

import (
	"os"
	"syscall"
)

var attachConsole = syscall.NewLazyDLL("kernel32.dll").NewProc("AttachConsole")

// attachParent is ATTACH_PARENT_PROCESS: the console of the shell that
// started the program.
const attachParent = ^uint32(0)

// Attach points standard input, output and error that Windows left unset
// at the console of the parent shell, if it has one. Handles that are set
// (output redirected to a file or a pipe) are kept.
func Attach() {
	if valid(syscall.STD_OUTPUT_HANDLE) && valid(syscall.STD_ERROR_HANDLE) {
		return
	}
	if ok, _, _ := attachConsole.Call(uintptr(attachParent)); ok == 0 {
		return // started from Explorer: no console to attach to
	}
	reopen(&os.Stdout, syscall.STD_OUTPUT_HANDLE, "CONOUT$", os.O_WRONLY)
	reopen(&os.Stderr, syscall.STD_ERROR_HANDLE, "CONOUT$", os.O_WRONLY)
	reopen(&os.Stdin, syscall.STD_INPUT_HANDLE, "CONIN$", os.O_RDONLY)
}

func valid(std int) bool {
	h, err := syscall.GetStdHandle(std)
	return err == nil && h != 0 && h != syscall.InvalidHandle
}

// reopen opens the console device for *f when its handle is unset.
func reopen(f **os.File, std int, device string, flag int) {
	if valid(std) {
		return
	}
	if c, err := os.OpenFile(device, flag, 0); err == nil {
		*f = c
	}
}
