package dev.mediawatch.contract;

import java.util.Objects;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * Who a media service on this host is, as its own API says: what the aggregator compares a public URL's answer with,
 * to prove the tunnel reaches this instance and not an old one.
 *
 * @param service the catalogue service ({@code jellyfin}, {@code navidrome}, ...)
 * @param id      the strongest identity the API offers: Jellyfin's server {@code Id} ({@code /System/Info/Public});
 *                absent when the API has none (Navidrome)
 * @param name    its name, when the API gives one (Jellyfin's {@code ServerName}, Navidrome's {@code type})
 * @param version its version ({@code Version}, {@code serverVersion})
 */
@JsonPropertyOrder({ "service", "id", "name", "version" })
public record ServiceIdentity(String service, String id, String name, String version) {

    public ServiceIdentity {
        Objects.requireNonNull(service, "service");
    }
}
