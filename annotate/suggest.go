package annotate

// Origin is where a suggestion comes from.
type Origin string

const (
	OriginPropagated Origin = "propagated" // another mention of a labelled span's text
	OriginGazetteer  Origin = "gazetteer"  // a name list
	OriginModel      Origin = "model"      // predictions, or another layer
)

// ValidOrigin reports whether o is one of the origins (or empty: by hand).
func ValidOrigin(o Origin) bool {
	return o == "" || o == OriginPropagated || o == OriginGazetteer || o == OriginModel
}

// Suggestion is a span proposed for an annotator's layer. It is not
// annotation: nothing counts it until the annotator accepts it, when it
// becomes a span that keeps its Origin.
type Suggestion struct {
	ID     int64  `json:"id"` // store id; 0 when not stored
	Doc    string `json:"doc"`
	Start  int    `json:"start"`
	End    int    `json:"end"`
	Label  string `json:"label"`
	Text   string `json:"text"`
	Origin Origin `json:"origin"`
}
