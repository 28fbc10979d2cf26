#!/usr/bin/env bash
# Runs every test of mediawatch on this machine.
#
#   scripts/test.sh [extra Maven arguments]
#
# Runs scripts/lint.sh (shellcheck, systemd-analyze verify and docker-compose config of deploy/, dry runs of the
# agent's installer). Installs (Debian packages) and starts what the tests need where it is missing: a dockerd on a
# private socket and a Mosquitto on loopback (scripts/services.sh); builds and runs all tests with ./mvnw verify
# (unit, @QuarkusTest, and the end-to-end test of the packaged apps); smoke-tests the README's run
# command; then stops the services it started. Services that were already running are left running.
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$repo"

command -v java >/dev/null || { echo "test: a JDK 17+ is needed (java not found)" >&2; exit 1; }

# Static checks first (shellcheck, systemd-analyze verify, docker-compose config, the installer's dry runs): a
# broken script or unit fails in seconds, before the long build.
scripts/lint.sh

if scripts/services.sh status; then
  started_here=false
else
  started_here=true
fi
cleanup() {
  if [ "$started_here" = true ]; then scripts/services.sh stop || true; fi
}
trap cleanup EXIT

eval "$(scripts/services.sh start)"

./mvnw -B -ntp verify "$@"

echo "test: smoke-testing the run command (scripts/run.sh --once)"
MEDIAWATCH_MQTT_PORT=${MEDIAWATCH_RUN_SMOKE_MQTT_PORT:-18884} \
  MEDIAWATCH_RUN_AGGREGATOR_PORT=18470 MEDIAWATCH_RUN_AGENT_PORT=18471 \
  DOCKER_HOST="$MEDIAWATCH_TEST_DOCKER_HOST" scripts/run.sh --once
