package dev.mediawatch.aggregator.notify;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.mediawatch.contract.ContractJson;

/** Text within a service's limits, header values, JSON bodies and URL pieces, shared by the targets. */
final class Texts {

    static final String ELLIPSIS = "…";

    private Texts() {
    }

    /** At most {@code max} UTF-16 units (what Discord, Telegram and Slack count), ending in … when cut. */
    static String truncate(String text, int max) {
        if (text == null || text.length() <= max) {
            return text;
        }
        int end = max - ELLIPSIS.length();
        if (end > 0 && Character.isHighSurrogate(text.charAt(end - 1))) {
            end--;
        }
        return text.substring(0, Math.max(end, 0)) + ELLIPSIS;
    }

    /** At most {@code maxBytes} bytes of UTF-8 (ntfy counts bytes), ending in … when cut. */
    static String truncateUtf8(String text, int maxBytes) {
        if (text.getBytes(StandardCharsets.UTF_8).length <= maxBytes) {
            return text;
        }
        int budget = maxBytes - ELLIPSIS.getBytes(StandardCharsets.UTF_8).length;
        int bytes = 0;
        int i = 0;
        while (i < text.length()) {
            int cp = text.codePointAt(i);
            int n = cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
            if (bytes + n > budget) {
                break;
            }
            bytes += n;
            i += Character.charCount(cp);
        }
        return text.substring(0, i) + ELLIPSIS;
    }

    /**
     * An HTTP header value: one line of printable ASCII as is, anything else as an RFC 2047 encoded word
     * ({@code =?UTF-8?B?...?=}), which ntfy documents for UTF-8 titles.
     */
    static String header(String value) {
        String line = value.replace('\r', ' ').replace('\n', ' ');
        boolean ascii = line.chars().allMatch(c -> c >= 0x20 && c < 0x7f);
        if (ascii) {
            return line;
        }
        return "=?UTF-8?B?" + Base64.getEncoder().encodeToString(line.getBytes(StandardCharsets.UTF_8)) + "?=";
    }

    /** A header value that must be ASCII already (a key or a token), else '?' for each other character. */
    static String ascii(String value) {
        StringBuilder out = new StringBuilder(value.length());
        value.chars().forEach(c -> out.append(c >= 0x20 && c < 0x7f ? (char) c : '?'));
        return out.toString();
    }

    static ObjectNode object() {
        return ContractJson.mapper().createObjectNode();
    }

    static HttpRequest.BodyPublisher json(JsonNode body) {
        try {
            return HttpRequest.BodyPublishers.ofByteArray(ContractJson.mapper().writeValueAsBytes(body));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode a JSON tree", e);
        }
    }

    /** The JSON of a service's answer, or null when it is none. */
    static JsonNode read(String body) {
        if (body == null || body.isBlank()) {
            return null;
        }
        try {
            return ContractJson.mapper().readTree(body);
        } catch (JsonProcessingException e) {
            return null;
        }
    }

    /** One path segment, percent-encoded (a space is %20, never +). */
    static String segment(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** One query or form component, percent-encoded. */
    static String form(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    /** {@code base} with {@code path} appended (base's own path kept, one slash between). */
    static URI resolve(URI base, String path) {
        String b = base.toString();
        if (b.endsWith("/")) {
            b = b.substring(0, b.length() - 1);
        }
        return URI.create(b + (path.startsWith("/") ? path : "/" + path));
    }

    /** {@code http} or {@code https} base URI for a host, port and optional path segments (decoded). */
    static URI base(boolean tls, String host, int port, Iterable<String> pathSegments) {
        StringBuilder b = new StringBuilder(tls ? "https://" : "http://").append(host);
        if (port >= 0) {
            b.append(':').append(port);
        }
        for (String s : pathSegments) {
            b.append('/').append(segment(s));
        }
        return URI.create(b.toString());
    }
}
