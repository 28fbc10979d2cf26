#!/usr/bin/env bash
# The stutter detector on this machine with the packaged apps: two agents (download and streaming roles), the
# aggregator learning its thresholds from a minute of calm, a paced 4 KiB direct reader as the stream, a random and a
# sequential direct writer as the downloads. Prints, for RUNS cycles, how long from the writers' start until stutter
# is raised and from their stop until it clears (median and worst); then QUIET_MINUTES of writers while Jellyfin
# (recorded answers served locally) reports nobody playing, which must raise nothing; then the cost of one detector
# window with its baselines at 2 and at 100 hosts.
#   scripts/bench/stutter.sh [RUNS=5] [QUIET_MINUTES=10]
# Installs and starts what it needs with scripts/services.sh (Mosquitto, dockerd, fio).
set -euo pipefail
cd "$(dirname "$0")/../.."
runs=${1:-5}
quiet=${2:-10}
eval "$(scripts/services.sh start)"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
./mvnw -q -B install -DskipTests -pl common,runtime,agent,aggregator
./mvnw -q -B test-compile -pl e2e
./mvnw -q -B dependency:build-classpath -pl e2e -Dmdep.includeScope=test -Dmdep.outputFile="$work/e2e.cp" >/dev/null
./mvnw -q -B dependency:build-classpath -pl aggregator -Dmdep.includeScope=test -Dmdep.outputFile="$work/agg.cp" >/dev/null
java -Dmediawatch.agent.app=agent/target/quarkus-app -Dmediawatch.aggregator.app=aggregator/target/quarkus-app \
  -Dmediawatch.e2e.work=target/stutter-bench -cp "e2e/target/test-classes:$(cat "$work/e2e.cp")" \
  dev.mediawatch.e2e.StutterBench "$runs" "$quiet" target/stutter-bench
for hosts in 2 100; do
  java -Xmx512m -cp "aggregator/target/classes:aggregator/target/test-classes:$(cat "$work/agg.cp")" \
    dev.mediawatch.aggregator.stutter.DetectorWindowBench "$hosts" 20000
done
