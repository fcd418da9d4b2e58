package export

import (
	"encoding/json"
	"fmt"
	"reflect"
	"strconv"
	"strings"
	"unicode/utf16"
	"unicode/utf8"
	"unsafe"
)

// parseNative reads one native JSONL line exactly as json.Unmarshal into a
// nativeLine does. A small reader takes the common case, several times
// faster than encoding/json on long Arabic strings because a string without
// escapes is copied in one step (BenchmarkReadJSONL measures it end to end);
// whatever it is not sure about (a syntax error, an unusual number, a
// duplicate or case-folded key, deep nesting, invalid UTF-8) goes to
// encoding/json, which then decides and words the error. FuzzNativeParser
// holds the two to the same answers.
//
// Long strings share line's memory (shareMin): line must not change
// afterwards.
func parseNative(line []byte) (nativeLine, error) {
	if nl, ok := fastNative(line); ok {
		return nl, nil
	}
	return unmarshalNative(line)
}

// parseValidNative is parseNative for a line already known to be valid
// UTF-8 (readJSONL checks every line first, to name it in the error).
func parseValidNative(line []byte) (nativeLine, error) {
	if nl, ok := fastValidNative(line); ok {
		return nl, nil
	}
	return unmarshalNative(line)
}

func unmarshalNative(line []byte) (nativeLine, error) {
	var nl nativeLine
	err := json.Unmarshal(line, &nl)
	return nl, err
}

// shareMin is the length from which a string without escapes shares the
// line's memory instead of being copied: the line is read for this parse
// alone and never changed afterwards, and a string this long (a text) is
// most of its line.
const shareMin = 1 << 16

// maxFastDepth bounds the nesting the fast reader follows (encoding/json
// allows 10000; deeper lines are its to refuse).
const maxFastDepth = 100

// jparser is the fast reader. Every method returns false where encoding/json
// might disagree with what it would produce; then it gives up the line.
type jparser struct {
	b     []byte
	i     int
	depth int
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

func (p *jparser) literal(word string) bool {
	if len(p.b)-p.i < len(word) || string(p.b[p.i:p.i+len(word)]) != word {
		return false
	}
	p.i += len(word)
	return true
}

// null consumes a null if there is one.
func (p *jparser) null() bool { return p.peek() == 'n' && p.literal("null") }

// str reads a string; null reads as "" (a field that is never set twice
// keeps its zero value, as encoding/json does).
func (p *jparser) str() (string, bool) {
	if p.null() {
		return "", true
	}
	if p.peek() != '"' {
		return "", false
	}
	p.i++
	start := p.i
	for p.i < len(p.b) {
		switch c := p.b[p.i]; {
		case c == '"':
			var s string
			if p.i-start >= shareMin { // a document's text: no second copy of it
				s = unsafe.String(&p.b[start], p.i-start)
			} else { // a short string must not keep its whole line alive
				s = string(p.b[start:p.i])
			}
			p.i++
			return s, true
		case c == '\\':
			return p.slowStr(start)
		case c < 0x20:
			return "", false
		}
		p.i++
	}
	return "", false
}

// slowStr finishes a string with escapes, decoding them as encoding/json
// does: an invalid surrogate becomes U+FFFD.
func (p *jparser) slowStr(start int) (string, bool) {
	// Decoding never lengthens a string, so out is made once at the size
	// of the escaped one (a text of hundreds of MB is not grown by
	// doubling, and a long one is not copied again into a string).
	end := p.i
	for end < len(p.b) && p.b[end] != '"' {
		if p.b[end] == '\\' {
			end++
		}
		end++
	}
	out := append(make([]byte, 0, min(end, len(p.b))-start), p.b[start:p.i]...)
	for p.i < len(p.b) {
		c := p.b[p.i]
		switch {
		case c == '"':
			p.i++
			if len(out) >= shareMin {
				return unsafe.String(unsafe.SliceData(out), len(out)), true
			}
			return string(out), true
		case c < 0x20:
			return "", false
		case c != '\\':
			out = append(out, c)
			p.i++
			continue
		}
		if p.i+1 >= len(p.b) {
			return "", false
		}
		e := p.b[p.i+1]
		p.i += 2
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
			r := p.hex4(p.i)
			if r < 0 {
				return "", false
			}
			p.i += 4
			if utf16.IsSurrogate(r) {
				lo := rune(-1)
				if p.i+1 < len(p.b) && p.b[p.i] == '\\' && p.b[p.i+1] == 'u' {
					lo = p.hex4(p.i + 2)
				}
				if d := utf16.DecodeRune(r, lo); d != utf8.RuneError {
					r = d
					p.i += 6
				} else {
					r = utf8.RuneError
				}
			}
			out = utf8.AppendRune(out, r)
		default:
			return "", false
		}
	}
	return "", false
}

// hex4 reads four hex digits at i, or returns -1.
func (p *jparser) hex4(i int) rune {
	if len(p.b)-i < 4 {
		return -1
	}
	v, err := strconv.ParseUint(string(p.b[i:i+4]), 16, 16)
	if err != nil {
		return -1
	}
	return rune(v)
}

// digits consumes a run of digits and reports how long it was.
func (p *jparser) digits() int {
	start := p.i
	for p.i < len(p.b) && '0' <= p.b[p.i] && p.b[p.i] <= '9' {
		p.i++
	}
	return p.i - start
}

// number consumes a number of the JSON grammar:
// -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?
// and reports whether it is an integer (no fraction, no exponent).
func (p *jparser) number() (integer, ok bool) {
	p.ws()
	if p.i < len(p.b) && p.b[p.i] == '-' {
		p.i++
	}
	first := p.i
	if n := p.digits(); n == 0 || n > 1 && p.b[first] == '0' {
		return false, false
	}
	integer = true
	if p.i < len(p.b) && p.b[p.i] == '.' {
		p.i++
		if p.digits() == 0 {
			return false, false
		}
		integer = false
	}
	if p.i < len(p.b) && (p.b[p.i] == 'e' || p.b[p.i] == 'E') {
		p.i++
		if p.i < len(p.b) && (p.b[p.i] == '+' || p.b[p.i] == '-') {
			p.i++
		}
		if p.digits() == 0 {
			return false, false
		}
		integer = false
	}
	return integer, true
}

// numText reads a number (only an integer, with integer) and returns its
// text; a null reads as null.
func (p *jparser) numText(integer bool) (text string, null, ok bool) {
	if p.null() {
		return "", true, true
	}
	p.ws()
	start := p.i
	isInt, ok := p.number()
	if !ok || integer && !isInt {
		return "", false, false
	}
	return string(p.b[start:p.i]), false, true
}

// optInt reads an integer offset; null reads as nil.
func (p *jparser) optInt(dst **int) bool {
	s, null, ok := p.numText(true)
	if null || !ok {
		*dst = nil
		return ok
	}
	n, err := strconv.Atoi(s)
	*dst = &n
	return err == nil
}

// float reads a number (null leaves dst as it is).
func (p *jparser) float(dst *float64) bool {
	s, null, ok := p.numText(false)
	if null || !ok {
		return ok
	}
	f, err := strconv.ParseFloat(s, 64)
	*dst = f
	return err == nil
}

// int64 reads an integer (null leaves dst as it is).
func (p *jparser) int64(dst *int64) bool {
	s, null, ok := p.numText(true)
	if null || !ok {
		return ok
	}
	n, err := strconv.ParseInt(s, 10, 64)
	*dst = n
	return err == nil
}

// counts reads an object of integers (a revision clock); null leaves it
// nil. A key met twice gives up (encoding/json keeps the last).
func (p *jparser) counts(dst *map[string]int64) bool {
	if p.null() {
		return true
	}
	m := map[string]int64{}
	*dst = m
	return p.members(func(key string) bool {
		if _, dup := m[key]; dup || p.null() {
			return false
		}
		var n int64
		ok := p.int64(&n)
		m[key] = n
		return ok
	})
}

// string reads a string (null: "").
func (p *jparser) string(dst *string) bool {
	s, ok := p.str()
	*dst = s
	return ok
}

// optString reads a string; null reads as nil.
func (p *jparser) optString(dst **string) bool {
	if p.null() {
		*dst = nil
		return true
	}
	if p.peek() != '"' {
		return false
	}
	s, ok := p.str()
	*dst = &s
	return ok
}

// skip passes over any value, checking its syntax.
func (p *jparser) skip() bool {
	switch p.peek() {
	case '"':
		_, ok := p.str()
		return ok
	case '{':
		return p.object(nil, nil)
	case '[':
		return p.array(p.skip)
	case 't':
		return p.literal("true")
	case 'f':
		return p.literal("false")
	case 'n':
		return p.literal("null")
	}
	_, ok := p.number()
	return ok
}

// raw reads the bytes of the next value, copied.
func (p *jparser) raw(dst *json.RawMessage) bool {
	p.ws()
	start := p.i
	if !p.skip() {
		return false
	}
	*dst = append(json.RawMessage(nil), p.b[start:p.i]...)
	return true
}

// elements reads an object or an array, from open to close: member reads
// one member (of an object: key and value). It counts the nesting.
func (p *jparser) elements(open, close byte, member func() bool) bool {
	if p.peek() != open || p.depth == maxFastDepth {
		return false
	}
	p.i++
	p.depth++
	if p.peek() == close {
		p.i++
		p.depth--
		return true
	}
	for {
		if !member() {
			return false
		}
		switch p.peek() {
		case ',':
			p.i++
		case close:
			p.i++
			p.depth--
			return true
		default:
			return false
		}
	}
}

// array calls elem for each element of an array.
func (p *jparser) array(elem func() bool) bool { return p.elements('[', ']', elem) }

// members reads an object, calling member with each key; member consumes
// the value.
func (p *jparser) members(member func(key string) bool) bool {
	return p.elements('{', '}', func() bool {
		if p.peek() != '"' {
			return false
		}
		key, ok := p.str()
		if !ok || p.peek() != ':' {
			return false
		}
		p.i++
		return member(key)
	})
}

// object calls field for each key with the key's index in keys; field must
// consume the value. The values of other keys are skipped. A key met twice,
// or a key that matches one of keys only without regard to case, gives up:
// there encoding/json's rules (last wins, case folding) apply.
func (p *jparser) object(keys []string, field func(k int) bool) bool {
	var seen uint64
	return p.members(func(key string) bool {
		k := -1
		for j, name := range keys {
			if key == name {
				k = j
				break
			}
			if strings.EqualFold(key, name) {
				return false
			}
		}
		switch {
		case k < 0:
			return p.skip()
		case seen&(1<<k) != 0:
			return false
		}
		seen |= 1 << k
		return field(k)
	})
}

// list reads an array of T into *dst (null leaves it nil, [] makes it
// empty, as encoding/json does).
func list[T any](p *jparser, dst *[]T, elem func(*T) bool) bool {
	if p.null() {
		return true
	}
	*dst = []T{}
	return p.array(func() bool {
		var zero T
		*dst = append(*dst, zero) // read in place: a local would escape
		return elem(&(*dst)[len(*dst)-1])
	})
}

// The keys of nativeLine, nativeSpan and nativeRel, in field order.
var (
	nativeKeys = jsonKeys(nativeLine{})
	spanKeys   = jsonKeys(nativeSpan{})
	relKeys    = jsonKeys(nativeRel{})
)

// jsonKeys lists the JSON keys of the fields of struct v, in field order.
func jsonKeys(v any) []string {
	t := reflect.TypeOf(v)
	keys := make([]string, t.NumField())
	for i := range keys {
		keys[i], _, _ = strings.Cut(t.Field(i).Tag.Get("json"), ",")
	}
	return keys
}

// fastNative reads a line with the fast reader; ok is false when it gives
// the line up.
func fastNative(line []byte) (nl nativeLine, ok bool) {
	if !utf8.Valid(line) { // encoding/json reads bad bytes as U+FFFD
		return nl, false
	}
	return fastValidNative(line)
}

// fastValidNative is fastNative for valid UTF-8.
func fastValidNative(line []byte) (nl nativeLine, ok bool) {
	p := &jparser{b: line}
	ok = p.fields(nativeKeys, &nl.ID, &nl.Text, &nl.Title, &nl.Meta, &nl.Annotator, &nl.Spans, &nl.Relations,
		&nl.GoldStatus, &nl.Status, &nl.Seconds, &nl.Revision, &nl.Modified, &nl.Clock)
	p.ws()
	return nl, ok && p.i == len(p.b)
}

func (p *jparser) span(sp *nativeSpan) bool {
	return p.fields(spanKeys, &sp.Start, &sp.End, &sp.Label, &sp.Text, &sp.Origin, &sp.Votes, &sp.Decision, &sp.DecidedBy)
}

func (p *jparser) relation(r *nativeRel) bool {
	return p.fields(relKeys, &r.Head, &r.Tail, &r.Label, &r.Votes, &r.Decision, &r.DecidedBy)
}

// fields reads an object whose key keys[i] goes into dst[i], the struct's
// fields in their order; the type of dst[i] says how its value is read, as
// it does for encoding/json.
func (p *jparser) fields(keys []string, dst ...any) bool {
	return p.object(keys, func(k int) bool { return p.value(dst[k]) })
}

func (p *jparser) value(dst any) bool {
	switch d := dst.(type) {
	case *string:
		return p.string(d)
	case **string:
		return p.optString(d)
	case **int:
		return p.optInt(d)
	case *json.RawMessage:
		return p.raw(d)
	case *float64:
		return p.float(d)
	case *int64:
		return p.int64(d)
	case *map[string]int64:
		return p.counts(d)
	case *[]nativeSpan:
		return list(p, d, p.span)
	case *[]nativeRel:
		return list(p, d, p.relation)
	case **[]string:
		if p.null() {
			*d = nil
			return true
		}
		*d = new([]string)
		return list(p, *d, p.string)
	}
	panic(fmt.Sprintf("fast JSON reader: no reader for %T", dst))
}
