package dev.mediawatch.contract;

import java.util.List;
import java.util.Objects;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * A drift gate or success criterion, evaluated live.
 *
 * @param id       {@code D106} ... for drift gates, a slug for criteria
 * @param name     what it checks, for people
 * @param pass     whether it holds
 * @param evidence why: what failed, one line each (or, when it passes, what was checked)
 */
@JsonPropertyOrder({ "id", "name", "pass", "evidence" })
public record Check(String id, String name, boolean pass, List<String> evidence) {

    public Check {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(name, "name");
        evidence = evidence == null ? List.of() : List.copyOf(evidence);
    }
}
