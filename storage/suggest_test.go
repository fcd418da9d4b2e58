package storage

import (
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"

	"tawsim/annotate"
)

func TestSuggestionsAddAcceptReject(t *testing.T) {
	s, path := tempStore(t)
	if _, err := s.Import([]annotate.Record{{Doc: annotate.Document{ID: "d1", Text: sampleText}}}, ImportOptions{}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.AddSpan("d1", "amina", annotate.Span{Start: 0, End: 4, Label: "CLAIM"}); err != nil {
		t.Fatal(err)
	}
	before, _ := s.LayerRevision("d1", "amina")
	sugs := []annotate.Suggestion{
		{Doc: "d1", Start: 42, End: 48, Label: "STATE", Origin: annotate.OriginGazetteer},
		{Doc: "d1", Start: 11, End: 18, Label: "ORGANIZATION", Origin: annotate.OriginModel},
		{Doc: "d1", Start: 0, End: 4, Label: "PERSON", Origin: annotate.OriginModel}, // a span is there
	}
	added, skipped, err := s.AddSuggestions("amina", sugs)
	if err != nil || added != 2 || skipped != 1 {
		t.Fatalf("add: %d added, %d skipped, %v", added, skipped, err)
	}
	// Again: already suggested.
	if added, skipped, err = s.AddSuggestions("amina", sugs); err != nil || added != 0 || skipped != 3 {
		t.Fatalf("add again: %d added, %d skipped, %v", added, skipped, err)
	}
	// Suggestions are not annotation: the layer and its clock stay.
	if after, _ := s.LayerRevision("d1", "amina"); after != before {
		t.Fatalf("revision moved: %+v -> %+v", before, after)
	}
	if spans, _ := s.Spans("d1", "amina"); len(spans) != 1 {
		t.Fatalf("spans = %+v", spans)
	}
	list, err := s.Suggestions("d1", "amina")
	if err != nil || len(list) != 2 || list[0].Text != "Türkiye" || list[1].Text != "الأردن" || list[1].Origin != annotate.OriginGazetteer {
		t.Fatalf("list = %+v %v", list, err)
	}
	if other, _ := s.Suggestions("", "other"); len(other) != 0 {
		t.Fatalf("another layer sees %+v", other)
	}

	sp, err := s.AcceptSuggestion(list[1].ID)
	if err != nil || sp.Text != "الأردن" || sp.Origin != annotate.OriginGazetteer || sp.ID == 0 {
		t.Fatalf("accept: %+v %v", sp, err)
	}
	if after, _ := s.LayerRevision("d1", "amina"); after.Revision <= before.Revision {
		t.Fatalf("accept did not advance the revision: %+v -> %+v", before, after)
	}
	if err := s.RejectSuggestion(list[0].ID); err != nil {
		t.Fatal(err)
	}
	if err := s.RejectSuggestion(list[0].ID); !errors.Is(err, ErrNoSuggestion) {
		t.Fatalf("rejecting twice: %v", err)
	}
	if list, _ = s.Suggestions("", "amina"); len(list) != 0 {
		t.Fatalf("left = %+v", list)
	}
	s.Close()

	// After a restart the rejection is remembered and the span keeps its
	// origin, in both read paths.
	s, err = Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if added, skipped, err = s.AddSuggestions("amina", sugs); err != nil || added != 0 || skipped != 3 {
		t.Fatalf("after reject: %d added, %d skipped, %v", added, skipped, err)
	}
	l, _ := s.Layer("d1", "amina")
	var origins []annotate.Origin
	for _, sp := range l.Spans {
		origins = append(origins, sp.Origin)
	}
	var streamed []annotate.Origin
	s.EachRecord("amina", false, func(rec *annotate.Record) error {
		for _, sp := range rec.Layers[0].Spans {
			streamed = append(streamed, sp.Origin)
		}
		return nil
	})
	if len(origins) != 2 || origins[0] != "" || origins[1] != annotate.OriginGazetteer || len(streamed) != 2 || streamed[1] != annotate.OriginGazetteer {
		t.Fatalf("origins = %q, streamed %q", origins, streamed)
	}
}

func TestSuggestionsRefuseBadInput(t *testing.T) {
	s, _ := tempStore(t)
	s.Import([]annotate.Record{{Doc: annotate.Document{ID: "d1", Text: sampleText}}}, ImportOptions{})
	for _, sg := range []annotate.Suggestion{
		{Doc: "nope", Start: 0, End: 4, Label: "PERSON", Origin: annotate.OriginModel},
		{Doc: "d1", Start: 0, End: 4, Label: "NOPE", Origin: annotate.OriginModel},
		{Doc: "d1", Start: 0, End: 400, Label: "PERSON", Origin: annotate.OriginModel},
		{Doc: "d1", Start: 0, End: 4, Label: "PERSON", Origin: "guess"},
	} {
		ok := annotate.Suggestion{Doc: "d1", Start: 42, End: 48, Label: "STATE", Origin: annotate.OriginModel}
		if _, _, err := s.AddSuggestions("amina", []annotate.Suggestion{ok, sg}); err == nil {
			t.Errorf("%+v accepted", sg)
		}
	}
	if list, _ := s.Suggestions("", "amina"); len(list) != 0 {
		t.Fatalf("a refused batch stored %+v", list)
	}
	if _, _, err := s.AddSuggestions(GoldLayer, nil); err == nil {
		t.Fatal("suggestions for the gold layer accepted")
	}
}

// The app's undo of an acceptance and of a rejection, the count and the
// per-project switch.
func TestSuggestionsUndoCountAndSwitch(t *testing.T) {
	s, path := tempStore(t)
	if _, err := s.Import([]annotate.Record{{Doc: annotate.Document{ID: "d1", Text: sampleText}}}, ImportOptions{}); err != nil {
		t.Fatal(err)
	}
	sugs := []annotate.Suggestion{
		{Doc: "d1", Start: 11, End: 18, Label: "ORGANIZATION", Origin: annotate.OriginModel},
		{Doc: "d1", Start: 42, End: 48, Label: "STATE", Origin: annotate.OriginPropagated},
	}
	if _, _, err := s.AddSuggestions("amina", sugs); err != nil {
		t.Fatal(err)
	}
	if n, err := s.CountSuggestions("amina"); err != nil || n != 2 {
		t.Fatalf("count = %d, %v", n, err)
	}
	list, _ := s.Suggestions("d1", "amina")
	// Accepted with another label: the span has it and keeps the origin.
	spans, err := s.AcceptSuggestions([]int64{list[1].ID}, "PERSON")
	if err != nil || len(spans) != 1 || spans[0].Label != "PERSON" || spans[0].Origin != annotate.OriginPropagated || spans[0].Text != "الأردن" {
		t.Fatalf("accept as PERSON: %+v %v", spans, err)
	}
	if n, _ := s.CountSuggestions("amina"); n != 1 {
		t.Fatalf("count after accept = %d", n)
	}
	ids, err := s.RestoreSuggestions([]int64{spans[0].ID}, []annotate.Suggestion{list[1]})
	if err != nil || len(ids) != 1 {
		t.Fatalf("restore: %v %v", ids, err)
	}
	if l, _ := s.Spans("d1", "amina"); len(l) != 0 {
		t.Fatalf("restore left spans %+v", l)
	}
	again, _ := s.Suggestions("d1", "amina")
	if len(again) != 2 || again[1].ID != ids[0] || again[1].Label != "STATE" || again[1].Origin != annotate.OriginPropagated {
		t.Fatalf("restored: %+v", again)
	}
	if _, err := s.RestoreSuggestions([]int64{spans[0].ID}, []annotate.Suggestion{list[1]}); !errors.Is(err, ErrNoSpan) {
		t.Fatalf("restoring from a gone span: %v", err)
	}
	// A rejection undone: listed again, and rejecting works again.
	if err := s.RejectSuggestion(again[0].ID); err != nil {
		t.Fatal(err)
	}
	if err := s.UnrejectSuggestion(again[0].ID); err != nil {
		t.Fatal(err)
	}
	if err := s.UnrejectSuggestion(again[0].ID); !errors.Is(err, ErrNoSuggestion) {
		t.Fatalf("unrejecting a pending one: %v", err)
	}
	if n, _ := s.CountSuggestions("amina"); n != 2 {
		t.Fatalf("count after unreject = %d", n)
	}
	// The switch: on by default, kept in the project.
	if on, err := s.SuggestionsOn(); err != nil || !on {
		t.Fatalf("default: on %v, %v", on, err)
	}
	if err := s.SetSuggestionsOn(false); err != nil {
		t.Fatal(err)
	}
	s.Close()
	s, err = Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if on, _ := s.SuggestionsOn(); on {
		t.Fatal("turned off, reopened: on")
	}
	if err := s.SetSuggestionsOn(true); err != nil {
		t.Fatal(err)
	}
	if on, _ := s.SuggestionsOn(); !on {
		t.Fatal("turned on again: off")
	}
}

// Replacing a document's text drops the suggestions (pending or rejected)
// the new text no longer has at their offsets, and keeps the others; a
// suggestion that does not match its text any more is not accepted.
func TestSuggestionsFollowReplacedText(t *testing.T) {
	s, _ := tempStore(t)
	if _, err := s.Import([]annotate.Record{{Doc: annotate.Document{ID: "d1", Text: sampleText}}}, ImportOptions{}); err != nil {
		t.Fatal(err)
	}
	kept := annotate.Suggestion{Doc: "d1", Start: 11, End: 18, Label: "ORGANIZATION", Origin: annotate.OriginModel}
	stale := annotate.Suggestion{Doc: "d1", Start: 42, End: 48, Label: "STATE", Origin: annotate.OriginPropagated}
	keptRejected := annotate.Suggestion{Doc: "d1", Start: 0, End: 4, Label: "PERSON", Origin: annotate.OriginModel}
	staleRejected := annotate.Suggestion{Doc: "d1", Start: 42, End: 48, Label: "PERSON", Origin: annotate.OriginModel}
	if _, _, err := s.AddSuggestions("amina", []annotate.Suggestion{kept, stale, keptRejected, staleRejected}); err != nil {
		t.Fatal(err)
	}
	before, _ := s.Suggestions("d1", "amina")
	var keptID, staleRejectedID int64
	for _, sg := range before {
		if sg.Text == "Türkiye" {
			keptID = sg.ID
		}
		if sg.Label == "PERSON" && sg.Start == 42 {
			staleRejectedID = sg.ID
		}
		if sg.Label == "PERSON" {
			if err := s.RejectSuggestion(sg.ID); err != nil {
				t.Fatal(err)
			}
		}
	}
	// الأردن moves from 42 to 49; the prefix up to Türkiye stays.
	text := []rune(sampleText)[:37]
	replaced := string(text) + "قال وزير من الأردن إن الزيارة تمت."
	if _, err := s.Import([]annotate.Record{{Doc: annotate.Document{ID: "d1", Text: replaced}}}, ImportOptions{Replace: true}); err != nil {
		t.Fatal(err)
	}
	list, err := s.Suggestions("d1", "amina")
	if err != nil || len(list) != 1 || list[0].Text != "Türkiye" || list[0].ID != keptID {
		t.Fatalf("after the replace: %+v %v (before %+v)", list, err, before)
	}
	if n, _ := s.CountSuggestions("amina"); n != 1 {
		t.Fatalf("count after the replace = %d", n)
	}
	// Undoing the rejection of a dropped one: the app drops that step.
	if err := s.UnrejectSuggestion(staleRejectedID); !errors.Is(err, ErrNoSuggestion) {
		t.Fatalf("unrejecting a dropped suggestion: %v", err)
	}
	// The rejection of بحسب still holds; that of the old 42–48 went with
	// the old text, so the new words there can be suggested.
	keptRejected.Text, staleRejected.Text = "", ""
	if added, skipped, err := s.AddSuggestions("amina", []annotate.Suggestion{keptRejected, staleRejected}); err != nil || added != 1 || skipped != 1 {
		t.Fatalf("re-suggest after the replace: %d added, %d skipped, %v", added, skipped, err)
	}

	// A suggestion whose text was changed under it (the replace above
	// drops such ones: this is the last guard) is refused, naming it.
	if err := s.db.Model(&document{}).Where("ext_id = ?", "d1").Update("text", "بحسب صحيفة من الأردن").Error; err != nil {
		t.Fatal(err)
	}
	_, err = s.AcceptSuggestions([]int64{list[0].ID}, "")
	if !errors.Is(err, ErrStaleSuggestion) || !strings.Contains(err.Error(), "Türkiye") || !strings.Contains(err.Error(), "«من الأر»") {
		t.Fatalf("accepting a stale suggestion: %v", err)
	}
	if spans, _ := s.Spans("d1", "amina"); len(spans) != 0 {
		t.Fatalf("a stale suggestion became %+v", spans)
	}
}

// Undoing an acceptance after the same suggestion was made again
// (accept, delete the span, propagation suggests it there again, undo
// the delete, undo the acceptance) makes that suggestion pending, even
// if it was rejected meanwhile.
func TestSuggestionsRestoreOverResuggested(t *testing.T) {
	s, _ := tempStore(t)
	if _, err := s.Import([]annotate.Record{{Doc: annotate.Document{ID: "d1", Text: sampleText}}}, ImportOptions{}); err != nil {
		t.Fatal(err)
	}
	sg := annotate.Suggestion{Doc: "d1", Start: 42, End: 48, Label: "STATE", Origin: annotate.OriginPropagated}
	for _, rejectAgain := range []bool{false, true} {
		if _, _, err := s.AddSuggestions("amina", []annotate.Suggestion{sg}); err != nil {
			t.Fatal(err)
		}
		list, _ := s.Suggestions("d1", "amina")
		spans, err := s.AcceptSuggestions([]int64{list[0].ID}, "")
		if err != nil {
			t.Fatal(err)
		}
		if err := s.DeleteSpan(spans[0].ID); err != nil {
			t.Fatal(err)
		}
		if added, _, err := s.AddSuggestions("amina", []annotate.Suggestion{sg}); err != nil || added != 1 {
			t.Fatalf("re-suggest: %d %v", added, err)
		}
		again, _ := s.Suggestions("d1", "amina")
		if rejectAgain {
			if err := s.RejectSuggestion(again[0].ID); err != nil {
				t.Fatal(err)
			}
		}
		back, err := s.AddSpan("d1", "amina", spans[0])
		if err != nil {
			t.Fatal(err)
		}
		ids, err := s.RestoreSuggestions([]int64{back.ID}, list[:1])
		if err != nil || len(ids) != 1 || ids[0] != again[0].ID {
			t.Fatalf("rejected meanwhile %v: restore = %v, %v (the suggestion there: %d)", rejectAgain, ids, err, again[0].ID)
		}
		if now, _ := s.Suggestions("d1", "amina"); len(now) != 1 || now[0].ID != ids[0] || now[0].Origin != annotate.OriginPropagated {
			t.Fatalf("rejected meanwhile %v: pending %+v", rejectAgain, now)
		}
		if l, _ := s.Spans("d1", "amina"); len(l) != 0 {
			t.Fatalf("rejected meanwhile %v: spans %+v", rejectAgain, l)
		}
		// Accept it again for the next round, and clear the layer.
		spans, _ = s.AcceptSuggestions(ids, "")
		s.DeleteSpan(spans[0].ID)
	}
}

// A label merge moves the label's suggestions to the kept label (one
// that would then be there twice goes, the kept label's stays); a
// deleted label's suggestions go with it. The count stays the list's.
func TestSuggestionsFollowLabelMergeAndDelete(t *testing.T) {
	s, _ := tempStore(t)
	if _, err := s.Import([]annotate.Record{{Doc: annotate.Document{ID: "d1", Text: sampleText}}}, ImportOptions{}); err != nil {
		t.Fatal(err)
	}
	for _, l := range []string{"EVENT", "TEMP"} {
		if err := s.AddLabel(annotate.Label{Name: l}); err != nil {
			t.Fatal(err)
		}
	}
	sg := func(start, end int, label string) annotate.Suggestion {
		return annotate.Suggestion{Doc: "d1", Start: start, End: end, Label: label, Origin: annotate.OriginModel}
	}
	if _, _, err := s.AddSuggestions("amina", []annotate.Suggestion{
		sg(42, 48, "EVENT"), sg(42, 48, "STATE"), sg(11, 18, "EVENT"), sg(0, 4, "EVENT"), sg(28, 36, "TEMP"),
	}); err != nil {
		t.Fatal(err)
	}
	list, _ := s.Suggestions("d1", "amina")
	for _, x := range list {
		if x.Start == 0 {
			if err := s.RejectSuggestion(x.ID); err != nil {
				t.Fatal(err)
			}
		}
	}
	pending := func() []string {
		t.Helper()
		list, err := s.Suggestions("", "amina")
		n, cerr := s.CountSuggestions("amina")
		if cerr != nil || n != len(list) {
			t.Fatalf("count %d (%v) for %+v", n, cerr, list)
		}
		return collect(t, list, err, func(x annotate.Suggestion) string { return fmt.Sprintf("%d-%d %s", x.Start, x.End, x.Label) })
	}
	if _, err := s.MergeLabel("EVENT", "STATE"); err != nil {
		t.Fatal(err)
	}
	if got := pending(); !reflect.DeepEqual(got, []string{"11-18 STATE", "28-36 TEMP", "42-48 STATE"}) {
		t.Fatalf("after the merge: %q", got)
	}
	// The rejection moved with its suggestion.
	if added, skipped, err := s.AddSuggestions("amina", []annotate.Suggestion{sg(0, 4, "STATE")}); err != nil || added != 0 || skipped != 1 {
		t.Fatalf("re-suggest the rejected one: %d added, %d skipped, %v", added, skipped, err)
	}
	if err := s.DeleteLabel("TEMP"); err != nil {
		t.Fatal(err)
	}
	if got := pending(); !reflect.DeepEqual(got, []string{"11-18 STATE", "42-48 STATE"}) {
		t.Fatalf("after the delete: %q", got)
	}
	var left int64
	if err := s.db.Model(&suggestion{}).Count(&left).Error; err != nil || left != 3 {
		t.Fatalf("%d suggestion rows left (two pending, one rejected), %v", left, err)
	}
}
