package dev.mediawatch.contract;

import java.util.List;
import java.util.Objects;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * One host's part of a refresh.
 *
 * @param host       the host id
 * @param answered   its agent republished its state for this request within the timeout
 * @param answerMs   milliseconds from the command to the answer; absent when it did not answer
 * @param pass       answered, and the fresh state shows no problem
 * @param problems   what failed, one line each: no answer, engine unreachable, a mount not ok, a probe down,
 *                   a service that should run and does not
 */
@JsonPropertyOrder({ "host", "answered", "answerMs", "pass", "problems" })
public record RefreshHost(HostId host, boolean answered, Long answerMs, boolean pass, List<String> problems) {

    public RefreshHost {
        Objects.requireNonNull(host, "host");
        problems = problems == null ? List.of() : List.copyOf(problems);
    }
}
