package dev.mediawatch.agent.probes;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

import org.jboss.logging.Logger;

/**
 * API keys for probes that need one, never from the catalogue: {@code MEDIAWATCH_PROBE_<SERVICE>_API_KEY}
 * (e.g. injected by {@code infisical run}), or a file named by {@code MEDIAWATCH_PROBE_<SERVICE>_API_KEY_FILE}
 * (systemd credentials, Docker secrets). The service name is upper-cased with {@code -} as {@code _}.
 * A key is never logged; a file that cannot be read is named in the log, its content never.
 */
final class ProbeKeys implements Function<String, Optional<String>> {

    private static final Logger LOG = Logger.getLogger(ProbeKeys.class);

    private final Map<String, String> env;

    ProbeKeys(Map<String, String> env) {
        this.env = env;
    }

    static String variable(String service) {
        return "MEDIAWATCH_PROBE_" + service.toUpperCase(Locale.ROOT).replace('-', '_') + "_API_KEY";
    }

    @Override
    public Optional<String> apply(String service) {
        String name = variable(service);
        String value = env.get(name);
        if (value != null && !value.isBlank()) {
            return Optional.of(value.strip());
        }
        String file = env.get(name + "_FILE");
        if (file != null && !file.isBlank()) {
            try {
                return Optional.of(Files.readString(Path.of(file), StandardCharsets.UTF_8).strip());
            } catch (IOException e) {
                LOG.warnf("cannot read %s_FILE (%s): %s; probing %s without a key", name, file,
                        e.getClass().getSimpleName(), service);
            }
        }
        return Optional.empty();
    }
}
