package dev.mediawatch.agent.activity;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

import org.jboss.logging.Logger;

/**
 * The activity sources' secrets, never from configuration files or the catalogue: each is an environment
 * variable (e.g. injected by {@code infisical run}) or a file named by the same variable with {@code _FILE}
 * appended (systemd credentials, Docker secrets), like the probes' keys. The agent looks them up through its
 * configuration, whose sources include the environment, so a test can hand them in without one. A secret is never logged; a file
 * that cannot be read is named in the log, its content never.
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

    private static final Logger LOG = Logger.getLogger(ActivityKeys.class);

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

    /** The process environment. */
    public static ActivityKeys fromEnvironment() {
        return new ActivityKeys(System::getenv);
    }

    /** The secret in {@code variable}, else in the file {@code variable_FILE} names; empty when neither. */
    public Optional<String> get(String variable) {
        String value = env.apply(variable);
        if (value != null && !value.isBlank()) {
            return Optional.of(value.strip());
        }
        String file = env.apply(variable + "_FILE");
        if (file != null && !file.isBlank()) {
            try {
                String content = Files.readString(Path.of(file.strip()), StandardCharsets.UTF_8).strip();
                if (!content.isEmpty()) {
                    return Optional.of(content);
                }
                LOG.warnf("%s_FILE (%s) is empty; going on without it", variable, file.strip());
            } catch (IOException | RuntimeException e) {
                LOG.warnf("cannot read %s_FILE (%s): %s; going on without it", variable, file.strip(),
                        e.getClass().getSimpleName());
            }
        }
        return Optional.empty();
    }
}
