package storage

import "tawsim/annotate"

// AnnotatorWork counts, in one query, the spans of annotator name and the
// documents it worked on (a span there, or a status past todo, as
// project.Worked counts them). An unknown name has none.
func (s *Store) AnnotatorWork(name string) (spans, docs int, err error) {
	var row struct{ Spans, Docs int }
	err = s.db.Raw(`WITH a AS (SELECT id FROM annotators WHERE name = ?)
SELECT (SELECT count(*) FROM spans WHERE annotator_id IN (SELECT id FROM a)) AS spans,
	(SELECT count(*) FROM (
		SELECT document_id FROM spans WHERE annotator_id IN (SELECT id FROM a)
		UNION SELECT document_id FROM doc_statuses WHERE annotator_id IN (SELECT id FROM a) AND status IN (?, ?)
	) AS worked) AS docs`, name, annotate.StatusInProgress, annotate.StatusDone).Scan(&row).Error
	return row.Spans, row.Docs, err
}
