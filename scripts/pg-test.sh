#!/usr/bin/env bash
# Runs a command (make test: go test ./...) beside a throwaway PostgreSQL
# cluster: initdb in a temporary directory, a server listening on a socket
# there only, TAWSIM_TEST_PG naming it; afterwards, or on failure, the
# server stops and the directory goes. PostgreSQL refuses to run as root:
# as root the cluster belongs to the postgres system user (made if missing).
set -euo pipefail

bindir=""
for d in /usr/lib/postgresql/*/bin; do [ -x "$d/initdb" ] && bindir=$d; done # the newest
if [ -z "$bindir" ] && command -v pg_config >/dev/null 2>&1; then bindir=$(pg_config --bindir); fi
if [ -z "$bindir" ] || [ ! -x "$bindir/initdb" ]; then
	echo "pg-test: PostgreSQL is not installed (no initdb; scripts/deps.sh installs the postgresql package)" >&2
	exit 1
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/tawsim-pg.XXXXXX")
as=()
if [ "$(id -u)" -eq 0 ]; then
	user=postgres
	if ! id "$user" >/dev/null 2>&1; then
		user=tawsim-pg
		id "$user" >/dev/null 2>&1 || useradd --system --no-create-home --shell /usr/sbin/nologin "$user"
	fi
	chown "$user" "$tmp"
	as=(runuser -u "$user" --)
fi
cleanup() {
	"${as[@]}" "$bindir/pg_ctl" -D "$tmp/data" -m immediate stop >/dev/null 2>&1 || true
	rm -rf "$tmp"
}
trap cleanup EXIT

if ! "${as[@]}" "$bindir/initdb" -D "$tmp/data" -U tawsim --auth=trust -E UTF8 --locale=C >"$tmp/initdb.log" 2>&1; then
	echo "pg-test: initdb failed:" >&2
	cat "$tmp/initdb.log" >&2
	exit 1
fi
# No TCP port: the socket in the private directory cannot clash with another
# server. Durability is not tested here, so the server skips fsync.
opts="-c listen_addresses= -k $tmp -c max_connections=300 -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
if ! "${as[@]}" "$bindir/pg_ctl" -D "$tmp/data" -l "$tmp/server.log" -o "$opts" -w -t 60 start >/dev/null; then
	echo "pg-test: the PostgreSQL server did not start:" >&2
	cat "$tmp/server.log" >&2
	exit 1
fi

export TAWSIM_TEST_PG="postgres://tawsim@/postgres?host=$tmp&sslmode=disable"
export TAWSIM_TEST_PG_REQUIRED=1
echo "pg-test: PostgreSQL server of $bindir at $tmp"
"$@"
