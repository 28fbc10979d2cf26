#!/usr/bin/env bash
# The agent's footprint over time, and the load it puts on the engine :
# N containers on the test dockerd; first M minutes without the agent (baseline of dockerd + containerd),
# then M minutes with the agent (small-footprint JVM flags, publish interval 10 s). Reports the agent's CPU
# (share of one core) and RSS (start, end, peak), and the extra CPU and memory of dockerd + containerd over
# the baseline. CPU is read from /proc/<pid>/stat (utime + stime), memory from /proc/<pid>/status.
# Needs the test services (eval "$(scripts/services.sh start)") and the packaged agent.
#
#   scripts/bench/agent-soak.sh [minutes=10] [containers=30]
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$repo"
minutes=${1:-10}
count=${2:-30}
: "${MEDIAWATCH_TEST_DOCKER_HOST:?run: eval \"\$(scripts/services.sh start)\" first}"
: "${MEDIAWATCH_TEST_MQTT_PORT:?}" "${MEDIAWATCH_TEST_IMAGE:?}"
[ -f agent/target/quarkus-app/quarkus-run.jar ] || { echo "package first: ./mvnw package -DskipTests" >&2; exit 1; }
dk() { docker -H "$MEDIAWATCH_TEST_DOCKER_HOST" "$@"; }
hz=$(getconf CLK_TCK)
seconds=$((minutes * 60))
small_flags=(-Xmx24m -Xss256k -XX:MaxMetaspaceSize=64m -XX:ReservedCodeCacheSize=16m -XX:+UseSerialGC
  -XX:TieredStopAtLevel=1 -XX:CICompilerCount=1 -XX:MaxDirectMemorySize=16m -Dio.netty.allocator.type=unpooled
  -XX:-UsePerfData)

dockerd_pid=$(cat .test-services/dockerd.pid)
containerd_pid=$(pgrep -P "$dockerd_pid" containerd | head -1)
ticks() { local t=0 p; for p in "$@"; do t=$((t + $(awk '{print $14 + $15}' "/proc/$p/stat"))); done; echo "$t"; }
rss_kb() { local t=0 p; for p in "$@"; do t=$((t + $(awk '/^VmRSS/ {print $2}' "/proc/$p/status"))); done; echo "$t"; }
pct() { awk -v t="$1" -v hz="$hz" -v s="$2" 'BEGIN { printf "%.3f", 100 * t / hz / s }'; }
mb() { awk -v k="$1" 'BEGIN { printf "%.1f", k / 1024 }'; }

names=()
for i in $(seq -w 1 "$count"); do names+=("soak-$i"); done
cleanup() {
  if [ -n "${agent_pid:-}" ]; then kill "$agent_pid" 2>/dev/null || true; fi
  dk rm -f "${names[@]}" >/dev/null 2>&1 || true
}
trap cleanup EXIT
for n in "${names[@]}"; do
  dk run -d --init --network none --name "$n" "$MEDIAWATCH_TEST_IMAGE" sleep 86400 >/dev/null
done
echo "# $(date -u +%FT%TZ) $(nproc) cores; $count containers; ${minutes} min baseline then ${minutes} min with the agent"
sleep 10

e0=$(ticks "$dockerd_pid" "$containerd_pid"); m0=$(rss_kb "$dockerd_pid" "$containerd_pid")
sleep "$seconds"
e1=$(ticks "$dockerd_pid" "$containerd_pid"); m1=$(rss_kb "$dockerd_pid" "$containerd_pid")
base_cpu=$((e1 - e0))

MEDIAWATCH_HOST_ID=soak MEDIAWATCH_TOPIC_PREFIX=soak$$ MEDIAWATCH_MQTT_HOST=127.0.0.1 \
  MEDIAWATCH_MQTT_PORT=$MEDIAWATCH_TEST_MQTT_PORT MEDIAWATCH_DOCKER_HOST=$MEDIAWATCH_TEST_DOCKER_HOST \
  MEDIAWATCH_PUBLISH_INTERVAL=10s QUARKUS_HTTP_PORT=18986 \
  java "${small_flags[@]}" -jar agent/target/quarkus-app/quarkus-run.jar >/tmp/mediawatch-soak-agent.log 2>&1 &
agent_pid=$!
for _ in $(seq 1 300); do curl -fs -o /dev/null http://127.0.0.1:18986/q/health/ready && break; sleep 0.1; done
sleep 10 # past startup: the soak measures the steady state
a0=$(ticks "$agent_pid"); r0=$(rss_kb "$agent_pid")
e2=$(ticks "$dockerd_pid" "$containerd_pid"); m2=$(rss_kb "$dockerd_pid" "$containerd_pid")
sleep "$seconds"
a1=$(ticks "$agent_pid"); r1=$(rss_kb "$agent_pid")
hwm=$(awk '/^VmHWM/ {print $2}' "/proc/$agent_pid/status")
e3=$(ticks "$dockerd_pid" "$containerd_pid"); m3=$(rss_kb "$dockerd_pid" "$containerd_pid")
inspections=$(curl -fs http://127.0.0.1:18986/q/metrics | awk '/^mediawatch_agent_engine_inspections_total/ {print $2}')
with_cpu=$((e3 - e2))

echo "engine (dockerd+containerd) CPU without agent: $(pct "$base_cpu" "$seconds")% of a core; RSS $(mb "$m0") -> $(mb "$m1") MB"
echo "engine (dockerd+containerd) CPU with agent:    $(pct "$with_cpu" "$seconds")% of a core; RSS $(mb "$m2") -> $(mb "$m3") MB"
echo "engine extra CPU caused by the agent:          $(pct "$((with_cpu - base_cpu))" "$seconds")% of a core"
echo "agent CPU:                                     $(pct "$((a1 - a0))" "$seconds")% of a core"
echo "agent + engine extra:                          $(pct "$((a1 - a0 + with_cpu - base_cpu))" "$seconds")% of a core (target < 0.5%)"
echo "agent RSS: $(mb "$r0") MB after startup, $(mb "$r1") MB after ${minutes} min, peak $(mb "$hwm") MB"
echo "engine inspect calls by the agent: ${inspections:-?} (list rows unchanged are not inspected again)"
