package annotate

import "cmp"

// CompareSpans is the reading order of spans: by start, then end, then
// label in string order. Layers are kept, listed and searched in this
// order.
func CompareSpans(a, b Span) int {
	return CompareReading(a.Start, a.End, a.Label, b.Start, b.End, b.Label)
}

// CompareReading is CompareSpans for spans held in other forms, such as
// int32 offsets or a label replaced by its rank in string order.
func CompareReading[P, L cmp.Ordered](aStart, aEnd P, aLabel L, bStart, bEnd P, bLabel L) int {
	if aStart != bStart {
		return cmp.Compare(aStart, bStart)
	}
	if aEnd != bEnd {
		return cmp.Compare(aEnd, bEnd)
	}
	return cmp.Compare(aLabel, bLabel)
}
