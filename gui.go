package main

import (
	"fmt"
	"os"
)

func runGUI() {
	fmt.Fprintln(os.Stderr, "the GUI is not built yet")
	os.Exit(1)
}
