package app

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/test"
)

// Fyne's file dialog keeps the last folder it showed in the current app's
// preferences: with Tawsim's preferences in place that is Tawsim's file,
// not Fyne's, which every running copy watches and writes back.
func TestFileDialogKeepsItsFolderInTawsimsFile(t *testing.T) {
	a := test.NewTempApp(t)
	path := filepath.Join(t.TempDir(), "tawsim", "preferences.json")
	p := openPrefs(path, "")
	usePrefs(a, p)
	if fyne.CurrentApp().Preferences() != fyne.Preferences(p) || a.Preferences() != fyne.Preferences(p) {
		t.Fatal("the app's preferences are not Tawsim's")
	}
	w := test.NewWindow(nil)
	defer w.Close()
	w.Resize(fyne.NewSize(1000, 700))
	dir, err := storage.ListerForURI(storage.NewFileURI(t.TempDir()))
	if err != nil {
		t.Fatal(err)
	}
	d := dialog.NewFileOpen(func(fyne.URIReadCloser, error) {}, w)
	d.SetLocation(dir)
	d.Show()
	defer d.Hide()
	v, err := readPrefs(path)
	if err != nil || v["fyne:fileDialogLastFolder"] != dir.String() {
		t.Errorf("Tawsim's file after the file dialog showed %s: %v, %v", dir, v, err)
	}
}

// changes is how many changes each copy makes at the same moment as the
// others: without the lock one in three runs of two copies lost one.
const changes = 300

// changeMany sets key to 1..changes in p once every key in others is in
// the file, so that the copies write at the same moment (key is written
// again while it is not there: without the lock another copy's write may
// drop it).
func changeMany(t testing.TB, p *filePrefs, path, key string, others []string) {
	for deadline := time.Now().Add(30 * time.Second); ; {
		v, _ := readPrefs(path)
		if _, ok := v[key]; !ok {
			p.SetInt(key, 0)
		}
		all := true
		for _, o := range others {
			_, ok := v[o]
			all = all && ok
		}
		if all {
			break
		}
		if time.Now().After(deadline) {
			t.Errorf("%s: the other copies never wrote %v", key, others)
			return
		}
		time.Sleep(time.Millisecond)
	}
	for i := 1; i <= changes; i++ {
		p.SetInt(key, i)
	}
}

// Copies of the app changing different keys at the same moment each find
// their last value in the file afterwards: three in one process (each
// with its own open of the lock), and one in another process.
func TestPrefsChangesAtTheSameMomentAllKept(t *testing.T) {
	path := filepath.Join(t.TempDir(), "tawsim", "preferences.json")
	keys := []string{"key_a", "key_b", "key_c", "key_child"}
	child := exec.Command(os.Args[0], "-test.run=^TestPrefsChangingProcess$")
	// Only this test, on no database: not again on PostgreSQL (pgtest).
	for _, e := range os.Environ() {
		if !strings.HasPrefix(e, "TAWSIM_TEST_") {
			child.Env = append(child.Env, e)
		}
	}
	child.Env = append(child.Env, "TAWSIM_PREFS_CHILD="+path)
	out := make(chan []byte, 1)
	go func() {
		b, err := child.CombinedOutput()
		if err != nil {
			b = append(b, []byte(err.Error())...)
		}
		out <- b
	}()
	var wg sync.WaitGroup
	for i, k := range keys[:3] {
		wg.Add(1)
		go func() {
			defer wg.Done()
			others := append(append([]string{}, keys[:i]...), keys[i+1:]...)
			changeMany(t, openPrefs(path, ""), path, k, others)
		}()
	}
	wg.Wait()
	if b := <-out; child.ProcessState == nil || !child.ProcessState.Success() {
		t.Fatalf("the other process: %s", b)
	}
	c := openPrefs(path, "")
	for _, k := range keys {
		if got := c.Int(k); got != changes {
			t.Errorf("%s = %d, want %d: a copy's change was lost", k, got, changes)
		}
	}
}

// TestPrefsChangingProcess is the other process of the test above.
func TestPrefsChangingProcess(t *testing.T) {
	path := os.Getenv("TAWSIM_PREFS_CHILD")
	if path == "" {
		t.Skip("run by TestPrefsChangesAtTheSameMomentAllKept")
	}
	changeMany(t, openPrefs(path, ""), path, "key_child", []string{"key_a", "key_b", "key_c"})
	fmt.Println("wrote", strconv.Itoa(changes))
}
