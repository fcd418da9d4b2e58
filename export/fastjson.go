package export

import (
	"fmt"
	"strconv"
	"unicode/utf16"
	"unicode/utf8"
)

// jparser is a small JSON reader for the native JSONL shape: several times
// faster than encoding/json on long Arabic strings, because a string without
// escapes is copied in one step. The line is known to be valid UTF-8.
type jparser struct {
	b []byte
	i int
}

type jsonErr struct {
	at  int
	msg string
}

func (e *jsonErr) Error() string { return fmt.Sprintf("%s (at byte %d)", e.msg, e.at) }

func (p *jparser) fail(format string, args ...any) error {
	return &jsonErr{at: p.i, msg: fmt.Sprintf(format, args...)}
}

func (p *jparser) ws() {
	for p.i < len(p.b) {
		switch p.b[p.i] {
		case ' ', '\t', '\n', '\r':
			p.i++
		default:
			return
		}
	}
}

func (p *jparser) peek() byte {
	p.ws()
	if p.i < len(p.b) {
		return p.b[p.i]
	}
	return 0
}

func (p *jparser) expect(c byte) error {
	if p.peek() != c {
		if p.i >= len(p.b) {
			return p.fail("unexpected end of line, expected %q", c)
		}
		return p.fail("expected %q, found %q", c, p.b[p.i])
	}
	p.i++
	return nil
}

func (p *jparser) literal(word string) error {
	if len(p.b)-p.i < len(word) || string(p.b[p.i:p.i+len(word)]) != word {
		return p.fail("invalid value")
	}
	p.i += len(word)
	return nil
}

// null consumes a null if there is one.
func (p *jparser) null() bool {
	if p.peek() == 'n' && p.literal("null") == nil {
		return true
	}
	return false
}

// str reads a string value (null reads as "").
func (p *jparser) str() (string, error) {
	if p.null() {
		return "", nil
	}
	if p.peek() != '"' {
		return "", p.fail("expected a string")
	}
	p.i++
	start := p.i
	for p.i < len(p.b) {
		c := p.b[p.i]
		if c == '"' {
			s := string(p.b[start:p.i])
			p.i++
			return s, nil
		}
		if c == '\\' {
			return p.slowStr(start)
		}
		if c < 0x20 {
			return "", p.fail("control character in string")
		}
		p.i++
	}
	return "", p.fail("unterminated string")
}

func (p *jparser) slowStr(start int) (string, error) {
	out := append([]byte(nil), p.b[start:p.i]...)
	for p.i < len(p.b) {
		c := p.b[p.i]
		switch {
		case c == '"':
			p.i++
			return string(out), nil
		case c < 0x20:
			return "", p.fail("control character in string")
		case c != '\\':
			out = append(out, c)
			p.i++
			continue
		}
		p.i++
		if p.i >= len(p.b) {
			break
		}
		e := p.b[p.i]
		p.i++
		switch e {
		case '"', '\\', '/':
			out = append(out, e)
		case 'b':
			out = append(out, '\b')
		case 'f':
			out = append(out, '\f')
		case 'n':
			out = append(out, '\n')
		case 'r':
			out = append(out, '\r')
		case 't':
			out = append(out, '\t')
		case 'u':
			r, ok := p.hex4()
			if !ok {
				return "", p.fail(`invalid \u escape`)
			}
			if utf16.IsSurrogate(r) {
				r2 := rune(utf8.RuneError)
				if p.i+1 < len(p.b) && p.b[p.i] == '\\' && p.b[p.i+1] == 'u' {
					save := p.i
					p.i += 2
					if lo, ok := p.hex4(); ok && utf16.DecodeRune(r, lo) != utf8.RuneError {
						r2 = utf16.DecodeRune(r, lo)
					} else {
						p.i = save
					}
				}
				r = r2
			}
			out = utf8.AppendRune(out, r)
		default:
			return "", p.fail("invalid escape \\%c", e)
		}
	}
	return "", p.fail("unterminated string")
}

func (p *jparser) hex4() (rune, bool) {
	if len(p.b)-p.i < 4 {
		return 0, false
	}
	v, err := strconv.ParseUint(string(p.b[p.i:p.i+4]), 16, 32)
	if err != nil {
		return 0, false
	}
	p.i += 4
	return rune(v), true
}

// integer reads an integer number.
func (p *jparser) integer() (int, error) {
	p.ws()
	start := p.i
	if p.i < len(p.b) && p.b[p.i] == '-' {
		p.i++
	}
	for p.i < len(p.b) && p.b[p.i] >= '0' && p.b[p.i] <= '9' {
		p.i++
	}
	if p.i < len(p.b) && (p.b[p.i] == '.' || p.b[p.i] == 'e' || p.b[p.i] == 'E') {
		return 0, p.fail("expected an integer offset")
	}
	n, err := strconv.Atoi(string(p.b[start:p.i]))
	if err != nil {
		p.i = start
		return 0, p.fail("expected an integer")
	}
	return n, nil
}

// skip passes over any value, checking its syntax.
func (p *jparser) skip() error {
	switch p.peek() {
	case '"':
		_, err := p.str()
		return err
	case '{':
		return p.object(func(string) error { return p.skip() })
	case '[':
		return p.array(p.skip)
	case 't':
		return p.literal("true")
	case 'f':
		return p.literal("false")
	case 'n':
		return p.literal("null")
	case 0:
		return p.fail("unexpected end of line")
	}
	start := p.i
	for p.i < len(p.b) && (p.b[p.i] == '-' || p.b[p.i] == '+' || p.b[p.i] == '.' || p.b[p.i] == 'e' || p.b[p.i] == 'E' || p.b[p.i] >= '0' && p.b[p.i] <= '9') {
		p.i++
	}
	if _, err := strconv.ParseFloat(string(p.b[start:p.i]), 64); err != nil || p.i == start {
		p.i = start
		return p.fail("invalid value")
	}
	return nil
}

// raw returns the bytes of the next value.
func (p *jparser) raw() ([]byte, error) {
	p.ws()
	start := p.i
	if err := p.skip(); err != nil {
		return nil, err
	}
	return p.b[start:p.i], nil
}

// object calls field for each key; field must consume the value.
func (p *jparser) object(field func(key string) error) error {
	if err := p.expect('{'); err != nil {
		return err
	}
	if p.peek() == '}' {
		p.i++
		return nil
	}
	for {
		key, err := p.str()
		if err != nil {
			return err
		}
		if err := p.expect(':'); err != nil {
			return err
		}
		if err := field(key); err != nil {
			return err
		}
		switch p.peek() {
		case ',':
			p.i++
		case '}':
			p.i++
			return nil
		default:
			return p.fail("expected ',' or '}' in object")
		}
	}
}

// array calls elem for each element (null reads as an empty array).
func (p *jparser) array(elem func() error) error {
	if p.null() {
		return nil
	}
	if err := p.expect('['); err != nil {
		return err
	}
	if p.peek() == ']' {
		p.i++
		return nil
	}
	for {
		if err := elem(); err != nil {
			return err
		}
		switch p.peek() {
		case ',':
			p.i++
		case ']':
			p.i++
			return nil
		default:
			return p.fail("expected ',' or ']' in array")
		}
	}
}

func (p *jparser) end() error {
	if p.peek() != 0 {
		return p.fail("unexpected data after the object")
	}
	return nil
}

func intPtr(p *jparser) (*int, error) {
	if p.null() {
		return nil, nil
	}
	n, err := p.integer()
	return &n, err
}

// parseNative reads one native JSONL line.
func parseNative(line []byte) (nativeLine, error) {
	var nl nativeLine
	p := &jparser{b: line}
	err := p.object(func(key string) error {
		var err error
		switch key {
		case "id":
			var s string
			if p.peek() != '"' {
				return p.fail(`"id" must be a string`)
			}
			s, err = p.str()
			nl.ID = &s
		case "text":
			var s string
			if p.peek() != '"' {
				return p.fail(`"text" must be a string`)
			}
			s, err = p.str()
			nl.Text = &s
		case "title":
			nl.Title, err = p.str()
		case "annotator":
			nl.Annotator, err = p.str()
		case "meta":
			var raw []byte
			raw, err = p.raw()
			nl.Meta = append([]byte(nil), raw...) // do not pin the whole line
		case "spans":
			nl.Spans = nl.Spans[:0]
			err = p.array(func() error {
				var sp nativeSpan
				err := p.object(func(k string) error {
					var err error
					switch k {
					case "start":
						sp.Start, err = intPtr(p)
					case "end":
						sp.End, err = intPtr(p)
					case "label":
						sp.Label, err = p.str()
					case "text":
						sp.Text, err = p.str()
					case "decision":
						sp.Decision, err = p.str()
					case "decided_by":
						sp.DecidedBy, err = p.str()
					case "votes":
						sp.Votes = nil
						err = p.array(func() error {
							v, err := p.str()
							sp.Votes = append(sp.Votes, v)
							return err
						})
					default:
						err = p.skip()
					}
					return err
				})
				nl.Spans = append(nl.Spans, sp)
				return err
			})
		case "relations":
			nl.Relations = nl.Relations[:0]
			err = p.array(func() error {
				var r nativeRel
				err := p.object(func(k string) error {
					var err error
					switch k {
					case "head":
						r.Head, err = intPtr(p)
					case "tail":
						r.Tail, err = intPtr(p)
					case "label":
						r.Label, err = p.str()
					default:
						err = p.skip()
					}
					return err
				})
				nl.Relations = append(nl.Relations, r)
				return err
			})
		default:
			err = p.skip()
		}
		return err
	})
	if err == nil {
		err = p.end()
	}
	return nl, err
}
