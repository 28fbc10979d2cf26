package dev.mediawatch.agent.activity;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

import dev.mediawatch.secrets.Secrets;

/**
 * The activity sources' secrets, never from configuration files or the catalogue: each is an environment
 * variable (e.g. injected by {@code infisical run}) or a file named by the same variable with {@code _FILE}
 * appended (systemd credentials, Docker secrets), read by {@link Secrets#fromEnvironment} like every secret of the
 * agent and looked up as {@link dev.mediawatch.agent.config.SecretVariables} says. A secret is never logged; an
 * error names the variable and the file, never the content.
 */
public final class ActivityKeys {

    public static final String JELLYFIN_API_KEY = "MEDIAWATCH_JELLYFIN_API_KEY";
    public static final String NAVIDROME_USER = "MEDIAWATCH_NAVIDROME_USER";
    public static final String NAVIDROME_PASSWORD = "MEDIAWATCH_NAVIDROME_PASSWORD";
    public static final String SABNZBD_API_KEY = "MEDIAWATCH_SABNZBD_API_KEY";
    public static final String QBITTORRENT_USER = "MEDIAWATCH_QBITTORRENT_USER";
    public static final String QBITTORRENT_PASSWORD = "MEDIAWATCH_QBITTORRENT_PASSWORD";
    public static final String RADARR_API_KEY = "MEDIAWATCH_RADARR_API_KEY";
    public static final String SONARR_API_KEY = "MEDIAWATCH_SONARR_API_KEY";
    public static final String LIDARR_API_KEY = "MEDIAWATCH_LIDARR_API_KEY";

    /** Name to value, null when unset: the environment, or the agent's configuration (which includes it). */
    private final Function<String, String> env;

    public ActivityKeys(Function<String, String> lookup) {
        this.env = Objects.requireNonNull(lookup, "lookup");
    }

    /** From a fixed map (tests). */
    public static ActivityKeys of(Map<String, String> values) {
        Map<String, String> copy = Map.copyOf(values);
        return new ActivityKeys(copy::get);
    }

    /**
     * The secret in {@code variable}, else in the file {@code variable_FILE} names; empty when neither.
     *
     * @throws IllegalArgumentException when both are set or the file cannot be used (unreadable, empty, too large,
     *                                  more than one line, not UTF-8), naming the variable and the file
     */
    public Optional<String> get(String variable) {
        return Secrets.fromEnvironment(env, variable);
    }
}
