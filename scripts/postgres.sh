#!/usr/bin/env bash
# A throwaway PostgreSQL for tests, on 127.0.0.1:$ZEZE_TEST_POSTGRES_PORT (default 15432), data under
# $ZEZE_TEST_SERVERS_DIR/postgres. User zeze, password zeze, database zeze.
#
#   scripts/postgres.sh start     start (initialising on first use; installing postgresql when missing); idempotent
#   scripts/postgres.sh stop      fast shutdown (clients are disconnected), keeps the data
#   scripts/postgres.sh restart   stop then start (a test of a server going away and coming back)
#   scripts/postgres.sh kill      SIGKILL the server (a crash); start recovers from its WAL
#   scripts/postgres.sh status    exit 0 when running
#   scripts/postgres.sh env       print the connection string
#   scripts/postgres.sh clean     stop and delete the data
#
# fsync is off (a killed server keeps every commit, a crashed machine might not: fine for throwaway data), but
# synchronous_commit stays on, so a commit the client saw survives a SIGKILL of the server.
set -euo pipefail
source "$(dirname "$0")/lib/common.sh"

PORT="${ZEZE_TEST_POSTGRES_PORT:-15432}"
DIR="$ZEZE_TEST_SERVERS_DIR/postgres"
DATA="$DIR/data"
USER_NAME=postgres
CONN="Host=127.0.0.1;Port=$PORT;Username=zeze;Password=zeze;Database=zeze"

pg_bin() {
  local bin
  bin="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)"
  [ -n "$bin" ] || die "PostgreSQL binaries not found under /usr/lib/postgresql"
  echo "$bin"
}

running() { [ -f "$DATA/postmaster.pid" ] && pid_alive "$(head -1 "$DATA/postmaster.pid")"; }

psql_admin() { run_as "$USER_NAME" psql -h "$DIR" -p "$PORT" -U zeze -d postgres -v ON_ERROR_STOP=1 -qAt "$@"; }

init() {
  mkdir -p "$DIR"
  chmod 755 "$ZEZE_TEST_SERVERS_DIR"
  is_root && chown "$USER_NAME" "$DIR"
  local pw="$DIR/pwfile"
  echo zeze >"$pw"; is_root && chown "$USER_NAME" "$pw"
  run_as "$USER_NAME" "$BIN/initdb" -D "$DATA" -U zeze --pwfile="$pw" --auth-local=trust --auth-host=scram-sha-256 \
    -E UTF8 --locale=C.UTF-8 --no-sync >"$DIR/initdb.log" 2>&1 || { cat "$DIR/initdb.log" >&2; die "initdb failed"; }
  rm -f "$pw"
  cat >>"$DATA/postgresql.conf" <<CONF
listen_addresses = '127.0.0.1'
port = $PORT
unix_socket_directories = '$DIR'
max_connections = 200
shared_buffers = 64MB
fsync = off
full_page_writes = off
synchronous_commit = on
logging_collector = off
CONF
}

start() {
  ensure_packages "psql:postgresql" "/usr/lib/postgresql:postgresql"
  BIN="$(pg_bin)"
  if ! running; then
    [ -f "$DATA/PG_VERSION" ] || init
    # Left by a killed server; PostgreSQL would take the unreaped (zombie) pid in them for a live postmaster.
    rm -f "$DATA/postmaster.pid" "$DIR/.s.PGSQL.$PORT.lock"
    run_as "$USER_NAME" "$BIN/pg_ctl" -D "$DATA" -l "$DIR/server.log" -w -t 60 start >/dev/null \
      || { tail -20 "$DIR/server.log" >&2; die "PostgreSQL did not start"; }
  fi
  wait_for 30 psql_admin -c "SELECT 1" || die "PostgreSQL does not answer on $DIR:$PORT"
  if [ "$(psql_admin -c "SELECT 1 FROM pg_database WHERE datname = 'zeze'")" != 1 ]; then
    psql_admin -c "CREATE DATABASE zeze" >/dev/null
  fi
  env_set ZEZE_TEST_POSTGRES "$CONN"
  log "PostgreSQL ready: $CONN"
}

stop() {
  running || return 0
  BIN="$(pg_bin)"
  run_as "$USER_NAME" "$BIN/pg_ctl" -D "$DATA" -m fast -w -t 60 stop >/dev/null
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  restart) stop; start ;;
  kill) if running; then kill_tree "$(head -1 "$DATA/postmaster.pid")"; fi ;;
  status) running ;;
  env) echo "$CONN" ;;
  clean) stop; rm -rf "$DIR"; env_unset ZEZE_TEST_POSTGRES ;;
  *) echo "usage: $0 start|stop|restart|kill|status|env|clean" >&2; exit 2 ;;
esac
