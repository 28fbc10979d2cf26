#!/usr/bin/env bash
# What one Home Assistant tick of the aggregator costs: HaDiscovery.plan for the owner's catalogue (2 VMs, 34
# services) and for 10 and 50 copies of it, p50/p99 over many rounds after warm-up, and the size of one full
# announcement (configs and states). Usage: scripts/bench/ha-plan.sh [ROUNDS]   (default 2000)
set -euo pipefail
cd "$(dirname "$0")/../.."
rounds=${1:-2000}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
./mvnw -q -o install -pl common -DskipTests
./mvnw -q -o test-compile -pl aggregator
./mvnw -q -o dependency:build-classpath -pl aggregator -Dmdep.includeScope=test -Dmdep.outputFile="$work/cp" >/dev/null
cp="aggregator/target/classes:aggregator/target/test-classes:$(cat "$work/cp")"
for copies in 1 10 50; do
  java -Xmx256m -XX:+UseSerialGC -Dmwtest.repo=. -cp "$cp" dev.mediawatch.aggregator.homeassistant.HaPlanBench "$copies" "$rounds"
done
