# Shared by the test-server scripts. Sourced, not run.
# Everything lives under $ZEZE_TEST_SERVERS_DIR (default /tmp/zeze-test-servers); servers listen on 127.0.0.1 only.
# Connection strings are written to $ZEZE_TEST_SERVERS_DIR/servers.env (KEY='value' lines), which the tests read.

ZEZE_TEST_SERVERS_DIR="${ZEZE_TEST_SERVERS_DIR:-/tmp/zeze-test-servers}"
ENV_FILE="$ZEZE_TEST_SERVERS_DIR/servers.env"

log() { echo "[$(basename "$0")] $*" >&2; }
die() { log "error: $*"; exit 1; }

is_root() { [ "$(id -u)" = 0 ]; }

# Installs Debian packages whose command is missing. Usage: ensure_packages CMD:PKG [CMD:PKG...]
ensure_packages() {
  local missing=() pair cmd pkg
  for pair in "$@"; do
    cmd="${pair%%:*}"; pkg="${pair#*:}"
    case "$cmd" in
      /*) [ -e "$cmd" ] || missing+=("$pkg") ;;
      *) command -v "$cmd" >/dev/null 2>&1 || missing+=("$pkg") ;;
    esac
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  is_root || die "missing packages ${missing[*]}; install them (as root: scripts/ci-prepare.sh)"
  log "installing ${missing[*]}"
  # The packages' maintainer scripts would start system-wide servers; ours run in their own directories instead.
  local policy=/usr/sbin/policy-rc.d created=0
  if [ ! -e "$policy" ]; then printf '#!/bin/sh\nexit 101\n' >"$policy"; chmod +x "$policy"; created=1; fi
  export DEBIAN_FRONTEND=noninteractive
  { apt-get install -y -qq "${missing[@]}" >/dev/null 2>&1 || { apt-get update -qq >/dev/null && apt-get install -y -qq "${missing[@]}" >/dev/null; }; } \
    || { [ $created = 1 ] && rm -f "$policy"; die "apt-get install ${missing[*]} failed"; }
  [ $created = 1 ] && rm -f "$policy"
  return 0
}

# Runs a command as the given system user when we are root (servers refuse to run as root), else as ourselves.
run_as() {
  local user="$1"; shift
  if is_root; then runuser -u "$user" -- "$@"; else "$@"; fi
}

# Sets KEY='value' in the env file (replacing an earlier line), under a lock: several scripts may write at once.
env_set() {
  local key="$1" value="$2"
  mkdir -p "$ZEZE_TEST_SERVERS_DIR"
  (
    flock 9
    touch "$ENV_FILE"
    grep -v "^$key=" "$ENV_FILE" >"$ENV_FILE.tmp" || true
    printf "%s='%s'\n" "$key" "$value" >>"$ENV_FILE.tmp"
    mv "$ENV_FILE.tmp" "$ENV_FILE"
  ) 9>"$ZEZE_TEST_SERVERS_DIR/.env.lock"
}

env_unset() {
  local key="$1"
  [ -f "$ENV_FILE" ] || return 0
  (
    flock 9
    grep -v "^$key=" "$ENV_FILE" >"$ENV_FILE.tmp" || true
    mv "$ENV_FILE.tmp" "$ENV_FILE"
  ) 9>"$ZEZE_TEST_SERVERS_DIR/.env.lock"
}

# Waits up to $1 seconds for "$2..." to succeed.
wait_for() {
  local seconds="$1"; shift
  local deadline=$((SECONDS + seconds))
  until "$@" >/dev/null 2>&1; do
    [ $SECONDS -ge $deadline ] && return 1
    sleep 0.3
  done
}

# A killed server whose parent has not reaped it yet is a zombie: kill -0 succeeds, yet it is dead.
pid_alive() {
  [ -n "${1:-}" ] && kill -0 "$1" 2>/dev/null || return 1
  [ "$(awk '{print $3}' "/proc/$1/stat" 2>/dev/null)" != Z ]
}

# Waits up to $2 seconds for process $1 to exit.
wait_gone() {
  local pid="$1" deadline=$((SECONDS + $2))
  while pid_alive "$pid"; do
    [ $SECONDS -ge $deadline ] && return 1
    sleep 0.2
  done
}

# Kills a process and its direct children with SIGKILL, by id (a crash, for fault tests).
kill_tree() {
  local pid="$1" child
  for child in $(ps -o pid= --ppid "$pid" 2>/dev/null); do kill -KILL "$child" 2>/dev/null || true; done
  kill -KILL "$pid" 2>/dev/null || true
}
