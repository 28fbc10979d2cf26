package dev.mediawatch.aggregator.web;

import java.util.List;

/**
 * What the web page shows, already in words: every value here is a plain string or number that the page's
 * templates print (escaped) without deciding anything. Built by {@link PageModel} from the unified status and the
 * detector's history; the templates are in {@code templates/web/}.
 *
 * @param headline    one line: hosts up, containers running, alerts
 * @param vms         every host, in the status's order
 * @param storage     the shared storage
 * @param alerts      open alerts, most severe first
 * @param drift       the drift gates
 * @param checklist   the split's success criteria
 * @param imports     today's imports per app, one line each
 * @param contention  the detector's last window; null before its first
 * @param sessions    playback sessions on the streaming hosts
 * @param events      recent events, newest first
 * @param incidents   the last incidents, newest first
 * @param charts      the 24-hour contention charts (SVG drawn on the server); empty before the first window
 * @param zone        the zone the times are shown in
 */
public record PageView(String headline, List<Vm> vms, List<Share> storage, List<AlertLine> alerts, List<CheckLine> drift,
        List<CheckLine> checklist, List<String> imports, ContentionBox contention, List<Session> sessions,
        List<EventLine> events, List<IncidentLine> incidents, List<Chart> charts, String zone) {

    /**
     * A host. {@code key} identifies its {@code <details>} so the page keeps it open across live updates.
     *
     * @param state   {@code up}, {@code stale}, {@code down}
     * @param summary one line: containers running of total, problems
     * @param detail  role, address, agent version, engine, last seen
     */
    public record Vm(String host, String key, String state, boolean ok, String since, String summary, String detail,
            List<Category> categories, List<Mount> mounts) {
    }

    /** The services of one catalogue category on one host ({@code unlisted} for containers the catalogue lacks). */
    public record Category(String name, List<Service> services) {
    }

    /**
     * One service or container.
     *
     * @param state    the container's state, or {@code missing}
     * @param health   the healthcheck's verdict, or empty
     * @param restarts the engine's restart count, or empty when there is no container
     * @param latency  the health probe's latency ({@code 12 ms}), its error, or empty when not probed
     * @param problem  what is wrong, or empty
     * @param parked   expected parked or stopped
     */
    public record Service(String name, String container, String state, String health, String restarts, String latency,
            String problem, boolean parked, boolean ok) {
    }

    /** A watched mount on a host. */
    public record Mount(String path, String health, boolean ok, String detail) {
    }

    /** A shared storage: source, type, use, who mounts it. */
    public record Share(String source, String detail, String mountedBy, double usedPct) {
    }

    public record AlertLine(String severity, String message, String since) {
    }

    /**
     * A drift gate or success criterion.
     *
     * @param evidence the first lines of its evidence
     * @param more     the rest, shown folded (a gate that fails on every Home Assistant entity has hundreds)
     */
    public record CheckLine(String id, String name, boolean pass, List<String> evidence, List<String> more) {
    }

    /**
     * The detector's last window.
     *
     * @param state       {@code calm}, {@code downloading}, {@code degraded}, {@code contention}
     * @param raised      the alerts raised now, one line each
     * @param thresholds  learned or default, and how far learning is
     * @param signals     the window's signals, crossed first
     * @param topWriters  the download hosts' containers writing most
     * @param stalled     stalled streams, one line each
     */
    public record ContentionBox(int score, int pressure, int degradation, String state, boolean watching,
            List<String> raised, String thresholds, List<Signal> signals, List<String> topWriters, List<String> stalled) {
    }

    /** One detector signal: {@code io-psi on download-stack 31.2 % (threshold 20.0)}. */
    public record Signal(String name, String side, String host, String value, String threshold, boolean crossed) {
    }

    /** A playback session on a streaming host. */
    public record Session(String host, String user, String title, String client, String state, boolean bad) {
    }

    public record EventLine(String time, String host, String type, String subject, String change, String detail) {
    }

    /**
     * An incident in the list.
     *
     * @param href its page, {@code /incidents/<id>} (the id URL-encoded)
     */
    public record IncidentLine(String id, String href, String alert, String severity, String message, String raised,
            String cleared, int peakScore, boolean open) {
    }

    /** An SVG chart with a heading; {@code svg} is the drawn chart (its text already escaped). */
    public record Chart(String heading, String svg) {
    }
}
