package dev.mediawatch.aggregator.status;

import java.util.List;

import dev.mediawatch.contract.Alert;
import dev.mediawatch.contract.Contention;

/**
 * What the stutter detector adds to the status: its last window and its raised alerts (as status alerts, with
 * their own {@code since}). Immutable; replaced by the detector's thread after each window.
 */
public record DetectorView(Contention contention, List<Alert> alerts) {

    public static final DetectorView NONE = new DetectorView(null, List.of());

    public DetectorView {
        alerts = alerts == null ? List.of() : List.copyOf(alerts);
    }
}
