#!/usr/bin/env bash
# How long the packaged aggregator takes to put a whole Home Assistant announcement on a real Mosquitto (a private
# one started here): the owner's stack (2 VMs) and copies of it (default 10 and 50 copies: 20 and 100 VMs), each host
# with a retained healthy state, mounts and availability. Per size: from the process's launch and from its "started"
# line until every config and every state it names reached a subscriber; then the same after Home Assistant's birth
# message; and how many "exceed the limit" and ERROR lines the aggregator logged.
#   scripts/bench/ha-announce.sh [COPIES...]      (default: 1 10 50)
#   ANNOUNCE_MAX_IN_FLIGHT=N scripts/bench/ha-announce.sh ...   the aggregator's mediawatch.mqtt.max-in-flight
# Needs Debian's mosquitto (scripts/services.sh installs it).
set -euo pipefail
cd "$(dirname "$0")/../.."
copies=("$@")
[ ${#copies[@]} -gt 0 ] || copies=(1 10 50)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
./mvnw -q install -pl common,runtime,aggregator -DskipTests
./mvnw -q dependency:build-classpath -pl aggregator -Dmdep.includeScope=test -Dmdep.outputFile="$work/cp" >/dev/null
cp="aggregator/target/classes:aggregator/target/test-classes:$(cat "$work/cp")"
for n in "${copies[@]}"; do
  java -Xmx512m -Dmwtest.repo=. -Djava.util.logging.manager=org.jboss.logmanager.LogManager -cp "$cp" \
    dev.mediawatch.aggregator.homeassistant.AnnounceBench "$n" aggregator/target/quarkus-app
done
