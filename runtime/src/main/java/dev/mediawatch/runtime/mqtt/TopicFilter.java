package dev.mediawatch.runtime.mqtt;

import java.util.Objects;

/**
 * An MQTT 3.1.1 topic filter and the test of a topic name against it (section 4.7): levels split on {@code /},
 * {@code +} matches exactly one level, {@code #} (last level only) matches the parent level and any number of
 * levels below it. Topics starting with {@code $} are never matched by a filter starting with a wildcard (4.7.2).
 */
public final class TopicFilter {

    private final String filter;
    private final String[] levels;

    private TopicFilter(String filter) {
        this.filter = filter;
        this.levels = filter.split("/", -1);
    }

    /** @throws IllegalArgumentException for a filter that breaks the wildcard rules of 4.7.1 */
    public static TopicFilter of(String filter) {
        Objects.requireNonNull(filter, "filter");
        if (filter.isEmpty()) {
            throw new IllegalArgumentException("an MQTT topic filter is at least one character long");
        }
        String[] levels = filter.split("/", -1);
        for (int i = 0; i < levels.length; i++) {
            String level = levels[i];
            if (level.contains("#") && (!level.equals("#") || i != levels.length - 1)) {
                throw new IllegalArgumentException("'#' must be a whole level and the last one: " + filter);
            }
            if (level.contains("+") && !level.equals("+")) {
                throw new IllegalArgumentException("'+' must be a whole level: " + filter);
            }
        }
        return new TopicFilter(filter);
    }

    public String filter() {
        return filter;
    }

    public boolean matches(String topic) {
        if (topic == null || topic.isEmpty()) {
            return false;
        }
        if (topic.charAt(0) == '$' && (levels[0].equals("+") || levels[0].equals("#"))) {
            return false;
        }
        int start = 0;
        for (int i = 0; i < levels.length; i++) {
            String level = levels[i];
            if (level.equals("#")) {
                return true; // also matches the parent level itself ("a/#" matches "a")
            }
            if (start > topic.length()) {
                return false; // the topic has fewer levels than the filter
            }
            int end = topic.indexOf('/', start);
            if (end < 0) {
                end = topic.length();
            }
            if (!level.equals("+") && !topic.regionMatches(start, level, 0, level.length())
                    || !level.equals("+") && end - start != level.length()) {
                return false;
            }
            start = end + 1;
        }
        return start > topic.length(); // every level of the topic was consumed
    }

    @Override
    public String toString() {
        return filter;
    }
}
