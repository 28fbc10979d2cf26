#!/usr/bin/env bash
# Replays a recording of what fed the stutter detector (mediawatch.recording.file) through the aggregator's own
# ingest, host registry, baselines and detector, on the recording's clock and as fast as it goes, with no broker.
# Prints each raise and clear with its evidence, the score over time, the learned baselines and the thresholds.
#   scripts/replay.sh FILE [FILE...] [key=value ...]
# Keys: those of mediawatch.stutter.* without the prefix (raise-after=20s, thresholds=streaming-disk-read-await=2/1,
# learn-after=10m, ...) and max-hosts. Rotated files first: scripts/replay.sh rec.jsonl.2 rec.jsonl.1 rec.jsonl
# Uses the packaged aggregator (aggregator/target/quarkus-app, built when missing) or $MEDIAWATCH_AGGREGATOR_APP.
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
app=${MEDIAWATCH_AGGREGATOR_APP:-$repo/aggregator/target/quarkus-app}
if [ ! -f "$app/quarkus-run.jar" ]; then
  (cd "$repo" && ./mvnw -q -B install -DskipTests -pl common,runtime,aggregator)
fi
[ $# -gt 0 ] || { sed -n '2,8p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2; }
exec java -Djava.util.logging.manager=org.jboss.logmanager.LogManager \
  -cp "$app/lib/boot/*:$app/lib/main/*:$app/app/*" dev.mediawatch.aggregator.replay.Replay "$@"
