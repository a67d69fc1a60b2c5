#!/usr/bin/env bash
# A throwaway three-node MariaDB Galera cluster on loopback, data under $ZEZE_TEST_SERVERS_DIR/galera/nodeN.
# Node N (1..3) serves SQL on 127.0.0.N:$PORT (PORT = $ZEZE_TEST_GALERA_PORT, default 13310): one port on three
# loopback addresses, so that one connection string can list the three hosts (MySqlConnector takes a list of hosts
# but a single port). Group communication on 127.0.0.1:14560+N, IST on 14570+N, rsync SST on 14580+N.
# User zeze/zeze, database zeze.
#
#   scripts/galera.sh start           start every node that is down (bootstrapping when none is up); idempotent
#   scripts/galera.sh stop            stop all nodes cleanly
#   scripts/galera.sh kill N          SIGKILL node N (a crash; the other two keep quorum)
#   scripts/galera.sh restart N       start node N again after a kill or stop: it recovers its position and rejoins
#   scripts/galera.sh stop-node N     stop node N cleanly
#   scripts/galera.sh status          one line per node (size of the cluster it sees, or down); exit 0 when all are up
#   scripts/galera.sh env             print the connection strings
#   scripts/galera.sh clean           stop and delete the data
#
# Connection strings go to servers.env as ZEZE_TEST_GALERA_1..3 (one node each) and ZEZE_TEST_GALERA (the three
# nodes in order with LoadBalance=FailOver: a new connection goes to the first node that answers).
set -euo pipefail
source "$(dirname "$0")/lib/common.sh"

PORT="${ZEZE_TEST_GALERA_PORT:-13310}"
DIR="$ZEZE_TEST_SERVERS_DIR/galera"
PROVIDER=/usr/lib/galera/libgalera_smm.so
NODES=(1 2 3)

node_dir() { echo "$DIR/node$1"; }
host() { echo "127.0.0.$1"; }
conn() { echo "Server=$(host "$1");Port=$PORT;User ID=zeze;Password=zeze;Database=zeze"; }
failover_conn() { echo "Server=$(host 1),$(host 2),$(host 3);Port=$PORT;LoadBalance=FailOver;User ID=zeze;Password=zeze;Database=zeze"; }
sock() { echo "$(node_dir "$1")/mysqld.sock"; }
pidfile() { echo "$(node_dir "$1")/mysqld.pid"; }
running() { [ -f "$(pidfile "$1")" ] && pid_alive "$(cat "$(pidfile "$1")" 2>/dev/null)"; }
admin() { local n="$1"; shift; mariadb --no-defaults --socket="$(sock "$n")" -uroot "$@"; }
user_args() { if is_root; then echo "--user=mysql"; fi; }
cluster_size() { admin "$1" -Nse "SHOW STATUS LIKE 'wsrep_cluster_size'" 2>/dev/null | awk '{print $2}'; }
ready() { [ "$(admin "$1" -Nse "SHOW STATUS LIKE 'wsrep_ready'" 2>/dev/null | awk '{print $2}')" = ON ]; }

server_args() {
  local n="$1" d; d="$(node_dir "$n")"
  local members="gcomm://127.0.0.1:14561,127.0.0.1:14562,127.0.0.1:14563"
  echo --no-defaults --datadir="$d/data" --socket="$(sock "$n")" --port="$PORT" --bind-address="$(host "$n")" \
    --pid-file="$(pidfile "$n")" --log-error="$d/error.log" $(user_args) --skip-name-resolve \
    --innodb-buffer-pool-size=64M --innodb-log-file-size=32M --innodb-flush-log-at-trx-commit=2 \
    --binlog-format=ROW --innodb-autoinc-lock-mode=2 --default-storage-engine=InnoDB --max-allowed-packet=64M \
    --wsrep-on=ON --wsrep-provider="$PROVIDER" --wsrep-cluster-name=zeze_test --wsrep-cluster-address="$members" \
    --wsrep-node-name="node$n" --wsrep-node-address="127.0.0.1:$((14560 + n))" \
    --wsrep-node-incoming-address="$(host "$n"):$PORT" \
    "--wsrep-provider-options=gmcast.listen_addr=tcp://127.0.0.1:$((14560 + n));ist.recv_addr=127.0.0.1:$((14570 + n));gcache.size=64M" \
    --wsrep-sst-method=rsync --wsrep-sst-receive-address="127.0.0.1:$((14580 + n))"
}

init_node() {
  local d; d="$(node_dir "$1")"
  mkdir -p "$d/data"
  chmod 755 "$ZEZE_TEST_SERVERS_DIR" "$DIR" "$d"
  is_root && chown -R mysql:mysql "$d"
  mariadb-install-db --no-defaults --datadir="$d/data" $(user_args) --auth-root-authentication-method=normal \
    --skip-test-db --skip-name-resolve >"$d/install.log" 2>&1 || { cat "$d/install.log" >&2; die "mariadb-install-db failed for node $1"; }
}

# The position a node had when it died, so it can rejoin by IST (only the missed writesets) rather than a full copy.
recovered_position() {
  local n="$1" d; d="$(node_dir "$n")"
  mariadbd $(server_args "$n") --wsrep-recover --log-error="$d/recover.log" >/dev/null 2>&1 || true
  sed -n 's/.*WSREP: Recovered position: *\([^ ]*\).*/\1/p' "$d/recover.log" | tail -1
}

launch() {
  local n="$1"; shift
  local d; d="$(node_dir "$n")"
  # setsid and no inherited descriptors: the server outlives this script and holds no caller's pipe open.
  setsid mariadbd $(server_args "$n") "$@" </dev/null >>"$d/stdout.log" 2>&1 &
  if ! wait_for 120 ready "$n"; then tail -30 "$d/error.log" >&2; die "Galera node $n did not become ready"; fi
}

start_node() {
  local n="$1" bootstrap="$2" d position
  d="$(node_dir "$n")"
  running "$n" && return 0
  [ -d "$d/data/mysql" ] || init_node "$n"
  if [ "$bootstrap" = yes ]; then
    # Bootstrapping a new primary component from this node's data.
    [ -f "$d/data/grastate.dat" ] && sed -i 's/^safe_to_bootstrap: 0/safe_to_bootstrap: 1/' "$d/data/grastate.dat"
    launch "$n" --wsrep-new-cluster
  else
    position="$(recovered_position "$n")"
    if [ -n "$position" ]; then launch "$n" --wsrep-start-position="$position"; else launch "$n"; fi
  fi
  log "Galera node $n ready on $(host "$n"):$PORT (cluster size $(cluster_size "$n"))"
}

any_running() { local n; for n in "${NODES[@]}"; do running "$n" && return 0; done; return 1; }

start() {
  ensure_packages "mariadbd:mariadb-server" "mariadb:mariadb-client" "$PROVIDER:galera-4" "rsync:rsync"
  local n first=yes
  any_running && first=no
  for n in "${NODES[@]}"; do
    if [ $first = yes ]; then start_node "$n" yes; first=no; else start_node "$n" no; fi
  done
  admin 1 -e "CREATE USER IF NOT EXISTS 'zeze'@'%' IDENTIFIED BY 'zeze';
              GRANT ALL PRIVILEGES ON *.* TO 'zeze'@'%' WITH GRANT OPTION;
              CREATE DATABASE IF NOT EXISTS zeze;"
  for n in "${NODES[@]}"; do env_set "ZEZE_TEST_GALERA_$n" "$(conn "$n")"; done
  env_set ZEZE_TEST_GALERA "$(failover_conn)"
}

stop_node() {
  local n="$1" pid
  running "$n" || return 0
  pid="$(cat "$(pidfile "$n")")"
  admin "$n" -e "SHUTDOWN" 2>/dev/null || kill -TERM "$pid"
  wait_gone "$pid" 60 || die "Galera node $n (pid $pid) did not stop"
}

check_node() { [[ "${1:-}" =~ ^[123]$ ]] || die "node must be 1, 2 or 3"; }

case "${1:-}" in
  start) start ;;
  stop) for n in 3 2 1; do stop_node "$n"; done ;;
  stop-node) check_node "${2:-}"; stop_node "$2" ;;
  kill) check_node "${2:-}"; if running "$2"; then kill -KILL "$(cat "$(pidfile "$2")")"; fi ;;
  restart) check_node "${2:-}"; if any_running; then start_node "$2" no; else start_node "$2" yes; fi ;;
  status)
    rc=0
    for n in "${NODES[@]}"; do
      if running "$n"; then echo "node$n: up, cluster size $(cluster_size "$n")"; else echo "node$n: down"; rc=1; fi
    done
    exit $rc ;;
  env) for n in "${NODES[@]}"; do echo "ZEZE_TEST_GALERA_$n=$(conn "$n")"; done; echo "ZEZE_TEST_GALERA=$(failover_conn)" ;;
  clean)
    for n in 3 2 1; do stop_node "$n"; done
    rm -rf "$DIR"
    for n in "${NODES[@]}"; do env_unset "ZEZE_TEST_GALERA_$n"; done
    env_unset ZEZE_TEST_GALERA ;;
  *) echo "usage: $0 start|stop|stop-node N|kill N|restart N|status|env|clean" >&2; exit 2 ;;
esac
