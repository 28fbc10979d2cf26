package dev.mediawatch.agent.engine;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A server of the test's own that answers like the engine, on a Unix socket in a temporary directory (or on a
 * loopback TCP port): it reads each request's head, keeps it, and hands the connection to the test's handler,
 * which writes canned HTTP bytes, as slowly or as brokenly as the test wants. One thread per connection.
 */
final class FakeEngine implements AutoCloseable {

    /** What the server does with one request. */
    interface Handler {
        void answer(String requestHead, SocketChannel connection) throws Exception;
    }

    final List<String> requests = new CopyOnWriteArrayList<>();
    private final ServerSocketChannel server;
    private final String address;
    private final List<SocketChannel> connections = new CopyOnWriteArrayList<>();
    private final CountDownLatch closed = new CountDownLatch(1);
    private volatile Handler handler = (head, c) -> send(c, "HTTP/1.1 500 Internal Server Error\r\nContent-Length: 0\r\n\r\n");

    private FakeEngine(ServerSocketChannel server, String address) {
        this.server = server;
        this.address = address;
        Thread acceptor = new Thread(this::accept, "fake-engine-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    static FakeEngine unix(Path dir) throws IOException {
        Path socket = dir.resolve("docker.sock");
        ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(socket));
        return new FakeEngine(server, "unix://" + socket);
    }

    static FakeEngine tcp() throws IOException {
        ServerSocketChannel server = ServerSocketChannel.open();
        server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        int port = ((InetSocketAddress) server.getLocalAddress()).getPort();
        return new FakeEngine(server, "tcp://127.0.0.1:" + port);
    }

    /** The address to give the client: {@code unix:///tmp/.../docker.sock} or {@code tcp://127.0.0.1:port}. */
    String address() {
        return address;
    }

    FakeEngine answering(Handler h) {
        this.handler = h;
        return this;
    }

    /** Every request gets this whole answer, then the connection is closed. */
    FakeEngine answering(String response) {
        return answering((head, c) -> {
            send(c, response);
            c.close();
        });
    }

    /** Holds the handler until the server is closed (a server that never answers). */
    void holdUntilClosed() throws InterruptedException {
        closed.await(60, TimeUnit.SECONDS);
    }

    static void send(SocketChannel c, String text) throws IOException {
        send(c, text.getBytes(StandardCharsets.UTF_8));
    }

    static void send(SocketChannel c, byte[] bytes) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(bytes);
        while (b.hasRemaining()) {
            c.write(b);
        }
    }

    /** One chunk of a chunked body, framing included. */
    static String chunk(String data) {
        return Integer.toHexString(data.getBytes(StandardCharsets.UTF_8).length) + "\r\n" + data + "\r\n";
    }

    /** A complete answer with a Content-Length. */
    static String answer(int status, String reason, String body) {
        return "HTTP/1.1 " + status + " " + reason + "\r\nContent-Type: application/json\r\nContent-Length: "
                + body.getBytes(StandardCharsets.UTF_8).length + "\r\n\r\n" + body;
    }

    private void accept() {
        while (server.isOpen()) {
            SocketChannel c;
            try {
                c = server.accept();
            } catch (IOException e) {
                return;
            }
            connections.add(c);
            Thread t = new Thread(() -> serve(c), "fake-engine-connection");
            t.setDaemon(true);
            t.start();
        }
    }

    private void serve(SocketChannel c) {
        try (c) {
            StringBuilder head = new StringBuilder();
            ByteBuffer one = ByteBuffer.allocate(1);
            while (!head.toString().endsWith("\r\n\r\n")) {
                one.clear();
                if (c.read(one) < 0) {
                    return;
                }
                head.append((char) one.get(0));
            }
            requests.add(head.toString());
            handler.answer(head.toString(), c);
        } catch (Exception e) {
            // The client went away, or the test ended: nothing to tell.
        }
    }

    @Override
    public void close() throws IOException {
        closed.countDown();
        server.close();
        for (SocketChannel c : connections) {
            c.close();
        }
    }
}
