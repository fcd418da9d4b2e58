#!/usr/bin/env bash
# make dist: the release packages of the version in FyneApp.toml, in dist/:
#   tawsim-VERSION-linux-amd64.tar.xz   made by the Fyne packaging tool (the
#       binary, the .desktop file, the icon, a Makefile with install,
#       uninstall, user-install and user-uninstall), with LICENSE and
#       THIRD_PARTY_NOTICES.md added (installed under share/doc/tawsim);
#   tawsim-VERSION-windows-amd64.zip    tawsim.exe (icon and version metadata
#       by the same tool, cross-built with mingw-w64) with the licences.
# Then scripts/wine-smoke.sh runs tawsim.exe under Wine. Debian packages it
# needs are installed when missing (apt-get, as root or through sudo).
set -euo pipefail
cd "$(dirname "$0")/.."

# The Fyne packaging tool, pinned; fetched through the Go module proxy.
FYNE=fyne.io/tools/cmd/fyne@v1.7.4
MINGW_CC=x86_64-w64-mingw32-gcc

version=$(sed -n 's/^[[:space:]]*Version[[:space:]]*=[[:space:]]*"\(.*\)"/\1/p' FyneApp.toml)
if [ -z "$version" ]; then
	echo "dist: FyneApp.toml has no Version" >&2
	exit 1
fi
if ! grep -q "ProgramVersion = \"$version\"" cli/cli.go; then
	echo "dist: FyneApp.toml says $version but cli.ProgramVersion (cli/cli.go) differs: make them agree" >&2
	exit 1
fi

# deb_install installs the Debian packages named that are missing.
deb_install() {
	local missing=() p
	for p in "$@"; do
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
	done
	((${#missing[@]})) || return 0
	if ! command -v apt-get >/dev/null 2>&1; then
		echo "dist: install ${missing[*]} (or their equivalents) yourself" >&2
		return 1
	fi
	local sudo=""
	[ "$(id -u)" -eq 0 ] || sudo="sudo"
	echo "dist: installing ${missing[*]}"
	$sudo apt-get update -qq
	DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}
scripts/deps.sh
deb_install gcc-mingw-w64-x86-64 xz-utils zip

build=dist/build
rm -rf "$build" dist/tawsim-*
mkdir -p "$build/src"
# The tool writes beside the sources (metadata, the Windows resources):
# it works on a copy, which keeps the tree clean if a build is stopped.
tar --exclude=./dist --exclude=./.git --exclude=./tawsim -cf - . | tar -xf - -C "$build/src"
# Built once for this machine (go run with the cross compiler's CC would
# build the tool itself for Windows).
GOBIN=$PWD/$build/bin go install "$FYNE"
fyne=$PWD/$build/bin/fyne
docs=(LICENSE THIRD_PARTY_NOTICES.md README.md)

echo "dist: Linux package (fyne package -os linux)"
(cd "$build/src" && "$fyne" package -os linux -release)
linux="$build/linux"
mkdir -p "$linux"
tar -xJf "$build/src/Tawsim.tar.xz" -C "$linux"
root="$linux/tawsim"
mkdir -p "$root/usr/local/share/doc/tawsim"
cp "${docs[@]}" "$root/usr/local/share/doc/tawsim/"
cp LICENSE THIRD_PARTY_NOTICES.md "$root/"
# The tool's Makefile installs the binary, .desktop file and icon: the
# licences go with them.
awk '
	{ print }
	/^install:/ { t = "$(DESTDIR)$(PREFIX)" }
	/^user-install:/ { t = "$(DESTDIR)$(HOME)/.local" }
	/^uninstall:/ { print "\t-rm -r $(DESTDIR)$(PREFIX)/share/doc/tawsim" }
	/^user-uninstall:/ { print "\t-rm -r $(DESTDIR)$(HOME)/.local/share/doc/tawsim" }
	t != "" && /^(install|user-install):/ {
		print "\tinstall -d " t "/share/doc/tawsim"
		print "\tinstall -m00644 usr/local/share/doc/tawsim/* " t "/share/doc/tawsim/"
		t = ""
	}
' "$root/Makefile" >"$root/Makefile.new"
mv "$root/Makefile.new" "$root/Makefile"
linux_pkg="dist/tawsim-$version-linux-amd64.tar.xz"
tar -cJf "$linux_pkg" -C "$linux" tawsim

echo "dist: Windows package (fyne package -os windows, $MINGW_CC)"
(cd "$build/src" && CC=$MINGW_CC CGO_ENABLED=1 GOARCH=amd64 "$fyne" package -os windows -release)
win="$build/tawsim-$version-windows-amd64"
mkdir -p "$win"
mv "$build/src/Tawsim.exe" "$win/tawsim.exe"
cp LICENSE README.md "$win/"
# The notices of what the Windows binary links (not quite the Linux list).
GOOS=windows CGO_ENABLED=1 scripts/notices.sh "$win/THIRD_PARTY_NOTICES.md" >/dev/null
win_pkg="dist/tawsim-$version-windows-amd64.zip"
(cd "$build" && zip -q -r -9 "../$(basename "$win_pkg")" "$(basename "$win")")

SMOKE_PNG=$build/wine-smoke.png scripts/wine-smoke.sh "$win/tawsim.exe" "$version"

echo "dist: packages of Tawsim $version:"
ls -l "$linux_pkg" "$win_pkg"
