package storage

import (
	"encoding/json"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"tawsim/annotate"
	"tawsim/internal/pgtest"
)

// dump is every row of every table of the project at path, as JSON, times
// in UTC to the microsecond (what PostgreSQL keeps), without the file the
// replica id is bound to.
func dump(t *testing.T, path string) map[string]string {
	t.Helper()
	s, err := OpenWith(path, Options{ReadOnly: true})
	ok(t, err)
	defer s.Close()
	out := map[string]string{}
	for _, m := range allModels {
		sch, err := tableSchema(s.db, m)
		ok(t, err)
		rows := reflect.New(reflect.SliceOf(reflect.TypeOf(m).Elem()))
		ok(t, s.db.Model(m).Order(strings.Join(sch.PrimaryFieldDBNames, ", ")).Find(rows.Interface()).Error)
		var lines []string
		for i := range rows.Elem().Len() {
			r := rows.Elem().Index(i)
			if mr, isMeta := r.Interface().(metaRow); isMeta && mr.Key == metaReplicaPath {
				continue
			}
			normalTimes(r)
			b, err := json.Marshal(r.Interface())
			ok(t, err)
			lines = append(lines, string(b))
		}
		out[sch.Table] = strings.Join(lines, "\n")
	}
	return out
}

func normalTimes(v reflect.Value) {
	switch {
	case v.Type() == reflect.TypeOf(time.Time{}):
		v.Set(reflect.ValueOf(v.Interface().(time.Time).UTC().Truncate(time.Microsecond)))
	case v.Kind() == reflect.Pointer && !v.IsNil():
		normalTimes(v.Elem())
	case v.Kind() == reflect.Struct:
		for i := range v.NumField() {
			normalTimes(v.Field(i))
		}
	}
}

func sameDump(t *testing.T, what string, got, want map[string]string) {
	t.Helper()
	for table, w := range want {
		if w == "" {
			t.Errorf("%s: table %s of the source is empty: richProject should fill it", what, table)
		}
		if got[table] != w {
			t.Errorf("%s: table %s:\n%s\nwant:\n%s", what, table, got[table], w)
		}
	}
}

// A copy moves every row exactly (ids, clocks, revisions, times, the
// replica id); in the PostgreSQL run onto the server and back to a file.
// The destination keeps the replica id when reopened, and new rows there
// get new ids.
func TestCopyIsExact(t *testing.T) {
	dir := t.TempDir()
	src := filepath.Join(dir, "src.db")
	richProject(t, src)
	want := dump(t, src)
	mid := pgtest.Project(t, dir, "mid.db")
	if _, err := Copy(src, mid, CopyOptions{}); err != nil {
		t.Fatal(err)
	}
	sameDump(t, "the copy", dump(t, mid), want)
	back := filepath.Join(dir, "back.db")
	rep, err := Copy(mid, back, CopyOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Rows["documents"] != 2 || rep.Rows["spans"] != 5 || rep.Rows["deleted_items"] != 1 {
		t.Errorf("report %v", rep.Rows)
	}
	sameDump(t, "the copy of the copy", dump(t, back), want)
	for _, p := range []string{mid, back} {
		s := openAt(t, p)
		if _, err := s.AddSpan("d2", "amal", annotate.Span{Start: 0, End: 2, Label: "PERSON"}); err != nil {
			t.Fatalf("%s: a span after the copy: %v", p, err)
		}
		if _, err := s.Import([]annotate.Record{{Doc: annotate.Document{ID: "d3", Text: "نص ثالث"}}}, ImportOptions{}); err != nil {
			t.Fatal(err)
		}
		var id string
		ok(t, s.db.Raw("SELECT value FROM tawsim_meta WHERE key = ?", metaReplica).Scan(&id).Error)
		if !strings.Contains(want["tawsim_meta"], `"`+id+`"`) {
			t.Errorf("%s: replica id %s is not the source's", p, id)
		}
		s.Close()
	}
}

// A copy refuses a destination holding a project with documents, even
// with --force, and one holding an empty project without it; nothing
// changes there.
func TestCopyRefusesAProject(t *testing.T) {
	dir := t.TempDir()
	src := filepath.Join(dir, "src.db")
	richProject(t, src)
	full := pgtest.Project(t, dir, "full.db")
	s := openAt(t, full)
	if _, err := s.Import([]annotate.Record{{Doc: annotate.Document{ID: "x", Text: "نص"}}}, ImportOptions{}); err != nil {
		t.Fatal(err)
	}
	s.Close()
	for _, force := range []bool{false, true} {
		if _, err := Copy(src, full, CopyOptions{Force: force}); err == nil || !strings.Contains(err.Error(), "holds a project with 1 documents") {
			t.Fatalf("force %v: %v", force, err)
		}
	}
	if _, err := Copy(src, src, CopyOptions{}); err == nil || !strings.Contains(err.Error(), "is the project copied") {
		t.Fatalf("onto itself: %v", err)
	}
	empty := pgtest.Project(t, dir, "empty.db")
	openAt(t, empty).Close()
	if _, err := Copy(src, empty, CopyOptions{}); err == nil || !strings.Contains(err.Error(), "--force") {
		t.Fatalf("an empty project without --force: %v", err)
	}
	if _, err := Copy(src, empty, CopyOptions{Force: true}); err != nil {
		t.Fatal(err)
	}
	sameDump(t, "over an empty project", dump(t, empty), dump(t, src))
}
