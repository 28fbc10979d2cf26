package dev.mediawatch.aggregator.replay;

import java.time.Clock;

import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

import org.jboss.logging.Logger;

import dev.mediawatch.aggregator.config.AggregatorConfig;
import dev.mediawatch.aggregator.ingest.Ingest;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;

/**
 * Turns the recording on when {@code mediawatch.recording.file} is set: every accepted message that feeds the
 * detector goes to the {@link Recorder}, written on the ingest worker, and each detector window where it read the hosts.
 */
@Singleton
public class RecordingSetup {

    private static final Logger LOG = Logger.getLogger(RecordingSetup.class);
    private Recorder recorder;

    void onStart(@Observes StartupEvent event, AggregatorConfig config, Ingest ingest) {
        AggregatorConfig.Recording r = config.recording();
        if (r.file().isEmpty()) {
            return;
        }
        recorder = new Recorder(r.file().get(), r.maxBytes(), r.keep(), Clock.systemUTC());
        Recorder to = recorder;
        ingest.onAccepted(new Ingest.Accepted() {
            @Override
            public void accepted(String topic, dev.mediawatch.contract.Topics.Kind kind, byte[] payload) {
                to.record(topic, kind, payload);
            }

            @Override
            public void window(java.time.Instant at) {
                to.window(at);
            }
        });
        LOG.infof("recording what feeds the detector to %s (rotated at %d bytes, %d kept); replay it with "
                + "scripts/replay.sh", recorder.file(), r.maxBytes(), r.keep());
    }

    void onStop(@Observes ShutdownEvent event, Ingest ingest) {
        if (recorder != null) {
            ingest.onAccepted(null);
            recorder.close();
        }
    }
}
