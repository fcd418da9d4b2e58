package annotate

import (
	"fmt"
	"sort"
	"unicode/utf8"
)

// Offsets converts between the three ways of counting a position in a text:
// code points (Tawsim's unit), UTF-8 bytes (Go strings, brat files on disk)
// and UTF-16 code units (JavaScript front ends such as Label Studio, Java
// tools such as INCEpTION). Conversions are O(1) for pure-ASCII and
// pure-BMP stretches and O(log n) otherwise.
type Offsets struct {
	n      int   // length in code points
	bytes  int   // length in bytes
	units  int   // length in UTF-16 units
	byteAt []int // byteAt[i] = byte offset of code point i (len n+1); nil when ASCII
	astral []int // code point indexes of characters outside the BMP, ascending
}

// NewOffsets indexes text for offset conversions.
func NewOffsets(text string) *Offsets {
	o := &Offsets{bytes: len(text)}
	ascii := true
	for i := 0; i < len(text); i++ {
		if text[i] >= utf8.RuneSelf {
			ascii = false
			break
		}
	}
	if ascii {
		o.n, o.units = len(text), len(text)
		return o
	}
	o.byteAt = make([]int, 0, len(text)/2+1)
	i := 0
	for b, r := range text {
		o.byteAt = append(o.byteAt, b)
		if r > 0xFFFF {
			o.astral = append(o.astral, i)
		}
		i++
	}
	o.byteAt = append(o.byteAt, len(text))
	o.n = i
	o.units = i + len(o.astral)
	return o
}

// Len is the text length in code points.
func (o *Offsets) Len() int { return o.n }

// UTF16Len is the text length in UTF-16 code units.
func (o *Offsets) UTF16Len() int { return o.units }

// ByteLen is the text length in bytes.
func (o *Offsets) ByteLen() int { return o.bytes }

// ToByte converts a code-point offset (0..Len) to a byte offset.
func (o *Offsets) ToByte(cp int) (int, error) {
	if cp < 0 || cp > o.n {
		return 0, fmt.Errorf("code point offset %d outside 0..%d", cp, o.n)
	}
	if o.byteAt == nil {
		return cp, nil
	}
	return o.byteAt[cp], nil
}

// FromByte converts a byte offset to a code-point offset. The byte offset
// must fall on a character boundary.
func (o *Offsets) FromByte(b int) (int, error) {
	if b < 0 || b > o.bytes {
		return 0, fmt.Errorf("byte offset %d outside 0..%d", b, o.bytes)
	}
	if o.byteAt == nil {
		return b, nil
	}
	i := sort.SearchInts(o.byteAt, b)
	if i > o.n || o.byteAt[i] != b {
		return 0, fmt.Errorf("byte offset %d falls inside a character", b)
	}
	return i, nil
}

// ToUTF16 converts a code-point offset to a UTF-16 code-unit offset.
func (o *Offsets) ToUTF16(cp int) (int, error) {
	if cp < 0 || cp > o.n {
		return 0, fmt.Errorf("code point offset %d outside 0..%d", cp, o.n)
	}
	// Each astral character before cp adds one unit.
	return cp + sort.SearchInts(o.astral, cp), nil
}

// FromUTF16 converts a UTF-16 code-unit offset to a code-point offset. An
// offset between the two halves of a surrogate pair is an error.
func (o *Offsets) FromUTF16(u int) (int, error) {
	if u < 0 || u > o.units {
		return 0, fmt.Errorf("UTF-16 offset %d outside 0..%d", u, o.units)
	}
	// Find k = number of astral characters wholly before u: the largest k
	// with astral[k-1] + k <= u (astral char at cp a occupies units a+k-1+{0,1}).
	k := sort.Search(len(o.astral), func(k int) bool { return o.astral[k]+k+1 > u-1 })
	// astral[k] is the first astral char whose second unit is at or after u.
	if k < len(o.astral) && o.astral[k]+k+1 == u {
		return 0, fmt.Errorf("UTF-16 offset %d splits a surrogate pair", u)
	}
	return u - k, nil
}

// Slice returns text[start:end] in code points, or an error when the range
// is not inside the text.
func (o *Offsets) Slice(text string, start, end int) (string, error) {
	if start > end {
		return "", fmt.Errorf("range [%d,%d) is reversed", start, end)
	}
	bs, err := o.ToByte(start)
	if err != nil {
		return "", err
	}
	be, err := o.ToByte(end)
	if err != nil {
		return "", err
	}
	return text[bs:be], nil
}
