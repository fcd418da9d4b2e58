package main

import (
	"bufio"
	"database/sql"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"tawsim/internal/pgtest"
)

var loopTexts = map[string]string{
	"d1": "زار وزير الخارجية الأردني أيمن الصفدي أنقرة أمس",
	"d2": "قالت الحكومة التركية إن الاتفاق مع الأردن تم",
	"d3": "أعلنت الأمم المتحدة عن مؤتمر في عمان",
}

// layerLine is a native JSONL line of doc with spans on words (word/LABEL).
func layerLine(doc, who string, words ...string) string {
	text := loopTexts[doc]
	var spans []string
	for _, w := range words {
		word, label, _ := strings.Cut(w, "/")
		i := strings.Index(text, word)
		start := len([]rune(text[:i]))
		spans = append(spans, fmt.Sprintf(`{"start":%d,"end":%d,"label":"%s"}`, start, start+len([]rune(word)), label))
	}
	return fmt.Sprintf(`{"id":"%s","text":"%s","annotator":"%s","spans":[%s]}`, doc, text, who, strings.Join(spans, ","))
}

// exportLayer is the native JSONL export of one annotator's layer.
func exportLayer(t *testing.T, config, db, who string) string {
	t.Helper()
	return mustRun(t, config, "export", "--db", db, "--format", "jsonl", "--annotator", who, "--out", "-").stdout
}

// The whole loop: a lead hands out to two laptops, each annotates (with
// --replace-layers to delete and move spans), the lead merges both and has
// exactly their layers; merging again, or an older copy, changes nothing;
// a layer changed on both sides keeps the newer and keeps the other as a
// version, and the report names the conflict.
func TestHandOutMergeLoop(t *testing.T) {
	config, dir, lead := newProject(t)
	var docs []string
	for _, id := range []string{"d1", "d2", "d3"} {
		docs = append(docs, fmt.Sprintf(`{"id":"%s","text":"%s"}`, id, loopTexts[id]))
	}
	mustRun(t, config, "import", "--db", lead, write(t, dir, "docs.jsonl", []byte(strings.Join(docs, "\n")+"\n")))
	mustRun(t, config, "import", "--db", lead, write(t, dir, "pre.jsonl", []byte(layerLine("d1", "amal", "أنقرة/STATE")+"\n")))
	amal, badr := filepath.Join(dir, "amal.db"), filepath.Join(dir, "badr.db")
	mustRun(t, config, "handout", "--db", lead, "--annotator", "amal", "--out", amal)
	mustRun(t, config, "handout", "--db", lead, "--annotator", "badr", "--docs", "d1,d2", "--out", badr)
	if r := run(t, config, "handout", "--db", lead, "--annotator", "badr", "--out", badr); r.code == 0 || !strings.Contains(r.stderr, "exists") {
		t.Fatalf("an existing --out was overwritten: %+v", r)
	}
	if r := run(t, config, "handout", "--db", lead, "--annotator", "badr", "--assigned", "--out", filepath.Join(dir, "x.db")); r.code != 2 || !strings.Contains(r.stderr, "no assignments") {
		t.Fatalf("--assigned without assignments: %+v", r)
	}
	if got := exportLayer(t, config, badr, "badr"); strings.Count(got, "\n") != 2 || strings.Contains(got, "أنقرة") && strings.Contains(got, `"spans":[{`) {
		t.Fatalf("badr's hand-out: %s", got)
	}
	if r := run(t, config, "export", "--db", badr, "--format", "jsonl", "--annotator", "amal", "--out", "-"); r.code == 0 {
		t.Fatal("badr's hand-out has amal's layer")
	}

	// amal: adds, then a pipeline sets d1 exactly (deletes أنقرة, moves
	// the person's boundary).
	mustRun(t, config, "import", "--db", amal, write(t, dir, "a1.jsonl", []byte(layerLine("d1", "amal", "أيمن الصفدي/PERSON")+"\n"+layerLine("d2", "amal", "الحكومة التركية/ORGANIZATION")+"\n")))
	older := filepath.Join(dir, "amal-old.db")
	copyProject(t, amal, older)
	r := mustRun(t, config, "import", "--db", amal, "--replace-layers", write(t, dir, "a2.jsonl", []byte(layerLine("d1", "amal", "الصفدي/PERSON", "الأردني/STATE")+"\n")))
	if !strings.Contains(r.stdout, "1 replaced") {
		t.Fatalf("--replace-layers: %s", r.stdout)
	}
	// badr annotates d1 and d2.
	mustRun(t, config, "import", "--db", badr, write(t, dir, "b1.jsonl", []byte(layerLine("d1", "badr", "أنقرة/STATE")+"\n"+layerLine("d2", "badr", "الأردن/STATE")+"\n")))

	r = mustRun(t, config, "merge", "--db", lead, amal, badr)
	if !strings.Contains(r.stdout, "0 conflicts") {
		t.Fatalf("merge: %s", r.stdout)
	}
	wantA, wantB := exportLayer(t, config, amal, "amal"), exportLayer(t, config, badr, "badr")
	if got := exportLayer(t, config, lead, "amal"); got != wantA {
		t.Fatalf("the lead's amal layer:\n%s\nthe laptop's:\n%s", got, wantA)
	}
	if !strings.Contains(wantA, `"revision"`) || strings.Contains(wantA, `"text":"أيمن الصفدي"`) {
		t.Fatalf("amal's export: %s", wantA)
	}
	// badr's hand-out had d1 and d2: the lead's export has d3 too (empty).
	gotB := exportLayer(t, config, lead, "badr")
	if !strings.HasPrefix(gotB, wantB) || strings.Count(gotB, "\n") != 3 {
		t.Fatalf("the lead's badr layer:\n%s\nthe laptop's:\n%s", gotB, wantB)
	}
	// Again, and an older copy: no change.
	for _, f := range []string{amal, older} {
		r = mustRun(t, config, "merge", "--db", lead, "--json", f)
		if !strings.Contains(r.stdout, `"layers_replaced":0`) {
			t.Fatalf("merging %s again: %s", f, r.stdout)
		}
	}
	if got := exportLayer(t, config, lead, "amal"); got != wantA {
		t.Fatalf("a second merge changed the lead:\n%s", got)
	}

	// The same layer edited on both sides: the lead first, the laptop later.
	mustRun(t, config, "import", "--db", lead, "--replace-layers", write(t, dir, "l.jsonl", []byte(layerLine("d2", "amal", "الأردن/STATE")+"\n")))
	time.Sleep(10 * time.Millisecond)
	mustRun(t, config, "import", "--db", amal, "--replace-layers", write(t, dir, "a3.jsonl", []byte(layerLine("d2", "amal", "الحكومة/ORGANIZATION")+"\n")))
	r = mustRun(t, config, "merge", "--db", lead, amal)
	if !strings.Contains(r.stdout, "1 conflict\n") || !strings.Contains(r.stdout, "conflict: document d2, annotator amal") || !strings.Contains(r.stdout, "kept the incoming") {
		t.Fatalf("conflict report: %s", r.stdout)
	}
	if got := exportLayer(t, config, lead, "amal"); !strings.Contains(got, "الحكومة") || strings.Contains(got, `"text":"الأردن"`) {
		t.Fatalf("the newer side was not kept: %s", got)
	}
	r = mustRun(t, config, "versions", "--db", lead, "--json")
	if !strings.Contains(r.stdout, `"doc":"d2","annotator":"amal"`) || !strings.Contains(r.stdout, `"spans":1`) {
		t.Fatalf("versions: %s", r.stdout)
	}
	var id int
	fmt.Sscanf(r.stdout, `[{"id":%d`, &id)
	r = mustRun(t, config, "versions", "--db", lead, "--restore", fmt.Sprint(id))
	if got := exportLayer(t, config, lead, "amal"); !strings.Contains(got, `"text":"الأردن"`) {
		t.Fatalf("restore: %s\n%s", r.stdout, got)
	}
	// A file that cannot be merged does not keep the others out.
	r = run(t, config, "merge", "--db", lead, filepath.Join(dir, "nope.db"), amal)
	if r.code != 1 || !strings.Contains(r.stderr, "refused "+filepath.Join(dir, "nope.db")) || !strings.Contains(r.stdout, "merged "+amal) {
		t.Fatalf("a missing file among two: %+v", r)
	}
	r = run(t, config, "merge", "--json", "--db", lead, filepath.Join(dir, "nope.db"))
	if r.code != 1 || !strings.Contains(r.stdout, `"error":`) {
		t.Fatalf("--json with a missing file: %+v", r)
	}
}

// copyProject copies a closed project file.
func copyProject(t *testing.T, from, to string) {
	t.Helper()
	b, err := os.ReadFile(from)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(to, b, 0o644); err != nil {
		t.Fatal(err)
	}
}

// A merge killed mid-way leaves the lead as it was. SQLite only (the
// lead is a file): it watches the WAL grow to kill the merge mid-write,
// and checks the file's integrity.
func TestMergeKilledLeavesLeadAsItWas(t *testing.T) {
	config, dir, lead := newFileProject(t)
	laptop := filepath.Join(dir, "laptop.db")
	big := bigImport(t, dir, 6000)
	mustRun(t, config, "import", "--db", laptop, big)
	mustRun(t, config, "import", "--db", lead, write(t, dir, "one.jsonl", []byte(layerLine("d1", "amal", "أنقرة/STATE")+"\n")))
	before := exportLayer(t, config, lead, "amal")
	killed := false
	for try := 0; try < 20 && !killed; try++ {
		cmd, done := start(t, config, "merge", "--db", lead, laptop)
		// The transaction has begun writing once the WAL grows past what
		// the lead's own writes left there.
		base := walSize(lead)
	poll:
		for {
			select {
			case <-done:
				t.Fatalf("the merge finished before it could be killed (try %d): make it bigger", try)
			default:
			}
			if walSize(lead) > base+256<<10 {
				cmd.Process.Kill()
				<-done
				killed = cmd.ProcessState.ExitCode() == -1 // by the signal, not a normal exit
				break poll
			}
			time.Sleep(2 * time.Millisecond)
		}
	}
	if !killed {
		t.Fatal("never killed mid-transaction")
	}
	if conn, err := sql.Open("sqlite", "file:"+lead); err != nil {
		t.Fatal(err)
	} else {
		var check string
		var docs int
		err := conn.QueryRow("SELECT (SELECT integrity_check FROM pragma_integrity_check), (SELECT count(*) FROM documents)").Scan(&check, &docs)
		conn.Close()
		if err != nil || check != "ok" || docs != 1 {
			t.Fatalf("after a killed merge: integrity_check %q, %d documents (%v)", check, docs, err)
		}
	}
	if got := exportLayer(t, config, lead, "amal"); got != before {
		t.Fatalf("the lead changed:\n%s\nwas:\n%s", got, before)
	}
	// And the merge, run to the end, brings everything.
	mustRun(t, config, "merge", "--db", lead, laptop)
	if got := mustRun(t, config, "docs", "--db", lead).stdout; strings.Count(got, "\n") != 6001 {
		t.Fatalf("after the merge: %d documents", strings.Count(got, "\n"))
	}
}

// start starts the built binary with a private config directory, to be
// killed: done gets its end.
func start(t *testing.T, config string, args ...string) (_ *exec.Cmd, done <-chan error) {
	t.Helper()
	cmd := exec.Command(binary, args...)
	cmd.Env = append(os.Environ(), "XDG_CONFIG_HOME="+config, "HOME="+config)
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	end := make(chan error, 1)
	go func() { end <- cmd.Wait() }()
	return cmd, end
}

func walSize(db string) int64 {
	fi, err := os.Stat(db + "-wal")
	if err != nil {
		return 0
	}
	return fi.Size()
}

// A pipeline's file is its whole output: with --replace-layers and
// --annotator, a document it found nothing in (an empty "spans", or none
// at all) empties that annotator's layer of it.
func TestReplaceLayersEmptiesWhatThePipelineFoundNothingIn(t *testing.T) {
	config, dir, db := newProject(t)
	line := func(doc, words string) string {
		l := layerLine(doc, "x", strings.Fields(words)...)
		return strings.Replace(l, `,"annotator":"x"`, "", 1)
	}
	first := line("d1", "الصفدي/PERSON") + "\n" + line("d2", "الأردن/STATE") + "\n" + line("d3", "عمان/STATE") + "\n"
	mustRun(t, config, "import", "--db", db, "--annotator", "ali", write(t, dir, "p1.jsonl", []byte(first)))
	noSpansKey := fmt.Sprintf(`{"id":"d2","text":"%s"}`, loopTexts["d2"])
	second := line("d1", "") + "\n" + noSpansKey + "\n" + line("d3", "عمان/STATE") + "\n"
	r := mustRun(t, config, "import", "--db", db, "--annotator", "ali", "--replace-layers", write(t, dir, "p2.jsonl", []byte(second)))
	if !strings.Contains(r.stdout, "2 replaced") {
		t.Errorf("import report: %s", r.stdout)
	}
	for _, d := range docsJSON(t, config, "--db", db) {
		want := map[string]int{"d1": 0, "d2": 0, "d3": 1}[d.ID]
		if d.Spans["ali"] != want {
			t.Errorf("%s: ali has %d spans after --replace-layers, want %d", d.ID, d.Spans["ali"], want)
		}
	}
}

// versions --restore of a version whose spans the document's text no
// longer has (replaced since) is refused, naming the version, the span and
// the text there now; the project stays exportable.
func TestRestoreRefusedAfterTextReplaced(t *testing.T) {
	config, dir, db := newProject(t)
	mustRun(t, config, "import", "--db", db, write(t, dir, "a.jsonl", []byte(layerLine("d1", "ali", "الصفدي/PERSON")+"\n")))
	line := strings.TrimSpace(exportLayer(t, config, db, "ali"))
	var l map[string]any
	if err := json.Unmarshal([]byte(line), &l); err != nil {
		t.Fatal(err)
	}
	// The same layer changed elsewhere, later: a conflict that keeps ours.
	l["spans"] = []map[string]any{{"start": 4, "end": 17, "label": "PERSON"}}
	l["clock"], l["modified"] = map[string]int{"elsewhere": 1}, time.Now().UTC().Add(time.Hour).Format(time.RFC3339)
	b, _ := json.Marshal(l)
	r := mustRun(t, config, "import", "--db", db, write(t, dir, "b.jsonl", append(b, '\n')))
	if !strings.Contains(r.stdout, "1 conflict\n") {
		t.Fatalf("no conflict: %s", r.stdout)
	}
	newText := strings.Replace(loopTexts["d1"], "الصفدي", "الخطيب", 1)
	mustRun(t, config, "import", "--db", db, "--replace", write(t, dir, "c.jsonl", []byte(fmt.Sprintf(`{"id":"d1","text":"%s"}`+"\n", newText))))
	r = run(t, config, "versions", "--db", db, "--restore", "1")
	if r.code != 1 || !strings.Contains(r.stderr, "version 1 (document d1) cannot be restored") || !strings.Contains(r.stderr, `PERSON is "الصفدي", the text there is "الخطيب" now`) {
		t.Fatalf("restore after the text changed: %+v", r)
	}
	mustRun(t, config, "export", "--db", db, "--annotator", "ali", "--out", filepath.Join(dir, "out.jsonl"))
}

// Between the backends (PostgreSQL run): a laptop's SQLite hand-out from a
// lead on the server, edited offline, takes the lead's new document
// (merge --db laptop.db DSN) and is merged back (merge --db DSN laptop.db):
// both export the same layer. The DSN's password never shows.
func TestMergeBetweenBackends(t *testing.T) {
	if !pgtest.Postgres() {
		t.Skip("a SQLite laptop and a PostgreSQL lead: in the PostgreSQL run")
	}
	config, dir, lead := newProject(t)
	lead += "&password=s3cret" // the throwaway server trusts its socket: the password is only carried
	mustRun(t, config, "import", "--db", lead, write(t, dir, "docs.jsonl", []byte(layerLine("d1", "amal", "أنقرة/STATE")+"\n"+layerLine("d2", "amal")+"\n")))
	laptop := filepath.Join(dir, "amal.db")
	out := mustRun(t, config, "handout", "--db", lead, "--annotator", "amal", "--out", laptop).stdout
	// Offline: أنقرة deleted, two spans added.
	out += mustRun(t, config, "import", "--db", laptop, "--replace-layers", write(t, dir, "a.jsonl", []byte(
		layerLine("d1", "amal", "أيمن الصفدي/PERSON")+"\n"+layerLine("d2", "amal", "الحكومة التركية/ORGANIZATION")+"\n"))).stdout
	mustRun(t, config, "import", "--db", lead, write(t, dir, "d3.jsonl", []byte(layerLine("d3", "badr", "عمان/STATE")+"\n")))
	r := mustRun(t, config, "merge", "--db", laptop, lead)
	if !strings.Contains(r.stdout, "1 documents added") {
		t.Fatalf("the laptop merging the lead: %s", r.stdout)
	}
	out += r.stdout
	r = mustRun(t, config, "merge", "--db", lead, laptop)
	if !strings.Contains(r.stdout, "2 replaced") {
		t.Fatalf("the lead merging the laptop: %s", r.stdout)
	}
	out += r.stdout
	want := exportLayer(t, config, laptop, "amal")
	if got := exportLayer(t, config, lead, "amal"); got != want || !strings.Contains(got, "أيمن الصفدي") || strings.Contains(got, `"text":"أنقرة"`) {
		t.Fatalf("the lead's layer:\n%s\nthe laptop's:\n%s", got, want)
	}
	if r := run(t, config, "export", "--db", laptop, "--annotator", "badr", "--out", "-"); r.code == 0 || !strings.Contains(r.stderr, "the annotators are: amal") {
		t.Fatalf("the laptop got badr's layer: %+v", r)
	}
	if r := mustRun(t, config, "merge", "--db", lead, laptop); !strings.Contains(r.stdout, "0 replaced") {
		t.Fatalf("merging again: %s", r.stdout)
	}
	if strings.Contains(out, "s3cret") {
		t.Fatalf("the password shows:\n%s", out)
	}
}

// bigImport writes a JSONL file of n documents, each with two spans of
// annotator a, big enough for an import to take a while.
func bigImport(t *testing.T, dir string, n int) string {
	t.Helper()
	f, err := os.Create(filepath.Join(dir, "big.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	w := bufio.NewWriter(f)
	text := strings.Repeat("قال وزير الخارجية إن الأردن وتركيا ستتعاونان. ", 40)
	for i := range n {
		fmt.Fprintf(w, `{"id":"big%05d","text":"%s","annotator":"a","spans":[{"start":0,"end":3,"label":"PERSON"},{"start":4,"end":8,"label":"PERSON"}]}`+"\n", i, text)
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	f.Close()
	return f.Name()
}

// A writer killed (SIGKILL) mid-transaction on the server loses nothing
// acknowledged and leaves nothing of its own (PostgreSQL run): an import
// is killed once its transaction has written rows; the server kept
// running (a connection opened before still answers), the documents and
// layers imported before are there as they were, none of the killed
// import's, and the project opens and imports again, the whole file too.
func TestKilledWriterOnTheServer(t *testing.T) {
	if !pgtest.Postgres() {
		t.Skip("a writer killed on the server: the PostgreSQL run (TestMergeKilledLeavesLeadAsItWas kills one on a file)")
	}
	config, dir, db := newProject(t)
	mustRun(t, config, "import", "--db", db, write(t, dir, "one.jsonl", []byte(layerLine("d1", "amal", "أنقرة/STATE")+"\n"+layerLine("d2", "amal", "الحكومة التركية/ORGANIZATION")+"\n")))
	before := exportLayer(t, config, db, "amal")
	big := bigImport(t, dir, 6000)
	watch, err := sql.Open("pgx", db)
	if err != nil {
		t.Fatal(err)
	}
	defer watch.Close()
	watch.SetMaxOpenConns(1) // one connection kept across the kill
	var self int
	if err := watch.QueryRow("SELECT pg_backend_pid()").Scan(&self); err != nil {
		t.Fatal(err)
	}

	cmd, done := start(t, config, "import", "--db", db, big)
	// Mid-transaction: the import's transaction has written (it has a
	// transaction id) and goes on writing for a while.
	var writer int
	for writer == 0 {
		select {
		case <-done:
			t.Fatal("the import finished before it could be killed: make it bigger")
		default:
		}
		err := watch.QueryRow(`SELECT coalesce(max(pid), 0) FROM pg_stat_activity
			WHERE datname = current_database() AND pid <> $1 AND backend_xid IS NOT NULL`, self).Scan(&writer)
		if err != nil {
			t.Fatal(err)
		}
		time.Sleep(5 * time.Millisecond)
	}
	time.Sleep(300 * time.Millisecond)
	cmd.Process.Kill()
	<-done
	if code := cmd.ProcessState.ExitCode(); code != -1 {
		t.Fatalf("the import exited (%d) instead of being killed mid-way: make it bigger", code)
	}
	// The server ends the killed client's transaction when its socket
	// closes; the connection opened before still answers.
	for gone := false; !gone; time.Sleep(10 * time.Millisecond) {
		if err := watch.QueryRow(`SELECT count(*) = 0 FROM pg_stat_activity WHERE pid = $1`, writer).Scan(&gone); err != nil {
			t.Fatalf("the server stopped answering after the kill: %v", err)
		}
	}
	if got := docsJSON(t, config, "--db", db); len(got) != 2 {
		t.Fatalf("after the killed import: %d documents, want the 2 imported before", len(got))
	}
	if got := exportLayer(t, config, db, "amal"); got != before {
		t.Fatalf("amal's layer changed:\n%s\nwas:\n%s", got, before)
	}
	mustRun(t, config, "import", "--db", db, write(t, dir, "three.jsonl", []byte(layerLine("d3", "badr", "عمان/STATE")+"\n")))
	mustRun(t, config, "import", "--db", db, big)
	if got := docsJSON(t, config, "--db", db); len(got) != 6003 {
		t.Fatalf("after importing again: %d documents, want 6003", len(got))
	}
	// amal's layer of d1 and d2 as it was (the export lists the new
	// documents too, with nothing of amal's).
	got := exportLayer(t, config, db, "amal")
	for _, id := range []string{"d1", "d2"} {
		if lineOf(t, got, id) != lineOf(t, before, id) {
			t.Fatalf("amal's layer of %s changed after importing again:\n%s\nwas:\n%s", id, lineOf(t, got, id), lineOf(t, before, id))
		}
	}
}

// lineOf is the line of a native JSONL export that is document id's.
func lineOf(t *testing.T, export, id string) string {
	t.Helper()
	for _, l := range strings.SplitAfter(export, "\n") {
		if strings.HasPrefix(l, `{"id":"`+id+`"`) {
			return l
		}
	}
	t.Fatalf("no document %s in the export", id)
	return ""
}
