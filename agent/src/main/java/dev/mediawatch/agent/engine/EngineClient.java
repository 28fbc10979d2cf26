package dev.mediawatch.agent.engine;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The few Docker Engine API calls the agent makes, over HTTP/1.1 on the engine's Unix socket
 * ({@code unix:///var/run/docker.sock}) or its plain, unencrypted TCP socket ({@code tcp://host:port}; no TLS).
 * Paths carry no API version: the engine answers them at its own. Answers are read as JSON trees (nothing is
 * bound by reflection).
 *
 * <p>Every call opens a connection of its own and the engine closes it after the answer. Request/response calls
 * run on the caller's thread and are bounded: connecting, sending and the whole answer within the timeout, and the
 * body to {@link #MAX_BODY_BYTES}. The events stream has no deadline once it is open; it ends when the engine ends
 * it, the connection breaks, or {@link EventStream#close()} is called from another thread. Failures are
 * {@link IOException}s: {@link EngineException} when the engine answered with an error, the socket's own
 * exceptions otherwise ("SocketException: No such file or directory" for a missing socket). Safe for concurrent
 * use: it holds no connection.
 */
public final class EngineClient {

    /** The largest answer read (the container list of a host with hundreds of containers is a few MiB). */
    public static final int MAX_BODY_BYTES = 16 * 1024 * 1024;
    /** An error answer is read this far for its message. */
    private static final int MAX_ERROR_BYTES = 64 * 1024;
    /** The longest event accepted on the stream (one is about 500 bytes; labels make it longer). */
    static final int MAX_EVENT_BYTES = 1024 * 1024;
    private static final String CONTAINER_EVENTS = "/events?filters="
            + URLEncoder.encode("{\"type\":[\"container\"]}", StandardCharsets.UTF_8);

    private static final ObjectMapper JSON = new ObjectMapper();

    private final EngineAddress address;
    private final Duration timeout;

    /**
     * @param dockerHost {@code unix:///path/docker.sock} or {@code tcp://host:port}
     * @param timeout    the longest one call may take, connecting and the whole answer together (for the events
     *                   stream: until it is open)
     * @throws IllegalArgumentException for an address of another form
     */
    public EngineClient(String dockerHost, Duration timeout) {
        this.address = EngineAddress.parse(dockerHost);
        this.timeout = Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("the engine timeout must be positive");
        }
    }

    /** {@code GET /version}: the engine's {@code Version}, {@code ApiVersion} and the rest. */
    public JsonNode version() throws IOException {
        return get("/version");
    }

    /** {@code GET /containers/json?all=1}: every container, running or not, one list row each. */
    public JsonNode containers() throws IOException {
        return get("/containers/json?all=1");
    }

    /** {@code GET /containers/{id}/json}; empty when there is no such container (removed meanwhile). */
    public Optional<JsonNode> inspect(String container) throws IOException {
        try {
            return Optional.of(get("/containers/" + segment(container) + "/json"));
        } catch (EngineException e) {
            if (e.status() == 404) {
                return Optional.empty();
            }
            throw e;
        }
    }

    /**
     * {@code POST /containers/{id}/pause}.
     *
     * @throws EngineException 404 without such a container, 409 when it is already paused or not running
     */
    public void pause(String container) throws IOException {
        post("/containers/" + segment(container) + "/pause");
    }

    /**
     * {@code POST /containers/{id}/unpause}.
     *
     * @throws EngineException 404 without such a container, 409 when it is not paused (dockerd 20.10 says 500)
     */
    public void unpause(String container) throws IOException {
        post("/containers/" + segment(container) + "/unpause");
    }

    /**
     * {@code GET /events?filters={"type":["container"]}}, open: the engine has answered 200 (within the timeout)
     * and sends each container event as it happens, one JSON object per line.
     */
    public EventStream containerEvents() throws IOException {
        long deadline = deadline();
        Exchange x = Exchange.start(address, "GET", CONTAINER_EVENTS, deadline, timeoutMessage("GET /events"));
        try {
            if (x.status() != 200) {
                throw error(x, deadline);
            }
            return new EventStream(x);
        } catch (IOException | RuntimeException e) {
            x.close();
            throw e;
        }
    }

    /** The container events of an open stream, read on one thread; closable from any. */
    public static final class EventStream implements AutoCloseable {

        private final Exchange exchange;
        private final ByteArrayOutputStream line = new ByteArrayOutputStream(1024);

        private EventStream(Exchange exchange) {
            this.exchange = exchange;
        }

        /**
         * The next event, waiting for it as long as it takes; null when the engine ended the stream.
         *
         * @throws IOException when the stream broke, an event is not JSON, or the stream was closed meanwhile
         *                     ({@link java.nio.channels.AsynchronousCloseException})
         */
        public JsonNode next() throws IOException {
            while (true) {
                line.reset();
                int b;
                while ((b = exchange.read(Connection.NO_DEADLINE)) >= 0 && b != '\n') {
                    if (line.size() >= MAX_EVENT_BYTES) {
                        throw new IOException("an engine event longer than " + MAX_EVENT_BYTES / 1024 + " KiB");
                    }
                    line.write(b);
                }
                if (b < 0 && line.size() == 0) {
                    return null;
                }
                byte[] text = line.toByteArray();
                if (!blank(text)) {
                    return JSON.readTree(text);
                }
                if (b < 0) {
                    return null;
                }
            }
        }

        /** Ends the stream; a {@link #next()} waiting on another thread returns at once with an exception. */
        @Override
        public void close() {
            exchange.close();
        }

        private static boolean blank(byte[] text) {
            for (byte c : text) {
                if (c != ' ' && c != '\r' && c != '\t') {
                    return false;
                }
            }
            return true;
        }
    }

    private JsonNode get(String target) throws IOException {
        long deadline = deadline();
        try (Exchange x = Exchange.start(address, "GET", target, deadline, timeoutMessage("GET " + path(target)))) {
            if (x.status() / 100 != 2) {
                throw error(x, deadline);
            }
            byte[] body = x.readBody(MAX_BODY_BYTES, deadline);
            try {
                return JSON.readTree(body);
            } catch (JsonProcessingException e) {
                throw new IOException("the engine's answer to GET " + path(target) + " is not JSON");
            }
        }
    }

    private void post(String target) throws IOException {
        long deadline = deadline();
        try (Exchange x = Exchange.start(address, "POST", target, deadline, timeoutMessage("POST " + path(target)))) {
            if (x.status() / 100 != 2) {
                throw error(x, deadline);
            }
        }
    }

    /** The engine's own message from an error answer ({@code {"message": "..."}}), else its first line. */
    private static EngineException error(Exchange x, long deadline) {
        String message = null;
        try {
            byte[] body = x.readBody(MAX_ERROR_BYTES, deadline);
            try {
                JsonNode m = JSON.readTree(body).path("message");
                message = m.isTextual() ? m.textValue() : null;
            } catch (JsonProcessingException notJson) {
                message = new String(body, StandardCharsets.UTF_8).strip().lines().findFirst().orElse(null);
            }
        } catch (IOException unreadable) {
            // The status says enough.
        }
        if (message != null && message.length() > 200) {
            message = message.substring(0, 200);
        }
        return new EngineException(x.status(), message);
    }

    private long deadline() {
        return System.nanoTime() + timeout.toNanos();
    }

    private String timeoutMessage(String call) {
        return "the engine did not answer " + call + " within " + timeout.toMillis() + " ms";
    }

    /** A target without its query, for messages. */
    private static String path(String target) {
        int q = target.indexOf('?');
        return q < 0 ? target : target.substring(0, q);
    }

    /** A container name or id as one path segment. */
    static String segment(String container) {
        if (container == null || container.isEmpty()) {
            throw new IllegalArgumentException("no container name");
        }
        return URLEncoder.encode(container, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
