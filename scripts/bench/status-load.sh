#!/usr/bin/env bash
# The aggregator under fleet load: N simulated agents with C containers each publish
# their state every 10 s (spread evenly over the 10 s, QoS 1, retained) plus an event flood of E events/s, to the
# real Mosquitto of scripts/services.sh, while GET /api/status is asked at a fixed 200 requests/s, open loop.
# Targets: ingest keeps up (the aggregator's processed rate is at least 80% of what a mosquitto_sub on the same
# broker receives in the same window), GET /api/status p99 under 10 ms, heap under 256 MB (-Xmx256m, no
# OutOfMemoryError, used heap after a full GC).
#
#   scripts/bench/status-load.sh [hosts=1000] [containers=30] [minutes=3] [events-per-sec=500]
#
# Phases, one aggregator JVM: warm-up (STATUS_LOAD_WARMUP s, default 45), then the HTTP load twice, each for
# `minutes` after 10 s of its own warm-up: without and with `Accept-Encoding: gzip`. Ingest is measured over
# each phase: /q/metrics mediawatch_ingest_received_total{kind="state"} + {kind="events"} at the phase's start
# and end, and the lines a `mosquitto_sub -q 1 -R` on the same topics printed between those two moments (the
# broker-delivered rate; -R leaves out the retained messages it is sent on subscribing). After both phases:
# jcmd GC.run, then used heap (jstat), peak RSS (VmHWM), the GC log's peak and pauses, OutOfMemoryError in the log.
# Also printed, to explain the figures: per phase the CPU of each process and of the whole machine (it is shared:
# the rest is other people's work), the status builds (mediawatch_status_build_seconds); after the load the
# health endpoints and every incoming channel that failed (a SmallRye MQTT channel whose buffer-size overflows
# stops for good), and a warning when the broker restarted or dropped the publisher during the run.
#
# Runs the packaged aggregator (built here if older than its sources: ./mvnw -o package -pl common,aggregator
# -Dmaven.test.skip=true; copied to a work directory so a concurrent build cannot swap its jars) as its own JVM,
# default flags plus -Xmx256m (the JVM picks G1 on this 2-core machine). The load generators are
# aggregator/src/test/java/dev/mediawatch/aggregator/bench/ (StatusLoadPublisher: Vert.x MQTT client, 4
# connections, at most 64 unacknowledged publishes each; StatusHttpLoad: blocking keep-alive sockets, latency from
# each request's due time to its body's last byte), compiled here with javac on the Maven test classpath.
# Each run has its own topic prefix and client ids; its retained messages are deleted at the end.
#
# Environment (optional):
#   STATUS_LOAD_WARMUP=45          seconds of load before the first phase
#   STATUS_LOAD_RATE=200           HTTP requests per second
#   STATUS_LOAD_INTERVAL=10        seconds between two states of one host
#   STATUS_LOAD_JVM_FLAGS=-Xmx256m the aggregator's JVM flags (e.g. "-Xmx256m -XX:+UseSerialGC")
#   STATUS_LOAD_JFR=0              1: record the aggregator with JFR (settings=profile); the work dir is kept
#   STATUS_LOAD_KEEP=0             1: keep the work directory (logs, GC log, metrics, raw outputs)
#   STATUS_LOAD_PHASES="plain gzip" which HTTP phases to run
#
# Needs java, curl, jcmd/jstat, mosquitto_sub; starts the test services when MEDIAWATCH_TEST_MQTT_PORT is unset
# (eval "$(scripts/services.sh start)", idempotent; they are left running). Exits non-zero only when the harness
# fails; a missed target is a figure (FAIL) in the summary. Compare figures within one run: this machine is shared.
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$repo"
command_line="$(printf '%q ' "scripts/bench/status-load.sh" "$@")"
hosts=${1:-1000}
containers=${2:-30}
minutes=${3:-3}
eps=${4:-500}
warmup=${STATUS_LOAD_WARMUP:-45}
rate=${STATUS_LOAD_RATE:-200}
interval=${STATUS_LOAD_INTERVAL:-10}
jvm_flags=${STATUS_LOAD_JVM_FLAGS:--Xmx256m}
jfr=${STATUS_LOAD_JFR:-0}
keep=${STATUS_LOAD_KEEP:-0}
phases=${STATUS_LOAD_PHASES:-plain gzip}
window_s=$(awk -v m="$minutes" 'BEGIN { printf "%d", m * 60 }')
http_warmup=10
max_hosts=$((hosts * 2 > 2000 ? hosts * 2 : 2000))
for env_var in STATUS_LOAD_WARMUP STATUS_LOAD_RATE STATUS_LOAD_INTERVAL STATUS_LOAD_JVM_FLAGS STATUS_LOAD_JFR STATUS_LOAD_PHASES; do
  [ -z "${!env_var:-}" ] || command_line="$env_var=$(printf '%q' "${!env_var}") $command_line"
done

say() { printf 'status-load: %s\n' "$*" >&2; }
die() { say "$*"; exit 1; }
for tool in java javac jcmd jstat curl mosquitto_sub awk; do
  command -v "$tool" >/dev/null || die "$tool is needed"
done
[ "$window_s" -ge 10 ] || die "minutes must give a window of at least 10 s"

if [ -z "${MEDIAWATCH_TEST_MQTT_PORT:-}" ]; then
  say "starting the test services (scripts/services.sh start)"
  eval "$(scripts/services.sh start)"
fi
mqtt_host=${MEDIAWATCH_TEST_MQTT_HOST:-127.0.0.1}
mqtt_port=${MEDIAWATCH_TEST_MQTT_PORT:?}

run=sl$(date +%s)$RANDOM
work=$(mktemp -d "/tmp/status-load.$run.XXXX")
pids=()
agg_pid=
bench_cp=
cleanup() {
  local rc=$?
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
  if [ -n "$bench_cp" ]; then
    # Delete this run's retained messages (availability, state, status) from the shared broker.
    java -XX:+UseSerialGC -cp "$bench_cp" dev.mediawatch.aggregator.bench.StatusLoadPublisher --mqtt-host "$mqtt_host" \
      --mqtt-port "$mqtt_port" --prefix "$run" --hosts "$hosts" --containers 1 --clear >"$work/clear.out" 2>&1 \
      || say "could not clear the retained messages of prefix $run (see $work/clear.out)"
  fi
  if [ "$keep" = 1 ] || [ "$jfr" = 1 ] || [ $rc -ne 0 ]; then
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
app=$(find aggregator/target/quarkus-app/app -name 'mediawatch-aggregator-*.jar' 2>/dev/null | head -1)
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

# --- aggregator --------------------------------------------------------------------------------------------
free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
http_port=$(free_port)
extra=()
[ "$jfr" = 1 ] && extra+=("-XX:StartFlightRecording=filename=$work/aggregator.jfr,settings=profile,dumponexit=true")
# shellcheck disable=SC2086
java $jvm_flags "${extra[@]}" -Xlog:gc:file="$work/gc.log" \
  -Dmediawatch.mqtt.host="$mqtt_host" -Dmediawatch.mqtt.port="$mqtt_port" -Dmediawatch.topic-prefix="$run" \
  -Dmediawatch.mqtt.client-id="$run-aggregator" -Dmediawatch.status.max-hosts="$max_hosts" \
  -Dquarkus.http.port="$http_port" -jar "$work/app/quarkus-run.jar" >"$work/aggregator.log" 2>&1 &
agg_pid=$!
pids+=("$agg_pid")
base=http://127.0.0.1:$http_port
for _ in $(seq 1 600); do
  curl -fs -o /dev/null "$base/q/health/ready" && break
  kill -0 "$agg_pid" 2>/dev/null || { tail -30 "$work/aggregator.log" >&2; die "the aggregator exited"; }
  sleep 0.1
done
curl -fs -o /dev/null "$base/q/health/ready" || { tail -30 "$work/aggregator.log" >&2; die "the aggregator is not ready after 60 s"; }
gc_name=$(jcmd "$agg_pid" VM.flags 2>/dev/null | grep -o -E 'Use(G1|Serial|Parallel|Z|Shenandoah)GC' | head -1 || true)

# --- load --------------------------------------------------------------------------------------------------
# The broker's view first, so it sees every message of the phases.
mosquitto_sub -h "$mqtt_host" -p "$mqtt_port" -i "$run-sub" -q 1 -R -F '%U %t' -t "$run/+/state" -t "$run/+/events" \
  >"$work/sub.out" 2>"$work/sub.err" &
pids+=($!)
java -XX:+UseSerialGC -Xmx512m -cp "$bench_cp" dev.mediawatch.aggregator.bench.StatusLoadPublisher \
  --mqtt-host "$mqtt_host" --mqtt-port "$mqtt_port" --prefix "$run" --hosts "$hosts" --containers "$containers" \
  --interval-seconds "$interval" --events-per-sec "$eps" >"$work/publisher.out" 2>"$work/publisher.err" &
pub_pid=$!
pids+=("$pub_pid")
say "run $run: $hosts hosts x $containers containers every ${interval}s + $eps events/s; aggregator pid $agg_pid on :$http_port; warm-up ${warmup}s"
sleep "$warmup"
kill -0 "$pub_pid" 2>/dev/null || { cat "$work/publisher.err" >&2; die "the load publisher exited"; }
kill -0 "$agg_pid" 2>/dev/null || { tail -30 "$work/aggregator.log" >&2; die "the aggregator exited"; }

mosq_pid=$(cat "${MEDIAWATCH_SERVICES_DIR:-$repo/.test-services}/mosquitto.pid" 2>/dev/null || true)
ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat" 2>/dev/null || echo 0; }
# CPU ticks of: the aggregator, the publisher, Mosquitto, then the machine's busy and total ticks (all cores).
cpu_ticks() {
  echo "$(ticks "$agg_pid") $(ticks "$pub_pid") $(ticks "${mosq_pid:-0}")" \
    "$(awk '$1 == "cpu" { print $2 + $3 + $4 + $7 + $8 + $9, $2 + $3 + $4 + $5 + $6 + $7 + $8 + $9 }' /proc/stat)"
}
metric() { # FILE NAME [LABEL-MATCH]: sum of the samples of NAME whose labels contain LABEL-MATCH
  awk -v n="$2" -v l="${3:-}" '($1 == n || index($1, n "{") == 1) && index($1, l) { s += $NF } END { printf "%.6f\n", s + 0 }' "$1"
}
# scrape NAME: /q/metrics into $work/metrics-NAME.txt; prints "<epoch ms, mid-request> <ms taken> <cpu ticks>"
scrape() {
  local t0 t1
  t0=$(date +%s%3N)
  curl -fs "$base/q/metrics" >"$work/metrics-$1.txt" || die "could not read $base/q/metrics"
  t1=$(date +%s%3N)
  echo "$(((t0 + t1) / 2)) $((t1 - t0)) $(cpu_ticks)"
}
# Counts of generated messages at an epoch ms, interpolated between the publisher's one-second ticks.
generated_at() {
  awk -v t="$1" '$1 == "@tick" { if ($2 <= t) { pt = $2; ps = $3 + $4 } else if (!done) { nt = $2; ns = $3 + $4; done = 1 } }
    END { if (done && nt > pt) printf "%.1f\n", ps + (ns - ps) * (t - pt) / (nt - pt); else printf "%.1f\n", ps }' "$work/publisher.out"
}
delivered_between() { # FROM-MS TO-MS [KIND]
  awk -v a="$1" -v b="$2" -v k="${3:-}" '{ t = $1 * 1000 } t >= a && t < b && (k == "" || $2 ~ ("/" k "$")) { n++ } END { print n + 0 }' "$work/sub.out"
}
clk_tck=$(getconf CLK_TCK)
summary=()
verdicts=()
for phase in $phases; do
  gz=()
  [ "$phase" = gzip ] && gz=(--gzip)
  read -r t_start _ c_agg0 c_pub0 c_mosq0 c_busy0 c_total0 <<<"$(scrape "$phase-start")"
  [ -n "${c_total0:-}" ] || die "could not read $base/q/metrics"
  say "phase $phase: ${http_warmup}s + ${window_s}s of GET /api/status at $rate/s${gz:+ with Accept-Encoding: gzip}"
  java -XX:+UseSerialGC -Xmx256m -cp "$bench_cp" dev.mediawatch.aggregator.bench.StatusHttpLoad --port "$http_port" \
    --rate "$rate" --seconds "$window_s" --warmup-seconds "$http_warmup" --label "$phase" "${gz[@]}" \
    >"$work/http-$phase.out" 2>"$work/http-$phase.err" || { cat "$work/http-$phase.err" >&2; die "the HTTP load failed"; }
  read -r t_end scrape_ms_end c_agg1 c_pub1 c_mosq1 c_busy1 c_total1 <<<"$(scrape "$phase-end")"
  [ -n "${c_total1:-}" ] || die "could not read $base/q/metrics"
  grep -q '^@http ' "$work/http-$phase.out" || die "the HTTP load printed no result"
  kill -0 "$agg_pid" 2>/dev/null || die "the aggregator exited during phase $phase"
  secs=$(awk -v a="$t_start" -v b="$t_end" 'BEGIN { printf "%.3f", (b - a) / 1000 }')
  ms="$work/metrics-$phase-start.txt"; me="$work/metrics-$phase-end.txt"
  agg=$(awk -v a="$(metric "$ms" mediawatch_ingest_received_total 'kind="state"')" -v b="$(metric "$ms" mediawatch_ingest_received_total 'kind="events"')" \
    -v c="$(metric "$me" mediawatch_ingest_received_total 'kind="state"')" -v d="$(metric "$me" mediawatch_ingest_received_total 'kind="events"')" \
    'BEGIN { printf "%d", (c + d) - (a + b) }')
  rejected=$(awk -v a="$(metric "$ms" mediawatch_ingest_rejected_total)" -v b="$(metric "$me" mediawatch_ingest_rejected_total)" 'BEGIN { printf "%d", b - a }')
  sub_n=$(delivered_between "$t_start" "$t_end")
  sub_state=$(delivered_between "$t_start" "$t_end" state)
  gen=$(awk -v a="$(generated_at "$t_start")" -v b="$(generated_at "$t_end")" 'BEGIN { printf "%d", b - a }')
  builds=$(awk -v a="$(metric "$ms" mediawatch_status_build_seconds_count)" -v b="$(metric "$me" mediawatch_status_build_seconds_count)" 'BEGIN { printf "%d", b - a }')
  build_ms=$(awk -v n="$builds" -v a="$(metric "$ms" mediawatch_status_build_seconds_sum)" -v b="$(metric "$me" mediawatch_status_build_seconds_sum)" \
    'BEGIN { printf "%.1f", (n > 0 ? (b - a) * 1000 / n : 0) }')
  build_max_ms=$(awk -v m="$(metric "$me" mediawatch_status_build_seconds_max)" 'BEGIN { printf "%.1f", m * 1000 }')
  line=$(grep '^@http ' "$work/http-$phase.out")
  field() { sed -n "s/.* $1=\([^ ]*\).*/\1/p" <<<"$line"; }
  # (n/a: the process was replaced during the phase, e.g. the broker restarted)
  pct_core() { awk -v a="$1" -v b="$2" -v t="$clk_tck" -v s="$secs" 'BEGIN { if (b < a || b == 0) print "n/a"; else printf "%.0f%%", (b - a) / t / s * 100 }'; }
  cpu_pct=$(pct_core "$c_agg0" "$c_agg1")
  cpu_line="aggregator $cpu_pct, publisher $(pct_core "$c_pub0" "$c_pub1"), mosquitto $(pct_core "$c_mosq0" "$c_mosq1"), HTTP client $(field client_cpu_pct)% (% of one core); machine $(awk -v a="$c_busy0" -v b="$c_busy1" -v c="$c_total0" -v d="$c_total1" -v n="$(nproc)" 'BEGIN { printf "%.0f%% of %d cores busy", (b - a) / (d - c) * 100, n }') (the rest is other work on the machine)"
  ratio=$(awk -v a="$agg" -v s="$sub_n" 'BEGIN { printf "%.3f", (s > 0 ? a / s : 0) }')
  ingest_ok=$(awk -v r="$ratio" 'BEGIN { print (r >= 0.80 ? "PASS" : "FAIL") }')
  http_ok=$(awk -v p="$(field p99_ms)" -v e="$(field errors)" 'BEGIN { print (p >= 0 && p < 10 && e == 0 ? "PASS" : "FAIL") }')
  per_s() { awk -v n="$1" -v s="$secs" 'BEGIN { printf "%.1f", n / s }'; }
  summary+=("phase $phase (${secs} s between the two /q/metrics reads):"
    "  ingest: generated $(per_s "$gen")/s; broker delivered $(per_s "$sub_n")/s ($sub_state states, $((sub_n - sub_state)) events); aggregator processed $(per_s "$agg")/s ($agg); ratio $ratio [$ingest_ok >= 0.80]; rejected $rejected"
    "  GET /api/status${gz:+ gzip} at $rate/s: n=$(field requests) errors=$(field errors) (io $(field err_io), timeout $(field err_timeout), status $(field err_status), encoding $(field err_encoding))"
    "    latency ms p50 $(field p50_ms) p90 $(field p90_ms) p99 $(field p99_ms) p99.9 $(field p999_ms) max $(field max_ms) [$http_ok p99 < 10 ms]"
    "    service time (from write) p50 $(field service_p50_ms) p99 $(field service_p99_ms); client send lag p99 $(field send_lag_p99_ms) max $(field send_lag_max_ms); connections $(field connections_opened)"
    "    body bytes min $(field bytes_min) median $(field bytes_median) max $(field bytes_max)${gz:+ (decoded $(field decoded_bytes))}"
    "  CPU: $cpu_line"
    "  aggregator: status builds $builds ($(per_s "$builds")/s), mean ${build_ms} ms, recent max ${build_max_ms} ms; /q/metrics took ${scrape_ms_end} ms")
  verdicts+=("ingest-$phase $ingest_ok" "http-$phase $http_ok")
  grep '^@http-bucket ' "$work/http-$phase.out" | sed 's/^@http-bucket /    /' >"$work/buckets-$phase.txt" || true
done

# --- health, after the load ---------------------------------------------------------------------------------
# An incoming channel whose buffer overflowed (SmallRye MQTT buffer-size) fails for good: its method gets no
# more messages, liveness turns DOWN, readiness stays UP (the connection is fine).
health_live=$(curl -s -o "$work/live.json" -w '%{http_code}' "$base/q/health/live" || true)
health_ready=$(curl -s -o "$work/ready.json" -w '%{http_code}' "$base/q/health/ready" || true)
dead_channels=$({ grep -o 'Error caught while processing a message in method [A-Za-z0-9_.]*#[A-Za-z0-9_]*: [A-Za-z0-9_.]*' "$work/aggregator.log" || true; } \
  | sed 's/.*#\([A-Za-z0-9_]*\): .*\.\([A-Za-z0-9_]*\)$/\1 (\2)/' | sort | uniq -c | awk '{ printf "%s%s x%d", (NR > 1 ? ", " : ""), $2 " " $3, $1 }' || true)
hosts_line=$(awk '$1 ~ /^mediawatch_hosts\{/ { match($1, /status="[a-z]+"/); printf "%s%s %d", (n++ ? ", " : ""), substr($1, RSTART + 8, RLENGTH - 9), $2 }' "$work/metrics-$phase-end.txt")

# --- heap and memory ---------------------------------------------------------------------------------------
kill -TERM "$pub_pid" 2>/dev/null || true
wait "$pub_pid" 2>/dev/null || true
jcmd "$agg_pid" GC.run >/dev/null 2>&1 || die "jcmd GC.run failed"
sleep 1
jcmd "$agg_pid" GC.heap_info >"$work/heap_info.txt" 2>&1 || true
heap_used_kb=$(jstat -gc "$agg_pid" | awk 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i } NR == 2 { printf "%d", $c["S0U"] + $c["S1U"] + $c["EU"] + $c["OU"] }')
heap_cap_kb=$(jstat -gc "$agg_pid" | awk 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i } NR == 2 { printf "%d", $c["S0C"] + $c["S1C"] + $c["EC"] + $c["OC"] }')
meta_kb=$(jstat -gc "$agg_pid" | awk 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i } NR == 2 { printf "%d", $c["MU"] }')
hwm_kb=$(awk '/^VmHWM/ { print $2 }' "/proc/$agg_pid/status")
rss_kb=$(awk '/^VmRSS/ { print $2 }' "/proc/$agg_pid/status")
oom=$(grep -c OutOfMemoryError "$work/aggregator.log" || true)
# GC log: "[12.3s][info][gc] GC(7) Pause Young (Normal) (G1 Evacuation Pause) 120M->40M(256M) 5.123ms"
gc_stats=$(awk '/Pause/ && match($0, /[0-9]+M->[0-9]+M\([0-9]+M\) [0-9.]+ms/) {
    s = substr($0, RSTART, RLENGTH); split(s, p, /M->|M\(|M\) |ms/); n++; if (p[1] > b) b = p[1]; if (p[2] > a) a = p[2]
    t += p[4]; if (p[4] > m) m = p[4]; if ($0 ~ /Pause Full/) f++ }
  END { printf "%d pauses (%d full), %.0f ms in total, longest %.1f ms; heap at most %d MB before a collection, at most %d MB after one", n, f, t, m, b, a }' "$work/gc.log")
heap_ok=$(awk -v u="$heap_used_kb" -v o="$oom" 'BEGIN { print (u < 256 * 1024 && o == 0 ? "PASS" : "FAIL") }')
verdicts+=("heap $heap_ok")

mb() { awk -v k="$1" 'BEGIN { printf "%.1f", k / 1024 }'; }
echo
echo "# status-load $(date -u +%FT%TZ) on $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg); $(java -version 2>&1 | head -1)"
echo "# commit $(git rev-parse --short HEAD)$( [ -z "$(git status --porcelain -- common aggregator 2>/dev/null)" ] || echo ' + uncommitted changes in common/aggregator (working tree as built)')"
echo "# command: $command_line"
echo "# $hosts hosts x $containers containers, state every ${interval}s per host (QoS 1, retained), $eps events/s;" \
  "warm-up ${warmup}s; each phase ${http_warmup}s + ${window_s}s; broker Mosquitto $mqtt_host:$mqtt_port, prefix $run"
echo "# aggregator JVM: $jvm_flags (${gc_name:-default GC})${extra[*]:+ ${extra[*]}}; status.max-hosts=$max_hosts"
for s in "${summary[@]}"; do echo "$s"; done
echo "heap after jcmd GC.run: used $(mb "$heap_used_kb") MB of $(mb "$heap_cap_kb") MB committed (metaspace $(mb "$meta_kb") MB) [$heap_ok < 256 MB, OutOfMemoryError in log: $oom]"
echo "GC during the run: $gc_stats"
echo "RSS: peak (VmHWM) $(mb "$hwm_kb") MB, now $(mb "$rss_kb") MB"
echo "publisher: $(grep '^@pub ' "$work/publisher.out" | sed 's/^@pub //' || echo 'no totals')"
echo "health after the load: live $health_live, ready $health_ready; hosts at the end: $hosts_line"
echo "incoming channels that failed (their messages are no longer processed): ${dead_channels:-none}"
mosq_pid_end=$(cat "${MEDIAWATCH_SERVICES_DIR:-$repo/.test-services}/mosquitto.pid" 2>/dev/null || true)
if [ "$mosq_pid_end" != "$mosq_pid" ] || ! grep -q '^@pub .* disconnects=0 ' "$work/publisher.out"; then
  echo "WARNING: the broker restarted or dropped the publisher during the run (mosquitto pid $mosq_pid -> $mosq_pid_end): ingest figures are not valid"
fi
echo "verdicts: ${verdicts[*]}"
for phase in $phases; do
  echo "latency per 10 s, $phase:"
  cat "$work/buckets-$phase.txt"
done
