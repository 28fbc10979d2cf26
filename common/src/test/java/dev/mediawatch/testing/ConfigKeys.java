package dev.mediawatch.testing;

import java.io.IOException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The property keys a {@code @ConfigMapping} interface defines, derived the way SmallRye Config derives them
 * (method names in kebab case, nested interfaces as groups), so tests can check that docs/configuration.md
 * documents every one. Plain reflection: common knows nothing of Quarkus.
 */
public final class ConfigKeys {

    private ConfigKeys() {
    }

    public static List<String> of(Class<?> mapping, String prefix) {
        List<String> keys = new ArrayList<>();
        collect(mapping, mapping, prefix, keys);
        return keys;
    }

    /** A method returning an interface nested in the mapping is a group; anything else is a key. */
    private static void collect(Class<?> root, Class<?> type, String prefix, List<String> keys) {
        for (Method m : type.getDeclaredMethods()) {
            if (m.getParameterCount() > 0 || Modifier.isStatic(m.getModifiers()) || m.isDefault() || m.isSynthetic()) {
                continue;
            }
            String key = prefix + "." + name(m);
            Class<?> r = m.getReturnType();
            if (r.isInterface() && r.getEnclosingClass() == root) {
                collect(root, r, key, keys);
            } else {
                keys.add(key);
            }
        }
    }

    /** {@code @WithName("x")} (SmallRye's, looked up by name: common knows nothing of Quarkus) or the method's name in kebab case. */
    private static String name(Method m) {
        for (java.lang.annotation.Annotation a : m.getAnnotations()) {
            if (a.annotationType().getSimpleName().equals("WithName")) {
                try {
                    return (String) a.annotationType().getMethod("value").invoke(a);
                } catch (ReflectiveOperationException e) {
                    throw new IllegalStateException(e);
                }
            }
        }
        return kebab(m.getName());
    }

    static String kebab(String camel) {
        StringBuilder out = new StringBuilder();
        for (char c : camel.toCharArray()) {
            if (Character.isUpperCase(c)) {
                out.append('-').append(Character.toLowerCase(c));
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    /**
     * The backticked {@code mediawatch.*} keys of the table rows in the section under {@code heading} (e.g.
     * {@code "## Agent"}) of a Markdown file: from that heading to the next heading of the same or a higher level,
     * lines in fenced code blocks not counted as headings.
     *
     * @param doc     the Markdown file, e.g. {@code repo().resolve("docs/configuration.md")}
     * @param heading the whole heading line
     */
    public static List<String> documentedIn(Path doc, String heading) throws IOException {
        List<String> lines = Files.readAllLines(doc, StandardCharsets.UTF_8);
        int level = headingLevel(heading);
        if (level == 0) {
            throw new IllegalArgumentException("'" + heading + "' is not a Markdown heading");
        }
        int from = lines.indexOf(heading);
        if (from < 0) {
            throw new AssertionError("no '" + heading + "' section in " + doc);
        }
        List<String> keys = new ArrayList<>();
        boolean fenced = false;
        for (String line : lines.subList(from + 1, lines.size())) {
            if (line.startsWith("```")) {
                fenced = !fenced;
            } else if (!fenced && headingLevel(line) > 0 && headingLevel(line) <= level) {
                break;
            } else if (!fenced && line.startsWith("| `mediawatch.")) {
                keys.add(line.substring(3, line.indexOf('`', 3)));
            }
        }
        return keys;
    }

    /** 1 for {@code # x}, 2 for {@code ## x}, ...; 0 when the line is not an ATX heading. */
    static int headingLevel(String line) {
        int n = 0;
        while (n < line.length() && line.charAt(n) == '#') {
            n++;
        }
        return n >= 1 && n <= 6 && n < line.length() && line.charAt(n) == ' ' ? n : 0;
    }

    /** The repository's root, as the build passes it ({@code mwtest.repo}). */
    public static Path repo() {
        return Path.of(System.getProperty("mwtest.repo", ".."));
    }
}
