// Package project holds the operations a user runs over a project, shared
// by the command line and the app so that both give the same results:
// importing files (Import, with its totals and their wording), exporting a
// layer with splits (ExportProject), the annotators that count by default
// (Annotators), and the documents an agreement or a score covers
// (AgreementDocs, ScoreFinished).
package project
