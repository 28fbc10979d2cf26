package dev.mediawatch.aggregator.notify;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NoRouteToHostException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.URLDecoder;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateException;
import java.time.Clock;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

/**
 * E-mail over SMTP, from Shoutrrr's URL:
 * {@code smtp://[username:password@]host[:port]/?fromAddress=...&toAddresses=a@x,b@y} with the optional
 * {@code fromName}, {@code auth} ({@code None}, {@code Plain}, {@code CRAMMD5}, {@code OAuth2}, {@code Unknown}:
 * the default, authenticating when a username is given), {@code encryption} ({@code Auto}: the default, STARTTLS
 * when the server offers it; {@code None}; {@code ExplicitTLS}: STARTTLS required; {@code ImplicitTLS}: TLS from the
 * first byte, usually port 465), {@code useStartTLS} ({@code no} keeps {@code Auto} in plain text),
 * {@code subject} (put before each message's title), {@code clientHost} (the name said in EHLO, {@code auto}: this
 * machine's) and {@code useHTML} (accepted; the mail is always plain text). Query keys are case-insensitive;
 * {@code from}, {@code to} and {@code title} are aliases. The port defaults to 25.
 *
 * <p>One connection per message, spoken by a small client of its own on JDK sockets: EHLO (HELO when the server
 * does not know it), STARTTLS and EHLO again, AUTH (PLAIN, or LOGIN when the server offers only that; CRAM-MD5;
 * XOAUTH2), MAIL FROM, RCPT TO for each recipient, DATA, QUIT. Passwords and tokens are sent only over TLS or to a
 * loopback address (CRAM-MD5 never sends the password). The server's certificate is checked against the host name.
 *
 * <p>The mail's {@code Message-ID} is derived from the message's key, so a retry or a repeat after a restart
 * carries the same one. A 4xx reply, a connection error or a timeout is worth a retry; a 5xx reply is final. When
 * some recipients are refused for good and others accepted, the mail goes to those accepted. Outcomes name the
 * reply code and the command only: a server's text may echo what the client sent.
 */
public final class SmtpTarget implements Target {

    static final int DEFAULT_PORT = 25;
    /** The longest reply line read, CRLF excluded. */
    static final int MAX_REPLY_LINE = 4096;
    /** The most lines one reply may have. */
    static final int MAX_REPLY_LINES = 100;
    /** RFC 5322's limit on a line, CRLF excluded: a longer body line is sent base64-encoded. */
    private static final int MAX_BODY_LINE = 998;

    enum Auth { NONE, PLAIN, CRAMMD5, UNKNOWN, OAUTH2 }

    enum Encryption { AUTO, NONE, EXPLICITTLS, IMPLICITTLS }

    private static final Set<String> KEYS = Set.of("fromaddress", "from", "toaddresses", "to", "fromname", "auth",
            "encryption", "usestarttls", "subject", "title", "clienthost", "usehtml");

    private final String host;
    private final int port;
    private final String username;
    private final String password;
    private final String fromAddress;
    private final String fromName;
    private final List<String> toAddresses;
    private final Auth auth;
    private final Encryption encryption;
    private final String subjectPrefix;
    private final String clientHost;
    private final Filter filter;
    private final SSLContext tls;
    private final Clock clock;

    /**
     * @param tls the TLS context whose trust store checks the server's certificate; null: the JDK's default
     */
    SmtpTarget(int position, URI url, Filter filter, SSLContext tls, Clock clock) {
        String prefix = "notification URL #" + position + " (smtp): ";
        if (url == null || !"smtp".equalsIgnoreCase(url.getScheme())) {
            throw new IllegalArgumentException(prefix + "the scheme must be smtp");
        }
        String h = url.getHost();
        if (h == null || h.isEmpty()) {
            throw new IllegalArgumentException(prefix + "no host, or a port that is not a number");
        }
        this.host = h.startsWith("[") && h.endsWith("]") ? h.substring(1, h.length() - 1) : h;
        int p = url.getPort();
        if (p == -1) {
            p = DEFAULT_PORT;
        }
        if (p < 1 || p > 65535) {
            throw new IllegalArgumentException(prefix + "bad port (1 to 65535)");
        }
        this.port = p;

        String user = "";
        String pass = "";
        if (url.getRawUserInfo() != null) {
            String info = url.getRawUserInfo();
            int colon = info.indexOf(':');
            user = decode(colon < 0 ? info : info.substring(0, colon), prefix, "the username");
            pass = colon < 0 ? "" : decode(info.substring(colon + 1), prefix, "the password");
        }
        if (hasControl(user) || hasControl(pass)) {
            throw new IllegalArgumentException(prefix + "the username or password has a control character");
        }
        this.username = user;
        this.password = pass;

        Map<String, String> q = query(url.getRawQuery(), prefix);
        String from = q.getOrDefault("fromaddress", q.get("from"));
        if (from == null || from.isBlank()) {
            throw new IllegalArgumentException(prefix + "no fromAddress");
        }
        this.fromAddress = address(from.strip(), prefix, "fromAddress");
        String to = q.getOrDefault("toaddresses", q.get("to"));
        if (to == null || to.isBlank()) {
            throw new IllegalArgumentException(prefix + "no toAddresses");
        }
        List<String> recipients = new ArrayList<>();
        for (String a : to.split(",")) {
            if (!a.isBlank()) {
                recipients.add(address(a.strip(), prefix, "toAddresses #" + (recipients.size() + 1)));
            }
        }
        if (recipients.isEmpty()) {
            throw new IllegalArgumentException(prefix + "no toAddresses");
        }
        this.toAddresses = List.copyOf(recipients);
        this.fromName = oneLine(q.getOrDefault("fromname", ""), prefix, "fromName");
        this.subjectPrefix = oneLine(q.getOrDefault("subject", q.getOrDefault("title", "")), prefix, "subject");

        this.auth = choice(Auth.class, q.get("auth"), Auth.UNKNOWN, prefix, "auth",
                "None, Plain, CRAMMD5, OAuth2 or Unknown");
        if (auth != Auth.NONE && auth != Auth.UNKNOWN && username.isEmpty()) {
            throw new IllegalArgumentException(prefix + "auth=" + q.get("auth").strip() + " needs a username");
        }
        Encryption enc = choice(Encryption.class, q.get("encryption"), Encryption.AUTO, prefix, "encryption",
                "Auto, None, ExplicitTLS or ImplicitTLS");
        String startTls = q.get("usestarttls");
        if (startTls != null && !yes(startTls, prefix, "useStartTLS")) {
            if (enc == Encryption.EXPLICITTLS) {
                throw new IllegalArgumentException(prefix + "encryption=ExplicitTLS is STARTTLS: useStartTLS=no "
                        + "contradicts it");
            }
            if (enc == Encryption.AUTO) {
                enc = Encryption.NONE;
            }
        }
        this.encryption = enc;
        if (q.containsKey("usehtml")) {
            yes(q.get("usehtml"), prefix, "useHTML");
        }

        String client = q.getOrDefault("clienthost", "localhost").strip();
        if (client.equalsIgnoreCase("auto")) {
            client = localHostName();
        } else if (client.isEmpty() || !client.matches("[A-Za-z0-9.:\\[\\]-]{1,255}")) {
            throw new IllegalArgumentException(prefix + "clientHost must be a host name or address");
        }
        this.clientHost = client;
        this.filter = filter == null ? Filter.ALL : filter;
        this.tls = tls;
        this.clock = clock;
    }

    /**
     * @param position the URL's place among all configured ones, from 1, for the error message
     * @param url      the service URL (its fragment, already read into {@code filter}, is ignored)
     * @throws IllegalArgumentException naming the position and the problem, never a credential or an address
     */
    public static Target of(int position, URI url, Target.Filter filter) {
        return new SmtpTarget(position, url, filter, null, Clock.systemUTC());
    }

    @Override
    public String scheme() {
        return "smtp";
    }

    @Override
    public String display() {
        return "smtp://***@" + (host.indexOf(':') >= 0 ? "[" + host + "]" : host);
    }

    @Override
    public Filter filter() {
        return filter;
    }

    @Override
    public String toString() {
        return "SmtpTarget[" + display() + "]";
    }

    @Override
    public Outcome send(Message message, Duration timeout) {
        int millis = (int) Math.max(1, Math.min(Integer.MAX_VALUE, timeout.toMillis()));
        Conversation c = new Conversation(millis);
        try {
            return c.deliver(message);
        } catch (Refused e) {
            return e.outcome;
        } catch (SocketTimeoutException e) {
            return Outcome.retry(c.stage == null ? "connect timed out" : "timed out at " + c.stage);
        } catch (ConnectException | NoRouteToHostException e) {
            return Outcome.retry("connection refused");
        } catch (UnknownHostException e) {
            return Outcome.retry("unknown host");
        } catch (SSLHandshakeException e) {
            return untrusted(e) ? Outcome.fail("TLS certificate not trusted") : Outcome.retry("TLS handshake failed");
        } catch (EOFException e) {
            return Outcome.retry("connection closed at " + c.stage);
        } catch (IOException e) {
            return Outcome.retry("I/O error (" + e.getClass().getSimpleName() + ")");
        } catch (RuntimeException | GeneralSecurityException e) {
            return Outcome.fail("failed (" + e.getClass().getSimpleName() + ")");
        } finally {
            c.close();
        }
    }

    private static boolean untrusted(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof CertificateException || t instanceof java.security.cert.CertPathValidatorException) {
                return true;
            }
        }
        return false;
    }

    /** Ends the conversation with this outcome. */
    private static final class Refused extends Exception {
        final transient Outcome outcome;

        Refused(Outcome outcome) {
            super(outcome.what(), null, false, false);
            this.outcome = outcome;
        }
    }

    /** One reply: its code and its lines' text after the code. */
    record Reply(int code, List<String> lines) {
        boolean positive() {
            return code >= 200 && code < 400;
        }
    }

    /** One connection to the server and what it said it can do. */
    private final class Conversation {
        private final int timeoutMillis;
        private Socket socket;
        private InputStream in;
        private OutputStream out;
        private boolean encrypted;
        /** EHLO keywords (upper case) and their parameters; empty after HELO. */
        private Map<String, String> extensions = Map.of();
        /** The command being answered, for the outcome; null before the connection is made. */
        String stage;

        Conversation(int timeoutMillis) {
            this.timeoutMillis = timeoutMillis;
        }

        Outcome deliver(Message message) throws IOException, GeneralSecurityException, Refused {
            Socket plain = new Socket();
            socket = plain;
            plain.setSoTimeout(timeoutMillis);
            plain.connect(new InetSocketAddress(host, port), timeoutMillis);
            stage = "connect";
            if (encryption == Encryption.IMPLICITTLS) {
                upgrade();
            }
            streams();
            expect(read("greeting"), "greeting", 220);
            hello();
            if (!encrypted && encryption != Encryption.NONE) {
                boolean offered = extensions.containsKey("STARTTLS");
                if (encryption == Encryption.EXPLICITTLS && !offered) {
                    quietQuit();
                    throw new Refused(Outcome.fail("STARTTLS not offered"));
                }
                if (offered) {
                    expect(command("STARTTLS", "STARTTLS"), "STARTTLS", 220);
                    upgrade();
                    streams();
                    hello();
                }
            }
            authenticate();

            byte[] body = message.textWithLink().getBytes(StandardCharsets.UTF_8);
            boolean eightBit = extensions.containsKey("8BITMIME");
            expect(command("MAIL FROM:<" + fromAddress + ">" + (eightBit && !ascii(body) ? " BODY=8BITMIME" : ""),
                    "MAIL"), "MAIL", 250);
            List<String> accepted = new ArrayList<>();
            Reply refused = null;
            for (String to : toAddresses) {
                Reply r = command("RCPT TO:<" + to + ">", "RCPT");
                if (r.code == 250 || r.code == 251) {
                    accepted.add(to);
                } else if (r.code >= 400 && r.code < 500) {
                    quietQuit();
                    throw new Refused(Outcome.retry("SMTP " + r.code + " at RCPT"));
                } else {
                    refused = r;
                }
            }
            if (accepted.isEmpty()) {
                quietQuit();
                throw new Refused(Outcome.fail("SMTP " + refused.code + " at RCPT"));
            }
            expect(command("DATA", "DATA"), "DATA", 354);
            stage = "message";
            out.write(mail(message, body, eightBit));
            out.flush();
            Reply done = expect(read("message"), "message", 250);
            quietQuit();
            String what = "SMTP " + done.code;
            if (refused != null) {
                what += ", " + (toAddresses.size() - accepted.size()) + " of " + toAddresses.size()
                        + " recipients refused (SMTP " + refused.code + " at RCPT)";
            }
            return Outcome.delivered(what);
        }

        private void upgrade() throws IOException, GeneralSecurityException {
            SSLContext context = tls != null ? tls : SSLContext.getDefault();
            SSLSocket s = (SSLSocket) context.getSocketFactory().createSocket(socket, host, port, true);
            SSLParameters params = s.getSSLParameters();
            params.setEndpointIdentificationAlgorithm("HTTPS");
            s.setSSLParameters(params);
            s.setSoTimeout(timeoutMillis);
            String before = stage;
            stage = "TLS handshake";
            s.startHandshake();
            stage = before;
            socket = s;
            encrypted = true;
        }

        private void streams() throws IOException {
            // a new buffer after STARTTLS: nothing the server sent before the handshake is read as after it
            in = new BufferedInputStream(socket.getInputStream());
            out = new BufferedOutputStream(socket.getOutputStream());
        }

        private void hello() throws IOException, Refused {
            Reply r = command("EHLO " + clientHost, "EHLO");
            if (r.code >= 500) {
                expect(command("HELO " + clientHost, "HELO"), "HELO", 250);
                extensions = Map.of();
                return;
            }
            expect(r, "EHLO", 250);
            Map<String, String> ext = new HashMap<>();
            for (String line : r.lines.subList(1, r.lines.size())) {
                String[] kv = line.strip().split("[ =]", 2);
                String key = kv[0].toUpperCase(Locale.ROOT);
                String value = kv.length > 1 ? kv[1].toUpperCase(Locale.ROOT) : "";
                ext.merge(key, value, (a, b) -> a + " " + b);
            }
            extensions = ext;
        }

        private void authenticate() throws IOException, GeneralSecurityException, Refused {
            if (auth == Auth.NONE || (auth == Auth.UNKNOWN && username.isEmpty())) {
                return;
            }
            Set<String> offered = extensions.containsKey("AUTH")
                    ? Set.of(extensions.get("AUTH").trim().split("\\s+")) : Set.of();
            String mechanism;
            switch (auth) {
                case CRAMMD5 -> mechanism = "CRAM-MD5";
                case OAUTH2 -> mechanism = "XOAUTH2";
                case PLAIN -> mechanism = offered.contains("PLAIN") || !offered.contains("LOGIN") ? "PLAIN" : "LOGIN";
                default -> {
                    if (offered.contains("PLAIN")) {
                        mechanism = "PLAIN";
                    } else if (offered.contains("LOGIN")) {
                        mechanism = "LOGIN";
                    } else if (offered.contains("CRAM-MD5")) {
                        mechanism = "CRAM-MD5";
                    } else {
                        quietQuit();
                        throw new Refused(Outcome.fail(offered.isEmpty() && !encrypted && encryption != Encryption.NONE
                                ? "AUTH not offered (without TLS)" : "AUTH not offered"));
                    }
                }
            }
            if (!mechanism.equals("CRAM-MD5") && !encrypted && !socket.getInetAddress().isLoopbackAddress()) {
                quietQuit();
                throw new Refused(Outcome.fail("AUTH refused without TLS"));
            }
            stage = "AUTH";
            Reply r;
            switch (mechanism) {
                case "PLAIN" -> r = command("AUTH PLAIN " + b64("\0" + username + "\0" + password), "AUTH");
                case "LOGIN" -> {
                    r = command("AUTH LOGIN", "AUTH");
                    if (r.code == 334) {
                        r = command(b64(username), "AUTH");
                    }
                    if (r.code == 334) {
                        r = command(b64(password), "AUTH");
                    }
                }
                case "CRAM-MD5" -> {
                    r = command("AUTH CRAM-MD5", "AUTH");
                    if (r.code == 334) {
                        byte[] challenge = Base64.getMimeDecoder().decode(r.lines.get(0).strip());
                        Mac mac = Mac.getInstance("HmacMD5");
                        mac.init(new SecretKeySpec(password.getBytes(StandardCharsets.UTF_8), "HmacMD5"));
                        r = command(b64(username + " " + HexFormat.of().formatHex(mac.doFinal(challenge))), "AUTH");
                    }
                }
                default -> {
                    r = command("AUTH XOAUTH2 " + b64("user=" + username + "\1auth=Bearer " + password + "\1\1"),
                            "AUTH");
                    if (r.code == 334) {
                        r = command("", "AUTH");
                    }
                }
            }
            if (r.code == 334) {
                r = command("*", "AUTH");
            }
            expect(r, "AUTH", 235);
        }

        /** A 2xx/3xx reply of the code expected goes on; 4xx ends in a retry, anything else in a failure. */
        private Reply expect(Reply r, String what, int code) throws Refused {
            if (r.code == code) {
                return r;
            }
            quietQuit();
            String at = "SMTP " + r.code + " at " + what;
            throw new Refused(r.code >= 400 && r.code < 500 ? Outcome.retry(at) : Outcome.fail(at));
        }

        private Reply command(String line, String what) throws IOException, Refused {
            stage = what;
            out.write((line + "\r\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
            return read(what);
        }

        /** Reads one reply, of up to {@link #MAX_REPLY_LINES} lines of up to {@link #MAX_REPLY_LINE} bytes. */
        private Reply read(String what) throws IOException, Refused {
            stage = what;
            List<String> lines = new ArrayList<>();
            int code = -1;
            while (true) {
                if (lines.size() == MAX_REPLY_LINES) {
                    throw new Refused(Outcome.fail("reply of more than " + MAX_REPLY_LINES + " lines at " + what));
                }
                String line = line(what);
                if (line.length() < 3 || !line.substring(0, 3).chars().allMatch(Character::isDigit)
                        || (line.length() > 3 && line.charAt(3) != ' ' && line.charAt(3) != '-')) {
                    throw new Refused(Outcome.fail("not an SMTP reply at " + what));
                }
                int c = Integer.parseInt(line.substring(0, 3));
                if (code != -1 && c != code) {
                    throw new Refused(Outcome.fail("not an SMTP reply at " + what));
                }
                code = c;
                lines.add(line.length() > 4 ? line.substring(4) : "");
                if (line.length() == 3 || line.charAt(3) == ' ') {
                    return new Reply(code, lines);
                }
            }
        }

        private String line(String what) throws IOException, Refused {
            ByteArrayOutputStream buf = new ByteArrayOutputStream(128);
            while (true) {
                int b = in.read();
                if (b < 0) {
                    throw new EOFException();
                }
                if (b == '\n') {
                    byte[] bytes = buf.toByteArray();
                    int n = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
                    return new String(bytes, 0, n, StandardCharsets.UTF_8);
                }
                if (buf.size() > MAX_REPLY_LINE) {
                    throw new Refused(Outcome.fail("reply line longer than " + MAX_REPLY_LINE + " bytes at " + what));
                }
                buf.write(b);
            }
        }

        /** Says goodbye when the connection still works; the outcome is already decided. */
        private void quietQuit() {
            try {
                if (out != null && !socket.isClosed()) {
                    String before = stage;
                    command("QUIT", "QUIT");
                    stage = before;
                }
            } catch (IOException | Refused | RuntimeException e) {
                // the server may close first
            }
        }

        void close() {
            try {
                if (socket != null) {
                    socket.close();
                }
            } catch (IOException e) {
                // closing a dead connection
            }
        }
    }

    /** The message as DATA carries it: headers, the body, dot-stuffed, CRLF line endings and the final dot. */
    byte[] mail(Message message, byte[] body, boolean eightBitOk) {
        StringBuilder h = new StringBuilder(1024);
        header(h, "Date", DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.now(clock)));
        header(h, "From", fromName.isEmpty() ? fromAddress : phrase(fromName) + " <" + fromAddress + ">");
        header(h, "To", String.join(", ", toAddresses));
        String subject = subjectPrefix.isEmpty() ? message.title() : subjectPrefix + " " + message.title();
        header(h, "Subject", encodeWords(subject));
        header(h, "Message-ID", messageId(message.key()));
        header(h, "X-Mediawatch-Delivery", printable(message.key()));
        boolean critical = message.severity() == Message.Severity.CRITICAL;
        header(h, "X-Priority", critical ? "1" : "3");
        if (critical) {
            header(h, "Importance", "high");
        }
        header(h, "Auto-Submitted", "auto-generated");
        header(h, "MIME-Version", "1.0");
        header(h, "Content-Type", "text/plain; charset=UTF-8");
        String text = message.textWithLink().replace("\r\n", "\n").replace('\r', '\n');
        boolean ascii = ascii(body);
        boolean longLine = text.lines().anyMatch(l -> l.getBytes(StandardCharsets.UTF_8).length > MAX_BODY_LINE);
        String encoding = longLine || (!ascii && !eightBitOk) ? "base64" : ascii ? "7bit" : "8bit";
        header(h, "Content-Transfer-Encoding", encoding);
        h.append("\r\n");
        if (encoding.equals("base64")) {
            h.append(Base64.getMimeEncoder(76, "\r\n".getBytes(StandardCharsets.US_ASCII))
                    .encodeToString(text.getBytes(StandardCharsets.UTF_8)));
        } else {
            h.append(text.replace("\n", "\r\n"));
        }
        // dot-stuffing: a line starting with a dot gets another, so only the final "." ends the data
        String wire = h.toString();
        if (wire.startsWith(".")) {
            wire = "." + wire;
        }
        wire = wire.replace("\r\n.", "\r\n..");
        if (!wire.endsWith("\r\n")) {
            wire += "\r\n";
        }
        return (wire + ".\r\n").getBytes(StandardCharsets.UTF_8);
    }

    /** {@code <hex@mediawatch>}: the first 32 hex digits of the key's SHA-256, the same for every attempt. */
    static String messageId(String key) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
            return "<" + HexFormat.of().formatHex(digest).substring(0, 32) + "@mediawatch>";
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void header(StringBuilder h, String name, String value) {
        h.append(name).append(": ").append(value).append("\r\n");
    }

    /** A display name: a quoted string when ASCII, RFC 2047 encoded-words otherwise. */
    private static String phrase(String name) {
        if (name.chars().allMatch(c -> c >= 0x20 && c < 0x7f)) {
            return "\"" + name.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
        }
        return encodeWords(name);
    }

    /**
     * The text as is when printable ASCII, else RFC 2047 {@code =?UTF-8?B?...?=} words of at most 75 characters,
     * folded onto continuation lines, each holding whole characters.
     */
    static String encodeWords(String text) {
        if (text.chars().allMatch(c -> c >= 0x20 && c < 0x7f)) {
            return text;
        }
        List<String> words = new ArrayList<>();
        StringBuilder chunk = new StringBuilder();
        int bytes = 0;
        for (int i = 0; i < text.length(); ) {
            int cp = text.codePointAt(i);
            String ch = new String(Character.toChars(cp));
            int n = ch.getBytes(StandardCharsets.UTF_8).length;
            if (bytes + n > 45) {
                words.add(word(chunk.toString()));
                chunk.setLength(0);
                bytes = 0;
            }
            chunk.append(ch);
            bytes += n;
            i += Character.charCount(cp);
        }
        if (chunk.length() > 0) {
            words.add(word(chunk.toString()));
        }
        return String.join("\r\n ", words);
    }

    private static String word(String s) {
        return "=?UTF-8?B?" + Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8)) + "?=";
    }

    private static String printable(String s) {
        StringBuilder b = new StringBuilder(s.length());
        s.chars().forEach(c -> b.append(c >= 0x20 && c < 0x7f ? (char) c : '?'));
        return b.toString();
    }

    private static boolean ascii(byte[] bytes) {
        for (byte b : bytes) {
            if (b < 0) {
                return false;
            }
        }
        return true;
    }

    private static String b64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    private static Map<String, String> query(String raw, String prefix) {
        Map<String, String> q = new HashMap<>();
        if (raw == null || raw.isEmpty()) {
            return q;
        }
        for (String pair : raw.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String key = decode(eq < 0 ? pair : pair.substring(0, eq), prefix, "a query key").strip()
                    .toLowerCase(Locale.ROOT);
            if (!KEYS.contains(key)) {
                throw new IllegalArgumentException(prefix + "unknown query parameter '"
                        + (key.matches("[a-z0-9_.-]{1,40}") ? key : "?") + "'");
            }
            q.put(key, eq < 0 ? "" : decode(pair.substring(eq + 1), prefix, "the value of " + key));
        }
        return q;
    }

    /** Percent-decoding only: a {@code +} stays a plus, as in {@code user+tag@example.com}. */
    private static String decode(String raw, String prefix, String what) {
        try {
            return URLDecoder.decode(raw.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(prefix + what + " has a malformed %-escape");
        }
    }

    private static String address(String a, String prefix, String what) {
        int at = a.lastIndexOf('@');
        if (at < 1 || at == a.length() - 1 || !a.chars().allMatch(c -> c > 0x20 && c < 0x7f && c != '<' && c != '>'
                && c != ',' && c != '"' && c != '(' && c != ')')) {
            throw new IllegalArgumentException(prefix + what + " is not an e-mail address (local@domain, ASCII)");
        }
        return a;
    }

    private static String oneLine(String s, String prefix, String what) {
        if (hasControl(s)) {
            throw new IllegalArgumentException(prefix + what + " must be one line without control characters");
        }
        return s.strip();
    }

    private static boolean hasControl(String s) {
        return s.chars().anyMatch(c -> c < 0x20 || c == 0x7f);
    }

    private static <E extends Enum<E>> E choice(Class<E> type, String value, E otherwise, String prefix, String what,
            String allowed) {
        if (value == null || value.isBlank()) {
            return otherwise;
        }
        for (E e : type.getEnumConstants()) {
            if (e.name().equalsIgnoreCase(value.strip())) {
                return e;
            }
        }
        throw new IllegalArgumentException(prefix + "unknown " + what + " (" + allowed + ")");
    }

    private static boolean yes(String value, String prefix, String what) {
        switch (value.strip().toLowerCase(Locale.ROOT)) {
            case "yes", "true", "1", "y" -> {
                return true;
            }
            case "no", "false", "0", "n" -> {
                return false;
            }
            default -> throw new IllegalArgumentException(prefix + what + " must be yes or no");
        }
    }

    private static String localHostName() {
        try {
            String name = InetAddress.getLocalHost().getHostName();
            return name.matches("[A-Za-z0-9.-]{1,255}") ? name : "localhost";
        } catch (UnknownHostException e) {
            return "localhost";
        }
    }
}
