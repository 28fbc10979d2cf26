package dev.mediawatch.testing;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The property keys a {@code @ConfigMapping} interface defines, derived the way SmallRye Config derives them
 * (method names in kebab case, nested interfaces as groups), so tests can check the README documents
 * every one. Plain reflection: common knows nothing of Quarkus.
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

    /** The backticked {@code mediawatch.*} keys of the README table under {@code heading} (e.g. "### Agent"). */
    public static List<String> documentedInReadme(String heading) throws java.io.IOException {
        String readme = java.nio.file.Files.readString(repo().resolve("README.md"), java.nio.charset.StandardCharsets.UTF_8);
        int from = readme.indexOf(heading + "\n");
        if (from < 0) {
            throw new AssertionError("no '" + heading + "' section in README.md");
        }
        int to = readme.indexOf("\n#", from + 1);
        return readme.substring(from, to < 0 ? readme.length() : to).lines()
                .filter(l -> l.startsWith("| `mediawatch."))
                .map(l -> l.substring(3, l.indexOf('`', 3)))
                .toList();
    }

    /** The repository's root, as the build passes it ({@code mwtest.repo}). */
    public static Path repo() {
        return Path.of(System.getProperty("mwtest.repo", ".."));
    }
}
