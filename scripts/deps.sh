#!/usr/bin/env bash
# Installs what building and testing Tawsim needs and is missing.
# Debian/Ubuntu: installs the packages with apt-get (sudo only when not root).
# Other systems: says what to install.
set -euo pipefail

# gcc and the X11/GL headers: Fyne's cgo driver. unicode-data: the Unicode
# bidi conformance suites the layout tests read. fonts-noto-core: reference
# fonts (the app embeds its own). xvfb, xauth: running the real window
# without a display. postgresql: the throwaway server the tests also run
# the storage on (scripts/pg-test.sh; its binaries are under
# /usr/lib/postgresql/*/bin). time: GNU time, which the memory tests
# measure a command's peak with.
DEB_PKGS=(gcc pkg-config libgl1-mesa-dev xorg-dev unicode-data fonts-noto-core xvfb xauth postgresql time)

case "$(uname -s)" in
Linux)
	if ! command -v apt-get >/dev/null 2>&1; then
		echo "deps: not a Debian/Ubuntu system; install a C compiler, the X11 and OpenGL development headers, PostgreSQL (make test starts a throwaway server) and Go >= 1.24 yourself (see https://docs.fyne.io/started/)." >&2
		exit 0
	fi
	missing=()
	for p in "${DEB_PKGS[@]}"; do
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
	done
	if ((${#missing[@]})); then
		sudo=""
		[ "$(id -u)" -eq 0 ] || sudo="sudo"
		echo "deps: installing ${missing[*]}"
		$sudo apt-get update -qq
		DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
	fi
	;;
Darwin)
	xcode-select -p >/dev/null 2>&1 || echo "deps: run 'xcode-select --install' for the C compiler Fyne needs." >&2
	;;
MINGW* | MSYS* | CYGWIN*)
	command -v gcc >/dev/null 2>&1 || echo "deps: install a C compiler for Fyne, e.g. MSYS2 with 'pacman -S mingw-w64-x86_64-toolchain'." >&2
	;;
esac

if ! command -v go >/dev/null 2>&1; then
	echo "deps: Go is not installed; install Go 1.24 or newer from the Go downloads page or your package manager." >&2
	exit 1
fi
