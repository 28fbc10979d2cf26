package dev.mediawatch.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.regex.Pattern;

import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;

/**
 * A real browser for the end-to-end tests: Debian's Chromium, headless, driven through Debian's chromedriver with
 * Selenium. Both are given by path ({@code MEDIAWATCH_TEST_CHROMIUM}, {@code MEDIAWATCH_TEST_CHROMEDRIVER}, which
 * {@code scripts/services.sh start} prints), so Selenium Manager is never asked to find or download one. When either
 * is missing the test fails saying so: a browser test that cannot run is a failure, never a skip.
 *
 * <p>Everything the page writes to the console is collected (Chrome's {@code goog:loggingPrefs}, browser log at
 * {@code ALL}): an uncaught script error, a Content Security Policy violation ("Refused to execute inline script
 * ...") and a failed load are all {@code SEVERE}, and {@link #consoleErrors()} lists them for the test to fail on.
 *
 * <p>The viewport is set by Chrome's device metrics emulation ({@code Emulation.setDeviceMetricsOverride}, through
 * chromedriver's CDP endpoint) rather than the window size: a window has a minimum width, an emulated screen does not.
 * It is emulated as a phone's ({@code mobile: true}), so the page is laid out as a phone lays it out: at the screen's
 * width when it asks for it ({@code <meta name="viewport" content="width=device-width">}), else 980 px wide and shrunk.
 *
 * <p>The browser's own request for {@code /favicon.ico}, made whether or not the page names an icon, is not the
 * page's: its failure is not counted among the {@link #consoleErrors()}.
 */
final class Browser implements AutoCloseable {

    /** The Chromium binary to drive; {@code scripts/services.sh} installs Debian's and prints this. */
    static final String CHROMIUM = "MEDIAWATCH_TEST_CHROMIUM";
    /** The chromedriver matching it (Debian's {@code chromium-driver}). */
    static final String CHROMEDRIVER = "MEDIAWATCH_TEST_CHROMEDRIVER";

    /** A viewport, in CSS pixels. */
    record Viewport(int width, int height) {
    }

    static final Viewport DESKTOP = new Viewport(1280, 900);
    static final Viewport PHONE = new Viewport(375, 800);

    /** Where {@link #screenshot} writes: {@code e2e/target/screenshots/} under Maven. */
    static final Path SCREENSHOTS = Path.of(System.getProperty("mediawatch.e2e.screenshots", "target/screenshots"));

    private static final String HINT = "run `eval \"$(scripts/services.sh start)\"` (it installs Debian's chromium and "
            + "chromium-driver and prints " + CHROMIUM + " and " + CHROMEDRIVER + "), then Maven";

    /** Chrome's entry for its own favicon request failing: {@code http://host:port/favicon.ico - Failed to load ...}. */
    private static final Pattern FAVICON = Pattern.compile("^https?://[^/\\s]+/favicon\\.ico - Failed to load resource");

    /**
     * Quiet: Selenium warns at every start that it has no DevTools binding for this Chromium's version. None is needed:
     * the CDP commands used here go through chromedriver ({@code executeCdpCommand}), not a DevTools connection.
     * Held here because java.util.logging keeps loggers only weakly.
     */
    private static final List<java.util.logging.Logger> QUIET = List.of(
            java.util.logging.Logger.getLogger("org.openqa.selenium.chromium.ChromiumDriver"),
            java.util.logging.Logger.getLogger("org.openqa.selenium.devtools.CdpVersionFinder"));

    static {
        QUIET.forEach(l -> l.setLevel(Level.SEVERE));
    }

    private final ChromeDriverService service;
    private final ChromeDriver driver;
    private final List<LogEntry> console = new ArrayList<>();
    private Viewport viewport;

    private Browser(ChromeDriverService service, ChromeDriver driver) {
        this.service = service;
        this.driver = driver;
    }

    /** Chromium and chromedriver from the environment that {@code scripts/services.sh start} prints; desktop size. */
    static Browser start() {
        return start(executable(CHROMIUM), executable(CHROMEDRIVER));
    }

    /**
     * @throws IllegalStateException when either is not an executable file, naming it and how to install it
     */
    static Browser start(Path chromium, Path chromedriver) {
        requireExecutable(chromium, CHROMIUM);
        requireExecutable(chromedriver, CHROMEDRIVER);
        Path work = Path.of(System.getProperty("mediawatch.e2e.work", "target/e2e"));
        try {
            Files.createDirectories(work);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(chromedriver.toFile())
                .usingAnyFreePort()
                .withLogFile(work.resolve("chromedriver.log").toFile())
                .withAppendLog(true)
                .build();
        ChromeOptions options = new ChromeOptions();
        options.setBinary(chromium.toFile());
        options.addArguments("--headless=new", "--disable-gpu", "--disable-dev-shm-usage",
                "--window-size=" + DESKTOP.width() + "," + DESKTOP.height(),
                // Nothing but the page under test talks to the network: no first-run, sync, update or
                // component checks reaching out from a test machine.
                "--no-first-run", "--no-default-browser-check", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--disable-extensions");
        if (runningAsRoot()) {
            // Chromium refuses to start its sandbox as root.
            options.addArguments("--no-sandbox");
        }
        LoggingPreferences logging = new LoggingPreferences();
        logging.enable(LogType.BROWSER, Level.ALL);
        options.setCapability(ChromeOptions.LOGGING_PREFS, logging);
        ChromeDriver driver;
        try {
            driver = new ChromeDriver(service, options);
        } catch (RuntimeException e) {
            service.stop();
            throw new IllegalStateException("cannot start " + chromium + " through " + chromedriver + " (see "
                    + work.resolve("chromedriver.log") + "): " + e.getMessage(), e);
        }
        driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(30)).scriptTimeout(Duration.ofSeconds(10));
        Browser browser = new Browser(service, driver);
        browser.viewport(DESKTOP);
        return browser;
    }

    private static Path executable(String variable) {
        String value = System.getenv(variable);
        if (value == null || value.isBlank()) {
            throw new IllegalStateException(variable + " is not set: the browser tests need Chromium and chromedriver; "
                    + HINT);
        }
        return Path.of(value);
    }

    private static void requireExecutable(Path file, String variable) {
        if (!Files.isRegularFile(file) || !Files.isExecutable(file)) {
            throw new IllegalStateException(variable + "=" + file + " is not an executable file; " + HINT);
        }
    }

    private static boolean runningAsRoot() {
        try {
            // /proc/self belongs to this process's user.
            return ((Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid")) == 0;
        } catch (IOException | UnsupportedOperationException e) {
            return "root".equals(System.getProperty("user.name"));
        }
    }

    ChromeDriver driver() {
        return driver;
    }

    /** Lays the page out at this size from now on (the current page too). */
    void viewport(Viewport v) {
        driver.executeCdpCommand("Emulation.setDeviceMetricsOverride", Map.of("width", v.width(), "height", v.height(),
                "deviceScaleFactor", 1, "mobile", true));
        viewport = v;
    }

    Viewport viewport() {
        return viewport;
    }

    /** Loads a URL and waits for its load event. */
    void open(String url) {
        driver.get(url);
    }

    /** Runs a script in the page ({@code return ...} for a value). */
    Object script(String js, Object... args) {
        return ((JavascriptExecutor) driver).executeScript(js, args);
    }

    /**
     * The elements a CSS selector matches now (none: empty). On a page that updates itself they may be replaced at
     * any moment: read what is needed in one go ({@link #attributes}, {@link #texts}, {@link #count}).
     */
    List<WebElement> all(String css) {
        return driver.findElements(By.cssSelector(css));
    }

    /** How many elements a CSS selector matches now. */
    int count(String css) {
        return ((Number) script("return document.querySelectorAll(arguments[0]).length;", css)).intValue();
    }

    /** The one element a CSS selector matches first; fails when none does. */
    WebElement one(String css) {
        return driver.findElement(By.cssSelector(css));
    }

    /**
     * An attribute of every match of a CSS selector, in document order (null where absent). Read in one script: a page
     * that replaces its content as it updates makes element references stale between two calls.
     */
    @SuppressWarnings("unchecked")
    List<String> attributes(String css, String name) {
        return (List<String>) script("return Array.from(document.querySelectorAll(arguments[0]), e => e.getAttribute(arguments[1]));",
                css, name);
    }

    /** The {@code textContent} of every match of a CSS selector, in document order, read in one script. */
    @SuppressWarnings("unchecked")
    List<String> texts(String css) {
        return (List<String>) script("return Array.from(document.querySelectorAll(arguments[0]), e => e.textContent);", css);
    }

    /** The text in an element as the document holds it ({@code textContent}, whether shown or not), or null. */
    String text(String css) {
        return (String) script("const e = document.querySelector(arguments[0]); return e === null ? null : e.textContent;",
                css);
    }

    /** An attribute of the first match of a CSS selector, or null when there is no match or no such attribute. */
    String attribute(String css, String name) {
        return (String) script("const e = document.querySelector(arguments[0]); return e === null ? null : "
                + "e.getAttribute(arguments[1]);", css, name);
    }

    /** The page is wider than the viewport: it scrolls sideways. */
    boolean horizontalOverflow() {
        return (Boolean) script("return document.documentElement.scrollWidth > document.documentElement.clientWidth;");
    }

    /**
     * The whole page (not just the viewport) as a PNG, {@code SCREENSHOTS/<name>.png} ({@code name} may end in
     * {@code .png} already); its path.
     */
    Path screenshot(String name) {
        @SuppressWarnings("unchecked")
        Map<String, Object> size = (Map<String, Object>) script("const d = document.documentElement;"
                + " return {w: Math.max(d.scrollWidth, d.clientWidth), h: Math.max(d.scrollHeight, d.clientHeight)};");
        Map<String, Object> clip = Map.of("x", 0, "y", 0, "width", ((Number) size.get("w")).doubleValue(),
                "height", ((Number) size.get("h")).doubleValue(), "scale", 1);
        Map<String, Object> shot = driver.executeCdpCommand("Page.captureScreenshot",
                Map.of("format", "png", "captureBeyondViewport", true, "clip", clip));
        Path file = SCREENSHOTS.resolve(name.endsWith(".png") ? name : name + ".png");
        try {
            Files.createDirectories(SCREENSHOTS);
            Files.write(file, Base64.getDecoder().decode((String) shot.get("data")));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return file;
    }

    /** Everything the page wrote to the console since the browser started, oldest first. */
    List<LogEntry> console() {
        // Reading the browser log empties Chrome's buffer: keep what was read.
        driver.manage().logs().get(LogType.BROWSER).forEach(console::add);
        return List.copyOf(console);
    }

    /**
     * The console's errors since the browser started or {@link #clearConsole()}, as {@code LEVEL message}: uncaught
     * exceptions, Content Security Policy violations, failed loads.
     */
    List<String> consoleErrors() {
        return console().stream().filter(e -> e.getLevel().intValue() >= Level.SEVERE.intValue())
                .filter(e -> !FAVICON.matcher(e.getMessage()).find())
                .map(e -> e.getLevel() + " " + e.getMessage()).toList();
    }

    /** Forgets what the console said so far (a test starts afresh). */
    void clearConsole() {
        console();
        console.clear();
    }

    @Override
    public void close() {
        try {
            driver.quit();
        } finally {
            service.stop();
        }
    }
}
