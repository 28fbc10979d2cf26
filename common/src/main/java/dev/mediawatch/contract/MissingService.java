package dev.mediawatch.contract;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * A catalogue service expected to run on this host for which the engine has no container at all.
 *
 * @param service  the catalogue name
 * @param category the catalogue category
 */
@JsonPropertyOrder({ "service", "category" })
public record MissingService(String service, String category) {

    public MissingService {
        java.util.Objects.requireNonNull(service, "service");
    }
}
