package dev.mediawatch.agent.host;

/** Told of malformed lines a parser skipped, by file kind (e.g. {@code mountstats}): counted and logged at a bounded rate. */
@FunctionalInterface
public interface Skipped {

    void lines(String file, int count);

    Skipped IGNORE = (file, count) -> {
    };
}
