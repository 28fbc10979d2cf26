package dev.mediawatch.agent.activity;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.mediawatch.contract.DownloadQueue;
import dev.mediawatch.contract.SourceState;

/**
 * SABnzbd's API ({@code GET <base>/api?mode=...&output=json&apikey=K}): the queue for the activity snapshot,
 * and the speed limit the throttle reads and sets. The key travels in the query string, so no URI of this
 * class is ever logged or put in a problem ({@link ApiHttp} names scheme, host, port and path only).
 *
 * <p>What the API answers (SABnzbd 4.x {@code sabnzbd/api.py}, recorded in
 * {@code src/test/resources/fixtures/sabnzbd/README.md}): numbers as strings ({@code kbpersec} in KiB/s,
 * {@code mbleft} in MiB, {@code speedlimit_abs} in bytes/s: {@code "0"} or {@code ""} for none); a wrong or
 * missing key is HTTP 200 with the plain text {@code API Key Incorrect} / {@code API Key Required} (older
 * releases) or JSON {@code {"status":false,"error":...}}, or HTTP 403 (newer ones). Without a key the source is
 * {@code not-configured} and nothing is sent.
 *
 * <p>Blocking calls, each bounded by the timeout: run on the activity thread only.
 */
public final class SabnzbdClient {

    public static final String NAME = "sabnzbd";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final String base;
    private final Optional<String> apiKey;
    private final ApiHttp http;

    /** @param httpClient the agent's shared client */
    public SabnzbdClient(HttpClient httpClient, URI base, Optional<String> apiKey, Duration timeout) {
        Objects.requireNonNull(base, "base");
        String b = base.toString();
        this.base = b.endsWith("/") ? b.substring(0, b.length() - 1) : b;
        this.apiKey = Objects.requireNonNull(apiKey, "apiKey").filter(k -> !k.isBlank());
        this.http = new ApiHttp(NAME, httpClient, timeout);
    }

    /** The queue: status, speed, what is left, jobs, the limit in force. */
    public Poll<DownloadQueue> queue() {
        try {
            // limit=1: the header holds the totals; the job list itself is not needed and can be long.
            JsonNode queue = call("mode=queue&start=0&limit=1").path("queue");
            if (!queue.isObject()) {
                throw http.fail(SourceState.ERROR, "no queue in the answer from " + ApiHttp.where(uri("mode=queue")));
            }
            String status = queue.path("status").asText("unknown").toLowerCase(Locale.ROOT);
            boolean paused = queue.path("paused").asBoolean(false);
            long speed = Math.round(number(queue, "kbpersec") * 1024);
            long remaining = Math.round(number(queue, "mbleft") * 1024 * 1024);
            int items = queue.has("noofslots_total") ? queue.path("noofslots_total").asInt(0)
                    : queue.has("noofslots") ? queue.path("noofslots").asInt(0) : queue.path("slots").size();
            return Poll.ok(NAME, new DownloadQueue(status, paused, Math.max(0, speed), Math.max(0, remaining),
                    Math.max(0, items), limitOf(queue)));
        } catch (ApiHttp.Failure f) {
            return Poll.failed(f.source());
        }
    }

    /** The speed limit in force, bytes per second; {@code 0} for none. */
    public long speedLimit() throws ApiHttp.Failure {
        JsonNode queue = call("mode=queue&start=0&limit=1").path("queue");
        if (!queue.isObject()) {
            throw http.fail(SourceState.ERROR, "no queue in the answer from " + ApiHttp.where(uri("mode=queue")));
        }
        return limitOf(queue);
    }

    /**
     * Sets the speed limit, bytes per second, {@code 0} for none. Sent as whole KiB ({@code value=<N>K}, rounded
     * up): SABnzbd reads a bare number from 1 to 100 as a percentage of its configured line speed, a value
     * with a unit never; {@code value=0} is "no limit" by design.
     */
    public void setSpeedLimit(long bytesPerSec) throws ApiHttp.Failure {
        if (bytesPerSec < 0) {
            throw new IllegalArgumentException("a speed limit is >= 0 (0 is none)");
        }
        String value = bytesPerSec == 0 ? "0" : Math.max(1, (bytesPerSec + 1023) / 1024) + "K";
        JsonNode answer = call("mode=config&name=speedlimit&value=" + value);
        if (!answer.path("status").asBoolean(false)) {
            throw http.fail(SourceState.ERROR, "speed limit not set: "
                    + answer.path("error").asText("no status in the answer"));
        }
    }

    /** {@code speedlimit_abs} is the limit in bytes/s; SABnzbd writes "0" (4.x) or "" (older) for none. */
    private static long limitOf(JsonNode queue) {
        return Math.max(0, Math.round(number(queue, "speedlimit_abs")));
    }

    private static double number(JsonNode node, String field) {
        JsonNode v = node.path(field);
        if (v.isNumber()) {
            return v.asDouble();
        }
        String text = v.asText("").strip();
        if (text.isEmpty()) {
            return 0;
        }
        try {
            double d = Double.parseDouble(text);
            return Double.isFinite(d) ? d : 0;
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private URI uri(String query) {
        return URI.create(base + "/api?" + query + "&output=json&apikey="
                + URLEncoder.encode(apiKey.orElse(""), StandardCharsets.UTF_8));
    }

    private JsonNode call(String query) throws ApiHttp.Failure {
        if (apiKey.isEmpty()) {
            throw http.fail(SourceState.NOT_CONFIGURED, "no API key (" + ActivityKeys.SABNZBD_API_KEY + ")");
        }
        URI uri = uri(query);
        String body = http.send(http.request(uri).GET().header("Accept", "application/json").build()).strip();
        if (body.startsWith("API Key") || body.startsWith("error: API Key")) {
            throw http.fail(SourceState.UNAUTHORIZED, "key refused by " + ApiHttp.where(uri) + ": check the key");
        }
        JsonNode node;
        try {
            node = JSON.readTree(body);
        } catch (java.io.IOException e) {
            throw http.fail(SourceState.ERROR, "not JSON from " + ApiHttp.where(uri));
        }
        if (node == null || !node.isObject()) {
            throw http.fail(SourceState.ERROR, "not a JSON object from " + ApiHttp.where(uri));
        }
        JsonNode error = node.get("error");
        if (error != null && !error.isNull() && !error.asText("").isEmpty()) {
            String e = error.asText();
            if (e.toLowerCase(Locale.ROOT).contains("api key")) {
                throw http.fail(SourceState.UNAUTHORIZED, "key refused by " + ApiHttp.where(uri) + ": check the key");
            }
            // SABnzbd's own messages ("Configuration locked", "expects one parameter") hold no secret.
            throw http.fail(SourceState.ERROR, ApiHttp.where(uri) + " answered: " + e);
        }
        return node;
    }
}
