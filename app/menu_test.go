package app

import (
	"strings"
	"testing"
)

// The menu is the one list of the tool windows, in this order.
func TestMainMenuListsTheToolWindows(t *testing.T) {
	u, _, _ := newTestUI(t)
	var got []string
	for _, m := range u.mainMenu().Items {
		for _, it := range m.Items {
			if strings.HasSuffix(it.Label, "…") {
				got = append(got, m.Label+" ▸ "+it.Label)
			}
		}
	}
	want := "File ▸ New project…|File ▸ Open project…|File ▸ Open server project…|File ▸ Import…|File ▸ Export…|File ▸ Merge…|File ▸ Hand out…|File ▸ Switch annotator…|Review ▸ Agreement…|Review ▸ Adjudicate…|Review ▸ Evaluate…|Review ▸ Progress…|Project ▸ Labels…|Project ▸ Layer versions…"
	if s := strings.Join(got, "|"); s != want {
		t.Errorf("menu entries that open a window:\n got %s\nwant %s", s, want)
	}
}
