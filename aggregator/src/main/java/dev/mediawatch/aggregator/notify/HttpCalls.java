package dev.mediawatch.aggregator.notify;

import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * Runs one HTTP request of a notification and says how it ended: 2xx delivered; 5xx, 429 (with its
 * {@code Retry-After} in seconds), connection errors and timeouts worth a retry; anything else final. The outcome
 * names the status or the kind of failure only, never the URL.
 */
public final class HttpCalls {

    /** At most this much of a response body is kept (for a service that answers with an id, e.g. Matrix's login). */
    public static final int MAX_BODY = 64 * 1024;

    private HttpCalls() {
    }

    /** The response of a call that reached the service, and the outcome. */
    public record Result(Outcome outcome, int status, String body) {
    }

    public static Outcome send(HttpClient http, HttpRequest request) {
        return exchange(http, request, false).outcome();
    }

    /** The same, keeping up to {@link #MAX_BODY} bytes of the answer when {@code keepBody}. */
    public static Result exchange(HttpClient http, HttpRequest request, boolean keepBody) {
        try {
            HttpResponse<InputStream> response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
            String body = "";
            try (InputStream in = response.body()) {
                if (keepBody) {
                    body = new String(in.readNBytes(MAX_BODY), StandardCharsets.UTF_8);
                }
            }
            int status = response.statusCode();
            if (status >= 200 && status < 300) {
                return new Result(Outcome.delivered("HTTP " + status), status, body);
            }
            boolean retry = status >= 500 || status == 429;
            return new Result(new Outcome(false, retry, "HTTP " + status, retryAfter(response)), status, body);
        } catch (HttpConnectTimeoutException e) {
            return new Result(Outcome.retry("connect timed out"), 0, "");
        } catch (HttpTimeoutException e) {
            return new Result(Outcome.retry("timed out"), 0, "");
        } catch (ConnectException e) {
            return new Result(Outcome.retry("connection refused"), 0, "");
        } catch (IOException e) {
            return new Result(Outcome.retry("I/O error (" + e.getClass().getSimpleName() + ")"), 0, "");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Result(Outcome.fail("interrupted"), 0, "");
        } catch (RuntimeException e) {
            return new Result(Outcome.fail("failed (" + e.getClass().getSimpleName() + ")"), 0, "");
        }
    }

    static Duration retryAfter(HttpResponse<?> response) {
        return response.headers().firstValue("Retry-After").map(String::trim).filter(v -> v.matches("\\d{1,6}"))
                .map(v -> Duration.ofSeconds(Long.parseLong(v))).orElse(null);
    }

    /** A request builder with the timeout and mediawatch's user agent. */
    public static HttpRequest.Builder request(java.net.URI uri, Duration timeout) {
        return HttpRequest.newBuilder(uri).timeout(timeout).header("User-Agent", "mediawatch");
    }
}
