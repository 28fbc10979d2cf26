#!/usr/bin/env bash
# The mediawatch agent's launcher: runs the JVM form (quarkus-app/) with small-footprint flags and its class cache
# (the AOT cache on a JDK 25+, an AppCDS archive on JDK 17-24); or the native executable when that is what is
# installed. install.sh installs it as
# <release>/bin/mediawatch-agent; the systemd unit runs it as ExecStart (run) and ExecStartPost (ready).
#
#   mediawatch-agent [run]               exec the agent
#   mediawatch-agent ready [--strict] [SECONDS]
#                                        wait for GET /q/health/ready = 200 (default MEDIAWATCH_READY_TIMEOUT, 60 s).
#                                        Not ready in time but answering HTTP (e.g. the broker is away):
#                                        a warning and exit 0, as the agent keeps retrying and buffers its events;
#                                        with --strict exit 1. Not answering at all: exit 1
#   mediawatch-agent aot-train           record the class cache for the java in use (JVM form): app.aot on a JDK 25+,
#                                        app-cds.jsa on JDK 17-24; a start of the app with no broker, engine, mounts
#                                        or state file of the host's (side-effect free)
#   mediawatch-agent command             print what `run` would exec, one argument per line
#
# Environment (the unit reads /etc/mediawatch/agent.conf: non-secret settings only), all optional:
#   MEDIAWATCH_AGENT_HOME      the release directory (default: this script's ../); holds quarkus-app/ or
#                              mediawatch-agent-runner
#   MEDIAWATCH_JAVA            java executable (default: $JAVA_HOME/bin/java, else java on the PATH)
#   MEDIAWATCH_JVM_FLAGS       replaces the small-footprint flags (DEFAULT_JVM_FLAGS below)
#   MEDIAWATCH_JAVA_OPTS       appended to them
#   MEDIAWATCH_AOT             auto (default: the class cache when it was made by this very JDK: app.aot on 25+,
#                              app-cds.jsa on 17-24) | off
#   MEDIAWATCH_NATIVE_OPTS     options of the native executable (e.g. -Xmx32m)
#   MEDIAWATCH_INFISICAL_PATH  run under `infisical run --path=<this>` (secrets as environment variables), with
#                              MEDIAWATCH_INFISICAL_ENV (--env), MEDIAWATCH_INFISICAL_PROJECT_ID (--projectId),
#                              MEDIAWATCH_INFISICAL_BIN (default infisical); its token from the credential
#                              infisical-token when there is one
#   MEDIAWATCH_READY_HTTP      curl (default, when installed) | bash (HTTP/1.0 over /dev/tcp)
#   CREDENTIALS_DIRECTORY      set by systemd (LoadCredential=): each credential file <name> (the unit's
#                              directory form prefixes "mediawatch_") is passed as MEDIAWATCH_<NAME>_FILE, <name>
#                              upper-cased with - as _ (mqtt-password -> MEDIAWATCH_MQTT_PASSWORD_FILE). A variable
#                              already set (the secret itself, or its _FILE) wins
set -euo pipefail

# Measured on the agent (docs/benchmarks.md): ~40% less memory than the defaults. The heap may grow to 24 MB,
# but starts at 4 MB and is kept about a third larger than what survives a collection (the agent keeps ~6 MB live
# with 34 containers). The young generation is 2 MB: a collection every ~2 s, under a millisecond each, instead of
# a third of the heap touched between two. One C1 compiler, which compiles a method once it ran five times as often
# as by default: most of the agent's code runs once per cycle, and its compiled form would only fill the code cache
# (3.6 instead of 5.0 MB).
DEFAULT_JVM_FLAGS="-Xmx24m -Xms4m -Xmn2m -XX:MinHeapFreeRatio=10 -XX:MaxHeapFreeRatio=30 -Xss256k -XX:MaxMetaspaceSize=64m -XX:ReservedCodeCacheSize=16m -XX:+UseSerialGC \
-XX:TieredStopAtLevel=1 -XX:CICompilerCount=1 -XX:CompileThresholdScaling=5 -XX:MaxDirectMemorySize=16m -Dio.netty.allocator.type=unpooled \
-XX:-UsePerfData -XX:+ExitOnOutOfMemoryError"

self=$(readlink -f "${BASH_SOURCE[0]}")
home=${MEDIAWATCH_AGENT_HOME:-$(cd "$(dirname "$self")/.." && pwd)}
app=$home/quarkus-app
runner=$home/mediawatch-agent-runner

log() { printf 'mediawatch-agent: %s\n' "$*" >&2; }
die() { log "$*"; exit 1; }

form() {
  if [ -x "$runner" ] && [ -f "$runner" ]; then echo native
  elif [ -f "$app/quarkus-run.jar" ]; then echo jvm
  else die "nothing to run in $home (neither quarkus-app/quarkus-run.jar nor mediawatch-agent-runner)"
  fi
}

java_bin() {
  if [ -n "${MEDIAWATCH_JAVA:-}" ]; then echo "$MEDIAWATCH_JAVA"
  elif [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/java" ]; then echo "$JAVA_HOME/bin/java"
  else command -v java || die "no java found: set MEDIAWATCH_JAVA (a JDK or JRE 17+, 25+ for the AOT cache)"
  fi
}

# The JDK's release file, read instead of starting a JVM: "<major> <runtime version>".
java_release() {
  local java real jhome major="" runtime=""
  java=$(java_bin)
  real=$(readlink -f "$(command -v "$java")") || die "java not found: $java"
  jhome=${real%/bin/java}
  if [ -f "$jhome/release" ]; then
    major=$(sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$jhome/release")
    runtime=$(sed -n 's/^JAVA_RUNTIME_VERSION="\(.*\)"/\1/p' "$jhome/release")
  fi
  if [ -z "$major" ]; then
    runtime=$("$java" -version 2>&1 | sed -n '1s/.*version "\([^"]*\)".*/\1/p')
    major=${runtime%%.*}
  fi
  echo "${major:-0} ${runtime:-unknown}"
}

# With the default flags, where the JVM has it (JDK 17.0.9+, 21.0.1+ as an experimental flag, 22+): glibc's free
# native memory given back every 10 s (malloc_trim), which it otherwise keeps after the start's peak. Looked up in
# the JVM library rather than by starting a JVM; an older JVM would refuse the unknown flag and not start.
trim_flags() {
  [ -z "${MEDIAWATCH_JVM_FLAGS:-}" ] || return 0
  local real
  real=$(readlink -f "$(command -v "$(java_bin)")") || return 0
  if grep -qaF TrimNativeHeapInterval "${real%/bin/java}/lib/server/libjvm.so" 2>/dev/null; then
    echo "-XX:+UnlockExperimentalVMOptions -XX:TrimNativeHeapInterval=10000"
  fi
}

# The class cache a JDK of this major version uses: the AOT cache (25+) or a dynamic AppCDS archive (17-24).
cache_name() {
  if [ "${1:-0}" -ge 25 ]; then echo app.aot; else echo app-cds.jsa; fi
}

# The class cache usable by this java, into the variable cache ("" for none): made by this very JDK build. An AOT
# cache may also come from the Maven build without a stamp (the JVM checks it and runs without it on a mismatch);
# an AppCDS archive is only used with its stamp, as a JDK 17 would warn at every start about a foreign one.
cache_usable() {
  cache=
  [ "${MEDIAWATCH_AOT:-auto}" != off ] || return 1
  local rel major runtime name
  rel=$(java_release)
  read -r major runtime <<<"$rel"
  name=$(cache_name "$major")
  [ -f "$app/$name" ] || return 1
  if [ -f "$app/$name.jdk" ]; then
    if [ "$(cat "$app/$name.jdk")" != "$runtime" ]; then
      log "$name was recorded by JDK $(cat "$app/$name.jdk"), this is $runtime: running without it (mediawatch-agent aot-train records a new one)"
      return 1
    fi
  elif [ "$name" != app.aot ]; then
    return 1
  fi
  cache=$name
}

map_credentials() {
  local dir=${CREDENTIALS_DIRECTORY:-} f name var file_var
  [ -n "$dir" ] && [ -d "$dir" ] || return 0
  for f in "$dir"/*; do
    [ -f "$f" ] || continue
    name=${f##*/}
    name=${name#mediawatch_}
    case $name in infisical-token | INFISICAL_TOKEN) continue ;; esac
    var=$(printf '%s' "$name" | tr 'a-z-' 'A-Z_')
    case $var in MEDIAWATCH_*) ;; *) var=MEDIAWATCH_$var ;; esac
    case $var in *[!A-Z0-9_]*) log "credential '$name' is not usable as a variable name; ignored"; continue ;; esac
    file_var=${var}_FILE
    if [ -n "${!var:-}" ] || [ -n "${!file_var:-}" ]; then continue; fi
    export "$file_var=$f"
  done
}

maybe_infisical() {
  [ -n "${MEDIAWATCH_INFISICAL_PATH:-}" ] || return 0
  if [ -n "${MEDIAWATCH_UNDER_INFISICAL:-}" ]; then
    unset INFISICAL_TOKEN # the agent needs the secrets it was given, not the key to all of them
    return 0
  fi
  local bin=${MEDIAWATCH_INFISICAL_BIN:-infisical} f
  command -v "$bin" >/dev/null || die "MEDIAWATCH_INFISICAL_PATH is set but $bin is not installed"
  for f in "${CREDENTIALS_DIRECTORY:-/nonexistent}/mediawatch_infisical-token" "${CREDENTIALS_DIRECTORY:-/nonexistent}/infisical-token"; do
    if [ -f "$f" ]; then INFISICAL_TOKEN=$(cat "$f"); export INFISICAL_TOKEN; break; fi
  done
  local args=(run "--path=$MEDIAWATCH_INFISICAL_PATH")
  [ -z "${MEDIAWATCH_INFISICAL_ENV:-}" ] || args+=("--env=$MEDIAWATCH_INFISICAL_ENV")
  [ -z "${MEDIAWATCH_INFISICAL_PROJECT_ID:-}" ] || args+=("--projectId=$MEDIAWATCH_INFISICAL_PROJECT_ID")
  log "secrets from Infisical ($MEDIAWATCH_INFISICAL_PATH)"
  export MEDIAWATCH_UNDER_INFISICAL=1
  exec "$bin" "${args[@]}" -- "$self" run
}

# The command `run` execs, into the array cmd (and the directory it runs in, into workdir).
build_command() {
  local kind
  kind=$(form)
  workdir=$home
  if [ "$kind" = native ]; then
    # shellcheck disable=SC2206 # word splitting of the options is intended
    cmd=("$runner" ${MEDIAWATCH_NATIVE_OPTS:-})
    return
  fi
  local flags=${MEDIAWATCH_JVM_FLAGS:-$DEFAULT_JVM_FLAGS}
  local trim
  trim=$(trim_flags)
  # shellcheck disable=SC2206 # word splitting of the flags is intended
  cmd=("$(java_bin)" $flags $trim ${MEDIAWATCH_JAVA_OPTS:-})
  if cache_usable; then
    if [ "$cache" = app.aot ]; then cmd+=(-XX:AOTCache=app.aot); else cmd+=(-XX:SharedArchiveFile=app-cds.jsa); fi
  fi
  # From its own directory, as the class cache was recorded (class path quarkus-run.jar).
  workdir=$app
  cmd+=(-jar quarkus-run.jar)
}

run() {
  maybe_infisical
  map_credentials
  build_command
  # Two malloc arenas instead of eight per core: the agent's few threads do not contend for them, and each arena
  # left to grow holds native memory (Netty, zip, the JIT) that is never given back.
  export MALLOC_ARENA_MAX=${MALLOC_ARENA_MAX:-2}
  cd "$workdir"
  log "from $home: ${cmd[*]}"
  exec "${cmd[@]}"
}

http_status() {
  local host=${QUARKUS_HTTP_HOST:-127.0.0.1} port=${QUARKUS_HTTP_PORT:-8471} line
  case $host in 0.0.0.0 | "::" | "[::]") host=127.0.0.1 ;; esac
  if [ "${MEDIAWATCH_READY_HTTP:-curl}" = curl ] && command -v curl >/dev/null; then
    curl -s -o /dev/null -m 2 -w '%{http_code}' "http://$host:$port$1" || true
  else
    # No curl (a slim image): HTTP/1.0 by hand, in a subshell so a refused connection is only a status.
    (
      exec 3<>"/dev/tcp/$host/$port" || exit 1
      printf 'GET %s HTTP/1.0\r\nHost: %s\r\n\r\n' "$1" "$host" >&3
      IFS=' ' read -r -t 2 _ line _ <&3 || true
      echo "${line:-000}"
    ) 2>/dev/null || echo 000
  fi
}

ready() {
  local strict=false timeout=${MEDIAWATCH_READY_TIMEOUT:-60}
  while [ $# -gt 0 ]; do
    case $1 in
      --strict) strict=true ;;
      *) timeout=$1 ;;
    esac
    shift
  done
  local deadline=$((SECONDS + timeout)) code
  while [ "$SECONDS" -lt "$deadline" ]; do
    code=$(http_status /q/health/ready)
    if [ "$code" = 200 ]; then log "ready"; return 0; fi
    sleep 0.5
  done
  code=$(http_status /q/health/ready)
  if [ "$code" != 000 ]; then
    # It answers (503 while the broker is away: readiness says why), so it is alive.
    log "answering but not ready after ${timeout}s (HTTP $code; GET /q/health/ready says why: the broker?); it keeps retrying"
    if [ "$strict" = true ]; then return 1; fi
    return 0
  fi
  log "not answering on port ${QUARKUS_HTTP_PORT:-8471} after ${timeout}s"
  return 1
}

aot_train() {
  local kind rel major runtime java tmp name record
  kind=$(form)
  [ "$kind" = jvm ] || die "aot-train: the native form needs no class cache"
  rel=$(java_release)
  read -r major runtime <<<"$rel"
  [ "${major:-0}" -ge 17 ] || die "aot-train: needs JDK 17+ ($(java_bin) is $runtime)"
  java=$(java_bin)
  name=$(cache_name "$major")
  tmp=$(mktemp -d)
  # shellcheck disable=SC2064 # expand now
  trap "rm -rf '$tmp'" EXIT
  # JDK 25+: the AOT cache (classes loaded and linked, method profiles); JDK 17-24: a dynamic AppCDS archive on top
  # of the JDK's own (the app's classes parsed once, mapped from the file instead of built in anonymous metaspace).
  if [ "$name" = app.aot ]; then record=-XX:AOTCacheOutput="$tmp/$name"; else record=-XX:ArchiveClassesAtExit="$tmp/$name"; fi
  log "recording the class cache $name with $runtime (a start of the app without broker, engine or mounts; ~15 s)"
  local flags=${MEDIAWATCH_JVM_FLAGS:-$DEFAULT_JVM_FLAGS}
  # A clean environment: no secrets, no host config; a state file of its own so no real throttle is restored. The app
  # starts, runs its first rounds (no broker, no engine: their retry paths), and is stopped the way systemd stops
  # it; the JVM writes the cache as it exits.
  # shellcheck disable=SC2086 # word splitting of the flags is intended
  (cd "$app" && exec env -i PATH=/usr/bin:/bin HOME="$tmp" MEDIAWATCH_HOST_ID=aot-training \
    MEDIAWATCH_MQTT_HOST=127.0.0.1 MEDIAWATCH_MQTT_PORT=1 MEDIAWATCH_DOCKER_HOST="unix://$tmp/none.sock" \
    MEDIAWATCH_THROTTLE_STATE_FILE="$tmp/throttle.json" MEDIAWATCH_MOUNTS_WATCH=none QUARKUS_HTTP_PORT=0 \
    "$java" $flags "$record" -jar quarkus-run.jar >"$tmp/train.log" 2>&1) &
  local pid=$! waited=0
  until grep -q ' started in ' "$tmp/train.log" 2>/dev/null; do
    if ! kill -0 "$pid" 2>/dev/null || [ "$waited" -ge 600 ]; then
      kill -TERM "$pid" 2>/dev/null || true
      wait "$pid" 2>/dev/null || true
      tail -20 "$tmp/train.log" >&2
      die "aot-train: the app did not start"
    fi
    sleep 0.1
    waited=$((waited + 1))
  done
  sleep 6
  kill -TERM "$pid"
  wait "$pid" || true
  [ -s "$tmp/$name" ] || { tail -20 "$tmp/train.log" >&2; die "aot-train: no cache was written"; }
  mv -f "$tmp/$name" "$app/$name"
  printf '%s\n' "$runtime" >"$app/$name.jdk"
  chmod 0644 "$app/$name" "$app/$name.jdk"
  log "class cache $app/$name ($(du -h "$app/$name" | cut -f1)) for $runtime"
}

case "${1:-run}" in
  run) run ;;
  ready) shift; ready "$@" ;;
  aot-train) aot_train ;;
  command) build_command; printf 'cd %s\n' "$workdir"; printf '%s\n' "${cmd[@]}" ;;
  -h | --help | help) sed -n '2,/^set -euo/p' "$self" | sed '$d; s/^# \{0,1\}//' ;;
  *) die "unknown command '$1' (run | ready | aot-train | command | help)" ;;
esac
