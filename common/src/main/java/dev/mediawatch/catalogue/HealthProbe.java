package dev.mediawatch.catalogue;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * How to ask a service whether it answers: an HTTP GET of {@code path} on {@code port} of the service's
 * host, expecting {@code expectStatus}. Paths carry no secrets: probes that need an API key take it from
 * the agent's environment, never from the catalogue.
 *
 * @param path         the URL path (and query), starting with {@code /}
 * @param port         the TCP port; defaults to the service's first published port
 * @param expectStatus the HTTP status that means healthy, default 200
 */
@JsonPropertyOrder({ "path", "port", "expectStatus" })
public record HealthProbe(String path, int port, int expectStatus) {
}
