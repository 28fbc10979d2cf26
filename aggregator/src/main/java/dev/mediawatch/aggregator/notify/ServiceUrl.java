package dev.mediawatch.aggregator.notify;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The parts of one service URL every target reads: scheme, credentials from the user-info part, host, port, path
 * segments and query parameters, all percent-decoded, and the {@link Target.Filter} from the fragment.
 *
 * <p>Credentials, path and query stay inside this object: {@link #error} names the URL's position and scheme
 * only, and {@link #toString()} shows neither.
 */
final class ServiceUrl {

    private static final Pattern SCHEME = Pattern.compile("^([A-Za-z][A-Za-z0-9+.-]{0,31})://");
    /** A query key may be named in an error: it is configuration, never a secret, when it looks like a name. */
    private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_.-]{0,31}");
    private static final Pattern KIND = Pattern.compile("[a-z0-9][a-z0-9_.-]{0,63}");

    final int position;
    /** The whole URL, validated; for a target that reads it itself. */
    final URI uri;
    /** As written, for {@link Target#scheme()}. */
    final String scheme;
    /** The user part of the user-info, decoded; null without user-info. */
    final String user;
    /** The password part of the user-info, decoded; null when the user-info has no {@code :}. */
    final String password;
    /** As written (IPv6 in brackets); empty when the URL has none. */
    final String host;
    /** -1 when absent. */
    final int port;
    /** Decoded, without empty segments. */
    final List<String> path;
    /** Decoded key and value pairs in their order; a key without {@code =} has an empty value. */
    final List<Map.Entry<String, String>> query;
    final Target.Filter filter;

    private ServiceUrl(int position, URI uri, String scheme, String user, String password, String host, int port,
            List<String> path, List<Map.Entry<String, String>> query, Target.Filter filter) {
        this.position = position;
        this.uri = uri;
        this.scheme = scheme;
        this.user = user;
        this.password = password;
        this.host = host;
        this.port = port;
        this.path = List.copyOf(path);
        this.query = List.copyOf(query);
        this.filter = filter;
    }

    /** Splits {@code url}; a URL whose scheme cannot be read is "not a URL", never echoed. */
    static ServiceUrl parse(int position, String url) {
        if (url == null || url.isBlank()) {
            throw new IllegalArgumentException("notification URL #" + position + ": not a URL (empty)");
        }
        String s = url.strip();
        Matcher m = SCHEME.matcher(s);
        if (!m.find()) {
            throw new IllegalArgumentException("notification URL #" + position
                    + ": not a URL (it does not start with a scheme and ://)");
        }
        String scheme = m.group(1);
        URI uri;
        try {
            uri = new URI(s);
        } catch (URISyntaxException e) {
            String hint = e.getReason().startsWith("Illegal character") ? "; percent-encode it" : "";
            throw error(position, scheme, "malformed URL (" + e.getReason() + " at character " + (e.getIndex() + 1)
                    + hint + ")");
        }
        String authority = uri.getRawAuthority() == null ? "" : uri.getRawAuthority();
        String user = null;
        String password = null;
        int at = authority.lastIndexOf('@');
        if (at >= 0) {
            String info = authority.substring(0, at);
            authority = authority.substring(at + 1);
            int colon = info.indexOf(':');
            user = decode(position, scheme, colon < 0 ? info : info.substring(0, colon), false);
            password = colon < 0 ? null : decode(position, scheme, info.substring(colon + 1), false);
        }
        String host = authority;
        int port = -1;
        int colon = authority.lastIndexOf(':');
        if (colon >= 0 && colon > authority.lastIndexOf(']')) {
            host = authority.substring(0, colon);
            String p = authority.substring(colon + 1);
            if (!p.isEmpty()) {
                if (!p.matches("\\d{1,5}") || Integer.parseInt(p) > 65535) {
                    throw error(position, scheme, "the port is not a number from 0 to 65535");
                }
                port = Integer.parseInt(p);
            }
        }
        host = decode(position, scheme, host, false);
        List<String> path = new ArrayList<>();
        if (uri.getRawPath() != null) {
            for (String segment : uri.getRawPath().split("/")) {
                if (!segment.isEmpty()) {
                    path.add(decode(position, scheme, segment, false));
                }
            }
        }
        List<Map.Entry<String, String>> query = new ArrayList<>();
        if (uri.getRawQuery() != null) {
            for (String pair : uri.getRawQuery().split("&")) {
                if (pair.isEmpty()) {
                    continue;
                }
                int eq = pair.indexOf('=');
                String key = decode(position, scheme, eq < 0 ? pair : pair.substring(0, eq), true);
                String value = eq < 0 ? "" : decode(position, scheme, pair.substring(eq + 1), true);
                query.add(Map.entry(key, value));
            }
        }
        Target.Filter filter = filter(position, scheme, uri.getRawFragment());
        return new ServiceUrl(position, uri, scheme, user, password, host, port, path, query, filter);
    }

    /** {@code #severity=critical&kinds=host,service}: mediawatch's own options, never sent anywhere. */
    private static Target.Filter filter(int position, String scheme, String fragment) {
        if (fragment == null || fragment.isEmpty()) {
            return Target.Filter.ALL;
        }
        Message.Severity severity = Message.Severity.WARNING;
        Set<String> kinds = new LinkedHashSet<>();
        for (String pair : fragment.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String key = decode(position, scheme, eq < 0 ? pair : pair.substring(0, eq), true).toLowerCase(Locale.ROOT);
            String value = eq < 0 ? "" : decode(position, scheme, pair.substring(eq + 1), true).strip();
            if (key.equals("severity")) {
                if (value.equalsIgnoreCase("critical")) {
                    severity = Message.Severity.CRITICAL;
                } else if (value.equalsIgnoreCase("warning")) {
                    severity = Message.Severity.WARNING;
                } else {
                    throw error(position, scheme, "the fragment's severity must be critical or warning");
                }
            } else if (key.equals("kinds")) {
                for (String kind : value.split(",")) {
                    String k = kind.strip().toLowerCase(Locale.ROOT);
                    if (k.isEmpty()) {
                        continue;
                    }
                    if (!KIND.matcher(k).matches()) {
                        throw error(position, scheme, "the fragment's kinds must be alert kinds such as host,service");
                    }
                    kinds.add(k);
                }
            } else {
                throw error(position, scheme, "the fragment takes severity and kinds only"
                        + (NAME.matcher(key).matches() ? ", not '" + key + "'" : "")
                        + " (a # inside the URL starts the fragment: write it as %23)");
            }
        }
        return new Target.Filter(severity, kinds);
    }

    /** Percent-decoding; {@code form} also reads {@code +} as a space, as query strings do. */
    private static String decode(int position, String scheme, String raw, boolean form) {
        if (raw.indexOf('%') < 0 && !(form && raw.indexOf('+') >= 0)) {
            return raw;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(raw.length());
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c == '%') {
                int hi = i + 2 < raw.length() ? Character.digit(raw.charAt(i + 1), 16) : -1;
                int lo = hi < 0 ? -1 : Character.digit(raw.charAt(i + 2), 16);
                if (lo < 0) {
                    throw error(position, scheme, "malformed URL (a % is not followed by two hex digits)");
                }
                out.write(hi * 16 + lo);
                i += 2;
            } else if (form && c == '+') {
                out.write(' ');
            } else {
                int cp = raw.codePointAt(i);
                byte[] b = new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8);
                out.write(b, 0, b.length);
                i += Character.charCount(cp) - 1;
            }
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    static IllegalArgumentException error(int position, String scheme, String problem) {
        return new IllegalArgumentException("notification URL #" + position + " (" + scheme + "): " + problem);
    }

    /** An error about this URL: its position and scheme, then the problem (which must name no secret). */
    IllegalArgumentException error(String problem) {
        return error(position, scheme, problem);
    }

    /** The first value of a query parameter, its name matched case-insensitively; null when absent. */
    String param(String... names) {
        for (Map.Entry<String, String> e : query) {
            for (String name : names) {
                if (e.getKey().equalsIgnoreCase(name)) {
                    return e.getValue();
                }
            }
        }
        return null;
    }

    /** A yes/no parameter ({@code yes}, {@code true}, {@code 1} or {@code no}, {@code false}, {@code 0}). */
    boolean flag(String name, boolean absent) {
        String v = param(name);
        if (v == null) {
            return absent;
        }
        switch (v.strip().toLowerCase(Locale.ROOT)) {
            case "yes":
            case "true":
            case "1":
            case "":
                return true;
            case "no":
            case "false":
            case "0":
                return false;
            default:
                throw error("the query parameter " + name + " must be yes or no");
        }
    }

    /** Refuses query parameters the service does not take (a typo would otherwise be silently ignored). */
    ServiceUrl allowOnly(String... names) {
        for (Map.Entry<String, String> e : query) {
            boolean known = false;
            for (String name : names) {
                known |= e.getKey().equalsIgnoreCase(name);
            }
            if (!known) {
                throw unknownParam(e.getKey(), names);
            }
        }
        return this;
    }

    IllegalArgumentException unknownParam(String key, String... known) {
        String which = NAME.matcher(key).matches() ? "'" + key + "'" : "a parameter";
        return error("the query has " + which + " this service does not take"
                + (known.length == 0 ? " (it takes none)" : " (it takes " + String.join(", ", known) + ")"));
    }

    /** A comma-separated parameter's non-empty items. */
    List<String> list(String... names) {
        String v = param(names);
        List<String> items = new ArrayList<>();
        if (v != null) {
            for (String item : v.split(",")) {
                if (!item.isBlank()) {
                    items.add(item.strip());
                }
            }
        }
        return items;
    }

    @Override
    public String toString() {
        return "ServiceUrl[#" + position + " " + scheme + "]";
    }
}
