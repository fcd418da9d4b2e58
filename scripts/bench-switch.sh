#!/usr/bin/env bash
# Measures the app in a real window (Xvfb, Mesa's software OpenGL) on a
# 50,000-document project: how long until the window is on screen and until
# the process goes idle (the document list read and drawn), then the CPU
# time of one document switch (Ctrl+PgDn), net of the idle process's, over
# N switches. Not part of make test.
#   scripts/bench-switch.sh            this tree's app, a fresh project
#   BIN=/tmp/old DB=/tmp/50k.db N=60 scripts/bench-switch.sh
# DB is made when missing (TestProject50k) and kept when named.
set -euo pipefail
cd "$(dirname "$0")/.."
GO=${GO:-go}
N=${N:-40}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
if [ -z "${BIN:-}" ]; then
	$GO build -o "$tmp/tawsim" .
	BIN=$tmp/tawsim
fi
DB=${DB:-$tmp/50k.db}
if [ ! -f "$DB" ]; then
	echo "bench-switch: making a 50,000-document project in $DB"
	(cd app && TAWSIM_50K="$DB" $GO test -count 1 -run '^TestProject50k$' . >/dev/null)
fi
prefs=$tmp/home/.config/fyne/org.tawsim.app
mkdir -p "$prefs"
echo '{"annotator":"amina"}' >"$prefs/preferences.json"
export HOME=$tmp/home BIN DB N SHOT=${SHOT:-}

xvfb-run -a -s "-screen 0 1280x800x24" bash -c '
set -euo pipefail
tck=$(getconf CLK_TCK)
cpu() { awk -v t="$tck" "{print (\$14 + \$15) * 1000 / t}" /proc/$pid/stat; }
now() { date +%s.%N; }
t0=$(now)
"$BIN" --db "$DB" 2>/dev/null &
pid=$!
wid=$(xdotool search --sync --onlyvisible --name Tawsim | head -1)
t1=$(now)
# Idle: no CPU used for 0.5 s.
last=$(cpu); tl=$(now); quiet=0
while [ $quiet -lt 10 ]; do
	sleep 0.05
	c=$(cpu)
	if [ "$c" != "$last" ]; then last=$c; tl=$(now); quiet=0; else quiet=$((quiet + 1)); fi
done
awk -v a="$t0" -v b="$t1" -v c="$tl" -v u="$last" "BEGIN {printf \"start-up: window on screen after %.0f ms, idle after %.0f ms (%.0f ms CPU)\\n\", (b-a)*1000, (c-a)*1000, u}"
xdotool windowfocus --sync "$wid"
sleep 1
c0=$(cpu); s0=$(now)
for _ in $(seq "$N"); do xdotool key --window "$wid" ctrl+Next; sleep 0.15; done
sleep 1
c1=$(cpu); s1=$(now)
sleep "$(awk -v a="$s0" -v b="$s1" "BEGIN {print b-a}")"
c2=$(cpu)
[ -z "$SHOT" ] || import -window root "$SHOT"
kill $pid
wait $pid 2>/dev/null || true
awk -v n="$N" -v a="$c0" -v b="$c1" -v c="$c2" "BEGIN {printf \"switch: %.1f ms CPU per document (%d switches: %.0f ms, idle %.0f ms over the same time)\\n\", ((b-a)-(c-b))/n, n, b-a, c-b}"
'
