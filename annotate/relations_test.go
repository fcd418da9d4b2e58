package annotate

import "testing"

func TestDefaultRelationRules(t *testing.T) {
	types := DefaultRelationTypes()
	for _, c := range []struct {
		label, head, tail string
		ok                bool
	}{
		{"SOURCE", "CLAIM", "PERSON", true},
		{"SOURCE", "CLAIM", "ORGANIZATION", true},
		{"SOURCE", "CLAIM", "STATE", true},
		{"SOURCE", "CLAIM", "CUE", false},
		{"SOURCE", "PERSON", "CLAIM", false},
		{"CUE", "CLAIM", "CUE", true},
		{"CUE", "CLAIM", "PERSON", false},
		{"VISITS", "PERSON", "STATE", false},
	} {
		err := CheckRelation(types, c.label, c.head, c.tail)
		if (err == nil) != c.ok {
			t.Errorf("%s %s→%s: err = %v, want ok = %v", c.label, c.head, c.tail, err, c.ok)
		}
	}
	labels := map[string]bool{}
	for _, l := range DefaultLabels() {
		labels[l.Name] = true
	}
	for _, rt := range types {
		for _, l := range append(rt.Heads, rt.Tails...) {
			if !labels[l] {
				t.Errorf("%s names label %s, which is not a default label", rt.Name, l)
			}
		}
	}
}
