#!/usr/bin/env bash
# Runs mediawatch on this machine: builds it if needed, starts the aggregator with its embedded MQTT
# broker and an agent for this host, and prints the media status dashboard.
#
#   scripts/run.sh          keep running; Ctrl-C stops both
#   scripts/run.sh --once   print the dashboard and stop
#
# Environment (all optional): DOCKER_HOST (default unix:///var/run/docker.sock), MEDIAWATCH_HOST_ID
# (default: this machine's host name), MEDIAWATCH_ROLE, MEDIAWATCH_MQTT_PORT (embedded broker, default
# 1883), MEDIAWATCH_RUN_AGGREGATOR_PORT (default 8470), MEDIAWATCH_RUN_AGENT_PORT (default 8471).
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$repo"

once=false
[ "${1:-}" = "--once" ] && once=true
mqtt_port=${MEDIAWATCH_MQTT_PORT:-1883}
aggregator_port=${MEDIAWATCH_RUN_AGGREGATOR_PORT:-8470}
agent_port=${MEDIAWATCH_RUN_AGENT_PORT:-8471}
docker_host=${DOCKER_HOST:-unix:///var/run/docker.sock}
run_dir=$repo/target/run
mkdir -p "$run_dir"

say() { printf 'run: %s\n' "$*" >&2; }

command -v java >/dev/null || { say "a JDK 17+ is needed (java not found)"; exit 1; }
command -v curl >/dev/null || { say "curl is needed to print the dashboard (apt-get install curl)"; exit 1; }

port_busy() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
for p in "$mqtt_port" "$aggregator_port" "$agent_port"; do
  if port_busy "$p"; then
    say "port $p is already in use (another broker or a running mediawatch?)."
    say "Choose others with MEDIAWATCH_MQTT_PORT, MEDIAWATCH_RUN_AGGREGATOR_PORT, MEDIAWATCH_RUN_AGENT_PORT."
    exit 1
  fi
done

agent_jar=agent/target/quarkus-app/quarkus-run.jar
aggregator_jar=aggregator/target/quarkus-app/quarkus-run.jar
if [ ! -f "$agent_jar" ] || [ ! -f "$aggregator_jar" ] \
   || [ -n "$(find pom.xml common agent aggregator -newer "$agent_jar" \( -path '*/src/main/*' -o -name pom.xml \) -type f -print -quit)" ] \
   || [ -n "$(find pom.xml common agent aggregator -newer "$aggregator_jar" \( -path '*/src/main/*' -o -name pom.xml \) -type f -print -quit)" ]; then
  say "building (./mvnw package, tests skipped: scripts/test.sh runs them)"
  ./mvnw -B -q -ntp package -DskipTests -pl agent,aggregator -am
fi

case "$docker_host" in
  unix://*) [ -S "${docker_host#unix://}" ] || say "no Docker engine at $docker_host: the agent will report it unreachable (set DOCKER_HOST)";;
esac

pids=()
stop_all() {
  [ ${#pids[@]} -gt 0 ] || return 0
  # Agent first (it says offline itself), then the aggregator and its broker; KILL whatever hangs past 15 s.
  for ((i = ${#pids[@]} - 1; i >= 0; i--)); do kill -TERM "${pids[i]}" 2>/dev/null || true; done
  (sleep 15; kill -KILL "${pids[@]}" 2>/dev/null) &
  local watchdog=$!
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  kill "$watchdog" 2>/dev/null || true
}
trap stop_all EXIT
trap 'exit 130' INT TERM

say "starting the aggregator (embedded broker on 127.0.0.1:$mqtt_port, HTTP on :$aggregator_port); log: $run_dir/aggregator.log"
MEDIAWATCH_MQTT_PORT=$mqtt_port QUARKUS_HTTP_PORT=$aggregator_port \
  java -jar "$aggregator_jar" >"$run_dir/aggregator.log" 2>&1 &
pids+=($!)

wait_http() { # url seconds
  for _ in $(seq 1 $(($2 * 10))); do
    curl -fs -o /dev/null "$1" && return 0
    sleep 0.1
  done
  return 1
}
wait_http "http://127.0.0.1:$aggregator_port/q/health/ready" 60 || { say "the aggregator did not become ready:"; tail -20 "$run_dir/aggregator.log" >&2; exit 1; }

say "starting the agent for this host (engine $docker_host, HTTP on :$agent_port); log: $run_dir/agent.log"
MEDIAWATCH_MQTT_HOST=127.0.0.1 MEDIAWATCH_MQTT_PORT=$mqtt_port MEDIAWATCH_DOCKER_HOST=$docker_host \
  QUARKUS_HTTP_PORT=$agent_port java -jar "$agent_jar" >"$run_dir/agent.log" 2>&1 &
pids+=($!)

for _ in $(seq 1 600); do
  curl -fs "http://127.0.0.1:$aggregator_port/api/status" | grep -q '"status":"up"' && break
  sleep 0.1
done
curl -fs "http://127.0.0.1:$aggregator_port/api/status" | grep -q '"status":"up"' \
  || { say "the agent did not report in:"; tail -20 "$run_dir/agent.log" >&2; exit 1; }

curl -fs "http://127.0.0.1:$aggregator_port/status"

if [ "$once" = true ]; then
  exit 0
fi
say "running. Dashboard: curl http://127.0.0.1:$aggregator_port/status   JSON: /api/status   Ctrl-C stops."
wait
