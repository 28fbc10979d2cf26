package dev.mediawatch.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.sun.net.httpserver.HttpServer;

/**
 * The browser the page tests stand on, proved on pages of its own: a local server sends them with the same kind of
 * Content Security Policy the aggregator's page has ({@code default-src 'self'}), so an inline script is a real CSP
 * violation, a thrown error a real uncaught exception, and a wide block a real sideways scroll on a phone.
 */
class BrowserIT {

    private static final String RUN = UUID.randomUUID().toString().substring(0, 8);
    private static final String CSP = "default-src 'self'";
    private static final String HEAD = "<!doctype html><html lang=en><head><meta charset=utf-8>"
            + "<meta name=viewport content=\"width=device-width, initial-scale=1\"><title>t</title></head><body>";

    private static final Map<String, String> PAGES = Map.of(
            "/fits", HEAD + "<p>fits</p><script src=/ran.js></script></body></html>",
            // The block's width comes from a stylesheet: under the policy a style attribute would be refused.
            "/wide", HEAD.replace("</head>", "<link rel=stylesheet href=/wide.css></head>")
                    + "<div class=wide>wide</div></body></html>",
            "/wide.css", ".wide { width: 600px }",
            "/no-viewport", "<!doctype html><html lang=en><head><meta charset=utf-8><title>t</title></head><body>"
                    + "<p>no viewport tag</p></body></html>",
            "/missing-style", HEAD.replace("</head>", "<link rel=stylesheet href=/missing.css></head>") + "</body></html>",
            "/inline", HEAD + "<script>window.__inline = 1</script></body></html>",
            "/throws", HEAD + "<script src=/throws.js></script></body></html>",
            "/ran.js", "window.__ran = 1;",
            "/throws.js", "throw new Error('boom-" + RUN + "');");

    private static HttpServer server;
    private static final List<String> requested = new CopyOnWriteArrayList<>();
    private static Browser browser;

    @BeforeAll
    static void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", ex -> {
            String path = ex.getRequestURI().getPath();
            requested.add(path);
            String body = PAGES.get(path);
            byte[] bytes = (body == null ? "not here" : body).getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().add("Content-Type", path.endsWith(".js") ? "text/javascript"
                    : path.endsWith(".css") ? "text/css" : "text/html; charset=utf-8");
            ex.getResponseHeaders().add("Content-Security-Policy", CSP);
            ex.sendResponseHeaders(body == null ? 404 : 200, bytes.length);
            try (OutputStream out = ex.getResponseBody()) {
                out.write(bytes);
            }
        });
        server.start();
        browser = Browser.start();
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.close();
        }
        if (server != null) {
            server.stop(0);
        }
    }

    @BeforeEach
    void desktopAndQuiet() {
        browser.viewport(Browser.DESKTOP);
        browser.clearConsole();
    }

    private static String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    @Test
    void aPageThatFits_runsItsOwnScript_saysNothingInTheConsole_andDoesNotScrollSidewaysOnAPhone() {
        browser.viewport(Browser.PHONE);
        browser.open(url("/fits"));
        assertThat(browser.script("return window.__ran")).isEqualTo(1L);
        assertThat(browser.script("return document.documentElement.clientWidth")).isEqualTo(375L);
        assertThat(browser.horizontalOverflow()).isFalse();
        assertThat(browser.consoleErrors()).as("requests %s", requested).isEmpty();
    }

    @Test
    void aBlockWiderThanAPhone_overflowsAt375_butNotOnTheDesktop() {
        browser.open(url("/wide"));
        assertThat(browser.horizontalOverflow()).isFalse();
        browser.viewport(Browser.PHONE);
        assertThat(browser.horizontalOverflow()).as("overflow at 375 px: %s", widths()).isTrue();
        assertThat(browser.consoleErrors()).isEmpty();
    }

    private static Object widths() {
        return browser.script("const d = document.documentElement; return 'scrollWidth ' + d.scrollWidth"
                + " + ', clientWidth ' + d.clientWidth + ', innerWidth ' + window.innerWidth;");
    }

    @Test
    void thePhone_isEmulatedAsAPhone_soAPageWithoutAViewportTagIsLaidOutWide() {
        browser.viewport(Browser.PHONE);
        browser.open(url("/no-viewport"));
        // A phone's browser lays such a page out 980 px wide and shrinks it to the screen.
        assertThat(browser.script("return document.documentElement.clientWidth")).isEqualTo(980L);
    }

    @Test
    void aResourceOfThePageThatFailsToLoad_isAConsoleError() {
        browser.open(url("/missing-style"));
        assertThat(browser.consoleErrors()).singleElement().asString()
                .contains(url("/missing.css")).contains("Failed to load resource").contains("404");
    }

    @Test
    void anInlineScript_isRefusedByThePolicy_andTheViolationIsAConsoleError() {
        browser.open(url("/inline"));
        assertThat(browser.script("return typeof window.__inline")).isEqualTo("undefined");
        assertThat(browser.consoleErrors()).singleElement().asString().startsWith("SEVERE ")
                .contains("inline script").contains("Content Security Policy").contains("blocked");
    }

    @Test
    void anUncaughtError_isAConsoleError() {
        browser.open(url("/throws"));
        assertThat(browser.consoleErrors()).singleElement().asString().contains("Uncaught Error: boom-" + RUN);
        browser.clearConsole();
        assertThat(browser.consoleErrors()).isEmpty();
    }

    @Test
    void aScreenshot_isAPngOfTheWholePage_atTheViewportsWidth() throws IOException {
        browser.viewport(Browser.PHONE);
        browser.open(url("/fits"));
        Path file = browser.screenshot("browser-self-test-" + RUN);
        assertThat(file).isEqualTo(Browser.SCREENSHOTS.resolve("browser-self-test-" + RUN + ".png"));
        byte[] png = Files.readAllBytes(file);
        // PNG signature, then the IHDR chunk: width and height, big-endian, at bytes 16 and 20.
        assertThat(png).startsWith(0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n');
        assertThat(ByteBuffer.wrap(png, 16, 4).getInt()).isEqualTo(375);
        assertThat(ByteBuffer.wrap(png, 20, 4).getInt()).isGreaterThan(0);
        Files.delete(file);
    }

    @Test
    void noChromium_failsNamingWhatIsMissingAndHowToInstallIt() {
        Path nowhere = Path.of("/nonexistent-" + RUN + "/chromium");
        assertThatThrownBy(() -> Browser.start(nowhere, Path.of("/usr/bin/chromedriver")))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(Browser.CHROMIUM + "=" + nowhere + " is not an executable file")
                .hasMessageContaining("scripts/services.sh start");
    }
}
