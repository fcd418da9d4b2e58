package main

import (
	"fmt"
	"os"

	"tawsim/app"
)

func runGUI() {
	if err := app.Run(""); err != nil {
		fmt.Fprintln(os.Stderr, "tawsim:", err)
		os.Exit(1)
	}
}
