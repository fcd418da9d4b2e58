package assign

import (
	"fmt"
	"reflect"
	"slices"
	"strings"
	"testing"
)

func docIDs(n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = fmt.Sprintf("d%03d", i)
	}
	return out
}

func TestPlanBalancedWithOverlap(t *testing.T) {
	for _, c := range []struct {
		docs, k int
		names   []string
		overlap float64
	}{
		{100, 2, []string{"a", "b", "c"}, 0.2},
		{101, 2, []string{"a", "b", "c", "d"}, 0.15},
		{7, 1, []string{"a", "b", "c"}, 0},
		{10, 3, []string{"a", "b", "c"}, 0.5},
		{13, 2, []string{"e", "d", "c", "b", "a"}, 1},
	} {
		o := Options{Docs: docIDs(c.docs), Annotators: c.names, PerDoc: c.k, Overlap: c.overlap, Seed: 7, Gold: "gold"}
		plan, err := Plan(o)
		if err != nil {
			t.Fatal(err)
		}
		if len(plan) != c.docs {
			t.Fatalf("%+v: %d assignments", c, len(plan))
		}
		shared := 0
		for _, as := range plan {
			if !slices.IsSorted(as.Annotators) {
				t.Fatalf("%s: annotators %v not sorted", as.Doc, as.Annotators)
			}
			if as.Overlap {
				shared++
				if len(as.Annotators) != len(c.names) {
					t.Fatalf("overlap document %s has %v", as.Doc, as.Annotators)
				}
			} else if len(as.Annotators) != c.k || len(slices.Compact(slices.Clone(as.Annotators))) != c.k {
				t.Fatalf("%s has %v, want %d distinct annotators", as.Doc, as.Annotators, c.k)
			}
		}
		want := int(float64(c.docs)*c.overlap + 0.5)
		if shared != want {
			t.Errorf("%+v: %d overlap documents, want round(%g × %d) = %d", c, shared, c.overlap, c.docs, want)
		}
		loads := Loads(plan)
		lo, hi := c.docs, 0
		for _, l := range loads {
			lo, hi = min(lo, l.Docs), max(hi, l.Docs)
			if l.Overlap != shared {
				t.Errorf("%s has %d overlap documents, want %d", l.Annotator, l.Overlap, shared)
			}
		}
		if len(loads) != len(c.names) || hi-lo > 1 {
			t.Errorf("%+v: loads %+v are not balanced within 1", c, loads)
		}
	}
}

func TestPlanIsDeterministicForASeed(t *testing.T) {
	o := Options{Docs: docIDs(50), Annotators: []string{"a", "b", "c", "d"}, PerDoc: 2, Overlap: 0.2, Seed: 42}
	p1, _ := Plan(o)
	// The same sets in another order give the same plan.
	o2 := o
	o2.Docs = slices.Clone(o.Docs)
	slices.Reverse(o2.Docs)
	o2.Annotators = []string{"d", "b", "a", "c"}
	p2, _ := Plan(o2)
	if !reflect.DeepEqual(p1, p2) {
		t.Fatal("the same seed and sets gave two plans")
	}
	o.Seed = 43
	p3, _ := Plan(o)
	if reflect.DeepEqual(p1, p3) {
		t.Fatal("another seed gave the same plan")
	}
}

func TestPlanRefusals(t *testing.T) {
	base := Options{Docs: docIDs(5), Annotators: []string{"a", "b"}, PerDoc: 1, Overlap: 0.2, Gold: "gold"}
	for _, c := range []struct {
		edit func(*Options)
		want string
	}{
		{func(o *Options) { o.PerDoc = 0 }, "at least 1"},
		{func(o *Options) { o.PerDoc = 3 }, "only 2 annotators"},
		{func(o *Options) { o.Overlap = 1.5 }, "outside [0, 1]"},
		{func(o *Options) { o.Overlap = -0.1 }, "outside [0, 1]"},
		{func(o *Options) { o.Annotators = []string{"a", "a"} }, `"a" is named twice`},
		{func(o *Options) { o.Annotators = []string{"a", "gold"} }, "gold layer"},
		{func(o *Options) { o.Annotators = []string{"a", " b"} }, "surrounding spaces"},
		{func(o *Options) { o.Annotators = nil }, "no annotators"},
		{func(o *Options) { o.Docs = []string{"x", "x"} }, `document "x" is named twice`},
	} {
		o := base
		c.edit(&o)
		if _, err := Plan(o); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%+v: error %v, want one saying %q", o, err, c.want)
		}
	}
}
