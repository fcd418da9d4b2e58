#!/usr/bin/env bash
# Runs the Windows build under Wine: `tawsim.exe version` must print the
# version, and an import then a headless `render` must write a PNG of the
# document. Fails if either fails. Installs Wine (Debian's wine, wine64)
# when missing; only if it cannot be installed, says so and skips.
# Usage: scripts/wine-smoke.sh PATH/tawsim.exe [VERSION]
# (SMOKE_PNG=FILE keeps the rendered PNG.)
set -euo pipefail
exe=$(realpath "${1:?usage: wine-smoke.sh PATH/tawsim.exe [VERSION]}")
version=${2:-}
keep=${SMOKE_PNG:+$(realpath -m "$SMOKE_PNG")}

if ! command -v wine >/dev/null 2>&1; then
	sudo=""
	[ "$(id -u)" -eq 0 ] || sudo="sudo"
	if command -v apt-get >/dev/null 2>&1; then
		echo "wine-smoke: installing wine wine64 (this may take a while)"
		$sudo apt-get update -qq || true
		DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends wine wine64 >/dev/null || true
	fi
	if ! command -v wine >/dev/null 2>&1; then
		echo "wine-smoke: SKIPPED: Wine is not installed and could not be installed here; tawsim.exe was built but not run" >&2
		exit 0
	fi
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# A private Wine prefix; no Mono or Gecko download prompts, no debug noise.
export WINEPREFIX="$work/prefix" WINEDEBUG=-all WINEDLLOVERRIDES="mscoree,mshtml="
cd "$work"

# wine_ok runs tawsim.exe with the arguments, its output shown indented.
wine_ok() {
	echo "wine-smoke: tawsim.exe $*"
	if ! wine "$exe" "$@" >out.txt 2>&1; then
		sed 's/^/  /' out.txt
		echo "wine-smoke: FAILED: tawsim.exe $* (exit status above)" >&2
		exit 1
	fi
	tr -d '\r' <out.txt | sed 's/^/  /'
}

# Go programs (1.22 on) take their random numbers from ProcessPrng in
# bcryptprimitives.dll, which Windows 10 has and Wine only from 9.0 on. On
# an older Wine (Debian 12 has 8.0) this run's private prefix gets a
# stand-in in its system32 (where Go looks), built with mingw-w64 over
# RtlGenRandom; the package does not carry it (Windows has the real one).
wineboot -i >/dev/null 2>&1 || true
wine_dlls=$(dirname "$(command -v wine)")/../lib/x86_64-linux-gnu/wine/x86_64-windows
if [ ! -e "$wine_dlls/bcryptprimitives.dll" ] && command -v x86_64-w64-mingw32-gcc >/dev/null 2>&1; then
	echo "wine-smoke: $(wine --version) has no bcryptprimitives.dll: using a ProcessPrng stand-in for this run"
	cat >prng.c <<'C'
#include <windows.h>
#include <ntsecapi.h>
__declspec(dllexport) BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T len) {
	while (len > 0) {
		ULONG n = len > 0x10000000 ? 0x10000000 : (ULONG)len;
		if (!RtlGenRandom(data, n))
			return FALSE;
		data += n;
		len -= n;
	}
	return TRUE;
}
C
	x86_64-w64-mingw32-gcc -shared -O2 -o "$WINEPREFIX/drive_c/windows/system32/bcryptprimitives.dll" prng.c -ladvapi32
fi
wine_ok version
if [ -n "$version" ] && ! grep -q "tawsim $version" out.txt; then
	echo "wine-smoke: FAILED: tawsim.exe version does not say $version" >&2
	exit 1
fi
printf 'قال وزير الخارجية في واشنطن إن المحادثات مستمرة.\n' >smoke.txt
wine_ok import --db smoke.db smoke.txt
wine_ok render --db smoke.db --doc smoke --width 600 --out smoke.png
if ! head -c 8 smoke.png | od -An -tx1 | grep -q '89 50 4e 47 0d 0a 1a 0a'; then
	echo "wine-smoke: FAILED: render wrote no PNG" >&2
	exit 1
fi
[ -z "$keep" ] || cp smoke.png "$keep" # kept for a look
echo "wine-smoke: ok: smoke.png is a $(stat -c %s smoke.png)-byte PNG"
