#!/usr/bin/env bash
# bench/import_hubspot.sh ROWS [RUNS] — imports a HubSpot-shaped contact export (bench/hubspot_contacts.py)
# of ROWS contacts with `rapport import contacts --bulk`, beside two limits measured in the same sitting:
#   fair   sqlite3 alone writing the same rows into the same schema (bench/hubspot_fair.sql: the
#          clients, contacts, notes, audit entries and full-text indexes Rapport writes; t1740 checks
#          they are the same rows);
#   bare   sqlite3's .import of the file into a table of its own (no schema, no index: the floor).
# Each is run RUNS times (default 3), alternating, each into a fresh database; the medians are printed
# as one line per load, "NAME ROWS_PER_S MEDIAN_MS PEAK_RSS_KB MEDIAN_CPU_MS (ms of every run)", then
# "ratio R" (rapport's rows/s over the fair limit's) and "cpu_ratio R" (the same by CPU time, user and
# system: steadier than the clock on a machine shared with other work, though not immune to it). Checks that rapport and the fair load wrote the same numbers of clients,
# contacts and notes. RAPPORT_BIN: the binary (default: ./rapport, the optimised build). bench/run.sh
# runs it; run it alone to measure the import without the rest of the bench.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
rows=${1:?usage: bench/import_hubspot.sh ROWS [RUNS]}
runs=${2:-3}
BIN=${RAPPORT_BIN:-$here/../rapport}
work=$(mktemp -d /tmp/rapport-hubspot.XXXXXX)
trap 'rm -rf "$work"' EXIT
python3 "$here/hubspot_contacts.py" "$rows" 1 >"$work/hubspot.csv"

now_ms() { date +%s%3N; }
# timed NAME COMMAND...: runs COMMAND in $work, appends "ms rss_kb" to $work/NAME.runs
timed() {
  local name=$1 t0 t1
  shift
  t0=$(now_ms)
  (cd "$work" && /usr/bin/time -f '%M %U %S' -o "$work/rss" "$@" >/dev/null)
  t1=$(now_ms)
  echo "$((t1 - t0)) $(awk '{ printf "%d %d", $1, ($2 + $3) * 1000 }' "$work/rss")" >>"$work/$name.runs"
}
fresh() { # fresh DB: a new Rapport database
  rm -f "$work/$1" "$work/$1-wal" "$work/$1-shm"
  RAPPORT_ADMIN_PASSWORD=bench-password-1 "$BIN" init --db "$work/$1" --admin-email bench@example.com >/dev/null
}
counts() { sqlite3 "$work/$1" "SELECT (SELECT COUNT(*) FROM clients) || ' ' || (SELECT COUNT(*) FROM contacts) || ' ' || (SELECT COUNT(*) FROM interactions)"; }

for _ in $(seq 1 "$runs"); do
  rm -f "$work/bare.db"
  timed bare sqlite3 bare.db ".import --csv hubspot.csv contacts"
  fresh fair.db
  timed fair sh -c "sqlite3 -bail fair.db <'$here/hubspot_fair.sql'"
  fresh rapport.db
  timed rapport "$BIN" import contacts hubspot.csv --db rapport.db --bulk
done
want=$(counts fair.db) got=$(counts rapport.db)
if [ "$want" != "$got" ]; then
  echo "import_hubspot: rapport wrote clients, contacts, notes $got; the fair load $want" >&2
  exit 1
fi
# the median run's ms, the peak RSS over the runs, the rows/s of the median
for name in bare fair rapport; do
  cpu=$(sort -n -k3 "$work/$name.runs" | awk '{ c[NR] = $3 } END { print c[int((NR + 1) / 2)] }')
  sort -n "$work/$name.runs" | awk -v name="$name" -v rows="$rows" -v cpu="$cpu" '
    { ms[NR] = $1; if ($2 > rss) rss = $2; all = all (NR > 1 ? "," : "") $1 }
    END { m = ms[int((NR + 1) / 2)]; printf "%s %.0f %d %d %d (%s)\n", name, rows / (m / 1000), m, rss, cpu, all }'
done | tee "$work/medians"
awk '$1 == "fair" { f = $2; fc = $5 } $1 == "rapport" { r = $2; rc = $5 }
     END { printf "ratio %.2f\ncpu_ratio %.2f\n", r / f, fc / rc }' "$work/medians"
echo "clients, contacts, notes: $got"
