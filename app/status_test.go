package app

import (
	"testing"
)

// selectionNote only reads: with the caret in a suggestion it returns the
// suggestion's keys and leaves the status line to its callers.
func TestSelectionNoteWritesNothing(t *testing.T) {
	u, _, _ := newTestUI(t)
	sg := seedSuggestions(t, u, "STATE", "تركيا")[0]
	u.view.Select(sg.Start+1, sg.Start+1)
	u.say("something else")
	if msg := u.selectionNote(); msg != u.suggestionNote() || msg == "" {
		t.Fatalf("note %q, want the suggestion's %q", msg, u.suggestionNote())
	}
	if got := u.message.Text(); got != "something else" {
		t.Fatalf("selectionNote wrote the status line: %q", got)
	}
}
