// Package assign plans who annotates which document: a share of the
// documents goes to every annotator (so that their agreement can be
// measured), each other document to exactly k of them, balanced, the same
// plan for the same seed.
package assign

import (
	"errors"
	"fmt"
	"maps"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
)

// Assignment is who annotates one document. Overlap marks a document of
// the shared share (given to every annotator of the plan).
type Assignment struct {
	Doc        string
	Annotators []string // sorted
	Overlap    bool
}

// Options are the inputs of Plan.
type Options struct {
	Docs       []string // document ids (their order does not matter)
	Annotators []string // names (their order does not matter)
	PerDoc     int      // k: annotators per document outside the overlap
	Overlap    float64  // share of the documents every annotator gets, in [0, 1]
	Seed       uint64
	// Gold is the name of the project's gold layer, the adjudicator's:
	// never an annotator.
	Gold string
}

// Check refuses options Plan cannot honour, saying which and why.
func (o Options) Check() error {
	if len(o.Annotators) == 0 {
		return errors.New("no annotators: name at least one")
	}
	seen := map[string]bool{}
	for _, a := range o.Annotators {
		switch {
		case strings.TrimSpace(a) == "" || a != strings.TrimSpace(a):
			return fmt.Errorf("annotator name %q is empty or has surrounding spaces", a)
		case a == o.Gold:
			return fmt.Errorf("%q is the gold layer, not an annotator: it cannot be assigned documents", a)
		case seen[a]:
			return fmt.Errorf("annotator %q is named twice", a)
		}
		seen[a] = true
	}
	if o.PerDoc < 1 {
		return fmt.Errorf("annotators per document is %d: it must be at least 1", o.PerDoc)
	}
	if o.PerDoc > len(o.Annotators) {
		return fmt.Errorf("annotators per document is %d but only %d annotators are named", o.PerDoc, len(o.Annotators))
	}
	if !(o.Overlap >= 0 && o.Overlap <= 1) { // NaN too
		return fmt.Errorf("overlap %v is outside [0, 1] (0.2 gives a fifth of the documents to everyone)", o.Overlap)
	}
	docs := map[string]bool{}
	for _, d := range o.Docs {
		if docs[d] {
			return fmt.Errorf("document %q is named twice", d)
		}
		docs[d] = true
	}
	return nil
}

// Plan assigns every document of o: round(Overlap × N) of them, chosen by
// the seed, to every annotator; each other one to PerDoc annotators, those
// with the fewest documents so far (ties broken by the seed), so that the
// annotators' counts end within one of each other. The result is in the
// order of the sorted document ids and depends only on the sets of
// documents and annotators, k, the overlap and the seed.
func Plan(o Options) ([]Assignment, error) {
	if err := o.Check(); err != nil {
		return nil, err
	}
	docs := slices.Sorted(slices.Values(o.Docs))
	names := slices.Sorted(slices.Values(o.Annotators))
	rng := rand.New(rand.NewPCG(o.Seed, 0x74617773696d)) // "tawsim"
	order := rng.Perm(len(docs))
	shared := int(math.Round(o.Overlap * float64(len(docs))))

	out := make([]Assignment, len(docs))
	count := make(map[string]int, len(names))
	for n, i := range order {
		if n < shared {
			out[i] = Assignment{Doc: docs[i], Annotators: slices.Clone(names), Overlap: true}
			continue
		}
		// Shuffled, then stably by load: the least loaded, ties by chance.
		pick := slices.Clone(names)
		rng.Shuffle(len(pick), func(a, b int) { pick[a], pick[b] = pick[b], pick[a] })
		slices.SortStableFunc(pick, func(a, b string) int { return count[a] - count[b] })
		pick = pick[:o.PerDoc]
		for _, a := range pick {
			count[a]++
		}
		slices.Sort(pick)
		out[i] = Assignment{Doc: docs[i], Annotators: pick}
	}
	return out, nil
}

// Load is one annotator's share of a plan.
type Load struct {
	Annotator string
	Docs      int // all assigned documents
	Overlap   int // of which shared with everyone
}

// Loads sums a plan up per annotator, by name.
func Loads(plan []Assignment) []Load {
	by := map[string]*Load{}
	for _, as := range plan {
		for _, a := range as.Annotators {
			l := by[a]
			if l == nil {
				l = &Load{Annotator: a}
				by[a] = l
			}
			l.Docs++
			if as.Overlap {
				l.Overlap++
			}
		}
	}
	out := make([]Load, 0, len(by))
	for _, name := range slices.Sorted(maps.Keys(by)) {
		out = append(out, *by[name])
	}
	return out
}
