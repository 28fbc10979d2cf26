package dev.mediawatch.testing;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * Which package of an app uses which, read from its compiled classes (every class a class file's constant pool names,
 * including those only in signatures), and the cycles among them. Plain Java: no bytecode library.
 */
public final class PackageGraph {

    /** Package to the packages it uses (under the root, itself left out), each with one class pair as the reason. */
    private final Map<String, Map<String, String>> uses = new TreeMap<>();

    private PackageGraph() {
    }

    /** Reads every class file under {@code classes} whose package starts with {@code root} (e.g. {@code dev.mediawatch.agent}). */
    public static PackageGraph of(Path classes, String root) throws IOException {
        PackageGraph g = new PackageGraph();
        String prefix = root.replace('.', '/') + "/";
        try (Stream<Path> files = Files.walk(classes)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".class")).toList()) {
                String name = classes.relativize(f).toString().replace('\\', '/');
                if (!name.startsWith(prefix)) {
                    continue;
                }
                String from = packageOf(name);
                try (InputStream in = Files.newInputStream(f)) {
                    for (String used : classNames(in)) {
                        if (used.startsWith(prefix)) {
                            String to = packageOf(used + ".class");
                            if (!to.equals(from)) {
                                g.uses.computeIfAbsent(from.replace('/', '.'), k -> new TreeMap<>())
                                        .putIfAbsent(to.replace('/', '.'), simple(name) + " -> " + simple(used + ".class"));
                            }
                        }
                    }
                }
                g.uses.computeIfAbsent(from.replace('/', '.'), k -> new TreeMap<>());
            }
        }
        return g;
    }

    /** The packages that use each other, directly or through others: each cycle once, with one reason per edge in it. */
    public List<String> cycles() {
        List<String> out = new ArrayList<>();
        for (Set<String> component : stronglyConnected()) {
            if (component.size() < 2) {
                continue;
            }
            StringBuilder b = new StringBuilder(String.join(" <-> ", component)).append(':');
            for (String from : component) {
                uses.get(from).forEach((to, why) -> {
                    if (component.contains(to)) {
                        b.append("\n    ").append(from).append(" -> ").append(to).append(" (").append(why).append(')');
                    }
                });
            }
            out.add(b.toString());
        }
        return out;
    }

    /** The packages {@code from} uses. */
    public Set<String> uses(String from) {
        return uses.getOrDefault(from, Map.of()).keySet();
    }

    private List<Set<String>> stronglyConnected() {
        // Tarjan's algorithm, iterative enough for a few dozen packages.
        Map<String, Integer> index = new HashMap<>();
        Map<String, Integer> low = new HashMap<>();
        Deque<String> stack = new ArrayDeque<>();
        Set<String> onStack = new TreeSet<>();
        List<Set<String>> out = new ArrayList<>();
        int[] counter = { 0 };
        for (String v : uses.keySet()) {
            if (!index.containsKey(v)) {
                connect(v, index, low, stack, onStack, out, counter);
            }
        }
        return out;
    }

    private void connect(String v, Map<String, Integer> index, Map<String, Integer> low, Deque<String> stack,
            Set<String> onStack, List<Set<String>> out, int[] counter) {
        index.put(v, counter[0]);
        low.put(v, counter[0]++);
        stack.push(v);
        onStack.add(v);
        for (String w : uses.getOrDefault(v, Map.of()).keySet()) {
            if (!index.containsKey(w)) {
                connect(w, index, low, stack, onStack, out, counter);
                low.put(v, Math.min(low.get(v), low.get(w)));
            } else if (onStack.contains(w)) {
                low.put(v, Math.min(low.get(v), index.get(w)));
            }
        }
        if (low.get(v).equals(index.get(v))) {
            Set<String> component = new TreeSet<>();
            String w;
            do {
                w = stack.pop();
                onStack.remove(w);
                component.add(w);
            } while (!w.equals(v));
            out.add(component);
        }
    }

    private static String packageOf(String classFile) {
        int slash = classFile.lastIndexOf('/');
        return slash < 0 ? "" : classFile.substring(0, slash);
    }

    private static String simple(String classFile) {
        String s = classFile.substring(classFile.lastIndexOf('/') + 1, classFile.length() - ".class".length());
        int dollar = s.indexOf('$');
        return dollar < 0 ? s : s.substring(0, dollar);
    }

    /** Internal names of every class the class file names: Class entries, and classes inside descriptors. */
    static Set<String> classNames(InputStream raw) throws IOException {
        DataInputStream in = new DataInputStream(raw);
        if (in.readInt() != 0xCAFEBABE) {
            throw new IOException("not a class file");
        }
        in.readUnsignedShort();
        in.readUnsignedShort();
        int count = in.readUnsignedShort();
        String[] utf8 = new String[count];
        List<Integer> classRefs = new ArrayList<>();
        for (int i = 1; i < count; i++) {
            int tag = in.readUnsignedByte();
            switch (tag) {
                case 1 -> utf8[i] = in.readUTF();
                case 7 -> classRefs.add(in.readUnsignedShort());
                case 8, 16, 19, 20 -> in.readUnsignedShort();
                case 3, 4 -> in.readInt();
                case 5, 6 -> {
                    in.readLong();
                    i++;
                }
                case 9, 10, 11, 17, 18 -> in.readInt();
                case 12 -> in.readInt();
                case 15 -> {
                    in.readUnsignedByte();
                    in.readUnsignedShort();
                }
                default -> throw new IOException("constant pool tag " + tag);
            }
        }
        Set<String> out = new TreeSet<>();
        for (int ref : classRefs) {
            String n = utf8[ref];
            if (n != null) {
                out.add(n.startsWith("[") ? stripArray(n) : n);
            }
        }
        // Descriptors and signatures anywhere in the pool (fields, methods, generics): every L...; in them.
        for (String s : utf8) {
            if (s != null && (s.indexOf(';') > 0) && (s.startsWith("(") || s.startsWith("L") || s.startsWith("<")
                    || s.startsWith("["))) {
                int at = 0;
                while ((at = s.indexOf('L', at)) >= 0) {
                    int end = s.indexOf(';', at);
                    int generic = s.indexOf('<', at);
                    if (end < 0) {
                        break;
                    }
                    int stop = generic > at && generic < end ? generic : end;
                    String candidate = s.substring(at + 1, stop);
                    if (candidate.indexOf('/') > 0 && !candidate.contains("(") && !candidate.contains(")")) {
                        out.add(candidate);
                    }
                    at = at + 1;
                }
            }
        }
        return out;
    }

    private static String stripArray(String n) {
        String s = n.replaceFirst("^\\[+", "");
        return s.startsWith("L") && s.endsWith(";") ? s.substring(1, s.length() - 1) : s;
    }
}
