package dev.mediawatch.agent.compose;

import java.util.List;
import java.util.Locale;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Finds the secret-looking keys a compose {@code .env} file sets to a value. Only key names ever leave this
 * class: values are looked at (empty? a reference?) and dropped, never stored, logged or put in an exception.
 *
 * <p>The format is Compose's: one {@code KEY=VALUE} a line; blank lines and {@code #} comments skipped; an
 * optional leading {@code export }; a value may be quoted ({@code '...'} or {@code "..."}, a double-quoted one
 * may span lines); an unquoted value ends at {@code  #} (an inline comment).
 *
 * <p>A key looks secret when, upper-cased, it ends with {@code _API_KEY}, {@code _PASSWORD}, {@code _SECRET} or
 * {@code _TOKEN}, or is exactly one of {@code API_KEY}, {@code PASSWORD}, {@code SECRET}, {@code TOKEN}. It
 * counts when its value is not empty once whitespace and one pair of surrounding quotes are taken off, and is
 * not just a reference to another variable ({@code ${OTHER}} or {@code $OTHER}): that names a secret kept
 * elsewhere. A reference with a default ({@code ${OTHER:-literal}}) does count: the default is plaintext.
 */
public final class EnvFileParser {

    /** Keys reported per file at most. */
    public static final int MAX_KEYS = 200;

    private static final Pattern KEY = Pattern.compile("[A-Za-z_][A-Za-z0-9_.\\-]*");
    private static final Pattern REFERENCE = Pattern.compile("\\$\\{[A-Za-z_][A-Za-z0-9_]*}|\\$[A-Za-z_][A-Za-z0-9_]*");
    private static final List<String> SUFFIXES = List.of("_API_KEY", "_PASSWORD", "_SECRET", "_TOKEN");
    private static final List<String> EXACT = List.of("API_KEY", "PASSWORD", "SECRET", "TOKEN");

    /**
     * @param keys      the secret-looking keys set to a value, sorted, distinct, at most {@link #MAX_KEYS}
     * @param truncated more than {@link #MAX_KEYS} were found
     */
    public record Result(List<String> keys, boolean truncated) {
    }

    private EnvFileParser() {
    }

    public static boolean secretLooking(String key) {
        String upper = key.toUpperCase(Locale.ROOT);
        return EXACT.contains(upper) || SUFFIXES.stream().anyMatch(upper::endsWith);
    }

    public static Result parse(String text) {
        TreeSet<String> keys = new TreeSet<>();
        boolean truncated = false;
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            if (line.startsWith("export") && line.length() > 6 && Character.isWhitespace(line.charAt(6))) {
                line = line.substring(7).stripLeading();
            }
            int eq = line.indexOf('=');
            if (eq <= 0) {
                continue;
            }
            String key = line.substring(0, eq).strip();
            String rest = line.substring(eq + 1);
            String raw = rest.strip();
            String value;
            if (raw.startsWith("\"") || raw.startsWith("'")) {
                char quote = raw.charAt(0);
                int close = closingQuote(raw, 1, quote);
                if (close >= 0) {
                    value = raw.substring(1, close);
                } else if (quote == '"') {
                    // A double-quoted value spanning lines: its other lines are part of it, not keys.
                    StringBuilder spanning = new StringBuilder(raw.substring(1));
                    while (close < 0 && i + 1 < lines.length) {
                        i++;
                        close = closingQuote(lines[i], 0, quote);
                        spanning.append('\n').append(close >= 0 ? lines[i].substring(0, close) : lines[i]);
                    }
                    value = spanning.toString();
                } else {
                    value = raw.substring(1);
                }
            } else {
                value = withoutComment(rest);
            }
            if (!KEY.matcher(key).matches() || !secretLooking(key)) {
                continue;
            }
            value = value.strip();
            if (value.isEmpty() || REFERENCE.matcher(value).matches()) {
                continue;
            }
            if (keys.size() >= MAX_KEYS && !keys.contains(key)) {
                truncated = true;
                continue;
            }
            keys.add(key);
        }
        return new Result(List.copyOf(keys), truncated);
    }

    /** The index of the closing quote from {@code from}; a backslash escapes one in double quotes. -1 when none. */
    private static int closingQuote(String s, int from, char quote) {
        for (int i = from; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && quote == '"') {
                i++;
            } else if (c == quote) {
                return i;
            }
        }
        return -1;
    }

    /** An unquoted value up to an inline comment ({@code #} after whitespace: {@code KEY=#x} is the value {@code #x}). */
    private static String withoutComment(String raw) {
        for (int i = 1; i < raw.length(); i++) {
            if (raw.charAt(i) == '#' && Character.isWhitespace(raw.charAt(i - 1))) {
                return raw.substring(0, i);
            }
        }
        return raw;
    }
}
