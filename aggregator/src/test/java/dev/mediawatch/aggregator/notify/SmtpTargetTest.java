package dev.mediawatch.aggregator.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;
import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.mediawatch.testing.RealServices;

/**
 * Mail to a real SMTP server. The mail providers people configure cannot be reached from here, so Debian's
 * aiosmtpd (python3-aiosmtpd, a real SMTP server; {@code scripts/services.sh} installs it) stands in: started per
 * test by {@code smtp/smtp_server.py} on 127.0.0.1 and a free port, optionally requiring AUTH, offering STARTTLS or
 * speaking TLS from the first byte with a self-signed certificate made by {@code openssl} for the test. It writes
 * each mail it accepts as one JSON line (envelope, data as received, TLS, AUTH mechanism), which the test awaits.
 * Two misbehaving peers a real server cannot play (one that never greets, one whose reply line does not end) are
 * plain sockets.
 */
@RealServices
class SmtpTargetTest {

    static final String PASSWORD = "Canary-Pa55word-7f3e";
    static final String USER = "mw-sender";
    static final Duration TIMEOUT = Duration.ofSeconds(5);
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dir;
    static Path cert;
    static Path key;
    static SSLContext trusting;

    final List<Process> servers = new ArrayList<>();
    final List<ServerSocket> sockets = new ArrayList<>();

    /** A running aiosmtpd and the file its mails land in. */
    record Server(int port, Path mails) {
        List<JsonNode> received() {
            try {
                List<JsonNode> out = new ArrayList<>();
                if (Files.exists(mails)) {
                    for (String line : Files.readAllLines(mails)) {
                        if (line.endsWith("}")) {
                            out.add(JSON.readTree(line));
                        }
                    }
                }
                return out;
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }

        JsonNode awaitMail(int count) {
            await().atMost(Duration.ofSeconds(10)).until(() -> received().size() >= count);
            return received().get(count - 1);
        }
    }

    @BeforeAll
    static void certificate() throws Exception {
        cert = dir.resolve("cert.pem");
        key = dir.resolve("key.pem");
        Process p = new ProcessBuilder("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
                "-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1",
                "-keyout", key.toString(), "-out", cert.toString()).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("openssl (Debian's openssl package) made the test certificate: %s", output)
                .isZero();
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setCertificateEntry("test", CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(Files.readAllBytes(cert))));
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(store);
        trusting = SSLContext.getInstance("TLS");
        trusting.init(null, tmf.getTrustManagers(), null);
    }

    @AfterEach
    void stop() throws Exception {
        for (Process p : servers) {
            p.getOutputStream().close();
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
        }
        for (ServerSocket s : sockets) {
            s.close();
        }
    }

    /** Starts aiosmtpd with the script's options; fails loudly when python3 or aiosmtpd is missing. */
    Server start(String... options) throws Exception {
        Path python = Path.of("/usr/bin/python3");
        if (!Files.isExecutable(python)) {
            fail("the SMTP tests need Debian's /usr/bin/python3 with python3-aiosmtpd: "
                    + "apt-get install python3-aiosmtpd (scripts/services.sh start installs it)");
        }
        Path script = Path.of(SmtpTargetTest.class.getResource("/smtp/smtp_server.py").toURI());
        Path mails = Files.createTempFile(dir, "mails", ".jsonl");
        List<String> command = new ArrayList<>(List.of(python.toString(), script.toString(), mails.toString()));
        command.addAll(List.of(options));
        Path err = Files.createTempFile(dir, "smtpd", ".err");
        Process p = new ProcessBuilder(command).redirectError(err.toFile()).start();
        servers.add(p);
        String line = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8)).readLine();
        if (line == null || !line.strip().matches("\\d+")) {
            fail("aiosmtpd did not start (is python3-aiosmtpd installed? apt-get install python3-aiosmtpd, "
                    + "or scripts/services.sh start): " + Files.readString(err));
        }
        return new Server(Integer.parseInt(line.strip()), mails);
    }

    Server startWithAuth(String... more) throws Exception {
        List<String> options = new ArrayList<>(List.of("--user", USER, "--password", PASSWORD));
        options.addAll(List.of(more));
        return start(options.toArray(String[]::new));
    }

    static SmtpTarget target(String url) {
        return target(url, trusting);
    }

    static SmtpTarget target(String url, SSLContext tls) {
        return new SmtpTarget(3, URI.create(url), Target.Filter.ALL, tls, Clock.systemUTC());
    }

    static String credentials(String password) {
        return USER + ":" + URLEncoder.encode(password, StandardCharsets.UTF_8) + "@";
    }

    static Message message(String key, String title, String text, Message.Severity severity) {
        return new Message(key, title, text, severity, true, "host", "https://mediawatch.example/status");
    }

    static Message message(String key) {
        return message(key, "nas1 is offline", "nas1 is offline since 21:03\nlast seen 21:01", Message.Severity.CRITICAL);
    }

    /** The data's headers (unfolded) and body, split at the first empty line. */
    record Mail(Map<String, String> headers, String body) {
        static Mail of(JsonNode received) {
            String data = received.get("data").asText();
            int end = data.indexOf("\r\n\r\n");
            Map<String, String> headers = new LinkedHashMap<>();
            for (String h : data.substring(0, end).replace("\r\n ", " ").split("\r\n")) {
                int colon = h.indexOf(':');
                headers.put(h.substring(0, colon).toLowerCase(), h.substring(colon + 1).strip());
            }
            return new Mail(headers, data.substring(end + 4));
        }

        String header(String name) {
            return headers.get(name.toLowerCase());
        }
    }

    static String decodeWords(String encoded) {
        StringBuilder out = new StringBuilder();
        for (String word : encoded.split(" ")) {
            assertThat(word).startsWith("=?UTF-8?B?").endsWith("?=");
            assertThat(word.length()).isLessThanOrEqualTo(75);
            out.append(new String(Base64.getDecoder().decode(word.substring(10, word.length() - 2)),
                    StandardCharsets.UTF_8));
        }
        return out.toString();
    }

    @Test
    void deliversPlainTextMailWithItsHeadersToEveryRecipient() throws Exception {
        Server s = start();
        SmtpTarget t = target("smtp://127.0.0.1:" + s.port() + "/?FromAddress=mw%2Balerts@example.org"
                + "&ToAddresses=ops@example.org,oncall+nas@example.net&fromName=Media%20Watch&encryption=None");
        String text = "nas1 is offline since 21:03\n.hidden starts with a dot\n.\nlast line";
        Outcome o = t.send(message("nas1:raised:1795900980", "nas1 ist nicht erreichbar – Ärger", text,
                Message.Severity.CRITICAL), TIMEOUT);

        assertThat(o).isEqualTo(Outcome.delivered("SMTP 250"));
        JsonNode got = s.awaitMail(1);
        assertThat(got.get("mail_from").asText()).isEqualTo("mw+alerts@example.org");
        assertThat(got.get("rcpt_tos")).extracting(JsonNode::asText)
                .containsExactly("ops@example.org", "oncall+nas@example.net");
        assertThat(got.get("mail_options")).extracting(JsonNode::asText).doesNotContain("BODY=8BITMIME");
        assertThat(got.get("tls").asBoolean()).isFalse();
        String data = got.get("data").asText();
        assertThat(data.replace("\r\n", "")).doesNotContain("\n").doesNotContain("\r");

        Mail mail = Mail.of(got);
        assertThat(mail.header("From")).isEqualTo("\"Media Watch\" <mw+alerts@example.org>");
        assertThat(mail.header("To")).isEqualTo("ops@example.org, oncall+nas@example.net");
        assertThat(decodeWords(mail.header("Subject"))).isEqualTo("nas1 ist nicht erreichbar – Ärger");
        assertThat(mail.header("Message-ID")).matches("<[0-9a-f]{32}@mediawatch>")
                .isEqualTo(SmtpTarget.messageId("nas1:raised:1795900980"));
        assertThat(mail.header("X-Mediawatch-Delivery")).isEqualTo("nas1:raised:1795900980");
        assertThat(mail.header("X-Priority")).isEqualTo("1");
        assertThat(mail.header("Importance")).isEqualTo("high");
        assertThat(mail.header("MIME-Version")).isEqualTo("1.0");
        assertThat(mail.header("Content-Type")).isEqualTo("text/plain; charset=UTF-8");
        assertThat(mail.header("Content-Transfer-Encoding")).isEqualTo("7bit");
        assertThat(mail.header("Date")).matches("[A-Z][a-z]{2}, \\d{1,2} [A-Z][a-z]{2} \\d{4} \\d\\d:\\d\\d:\\d\\d GMT");
        assertThat(mail.body()).isEqualTo("nas1 is offline since 21:03\r\n.hidden starts with a dot\r\n.\r\n"
                + "last line\r\nhttps://mediawatch.example/status\r\n");
    }

    @Test
    void theSameKeyKeepsItsMessageIdAcrossAttemptsAndAWarningIsNormalPriority() throws Exception {
        Server s = start();
        SmtpTarget t = target("smtp://127.0.0.1:" + s.port() + "/?from=mw@example.org&to=ops@example.org");
        Message warning = message("disk:raised:1795900000", "disk almost full", "/srv 96 % used",
                Message.Severity.WARNING);
        assertThat(t.send(warning, TIMEOUT).delivered()).isTrue();
        assertThat(t.send(warning, TIMEOUT).delivered()).isTrue();
        assertThat(t.send(message("disk:cleared:1795900000"), TIMEOUT).delivered()).isTrue();

        s.awaitMail(3);
        List<Mail> mails = s.received().stream().map(Mail::of).toList();
        assertThat(mails.get(0).header("Message-ID")).isEqualTo(mails.get(1).header("Message-ID"));
        assertThat(mails.get(2).header("Message-ID")).isNotEqualTo(mails.get(0).header("Message-ID"));
        assertThat(mails.get(0).header("Subject")).isEqualTo("disk almost full");
        assertThat(mails.get(0).header("X-Priority")).isEqualTo("3");
        assertThat(mails.get(0).header("Importance")).isNull();
    }

    @Test
    void aNonAsciiBodyIsSentAs8BitWhenTheServerTakesIt() throws Exception {
        Server s = start();
        SmtpTarget t = target("smtp://127.0.0.1:" + s.port() + "/?from=mw@example.org&to=ops@example.org"
                + "&subject=%5Bmediawatch%5D");
        assertThat(t.send(message("k:raised:1", "Stottern", "Wiedergabe stockt: Überlast", Message.Severity.WARNING),
                TIMEOUT).delivered()).isTrue();
        JsonNode got = s.awaitMail(1);
        assertThat(got.get("mail_options")).extracting(JsonNode::asText).contains("BODY=8BITMIME");
        Mail mail = Mail.of(got);
        assertThat(mail.header("Subject")).isEqualTo("[mediawatch] Stottern");
        assertThat(mail.header("Content-Transfer-Encoding")).isEqualTo("8bit");
        assertThat(mail.body()).startsWith("Wiedergabe stockt: Überlast\r\n");
    }

    @Test
    void aBodyLineLongerThanRfc5322AllowsIsSentBase64Encoded() throws Exception {
        Server s = start();
        String evidence = "paths: " + "/srv/media/series/episode.mkv ".repeat(40);
        SmtpTarget t = target("smtp://127.0.0.1:" + s.port() + "/?from=mw@example.org&to=ops@example.org");
        assertThat(t.send(message("k:raised:1", "many paths", evidence, Message.Severity.WARNING), TIMEOUT)
                .delivered()).isTrue();
        Mail mail = Mail.of(s.awaitMail(1));
        assertThat(mail.header("Content-Transfer-Encoding")).isEqualTo("base64");
        assertThat(mail.body().lines()).allMatch(l -> l.length() <= 76);
        assertThat(new String(Base64.getMimeDecoder().decode(mail.body()), StandardCharsets.UTF_8))
                .isEqualTo(evidence + "\nhttps://mediawatch.example/status");
    }

    @Test
    void authPlainDeliversWithTheRightPassword() throws Exception {
        Server s = startWithAuth();
        SmtpTarget t = target("smtp://" + credentials(PASSWORD) + "127.0.0.1:" + s.port()
                + "/?from=mw@example.org&to=ops@example.org&auth=Plain&encryption=None");
        assertThat(t.send(message("a:raised:1"), TIMEOUT)).isEqualTo(Outcome.delivered("SMTP 250"));
        JsonNode got = s.awaitMail(1);
        assertThat(got.get("auth_mechanism").asText()).isEqualTo("PLAIN");
        assertThat(got.get("auth_login").asText()).isEqualTo(USER);
    }

    @Test
    void aWrongPasswordIsRefusedFor535AndNotRetried() throws Exception {
        Server s = startWithAuth();
        SmtpTarget t = target("smtp://" + USER + ":Wrong-" + PASSWORD + "@127.0.0.1:" + s.port()
                + "/?from=mw@example.org&to=ops@example.org&auth=Plain");
        Outcome o = t.send(message("a:raised:1"), TIMEOUT);
        assertThat(o).isEqualTo(Outcome.fail("SMTP 535 at AUTH"));
        assertThat(o.what()).doesNotContain(PASSWORD).doesNotContain(USER).doesNotContain("example.org");
        assertThat(t.display()).isEqualTo("smtp://***@127.0.0.1").doesNotContain(PASSWORD);
        assertThat(t.toString()).doesNotContain(PASSWORD).doesNotContain(USER);

        // the refused attempt left no mail behind: the next one, with the right password, is the first recorded
        assertThat(target("smtp://" + credentials(PASSWORD) + "127.0.0.1:" + s.port()
                + "/?from=mw@example.org&to=ops@example.org").send(message("b:raised:1"), TIMEOUT).delivered()).isTrue();
        assertThat(Mail.of(s.awaitMail(1)).header("X-Mediawatch-Delivery")).isEqualTo("b:raised:1");
        assertThat(s.received()).hasSize(1);
    }

    @Test
    void aServerOfferingOnlyLoginGetsAuthLogin() throws Exception {
        Server s = startWithAuth("--mechanisms", "LOGIN");
        SmtpTarget t = target("smtp://" + credentials(PASSWORD) + "127.0.0.1:" + s.port()
                + "/?from=mw@example.org&to=ops@example.org&auth=plain");
        assertThat(t.send(message("a:raised:1"), TIMEOUT).delivered()).isTrue();
        assertThat(s.awaitMail(1).get("auth_mechanism").asText()).isEqualTo("LOGIN");
    }

    @Test
    void cramMd5ProvesThePasswordWithoutSendingIt() throws Exception {
        Server s = startWithAuth("--mechanisms", "CRAM-MD5");
        SmtpTarget t = target("smtp://" + credentials(PASSWORD) + "127.0.0.1:" + s.port()
                + "/?from=mw@example.org&to=ops@example.org&auth=CRAMMD5");
        assertThat(t.send(message("a:raised:1"), TIMEOUT).delivered()).isTrue();
        assertThat(s.awaitMail(1).get("auth_mechanism").asText()).isEqualTo("CRAM-MD5");
    }

    @Test
    void withoutCredentialsAServerRequiringAuthRefusesTheMail() throws Exception {
        Server s = startWithAuth();
        SmtpTarget t = target("smtp://127.0.0.1:" + s.port() + "/?from=mw@example.org&to=ops@example.org");
        assertThat(t.send(message("a:raised:1"), TIMEOUT)).isEqualTo(Outcome.fail("SMTP 530 at MAIL"));
    }

    @Test
    void startTlsIsUsedWhenOfferedAndAuthGoesOverIt() throws Exception {
        Server s = startWithAuth("--cert", cert.toString(), "--key", key.toString());
        SmtpTarget auto = target("smtp://" + credentials(PASSWORD) + "localhost:" + s.port()
                + "/?from=mw@example.org&to=ops@example.org");
        assertThat(auto.send(message("a:raised:1"), TIMEOUT)).isEqualTo(Outcome.delivered("SMTP 250"));
        JsonNode got = s.awaitMail(1);
        assertThat(got.get("tls").asBoolean()).isTrue();
        assertThat(got.get("auth_mechanism").asText()).isEqualTo("PLAIN");

        SmtpTarget explicit = target("smtp://" + credentials(PASSWORD) + "127.0.0.1:" + s.port()
                + "/?from=mw@example.org&to=ops@example.org&encryption=ExplicitTLS");
        assertThat(explicit.send(message("b:raised:1"), TIMEOUT).delivered()).isTrue();
        assertThat(s.awaitMail(2).get("tls").asBoolean()).isTrue();

        SmtpTarget plain = target("smtp://127.0.0.1:" + s.port() + "/?from=mw@example.org&to=ops@example.org"
                + "&auth=None&useStartTLS=no");
        assertThat(plain.send(message("c:raised:1"), TIMEOUT)).isEqualTo(Outcome.fail("SMTP 530 at MAIL"));
    }

    @Test
    void explicitTlsRefusesAServerWithoutStartTls() throws Exception {
        Server s = start();
        SmtpTarget t = target("smtp://127.0.0.1:" + s.port() + "/?from=mw@example.org&to=ops@example.org"
                + "&encryption=explicittls");
        assertThat(t.send(message("a:raised:1"), TIMEOUT)).isEqualTo(Outcome.fail("STARTTLS not offered"));
        assertThat(s.received()).isEmpty();
    }

    @Test
    void anUntrustedCertificateEndsTheDeliveryBeforeAnyCredentialIsSent() throws Exception {
        Server s = startWithAuth("--cert", cert.toString(), "--key", key.toString());
        SmtpTarget t = target("smtp://" + credentials(PASSWORD) + "127.0.0.1:" + s.port()
                + "/?from=mw@example.org&to=ops@example.org", SSLContext.getDefault());
        Outcome o = t.send(message("a:raised:1"), TIMEOUT);
        assertThat(o).isEqualTo(Outcome.fail("TLS certificate not trusted"));
        assertThat(s.received()).isEmpty();
    }

    @Test
    void implicitTlsSpeaksTlsFromTheFirstByte() throws Exception {
        Server s = startWithAuth("--cert", cert.toString(), "--key", key.toString(), "--implicit-tls");
        SmtpTarget t = target("smtp://" + credentials(PASSWORD) + "127.0.0.1:" + s.port()
                + "/?from=mw@example.org&to=ops@example.org&Encryption=ImplicitTLS&Auth=Plain");
        assertThat(t.send(message("a:raised:1"), TIMEOUT)).isEqualTo(Outcome.delivered("SMTP 250"));
        JsonNode got = s.awaitMail(1);
        assertThat(got.get("tls").asBoolean()).isTrue();
        assertThat(got.get("auth_mechanism").asText()).isEqualTo("PLAIN");
    }

    @Test
    void aTransientRecipientRefusalIsRetriedAndNothingIsSent() throws Exception {
        Server s = start();
        SmtpTarget t = target("smtp://127.0.0.1:" + s.port() + "/?from=mw@example.org"
                + "&to=ops@example.org,tempfail@example.org");
        assertThat(t.send(message("a:raised:1"), TIMEOUT)).isEqualTo(Outcome.retry("SMTP 451 at RCPT"));
        assertThat(s.received()).isEmpty();
    }

    @Test
    void permanentRecipientRefusalsFailWhenNoneIsLeftAndAreReportedOtherwise() throws Exception {
        Server s = start();
        Outcome none = target("smtp://127.0.0.1:" + s.port() + "/?from=mw@example.org&to=reject@example.org")
                .send(message("a:raised:1"), TIMEOUT);
        assertThat(none).isEqualTo(Outcome.fail("SMTP 550 at RCPT"));

        Outcome some = target("smtp://127.0.0.1:" + s.port()
                + "/?from=mw@example.org&to=reject@example.org,ops@example.org").send(message("b:raised:1"), TIMEOUT);
        assertThat(some).isEqualTo(Outcome.delivered("SMTP 250, 1 of 2 recipients refused (SMTP 550 at RCPT)"));
        assertThat(s.awaitMail(1).get("rcpt_tos")).extracting(JsonNode::asText).containsExactly("ops@example.org");
    }

    @Test
    void aServerThatIsNotListeningIsRetried() throws Exception {
        int port;
        try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = free.getLocalPort();
        }
        SmtpTarget t = target("smtp://" + credentials(PASSWORD) + "127.0.0.1:" + port
                + "/?from=mw@example.org&to=ops@example.org");
        Outcome o = t.send(message("a:raised:1"), TIMEOUT);
        assertThat(o).isEqualTo(Outcome.retry("connection refused"));
    }

    @Test
    void aServerThatNeverGreetsTimesOutAndIsRetried() throws Exception {
        ServerSocket silent = new ServerSocket(0, 5, InetAddress.getLoopbackAddress());
        sockets.add(silent);
        SmtpTarget t = target("smtp://127.0.0.1:" + silent.getLocalPort() + "/?from=mw@example.org&to=ops@example.org");
        long start = System.nanoTime();
        Outcome o = t.send(message("a:raised:1"), Duration.ofMillis(300));
        assertThat(o).isEqualTo(Outcome.retry("timed out at greeting"));
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
    }

    @Test
    void aReplyLineLongerThan4KiBOrOfTooManyLinesEndsTheDelivery() throws Exception {
        assertThat(sendTo("220 " + "x".repeat(5000) + "\r\n")).isEqualTo(Outcome.fail(
                "reply line longer than 4096 bytes at greeting"));
        assertThat(sendTo("220-hello\r\n".repeat(150) + "220 done\r\n")).isEqualTo(Outcome.fail(
                "reply of more than 100 lines at greeting"));
        assertThat(sendTo("HTTP/1.1 400 Bad Request\r\n\r\n")).isEqualTo(Outcome.fail("not an SMTP reply at greeting"));
        assertThat(sendTo("421 4.3.2 shutting down\r\n")).isEqualTo(Outcome.retry("SMTP 421 at greeting"));
    }

    /** Sends a message to a peer that says {@code greeting} to whoever connects, then keeps the line open. */
    Outcome sendTo(String greeting) throws Exception {
        try (ServerSocket peer = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
            Thread t = new Thread(() -> {
                try (Socket c = peer.accept(); OutputStream out = c.getOutputStream()) {
                    out.write(greeting.getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                    c.getInputStream().readAllBytes();
                } catch (IOException e) {
                    // the client hung up
                }
            });
            t.start();
            Outcome o = target("smtp://127.0.0.1:" + peer.getLocalPort() + "/?from=mw@example.org&to=ops@example.org")
                    .send(message("a:raised:1"), Duration.ofSeconds(2));
            t.join(5000);
            return o;
        }
    }

    @Test
    void urlMistakesNameThePositionAndTheProblemButNoCredentialOrAddress() {
        String base = "smtp://" + USER + ":" + PASSWORD + "@mail.example.org";
        Map<String, String> cases = new LinkedHashMap<>();
        cases.put(base + "/?fromAddress=mw@example.org", "no toAddresses");
        cases.put(base + "/?toAddresses=ops@example.org", "no fromAddress");
        cases.put(base + ":99999/?from=mw@example.org&to=ops@example.org", "bad port");
        cases.put(base + ":0/?from=mw@example.org&to=ops@example.org", "bad port");
        cases.put(base + ":smtp/?from=mw@example.org&to=ops@example.org", "no host, or a port that is not a number");
        cases.put(base + "/?from=mw@example.org&to=ops@example.org&auth=Kerberos", "unknown auth");
        cases.put(base + "/?from=mw@example.org&to=ops@example.org&encryption=SSL", "unknown encryption");
        cases.put(base + "/?from=mw@example.org&to=ops-example.org", "toAddresses #1 is not an e-mail address");
        cases.put(base + "/?from=mw@example.org&to=ops@example.org&fromName=a%0D%0ABcc:x@y", "fromName must be one line");
        cases.put(base + "/?from=mw@example.org&to=ops@example.org&encryption=ExplicitTLS&useStartTLS=no",
                "contradicts");
        cases.put(base + "/?from=mw@example.org&to=ops@example.org&colour=blue", "unknown query parameter 'colour'");
        cases.put("smtp://mail.example.org/?from=mw@example.org&to=ops@example.org&auth=Plain",
                "auth=Plain needs a username");
        cases.forEach((url, problem) -> assertThatThrownBy(() -> SmtpTarget.of(7, URI.create(url), Target.Filter.ALL))
                .as(url).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("notification URL #7 (smtp): ").hasMessageContaining(problem)
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain(PASSWORD).doesNotContain(USER)
                        .doesNotContain("mw@").doesNotContain("ops@").doesNotContain("ops-example")));
    }

    @Test
    void queryKeysAreCaseInsensitiveAndTheTargetShowsNoCredential() {
        Target.Filter critical = new Target.Filter(Message.Severity.CRITICAL, Set.of("host"));
        Target t = SmtpTarget.of(1, URI.create("smtp://" + USER + ":" + PASSWORD + "@mail.example.org:587/"
                + "?FROMADDRESS=mw@example.org&toaddresses=ops@example.org&AUTH=plain&Encryption=EXPLICITTLS"
                + "&UseStartTLS=Yes&ClientHost=mw.example.org&Title=x&usehtml=no#severity=critical"), critical);
        assertThat(t.scheme()).isEqualTo("smtp");
        assertThat(t.display()).isEqualTo("smtp://***@mail.example.org");
        assertThat(t.filter()).isSameAs(critical);
        assertThat(t.toString()).doesNotContain(PASSWORD).doesNotContain(USER);
    }
}
