#!/usr/bin/env bash
# Event latency of the agent, beside the floor, in one run:
#   agent: from the engine's own event time (timeNano, carried as the event's timestamp) to arrival of the
#          agent's container.kill event at a mosquitto_sub subscriber;
#   floor: the same for `docker events --format '{{json .}}' | mosquitto_pub -l`, the least any bridge can do.
# Over N kills of one container (start, kill, repeat). Prints p50/p99/max of each and their ratio.
# Needs the test services (eval "$(scripts/services.sh start)") and the packaged agent; runs the agent as shipped,
# through deploy/agent/mediawatch-agent.sh with its flags (BENCH_AGENT_APP=<quarkus-app directory> for another
# build, MEDIAWATCH_JAVA for another java).
#
#   scripts/bench/event-latency.sh [kills=100]
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$repo"
kills=${1:-100}
: "${MEDIAWATCH_TEST_DOCKER_HOST:?run: eval \"\$(scripts/services.sh start)\" first}"
: "${MEDIAWATCH_TEST_MQTT_PORT:?}" "${MEDIAWATCH_TEST_IMAGE:?}"
app=${BENCH_AGENT_APP:-$repo/agent/target/quarkus-app}
[ -f "$app/quarkus-run.jar" ] || { echo "package first: ./mvnw package -DskipTests" >&2; exit 1; }
run=bench$$
work=$(mktemp -d)
dk() { docker -H "$MEDIAWATCH_TEST_DOCKER_HOST" "$@"; }

pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  dk rm -f "$run" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

MEDIAWATCH_HOST_ID=$run MEDIAWATCH_TOPIC_PREFIX=$run MEDIAWATCH_MQTT_HOST=127.0.0.1 \
  MEDIAWATCH_MQTT_PORT=$MEDIAWATCH_TEST_MQTT_PORT MEDIAWATCH_DOCKER_HOST=$MEDIAWATCH_TEST_DOCKER_HOST \
  MEDIAWATCH_THROTTLE_STATE_FILE="$work/throttle.json" MEDIAWATCH_MOUNTS_WATCH=none QUARKUS_HTTP_PORT=18985 \
  MEDIAWATCH_AGENT_HOME="$(dirname "$app")" deploy/agent/mediawatch-agent.sh run >"$work/agent.log" 2>&1 &
pids+=($!)
for _ in $(seq 1 300); do curl -fs -o /dev/null http://127.0.0.1:18985/q/health/ready && break; sleep 0.1; done

mosquitto_sub -h 127.0.0.1 -p "$MEDIAWATCH_TEST_MQTT_PORT" -t "$run/$run/events" -t "floor/$run" -F '%U %t %p' \
  >"$work/arrivals" &
pids+=($!)
dk events --filter type=container --filter event=kill --format '{{json .}}' \
  | mosquitto_pub -h 127.0.0.1 -p "$MEDIAWATCH_TEST_MQTT_PORT" -l -t "floor/$run" &
pids+=($!)
sleep 1 # let the subscriber and the floor's event stream attach

dk run -d --init --network none --name "$run" "$MEDIAWATCH_TEST_IMAGE" sleep 3600 >/dev/null
for _ in $(seq 1 "$kills"); do
  dk kill "$run" >/dev/null
  dk start "$run" >/dev/null
done
sleep 2

/usr/bin/python3 - "$work/arrivals" "$run" "$kills" <<'PY'
import json, math, sys
path, run, kills = sys.argv[1], sys.argv[2], int(sys.argv[3])

def iso_ns(ts):  # 2026-11-21T14:21:30.123456789Z -> ns since the epoch
    import calendar, time
    date, frac = (ts.rstrip('Z').split('.') + ['0'])[:2]
    secs = calendar.timegm(time.strptime(date, '%Y-%m-%dT%H:%M:%S'))
    return secs * 10**9 + int((frac + '000000000')[:9])

agent, floor = [], []
for line in open(path):
    arrival, topic, payload = line.rstrip('\n').split(' ', 2)
    s, ns = arrival.split('.')
    arrived = int(s) * 10**9 + int((ns + '000000000')[:9])
    e = json.loads(payload)
    if topic.startswith('floor/'):
        if e.get('Action') == 'kill':
            floor.append((arrived - int(e['timeNano'])) / 1e6)
    elif e.get('type') == 'container.kill':
        agent.append((arrived - iso_ns(e['timestamp'])) / 1e6)

def stats(xs):
    # Nearest rank: the q-th percentile of n values is the ceil(q * n)-th smallest (of 100, p99 is the 99th, not the
    # largest: that is the max).
    xs = sorted(xs)
    pick = lambda q: xs[max(0, math.ceil(q * len(xs)) - 1)]
    return len(xs), pick(0.5), pick(0.99), xs[-1]

for name, xs in (('floor (docker events | mosquitto_pub)', floor), ('mediawatch agent', agent)):
    n, p50, p99, mx = stats(xs)
    print(f'{name:40s} n={n:4d}  p50={p50:7.2f} ms  p99={p99:7.2f} ms  max={mx:7.2f} ms')
fa, aa = stats(floor), stats(agent)
print(f'agent/floor ratio: p50 {aa[1] / fa[1]:.2f}x, p99 {aa[2] / fa[2]:.2f}x (target: p99 at most 2x)')
if len(agent) < kills or len(floor) < kills:
    print(f'WARNING: expected {kills} kills each, got agent={len(agent)} floor={len(floor)}')
PY
