package dev.mediawatch.aggregator.acceptance;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Function;

import com.fasterxml.jackson.databind.JsonNode;

import dev.mediawatch.contract.Check;
import dev.mediawatch.contract.ContractJson;
import dev.mediawatch.contract.ServiceIdentity;
import dev.mediawatch.contract.Text;

/**
 * "Cloudflare tunnel updated: external URLs resolve to the new VMs", checked from outside: each public URL the owner
 * lists is asked, and its answer must come from that service on its VM, proved by the strongest identity the
 * service's API offers:
 * <ul>
 * <li><b>jellyfin</b>: {@code /System/Info/Public}'s server {@code Id} must equal the one the streaming agent reads
 * from its local Jellyfin (an old VM's or another install's Jellyfin has another id);</li>
 * <li><b>navidrome</b>: {@code /rest/ping.view} (no credentials needed for the envelope) must say {@code type}
 * {@code navidrome} with the {@code serverVersion} the streaming agent's Navidrome reports;</li>
 * <li><b>jellyseerr</b>: {@code /api/v1/status} must answer 200 with a {@code version} (its API offers no instance
 * id: a healthy Jellyseerr behind the URL is all that can be proved);</li>
 * <li>anything else: a 2xx answer at the URL itself.</li>
 * </ul>
 * An error, a timeout, another instance or an answer that is not the service fails it. Blocking (HTTP with timeouts):
 * run on the tunnel checker's own thread.
 */
public final class Tunnel {

    /** One public URL and the catalogue service that must answer it. */
    public record Target(URI url, String service) {
        public Target {
            Objects.requireNonNull(url, "url");
            Objects.requireNonNull(service, "service");
        }
    }

    /** One URL's last check. */
    public record Result(Target target, boolean pass, String evidence, Instant checkedAt) {
    }

    /** Every URL's last check, and the criterion they make. */
    public record Report(List<Target> targets, List<Result> results) {

        public static Report none(List<Target> targets) {
            return new Report(targets, List.of());
        }

        public Check check() {
            String name = "tunnel updated (public URLs reach the new VMs)";
            if (targets.isEmpty()) {
                return new Check(Acceptance.TUNNEL, name, false, List.of("no public URL listed: set mediawatch.acceptance"
                        + ".tunnel, e.g. https://jellyfin.example.org=jellyfin"));
            }
            if (results.isEmpty()) {
                return new Check(Acceptance.TUNNEL, name, false, List.of("not checked yet"));
            }
            return new Check(Acceptance.TUNNEL, name, results.stream().allMatch(Result::pass),
                    results.stream().map(Result::evidence).toList());
        }
    }

    private final HttpClient http;
    private final Duration timeout;

    public Tunnel(HttpClient http, Duration timeout) {
        this.http = http;
        this.timeout = timeout;
    }

    /**
     * Checks every target.
     *
     * @param local the identity the agent on the service's VM reported for it (absent when it reported none)
     */
    public Report check(List<Target> targets, Function<String, java.util.Optional<Located>> local, Instant now) {
        List<Result> out = new ArrayList<>();
        for (Target t : targets) {
            out.add(check(t, local.apply(t.service()).orElse(null), now));
        }
        return new Report(targets, out);
    }

    /** A service's identity as its own VM reports it, and that VM. */
    public record Located(String host, ServiceIdentity identity) {
    }

    Result check(Target t, Located local, Instant now) {
        String where = t.url().getHost();
        try {
            switch (t.service()) {
                case "jellyfin" -> {
                    JsonNode info = json(t.url(), "/System/Info/Public");
                    String id = info.path("Id").asText(null);
                    if (id == null) {
                        return fail(t, now, where + " answers, but not as Jellyfin (no server Id)");
                    }
                    if (local == null || local.identity().id() == null) {
                        return fail(t, now, where + " answers as Jellyfin " + id + ", but no agent reports its local "
                                + "Jellyfin's id to compare (the streaming agent's Jellyfin URL?)");
                    }
                    if (!id.equals(local.identity().id())) {
                        return fail(t, now, where + " answers as another Jellyfin (Id " + id + ", " + local.host() + "'s is "
                                + local.identity().id() + "): the tunnel does not reach " + local.host());
                    }
                    return pass(t, now, where + " answers as Jellyfin \"" + info.path("ServerName").asText("?") + "\" on "
                            + local.host() + " (server Id " + id + ")");
                }
                case "navidrome" -> {
                    JsonNode env = json(t.url(), "/rest/ping.view?f=json&v=1.16.1&c=mediawatch").path("subsonic-response");
                    String type = env.path("type").asText("");
                    String version = env.path("serverVersion").asText(null);
                    if (!"navidrome".equals(type.toLowerCase(Locale.ROOT))) {
                        return fail(t, now, where + " answers, but not as Navidrome");
                    }
                    if (local != null && local.identity().version() != null && !local.identity().version().equals(version)) {
                        return fail(t, now, where + " answers as Navidrome " + version + ", " + local.host() + "'s is "
                                + local.identity().version() + ": another instance");
                    }
                    return pass(t, now, where + " answers as Navidrome " + version
                            + (local == null ? " (no agent reports its local one to compare)" : " as on " + local.host()));
                }
                case "jellyseerr" -> {
                    JsonNode status = json(t.url(), "/api/v1/status");
                    if (!status.hasNonNull("version")) {
                        return fail(t, now, where + " answers, but not as Jellyseerr");
                    }
                    return pass(t, now, where + " answers as Jellyseerr " + status.path("version").asText()
                            + " (its API has no instance id: healthy is all that is proved)");
                }
                default -> {
                    HttpResponse<Void> r = http.send(request(t.url(), ""), HttpResponse.BodyHandlers.discarding());
                    return r.statusCode() / 100 == 2 ? pass(t, now, where + " answers " + r.statusCode())
                            : fail(t, now, where + " answers " + r.statusCode());
                }
            }
        } catch (HttpTimeoutException e) {
            return fail(t, now, where + " did not answer within " + timeout.toSeconds() + " s");
        } catch (IOException e) {
            return fail(t, now, where + ": " + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : " " + Text.printable(e.getMessage(), 100)));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return fail(t, now, where + ": not checked (stopping)");
        } catch (RuntimeException e) {
            return fail(t, now, where + ": " + e.getClass().getSimpleName());
        }
    }

    private JsonNode json(URI base, String path) throws IOException, InterruptedException {
        HttpResponse<byte[]> r = http.send(request(base, path), HttpResponse.BodyHandlers.ofByteArray());
        if (r.statusCode() / 100 != 2) {
            throw new IOException("HTTP " + r.statusCode());
        }
        byte[] body = r.body();
        if (body.length > 256 * 1024) {
            throw new IOException("an answer of " + body.length + " bytes");
        }
        return ContractJson.mapper().readTree(body);
    }

    private HttpRequest request(URI base, String path) {
        String b = base.toString();
        while (b.endsWith("/")) {
            b = b.substring(0, b.length() - 1);
        }
        return HttpRequest.newBuilder(URI.create(b + path)).timeout(timeout).header("Accept", "application/json").GET()
                .build();
    }

    private static Result pass(Target t, Instant now, String why) {
        return new Result(t, true, why, now);
    }

    private static Result fail(Target t, Instant now, String why) {
        return new Result(t, false, why, now);
    }

    /** An entry as an error may show it: a user part (which may hold a password) left out. */
    private static String shown(String entry) {
        return Text.printable(entry.replaceAll("//[^/@]*@", "//***@"), 80);
    }

    /** {@code <url>=<service>} entries of {@code mediawatch.acceptance.tunnel}; a mistake names the entry. */
    public static List<Target> parse(List<String> entries) {
        List<Target> out = new ArrayList<>();
        for (String raw : entries) {
            String e = raw.strip();
            int eq = e.lastIndexOf('=');
            if (eq <= 0 || eq == e.length() - 1) {
                throw new IllegalArgumentException("mediawatch.acceptance.tunnel: '" + shown(e)
                        + "': expected <url>=<service>, e.g. https://jellyfin.example.org=jellyfin");
            }
            URI url;
            try {
                url = URI.create(e.substring(0, eq).strip());
            } catch (IllegalArgumentException bad) {
                throw new IllegalArgumentException("mediawatch.acceptance.tunnel: '" + shown(e)
                        + "': not a URL");
            }
            if (url.getRawUserInfo() != null) {
                // Never echo the entry: the user part may hold a password.
                throw new IllegalArgumentException("mediawatch.acceptance.tunnel: the entry for " + url.getHost()
                        + ": an http(s) URL with a host and no user in it");
            }
            if (!("http".equals(url.getScheme()) || "https".equals(url.getScheme())) || url.getHost() == null) {
                throw new IllegalArgumentException("mediawatch.acceptance.tunnel: '" + shown(e)
                        + "': an http(s) URL with a host and no user in it");
            }
            out.add(new Target(url, e.substring(eq + 1).strip().toLowerCase(Locale.ROOT)));
        }
        return out;
    }
}
