package dev.mediawatch.agent.engine;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.util.Locale;

/**
 * One HTTP/1.1 request and its response, on a connection of its own that the engine closes after it
 * ({@code Connection: close}). The response's head is read at once; its body is read as it comes, whatever its
 * framing: chunked (the events stream, and what dockerd sends for larger answers), {@code Content-Length}, or
 * until the engine closes the connection.
 */
final class Exchange implements AutoCloseable {

    /** Longest line of a response head or of chunked framing. */
    private static final int MAX_LINE = 8 * 1024;
    /** Most header lines in one response head. */
    private static final int MAX_HEADERS = 100;

    private enum Framing { NONE, CHUNKED, LENGTH, UNTIL_CLOSE }

    private final Connection connection;
    private final String what;
    private int status;
    private Framing framing;
    /** Bytes left in the current chunk (chunked) or in the body (length). */
    private long left;
    private boolean firstChunk = true;
    private boolean ended;

    private Exchange(Connection connection, String what) {
        this.connection = connection;
        this.what = what;
    }

    /**
     * Connects, sends the request, and reads the response's head, all before {@code deadline}.
     *
     * @param timeoutMessage what a timeout on this exchange says
     */
    static Exchange start(EngineAddress address, String method, String target, long deadline, String timeoutMessage)
            throws IOException {
        Connection c = Connection.open(address, deadline, timeoutMessage);
        Exchange x = new Exchange(c, method + " " + target);
        try {
            StringBuilder head = new StringBuilder(160).append(method).append(' ').append(target).append(" HTTP/1.1\r\n")
                    .append("Host: ").append(address.hostHeader()).append("\r\n")
                    .append("User-Agent: mediawatch-agent\r\n")
                    .append("Accept: application/json\r\n")
                    .append("Connection: close\r\n");
            if (!method.equals("GET")) {
                head.append("Content-Length: 0\r\n");
            }
            c.write(Connection.ascii(head.append("\r\n").toString()), deadline);
            x.readHead(method, deadline);
            return x;
        } catch (IOException | RuntimeException e) {
            c.close();
            throw e;
        }
    }

    int status() {
        return status;
    }

    private void readHead(String method, long deadline) throws IOException {
        String statusLine;
        do {
            // An interim answer (1xx) comes before the real one; none has a body.
            statusLine = connection.readLine(MAX_LINE, deadline);
            status = parseStatus(statusLine);
            boolean chunked = false;
            long length = -1;
            for (int i = 0;; i++) {
                String line = connection.readLine(MAX_LINE, deadline);
                if (line.isEmpty()) {
                    break;
                }
                if (i >= MAX_HEADERS) {
                    throw new IOException("the engine's answer to " + what + " has more than " + MAX_HEADERS + " headers");
                }
                int colon = line.indexOf(':');
                if (colon <= 0) {
                    continue;
                }
                String name = line.substring(0, colon).strip().toLowerCase(Locale.ROOT);
                String value = line.substring(colon + 1).strip();
                if (name.equals("transfer-encoding")) {
                    chunked = value.toLowerCase(Locale.ROOT).contains("chunked");
                } else if (name.equals("content-length")) {
                    try {
                        length = Long.parseLong(value);
                    } catch (NumberFormatException e) {
                        length = -2;
                    }
                    if (length < 0) {
                        throw new IOException("the engine's answer to " + what + " has an invalid Content-Length");
                    }
                }
            }
            if (status / 100 == 1 || status == 204 || status == 304 || method.equals("HEAD")) {
                framing = Framing.NONE;
            } else if (chunked) {
                framing = Framing.CHUNKED;
            } else if (length >= 0) {
                framing = Framing.LENGTH;
                left = length;
            } else {
                framing = Framing.UNTIL_CLOSE;
            }
        } while (status / 100 == 1);
        ended = framing == Framing.NONE || (framing == Framing.LENGTH && left == 0);
    }

    private int parseStatus(String line) throws IOException {
        // "HTTP/1.1 200 OK"
        if (!line.startsWith("HTTP/1.") || line.length() < 12 || line.charAt(8) != ' ') {
            throw new IOException("not an HTTP answer to " + what);
        }
        try {
            int code = Integer.parseInt(line.substring(9, 12));
            if (code < 100 || code > 599) {
                throw new NumberFormatException();
            }
            return code;
        } catch (NumberFormatException e) {
            throw new IOException("not an HTTP status in the answer to " + what);
        }
    }

    /** The next byte of the body, or -1 at its end. */
    int read(long deadline) throws IOException {
        if (ended || !available(deadline)) {
            return -1;
        }
        int b = connection.read(deadline);
        if (b < 0) {
            return endOfStream();
        }
        left--;
        return b;
    }

    /** The next bytes of the body, at least one; -1 at its end. */
    int read(byte[] b, int off, int len, long deadline) throws IOException {
        if (ended || !available(deadline)) {
            return -1;
        }
        int max = framing == Framing.UNTIL_CLOSE ? len : (int) Math.min(len, left);
        int n = connection.read(b, off, max, deadline);
        if (n < 0) {
            return endOfStream();
        }
        left -= n;
        return n;
    }

    /**
     * The whole body, read until {@code deadline}.
     *
     * @throws IOException when it is larger than {@code maxBytes}
     */
    byte[] readBody(int maxBytes, long deadline) throws IOException {
        if (framing == Framing.LENGTH && left > maxBytes) {
            throw tooLarge(maxBytes);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(framing == Framing.LENGTH ? (int) left : 8 * 1024);
        byte[] buf = new byte[8 * 1024];
        int n;
        while ((n = read(buf, 0, buf.length, deadline)) >= 0) {
            if (out.size() + n > maxBytes) {
                throw tooLarge(maxBytes);
            }
            out.write(buf, 0, n);
        }
        return out.toByteArray();
    }

    private IOException tooLarge(int maxBytes) {
        return new IOException("the engine's answer to " + what + " is larger than " + (maxBytes / 1024) + " KiB");
    }

    /** Whether the body has a byte to give; steps over chunk framing. */
    private boolean available(long deadline) throws IOException {
        switch (framing) {
            case NONE -> {
                ended = true;
                return false;
            }
            case UNTIL_CLOSE -> {
                return true;
            }
            case LENGTH -> {
                if (left == 0) {
                    ended = true;
                }
                return !ended;
            }
            default -> {
                if (left > 0) {
                    return true;
                }
                if (!firstChunk && !connection.readLine(MAX_LINE, deadline).isEmpty()) {
                    throw new IOException("broken chunked framing in the engine's answer to " + what);
                }
                firstChunk = false;
                String size = connection.readLine(MAX_LINE, deadline);
                int semicolon = size.indexOf(';');
                size = (semicolon >= 0 ? size.substring(0, semicolon) : size).strip();
                try {
                    left = size.isEmpty() || size.length() > 15 ? -1 : Long.parseLong(size, 16);
                } catch (NumberFormatException e) {
                    left = -1;
                }
                if (left < 0) {
                    throw new IOException("broken chunked framing in the engine's answer to " + what);
                }
                if (left == 0) {
                    // The last chunk; trailers (none from the engine) up to an empty line.
                    while (!connection.readLine(MAX_LINE, deadline).isEmpty()) {
                        // skip
                    }
                    ended = true;
                    return false;
                }
                return true;
            }
        }
    }

    private int endOfStream() throws IOException {
        if (framing == Framing.UNTIL_CLOSE) {
            ended = true;
            return -1;
        }
        throw new EOFException("the engine closed the connection mid-answer to " + what);
    }

    /** Ends the exchange; callable from any thread, where it ends a wait at once. */
    @Override
    public void close() {
        connection.close();
    }
}
