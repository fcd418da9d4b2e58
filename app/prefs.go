package app

import (
	"encoding/json"
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sync"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/lang"

	"tawsim/internal/atomicfile"
	"tawsim/internal/filelock"
)

// Fyne writes its preferences file in place (truncate, then write) and
// every running copy of the app watches that file's folder and reads it
// again on each change, then writes it back: a copy that reads while
// another writes finds it empty and prints "Preferences load error: Cause:
// EOF" (two windows open, annotators switched). Tawsim keeps its own
// preferences in a file of its own folder instead (usePrefs), written whole
// to a temporary file renamed over it, so a reader sees the old content or
// the new, never a part; each write merges what other copies wrote
// meanwhile.

// filePrefs is a fyne.Preferences kept in a JSON file.
type filePrefs struct {
	mu        sync.Mutex
	path      string
	values    map[string]any
	listeners []func()
}

var _ fyne.Preferences = (*filePrefs)(nil)

// prefsPath is where Tawsim keeps its preferences (beside the default
// project).
func prefsPath() (string, error) {
	dir, err := os.UserConfigDir()
	if err != nil {
		return "", err
	}
	return filepath.Join(dir, "tawsim", "preferences.json"), nil
}

// fynePrefsPath is the file Fyne kept them in: read once when Tawsim's
// own file does not exist yet.
func fynePrefsPath() string {
	dir, _ := os.UserConfigDir()
	return filepath.Join(dir, "fyne", AppID, "preferences.json")
}

// openPrefs reads the preferences at path, or those at old when path
// does not exist; a missing or broken file gives none (the broken one is
// replaced at the first change).
func openPrefs(path, old string) *filePrefs {
	p := &filePrefs{path: path, values: map[string]any{}}
	if v, err := readPrefs(path); err == nil {
		p.values = v
	} else if errors.Is(err, fs.ErrNotExist) {
		if v, err := readPrefs(old); err == nil {
			p.values = v
		}
	}
	return p
}

func readPrefs(path string) (map[string]any, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	v := map[string]any{}
	if err := json.Unmarshal(data, &v); err != nil {
		return nil, err
	}
	for k, x := range v { // JSON lists are []any: back to the typed lists
		if l, ok := x.([]any); ok && len(l) > 0 {
			switch l[0].(type) {
			case string:
				v[k] = convertList[string](l)
			case float64:
				v[k] = convertList[float64](l)
			case bool:
				v[k] = convertList[bool](l)
			}
		}
	}
	return v, nil
}

func convertList[T any](l []any) []T {
	out := make([]T, 0, len(l))
	for _, x := range l {
		if t, ok := x.(T); ok {
			out = append(out, t)
		}
	}
	return out
}

// change sets key to v (deletes it when v is nil) and writes the file.
func (p *filePrefs) change(key string, v any) {
	p.mu.Lock()
	err := p.save(key, v)
	listeners := p.listeners
	p.mu.Unlock()
	if err != nil {
		fyne.LogError("Saving the preferences to "+p.path, err)
	}
	for _, l := range listeners {
		l()
	}
}

// save writes the values now on disk, which other copies may have
// changed, with this change over them. Every copy takes the lock beside
// the file around that read and write, or of two changes at the same
// moment one would be lost. It is released before change calls the
// listeners, which may change a value again.
func (p *filePrefs) save(key string, v any) error {
	err := os.MkdirAll(filepath.Dir(p.path), 0o700)
	if err == nil {
		if unlock, lerr := filelock.Lock(p.path + ".lock"); lerr == nil {
			defer unlock()
		} else { // written all the same: only a change made at this moment is at risk
			fyne.LogError("Locking the preferences at "+p.path, lerr)
		}
	}
	if disk, err := readPrefs(p.path); err == nil {
		p.values = disk
	}
	if v == nil {
		delete(p.values, key)
	} else {
		p.values[key] = v
	}
	if err != nil {
		return err
	}
	return atomicfile.Write(p.path, func(w io.Writer) error { return json.NewEncoder(w).Encode(p.values) })
}

func prefGet[T any](p *filePrefs, key string, fallback T) T {
	p.mu.Lock()
	defer p.mu.Unlock()
	if v, ok := p.values[key].(T); ok {
		return v
	}
	return fallback
}

// The getters: a value of another type is as good as none.
func (p *filePrefs) Bool(key string) bool                             { return prefGet(p, key, false) }
func (p *filePrefs) Float(key string) float64                         { return prefGet(p, key, 0.0) }
func (p *filePrefs) String(key string) string                         { return prefGet(p, key, "") }
func (p *filePrefs) BoolList(key string) []bool                       { return prefGet[[]bool](p, key, nil) }
func (p *filePrefs) FloatList(key string) []float64                   { return prefGet[[]float64](p, key, nil) }
func (p *filePrefs) StringList(key string) []string                   { return prefGet[[]string](p, key, nil) }
func (p *filePrefs) BoolWithFallback(key string, f bool) bool         { return prefGet(p, key, f) }
func (p *filePrefs) FloatWithFallback(key string, f float64) float64  { return prefGet(p, key, f) }
func (p *filePrefs) StringWithFallback(key, f string) string          { return prefGet(p, key, f) }
func (p *filePrefs) BoolListWithFallback(key string, f []bool) []bool { return prefGet(p, key, f) }
func (p *filePrefs) FloatListWithFallback(key string, f []float64) []float64 {
	return prefGet(p, key, f)
}
func (p *filePrefs) StringListWithFallback(key string, f []string) []string {
	return prefGet(p, key, f)
}

// The setters write the file.
func (p *filePrefs) SetBool(key string, v bool)           { p.change(key, v) }
func (p *filePrefs) SetFloat(key string, v float64)       { p.change(key, v) }
func (p *filePrefs) SetString(key string, v string)       { p.change(key, v) }
func (p *filePrefs) SetBoolList(key string, v []bool)     { p.change(key, v) }
func (p *filePrefs) SetFloatList(key string, v []float64) { p.change(key, v) }
func (p *filePrefs) SetStringList(key string, v []string) { p.change(key, v) }
func (p *filePrefs) RemoveValue(key string)               { p.change(key, nil) }

// Ints are kept as JSON numbers, floats when read back.
func (p *filePrefs) Int(key string) int { return p.IntWithFallback(key, 0) }
func (p *filePrefs) IntWithFallback(key string, f int) int {
	return int(prefGet(p, key, float64(f)))
}
func (p *filePrefs) SetInt(key string, v int) { p.change(key, float64(v)) }
func (p *filePrefs) IntList(key string) []int { return p.IntListWithFallback(key, nil) }
func (p *filePrefs) IntListWithFallback(key string, f []int) []int {
	if l := prefGet[[]float64](p, key, nil); l != nil {
		return mapList(l, func(x float64) int { return int(x) })
	}
	return f
}
func (p *filePrefs) SetIntList(key string, v []int) {
	p.change(key, mapList(v, func(x int) float64 { return float64(x) }))
}

func mapList[A, B any](l []A, f func(A) B) []B {
	out := make([]B, len(l))
	for i, x := range l {
		out[i] = f(x)
	}
	return out
}

// AddChangeListener is part of fyne.Preferences.
func (p *filePrefs) AddChangeListener(l func()) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.listeners = append(p.listeners, l)
}

// ChangeListeners is part of fyne.Preferences.
func (p *filePrefs) ChangeListeners() []func() {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]func(){}, p.listeners...)
}

// usePrefs makes p the preferences of a, for Fyne's own widgets too: the
// file dialog keeps its last folder and view layout in
// fyne.CurrentApp().Preferences(), and those writes went to Fyne's file.
// A cloud provider offering preferences is Fyne's public way to replace
// them; the file Fyne loaded is then neither written on a change nor saved
// at exit.
func usePrefs(a fyne.App, p fyne.Preferences) { a.SetCloudProvider(prefsProvider{p}) }

// prefsProvider hands Fyne Tawsim's preferences; it syncs nothing.
type prefsProvider struct{ prefs fyne.Preferences }

var _ fyne.CloudProviderPreferences = prefsProvider{}

func (prefsProvider) ProviderDescription() string { return lang.L("Tawsim's preferences file") }
func (prefsProvider) ProviderIcon() fyne.Resource { return appIcon }
func (prefsProvider) ProviderName() string        { return lang.L("Tawsim — توسيم") }
func (prefsProvider) Cleanup(fyne.App)            {}
func (prefsProvider) Setup(fyne.App) error        { return nil }

// CloudPreferences is part of fyne.CloudProviderPreferences.
func (c prefsProvider) CloudPreferences(fyne.App) fyne.Preferences { return c.prefs }
