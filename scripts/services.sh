#!/usr/bin/env bash
# Local Redis, MongoDB-wire server and MinIO for development and tests.
#
#   scripts/services.sh up [redis|mongo|minio|redis-cluster ...]    start (idempotent), wait until each answers
#   scripts/services.sh down [redis|mongo|minio|redis-cluster ...]  stop what this script started
#   scripts/services.sh status                        say what runs
#   scripts/services.sh env                           print the export lines for the apps
#   scripts/services.sh tune                          index FerretDB's lookups on PostgreSQL (`up` runs it too)
#   scripts/services.sh browser                       install Debian's chromium for the console's browser tests
#
# `redis-cluster` is three redis-server masters in cluster mode (ports 7101-7103, HOPPER_SVC_REDIS_CLUSTER_PORTS),
# joined into one cluster, for the tests that run Hopper on Redis Cluster.
#
# Each service listens on loopback only, on its own port (never the machine's standard ones), with its
# data under ./.services/. Servers that are not on PATH are built once with Go into a cache outside the
# clone (~/.cache/hopper-services), so a fresh clone reuses them.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
SVC_DIR=${HOPPER_SVC_DIR:-$ROOT/.services}
CACHE=${HOPPER_SVC_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/hopper-services}
REDIS_PORT=${HOPPER_SVC_REDIS_PORT:-6391}
MONGO_PORT=${HOPPER_SVC_MONGO_PORT:-27027}
MINIO_PORT=${HOPPER_SVC_MINIO_PORT:-9010}
# The masters of the local Redis Cluster, space-separated.
read -r -a CLUSTER_PORTS <<<"${HOPPER_SVC_REDIS_CLUSTER_PORTS:-7101 7102 7103}"
MINIO_CONSOLE_PORT=${HOPPER_SVC_MINIO_CONSOLE_PORT:-9011}
S3_ACCESS_KEY=${HOPPER_S3_ACCESS_KEY:-hopper}
S3_SECRET_KEY=${HOPPER_S3_SECRET_KEY:-hopper-secret}
S3_BUCKET=${HOPPER_S3_BUCKET:-hopper}
MONGO_DB=${HOPPER_SVC_MONGO_DB:-hopper}
# FerretDB's storage: `postgresql` when a local PostgreSQL answers, else on a private PostgreSQL cluster run
# from the machine's PostgreSQL binaries (data in .services/postgres), else `sqlite`, whose lookups scan
# whole collections. HOPPER_SVC_MONGO_BACKEND=sqlite|postgresql forces one.
MONGO_BACKEND=${HOPPER_SVC_MONGO_BACKEND:-auto}
POSTGRES_URL=${HOPPER_SVC_POSTGRES_URL:-postgres://postgres@127.0.0.1:5432}
# The private cluster's port: derived from the MongoDB-wire port, so parallel instances never share one.
PRIVATE_PG_PORT=${HOPPER_SVC_POSTGRES_PORT:-$((MONGO_PORT + 10000))}
# FerretDB v1 is the last line with an embedded SQLite backend. v1.24.1 is refused by the module proxy,
# so the newest v1.24.x it serves is used.
FERRETDB_VERSION=v1.24.0
MINIO_VERSION=${HOPPER_SVC_MINIO_VERSION:-v0.0.0-20260212201848-7aac2a2c5b7c}
WAIT_SECONDS=${HOPPER_SVC_WAIT_SECONDS:-60}
ALL=(redis mongo minio redis-cluster)

log() { printf '[services] %s\n' "$*" >&2; }
die() { printf '[services] error: %s\n' "$*" >&2; exit 1; }

pidfile() { echo "$SVC_DIR/$1.pid"; }
port_of() {
  case $1 in
    redis) echo "$REDIS_PORT" ;; mongo) echo "$MONGO_PORT" ;; minio) echo "$MINIO_PORT" ;;
    redis-cluster) local IFS=,; echo "${CLUSTER_PORTS[*]}" ;;
  esac
}

# True when something accepts TCP connections on the loopback port.
port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

pids_of() {
  if [[ $1 != redis-cluster ]]; then cat "$(pidfile "$1")"; return; fi
  local port pids=()
  for port in "${CLUSTER_PORTS[@]}"; do pids+=("$(cat "$(pidfile "redis-cluster/$port")")"); done
  local IFS=,; echo "${pids[*]}"
}

running() {
  if [[ $1 == redis-cluster ]]; then
    local port
    for port in "${CLUSTER_PORTS[@]}"; do running "redis-cluster/$port"; done
    return
  fi
  local pf; pf=$(pidfile "$1")
  [[ -f $pf ]] && kill -0 "$(cat "$pf")" 2>/dev/null
}

# Service-specific "does it answer" probes: a real request, not just an open port.
answers() {
  case $1 in
    redis)
      local reply
      reply=$( (exec 3<>"/dev/tcp/127.0.0.1/$REDIS_PORT" && printf 'PING\r\n' >&3 && timeout 2 head -c 5 <&3) 2>/dev/null || true)
      [[ $reply == "+PONG" ]] ;;
    mongo)
      # FerretDB accepts connections only once its backend is open; mongod likewise.
      port_open "$MONGO_PORT" ;;
    redis-cluster)
      # Every master answers and sees the whole cluster serving all 16384 slots.
      local port
      for port in "${CLUSTER_PORTS[@]}"; do cluster_ok "$port" || return 1; done ;;
    minio)
      [[ $(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$MINIO_PORT/minio/health/ready" || true) == 200 ]] ;;
  esac
}

# True when the node on PORT reports a cluster in state ok with every master of this script in it.
cluster_ok() {
  local info
  info=$(redis-cli -p "$1" --no-auth-warning cluster info 2>/dev/null | tr -d '\r') || return 1
  [[ $info == *cluster_state:ok* && $info == *"cluster_known_nodes:${#CLUSTER_PORTS[@]}"* ]]
}

wait_until_answers() {
  local svc=$1 deadline=$((SECONDS + WAIT_SECONDS))
  until answers "$svc"; do
    running "$svc" || die "$svc exited during start-up; see $SVC_DIR/$svc.log"
    ((SECONDS < deadline)) || die "$svc did not answer within ${WAIT_SECONDS}s; see $SVC_DIR/$svc.log"
    sleep 0.2
  done
}

# Build a Go server into the cache once; a lock keeps concurrent runs from building twice.
build_once() {
  local name=$1
  mkdir -p "$CACHE/bin"
  [[ -x $CACHE/bin/$name ]] && return 0
  command -v go >/dev/null || return 1
  exec 9>"$CACHE/build.lock"
  flock 9
  if [[ ! -x $CACHE/bin/$name ]]; then
    local started=$SECONDS
    log "building $name with Go into $CACHE/bin (first time only; this takes a few minutes)..."
    if ! "build_$name" >"$CACHE/$name-build.log" 2>&1; then
      tail -20 "$CACHE/$name-build.log" >&2
      die "building $name failed; full log: $CACHE/$name-build.log"
    fi
    log "built $name in $((SECONDS - started))s"
  fi
  flock -u 9
}

build_ferretdb() {
  # `go install …@version` cannot be used: the proxy refuses FerretDB's version list, which go install
  # reads to check for deprecation. Download the exact module and build it as the main module instead,
  # with the version file its release process would have generated.
  local src dir
  dir=$(go mod download -json "github.com/FerretDB/FerretDB@$FERRETDB_VERSION" | sed -n 's/^\t"Dir": "\(.*\)",$/\1/p')
  [[ -n $dir ]] || { echo "go mod download gave no directory"; return 1; }
  src=$(mktemp -d)
  cp -r "$dir/." "$src" && chmod -R u+w "$src"
  echo "$FERRETDB_VERSION" >"$src/build/version/version.txt"
  (cd "$src" && go build -trimpath -o "$CACHE/bin/ferretdb.tmp" ./cmd/ferretdb)
  mv "$CACHE/bin/ferretdb.tmp" "$CACHE/bin/ferretdb"
  rm -rf "$src"
}

build_minio() {
  GOBIN="$CACHE/bin/.minio-build" go install -trimpath "github.com/minio/minio@$MINIO_VERSION"
  mv "$CACHE/bin/.minio-build/minio" "$CACHE/bin/minio"
  rm -rf "$CACHE/bin/.minio-build"
}

# Start a program in the background, detached from this shell, logging to .services/<svc>.log.
spawn() {
  local svc=$1; shift
  setsid nohup "$@" >>"$SVC_DIR/$svc.log" 2>&1 </dev/null &
  echo $! >"$(pidfile "$svc")"
}

start_redis() {
  command -v redis-server >/dev/null || die "redis-server not found: install it (Debian: apt-get install redis-server)"
  mkdir -p "$SVC_DIR/redis"
  redis-server --bind 127.0.0.1 --port "$REDIS_PORT" --dir "$SVC_DIR/redis" --save "" --appendonly no \
    --daemonize yes --pidfile "$(pidfile redis)" --logfile "$SVC_DIR/redis.log"
  # --daemonize writes the pid file a moment after it returns.
  local i; for i in $(seq 50); do [[ -s $(pidfile redis) ]] && break; sleep 0.1; done
  echo "redis-server $(redis-server --version | awk '{print $3}' | sed 's/^v=//')"
}

# One master of the cluster: its own directory (nodes.conf lives there), pid file and log.
start_cluster_node() {
  local port=$1 dir=$SVC_DIR/redis-cluster/$1
  mkdir -p "$dir"
  port_open "$port" && die "port $port is taken by a program this script did not start; set HOPPER_SVC_REDIS_CLUSTER_PORTS"
  redis-server --bind 127.0.0.1 --port "$port" --dir "$dir" --save "" --appendonly no \
    --cluster-enabled yes --cluster-config-file nodes.conf --cluster-node-timeout 5000 \
    --daemonize yes --pidfile "$(pidfile "redis-cluster/$port")" --logfile "$dir/redis.log"
  local i; for i in $(seq 50); do [[ -s $(pidfile "redis-cluster/$port") ]] && break; sleep 0.1; done
}

# Starts the masters that are not running and joins them unless they already form the cluster (their
# nodes.conf keeps the membership, so restarted masters rejoin by themselves).
start_redis_cluster() {
  command -v redis-server >/dev/null && command -v redis-cli >/dev/null ||
    die "redis-server and redis-cli not found: install them (Debian: apt-get install redis-server redis-tools)"
  local port addresses=() deadline
  for port in "${CLUSTER_PORTS[@]}"; do
    running "redis-cluster/$port" || start_cluster_node "$port"
    addresses+=("127.0.0.1:$port")
  done
  deadline=$((SECONDS + WAIT_SECONDS))
  for port in "${CLUSTER_PORTS[@]}"; do
    until redis-cli -p "$port" ping >/dev/null 2>&1; do
      running "redis-cluster/$port" || die "redis-cluster master $port exited during start-up; see $SVC_DIR/redis-cluster/$port/redis.log"
      ((SECONDS < deadline)) || die "redis-cluster master $port did not answer within ${WAIT_SECONDS}s"
      sleep 0.1
    done
  done
  # A master that knows only itself and serves no slot has never been joined: join them all.
  if [[ $(redis-cli -p "${CLUSTER_PORTS[0]}" cluster info | tr -d '\r' | sed -n 's/^cluster_known_nodes://p') == 1 ]]; then
    redis-cli --cluster create "${addresses[@]}" --cluster-replicas 0 --cluster-yes >>"$SVC_DIR/redis-cluster/create.log" 2>&1 ||
      die "redis-cli --cluster create failed; see $SVC_DIR/redis-cluster/create.log"
  fi
  echo "a Redis Cluster of ${#CLUSTER_PORTS[@]} masters ($(redis-server --version | awk '{print $3}' | sed 's/^v=//'))"
}

# psql from PATH, else from the PostgreSQL binaries found for a private cluster.
psql_bin() {
  local bin
  if command -v psql; then return; fi
  bin=$(postgres_bin_dir) && [[ -x $bin/psql ]] && echo "$bin/psql"
}

# True when the PostgreSQL server at URL takes connections without a password (trust), as on the CI machines.
postgres_answers() {
  local psql; psql=$(psql_bin) || return 1
  "$psql" -X "$1/postgres" -tAc 'select 1' >/dev/null 2>&1
}

# The URL of this instance's PostgreSQL database on the server at URL (one per port, so parallel instances
# never share one), created on first use.
postgres_database() {
  local server=$1 name="hopper_services_$MONGO_PORT" psql
  psql=$(psql_bin) || die "psql not found"
  if [[ $("$psql" -X "$server/postgres" -tAc "select 1 from pg_database where datname = '$name'") != 1 ]]; then
    "$psql" -X "$server/postgres" -qc "create database $name" >/dev/null || die "could not create PostgreSQL database $name"
  fi
  echo "$server/$name"
}

# The directory of the machine's PostgreSQL server binaries: HOPPER_SVC_POSTGRES_BIN, initdb's on PATH, or
# the newest /usr/lib/postgresql/<version>/bin (Debian and Ubuntu keep them off PATH).
postgres_bin_dir() {
  local dir
  for dir in ${HOPPER_SVC_POSTGRES_BIN:-} "$(dirname "$(command -v initdb 2>/dev/null || echo /nonexistent/initdb)")" \
    $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
    [[ -x $dir/initdb && -x $dir/postgres ]] && { echo "$dir"; return 0; }
  done
  return 1
}

PRIVATE_PG_DIR=$SVC_DIR/postgres
PRIVATE_PG_URL=postgres://postgres@127.0.0.1:$PRIVATE_PG_PORT

# PostgreSQL refuses to run as root: as root, the private cluster runs as the `postgres` system user
# (setpriv execs, so the pid spawn records is the server's own).
PG_OWNER=()
if ((EUID == 0)); then
  if command -v setpriv >/dev/null; then PG_OWNER=(setpriv --reuid=postgres --regid=postgres --init-groups --)
  else PG_OWNER=(runuser -u postgres --); fi
fi

# Starts (initialising it the first time) a PostgreSQL cluster of this instance's own, on a loopback port,
# with trusted local connections. False, having said why, when the machine cannot run one.
start_private_postgres() {
  local bin deadline
  if running postgres; then return 0; fi
  bin=$(postgres_bin_dir) || { log "no PostgreSQL server binaries (initdb) found for a private cluster"; return 1; }
  if ((EUID == 0)) && ! id postgres >/dev/null 2>&1; then
    log "running as root without a 'postgres' system user: PostgreSQL cannot run as root"; return 1
  fi
  port_open "$PRIVATE_PG_PORT" && die "port $PRIVATE_PG_PORT (private PostgreSQL) is taken by a program this script did not start; set HOPPER_SVC_POSTGRES_PORT"
  mkdir -p "$PRIVATE_PG_DIR"
  ((EUID != 0)) || chown postgres: "$PRIVATE_PG_DIR"
  if [[ ! -f $PRIVATE_PG_DIR/PG_VERSION ]]; then
    log "initialising a private PostgreSQL cluster in $PRIVATE_PG_DIR ($bin)"
    ${PG_OWNER[@]+"${PG_OWNER[@]}"} "$bin/initdb" -D "$PRIVATE_PG_DIR" -U postgres --auth=trust -E UTF8 >>"$SVC_DIR/postgres.log" 2>&1 ||
      { log "initdb failed; see $SVC_DIR/postgres.log"; return 1; }
  fi
  # Loopback TCP only: no Unix socket, whose default directory may not be writable.
  spawn postgres ${PG_OWNER[@]+"${PG_OWNER[@]}"} "$bin/postgres" -D "$PRIVATE_PG_DIR" -p "$PRIVATE_PG_PORT" \
    -c listen_addresses=127.0.0.1 -c unix_socket_directories=
  deadline=$((SECONDS + WAIT_SECONDS))
  until postgres_answers "$PRIVATE_PG_URL"; do
    running postgres || { log "private PostgreSQL exited during start-up; see $SVC_DIR/postgres.log"; return 1; }
    ((SECONDS < deadline)) || { log "private PostgreSQL did not answer within ${WAIT_SECONDS}s"; return 1; }
    sleep 0.2
  done
  log "started a private PostgreSQL ($("$bin/postgres" --version | awk '{print $3}')) on 127.0.0.1:$PRIVATE_PG_PORT (data: $PRIVATE_PG_DIR)"
}

# The PostgreSQL server FerretDB stores in, or nothing (SQLite). A private cluster made by an earlier run keeps
# being used, so the data stays where it was written even if a local PostgreSQL appears later.
postgres_server() {
  [[ $MONGO_BACKEND == sqlite ]] && return 0
  if [[ ! -f $PRIVATE_PG_DIR/PG_VERSION ]] && postgres_answers "$POSTGRES_URL"; then echo "$POSTGRES_URL"; return 0; fi
  [[ -f $PRIVATE_PG_DIR/PG_VERSION ]] || log "no PostgreSQL answers at $POSTGRES_URL: running a private one"
  if start_private_postgres; then echo "$PRIVATE_PG_URL"; return 0; fi
  [[ $MONGO_BACKEND == postgresql ]] && die "HOPPER_SVC_MONGO_BACKEND=postgresql but no PostgreSQL answers at $POSTGRES_URL and no private one could start"
  return 0
}

SQLITE_WARNING="FerretDB runs on SQLite: every lookup scans its whole collection and slows down as data grows (no index serves FerretDB's queries there); install PostgreSQL for index-backed lookups"

start_mongo() {
  mkdir -p "$SVC_DIR/mongo"
  if command -v mongod >/dev/null; then
    spawn mongo mongod --bind_ip 127.0.0.1 --port "$MONGO_PORT" --dbpath "$SVC_DIR/mongo"
    echo "mongod"
  elif build_once ferretdb; then
    local storage server
    server=$(postgres_server)
    if [[ -n $server ]]; then
      storage=(--handler=postgresql --postgresql-url="$(postgres_database "$server")")
    else
      log "$SQLITE_WARNING"
      storage=(--handler=sqlite --sqlite-url="file:$SVC_DIR/mongo/")
    fi
    spawn mongo "$CACHE/bin/ferretdb" "${storage[@]}" \
      --state-dir="$SVC_DIR/mongo" --listen-addr="127.0.0.1:$MONGO_PORT" --debug-addr=- \
      --telemetry=disable --log-level=warn
    echo "FerretDB $FERRETDB_VERSION (${storage[0]#--handler=} backend)"
  else
    die "no MongoDB-wire server: install mongod, or Go (to build FerretDB $FERRETDB_VERSION)"
  fi
}

start_minio() {
  mkdir -p "$SVC_DIR/minio"
  local bin
  if bin=$(command -v minio); then :; elif build_once minio; then bin=$CACHE/bin/minio; else
    die "no MinIO: install minio, or Go (to build it)"
  fi
  MINIO_ROOT_USER=$S3_ACCESS_KEY MINIO_ROOT_PASSWORD=$S3_SECRET_KEY MINIO_BROWSER=off \
    spawn minio "$bin" server --quiet --address "127.0.0.1:$MINIO_PORT" \
    --console-address "127.0.0.1:$MINIO_CONSOLE_PORT" "$SVC_DIR/minio"
  echo "MinIO"
}

up_one() {
  local svc=$1 port started=$SECONDS what
  port=$(port_of "$svc")
  if [[ $svc == redis-cluster ]]; then
    if running "$svc" && answers "$svc"; then log "$svc already running on 127.0.0.1:$port"; return; fi
    what=$(start_redis_cluster)
    wait_until_answers "$svc"
    log "started $what on 127.0.0.1:$port in $((SECONDS - started))s (data: $SVC_DIR/$svc)"
    return
  fi
  if running "$svc"; then
    wait_until_answers "$svc"
    log "$svc already running on 127.0.0.1:$port"
    return
  fi
  port_open "$port" && die "port $port is taken by a program this script did not start; stop it or set HOPPER_SVC_${svc^^}_PORT"
  what=$("start_$svc")
  wait_until_answers "$svc"
  log "started $what on 127.0.0.1:$port in $((SECONDS - started))s (data: $SVC_DIR/$svc)"
}

down_one() {
  local svc=$1 pf pid i
  if [[ $svc == redis-cluster ]]; then
    for port in "${CLUSTER_PORTS[@]}"; do down_one "redis-cluster/$port"; done
    # Cluster membership goes with the data: the next `up` creates a fresh cluster.
    rm -f "$SVC_DIR"/redis-cluster/*/nodes.conf
    return
  fi
  pf=$(pidfile "$svc")
  if ! running "$svc"; then rm -f "$pf"; log "$svc not running"; return; fi
  pid=$(cat "$pf")
  # PostgreSQL's SIGINT is its fast shutdown (SIGTERM waits for its clients to leave).
  kill "-$([[ $svc == postgres ]] && echo INT || echo TERM)" "$pid" 2>/dev/null || true
  for i in $(seq 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  kill -9 "$pid" 2>/dev/null || true
  rm -f "$pf"
  log "stopped $svc"
}

# The PostgreSQL database URL the running FerretDB stores in (empty when it runs on SQLite, or is mongod).
ferretdb_postgres_url() {
  local args
  running mongo || return 0
  args=$(ps -o args= -p "$(cat "$(pidfile mongo)")" 2>/dev/null || true)
  [[ $args == *--postgresql-url=* ]] || return 0
  args=${args##*--postgresql-url=}
  echo "${args%% *}"
}

# Makes FerretDB's pushed-down lookups index-backed (see scripts/ferretdb-gin-indexes.sql): installs the
# functions and the event trigger that give every index FerretDB creates its GIN twin, and adds the GIN indexes
# of what exists already. Idempotent and quick; `up`, `npm start` and `npm test` run it.
tune() {
  local url psql created args
  if ! running mongo; then log "tune: mongo not running (scripts/services.sh up)"; return 0; fi
  args=$(ps -o args= -p "$(cat "$(pidfile mongo)")" 2>/dev/null || true)
  case $args in
    *--handler=sqlite*) log "tune: $SQLITE_WARNING"; return 0 ;;
    *--handler=postgresql*) ;;
    *) log "tune: mongod serves its own indexes; nothing to do"; return 0 ;;
  esac
  url=$(ferretdb_postgres_url)
  psql=$(psql_bin) || die "tune: psql not found"
  if ! "$psql" -X -q -v ON_ERROR_STOP=1 "$url" -f "$ROOT/scripts/ferretdb-gin-indexes.sql" >/dev/null; then
    log "tune: could not install the event trigger (it needs a PostgreSQL superuser): collections created from now on get their GIN indexes only at the next tune"
  fi
  created=$("$psql" -X -tA "$url" -c 'select public.hopper_ferretdb_gin_backfill()') || die "tune: the GIN indexes could not be created in $url"
  log "tune: FerretDB's lookups are index-backed in $url ($created GIN index(es) added now; the event trigger adds those of collections created later)"
  if ((created > 0)); then
    # Statements FerretDB prepared before may keep a sequential-scan plan (see the SQL file).
    log "tune: lookups FerretDB prepared before these indexes existed may go on scanning until it reconnects: restart it to be sure (scripts/services.sh down mongo && scripts/services.sh up mongo)"
  fi
}

print_env() {
  cat <<EOF
export HOPPER_REDIS_URL=redis://127.0.0.1:$REDIS_PORT
export HOPPER_MONGO_URL=mongodb://127.0.0.1:$MONGO_PORT/$MONGO_DB
export HOPPER_S3_ENDPOINT=http://127.0.0.1:$MINIO_PORT
export HOPPER_S3_ACCESS_KEY=$S3_ACCESS_KEY
export HOPPER_S3_SECRET_KEY=$S3_SECRET_KEY
export HOPPER_S3_BUCKET=$S3_BUCKET
EOF
  # The local Redis Cluster's seed nodes, for the tests that run Hopper on it.
  local IFS=, nodes=("${CLUSTER_PORTS[@]/#/127.0.0.1:}")
  echo "export HOPPER_TEST_REDIS_CLUSTER_NODES=${nodes[*]}"
  unset IFS
  # Where FerretDB stores, for tests that read PostgreSQL's own statistics.
  local pg; pg=$(ferretdb_postgres_url)
  [[ -z $pg ]] || echo "export HOPPER_SVC_POSTGRES_URL=$pg"
}

# Debian's chromium, which the console's browser tests drive (HOPPER_CHROMIUM names another binary). Installed
# with apt-get when missing, as a fresh CI machine has none; when present this only prints its version.
ensure_browser() {
  local bin=${HOPPER_CHROMIUM:-/usr/bin/chromium}
  if [[ -x $bin ]]; then log "chromium: $bin ($("$bin" --version 2>/dev/null || echo 'version unknown'))"; return; fi
  command -v apt-get >/dev/null || die "chromium is not at $bin and there is no apt-get to install it: install Chromium, or set HOPPER_CHROMIUM"
  local sudo=; ((EUID == 0)) || sudo=sudo
  log "chromium: not installed; installing Debian's package (apt-get update && apt-get install -y chromium)"
  $sudo apt-get update -q >&2 || die "apt-get update failed: chromium cannot be installed"
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q chromium >&2 || die "apt-get install chromium failed"
  [[ -x $bin ]] || die "chromium was installed but is not at $bin: set HOPPER_CHROMIUM"
  log "chromium: installed at $bin"
}

valid_names() {
  local s
  for s in "$@"; do [[ " ${ALL[*]} " == *" $s "* ]] || die "unknown service '$s' (expected: ${ALL[*]})"; done
}

cmd=${1:-}
shift || true
if [[ $cmd == browser ]]; then ensure_browser; exit 0; fi
(($#)) && valid_names "$@"
services=("$@")
((${#services[@]})) || services=("${ALL[@]}")
mkdir -p "$SVC_DIR"

case $cmd in
  up)
    for s in "${services[@]}"; do up_one "$s"; done
    [[ " ${services[*]} " != *" mongo "* ]] || tune ;;
  down)
    for s in "${services[@]}"; do
      down_one "$s"
      # The private PostgreSQL serves only this instance's FerretDB.
      if [[ $s == mongo ]] && running postgres; then down_one postgres; fi
    done ;;
  status)
    rc=0
    for s in "${services[@]}"; do
      if running "$s" && answers "$s"; then echo "$s: running on 127.0.0.1:$(port_of "$s") (pid $(pids_of "$s"))"
      else echo "$s: stopped"; rc=3; fi
      if [[ $s == mongo ]] && running postgres; then
        echo "postgres: running on 127.0.0.1:$PRIVATE_PG_PORT (pid $(cat "$(pidfile postgres)"); FerretDB's private storage)"
      fi
    done
    exit $rc ;;
  env) print_env ;;
  tune) tune ;;
  *) echo "usage: $0 up|down|status|env|tune [${ALL[*]// /|} ...] | browser" >&2; exit 2 ;;
esac
