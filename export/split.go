package export

import (
	"encoding/binary"
	"fmt"
	"hash/fnv"
	"math"
	"strconv"
	"strings"
)

// Split is one named part of a dataset (train, dev, test) and its share.
type Split struct {
	Name     string
	Fraction float64
}

// ParseSplits reads "train=0.8,dev=0.1,test=0.1": names unique and not
// empty, fractions in (0,1], summing to 1 ± 1e-9.
func ParseSplits(s string) ([]Split, error) {
	var out []Split
	seen := map[string]bool{}
	sum := 0.0
	for _, part := range strings.Split(s, ",") {
		part = strings.TrimSpace(part)
		name, val, ok := strings.Cut(part, "=")
		name = strings.TrimSpace(name)
		if !ok || name == "" {
			return nil, fmt.Errorf("split %q: expected NAME=FRACTION", part)
		}
		if seen[name] {
			return nil, fmt.Errorf("split %q named twice", name)
		}
		seen[name] = true
		f, err := strconv.ParseFloat(strings.TrimSpace(val), 64)
		if err != nil || math.IsNaN(f) || f <= 0 || f > 1 {
			return nil, fmt.Errorf("split %q: fraction %q is not a number in (0,1]", name, val)
		}
		sum += f
		out = append(out, Split{Name: name, Fraction: f})
	}
	if math.Abs(sum-1) > 1e-9 {
		return nil, fmt.Errorf("split fractions sum to %v, not 1", sum)
	}
	return out, nil
}

// SplitOf assigns a document to a split by a stable hash: FNV-1a 64 of the
// seed (8 bytes, little endian) followed by the document id, mapped to
// [0,1) by its top 53 bits, then placed on the cumulative fractions. A
// document depends only on its id, the seed and the fractions, so it never
// moves when documents are added or removed. It returns "" when splits is
// empty.
func SplitOf(docID string, seed int64, splits []Split) string {
	if len(splits) == 0 {
		return ""
	}
	h := fnv.New64a()
	var sb [8]byte
	binary.LittleEndian.PutUint64(sb[:], uint64(seed))
	h.Write(sb[:])
	h.Write([]byte(docID))
	x := float64(mix64(h.Sum64())>>11) / (1 << 53)
	acc := 0.0
	for _, s := range splits {
		acc += s.Fraction
		if x < acc {
			return s.Name
		}
	}
	return splits[len(splits)-1].Name
}

// mix64 is the splitmix64 finalizer. FNV-1a alone leaves the high bits
// nearly unchanged by the last bytes, so ids that differ only at the end
// ("doc1", "doc2", …) would all fall into the same split.
func mix64(z uint64) uint64 {
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9
	z = (z ^ (z >> 27)) * 0x94d049bb133111eb
	return z ^ (z >> 31)
}
