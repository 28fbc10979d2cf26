package dev.mediawatch.contract;

import java.util.Objects;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * One service on a host: a catalogue service (with or without a container) or a container the catalogue
 * does not list.
 *
 * @param service   the catalogue name; for an unlisted container, its container name
 * @param container the container that runs it; absent when it has none
 * @param category  the catalogue category; absent for an unlisted container
 * @param expected  the catalogue's expected state: running, parked or stopped; absent for an unlisted container
 * @param state     the container's state, or {@code missing} when a catalogue service has no container
 * @param health    the container's healthcheck verdict
 * @param problem   what is wrong, one line, when something is (exited while expected to run, unhealthy,
 *                  restart loop, probe failing, missing, running while expected stopped); absent when fine
 */
@JsonPropertyOrder({ "service", "container", "category", "expected", "state", "health", "problem" })
public record ServiceStatus(String service, String container, String category, String expected, String state,
        ContainerHealth health, String problem) {

    public static final String MISSING = "missing";

    public ServiceStatus {
        Objects.requireNonNull(service, "service");
        Objects.requireNonNull(state, "state");
    }

    public boolean catalogued() {
        return category != null;
    }

    /** Parked or expected stopped: shown with a {@code *}. */
    public boolean parkedOrStopped() {
        return "parked".equals(expected) || "stopped".equals(expected);
    }
}
