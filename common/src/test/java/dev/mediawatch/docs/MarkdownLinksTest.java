package dev.mediawatch.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.mediawatch.testing.ConfigKeys;

/**
 * Every relative link in the repository's Markdown (README.md, docs/, deploy/, the fixtures' notes) points at a file
 * or directory that exists, and a link to a heading of a Markdown file ({@code operations.md#drift-gates}) at a
 * heading that is there, named as GitHub names it. Links with a scheme ({@code https:}, {@code mailto:}) are not
 * followed. Reads text only: well under a second.
 */
class MarkdownLinksTest {

    /** An inline link's target: {@code [text](target)} or {@code [text](target "title")}. */
    private static final Pattern INLINE = Pattern.compile("\\]\\(([^)\\s]+)(?:\\s+\"[^\"]*\")?\\)");
    /** A reference definition: {@code [name]: target}. */
    private static final Pattern REFERENCE = Pattern.compile("^ {0,3}\\[[^\\]]+\\]:\\s*(\\S+)");
    private static final Pattern CODE_SPAN = Pattern.compile("`[^`]*`");
    private static final Pattern SCHEME = Pattern.compile("^[A-Za-z][A-Za-z0-9+.-]*:");
    private static final Pattern HTML_ANCHOR = Pattern.compile("<a\\s+(?:id|name)=\"([^\"]+)\"");
    private static final Pattern HEADING = Pattern.compile("^ {0,3}(#{1,6})\\s+(.*?)\\s*#*\\s*$");

    @Test
    void everyRelativeLink_inTheRepositorysMarkdown_resolves() throws IOException {
        Path repo = ConfigKeys.repo().toAbsolutePath().normalize();
        List<Path> docs = markdownFiles(repo);
        assertThat(docs).as("Markdown files under %s", repo)
                .contains(repo.resolve("README.md"), repo.resolve("docs/operations.md"));

        Checked checked = check(repo, docs);

        assertThat(checked.links()).as("relative links found").isGreaterThan(100);
        assertThat(checked.broken()).as("links that do not resolve").isEmpty();
    }

    @Test
    void aMissingFile_aMissingHeading_andALinkOutOfTheRepository_areReported(@TempDir Path repo) throws IOException {
        Files.createDirectories(repo.resolve("docs"));
        Files.writeString(repo.resolve("docs/guide.md"), """
                # Guide

                ## Drift gates

                <a id="kept"></a>A paragraph.
                """);
        Files.writeString(repo.resolve("README.md"), """
                # Title

                [fine](docs/guide.md), [fine too](docs/guide.md#drift-gates), [html](docs/guide.md#kept),
                [here](#title), [dir](docs), [web](https://example.org/x), `[in code](nowhere.md)`
                [gone](docs/missing.md) and [no heading](docs/guide.md#drift) and [out](../elsewhere.md)

                ```
                [in a fence](nowhere.md)
                ```
                [ref]: docs/also-missing.md
                """);

        Checked checked = check(repo, markdownFiles(repo));

        assertThat(checked.broken()).containsExactly(
                "README.md:5: docs/missing.md (no such file)",
                "README.md:5: docs/guide.md#drift (no such heading)",
                "README.md:5: ../elsewhere.md (outside the repository)",
                "README.md:10: docs/also-missing.md (no such file)");
        assertThat(checked.links()).isEqualTo(9);
    }

    @Test
    void headings_becomeAnchors_asGitHubMakesThem() {
        assertThat(anchors(List.of(
                "# Operations",
                "### D107 NFS mount lock",
                "## Cutover checklist (P3-P6)",
                "### The agent's footprint beside node_exporter",
                "### `GET /api/status`, with [a link](x.md)",
                "## Notes",
                "## Notes",
                "```",
                "# not a heading",
                "```")))
                .containsExactlyInAnyOrder("operations", "d107-nfs-mount-lock", "cutover-checklist-p3-p6",
                        "the-agents-footprint-beside-node_exporter", "get-apistatus-with-a-link", "notes", "notes-1");
    }

    private record Checked(int links, List<String> broken) {
    }

    /** The Markdown files under {@code repo}, leaving out build output and hidden directories. */
    private static List<Path> markdownFiles(Path repo) throws IOException {
        List<Path> out = new ArrayList<>();
        Files.walkFileTree(repo, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                String name = dir.getFileName() == null ? "" : dir.getFileName().toString();
                boolean skip = !dir.equals(repo) && (name.startsWith(".") || name.equals("target")
                        || name.equals("node_modules"));
                return skip ? FileVisitResult.SKIP_SUBTREE : FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                if (file.getFileName().toString().endsWith(".md")) {
                    out.add(file.toAbsolutePath().normalize());
                }
                return FileVisitResult.CONTINUE;
            }
        });
        out.sort(null);
        return out;
    }

    private static Checked check(Path repo, List<Path> docs) throws IOException {
        Path root = repo.toAbsolutePath().normalize();
        Map<Path, Set<String>> anchors = new HashMap<>();
        List<String> broken = new ArrayList<>();
        int links = 0;
        for (Path doc : docs) {
            List<String> lines = Files.readAllLines(doc, StandardCharsets.UTF_8);
            boolean fenced = false;
            for (int i = 0; i < lines.size(); i++) {
                String line = lines.get(i);
                if (isFence(line)) {
                    fenced = !fenced;
                    continue;
                }
                if (fenced) {
                    continue;
                }
                List<String> targets = new ArrayList<>();
                Matcher reference = REFERENCE.matcher(line);
                if (reference.find()) {
                    targets.add(reference.group(1));
                }
                Matcher inline = INLINE.matcher(CODE_SPAN.matcher(line).replaceAll(""));
                while (inline.find()) {
                    targets.add(inline.group(1));
                }
                for (String target : targets) {
                    if (SCHEME.matcher(target).find()) {
                        continue;
                    }
                    links++;
                    String problem = problem(root, doc, target, anchors);
                    if (problem != null) {
                        broken.add(root.relativize(doc) + ":" + (i + 1) + ": " + target + " (" + problem + ")");
                    }
                }
            }
        }
        return new Checked(links, broken);
    }

    /** Why {@code target}, linked from {@code doc}, does not resolve; null when it does. */
    private static String problem(Path root, Path doc, String target, Map<Path, Set<String>> anchors)
            throws IOException {
        int hash = target.indexOf('#');
        String path = hash < 0 ? target : target.substring(0, hash);
        String fragment = hash < 0 ? "" : target.substring(hash + 1);
        Path file = path.isEmpty() ? doc : doc.getParent().resolve(path).normalize();
        if (!file.startsWith(root)) {
            return "outside the repository";
        }
        if (!Files.exists(file)) {
            return "no such file";
        }
        if (fragment.isEmpty() || !file.getFileName().toString().endsWith(".md") || Files.isDirectory(file)) {
            return null;
        }
        Set<String> known = anchors.get(file);
        if (known == null) {
            known = anchors(Files.readAllLines(file, StandardCharsets.UTF_8));
            anchors.put(file, known);
        }
        return known.contains(fragment) ? null : "no such heading";
    }

    /**
     * The anchors GitHub gives a Markdown file: each heading's text without its formatting, lower case, with
     * everything but letters, digits, spaces, hyphens and underscores dropped and spaces as hyphens; a repeated one
     * gets {@code -1}, {@code -2}, ...; plus every {@code <a id="...">}.
     */
    static Set<String> anchors(List<String> lines) {
        Set<String> out = new HashSet<>();
        Map<String, Integer> seen = new HashMap<>();
        boolean fenced = false;
        for (String line : lines) {
            if (isFence(line)) {
                fenced = !fenced;
                continue;
            }
            if (fenced) {
                continue;
            }
            Matcher heading = HEADING.matcher(line);
            if (heading.matches()) {
                String text = heading.group(2).replaceAll("\\[([^\\]]*)\\]\\([^)]*\\)", "$1");
                String slug = text.toLowerCase(Locale.ROOT).replaceAll("[^\\p{L}\\p{N} _-]", "").replace(' ', '-');
                int n = seen.merge(slug, 1, Integer::sum) - 1;
                out.add(n == 0 ? slug : slug + "-" + n);
            }
            Matcher html = HTML_ANCHOR.matcher(line);
            while (html.find()) {
                out.add(html.group(1));
            }
        }
        return out;
    }

    private static boolean isFence(String line) {
        String s = line.stripLeading();
        return s.startsWith("```") || s.startsWith("~~~");
    }
}
