#!/usr/bin/env bash
# A throwaway MariaDB for tests, on 127.0.0.1:$ZEZE_TEST_MARIADB_PORT (default 13306), data under
# $ZEZE_TEST_SERVERS_DIR/mariadb. User zeze (all privileges, may create databases), password zeze, database zeze.
#
#   scripts/mariadb.sh start     start (initialising on first use; installing mariadb-server when missing); idempotent
#   scripts/mariadb.sh stop      clean shutdown, keeps the data
#   scripts/mariadb.sh restart   stop then start
#   scripts/mariadb.sh kill      SIGKILL the server (a crash); start recovers from the redo log
#   scripts/mariadb.sh status    exit 0 when running
#   scripts/mariadb.sh env       print the connection string
#   scripts/mariadb.sh clean     stop and delete the data
#
# The redo log is written at every commit and flushed once a second (innodb_flush_log_at_trx_commit=2): a killed
# server keeps every commit, a crashed machine may lose the last second. Root has no password and is reachable only
# through the unix socket in the data directory.
set -euo pipefail
source "$(dirname "$0")/lib/common.sh"

PORT="${ZEZE_TEST_MARIADB_PORT:-13306}"
DIR="$ZEZE_TEST_SERVERS_DIR/mariadb"
DATA="$DIR/data"
SOCK="$DIR/mysqld.sock"
PIDFILE="$DIR/mysqld.pid"
CONN="Server=127.0.0.1;Port=$PORT;User ID=zeze;Password=zeze;Database=zeze"

running() { [ -f "$PIDFILE" ] && pid_alive "$(cat "$PIDFILE" 2>/dev/null)"; }

admin() { mariadb --no-defaults --socket="$SOCK" -uroot "$@"; }

user_args() { if is_root; then echo "--user=mysql"; fi; }

init() {
  mkdir -p "$DATA"
  chmod 755 "$ZEZE_TEST_SERVERS_DIR" "$DIR"
  is_root && chown -R mysql:mysql "$DIR"
  mariadb-install-db --no-defaults --datadir="$DATA" $(user_args) --auth-root-authentication-method=normal \
    --skip-test-db --skip-name-resolve >"$DIR/install.log" 2>&1 || { cat "$DIR/install.log" >&2; die "mariadb-install-db failed"; }
}

start() {
  ensure_packages "mariadbd:mariadb-server" "mariadb:mariadb-client"
  if ! running; then
    [ -d "$DATA/mysql" ] || init
    # setsid and no inherited descriptors: the server must outlive this script and not hold a caller's pipe open.
    setsid mariadbd --no-defaults --datadir="$DATA" --socket="$SOCK" --port="$PORT" --bind-address=127.0.0.1 \
      --pid-file="$PIDFILE" --log-error="$DIR/error.log" $(user_args) --skip-name-resolve --skip-log-bin \
      --innodb-buffer-pool-size=128M --innodb-log-file-size=64M --innodb-flush-log-at-trx-commit=2 \
      --max-connections=300 --max-allowed-packet=64M --character-set-server=utf8mb4 \
      </dev/null >>"$DIR/stdout.log" 2>&1 &
    wait_for 60 admin -e "SELECT 1" || { tail -20 "$DIR/error.log" >&2; die "MariaDB did not start"; }
  fi
  admin -e "CREATE USER IF NOT EXISTS 'zeze'@'%' IDENTIFIED BY 'zeze';
            GRANT ALL PRIVILEGES ON *.* TO 'zeze'@'%' WITH GRANT OPTION;
            CREATE DATABASE IF NOT EXISTS zeze;"
  env_set ZEZE_TEST_MARIADB "$CONN"
  log "MariaDB ready: $CONN"
}

stop() {
  running || return 0
  local pid; pid="$(cat "$PIDFILE")"
  admin -e "SHUTDOWN" 2>/dev/null || kill -TERM "$pid"
  wait_gone "$pid" 60 || die "MariaDB (pid $pid) did not stop"
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  restart) stop; start ;;
  kill) if running; then kill -KILL "$(cat "$PIDFILE")"; fi ;;
  status) running ;;
  env) echo "$CONN" ;;
  clean) stop; rm -rf "$DIR"; env_unset ZEZE_TEST_MARIADB ;;
  *) echo "usage: $0 start|stop|restart|kill|status|env|clean" >&2; exit 2 ;;
esac
