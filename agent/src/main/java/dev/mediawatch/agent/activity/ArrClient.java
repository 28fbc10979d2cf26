package dev.mediawatch.agent.activity;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Objects;
import java.util.Optional;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.JsonNode;

import dev.mediawatch.contract.ActivitySource;
import dev.mediawatch.contract.ArrImports;
import dev.mediawatch.contract.SourceState;

/**
 * What Radarr, Sonarr or Lidarr imported today, from the app's own history: the download host's proof that the
 * *arr apps do their part of the split (a download that is never imported never reaches the streaming host).
 *
 * <p>One class for the three: they share the Servarr API. {@code GET <base>/api/v3/history} (Radarr, Sonarr) or
 * {@code /api/v1/history} (Lidarr) with {@code page}, {@code pageSize}, {@code sortKey=date} and
 * {@code sortDirection=descending} answers a {@code PagingResource<HistoryResource>}: {@code page},
 * {@code pageSize}, {@code totalRecords} and {@code records[]}, each with {@code eventType} (a camel-case enum name)
 * and {@code date} (UTC, written by the app when the event happened). An import of a finished download is
 * {@code downloadFolderImported} in Radarr (one record per movie) and Sonarr (one per episode:
 * {@code HistoryService} writes a record for each episode of the file), and {@code trackFileImported} in Lidarr (one
 * per track; {@code downloadImported} is the album-level summary of the same import and is not counted again).
 * Grabs, failures, deletions, renames and manual folder imports are other event types and are not counted.
 *
 * <p>Today is since local midnight in the agent's zone (the operator's day, not UTC's). Pages are read newest first
 * and followed only while every record of a page is at or after midnight: the first page reaching before midnight
 * holds the last of today's records. At most {@value #MAX_PAGES} pages of {@value #PAGE_SIZE} are read, so one
 * busy day costs a bounded number of calls; past that the count is what those pages hold.
 *
 * <p>The API key goes in the {@code X-Api-Key} header only (the apps also take it as a query parameter, which
 * would put it in every access log): never in the URL, a problem text or {@link #toString()}. Without a key the
 * source is {@code not-configured} and nothing is sent. HTTP 401 (the apps' answer to a missing or wrong key) and
 * 403 are {@code unauthorized}.
 *
 * <p>Blocking calls, each bounded by the timeout: run on the activity thread only.
 */
public final class ArrClient {

    /** Records asked per page: large enough that an ordinary day fits on one page. */
    static final int PAGE_SIZE = 250;
    /** Pages read at most per ask. */
    static final int MAX_PAGES = 4;

    private static final Logger LOG = Logger.getLogger(ArrClient.class);

    /** The three apps: where their history is, which event is an import, and what one record counts. */
    public enum App {
        RADARR(ArrImports.RADARR, "Radarr", "/api/v3/history", "downloadFolderImported", "movies",
                ActivityKeys.RADARR_API_KEY),
        SONARR(ArrImports.SONARR, "Sonarr", "/api/v3/history", "downloadFolderImported", "episodes",
                ActivityKeys.SONARR_API_KEY),
        LIDARR(ArrImports.LIDARR, "Lidarr", "/api/v1/history", "trackFileImported", "tracks",
                ActivityKeys.LIDARR_API_KEY);

        private final String id;
        private final String label;
        private final String historyPath;
        private final String importEvent;
        private final String unit;
        private final String keyVariable;

        App(String id, String label, String historyPath, String importEvent, String unit, String keyVariable) {
            this.id = id;
            this.label = label;
            this.historyPath = historyPath;
            this.importEvent = importEvent;
            this.unit = unit;
            this.keyVariable = keyVariable;
        }

        /** The source name and {@link ArrImports#app()}: {@code radarr}, {@code sonarr}, {@code lidarr}. */
        public String id() {
            return id;
        }

        /** The environment variable holding its key. */
        public String keyVariable() {
            return keyVariable;
        }
    }

    private final App app;
    private final ApiHttp http;
    private final URI history;
    private final String apiKey;
    private final ActivitySource unusable;
    private final Clock clock;
    private final ZoneId zone;

    /**
     * @param httpClient the agent's shared client
     * @param app     which of the three
     * @param baseUrl the app's address, e.g. {@code http://127.0.0.1:7878} (a URL base, e.g. {@code /radarr} behind a
     *                proxy, is kept)
     * @param apiKey  the app's API key (Settings, General); empty: every ask answers {@code not-configured}
     * @param timeout bounds the connection and the whole answer of each page
     * @param clock   when "now" is (the imports' {@code askedAt})
     * @param zone    the agent's zone: today starts at its local midnight
     */
    public ArrClient(HttpClient httpClient, App app, URI baseUrl, Optional<String> apiKey, Duration timeout,
            Clock clock, ZoneId zone) {
        this.app = Objects.requireNonNull(app, "app");
        Objects.requireNonNull(baseUrl, "baseUrl");
        Objects.requireNonNull(apiKey, "apiKey");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.zone = Objects.requireNonNull(zone, "zone");
        this.http = new ApiHttp(app.id, httpClient, timeout);
        this.history = JellyfinClient.endpoint(baseUrl, app.historyPath);
        String key = apiKey.map(String::strip).orElse("");
        if (history == null) {
            this.unusable = problem(SourceState.ERROR, "not an http(s) URL with a host: check the " + app.label + " URL");
            this.apiKey = null;
        } else if (key.isEmpty()) {
            this.unusable = problem(SourceState.NOT_CONFIGURED, "no API key: set " + app.keyVariable);
            this.apiKey = null;
        } else if (!headerSafe(key)) {
            this.unusable = problem(SourceState.ERROR,
                    "the API key has characters a header cannot carry: check " + app.keyVariable);
            this.apiKey = null;
        } else {
            this.unusable = null;
            this.apiKey = key;
        }
    }

    public App app() {
        return app;
    }

    /** Local midnight of the day {@code now} falls in, in the agent's zone (DST-safe: the day's first instant). */
    public Instant since(Instant now) {
        return LocalDate.ofInstant(now, zone).atStartOfDay(zone).toInstant();
    }

    /** Today's imports. Blocking: up to {@value #MAX_PAGES} calls, each bounded by the timeout. */
    public Poll<ArrImports> imports() {
        if (unusable != null) {
            return Poll.failed(unusable);
        }
        Instant asked = clock.instant();
        Instant since = since(asked);
        long today = 0;
        Instant lastImport = null;
        int page = 1;
        try {
            while (true) {
                JsonNode answer = page(page);
                JsonNode records = answer.get("records");
                if (!answer.isObject() || records == null || !records.isArray()) {
                    throw http.fail(SourceState.ERROR, "not a history page from " + ApiHttp.where(history));
                }
                boolean reachedYesterday = false;
                for (JsonNode r : records) {
                    if (!r.isObject()) {
                        continue;
                    }
                    Instant date = JellyfinClient.date(r, "date");
                    if (date == null) {
                        // Without a date a record can be neither counted nor placed before midnight.
                        continue;
                    }
                    boolean imported = app.importEvent.equals(JellyfinClient.text(r, "eventType"));
                    if (imported && (lastImport == null || date.isAfter(lastImport))) {
                        lastImport = date;
                    }
                    if (date.isBefore(since)) {
                        reachedYesterday = true;
                    } else if (imported) {
                        today++;
                    }
                }
                if (reachedYesterday || lastPage(answer, page, records.size())) {
                    break;
                }
                if (page == MAX_PAGES) {
                    LOG.debugf("%s: %d pages of history since %s without reaching midnight; %d imports counted in them",
                            app.id, MAX_PAGES, since, today);
                    break;
                }
                page++;
            }
        } catch (ApiHttp.Failure f) {
            return Poll.failed(f.source());
        }
        return Poll.ok(app.id, new ArrImports(app.id, app.unit, today, since, lastImport, asked));
    }

    /**
     * Nothing after this page: fewer records than asked for, or {@code totalRecords} (the history's size) reached.
     * An answer without {@code totalRecords} is judged by its length alone.
     */
    private static boolean lastPage(JsonNode answer, int page, int records) {
        if (records < PAGE_SIZE) {
            return true;
        }
        JsonNode total = answer.get("totalRecords");
        return total != null && total.isIntegralNumber() && total.longValue() <= (long) page * PAGE_SIZE;
    }

    private JsonNode page(int page) throws ApiHttp.Failure {
        URI uri = URI.create(history + "?page=" + page + "&pageSize=" + PAGE_SIZE
                + "&sortKey=date&sortDirection=descending");
        HttpRequest request = http.request(uri).header("X-Api-Key", apiKey).header("Accept", "application/json")
                .GET().build();
        return http.json(request);
    }

    /** Visible ASCII: what an HTTP header can carry as it is (Servarr keys are 32 hex digits). */
    private static boolean headerSafe(String key) {
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            if (c < 0x21 || c > 0x7e) {
                return false;
            }
        }
        return true;
    }

    private ActivitySource problem(SourceState state, String problem) {
        return new ActivitySource(app.id, state, problem);
    }

    @Override
    public String toString() {
        return "ArrClient[" + app.id + ", " + (history == null ? "no usable URL" : ApiHttp.where(history))
                + (apiKey == null ? ", no usable key]" : ", key set]");
    }
}
