#!/usr/bin/env bash
# Starts or stops both throwaway test servers (MariaDB and PostgreSQL) and prints their connection strings.
#
#   scripts/test-servers.sh start     # idempotent; then: source /tmp/zeze-test-servers/servers.env
#   scripts/test-servers.sh stop
#   scripts/test-servers.sh status
#   scripts/test-servers.sh clean     # stop and delete their data
#
# The storage tests read ZEZE_TEST_MARIADB / ZEZE_TEST_POSTGRES from the environment, else from
# $ZEZE_TEST_SERVERS_DIR/servers.env, else run this script themselves.
set -euo pipefail
here="$(dirname "$0")"
source "$here/lib/common.sh"

case "${1:-}" in
  start) "$here/mariadb.sh" start; "$here/postgres.sh" start; cat "$ENV_FILE" ;;
  stop | clean) "$here/mariadb.sh" "$1"; "$here/postgres.sh" "$1" ;;
  status)
    rc=0
    if "$here/mariadb.sh" status; then echo "mariadb: running"; else echo "mariadb: stopped"; rc=1; fi
    if "$here/postgres.sh" status; then echo "postgres: running"; else echo "postgres: stopped"; rc=1; fi
    exit $rc ;;
  *) echo "usage: $0 start|stop|status|clean" >&2; exit 2 ;;
esac
