package storage

import (
	"fmt"
	"strings"
	"sync"
	"testing"

	"tawsim/annotate"
)

func TestClockCompare(t *testing.T) {
	for _, c := range []struct {
		a, b clock
		want clockOrder
	}{
		{clock{}, clock{}, clockEqual},
		{clock{"x": 1}, clock{"x": 1}, clockEqual},
		{clock{"x": 0}, clock{}, clockEqual},
		{clock{"x": 1}, clock{"x": 2}, clockBefore},
		{clock{}, clock{"y": 1}, clockBefore},
		{clock{"x": 2}, clock{"x": 1}, clockAfter},
		{clock{"x": 1, "y": 1}, clock{"x": 1}, clockAfter},
		{clock{"x": 2}, clock{"x": 1, "y": 1}, clockConcurrent},
	} {
		if got := c.a.compare(c.b); got != c.want {
			t.Errorf("%v vs %v: %d, want %d", c.a, c.b, got, c.want)
		}
	}
	m := clock{"x": 2}.merged(clock{"x": 1, "y": 3})
	if m.encode() != `{"x":2,"y":3}` || m.revision() != 5 {
		t.Fatalf("merged %s", m.encode())
	}
	if c, err := decodeClock(m.encode()); err != nil || c.compare(m) != clockEqual {
		t.Fatalf("round trip %v %v", c, err)
	}
	if _, err := decodeClock(`{"x":-1}`); err == nil {
		t.Fatal("a negative count was accepted")
	}
}

// Every change of a layer — spans, relations, status, through the editor,
// an import or adjudication — advances its revision once; time spent and an
// import that brings nothing new do not.
func TestEveryChangeAdvancesRevision(t *testing.T) {
	s, _ := tempStore(t)
	rev := func(doc, who string) int64 {
		t.Helper()
		r, err := s.LayerRevision(doc, who)
		if err != nil {
			t.Fatal(err)
		}
		if r.Revision > 0 && r.Modified.IsZero() {
			t.Fatalf("revision %d without a time", r.Revision)
		}
		return r.Revision
	}
	step := func(what string, want int64, err error) {
		t.Helper()
		if err != nil {
			t.Fatalf("%s: %v", what, err)
		}
		if got := rev("d1", "amina"); got != want {
			t.Fatalf("after %s: revision %d, want %d", what, got, want)
		}
	}
	doc := annotate.Record{Doc: annotate.Document{ID: "d1", Text: sampleText}}
	_, err := s.Import([]annotate.Record{doc}, ImportOptions{})
	step("importing the text", 0, err)
	claim, err := s.AddSpan("d1", "amina", relClaim)
	step("AddSpan", 1, err)
	org, err := s.AddSpan("d1", "amina", relOrg)
	step("AddSpan", 2, err)
	step("AddRelation", 3, s.AddRelation(claim.ID, org.ID, "SOURCE"))
	step("DeleteRelation", 4, s.DeleteRelation(claim.ID, org.ID, "SOURCE"))
	moved := relOrg
	moved.Start++
	moved.Text = ""
	_, err = s.UpdateSpan(org.ID, moved)
	step("UpdateSpan", 5, err)
	step("SetStatus", 6, s.SetStatus("d1", "amina", annotate.StatusDone))
	step("AddTime", 6, s.AddTime("d1", "amina", 3e9))
	step("DeleteSpan", 7, s.DeleteSpan(org.ID))

	again := relRecord("amina")
	again.Layers[0].Spans = again.Layers[0].Spans[:1] // the claim, present
	_, err = s.Import([]annotate.Record{again}, ImportOptions{})
	step("importing what is there", 7, err)
	_, err = s.Import([]annotate.Record{relRecord("amina")}, ImportOptions{})
	step("importing new spans", 8, err)
	if got := rev("d1", "bilal"); got != 0 {
		t.Fatalf("another annotator's layer at revision %d", got)
	}

	if _, err := s.GoldAccept("d1", relClaim, annotate.DecisionChosen, "lead", []string{"amina"}); err != nil {
		t.Fatal(err)
	}
	if got := rev("d1", GoldLayer); got != 1 {
		t.Fatalf("gold layer at revision %d after one decision", got)
	}
	if err := s.FinishGold([]string{"d1"}, "lead", true, PrefillSettings{}); err != nil {
		t.Fatal(err)
	}
	if err := s.FinishGold([]string{"d1"}, "lead", true, PrefillSettings{}); err != nil {
		t.Fatal(err)
	}
	if got := rev("d1", GoldLayer); got != 2 {
		t.Fatalf("gold layer at revision %d after finishing (twice)", got)
	}
	docs, _ := s.Documents()
	if _, ok := docs[0].Status[GoldLayer]; ok {
		t.Fatalf("the gold layer's revision row shows as an annotator's status: %+v", docs[0].Status)
	}
}

func TestDefinitionRevision(t *testing.T) {
	s, _ := tempStore(t)
	r, err := s.DefinitionRevision()
	if err != nil || r.Revision != 0 {
		t.Fatalf("a new project's definition at %+v, %v", r, err)
	}
	if err := s.SaveLabel(annotate.Label{Name: "EVENT", Color: "#123456"}); err != nil {
		t.Fatal(err)
	}
	if r, _ = s.DefinitionRevision(); r.Revision != 1 || r.Modified.IsZero() {
		t.Fatalf("after a new label %+v", r)
	}
	labels, _ := s.Labels()
	uids := map[string]bool{}
	for _, l := range labels {
		if l.UID == "" || uids[l.UID] {
			t.Fatalf("label %s has no uid of its own: %+v", l.Name, labels)
		}
		uids[l.UID] = true
	}
}

// Migrating to schema 6 gives the project a replica id and every layer
// with anything in it revision 1.
func TestMigrationToV6(t *testing.T) {
	s := openOld(t, v2Schema+v3Schema+v4Schema)
	var replica string
	if err := s.db.Raw("SELECT value FROM tawsim_meta WHERE key = ?", metaReplica).Scan(&replica).Error; err != nil || len(replica) != 16 {
		t.Fatalf("replica id %q, %v", replica, err)
	}
	r, err := s.LayerRevision("d-hand", "amina")
	if err != nil || r.Revision != 1 || r.Modified.IsZero() {
		t.Fatalf("amina's layer after migration: %+v, %v", r, err)
	}
	labels, _ := s.Labels()
	for _, l := range labels {
		if l.UID == "" {
			t.Fatalf("label %s has no uid after migration", l.Name)
		}
	}
}

// Writers at once (two processes' stores, several goroutines each: on
// PostgreSQL they really run at once) lose no advance of a layer's or the
// definition's clock: the revision counts every change.
func TestConcurrentChangesEachAdvanceTheClock(t *testing.T) {
	a, b := twoStores(t, strings.Repeat("نص ", 30))
	def0, _ := a.DefinitionRevision()
	const each = 8
	var wg sync.WaitGroup
	errs := make(chan error, 4*each)
	for g, s := range []*Store{a, b, a, b} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range each {
				at := g*each + i
				if _, err := s.AddSpan("d1", "amal", annotate.Span{Start: at, End: at + 1, Label: "PERSON"}); err != nil {
					errs <- err
				}
				if err := s.SaveLabel(annotate.Label{Name: fmt.Sprintf("L%d", at)}); err != nil {
					errs <- err
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	if r, _ := a.LayerRevision("d1", "amal"); r.Revision != 4*each {
		t.Fatalf("layer revision %d after %d changes", r.Revision, 4*each)
	}
	if r, _ := a.DefinitionRevision(); r.Revision != def0.Revision+4*each {
		t.Fatalf("definition revision %d after %d changes from %d", r.Revision, 4*each, def0.Revision)
	}
}
