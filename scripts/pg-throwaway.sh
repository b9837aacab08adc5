#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for the tests (issue 18): a temporary folder, a free loopback
# port, the unix socket in that folder, trust authentication on 127.0.0.1 only, no fsync (the
# cluster is thrown away; a crash of Gatehouse, not of PostgreSQL, is what the tests make).
#   scripts/pg-throwaway.sh start    starts one; prints shell assignments to eval:
#                                    GATEHOUSE_PG_DIR=… GATEHOUSE_PG_URL=postgresql://gatehouse@127.0.0.1:PORT
#   scripts/pg-throwaway.sh stop DIR stops it and removes DIR
#   scripts/pg-throwaway.sh halt DIR stops it (fast shutdown), keeping DIR; resume DIR starts it
#                                    again on the same port (tests/node/many_nodes.test.mjs)
# PostgreSQL refuses to run as root: as root, the cluster runs as `nobody` (runuser).
# Used by the unit tests (tests/testing/pg_cluster.hpp) and by scripts/test.sh for the node suite.
set -euo pipefail

bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
if [ -z "$bin" ] || [ ! -x "$bin/pg_ctl" ]; then
  echo "pg-throwaway: no PostgreSQL server under /usr/lib/postgresql (scripts/install-deps.sh)" >&2
  exit 1
fi
as_owner() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u nobody -- "$@"; else "$@"; fi
}

case "${1:-}" in
  start)
    dir=$(mktemp -d "${TMPDIR:-/tmp}/gatehouse-pg-XXXXXX")
    chmod 0755 "$dir"
    [ "$(id -u)" -eq 0 ] && chown nobody "$dir"
    port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
    if ! as_owner "$bin/initdb" -D "$dir/data" -U gatehouse --auth=trust -E UTF8 --locale=C.UTF-8 \
         >"$dir/initdb.log" 2>&1; then
      cat "$dir/initdb.log" >&2; rm -rf "$dir"; exit 1
    fi
    # In the cluster's own configuration, so that `resume` starts it the same way.
    printf '%s\n' "port = $port" "unix_socket_directories = '$dir'" "listen_addresses = '127.0.0.1'" \
      "fsync = off" "synchronous_commit = off" "full_page_writes = off" "max_connections = 200" \
      >>"$dir/data/postgresql.conf"
    if ! as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 30 start >/dev/null; then
      cat "$dir/server.log" >&2 || true; rm -rf "$dir"; exit 1
    fi
    echo "GATEHOUSE_PG_DIR=$dir"
    echo "GATEHOUSE_PG_URL=postgresql://gatehouse@127.0.0.1:$port"
    ;;
  stop)
    dir=${2:?usage: pg-throwaway.sh stop DIR}
    case "$dir" in */gatehouse-pg-*) ;; *) echo "pg-throwaway: not a throwaway cluster: $dir" >&2; exit 1 ;; esac
    if [ -d "$dir/data" ]; then as_owner "$bin/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1 || true; fi
    rm -rf "$dir"
    ;;
  halt|resume)
    dir=${2:?usage: pg-throwaway.sh $1 DIR}
    case "$dir" in */gatehouse-pg-*) ;; *) echo "pg-throwaway: not a throwaway cluster: $dir" >&2; exit 1 ;; esac
    if [ "$1" = halt ]; then
      as_owner "$bin/pg_ctl" -D "$dir/data" -m fast -w -t 30 stop >/dev/null
    else
      as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 30 start >/dev/null
    fi
    ;;
  *)
    echo "usage: pg-throwaway.sh start | stop DIR | halt DIR | resume DIR" >&2; exit 2 ;;
esac
