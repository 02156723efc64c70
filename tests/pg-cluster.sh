#!/usr/bin/env bash
# pg-cluster.sh start DIR | stop DIR | restart DIR — a throwaway PostgreSQL cluster for the tests.
#
# initdb + pg_ctl from Debian's packages in DIR, listening on a free loopback port with password
# authentication; no system service and no manual step. As root it runs the cluster as the
# unprivileged `postgres` user (initdb refuses root). `start` prints the superuser URL
# (postgres://rapport:...@127.0.0.1:PORT/postgres) and writes it to DIR/url.
set -euo pipefail
cmd=${1:?usage: pg-cluster.sh start|stop|restart DIR}
dir=${2:?usage: pg-cluster.sh start|stop|restart DIR}
bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
[ -x "$bin/initdb" ] || { echo "pg-cluster: PostgreSQL is not installed (scripts/install-deps.sh check)" >&2; exit 1; }
as_pg() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}
password=rapport-test-password
case "$cmd" in
start)
  mkdir -p "$dir"
  [ "$(id -u)" -eq 0 ] && chown postgres: "$dir"
  if [ ! -d "$dir/data" ]; then
    printf '%s\n' "$password" >"$dir/pwfile"
    [ "$(id -u)" -eq 0 ] && chown postgres: "$dir/pwfile"
    as_pg "$bin/initdb" -D "$dir/data" -U rapport --pwfile="$dir/pwfile" -A scram-sha-256 -E UTF8 \
      --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 || { cat "$dir/initdb.log" >&2; exit 1; }
    port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')
    echo "$port" >"$dir/port"
  fi
  port=$(cat "$dir/port")
  # durability is not under test here: fsync off makes the suites several times faster
  as_pg "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 30 \
    -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c max_connections=200" \
    start >/dev/null
  url="postgres://rapport:$password@127.0.0.1:$port/postgres"
  echo "$url" >"$dir/url"
  echo "$url"
  ;;
stop)
  [ -d "$dir/data" ] && as_pg "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null 2>&1 || true
  ;;
restart)
  as_pg "$bin/pg_ctl" -D "$dir/data" -m fast -w -t 30 restart >/dev/null
  ;;
*) echo "usage: pg-cluster.sh start|stop|restart DIR" >&2; exit 2 ;;
esac
