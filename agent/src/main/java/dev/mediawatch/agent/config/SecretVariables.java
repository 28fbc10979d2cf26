package dev.mediawatch.agent.config;

import java.util.function.Function;

import org.eclipse.microprofile.config.Config;

import io.smallrye.config.Expressions;

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

    /**
     * A variable's value by name, null when unset. The value is taken as it is: {@code ${...}} in a password is part
     * of it, not a configuration expression (expanding it would change the secret, or fail with a message quoting
     * part of it).
     */
    public static Function<String, String> lookup(Config config) {
        return name -> Expressions.withoutExpansion(() -> config.getOptionalValue(name, String.class).orElse(null));
    }
}
