// Package export holds the dataset formats Tawsim speaks, in both
// directions: every format reads a file into annotate.Records and writes
// records back (the name is historical; import uses it as much as export).
// Every reader checks each span against its document and names file and
// line in every error; every writer checks each span against the text again
// before writing it. The formats are listed in one place, formats in
// formats.go; each JSON format describes its shape once, as struct types
// that its reader decodes and its writer encodes (json.go).
package export
