package dev.mediawatch.contract;

import java.time.Instant;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * The last health probe of one catalogue service: an HTTP GET of its endpoint on this host.
 *
 * @param service    the catalogue name
 * @param url        what was asked, without credentials (e.g. {@code http://127.0.0.1:8989/ping})
 * @param up         answered with the expected status within the timeout
 * @param httpStatus the status it answered; absent when it did not answer
 * @param latencyMs  time to the response headers, in milliseconds; absent when it did not answer
 * @param error      why it is down, one line: {@code timeout}, {@code connection refused}, {@code status 500}, ...
 * @param checkedAt  when the probe finished (UTC)
 */
@JsonPropertyOrder({ "service", "url", "up", "httpStatus", "latencyMs", "error", "checkedAt" })
public record ServiceProbe(String service, String url, boolean up, Integer httpStatus, Long latencyMs, String error,
        Instant checkedAt) {
}
