package project

import (
	"fmt"
	"slices"
)

// ImportableExts are the file extensions Import reads (a folder walk
// picks these up; a brat folder's .ann files too), sorted, with the dot.
func ImportableExts() []string {
	exts := []string{".ann"}
	for e := range importable {
		exts = append(exts, e)
	}
	slices.Sort(exts)
	return exts
}

// FirstN is s when it has at most n items, else its first n and a last
// item saying how many more there are: a list of ids fit for one line.
func FirstN(s []string, n int) []string {
	if len(s) <= n {
		return s
	}
	return append(append([]string(nil), s[:n]...), fmt.Sprintf("… (%d more)", len(s)-n))
}
