package app

import (
	"encoding/json"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"unicode"
)

// shownBy are the calls whose string arguments reach the screen: widget
// and dialog constructors, text setters, menus, window titles, the app's
// own status line and text lines, and the errors the app makes (they end
// up in the status line or an error dialog). A call is matched by its
// function's or method's name.
var shownBy = map[string]bool{
	"NewLabel": true, "NewLabelWithStyle": true, "NewButton": true, "NewButtonWithIcon": true,
	"NewCheck": true, "NewFormItem": true, "NewHyperlink": true, "NewCard": true,
	"NewAccordionItem": true, "NewTabItem": true, "NewTabItemWithIcon": true, "NewSelect": true,
	"NewRadioGroup": true, "NewRichTextWithText": true, "NewText": true, "NewMenu": true,
	"NewMenuItem": true, "NewWindow": true, "SetText": true, "SetPlaceHolder": true,
	"SetTitle": true, "SetToolTip": true, "SetDismissText": true, "SetConfirmText": true,
	"ShowInformation": true, "ShowConfirm": true, "ShowCustomConfirm": true, "ShowCustom": true,
	"ShowCustomWithoutButtons": true, "ShowForm": true, "NewInformation": true, "NewConfirm": true,
	"NewCustom": true, "NewCustomConfirm": true, "NewCustomWithoutButtons": true, "NewForm": true,
	"say": true, "item": true, "NewTextLine": true, "newBidiLabel": true, "newBidiText": true, "message": true, "showConfirm": true,
	"Errorf": true, "New": true, "required": true, "toolWindow": true, "newJobPanel": true,
	"launch": true, "headerRow": true, "scoreRow": true, "gridText": true, "askText": true, "apply": true,
	"afterHistory": true, "folderButton": true, "activeSpan": true, "change": true, "record": true,
}

// shownFields are the fields whose assigned strings are shown.
var shownFields = map[string]bool{"Text": true, "Label": true, "PlaceHolder": true, "Title": true}

// verbatim are the literals shown as they are in every language: names
// and codes of the trade (formats, tag and scoring schemes, score columns,
// the pair names A and B, a relation's row "R1"), file names, hosts and
// paths in placeholders, the sizing templates of data (label and
// annotator names), the gold layer's default decider (a name stored with
// each decision); and one sentinel error that is never shown.
var verbatim = map[string]bool{
	`"auto"`: true, `"bio"`: true, `"bioes"`: true, `"strict"`: true, `"exact"`: true, `"partial"`: true,
	`"type"`: true, `"COR"`: true, `"INC"`: true, `"PAR"`: true, `"MIS"`: true, `"SPU"`: true, `"POS"`: true,
	`"ACT"`: true, `"F1"`: true, `"F1 "`: true, `"strict P"`: true, `"strict R"`: true, `"A"`: true, `"B"`: true,
	`"export"`: true, `".db"`: true, `"laptop.db"`: true, `"project.db"`: true, `"/path/to/laptop.db"`: true,
	`"postgres://user@host:5432/dbname?sslmode=require"`: true, `"xxxxx"`: true,
	`"ORGANIZATION"`: true, `"amina, badr, chadi"`: true, `"found"`: true, `"%sR%d %s %s"`: true,
	`"localhost"`: true, `"adjudicator"`: true,
}

// translateCalls are lang's functions; their first argument is a key.
var translateCalls = map[string]bool{"L": true, "N": true, "X": true, "XN": true}

// appSources parses the app package's non-test files.
func appSources(t *testing.T) (*token.FileSet, []*ast.File) {
	t.Helper()
	names, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	var files []*ast.File
	for _, n := range names {
		if strings.HasSuffix(n, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, n, nil, parser.SkipObjectResolution)
		if err != nil {
			t.Fatal(err)
		}
		files = append(files, f)
	}
	return fset, files
}

// calleeName is the name of the function or method a call calls.
func calleeName(c *ast.CallExpr) string {
	switch f := c.Fun.(type) {
	case *ast.Ident:
		return f.Name
	case *ast.SelectorExpr:
		return f.Sel.Name
	}
	return ""
}

// isTranslate tells whether c is lang.L (or N, X, XN), or countOf,
// plural or counted, which translate their nouns.
func isTranslate(c *ast.CallExpr) bool {
	if id, ok := c.Fun.(*ast.Ident); ok && (id.Name == "countOf" || id.Name == "plural" || id.Name == "counted") {
		return true
	}
	s, ok := c.Fun.(*ast.SelectorExpr)
	if !ok {
		return false
	}
	x, ok := s.X.(*ast.Ident)
	return ok && x.Name == "lang" && translateCalls[s.Sel.Name]
}

// words tells whether a string literal holds text (a letter outside its
// printf verbs): "%d×" or "  " do not.
func words(lit *ast.BasicLit) bool {
	if lit.Kind != token.STRING {
		return false
	}
	s, err := strconv.Unquote(lit.Value)
	return err == nil && strings.ContainsFunc(verbRE.ReplaceAllString(s, ""), unicode.IsLetter)
}

// verbRE matches a printf verb.
var verbRE = regexp.MustCompile(`%[-+# 0-9.]*[a-zA-Z%]`)

// names maps a name to the values assigned to it in a function (or the
// file's package-level declarations), the text written into it when it
// is a strings.Builder (WriteString, fmt.Fprintf) included; lits resolves
// a name to the bare literals its values are made of, through the names
// they use in turn.
type names struct {
	values map[string][]ast.Expr
	seen   map[string]bool // resolved or being resolved (a loop)
}

func newNames() *names { return &names{values: map[string][]ast.Expr{}, seen: map[string]bool{}} }

// with is n and the names of fn's body; fn's own override none of n's.
func (n *names) with(fn ast.Node) *names {
	m := newNames()
	for k, v := range n.values {
		m.values[k] = v
	}
	assigned(fn, m)
	return m
}

func (n *names) lits(name string) []*ast.BasicLit {
	if n == nil || n.seen[name] {
		return nil
	}
	n.seen[name] = true
	defer delete(n.seen, name)
	var out []*ast.BasicLit
	for _, v := range n.values[name] {
		out = append(out, returnedLiterals(v, n)...)
	}
	return out
}

// bareLiterals are the literals with text in e that do not go through
// lang: inside e, or, for a name in e, assigned to that name (named).
// Function literals (callbacks) are not entered.
func bareLiterals(e ast.Expr, named *names) []*ast.BasicLit {
	var out []*ast.BasicLit
	ast.Inspect(e, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.FuncLit:
			return false
		case *ast.CallExpr:
			if isTranslate(n) {
				return false
			}
		case *ast.BasicLit:
			if words(n) && !verbatim[n.Value] {
				out = append(out, n)
			}
		case *ast.Ident:
			out = append(out, named.lits(n.Name)...)
		case *ast.SelectorExpr:
			ast.Inspect(n.X, func(m ast.Node) bool { // not the selected name
				if id, ok := m.(*ast.Ident); ok {
					out = append(out, named.lits(id.Name)...)
				}
				return true
			})
			return false
		}
		return true
	})
	return out
}

// builderWrites are the methods and functions that write text into a
// strings.Builder (its first argument for fmt's).
var builderWrites = map[string]bool{"WriteString": true, "WriteRune": true, "Fprintf": true, "Fprint": true, "Fprintln": true}

// assigned adds to named the values assigned or declared in node, and the
// text written into builders.
func assigned(node ast.Node, named *names) {
	add := func(lhs []ast.Expr, rhs []ast.Expr) {
		for i, l := range lhs {
			id, ok := l.(*ast.Ident)
			if !ok {
				continue
			}
			var v ast.Expr
			if len(rhs) == len(lhs) {
				v = rhs[i]
			} else if len(rhs) == 1 {
				v = rhs[0]
			}
			if v != nil {
				named.values[id.Name] = append(named.values[id.Name], v)
			}
		}
	}
	ast.Inspect(node, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.FuncDecl:
			return n == node
		case *ast.AssignStmt:
			add(n.Lhs, n.Rhs)
		case *ast.ValueSpec:
			lhs := make([]ast.Expr, len(n.Names))
			for i, id := range n.Names {
				lhs[i] = id
			}
			add(lhs, n.Values)
		case *ast.RangeStmt: // for _, r := range refusals: r is one of them
			if n.Value != nil {
				add([]ast.Expr{n.Value}, []ast.Expr{n.X})
			}
		case *ast.CallExpr:
			sel, ok := n.Fun.(*ast.SelectorExpr)
			if !ok || !builderWrites[sel.Sel.Name] {
				break
			}
			dst, args := sel.X, n.Args
			if x, ok := sel.X.(*ast.Ident); ok && x.Name == "fmt" && len(args) > 0 { // fmt.Fprintf(&b, …)
				dst, args = args[0], args[1:]
			}
			if u, ok := dst.(*ast.UnaryExpr); ok && u.Op == token.AND {
				dst = u.X
			}
			if id, ok := dst.(*ast.Ident); ok {
				// As a Sprintf of the same arguments.
				named.values[id.Name] = append(named.values[id.Name],
					&ast.CallExpr{Fun: &ast.Ident{Name: "Sprintf"}, Args: args})
			}
		}
		return true
	})
}

// returnedLiterals are the bare literals a returned expression is made
// of: itself, the parts of a concatenation, a Sprintf's arguments, cmp.Or's
// fallbacks, the arguments of the package's own functions (which make
// text of them) and of the strings package's, a builder's String(); not
// the arguments of other calls (keys, names, layouts).
func returnedLiterals(e ast.Expr, named *names) []*ast.BasicLit {
	switch e := e.(type) {
	case *ast.BasicLit, *ast.Ident:
		return bareLiterals(e, named)
	case *ast.ParenExpr:
		return returnedLiterals(e.X, named)
	case *ast.IndexExpr:
		return returnedLiterals(e.X, named)
	case *ast.BinaryExpr:
		return append(returnedLiterals(e.X, named), returnedLiterals(e.Y, named)...)
	case *ast.CallExpr:
		var out []*ast.BasicLit
		_, own := e.Fun.(*ast.Ident)
		if isTranslate(e) {
			return nil
		}
		if s, ok := e.Fun.(*ast.SelectorExpr); ok {
			if x, ok := s.X.(*ast.Ident); ok {
				if x.Name == "strings" {
					own = true
				} else if s.Sel.Name == "String" { // b.String()
					return named.lits(x.Name)
				}
			}
		}
		if n := calleeName(e); (own && n != "string") || n == "Sprintf" || n == "Or" {
			for _, a := range e.Args {
				out = append(out, returnedLiterals(a, named)...)
			}
		}
		return out
	}
	return nil
}

// returnsText tells whether fn returns a string and is no key or code
// maker (those say Key, ID or Color in their names).
func returnsText(fn *ast.FuncDecl) bool {
	if fn.Type.Results == nil || strings.Contains(fn.Name.Name, "Key") || strings.Contains(fn.Name.Name, "ID") {
		return false
	}
	for _, r := range fn.Type.Results.List {
		if id, ok := r.Type.(*ast.Ident); ok && id.Name == "string" {
			return true
		}
	}
	return false
}

// untranslated lists, as file:line: "text", every literal that reaches the
// screen without lang.
func untranslated(fset *token.FileSet, files []*ast.File) []string {
	pkg := newNames()
	for _, f := range files {
		for _, d := range f.Decls {
			if g, ok := d.(*ast.GenDecl); ok {
				assigned(g, pkg)
			}
		}
	}
	seen := map[token.Pos]bool{}
	var out []string
	report := func(lits []*ast.BasicLit) {
		for _, l := range lits {
			if !seen[l.Pos()] {
				seen[l.Pos()] = true
				out = append(out, fmt.Sprintf("%s: %s", fset.Position(l.Pos()), l.Value))
			}
		}
	}
	for _, f := range files {
		for _, d := range f.Decls {
			fn, ok := d.(*ast.FuncDecl)
			if !ok || fn.Body == nil {
				continue
			}
			named := pkg.with(fn)
			ast.Inspect(fn.Body, func(n ast.Node) bool {
				switch n := n.(type) {
				case *ast.CallExpr:
					if shownBy[calleeName(n)] && !isTranslate(n) {
						for _, a := range n.Args {
							report(bareLiterals(a, named))
						}
					}
				case *ast.AssignStmt:
					for i, l := range n.Lhs {
						if s, ok := l.(*ast.SelectorExpr); ok && shownFields[s.Sel.Name] && i < len(n.Rhs) {
							report(bareLiterals(n.Rhs[i], named))
						}
					}
				case *ast.ReturnStmt: // a string made for the screen
					if returnsText(fn) {
						for _, r := range n.Results {
							report(returnedLiterals(r, named))
						}
					}
				case *ast.KeyValueExpr: // widget.Label{Text: "…"}
					if k, ok := n.Key.(*ast.Ident); ok && shownFields[k.Name] {
						report(bareLiterals(n.Value, named))
					}
				}
				return true
			})
		}
	}
	slices.Sort(out)
	return out
}

// Every string the app shows goes through lang.L: the scan of app/*.go
// finds no literal reaching a widget, dialog, menu, title or status line
// bare.
func TestNoUntranslatedStrings(t *testing.T) {
	fset, files := appSources(t)
	bad := untranslated(fset, files)
	for _, b := range bad {
		t.Error("shown without lang.L: " + b)
	}
}

// The scan itself finds the literals it is meant to: through names
// assigned in turn, text written into a builder that is shown, a range
// over shown strings; not a builder made for a key.
func TestUntranslatedScanFinds(t *testing.T) {
	src := `package app
const note = "read-only"
func f(u *UI, name string) {
	title := "Welcome"
	widget.NewLabel("Labels")
	widget.NewLabel(lang.L("Spans"))
	u.say("opened " + name)
	u.say(fmt.Sprintf(lang.L("%d spans"), 3))
	dialog.NewForm(title, lang.L("OK"), "Cancel", nil, nil, nil)
	u.say(note)
	b.Text = "Start"
	widget.NewButton(lang.L("Go"), func() { strings.Contains(name, "abc") })
	u.say(fmt.Sprintf("%d×", 2))
}
func summary(n int) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%d documents", n)
	b.WriteString("; done")
	fmt.Fprintf(&b, lang.L("; %d left"), n)
	return strings.TrimRight(b.String(), "\n")
}
func ask(u *UI, refused []string) {
	them := "them"
	q := fmt.Sprintf(lang.L("import %s again?"), them)
	u.say(q)
	var key strings.Builder
	key.WriteString("docs-")
	fmt.Fprintf(&key, "page %d", 2)
	u.store.Get(key.String())
	for _, r := range refused {
		u.say(r)
	}
	refused = append(refused, "gone")
}`
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "x.go", src, parser.SkipObjectResolution)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, b := range untranslated(fset, []*ast.File{f}) {
		got = append(got, b[strings.Index(b, " ")+1:])
	}
	want := []string{`"%d documents"`, `"; done"`, `"Cancel"`, `"Labels"`, `"Start"`, `"Welcome"`, `"gone"`, `"opened "`, `"read-only"`, `"them"`}
	slices.Sort(got)
	if !slices.Equal(got, want) {
		t.Fatalf("found %q, want %q", got, want)
	}
}

// usedKeys are the keys app/*.go passes to lang (a literal, or a
// package-level constant).
func usedKeys(t *testing.T) map[string]bool {
	t.Helper()
	_, files := appSources(t)
	consts := map[string]string{}
	for _, f := range files {
		ast.Inspect(f, func(n ast.Node) bool {
			if v, ok := n.(*ast.ValueSpec); ok && len(v.Values) == len(v.Names) {
				for i, id := range v.Names {
					if l, ok := v.Values[i].(*ast.BasicLit); ok && l.Kind == token.STRING {
						consts[id.Name], _ = strconv.Unquote(l.Value)
					}
				}
			}
			return true
		})
	}
	keys := map[string]bool{}
	for _, f := range files {
		ast.Inspect(f, func(n ast.Node) bool {
			c, ok := n.(*ast.CallExpr)
			if !ok || !isTranslate(c) {
				return true
			}
			// The key: lang's first argument; countOf's many; plural's
			// noun+"s"; counted's many.
			at, suffix := 0, ""
			switch calleeName(c) {
			case "countOf":
				at = 2
			case "plural":
				at, suffix = 1, "s"
			case "counted":
				at = 3
			}
			if at >= len(c.Args) {
				return true
			}
			switch a := c.Args[at].(type) {
			case *ast.BasicLit:
				s, _ := strconv.Unquote(a.Value)
				keys[s+suffix] = true
			case *ast.Ident:
				if s, ok := consts[a.Name]; ok {
					keys[s+suffix] = true
				} else if a.Name != "many" { // counted passes its key on
					t.Errorf("lang key %s is not a literal or constant", a.Name)
				}
			default:
				if calleeName(c) != "counted" { // plural makes its key
					t.Errorf("lang key at %v is not a literal or constant", c.Pos())
				}
			}
			return true
		})
	}
	return keys
}

// translation reads a translation file's keys and values (a plural entry
// gives its "other" form).
func translation(t *testing.T, name string) map[string]string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "assets", "translations", name))
	if err != nil {
		t.Fatal(err)
	}
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(b, &raw); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	out := map[string]string{}
	for k, v := range raw {
		var s string
		if json.Unmarshal(v, &s) != nil {
			var forms map[string]string
			if err := json.Unmarshal(v, &forms); err != nil {
				t.Fatalf("%s: key %q: %v", name, k, err)
			}
			s = forms["other"]
		}
		out[k] = s
	}
	return out
}

// fyneKeys are the keys Fyne's own widgets and dialogs look up (its
// translations/base.en.json); ours translate them into Arabic, which Fyne
// does not ship.
func fyneKeys(t *testing.T) map[string]string {
	t.Helper()
	dir, err := exec.Command("go", "list", "-m", "-f", "{{.Dir}}", "fyne.io/fyne/v2").Output()
	if err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(filepath.Join(strings.TrimSpace(string(dir)), "lang", "translations", "base.en.json"))
	if err != nil {
		t.Fatal(err)
	}
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(b, &raw); err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for k := range raw {
		out[k] = k
	}
	return out
}

// en.json holds every key the app uses and Fyne's own, and nothing else
// (no stale key); every other translation file has exactly en.json's keys,
// each translation keeping the key's printf verbs in order.
func TestTranslationFilesComplete(t *testing.T) {
	en := translation(t, "en.json")
	used := usedKeys(t)
	fk := fyneKeys(t)
	for k := range used {
		if _, ok := en[k]; !ok {
			t.Errorf("en.json lacks %q", k)
		}
	}
	for k := range fk {
		if _, ok := en[k]; !ok {
			t.Errorf("en.json lacks Fyne's key %q", k)
		}
	}
	for k := range en {
		if !used[k] && fk[k] == "" {
			t.Errorf("en.json has %q, which app/ does not use", k)
		}
	}
	names, _ := filepath.Glob(filepath.Join("..", "assets", "translations", "*.json"))
	if len(names) < 2 {
		t.Fatalf("translation files: %v", names)
	}
	for _, n := range names {
		n = filepath.Base(n)
		if n == "en.json" {
			continue
		}
		tr := translation(t, n)
		for k := range en {
			v, ok := tr[k]
			switch {
			case !ok:
				t.Errorf("%s lacks %q", n, k)
			case !slices.Equal(verbs(k), verbs(v)):
				t.Errorf("%s: %q has verbs %q, its key %q", n, v, verbs(v), verbs(k))
			}
		}
		for k := range tr {
			if _, ok := en[k]; !ok {
				t.Errorf("%s has %q, which en.json does not", n, k)
			}
		}
	}
}

// verbs are the printf verbs of s in order.
func verbs(s string) []string {
	return slices.DeleteFunc(verbRE.FindAllString(s, -1), func(v string) bool { return v == "%%" })
}
