#!/usr/bin/env bash
# Measures the packaged apps' start time (process start to /q/health/ready) and resident memory (VmRSS and
# VmHWM from /proc once ready, and again after a settle period), in JVM mode, with the default JVM flags and
# with the small-footprint flags the agent ships with. Runs each case N times and prints every run and the
# median. Needs the apps packaged (./mvnw package -DskipTests) and a broker: it starts the aggregator with
# its embedded broker and points the agent at it; the agent's engine is DOCKER_HOST (reachable or not).
#
#   scripts/bench/footprint.sh [runs=5] [settle-seconds=10]
#
# Compare figures within one run only: machines here are shared and noisy.
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$repo"
runs=${1:-5}
settle=${2:-10}
mqtt_port=${BENCH_MQTT_PORT:-18990}
small_flags="-Xmx24m -Xss256k -XX:MaxMetaspaceSize=64m -XX:ReservedCodeCacheSize=16m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -XX:CICompilerCount=1 -XX:MaxDirectMemorySize=16m -Dio.netty.allocator.type=unpooled -XX:-UsePerfData"

now_ms() { date +%s%3N; }
rss_kb() { awk '/^VmRSS/ {print $2}' "/proc/$1/status"; }
hwm_kb() { awk '/^VmHWM/ {print $2}' "/proc/$1/status"; }
mb() { awk -v k="$1" 'BEGIN { printf "%.1f", k / 1024 }'; }
median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : int((a[NR/2]+a[NR/2+1])/2))}'; }

# start NAME HTTP_PORT FLAGS JAR [ENV...] -> prints "ready_ms rss_kb rss_settled_kb hwm_kb"
measure() {
  local port=$1 flags=$2 jar=$3; shift 3
  local t0; t0=$(now_ms)
  # shellcheck disable=SC2086
  env "$@" QUARKUS_HTTP_PORT="$port" java $flags -jar "$jar" >/dev/null 2>&1 &
  local pid=$!
  for _ in $(seq 1 600); do
    curl -fs -o /dev/null "http://127.0.0.1:$port/q/health/ready" && break
    sleep 0.05
  done
  local t1; t1=$(now_ms)
  local rss; rss=$(rss_kb "$pid")
  sleep "$settle"
  local rss2; rss2=$(rss_kb "$pid"); local hwm; hwm=$(hwm_kb "$pid")
  kill -TERM "$pid"; wait "$pid" 2>/dev/null || true
  echo "$((t1 - t0)) $rss $rss2 $hwm"
}

[ -f agent/target/quarkus-app/quarkus-run.jar ] || { echo "package first: ./mvnw package -DskipTests" >&2; exit 1; }

echo "# $(date -u +%FT%TZ) $(nproc) cores, $(java -version 2>&1 | head -1), runs=$runs settle=${settle}s"
echo "# broker: aggregator with embedded broker on 127.0.0.1:$mqtt_port; agent engine: ${DOCKER_HOST:-unix:///var/run/docker.sock}"
MEDIAWATCH_MQTT_PORT=$mqtt_port QUARKUS_HTTP_PORT=18980 java -jar aggregator/target/quarkus-app/quarkus-run.jar >/dev/null 2>&1 &
broker_pid=$!
trap 'kill -TERM $broker_pid 2>/dev/null || true' EXIT
for _ in $(seq 1 600); do curl -fs -o /dev/null http://127.0.0.1:18980/q/health/ready && break; sleep 0.05; done

printf '%-34s %10s %12s %14s %12s\n' case ready_ms rss_ready_MB rss_settled_MB peak_rss_MB
for case in "agent default" "agent small" "aggregator default"; do
  read -r app mode <<<"$case"
  flags=""; [ "$mode" = small ] && flags=$small_flags
  results=()
  for i in $(seq 1 "$runs"); do
    if [ "$app" = agent ]; then
      r=$(measure 18981 "$flags" agent/target/quarkus-app/quarkus-run.jar MEDIAWATCH_HOST_ID="bench-$i" \
        MEDIAWATCH_MQTT_HOST=127.0.0.1 MEDIAWATCH_MQTT_PORT="$mqtt_port" MEDIAWATCH_DOCKER_HOST="${DOCKER_HOST:-unix:///var/run/docker.sock}")
    else
      r=$(measure 18982 "$flags" aggregator/target/quarkus-app/quarkus-run.jar MEDIAWATCH_MQTT_HOST=127.0.0.1 \
        MEDIAWATCH_MQTT_PORT="$mqtt_port" MEDIAWATCH_MQTT_CLIENT_ID=bench-aggregator)
    fi
    results+=("$r")
    read -r ms rss rss2 hwm <<<"$r"
    printf '%-34s %10d %12s %14s %12s\n' "$case #$i" "$ms" "$(mb "$rss")" "$(mb "$rss2")" "$(mb "$hwm")"
  done
  ms=$(printf '%s\n' "${results[@]}" | awk '{print $1}' | median)
  rss=$(printf '%s\n' "${results[@]}" | awk '{print $2}' | median)
  rss2=$(printf '%s\n' "${results[@]}" | awk '{print $3}' | median)
  hwm=$(printf '%s\n' "${results[@]}" | awk '{print $4}' | median)
  printf '%-34s %10d %12s %14s %12s\n' "$case MEDIAN" "$ms" "$(mb "$rss")" "$(mb "$rss2")" "$(mb "$hwm")"
done
