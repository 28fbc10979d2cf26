#!/usr/bin/env bash
# The web page's cost, measured on the packaged aggregator (its own JVM) with simulated agents on the real Mosquitto
# of scripts/services.sh, in two fleets, one aggregator each:
#   owner     the owner's 2 VMs as deploy/config/media.services.yaml describes them (download-stack 24 containers,
#             streaming-stack 10), the aggregator reading that catalogue;
#   fleet100  100 VMs of 24 containers each (generated, no catalogue).
# Steady hosts publish their state every 10 s (StatusLoadPublisher: a probe latency or a health changes now and then,
# so the status changes as a real stack's does); 20 events are published at the start so the page's recent events
# are as full as a running stack's.
#
#   scripts/bench/web.sh [minutes=2] [pages=50]
#
# Per fleet:
#  1. GET /: `requests` sequential requests on one keep-alive connection after as many for warm-up, without and with
#     Accept-Encoding: gzip; body bytes, the Content-Encoding the server chose (it compresses only with
#     quarkus.http.enable-compression) and what gzip -6 would make of the page; per request the time from the write
#     to the first byte (the page is rendered whole before it is written: the server's time plus a loopback round
#     trip) and to the last byte. The first status and charts events of GET /api/status/stream: their size.
#  2. Live updates: one container flaps (a simulated agent's container alternates running/exited every second: its
#     container.die / container.start event, then its state); after `pages` pages on live updates for
#     WEB_BENCH_LIVE_WARMUP s (not counted), `minutes` with no page open, then `minutes` with `pages` pages open
#     (`pages` clients reading /api/status/stream). Per phase: the aggregator's CPU (% of one core, /proc/<pid>/stat
#     utime + stime over the window), the status builds, and per page the events and bytes received per second and
#     the latency from a flap's publish to the status event that shows it (p50/p99). The pages' cost is the
#     difference between the two phases.
# Then the aggregator's log is read: every WARN and ERROR line is printed (none is expected).
#
# Runs the packaged aggregator (built here if older than its sources: ./mvnw -o package -pl common,aggregator
# -Dmaven.test.skip=true; copied to a work directory so a concurrent build cannot swap its jars) with the flags of
# deploy/aggregator (-Xmx256m -XX:+ExitOnOutOfMemoryError), its state files in the work directory and its Home
# Assistant discovery under a prefix of its own. The load generators are
# aggregator/src/test/java/dev/mediawatch/aggregator/bench/ (StatusLoadPublisher for the hosts and the flap,
# WebPageLoad for the page, the stream and the CPU readings), compiled here with javac on the Maven test classpath.
# Each fleet has its own topic prefix and client ids; its retained messages are deleted at the end.
#
# Environment (optional):
#   WEB_BENCH_SCENARIOS="owner fleet100"  which fleets to run
#   WEB_BENCH_REQUESTS=200       measured GET / per variant (after as many for warm-up)
#   WEB_BENCH_WARMUP=30          seconds of publishing before the first measurement
#   WEB_BENCH_LIVE_WARMUP=20     seconds of pages on live updates before the measured phases
#   WEB_BENCH_INTERVAL=10        seconds between two states of a steady host
#   WEB_BENCH_FLEET="100 24"     hosts and containers of fleet100
#   WEB_BENCH_FLAP_OWNER=streaming-stack/bazarr  the flapping container of the owner's fleet (host/container)
#   WEB_BENCH_FLAP_FLEET=bench-0000/svc-04       ... of fleet100
#   WEB_BENCH_JVM_FLAGS="-Xmx256m -XX:+ExitOnOutOfMemoryError"  the aggregator's JVM flags
#   WEB_BENCH_KEEP=0             1: keep the work directory (logs, metrics, raw outputs)
#
# Needs java, javac, curl, mosquitto_sub, python3; starts the test services when MEDIAWATCH_TEST_MQTT_PORT is unset
# (eval "$(scripts/services.sh start)", idempotent; they are left running). Exits non-zero only when the harness
# fails. The machine is shared: compare figures within one run, and read the machine's busy share beside them.
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$repo"
command_line="$(printf '%q ' "scripts/bench/web.sh" "$@")"
minutes=${1:-2}
pages=${2:-50}
scenarios=${WEB_BENCH_SCENARIOS:-owner fleet100}
requests=${WEB_BENCH_REQUESTS:-200}
warmup=${WEB_BENCH_WARMUP:-30}
live_warmup=${WEB_BENCH_LIVE_WARMUP:-20}
interval=${WEB_BENCH_INTERVAL:-10}
read -r fleet_hosts fleet_containers <<<"${WEB_BENCH_FLEET:-100 24}"
flap_owner=${WEB_BENCH_FLAP_OWNER:-streaming-stack/bazarr}
flap_fleet=${WEB_BENCH_FLAP_FLEET:-bench-0000/svc-04}
jvm_flags=${WEB_BENCH_JVM_FLAGS:--Xmx256m -XX:+ExitOnOutOfMemoryError}
keep=${WEB_BENCH_KEEP:-0}
catalogue=$repo/deploy/config/media.services.yaml
window_s=$(awk -v m="$minutes" 'BEGIN { printf "%d", m * 60 }')
for env_var in WEB_BENCH_SCENARIOS WEB_BENCH_REQUESTS WEB_BENCH_WARMUP WEB_BENCH_LIVE_WARMUP WEB_BENCH_INTERVAL \
  WEB_BENCH_FLEET WEB_BENCH_FLAP_OWNER WEB_BENCH_FLAP_FLEET WEB_BENCH_JVM_FLAGS; do
  [ -z "${!env_var:-}" ] || command_line="$env_var=$(printf '%q' "${!env_var}") $command_line"
done

say() { printf 'web-bench: %s\n' "$*" >&2; }
die() { say "$*"; exit 1; }
for tool in java javac curl mosquitto_sub python3 awk; do
  command -v "$tool" >/dev/null || die "$tool is needed"
done
[ "$window_s" -ge 10 ] || die "minutes must give a window of at least 10 s"
[ "$pages" -ge 1 ] || die "pages must be at least 1"
for s in $scenarios; do
  case $s in owner | fleet100) ;; *) die "unknown scenario $s (owner, fleet100)" ;; esac
done

if [ -z "${MEDIAWATCH_TEST_MQTT_PORT:-}" ]; then
  say "starting the test services (scripts/services.sh start)"
  eval "$(scripts/services.sh start)"
fi
mqtt_host=${MEDIAWATCH_TEST_MQTT_HOST:-127.0.0.1}
mqtt_port=${MEDIAWATCH_TEST_MQTT_PORT:?}

run=wb$(date +%s)$RANDOM
work=$(mktemp -d "/tmp/web-bench.$run.XXXX")
pids=()
prefixes=()
# Stops one process this script started (by its pid) and forgets it, so a pid the system reuses is never signalled.
stop_pid() {
  local p=$1 rest=() q
  kill "$p" 2>/dev/null || true
  wait "$p" 2>/dev/null || true
  for q in "${pids[@]}"; do [ "$q" = "$p" ] || rest+=("$q"); done
  pids=("${rest[@]}")
}
# Deletes a prefix's retained messages (hosts, status, Home Assistant state and discovery) from the shared broker.
clear_retained() {
  mosquitto_sub -h "$mqtt_host" -p "$mqtt_port" -i "$1-clear" -t "$1/#" -t "$1-ha/#" --retained-only --remove-retained \
    -W 3 >/dev/null 2>&1 || true
}
cleanup() {
  local rc=$? p
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
  for p in "${prefixes[@]}"; do clear_retained "$p"; done
  if [ "$keep" = 1 ] || [ $rc -ne 0 ]; then
    say "work directory kept: $work"
  else
    rm -rf "$work"
  fi
  exit $rc
}
trap cleanup EXIT
trap 'say "harness failed at line $LINENO: $BASH_COMMAND"' ERR
trap 'exit 130' INT TERM

# --- build -------------------------------------------------------------------------------------------------
# Fresh when the packaged app jar (what a package rewrites) is newer than every main source and pom.
app=$(find aggregator/target/quarkus-app/app -name 'mediawatch-aggregator-*.jar' 2>/dev/null | head -1 || true)
if [ -z "$app" ] || [ ! -f aggregator/target/quarkus-app/quarkus-run.jar ] \
  || [ -n "$(find pom.xml common/pom.xml common/src/main aggregator/pom.xml aggregator/src/main -newer "$app" -type f -print -quit)" ]; then
  # -Dmaven.test.skip: test sources are not needed to package (and need not compile for it).
  say "building the aggregator (./mvnw -q -o package -pl common,aggregator -Dmaven.test.skip=true)"
  ./mvnw -q -o package -pl common,aggregator -Dmaven.test.skip=true || die "build failed"
fi
cp -r aggregator/target/quarkus-app "$work/app"
common_jar=$(find "$work/app/lib/main" -name 'dev.mediawatch.mediawatch-common-*.jar' | head -1)
[ -n "$common_jar" ] || die "no mediawatch-common jar in the packaged app"
./mvnw -q -o dependency:build-classpath -pl aggregator -Dmdep.includeScope=test -Dmdep.outputFile="$work/classpath" \
  >"$work/classpath.log" 2>&1 || { cat "$work/classpath.log" >&2; die "could not resolve the test classpath"; }
# The app's own common jar first: the generators write exactly the contract the aggregator reads.
javac --release 17 -nowarn -d "$work/bench-classes" -cp "$common_jar:$(cat "$work/classpath")" \
  aggregator/src/test/java/dev/mediawatch/aggregator/bench/*.java || die "compiling the load generators failed"
bench_cp="$work/bench-classes:$common_jar:$(cat "$work/classpath")"

free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
clk_tck=$(getconf CLK_TCK)
# The broker's pid, for its CPU: from the services' state directory, else the listener on its port.
mosq_pid=$(cat "${MEDIAWATCH_SERVICES_DIR:-$repo/.test-services}/mosquitto.pid" 2>/dev/null \
  || ss -Hltnp "sport = :$mqtt_port" 2>/dev/null | grep -o 'pid=[0-9]*' | head -1 | cut -d= -f2 || true)
metric() { # FILE NAME [LABEL-MATCH]: sum of the samples of NAME whose labels contain LABEL-MATCH
  awk -v n="$2" -v l="${3:-}" '($1 == n || index($1, n "{") == 1) && index($1, l) { s += $NF } END { printf "%.6f\n", s + 0 }' "$1"
}
builds() { # METRICS-BEFORE METRICS-AFTER SECONDS: status builds per second between two /q/metrics reads
  awk -v a="$(metric "$1" mediawatch_status_build_seconds_count)" -v b="$(metric "$2" mediawatch_status_build_seconds_count)" \
    -v s="$3" 'BEGIN { printf "%.2f", (b - a) / s }'
}
field() { # LINE KEY: the value of key=value in a @page/@event/@live line
  sed -n "s/.* $2=\([^ ]*\).*/\1/p" <<<"$1"
}
publisher() { # OUT-FILE ARGS...: starts a StatusLoadPublisher; its pid in $last_pid
  local out=$1
  shift
  java -XX:+UseSerialGC -Xmx256m -cp "$bench_cp" dev.mediawatch.aggregator.bench.StatusLoadPublisher \
    --mqtt-host "$mqtt_host" --mqtt-port "$mqtt_port" "$@" >"$out" 2>"$out.err" &
  last_pid=$!
  pids+=("$last_pid")
}
web_load() { # ARGS...: WebPageLoad against the scenario's aggregator
  java -XX:+UseSerialGC -Xmx768m -cp "$bench_cp" dev.mediawatch.aggregator.bench.WebPageLoad --port "$http_port" "$@"
}

page_rows=()
live_rows=()
cost_rows=()
notes=()
log_lines=()

scenario() {
  local name=$1 prefix=$run$1 dir=$work/$1 fleet_args=() agg_args=() flap hosts_label flap_host flap_container
  mkdir -p "$dir"
  prefixes+=("$prefix")
  if [ "$name" = owner ]; then
    fleet_args=(--catalogue "$catalogue")
    agg_args=(-Dmediawatch.catalogue="$catalogue")
    flap=$flap_owner
    hosts_label="2 VMs, 24 + 10 containers (catalogue)"
  else
    fleet_args=(--hosts "$fleet_hosts" --containers "$fleet_containers")
    agg_args=(-Dmediawatch.status.max-hosts=$((fleet_hosts * 2 > 64 ? fleet_hosts * 2 : 64)))
    flap=$flap_fleet
    hosts_label="$fleet_hosts VMs x $fleet_containers containers"
  fi
  flap_host=${flap%%/*}
  flap_container=${flap#*/}

  # --- aggregator ----------------------------------------------------------------------------------------
  http_port=$(free_port)
  # shellcheck disable=SC2086
  java $jvm_flags -Dmediawatch.mqtt.host="$mqtt_host" -Dmediawatch.mqtt.port="$mqtt_port" \
    -Dmediawatch.topic-prefix="$prefix" -Dmediawatch.mqtt.client-id="$prefix-aggregator" \
    -Dmediawatch.homeassistant.discovery-prefix="$prefix-ha" \
    -Dmediawatch.incidents.file="$dir/incidents.journal" -Dmediawatch.stutter.baselines-file="$dir/baselines.json" \
    -Dmediawatch.acceptance.state-file="$dir/acceptance.json" -Dmediawatch.notify.state-file="$dir/notify-state.json" \
    "${agg_args[@]}" -Dquarkus.http.port="$http_port" -jar "$work/app/quarkus-run.jar" >"$dir/aggregator.log" 2>&1 &
  local agg_pid=$!
  pids+=("$agg_pid")
  local base=http://127.0.0.1:$http_port
  for _ in $(seq 1 600); do
    curl -fs -o /dev/null "$base/q/health/ready" && break
    kill -0 "$agg_pid" 2>/dev/null || { tail -30 "$dir/aggregator.log" >&2; die "the aggregator exited"; }
    sleep 0.1
  done
  curl -fs -o /dev/null "$base/q/health/ready" || { tail -30 "$dir/aggregator.log" >&2; die "the aggregator is not ready after 60 s"; }

  # --- hosts: all but the flapping one, and the flapping one steady for now ------------------------------
  publisher "$dir/steady.out" --prefix "$prefix" "${fleet_args[@]}" --hosts-except "$flap_host" \
    --interval-seconds "$interval" --events-per-sec 0 --prefill-events 20 --client-tag load
  local steady_pid=$last_pid
  publisher "$dir/flaphost.out" --prefix "$prefix" "${fleet_args[@]}" --hosts-only "$flap_host" \
    --interval-seconds "$interval" --events-per-sec 0 --connections 1 --client-tag one
  local flaphost_pid=$last_pid
  say "$name: $hosts_label; aggregator pid $agg_pid on :$http_port, prefix $prefix; warm-up ${warmup}s"
  sleep "$warmup"
  for p in "$steady_pid" "$flaphost_pid"; do
    kill -0 "$p" 2>/dev/null || { cat "$dir"/*.err >&2; die "a publisher exited"; }
  done
  kill -0 "$agg_pid" 2>/dev/null || { tail -30 "$dir/aggregator.log" >&2; die "the aggregator exited"; }

  # --- 1. the page ---------------------------------------------------------------------------------------
  say "$name: GET / x $requests (+ $requests warm-up), plain and with Accept-Encoding: gzip; the stream's first events"
  local plain gz ev_status ev_charts json_bytes
  plain=$(web_load --mode page --label plain --warmup "$requests" --requests "$requests" | grep '^@page ')
  gz=$(web_load --mode page --label gzip --gzip --warmup "$requests" --requests "$requests" | grep '^@page ')
  web_load --mode events --label first >"$dir/events.out"
  ev_status=$(grep 'name=status' "$dir/events.out")
  ev_charts=$(grep 'name=charts' "$dir/events.out")
  json_bytes=$(curl -fs -o /dev/null -w '%{size_download}' "$base/api/status")
  page_rows+=("$(printf '%-9s %-36s %9s %8s %-8s %9s %6s %6s %6s %6s %9s %9s %9s' "$name" "$hosts_label" \
    "$(field "$plain" bytes_median)" "$(field "$plain" gzip6_bytes)" "$(field "$gz" encoding)" "$(field "$gz" bytes_median)" \
    "$(field "$plain" ttfb_p50_ms)" "$(field "$plain" ttfb_p99_ms)" "$(field "$plain" ttlb_p50_ms)" "$(field "$plain" ttlb_p99_ms)" \
    "$(field "$ev_status" wire_bytes)" "$(field "$ev_status" gzip6_bytes)" "$(field "$ev_charts" wire_bytes)")")
  notes+=("$name GET / with gzip asked: TTFB p50 $(field "$gz" ttfb_p50_ms) p99 $(field "$gz" ttfb_p99_ms) ms, TTLB p50 $(field "$gz" ttlb_p50_ms) p99 $(field "$gz" ttlb_p99_ms) ms, max $(field "$gz" ttlb_max_ms) ms; plain TTLB max $(field "$plain" ttlb_max_ms) ms; non-200: $(field "$plain" non_200) + $(field "$gz" non_200); GET /api/status (JSON) $json_bytes bytes")

  # --- 2. live updates while one container flaps ---------------------------------------------------------
  stop_pid "$flaphost_pid"
  publisher "$dir/flap.out" --prefix "$prefix" "${fleet_args[@]}" --hosts-only "$flap_host" \
    --interval-seconds "$interval" --events-per-sec 0 --connections 1 --client-tag flap \
    --flap "$flap_host/$flap_container" --flap-seconds 1
  local flap_pid=$last_pid
  say "$name: $flap_host/$flap_container flaps every second; $pages pages for ${live_warmup}s (warm-up)"
  web_load --mode live --label warmup --pages "$pages" --seconds "$live_warmup" --settle-seconds 0 >"$dir/live-warmup.out"
  local cpu="aggregator=$agg_pid,flapper=$flap_pid,publisher=$steady_pid,mosquitto=${mosq_pid:-0}"
  local zero full m0 m1 m2 m3 live_now
  curl -fs "$base/q/metrics" >"$dir/metrics-0-start.txt"
  live_now=$(metric "$dir/metrics-0-start.txt" mediawatch_web_live_pages)
  say "$name: ${window_s}s with no page open (pages open now: ${live_now%.*})"
  zero=$(web_load --mode live --label none --pages 0 --seconds "$window_s" --cpu "$cpu" --clk-tck "$clk_tck" | grep '^@live ')
  curl -fs "$base/q/metrics" >"$dir/metrics-0-end.txt"
  say "$name: ${window_s}s with $pages pages open"
  full=$(web_load --mode live --label pages --pages "$pages" --seconds "$window_s" --cpu "$cpu" --clk-tck "$clk_tck" \
    --flap-host "$flap_host" --flap-service "$flap_container" --flap-log "$dir/flap.out" | grep '^@live ')
  curl -fs "$base/q/metrics" >"$dir/metrics-n-end.txt"
  kill -0 "$agg_pid" 2>/dev/null || die "the aggregator exited during the live phases"
  m0=$dir/metrics-0-start.txt m1=$dir/metrics-0-end.txt m2=$dir/metrics-n-end.txt
  m3=$(field "$full" window_s)
  live_rows+=("$(printf '%-9s %5s %8s %8s %8s %7s %7s %7s %10s %10s %8s %8s %8s %8s' "$name" 0 "$(field "$zero" cpu_aggregator_pct)" \
    "$(builds "$m0" "$m1" "$(field "$zero" window_s)")" "-" "-" "-" "-" "-" "-" "-" "-" \
    "$(field "$zero" cpu_clients_pct)" "$(field "$zero" machine_busy_pct)")")
  live_rows+=("$(printf '%-9s %5s %8s %8s %8s %7s %7s %7s %10s %10s %8s %8s %8s %8s' "$name" "$pages" "$(field "$full" cpu_aggregator_pct)" \
    "$(builds "$m1" "$m2" "$m3")" "$(field "$full" status_per_s_mean)" "$(field "$full" charts_per_s_mean)" "$(field "$full" ping_per_s_mean)" \
    "$(field "$full" status_bytes_mean)" "$(field "$full" sse_bytes_per_s_mean)" "$(field "$full" wire_bytes_per_s_mean)" \
    "$(field "$full" flap_latency_p50_ms)" "$(field "$full" flap_latency_p99_ms)" \
    "$(field "$full" cpu_clients_pct)" "$(field "$full" machine_busy_pct)")")
  local d_cpu per_update
  d_cpu=$(awk -v a="$(field "$zero" cpu_aggregator_pct)" -v b="$(field "$full" cpu_aggregator_pct)" 'BEGIN { printf "%+.1f", b - a }')
  per_update=$(awk -v d="$d_cpu" -v e="$(field "$full" status_per_s_mean)" 'BEGIN { if (e > 0) printf "%.1f ms", d * 10 / e; else print "n/a" }')
  cost_rows+=("$name: $pages pages cost $d_cpu % of one core, $per_update of CPU per status update (rendered once, written $pages times);\
 flaps in the window $(field "$full" flaps_in_window), changes seen per page $(field "$full" changes_seen_per_page) (unmatched\
 $(field "$full" unmatched)), latency p90 $(field "$full" flap_latency_p90_ms) max $(field "$full" flap_latency_max_ms) ms; flapper CPU\
 $(field "$full" cpu_flapper_pct)%, steady publisher $(field "$full" cpu_publisher_pct)%, mosquitto $(field "$full" cpu_mosquitto_pct)% (no pages:\
 $(field "$zero" cpu_flapper_pct)%, $(field "$zero" cpu_publisher_pct)%, $(field "$zero" cpu_mosquitto_pct)%); pages alive at the end\
 $(field "$full" pages_alive_at_end)/$pages, closed by the server for not reading $(metric "$m2" mediawatch_web_live_dropped_total | cut -d. -f1),\
 refused $(metric "$m2" mediawatch_web_live_refused_total | cut -d. -f1)$(sed -n 's/.* failures="\([^"]*\)".*/; client failures: \1/p' <<<"$full")")

  # --- stop, clean, read the log ---------------------------------------------------------------------------
  stop_pid "$flap_pid"
  stop_pid "$steady_pid"
  stop_pid "$agg_pid"
  clear_retained "$prefix"
  local warn err
  warn=$(grep -c ' WARN ' "$dir/aggregator.log" || true)
  err=$(grep -c ' ERROR ' "$dir/aggregator.log" || true)
  log_lines+=("$name: aggregator log: $warn WARN, $err ERROR lines")
  while IFS= read -r l; do log_lines+=("  $l"); done < <(grep -E ' (WARN|ERROR) ' "$dir/aggregator.log" \
    | cut -c14- | sort | uniq -c | sort -rn | head -15 | cut -c1-240 || true)
}

for s in $scenarios; do scenario "$s"; done

echo
echo "# web $(date -u +%FT%TZ) on $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg); $(java -version 2>&1 | head -1)"
echo "# commit $(git rev-parse --short HEAD)$( [ -z "$(git status --porcelain -- common aggregator 2>/dev/null)" ] || echo ' + uncommitted changes in common/aggregator (working tree as built)')"
echo "# command: $command_line"
echo "# steady hosts: state every ${interval}s; aggregator JVM: $jvm_flags; broker Mosquitto $mqtt_host:$mqtt_port; run $run"
echo
echo "1. GET / ($requests sequential requests on one keep-alive connection after $requests for warm-up; times in ms, from the"
echo "   request's write: TTFB to the first byte, the server's time; TTLB to the last) and the stream's first events (bytes)"
printf '%-9s %-36s %9s %8s %-8s %9s %6s %6s %6s %6s %9s %9s %9s\n' fleet hosts "GET/ B" "gzip6 B" "gzip?" "gzip B" \
  "TTFB50" "TTFB99" "TTLB50" "TTLB99" "status B" "gzip6 B" "charts B"
for r in "${page_rows[@]}"; do echo "$r"; done
echo "   GET/ B: body as sent without Accept-Encoding; gzip6 B: what gzip -6 makes of it (not sent unless gzip? says gzip);"
echo "   gzip?: the Content-Encoding answered to Accept-Encoding: gzip, gzip B: that body; status B: the status event as sent"
for n in "${notes[@]}"; do echo "   $n"; done
echo
echo "2. Live updates, one container flapping every second, ${window_s}s per phase (CPU in % of one core; per page: events/s,"
echo "   status event size, SSE bytes/s and on the wire with HTTP chunking; latency from the flap's publish to the page, ms)"
printf '%-9s %5s %8s %8s %8s %7s %7s %7s %10s %10s %8s %8s %8s %8s\n' fleet pages "agg CPU" builds/s status/s charts/s ping/s \
  "status B" "SSE B/s" "wire B/s" "lat p50" "lat p99" "clients" "machine"
for r in "${live_rows[@]}"; do echo "$r"; done
echo "   clients: the CPU of the client JVM (pages and CPU readings); machine: % of all $(nproc) cores busy (all processes)"
for r in "${cost_rows[@]}"; do echo "   $r"; done
echo
for l in "${log_lines[@]}"; do echo "$l"; done
