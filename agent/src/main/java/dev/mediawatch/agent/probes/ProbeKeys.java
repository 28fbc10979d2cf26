package dev.mediawatch.agent.probes;

import java.util.Collection;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

import dev.mediawatch.secrets.Secrets;

/**
 * API keys for probes that need one, never from the catalogue: {@code MEDIAWATCH_PROBE_<SERVICE>_API_KEY}
 * (e.g. injected by {@code infisical run}), or a file named by {@code MEDIAWATCH_PROBE_<SERVICE>_API_KEY_FILE}
 * (systemd credentials, Docker secrets), read by {@link Secrets#fromEnvironment} like every secret of the agent.
 * The service name is upper-cased with {@code -} as {@code _}. A key is never logged; an error names the variable
 * and the file, never the content.
 */
final class ProbeKeys {

    private ProbeKeys() {
    }

    static String variable(String service) {
        return "MEDIAWATCH_PROBE_" + service.toUpperCase(Locale.ROOT).replace('-', '_') + "_API_KEY";
    }

    /**
     * The key of each of {@code services} that has one, read once (at start).
     *
     * @param lookup a variable's value by name, null when unset
     * @throws IllegalArgumentException when a key and its file are both set, or the file cannot be used, naming the
     *                                  variable and the file
     */
    static Map<String, String> resolve(Function<String, String> lookup, Collection<String> services) {
        Map<String, String> keys = new HashMap<>();
        for (String service : services) {
            Secrets.fromEnvironment(lookup, variable(service)).ifPresent(key -> keys.put(service, key));
        }
        return Map.copyOf(keys);
    }
}
