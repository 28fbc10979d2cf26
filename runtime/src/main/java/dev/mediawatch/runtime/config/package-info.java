/**
 * Converters that check one configuration value where the configuration mapping declares it
 * ({@code @WithConverter}): a bad value stops startup before any bean is built. SmallRye Config reports each
 * failure with the property's name and the value as written ({@code SRCFG00039: The config property <key> with
 * the config value "<value>" threw an Exception whilst being converted <problem>}), so every message here says the
 * problem and what to use instead; all problems of a mapping are reported together.
 *
 * <p>Every converter takes a blank value as not set (returns null), as SmallRye's own converters do: an optional
 * key is then absent, a required one is reported as empty. They are plain classes with a public no-arg
 * constructor; Quarkus registers every {@code @WithConverter} class of a mapping for reflection in a native
 * executable.
 *
 * <p>What relates several values (an interval and the timeout of what it runs) is checked by each app's config check
 * through {@link dev.mediawatch.runtime.config.ConfigProblems}, first among the startup observers.
 *
 * <p>A value that may carry a credential (a URL with a user or a query, an engine address) is not checked by a
 * converter: SmallRye's message repeats the value, so such keys are checked where they are used, by code that
 * names the key and never the value.
 */
package dev.mediawatch.runtime.config;
