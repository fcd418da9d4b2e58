package annotate

import (
	"fmt"
	"slices"
)

// RelationType is a kind of relation of the project with the span labels
// its ends may carry (the attribution scheme of PARC 3.0: a claim, its
// source and its cue).
type RelationType struct {
	Name  string   // e.g. SOURCE
	Heads []string // labels the head span may carry
	Tails []string // labels the tail span may carry
}

// DefaultRelationTypes are the relation types a new project starts with.
func DefaultRelationTypes() []RelationType {
	return []RelationType{
		{Name: "SOURCE", Heads: []string{"CLAIM"}, Tails: []string{"PERSON", "ORGANIZATION", "STATE"}},
		{Name: "CUE", Heads: []string{"CLAIM"}, Tails: []string{"CUE"}},
	}
}

// Allows reports whether a relation of type t may join a head span labelled
// head to a tail span labelled tail.
func (t RelationType) Allows(head, tail string) bool {
	return slices.Contains(t.Heads, head) && slices.Contains(t.Tails, tail)
}

// CheckRelation says why a relation labelled label between spans labelled
// head and tail breaks the rules of types, or returns nil.
func CheckRelation(types []RelationType, label, head, tail string) error {
	for _, t := range types {
		if t.Name != label {
			continue
		}
		if !t.Allows(head, tail) {
			return fmt.Errorf("a %s relation joins %v to %v, not %s to %s", label, t.Heads, t.Tails, head, tail)
		}
		return nil
	}
	return fmt.Errorf("unknown relation type %q", label)
}
