// Package winconsole gives the commands of the Windows build a console to
// write to. That build is a GUI program (double-clicked, it opens no
// console window beside the app), and Windows starts a GUI program run from
// cmd.exe or PowerShell without standard handles: `tawsim version` would
// print nothing. Elsewhere Attach does nothing.
package winconsole
