package dev.mediawatch.contract;

import java.time.Instant;
import java.util.Objects;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * What one *arr app imported: today's count (since local midnight on the download host) and its newest import, from
 * the app's own history ({@code GET /api/v3/history} for Radarr and Sonarr, {@code /api/v1/history} for Lidarr).
 *
 * @param app          {@code radarr}, {@code sonarr} or {@code lidarr}
 * @param unit         what is counted: {@code movies}, {@code episodes} or {@code tracks}
 * @param today        imports since {@code since}
 * @param since        local midnight of the download host, as an instant
 * @param lastImportAt the newest import in the app's history; absent when it has none
 * @param askedAt      when the history was last asked (it is asked every few minutes, not every activity interval)
 */
@JsonPropertyOrder({ "app", "unit", "today", "since", "lastImportAt", "askedAt" })
public record ArrImports(String app, String unit, long today, Instant since, Instant lastImportAt, Instant askedAt) {

    public static final String RADARR = "radarr";
    public static final String SONARR = "sonarr";
    public static final String LIDARR = "lidarr";

    /** The apps whose imports are counted, in the dashboard's order. */
    public static final java.util.List<String> APPS = java.util.List.of(RADARR, SONARR, LIDARR);

    /** What an app's imports count: {@code movies}, {@code episodes}, {@code tracks}; null for another app. */
    public static String unitOf(String app) {
        return switch (app) {
            case RADARR -> "movies";
            case SONARR -> "episodes";
            case LIDARR -> "tracks";
            default -> null;
        };
    }

    public ArrImports {
        Objects.requireNonNull(app, "app");
        Objects.requireNonNull(unit, "unit");
        Objects.requireNonNull(since, "since");
        if (today < 0) {
            throw new IllegalArgumentException("today must not be negative");
        }
    }
}
