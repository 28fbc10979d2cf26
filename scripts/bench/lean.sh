#!/usr/bin/env bash
# The agent as shipped, beside Prometheus' node_exporter, in one run: memory, classes, threads and CPU with 30
# containers on the engine, where the memory goes (Native Memory Tracking), how fast it has its first state on the
# broker, and its event latency against the floor.
#
#   scripts/bench/lean.sh [starts=5] [warmup-seconds=60] [measure-seconds=180] [latency-runs=5]
#
# 1. Footprint: 30 busybox containers on the test dockerd; the agent through deploy/agent/mediawatch-agent.sh (the
#    flags it ships with) and node_exporter (Debian's prometheus-node-exporter, installed if missing) side by side;
#    after the warm-up, samples every 5 s for the measuring time: RSS, anonymous RSS, threads (/proc), and the
#    agent's CPU over the measuring time (utime + stime); its loaded classes (jcmd VM.classloader_stats) at the end.
# 2. Native Memory Tracking: the same agent again with -XX:NativeMemoryTracking=summary (NMT costs memory itself,
#    so it has a run of its own), its summary after the warm-up: where each megabyte went.
# 3. Start: process start to the first retained state on the broker (a subscriber on <prefix>/<host>/state), median
#    of `starts` fresh starts.
# 4. Event latency: scripts/bench/event-latency.sh, `latency-runs` times: the agent's p99 against the floor's.
#
# BENCH_AGENT_APP=<quarkus-app directory> measures another build (e.g. an older commit's, for a before/after);
# MEDIAWATCH_JAVA picks the java, as for the launcher (a JDK 25 uses the app's AOT cache when aot-train made one).
# Needs the test services: eval "$(scripts/services.sh start)". Packages the agent if missing. Writes everything to
# target/bench/lean/ and a summary to stdout. Compare within one run only: this machine is shared.
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$repo"
starts=${1:-5}
warmup=${2:-60}
measure=${3:-180}
latency_runs=${4:-5}
: "${MEDIAWATCH_TEST_DOCKER_HOST:?run: eval \"\$(scripts/services.sh start)\" first}"
: "${MEDIAWATCH_TEST_MQTT_PORT:?}" "${MEDIAWATCH_TEST_IMAGE:?}"
work=$repo/target/bench/lean
app=${BENCH_AGENT_APP:-$repo/agent/target/quarkus-app}
launcher=$repo/deploy/agent/mediawatch-agent.sh
http_port=${BENCH_HTTP_PORT:-18986}
ne_port=${BENCH_NODE_EXPORTER_PORT:-19100}
hz=$(getconf CLK_TCK)
run=lean$$
mkdir -p "$work"

log() { printf 'lean: %s\n' "$*" >&2; }
die() { log "$*"; exit 1; }
as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else die "need root for: $*"; fi
}
dk() { docker -H "$MEDIAWATCH_TEST_DOCKER_HOST" "$@"; }

if ! command -v prometheus-node-exporter >/dev/null; then
  log "installing prometheus-node-exporter from Debian"
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends prometheus-node-exporter >/dev/null
  # The package starts its service where systemd runs; this benchmark runs its own.
  as_root systemctl disable --now prometheus-node-exporter >/dev/null 2>&1 || true
fi
if [ -n "${BENCH_AGENT_APP:-}" ]; then
  [ -f "$app/quarkus-run.jar" ] || die "no quarkus-run.jar in $app"
elif [ ! -f "$app/quarkus-run.jar" ] || [ -n "$(find common runtime agent -newer "$app/quarkus-run.jar" -path '*/src/main/*' -type f -print -quit)" ]; then
  log "packaging the agent"
  ./mvnw -o -q install -DskipTests -pl common,runtime,agent -am
fi
# As shipped means with the class cache the installer records: made again when missing or older than the app.
cache=$(find "$app" -maxdepth 1 \( -name app-cds.jsa -o -name app.aot \) -print -quit)
if [ -z "$cache" ] || [ -n "$(find "$app" -newer "$cache" -name '*.jar' -print -quit)" ]; then
  log "recording the agent's class cache (mediawatch-agent aot-train)"
  MEDIAWATCH_AGENT_HOME="$(dirname "$app")" "$launcher" aot-train >/dev/null
fi

pids=()
stop_pid() {
  kill -TERM "$1" 2>/dev/null || return 0
  for _ in $(seq 1 100); do kill -0 "$1" 2>/dev/null || break; sleep 0.1; done
  kill -KILL "$1" 2>/dev/null || true
  wait "$1" 2>/dev/null || true
}
cleanup() {
  for p in "${pids[@]}"; do stop_pid "$p"; done
  for i in $(seq 1 30); do dk rm -f "$run-$i" >/dev/null 2>&1 || true; done
}
trap cleanup EXIT

log "starting 30 containers"
for i in $(seq 1 30); do
  dk run -d --init --network none --name "$run-$i" "$MEDIAWATCH_TEST_IMAGE" sleep 36000 >/dev/null
done

# start_agent NAME [extra JVM options]: sets agent_pid
start_agent() {
  local name=$1; shift
  env MEDIAWATCH_HOST_ID="$name" MEDIAWATCH_TOPIC_PREFIX="$run" MEDIAWATCH_MQTT_HOST=127.0.0.1 \
    MEDIAWATCH_MQTT_PORT="$MEDIAWATCH_TEST_MQTT_PORT" MEDIAWATCH_DOCKER_HOST="$MEDIAWATCH_TEST_DOCKER_HOST" \
    MEDIAWATCH_THROTTLE_STATE_FILE="$work/throttle.json" MEDIAWATCH_MOUNTS_WATCH=none QUARKUS_HTTP_PORT="$http_port" \
    MEDIAWATCH_AGENT_HOME="$(dirname "$app")" MEDIAWATCH_JAVA_OPTS="$*" "$launcher" run >"$work/$name.log" 2>&1 &
  agent_pid=$!
  pids+=("$agent_pid")
}
kb() { awk -v k="$2:" '$1 == k {print $2}' "/proc/$1/status"; }
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
mb() { awk -v k="$1" 'BEGIN { printf "%.1f", k / 1024 }'; }
median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
now_ms() { date +%s%3N; }

# ---- 1. footprint beside node_exporter ----------------------------------------------------------------------
log "footprint: agent and node_exporter, ${warmup} s warm-up, ${measure} s measured"
start_agent "$run-fp"
prometheus-node-exporter --web.listen-address="127.0.0.1:$ne_port" >"$work/node-exporter.log" 2>&1 &
ne_pid=$!
pids+=("$ne_pid")
sleep "$warmup"
# node_exporter is scraped every 15 s, as Prometheus would
( while kill -0 "$ne_pid" 2>/dev/null; do curl -fs -o /dev/null "http://127.0.0.1:$ne_port/metrics" || true; sleep 15; done ) &
pids+=($!)
a_cpu0=$(cpu_ticks "$agent_pid"); n_cpu0=$(cpu_ticks "$ne_pid")
: >"$work/samples.txt"
end=$(( $(date +%s) + measure ))
while [ "$(date +%s)" -lt "$end" ]; do
  echo "agent $(kb "$agent_pid" VmRSS) $(kb "$agent_pid" RssAnon) $(kb "$agent_pid" Threads)" >>"$work/samples.txt"
  echo "node_exporter $(kb "$ne_pid" VmRSS) $(kb "$ne_pid" RssAnon) $(kb "$ne_pid" Threads)" >>"$work/samples.txt"
  sleep 5
done
a_cpu=$(( $(cpu_ticks "$agent_pid") - a_cpu0 )); n_cpu=$(( $(cpu_ticks "$ne_pid") - n_cpu0 ))
classes=$(jcmd "$agent_pid" VM.classloader_stats 2>/dev/null | awk '/^Total = / {print $4}')
[ -n "$classes" ] || classes=$(jcmd "$agent_pid" VM.classloader_stats 2>/dev/null | awk 'NR > 1 && $5 ~ /^[0-9]+$/ {s += $5} END {print s}')
jcmd "$agent_pid" Thread.print >"$work/threads.txt" 2>/dev/null || true
stop_pid "$agent_pid"; stop_pid "$ne_pid"
pct() { awk -v t="$1" -v s="$measure" -v hz="$hz" 'BEGIN { printf "%.2f", t * 100 / hz / s }'; }
col() { awk -v w="$1" -v i="$2" '$1 == w {print $i}' "$work/samples.txt" | median; }
{
  printf '%-14s %9s %9s %8s %8s\n' process RSS_MB anon_MB threads cpu_%
  printf '%-14s %9s %9s %8s %8s\n' agent "$(mb "$(col agent 2)")" "$(mb "$(col agent 3)")" "$(col agent 4)" "$(pct "$a_cpu")"
  printf '%-14s %9s %9s %8s %8s\n' node_exporter "$(mb "$(col node_exporter 2)")" "$(mb "$(col node_exporter 3)")" \
    "$(col node_exporter 4)" "$(pct "$n_cpu")"
  echo "agent loaded classes: $classes; medians of $(grep -c '^agent' "$work/samples.txt") samples"
  echo "agent threads by name: $(grep -o '^"[^"]*"' "$work/threads.txt" | sed -E 's/[0-9]+"$/N"/' | sort | uniq -c | sort -rn | awk '{printf "%s%s x%s", (NR>1?", ":""), $2, $1}')"
} | tee "$work/footprint.txt"

# ---- 2. Native Memory Tracking --------------------------------------------------------------------------------
log "native memory tracking: a run of its own"
start_agent "$run-nmt" -XX:NativeMemoryTracking=summary
sleep "$warmup"
jcmd "$agent_pid" VM.native_memory summary scale=KB >"$work/nmt.txt" 2>&1 || true
echo "RSS $(kb "$agent_pid" VmRSS) kB, anon $(kb "$agent_pid" RssAnon) kB, file $(kb "$agent_pid" RssFile) kB" >>"$work/nmt.txt"
stop_pid "$agent_pid"
awk '/^Total:/ || /^-/ {print}' "$work/nmt.txt" | sed -n '1,40p'

# ---- 3. start to the first retained state -----------------------------------------------------------------------
log "start to first retained state, $starts starts"
: >"$work/starts.txt"
for i in $(seq 1 "$starts"); do
  host="$run-s$i"
  t0=$(now_ms)
  start_agent "$host"
  mosquitto_sub -h 127.0.0.1 -p "$MEDIAWATCH_TEST_MQTT_PORT" -t "$run/$host/state" -C 1 -W 30 >/dev/null
  t1=$(now_ms)
  echo $((t1 - t0)) >>"$work/starts.txt"
  stop_pid "$agent_pid"
  mosquitto_pub -h 127.0.0.1 -p "$MEDIAWATCH_TEST_MQTT_PORT" -t "$run/$host/state" -r -n
done
echo "start to first retained state: median $(median <"$work/starts.txt") ms of $(tr '\n' ' ' <"$work/starts.txt")" \
  | tee "$work/start.txt"

# ---- 4. event latency against the floor ---------------------------------------------------------------------------
for i in $(seq 1 "$latency_runs"); do
  log "event latency, run $i of $latency_runs"
  scripts/bench/event-latency.sh 100 2>&1 | tail -3 | tee -a "$work/latency.txt"
done
log "written to $work"
