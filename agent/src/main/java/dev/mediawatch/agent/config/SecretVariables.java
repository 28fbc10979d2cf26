package dev.mediawatch.agent.config;

import java.util.function.Function;

import org.eclipse.microprofile.config.Config;

/**
 * Where the agent looks up its secret variables (the activity sources' and the probes' keys, each with its
 * {@code _FILE} twin): its configuration, whose sources include the environment, so a test can hand them in
 * without one. They are read once, at startup, by observers of {@link #READ_AT_START} priority.
 */
public final class SecretVariables {

    /**
     * The startup observer priority at which secrets are read: before the observers of default priority (2500)
     * start threads, so a secret that cannot be used stops startup with nothing of the agent running yet.
     */
    public static final int READ_AT_START = 1000;

    private SecretVariables() {
    }

    /** A variable's value by name, null when unset. */
    public static Function<String, String> lookup(Config config) {
        return name -> config.getOptionalValue(name, String.class).orElse(null);
    }
}
