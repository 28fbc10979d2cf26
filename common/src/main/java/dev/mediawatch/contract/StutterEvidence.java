package dev.mediawatch.contract;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * What the detector saw when it decided: every signal it had (crossed or not), which it could not use and
 * why, the download host's top writing containers and the active playback sessions.
 *
 * @param score          the contention score 0-100 of the window
 * @param signals        the signal values of the window
 * @param signalsUsed    names of the signals it had
 * @param signalsMissing names of the signals it lacked, each {@code name: why} (e.g.
 *                       {@code nfs-read-rtt: no NFS statistics on streaming-stack})
 * @param topWriters     the download hosts' containers writing most
 * @param sessions       playback sessions on the streaming hosts
 */
@JsonPropertyOrder({ "score", "signals", "signalsUsed", "signalsMissing", "topWriters", "sessions" })
public record StutterEvidence(int score, List<SignalValue> signals, List<String> signalsUsed,
        List<String> signalsMissing, List<String> topWriters, List<StreamSession> sessions) {

    public StutterEvidence {
        signals = signals == null ? List.of() : List.copyOf(signals);
        signalsUsed = signalsUsed == null ? List.of() : List.copyOf(signalsUsed);
        signalsMissing = signalsMissing == null ? List.of() : List.copyOf(signalsMissing);
        topWriters = topWriters == null ? List.of() : List.copyOf(topWriters);
        sessions = sessions == null ? List.of() : List.copyOf(sessions);
    }
}
