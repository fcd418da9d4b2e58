#!/usr/bin/env bash
# Makes assets/fonts/Symbola-subset.ttf, the emoji and symbol fallback font
# of the layout: Symbola 2.60 from Debian's fonts-symbola (monochrome
# outlines, "free for any use", see assets/fonts/Symbola-LICENSE.txt), cut
# to the emoji and symbol blocks and unhinted to keep the binary small.
# Needs apt-get (Debian) for fonts-symbola and python3-fonttools.
set -euo pipefail
cd "$(dirname "$0")/.."
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
py=/usr/bin/python3 # Debian's, where python3-fonttools installs
"$py" -c 'import fontTools' 2>/dev/null || apt-get install -y python3-fonttools >/dev/null
(cd "$tmp" && apt-get download fonts-symbola >/dev/null && dpkg-deb -x fonts-symbola_*.deb x)
src=$(find "$tmp/x" -name 'Symbola*.ttf' | head -1)
# Number forms (Ⅻ ⅓), arrows, mathematical operators (the minus sign −, ≤,
# ≠: Noto Sans has none), technical symbols, enclosed alphanumerics (①),
# geometric symbols, dingbats, the Misc Symbols and Pictographs, Emoticons,
# Transport, Supplemental Symbols, and the joiners.
"$py" -m fontTools.subset "$src" \
	--unicodes="U+2150-218F,U+2190-21FF,U+2200-22FF,U+2300-23FF,U+2460-24FF,U+25A0-25FF,U+2600-27BF,U+2934-2935,U+2B05-2B55,U+3030,U+303D,U+3297,U+3299,U+1F100-1F2FF,U+1F300-1F6FF,U+1F900-1F9FF,U+FE0E,U+FE0F,U+200D,U+20E3" \
	--no-hinting --name-IDs='*' --name-legacy --output-file=assets/fonts/Symbola-subset.ttf
echo "wrote assets/fonts/Symbola-subset.ttf"
