#!/usr/bin/env bash
# The agent's start time and memory in the forms deploy/agent ships:
#   default     JDK 17, the fast-jar, `java -jar` with no flags
#   tuned       JDK 17, the fast-jar, through the launcher (deploy/agent/mediawatch-agent.sh: small-footprint flags)
#   tuned-25    JDK 25, the AOT-layout jar (-Paot), through the launcher with MEDIAWATCH_AOT=off: the control,
#               so the cache's own effect is tuned-25 vs aot (not the JDK's)
#   aot         JDK 25, the AOT-layout jar and its app.aot cache, through the launcher
# Each run starts the agent, times process start to GET /q/health/ready = 200 (polled every 20 ms; ready means
# connected to the broker), reads its RSS (VmRSS) and the CPU it used (utime + stime) then, again after a settle
# period with its anonymous part (RssAnon: heap, metaspace, code; the rest is file-backed, e.g. the mapped AOT cache,
# shareable and reclaimable), and its peak RSS (VmHWM); then stops it. Cases are interleaved run by run, so the machine's noise falls
# on all of them alike; medians are printed. Compare within one run only: machines here are shared and noisy.
#
#   scripts/bench/agent-footprint.sh [runs=5] [settle-seconds=10]
#
# Builds what is missing or older than the sources: target/bench/agent-jvm/quarkus-app (JDK 17, the fast-jar) and
# target/bench/agent-aot/quarkus-app (JDK 25, -Paot). Starts its own Mosquitto on loopback
# (as scripts/services.sh does; BENCH_MQTT_PORT, default 18993), stops it at the end. The agent's engine is
# DOCKER_HOST (default unix:///var/run/docker.sock): reachable or not, as long as it is the same for every case.
# BENCH_JDK25 (default /usr/lib/jvm/temurin-25-jdk-amd64) and BENCH_JDK17 (default: java on the PATH).
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$repo"
runs=${1:-5}
settle=${2:-10}
mqtt_port=${BENCH_MQTT_PORT:-18993}
http_port=${BENCH_HTTP_PORT:-18994}
jdk25=${BENCH_JDK25:-/usr/lib/jvm/temurin-25-jdk-amd64}
java17=${BENCH_JDK17:-$(command -v java)}
docker_host=${DOCKER_HOST:-unix:///var/run/docker.sock}
work=$repo/target/bench/agent-footprint
jvm_app=$repo/target/bench/agent-jvm/quarkus-app
aot_app=$repo/target/bench/agent-aot/quarkus-app
launcher=$repo/deploy/agent/mediawatch-agent.sh
hz=$(getconf CLK_TCK)

log() { printf 'bench: %s\n' "$*" >&2; }
die() { log "$*"; exit 1; }

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else die "need root for: $*"; fi
}

[ -x "$jdk25/bin/java" ] || die "no JDK 25 at $jdk25 (BENCH_JDK25): the AOT cache needs one"
"$java17" -version 2>&1 | head -1 | grep -q '"17' || die "$java17 is not a JDK 17 (BENCH_JDK17)"
command -v curl >/dev/null || die "curl is needed"
if ! command -v mosquitto >/dev/null && [ ! -x /usr/sbin/mosquitto ]; then
  log "installing mosquitto from Debian"
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends mosquitto mosquitto-clients >/dev/null
fi

newer_sources() { # is anything in agent or common newer than $1?
  [ -n "$(find pom.xml common agent -newer "$1" \( -path '*/src/main/*' -o -name pom.xml \) -type f -print -quit)" ]
}
# Both forms are built into target/bench/ (quarkus.package.output-directory), never agent/target/quarkus-app: other
# builds in the same tree replace that one under a running JVM.
if [ ! -f "$jvm_app/quarkus-run.jar" ] || newer_sources "$jvm_app/quarkus-run.jar"; then
  log "packaging the agent (JDK 17, fast-jar) into $jvm_app"
  rm -rf "$jvm_app"
  ./mvnw -o -q install -pl common -DskipTests
  ./mvnw -o -q -pl agent package -DskipTests -Dquarkus.package.output-directory="$jvm_app"
  [ -f "$jvm_app/quarkus-run.jar" ] || die "the build made no $jvm_app/quarkus-run.jar"
fi
if [ ! -f "$aot_app/app.aot" ] || newer_sources "$aot_app/app.aot"; then
  log "packaging the agent's AOT form with JDK 25 (-Paot: recorded at build time) into $aot_app"
  rm -rf "$aot_app"
  JAVA_HOME=$jdk25 ./mvnw -o -q -pl agent package -DskipTests -Paot \
    -Dquarkus.package.output-directory="$aot_app" 2>&1 | grep -v -e 'sun.misc.Unsafe' -e 'WARNING: Please consider' >&2 || true
  [ -f "$aot_app/app.aot" ] || die "the AOT build made no $aot_app/app.aot"
fi

mkdir -p "$work"
cat >"$work/mosquitto.conf" <<CONF
listener $mqtt_port 127.0.0.1
allow_anonymous true
persistence false
log_dest file $work/mosquitto.log
CONF
/usr/sbin/mosquitto -c "$work/mosquitto.conf" >/dev/null 2>&1 &
broker_pid=$!
agent_pid=
stop() { # pid: TERM, then KILL after 10 s
  kill -TERM "$1" 2>/dev/null || return 0
  for _ in $(seq 1 100); do kill -0 "$1" 2>/dev/null || break; sleep 0.1; done
  kill -KILL "$1" 2>/dev/null || true
  wait "$1" 2>/dev/null || true
}
cleanup() {
  if [ -n "$agent_pid" ]; then stop "$agent_pid"; fi
  stop "$broker_pid"
}
trap cleanup EXIT
for _ in $(seq 1 50); do
  mosquitto_pub -h 127.0.0.1 -p "$mqtt_port" -t bench/ping -n 2>/dev/null && break
  sleep 0.1
done

now_ms() { date +%s%3N; }
status_kb() { awk -v k="$2:" '$1 == k {print $2}' "/proc/$1/status"; }
cpu_ms() { awk -v hz="$hz" '{printf "%d", ($14 + $15) * 1000 / hz}' "/proc/$1/stat"; }
mb() { awk -v k="$1" 'BEGIN { printf "%.1f", k / 1024 }'; }
median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : int((a[NR/2]+a[NR/2+1])/2))}'; }

# measure CASE RUN: sets result="ready_ms cpu_ms rss_ready_kb rss_settled_kb hwm_kb anon_settled_kb"
measure() {
  local case=$1 run=$2 t0 t1 cmd
  cmd=(env MEDIAWATCH_HOST_ID="bench-$case-$run" MEDIAWATCH_MQTT_HOST=127.0.0.1 MEDIAWATCH_MQTT_PORT="$mqtt_port"
    MEDIAWATCH_DOCKER_HOST="$docker_host" MEDIAWATCH_THROTTLE_STATE_FILE="$work/throttle.json"
    QUARKUS_HTTP_PORT="$http_port")
  case $case in
    default) cmd+=("$java17" -jar "$jvm_app/quarkus-run.jar") ;;
    tuned) cmd+=(MEDIAWATCH_JAVA="$java17" MEDIAWATCH_AGENT_HOME="$(dirname "$jvm_app")" "$launcher" run) ;;
    tuned-25) cmd+=(MEDIAWATCH_JAVA="$jdk25/bin/java" MEDIAWATCH_AOT=off MEDIAWATCH_AGENT_HOME="$(dirname "$aot_app")"
      "$launcher" run) ;;
    aot) cmd+=(MEDIAWATCH_JAVA="$jdk25/bin/java" MEDIAWATCH_AGENT_HOME="$(dirname "$aot_app")" "$launcher" run) ;;
  esac
  t0=$(now_ms)
  # env and the launcher exec: the pid is the JVM's.
  "${cmd[@]}" >"$work/$case-$run.log" 2>&1 &
  agent_pid=$!
  local ok=false
  for _ in $(seq 1 1500); do
    if curl -fs -o /dev/null "http://127.0.0.1:$http_port/q/health/ready"; then ok=true; break; fi
    kill -0 "$agent_pid" 2>/dev/null || break
    sleep 0.02
  done
  t1=$(now_ms)
  [ "$ok" = true ] || { tail -20 "$work/$case-$run.log" >&2; die "$case #$run did not become ready"; }
  local cpu rss rss2 hwm anon
  cpu=$(cpu_ms "$agent_pid"); rss=$(status_kb "$agent_pid" VmRSS)
  sleep "$settle"
  rss2=$(status_kb "$agent_pid" VmRSS); hwm=$(status_kb "$agent_pid" VmHWM); anon=$(status_kb "$agent_pid" RssAnon)
  if [ "$case" = aot ] && ! grep -q -- '-XX:AOTCache=app.aot' "$work/$case-$run.log"; then die "aot #$run ran without the cache"; fi
  stop "$agent_pid"; agent_pid=
  result="$((t1 - t0)) $cpu $rss $rss2 $hwm $anon"
}

cases=(default tuned tuned-25 aot)
out=$work/results-$(date -u +%Y%m%dT%H%M%SZ).txt
{
  echo "# $(date -u +%FT%TZ) $(uname -n), $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GB", $2/1048576}' /proc/meminfo), load $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "# JDK 17: $("$java17" -version 2>&1 | head -1); JDK 25: $("$jdk25/bin/java" -version 2>&1 | head -1)"
  echo "# runs=$runs settle=${settle}s, broker Mosquitto 127.0.0.1:$mqtt_port, engine $docker_host, commit $(git rev-parse --short HEAD 2>/dev/null || echo '?')"
  echo "# aot: $(du -h "$aot_app/app.aot" | cut -f1) app.aot; tuned flags: $(sed -n 's/^DEFAULT_JVM_FLAGS="\(.*\)\\$/\1/p' "$launcher")..."
} | tee "$out"
declare -A results
printf '%-14s %9s %8s %13s %15s %12s %12s\n' case ready_ms cpu_ms rss_ready_MB rss_settled_MB peak_rss_MB anon_set_MB | tee -a "$out"
for run in $(seq 1 "$runs"); do
  for c in "${cases[@]}"; do
    measure "$c" "$run"
    results[$c]+="$result"$'\n'
    read -r ms cpu rss rss2 hwm anon <<<"$result"
    printf '%-14s %9d %8d %13s %15s %12s %12s\n' "$c #$run" "$ms" "$cpu" "$(mb "$rss")" "$(mb "$rss2")" "$(mb "$hwm")" \
      "$(mb "$anon")" | tee -a "$out"
  done
done
for c in "${cases[@]}"; do
  col() { printf '%s' "${results[$c]}" | awk -v i="$1" 'NF {print $i}' | median; }
  printf '%-14s %9d %8d %13s %15s %12s %12s\n' "$c MEDIAN" "$(col 1)" "$(col 2)" "$(mb "$(col 3)")" "$(mb "$(col 4)")" \
    "$(mb "$(col 5)")" "$(mb "$(col 6)")" | tee -a "$out"
done
log "written to $out"
