package dev.mediawatch.aggregator.notify;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Any HTTP endpoint taking a JSON POST, as Shoutrrr's generic service with {@code template=json}:
 * {@code generic://host[:port]/path?...} (HTTPS; {@code disabletls=yes} for HTTP), {@code generic+https://...} or
 * {@code generic+http://...}. The body is {@code {"title": ..., "message": ...}}, the keys renamed by
 * {@code titlekey} and {@code messagekey}, with a field for each {@code $key=value}; {@code @Header=value} adds a
 * header ({@code @acceptLanguage} becomes {@code Accept-Language}); {@code contenttype} and {@code method} (POST or
 * PUT) are Shoutrrr's. Every other query parameter is forwarded to the endpoint, and {@code _name} forwards a
 * parameter named like one of these. {@value Notifier#DELIVERY_HEADER} carries the message key so a receiver can
 * drop a repeat.
 */
final class GenericTarget extends ServiceTarget {

    private static final Set<String> RESERVED = Set.of("contenttype", "disabletls", "template", "title", "titlekey",
            "messagekey", "method");
    private static final Pattern HEADER_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9-]{0,63}");
    /** Headers the JDK's client sets itself and refuses from callers. */
    private static final Set<String> RESTRICTED = Set.of("connection", "content-length", "expect", "host", "upgrade");

    private final HttpClient http;
    private final URI endpoint;
    private final String method;
    private final String contentType;
    private final String titleKey;
    private final String messageKey;
    private final Map<String, String> headers;
    private final Map<String, String> fields;

    private GenericTarget(ServiceUrl url, HttpClient http, URI endpoint, String method, String contentType,
            String titleKey, String messageKey, Map<String, String> headers, Map<String, String> fields) {
        super(url, url.host);
        this.http = http;
        this.endpoint = endpoint;
        this.method = method;
        this.contentType = contentType;
        this.titleKey = titleKey;
        this.messageKey = messageKey;
        this.headers = headers;
        this.fields = fields;
    }

    static GenericTarget of(ServiceUrl url, HttpClient http) {
        if (url.host.isEmpty()) {
            throw url.error("no host (generic://host[:port]/path)");
        }
        String scheme = url.scheme.toLowerCase(Locale.ROOT);
        boolean tls;
        if (scheme.equals("generic")) {
            tls = !url.flag("disabletls", false);
        } else {
            if (url.param("disabletls") != null) {
                throw url.error("disabletls goes with generic://; generic+http:// and generic+https:// name the"
                        + " protocol already");
            }
            tls = scheme.equals("generic+https");
        }
        String template = url.param("template");
        if (template != null && !template.equalsIgnoreCase("json")) {
            throw url.error("mediawatch posts JSON: template must be json or absent");
        }
        if (url.param("title") != null) {
            throw url.error("the title comes from each message: drop the title parameter");
        }
        String method = url.param("method") == null ? "POST" : url.param("method").toUpperCase(Locale.ROOT);
        if (!method.equals("POST") && !method.equals("PUT")) {
            throw url.error("method must be POST or PUT");
        }
        String contentType = url.param("contenttype") == null ? "application/json" : url.param("contenttype");
        String titleKey = nonEmpty(url, "titlekey", "title");
        String messageKey = nonEmpty(url, "messagekey", "message");
        Map<String, String> headers = new LinkedHashMap<>();
        Map<String, String> fields = new LinkedHashMap<>();
        List<String> forwarded = new ArrayList<>();
        for (Map.Entry<String, String> e : url.query) {
            String key = e.getKey();
            if (key.startsWith("@")) {
                String name = headerName(key.substring(1));
                if (!HEADER_NAME.matcher(name).matches() || RESTRICTED.contains(name.toLowerCase(Locale.ROOT))) {
                    throw url.error("a header parameter (@name) names no header the request may carry");
                }
                if (!e.getValue().chars().allMatch(c -> c >= 0x20 && c < 0x7f)) {
                    throw url.error("a header parameter's value is not printable ASCII");
                }
                headers.put(name, e.getValue());
            } else if (key.startsWith("$")) {
                if (key.length() == 1) {
                    throw url.error("a field parameter ($name) has no name");
                }
                fields.put(key.substring(1), e.getValue());
            } else if (key.startsWith("_") && RESERVED.contains(key.substring(1).toLowerCase(Locale.ROOT))) {
                forwarded.add(Texts.form(key.substring(1)) + "=" + Texts.form(e.getValue()));
            } else if (!RESERVED.contains(key.toLowerCase(Locale.ROOT))) {
                forwarded.add(Texts.form(key) + "=" + Texts.form(e.getValue()));
            }
        }
        URI base = Texts.base(tls, url.host, url.port, url.path);
        URI endpoint = forwarded.isEmpty() ? base : URI.create(base + "?" + String.join("&", forwarded));
        return new GenericTarget(url, http, endpoint, method, contentType, titleKey, messageKey, headers, fields);
    }

    private static String nonEmpty(ServiceUrl url, String param, String absent) {
        String v = url.param(param);
        if (v == null) {
            return absent;
        }
        if (v.isBlank()) {
            throw url.error(param + " is empty");
        }
        return v;
    }

    /** Shoutrrr's header names: {@code acceptLanguage} and {@code accept-language} both become Accept-Language. */
    static String headerName(String key) {
        StringBuilder out = new StringBuilder(key.length() + 4);
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            boolean wordStart = i == 0 || key.charAt(i - 1) == '-';
            if (Character.isUpperCase(c) && i > 0 && key.charAt(i - 1) != '-') {
                out.append('-').append(c);
            } else if (wordStart) {
                out.append(Character.toUpperCase(c));
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    @Override
    protected Outcome deliver(Message m, Duration timeout) {
        ObjectNode body = Texts.object();
        fields.forEach(body::put);
        body.put(titleKey, m.title());
        body.put(messageKey, m.textWithLink());
        HttpRequest.Builder b = HttpCalls.request(endpoint, timeout)
                .header("Content-Type", contentType)
                .header(Notifier.DELIVERY_HEADER, Texts.ascii(m.key()));
        headers.forEach(b::setHeader);
        return HttpCalls.send(http, b.method(method, Texts.json(body)).build());
    }
}
