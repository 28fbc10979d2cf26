#!/usr/bin/env bash
# Runs every test of mediawatch on this machine.
#
#   scripts/test.sh [extra Maven arguments]
#
# Runs scripts/lint.sh (shellcheck, systemd-analyze verify and docker-compose config of deploy/, dry runs of the
# agent's installer). Installs (Debian packages) and starts what the tests need where it is missing: a dockerd on a
# private socket and a Mosquitto on loopback (scripts/services.sh); builds and runs the fast and the real tier with
# ./mvnw verify (fast: unit tests and @QuarkusTests on the in-process broker, surefire; real: tests tagged real and
# the end-to-end tests of the packaged apps, failsafe; the soak tier is not run: -Psoak); smoke-tests the README's
# run command; stops the services it started (services that were already running are left running); and last, pass
# or fail, prints the tests run, failed and skipped and their time per tier and module (scripts/tier-summary.sh).
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
maven_ran=false
finish() {
  local rc=$?
  if [ "$started_here" = true ]; then scripts/services.sh stop || true; fi
  # Last, so its closing line ("tests: N passed, N failed, N skipped") ends the output; a test that failed or ran in
  # both tiers fails the run even where Maven did not.
  if [ "$maven_ran" = true ]; then
    echo
    scripts/tier-summary.sh || { [ "$rc" -ne 0 ] || rc=1; }
  fi
  exit "$rc"
}
trap finish EXIT

eval "$(scripts/services.sh start)"

# Reports of an earlier run would be counted again by the summary.
find . -mindepth 3 -maxdepth 3 -type d \( -path './*/target/surefire-reports' -o -path './*/target/failsafe-reports' \) \
  -exec rm -rf {} +
maven_ran=true
# Two module builds at once: the agent and the aggregator depend on common and runtime only, so their tests run side
# by side (each test class still runs alone in its module's JVM); e2e waits for both.
./mvnw -B -ntp -T 2 verify "$@"

echo "test: smoke-testing the run command (scripts/run.sh --once)"
MEDIAWATCH_MQTT_PORT=${MEDIAWATCH_RUN_SMOKE_MQTT_PORT:-18884} \
  MEDIAWATCH_RUN_AGGREGATOR_PORT=18470 MEDIAWATCH_RUN_AGENT_PORT=18471 \
  DOCKER_HOST="$MEDIAWATCH_TEST_DOCKER_HOST" scripts/run.sh --once
