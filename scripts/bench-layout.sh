#!/usr/bin/env bash
# make bench-layout: lays out the same 100,000-code-point text (Noto Naskh
# Arabic 20 px, 900 px wide) in Tawsim and in headless Chromium (Blink's
# LayoutNG), 5 rounds each, and prints both medians and their ratio.
# Tawsim: 5 fresh processes, each timing its first layout (empty word cache)
# and 5 warm ones (TestLayoutTimes), and 5 fresh processes drawing their
# first screen (TestFirstScreenTimes). Chromium: 5 rounds in one page of
# setting the text and reading the div's bounding box (TestWriteChromiumPage).
# Installs Debian's chromium when it is missing (never part of make test).
# Everything stays on this machine: the page is a local file.
set -euo pipefail
cd "$(dirname "$0")/.."
GO=${GO:-go}
ROUNDS=5

if ! command -v chromium >/dev/null 2>&1; then
	sudo=""
	[ "$(id -u)" -eq 0 ] || sudo="sudo"
	echo "bench-layout: installing chromium"
	$sudo apt-get update -qq
	DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq chromium fonts-noto-core >/dev/null
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
$GO test -c -o "$tmp/layout.test" ./annotate/layout

median() { sort -g | awk '{v[NR]=$1} END {print v[int((NR+1)/2)]}'; }

: >"$tmp/tawsim"
for _ in $(seq $ROUNDS); do
	(cd annotate/layout && TAWSIM_BENCH_LAYOUT=1 "$tmp/layout.test" -test.run '^TestLayoutTimes$') >>"$tmp/tawsim"
done
for _ in $(seq $ROUNDS); do
	(cd annotate/layout && TAWSIM_BENCH_SCREEN=1 "$tmp/layout.test" -test.run '^TestFirstScreenTimes$') >>"$tmp/tawsim"
done
field() { grep "^$1:" "$tmp/tawsim" | sed -E "s/.*$2 ([0-9.]+) ms.*/\1/" | median; }
first_cpu=$(field first cpu)
first_wall=$(field first wall)
warm_cpu=$(field warm cpu)
warm_wall=$(field warm wall)
first_user=$(field first user)
first_sys=$(field first sys)
grep -m1 '^first:' "$tmp/tawsim" | sed -E 's/.*ms, ([0-9]+ lines, [0-9]+ px).*/tawsim layout: \1/'
grep -m1 '^cache:' "$tmp/tawsim" | sed 's/^/tawsim word /'

(cd annotate/layout && TAWSIM_BENCH_PAGE="$tmp/page.html" "$tmp/layout.test" -test.run '^TestWriteChromiumPage$' >/dev/null)
: >"$tmp/chromium"
for _ in $(seq $ROUNDS); do
	chromium --headless --no-sandbox --disable-gpu --dump-dom "file://$tmp/page.html" 2>/dev/null |
		grep -o 'chromium-ms [^<]*' >>"$tmp/chromium"
done
sed -E 's/.*(lines [0-9]+ height [0-9]+)/chromium layout: \1/' "$tmp/chromium" | head -1
# Every page's first round is Chromium's cold one; the others are warm.
chr_first=$(awk '{print $2}' "$tmp/chromium" | median)
chr_warm=$(awk '{for (i = 3; i <= 6; i++) print $i}' "$tmp/chromium" | median)

uptime | sed 's/.*load/machine load/'
printf 'tawsim   first layout: %6.1f ms wall, %6.1f ms CPU (median of %d fresh processes; user %.1f, system %.1f)\n' \
	"$first_wall" "$first_cpu" $ROUNDS "$first_user" "$first_sys"
printf 'tawsim   warm layout:  %6.1f ms wall, %6.1f ms CPU (median of %d×5)\n' "$warm_wall" "$warm_cpu" $ROUNDS
printf 'tawsim   first screen: %6.1f ms wall, %6.1f ms CPU (median of %d fresh processes: fonts, layout and drawing of 1,000 px)\n' \
	"$(field screen wall)" "$(field screen cpu)" $ROUNDS
printf 'chromium first layout: %6.1f ms wall (median of %d pages)\n' "$chr_first" $ROUNDS
printf 'chromium warm layout:  %6.1f ms wall (median of %d×4)\n' "$chr_warm" $ROUNDS
awk -v t="$warm_wall" -v c="$chr_warm" 'BEGIN {printf "ratio tawsim/chromium, warm wall: %.2f\n", t / c}'
awk -v t="$first_wall" -v c="$chr_first" 'BEGIN {printf "ratio tawsim/chromium, first wall: %.2f\n", t / c}'
