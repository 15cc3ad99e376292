#!/usr/bin/env bash
# Local Redis, MongoDB-wire server and MinIO for development and tests.
#
#   scripts/services.sh up [redis|mongo|minio ...]    start (idempotent), wait until each answers
#   scripts/services.sh down [redis|mongo|minio ...]  stop what this script started
#   scripts/services.sh status                        say what runs
#   scripts/services.sh env                           print the export lines for the apps
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
MINIO_CONSOLE_PORT=${HOPPER_SVC_MINIO_CONSOLE_PORT:-9011}
S3_ACCESS_KEY=${HOPPER_S3_ACCESS_KEY:-hopper}
S3_SECRET_KEY=${HOPPER_S3_SECRET_KEY:-hopper-secret}
S3_BUCKET=${HOPPER_S3_BUCKET:-hopper}
MONGO_DB=${HOPPER_SVC_MONGO_DB:-hopper}
# FerretDB's storage: `postgresql` when a local PostgreSQL answers (much faster: its updates use the _id
# index, SQLite's scan the collection), else `sqlite`. HOPPER_SVC_MONGO_BACKEND=sqlite|postgresql forces one.
MONGO_BACKEND=${HOPPER_SVC_MONGO_BACKEND:-auto}
POSTGRES_URL=${HOPPER_SVC_POSTGRES_URL:-postgres://postgres@127.0.0.1:5432}
# FerretDB v1 is the last line with an embedded SQLite backend. v1.24.1 is refused by the module proxy,
# so the newest v1.24.x it serves is used.
FERRETDB_VERSION=v1.24.0
MINIO_VERSION=${HOPPER_SVC_MINIO_VERSION:-v0.0.0-20260212201848-7aac2a2c5b7c}
WAIT_SECONDS=${HOPPER_SVC_WAIT_SECONDS:-60}
ALL=(redis mongo minio)

log() { printf '[services] %s\n' "$*" >&2; }
die() { printf '[services] error: %s\n' "$*" >&2; exit 1; }

pidfile() { echo "$SVC_DIR/$1.pid"; }
port_of() { case $1 in redis) echo "$REDIS_PORT" ;; mongo) echo "$MONGO_PORT" ;; minio) echo "$MINIO_PORT" ;; esac; }

# True when something accepts TCP connections on the loopback port.
port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

running() {
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
    minio)
      [[ $(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$MINIO_PORT/minio/health/ready" || true) == 200 ]] ;;
  esac
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

# True when the local PostgreSQL takes connections without a password (trust), as on the CI machines.
postgres_ready() {
  command -v psql >/dev/null && psql "$POSTGRES_URL/postgres" -tAc 'select 1' >/dev/null 2>&1
}

# The URL of this instance's PostgreSQL database (one per port, so parallel instances never share one),
# created on first use.
postgres_database() {
  local name="hopper_services_$MONGO_PORT"
  if [[ $(psql "$POSTGRES_URL/postgres" -tAc "select 1 from pg_database where datname = '$name'") != 1 ]]; then
    psql "$POSTGRES_URL/postgres" -qc "create database $name" >/dev/null || die "could not create PostgreSQL database $name"
  fi
  echo "$POSTGRES_URL/$name"
}

start_mongo() {
  mkdir -p "$SVC_DIR/mongo"
  if command -v mongod >/dev/null; then
    spawn mongo mongod --bind_ip 127.0.0.1 --port "$MONGO_PORT" --dbpath "$SVC_DIR/mongo"
    echo "mongod"
  elif build_once ferretdb; then
    local storage
    if [[ $MONGO_BACKEND == postgresql ]] || { [[ $MONGO_BACKEND == auto ]] && postgres_ready; }; then
      storage=(--handler=postgresql --postgresql-url="$(postgres_database)")
    else
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
  pf=$(pidfile "$svc")
  if ! running "$svc"; then rm -f "$pf"; log "$svc not running"; return; fi
  pid=$(cat "$pf")
  kill "$pid" 2>/dev/null || true
  for i in $(seq 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  kill -9 "$pid" 2>/dev/null || true
  rm -f "$pf"
  log "stopped $svc"
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
}

valid_names() {
  local s
  for s in "$@"; do [[ " ${ALL[*]} " == *" $s "* ]] || die "unknown service '$s' (expected: ${ALL[*]})"; done
}

cmd=${1:-}
shift || true
(($#)) && valid_names "$@"
services=("$@")
((${#services[@]})) || services=("${ALL[@]}")
mkdir -p "$SVC_DIR"

case $cmd in
  up) for s in "${services[@]}"; do up_one "$s"; done ;;
  down) for s in "${services[@]}"; do down_one "$s"; done ;;
  status)
    rc=0
    for s in "${services[@]}"; do
      if running "$s" && answers "$s"; then echo "$s: running on 127.0.0.1:$(port_of "$s") (pid $(cat "$(pidfile "$s")"))"
      else echo "$s: stopped"; rc=3; fi
    done
    exit $rc ;;
  env) print_env ;;
  *) echo "usage: $0 up|down|status|env [redis|mongo|minio ...]" >&2; exit 2 ;;
esac
