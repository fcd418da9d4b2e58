package project

import (
	"tawsim/annotate/assign"
	"tawsim/storage"
)

// Assign plans o (every document of the project when o.Docs is empty) and
// puts the plan in place for its documents, in one transaction.
func Assign(st *storage.Store, o assign.Options) ([]assign.Assignment, error) {
	o.Gold = storage.GoldLayer
	if len(o.Docs) == 0 {
		docs, err := st.Documents()
		if err != nil {
			return nil, err
		}
		for _, d := range docs {
			o.Docs = append(o.Docs, d.ID)
		}
	}
	plan, err := assign.Plan(o)
	if err != nil {
		return nil, err
	}
	return plan, st.Assign(plan)
}
