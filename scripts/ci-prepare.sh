#!/usr/bin/env bash
# Installs what a fresh machine lacks for the test suite (called by .ci/run when executable):
# PostgreSQL and MariaDB servers for the storage conformance tests, Galera and rsync for the cluster script,
# python3 for the RocksDB lock test (it holds the directory lock from a second process).
# The servers themselves are started by the tests (through scripts/test-servers.sh) when none is running.
set -euo pipefail
source "$(dirname "$0")/lib/common.sh"

ensure_packages \
  "/usr/lib/postgresql:postgresql" "psql:postgresql-client" \
  "mariadbd:mariadb-server" "mariadb:mariadb-client" \
  "/usr/lib/galera/libgalera_smm.so:galera-4" "rsync:rsync" \
  "python3:python3"
log "test prerequisites present"
