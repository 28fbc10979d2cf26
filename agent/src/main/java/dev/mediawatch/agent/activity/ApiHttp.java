package dev.mediawatch.agent.activity;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Objects;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.mediawatch.contract.ActivitySource;
import dev.mediawatch.contract.SourceState;
import dev.mediawatch.contract.Text;

/**
 * The HTTP side of every activity client (Jellyfin, Navidrome, SABnzbd, qBittorrent, Radarr, Sonarr, Lidarr): the
 * agent's one JDK client ({@code AgentHttp}: no cookie jar, no redirects), a timeout on every call (connect and the
 * whole response), a bounded body, and failures turned into an {@link ActivitySource} state whose problem text never
 * holds the URL's query (where SABnzbd and Navidrome carry their keys) or any header. Calls block: run them on the
 * activity thread, never on the scheduler or an event loop.
 */
public final class ApiHttp {

    /** Bodies larger than this are refused (a Jellyfin /Sessions with many clients is tens of KiB). */
    static final int MAX_BODY_BYTES = 2 * 1024 * 1024;

    private static final ObjectMapper JSON = new ObjectMapper();

    /** A call that did not give a usable answer, already judged. */
    public static final class Failure extends Exception {
        private final ActivitySource source;

        Failure(ActivitySource source) {
            super(source.problem(), null, false, false);
            this.source = source;
        }

        public ActivitySource source() {
            return source;
        }
    }

    /** A 2xx answer: its body and headers. */
    public record Answer(String body, HttpHeaders headers) {
    }

    private final String name;
    private final HttpClient client;
    private final Duration timeout;

    /**
     * @param name    the source, named in every failure
     * @param client  the agent's shared client
     * @param timeout bounds each call, connect included
     */
    public ApiHttp(String name, HttpClient client, Duration timeout) {
        this.name = Objects.requireNonNull(name, "name");
        this.client = Objects.requireNonNull(client, "client");
        this.timeout = Objects.requireNonNull(timeout, "timeout");
    }

    public String name() {
        return name;
    }

    /** A request builder with this source's timeout. */
    public HttpRequest.Builder request(URI uri) {
        return HttpRequest.newBuilder(uri).timeout(timeout);
    }

    /** Sends and returns the body of a 2xx answer; anything else is a {@link Failure} naming what went wrong. */
    public String send(HttpRequest request) throws Failure {
        return exchange(request).body();
    }

    /** Sends and returns a 2xx answer with its headers; anything else is a {@link Failure}, as {@link #send}. */
    public Answer exchange(HttpRequest request) throws Failure {
        HttpResponse<byte[]> response;
        try {
            response = client.send(request, HttpResponse.BodyHandlers.ofByteArray());
        } catch (HttpConnectTimeoutException | ConnectException e) {
            throw fail(SourceState.UNREACHABLE, "cannot connect to " + where(request.uri()));
        } catch (HttpTimeoutException e) {
            throw fail(SourceState.UNREACHABLE, "no answer from " + where(request.uri()) + " within " + timeout.toMillis() + " ms");
        } catch (IOException e) {
            throw fail(SourceState.UNREACHABLE, where(request.uri()) + ": " + e.getClass().getSimpleName());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw fail(SourceState.ERROR, "interrupted");
        }
        int status = response.statusCode();
        if (status == 401 || status == 403) {
            throw fail(SourceState.UNAUTHORIZED, "HTTP " + status + " from " + where(request.uri()) + ": check the key");
        }
        if (status < 200 || status > 299) {
            throw fail(SourceState.ERROR, "HTTP " + status + " from " + where(request.uri()));
        }
        if (response.body().length > MAX_BODY_BYTES) {
            throw fail(SourceState.ERROR, "answer of " + response.body().length + " bytes from " + where(request.uri()));
        }
        return new Answer(new String(response.body(), StandardCharsets.UTF_8), response.headers());
    }

    /** Sends and parses a JSON answer. */
    public JsonNode json(HttpRequest request) throws Failure {
        String body = send(request);
        try {
            JsonNode node = JSON.readTree(body);
            if (node == null || node.isMissingNode()) {
                throw fail(SourceState.ERROR, "empty answer from " + where(request.uri()));
            }
            return node;
        } catch (IOException e) {
            throw fail(SourceState.ERROR, "not JSON from " + where(request.uri()));
        }
    }

    /** A failure of this source. */
    public Failure fail(SourceState state, String problem) {
        return new Failure(new ActivitySource(name, state, Text.printable(problem, 200)));
    }

    /** Scheme, host, port and path only: the query string and user info may hold secrets. */
    static String where(URI uri) {
        return uri.getScheme() + "://" + uri.getHost() + (uri.getPort() < 0 ? "" : ":" + uri.getPort())
                + (uri.getRawPath() == null ? "" : uri.getRawPath());
    }
}
