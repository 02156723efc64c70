#!/usr/bin/env bash
# layers.sh — checks the direction of calls that docs/architecture.md promises: each folder of src/
# includes only from the folders it may depend on, and only src/db/ talks to a database library.
# Prints one "ok"/"not ok" line per folder and per rule (TAP-like, counted by tests/run-all.sh).
set -u
cd "$(dirname "$0")/../src" || exit 2

# folder → the include prefixes it may use (its own folder is always allowed). Keep in step with the
# table in docs/architecture.md.
declare -A allowed=(
	[util]="util/"
	[db]="util/"
	[render]="util/"
	[io]="util/"
	[core]="core/ db/db.h util/ render/"
	[api]="core/ db/db.h util/"
	[sched]="core/ db/db.h util/ render/ io/"
	[http]="api/ core/ sched/ db/db.h util/ render/ io/"
	[cmd]="api/ core/ sched/ db/db.h util/ render/ io/ http/server.h"
)

status=0
for dir in util db render io core api sched http cmd; do
	[ -d "$dir" ] || continue
	bad=""
	while IFS= read -r line; do
		file=${line%%:*}
		inc=$(sed -E 's/.*#include "([^"]+)".*/\1/' <<<"${line#*:}")
		case "$inc" in "$dir"/*) continue ;; esac
		ok=0
		for prefix in ${allowed[$dir]}; do
			case "$inc" in "$prefix"*) ok=1 ;; esac
		done
		[ "$ok" -eq 1 ] || bad="$bad $file→$inc"
	done < <(grep -rHn --include='*.[ch]' --include='*.cc' '^#include "' "$dir" | cut -d: -f1,3-)
	if [ -z "$bad" ]; then
		echo "ok - src/$dir includes only from itself and: ${allowed[$dir]}"
	else
		echo "not ok - src/$dir includes what it may not:$bad"
		status=1
	fi
done

# Only the backends see SQLite or libpq; everything else goes through db.h's vtable.
direct=$(grep -rlE --include='*.[ch]' '#include <(sqlite3|libpq-fe)\.h>|\b(sqlite3_[a-z_]+|PQ[a-z][A-Za-z]+)\(' \
	. | grep -v '^\./db/' || true)
if [ -z "$direct" ]; then
	echo "ok - only src/db/ calls a database library"
else
	echo "not ok - database library calls outside src/db/: $direct"
	status=1
fi
exit $status
