package dev.mediawatch.agent.engine;

import java.io.EOFException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.SocketAddress;
import java.net.SocketTimeoutException;
import java.net.StandardProtocolFamily;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.channels.UnresolvedAddressException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * One connection to the engine, a Unix or TCP socket channel in non-blocking mode with a selector of its own, so
 * that every wait has a deadline ({@link #NO_DEADLINE} for a stream that may stay silent for hours) and ends at
 * once when {@link #close()} is called from another thread. Reads go through a buffer. Used by one thread at a
 * time, closable from any.
 */
final class Connection implements AutoCloseable {

    /** Wait as long as it takes, until data or {@link #close()}. */
    static final long NO_DEADLINE = Long.MAX_VALUE;

    private final SocketChannel channel;
    private final Selector selector;
    private final SelectionKey key;
    private final ByteBuffer in = ByteBuffer.allocate(8 * 1024).flip();
    private final String timeoutMessage;
    private volatile boolean closed;

    private Connection(SocketChannel channel, Selector selector, SelectionKey key, String timeoutMessage) {
        this.channel = channel;
        this.selector = selector;
        this.key = key;
        this.timeoutMessage = timeoutMessage;
    }

    /**
     * Connects, waiting until {@code deadline} (a {@link System#nanoTime()} value) at most.
     *
     * @param timeoutMessage what a timeout says, now or later on this connection
     */
    static Connection open(EngineAddress address, long deadline, String timeoutMessage) throws IOException {
        SocketAddress target = address.socketAddress();
        SocketChannel channel = address.unix() ? SocketChannel.open(StandardProtocolFamily.UNIX) : SocketChannel.open();
        Selector selector = null;
        try {
            channel.configureBlocking(false);
            selector = Selector.open();
            Connection c = new Connection(channel, selector, channel.register(selector, 0), timeoutMessage);
            boolean connected;
            try {
                connected = channel.connect(target);
            } catch (UnresolvedAddressException e) {
                throw new UnknownHostException("cannot resolve the engine's host name");
            }
            while (!connected) {
                c.await(SelectionKey.OP_CONNECT, deadline);
                connected = channel.finishConnect();
            }
            return c;
        } catch (IOException | RuntimeException e) {
            channel.close();
            if (selector != null) {
                selector.close();
            }
            throw e;
        }
    }

    /** Writes all of {@code src}. */
    void write(ByteBuffer src, long deadline) throws IOException {
        while (src.hasRemaining()) {
            if (channel.write(src) == 0) {
                await(SelectionKey.OP_WRITE, deadline);
            }
        }
    }

    /** One byte, or -1 at the end of the stream. */
    int read(long deadline) throws IOException {
        if (!in.hasRemaining() && !fill(deadline)) {
            return -1;
        }
        return in.get() & 0xff;
    }

    /** Up to {@code len} bytes, at least one; -1 at the end of the stream. */
    int read(byte[] b, int off, int len, long deadline) throws IOException {
        if (len == 0) {
            return 0;
        }
        if (!in.hasRemaining() && !fill(deadline)) {
            return -1;
        }
        int n = Math.min(len, in.remaining());
        in.get(b, off, n);
        return n;
    }

    /**
     * A line of the response's head or of a chunked body's framing (ISO-8859-1), without its CRLF or LF.
     *
     * @throws EOFException when the stream ends first
     */
    String readLine(int max, long deadline) throws IOException {
        StringBuilder line = new StringBuilder(64);
        while (true) {
            int b = read(deadline);
            if (b < 0) {
                throw new EOFException("the engine closed the connection mid-answer");
            }
            if (b == '\n') {
                int end = line.length();
                if (end > 0 && line.charAt(end - 1) == '\r') {
                    line.setLength(end - 1);
                }
                return line.toString();
            }
            if (line.length() >= max) {
                throw new IOException("the engine's answer has a line longer than " + max + " bytes");
            }
            line.append((char) b);
        }
    }

    /** Reads what the channel has into the buffer; false at the end of the stream. */
    private boolean fill(long deadline) throws IOException {
        in.clear();
        try {
            while (true) {
                int n = channel.read(in);
                if (n > 0) {
                    return true;
                }
                if (n < 0) {
                    return false;
                }
                await(SelectionKey.OP_READ, deadline);
            }
        } finally {
            in.flip();
        }
    }

    /** Waits until the channel is ready for {@code ops}, the deadline passes, or the connection is closed. */
    private void await(int ops, long deadline) throws IOException {
        try {
            key.interestOps(ops);
            long waitMillis = 0; // forever
            if (deadline != NO_DEADLINE) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new SocketTimeoutException(timeoutMessage);
                }
                waitMillis = Math.max(1, TimeUnit.NANOSECONDS.toMillis(left + 999_999));
            }
            selector.select(waitMillis);
            selector.selectedKeys().clear();
        } catch (ClosedSelectorException | java.nio.channels.CancelledKeyException e) {
            throw closedMeanwhile();
        }
        if (closed) {
            throw closedMeanwhile();
        }
        if (Thread.currentThread().isInterrupted()) {
            throw new InterruptedIOException("interrupted while waiting for the engine");
        }
    }

    private AsynchronousCloseException closedMeanwhile() {
        return new AsynchronousCloseException();
    }

    /** Ends the connection; a thread waiting on it returns at once with an {@link AsynchronousCloseException}. */
    @Override
    public void close() {
        closed = true;
        try {
            selector.wakeup();
            channel.close();
        } catch (IOException e) {
            // Closing a socket: nothing to do about a failure.
        } finally {
            try {
                selector.close();
            } catch (IOException | RuntimeException e) {
                // As above.
            }
        }
    }

    /** ASCII request heads. */
    static ByteBuffer ascii(String text) {
        return ByteBuffer.wrap(text.getBytes(StandardCharsets.ISO_8859_1));
    }
}
