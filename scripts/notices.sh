#!/usr/bin/env bash
# Writes THIRD_PARTY_NOTICES.md (or the file named): every module the
# tawsim binary links, with its licence text from the Go module cache, and
# the embedded fonts. Run it after changing dependencies; notices_test.go
# checks it is current. GOOS=windows lists what the Windows build links
# (make dist puts that list in the Windows package).
set -euo pipefail
out=$(realpath -m "${1:-THIRD_PARTY_NOTICES.md}")
cd "$(dirname "$0")/.."
[ $# -gt 0 ] || out=$PWD/THIRD_PARTY_NOTICES.md
case "$(go env GOOS)" in
windows) os=Windows ;;
darwin) os=macOS ;;
*) os=Linux ;;
esac
modcache=$(go env GOMODCACHE)

# kind names a licence text by its first distinctive words.
kind() {
	local f=$1
	if grep -q "GNU LESSER GENERAL PUBLIC LICENSE" "$f"; then
		grep -q "Version 2.1" "$f" && echo "LGPL-2.1" || echo "LGPL"
	elif grep -qi "MIT and Apache" "$f"; then echo "MIT AND Apache-2.0"
	elif grep -q "Apache License" "$f"; then echo "Apache-2.0"
	elif grep -q "Mozilla Public License" "$f"; then echo "MPL-2.0"
	elif grep -qi "UNLICENSE\|unlicense" "$f" && grep -q "BSD" "$f"; then echo "Unlicense OR BSD-3-Clause"
	elif grep -qi "Permission to use, copy, modify, and/or distribute" "$f"; then echo "ISC"
	elif grep -qi "Permission is hereby granted, free of charge" "$f"; then echo "MIT"
	elif grep -qi "Neither the name" "$f"; then echo "BSD-3-Clause"
	elif grep -qi "Redistribution and use in source and binary forms" "$f"; then echo "BSD-2-Clause"
	elif grep -qi "Permission to use, copy, modify" "$f"; then echo "ISC"
	else echo "see text"
	fi
}

licence_file() {
	ls "$1" 2>/dev/null | grep -i -E '^(licen[cs]e|copying|unlicense)(\.(txt|md))?$' | head -1 || true
}

{
	echo "# Third-party notices"
	echo
	echo "The \`tawsim\` binary links the Go modules below (as \`go list -deps .\`"
	echo "lists them for $os) and embeds the fonts at the end. Each licence text"
	echo "follows its module. Regenerate with \`scripts/notices.sh\`."
	echo
	echo "The bidi embedding levels come from \`github.com/benoitkugler/textlayout/fribidi\`,"
	echo "a Go port of GNU FriBidi under the **GNU LGPL 2.1** (the rest of that module"
	echo "is MIT). Tawsim is statically linked; its complete source is available under"
	echo "the MIT licence (LICENSE), so you can rebuild the binary against a modified"
	echo "version of that package, as the LGPL 2.1 (section 6) requires."
	echo
	echo "| module | version | licence |"
	echo "|---|---|---|"
	go list -deps -f '{{with .Module}}{{if not (or .Main .Replace)}}{{.Path}} {{.Version}} {{.Dir}}{{end}}{{end}}' . | sort -u |
		while read -r path version dir; do
			[ -d "$dir" ] || continue
			f=$(licence_file "$dir")
			k="see text"
			[ -n "$f" ] && k=$(kind "$dir/$f")
			[ "$path" = github.com/benoitkugler/textlayout ] && k="MIT; package fribidi LGPL-2.1"
			echo "| $path | $version | $k |"
		done
	echo "| Go standard library | | BSD-3-Clause |"
	echo "| Noto Naskh Arabic, Noto Sans and its Latin core subset (assets/fonts) | | OFL-1.1 |"
	echo "| Symbola, a subset for emoji and symbols (assets/fonts/Symbola-subset.ttf) | 2.60 | free for any use (see text) |"
	echo
	go list -deps -f '{{with .Module}}{{if not (or .Main .Replace)}}{{.Path}} {{.Version}} {{.Dir}}{{end}}{{end}}' . | sort -u |
		while read -r path version dir; do
			[ -d "$dir" ] || continue
			f=$(licence_file "$dir")
			echo "## $path $version"
			echo
			if [ -n "$f" ]; then
				echo '```'
				cat "$dir/$f"
				echo '```'
			else
				echo "(this module ships no licence file of its own)"
			fi
			if [ "$path" = github.com/benoitkugler/textlayout ]; then
				echo
				echo "### package fribidi"
				echo
				echo '```'
				cat "$dir/fribidi/LICENSE"
				echo '```'
			fi
			echo
		done
	echo "## Go standard library"
	echo
	echo '```'
	cat "$(go env GOROOT)/LICENSE"
	echo '```'
	echo
	echo "## Fonts: Noto Naskh Arabic, Noto Sans"
	echo
	echo '```'
	cat assets/fonts/OFL.txt
	echo '```'
	echo
	echo "## Font: Symbola (emoji and symbols)"
	echo
	echo '```'
	cat assets/fonts/Symbola-LICENSE.txt
	echo '```'
} >"$out"
echo "wrote $out"
