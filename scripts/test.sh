#!/usr/bin/env bash
# `npm test`: bring up the local services, type-check and build, run every test against the services.
# Services this run started are stopped again at the end; ones already running are left running.
# Extra arguments go to jest (e.g. `npm test -- test/queues`).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

started=()
for service in redis mongo minio redis-cluster; do
  scripts/services.sh status "$service" >/dev/null 2>&1 || started+=("$service")
done
stop_started() { ((${#started[@]} == 0)) || scripts/services.sh down "${started[@]}"; }
trap stop_started EXIT

# `up` starts every service, the local Redis Cluster included (test/redis-cluster.e2e-spec.ts runs on it).
# It also runs `scripts/services.sh tune`: FerretDB on PostgreSQL gets its GIN indexes, and the event trigger
# that gives them to every database the tests create (each e2e file has its own).
scripts/services.sh up
eval "$(scripts/services.sh env)"
# The console's browser tests drive Debian's chromium: installed here when missing (fast when present).
scripts/services.sh browser

echo "[test] type-checking and building"
npx tsc -p tsconfig.json --noEmit
npm run --silent build

echo "[test] running jest"
# Under CI a leaked handle must not hold the run until CI's time limit: force the exit there. Local runs
# keep jest's "did not exit" warning so leaks get noticed and fixed.
npx jest --ci ${CI:+--forceExit} "$@"
